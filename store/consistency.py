"""Checks that a store file is whole and that its tables agree with its change log.

Every change writes its rows and its change log entry in one transaction, so in a
store that no crash or bug has broken:

- SQLite's `PRAGMA integrity_check` and `PRAGMA foreign_key_check` find nothing;
- no number is both in the inventory and owned;
- the inventory counts by country, type and features are those of the inventory;
- the balance is the starting balance minus the cost logged by every rent, plus the
  credit logged by every `add_credit`, because the sandbox has no other way to spend
  or add money;
- replaying the log's rents, cancels, links and unlinks gives the owned numbers and
  their links exactly.
"""

from __future__ import annotations

import json
import sqlite3
from decimal import Decimal
from typing import Any

from store.records import eur_text
from store.sandbox import STARTING_BALANCE_CENTS
from store.schema import INVENTORY_COUNTS

# How many problems of one kind are listed before the rest are counted.
_LISTED_PER_CHECK = 5

# The log actions that change whether a number is owned or what it links to.
_NUMBER_ACTIONS = ("rent", "cancel", "link", "unlink")


def find_problems(connection: sqlite3.Connection) -> list[str]:
    """Return a sentence for each inconsistency found in the store, or an empty list.

    Only SQLite's integrity check runs on a damaged file, because the other checks
    would read damaged pages, and the log is replayed only when every entry has a
    time and details that numdesk can read.
    """
    damage = _integrity_problems(connection) or _unreadable_log_entries(connection)
    if damage:
        return damage
    return [
        *_foreign_key_problems(connection),
        *_numbers_both_available_and_owned(connection),
        *_inventory_count_problems(connection),
        *_balance_problems(connection),
        *_log_replay_problems(connection),
    ]


def _integrity_problems(connection: sqlite3.Connection) -> list[str]:
    lines = [str(row[0]) for row in connection.execute("PRAGMA integrity_check")]
    if lines == ["ok"]:
        return []
    return [f"SQLite's integrity check failed: {line}" for line in lines]


def _unreadable_log_entries(connection: sqlite3.Connection) -> list[str]:
    rows = connection.execute(
        """
        SELECT id FROM change_log
        WHERE datetime(time) IS NULL
            OR CASE WHEN json_valid(details) THEN json_type(details) <> 'object'
                ELSE 1 END
        ORDER BY id
        """
    ).fetchall()
    return _listed(
        [
            f"Change log entry {row[0]} has a time or details that are not as "
            "numdesk writes them."
            for row in rows
        ]
    )


def _foreign_key_problems(connection: sqlite3.Connection) -> list[str]:
    rows = connection.execute("PRAGMA foreign_key_check").fetchall()
    return _listed(
        [f"A row of {row[0]} refers to a missing row of {row[2]}." for row in rows]
    )


def _numbers_both_available_and_owned(connection: sqlite3.Connection) -> list[str]:
    rows = connection.execute(
        "SELECT msisdn FROM owned JOIN inventory USING (msisdn) ORDER BY msisdn"
    ).fetchall()
    return _listed([f"{row[0]} is both available and owned." for row in rows])


def _inventory_count_problems(connection: sqlite3.Connection) -> list[str]:
    rows = connection.execute(
        f"""
        SELECT country, type, features, coalesce(stored.count, 0), coalesce(actual.count, 0)
        FROM (SELECT country, type, features FROM {INVENTORY_COUNTS}
              UNION SELECT country, type, features FROM inventory)
        LEFT JOIN {INVENTORY_COUNTS} AS stored USING (country, type, features)
        LEFT JOIN (
            SELECT country, type, features, count(*) AS count FROM inventory
            GROUP BY country, type, features
        ) AS actual USING (country, type, features)
        WHERE coalesce(stored.count, 0) != coalesce(actual.count, 0)
        ORDER BY country, type, features
        """
    ).fetchall()
    return _listed(
        [
            f"The inventory count of {country} {number_type} numbers with "
            f"{features or 'no features'} is {stored}, but the inventory has {actual}."
            for country, number_type, features, stored, actual in rows
        ]
    )


def _balance_problems(connection: sqlite3.Connection) -> list[str]:
    row = connection.execute(
        "SELECT balance_cents FROM account WHERE id = 1"
    ).fetchone()
    if row is None:
        return ["The account row with the balance is missing."]
    charged = _logged_cents(connection, "rent", "cost")
    credited = _logged_cents(connection, "add_credit", "credit")
    expected = STARTING_BALANCE_CENTS - charged + credited
    if int(row[0]) == expected:
        return []
    return [
        f"The balance is {eur_text(int(row[0]))} EUR, but the starting balance "
        f"minus the rents plus the credit in the change log is {eur_text(expected)} "
        "EUR."
    ]


def _logged_cents(connection: sqlite3.Connection, action: str, field: str) -> int:
    """Return the sum of the `after[field]` amounts that entries of `action` logged."""
    return sum(
        _cents(json.loads(details)["after"][field])
        for (details,) in connection.execute(
            "SELECT details FROM change_log WHERE action = ?", [action]
        )
    )


def _log_replay_problems(connection: sqlite3.Connection) -> list[str]:
    links = _replay_log(connection)
    stored = {
        str(msisdn): app_id
        for msisdn, app_id in connection.execute("SELECT msisdn, app_id FROM owned")
    }
    problems = [
        f"{msisdn} is owned, but the change log has no rent of it since its last "
        "cancel."
        for msisdn in sorted(stored.keys() - links.keys())
    ]
    problems += [
        f"The change log rents {msisdn} last, but it is not owned."
        for msisdn in sorted(links.keys() - stored.keys())
    ]
    problems += [
        f"{msisdn} links to {stored[msisdn]!r}, but the change log links it to "
        f"{links[msisdn]!r}."
        for msisdn in sorted(stored.keys() & links.keys())
        if stored[msisdn] != links[msisdn]
    ]
    return _listed(problems)


def _replay_log(connection: sqlite3.Connection) -> dict[str, str | None]:
    """Return the owned numbers and their links as the change log describes them."""
    links: dict[str, str | None] = {}
    placeholders = ", ".join("?" for _ in _NUMBER_ACTIONS)
    rows = connection.execute(
        f"SELECT action, msisdn, details FROM change_log "
        f"WHERE action IN ({placeholders}) ORDER BY id",
        _NUMBER_ACTIONS,
    )
    for action, msisdn, details in rows:
        after: dict[str, Any] = json.loads(details)["after"]
        if action == "rent":
            links[msisdn] = None
        elif action == "cancel":
            links.pop(msisdn, None)
        else:
            links[msisdn] = after["app_id"]
    return links


def _listed(problems: list[str]) -> list[str]:
    if len(problems) <= _LISTED_PER_CHECK:
        return problems
    hidden = len(problems) - _LISTED_PER_CHECK
    return [*problems[:_LISTED_PER_CHECK], f"... and {hidden} more like these."]


def _cents(amount: str) -> int:
    return int(Decimal(amount).scaleb(2))
