"""Vonage form of a phone number: E.164 digits with the country code first and no +.

`vonage_format` reads a caller ID as it arrives: typed, exported, a SIP header or a
webhook value. It returns whether the value is already in Vonage form, which number
it most likely is, that the caller hid their number, or why it is no number at all.
Every change it makes to recover a number is listed in words for the user.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import NamedTuple

import phonenumbers

from domain.dialstring import (
    SPREADSHEET_DECIMALS,
    DialString,
    NotANumber,
    bracketed_prefix,
    describe_separators,
    group_starts,
    has_bracketed_label_at_end,
    has_trunk_prefix_in_brackets,
    read_dial_string,
    starts_with_list_number,
    two_numbers_at_slash,
)
from domain.numbering import (
    COMMON_ACCESS_CODES,
    MAX_COUNTRY_CODE_DIGITS,
    MAX_E164_DIGITS,
    country_label,
    international_prefix_pattern,
    plain_type,
    possible_lengths,
    region_access_code,
    split_country_code,
    trunk_prefix,
)
from domain.readings import (
    REGION_GIVEN,
    Candidate,
    candidates,
    only_valid_reading,
    own_country_code,
    unique_valid,
)
from domain.withheld import keypad_word, truncated_keypad_word

__all__ = [
    "FormatResult",
    "FormatStatus",
    "Reading",
    "naming_region",
    "number_problem",
    "vonage_format",
]

# The start of a `vonage_format` reason that quotes the value read.
CALLER_ID_SUBJECT = "The caller ID "


class FormatStatus(StrEnum):
    """The outcome of reading a caller ID: valid, fixed, withheld or invalid."""

    VALID = "valid"
    FIXED = "fixed"
    WITHHELD = "withheld"
    INVALID = "invalid"


class Reading(NamedTuple):
    """Another number the same input could be, with how it was read that way."""

    e164: str
    explanation: str


class FormatResult(NamedTuple):
    """The outcome of `vonage_format` for one input.

    `e164` is the recovered number in Vonage form (digits, no +), or None when no
    number was recovered. `changes` lists each edit in plain words. `reason` explains
    why the input is withheld or invalid. `notes` add facts, such as a number being in
    a range reserved for fiction. `country` is an ISO 3166 region code and
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

    @property
    def number(self) -> str | None:
        """The Vonage form of a valid or fixed input, or None when no number was read."""
        if self.status in (FormatStatus.VALID, FormatStatus.FIXED):
            return self.e164
        return None


# Digits with an optional + and inner spaces, dashes, dots, slashes or brackets: the
# common case, read without the general cleaning steps when only one reading fits.
_PLAIN = re.compile(r"\+?[0-9(](?:[0-9 ./()\-]*[0-9])?", re.ASCII)
_DELETE_SEPARATORS = str.maketrans("", "", " ./()-")

# The kinds of numbers that businesses rent to spell a word, as 1-800-FLOWERS does.
_SPELLED_NUMBER_TYPES = frozenset(
    {
        phonenumbers.PhoneNumberType.TOLL_FREE,
        phonenumbers.PhoneNumberType.SHARED_COST,
        phonenumbers.PhoneNumberType.PREMIUM_RATE,
        phonenumbers.PhoneNumberType.UAN,
    }
)

_ASCENDING = "01234567890123456789"
_DESCENDING = "98765432109876543210"
_MIN_PLACEHOLDER_RUN = 6
_MIN_DIGITS = 3
# The shortest numbers in Vonage form, such as Niue's +683 4002, have 7 digits.
_MIN_E164_DIGITS = 7
# The maximum digits of a label in front of a number, as in `Suite 100`.
_MAX_LABEL_DIGITS = 3
# E.164's 15 digits plus the longest access code in common use (0011).
_MAX_DIGITS = MAX_E164_DIGITS + 4


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

    if (
        _PLAIN.fullmatch(raw) is not None
        and not (
            "(" in raw
            and (has_trunk_prefix_in_brackets(raw) or has_bracketed_label_at_end(raw))
        )
        # Most values have digits where an item number has its . or ), and skip
        # the check.
        and (raw[1:3].isdigit() or not starts_with_list_number(raw))
    ):
        result = _format_plain(raw, region)
        if result is not None:
            return result
    return _format_text(raw, region)


def naming_region(result: FormatResult, words: str) -> FormatResult:
    """Return `result` with the region hint called `words`, not "the region given".

    An inbound call reads national numbers in the called number's country, which
    the user did not give, so its reasons name that country instead.
    """

    def renamed(text: str) -> str:
        return text.replace(REGION_GIVEN, words)

    return result._replace(
        changes=tuple(map(renamed, result.changes)),
        reason=None if result.reason is None else renamed(result.reason),
        notes=tuple(map(renamed, result.notes)),
        alternatives=tuple(
            reading._replace(explanation=renamed(reading.explanation))
            for reading in result.alternatives
        ),
    )


def number_problem(result: FormatResult) -> str:
    """Explain why `result` has no number, for a value meant as a number, not a caller ID.

    A filter or an argument that names a number is no caller ID, so the reasons
    call it "the value", and a withheld value is called that in one sentence.
    """
    value = result.input.strip()
    if not value:
        return "The number is empty."
    if result.status is FormatStatus.WITHHELD:
        return f"{value!r} stands for a withheld caller ID, not a phone number."
    if result.reason is None:
        return f"{value!r} is not a phone number."
    return result.reason.replace(CALLER_ID_SUBJECT, "The value ")


def _format_plain(raw: str, region: str | None) -> FormatResult | None:
    """Format plain digits when exactly one reading of them is valid, else None.

    This gives the same result as the general path, which handles everything else:
    it skips the cleaning steps that digits without letters, URIs or a (0) need,
    and describes only the reading it returns.
    """
    if raw.endswith(SPREADSHEET_DECIMALS):
        # Perhaps a spreadsheet's decimal, which the general path removes.
        return None
    has_plus = raw.startswith("+")
    body = raw[1:] if has_plus else raw
    # _PLAIN has matched, so the body is ASCII digits with separators or without.
    grouped = not body.isdigit()
    digits = body.translate(_DELETE_SEPARATORS) if grouped else body
    if not _MIN_E164_DIGITS <= len(digits) <= _MAX_DIGITS:
        return None
    if has_plus and digits.startswith("0"):
        return None
    own_access_code = region_access_code(digits, region) if region else None
    if _needs_rejection_check(digits, region, own_access_code):
        return None
    starts: tuple[int, ...] = ()
    if grouped and not has_plus and _grouping_matters(digits, region, own_access_code):
        starts = group_starts(body)
        if _groups_with_trunk_prefix(digits, starts, region):
            # The general path tries reading the number from that group.
            return None

    prefix_in_brackets = None
    if not has_plus and raw.startswith(("(", " ")):
        prefix_in_brackets = bracketed_prefix(raw)
    valid = only_valid_reading(
        digits, has_plus, region, own_access_code, prefix_in_brackets, starts
    )
    if valid is None:
        return None
    # Without separators the digits and the + are the whole input.
    has_separators = len(digits) + has_plus != len(raw)
    separators = describe_separators(raw) if has_separators else None
    cleaning = (separators,) if separators is not None else ()
    return _accepted(raw, valid, cleaning, [], _region_not_used(valid, region))


def _grouping_matters(
    digits: str, region: str | None, own_access_code: str | None
) -> bool:
    """Tell whether the grouping of digits without a + may change their reading.

    The groups decide whether an access code is a group apart from its country code, and
    whether a later group starts a number with the trunk prefix. Most inputs
    have neither, and splitting them costs about a tenth of reading them.
    """
    if own_access_code is not None or digits.startswith(COMMON_ACCESS_CODES):
        return True
    return _latest_trunk_group(digits, region) is not None


def _needs_rejection_check(
    digits: str, region: str | None, own_access_code: str | None
) -> bool:
    """Tell whether `_reject_non_number` might reject digits of a plain input.

    The general path rejects a keypad spelling, an access code alone or with only a
    country code, and all zeros before it reads any number, so these go there.
    `own_access_code` is the region's access code that the digits start with.
    """
    if digits.count("0") == len(digits):
        return True
    if region is None and not digits.startswith("0"):
        # Every common access code starts with 0, and only a region adds its own.
        return keypad_word(digits) is not None
    access_codes = _access_codes_in_front(digits, own_access_code)
    return (
        _keypad_spelling(digits, access_codes) is not None
        or _bare_access_code(digits, region) is not None
        or _access_and_country_code_only(digits, access_codes) is not None
    )


def _format_text(raw: str, region: str | None) -> FormatResult:
    dial = read_dial_string(raw)
    if isinstance(dial, NotANumber):
        if dial.withheld:
            return _withheld(raw, dial.reason)
        return _invalid(raw, dial.reason)

    own_access_code = region_access_code(dial.digits, region) if region else None
    access_codes = _access_codes_in_front(dial.digits, own_access_code)
    rejection = _reject_non_number(raw, dial, region, access_codes)
    if rejection is not None:
        return rejection

    found, failures = candidates(dial, region)
    valid = unique_valid(found)
    spelling = _keypad_spelling(dial.digits, access_codes)
    if spelling is not None and not (valid and dial.person_written):
        # Networks send such digits, as 266696687 for ANONYMOUS, when the caller
        # hid their number, and people write real numbers with separators.
        readings = [Reading(other.number.e164, other.explanation) for other in valid]
        return _withheld(raw, f"{raw.strip()} {spelling}", readings)
    from_trunk_prefix = _read_from_trunk_prefix(dial, region, valid)
    if from_trunk_prefix is not None:
        dial, valid = from_trunk_prefix
    after_label_digits = _read_after_label_digits(dial, region, valid)
    if after_label_digits is not None:
        dial, valid = after_label_digits
    if not valid and dial.spelled is not None:
        # The word after the digits was dropped as a label: read it as keypad
        # digits instead, as in 1 800 444 CASH.
        spelled_valid = _spelled_kinds(
            unique_valid(candidates(dial.spelled, region)[0])
        )
        if spelled_valid:
            dial, valid = dial.spelled, spelled_valid
    words_as_digits = valid if dial.keypad_letters else []
    if dial.keypad_letters:
        valid = _spelled_kinds(valid)
        cut_short = _spelled_number_cut_short(dial, region, valid)
        if cut_short is not None:
            dial, valid = cut_short
    if not valid and dial.without_words is not None:
        # The words after the digits were read as keypad digits: drop them as a
        # label instead, as in 13 11 14 Lifeline.
        valid = unique_valid(candidates(dial.without_words, region)[0])
        dial = dial.without_words if valid else dial
    if not valid and dial.bracketed_zero is not None:
        # The national prefix rules keep a 0 that belongs to the number, as in
        # Italy's +39 (0)6...: drop it only when no reading with it is valid.
        without_zero = dial.without_bracketed_zero()
        valid = unique_valid(candidates(without_zero, region)[0])
        dial = without_zero if valid else dial
    if not valid and words_as_digits:
        return _invalid(raw, _words_not_number_reason(raw, dial, words_as_digits[0]))
    if not valid:
        truncated = truncated_keypad_word(dial.digits)
        if truncated is not None:
            return _withheld(raw, _truncated_spelling_reason(raw, *truncated))
        return _invalid(raw, _invalid_reason(dial, region, found, failures))

    valid = _prefer_written_form(valid, dial.digits, dial.group_starts, region)
    chosen, *others = valid
    national_valid = any(reading.national_region for reading in valid)
    region_not_used = None if national_valid else _region_not_used(chosen, region)
    alternatives = [Reading(other.number.e164, other.explanation) for other in others]
    if dial.bracketed_zero is not None and chosen.number.national.startswith("0"):
        chosen = chosen._replace(changes=(*chosen.changes, _kept_zero_change(chosen)))
    notes = () if spelling is None else (f"{dial.digits} also {spelling}",)
    return _accepted(raw, chosen, dial.changes, alternatives, region_not_used, notes)


def _spelled_number_cut_short(
    dial: DialString, region: str | None, valid: list[Candidate]
) -> tuple[DialString, list[Candidate]] | None:
    """Read a spelled number of the region without the letters it has no room for.

    Vanity numbers may spell more letters than the number has digits, as in
    Australia's 1800 FLOWERS, and phones dial only as many as fit. Returns the
    shorter dial string with its readings, followed by the other `valid` ones, or
    None when the region already reads the whole spelling, or reads no shorter one.
    """
    if region is None or any(reading.number.region == region for reading in valid):
        return None
    for count in range(1, len(dial.keypad_letters)):
        shorter = dial._replace(
            digits=dial.digits[:-count],
            changes=(
                *dial.changes,
                _letters_left_out(dial.keypad_letters[-count:]),
            ),
            group_starts=tuple(
                start for start in dial.group_starts if start < len(dial.digits) - count
            ),
        )
        national = [
            reading
            for reading in _spelled_kinds(unique_valid(candidates(shorter, region)[0]))
            if reading.number.region == region
        ]
        if national:
            return shorter, _first_then_others(national, valid)
    return None


def _first_then_others(
    first: list[Candidate], others: list[Candidate]
) -> list[Candidate]:
    """Return `first`, then the readings of `others` whose numbers it does not have."""
    numbers = {reading.number.e164 for reading in first}
    return [
        *first,
        *(reading for reading in others if reading.number.e164 not in numbers),
    ]


def _letters_left_out(letters: str) -> str:
    last = (
        "the last letter" if len(letters) == 1 else f"the last {len(letters)} letters"
    )
    it = "it" if len(letters) == 1 else "them"
    return (
        f"left out {letters}, {last}, which a phone does not dial because the "
        f"number has no room for {it}"
    )


def _spelled_kinds(readings: list[Candidate]) -> list[Candidate]:
    """Keep the readings of the kinds of numbers that businesses spell with letters."""
    return [
        reading
        for reading in readings
        if reading.number.number_type in _SPELLED_NUMBER_TYPES
    ]


def _words_not_number_reason(raw: str, dial: DialString, reading: Candidate) -> str:
    kind = plain_type(reading.number.number_type) or "number"
    return (
        f"The caller ID {raw.strip()!r} contains words: its letters "
        f"{dial.keypad_letters} as keypad digits would make {reading.number.e164}, "
        f"a {kind}, but only toll-free, shared-cost and premium numbers are "
        "written with letters, as in 1-800-FLOWERS. Paste the number in digits."
    )


def _read_from_trunk_prefix(
    dial: DialString, region: str | None, valid: list[Candidate]
) -> tuple[DialString, list[Candidate]] | None:
    """Read the number from a later group that starts with the region's trunk prefix.

    A number written nationally starts with its trunk prefix or an access code,
    so digits in front of such a group, as in 24/7 030 901820, are most likely a
    label. Returns the shorter dial string and its valid readings followed by the
    other `valid` ones, or None when no such group reads as a valid number.
    """
    starts = _groups_with_trunk_prefix(dial.digits, dial.group_starts, region)
    if region is None or not starts:
        return None
    if any(_written_as_read(reading, dial.digits) for reading in valid):
        return None
    for start in starts:
        in_front = dial.digits[:start]
        if _country_code_in_front(in_front, valid) or any(
            reading.access_code == in_front for reading in valid
        ):
            # The group is a country code after an access code, as 84 in
            # Russia's 00 84 912 345 678, which is Vietnam's 84.
            continue
        shorter = _drop_digits_in_front(dial, start, region)
        shorter_valid = unique_valid(candidates(shorter, region)[0])
        if not shorter_valid:
            continue
        numbers = {reading.number.e164 for reading in shorter_valid}
        if numbers <= {reading.number.e164 for reading in valid}:
            return None
        return shorter, _first_then_others(shorter_valid, valid)
    return None


def _read_after_label_digits(
    dial: DialString, region: str | None, valid: list[Candidate]
) -> tuple[DialString, list[Candidate]] | None:
    """Read the number after a short first group that belongs to the label in front.

    In `Line 2 7911 123456` the 2 names the line, and 7911 123456 is a UK mobile
    written without its 0. When the digits read as no number of the region, and
    those after the first group do, the group is dropped with the label. Returns
    the shorter dial string with its readings followed by the other `valid` ones,
    or None.
    """
    if region is None or not dial.label_in_front or not dial.group_starts:
        return None
    start = dial.group_starts[0]
    if start > _MAX_LABEL_DIGITS or dial.plus:
        return None
    if any(_of_region(reading, region) for reading in valid):
        return None
    dropped = dial.digits[:start]
    if _country_code_in_front(dropped, valid):
        return None
    if any(reading.access_code == dropped for reading in valid):
        # The group is the access code of a valid reading: Home: 00 44 7911 123456.
        return None
    change = f"dropped {dropped}, read as part of the label in front of the number"
    shorter = _without_digits_in_front(dial, start, change)
    shorter_valid = [
        reading
        for reading in unique_valid(candidates(shorter, region)[0])
        if _of_region(reading, region)
    ]
    if not shorter_valid:
        return None
    # The other readings keep the label's digits, so they are not the shorter
    # digits as written.
    others = [reading._replace(as_written=False) for reading in valid]
    return shorter, _first_then_others(shorter_valid, others)


def _of_region(reading: Candidate, region: str) -> bool:
    """Tell whether a reading is a number of `region`, or read as its national one.

    Regions may share a country code: 7911 123456 read in GB is Guernsey's.
    """
    return reading.national_region == region or reading.number.region == region


def _prefer_written_form(
    valid: list[Candidate],
    digits: str,
    starts: tuple[int, ...],
    region: str | None,
) -> list[Candidate]:
    """Put the Vonage-form reading first where the national one lacks a trunk prefix.

    447911123456 with region DE is a UK mobile in Vonage form: a German would
    write a national number with its 0. Where the region writes numbers as the
    digits are, as the US writes 2015550123, or the digits are grouped as the
    region groups the national number, as Germany's 1512 3456789, the national
    reading stays first. `starts` is where the written groups start.
    """
    first = valid[0]
    if region is None or first.national_region is None:
        return valid
    as_written = next(
        (reading for reading in valid if reading.national_region is None), None
    )
    if as_written is None or not as_written.as_written:
        return valid
    if _written_as_read(first, digits):
        return valid
    if _grouped_as_national(first, digits, starts):
        grouped = first._replace(
            preference=(
                f"the digits are grouped as {region}, {REGION_GIVEN}, groups its "
                "numbers"
            )
        )
        return [grouped, *valid[1:]]
    trunk = trunk_prefix(region)
    prefix = f" {trunk[0]}" if trunk is not None else ""
    chosen = as_written._replace(
        preference=(
            f"{region}, {REGION_GIVEN}, writes its numbers with the trunk prefix"
            f"{prefix}, which the digits do not start with"
        )
    )
    return [chosen, *(reading for reading in valid if reading is not as_written)]


def _grouped_as_national(
    reading: Candidate, digits: str, starts: tuple[int, ...]
) -> bool:
    """Tell whether digits without a trunk prefix are grouped as their country does.

    Australia writes (02) 9876 5432, so 2 9876 5432 is that number without its 0,
    not the Faroese 298 765432.
    """
    if not starts or reading.national_region is None:
        return False
    number = phonenumbers.parse(f"+{reading.number.e164}")
    national = phonenumbers.format_number(
        number, phonenumbers.PhoneNumberFormat.NATIONAL
    )
    national_digits = phonenumbers.normalize_digits_only(national)
    if not national_digits.endswith(digits):
        return False
    missing = len(national_digits) - len(digits)
    national_starts = [start - missing for start in group_starts(national)]
    return tuple(start for start in national_starts if start > 0) == starts


def _written_as_read(reading: Candidate, digits: str) -> bool:
    """Tell whether a national reading's number is written so in its own country.

    Somalia writes its mobiles without a trunk prefix, as in 7 0109456, so the digits
    are the whole number there. Germany writes 030 901820, so 2 030 901820 is not.
    """
    if reading.national_region is None:
        return False
    number = phonenumbers.parse(f"+{reading.number.e164}")
    national = phonenumbers.format_number(
        number, phonenumbers.PhoneNumberFormat.NATIONAL
    )
    return phonenumbers.normalize_digits_only(national) == digits


def _country_code_in_front(dropped: str, valid: list[Candidate]) -> bool:
    """Tell whether digits in front of a group start with a valid reading's country code.

    Then they begin an international number written without its +, as in
    43 664 012 3456 or 011 52 1 55 1234 5678, and are not a label.
    """
    for code in ("", *COMMON_ACCESS_CODES):
        if not dropped.startswith(code):
            continue
        after_code = dropped[len(code) :]
        for reading in valid:
            country_code = str(reading.number.country_code)
            if reading.national_region is None and after_code.startswith(country_code):
                return True
    return False


def _groups_with_trunk_prefix(
    digits: str, starts: tuple[int, ...], region: str | None
) -> list[int]:
    """Return the group starts with the trunk prefix and room for a number after it."""
    latest = _latest_trunk_group(digits, region) if starts else None
    if latest is None:
        return []
    prefix, longest_start = latest
    return [
        start
        for start in starts
        if start <= longest_start and digits.startswith(prefix, start)
    ]


def _latest_trunk_group(digits: str, region: str | None) -> tuple[str, int] | None:
    """Return the trunk prefix and the latest group start that leaves room after it.

    None means that no later group can start a national number: the region has no
    trunk prefix, the digits are too few, or they start with the prefix themselves,
    as Austria's 080 0123456 does.
    """
    trunk = trunk_prefix(region) if region is not None else None
    if trunk is None or digits.startswith(trunk[0]):
        return None
    prefix, shortest = trunk
    longest_start = len(digits) - len(prefix) - shortest
    return (prefix, longest_start) if longest_start >= 1 else None


def _drop_digits_in_front(dial: DialString, start: int, region: str) -> DialString:
    dropped = dial.digits[:start]
    digits = dial.digits[start:]
    access_code = region_access_code(digits, region)
    if access_code is not None:
        change = (
            f"dropped {dropped} in front of the international access code {access_code}"
        )
    else:
        prefix, _ = trunk_prefix(region) or ("", 0)
        change = (
            f"dropped {dropped} in front of the trunk prefix {prefix} that starts a "
            "national number"
        )
    return _without_digits_in_front(dial, start, change)


def _without_digits_in_front(dial: DialString, start: int, change: str) -> DialString:
    """Return `dial` without its first `start` digits, recording `change`."""
    digits = dial.digits[start:]
    return dial._replace(
        digits=digits,
        changes=(*dial.changes, change),
        bracketed_prefix=None,
        group_starts=tuple(
            later - start for later in dial.group_starts if later > start
        ),
    )


def _region_not_used(chosen: Candidate, region: str | None) -> str | None:
    """Explain why digits were read as Vonage form although a region was given.

    Call it only when no national reading of the region is valid. Returns None
    when there is nothing to say. Input already in Vonage form needs no reason.
    """
    number = chosen.number
    if region is None or not chosen.as_written:
        return None
    if str(number.country_code) == own_country_code(region):
        return None
    region_of_number = number.region if number.is_geographic_region else None
    of_place = f" of {country_label(region_of_number)}" if region_of_number else ""
    return (
        f"read {number.country_code} as the country code{of_place}, because the "
        f"digits are not a valid number of {region}, {REGION_GIVEN}"
    )


def _kept_zero_change(chosen: Candidate) -> str:
    region = chosen.number.region
    place = country_label(region) if region and region.isalpha() else "this country"
    return (
        f"kept the 0 written as (0), because numbers of {place} keep it after the "
        "country code"
    )


def _truncated_spelling_reason(raw: str, word: str, spelling: str) -> str:
    return (
        f"{raw.strip()} is the start of {spelling}, which spells {word.upper()} on a "
        "phone keypad: networks send that spelling when the caller hid their "
        "number, and this value was most likely cut short."
    )


def _reject_non_number(
    raw: str, dial: DialString, region: str | None, access_codes: list[str]
) -> FormatResult | None:
    """Reject digits that are not a number: none, too few or many, or codes alone.

    `access_codes` are those that the digits start with (`_access_codes_in_front`).
    """
    digits = dial.digits
    value = raw.strip()

    if not digits:
        return _invalid(raw, f"The caller ID {value!r} contains no digits.")

    access_code = _bare_access_code(digits, region)
    if access_code is not None:
        return _invalid(
            raw,
            f"{value} is only the international access code {access_code}, with no "
            "number after it.",
        )
    code_only = _access_and_country_code_only(digits, access_codes)
    if code_only is not None:
        return _invalid(
            raw,
            f"{value} is only the international access code {code_only[0]} and the "
            f"country code {code_only[1]}, with no number after them.",
        )
    if digits.count("0") == len(digits):
        return _invalid(
            raw, f"{value} is a placeholder (all zeros), not a phone number."
        )

    country_code = split_country_code(digits) if dial.plus else None
    if country_code is not None and not country_code[1]:
        return _invalid(
            raw,
            f"{value} is only the country code {country_code[0]}, with no number "
            "after it.",
        )
    if len(digits) < _MIN_DIGITS:
        return _invalid(
            raw,
            f"{value} has only {_cleaned_digit_count(value, digits)}, too few for a "
            "phone number.",
        )
    if len(digits) > _MAX_DIGITS:
        two = two_numbers_at_slash(value)
        if two is not None:
            return _invalid(raw, two)
        return _invalid(
            raw,
            f"{value} has {_cleaned_digit_count(value, digits)}, but a phone number "
            f"has at most {MAX_E164_DIGITS} after its access code.",
        )
    return None


def _cleaned_digit_count(value: str, digits: str) -> str:
    """Count the digits, saying `after cleaning` where the value had more than them."""
    counted = _digit_count(digits)
    if value.removeprefix("+") == digits:
        return counted
    return f"{counted} after cleaning"


def _keypad_spelling(digits: str, access_codes: list[str]) -> str | None:
    """Describe digits that spell a withheld word, also behind an access code.

    `access_codes` are those that `digits` start with (`_access_codes_in_front`).
    """
    word = keypad_word(digits)
    if word is not None:
        return (
            f"spells {word.upper()} on a phone keypad, which networks send when the "
            "caller hid their number."
        )
    for code in access_codes:
        word = keypad_word(digits[len(code) :])
        if word is not None:
            return (
                f"is the access code {code} and then {word.upper()} spelled on a "
                "phone keypad, which networks send when the caller hid their number."
            )
    return None


def _access_codes_in_front(digits: str, own_access_code: str | None) -> list[str]:
    """List the access codes, common or the region's own, that `digits` start with.

    `own_access_code` is `region_access_code(digits, region)`.
    """
    codes = []
    if digits.startswith("0"):
        # Every common access code starts with 0.
        codes = [code for code in COMMON_ACCESS_CODES if digits.startswith(code)]
    if own_access_code is not None and own_access_code not in codes:
        codes.append(own_access_code)
    return codes


def _access_and_country_code_only(
    digits: str, access_codes: list[str]
) -> tuple[str, int] | None:
    """Return (access code, country code) when `digits` hold nothing else.

    `access_codes` are those that `digits` start with (`_access_codes_in_front`).
    """
    for code in access_codes:
        rest = digits[len(code) :]
        if len(rest) > MAX_COUNTRY_CODE_DIGITS:
            continue
        split = split_country_code(rest)
        if split is not None and not split[1]:
            return code, split[0]
    return None


def _digit_count(digits: str) -> str:
    return "1 digit" if len(digits) == 1 else f"{len(digits)} digits"


def _placeholder(digits: str) -> str | None:
    """Describe digits that look typed to fill a field, such as 1234567890.

    Some real numbers look like this too (phonenumbers' example for Austria is
    01 234567890), so this only explains why digits that are no valid number
    were rejected.
    """
    if len(digits) < _MIN_PLACEHOLDER_RUN:
        return None
    if digits.count(digits[0]) == len(digits):
        return f"every digit is {digits[0]}"
    if digits in _ASCENDING or digits in _DESCENDING:
        return "the digits count in order"
    return None


def _placeholder_after_country_code(dial: DialString, region: str | None) -> str | None:
    """Describe a country code followed by filler digits, such as +1 000 000 0000."""
    if not dial.plus and (region is not None or dial.digits.startswith("0")):
        return None
    split = split_country_code(dial.digits)
    if split is None:
        return None
    code, national = split
    # Only a repeated digit counts here: digits counting in order, such as
    # +882 3456 7890, are too often the start of a real number that is cut short.
    if len(national) < _MIN_PLACEHOLDER_RUN or len(set(national)) != 1:
        return None
    return (
        f"+{code} {national} is a placeholder (every digit is {national[0]} after the "
        f"country code {code}), not a phone number."
    )


def _too_short_reason(digits: str, region: str | None) -> str:
    if region is not None and phonenumbers.is_emergency_number(digits, region):
        return (
            f"{digits} is an emergency number in {country_label(region)}, not a "
            "phone number with its country code."
        )
    national = ""
    if region is not None:
        national = f", and it is not a valid national number of {country_label(region)}"
    return (
        f"{digits} has only {len(digits)} digits, too few for a phone number with its "
        f"country code{national}: it may be an internal extension or a short code."
    )


def _bare_access_code(digits: str, region: str | None) -> str | None:
    if digits in COMMON_ACCESS_CODES:
        return digits
    if region is not None:
        prefix = international_prefix_pattern(region)
        if prefix is not None and prefix.fullmatch(digits):
            return digits
    return None


def _invalid_reason(
    dial: DialString,
    region: str | None,
    candidates: list[Candidate],
    failures: list[str],
) -> str:
    digits = dial.digits
    placeholder = _placeholder(digits)
    if placeholder is not None:
        return f"{digits} is a placeholder ({placeholder}), not a phone number."
    national_placeholder = _placeholder_after_country_code(dial, region)
    if national_placeholder is not None:
        return national_placeholder
    if not dial.plus and len(digits) < _MIN_E164_DIGITS:
        return _too_short_reason(digits, region)

    if not dial.plus and region is None:
        return _no_region_reason(dial, candidates, failures)
    if candidates:
        return _number_reason(candidates[0])
    if failures:
        return failures[0]
    if region is not None:
        return f"{digits} cannot be read as a phone number of {region}."
    if digits.startswith("0"):
        return (
            f"+{digits} has a 0 after the +, and no country code starts with 0. "
            "Write the country code after the +, or give the region of this "
            "national number."
        )
    return f"{digits} cannot be read as a phone number."


def _no_region_reason(
    dial: DialString, candidates: list[Candidate], failures: list[str]
) -> str:
    digits = dial.digits
    context = ""
    if dial.context_domain is not None:
        context = (
            f" Its phone-context {dial.context_domain} is a domain, which names no "
            "country."
        )
    if digits.startswith("0"):
        return (
            f"{digits} starts with 0, the trunk prefix of a national number in most "
            f"countries, and no region was given.{context} Give the region it belongs "
            "to, or write it with its country code."
        )

    first = _number_reason(candidates[0]) if candidates else None
    reason = first or (failures[0] if failures else f"{digits} has no country code.")
    return (
        f"{reason} No region was given to read it as a national number instead."
        f"{context} Give its region, or write it with its country code."
    )


def _number_reason(candidate: Candidate) -> str:
    """Say why the number of a reading is not valid, by length when that is why."""
    number = candidate.number
    code = number.country_code
    lengths = possible_lengths(code)
    length = len(number.national)

    if candidate.national_region is not None:
        value = number.typed_national
        place = country_label(candidate.national_region)
        problem = f"is not a valid national number of {place}"
        count = f"{length} digits"
        prefix = value[: len(value) - length]
        if prefix and value.endswith(number.national):
            count += f" after the trunk prefix {prefix}"
    else:
        value = number.e164
        regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(code, ())
        single = len(regions) == 1 and regions[0].isalpha()
        place = country_label(regions[0]) if single else f"country code +{code}"
        problem = f"is not a valid number for {place}"
        count = f"{length} digits after the country code {code}"

    lead = ""
    if candidate.access_code is not None:
        lead = f"After the access code {candidate.access_code}, "
    if lengths and (length < lengths[0] or length > lengths[-1]):
        size = "too short" if length < lengths[0] else "too long"
        return (
            f"{lead}{value} is {size} for {place}: it has {count}, and numbers there "
            f"have {_lengths_text(lengths)}."
        )
    return f"{lead}{value} {problem}: no range in use there matches it."


def _lengths_text(lengths: tuple[int, ...]) -> str:
    if len(lengths) == 1:
        return f"{lengths[0]} digits"
    if lengths[-1] - lengths[0] == len(lengths) - 1:
        return f"{lengths[0]} to {lengths[-1]} digits"
    listed = ", ".join(str(length) for length in lengths[:-1])
    return f"{listed} or {lengths[-1]} digits"


def _accepted(
    raw: str,
    candidate: Candidate,
    cleaning: tuple[str, ...],
    alternatives: list[Reading],
    region_not_used: str | None = None,
    notes_in_front: tuple[str, ...] = (),
) -> FormatResult:
    number = candidate.number
    reserved = candidate.reserved
    e164 = number.e164
    fixed = raw != e164

    changes = [*cleaning, *candidate.changes] if fixed else []
    notes = list(notes_in_front)
    if region_not_used is not None and fixed:
        changes.append(region_not_used)
    if alternatives:
        choice = f"chose to {candidate.explanation} because {candidate.preference}"
        (changes if fixed else notes).append(choice)
    if reserved is not None:
        notes.append(reserved.note(e164))

    country = number.region if number.is_geographic_region else None
    number_type = plain_type(number.number_type)
    if not number.is_valid and reserved is not None:
        country, number_type = reserved.country, reserved.number_type

    status = FormatStatus.FIXED if fixed else FormatStatus.VALID
    # Positional, in FormatResult's field order: keywords take twice as long, and
    # every accepted input passes here.
    return FormatResult(
        raw,
        status,
        e164,
        tuple(changes),
        None,
        tuple(notes),
        country,
        number_type,
        tuple(alternatives),
    )


def _withheld(
    raw: str, reason: str, alternatives: list[Reading] | None = None
) -> FormatResult:
    return FormatResult(
        raw,
        FormatStatus.WITHHELD,
        None,
        (),
        reason,
        (),
        None,
        None,
        tuple(alternatives or ()),
    )


def _invalid(raw: str, reason: str) -> FormatResult:
    return FormatResult(raw, FormatStatus.INVALID, None, (), reason, (), None, None)
