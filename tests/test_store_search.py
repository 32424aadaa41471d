"""Searching the sandbox inventory: filters, patterns, paging and query plans."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

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
from store.account import SandboxAccount
from store.records import NUMBER_COLUMNS, search_filter


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


def query_plan(path: Path, query: SearchQuery) -> str:
    where, parameters = search_filter(query, query.country)
    sql = (
        f"SELECT {NUMBER_COLUMNS} FROM inventory WHERE {where} ORDER BY msisdn LIMIT 10"
    )
    with sqlite3.connect(path) as connection:
        rows = connection.execute(f"EXPLAIN QUERY PLAN {sql}", parameters).fetchall()
    return "\n".join(row[3] for row in rows)


@pytest.mark.parametrize(
    ("match", "expected"),
    [
        (
            PatternMatch.STARTS,
            "USING INDEX inventory_by_country_msisdn "
            "(country=? AND msisdn>? AND msisdn<?)",
        ),
        (
            PatternMatch.ENDS,
            "USING INDEX inventory_by_country_reversed_msisdn "
            "(country=? AND reversed_msisdn>? AND reversed_msisdn<?)",
        ),
        (PatternMatch.CONTAINS, "USING INDEX inventory_by_country_msisdn (country=?)"),
    ],
)
def test_search_plan_uses_index(
    store_path: Path, match: PatternMatch, expected: str
) -> None:
    plan = query_plan(store_path, SearchQuery(country="US", pattern="415", match=match))

    assert expected in plan
    assert "SCAN inventory" not in plan
