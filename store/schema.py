"""The store's tables and the migrations that build them, versioned by `user_version`.

Migrations work through sqlite-utils. `PRAGMA user_version` is the number of
migrations applied, rather than sqlite-utils' `Migrations` table of names, for two
reasons. Opening a store must reject one written by a newer numdesk before writing
anything, and a single number read by a pragma shows that, whereas a table of names
has no order to compare. Also, every store in use already carries its version there.
Money is stored as integer cents (EUR) so that no value passes through a float.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from domain.errors import StoreError

if TYPE_CHECKING:
    from sqlite_utils import Database

Migration = Callable[["Database"], None]

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


# The tables that version 1 created, which every later version keeps.
CORE_TABLES = ("inventory", "applications", "owned", "account", "change_log")

# The inventory's search indexes by name, with their columns. "starts" searches scan
# a range of msisdn, "ends" searches a range of the digits reversed. Type and
# features are in the country indexes so that counting with those filters reads
# the index alone, not every row of a country.
INVENTORY_INDEXES: dict[str, tuple[str, ...]] = {
    "inventory_by_country_msisdn": ("country", "msisdn", "type", "features"),
    "inventory_by_country_reversed_msisdn": (
        "country",
        "reversed_msisdn",
        "type",
        "features",
    ),
    "inventory_by_reversed_msisdn": ("reversed_msisdn",),
}
INVENTORY_FTS = "inventory_fts"
# The first SQLite release with FTS5's trigram tokenizer.
TRIGRAM_SQLITE_VERSION = (3, 34, 0)

# The inventory id of an msisdn: its digits padded with zeros to 15, times 16, plus
# its length. Ordering by this key orders by msisdn as text, because two msisdns
# that pad to the same digits differ in length and the shorter one sorts first.
# The largest key, below 1.6e16, fits SQLite's 64-bit integers.
MSISDN_KEY_SQL = (
    "(CAST(substr({msisdn} || '000000000000000', 1, 15) AS INTEGER) * 16 "
    "+ length({msisdn}))"
)
KEYED_INVENTORY_TRIGGER = "inventory_id_from_msisdn"

# The inventory's numbers counted by country, type and feature set, kept in step by
# triggers. It has the inventory's filter columns, so the same conditions count it.
INVENTORY_COUNTS = "inventory_counts"
_COUNT_NEW_ROW = f"""
    INSERT INTO {INVENTORY_COUNTS} (country, type, features, count)
    VALUES (new.country, new.type, new.features, 1)
    ON CONFLICT (country, type, features) DO UPDATE SET count = count + 1;
"""
_UNCOUNT_OLD_ROW = f"""
    UPDATE {INVENTORY_COUNTS} SET count = count - 1
    WHERE country = old.country AND type = old.type AND features = old.features;
"""
INVENTORY_COUNT_TRIGGERS = {
    "inventory_counts_after_insert": (
        f"AFTER INSERT ON inventory BEGIN {_COUNT_NEW_ROW} END"
    ),
    "inventory_counts_after_delete": (
        f"AFTER DELETE ON inventory BEGIN {_UNCOUNT_OLD_ROW} END"
    ),
    "inventory_counts_after_update": (
        "AFTER UPDATE OF country, type, features ON inventory "
        f"BEGIN {_UNCOUNT_OLD_ROW} {_COUNT_NEW_ROW} END"
    ),
}


def msisdn_key(msisdn: str) -> int:
    """Return the inventory id of `msisdn`, as `MSISDN_KEY_SQL` computes it."""
    return int(msisdn.ljust(15, "0")[:15]) * 16 + len(msisdn)


def _create_tables(db: Database) -> None:
    for statement in _VERSION_1:
        db.execute(statement)


def _mark_as_sandbox(db: Database) -> None:
    db.execute(f"PRAGMA application_id = {SANDBOX_APPLICATION_ID:d}")


def _index_inventory_for_search(db: Database) -> None:
    """Rebuild the inventory with a stable integer id and a trigram index of msisdns.

    The full-text index refers to rows by rowid, and VACUUM may renumber the rowids
    of a table without an INTEGER PRIMARY KEY, so the table gets an `id` column.

    Raises:
        StoreError: this Python's SQLite is older than 3.34, which has no trigram
            tokenizer.
    """
    if sqlite3.sqlite_version_info < TRIGRAM_SQLITE_VERSION:
        raise StoreError(
            f"This Python uses SQLite {sqlite3.sqlite_version}, but the numdesk "
            "store needs SQLite 3.34 or newer for its number search: run numdesk "
            "with a Python built with a newer SQLite."
        )
    db.table("inventory_with_id").create(
        {
            "id": int,
            "msisdn": str,
            "reversed_msisdn": str,
            "country": str,
            "type": str,
            "features": str,
            "cost_cents": int,
        },
        pk="id",
        not_null={
            "msisdn",
            "reversed_msisdn",
            "country",
            "type",
            "features",
            "cost_cents",
        },
    )
    db.execute(
        "INSERT INTO inventory_with_id (msisdn, reversed_msisdn, country, type, "
        "features, cost_cents) SELECT msisdn, reversed_msisdn, country, type, "
        "features, cost_cents FROM inventory ORDER BY msisdn"
    )
    db.table("inventory").drop()
    db.rename_table("inventory_with_id", "inventory")
    db.table("inventory").create_index(["msisdn"], "inventory_by_msisdn", unique=True)
    create_inventory_indexes(db)


def _key_inventory_by_msisdn(db: Database) -> None:
    """Give every inventory row the id `msisdn_key` of its msisdn.

    The trigram index returns its matches in rowid order, so with these ids a page
    of a "contains" search needs no sort. A trigger renumbers a row inserted with
    any other id, such as one that SQLite chose.
    """
    drop_inventory_indexes(db)
    key = MSISDN_KEY_SQL.format(msisdn="msisdn")
    db.execute(f"UPDATE inventory SET id = {key}")
    new_key = MSISDN_KEY_SQL.format(msisdn="new.msisdn")
    db.execute(
        f"CREATE TRIGGER {KEYED_INVENTORY_TRIGGER} AFTER INSERT ON inventory "
        f"WHEN new.id != {new_key} "
        f"BEGIN UPDATE inventory SET id = {new_key} WHERE id = new.id; END"
    )
    create_inventory_indexes(db)


def _count_inventory_by_filters(db: Database) -> None:
    """Keep a count of the inventory for each country, type and feature set.

    Counting a search without a pattern then adds up a few rows of this table
    instead of reading a country's whole index, which took 20 ms for 364,000 US
    numbers on a 2-core machine.
    """
    db.execute(
        f"""
        CREATE TABLE IF NOT EXISTS {INVENTORY_COUNTS} (
            country TEXT NOT NULL,
            type TEXT NOT NULL,
            features TEXT NOT NULL,
            count INTEGER NOT NULL CHECK (count >= 0),
            PRIMARY KEY (country, type, features)
        ) WITHOUT ROWID
        """
    )
    count_inventory(db)


# Append new migrations at the end, and never edit or reorder one that has shipped.
MIGRATIONS: tuple[Migration, ...] = (
    _create_tables,
    _mark_as_sandbox,
    _index_inventory_for_search,
    _key_inventory_by_msisdn,
    _count_inventory_by_filters,
)
SCHEMA_VERSION = len(MIGRATIONS)


def drop_inventory_indexes(db: Database) -> None:
    """Drop the search indexes and the trigram index, before a bulk insert.

    Building them once after the insert is several times faster than updating them
    row by row. The unique index on msisdn stays, so duplicates are still rejected.
    """
    inventory = db.table("inventory")
    inventory.disable_fts()
    for name in INVENTORY_INDEXES:
        inventory.drop_index(name, ignore=True)


def create_inventory_indexes(db: Database) -> None:
    """Create the search indexes and the trigram index of msisdns that "contains" uses.

    The trigram index is external content: it keeps no copy of the msisdns, and
    triggers keep it in step with every insert, delete and update of the inventory.
    """
    inventory = db.table("inventory")
    for name, columns in INVENTORY_INDEXES.items():
        inventory.create_index(columns, name, if_not_exists=True)
    inventory.enable_fts(
        ["msisdn"], tokenize="trigram", create_triggers=True, replace=True
    )


def stop_counting_inventory(db: Database) -> None:
    """Drop the triggers that keep the inventory counts, before a bulk change.

    `count_inventory` counts every row again afterwards, in one pass.
    """
    for name in INVENTORY_COUNT_TRIGGERS:
        db.execute(f"DROP TRIGGER IF EXISTS {name}")


def count_inventory(db: Database) -> None:
    """Count the whole inventory again, and keep the counts in step from now on."""
    stop_counting_inventory(db)
    db.execute(f"DELETE FROM {INVENTORY_COUNTS}")
    db.execute(
        f"INSERT INTO {INVENTORY_COUNTS} (country, type, features, count) "
        "SELECT country, type, features, count(*) FROM inventory "
        "GROUP BY country, type, features"
    )
    for name, definition in INVENTORY_COUNT_TRIGGERS.items():
        db.execute(f"CREATE TRIGGER {name} {definition}")


def database(connection: sqlite3.Connection) -> Database:
    """Wrap an open connection in sqlite-utils, leaving its settings as they are.

    sqlite-utils is imported here rather than at the top of the module, because
    importing it takes about 0.1 s that opening an up-to-date store never needs.
    """
    from sqlite_utils import Database

    return Database(connection, recursive_triggers=False, execute_plugins=False)


def schema_version(connection: sqlite3.Connection) -> int:
    """Return the number of migrations applied to the store (0 for a new file)."""
    row = connection.execute("PRAGMA user_version").fetchone()
    return int(row[0])


def check_version(
    connection: sqlite3.Connection, path: Path, role: str = "store"
) -> int:
    """Return the store's schema version if this numdesk can open the store.

    `role` names the file in messages: "store", or "backup" for one to restore.

    Raises:
        StoreError: a newer numdesk wrote the store, or the file is an SQLite
            database that is not a sandbox store.
    """
    other_file = (
        "Choose another backup"
        if role == "backup"
        else "Choose another file with --db or NUMDESK_DB"
    )
    application_id = int(connection.execute("PRAGMA application_id").fetchone()[0])
    if application_id not in (0, SANDBOX_APPLICATION_ID):
        raise StoreError(
            f"{path} is not a numdesk sandbox store: its SQLite application_id is "
            f"{application_id:#x}, not {SANDBOX_APPLICATION_ID:#x}. {other_file}."
        )

    version = schema_version(connection)
    if version > SCHEMA_VERSION:
        advice = (
            "upgrade numdesk to restore it, or choose another backup"
            if role == "backup"
            else "upgrade numdesk or choose another store with --db"
        )
        raise StoreError(
            f"The {role} {path} has schema version {version}, but this numdesk reads "
            f"versions up to {SCHEMA_VERSION}: {advice}."
        )
    if version == 0 and _has_tables(connection):
        raise StoreError(
            f"{path} is an SQLite database that numdesk did not create. {other_file}."
        )
    return version


def missing_parts(connection: sqlite3.Connection) -> list[str]:
    """Name the tables of every schema version, and the account row, that a store lacks.

    An empty list means the store has them all.
    """
    present = {
        str(row[0])
        for row in connection.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'table'"
        )
    }
    missing = [f"table {name!r}" for name in CORE_TABLES if name not in present]
    if "account" in present:
        row = connection.execute("SELECT 1 FROM account WHERE id = 1").fetchone()
        if row is None:
            missing.append("account row")
    return missing


def migrate(connection: sqlite3.Connection, from_version: int) -> None:
    """Apply the migrations after `from_version`, each followed by its version bump.

    The caller has opened a write transaction, so a failed migration leaves nothing.
    """
    db = database(connection)
    for version, migration in enumerate(MIGRATIONS[from_version:], from_version + 1):
        migration(db)
        db.execute(f"PRAGMA user_version = {version:d}")


def _has_tables(connection: sqlite3.Connection) -> bool:
    row = connection.execute(
        "SELECT count(*) FROM sqlite_schema WHERE type = 'table'"
    ).fetchone()
    return bool(row[0])
