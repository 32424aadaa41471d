"""Reading a number argument that the user may have pasted in any common form."""

from __future__ import annotations

import os

from cli.output import print_note
from cli.session import locale_region, locale_region_words
from domain.account import Account
from domain.countries import resolve_country
from domain.e164 import (
    FormatResult,
    FormatStatus,
    naming_region,
    number_problem,
    vonage_format,
)
from domain.errors import InvalidInput, NumberNotAvailable
from domain.numbers import AvailableNumber, validate_msisdn


def format_in_locale(raw: str, region: str | None = None) -> FormatResult:
    """Read `raw` with `vonage_format` in `region`, else the locale's region.

    `region` is a --region option's text. Without it, reasons name the region
    as the locale's.

    Raises:
        InvalidInput: `region` names no region.
    """
    if region is not None:
        return vonage_format(raw, resolve_country(region).code)
    result = vonage_format(raw, locale_region(os.environ))
    return naming_region(result, locale_region_words(os.environ))


def read_msisdn(raw: str, line: int | None = None, region: str | None = None) -> str:
    """Return the number in Vonage form: digits only, country code first.

    A value already in Vonage form is returned as it is, so that a stored msisdn is
    never read as some other number. Other forms, such as `+44 7700 900123` or
    `(415) 555-0101`, go through `vonage_format` in the locale's region, and the
    changes made are printed on stderr, after `line N:` for a value from a file.
    `region` is a --region option's text, which takes the place of the locale's.

    Raises:
        InvalidInput: no number can be read from the value.
    """
    try:
        return validate_msisdn(raw)
    except InvalidInput:
        return _read_in_locale(raw, line, region)


def read_available_number(
    account: Account, raw: str, line: int | None = None, region: str | None = None
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
        msisdn = _read_in_locale(raw, line, region, region_option=True)
        return account.available_number(msisdn)
    try:
        return account.available_number(raw)
    except NumberNotAvailable as error:
        local_reading = format_in_locale(raw, region).number
        if local_reading is None or local_reading == raw:
            raise
        if region is None:
            where = f"{locale_region(os.environ)}, {locale_region_words(os.environ)}"
        else:
            where = f"{resolve_country(region).code}, the region given"
        raise NumberNotAvailable(
            f"{error} Read in {where}, {raw!r} is {local_reading}: give that if you "
            "meant it."
        ) from None


def _read_in_locale(
    raw: str, line: int | None, region: str | None, region_option: bool = False
) -> str:
    """Read `raw` as `format_in_locale` does, printing the changes made.

    `region_option` tells whether the command takes --region, for the advice.
    """
    result = format_in_locale(raw, region)
    number = result.number
    if number is None:
        if _in_vonage_form(raw):
            raise InvalidInput(number_problem(result))
        advice = "Give the number in Vonage form, such as 14155550101"
        if region_option and region is None:
            advice += ", or the region it is written in with --region"
        raise InvalidInput(f"{number_problem(result)} {advice}.")
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
