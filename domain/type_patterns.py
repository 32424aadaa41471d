"""phonenumbers' number-type rules for one region, compiled into one regex per length.

phonenumbers' `number_type` matches a national number against the region's general
pattern, then each special type's pattern, then fixed line and mobile, each one
only if its possible lengths include the number's length. Python calls cost more
than the matching itself, so `number_type` joins the patterns that apply to one
length into a single regex whose matching group gives the type. The regex engine
tries the alternatives in the same order and keeps the first that matches the whole
number, so the result is phonenumbers' own (phonenumbers 9.0; the property tests
compare them on every example number).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from phonenumbers import PhoneMetadata, PhoneNumberDesc, PhoneNumberType

# The number types phonenumbers tests before fixed-line and mobile, in its order,
# with the name of each one's field in PhoneMetadata.
SPECIAL_TYPES = (
    ("premium_rate", PhoneNumberType.PREMIUM_RATE),
    ("toll_free", PhoneNumberType.TOLL_FREE),
    ("shared_cost", PhoneNumberType.SHARED_COST),
    ("voip", PhoneNumberType.VOIP),
    ("personal_number", PhoneNumberType.PERSONAL_NUMBER),
    ("pager", PhoneNumberType.PAGER),
    ("uan", PhoneNumberType.UAN),
    ("voicemail", PhoneNumberType.VOICEMAIL),
)


@dataclass(frozen=True)
class TypeMatcher:
    """The number types of one region for national numbers of one length.

    `types[i]` is the PhoneNumberType of group i + 1 of `pattern`. A None pattern
    means no number of this length is valid in the region.
    """

    pattern: re.Pattern[str] | None
    types: tuple[int, ...]


# Keyed by id(metadata): phonenumbers loads each region's metadata once and keeps it.
_MATCHERS: dict[tuple[int, int], TypeMatcher] = {}


def number_type(metadata: PhoneMetadata, national: str) -> int:
    """Return the PhoneNumberType that phonenumbers gives `national` in a region."""
    key = (id(metadata), len(national))
    matcher = _MATCHERS.get(key)
    if matcher is None:
        matcher = _build(metadata, len(national))
        _MATCHERS[key] = matcher

    if matcher.pattern is None:
        return PhoneNumberType.UNKNOWN
    match = matcher.pattern.fullmatch(national)
    if match is None or match.lastindex is None:
        return PhoneNumberType.UNKNOWN
    return matcher.types[match.lastindex - 1]


def _build(metadata: PhoneMetadata, length: int) -> TypeMatcher:
    general = _applicable(metadata.general_desc, length)
    if general is None:
        return TypeMatcher(None, ())

    alternatives: list[tuple[str, int]] = []
    for field, number_type in SPECIAL_TYPES:
        special = _applicable(getattr(metadata, field), length)
        if special is not None:
            alternatives.append((special, number_type))
    alternatives += _fixed_line_and_mobile(metadata, length)
    if not alternatives:
        return TypeMatcher(None, ())

    # The lookahead makes the general pattern match the whole number first.
    groups = "|".join(f"({pattern})" for pattern, _ in alternatives)
    pattern = re.compile(f"(?=(?:{general})\\Z)(?:{groups})")
    return TypeMatcher(pattern, tuple(number_type for _, number_type in alternatives))


def _fixed_line_and_mobile(
    metadata: PhoneMetadata, length: int
) -> list[tuple[str, int]]:
    """Return the fixed-line and mobile alternatives in phonenumbers' order.

    A number that matches both patterns, or the fixed-line one of a region whose
    two patterns are the same, is FIXED_LINE_OR_MOBILE.
    """
    fixed_line = _applicable(metadata.fixed_line, length)
    mobile = _applicable(metadata.mobile, length)
    if metadata.same_mobile_and_fixed_line_pattern:
        if fixed_line is None:
            return []
        return [(fixed_line, PhoneNumberType.FIXED_LINE_OR_MOBILE)]

    alternatives = []
    if fixed_line is not None and mobile is not None:
        both = f"(?=(?:{mobile})\\Z)(?:{fixed_line})"
        alternatives.append((both, PhoneNumberType.FIXED_LINE_OR_MOBILE))
    if fixed_line is not None:
        alternatives.append((fixed_line, PhoneNumberType.FIXED_LINE))
    if mobile is not None:
        alternatives.append((mobile, PhoneNumberType.MOBILE))
    return alternatives


def _applicable(description: PhoneNumberDesc | None, length: int) -> str | None:
    """Return a description's pattern if a number of `length` may match it, else None.

    A description without possible lengths allows every length, as in phonenumbers.
    The patterns must have no capturing groups, because the groups tell the types
    apart: phonenumbers 9.0's metadata has none.
    """
    if description is None or not description.national_number_pattern:
        return None
    lengths = description.possible_length
    if lengths and length not in lengths:
        return None
    pattern = description.national_number_pattern
    if re.compile(pattern).groups:
        raise ValueError(f"The number pattern {pattern!r} has a capturing group.")
    return pattern
