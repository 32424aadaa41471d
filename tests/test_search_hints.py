"""The advice shown when a number search finds nothing."""

from __future__ import annotations

import pytest

from domain.numbers import PatternMatch, SearchQuery
from domain.search_hints import country_code_hint


@pytest.mark.parametrize(
    ("country", "pattern", "hint"),
    [
        ("US", "415", "country code 1: try the pattern 1415."),
        ("GB", "7700", "country code 44: try the pattern 447700."),
        ("DE", "30", "country code 49: try the pattern 4930."),
        ("IE", "1", "country code 353: try the pattern 3531."),
    ],
)
def test_hint_adds_country_code(country: str, pattern: str, hint: str) -> None:
    query = SearchQuery(country=country, pattern=pattern)
    assert country_code_hint(query) == f"Numbers start with the {hint}"


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
    ],
)
def test_no_hint(country: str, pattern: str, match: PatternMatch) -> None:
    query = SearchQuery(country=country, pattern=pattern, match=match)
    assert country_code_hint(query) is None
