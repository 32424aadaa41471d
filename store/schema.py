"""The store's tables and the migrations that build them, versioned by `user_version`.

`PRAGMA user_version` is the number of migrations applied. A store with a higher
number than `SCHEMA_VERSION` was written by a newer numdesk and is left untouched.
Money is stored as integer cents (EUR) so that no value passes through a float.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from domain.errors import StoreError

Migration = Callable[[sqlite3.Connection], None]

# "NDSB" in ASCII: the `PRAGMA application_id` of sandbox stores, so that other
# numdesk files (such as a live account's cache) are never opened as one.
SANDBOX_APPLICATION_ID = 0x4E445342

# Each statement runs on its own: `executescript` would commit the caller's transaction.
_VERSION_1 = (
    """
    CREATE TABLE inventory (
        msisdn TEXT PRIMARY KEY,
        reversed_msisdn TEXT NOT NULL,
        country TEXT NOT NULL,
        type TEXT NOT NULL,
        features TEXT NOT NULL,
        cost_cents INTEGER NOT NULL CHECK (cost_cents >= 0)
    )
    """,
    "CREATE INDEX inventory_by_country_msisdn ON inventory (country, msisdn)",
    """
    CREATE INDEX inventory_by_country_reversed_msisdn
        ON inventory (country, reversed_msisdn)
    """,
    """
    CREATE TABLE applications (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        answer_url TEXT NOT NULL,
        answer_method TEXT NOT NULL,
        event_url TEXT NOT NULL,
        event_method TEXT NOT NULL,
        fallback_answer_url TEXT,
        fallback_answer_method TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE owned (
        msisdn TEXT PRIMARY KEY,
        country TEXT NOT NULL,
        type TEXT NOT NULL,
        features TEXT NOT NULL,
        cost_cents INTEGER NOT NULL CHECK (cost_cents >= 0),
        app_id TEXT REFERENCES applications (id),
        rented_at TEXT NOT NULL
    )
    """,
    "CREATE INDEX owned_by_app_id ON owned (app_id)",
    """
    CREATE TABLE account (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        balance_cents INTEGER NOT NULL CHECK (balance_cents >= 0)
    )
    """,
    """
    CREATE TABLE change_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        time TEXT NOT NULL,
        user TEXT NOT NULL,
        action TEXT NOT NULL,
        msisdn TEXT,
        app_id TEXT,
        details TEXT NOT NULL
    )
    """,
    "CREATE INDEX change_log_by_msisdn ON change_log (msisdn)",
    "CREATE INDEX change_log_by_app_id ON change_log (app_id)",
)


def _create_tables(connection: sqlite3.Connection) -> None:
    for statement in _VERSION_1:
        connection.execute(statement)


def _mark_as_sandbox(connection: sqlite3.Connection) -> None:
    connection.execute(f"PRAGMA application_id = {SANDBOX_APPLICATION_ID:d}")


# Append new migrations at the end, and never edit or reorder one that has shipped.
MIGRATIONS: tuple[Migration, ...] = (_create_tables, _mark_as_sandbox)
SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(connection: sqlite3.Connection) -> int:
    """Return the number of migrations applied to the store (0 for a new file)."""
    row = connection.execute("PRAGMA user_version").fetchone()
    return int(row[0])


def check_version(connection: sqlite3.Connection, path: Path) -> int:
    """Return the store's schema version if this numdesk can open the store.

    Raises:
        StoreError: a newer numdesk wrote the store, or the file is an SQLite
            database that is not a sandbox store.
    """
    application_id = int(connection.execute("PRAGMA application_id").fetchone()[0])
    if application_id not in (0, SANDBOX_APPLICATION_ID):
        raise StoreError(
            f"{path} is not a numdesk sandbox store: its SQLite application_id is "
            f"{application_id:#x}, not {SANDBOX_APPLICATION_ID:#x}. Choose another "
            "file with --db or NUMDESK_DB."
        )

    version = schema_version(connection)
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"The store {path} has schema version {version}, but this numdesk reads "
            f"versions up to {SCHEMA_VERSION}: upgrade numdesk or choose another "
            "store with --db."
        )
    if version == 0 and _has_tables(connection):
        raise StoreError(
            f"{path} is an SQLite database that numdesk did not create: choose "
            "another file with --db or NUMDESK_DB."
        )
    return version


def migrate(connection: sqlite3.Connection, from_version: int) -> None:
    """Apply the migrations after `from_version`, each followed by its version bump.

    The caller has opened a write transaction, so a failed migration leaves nothing.
    """
    for version, migration in enumerate(MIGRATIONS[from_version:], from_version + 1):
        migration(connection)
        connection.execute(f"PRAGMA user_version = {version:d}")


def _has_tables(connection: sqlite3.Connection) -> bool:
    row = connection.execute(
        "SELECT count(*) FROM sqlite_schema WHERE type = 'table'"
    ).fetchone()
    return bool(row[0])
