"""Several processes on one store file: no double rents, no lost updates, clear busy errors.

The workers are forked processes, each with its own SQLite connection, like several
people running numdesk on one shared host. The parent opens no connection while it
forks, because a connection must not be carried across a fork.
"""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import closing, contextmanager
from decimal import Decimal
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

import pytest

from domain.applications import ApplicationDraft
from domain.errors import ChangedElsewhere, NotFound, NumdeskError
from domain.numbers import Feature, SearchQuery
from store import database, records
from store.account import SandboxAccount, open_sandbox
from store.consistency import find_problems
from tests.conftest import fixed_clock

RENTERS = 8
RENT_ROUNDS = 30
RACE_ROUNDS = 20
# Enough credit for every round: each test starts by adding it, because the
# 10.00 EUR starting balance pays for about ten rents.
TOP_UP_CENTS = 100_000
WORKER_TIMEOUT_SECONDS = 120
SALES = ApplicationDraft(
    name="Sales", answer_url="https://example.com/a", event_url="https://example.com/e"
)

FORK = multiprocessing.get_context("fork")


@contextmanager
def opened(path: Path, user: str = "parent") -> Iterator[SandboxAccount]:
    account = open_sandbox(path, clock=fixed_clock, user=user)
    try:
        yield account
    finally:
        account.close()


def top_up(path: Path) -> Decimal:
    with closing(sqlite3.connect(path, isolation_level=None)) as connection:
        connection.execute(
            "UPDATE account SET balance_cents = balance_cents + ?", [TOP_UP_CENTS]
        )
        cents = connection.execute("SELECT balance_cents FROM account").fetchone()[0]
    return records.eur(int(cents))


def voice_numbers(path: Path, count: int) -> list[str]:
    query = SearchQuery(country="US", features=frozenset({Feature.VOICE}), size=count)
    with opened(path) as account:
        return [number.msisdn for number in account.search(query).items]


def run_workers(target: Any, arguments: list[tuple[Any, ...]]) -> list[Any]:
    """Run `target(*arguments[i], results)` in one forked process each.

    Returns what each process put on `results`, in the order they arrived.
    """
    results = FORK.Queue()
    processes = [
        FORK.Process(target=target, args=(*args, results)) for args in arguments
    ]
    for process in processes:
        process.start()
    collected = [results.get(timeout=WORKER_TIMEOUT_SECONDS) for _ in processes]
    for process in processes:
        process.join(WORKER_TIMEOUT_SECONDS)
    assert [process.exitcode for process in processes] == [0] * len(processes)
    return collected


def rent_each_round(
    path: Path, msisdns: list[str], barrier: Barrier, results: Any
) -> None:
    """Rent every msisdn in turn, starting each round with all the other renters."""
    outcomes: list[tuple[str, str]] = []
    with opened(path, user=f"renter-{os.getpid()}") as account:
        for msisdn in msisdns:
            barrier.wait()
            try:
                account.rent(msisdn)
                outcomes.append((msisdn, "rented"))
            except NumdeskError as error:
                outcomes.append((msisdn, type(error).__name__))
    results.put(outcomes)


def test_eight_renters_one_winner(store_path: Path) -> None:
    balance = top_up(store_path)
    msisdns = voice_numbers(store_path, RENT_ROUNDS)
    barrier = FORK.Barrier(RENTERS)

    per_renter = run_workers(
        rent_each_round, [(store_path, msisdns, barrier)] * RENTERS
    )

    outcomes = [outcome for renter in per_renter for outcome in renter]
    winners = Counter(msisdn for msisdn, outcome in outcomes if outcome == "rented")
    losers = Counter(outcome for _, outcome in outcomes if outcome != "rented")
    assert winners == Counter(dict.fromkeys(msisdns, 1))
    assert losers == Counter({"AlreadyOwned": RENT_ROUNDS * (RENTERS - 1)})
    with opened(store_path) as account:
        costs = sum(account.owned_number(msisdn).cost for msisdn in msisdns)
        assert sorted(n.msisdn for n in account.owned_numbers()) == sorted(msisdns)
        assert account.balance() == balance - costs
        assert len(account.history(limit=1000)) == RENT_ROUNDS


def race_link_and_cancel(
    path: Path,
    action: str,
    rounds: list[tuple[str, str]],
    barrier: Barrier,
    results: Any,
) -> None:
    """Read each number, then link it or cancel it together with the other racer."""
    outcomes: list[str] = []
    with opened(path, user=action) as account:
        for msisdn, app_id in rounds:
            barrier.wait()
            account.owned_number(msisdn)
            barrier.wait()
            try:
                if action == "link":
                    account.link(msisdn, app_id)
                else:
                    account.cancel(msisdn)
                outcomes.append("done")
            except (ChangedElsewhere, NotFound) as error:
                outcomes.append(str(error))
    results.put((action, outcomes))


def test_link_cancel_race_one_wins(store_path: Path) -> None:
    top_up(store_path)
    msisdns = voice_numbers(store_path, RACE_ROUNDS)
    with opened(store_path) as account:
        app_id = account.create_application(SALES).id
        for msisdn in msisdns:
            account.rent(msisdn)
    rounds = [(msisdn, app_id) for msisdn in msisdns]
    barrier = FORK.Barrier(2)

    outcomes = dict(
        run_workers(
            race_link_and_cancel,
            [(store_path, action, rounds, barrier) for action in ("link", "cancel")],
        )
    )

    with opened(store_path) as account:
        owned = {number.msisdn: number for number in account.owned_numbers()}
        for index, msisdn in enumerate(msisdns):
            link, cancel = outcomes["link"][index], outcomes["cancel"][index]
            assert [link, cancel].count("done") == 1, (msisdn, link, cancel)
            if link == "done":
                assert "Another numdesk changed" in cancel
                assert owned[msisdn].app_id == app_id
            else:
                assert "does not own" in link
                assert msisdn not in owned


def test_race_leaves_store_consistent(store_path: Path) -> None:
    msisdns = voice_numbers(store_path, 4)
    with opened(store_path) as account:
        app_id = account.create_application(SALES).id
        for msisdn in msisdns:
            account.rent(msisdn)
    barrier = FORK.Barrier(2)

    run_workers(
        race_link_and_cancel,
        [
            (store_path, action, [(m, app_id) for m in msisdns], barrier)
            for action in ("link", "cancel")
        ],
    )

    with closing(sqlite3.connect(store_path)) as connection:
        assert find_problems(connection) == []


def test_cli_busy_store_exits_one(store_path: Path) -> None:
    msisdn = voice_numbers(store_path, 1)[0]
    holder = sqlite3.connect(store_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")

    try:
        completed = subprocess.run(
            [
                sys.executable,
                "-m",
                "cli.main",
                "--db",
                str(store_path),
                "numbers",
                "rent",
                msisdn,
                "--yes",
            ],
            capture_output=True,
            text=True,
            timeout=WORKER_TIMEOUT_SECONDS,
        )
    finally:
        holder.execute("ROLLBACK")
        holder.close()

    assert completed.returncode == 1
    assert completed.stderr.startswith("error: The store ")
    assert "is busy: another numdesk kept it locked for 5 seconds" in completed.stderr
    assert completed.stderr.count("\n") == 1
    with opened(store_path) as account:
        assert account.owned_numbers() == []


def test_close_never_waits_for_writer(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # With a lock wait far longer than the join below, a close that waited for
    # the writer's lock would still be running.
    monkeypatch.setattr(database, "BUSY_TIMEOUT_SECONDS", 600)
    account = open_sandbox(store_path, clock=fixed_clock)
    account.balance()
    holder = sqlite3.connect(store_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE account SET balance_cents = 0")

    try:
        closing_thread = threading.Thread(target=account.close)
        closing_thread.start()
        closing_thread.join(timeout=60)
        still_closing = closing_thread.is_alive()
    finally:
        holder.execute("COMMIT")
        holder.close()

    assert not still_closing
    with opened(store_path) as reopened:
        assert reopened.balance() == Decimal("0.00")


def test_readers_never_wait_for_writer(store_path: Path) -> None:
    # WAL lets every process read while another holds the write lock.
    holder = sqlite3.connect(store_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE account SET balance_cents = 0")

    try:
        with opened(store_path) as account:
            balance = account.balance()
            count = account.search(SearchQuery(country="US")).count
    finally:
        holder.execute("ROLLBACK")
        holder.close()

    assert balance == Decimal("10.00")
    assert count > 0
