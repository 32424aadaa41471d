"""Reading a number argument that the user may have pasted in any common form."""

from __future__ import annotations

from domain.numbers import validate_msisdn


def read_msisdn(raw: str) -> str:
    """Return the number in Vonage form: digits only, country code first.

    Raises:
        InvalidInput: the value is not a number in Vonage form.
    """
    return validate_msisdn(raw.strip())
