"""Amounts of EUR as people type them, such as 10 or 2.50."""

from __future__ import annotations

import re
from decimal import Decimal

from domain.errors import InvalidInput

# Digits with an optional sign and decimal point: no exponent, NaN or Infinity,
# which Decimal also reads.
_AMOUNT = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)", re.ASCII)


def read_eur_amount(text: str) -> Decimal:
    """Read an amount of EUR; the account checks its range and its cents.

    Raises:
        InvalidInput: the text is no number.
    """
    if _AMOUNT.fullmatch(text.strip()) is None:
        raise InvalidInput(
            f"{text!r} is not an amount of EUR: give one such as 10 or 2.50."
        )
    return Decimal(text.strip())
