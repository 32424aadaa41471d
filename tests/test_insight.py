"""Tests for number_insight, phonenumbers' offline data about a number."""

from __future__ import annotations

import pytest

from domain.errors import InvalidInput
from domain.insight import number_insight


@pytest.mark.parametrize(
    ("e164", "country", "country_name", "number_type"),
    [
        ("441144960123", "GB", "United Kingdom", "landline"),
        ("447912345678", "GB", "United Kingdom", "mobile"),
        ("14155550100", "US", "United States", "landline or mobile"),
        ("5491123456789", "AR", "Argentina", "mobile"),
        ("33612345678", "FR", "France", "mobile"),
        ("18003569377", "US", "United States", "toll-free"),
        ("80012345678", "001", "International (non-geographic)", "toll-free"),
    ],
)
def test_insight_country_and_type(
    e164: str, country: str, country_name: str, number_type: str
) -> None:
    insight = number_insight(e164)

    assert insight.e164 == e164
    assert insight.country == country
    assert insight.country_name == country_name
    assert insight.number_type == number_type


@pytest.mark.parametrize(
    ("e164", "area"),
    [
        ("441144960123", "Sheffield"),
        ("14155550100", "San Francisco, CA"),
        ("12125551234", "New York, NY"),
        ("33612345678", None),
    ],
)
def test_insight_area(e164: str, area: str | None) -> None:
    assert number_insight(e164).area == area


@pytest.mark.parametrize(
    ("e164", "carrier"),
    [("447912345678", "O2"), ("8613912345678", "China Mobile"), ("14155550100", None)],
)
def test_insight_carrier(e164: str, carrier: str | None) -> None:
    assert number_insight(e164).carrier == carrier


@pytest.mark.parametrize(
    ("e164", "zone"),
    [
        ("14155550100", "America/Los_Angeles"),
        ("12125551234", "America/New_York"),
        ("441144960123", "Europe/London"),
        ("5491123456789", "America/Buenos_Aires"),
    ],
)
def test_insight_time_zone(e164: str, zone: str) -> None:
    assert zone in number_insight(e164).time_zones


def test_insight_no_unknown_zone() -> None:
    assert number_insight("80012345678").time_zones == ()


@pytest.mark.parametrize(
    ("e164", "country", "number_type"),
    [
        ("447700900123", "GB", "mobile"),
        ("441632960123", "GB", "landline"),
    ],
)
def test_insight_reserved_range(e164: str, country: str, number_type: str) -> None:
    insight = number_insight(e164)

    assert insight.country == country
    assert insight.number_type == number_type
    assert insight.carrier is None
    assert "Europe/London" in insight.time_zones


@pytest.mark.parametrize(
    "e164", ["+447912345678", "07912345678", "44 7912 345678", "123", ""]
)
def test_insight_rejects_other_form(e164: str) -> None:
    with pytest.raises(InvalidInput, match="not a number in Vonage form"):
        number_insight(e164)


@pytest.mark.parametrize("e164", ["4471234", "14150000000", "3361234567890"])
def test_insight_rejects_invalid(e164: str) -> None:
    with pytest.raises(InvalidInput, match="is not a valid number"):
        number_insight(e164)


@pytest.mark.parametrize(
    ("e164", "canonical"),
    [("4402079460123", "442079460123"), ("490301234567", "49301234567")],
)
def test_insight_rejects_trunk_prefix(e164: str, canonical: str) -> None:
    with pytest.raises(InvalidInput, match=f"which is {canonical} for this number"):
        number_insight(e164)


def test_insight_rejects_unknown_code() -> None:
    with pytest.raises(InvalidInput, match="country code"):
        number_insight("2801234567")
