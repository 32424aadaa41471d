"""The sandbox account: a Vonage-like account that lives in a local SQLite file alone."""

from __future__ import annotations

import getpass
import json
import sqlite3
import threading
import uuid
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from domain.countries import find_country
from domain.errors import (
    AlreadyOwned,
    BatchRejected,
    InsufficientBalance,
    InvalidInput,
    NotFound,
    NumberNotAvailable,
    NumdeskError,
    StoreError,
)
from domain.linking import check_link
from domain.money import CREDIT_RANGE, MAX_CREDIT, MIN_CREDIT
from domain.numbers import (
    AvailableNumber,
    OwnedNumber,
    Page,
    SearchQuery,
    validate_msisdn,
)
from store import records, schema
from store.changelog import ChangeLogEntry
from store.conflicts import LastSeen, check_linked_unchanged
from store.database import (
    UPGRADE_WAIT_SECONDS,
    StoreFile,
    damaged_store_message,
    open_store_file,
)
from store.search import SearchCache, inventory_query

if TYPE_CHECKING:
    from domain.applications import Application, ApplicationDraft

Clock = Callable[[], datetime]
ProgressCallback = Callable[[int, int], None]


def open_sandbox(
    path: Path,
    *,
    clock: Clock | None = None,
    user: str | None = None,
    on_progress: ProgressCallback | None = None,
    new_id: Callable[[], str] | None = None,
    rows: int | None = None,
) -> SandboxAccount:
    """Open the sandbox store at `path`, creating and filling it on first use.

    A new file gets the schema, a generated inventory and a 10.00 EUR balance in
    one transaction. The inventory has the regular stock of every region, and
    `on_progress(done, total)` counts the regions generated. With `rows` it has
    exactly that many numbers, and `on_progress` counts the numbers. An older
    store is migrated. `clock` returns the time for the change log (default: now,
    UTC), `user` is the name it records (default: the OS user) and `new_id` makes
    application ids (default: random UUIDs).

    Raises:
        StoreError: the file cannot be used; see `store.database.open_store_file`.
    """
    store, version = open_store_file(Path(path))
    try:
        if version < schema.SCHEMA_VERSION:
            _upgrade(store, on_progress, rows)
        _check_parts(store)
    except BaseException:
        store.connection.close()
        raise
    return SandboxAccount(store, clock=clock, user=user, new_id=new_id)


def _check_parts(store: StoreFile) -> None:
    """Raise StoreError if the store lacks a table or its account row."""
    with store.errors():
        missing = schema.missing_parts(store.connection)
    if missing:
        raise StoreError(
            damaged_store_message(store.path, f"it has no {' and no '.join(missing)}")
        )


def _upgrade(
    store: StoreFile, on_progress: ProgressCallback | None, rows: int | None
) -> None:
    with store.write(UPGRADE_WAIT_SECONDS) as connection, store.errors():
        # Another process may have upgraded the file while this one waited for the lock.
        version = schema.schema_version(connection)
        schema.migrate(connection, version)
        if version == 0:
            # The generator is imported only here: opening a store needs none of it.
            from store.sandbox import fill_sandbox

            fill_sandbox(connection, on_progress, rows)


class SandboxAccount:
    """A `domain.account.Account` over a local store file, with no network at all.

    Each change is one write transaction that also appends to the change log.
    One instance may be called from several threads, because a lock runs the calls
    one at a time. A change to a number or application that another process changed
    after this account last returned it raises `ChangedElsewhere`
    (see `store.conflicts`).
    """

    def __init__(
        self,
        store: StoreFile,
        *,
        clock: Clock | None = None,
        user: str | None = None,
        new_id: Callable[[], str] | None = None,
    ) -> None:
        self._store = store
        self._clock = clock or _utc_now
        self._user = user or _os_user()
        self._new_id = new_id or _random_uuid
        self._lock = threading.RLock()
        self._seen = LastSeen()
        self._search_cache = SearchCache()
        self._writes = 0

    @property
    def name(self) -> str:
        return "sandbox"

    @property
    def charges_real_money(self) -> bool:
        """False: renting in the sandbox only debits the local balance."""
        return False

    @property
    def last_sync(self) -> datetime | None:
        """Always None: the sandbox has no remote account to sync with."""
        return None

    @property
    def offline(self) -> bool:
        """Always False: the sandbox needs no network."""
        return False

    @property
    def reads_over_network(self) -> bool:
        """False: the store is a local file in WAL mode, whose reads never wait."""
        return False

    @property
    def path(self) -> Path:
        """The store file this account works on."""
        return self._store.path

    def close(self) -> None:
        """Close the store, leaving no write-ahead log behind."""
        with self._lock:
            self._store.close()

    def data_version(self) -> int | None:
        """Return a number that changes whenever another connection commits to the store.

        Changes made through this account leave it as it is (SQLite's `PRAGMA
        data_version`). Returns None at once, rather than waiting, while another
        thread is inside a call on this account, so a UI thread is not held up.

        Raises:
            StoreError: SQLite could not read the store.
        """
        if not self._lock.acquire(blocking=False):
            return None
        try:
            with self._store.errors():
                row = self._store.connection.execute("PRAGMA data_version").fetchone()
            return int(row[0])
        finally:
            self._lock.release()

    # Numbers

    def search(self, query: SearchQuery) -> Page[AvailableNumber]:
        """Return one page of available numbers matching `query`, ordered by msisdn.

        Raises:
            InvalidInput: the country is unknown.
        """
        country = find_country(query.country)
        inventory = inventory_query(query, country.code, country.calling_code)
        with self._read() as connection:
            version = self._store_version(connection)
            count = self._search_cache.count(connection, query, inventory, version)
            # A page past the last has no rows, and its offset may not fit SQLite's
            # 64-bit integers.
            rows = []
            if query.offset < count:
                rows = self._search_cache.page(connection, query, inventory, version)
        return Page(
            items=tuple(records.available_number(row) for row in rows),
            count=count,
            index=query.index,
            size=query.size,
        )

    def available_number(self, msisdn: str) -> AvailableNumber:
        """Return an available number by msisdn.

        Raises:
            InvalidInput: the msisdn is not in Vonage form.
            NumberNotAvailable: it is not (or no longer) in the inventory.
            AlreadyOwned: this account rents it already.
        """
        validate_msisdn(msisdn)
        with self._read() as connection:
            return records.available_number(_inventory_row(connection, msisdn))

    def rent(self, msisdn: str) -> OwnedNumber:
        """Rent an available number and debit its monthly cost, as one change.

        Raises:
            InvalidInput: the msisdn is not in Vonage form.
            NumberNotAvailable, AlreadyOwned, InsufficientBalance.
        """
        validate_msisdn(msisdn)
        with self._write() as connection:
            row = _inventory_row(connection, msisdn)
            cost = int(row["cost_cents"])
            balance = _balance_cents(connection)
            if cost > balance:
                missing = records.eur_text(cost - balance)
                raise InsufficientBalance(
                    f"Renting {msisdn} costs {records.eur_text(cost)} EUR a month but "
                    f"the balance is {records.eur_text(balance)} EUR: add the missing "
                    f"{missing} EUR with `numdesk sandbox add-credit {missing}`, or "
                    "pick a cheaper number."
                )

            owned = self._rent_and_link(connection, msisdn, None)
        self._seen.saw_numbers([owned])
        return owned

    def rent_many(
        self, requests: Sequence[tuple[str, str | None]]
    ) -> list[OwnedNumber]:
        """Rent each `(msisdn, app_id)` and link it unless `app_id` is None, as one change.

        Each rent and link is logged as a single one is. Returns the numbers in the
        order given.

        Raises:
            InvalidInput: an msisdn is not in Vonage form.
            BatchRejected: a number is taken or listed twice, an application is
                missing, a number without VOICE would link, or the balance does
                not pay every first month. Nothing is changed then.
        """
        for msisdn, _ in requests:
            validate_msisdn(msisdn)
        with self._write() as connection:
            problems = _batch_problems(connection, requests)
            if problems:
                raise BatchRejected(problems)
            rented = [
                self._rent_and_link(connection, msisdn, app_id)
                for msisdn, app_id in requests
            ]
        self._seen.saw_numbers(rented)
        return rented

    def _rent_and_link(
        self, connection: sqlite3.Connection, msisdn: str, app_id: str | None
    ) -> OwnedNumber:
        """Move an available number to the owned ones, debit it, log it, link it.

        The caller has checked that the balance pays the number's first month.
        """
        row = _inventory_row(connection, msisdn)
        cost = int(row["cost_cents"])
        balance = _balance_cents(connection)
        connection.execute("DELETE FROM inventory WHERE msisdn = ?", [msisdn])
        connection.execute(
            "INSERT INTO owned (msisdn, country, type, features, cost_cents, "
            "app_id, rented_at) VALUES (?, ?, ?, ?, ?, NULL, ?)",
            [msisdn, row["country"], row["type"], row["features"], cost, self._now()],
        )
        _set_balance_cents(connection, balance - cost)
        self._log(
            connection,
            "rent",
            msisdn=msisdn,
            before={"owned": False, "balance": records.eur_text(balance)},
            after={
                "owned": True,
                "balance": records.eur_text(balance - cost),
                "cost": records.eur_text(cost),
            },
        )
        owned = records.owned_number(_owned_row(connection, msisdn))
        if app_id is None:
            return owned
        return self._set_link(connection, owned, app_id, "link")

    def cancel(self, msisdn: str, *, seen: OwnedNumber | None = None) -> OwnedNumber:
        """Stop renting an owned number and return it to the inventory, with no refund.

        Returns the number as it was before the cancel, with its link if it had one.
        `seen` is the number as the user saw it when confirming; its link must still
        be the current one.

        Raises:
            NotFound: the account does not own that number.
        """
        with self._write() as connection:
            row = _owned_row(connection, msisdn)
            number = records.owned_number(row)
            self._seen.check_number(number, _name_lookup(connection), seen)
            connection.execute("DELETE FROM owned WHERE msisdn = ?", [msisdn])
            connection.execute(
                "INSERT INTO inventory (id, msisdn, reversed_msisdn, country, type, "
                "features, cost_cents) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    schema.msisdn_key(msisdn),
                    msisdn,
                    msisdn[::-1],
                    row["country"],
                    row["type"],
                    row["features"],
                    row["cost_cents"],
                ],
            )
            self._log(
                connection,
                "cancel",
                msisdn=msisdn,
                app_id=number.app_id,
                before={"owned": True, **_logged_link(connection, number.app_id)},
                after={"owned": False, "app_id": None},
            )
            self._seen.forget_number(msisdn)
            return number

    def owned_numbers(self, app_id: str | None = None) -> list[OwnedNumber]:
        """Return every owned number, or only those linked to `app_id`, by msisdn."""
        sql = f"SELECT {records.OWNED_COLUMNS} FROM owned"
        parameters: list[str] = []
        if app_id is not None:
            sql += " WHERE app_id = ?"
            parameters.append(app_id)
        with self._read() as connection:
            rows = connection.execute(f"{sql} ORDER BY msisdn", parameters).fetchall()
            numbers = [records.owned_number(row) for row in rows]
            self._seen.saw_numbers(numbers)
        return numbers

    def owned_number(self, msisdn: str) -> OwnedNumber:
        """Return one owned number.

        Raises:
            NotFound: the account does not own that number.
        """
        with self._read() as connection:
            number = records.owned_number(_owned_row(connection, msisdn))
            self._seen.saw_numbers([number])
        return number

    def link(
        self, msisdn: str, app_id: str, *, seen: OwnedNumber | None = None
    ) -> OwnedNumber:
        """Link an owned number to an application, replacing any earlier link.

        `seen` is the number as the user saw it when choosing the application; its
        link must still be the current one.

        Raises:
            NotFound: no such owned number or application.
            LinkNotAllowed: the number has no VOICE.
        """
        with self._write() as connection:
            number = records.owned_number(_owned_row(connection, msisdn))
            app = self._application(connection, app_id)
            check_link(number, app)
            if number.app_id == app_id:
                return number
            self._seen.check_number(number, _name_lookup(connection), seen)
            return self._set_link(connection, number, app_id, "link")

    def unlink(self, msisdn: str, *, seen: OwnedNumber | None = None) -> OwnedNumber:
        """Clear the number's application link and return the number.

        Unlinking a number that has no link changes nothing and logs nothing.
        `seen` is the number as the user saw it when confirming; its link must still
        be the current one.

        Raises:
            NotFound: the account does not own that number.
        """
        with self._write() as connection:
            number = records.owned_number(_owned_row(connection, msisdn))
            if number.app_id is None:
                return number
            self._seen.check_number(number, _name_lookup(connection), seen)
            return self._set_link(connection, number, None, "unlink")

    # Applications

    def applications(self) -> list[Application]:
        """Return every application, by name (ignoring case), then by id."""
        with self._read() as connection:
            rows = connection.execute(
                f"SELECT {records.APPLICATION_COLUMNS} FROM applications "
                "ORDER BY name COLLATE NOCASE, id"
            ).fetchall()
            applications = [records.application(row) for row in rows]
            self._seen.saw_applications(applications)
        return applications

    def application(self, app_id: str) -> Application:
        """Return one application.

        Raises:
            NotFound: no application has that id.
        """
        with self._read() as connection:
            app = self._application(connection, app_id)
            self._seen.saw_applications([app])
        return app

    def create_application(self, draft: ApplicationDraft) -> Application:
        """Create a voice application from a draft and return it with its new id.

        Raises:
            InvalidInput: a field is not valid.
        """
        app = _valid_application(self._new_id(), draft)
        values = records.application_values(app)
        with self._write() as connection:
            connection.execute(
                f"INSERT INTO applications ({records.APPLICATION_COLUMNS}) "
                "VALUES (:id, :name, :answer_url, :answer_method, :event_url, "
                ":event_method, :fallback_answer_url, :fallback_answer_method)",
                values,
            )
            self._log(
                connection,
                "create_application",
                app_id=app.id,
                before=None,
                after=values,
            )
            self._seen.saw_applications([app])
        return app

    def update_application(self, app_id: str, draft: ApplicationDraft) -> Application:
        """Replace every field of an application and return it.

        Raises:
            NotFound: no application has that id.
            InvalidInput: a field is not valid.
        """
        app = _valid_application(app_id, draft)
        values = records.application_values(app)
        with self._write() as connection:
            old = self._application(connection, app_id)
            self._seen.check_application(old)
            if old == app:
                # Nothing changes, so nothing is written to the history either.
                return old
            connection.execute(
                "UPDATE applications SET name = :name, answer_url = :answer_url, "
                "answer_method = :answer_method, event_url = :event_url, "
                "event_method = :event_method, "
                "fallback_answer_url = :fallback_answer_url, "
                "fallback_answer_method = :fallback_answer_method WHERE id = :id",
                values,
            )
            self._log(
                connection,
                "update_application",
                app_id=app_id,
                before=records.application_values(old),
                after=values,
            )
            self._seen.saw_applications([app])
        return app

    def delete_application(
        self, app_id: str, *, seen_linked: Collection[str] | None = None
    ) -> list[OwnedNumber]:
        """Delete an application and unlink its numbers, as one change.

        Returns the numbers that were unlinked, by msisdn, without their link.
        `seen_linked` contains the msisdns that the user saw linked to it when
        confirming; they must still be the linked ones.

        Raises:
            NotFound: no application has that id.
        """
        with self._write() as connection:
            old = self._application(connection, app_id)
            self._seen.check_application(old)
            linked = [
                records.owned_number(row)
                for row in connection.execute(
                    f"SELECT {records.OWNED_COLUMNS} FROM owned WHERE app_id = ? "
                    "ORDER BY msisdn",
                    [app_id],
                )
            ]
            if seen_linked is not None:
                check_linked_unchanged(old, linked, seen_linked)
            else:
                for number in linked:
                    self._seen.check_number(number, _name_lookup(connection))
            unlinked = [
                self._set_link(connection, number, None, "unlink") for number in linked
            ]
            connection.execute("DELETE FROM applications WHERE id = ?", [app_id])
            self._log(
                connection,
                "delete_application",
                app_id=app_id,
                before=records.application_values(old),
                after=None,
            )
            self._seen.forget_application(app_id)
        return unlinked

    # Balance and history

    def balance(self) -> Decimal:
        """Return the account balance in EUR."""
        with self._read() as connection:
            return records.eur(_balance_cents(connection))

    def add_credit(self, amount: Decimal) -> Decimal:
        """Add `amount` EUR of play money to the balance and return the new balance.

        Raises:
            InvalidInput: the amount is not `CREDIT_RANGE` in cents.
        """
        cents = _credit_cents(amount)
        with self._write() as connection:
            before = _balance_cents(connection)
            _set_balance_cents(connection, before + cents)
            self._log(
                connection,
                "add_credit",
                before={"balance": records.eur_text(before)},
                after={
                    "balance": records.eur_text(before + cents),
                    "credit": records.eur_text(cents),
                },
            )
        return records.eur(before + cents)

    def history(
        self, msisdn: str | None = None, app_id: str | None = None, limit: int = 200
    ) -> list[ChangeLogEntry]:
        """Return the newest `limit` change log entries, newest first.

        `msisdn` and `app_id` keep only the entries about that number or application,
        including a relink that replaced the application. Given both, an entry must
        match both.
        """
        conditions: list[str] = []
        parameters: list[str | int] = []
        if msisdn is not None:
            conditions.append("msisdn = ?")
            parameters.append(msisdn)
        if app_id is not None:
            # A relink names the application it replaced in its details only.
            conditions.append(
                "(app_id = ? OR json_extract(details, '$.before.app_id') = ?)"
            )
            parameters += [app_id, app_id]
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        with self._read() as connection:
            rows = connection.execute(
                f"SELECT id, {records.CHANGE_LOG_COLUMNS} FROM change_log {where} "
                "ORDER BY id DESC LIMIT ?",
                [*parameters, limit],
            ).fetchall()
        return [self._change_log_entry(row) for row in rows]

    def _change_log_entry(self, row: sqlite3.Row) -> ChangeLogEntry:
        try:
            return records.change_log_entry(row)
        except (TypeError, ValueError) as error:
            damage = f"change log entry {row['id']} cannot be read: {error}"
            raise StoreError(damaged_store_message(self._store.path, damage)) from None

    def deleted_applications(self) -> dict[str, str]:
        """Return the name of each application that the change log shows deleted, by id.

        The name is the one it had when it was deleted. An application that exists
        again, such as after a restore, is left out.
        """
        with self._read() as connection:
            rows = connection.execute(
                "SELECT app_id, json_extract(details, '$.before.name') AS name "
                "FROM change_log WHERE action = 'delete_application' "
                "AND app_id NOT IN (SELECT id FROM applications) ORDER BY id"
            ).fetchall()
        return {row["app_id"]: row["name"] for row in rows}

    # Inventory

    def replace_inventory(
        self, rows: int, on_progress: ProgressCallback | None = None
    ) -> int:
        """Replace every available number with `rows` generated ones, as one change.

        Owned numbers, applications, the balance and the change log stay. No
        generated number is one the account owns. `on_progress(done, rows)` counts
        the numbers inserted. Returns the number of available numbers before.
        """
        from store import sandbox

        with self._write() as connection:
            removed, inserted = sandbox.replace_inventory(connection, rows, on_progress)
            self._log(
                connection,
                "replace_inventory",
                before={"available": removed},
                after={"available": inserted},
            )
        return removed

    # Helpers

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        with self._lock, self._store.read() as connection:
            yield connection

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._writes += 1
            with self._store.write() as connection:
                yield connection

    def _store_version(self, connection: sqlite3.Connection) -> tuple[int, int]:
        """Return a value that changes whenever any process changes the store.

        SQLite's data_version changes on commits by other connections, and
        `_writes` on every write through this account.
        """
        row = connection.execute("PRAGMA data_version").fetchone()
        return int(row[0]), self._writes

    def _set_link(
        self,
        connection: sqlite3.Connection,
        number: OwnedNumber,
        app_id: str | None,
        action: str,
    ) -> OwnedNumber:
        connection.execute(
            "UPDATE owned SET app_id = ? WHERE msisdn = ?", [app_id, number.msisdn]
        )
        self._log(
            connection,
            action,
            msisdn=number.msisdn,
            app_id=app_id or number.app_id,
            before=_logged_link(connection, number.app_id),
            after=_logged_link(connection, app_id),
        )
        changed = records.owned_number(_owned_row(connection, number.msisdn))
        self._seen.saw_numbers([changed])
        return changed

    def _application(self, connection: sqlite3.Connection, app_id: str) -> Application:
        """Read an application in the write transaction.

        Raises:
            ChangedElsewhere: another process deleted it after this account read it.
            NotFound: no application has that id.
        """
        try:
            return records.application(_application_row(connection, app_id))
        except NotFound:
            self._seen.check_application_deleted(app_id)
            raise

    def _log(
        self,
        connection: sqlite3.Connection,
        action: str,
        *,
        msisdn: str | None = None,
        app_id: str | None = None,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
    ) -> None:
        connection.execute(
            f"INSERT INTO change_log ({records.CHANGE_LOG_COLUMNS}) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                self._now(),
                self._user,
                action,
                msisdn,
                app_id,
                json.dumps({"before": before, "after": after}, sort_keys=True),
            ],
        )

    def _now(self) -> str:
        return self._clock().astimezone(UTC).isoformat()


def _inventory_row(connection: sqlite3.Connection, msisdn: str) -> sqlite3.Row:
    row: sqlite3.Row | None = connection.execute(
        f"SELECT {records.NUMBER_COLUMNS} FROM inventory WHERE msisdn = ?", [msisdn]
    ).fetchone()
    if row is not None:
        return row
    owned = connection.execute(
        "SELECT 1 FROM owned WHERE msisdn = ?", [msisdn]
    ).fetchone()
    if owned is not None:
        raise AlreadyOwned(
            f"{msisdn} is already rented by this account: find it in My numbers (F3) "
            "or `numdesk numbers list`."
        )
    raise NumberNotAvailable(
        f"{msisdn} is not available: it was rented or removed since the search, or "
        "was never offered. Search again and pick another number."
    )


def _batch_problems(
    connection: sqlite3.Connection, requests: Sequence[tuple[str, str | None]]
) -> list[str]:
    """Return a sentence for each reason the batch cannot be rented, in order."""
    problems: list[str] = []
    seen: set[str] = set()
    total_cents = 0
    for msisdn, app_id in requests:
        if msisdn in seen:
            problems.append(f"{msisdn} is listed twice: list it once.")
            continue
        seen.add(msisdn)
        try:
            row = _inventory_row(connection, msisdn)
            total_cents += int(row["cost_cents"])
            if app_id is not None:
                app = records.application(_application_row(connection, app_id))
                available = records.available_number(row)
                check_link(OwnedNumber(**vars(available)), app)
        except NumdeskError as error:
            problems.append(str(error))
    balance = _balance_cents(connection)
    if total_cents > balance:
        missing = records.eur_text(total_cents - balance)
        problems.append(
            f"The first month of all {len(requests)} numbers costs "
            f"{records.eur_text(total_cents)} EUR but the balance is "
            f"{records.eur_text(balance)} EUR: add the missing {missing} EUR with "
            f"`numdesk sandbox add-credit {missing}`, or rent fewer numbers."
        )
    return problems


def _owned_row(connection: sqlite3.Connection, msisdn: str) -> sqlite3.Row:
    row: sqlite3.Row | None = connection.execute(
        f"SELECT {records.OWNED_COLUMNS} FROM owned WHERE msisdn = ?", [msisdn]
    ).fetchone()
    if row is None:
        raise NotFound(
            f"This account does not own {msisdn}: pick a number from the owned numbers."
        )
    return row


def _application_row(connection: sqlite3.Connection, app_id: str) -> sqlite3.Row:
    row: sqlite3.Row | None = connection.execute(
        f"SELECT {records.APPLICATION_COLUMNS} FROM applications WHERE id = ?",
        [app_id],
    ).fetchone()
    if row is None:
        raise NotFound(
            f"No application has the id {app_id!r}: pick one from the applications "
            "list."
        )
    return row


def _logged_link(connection: sqlite3.Connection, app_id: str | None) -> dict[str, Any]:
    """Return a link as the change log records it, with the application's name now.

    A later rename or delete leaves the entry naming the application as it was.
    """
    if app_id is None:
        return {"app_id": None}
    return {"app_id": app_id, "app_name": _name_lookup(connection)(app_id)}


def _name_lookup(connection: sqlite3.Connection) -> Callable[[str], str]:
    """Return a function that names an application by id, for messages."""

    def name(app_id: str) -> str:
        row = connection.execute(
            "SELECT name FROM applications WHERE id = ?", [app_id]
        ).fetchone()
        return app_id if row is None else str(row[0])

    return name


def _balance_cents(connection: sqlite3.Connection) -> int:
    """Return the balance in cents.

    Raises:
        StoreError: the account row was deleted, as by an edit by hand.
    """
    row = connection.execute(
        "SELECT balance_cents FROM account WHERE id = 1"
    ).fetchone()
    if row is None:
        path = Path(connection.execute("PRAGMA database_list").fetchone()["file"])
        raise StoreError(damaged_store_message(path, "it has no account row"))
    return int(row[0])


def _credit_cents(amount: Decimal) -> int:
    out_of_range = InvalidInput(
        f"Credit {amount} EUR is out of range: add {CREDIT_RANGE} at a time."
    )
    if not amount.is_finite() or abs(amount) > MAX_CREDIT:
        raise out_of_range
    # Cents before the lower bound, so that 0.001 is called too precise, not too small.
    if amount != amount.quantize(Decimal("0.01")):
        raise InvalidInput(
            f"Credit {amount} EUR is not an amount in cents: give one such as 10 or "
            "2.50."
        )
    if amount < MIN_CREDIT:
        raise out_of_range
    return int(amount * 100)


def _set_balance_cents(connection: sqlite3.Connection, cents: int) -> None:
    connection.execute("UPDATE account SET balance_cents = ? WHERE id = 1", [cents])


def _valid_application(app_id: str, draft: ApplicationDraft) -> Application:
    """Return the draft, checked and trimmed, as the application `app_id`.

    Raises:
        InvalidInput: a field is not valid.
    """
    # Imported when an application is made, so that opening the store does not.
    from domain.applications import Application, validate_draft

    draft = validate_draft(draft)
    return Application(
        id=app_id,
        name=draft.name,
        answer_url=draft.answer_url,
        event_url=draft.event_url,
        answer_method=draft.answer_method,
        event_method=draft.event_method,
        fallback_answer_url=draft.fallback_answer_url,
        fallback_answer_method=draft.fallback_answer_method,
    )


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        # No login name in the environment and no password database entry.
        return "unknown"


def _random_uuid() -> str:
    return str(uuid.uuid4())
