"""The account's status line in the header: name, balance, last sync, offline."""

from __future__ import annotations

from datetime import datetime, tzinfo
from decimal import Decimal

OFFLINE_MARKER = "OFFLINE, read-only"
BALANCE_UNKNOWN = "balance not read yet"
SEPARATOR = " · "


def describe_account(
    name: str,
    balance: Decimal | None,
    last_sync: datetime | None,
    *,
    offline: bool,
    now: datetime,
    timezone: tzinfo | None = None,
) -> str:
    """Describe the account for the header, such as `live:eu · balance 9.10 EUR`.

    The offline marker comes right after the name, so that it stays in view when a
    narrow terminal cuts the end of the line. `last_sync` and `now` are aware
    datetimes, shown in `timezone` (the local time zone when None). A `last_sync` of
    None, as the sandbox has, adds nothing.
    """
    parts = [name]
    if offline:
        parts.append(OFFLINE_MARKER)
    parts.append(BALANCE_UNKNOWN if balance is None else f"balance {balance:.2f} EUR")
    if last_sync is not None:
        parts.append(f"synced {sync_time(last_sync, now, timezone)}")
    return SEPARATOR.join(parts)


def sync_time(last_sync: datetime, now: datetime, timezone: tzinfo | None) -> str:
    """Return the local time of `last_sync`, with its date when that is not today.

    `14:03` today, `15 Jan 09:30` earlier this year, `2025-12-31 23:59` before.
    """
    local = last_sync.astimezone(timezone)
    today = now.astimezone(timezone).date()
    if local.date() == today:
        return f"{local:%H:%M}"
    if local.year == today.year:
        return f"{local.day} {local:%b %H:%M}"
    return f"{local:%Y-%m-%d %H:%M}"


def describe_offline(
    last_sync: datetime | None, *, now: datetime, timezone: tzinfo | None = None
) -> str:
    """Explain, in one line at 80 columns, that the account shows its cache read-only."""
    cache = "Showing the cache"
    if last_sync is not None:
        cache = f"Cache synced {sync_time(last_sync, now, timezone)}"
    return f"{OFFLINE_MARKER}: Vonage cannot be reached. {cache}."
