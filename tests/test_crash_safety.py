"""Writers killed with SIGKILL at random moments leave the store consistent.

Each round forks two writer processes that rent one number or a batch of them
(`rent_many`, rents and links in one transaction), cancel, link, unlink, edit and
delete applications, and restore a backup (which replaces every row in one
transaction), and kills both after a random delay. Every tenth round
kills a process that is generating a new sandbox store instead. After every kill the
store must pass `store.consistency.find_problems`: SQLite's integrity check, no
number both available and owned, the balance equal to the start minus every logged
rent, and the change log agreeing with the owned numbers and their links. No number
may be lost either: each one stays available or owned.

The store is a trimmed copy of the sandbox, with a few hundred numbers at one cent
each, so that SQLite's integrity check takes milliseconds and the balance lasts for
every rent.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import sqlite3
from collections.abc import Callable, Sequence
from contextlib import closing, suppress
from multiprocessing.process import BaseProcess
from multiprocessing.synchronize import Event
from pathlib import Path

from domain.applications import ApplicationDraft
from domain.errors import NumdeskError
from domain.numbers import SearchQuery
from store import schema
from store.account import SandboxAccount, open_sandbox
from store.backup import backup_store, restore_store
from store.consistency import find_problems

ROUNDS = 100
GENERATION_EVERY = 10
WRITERS = 2
KEPT_NUMBERS = 300
# Delays before the kill, in seconds. Operations on the trimmed store take a few
# milliseconds each, so a writer is killed after tens of them.
OPERATION_DELAY = (0.01, 0.25)
GENERATION_DELAY = (0.05, 2.0)
# The size of each generated store. The default store takes about 2 s on a 2-core
# machine, so a kill could come after it is complete. This one takes over 30 s there.
GENERATED_ROWS = 2_000_000
READY_TIMEOUT_SECONDS = 60

FORK = multiprocessing.get_context("fork")
Operation = Callable[[SandboxAccount, random.Random, Path], object]


def trim_store(path: Path) -> None:
    """Keep a few hundred US numbers, each costing one cent a month."""
    with closing(sqlite3.connect(path, isolation_level=None)) as connection:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute(
            "DELETE FROM inventory WHERE msisdn NOT IN (SELECT msisdn FROM inventory "
            "WHERE country = 'US' ORDER BY msisdn LIMIT ?)",
            [KEPT_NUMBERS],
        )
        connection.execute("UPDATE inventory SET cost_cents = 1")
        connection.execute("COMMIT")
        connection.execute("VACUUM")


def draft(rng: random.Random) -> ApplicationDraft:
    name = f"App {rng.randrange(1000)}"
    return ApplicationDraft(
        name=name,
        answer_url=f"https://example.com/{rng.randrange(1000)}/answer",
        event_url="https://example.com/event",
    )


def rent(account: SandboxAccount, rng: random.Random, backup: Path) -> object:
    page = account.search(SearchQuery(country="US", size=100))
    return account.rent(rng.choice(page.items).msisdn)


def rent_batch(account: SandboxAccount, rng: random.Random, backup: Path) -> object:
    """Rent a few numbers in one transaction, linking some to an application."""
    page = account.search(SearchQuery(country="US", size=100))
    applications = account.applications()
    requests = [
        (number.msisdn, rng.choice(applications).id if applications else None)
        for number in rng.sample(page.items, min(3, len(page.items)))
    ]
    return account.rent_many(requests)


def cancel(account: SandboxAccount, rng: random.Random, backup: Path) -> object:
    owned = account.owned_numbers()
    return owned and account.cancel(rng.choice(owned).msisdn)


def link(account: SandboxAccount, rng: random.Random, backup: Path) -> object:
    owned = account.owned_numbers()
    applications = account.applications()
    if not owned or not applications:
        return account.create_application(draft(rng))
    return account.link(rng.choice(owned).msisdn, rng.choice(applications).id)


def unlink(account: SandboxAccount, rng: random.Random, backup: Path) -> object:
    owned = account.owned_numbers()
    return owned and account.unlink(rng.choice(owned).msisdn)


def edit_application(
    account: SandboxAccount, rng: random.Random, backup: Path
) -> object:
    applications = account.applications()
    if not applications:
        return account.create_application(draft(rng))
    return account.update_application(rng.choice(applications).id, draft(rng))


def delete_application(
    account: SandboxAccount, rng: random.Random, backup: Path
) -> object:
    applications = account.applications()
    return applications and account.delete_application(rng.choice(applications).id)


def restore(account: SandboxAccount, rng: random.Random, backup: Path) -> object:
    return restore_store(backup, account.path, user="restorer")


OPERATIONS: list[Operation] = [
    rent,
    rent,
    rent,
    rent_batch,
    rent_batch,
    cancel,
    link,
    link,
    unlink,
    edit_application,
    delete_application,
    restore,
]


def write_until_killed(path: Path, backup: Path, seed: int, ready: Event) -> None:
    """Run random changes on the store until the parent kills this process."""
    rng = random.Random(seed)
    account = open_sandbox(path, user=f"writer-{seed}")
    ready.set()
    while True:
        # Rejections, such as a number the other writer rented first, are normal.
        with suppress(NumdeskError):
            rng.choice(OPERATIONS)(account, rng, backup)


def generate_until_killed(path: Path, ready: Event) -> None:
    ready.set()
    open_sandbox(path, rows=GENERATED_ROWS)


def kill_after(processes: Sequence[BaseProcess], delay: float) -> None:
    """Wait `delay` seconds for the processes to end, then kill them with SIGKILL."""
    processes[0].join(delay)
    for process in processes:
        if process.pid is not None and process.exitcode is None:
            os.kill(process.pid, signal.SIGKILL)
        process.join()


def store_problems(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as connection:
        return find_problems(connection)


def all_numbers(path: Path) -> set[str]:
    """Return every msisdn that is either available or owned."""
    with closing(sqlite3.connect(path)) as connection:
        rows = connection.execute(
            "SELECT msisdn FROM inventory UNION ALL SELECT msisdn FROM owned"
        ).fetchall()
    return {str(row[0]) for row in rows}


def generated_store_problems(path: Path) -> list[str]:
    """Return what is wrong with a store whose generation was killed."""
    if not path.exists():
        return []
    with closing(sqlite3.connect(path)) as connection:
        version = schema.schema_version(connection)
        if version == 0:
            # Nothing committed yet: the next start generates the store again.
            tables = connection.execute(
                "SELECT count(*) FROM sqlite_schema WHERE type = 'table'"
            ).fetchone()[0]
            integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
            return [] if (tables, integrity) == (0, "ok") else [f"{tables} {integrity}"]
        return find_problems(connection)


def run_writers(path: Path, backup: Path, rng: random.Random) -> None:
    readiness = [FORK.Event() for _ in range(WRITERS)]
    writers = [
        FORK.Process(
            target=write_until_killed, args=(path, backup, rng.randrange(2**32), ready)
        )
        for ready in readiness
    ]
    for writer in writers:
        writer.start()
    for ready in readiness:
        assert ready.wait(READY_TIMEOUT_SECONDS)
    kill_after(writers, rng.uniform(*OPERATION_DELAY))
    assert [writer.exitcode for writer in writers] == [-signal.SIGKILL] * WRITERS


def run_generation(path: Path, rng: random.Random) -> None:
    ready = FORK.Event()
    generator = FORK.Process(target=generate_until_killed, args=(path, ready))
    generator.start()
    assert ready.wait(READY_TIMEOUT_SECONDS)
    kill_after([generator], rng.uniform(*GENERATION_DELAY))
    assert generator.exitcode == -signal.SIGKILL


def test_killed_writers_leave_store_consistent(
    store_path: Path, tmp_path: Path
) -> None:
    trim_store(store_path)
    backup = tmp_path / "backup.db"
    with closing(open_sandbox(store_path, user="setup")) as account:
        for _ in range(5):
            rent(account, random.Random(1), backup)
        link(account, random.Random(2), backup)
    backup_store(store_path, backup)
    numbers = all_numbers(store_path)
    rng = random.Random(20260115)

    for round_number in range(1, ROUNDS + 1):
        if round_number % GENERATION_EVERY == 0:
            generated = tmp_path / f"generated-{round_number}.db"
            run_generation(generated, rng)
            assert generated_store_problems(generated) == [], round_number
        else:
            run_writers(store_path, backup, rng)
            assert store_problems(store_path) == [], round_number
            assert all_numbers(store_path) == numbers, round_number

    with closing(open_sandbox(store_path, user="after")) as account:
        assert rent(account, rng, backup) is not None
    assert store_problems(store_path) == []
