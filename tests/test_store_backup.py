"""Backups and restores of real store files, and the consistency checks they rely on."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from domain.applications import ApplicationDraft
from domain.errors import StoreBusy, StoreError
from domain.numbers import Feature, SearchQuery
from store import database, schema
from store.account import SandboxAccount, open_sandbox
from store.backup import backup_store, describe_store, inspect_backup, restore_store
from store.consistency import find_problems
from tests.conftest import FIXED_NOW, fixed_clock

SALES = ApplicationDraft(
    name="Sales", answer_url="https://example.com/a", event_url="https://example.com/e"
)
RESTORED_AT = datetime(2026, 2, 1, 12, 0, tzinfo=UTC)


def restore_clock() -> datetime:
    return RESTORED_AT


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def execute(path: Path, *statements: str) -> None:
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        for statement in statements:
            connection.execute(statement)
    finally:
        connection.close()


def problems_in(path: Path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return find_problems(connection)
    finally:
        connection.close()


def rent_voice_numbers(account: SandboxAccount, count: int) -> list[str]:
    query = SearchQuery(country="US", features=frozenset({Feature.VOICE}))
    msisdns = [number.msisdn for number in account.search(query).items[:count]]
    for msisdn in msisdns:
        account.rent(msisdn)
    return msisdns


@pytest.fixture
def backup_path(account: SandboxAccount, tmp_path: Path) -> Path:
    """A backup of a store with two numbers, one linked to the application Sales."""
    first, _ = rent_voice_numbers(account, 2)
    account.link(first, account.create_application(SALES).id)
    path = tmp_path / "backup.db"
    backup_store(account.path, path)
    return path


@pytest.fixture
def other(store_path: Path) -> Iterator[SandboxAccount]:
    """A second account on the store, like another numdesk process."""
    account = open_sandbox(store_path, clock=fixed_clock, user="other")
    yield account
    account.close()


class TestBackup:
    def test_summary(self, backup_path: Path) -> None:
        summary = inspect_backup(backup_path)

        assert summary.owned_numbers == 2
        assert summary.applications == 1
        assert summary.change_log_entries == 4
        assert summary.last_change == FIXED_NOW
        assert summary.schema_version == schema.SCHEMA_VERSION

    def test_opens_as_store(self, account: SandboxAccount, backup_path: Path) -> None:
        copy = open_sandbox(backup_path, clock=fixed_clock)

        assert copy.owned_numbers() == account.owned_numbers()
        assert copy.applications() == account.applications()
        assert copy.balance() == account.balance()
        copy.close()

    def test_single_file(self, backup_path: Path) -> None:
        connection = sqlite3.connect(backup_path)
        mode = connection.execute("PRAGMA journal_mode").fetchone()[0]
        connection.close()

        assert mode == "delete"
        assert not Path(f"{backup_path}-wal").exists()

    def test_consistent(self, backup_path: Path) -> None:
        assert problems_in(backup_path) == []

    def test_leaves_no_temporary_file(self, backup_path: Path) -> None:
        assert [path.name for path in backup_path.parent.glob(".numdesk-*")] == []

    def test_existing_target(self, store_path: Path, tmp_path: Path) -> None:
        target = tmp_path / "taken.db"
        target.write_text("keep me")

        with pytest.raises(StoreError, match=r"already exists.*--overwrite"):
            backup_store(store_path, target)
        assert target.read_text() == "keep me"

    def test_overwrite(self, store_path: Path, tmp_path: Path) -> None:
        target = tmp_path / "taken.db"
        target.write_text("old backup")

        backup_store(store_path, target, overwrite=True)

        assert inspect_backup(target).owned_numbers == 0

    def test_target_is_folder(self, store_path: Path, tmp_path: Path) -> None:
        with pytest.raises(StoreError, match="is a folder"):
            backup_store(store_path, tmp_path)

    def test_target_is_store(self, store_path: Path) -> None:
        with pytest.raises(StoreError, match="is the store itself"):
            backup_store(store_path, store_path, overwrite=True)

    def test_target_folder_missing(self, store_path: Path, tmp_path: Path) -> None:
        with pytest.raises(StoreError, match="does not exist: create it"):
            backup_store(store_path, tmp_path / "missing" / "backup.db")

    def test_store_missing(self, tmp_path: Path) -> None:
        with pytest.raises(StoreError, match="does not exist"):
            backup_store(tmp_path / "none.db", tmp_path / "backup.db")
        assert not (tmp_path / "none.db").exists()

    def test_while_other_writes(
        self, store_path: Path, other: SandboxAccount, tmp_path: Path
    ) -> None:
        # The other account keeps a write transaction open during the backup.
        query = SearchQuery(country="US")
        msisdn = other.search(query).items[0].msisdn
        with other._store.write() as connection:
            connection.execute("DELETE FROM inventory WHERE msisdn = ?", [msisdn])
            backup_store(store_path, tmp_path / "backup.db")

        copy = open_sandbox(tmp_path / "backup.db", clock=fixed_clock)
        assert copy.search(query).items[0].msisdn == msisdn
        copy.close()


class TestInspect:
    @pytest.mark.parametrize(
        "content",
        [b"not a database" * 100, b"SQLite format 3\x00" + b"\xff" * 4000],
        ids=["text", "damaged-header"],
    )
    def test_corrupt(self, tmp_path: Path, content: bytes) -> None:
        path = tmp_path / "backup.db"
        path.write_bytes(content)

        with pytest.raises(StoreError, match="not a numdesk store or is damaged"):
            inspect_backup(path)

    def test_foreign_database(self, tmp_path: Path) -> None:
        path = tmp_path / "notes.db"
        execute(path, "CREATE TABLE notes (text TEXT)")

        with pytest.raises(StoreError) as caught:
            inspect_backup(path)

        assert str(caught.value) == (
            f"{path} is an SQLite database that numdesk did not create. Choose "
            "another backup."
        )

    def test_newer_version(self, backup_path: Path) -> None:
        execute(backup_path, f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")

        with pytest.raises(StoreError) as caught:
            inspect_backup(backup_path)

        assert str(caught.value) == (
            f"The backup {backup_path} has schema version "
            f"{schema.SCHEMA_VERSION + 1}, but this numdesk reads versions up to "
            f"{schema.SCHEMA_VERSION}: upgrade numdesk to restore it, or choose "
            "another backup."
        )

    @pytest.mark.parametrize(
        ("statement", "missing"),
        [
            ("DROP TABLE owned", "table 'owned'"),
            ("DELETE FROM account", "account row"),
        ],
    )
    def test_missing_part(
        self, backup_path: Path, statement: str, missing: str
    ) -> None:
        execute(backup_path, statement)

        with pytest.raises(StoreError) as caught:
            inspect_backup(backup_path)

        assert str(caught.value) == (
            f"The backup {backup_path} is damaged: it has no {missing}."
        )

    def test_unreadable_log_time(self, backup_path: Path) -> None:
        execute(
            backup_path,
            "INSERT INTO change_log (time, user, action, details) "
            "VALUES ('x', 'ann', 'rent', '{}')",
        )

        assert inspect_backup(backup_path).last_change == FIXED_NOW

    def test_empty_store(self, tmp_path: Path) -> None:
        path = tmp_path / "empty.db"
        execute(path, "PRAGMA user_version = 0")

        with pytest.raises(StoreError, match="is empty"):
            inspect_backup(path)

    def test_missing(self, tmp_path: Path) -> None:
        with pytest.raises(StoreError, match="does not exist"):
            inspect_backup(tmp_path / "none.db")

    def test_folder(self, tmp_path: Path) -> None:
        with pytest.raises(StoreError, match="is a folder"):
            inspect_backup(tmp_path)

    def test_describe_missing_store(self, tmp_path: Path) -> None:
        assert describe_store(tmp_path / "none.db") is None


class TestRestore:
    def test_brings_back_rows(self, account: SandboxAccount, backup_path: Path) -> None:
        numbers = account.owned_numbers()
        balance = account.balance()
        for number in numbers:
            account.cancel(number.msisdn)

        restore_store(backup_path, account.path, user="admin", clock=restore_clock)

        assert account.owned_numbers() == numbers
        assert account.balance() == balance

    def test_logs_restore(self, account: SandboxAccount, backup_path: Path) -> None:
        account.cancel(account.owned_numbers()[0].msisdn)

        restore_store(backup_path, account.path, user="admin", clock=restore_clock)

        entry = account.history()[0]
        assert entry.action == "restore"
        assert entry.user == "admin"
        assert entry.time == RESTORED_AT
        assert entry.details["after"]["backup"] == str(backup_path)
        assert entry.details["before"]["owned_numbers"] == 1
        assert entry.details["after"]["owned_numbers"] == 2

    def test_store_consistent(self, account: SandboxAccount, backup_path: Path) -> None:
        rent_voice_numbers(account, 3)

        restore_store(backup_path, account.path, clock=restore_clock)

        assert problems_in(account.path) == []

    def test_other_process_sees_it(
        self, account: SandboxAccount, other: SandboxAccount, backup_path: Path
    ) -> None:
        expected = account.owned_numbers()
        other.cancel(expected[1].msisdn)
        version = other.data_version()

        restore_store(backup_path, account.path, clock=restore_clock)

        assert other.data_version() != version
        assert other.owned_numbers() == expected

    def test_other_process_keeps_working(
        self, account: SandboxAccount, other: SandboxAccount, backup_path: Path
    ) -> None:
        restore_store(backup_path, account.path, clock=restore_clock)

        rented = rent_voice_numbers(other, 3)[-1]

        assert account.owned_number(rented).msisdn == rented
        assert problems_in(account.path) == []

    def test_into_missing_store(self, backup_path: Path, tmp_path: Path) -> None:
        store_path = tmp_path / "new" / "numdesk.db"

        summary = restore_store(backup_path, store_path, clock=restore_clock)

        assert summary.owned_numbers == 2
        assert summary.change_log_entries == 5
        assert problems_in(store_path) == []

    def test_older_backup_upgraded(
        self, account: SandboxAccount, backup_path: Path
    ) -> None:
        # Version 1 stores carry no application_id yet.
        execute(backup_path, "PRAGMA application_id = 0", "PRAGMA user_version = 1")

        summary = restore_store(backup_path, account.path, clock=restore_clock)

        assert summary.schema_version == schema.SCHEMA_VERSION
        assert len(account.owned_numbers()) == 2

    def test_leaves_no_temporary_file(
        self, account: SandboxAccount, backup_path: Path
    ) -> None:
        restore_store(backup_path, account.path, clock=restore_clock)

        assert list(account.path.parent.glob(".numdesk-*")) == []

    def test_store_itself(self, store_path: Path) -> None:
        with pytest.raises(StoreError, match="is the store itself"):
            restore_store(store_path, store_path)

    def test_inconsistent_backup(
        self, account: SandboxAccount, backup_path: Path
    ) -> None:
        owned = account.owned_numbers()[0]
        execute(
            backup_path,
            "INSERT INTO inventory (msisdn, reversed_msisdn, country, type, "
            f"features, cost_cents) VALUES ('{owned.msisdn}', '', 'US', "
            "'landline', 'VOICE', 0)",
        )
        account.close()
        before = file_digest(account.path)

        with pytest.raises(StoreError, match="both available and owned"):
            restore_store(backup_path, account.path)
        assert file_digest(account.path) == before

    def test_unreadable_log_entry(
        self, account: SandboxAccount, backup_path: Path
    ) -> None:
        execute(
            backup_path,
            "INSERT INTO change_log (time, user, action, details) "
            "VALUES ('x', 'ann', 'rent', 'not json')",
        )
        account.close()
        before = file_digest(account.path)

        with pytest.raises(StoreError) as caught:
            restore_store(backup_path, account.path)

        assert str(caught.value).endswith(
            "has a time or details that are not as numdesk writes them."
        )
        assert file_digest(account.path) == before

    def test_tables_of_another_version(
        self, account: SandboxAccount, backup_path: Path
    ) -> None:
        execute(backup_path, f"PRAGMA user_version = {schema.SCHEMA_VERSION - 2}")
        account.close()
        before = file_digest(account.path)

        with pytest.raises(StoreError) as caught:
            restore_store(backup_path, account.path)

        assert str(caught.value).startswith(
            f"The backup {backup_path} is damaged or inconsistent, so nothing was "
            "restored. Its tables are not those of schema version "
            f"{schema.SCHEMA_VERSION - 2} ("
        )
        assert file_digest(account.path) == before

    def test_busy_store(
        self,
        account: SandboxAccount,
        backup_path: Path,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        monkeypatch.setattr(database, "BUSY_TIMEOUT_SECONDS", 0.05)
        owned = account.owned_numbers()
        holder = sqlite3.connect(account.path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")

        with pytest.raises(StoreBusy, match="busy"):
            restore_store(backup_path, account.path)

        holder.execute("ROLLBACK")
        holder.close()
        assert account.owned_numbers() == owned


class TestConsistency:
    def test_fresh_store(self, store_path: Path) -> None:
        assert problems_in(store_path) == []

    def test_after_changes(self, backup_path: Path) -> None:
        assert problems_in(backup_path) == []

    @pytest.mark.parametrize(
        ("statement", "problem"),
        [
            (
                "INSERT INTO inventory (msisdn, reversed_msisdn, country, type, "
                "features, cost_cents) SELECT msisdn, '', country, type, features, "
                "cost_cents FROM owned",
                "both available and owned",
            ),
            ("UPDATE account SET balance_cents = 1000", "minus the rents"),
            (
                "DELETE FROM change_log WHERE action = 'link'",
                "but the change log links it to None",
            ),
            ("DELETE FROM owned", "is not owned"),
            (
                "INSERT INTO owned SELECT '10000000000', country, type, features, "
                "cost_cents, NULL, rented_at FROM owned LIMIT 1",
                "no rent of it since its last cancel",
            ),
            ("UPDATE owned SET app_id = 'gone'", "refers to a missing row"),
            (
                "UPDATE change_log SET details = '[]' WHERE action = 'rent'",
                "has a time or details that are not as numdesk writes them",
            ),
            (
                "UPDATE change_log SET time = 'yesterday'",
                "has a time or details that are not as numdesk writes them",
            ),
        ],
        ids=[
            "both",
            "balance",
            "link",
            "owned-missing",
            "unlogged",
            "foreign-key",
            "log-details",
            "log-time",
        ],
    )
    def test_finds_problem(
        self, backup_path: Path, statement: str, problem: str
    ) -> None:
        execute(backup_path, statement)

        assert any(problem in line for line in problems_in(backup_path))

    def test_lists_few_per_check(self, backup_path: Path) -> None:
        execute(
            backup_path,
            "INSERT INTO inventory (msisdn, reversed_msisdn, country, type, "
            "features, cost_cents) SELECT '2' || msisdn, '', country, type, "
            "features, cost_cents FROM inventory LIMIT 20",
            "INSERT INTO owned SELECT msisdn, country, type, features, cost_cents, "
            "NULL, 'x' FROM inventory WHERE msisdn LIKE '2%' LIMIT 20",
        )

        problems = [line for line in problems_in(backup_path) if "both" in line]

        assert len(problems) == 5
        assert "... and 15 more" in problems_in(backup_path)[5]

    def test_balance_uses_logged_cost(self, account: SandboxAccount) -> None:
        rent_voice_numbers(account, 1)

        assert account.balance() < Decimal("10.00")
        assert problems_in(account.path) == []
