"""Amounts of EUR as people type them, such as 10, 2.50 or, with a decimal comma, 2,50."""

from __future__ import annotations

import re
from decimal import Decimal

from domain.errors import InvalidInput

# The minimum and maximum play money that a sandbox account adds at once, in EUR.
MIN_CREDIT = Decimal("0.01")
MAX_CREDIT = Decimal("1000.00")
CREDIT_RANGE = f"from {MIN_CREDIT} to {MAX_CREDIT} EUR"

# Digits with an optional sign and decimal point: no exponent, NaN or Infinity,
# which Decimal also reads. A comma before one or two digits is a decimal comma,
# as in 2,50; 1,000 is no amount, because it may mean one thousand.
_AMOUNT = re.compile(r"[+-]?(?:\d+(?:\.\d*|,\d\d?)?|\.\d+)", re.ASCII)


def read_eur_amount(text: str) -> Decimal:
    """Read an amount of EUR; the account checks its range and its cents.

    Raises:
        InvalidInput: the text is no number.
    """
    if _AMOUNT.fullmatch(text.strip()) is None:
        raise InvalidInput(
            f"{text!r} is not an amount of EUR: give one such as 10 or 2.50."
        )
    return Decimal(text.strip().replace(",", "."))
