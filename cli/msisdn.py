"""Reading a number argument that the user may have pasted in any common form."""

from __future__ import annotations

import os

from cli.output import print_note
from cli.session import locale_region
from domain.e164 import FormatResult, naming_region, number_problem, vonage_format
from domain.errors import InvalidInput
from domain.numbers import validate_msisdn

# The name of the locale's region in reasons, where the user gave no region.
LOCALE_REGION_WORDS = "the region of your locale"


def format_in_locale(raw: str) -> FormatResult:
    """Read `raw` with `vonage_format` in the locale's region, named so in reasons."""
    result = vonage_format(raw, locale_region(os.environ))
    return naming_region(result, LOCALE_REGION_WORDS)


def read_msisdn(raw: str) -> str:
    """Return the number in Vonage form: digits only, country code first.

    A value already in Vonage form is returned as it is, so that a stored msisdn is
    never read as some other number. Other forms, such as `+44 7700 900123` or
    `(415) 555-0101`, go through `vonage_format` in the locale's region, and the
    changes made are printed on stderr.

    Raises:
        InvalidInput: no number can be read from the value.
    """
    try:
        return validate_msisdn(raw)
    except InvalidInput:
        pass

    result = format_in_locale(raw)
    number = result.number
    if number is None:
        raise InvalidInput(
            f"{number_problem(result)} Give the number in Vonage form, such as "
            "14155550101."
        )
    if result.changes:
        print_note(f"Read {raw!r} as {number}: {'; '.join(result.changes)}.")
    return number
