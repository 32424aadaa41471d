"""Reading digits as an international number with phonenumbers' metadata.

`read_international` turns "country code + national digits" into a checked number.
It follows phonenumbers' `parse` (removing a national prefix) and `number_type` (the
order in which it tries the patterns) but keeps its own compiled patterns
(`domain.type_patterns`). The reason is speed: phonenumbers compiles its patterns
through the `re` module's cache, which keeps at most 512, so on a mix of regions it
keeps recompiling them, and `number_type` also searches the region twice. On the example numbers of every region, `number_type` took
over ten times as long as `parse` (phonenumbers 9.0.43, CPython 3.11, one run on a
shared 2-core machine). Property tests check that the results are phonenumbers' own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

import phonenumbers
from phonenumbers import (
    PhoneMetadata,
    PhoneNumberDesc,
    PhoneNumberType,
)

from domain.countries import find_country
from domain.type_patterns import number_type

# Access codes people write in front of a country code, most widely used first:
# 00 (ITU recommendation, most of the world), 011 (North America), 0011 (Australia),
# 001 (several carriers in Asia) and 010 (Japan).
COMMON_ACCESS_CODES = ("00", "011", "0011", "001", "010")

MAX_E164_DIGITS = 15
# A national number this long fits E.164 after any country code, of 1 to 3 digits.
_LONGEST_NATIONAL_WITHOUT_CHECK = MAX_E164_DIGITS - 3

_PLAIN_TYPES = {
    PhoneNumberType.FIXED_LINE: "landline",
    PhoneNumberType.MOBILE: "mobile",
    PhoneNumberType.FIXED_LINE_OR_MOBILE: "landline or mobile",
    PhoneNumberType.TOLL_FREE: "toll-free",
    PhoneNumberType.PREMIUM_RATE: "premium rate",
    PhoneNumberType.SHARED_COST: "shared cost",
    PhoneNumberType.VOIP: "VoIP",
    PhoneNumberType.PERSONAL_NUMBER: "personal number",
    PhoneNumberType.PAGER: "pager",
    PhoneNumberType.UAN: "company number (UAN)",
    PhoneNumberType.VOICEMAIL: "voicemail access",
}


def plain_type(number_type: int) -> str | None:
    """Return a PhoneNumberType in plain words, such as `mobile`; None for UNKNOWN."""
    return _PLAIN_TYPES.get(number_type)


def country_label(region: str) -> str:
    """Return a region's English name with its code, such as `United Kingdom (GB)`.

    A region without an English name in phonenumbers' data, such as XK, is its code.
    """
    name = find_country(region).name
    return region if name == region else f"{name} ({region})"


class InternationalNumber(NamedTuple):
    """Digits read as country code + national number, checked against the metadata.

    `typed_national` is the digits after the country code as given. `national` is the
    national significant number: phonenumbers' `parse` removes a trunk prefix or
    applies a national rule to get it, as in +44 0114... or +54 11 15....
    """

    country_code: int
    typed_national: str
    national: str
    region: str | None
    number_type: int
    carrier_code: str = ""

    @property
    def e164(self) -> str:
        return f"{self.country_code}{self.national}"

    @property
    def is_valid(self) -> bool:
        return self.number_type != PhoneNumberType.UNKNOWN

    @property
    def is_geographic_region(self) -> bool:
        return self.region is not None and self.region.isalpha()


@dataclass(frozen=True)
class Unreadable:
    """Digits that start with no country code, or hold nothing else, with why."""

    reason: str


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


@cache
def metadata_for_country_code(country_code: int) -> PhoneMetadata | None:
    """Return the metadata phonenumbers parses a country code's numbers with."""
    region = phonenumbers.region_code_for_country_code(country_code)
    return PhoneMetadata.metadata_for_region_or_calling_code(country_code, region)


@cache
def _regions_with_metadata(country_code: int) -> tuple[tuple[str, PhoneMetadata], ...]:
    regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(country_code, ())
    pairs = []
    for region in regions:
        metadata = PhoneMetadata.metadata_for_region_or_calling_code(
            country_code, region
        )
        if metadata is not None:
            pairs.append((region, metadata))
    return tuple(pairs)


# Any exchange and line number that the landline and mobile patterns of the North
# American regions accept after an area code in service: 234-5678.
_NANP_SAMPLE_SUBSCRIBER = "2345678"


@cache
def nanp_geographic_region(area_code: str) -> str | None:
    """Return the region of a North American area code of landlines and mobiles.

    Returns None when no region uses the area code for landlines or mobiles, such
    as 911, 555 or the toll-free 800. Regions other than the US and Canada name
    their area codes in the metadata, and for those two the landline and mobile
    patterns list them.
    """
    for region, metadata in _regions_with_metadata(1):
        if metadata.leading_digits:
            if _compiled(metadata.leading_digits).match(area_code):
                return region
            continue
        sample = area_code + _NANP_SAMPLE_SUBSCRIBER
        if _fits_pattern(sample, metadata.fixed_line) or _fits_pattern(
            sample, metadata.mobile
        ):
            return region
    return None


def classify(country_code: int, national: str) -> tuple[str | None, int]:
    """Return the region and PhoneNumberType of a number, as phonenumbers finds them.

    The region is None when no region of the country code accepts the number; it is
    "001" for non-geographic codes such as +800.
    """
    regions = _regions_with_metadata(country_code)
    if len(regions) == 1:
        region, metadata = regions[0]
        return region, number_type(metadata, national)

    # As phonenumbers: the first region whose leading digits start the number, or
    # without leading digits, whose patterns accept it.
    for leading_digits, members in _region_steps(country_code):
        if leading_digits is None:
            region, metadata = members[0]
            found_type = number_type(metadata, national)
            if found_type != PhoneNumberType.UNKNOWN:
                return region, found_type
            continue
        match = leading_digits.match(national)
        if match is not None and match.lastindex is not None:
            region, metadata = members[match.lastindex - 1]
            return region, number_type(metadata, national)
    return None, PhoneNumberType.UNKNOWN


_RegionStep = tuple[re.Pattern[str] | None, tuple[tuple[str, PhoneMetadata], ...]]


@cache
def _region_steps(country_code: int) -> tuple[_RegionStep, ...]:
    """Group a shared country code's regions into the steps `classify` takes.

    A region without leading digits is a step alone (None, its region). Regions in
    a row that have them are one step: a pattern whose group i + 1 is the leading
    digits of the i-th region. The regex engine tries the groups in order, so the
    group that matches is the first region that would. The +1 regions take 4 steps
    instead of 25.
    """
    steps: list[_RegionStep] = []
    run: list[tuple[str, PhoneMetadata]] = []
    for region, metadata in _regions_with_metadata(country_code):
        if metadata.leading_digits is not None:
            run.append((region, metadata))
            continue
        if run:
            steps.append(_leading_digits_step(run))
            run = []
        steps.append((None, ((region, metadata),)))
    if run:
        steps.append(_leading_digits_step(run))
    return tuple(steps)


def _leading_digits_step(run: list[tuple[str, PhoneMetadata]]) -> _RegionStep:
    patterns = [str(metadata.leading_digits) for _, metadata in run]
    for pattern in patterns:
        if re.compile(pattern).groups:
            raise ValueError(f"The leading digits {pattern!r} have a capturing group.")
    return re.compile("|".join(f"({pattern})" for pattern in patterns)), tuple(run)


_COUNTRY_CODES = {str(code): code for code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE}
MAX_COUNTRY_CODE_DIGITS = 3


def split_country_code(digits: str) -> tuple[int, str] | None:
    """Split ASCII digits that start with a country code into (code, rest), else None.

    Country codes are prefix-free (ITU-T E.164), so at most one of the first 1, 2 or
    3 digits is a code.
    """
    first_digits = digits[:MAX_COUNTRY_CODE_DIGITS]
    if first_digits in _CODE_BY_FIRST_DIGITS:
        found = _CODE_BY_FIRST_DIGITS[first_digits]
    else:
        # Fewer than three digits, or not digits only.
        found = _leading_country_code(digits)
    return None if found is None else (found[0], digits[found[1] :])


def _leading_country_code(digits: str) -> tuple[int, int] | None:
    """Return the country code that `digits` start with and its length, else None."""
    for length in range(1, MAX_COUNTRY_CODE_DIGITS + 1):
        code = _COUNTRY_CODES.get(digits[:length])
        if code is not None:
            return code, length
    return None


def _codes_by_first_digits() -> dict[str, tuple[int, int] | None]:
    """Map every three digits to the country code they start with and its length."""
    return {
        first: _leading_country_code(first)
        for first in (
            f"{number:0{MAX_COUNTRY_CODE_DIGITS}d}"
            for number in range(10**MAX_COUNTRY_CODE_DIGITS)
        )
    }


# One lookup instead of up to three in `split_country_code`, which every reading of
# a number calls.
_CODE_BY_FIRST_DIGITS = _codes_by_first_digits()


def read_international(digits: str) -> InternationalNumber | Unreadable:
    """Read ASCII digits that start with a country code, as if written after a +."""
    split = split_country_code(digits)
    if split is None:
        return Unreadable(_no_country_code_reason(digits))
    country_code, typed_national = split
    if not typed_national:
        return Unreadable(
            f"+{digits} is only the country code {country_code}, with no number "
            "after it."
        )
    if len(typed_national) == 1:
        return Unreadable(
            f"+{digits} has only 1 digit after the country code {country_code}, too "
            "few for a phone number."
        )

    national, carrier_code = typed_national, ""
    metadata, prefix_pattern = _prefix_rules(country_code)
    # Most numbers start with no national prefix, and then keep every digit.
    has_prefix = prefix_pattern is not None and prefix_pattern.match(typed_national)
    if metadata is not None and has_prefix:
        national, carrier_code = _strip_national_prefix(typed_national, metadata)
    region, number_type = classify(country_code, national)
    # phonenumbers accepts some longer numbers, such as Germany's 17-digit ones.
    if len(national) > _LONGEST_NATIONAL_WITHOUT_CHECK:
        total_digits = len(str(country_code)) + len(national)
        if total_digits > MAX_E164_DIGITS and number_type != PhoneNumberType.UNKNOWN:
            return Unreadable(
                f"+{country_code} {national} has {total_digits} digits, more than "
                f"the {MAX_E164_DIGITS} that E.164 allows for a whole number."
            )
    return InternationalNumber(
        country_code, typed_national, national, region, number_type, carrier_code
    )


def _strip_national_prefix(number: str, metadata: PhoneMetadata) -> tuple[str, str]:
    """Remove a trunk prefix or carrier code as phonenumbers' `parse` does.

    Returns the national number and the carrier code removed, if any. The prefix
    stays when removing it would turn a number matching the general pattern into one
    that does not, or leave a length phonenumbers does not accept there (too short,
    or used only for local dialling).
    """
    pattern = _national_prefix_pattern(metadata)
    match = pattern.match(number) if pattern is not None else None
    if pattern is None or match is None:
        return number, ""

    general = metadata.general_desc
    groups = match.groups()
    transform = metadata.national_prefix_transform_rule
    if transform and groups and groups[-1] is not None:
        stripped = pattern.sub(transform, number, count=1)
        carrier_code = (match.group(1) or "") if len(groups) > 1 else ""
    else:
        stripped = number[match.end() :]
        carrier_code = (match.group(1) or "") if groups else ""

    if _fits_pattern(number, general) and not _fits_pattern(stripped, general):
        return number, ""
    if not _long_enough(stripped, general):
        return number, ""
    return stripped, carrier_code


def may_be_national(digits: str, country_code: int) -> bool:
    """Tell cheaply whether `digits` may be a national number for a country code.

    False means no national reading of them can be valid: they do not start like a
    national prefix, and no number there has their length.
    """
    metadata = metadata_for_country_code(country_code)
    if metadata is None:
        return False
    pattern = _national_prefix_pattern(metadata)
    if pattern is not None and pattern.match(digits):
        return True
    return len(digits) in _lengths_of_any_region(country_code)


@cache
def _lengths_of_any_region(country_code: int) -> frozenset[int]:
    # Regions that share a code may differ: Canada allows 7 digits, the US does not.
    lengths: set[int] = set()
    for _, metadata in _regions_with_metadata(country_code):
        if metadata.general_desc is not None:
            lengths.update(metadata.general_desc.possible_length)
    return frozenset(lengths)


@cache
def _prefix_rules(
    country_code: int,
) -> tuple[PhoneMetadata | None, re.Pattern[str] | None]:
    """Return the metadata of a country code and its national prefix pattern."""
    metadata = metadata_for_country_code(country_code)
    if metadata is None:
        return None, None
    return metadata, _national_prefix_pattern(metadata)


def _national_prefix_pattern(metadata: PhoneMetadata) -> re.Pattern[str] | None:
    prefix = metadata.national_prefix_for_parsing
    return _compiled(prefix) if prefix else None


def _fits_pattern(national: str, description: PhoneNumberDesc | None) -> bool:
    if description is None or not description.national_number_pattern:
        return False
    return (
        _compiled(description.national_number_pattern).fullmatch(national) is not None
    )


def _long_enough(national: str, general: PhoneNumberDesc | None) -> bool:
    """Tell whether phonenumbers would keep `national` after removing a prefix.

    It keeps a number of a possible length or longer than any, but not one too short
    or of a length that is only dialled locally.
    """
    if general is None or not general.possible_length:
        return False
    lengths = general.possible_length
    length = len(national)
    if lengths[0] == -1 or length in general.possible_length_local_only:
        return False
    return length == lengths[0] or length > lengths[-1] or length in lengths


def _no_country_code_reason(digits: str) -> str:
    if digits.startswith("0"):
        return (
            f"{digits} starts with 0, and no country code starts with 0: it is a "
            "national number or has an unknown access code."
        )
    return f"{digits} does not start with a known country code."


@cache
def international_prefix_pattern(region: str) -> re.Pattern[str] | None:
    """Return the pattern of the international access codes dialled in `region`."""
    metadata = PhoneMetadata.metadata_for_region(region)
    if metadata is None or not metadata.international_prefix:
        return None
    return re.compile(metadata.international_prefix)


@cache
def trunk_prefix(region: str) -> tuple[str, int] | None:
    """Return the trunk prefix of `region`, such as 0, and its shortest number.

    The shortest number counts the digits after the prefix. None means that the
    region's numbers have no trunk prefix.
    """
    metadata = PhoneMetadata.metadata_for_region(region)
    if metadata is None or not metadata.national_prefix:
        return None
    general = metadata.general_desc
    lengths = general.possible_length if general is not None else ()
    return metadata.national_prefix, min(lengths, default=1)


def region_access_code(digits: str, region: str) -> str | None:
    """Return the start of `digits` that is `region`'s international access code.

    The code counts only when a country code can follow it, that is when the next
    digit is not 0 (phonenumbers applies the same rule).
    """
    pattern = international_prefix_pattern(region)
    if pattern is None:
        return None
    match = pattern.match(digits)
    if match is None or digits[match.end() : match.end() + 1] in ("", "0"):
        return None
    return match.group(0)


@cache
def possible_lengths(country_code: int) -> tuple[int, ...]:
    """Return the lengths a national number with this country code may have."""
    metadata = metadata_for_country_code(country_code)
    if metadata is None or metadata.general_desc is None:
        return ()
    return tuple(sorted(set(metadata.general_desc.possible_length)))
