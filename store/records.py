"""Conversions between table rows and domain objects.

Money is integer EUR cents in the tables and `Decimal` with two places outside them.
Features are stored as a comma list in the API's order, such as `SMS,VOICE`.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from domain.numbers import (
    AvailableNumber,
    Feature,
    NumberType,
    OwnedNumber,
    parse_features,
    sort_features,
)
from store.changelog import ChangeLogEntry

if TYPE_CHECKING:
    from domain.applications import Application

NUMBER_COLUMNS = "msisdn, country, type, features, cost_cents"
OWNED_COLUMNS = f"{NUMBER_COLUMNS}, app_id"
APPLICATION_COLUMNS = (
    "id, name, answer_url, answer_method, event_url, event_method, "
    "fallback_answer_url, fallback_answer_method"
)
CHANGE_LOG_COLUMNS = "time, user, action, msisdn, app_id, details"


def eur(cents: int) -> Decimal:
    """Return an amount in EUR cents as a Decimal with two places, such as 9.10."""
    return Decimal(cents).scaleb(-2)


def eur_text(cents: int) -> str:
    """Return an amount in EUR cents as text with two places, such as `9.10`."""
    return str(eur(cents))


def features_text(features: frozenset[Feature]) -> str:
    """Return features as stored: a comma list in the API's order."""
    return ",".join(sort_features(features))


def available_number(row: sqlite3.Row) -> AvailableNumber:
    """Return the available number in an inventory row."""
    return AvailableNumber(
        country=row["country"],
        msisdn=row["msisdn"],
        type=NumberType(row["type"]),
        features=parse_features(row["features"]),
        cost=eur(row["cost_cents"]),
    )


def owned_number(row: sqlite3.Row) -> OwnedNumber:
    """Return the owned number in a row of the `owned` table."""
    return OwnedNumber(
        country=row["country"],
        msisdn=row["msisdn"],
        type=NumberType(row["type"]),
        features=parse_features(row["features"]),
        cost=eur(row["cost_cents"]),
        app_id=row["app_id"],
    )


def application(row: sqlite3.Row) -> Application:
    """Return the application in a row of the `applications` table."""
    # Imported when an application is read, so that opening the store does not.
    from domain.applications import Application, HttpMethod

    return Application(
        id=row["id"],
        name=row["name"],
        answer_url=row["answer_url"],
        answer_method=HttpMethod(row["answer_method"]),
        event_url=row["event_url"],
        event_method=HttpMethod(row["event_method"]),
        fallback_answer_url=row["fallback_answer_url"],
        fallback_answer_method=HttpMethod(row["fallback_answer_method"]),
    )


def application_values(app: Application) -> dict[str, Any]:
    """Return the application's columns by name, as stored and as logged."""
    return {
        "id": app.id,
        "name": app.name,
        "answer_url": app.answer_url,
        "answer_method": app.answer_method.value,
        "event_url": app.event_url,
        "event_method": app.event_method.value,
        "fallback_answer_url": app.fallback_answer_url,
        "fallback_answer_method": app.fallback_answer_method.value,
    }


def change_log_entry(row: sqlite3.Row) -> ChangeLogEntry:
    """Return the change log entry in a row of the `change_log` table.

    Raises:
        ValueError: the row's time is no ISO 8601 time or its details no JSON object.
    """
    try:
        details = json.loads(row["details"])
    except (TypeError, ValueError):
        details = None
    if not isinstance(details, dict):
        raise ValueError("its details are not a JSON object")
    try:
        time = datetime.fromisoformat(row["time"])
    except (TypeError, ValueError):
        raise ValueError(f"its time {row['time']!r} is not an ISO 8601 time") from None
    return ChangeLogEntry(
        time=time,
        user=row["user"],
        action=row["action"],
        msisdn=row["msisdn"],
        app_id=row["app_id"],
        details=details,
    )
