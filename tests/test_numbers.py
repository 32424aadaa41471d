"""Number types, features, search queries and pages."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.errors import InvalidInput
from domain.numbers import (
    AvailableNumber,
    Feature,
    NumberType,
    Page,
    PatternMatch,
    SearchQuery,
    parse_features,
    pattern_digits,
    sort_features,
    validate_msisdn,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SMS", {Feature.SMS}),
        ("sms,voice", {Feature.SMS, Feature.VOICE}),
        (" VOICE , MMS ", {Feature.VOICE, Feature.MMS}),
        ("SMS,,VOICE,", {Feature.SMS, Feature.VOICE}),
        ("", set()),
    ],
)
def test_parse_features_accepts(text: str, expected: set[Feature]) -> None:
    assert parse_features(text) == frozenset(expected)


@pytest.mark.parametrize("text", ["FAX", "SMS;VOICE", "SMS,VOIP"])
def test_parse_features_rejects_unknown(text: str) -> None:
    with pytest.raises(InvalidInput, match="use SMS, VOICE or MMS"):
        parse_features(text)


def test_sort_features_api_order() -> None:
    features = frozenset({Feature.MMS, Feature.SMS, Feature.VOICE})
    assert sort_features(features) == [Feature.SMS, Feature.VOICE, Feature.MMS]


@pytest.mark.parametrize(
    "msisdn", ["14155550101", "447700900123", "4930123", "123456789012345"]
)
def test_validate_msisdn_accepts(msisdn: str) -> None:
    assert validate_msisdn(msisdn) == msisdn


@pytest.mark.parametrize(
    "msisdn",
    [
        "+14155550101",
        "014155550101",
        "123456",
        "1234567890123456",
        "1415 555",
        "",
        "١٤١٥٥٥٥٠١٠١",
        "1\uff14155550101",
        "14155550101\n",
    ],
)
def test_validate_msisdn_rejects(msisdn: str) -> None:
    with pytest.raises(InvalidInput, match="Vonage form"):
        validate_msisdn(msisdn)


@pytest.mark.parametrize(
    ("match", "code", "label"),
    [
        (PatternMatch.STARTS, 0, "starts with"),
        (PatternMatch.CONTAINS, 1, "contains"),
        (PatternMatch.ENDS, 2, "ends with"),
    ],
)
def test_pattern_match_api_code(match: PatternMatch, code: int, label: str) -> None:
    assert match.api_code == code
    assert match.label == label


def test_number_type_api_values() -> None:
    assert [member.value for member in NumberType] == [
        "landline",
        "mobile-lvn",
        "landline-toll-free",
    ]


@pytest.mark.parametrize("pattern", ["12a", "+44", "١٢٣", " 12", "1.2"])
def test_search_query_rejects_pattern(pattern: str) -> None:
    with pytest.raises(InvalidInput, match="digits 0-9 only"):
        SearchQuery(country="US", pattern=pattern)


@pytest.mark.parametrize(
    ("typed", "pattern"),
    [
        ("+44 7700", "447700"),
        ("(415) 555-01", "41555501"),
        ("1.415", "1415"),
        (" 0101 ", "0101"),
        ("+44 77a", "+44 77a"),
        # Digits of other scripts, as `format` reads them.
        ("١٢٣", "123"),
        ("\uff14\uff14\uff17\uff13", "4473"),
        ("+٤٤ ٧٣", "4473"),
        ("4²", "4²"),
        # The trunk prefix in brackets after a country code.
        ("+44 (0) 7700", "447700"),
        ("+49 (0)30", "4930"),
    ],
)
def test_pattern_digits(typed: str, pattern: str) -> None:
    assert pattern_digits(typed) == pattern


@pytest.mark.parametrize("size", [0, 101, -1])
def test_search_query_rejects_size(size: int) -> None:
    with pytest.raises(InvalidInput, match="use 1 to 100"):
        SearchQuery(country="US", size=size)


def test_search_query_rejects_page_zero() -> None:
    with pytest.raises(InvalidInput, match="pages start at 1"):
        SearchQuery(country="US", index=0)


def test_search_query_offset() -> None:
    assert SearchQuery(country="US", size=25, index=3).offset == 50


@pytest.mark.parametrize(
    ("count", "index", "size", "label"),
    [
        (12345, 1, 10, "1-10 of 12,345"),
        (12345, 2, 10, "11-20 of 12,345"),
        (12345, 1235, 10, "12,341-12,345 of 12,345"),
        (7, 1, 10, "1-7 of 7"),
        (0, 1, 10, "0-0 of 0"),
        (100, 1, 100, "1-100 of 100"),
    ],
)
def test_page_range_label(count: int, index: int, size: int, label: str) -> None:
    page: Page[int] = Page(items=(), count=count, index=index, size=size)
    assert page.range_label() == label


@pytest.mark.parametrize(
    ("count", "index", "has_previous", "has_next", "page_count"),
    [
        (0, 1, False, False, 1),
        (10, 1, False, False, 1),
        (11, 1, False, True, 2),
        (11, 2, True, False, 2),
        (30, 2, True, True, 3),
    ],
)
def test_page_navigation(
    count: int, index: int, has_previous: bool, has_next: bool, page_count: int
) -> None:
    page: Page[int] = Page(items=(), count=count, index=index, size=10)
    assert page.has_previous is has_previous
    assert page.has_next is has_next
    assert page.page_count == page_count


def test_available_number_has_voice() -> None:
    voice = AvailableNumber(
        "GB", "447700900123", NumberType.MOBILE, frozenset(Feature), Decimal("1.00")
    )
    sms_only = AvailableNumber(
        "GB", "447700900124", NumberType.MOBILE, frozenset({Feature.SMS}), Decimal("1")
    )
    assert voice.has_voice
    assert not sms_only.has_voice


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("landline", NumberType.LANDLINE),
        ("mobile", NumberType.MOBILE),
        ("mobile-lvn", NumberType.MOBILE),
        (" Toll-Free ", NumberType.TOLL_FREE),
        ("LANDLINE-TOLL-FREE", NumberType.TOLL_FREE),
    ],
)
def test_type_from_name(name: str, expected: NumberType) -> None:
    assert NumberType.from_name(name) is expected


def test_type_from_unknown_name() -> None:
    with pytest.raises(InvalidInput, match="Unknown number type 'cell': use one of"):
        NumberType.from_name("cell")
