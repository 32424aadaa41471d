"""Reading a number argument that the user may have pasted in any common form."""

from __future__ import annotations

import os

from cli.output import print_note
from cli.session import locale_region, locale_region_words
from domain.account import Account
from domain.e164 import (
    FormatResult,
    FormatStatus,
    naming_region,
    number_problem,
    vonage_format,
)
from domain.errors import InvalidInput, NumberNotAvailable
from domain.numbers import AvailableNumber, validate_msisdn


def format_in_locale(raw: str) -> FormatResult:
    """Read `raw` with `vonage_format` in the locale's region, named so in reasons."""
    result = vonage_format(raw, locale_region(os.environ))
    return naming_region(result, locale_region_words(os.environ))


def read_msisdn(raw: str, line: int | None = None) -> str:
    """Return the number in Vonage form: digits only, country code first.

    A value already in Vonage form is returned as it is, so that a stored msisdn is
    never read as some other number. Other forms, such as `+44 7700 900123` or
    `(415) 555-0101`, go through `vonage_format` in the locale's region, and the
    changes made are printed on stderr, after `line N:` for a value from a file.

    Raises:
        InvalidInput: no number can be read from the value.
    """
    try:
        return validate_msisdn(raw)
    except InvalidInput:
        return _read_in_locale(raw, line)


def read_available_number(
    account: Account, raw: str, line: int | None = None
) -> AvailableNumber:
    """Return the available number that the user gave as `raw`, to rent it.

    As `read_msisdn`, but digits in Vonage form that make no valid number are read
    in the locale's region, as 2012017333 is 12012017333 in the US. When a valid
    number is not available and the locale's region reads `raw` as another number,
    the error names that one, which is not rented without being asked for.

    Raises:
        InvalidInput: no number can be read from the value.
        NumberNotAvailable, AlreadyOwned: as `Account.available_number`.
    """
    if vonage_format(raw).status is not FormatStatus.VALID:
        return account.available_number(_read_in_locale(raw, line))
    try:
        return account.available_number(raw)
    except NumberNotAvailable as error:
        locale_reading = format_in_locale(raw).number
        if locale_reading is None or locale_reading == raw:
            raise
        region = locale_region(os.environ)
        raise NumberNotAvailable(
            f"{error} Read in {region}, {locale_region_words(os.environ)}, {raw!r} "
            f"is {locale_reading}: give that if you meant it."
        ) from None


def _read_in_locale(raw: str, line: int | None) -> str:
    result = format_in_locale(raw)
    number = result.number
    if number is None:
        if _in_vonage_form(raw):
            raise InvalidInput(number_problem(result))
        raise InvalidInput(
            f"{number_problem(result)} Give the number in Vonage form, such as "
            "14155550101."
        )
    if result.changes:
        print_note(_reading_note(result, line))
    return number


def _in_vonage_form(raw: str) -> bool:
    try:
        validate_msisdn(raw)
    except InvalidInput:
        return False
    return True


def _reading_note(result: FormatResult, line: int | None) -> str:
    start = "Read" if line is None else f"line {line}: read"
    note = f"{start} {result.input!r} as {result.e164}: {'; '.join(result.changes)}."
    if result.alternatives:
        others = ", ".join(reading.e164 for reading in result.alternatives)
        note += f" It could also be {others}: check that {result.e164} is meant."
    return note
