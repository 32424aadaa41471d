"""Backing up a store and restoring one while other numdesk processes use it.

A backup is taken with SQLite's online backup API, which copies a consistent
snapshot while other processes keep writing. The copy is written to a temporary file
beside the target and renamed to the target's name only when it is complete.

A restore does not rename the backup over the store. Processes that have the store
open would go on writing to the old file after it is unlinked. They would also share
its `-wal` and `-shm` files with the new one, and SQLite's page "How To Corrupt An
SQLite Database File" lists mixing up those files as a cause of corruption.
Instead, the backup's rows replace the store's rows in one write transaction. Other
processes then see either the old store or the restored one, and a crash during the
restore leaves the old one.
"""

from __future__ import annotations

import getpass
import json
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

from domain.errors import StoreError
from store import records, schema
from store.consistency import find_problems
from store.database import StoreFile, is_damage, open_store_file

Clock = Callable[[], datetime]

_RESTORED = "restored"
_TEMPORARY_PREFIX = ".numdesk-"


@dataclass(frozen=True)
class StoreSummary:
    """The counts of a store or backup file, for a person to compare before a restore."""

    path: Path
    schema_version: int
    owned_numbers: int
    applications: int
    balance: Decimal
    change_log_entries: int
    last_change: datetime | None

    def describe(self) -> str:
        """Return a one-line description, such as `3 owned numbers, 1 application, ...`."""
        last = self.last_change.isoformat() if self.last_change else "never"
        return (
            f"{_count(self.owned_numbers, 'owned number')}, "
            f"{_count(self.applications, 'application')}, balance "
            f"{self.balance:.2f} EUR, {_count(self.change_log_entries, 'change')}, "
            f"last change {last}"
        )


def backup_store(
    store_path: Path, target: Path, *, overwrite: bool = False
) -> StoreSummary:
    """Copy the store at `store_path` to `target` while other processes may use it.

    Returns the summary of the copy. The copy uses a rollback journal rather than
    WAL, so it is one self-contained file.

    Raises:
        StoreError: no store is at `store_path` or it cannot be read, `target` is a
            folder, the store itself or an existing file (unless `overwrite`), or
            its folder cannot be written.
    """
    _check_backup_target(store_path, target, overwrite)
    with closing(_open_read_only(store_path, "store")) as source:
        version = _check_restorable(source, store_path, "store")
        with _temporary_file(target.parent, target) as temporary:
            with closing(_connect(temporary, target)) as copy:
                _copy_database(source, copy, target)
                summary = summarize(copy, target, version)
            _replace(temporary, target)
    return summary


def inspect_backup(backup: Path) -> StoreSummary:
    """Check that `backup` is a numdesk store that this numdesk can restore.

    Returns its summary. The full check of every page and row runs again during
    `restore_store`, on the copy that is restored.

    Raises:
        StoreError: the file is missing, not a numdesk store, from a newer numdesk,
            empty or damaged.
    """
    with closing(_open_read_only(backup, "backup")) as connection:
        version = _check_restorable(connection, backup, "backup")
        problems = [str(row[0]) for row in connection.execute("PRAGMA quick_check")]
        if problems != ["ok"]:
            raise _damaged_backup(backup, f"SQLite's quick check failed: {problems[0]}")
        return summarize(connection, backup, version)


def describe_store(store_path: Path) -> StoreSummary | None:
    """Return the summary of the store at `store_path`, or None if there is no file.

    Raises:
        StoreError: the file is not a numdesk store this numdesk can read.
    """
    if not store_path.exists():
        return None
    with closing(_open_read_only(store_path, "store")) as connection:
        version = _check_restorable(connection, store_path, "store")
        return summarize(connection, store_path, version)


def restore_store(
    backup: Path,
    store_path: Path,
    *,
    user: str | None = None,
    clock: Clock | None = None,
) -> StoreSummary:
    """Replace the contents of the store at `store_path` with those of `backup`.

    The backup is copied, upgraded to the current schema and checked with
    `store.consistency.find_problems` before anything in the store changes. The
    store then gets the backup's rows in one transaction, followed by a `restore`
    entry in its change log that names the backup. Without a store at
    `store_path`, the checked copy becomes the store. `user` and `clock` are
    recorded in that entry (defaults: the OS user and the current UTC time).

    Returns the summary of the restored store.

    Raises:
        StoreError: the backup cannot be restored, the store cannot be opened or
            written, or it stayed locked by another process.
    """
    if store_path.exists() and _same_file(backup, store_path):
        raise StoreError(
            f"{backup} is the store itself: give the path of a backup made with "
            "`numdesk backup`."
        )
    entry = _RestoreEntry(
        backup=backup,
        user=user or _os_user(),
        time=(clock or _utc_now)().astimezone(UTC).isoformat(),
    )
    try:
        store_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _cannot_write(store_path) from error
    with _temporary_file(store_path.parent, store_path) as staged:
        _stage(backup, staged, store_path)
        if not store_path.exists() and _install_new_store(staged, store_path, entry):
            return _summary_after_restore(store_path)
        _import_rows(staged, store_path, entry)
    return _summary_after_restore(store_path)


def summarize(
    connection: sqlite3.Connection,
    path: Path,
    version: int,
    database: str = "main",
) -> StoreSummary:
    """Count what the store open on `connection` (as `database`) contains."""

    def scalar(sql: str) -> Any:
        return connection.execute(sql.format(db=database)).fetchone()[0]

    balance = scalar("SELECT balance_cents FROM {db}.account WHERE id = 1")
    # An entry whose time is no time is damage, which restoring reports.
    last_change = scalar(
        "SELECT max(time) FROM {db}.change_log WHERE datetime(time) IS NOT NULL"
    )
    return StoreSummary(
        path=path,
        schema_version=version,
        owned_numbers=int(scalar("SELECT count(*) FROM {db}.owned")),
        applications=int(scalar("SELECT count(*) FROM {db}.applications")),
        balance=records.eur(int(balance or 0)),
        change_log_entries=int(scalar("SELECT count(*) FROM {db}.change_log")),
        last_change=datetime.fromisoformat(last_change) if last_change else None,
    )


@dataclass(frozen=True)
class _RestoreEntry:
    backup: Path
    user: str
    time: str


def _check_backup_target(store_path: Path, target: Path, overwrite: bool) -> None:
    if target.is_dir():
        raise StoreError(
            f"The backup path {target} is a folder: give the path of a file, such as "
            f"{target / 'numdesk-backup.db'}."
        )
    if not target.parent.is_dir():
        raise StoreError(
            f"The folder {target.parent} does not exist: create it first, or give a "
            "backup path in an existing folder."
        )
    if not target.exists():
        return
    if store_path.exists() and _same_file(store_path, target):
        raise StoreError(
            f"The backup path {target} is the store itself: give another path."
        )
    if not overwrite:
        raise StoreError(
            f"{target} already exists: give another path, or pass --overwrite to "
            "replace it."
        )


def _open_read_only(path: Path, role: str) -> sqlite3.Connection:
    """Open a store or backup file for reading only, never creating it."""
    if path.is_dir():
        raise StoreError(
            f"The {role} path {path} is a folder: give the path of a file."
        )
    if not path.exists():
        raise StoreError(f"The {role} {path} does not exist: check the path.")
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    try:
        connection = sqlite3.connect(uri, uri=True, isolation_level=None)
    except sqlite3.Error as error:
        raise StoreError(
            f"The {role} {path} cannot be opened: check that the file is readable."
        ) from error
    connection.row_factory = sqlite3.Row
    return connection


def _check_restorable(connection: sqlite3.Connection, path: Path, role: str) -> int:
    """Return the schema version of a store that has tables and data.

    Raises:
        StoreError: the file is not a numdesk store, is damaged, comes from a newer
            numdesk, or has no tables yet.
    """
    try:
        version = schema.check_version(connection, path, role)
        missing = schema.missing_parts(connection) if version else []
    except sqlite3.DatabaseError as error:
        raise StoreError(
            f"The {role} {path} is not a numdesk store or is damaged, because SQLite "
            "cannot read it."
        ) from error
    if version == 0:
        raise StoreError(
            f"The {role} {path} is empty: numdesk was still creating it, or was "
            "stopped while creating it."
        )
    if missing:
        raise StoreError(
            f"The {role} {path} is damaged: it has no {' and no '.join(missing)}."
        )
    return version


def _connect(path: Path, shown_path: Path) -> sqlite3.Connection:
    try:
        return sqlite3.connect(path, isolation_level=None)
    except sqlite3.Error as error:
        raise _cannot_write(shown_path) from error


def _copy_database(
    source: sqlite3.Connection, target: sqlite3.Connection, shown_path: Path
) -> None:
    """Copy every page of `source` into `target` and give the copy a rollback journal."""
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.OperationalError as error:
        raise _cannot_write(shown_path) from error


def _stage(backup: Path, staged: Path, store_path: Path) -> None:
    """Copy the backup to `staged`, upgrade it to the current schema and check it."""
    with closing(_open_read_only(backup, "backup")) as source:
        version = _check_restorable(source, backup, "backup")
        with closing(_connect(staged, store_path)) as copy:
            try:
                _copy_database(source, copy, store_path)
                copy.execute("BEGIN IMMEDIATE")
                _migrate_backup(copy, version, backup)
                copy.execute("COMMIT")
                problems = find_problems(copy)
            except sqlite3.OperationalError as error:
                raise _cannot_write(store_path) from error
            except sqlite3.DatabaseError as error:
                raise _damaged_backup(
                    backup, "SQLite cannot read all of it."
                ) from error
    if problems:
        raise _damaged_backup(backup, " ".join(problems))


def _migrate_backup(copy: sqlite3.Connection, version: int, backup: Path) -> None:
    try:
        schema.migrate(copy, version)
    except sqlite3.OperationalError as error:
        if not is_damage(error):
            raise
        raise _damaged_backup(
            backup, f"Its tables are not those of schema version {version} ({error})."
        ) from error


def _install_new_store(staged: Path, store_path: Path, entry: _RestoreEntry) -> bool:
    """Make the staged copy the store, if still no file has the store's name.

    Returns False when another process created the store meanwhile.
    """
    with closing(_connect(staged, store_path)) as connection:
        connection.execute("BEGIN IMMEDIATE")
        _log_restore(connection, entry, before=None)
        connection.execute("COMMIT")
    try:
        # A hard link, unlike a rename, fails when the name is taken.
        os.link(staged, store_path)
    except FileExistsError:
        return False
    except OSError as error:
        raise _cannot_write(store_path) from error
    return True


def _import_rows(staged: Path, store_path: Path, entry: _RestoreEntry) -> None:
    """Replace every row of the store with the staged copy's, in one transaction."""
    store, version = open_store_file(store_path)
    try:
        with store.errors():
            store.connection.execute(f"ATTACH DATABASE ? AS {_RESTORED}", [str(staged)])
        try:
            _replace_rows(store, version, entry)
        finally:
            store.connection.execute(f"DETACH DATABASE {_RESTORED}")
    finally:
        store.close()


def _replace_rows(store: StoreFile, version: int, entry: _RestoreEntry) -> None:
    with store.write() as connection, store.errors():
        # Another process may have upgraded the store since it was opened.
        schema.migrate(connection, schema.schema_version(connection))
        before = summarize(connection, store.path, version) if version else None
        # Rows arrive table by table, so links are checked at COMMIT instead.
        connection.execute("PRAGMA defer_foreign_keys = ON")
        for table in _tables(connection):
            columns = _columns(connection, "main", table)
            if columns != _columns(connection, _RESTORED, table):
                raise StoreError(
                    f"The table {table} of the backup {entry.backup} differs from the "
                    "store's after the upgrade, so nothing was restored."
                )
            column_list = ", ".join(columns)
            connection.execute(f"DELETE FROM main.{table}")
            connection.execute(
                f"INSERT INTO main.{table} ({column_list}) "
                f"SELECT {column_list} FROM {_RESTORED}.{table}"
            )
        _log_restore(connection, entry, before)


def _tables(connection: sqlite3.Connection) -> list[str]:
    """Return the store's ordinary tables, which hold every row a restore copies.

    Virtual tables, such as a full-text index, and their shadow tables (named after
    them) are left out, because the store's triggers on the ordinary tables keep
    them in step.
    """
    rows = connection.execute(
        "SELECT name, sql FROM main.sqlite_schema WHERE type = 'table' "
        "AND name NOT LIKE 'sqlite_%' ORDER BY name"
    ).fetchall()
    virtual = [
        str(name) for name, sql in rows if str(sql).upper().startswith("CREATE VIRTUAL")
    ]
    return [
        str(name)
        for name, _ in rows
        if not any(
            name == table or str(name).startswith(f"{table}_") for table in virtual
        )
    ]


def _columns(connection: sqlite3.Connection, database: str, table: str) -> list[str]:
    rows = connection.execute(f"PRAGMA {database}.table_info({table})").fetchall()
    return [str(row[1]) for row in rows]


def _log_restore(
    connection: sqlite3.Connection,
    entry: _RestoreEntry,
    before: StoreSummary | None,
) -> None:
    after = summarize(connection, entry.backup, schema.SCHEMA_VERSION)
    details = {
        "before": _logged_summary(before) if before else None,
        "after": {**_logged_summary(after), "backup": str(entry.backup)},
    }
    connection.execute(
        f"INSERT INTO change_log ({records.CHANGE_LOG_COLUMNS}) "
        "VALUES (?, ?, 'restore', NULL, NULL, ?)",
        [entry.time, entry.user, json.dumps(details, sort_keys=True)],
    )


def _logged_summary(summary: StoreSummary) -> dict[str, Any]:
    return {
        "owned_numbers": summary.owned_numbers,
        "applications": summary.applications,
        "balance": f"{summary.balance:.2f}",
    }


def _summary_after_restore(store_path: Path) -> StoreSummary:
    summary = describe_store(store_path)
    assert summary is not None, "the store was just restored"
    return summary


@contextmanager
def _temporary_file(folder: Path, shown_path: Path) -> Iterator[Path]:
    """Yield the path of a new empty file in `folder`, removed afterwards if left."""
    try:
        handle, name = tempfile.mkstemp(
            dir=folder, prefix=_TEMPORARY_PREFIX, suffix=".db"
        )
    except OSError as error:
        raise _cannot_write(shown_path) from error
    os.close(handle)
    path = Path(name)
    try:
        yield path
    finally:
        path.unlink(missing_ok=True)
        Path(f"{name}-journal").unlink(missing_ok=True)


def _replace(temporary: Path, target: Path) -> None:
    try:
        os.replace(temporary, target)
    except OSError as error:
        raise _cannot_write(target) from error


def _same_file(first: Path, second: Path) -> bool:
    try:
        return first.samefile(second)
    except OSError:
        return False


def _cannot_write(path: Path) -> StoreError:
    return StoreError(
        f"{path} cannot be written: check that its folder is writable and the disk "
        "has space."
    )


def _damaged_backup(backup: Path, reason: str) -> StoreError:
    return StoreError(
        f"The backup {backup} is damaged or inconsistent, so nothing was restored. "
        f"{reason}"
    )


def _count(count: int, noun: str) -> str:
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"
