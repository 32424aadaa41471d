"""The change log: one entry per change to the store, with its before and after values."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, NamedTuple


class ChangeLogEntry(NamedTuple):
    """One change: when (UTC), by which OS user, what, and the values it changed.

    `details` has the keys `before` and `after`, each a mapping of the changed fields
    (such as `app_id` or `balance`) or None where the thing did not exist.
    Money values are strings in EUR with two decimals, such as `"9.10"`.
    """

    time: datetime
    user: str
    action: str
    msisdn: str | None
    app_id: str | None
    details: Mapping[str, Any]
