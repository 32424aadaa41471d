"""Properties of vonage_format over phonenumbers' own example numbers and random input.

Every example number of every region and type, written the ways people write it,
must come back in the same Vonage form. The number reader must agree with
phonenumbers' `parse` and `number_type` on random digits, and no input may make
vonage_format raise.
"""

from __future__ import annotations

import re

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from phonenumbers import PhoneMetadata, PhoneNumber, PhoneNumberFormat, PhoneNumberType

from domain.dialstring import _keypad_digits
from domain.e164 import FormatStatus, _format_text, vonage_format
from domain.numbering import (
    MAX_E164_DIGITS,
    InternationalNumber,
    Unreadable,
    read_international,
)

EXAMPLE_TYPES = (
    PhoneNumberType.FIXED_LINE,
    PhoneNumberType.MOBILE,
    PhoneNumberType.FIXED_LINE_OR_MOBILE,
    PhoneNumberType.TOLL_FREE,
    PhoneNumberType.PREMIUM_RATE,
    PhoneNumberType.SHARED_COST,
    PhoneNumberType.VOIP,
    PhoneNumberType.PERSONAL_NUMBER,
    PhoneNumberType.PAGER,
    PhoneNumberType.UAN,
    PhoneNumberType.VOICEMAIL,
)

# Separators people put between digit groups; the empty one joins groups.
SEPARATORS = ("", " ", "  ", "-", ".", "/")
TEL_SEPARATORS = ("", "-", ".")


def example_numbers() -> list[tuple[str, PhoneNumber]]:
    examples = []
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for number_type in EXAMPLE_TYPES:
            number = phonenumbers.example_number_for_type(region, number_type)
            if number is not None:
                examples.append((region, number))
    return examples


EXAMPLES = example_numbers()


def access_code_pattern(region: str) -> str:
    """Return a regex of the access codes callers in `region` dial before +."""
    metadata = PhoneMetadata.metadata_for_region(region)
    assert metadata is not None
    preferred = metadata.preferred_international_prefix
    if preferred:
        return re.escape(preferred.replace("~", ""))
    prefix = metadata.international_prefix
    assert prefix is not None
    return prefix


@st.composite
def regrouped(draw: st.DrawFn, digits: str, separators: tuple[str, ...]) -> str:
    """Split `digits` into random groups joined by random separators."""
    groups = []
    start = 0
    while start < len(digits):
        size = draw(st.integers(min_value=1, max_value=5))
        groups.append(digits[start : start + size])
        start += size
    joined = groups[0]
    for group in groups[1:]:
        joined += draw(st.sampled_from(separators)) + group
    return joined


def vonage_form(number: PhoneNumber) -> str:
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)[1:]


def national_digits(number: PhoneNumber) -> str:
    national = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    return phonenumbers.normalize_digits_only(national)


@st.composite
def written_forms(draw: st.DrawFn) -> tuple[str, str | None, str]:
    """Draw an example number written in one form, with its region hint and e164."""
    region, number = draw(st.sampled_from(EXAMPLES))
    e164 = vonage_form(number)
    form = draw(st.sampled_from(("national", "international", "rfc3966", "access")))

    if form == "national":
        return draw(regrouped(national_digits(number), SEPARATORS)), region, e164
    if form == "international":
        return "+" + draw(regrouped(e164, SEPARATORS)), None, e164
    if form == "rfc3966":
        return "tel:+" + draw(regrouped(e164, TEL_SEPARATORS)), None, e164

    # After an access code written apart, the country code is a group of its own:
    # 00 44 20..., or 0044 20... when written together.
    code = draw(st.from_regex(access_code_pattern(region), fullmatch=True))
    spacer = draw(st.sampled_from(SEPARATORS))
    country_code = str(number.country_code)
    national = e164[len(country_code) :]
    after_code = country_code + draw(st.sampled_from(SEPARATORS[1:]))
    return (
        code + spacer + after_code + draw(regrouped(national, SEPARATORS)),
        region,
        e164,
    )


@settings(max_examples=200, deadline=None)
@given(written_forms())
def test_written_forms_round_trip(written: tuple[str, str | None, str]) -> None:
    raw, region, e164 = written

    result = vonage_format(raw, region)

    assert result.e164 == e164, result
    assert result.status in (FormatStatus.VALID, FormatStatus.FIXED)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(EXAMPLES), st.booleans())
def test_vonage_form_is_valid(
    example: tuple[str, PhoneNumber], with_region: bool
) -> None:
    region, number = example
    e164 = vonage_form(number)

    result = vonage_format(e164, region if with_region else None)

    assert result.status == FormatStatus.VALID
    assert result.e164 == e164
    assert result.changes == ()


NATIONAL_PREFIXES = ("", "0", "00", "1", "8", "9", "15", "015", "044", "01", "041")


@st.composite
def international_digits(draw: st.DrawFn) -> str:
    """Draw a country code, a prefix a national number may start with, and digits."""
    country_code = draw(
        st.sampled_from(sorted(phonenumbers.COUNTRY_CODE_TO_REGION_CODE))
    )
    prefix = draw(st.sampled_from(NATIONAL_PREFIXES))
    rest = draw(st.text(alphabet="0123456789", min_size=2, max_size=13))
    return f"{country_code}{prefix}{rest}"


@settings(max_examples=300, deadline=None)
@given(international_digits())
def test_reader_agrees_with_phonenumbers(digits: str) -> None:
    try:
        parsed = phonenumbers.parse("+" + digits, keep_raw_input=True)
    except phonenumbers.NumberParseException:
        return

    number = read_international(digits)
    e164_digits = len(phonenumbers.format_number(parsed, PhoneNumberFormat.E164)) - 1
    if e164_digits > MAX_E164_DIGITS and phonenumbers.is_valid_number(parsed):
        assert isinstance(number, Unreadable)
        assert f"more than the {MAX_E164_DIGITS}" in number.reason
        return

    assert isinstance(number, InternationalNumber)
    assert number.country_code == parsed.country_code
    assert number.national == phonenumbers.national_significant_number(parsed)
    assert number.carrier_code == (parsed.preferred_domestic_carrier_code or "")
    assert number.region == phonenumbers.region_code_for_number(parsed)
    assert number.number_type == phonenumbers.number_type(parsed)


# Country codes that several regions share, where the region is found in steps.
SHARED_COUNTRY_CODES = sorted(
    code
    for code, regions in phonenumbers.COUNTRY_CODE_TO_REGION_CODE.items()
    if len(regions) > 1
)


def shared_code_numbers() -> list[str]:
    """Digits of every example number of the regions that share a country code.

    For +1 also one number in every area code, 200 to 999, so that each of the 25
    regions and the gaps between them are reached.
    """
    numbers = set()
    for code in SHARED_COUNTRY_CODES:
        for region in phonenumbers.COUNTRY_CODE_TO_REGION_CODE[code]:
            for number_type in range(PhoneNumberType.VOICEMAIL + 1):
                example = phonenumbers.example_number_for_type(region, number_type)
                if example is not None:
                    numbers.add(phonenumbers.format_number(example, 0)[1:])
    numbers.update(f"1{area}2345678" for area in range(200, 1000))
    return sorted(numbers)


@pytest.mark.parametrize("digits", shared_code_numbers())
def test_reader_finds_region_of_shared_code(digits: str) -> None:
    parsed = phonenumbers.parse("+" + digits)

    number = read_international(digits)

    assert isinstance(number, InternationalNumber)
    assert number.region == phonenumbers.region_code_for_number(parsed)
    assert number.number_type == phonenumbers.number_type(parsed)


@settings(max_examples=300, deadline=None)
@given(
    st.text(max_size=60),
    st.sampled_from((None, "US", "GB", "DE", "BR", "JP", "RU")),
)
def test_any_text_is_answered(raw: str, region: str | None) -> None:
    result = vonage_format(raw, region)

    assert result.input == raw
    recovered = result.status in (FormatStatus.VALID, FormatStatus.FIXED)
    assert (result.e164 is not None) == recovered
    assert (result.reason is None) == recovered
    if result.status == FormatStatus.VALID:
        assert raw == result.e164
    if result.e164 is not None:
        assert re.fullmatch(r"[1-9][0-9]{6,14}", result.e164)


@settings(max_examples=200, deadline=None)
@given(written_forms())
def test_recovered_form_is_valid(written: tuple[str, str | None, str]) -> None:
    raw, region, _ = written
    recovered = vonage_format(raw, region).e164
    assert recovered is not None

    again = vonage_format(recovered)

    assert again.status == FormatStatus.VALID
    assert again.e164 == recovered


# Numbers phonenumbers rejects but that are reserved for fiction, in Vonage form.
RESERVED_NUMBERS = ("447700900123", "441632960123", "61491570156", "14155550100")


@st.composite
def plain_forms(draw: st.DrawFn) -> tuple[str, str | None]:
    """Draw an example number as plain digits, with or without + and a region."""
    region, number = draw(st.sampled_from(EXAMPLES))
    choices = (vonage_form(number), national_digits(number), *RESERVED_NUMBERS)
    digits = draw(st.sampled_from(choices))
    grouped = draw(regrouped(digits, (" ", "-", ".", "", "(", ") ")))
    plus = draw(st.sampled_from(("", "+", "(")))
    space = draw(st.sampled_from(("", " ")))
    hint = draw(st.sampled_from((None, region, "US", "GB", "DE", "MX", "BR")))
    return plus + grouped + space, hint


@settings(max_examples=200, deadline=None)
@given(plain_forms())
def test_plain_path_matches_general(plain: tuple[str, str | None]) -> None:
    raw, region = plain

    general = _format_text(raw, region)

    assert vonage_format(raw, region) == general


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_keypad_digits_are_phonenumbers(text: str) -> None:
    assert _keypad_digits(text) == phonenumbers.convert_alpha_characters_in_number(text)
