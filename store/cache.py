"""The local cache of a live account: its owned numbers, applications and balance.

Each live account has its own SQLite file, separate from the sandbox store, marked with
`PRAGMA application_id` so that neither kind is opened as the other. The cache mirrors
what Vonage last returned and records when each part was last read (`synced_at`), so
that screens can still show it, read-only, when Vonage cannot be reached. It has no
foreign keys because Vonage, not the cache, decides which links exist.

Money is stored as the decimal text Vonage sent, such as `0.90`, so no value passes
through a float. A cost of NULL means the monthly cost is not known: the Numbers API
lists owned numbers without their cost.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
from pathlib import Path

import platformdirs

from domain.applications import Application
from domain.errors import StoreError
from domain.numbers import UNKNOWN_COST, NumberType, OwnedNumber, parse_features
from store import records

# "NDLC" in ASCII: the `PRAGMA application_id` of numdesk live cache files.
CACHE_APPLICATION_ID = 0x4E444C43
CACHE_SCHEMA_VERSION = 1
BUSY_TIMEOUT_SECONDS = 5.0

_SCHEMA = (
    """
    CREATE TABLE owned (
        msisdn TEXT PRIMARY KEY,
        country TEXT NOT NULL,
        type TEXT NOT NULL,
        features TEXT NOT NULL,
        cost TEXT,
        app_id TEXT
    )
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
    "CREATE TABLE balance (id INTEGER PRIMARY KEY CHECK (id = 1), eur TEXT NOT NULL)",
    "CREATE TABLE synced (part TEXT PRIMARY KEY, synced_at TEXT NOT NULL)",
)
_OWNED_COLUMNS = "msisdn, country, type, features, cost, app_id"
_APPLICATION_COLUMNS = (
    "id, name, answer_url, answer_method, event_url, event_method, "
    "fallback_answer_url, fallback_answer_method"
)


class CachePart(StrEnum):
    """A part of the account that is read from Vonage, and synced, as a whole."""

    NUMBERS = "numbers"
    APPLICATIONS = "applications"
    BALANCE = "balance"


def cache_path(cache_name: str) -> Path:
    """Return the cache file of a live account in the user data folder.

    `cache_name` must be a file name without a folder, such as an account name.
    """
    return platformdirs.user_data_path("numdesk") / "live" / f"{cache_name}.db"


def remove_cache(path: Path) -> None:
    """Delete a cache file and its write-ahead log, if they exist."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def open_cache(path: Path) -> LiveCache:
    """Open the cache file at `path`, creating it and its folder when missing.

    Raises:
        StoreError: the file cannot be created or opened, or it is not a numdesk live
            cache (a sandbox store, say).
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(
            path,
            timeout=BUSY_TIMEOUT_SECONDS,
            isolation_level=None,
            check_same_thread=False,
        )
    except (OSError, sqlite3.Error) as error:
        raise StoreError(
            f"The live account cache {path} cannot be opened: check that your user "
            "may write to its folder."
        ) from error
    connection.row_factory = sqlite3.Row
    cache = LiveCache(path, connection)
    try:
        cache.prepare()
    except BaseException:
        connection.close()
        raise
    return cache


class LiveCache:
    """One live account's cached numbers, applications, balance and sync times.

    Each `replace_*` or `put_*` call is one transaction. A lock makes one instance
    safe to share between threads.
    """

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self._connection = connection
        self._lock = threading.RLock()
        self._closed = False

    def prepare(self) -> None:
        """Create the tables in a new file, or check that an existing file is a cache.

        Raises:
            StoreError: the file is another kind of SQLite file, or is damaged.
        """
        with self._write() as connection:
            application_id = connection.execute("PRAGMA application_id").fetchone()[0]
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            tables = connection.execute(
                "SELECT count(*) FROM sqlite_schema WHERE type = 'table'"
            ).fetchone()[0]
            if application_id == 0 and version == 0 and tables == 0:
                for statement in _SCHEMA:
                    connection.execute(statement)
                connection.execute(f"PRAGMA application_id = {CACHE_APPLICATION_ID:d}")
                connection.execute(f"PRAGMA user_version = {CACHE_SCHEMA_VERSION:d}")
            elif application_id != CACHE_APPLICATION_ID:
                raise StoreError(
                    f"{self.path} is not a numdesk live account cache: move it away "
                    "and numdesk will build a new cache."
                )
            elif version > CACHE_SCHEMA_VERSION:
                raise StoreError(
                    f"The live account cache {self.path} comes from a newer numdesk: "
                    "upgrade numdesk, or delete the file to rebuild it."
                )
        with self._errors():
            self._connection.execute("PRAGMA journal_mode = WAL")

    def close(self) -> None:
        """Close the file; closing a closed cache does nothing."""
        with self._lock:
            if not self._closed:
                self._closed = True
                self._connection.close()

    # Sync times

    def synced_at(self, part: CachePart) -> datetime | None:
        """Return when `part` was last read from Vonage as a whole, or None if never."""
        with self._read() as connection:
            row = connection.execute(
                "SELECT synced_at FROM synced WHERE part = ?", [part.value]
            ).fetchone()
        return None if row is None else datetime.fromisoformat(row[0])

    def last_sync(self) -> datetime | None:
        """Return the oldest of the parts' sync times, or None until every part synced.

        Whatever the cache shows is at least this recent.
        """
        times = [self.synced_at(part) for part in CachePart]
        if any(time is None for time in times):
            return None
        return min(time for time in times if time is not None)

    # Owned numbers

    def owned_numbers(self) -> list[OwnedNumber]:
        """Return every cached owned number, by msisdn."""
        with self._read() as connection:
            rows = connection.execute(
                f"SELECT {_OWNED_COLUMNS} FROM owned ORDER BY msisdn"
            ).fetchall()
        return [_owned_number(row) for row in rows]

    def owned_number(self, msisdn: str) -> OwnedNumber | None:
        """Return the cached owned number `msisdn`, or None."""
        with self._read() as connection:
            row = connection.execute(
                f"SELECT {_OWNED_COLUMNS} FROM owned WHERE msisdn = ?", [msisdn]
            ).fetchone()
        return None if row is None else _owned_number(row)

    def known_cost(self, msisdn: str) -> Decimal | None:
        """Return the cached monthly cost of `msisdn`, or None when it is not known."""
        number = self.owned_number(msisdn)
        if number is None or not number.cost_is_known:
            return None
        return number.cost

    def replace_owned(self, numbers: list[OwnedNumber], now: datetime) -> None:
        """Make `numbers` the whole list of owned numbers, synced at `now`.

        A number whose cost is not known keeps the cost cached for it before.
        """
        with self._write() as connection:
            costs = dict(
                connection.execute(
                    "SELECT msisdn, cost FROM owned WHERE cost IS NOT NULL"
                ).fetchall()
            )
            connection.execute("DELETE FROM owned")
            for number in numbers:
                _insert_owned(connection, number, costs.get(number.msisdn))
            _mark_synced(connection, CachePart.NUMBERS, now)

    def put_owned(self, number: OwnedNumber) -> None:
        """Insert or replace one owned number, keeping a known cost if it has none."""
        with self._write() as connection:
            row = connection.execute(
                "SELECT cost FROM owned WHERE msisdn = ?", [number.msisdn]
            ).fetchone()
            connection.execute("DELETE FROM owned WHERE msisdn = ?", [number.msisdn])
            _insert_owned(connection, number, None if row is None else row[0])

    def remove_owned(self, msisdn: str) -> None:
        """Remove one owned number, if it is cached."""
        with self._write() as connection:
            connection.execute("DELETE FROM owned WHERE msisdn = ?", [msisdn])

    # Applications

    def applications(self) -> list[Application]:
        """Return every cached application, by name ignoring case, then by id."""
        with self._read() as connection:
            rows = connection.execute(
                f"SELECT {_APPLICATION_COLUMNS} FROM applications "
                "ORDER BY name COLLATE NOCASE, id"
            ).fetchall()
        return [records.application(row) for row in rows]

    def application(self, app_id: str) -> Application | None:
        """Return the cached application `app_id`, or None."""
        with self._read() as connection:
            row = connection.execute(
                f"SELECT {_APPLICATION_COLUMNS} FROM applications WHERE id = ?",
                [app_id],
            ).fetchone()
        return None if row is None else records.application(row)

    def replace_applications(
        self, applications: list[Application], now: datetime
    ) -> None:
        """Make `applications` the whole list of applications, synced at `now`."""
        with self._write() as connection:
            connection.execute("DELETE FROM applications")
            for item in applications:
                _insert_application(connection, item)
            _mark_synced(connection, CachePart.APPLICATIONS, now)

    def put_application(self, application: Application) -> None:
        """Insert or replace one application."""
        with self._write() as connection:
            connection.execute(
                "DELETE FROM applications WHERE id = ?", [application.id]
            )
            _insert_application(connection, application)

    def remove_application(self, app_id: str) -> None:
        """Remove one application and clear the links of numbers to it."""
        with self._write() as connection:
            connection.execute("DELETE FROM applications WHERE id = ?", [app_id])
            connection.execute(
                "UPDATE owned SET app_id = NULL WHERE app_id = ?", [app_id]
            )

    # Balance

    def balance(self) -> Decimal | None:
        """Return the cached balance in EUR, or None if it was never read."""
        with self._read() as connection:
            row = connection.execute("SELECT eur FROM balance WHERE id = 1").fetchone()
        return None if row is None else Decimal(row[0])

    def put_balance(self, balance: Decimal, now: datetime) -> None:
        """Store the balance in EUR, synced at `now`."""
        with self._write() as connection:
            connection.execute(
                "INSERT INTO balance (id, eur) VALUES (1, ?) "
                "ON CONFLICT (id) DO UPDATE SET eur = excluded.eur",
                [str(balance)],
            )
            _mark_synced(connection, CachePart.BALANCE, now)

    # Transactions

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            with self._errors():
                self._connection.execute("BEGIN IMMEDIATE")
            try:
                with self._errors():
                    yield self._connection
                    self._connection.execute("COMMIT")
            except BaseException:
                if self._connection.in_transaction:
                    self._connection.execute("ROLLBACK")
                raise

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        with self._lock, self._errors():
            yield self._connection

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.DatabaseError as error:
            raise StoreError(
                f"The live account cache {self.path} cannot be read or written: "
                "delete it and numdesk will build a new one on the next sync."
            ) from error


def _mark_synced(
    connection: sqlite3.Connection, part: CachePart, now: datetime
) -> None:
    connection.execute(
        "INSERT INTO synced (part, synced_at) VALUES (?, ?) "
        "ON CONFLICT (part) DO UPDATE SET synced_at = excluded.synced_at",
        [part.value, now.astimezone(UTC).isoformat()],
    )


def _insert_owned(
    connection: sqlite3.Connection, number: OwnedNumber, cached_cost: str | None
) -> None:
    cost = str(number.cost) if number.cost_is_known else cached_cost
    connection.execute(
        f"INSERT INTO owned ({_OWNED_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
        [
            number.msisdn,
            number.country,
            number.type.value,
            records.features_text(number.features),
            cost,
            number.app_id,
        ],
    )


def _insert_application(
    connection: sqlite3.Connection, application: Application
) -> None:
    connection.execute(
        f"INSERT INTO applications ({_APPLICATION_COLUMNS}) "
        "VALUES (:id, :name, :answer_url, :answer_method, :event_url, "
        ":event_method, :fallback_answer_url, :fallback_answer_method)",
        records.application_values(application),
    )


def _owned_number(row: sqlite3.Row) -> OwnedNumber:
    return OwnedNumber(
        country=row["country"],
        msisdn=row["msisdn"],
        type=NumberType(row["type"]),
        features=parse_features(row["features"]),
        cost=UNKNOWN_COST if row["cost"] is None else Decimal(row["cost"]),
        app_id=row["app_id"],
    )
