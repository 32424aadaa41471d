"""The inventory counts by country, type and features stay those of the inventory."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from domain.numbers import Feature, NumberType, SearchQuery
from store.account import SandboxAccount, open_sandbox
from store.consistency import find_problems
from store.schema import INVENTORY_COUNT_TRIGGERS, INVENTORY_COUNTS
from tests.conftest import fixed_clock

VOICE = frozenset({Feature.VOICE})


def counts_problems(path: Path) -> list[str]:
    with sqlite3.connect(path) as connection:
        return [
            problem
            for problem in find_problems(connection)
            if problem.startswith("The inventory count")
        ]


def counted(path: Path, country: str) -> int:
    with sqlite3.connect(path) as connection:
        row = connection.execute(
            f"SELECT sum(count) FROM {INVENTORY_COUNTS} WHERE country = ?", [country]
        ).fetchone()
    return int(row[0])


def inventory_size(path: Path, country: str) -> int:
    with sqlite3.connect(path) as connection:
        row = connection.execute(
            "SELECT count(*) FROM inventory WHERE country = ?", [country]
        ).fetchone()
    return int(row[0])


def voice_numbers(account: SandboxAccount, count: int) -> list[str]:
    page = account.search(SearchQuery(country="US", features=VOICE))
    return [number.msisdn for number in page.items[:count]]


def test_new_store_is_counted(account: SandboxAccount, store_path: Path) -> None:
    assert counted(store_path, "US") == inventory_size(store_path, "US") > 0
    assert counts_problems(store_path) == []


def test_rent_and_cancel_are_counted(account: SandboxAccount, store_path: Path) -> None:
    before = counted(store_path, "US")
    first, second, third = voice_numbers(account, 3)

    account.rent(first)
    account.rent_many([(second, None), (third, None)])
    assert counted(store_path, "US") == before - 3

    account.cancel(second)
    assert counted(store_path, "US") == before - 2
    assert counts_problems(store_path) == []


def test_replaced_inventory_is_counted(
    account: SandboxAccount, store_path: Path
) -> None:
    account.rent(voice_numbers(account, 1)[0])

    account.replace_inventory(3_000)

    with sqlite3.connect(store_path) as connection:
        [(total,)] = connection.execute(f"SELECT sum(count) FROM {INVENTORY_COUNTS}")
    assert total == 3_000
    assert counts_problems(store_path) == []


def test_old_store_counted_on_open(store_path: Path) -> None:
    with sqlite3.connect(store_path, isolation_level=None) as connection:
        for trigger in INVENTORY_COUNT_TRIGGERS:
            connection.execute(f"DROP TRIGGER {trigger}")
        connection.execute(f"DROP TABLE {INVENTORY_COUNTS}")
        connection.execute("PRAGMA user_version = 4")
        connection.execute("DELETE FROM inventory WHERE country = 'NZ'")
    connection.close()

    open_sandbox(store_path, clock=fixed_clock).close()

    assert counted(store_path, "US") == inventory_size(store_path, "US")
    assert counts_problems(store_path) == []


def test_wrong_count_is_reported(account: SandboxAccount, store_path: Path) -> None:
    with sqlite3.connect(store_path) as connection:
        [(number_type, features, count)] = connection.execute(
            f"SELECT type, features, count FROM {INVENTORY_COUNTS} "
            "WHERE country = 'GB' ORDER BY type, features LIMIT 1"
        )
        connection.execute(
            f"UPDATE {INVENTORY_COUNTS} SET count = count + 2 "
            "WHERE country = 'GB' AND type = ? AND features = ?",
            [number_type, features],
        )
    connection.close()

    assert count > 0
    assert counts_problems(store_path) == [
        f"The inventory count of GB {number_type} numbers with {features} is "
        f"{count + 2}, but the inventory has {count}."
    ]


@pytest.mark.parametrize("number_type", [None, *NumberType])
@pytest.mark.parametrize(
    "features", [frozenset(), VOICE, frozenset({Feature.SMS, Feature.VOICE})]
)
def test_counts_answer_filtered_searches(
    account: SandboxAccount,
    store_path: Path,
    number_type: NumberType | None,
    features: frozenset[Feature],
) -> None:
    account.rent(voice_numbers(account, 1)[0])
    query = SearchQuery(country="US", type=number_type, features=features)

    count = account.search(query).count

    conditions = ["country = 'US'"]
    if number_type is not None:
        conditions.append(f"type = '{number_type.value}'")
    conditions += [f"instr(features, '{feature.value}') > 0" for feature in features]
    with sqlite3.connect(store_path) as connection:
        [(expected,)] = connection.execute(
            f"SELECT count(*) FROM inventory WHERE {' AND '.join(conditions)}"
        )
    connection.close()
    assert count == expected
