"""Advice for a number search that found nothing."""

from __future__ import annotations

from domain.countries import find_country
from domain.numbers import PatternMatch, SearchQuery

MAX_MSISDN_DIGITS = 15


def country_code_hint(query: SearchQuery) -> str | None:
    """Suggest the pattern with the country code in front, when that is the likely fix.

    Patterns match the whole msisdn, which starts with the country code, so a US
    area code such as 415 must be written 1415 to match at the start.
    """
    pattern = pattern_with_country_code(query)
    if pattern is None:
        return None
    calling_code = find_country(query.country).calling_code
    return (
        f"Numbers start with the country code {calling_code}: try the pattern "
        f"{pattern}."
    )


def pattern_with_country_code(query: SearchQuery) -> str | None:
    """Return the query's starts-with pattern behind its country's calling code.

    Returns None when that is unlikely to be the fix. That is so when the match is
    not "starts with" or the pattern is empty. It is also so when the pattern
    already starts with the code or is part of it, or when the result would be
    longer than an msisdn can be.
    """
    if query.match is not PatternMatch.STARTS or not query.pattern:
        return None

    calling_code = str(find_country(query.country).calling_code)
    if query.pattern.startswith(calling_code) or calling_code.startswith(query.pattern):
        return None
    if len(calling_code + query.pattern) > MAX_MSISDN_DIGITS:
        return None
    return calling_code + query.pattern
