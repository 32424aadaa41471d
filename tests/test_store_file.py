"""The store file: bad paths, schema versions, WAL, locking and all-or-nothing changes."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import threading
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from sqlite_utils import Database

from domain.applications import ApplicationDraft
from domain.errors import AlreadyOwned, NumdeskError, StoreError
from domain.numbers import SearchQuery
from store import database, schema
from store.account import SandboxAccount, open_sandbox
from tests.conftest import fixed_clock

RUNNING_AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
# The SQLite application_id of another kind of numdesk file: "NDLC" in ASCII.
OTHER_APPLICATION_ID = 0x4E444C43
DRAFT = ApplicationDraft(
    name="Sales", answer_url="https://example.com/a", event_url="https://example.com/e"
)


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def execute(path: Path, *statements: str) -> None:
    """Run statements on the file through a separate plain sqlite3 connection."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        for statement in statements:
            connection.execute(statement)
    finally:
        connection.close()


def first_voice_number(account: SandboxAccount) -> str:
    return account.search(SearchQuery(country="US")).items[0].msisdn


def test_open_folder(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a folder"):
        open_sandbox(tmp_path)


def test_open_under_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder")

    with pytest.raises(StoreError, match="cannot be created"):
        open_sandbox(blocker / "numdesk.db")


@pytest.mark.parametrize(
    "content",
    [b"not a database at all" * 50, b"SQLite format 3\x00" + b"\xff" * 4000],
    ids=["text", "damaged-header"],
)
def test_open_corrupt_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "numdesk.db"
    path.write_bytes(content)

    with pytest.raises(StoreError, match="not a numdesk store or is damaged"):
        open_sandbox(path)
    assert path.read_bytes() == content


def test_open_foreign_database(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    execute(path, "CREATE TABLE notes (text TEXT)")
    before = file_digest(path)

    with pytest.raises(StoreError, match="did not create"):
        open_sandbox(path)
    assert file_digest(path) == before


def test_open_other_application(tmp_path: Path) -> None:
    path = tmp_path / "cache.db"
    execute(
        path,
        f"PRAGMA application_id = {OTHER_APPLICATION_ID}",
        "PRAGMA user_version = 1",
        "CREATE TABLE owned (msisdn TEXT)",
    )
    before = file_digest(path)

    with pytest.raises(StoreError, match="not a numdesk sandbox store"):
        open_sandbox(path)
    assert file_digest(path) == before


def test_store_marked_as_sandbox(store_path: Path) -> None:
    with sqlite3.connect(store_path) as connection:
        application_id = connection.execute("PRAGMA application_id").fetchone()[0]

    assert application_id == schema.SANDBOX_APPLICATION_ID


def test_version_one_store_marked(store_path: Path) -> None:
    execute(store_path, "PRAGMA application_id = 0", "PRAGMA user_version = 1")

    open_sandbox(store_path, clock=fixed_clock).close()

    with sqlite3.connect(store_path) as connection:
        application_id = connection.execute("PRAGMA application_id").fetchone()[0]
        version = connection.execute("PRAGMA user_version").fetchone()[0]
    assert application_id == schema.SANDBOX_APPLICATION_ID
    assert version == schema.SCHEMA_VERSION


def test_open_newer_version(store_path: Path) -> None:
    execute(store_path, f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    before = file_digest(store_path)

    with pytest.raises(StoreError, match="upgrade numdesk") as caught:
        open_sandbox(store_path)
    assert f"version {schema.SCHEMA_VERSION + 1}" in str(caught.value)
    assert file_digest(store_path) == before


@pytest.mark.parametrize(
    ("statement", "damage"),
    [
        ("DROP TABLE owned", "it has no table 'owned'"),
        ("DROP TABLE change_log", "it has no table 'change_log'"),
        ("DELETE FROM account", "it has no account row"),
        (
            f"PRAGMA user_version = {schema.SCHEMA_VERSION - 2}",
            f"trigger {schema.KEYED_INVENTORY_TRIGGER} already exists",
        ),
    ],
    ids=["owned", "change-log", "account-row", "version"],
)
def test_open_damaged_store(store_path: Path, statement: str, damage: str) -> None:
    execute(store_path, statement)

    with pytest.raises(StoreError) as caught:
        open_sandbox(store_path)

    assert str(caught.value) == (
        f"The store {store_path} is damaged ({damage}): restore a backup with "
        "`numdesk restore`, or move the file away to start afresh."
    )


def test_account_row_deleted_while_open(store_path: Path) -> None:
    account = open_sandbox(store_path, clock=fixed_clock)
    execute(store_path, "DELETE FROM account")

    with pytest.raises(StoreError) as caught:
        account.balance()
    account.close()

    assert str(caught.value) == (
        f"The store {store_path} is damaged (it has no account row): restore a "
        "backup with `numdesk restore`, or move the file away to start afresh."
    )


@pytest.mark.parametrize(
    ("time", "details", "damage"),
    [
        ("x", "{}", "its time 'x' is not an ISO 8601 time"),
        ("2026-01-15T09:30:00+00:00", "not json", "its details are not a JSON object"),
        ("2026-01-15T09:30:00+00:00", "5", "its details are not a JSON object"),
    ],
    ids=["time", "not-json", "not-object"],
)
def test_history_of_damaged_entry(
    store_path: Path, time: str, details: str, damage: str
) -> None:
    execute(
        store_path,
        "INSERT INTO change_log (time, user, action, details) "
        f"VALUES ('{time}', 'ann', 'rent', '{details}')",
    )
    account = open_sandbox(store_path, clock=fixed_clock)

    with pytest.raises(StoreError) as caught:
        account.history()
    account.close()

    assert str(caught.value) == (
        f"The store {store_path} is damaged (change log entry 1 cannot be read: "
        f"{damage}): restore a backup with `numdesk restore`, or move the file away "
        "to start afresh."
    )


def test_history_filter_on_damaged_details(store_path: Path) -> None:
    execute(
        store_path,
        "INSERT INTO change_log (time, user, action, details) "
        "VALUES ('2026-01-15T09:30:00+00:00', 'ann', 'rent', 'not json')",
    )
    account = open_sandbox(store_path, clock=fixed_clock)

    with pytest.raises(StoreError, match=r"is damaged \(malformed JSON\)"):
        account.history(app_id="abc")
    account.close()


@pytest.mark.skipif(RUNNING_AS_ROOT, reason="root may read and write any file")
def test_open_read_only(store_path: Path) -> None:
    store_path.chmod(0o444)
    before = file_digest(store_path)

    with pytest.raises(StoreError, match="read-only"):
        open_sandbox(store_path)
    assert file_digest(store_path) == before


@pytest.mark.skipif(RUNNING_AS_ROOT, reason="root may read and write any file")
def test_open_unreadable(store_path: Path) -> None:
    store_path.chmod(0o000)

    with pytest.raises(StoreError, match="not readable"):
        open_sandbox(store_path)


def test_store_errors_are_numdesk_errors() -> None:
    assert issubclass(StoreError, NumdeskError)


def test_new_store_version(store_path: Path) -> None:
    with sqlite3.connect(store_path) as connection:
        version = connection.execute("PRAGMA user_version").fetchone()[0]

    assert version == schema.SCHEMA_VERSION


def test_store_uses_wal(store_path: Path) -> None:
    with sqlite3.connect(store_path) as connection:
        mode = connection.execute("PRAGMA journal_mode").fetchone()[0]

    assert mode == "wal"


def test_close_leaves_no_wal(store_path: Path, tmp_path: Path) -> None:
    account = open_sandbox(store_path, clock=fixed_clock)
    msisdn = first_voice_number(account)
    account.rent(msisdn)
    account.close()
    copy = tmp_path / "copy" / "numdesk.db"
    copy.parent.mkdir()
    shutil.copyfile(store_path, copy)

    reopened = open_sandbox(copy, clock=fixed_clock)
    owned = [number.msisdn for number in reopened.owned_numbers()]
    reopened.close()

    wal = store_path.with_name(store_path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    assert owned == [msisdn]


def test_close_twice(store_path: Path) -> None:
    account = open_sandbox(store_path, clock=fixed_clock)
    account.close()

    account.close()

    assert not store_path.with_name(store_path.name + "-wal").exists()


def test_reopen_keeps_changes(store_path: Path) -> None:
    account = open_sandbox(store_path, clock=fixed_clock)
    msisdn = first_voice_number(account)
    account.rent(msisdn)
    count = account.search(SearchQuery(country="US")).count
    account.close()

    reopened = open_sandbox(store_path, clock=fixed_clock)

    assert [number.msisdn for number in reopened.owned_numbers()] == [msisdn]
    assert reopened.search(SearchQuery(country="US")).count == count
    reopened.close()


def test_migration_applies_to_existing_store(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def add_notes(db: Database) -> None:
        db.table("owned").add_column("notes", str)

    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS, add_notes))
    monkeypatch.setattr(schema, "SCHEMA_VERSION", len(schema.MIGRATIONS))

    account = open_sandbox(store_path, clock=fixed_clock)
    account.close()

    with sqlite3.connect(store_path) as connection:
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        columns = [row[1] for row in connection.execute("PRAGMA table_info(owned)")]
    assert version == schema.SCHEMA_VERSION
    assert "notes" in columns


def test_failed_migration_leaves_store(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shipped_version = schema.SCHEMA_VERSION

    def broken(db: Database) -> None:
        db.execute("ALTER TABLE owned ADD COLUMN notes TEXT")
        db.execute("ALTER TABLE no_such_table ADD COLUMN notes TEXT")

    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS, broken))
    monkeypatch.setattr(schema, "SCHEMA_VERSION", len(schema.MIGRATIONS))

    with pytest.raises(StoreError, match="no such table: no_such_table"):
        open_sandbox(store_path, clock=fixed_clock)

    with sqlite3.connect(store_path) as connection:
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        columns = [row[1] for row in connection.execute("PRAGMA table_info(owned)")]
    assert version == shipped_version
    assert "notes" not in columns


# Inventory rows of a store written before the inventory had ids and a trigram index.
VERSION_2_INVENTORY = [
    ("12025550143", "US", "landline", "SMS,VOICE,MMS", 90),
    ("14155550123", "US", "landline", "VOICE", 90),
    ("447700900987", "GB", "mobile-lvn", "SMS,VOICE", 100),
    ("493012345678", "DE", "landline", "VOICE", 150),
]


def build_version_2_store(path: Path) -> None:
    """Write a store as numdesk wrote it at schema version 2, with a small inventory."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        db = schema.database(connection)
        for migration in schema.MIGRATIONS[:2]:
            migration(db)
        connection.execute("PRAGMA user_version = 2")
        connection.execute("INSERT INTO account (id, balance_cents) VALUES (1, 1000)")
        connection.executemany(
            "INSERT INTO inventory (msisdn, reversed_msisdn, country, type, features, "
            "cost_cents) VALUES (?, ?, ?, ?, ?, ?)",
            [(row[0], row[0][::-1], *row[1:]) for row in VERSION_2_INVENTORY],
        )
    finally:
        connection.close()


def read_rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as connection:
        return [tuple(row) for row in connection.execute(sql)]


def trigram_matches(path: Path, pattern: str) -> list[str]:
    rows = read_rows(
        path,
        "SELECT inventory.msisdn FROM inventory_fts CROSS JOIN inventory "
        "ON inventory.id = inventory_fts.rowid "
        f"WHERE inventory_fts MATCH '\"{pattern}\"'",
    )
    return [str(row[0]) for row in rows]


def test_version_2_store_keeps_inventory(tmp_path: Path) -> None:
    path = tmp_path / "numdesk.db"
    build_version_2_store(path)

    open_sandbox(path, clock=fixed_clock).close()

    rows = read_rows(
        path,
        "SELECT msisdn, country, type, features, cost_cents FROM inventory "
        "ORDER BY msisdn",
    )
    assert rows == sorted(VERSION_2_INVENTORY)
    assert read_rows(path, "PRAGMA user_version") == [(schema.SCHEMA_VERSION,)]


def test_version_2_store_gets_ids(tmp_path: Path) -> None:
    path = tmp_path / "numdesk.db"
    build_version_2_store(path)

    open_sandbox(path, clock=fixed_clock).close()

    rows = read_rows(path, "SELECT id, msisdn FROM inventory ORDER BY msisdn")
    assert rows == [(schema.msisdn_key(str(msisdn)), msisdn) for _, msisdn in rows]
    ids = [int(str(row[0])) for row in rows]
    assert ids == sorted(ids)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("5550", ["12025550143", "14155550123"]),
        ("7700900", ["447700900987"]),
        ("345", ["493012345678"]),
        ("999", []),
    ],
)
def test_version_2_store_gets_trigram_index(
    tmp_path: Path, pattern: str, expected: list[str]
) -> None:
    path = tmp_path / "numdesk.db"
    build_version_2_store(path)

    open_sandbox(path, clock=fixed_clock).close()

    assert sorted(trigram_matches(path, pattern)) == expected


@pytest.mark.parametrize("name", [*schema.INVENTORY_INDEXES, "inventory_by_msisdn"])
def test_new_store_has_index(store_path: Path, name: str) -> None:
    names = read_rows(store_path, "SELECT name FROM sqlite_schema WHERE type = 'index'")

    assert (name,) in names


def fts_integrity_check(path: Path) -> None:
    """Raise sqlite3.DatabaseError if the trigram index differs from the inventory."""
    execute(
        path,
        f"INSERT INTO {schema.INVENTORY_FTS} ({schema.INVENTORY_FTS}, rank) "
        "VALUES ('integrity-check', 1)",
    )


def test_trigram_index_follows_changes(store_path: Path) -> None:
    account = open_sandbox(store_path, clock=fixed_clock)
    rented = first_voice_number(account)
    account.rent(rented)
    cancelled = account.search(SearchQuery(country="GB")).items[0].msisdn
    account.rent(cancelled)
    account.cancel(cancelled)
    account.close()

    fts_integrity_check(store_path)

    assert rented not in trigram_matches(store_path, rented)
    assert cancelled in trigram_matches(store_path, cancelled)


INSERT_WITHOUT_ID = (
    "INSERT INTO inventory (msisdn, reversed_msisdn, country, type, features, "
    "cost_cents) VALUES ('12129990001', '10009992121', 'US', 'landline', 'VOICE', 90)"
)


def test_insert_without_id_gets_key(store_path: Path) -> None:
    execute(store_path, INSERT_WITHOUT_ID)

    rows = read_rows(
        store_path, "SELECT id FROM inventory WHERE msisdn = '12129990001'"
    )

    assert rows == [(schema.msisdn_key("12129990001"),)]


def test_insert_without_id_indexed(store_path: Path) -> None:
    execute(store_path, INSERT_WITHOUT_ID)

    fts_integrity_check(store_path)

    assert trigram_matches(store_path, "2999000") == ["12129990001"]


@pytest.mark.parametrize(
    ("shorter", "longer"),
    [
        ("4930123456", "49301234560"),
        ("4930123456", "49301234561"),
        ("4930123457", "49301234560"),
        ("1", "100000000000000"),
        ("999999999999999", "99999999999999"),
    ],
)
def test_msisdn_key_orders_as_text(shorter: str, longer: str) -> None:
    by_text = sorted([shorter, longer])
    by_key = sorted([shorter, longer], key=schema.msisdn_key)

    assert by_key == by_text


def test_msisdn_key_sql_matches(store_path: Path) -> None:
    mismatched = read_rows(
        store_path,
        "SELECT msisdn FROM inventory WHERE id != "
        + schema.MSISDN_KEY_SQL.format(msisdn="msisdn"),
    )
    keys_checked = read_rows(store_path, "SELECT id, msisdn FROM inventory LIMIT 500")

    assert mismatched == []
    assert all(key == schema.msisdn_key(str(msisdn)) for key, msisdn in keys_checked)


def test_integrity_check_catches_drift(store_path: Path) -> None:
    execute(
        store_path,
        "DROP TRIGGER inventory_ad",
        "DELETE FROM inventory WHERE id = (SELECT min(id) FROM inventory)",
    )

    with pytest.raises(sqlite3.DatabaseError):
        fts_integrity_check(store_path)


def test_old_sqlite_rejected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sqlite3, "sqlite_version_info", (3, 33, 0))

    with pytest.raises(StoreError, match=r"needs SQLite 3\.34 or newer"):
        open_sandbox(tmp_path / "numdesk.db", clock=fixed_clock)


def reject_change_log(path: Path) -> None:
    """Make every change log insert fail, so that a change fails at its last step."""
    execute(
        path,
        "CREATE TRIGGER reject_log BEFORE INSERT ON change_log "
        "BEGIN SELECT RAISE(ABORT, 'change log rejected'); END",
    )


def test_failed_rent_changes_nothing(store_path: Path) -> None:
    reject_change_log(store_path)
    account = open_sandbox(store_path, clock=fixed_clock)
    msisdn = first_voice_number(account)

    with pytest.raises(sqlite3.IntegrityError, match="change log rejected"):
        account.rent(msisdn)

    assert account.available_number(msisdn).msisdn == msisdn
    assert account.owned_numbers() == []
    assert account.balance() == Decimal("10.00")
    account.close()


def test_failed_delete_changes_nothing(store_path: Path) -> None:
    account = open_sandbox(store_path, clock=fixed_clock)
    msisdn = first_voice_number(account)
    account.rent(msisdn)
    app = account.create_application(DRAFT)
    account.link(msisdn, app.id)
    account.close()
    reject_change_log(store_path)
    account = open_sandbox(store_path, clock=fixed_clock)

    with pytest.raises(sqlite3.IntegrityError):
        account.delete_application(app.id)

    assert account.application(app.id) == app
    assert account.owned_number(msisdn).app_id == app.id
    account.close()


def test_second_process_cannot_rent_twice(store_path: Path) -> None:
    first = open_sandbox(store_path, clock=fixed_clock)
    second = open_sandbox(store_path, clock=fixed_clock)
    number = first.search(SearchQuery(country="US")).items[0]
    first.rent(number.msisdn)

    with pytest.raises(AlreadyOwned):
        second.rent(number.msisdn)
    assert second.balance() == Decimal("10.00") - number.cost
    first.close()
    second.close()


def test_concurrent_rents_one_wins(store_path: Path) -> None:
    accounts = [open_sandbox(store_path, clock=fixed_clock) for _ in range(2)]
    msisdn = first_voice_number(accounts[0])
    barrier = threading.Barrier(len(accounts))
    outcomes: list[str] = []

    def rent(account: SandboxAccount) -> Callable[[], None]:
        def run() -> None:
            barrier.wait()
            try:
                account.rent(msisdn)
                outcomes.append("rented")
            except AlreadyOwned:
                outcomes.append("already owned")

        return run

    threads = [threading.Thread(target=rent(account)) for account in accounts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["already owned", "rented"]
    assert len(accounts[0].owned_numbers()) == 1
    for account in accounts:
        account.close()


def test_busy_upgrade_reports_wait(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("store.account.UPGRADE_WAIT_SECONDS", 0.05)
    path = tmp_path / "numdesk.db"
    # Like another numdesk generating the same new store: WAL on, write lock held.
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA journal_mode = WAL")
    holder.execute("BEGIN IMMEDIATE")

    with pytest.raises(StoreError, match=r"locked for 0\.05 seconds"):
        open_sandbox(path, clock=fixed_clock)

    holder.execute("ROLLBACK")
    holder.close()


def test_busy_store_reports_error(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database, "BUSY_TIMEOUT_SECONDS", 0.05)
    account = open_sandbox(store_path, clock=fixed_clock)
    msisdn = first_voice_number(account)
    holder = sqlite3.connect(store_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")

    with pytest.raises(StoreError, match="busy"):
        account.rent(msisdn)

    holder.execute("ROLLBACK")
    holder.close()
    assert account.rent(msisdn).msisdn == msisdn
    account.close()
