"""The account's status line in the header, built from plain values."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from tui.account_status import describe_account, describe_offline, sync_time

NOW = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)
PARIS_WINTER = timezone(timedelta(hours=1))
NEW_YORK_WINTER = timezone(timedelta(hours=-5))
SYDNEY_SUMMER = timezone(timedelta(hours=11))


@pytest.mark.parametrize(
    ("last_sync", "zone", "expected"),
    [
        (NOW, UTC, "09:30"),
        (NOW - timedelta(minutes=1), UTC, "09:29"),
        (NOW, PARIS_WINTER, "10:30"),
        (NOW - timedelta(hours=9, minutes=31), UTC, "14 Jan 23:59"),
        (NOW - timedelta(days=14), UTC, "1 Jan 09:30"),
        (NOW - timedelta(days=15), UTC, "2025-12-31 09:30"),
        # "Today" is the local date, which need not be the date in UTC.
        (datetime(2026, 1, 14, 23, 0, tzinfo=UTC), SYDNEY_SUMMER, "10:00"),
        (datetime(2026, 1, 15, 2, 0, tzinfo=UTC), NEW_YORK_WINTER, "14 Jan 21:00"),
    ],
)
def test_sync_time(last_sync: datetime, zone: timezone, expected: str) -> None:
    assert sync_time(last_sync, NOW, zone) == expected


@pytest.mark.parametrize(
    ("balance", "last_sync", "offline", "expected"),
    [
        (Decimal("10"), None, False, "sandbox · balance 10.00 EUR"),
        (Decimal("8.755"), None, False, "sandbox · balance 8.76 EUR"),
        (None, None, False, "sandbox · balance not read yet"),
        (Decimal("10"), NOW, False, "sandbox · balance 10.00 EUR · synced 09:30"),
        (
            Decimal("10"),
            NOW - timedelta(days=1),
            True,
            "sandbox · OFFLINE, read-only · balance 10.00 EUR · synced 14 Jan 09:30",
        ),
        (None, None, True, "sandbox · OFFLINE, read-only · balance not read yet"),
    ],
)
def test_describe_account(
    balance: Decimal | None,
    last_sync: datetime | None,
    offline: bool,
    expected: str,
) -> None:
    described = describe_account(
        "sandbox", balance, last_sync, offline=offline, now=NOW, timezone=UTC
    )
    assert described == expected


@pytest.mark.parametrize(
    ("last_sync", "expected"),
    [
        (NOW, "OFFLINE, read-only: Vonage cannot be reached. Cache synced 09:30."),
        (
            NOW - timedelta(days=400),
            "OFFLINE, read-only: Vonage cannot be reached. Cache synced "
            "2024-12-11 09:30.",
        ),
        (None, "OFFLINE, read-only: Vonage cannot be reached. Showing the cache."),
    ],
)
def test_describe_offline(last_sync: datetime | None, expected: str) -> None:
    described = describe_offline(last_sync, now=NOW, timezone=UTC)
    assert described == expected
    assert len(described) <= 78
