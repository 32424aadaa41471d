"""The advice shown when a number search finds nothing."""

from __future__ import annotations

import pytest

from domain.numbers import PatternMatch, SearchQuery, pattern_digits
from domain.search_hints import PatternSuggestion, country_code_hint, suggest_pattern


@pytest.mark.parametrize(
    ("country", "pattern", "hint"),
    [
        ("US", "415", "country code 1: try the pattern 1415."),
        ("GB", "7700", "country code 44: try the pattern 447700."),
        ("DE", "30", "country code 49: try the pattern 4930."),
        ("IE", "1", "country code 353: try the pattern 3531."),
        # Italy's numbers keep their 0 after the country code.
        ("IT", "06", "country code 39: try the pattern 3906."),
        (
            "GB",
            "07301",
            "country code 44, without the trunk prefix 0: try the pattern 447301.",
        ),
        (
            "DE",
            "030",
            "country code 49, without the trunk prefix 0: try the pattern 4930.",
        ),
        (
            "GB",
            "004473",
            "country code 44, without the access code 00: try the pattern 4473.",
        ),
        (
            "US",
            "0111415",
            "country code 1, without the access code 011: try the pattern 1415.",
        ),
    ],
)
def test_hint_adds_country_code(country: str, pattern: str, hint: str) -> None:
    query = SearchQuery(country=country, pattern=pattern)
    assert country_code_hint(query) == f"Numbers start with the {hint}"


@pytest.mark.parametrize(
    ("country", "pattern", "suggestion"),
    [
        ("US", "004473", PatternSuggestion("GB", "4473", "73", "the access code 00")),
        ("US", "01149", PatternSuggestion("DE", "49", "", "the access code 011")),
        (
            "AU",
            "0011447",
            PatternSuggestion("GB", "447", "7", "the access code 0011"),
        ),
        # 0113 is Leeds, in the UK, where 011 is no access code.
        (
            "GB",
            "01134",
            PatternSuggestion("GB", "441134", "1134", "the trunk prefix 0"),
        ),
    ],
)
def test_suggested_country(
    country: str, pattern: str, suggestion: PatternSuggestion
) -> None:
    assert suggest_pattern(SearchQuery(country=country, pattern=pattern)) == suggestion


@pytest.mark.parametrize(
    ("written", "suggestion"),
    [
        ("+1 415", PatternSuggestion("US", "1415", "415", "+")),
        ("+49 30", PatternSuggestion("DE", "4930", "30", "+")),
        # The country's own code after a + is already right.
        ("+44 20", None),
    ],
)
def test_plus_names_country_code(
    written: str, suggestion: PatternSuggestion | None
) -> None:
    query = SearchQuery(country="GB", pattern=pattern_digits(written))

    assert suggest_pattern(query, written) == suggestion


def test_hint_after_plus() -> None:
    query = SearchQuery(country="GB", pattern="1415")

    assert country_code_hint(query, "+1 415") == (
        "The pattern starts with + and the country code 1 of United States (US): "
        "try `numdesk numbers search US --pattern 1415`."
    )


def test_hint_names_other_country() -> None:
    query = SearchQuery(country="US", pattern="004473")

    assert country_code_hint(query) == (
        "The pattern starts with the access code 00 and the country code 44 of "
        "United Kingdom (GB): try `numdesk numbers search GB --pattern 4473`."
    )


@pytest.mark.parametrize(
    ("country", "pattern", "match"),
    [
        ("US", "1415", PatternMatch.STARTS),
        ("GB", "4", PatternMatch.STARTS),
        ("IE", "35", PatternMatch.STARTS),
        ("US", "415", PatternMatch.CONTAINS),
        ("US", "0101", PatternMatch.ENDS),
        ("US", "", PatternMatch.STARTS),
        ("GB", "99999999999999", PatternMatch.STARTS),
        # A trunk prefix or an access code with nothing after it yet.
        ("GB", "0", PatternMatch.STARTS),
        ("GB", "00", PatternMatch.STARTS),
        ("GB", "004", PatternMatch.STARTS),
        # +800 is no country's code.
        ("US", "00800", PatternMatch.STARTS),
    ],
)
def test_no_hint(country: str, pattern: str, match: PatternMatch) -> None:
    query = SearchQuery(country=country, pattern=pattern, match=match)
    assert country_code_hint(query) is None
