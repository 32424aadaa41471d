"""The change log of the sandbox account: who changed what, with before and after."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from domain.applications import ApplicationDraft
from domain.history import describe_change
from domain.numbers import SearchQuery
from store.account import SandboxAccount, open_sandbox
from tests.conftest import TEST_USER

DRAFT = ApplicationDraft(
    name="Support",
    answer_url="https://example.com/a",
    event_url="https://example.com/e",
)


def rent_first(account: SandboxAccount, country: str = "US") -> str:
    msisdn = account.search(SearchQuery(country=country)).items[0].msisdn
    account.rent(msisdn)
    return msisdn


def test_history_empty(account: SandboxAccount) -> None:
    assert account.history() == []


def test_history_newest_first(account: SandboxAccount) -> None:
    msisdn = rent_first(account)
    app = account.create_application(DRAFT)
    account.link(msisdn, app.id)

    actions = [entry.action for entry in account.history()]

    assert actions == ["link", "create_application", "rent"]


def test_history_by_msisdn(account: SandboxAccount) -> None:
    first = rent_first(account, "US")
    rent_first(account, "GB")
    account.cancel(first)

    entries = account.history(msisdn=first)

    assert [entry.action for entry in entries] == ["cancel", "rent"]
    assert {entry.msisdn for entry in entries} == {first}


def test_history_by_app_id(account: SandboxAccount) -> None:
    msisdn = rent_first(account)
    app = account.create_application(DRAFT)
    other = account.create_application(DRAFT)
    account.link(msisdn, app.id)
    account.update_application(other.id, DRAFT)

    actions = [entry.action for entry in account.history(app_id=app.id)]

    assert actions == ["link", "create_application"]


def test_history_by_app_id_includes_relink(account: SandboxAccount) -> None:
    msisdn = rent_first(account)
    app = account.create_application(DRAFT)
    other = account.create_application(DRAFT)
    account.link(msisdn, app.id)
    account.link(msisdn, other.id)

    entries = account.history(app_id=app.id)

    assert [entry.action for entry in entries] == ["link", "link", "create_application"]
    assert entries[0].details["before"] == {"app_id": app.id, "app_name": "Support"}
    assert entries[0].details["after"] == {"app_id": other.id, "app_name": "Support"}


def test_history_limit(account: SandboxAccount) -> None:
    for _ in range(5):
        account.create_application(DRAFT)

    assert len(account.history(limit=3)) == 3


def test_link_keeps_name_of_then(account: SandboxAccount) -> None:
    msisdn = rent_first(account)
    app = account.create_application(DRAFT)
    account.link(msisdn, app.id)

    account.update_application(app.id, replace(DRAFT, name="Help desk"))
    account.delete_application(app.id)

    link = next(entry for entry in account.history() if entry.action == "link")
    assert describe_change(link.action, link.details) == "linked to 'Support'"


def test_relink_logs_both_apps(account: SandboxAccount) -> None:
    msisdn = rent_first(account)
    first = account.create_application(DRAFT)
    second = account.create_application(DRAFT)
    account.link(msisdn, first.id)

    account.link(msisdn, second.id)

    entry = account.history(msisdn=msisdn)[0]
    assert entry.details == {
        "before": {"app_id": first.id, "app_name": "Support"},
        "after": {"app_id": second.id, "app_name": "Support"},
    }


def test_link_same_app_not_logged(account: SandboxAccount) -> None:
    msisdn = rent_first(account)
    app = account.create_application(DRAFT)
    account.link(msisdn, app.id)

    account.link(msisdn, app.id)

    assert len(account.history(msisdn=msisdn, app_id=app.id)) == 1


def test_unlink_unlinked_not_logged(account: SandboxAccount) -> None:
    msisdn = rent_first(account)

    account.unlink(msisdn)

    assert [entry.action for entry in account.history(msisdn=msisdn)] == ["rent"]


def test_cancel_logs_lost_link(account: SandboxAccount) -> None:
    msisdn = rent_first(account)
    app = account.create_application(DRAFT)
    account.link(msisdn, app.id)

    account.cancel(msisdn)

    entry = account.history(msisdn=msisdn)[0]
    assert entry.action == "cancel"
    assert entry.details["before"] == {
        "owned": True,
        "app_id": app.id,
        "app_name": "Support",
    }


def test_delete_logs_each_unlink(account: SandboxAccount) -> None:
    numbers = [rent_first(account, country) for country in ("US", "GB")]
    app = account.create_application(DRAFT)
    for msisdn in numbers:
        account.link(msisdn, app.id)

    account.delete_application(app.id)

    entries = account.history(app_id=app.id, limit=3)
    assert [entry.action for entry in entries] == [
        "delete_application",
        "unlink",
        "unlink",
    ]
    assert entries[0].details["before"]["name"] == "Support"
    assert entries[0].details["after"] is None


def test_update_logs_old_and_new(account: SandboxAccount) -> None:
    app = account.create_application(DRAFT)
    renamed = ApplicationDraft(
        name="Sales", answer_url=DRAFT.answer_url, event_url=DRAFT.event_url
    )

    account.update_application(app.id, renamed)

    entry = account.history(app_id=app.id)[0]
    assert entry.details["before"]["name"] == "Support"
    assert entry.details["after"]["name"] == "Sales"


def test_unchanged_update_not_logged(account: SandboxAccount) -> None:
    app = account.create_application(DRAFT)
    entries_before = len(account.history())
    # Spaces around a value are not part of it, so this saves the same values.
    same = ApplicationDraft(
        name=" Support ", answer_url=DRAFT.answer_url, event_url=DRAFT.event_url
    )

    saved = account.update_application(app.id, same)

    assert saved == app
    assert len(account.history()) == entries_before


def test_history_records_user_and_time(store_path: Path) -> None:
    moment = datetime(2026, 3, 1, 17, 0, tzinfo=UTC)
    account = open_sandbox(store_path, clock=lambda: moment, user="alice")
    account.create_application(DRAFT)

    [entry] = account.history()
    account.close()

    assert entry.user == "alice"
    assert entry.time == moment


def test_history_time_in_utc(store_path: Path) -> None:
    local = datetime(2026, 3, 1, 14, 0, tzinfo=timezone(timedelta(hours=2)))
    account = open_sandbox(store_path, clock=lambda: local, user=TEST_USER)
    account.create_application(DRAFT)

    [entry] = account.history()
    account.close()

    assert entry.time.utcoffset() == timedelta(0)
    assert entry.time == local


def test_default_user_is_os_user(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOGNAME", "os-user")
    account = open_sandbox(store_path)
    account.create_application(DRAFT)

    [entry] = account.history()
    account.close()

    assert entry.user == "os-user"


def test_deleted_applications_by_id(account: SandboxAccount) -> None:
    kept = account.create_application(DRAFT)
    deleted = account.create_application(replace(DRAFT, name="Old name"))
    account.update_application(deleted.id, replace(DRAFT, name="Last name"))
    account.delete_application(deleted.id)

    assert account.deleted_applications() == {deleted.id: "Last name"}
    assert kept.id not in account.deleted_applications()


def test_deleted_applications_empty(account: SandboxAccount) -> None:
    account.create_application(DRAFT)

    assert account.deleted_applications() == {}
