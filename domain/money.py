"""Amounts of EUR as people type them, such as 10 or 2.50."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from domain.errors import InvalidInput


def read_eur_amount(text: str) -> Decimal:
    """Read an amount of EUR; the account checks its range and its cents.

    Raises:
        InvalidInput: the text is no number.
    """
    try:
        return Decimal(text.strip())
    except InvalidOperation:
        raise InvalidInput(
            f"{text!r} is not an amount of EUR: give one such as 10 or 2.50."
        ) from None
