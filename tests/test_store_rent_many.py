"""SandboxAccount.rent_many: a batch of rents and links, all or nothing."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from decimal import Decimal
from pathlib import Path

import pytest

from domain.applications import ApplicationDraft
from domain.errors import BatchRejected
from domain.numbers import Feature, SearchQuery
from store.account import SandboxAccount
from store.consistency import find_problems

SALES = ApplicationDraft(
    name="Sales", answer_url="https://example.com/a", event_url="https://example.com/e"
)


def voice_numbers(account: SandboxAccount, count: int) -> list[str]:
    query = SearchQuery(country="US", features=frozenset({Feature.VOICE}))
    return [number.msisdn for number in account.search(query).items[:count]]


def store_problems(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as connection:
        return find_problems(connection)


def test_rent_many_rents_and_links(account: SandboxAccount, store_path: Path) -> None:
    first, second = voice_numbers(account, 2)
    app_id = account.create_application(SALES).id
    cost = sum(account.available_number(m).cost for m in (first, second))

    rented = account.rent_many([(first, app_id), (second, None)])

    assert [(n.msisdn, n.app_id) for n in rented] == [(first, app_id), (second, None)]
    assert account.balance() == Decimal("10.00") - cost
    assert [e.action for e in reversed(account.history())] == [
        "create_application",
        "rent",
        "link",
        "rent",
    ]
    assert store_problems(store_path) == []


@pytest.mark.parametrize("problem", ["taken", "twice", "no-app", "balance"])
def test_rent_many_changes_nothing(account: SandboxAccount, problem: str) -> None:
    first, second = voice_numbers(account, 2)
    requests: list[tuple[str, str | None]] = [(first, None), (second, None)]
    if problem == "taken":
        account.rent(second)
    elif problem == "twice":
        requests.append((first, None))
    elif problem == "no-app":
        requests[1] = (second, "missing-app")
    else:
        account._store.connection.execute("UPDATE account SET balance_cents = 1")
    owned_before = account.owned_numbers()
    history_before = len(account.history())
    balance_before = account.balance()

    with pytest.raises(BatchRejected) as raised:
        account.rent_many(requests)

    assert len(raised.value.problems) == 1
    assert account.owned_numbers() == owned_before
    assert len(account.history()) == history_before
    assert account.balance() == balance_before


def test_rent_many_names_each_problem(account: SandboxAccount) -> None:
    first, second = voice_numbers(account, 2)
    account.rent(first)
    account.rent(second)

    with pytest.raises(BatchRejected) as raised:
        account.rent_many([(first, None), (second, None)])

    assert len(raised.value.problems) == 2
    assert first in raised.value.problems[0]
    assert second in raised.value.problems[1]
