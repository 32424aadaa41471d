"""Searching the sandbox inventory: filters, patterns, paging and query plans."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from domain.countries import find_country
from domain.errors import InvalidInput
from domain.numbers import (
    MAX_PAGE_SIZE,
    AvailableNumber,
    Feature,
    NumberType,
    PatternMatch,
    SearchQuery,
    parse_features,
)
from store.account import SandboxAccount, open_sandbox
from store.search import inventory_query
from tests.conftest import fixed_clock


def inventory_msisdns(path: Path, country: str) -> list[str]:
    """Read a country's inventory straight from the file, as the oracle for counts."""
    with sqlite3.connect(path) as connection:
        rows = connection.execute(
            "SELECT msisdn FROM inventory WHERE country = ?", [country]
        ).fetchall()
    return sorted(row[0] for row in rows)


def all_pages(account: SandboxAccount, query: SearchQuery) -> list[AvailableNumber]:
    """Collect every page of a search by following `has_next`."""
    numbers: list[AvailableNumber] = []
    index = 1
    while True:
        page = account.search(
            SearchQuery(
                country=query.country,
                type=query.type,
                features=query.features,
                pattern=query.pattern,
                match=query.match,
                size=query.size,
                index=index,
            )
        )
        numbers.extend(page.items)
        if not page.has_next:
            return numbers
        index += 1


def matches(msisdn: str, pattern: str, match: PatternMatch) -> bool:
    if match is PatternMatch.STARTS:
        return msisdn.startswith(pattern)
    if match is PatternMatch.ENDS:
        return msisdn.endswith(pattern)
    return pattern in msisdn


@pytest.mark.parametrize("country", ["US", "GB", "DE", "JP", "NZ"])
def test_search_count_is_total(
    account: SandboxAccount, store_path: Path, country: str
) -> None:
    page = account.search(SearchQuery(country=country))

    assert page.count == len(inventory_msisdns(store_path, country))
    assert page.count > 0


def test_search_unknown_country(account: SandboxAccount) -> None:
    with pytest.raises(InvalidInput, match="'ZZ'"):
        account.search(SearchQuery(country="ZZ"))


def test_search_country_any_case(account: SandboxAccount) -> None:
    lower = account.search(SearchQuery(country=" gb "))
    upper = account.search(SearchQuery(country="GB"))

    assert lower == upper


def test_search_ordered_by_msisdn(account: SandboxAccount) -> None:
    items = account.search(SearchQuery(country="US", size=MAX_PAGE_SIZE)).items

    assert [item.msisdn for item in items] == sorted(item.msisdn for item in items)


def test_search_first_page(account: SandboxAccount, store_path: Path) -> None:
    page = account.search(SearchQuery(country="FR", size=25))

    assert [item.msisdn for item in page.items] == inventory_msisdns(store_path, "FR")[
        :25
    ]


@pytest.mark.parametrize("number_type", list(NumberType))
def test_search_by_type(account: SandboxAccount, number_type: NumberType) -> None:
    page = account.search(
        SearchQuery(country="GB", type=number_type, size=MAX_PAGE_SIZE)
    )

    assert page.count > 0
    assert {item.type for item in page.items} == {number_type}


def test_search_types_add_up(account: SandboxAccount) -> None:
    total = account.search(SearchQuery(country="GB")).count
    by_type = [
        account.search(SearchQuery(country="GB", type=number_type)).count
        for number_type in NumberType
    ]

    assert sum(by_type) == total


@pytest.mark.parametrize(
    "features",
    [
        frozenset({Feature.SMS}),
        frozenset({Feature.VOICE}),
        frozenset({Feature.MMS}),
        frozenset({Feature.SMS, Feature.VOICE, Feature.MMS}),
    ],
)
def test_search_by_features(
    account: SandboxAccount, store_path: Path, features: frozenset[Feature]
) -> None:
    with sqlite3.connect(store_path) as connection:
        rows = connection.execute(
            "SELECT features FROM inventory WHERE country = 'US'"
        ).fetchall()
    expected = sum(1 for row in rows if features <= parse_features(row[0]))

    page = account.search(
        SearchQuery(country="US", features=features, size=MAX_PAGE_SIZE)
    )

    assert page.count == expected
    assert all(features <= item.features for item in page.items)


@pytest.mark.parametrize("country", ["US", "CA", "MX"])
def test_north_american_mobiles_found(account: SandboxAccount, country: str) -> None:
    page = account.search(SearchQuery(country=country, type=NumberType.MOBILE))

    assert page.count > 0
    assert {item.type for item in page.items} == {NumberType.MOBILE}


def test_toll_free_has_no_sms(account: SandboxAccount) -> None:
    query = SearchQuery(
        country="US", type=NumberType.TOLL_FREE, features=frozenset({Feature.SMS})
    )

    assert account.search(query).count == 0


@pytest.mark.parametrize(
    ("country", "pattern", "match"),
    [
        ("US", "1415", PatternMatch.STARTS),
        ("US", "1", PatternMatch.STARTS),
        ("US", "18", PatternMatch.STARTS),
        ("GB", "447", PatternMatch.STARTS),
        ("US", "77", PatternMatch.ENDS),
        ("US", "1234", PatternMatch.ENDS),
        ("DE", "0", PatternMatch.ENDS),
        ("US", "4242", PatternMatch.CONTAINS),
        ("GB", "99", PatternMatch.CONTAINS),
        ("US", "415", PatternMatch.STARTS),
        ("US", "99999999999", PatternMatch.CONTAINS),
    ],
)
def test_search_pattern_count(
    account: SandboxAccount,
    store_path: Path,
    country: str,
    pattern: str,
    match: PatternMatch,
) -> None:
    expected = [
        msisdn
        for msisdn in inventory_msisdns(store_path, country)
        if matches(msisdn, pattern, match)
    ]

    page = account.search(
        SearchQuery(country=country, pattern=pattern, match=match, size=MAX_PAGE_SIZE)
    )

    assert page.count == len(expected)
    assert [item.msisdn for item in page.items] == expected[:MAX_PAGE_SIZE]


def test_search_pages_cover_all(account: SandboxAccount, store_path: Path) -> None:
    query = SearchQuery(country="US", pattern="1415", size=MAX_PAGE_SIZE)
    expected = [m for m in inventory_msisdns(store_path, "US") if m.startswith("1415")]

    numbers = all_pages(account, query)

    assert len(expected) > 2 * MAX_PAGE_SIZE, "The query must span several pages."
    assert [number.msisdn for number in numbers] == expected


@pytest.mark.parametrize(("size", "index"), [(7, 1), (7, 3), (10, 5), (100, 2)])
def test_search_page_slice(
    account: SandboxAccount, store_path: Path, size: int, index: int
) -> None:
    expected = inventory_msisdns(store_path, "NZ")
    offset = (index - 1) * size

    page = account.search(SearchQuery(country="NZ", size=size, index=index))

    assert [item.msisdn for item in page.items] == expected[offset : offset + size]
    assert page.count == len(expected)
    assert page.index == index


def test_search_last_page_partial(account: SandboxAccount, store_path: Path) -> None:
    total = len(inventory_msisdns(store_path, "NZ"))
    size = 100
    last_index = -(-total // size)

    page = account.search(SearchQuery(country="NZ", size=size, index=last_index))

    assert len(page.items) == total - (last_index - 1) * size
    assert not page.has_next


def test_search_past_last_page(account: SandboxAccount) -> None:
    page = account.search(SearchQuery(country="NZ", size=100, index=1000))

    assert page.items == ()
    assert page.count > 0


def test_search_excludes_owned(account: SandboxAccount) -> None:
    query = SearchQuery(country="NZ", size=5)
    rented = account.rent(account.search(query).items[0].msisdn)

    page = account.search(query)

    assert rented.msisdn not in {item.msisdn for item in page.items}
    assert page.count == account.search(SearchQuery(country="NZ")).count


def query_plan(path: Path, sql: str, parameters: Sequence[object]) -> list[str]:
    """Return the lines of SQLite's plan for a statement, outer loop first."""
    with sqlite3.connect(path) as connection:
        rows = connection.execute(f"EXPLAIN QUERY PLAN {sql}", parameters).fetchall()
    return [row[3] for row in rows]


def count_plan(path: Path, query: SearchQuery, country: str | None) -> list[str]:
    inventory = inventory_query(query, country, calling_code(country))
    return query_plan(path, inventory.counting.sql, inventory.counting.parameters)


def page_plan(
    path: Path, query: SearchQuery, country: str | None, edge: str | None = None
) -> list[str]:
    page = inventory_query(query, country, calling_code(country)).page(edge)
    return query_plan(path, page.sql, [*page.parameters, 10, 0])


def calling_code(country: str | None) -> int | None:
    return None if country is None else find_country(country).calling_code


COUNTRY_RANGE = "(country=? AND msisdn>? AND msisdn<?)"
COUNTRY_REVERSED_RANGE = "(country=? AND reversed_msisdn>? AND reversed_msisdn<?)"
LANDLINE_SMS = {"type": NumberType.LANDLINE, "features": frozenset({Feature.SMS})}


@pytest.mark.parametrize("filters", [{}, LANDLINE_SMS], ids=["any", "landline-sms"])
@pytest.mark.parametrize(
    ("pattern", "match", "count_index", "page_index"),
    [
        (
            "",
            PatternMatch.STARTS,
            # The counts table's key: the inventory's own is an integer id.
            "PRIMARY KEY (country=?",
            "INDEX inventory_by_country_msisdn (country=?)",
        ),
        (
            "1415",
            PatternMatch.STARTS,
            f"COVERING INDEX inventory_by_country_msisdn {COUNTRY_RANGE}",
            f"INDEX inventory_by_country_msisdn {COUNTRY_RANGE}",
        ),
        (
            "4155",
            PatternMatch.ENDS,
            f"COVERING INDEX inventory_by_country_reversed_msisdn "
            f"{COUNTRY_REVERSED_RANGE}",
            f"INDEX inventory_by_country_reversed_msisdn {COUNTRY_REVERSED_RANGE}",
        ),
        (
            "41",
            PatternMatch.CONTAINS,
            "COVERING INDEX inventory_by_country_msisdn (country=?)",
            "INDEX inventory_by_country_msisdn (country=?)",
        ),
    ],
)
def test_plan_uses_country_index(
    store_path: Path,
    pattern: str,
    match: PatternMatch,
    count_index: str,
    page_index: str,
    filters: dict[str, Any],
) -> None:
    query = SearchQuery("US", pattern=pattern, match=match, **filters)

    [count_line] = count_plan(store_path, query, "US")
    page_lines = page_plan(store_path, query, "US")

    assert count_line.startswith(f"SEARCH inventory USING {count_index}")
    assert page_lines[0] == f"SEARCH inventory USING {page_index}"


@pytest.mark.parametrize(
    ("pattern", "match", "index"),
    [
        ("1415", PatternMatch.STARTS, "inventory_by_msisdn (msisdn>? AND msisdn<?)"),
        (
            "4155",
            PatternMatch.ENDS,
            "inventory_by_reversed_msisdn (reversed_msisdn>? AND reversed_msisdn<?)",
        ),
    ],
)
def test_plan_any_country_uses_index(
    store_path: Path, pattern: str, match: PatternMatch, index: str
) -> None:
    query = SearchQuery("US", pattern=pattern, match=match)

    [count_line] = count_plan(store_path, query, None)
    page_lines = page_plan(store_path, query, None)

    assert count_line == f"SEARCH inventory USING COVERING INDEX {index}"
    assert page_lines[0] == f"SEARCH inventory USING INDEX {index}"


TRIGRAM_SCAN = "SCAN inventory_fts VIRTUAL TABLE INDEX "
ROW_BY_ID = "SEARCH inventory USING INTEGER PRIMARY KEY (rowid=?)"


@pytest.mark.parametrize("country", ["US", None], ids=["country", "any-country"])
@pytest.mark.parametrize("filters", [{}, LANDLINE_SMS], ids=["any", "landline-sms"])
@pytest.mark.parametrize("edge", [None, "14155550000"], ids=["offset", "edge"])
def test_plan_contains_pages_trigrams_in_order(
    store_path: Path, country: str | None, filters: dict[str, Any], edge: str | None
) -> None:
    query = SearchQuery("US", pattern="4155", match=PatternMatch.CONTAINS, **filters)

    trigrams, rows = page_plan(store_path, query, country, edge)

    assert trigrams.startswith(TRIGRAM_SCAN)
    assert rows == ROW_BY_ID


@pytest.mark.parametrize("filters", [{}, LANDLINE_SMS], ids=["any", "landline-sms"])
def test_plan_contains_counts_trigrams_first(
    store_path: Path, filters: dict[str, Any]
) -> None:
    query = SearchQuery("US", pattern="4155", match=PatternMatch.CONTAINS, **filters)

    trigrams, rows = count_plan(store_path, query, "US")

    assert trigrams.startswith(TRIGRAM_SCAN)
    assert rows == ROW_BY_ID


def test_plan_contains_counts_trigrams_alone(store_path: Path) -> None:
    query = SearchQuery("US", pattern="4155", match=PatternMatch.CONTAINS)

    [trigrams] = count_plan(store_path, query, None)

    assert trigrams.startswith(TRIGRAM_SCAN)


def test_plan_naive_join_scans_country(store_path: Path) -> None:
    # The form that the trigram search avoids: SQLite tests the whole country index
    # against the list of matches, which runs for minutes on a million numbers.
    sql = (
        "SELECT count(*) FROM inventory WHERE country = ? AND id IN "
        "(SELECT rowid FROM inventory_fts WHERE inventory_fts MATCH ?)"
    )

    plan = query_plan(store_path, sql, ["US", '"4155"'])

    assert plan[0].startswith("SEARCH inventory USING COVERING INDEX")
    assert plan[0].endswith("(country=?)")


@pytest.mark.parametrize(
    ("pattern", "match", "index"),
    [
        ("", PatternMatch.STARTS, "(country=? AND msisdn>?)"),
        ("1415", PatternMatch.STARTS, COUNTRY_RANGE),
        ("41", PatternMatch.CONTAINS, "(country=? AND msisdn>?)"),
    ],
)
def test_plan_page_after_edge(
    store_path: Path, pattern: str, match: PatternMatch, index: str
) -> None:
    query = SearchQuery("US", pattern=pattern, match=match)

    lines = page_plan(store_path, query, "US", edge="1")

    assert lines == [
        f"SEARCH inventory USING INDEX inventory_by_country_msisdn {index}"
    ]


@pytest.mark.parametrize(
    ("pattern", "match", "expected"),
    [
        ("", PatternMatch.STARTS, "inventory.msisdn"),
        ("1415", PatternMatch.STARTS, "inventory.msisdn"),
        ("41", PatternMatch.CONTAINS, "inventory.msisdn"),
        ("4155", PatternMatch.CONTAINS, "inventory_fts.rowid"),
        ("4155", PatternMatch.ENDS, None),
    ],
)
def test_order_column(pattern: str, match: PatternMatch, expected: str | None) -> None:
    query = SearchQuery("US", pattern=pattern, match=match)

    assert inventory_query(query, "US").order_column == expected


def pages_backward(account: SandboxAccount, query: SearchQuery) -> list[str]:
    """Collect every page from the last to the first, then put them in order."""
    last = account.search(query).page_count
    msisdns: list[str] = []
    for index in range(last, 0, -1):
        page = account.search(replace(query, index=index))
        msisdns = [item.msisdn for item in page.items] + msisdns
    return msisdns


@pytest.mark.parametrize(
    ("pattern", "match"),
    [
        ("", PatternMatch.STARTS),
        ("1212", PatternMatch.STARTS),
        ("12", PatternMatch.CONTAINS),
        ("1212", PatternMatch.CONTAINS),
        ("12", PatternMatch.ENDS),
    ],
)
def test_pages_backward_cover_all(
    account: SandboxAccount, store_path: Path, pattern: str, match: PatternMatch
) -> None:
    country = "US" if pattern else "NZ"
    query = SearchQuery(country, pattern=pattern, match=match, size=MAX_PAGE_SIZE)
    expected = [
        msisdn
        for msisdn in inventory_msisdns(store_path, country)
        if matches(msisdn, pattern, match)
    ]

    assert len(expected) > 2 * MAX_PAGE_SIZE, "The query must span several pages."
    assert pages_backward(account, query) == expected
    assert [number.msisdn for number in all_pages(account, query)] == expected


def test_page_after_rent_elsewhere(account: SandboxAccount, store_path: Path) -> None:
    query = SearchQuery("NZ", size=5)
    first, second = account.search(query), account.search(replace(query, index=2))
    other = open_sandbox(store_path, clock=fixed_clock, user="other")
    other.rent(second.items[0].msisdn)
    other.close()

    page = account.search(replace(query, index=2))

    assert page.count == first.count - 1
    assert [item.msisdn for item in page.items] == [
        *(item.msisdn for item in second.items[1:]),
        inventory_msisdns(store_path, "NZ")[9],
    ]


def test_count_after_cancel(account: SandboxAccount) -> None:
    query = SearchQuery("NZ")
    before = account.search(query).count
    rented = account.rent(account.search(query).items[0].msisdn)
    during = account.search(query).count

    account.cancel(rented.msisdn)

    assert during == before - 1
    assert account.search(query).count == before
