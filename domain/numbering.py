"""Reading digits as an international number with phonenumbers' metadata.

`read_international` is the one place that turns "country code + national digits"
into a checked number. It matches the metadata's patterns itself, in the order
phonenumbers' `number_type` uses, because `number_type` searches the region twice
(once in `region_code_for_number`) and recompiles patterns once the `re` module's
cache of 512 patterns is full: together about three times the cost of a parse on
a mix of regions (measured with phonenumbers 9.0.43, CPython 3.11). Tests compare
both functions on every example number phonenumbers has.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import phonenumbers
from phonenumbers import (
    NumberParseException,
    PhoneMetadata,
    PhoneNumberDesc,
    PhoneNumberType,
)

from domain.countries import find_country

# Access codes people write in front of a country code, most widely used first:
# 00 (ITU recommendation, most of the world), 011 (North America), 0011 (Australia),
# 001 (several carriers in Asia) and 010 (Japan).
COMMON_ACCESS_CODES = ("00", "011", "0011", "001", "010")

MAX_E164_DIGITS = 15

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

_SPECIAL_TYPES = (
    ("premium_rate", PhoneNumberType.PREMIUM_RATE),
    ("toll_free", PhoneNumberType.TOLL_FREE),
    ("shared_cost", PhoneNumberType.SHARED_COST),
    ("voip", PhoneNumberType.VOIP),
    ("personal_number", PhoneNumberType.PERSONAL_NUMBER),
    ("pager", PhoneNumberType.PAGER),
    ("uan", PhoneNumberType.UAN),
    ("voicemail", PhoneNumberType.VOICEMAIL),
)


def plain_type(number_type: int) -> str | None:
    """Return a PhoneNumberType in plain words, such as `mobile`; None for UNKNOWN."""
    return _PLAIN_TYPES.get(number_type)


def country_label(region: str) -> str:
    """Return a region's English name with its code, such as `United Kingdom (GB)`."""
    return f"{find_country(region).name} ({region})"


@dataclass(frozen=True)
class InternationalNumber:
    """Digits read as country code + national number, checked against the metadata.

    `typed_national` is the digits after the country code as given; `national` is the
    national significant number after phonenumbers removed a trunk prefix or applied
    a national rule (they differ for +44 0114..., +54 11 15...).
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
    """Digits that no country code fits, or that phonenumbers rejects, with why."""

    reason: str


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _matches(national: str, description: PhoneNumberDesc | None) -> bool:
    if description is None or not description.national_number_pattern:
        return False
    lengths = description.possible_length
    if lengths and len(national) not in lengths:
        return False
    return (
        _compiled(description.national_number_pattern).fullmatch(national) is not None
    )


def number_type_in(national: str, metadata: PhoneMetadata) -> int:
    """Return the PhoneNumberType of a national number in one region's metadata."""
    if not _matches(national, metadata.general_desc):
        return PhoneNumberType.UNKNOWN

    for field, number_type in _SPECIAL_TYPES:
        if _matches(national, getattr(metadata, field)):
            return number_type

    if _matches(national, metadata.fixed_line):
        if metadata.same_mobile_and_fixed_line_pattern or _matches(
            national, metadata.mobile
        ):
            return PhoneNumberType.FIXED_LINE_OR_MOBILE
        return PhoneNumberType.FIXED_LINE

    if not metadata.same_mobile_and_fixed_line_pattern and _matches(
        national, metadata.mobile
    ):
        return PhoneNumberType.MOBILE
    return PhoneNumberType.UNKNOWN


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


def classify(country_code: int, national: str) -> tuple[str | None, int]:
    """Return the region and PhoneNumberType of a number, as phonenumbers finds them.

    The region is None when no region of the country code accepts the number; it is
    "001" for non-geographic codes such as +800.
    """
    regions = _regions_with_metadata(country_code)
    if len(regions) == 1:
        region, metadata = regions[0]
        return region, number_type_in(national, metadata)

    for region, metadata in regions:
        if metadata.leading_digits is not None:
            if _compiled(metadata.leading_digits).match(national):
                return region, number_type_in(national, metadata)
            continue
        number_type = number_type_in(national, metadata)
        if number_type != PhoneNumberType.UNKNOWN:
            return region, number_type
    return None, PhoneNumberType.UNKNOWN


def split_country_code(digits: str) -> tuple[int, str] | None:
    """Split digits that start with a country code into (code, rest), else None."""
    if not digits or digits[0] == "0":
        return None
    for length in (1, 2, 3):
        code = int(digits[:length])
        if code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
            return code, digits[length:]
    return None


@cache
def _national_prefix_pattern(country_code: int) -> re.Pattern[str] | None:
    metadata = metadata_for_country_code(country_code)
    if metadata is None or not metadata.national_prefix_for_parsing:
        return None
    return re.compile(metadata.national_prefix_for_parsing)


def read_international(digits: str) -> InternationalNumber | Unreadable:
    """Read ASCII digits that start with a country code, as if written after a +."""
    split = split_country_code(digits)
    if split is None:
        return Unreadable(_no_country_code_reason(digits))
    country_code, typed_national = split
    if len(typed_national) < 2:
        return Unreadable(
            f"+{digits} is only the country code {country_code}, with no number "
            "after it."
        )

    prefix = _national_prefix_pattern(country_code)
    if prefix is not None and prefix.match(typed_national):
        return _read_with_phonenumbers(digits, country_code, typed_national)

    region, number_type = classify(country_code, typed_national)
    return InternationalNumber(
        country_code, typed_national, typed_national, region, number_type
    )


def _read_with_phonenumbers(
    digits: str, country_code: int, typed_national: str
) -> InternationalNumber | Unreadable:
    # The national digits start like a trunk prefix or carrier code: phonenumbers
    # decides whether to remove it (only when the rest is still a possible number).
    try:
        parsed = phonenumbers.parse("+" + digits, keep_raw_input=True)
    except NumberParseException:
        return Unreadable(f"+{digits} cannot be read as a phone number.")

    national = phonenumbers.national_significant_number(parsed)
    region, number_type = classify(country_code, national)
    return InternationalNumber(
        country_code,
        typed_national,
        national,
        region,
        number_type,
        parsed.preferred_domestic_carrier_code or "",
    )


def _no_country_code_reason(digits: str) -> str:
    if digits.startswith("0"):
        return (
            f"{digits} starts with 0, and no country code starts with 0: it is a "
            "national number or has an unknown access code."
        )
    return f"{digits} does not start with a known country code."


@cache
def _international_prefix_pattern(region: str) -> re.Pattern[str] | None:
    metadata = PhoneMetadata.metadata_for_region(region)
    if metadata is None or not metadata.international_prefix:
        return None
    return re.compile(metadata.international_prefix)


def region_access_code(digits: str, region: str) -> str | None:
    """Return the start of `digits` that is `region`'s international access code.

    The code counts only when a country code can follow it, that is when the next
    digit is not 0 (phonenumbers applies the same rule).
    """
    pattern = _international_prefix_pattern(region)
    if pattern is None:
        return None
    match = pattern.match(digits)
    if match is None or digits[match.end() : match.end() + 1] in ("", "0"):
        return None
    return match.group(0)


def preferred_access_code(region: str) -> str:
    """Return the access code people in `region` dial before a country code."""
    metadata = PhoneMetadata.metadata_for_region(region)
    if metadata is None:
        return "00"
    preferred = metadata.preferred_international_prefix
    if preferred:
        # A "~" marks a pause for a second dial tone, as in Russia's 8~10.
        return preferred.replace("~", "")
    prefix = metadata.international_prefix or "00"
    return prefix if prefix.isdigit() else "00"


def national_prefix(region: str) -> str | None:
    """Return the trunk prefix written before national numbers in `region`, if any."""
    metadata = PhoneMetadata.metadata_for_region(region)
    return metadata.national_prefix if metadata is not None else None


def possible_lengths(country_code: int) -> tuple[int, ...]:
    """Return the lengths a national number with this country code may have."""
    metadata = metadata_for_country_code(country_code)
    if metadata is None or metadata.general_desc is None:
        return ()
    return tuple(sorted(set(metadata.general_desc.possible_length)))
