"""Vonage form of a phone number: E.164 digits with the country code first and no +.

`vonage_format` reads a caller ID as it arrives (typed, exported, a SIP header, a
webhook value) and says whether it is already in Vonage form, which number it most
likely is, that the caller hid their number, or why it is no number at all. Every
change it makes to recover a number is listed in words for the user.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

import phonenumbers
from phonenumbers import CountryCodeSource, NumberParseException, PhoneMetadata

from domain.dialstring import DialString, NotANumber, read_dial_string
from domain.numbering import (
    COMMON_ACCESS_CODES,
    MAX_E164_DIGITS,
    InternationalNumber,
    Unreadable,
    classify,
    country_label,
    metadata_for_country_code,
    number_type_in,
    plain_type,
    possible_lengths,
    read_international,
    region_access_code,
)
from domain.plan_changes import plan_changes
from domain.reserved import ReservedRange, reserved_range
from domain.withheld import keypad_word

__all__ = ["FormatResult", "FormatStatus", "Reading", "vonage_format"]


class FormatStatus(StrEnum):
    """How a caller ID relates to the Vonage form."""

    VALID = "valid"
    FIXED = "fixed"
    WITHHELD = "withheld"
    INVALID = "invalid"


@dataclass(frozen=True)
class Reading:
    """Another number the same input could be, with how it was read that way."""

    e164: str
    explanation: str


@dataclass(frozen=True)
class FormatResult:
    """The outcome of `vonage_format` for one input.

    `e164` is the recovered number in Vonage form (digits, no +), or None when no
    number was recovered. `changes` lists each edit in plain words; `reason` says why
    the input is withheld or invalid; `notes` add facts such as a number being in a
    range reserved for fiction. `country` is an ISO 3166 region code and
    `number_type` a plain word such as "mobile".
    """

    input: str
    status: FormatStatus
    e164: str | None
    changes: tuple[str, ...]
    reason: str | None
    notes: tuple[str, ...]
    country: str | None
    number_type: str | None
    alternatives: tuple[Reading, ...] = ()


# Input that is already digits with an optional +: the common case, read without
# cleaning. Vonage form has 7 to 15 digits and no leading zero.
_CLEAN = re.compile(r"\+?([1-9]\d{6,14})")

_ASCENDING = "01234567890123456789"
_DESCENDING = "98765432109876543210"
_MIN_PLACEHOLDER_RUN = 6
_MIN_DIGITS = 3
# E.164's 15 digits plus the longest access code in common use (0011).
_MAX_DIGITS = MAX_E164_DIGITS + 4


@dataclass(frozen=True)
class _Candidate:
    """One way to read the digits, with the edits it implies and why to prefer it."""

    number: InternationalNumber
    changes: tuple[str, ...]
    explanation: str
    preference: str
    reserved: ReservedRange | None = None

    @property
    def is_valid(self) -> bool:
        return self.number.is_valid or self.reserved is not None


def vonage_format(raw: str, region: str | None = None) -> FormatResult:
    """Read `raw` as a phone number and return it in Vonage form, with what changed.

    `region` (ISO 3166 alpha-2, any case) is the country a national number was
    written in, such as GB for `020 7946 0000`. Without it, input without a country
    code is invalid.
    """
    if region is not None:
        region = region.strip().upper() or None
    if region is not None and region not in phonenumbers.SUPPORTED_REGIONS:
        return _invalid(
            raw,
            f"The region {region!r} is not a known ISO 3166 region code: use a code "
            "such as US or GB.",
        )

    clean = _CLEAN.fullmatch(raw)
    if clean is not None:
        result = _format_clean(raw, clean[1], region)
        if result is not None:
            return result
    return _format_text(raw, region)


def _format_clean(raw: str, digits: str, region: str | None) -> FormatResult | None:
    """Format digits with an optional +, or return None to take the general path."""
    if keypad_word(digits) is not None or _placeholder(digits) is not None:
        return None

    number = read_international(digits)
    if isinstance(number, Unreadable) or not number.is_valid:
        return None
    if number.national != number.typed_national:
        return None

    has_plus = raw.startswith("+")
    if (
        not has_plus
        and region is not None
        and _region_may_read_differently(digits, region)
    ):
        return None

    changes = ("removed the +",) if has_plus else ()
    candidate = _Candidate(number, changes, "", "", reserved_range(number.e164))
    return _accepted(raw, candidate, (), [])


def _region_may_read_differently(digits: str, region: str) -> bool:
    """Tell whether phonenumbers could read `digits` as another number in `region`."""
    if region_access_code(digits, region) is not None:
        return True
    metadata = PhoneMetadata.metadata_for_region(region)
    if metadata is None:
        return False
    prefix = metadata.national_prefix_for_parsing
    if prefix and re.match(prefix, digits):
        return True
    return bool(
        number_type_in(digits, metadata) != phonenumbers.PhoneNumberType.UNKNOWN
    )


def _format_text(raw: str, region: str | None) -> FormatResult:
    dial = read_dial_string(raw)
    if isinstance(dial, NotANumber):
        if dial.withheld:
            return _withheld(raw, dial.reason)
        return _invalid(raw, dial.reason)

    rejection = _reject_non_number(raw, dial, region)
    if rejection is not None:
        return rejection

    candidates, failures = _candidates(dial, region)
    valid = _unique_valid(candidates)
    if not valid:
        return _invalid(raw, _invalid_reason(dial, region, candidates, failures))

    chosen, *others = valid
    alternatives = [Reading(other.number.e164, other.explanation) for other in others]
    return _accepted(raw, chosen, dial.changes, alternatives)


def _reject_non_number(
    raw: str, dial: DialString, region: str | None
) -> FormatResult | None:
    digits = dial.digits
    shown = raw.strip()

    word = keypad_word(digits)
    if word is not None:
        return _withheld(
            raw,
            f"{shown} spells {word.upper()} on a phone keypad, which networks send "
            "when the caller hid their number.",
        )
    if not digits:
        return _invalid(raw, f"The caller ID {shown!r} contains no digits.")

    placeholder = _placeholder(digits)
    if placeholder is not None:
        return _invalid(
            raw, f"{shown} is a placeholder ({placeholder}), not a phone number."
        )

    access_code = _bare_access_code(digits, region)
    if access_code is not None:
        return _invalid(
            raw,
            f"{shown} is only the international access code {access_code}, with no "
            "number after it.",
        )
    if len(digits) < _MIN_DIGITS:
        return _invalid(
            raw,
            f"{shown} has only {len(digits)} digits after cleaning, too few for a "
            "phone number.",
        )
    if len(digits) > _MAX_DIGITS:
        return _invalid(
            raw,
            f"{shown} has {len(digits)} digits after cleaning, but a phone number has "
            f"at most {MAX_E164_DIGITS} after its access code.",
        )
    return None


def _placeholder(digits: str) -> str | None:
    if not digits:
        return None
    if digits.count(digits[0]) == len(digits):
        if digits[0] == "0":
            return "all zeros"
        if len(digits) >= _MIN_PLACEHOLDER_RUN:
            return f"every digit is {digits[0]}"
    if len(digits) >= _MIN_PLACEHOLDER_RUN and (
        digits in _ASCENDING or digits in _DESCENDING
    ):
        return "the digits count in order"
    return None


def _bare_access_code(digits: str, region: str | None) -> str | None:
    if digits in COMMON_ACCESS_CODES:
        return digits
    if region is not None:
        metadata = PhoneMetadata.metadata_for_region(region)
        prefix = metadata.international_prefix if metadata is not None else None
        if prefix and re.fullmatch(prefix, digits):
            return digits
    return None


def _candidates(
    dial: DialString, region: str | None
) -> tuple[list[_Candidate], list[str]]:
    """List the readings of the digits, most likely first, and why others failed."""
    candidates: list[_Candidate] = []
    failures: list[str] = []

    def add(candidate: _Candidate | str | None) -> None:
        if isinstance(candidate, str):
            failures.append(candidate)
        elif candidate is not None:
            candidates.append(_apply_plan_changes(candidate))

    if dial.plus and not dial.digits.startswith("0"):
        add(_with_plus(dial.digits))
        return candidates, failures

    if dial.plus:
        for code in _access_codes_for(region):
            add(_after_access_code(dial.digits, code, region, behind_plus=True))
        if region is not None:
            add(_stray_plus(dial.digits, region))
        return candidates, failures

    if region is not None:
        add(_region_reading(dial.digits, region))
    if not dial.digits.startswith("0"):
        add(_vonage_reading(dial.digits))
    for code in _access_codes_for(region):
        add(_after_access_code(dial.digits, code, region, behind_plus=False))
    if region is not None:
        add(_trunk_reading(dial.digits, region))
    return candidates, failures


def _access_codes_for(region: str | None) -> list[str]:
    codes = list(COMMON_ACCESS_CODES)
    if region is not None:
        metadata = PhoneMetadata.metadata_for_region(region)
        own = metadata.international_prefix if metadata is not None else None
        if own and own.isdigit():
            codes = [own, *(code for code in codes if code != own)]
    return codes


def _with_plus(digits: str) -> _Candidate | str:
    number = read_international(digits)
    if isinstance(number, Unreadable):
        return number.reason
    changes = ("removed the +", *_prefix_changes(number, after_country_code=True))
    return _candidate(
        number,
        changes,
        "read the digits after the + as country code and number",
        "the number starts with +",
    )


def _after_access_code(
    digits: str, code: str, region: str | None, behind_plus: bool
) -> _Candidate | str | None:
    rest = digits[len(code) :]
    if not digits.startswith(code) or not rest or rest.startswith("0"):
        return None
    number = read_international(rest)
    if isinstance(number, Unreadable):
        return number.reason

    where = " written after the +" if behind_plus else ""
    changes = (
        f"removed the international access code {code}{where}",
        *_prefix_changes(number, after_country_code=True),
    )
    if region is not None and code == region_access_code(digits, region):
        explanation = f"read {code} as the international access code of {region}"
        preference = f"{code} is how callers in {region}, the region given, dial abroad"
    else:
        explanation = f"read {code} as an international access code"
        preference = (
            f"{code} is the most widely used access code that gives a valid number"
        )
    return _candidate(number, changes, explanation, preference)


def _stray_plus(digits: str, region: str) -> _Candidate | str | None:
    reading = _region_reading(digits, region)
    if not isinstance(reading, _Candidate):
        return reading
    return _Candidate(
        reading.number,
        ("removed the + in front of a national number", *reading.changes),
        f"read the digits after the + as a national number of {region}",
        f"no country code starts with 0, and the region given is {region}",
        reading.reserved,
    )


def _vonage_reading(digits: str) -> _Candidate | str:
    number = read_international(digits)
    if isinstance(number, Unreadable):
        return number.reason
    return _candidate(
        number,
        tuple(_prefix_changes(number, after_country_code=True)),
        "read the digits as a number with its country code first",
        "Vonage writes every number with its country code first",
    )


def _region_reading(digits: str, region: str) -> _Candidate | str:
    """Read the digits as phonenumbers does with `region` as the default region."""
    try:
        parsed = phonenumbers.parse(digits, region, keep_raw_input=True)
    except NumberParseException:
        return f"{digits} cannot be read as a phone number of {country_label(region)}."

    country_code = parsed.country_code
    if country_code is None:
        return f"{digits} cannot be read as a phone number of {country_label(region)}."
    national = phonenumbers.national_significant_number(parsed)
    source = parsed.country_code_source
    code_text = str(country_code)

    if source == CountryCodeSource.FROM_NUMBER_WITH_IDD:
        access_code = region_access_code(digits, region) or ""
        return _after_access_code(digits, access_code, region, False) or ""

    number_region, number_type = classify(country_code, national)
    carrier_code = parsed.preferred_domestic_carrier_code or ""
    if source == CountryCodeSource.FROM_NUMBER_WITHOUT_PLUS_SIGN:
        typed = digits[len(code_text) :]
        number = InternationalNumber(
            country_code, typed, national, number_region, number_type, carrier_code
        )
        return _candidate(
            number,
            tuple(_prefix_changes(number, after_country_code=True)),
            f"read {code_text} as the country code of {region}",
            f"the digits start with {code_text}, the country code of {region}, "
            "the region given",
        )

    number = InternationalNumber(
        country_code, digits, national, number_region, number_type, carrier_code
    )
    changes = (
        *_prefix_changes(number, after_country_code=False),
        f"added the country code {code_text} of {region}, the region given",
    )
    return _candidate(
        number,
        changes,
        f"read the digits as a national number of {region}",
        f"the region given is {region}",
    )


def _trunk_reading(digits: str, region: str) -> _Candidate | None:
    """Read a leading 0 (or 8, ...) as `region`'s trunk prefix, for alternatives."""
    metadata = PhoneMetadata.metadata_for_region(region)
    trunk = metadata.national_prefix if metadata is not None else None
    if not trunk or not digits.startswith(trunk) or metadata is None:
        return None
    code_text = str(metadata.country_code)
    number = read_international(code_text + digits)
    if isinstance(number, Unreadable):
        return None
    changes = (
        f"removed the trunk prefix {trunk}",
        f"added the country code {code_text} of {region}, the region given",
    )
    return _candidate(
        number,
        changes,
        f"read {trunk} as the trunk prefix of {region}",
        f"the region given is {region}",
    )


def _candidate(
    number: InternationalNumber,
    changes: tuple[str, ...],
    explanation: str,
    preference: str,
) -> _Candidate:
    return _Candidate(
        number, changes, explanation, preference, reserved_range(number.e164)
    )


def _apply_plan_changes(candidate: _Candidate) -> _Candidate:
    """Rewrite an invalid number from an old national plan into today's, if one fits."""
    if candidate.is_valid:
        return candidate
    number = candidate.number
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
            return _Candidate(
                rewritten,
                (*candidate.changes, change.rule),
                candidate.explanation,
                candidate.preference,
                reserved_range(rewritten.e164),
            )
    return candidate


def _prefix_changes(number: InternationalNumber, after_country_code: bool) -> list[str]:
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
    return [f"removed the national prefix {removed}{where}"]


def _unique_valid(candidates: list[_Candidate]) -> list[_Candidate]:
    seen: set[str] = set()
    valid = []
    for candidate in candidates:
        e164 = candidate.number.e164
        if candidate.is_valid and e164 not in seen:
            seen.add(e164)
            valid.append(candidate)
    return valid


def _invalid_reason(
    dial: DialString,
    region: str | None,
    candidates: list[_Candidate],
    failures: list[str],
) -> str:
    digits = dial.digits
    if candidates:
        reason = _number_reason(candidates[0].number)
    elif failures:
        reason = failures[0]
    else:
        reason = f"{digits} cannot be read as a phone number."

    if dial.plus or region is not None:
        return reason
    if dial.context_domain is not None:
        return (
            f"{reason} Its phone-context {dial.context_domain} is a domain, which "
            "names no country: give the region the number belongs to."
        )
    return (
        f"{reason} It has no + and no region was given, so it cannot be read as a "
        "national number: add the country code or give the region."
    )


def _number_reason(number: InternationalNumber) -> str:
    code = number.country_code
    regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(code, ())
    place = (
        country_label(regions[0])
        if len(regions) == 1 and regions[0].isalpha()
        else f"country code +{code}"
    )
    length = len(number.national)
    lengths = possible_lengths(code)
    digits_text = f"{length} digits after the country code {code}"
    if lengths and length < lengths[0]:
        return (
            f"{number.e164} is too short for {place}: it has {digits_text}, and "
            f"numbers there have {_lengths_text(lengths)}."
        )
    if lengths and length > lengths[-1]:
        return (
            f"{number.e164} is too long for {place}: it has {digits_text}, and "
            f"numbers there have {_lengths_text(lengths)}."
        )
    return f"{number.e164} is not a valid number for {place}: no range in use there matches it."


def _lengths_text(lengths: tuple[int, ...]) -> str:
    if len(lengths) == 1:
        return f"{lengths[0]} digits"
    return f"{lengths[0]} to {lengths[-1]} digits"


def _accepted(
    raw: str,
    candidate: _Candidate,
    cleaning: tuple[str, ...],
    alternatives: list[Reading],
) -> FormatResult:
    number = candidate.number
    reserved = candidate.reserved
    e164 = number.e164
    status = FormatStatus.VALID if raw == e164 else FormatStatus.FIXED

    changes = [*cleaning, *candidate.changes]
    notes: list[str] = []
    if alternatives:
        choice = f"chose to {candidate.explanation} because {candidate.preference}"
        (changes if status is FormatStatus.FIXED else notes).append(choice)
    if reserved is not None:
        notes.append(reserved.note(e164))

    country = number.region if number.is_geographic_region else None
    number_type = plain_type(number.number_type)
    if not number.is_valid and reserved is not None:
        country, number_type = reserved.country, reserved.number_type

    return FormatResult(
        input=raw,
        status=status,
        e164=e164,
        changes=tuple(changes) if status is FormatStatus.FIXED else (),
        reason=None,
        notes=tuple(notes),
        country=country,
        number_type=number_type,
        alternatives=tuple(alternatives),
    )


def _withheld(raw: str, reason: str) -> FormatResult:
    return FormatResult(raw, FormatStatus.WITHHELD, None, (), reason, (), None, None)


def _invalid(raw: str, reason: str) -> FormatResult:
    return FormatResult(raw, FormatStatus.INVALID, None, (), reason, (), None, None)
