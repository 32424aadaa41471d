"""The ways a string of dialled digits can be read as an international number.

A leading 00 may be an access code or a trunk prefix. A leading 44 may be a country
code or the start of a national number. So `candidates` lists every reading that
applies, most likely first, each with the edits it implies in words.
`vonage_format` keeps the first valid one and offers the others as alternatives.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import NamedTuple

import phonenumbers
from phonenumbers import PhoneMetadata

from domain.dialstring import DialString
from domain.numbering import (
    COMMON_ACCESS_CODES,
    InternationalNumber,
    Unreadable,
    classify,
    metadata_for_country_code,
    read_international,
    region_access_code,
    split_country_code,
)
from domain.plan_changes import has_plan_changes, plan_changes
from domain.reserved import ReservedRange, reserved_range

# The reasons' name for the region that national numbers are read in. The caller of
# `vonage_format` may rename it, where the user did not choose the region.
REGION_GIVEN = "the region given"


class Candidate(NamedTuple):
    """One reading of the digits, with the edits it implies and why to prefer it.

    `explanation` describes the reading ("read 00 as an international access code");
    `preference` explains why it comes first when other readings are valid too.
    `national_region` is the region hint when the digits were read as a national
    number of it. `as_written` is True when the digits were read as Vonage form.
    `access_code` is the international access code read in front of the country
    code, such as 00, or None.
    """

    number: InternationalNumber
    changes: tuple[str, ...]
    explanation: str
    preference: str
    reserved: ReservedRange | None = None
    national_region: str | None = None
    as_written: bool = False
    access_code: str | None = None

    @property
    def is_valid(self) -> bool:
        return self.number.is_valid or self.reserved is not None


def candidate(
    number: InternationalNumber,
    changes: tuple[str, ...],
    explanation: str,
    preference: str,
    access_code: str | None = None,
) -> Candidate:
    """Build a reading, looking up whether its number is in a fictional range."""
    reserved = reserved_range(number.e164)
    # Positional, in Candidate's field order: keywords cost more, and every
    # reading that is described passes here.
    return Candidate(
        number, changes, explanation, preference, reserved, None, False, access_code
    )


class _Pending(NamedTuple):
    """A number read one way, before the words that describe the reading.

    The words cost more than reading the number, so they are built only for the
    readings that are kept.
    """

    number: InternationalNumber
    describe: Callable[[InternationalNumber], Candidate]

    def candidate(self) -> Candidate:
        return self.describe(self.number)


# A reading, or the reason it failed, or None where it does not apply.
_Reading = _Pending | str | None


def candidates(
    dial: DialString, region: str | None
) -> tuple[list[Candidate], list[str]]:
    """List the readings of the digits, most likely first, and why others failed."""
    found: list[Candidate] = []
    failures: list[str] = []
    own_access_code = region_access_code(dial.digits, region) if region else None
    readings = _readings(
        dial.digits,
        dial.plus,
        region,
        own_access_code,
        dial.bracketed_prefix,
        dial.group_starts,
    )
    for reading in readings:
        if isinstance(reading, str):
            failures.append(reading)
        elif reading is not None:
            found.append(_apply_plan_changes(reading.candidate()))
    return found, failures


def only_valid_reading(
    digits: str,
    plus: bool,
    region: str | None,
    own_access_code: str | None,
    bracketed_prefix: str | None,
    group_starts: tuple[int, ...] = (),
) -> Candidate | None:
    """Return the reading of the digits when no other reading is valid, else None.

    When it returns a reading, `unique_valid(candidates(dial, region)[0])` is that
    reading alone, for a `dial` with these digits and plus. It describes only that
    reading, and returns None as soon as a second reading is valid, or an invalid
    one is of a country whose old numbering plans `candidates` would try.
    `own_access_code` is `region_access_code(digits, region)`, None without a region.
    """
    chosen = None
    readings = _readings(
        digits, plus, region, own_access_code, bracketed_prefix, group_starts
    )
    for reading in readings:
        if not isinstance(reading, _Pending):
            continue
        number = reading.number
        if number.is_valid or reserved_range(number.e164) is not None:
            if chosen is not None:
                return None
            chosen = reading
        elif has_plan_changes(number.country_code):
            return None
    return chosen.candidate() if chosen is not None else None


def unique_valid(found: list[Candidate]) -> list[Candidate]:
    """Keep the valid readings, one per number, in order of preference.

    When two readings give the same number, the one with fewer changes stays in the
    place of the first: `001 1 415 555 0100` reads 001 as the access code, not 00.
    """
    by_number: dict[str, Candidate] = {}
    for reading in found:
        if not reading.is_valid:
            continue
        earlier = by_number.get(reading.number.e164)
        if earlier is None or len(reading.changes) < len(earlier.changes):
            by_number[reading.number.e164] = reading
    return list(by_number.values())


def _readings(
    digits: str,
    plus: bool,
    region: str | None,
    own_access_code: str | None,
    bracketed_prefix: str | None,
    group_starts: tuple[int, ...] = (),
) -> list[_Reading]:
    """List the readings in order of preference.

    The region's own access code comes first, then the national reading (the region
    hint names the country a national number was written in), then the digits as Vonage form,
    then the common access codes. A + rules out everything but a country code, or an
    access code written after it. Digits in brackets at the start rule out Vonage
    form unless they are its country code, as in (44) 7911 123456.
    """
    if plus and not digits.startswith("0"):
        return [_with_plus(digits)]

    tried = _codes(own_access_code, region) if digits.startswith("0") else ()
    if own_access_code is not None and own_access_code not in tried:
        tried = (own_access_code, *tried)
    after_codes = (
        _access_code_readings(
            digits, tried, own_access_code, plus, region, group_starts
        )
        if tried
        else []
    )
    if plus:
        stray = [_stray_plus(digits, region)] if region is not None else []
        return [*after_codes, *stray]

    as_written = not digits.startswith("0") and _country_code_fits(
        digits, bracketed_prefix
    )
    vonage = [_vonage_reading(digits, region)] if as_written else []
    if region is None:
        return [*vonage, *after_codes]

    national = _national_reading(digits, region)
    if own_access_code is not None:
        return [*after_codes, *vonage, national]
    # Digits that start with the region's own country code are most likely in Vonage
    # form already: Germany's 4915123456789 is also a possible national number. A
    # first group longer than the country code, as in Italy's mobile 390 123 4567,
    # is written the national way.
    country_code = own_country_code(region)
    first_group = group_starts[0] if group_starts else len(country_code)
    if digits.startswith(country_code) and first_group == len(country_code):
        return [*vonage, national, *after_codes]
    return [national, *vonage, *after_codes]


def _access_code_readings(
    digits: str,
    tried: tuple[str, ...],
    own_access_code: str | None,
    plus: bool,
    region: str | None,
    group_starts: tuple[int, ...],
) -> list[_Reading]:
    """Read the digits after each access code of `tried` that they start with."""
    codes = [
        code
        for code in tried
        if digits.startswith(code)
        and not _group_runs_past_country_code(digits, code, group_starts)
    ]
    if group_starts:
        # A code that the writer split comes last; the sort keeps the other order.
        codes.sort(key=lambda code: _group_splits(code, group_starts))
    return [
        _after_access_code(
            digits,
            code,
            own_access_code,
            plus,
            region,
            bool(group_starts) and _sets_apart(code, codes, group_starts),
        )
        for code in codes
    ]


# Access codes of 3 digits, such as 010 and 011, also start national numbers:
# Korea's mobiles, and Beijing's and Delhi's landlines. 00 and 0011 do not.
_NATIONAL_LOOKING_CODE_LENGTH = 3


def _sets_apart(code: str, codes: list[str], group_starts: tuple[int, ...]) -> bool:
    """Tell whether the grouping ends `code` where it splits a longer code."""
    return len(code) in group_starts and any(
        len(other) > len(code) and _group_splits(other, group_starts) for other in codes
    )


def _group_splits(code: str, group_starts: tuple[int, ...]) -> bool:
    """Tell whether the writer put a space inside `code`, so it is likely no access code.

    Singapore's access codes include 004, but 00 44 121 234 5678 is 00 and the
    country code 44, as the grouping shows.
    """
    return any(0 < start < len(code) for start in group_starts)


def _group_runs_past_country_code(
    digits: str, code: str, group_starts: tuple[int, ...]
) -> bool:
    """Tell whether the digits' grouping rules out `code` as an access code.

    People who write an access code as a group of its own write the country code
    after it as one too, as in 011 52 55 1234 5678. A group that runs on past the
    country code while more groups follow, as in Korea's 010-9841-8741, belongs to
    a national number.
    """
    if len(code) != _NATIONAL_LOOKING_CODE_LENGTH or len(code) not in group_starts:
        return False
    later = [start for start in group_starts if start > len(code)]
    split = split_country_code(digits[len(code) :]) if later else None
    if split is None:
        return False
    country_code_end = len(code) + len(str(split[0]))
    return later[0] > country_code_end


def _country_code_fits(digits: str, bracketed_prefix: str | None) -> bool:
    """Tell whether the digits' country code is all of the digits in brackets.

    An area code in brackets, as in (203) 123-3439, marks a national number.
    """
    if bracketed_prefix is None:
        return True
    split = split_country_code(digits)
    return split is not None and str(split[0]) == bracketed_prefix


@cache
def _codes(own_access_code: str | None, region: str | None) -> tuple[str, ...]:
    """List the access codes to try, the region's own first."""
    own = own_access_code or (_literal_access_code(region) if region else None)
    if own is None:
        return tuple(COMMON_ACCESS_CODES)
    return (own, *(code for code in COMMON_ACCESS_CODES if code != own))


@cache
def _literal_access_code(region: str) -> str | None:
    metadata = PhoneMetadata.metadata_for_region(region)
    prefix = metadata.international_prefix if metadata is not None else None
    return prefix if prefix and prefix.isdigit() else None


@cache
def own_country_code(region: str) -> str:
    """Return the country code of `region` as digits, such as "44" for GB."""
    return str(phonenumbers.country_code_for_region(region))


def _with_plus(digits: str) -> _Reading:
    number = read_international(digits)
    if isinstance(number, Unreadable):
        return number.reason
    return _Pending(number, _plus_candidate)


def _plus_candidate(number: InternationalNumber) -> Candidate:
    return candidate(
        number,
        ("removed the +", *prefix_changes(number, after_country_code=True)),
        "read the digits after the + as country code and number",
        "the number starts with +",
    )


def _after_access_code(
    digits: str,
    code: str,
    own_access_code: str | None,
    behind_plus: bool,
    region: str | None,
    set_apart: bool = False,
) -> _Reading:
    rest = digits[len(code) :]
    if not digits.startswith(code) or not rest or rest.startswith("0"):
        return None
    number = read_international(rest)
    if isinstance(number, Unreadable):
        return number.reason
    return _Pending(
        number,
        lambda number: _access_code_candidate(
            number, code, own_access_code, behind_plus, region, set_apart
        ),
    )


def _access_code_candidate(
    number: InternationalNumber,
    code: str,
    own_access_code: str | None,
    behind_plus: bool,
    region: str | None,
    set_apart: bool,
) -> Candidate:
    where = " written after the +" if behind_plus else ""
    changes = (
        f"removed the international access code {code}{where}",
        *prefix_changes(number, after_country_code=True),
    )
    if code == own_access_code:
        explanation = f"read {code} as the international access code of {region}"
        preference = f"{code} is how callers in {region}, {REGION_GIVEN}, dial abroad"
    elif set_apart:
        explanation = f"read {code} as an international access code"
        preference = f"{code} is written apart from the digits after it"
    else:
        explanation = f"read {code} as an international access code"
        preference = (
            f"{code} is the most widely used access code that gives a valid number"
        )
    return candidate(number, changes, explanation, preference, access_code=code)


def _national_reading(digits: str, region: str) -> _Reading:
    code = own_country_code(region)
    number = read_international(code + digits)
    if isinstance(number, Unreadable):
        return f"{digits} cannot be read as a national number of {region}."
    return _Pending(number, lambda number: _national_candidate(number, digits, region))


def _national_candidate(
    number: InternationalNumber, digits: str, region: str
) -> Candidate:
    code = own_country_code(region)
    national = InternationalNumber(
        number.country_code,
        digits,
        number.national,
        number.region,
        number.number_type,
        number.carrier_code,
    )
    changes = (
        *prefix_changes(national, after_country_code=False),
        f"added the country code {code} of {region}, {REGION_GIVEN}",
    )
    return Candidate(
        national,
        changes,
        f"read the digits as a national number of {region}",
        f"{REGION_GIVEN} is {region}",
        reserved_range(national.e164),
        national_region=region,
    )


def _stray_plus(digits: str, region: str) -> _Reading:
    national = _national_reading(digits, region)
    if not isinstance(national, _Pending):
        return national
    return _Pending(
        national.number,
        lambda number: _stray_plus_candidate(national.describe(number), region),
    )


def _stray_plus_candidate(reading: Candidate, region: str) -> Candidate:
    return Candidate(
        reading.number,
        ("removed the + in front of a national number", *reading.changes),
        f"read the digits after the + as a national number of {region}",
        f"no country code starts with 0, and {REGION_GIVEN} is {region}",
        reading.reserved,
        national_region=region,
    )


def _vonage_reading(digits: str, region: str | None) -> _Reading:
    number = read_international(digits)
    if isinstance(number, Unreadable):
        return number.reason
    return _Pending(number, lambda number: _vonage_candidate(number, digits, region))


def _vonage_candidate(
    number: InternationalNumber, digits: str, region: str | None
) -> Candidate:
    if region is not None and digits.startswith(own_country_code(region)):
        preference = (
            f"the digits start with {number.country_code}, the country code of "
            f"{region}, {REGION_GIVEN}"
        )
    else:
        preference = "Vonage writes every number with its country code first"
    return Candidate(
        number,
        tuple(prefix_changes(number, after_country_code=True)),
        "read the digits as a number with its country code first",
        preference,
        reserved_range(number.e164),
        as_written=True,
    )


def _apply_plan_changes(reading: Candidate) -> Candidate:
    """Rewrite an invalid number from an old national plan into today's, if one fits."""
    if reading.is_valid:
        return reading
    number = reading.number
    for change in plan_changes(number.country_code, number.national):
        region, number_type = classify(number.country_code, change.national)
        rewritten = InternationalNumber(
            number.country_code,
            number.typed_national,
            change.national,
            region,
            number_type,
        )
        if rewritten.is_valid:
            return Candidate(
                rewritten,
                (*reading.changes, change.rule),
                reading.explanation,
                reading.preference,
                reserved_range(rewritten.e164),
                reading.national_region,
            )
    return reading


def prefix_changes(number: InternationalNumber, after_country_code: bool) -> list[str]:
    """Describe how phonenumbers turned the typed national digits into the number."""
    typed, national = number.typed_national, number.national
    if typed == national:
        return []

    if number.country_code == 54 and national.startswith("9"):
        return [
            f"rewrote {typed} as {national}: an Argentine mobile is written with 9 "
            "after +54, not with the local 15 after the area code"
        ]
    if not typed.endswith(national):
        return [
            f"rewrote {typed} as {national}, as the national dialling rules require"
        ]

    removed = typed[: len(typed) - len(national)]
    where = " after the country code" if after_country_code else ""
    carrier = number.carrier_code
    if carrier and removed.endswith(carrier):
        trunk = removed[: -len(carrier)]
        trunk_text = f"the trunk prefix {trunk} and " if trunk else ""
        return [f"removed {trunk_text}the carrier selection code {carrier}{where}"]

    metadata = metadata_for_country_code(number.country_code)
    if metadata is not None and removed == metadata.national_prefix:
        return [
            f"removed the trunk prefix {removed}{where}, which is dialled only "
            "inside the country"
        ]
    return [
        f"removed the prefix {removed}{where}, which is dialled only inside the country"
    ]
