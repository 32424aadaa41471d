"""The SQLite file behind a store: opening, transactions, closing, and its errors.

This module uses the standard `sqlite3` module rather than sqlite-utils, because
every write must start with `BEGIN IMMEDIATE` and the bulk insert of the inventory
is the slowest step of the first start. sqlite-utils' `insert_all` took 1.95 s
against 1.31 s for `executemany` on 121,000 rows (one 2-core machine under load).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from domain.errors import StoreBusy, StoreError
from store.schema import check_version

BUSY_TIMEOUT_SECONDS = 5.0
# How long an upgrade waits for another process that is creating or migrating the
# same store. Generating the inventory took up to 15 s on a loaded 2-core machine.
UPGRADE_WAIT_SECONDS = 120.0
# SQLite's page cache, in KiB. Searches read short index ranges, which need few
# pages, and each KiB of cache stays in the app's memory once a long paging has
# filled it. SQLite's default is 2,000 KiB.
PAGE_CACHE_KIB = 512


class StoreFile:
    """An open store: its SQLite connection and the path it was opened from.

    The connection runs in autocommit mode, so every change goes through `write`,
    which opens one explicit transaction. Rows come back as `sqlite3.Row`.
    """

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self.connection = connection
        self.closed = False

    @contextmanager
    def write(self, wait_seconds: float | None = None) -> Iterator[sqlite3.Connection]:
        """Run the block as one write transaction: all of its changes or none.

        `BEGIN IMMEDIATE` takes the write lock before the first read, so two
        processes cannot both read a number as available and then both rent it.
        While another process writes, this one waits up to `wait_seconds` for the
        lock (default `BUSY_TIMEOUT_SECONDS`).

        Raises:
            StoreError: the lock was not granted in time, or SQLite could not write.
        """
        wait = BUSY_TIMEOUT_SECONDS if wait_seconds is None else wait_seconds
        self._set_busy_timeout(wait)
        try:
            with self.errors(wait):
                self.connection.execute("BEGIN IMMEDIATE")
        finally:
            self._set_busy_timeout(BUSY_TIMEOUT_SECONDS)
        try:
            yield self.connection
            with self.errors():
                self.connection.execute("COMMIT")
        except BaseException:
            if self.connection.in_transaction:
                self.connection.execute("ROLLBACK")
            raise

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """Run the block's queries on one snapshot, so that a count and its page agree."""
        with self.errors():
            self.connection.execute("BEGIN")
        try:
            with self.errors():
                yield self.connection
        finally:
            if self.connection.in_transaction:
                self.connection.execute("COMMIT")

    @contextmanager
    def errors(self, wait_seconds: float | None = None) -> Iterator[None]:
        """Turn the SQLite errors that a user can act on into StoreError.

        `wait_seconds` is how long a lock was awaited, for the message when it
        timed out (default `BUSY_TIMEOUT_SECONDS`).
        """
        try:
            yield
        except sqlite3.OperationalError as error:
            wait = BUSY_TIMEOUT_SECONDS if wait_seconds is None else wait_seconds
            error_class = StoreBusy if _is_busy(error) else StoreError
            raise error_class(_describe(error, self.path, wait)) from error

    def _set_busy_timeout(self, seconds: float) -> None:
        self.connection.execute(f"PRAGMA busy_timeout = {round(seconds * 1000):d}")

    def close(self) -> None:
        """Fold the write-ahead log into the main file and close the connection.

        Closing does not wait for a lock: while another process writes, the log
        stays, and the last connection to close folds it in. Closing a closed
        store does nothing.
        """
        if self.closed:
            return
        self.closed = True
        try:
            self._set_busy_timeout(0)
            self.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            self.connection.close()


def open_store_file(path: Path) -> tuple[StoreFile, int]:
    """Open the store at `path` and return it with its schema version.

    The file is only read until its version is known to be one that this numdesk
    can migrate. Only then is it switched to WAL mode.

    Raises:
        StoreError: the path is a folder or cannot be created, read or written. Also
            when the file is not a numdesk store or comes from a newer numdesk.
    """
    _check_path(path)
    try:
        connection = sqlite3.connect(
            path,
            timeout=BUSY_TIMEOUT_SECONDS,
            isolation_level=None,
            check_same_thread=False,
        )
    except sqlite3.Error as error:
        raise StoreError(
            f"The store {path} cannot be opened: check that the file and its folder "
            "are readable, or choose another store with --db."
        ) from error

    connection.row_factory = sqlite3.Row
    store = StoreFile(path, connection)
    try:
        version = _read_version(connection, path)
        with store.errors():
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA foreign_keys = ON")
            connection.execute(f"PRAGMA cache_size = -{PAGE_CACHE_KIB:d}")
    except BaseException:
        connection.close()
        raise
    return store, version


def _check_path(path: Path) -> None:
    if path.is_dir():
        raise StoreError(
            f"The store path {path} is a folder: give the path of a file, such as "
            f"{path / 'numdesk.db'}."
        )
    if path.exists():
        _check_access(path)
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StoreError(
            f"The folder {path.parent} for the store cannot be created: choose "
            "another store with --db or NUMDESK_DB."
        ) from error


def _check_access(path: Path) -> None:
    if not os.access(path, os.R_OK):
        raise StoreError(
            f"The store {path} is not readable: give your user read and write "
            "permission on it, or choose another store with --db."
        )
    if not os.access(path, os.W_OK):
        raise StoreError(
            f"The store {path} is read-only: give your user write permission on it, "
            "or choose another store with --db."
        )


def _read_version(connection: sqlite3.Connection, path: Path) -> int:
    try:
        return check_version(connection, path)
    except sqlite3.OperationalError as error:
        # A lock, a full disk or an I/O error, rather than a file that is no store.
        error_class = StoreBusy if _is_busy(error) else StoreError
        raise error_class(_describe(error, path, BUSY_TIMEOUT_SECONDS)) from error
    except sqlite3.DatabaseError as error:
        raise StoreError(
            f"{path} is not a numdesk store or is damaged, because SQLite cannot read "
            "it: choose another file with --db, or move this one away to start afresh."
        ) from error


# Words of SQLite's error messages about a table, column or value of the store that
# is not as numdesk wrote it, as after an edit by hand.
_DAMAGE_SIGNS = ("no such table", "no such column", "already exists", "malformed")


def is_damage(error: sqlite3.OperationalError) -> bool:
    """Tell whether `error` comes from a table, column or value not as numdesk wrote it."""
    reason = str(error).lower()
    return any(sign in reason for sign in _DAMAGE_SIGNS)


def _is_busy(error: sqlite3.OperationalError) -> bool:
    # The low byte of an extended result code is its primary code.
    primary_code = error.sqlite_errorcode & 0xFF
    return primary_code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def damaged_store_message(path: Path, damage: str) -> str:
    """Return the message for a damaged store at `path`; `damage` describes it."""
    return (
        f"The store {path} is damaged ({damage}): restore a backup with `numdesk "
        "restore`, or move the file away to start afresh."
    )


def _describe(error: sqlite3.OperationalError, path: Path, wait_seconds: float) -> str:
    reason = str(error).lower()
    if _is_busy(error):
        return (
            f"The store {path} is busy: another numdesk kept it locked for "
            f"{wait_seconds:g} seconds. Try again when it has finished."
        )
    if "readonly" in reason or "read-only" in reason:
        return (
            f"The store {path} is read-only: give your user write permission on the "
            "file and its folder, or choose another store with --db."
        )
    if is_damage(error):
        return damaged_store_message(path, str(error))
    if "disk" in reason or "full" in reason:
        return (
            f"The store {path} cannot be written because the disk is full or failing: "
            "free some space, or choose another store with --db."
        )
    return (
        f"The store {path} cannot be read or written: check the file and its folder, "
        "or choose another store with --db."
    )
