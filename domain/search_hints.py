"""Advice for a number search that found nothing."""

from __future__ import annotations

from typing import NamedTuple

import phonenumbers

from domain.countries import Country, find_country
from domain.numbering import region_access_code, split_country_code, trunk_prefix
from domain.numbers import PatternMatch, SearchQuery, sort_features

MAX_MSISDN_DIGITS = 15
# The access code that ITU-T recommends, which people write in front of a country
# code in most of the world, whatever the country they search.
ITU_ACCESS_CODE = "00"


class PatternSuggestion(NamedTuple):
    """A starts-with pattern in Vonage form for a pattern typed another way.

    `country` is the region whose numbers the pattern finds, which differs from
    the query's when the pattern names another country code. `contains` is the
    typed digits of the number itself, for a contains search. `dropped` is
    what was taken off the front, such as `the trunk prefix 0`, or is None.
    """

    country: str
    pattern: str
    contains: str
    dropped: str | None = None

    @property
    def calling_code(self) -> int:
        return find_country(self.country).calling_code


def describe_no_results(query: SearchQuery, written: str = "") -> str:
    """Explain an empty search: the filters that found nothing and which to loosen.

    `written` is the pattern as the user typed it, such as +1 415.
    """
    outcome = empty_search_outcome(query)
    suggestion = suggest_pattern(query, written)
    if suggestion is not None:
        country = find_country(query.country)
        return f"{outcome}. {_describe_suggestion(suggestion, country)}"
    return f"{outcome}: {loosening_hint(query)}."


def _describe_suggestion(suggestion: PatternSuggestion, country: Country) -> str:
    starts = f"{PatternMatch.STARTS.label} {suggestion.pattern}"
    if suggestion.country != country.code:
        return (
            f"{starts_with_access_code(suggestion)}: press / to choose "
            f"{suggestion.country}, then try {starts}."
        )
    contains = ""
    if suggestion.contains:
        contains = f", or {PatternMatch.CONTAINS.label} {suggestion.contains}"
    return (
        f"{country.code} numbers start with {country.calling_code}"
        f"{without_dropped(suggestion)}: try {starts}{contains}."
    )


def suggest_pattern(query: SearchQuery, written: str = "") -> PatternSuggestion | None:
    """Return the starts-with pattern that the query's pattern most likely means.

    Msisdns start with the country code, so a pattern typed the national way, as
    415 in the US or 07700 in the UK, finds nothing. A pattern that starts with an
    international access code, as 0044 does, or is `written` with a + in front, as
    +1 415 is, names its country code. Returns None when the pattern is empty, is
    not a starts-with pattern, already starts with the country code or is part of
    it, or has no number after what it starts with.
    """
    if query.match is not PatternMatch.STARTS or not query.pattern:
        return None
    if written.lstrip().startswith("+"):
        return _after_plus(query)

    access_code = _access_code_in_front(query.pattern, query.country)
    if access_code is not None:
        return _after_access_code(query.pattern, access_code, query.country)

    calling_code = str(find_country(query.country).calling_code)
    if query.pattern.startswith(calling_code) or calling_code.startswith(query.pattern):
        return None
    national, dropped = _without_trunk_prefix(query.pattern, query.country)
    pattern = calling_code + national
    if not national or len(pattern) > MAX_MSISDN_DIGITS:
        return None
    return PatternSuggestion(query.country, pattern, national, dropped)


def _after_plus(query: SearchQuery) -> PatternSuggestion | None:
    """Suggest the country of the code written after a +, when it is another."""
    split = split_country_code(query.pattern)
    if split is None:
        return None
    code, number = split
    region = phonenumbers.region_code_for_country_code(code)
    if code == find_country(query.country).calling_code or not region.isalpha():
        return None
    return PatternSuggestion(region, query.pattern, number, "+")


def empty_search_outcome(query: SearchQuery) -> str:
    """Name the filters of a search that found nothing, in a sentence without its stop.

    Such as "No mobile numbers with SMS in United Kingdom (GB) match 'ends with 123'".
    """
    country = find_country(query.country)
    subject = f"{query.type.label} numbers" if query.type else "numbers"
    if query.features:
        subject += f" with {'+'.join(sort_features(query.features))}"
    subject += f" in {country.name} ({country.code})"
    if query.pattern:
        return f"No {subject} match '{query.match.label} {query.pattern}'"
    return f"No {subject} are available"


def loosening_hint(query: SearchQuery) -> str:
    """Name the filters to loosen, such as "try a shorter pattern or another country"."""
    choices = []
    if query.pattern:
        choices.append("a shorter pattern")
    if query.features:
        choices.append("fewer features")
    if query.type is not None:
        choices.append("any type")
    choices.append("another country")
    if len(choices) == 1:
        return f"try {choices[0]}"
    return f"try {', '.join(choices[:-1])} or {choices[-1]}"


def country_code_hint(query: SearchQuery, written: str = "") -> str | None:
    """Return the command line's hint: the pattern to search instead, or None.

    `written` is the pattern as the user gave it, such as +1 415.
    """
    suggestion = suggest_pattern(query, written)
    if suggestion is None:
        return None
    if suggestion.country != query.country:
        return (
            f"{starts_with_access_code(suggestion)}: try `numdesk numbers search "
            f"{suggestion.country} --pattern {suggestion.pattern}`."
        )
    return (
        f"Numbers start with the country code {suggestion.calling_code}"
        f"{without_dropped(suggestion)}: try the pattern {suggestion.pattern}."
    )


def starts_with_access_code(suggestion: PatternSuggestion) -> str:
    """Return the clause that names the pattern's access code and country code."""
    country = find_country(suggestion.country)
    return (
        f"The pattern starts with {suggestion.dropped} and the country code "
        f"{country.calling_code} of {country.name} ({country.code})"
    )


def without_dropped(suggestion: PatternSuggestion) -> str:
    """Return `, without the trunk prefix 0` or the like, or "" if nothing was dropped."""
    return "" if suggestion.dropped is None else f", without {suggestion.dropped}"


def _access_code_in_front(pattern: str, country: str) -> str | None:
    """Return the country's access code, or 00, that the pattern starts with."""
    code = region_access_code(pattern, country)
    if code is None and pattern.startswith(ITU_ACCESS_CODE):
        return ITU_ACCESS_CODE
    return code


def _after_access_code(
    pattern: str, code: str, country: str
) -> PatternSuggestion | None:
    """Read the country code after an access code, or None when none follows yet."""
    international = pattern[len(code) :]
    split = split_country_code(international)
    if split is None:
        return None
    calling_code, national = split
    if calling_code == find_country(country).calling_code:
        found_country = country
    else:
        found_country = phonenumbers.region_code_for_country_code(calling_code)
    if not found_country.isalpha():
        # A non-geographic code, such as +800, has no country to search.
        return None
    return PatternSuggestion(
        found_country, international, national, f"the access code {code}"
    )


def _without_trunk_prefix(pattern: str, country: str) -> tuple[str, str | None]:
    """Return the pattern without the country's trunk prefix, and what was dropped."""
    trunk = trunk_prefix(country)
    if trunk is None or not pattern.startswith(trunk[0]):
        return pattern, None
    prefix = trunk[0]
    return pattern[len(prefix) :], f"the trunk prefix {prefix}"
