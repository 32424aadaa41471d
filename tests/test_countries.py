"""Countries found by what people type: a name, an ISO code or a calling code."""

from __future__ import annotations

import pytest

from domain.countries import all_countries, match_countries, resolve_country
from domain.errors import InvalidInput
from domain.numbering import country_label


@pytest.mark.parametrize(
    ("text", "first_code"),
    [
        ("germ", "DE"),
        ("GERMANY", "DE"),
        ("de", "DE"),
        ("DE", "DE"),
        ("+49", "DE"),
        ("49", "DE"),
        ("gb", "GB"),
        ("united k", "GB"),
        ("uk", "GB"),
        ("UK", "GB"),
        ("kingdom", "GB"),
        ("+44", "GB"),
        ("+1", "US"),
        ("  us ", "US"),
        # Several words, each the start of a word of the name, in any order.
        ("virgin british", "VG"),
        ("korea south", "KR"),
        ("guinea new", "PG"),
    ],
)
def test_match_countries_first(text: str, first_code: str) -> None:
    assert match_countries(text)[0].code == first_code


def test_match_countries_empty_lists_all() -> None:
    assert match_countries("") == list(all_countries())


@pytest.mark.parametrize("text", ["zzz", "+999", "[bold]"])
def test_match_countries_none(text: str) -> None:
    assert match_countries(text) == []


def test_match_countries_code_before_name() -> None:
    codes = [country.code for country in match_countries("de")]
    assert codes.index("DE") < codes.index("DK")


def test_words_in_any_order_need_own_words() -> None:
    # South Africa has no word for s once south takes its first word.
    codes = [country.code for country in match_countries("south s")]
    assert codes == ["SS"]


def test_match_countries_rank_order() -> None:
    codes = [country.code for country in match_countries("gu")]
    name_start, later_word, inside = (
        codes.index("GT"),
        codes.index("PG"),
        codes.index("PY"),
    )
    assert name_start < later_word < inside


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("United Kingdom", "GB"),
        ("united states", "US"),
        ("Guinea", "GN"),
        ("germany", "DE"),
        ("kingdom", "GB"),
        ("south africa", "ZA"),
        ("44", "GB"),
        ("+1", "US"),
        ("uk", "GB"),
        (" de ", "DE"),
        ("korea south", "KR"),
        ("virgin british", "VG"),
    ],
)
def test_resolve_country(text: str, code: str) -> None:
    assert resolve_country(text).code == code


def test_resolve_country_ambiguous() -> None:
    with pytest.raises(InvalidInput) as caught:
        resolve_country("united")

    message = str(caught.value)
    assert message.startswith("'united' matches several countries: ")
    assert "United Kingdom (GB)" in message
    assert message.endswith("Give its ISO 3166 code or more of its name.")


@pytest.mark.parametrize(
    "text",
    ["zzz", "+999", "", "LVA", "CHE", "ISL", "ROC", "America", "4", "EU", "germ"],
)
def test_resolve_country_unknown(text: str) -> None:
    with pytest.raises(InvalidInput, match="give a name, an ISO 3166 code"):
        resolve_country(text)


@pytest.mark.parametrize(
    ("region", "label"),
    [("GB", "United Kingdom (GB)"), ("XK", "XK"), ("AC", "AC")],
)
def test_country_label(region: str, label: str) -> None:
    assert country_label(region) == label
