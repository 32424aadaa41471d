"""Two accounts on one store file: a change decided on an outdated read is rejected."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from domain.applications import Application, ApplicationDraft
from domain.errors import ChangedElsewhere, NotFound
from domain.numbers import Feature, SearchQuery
from store.account import SandboxAccount, open_sandbox
from tests.conftest import fixed_clock

SALES = ApplicationDraft(
    name="Sales", answer_url="https://example.com/a", event_url="https://example.com/e"
)
SUPPORT = ApplicationDraft(
    name="Support",
    answer_url="https://example.com/s",
    event_url="https://example.com/e",
)


@pytest.fixture
def other(store_path: Path) -> Iterator[SandboxAccount]:
    """A second account on the same store, like another numdesk process."""
    account = open_sandbox(store_path, clock=fixed_clock, user="other")
    yield account
    account.close()


def rent_voice_number(account: SandboxAccount) -> str:
    query = SearchQuery(country="US", features=frozenset({Feature.VOICE}))
    msisdn = account.search(query).items[0].msisdn
    account.rent(msisdn)
    return msisdn


def both_apps(account: SandboxAccount) -> tuple[Application, Application]:
    return account.create_application(SALES), account.create_application(SUPPORT)


def test_link_after_other_linked(
    account: SandboxAccount, other: SandboxAccount
) -> None:
    msisdn = rent_voice_number(account)
    sales, support = both_apps(account)
    other.link(msisdn, support.id)

    with pytest.raises(ChangedElsewhere, match="is now linked to 'Support'"):
        account.link(msisdn, sales.id)
    assert account.owned_number(msisdn).app_id == support.id


def test_cancel_after_other_linked(
    account: SandboxAccount, other: SandboxAccount
) -> None:
    msisdn = rent_voice_number(account)
    sales, _ = both_apps(account)
    other.link(msisdn, sales.id)
    log_length = len(account.history())

    with pytest.raises(
        ChangedElsewhere, match="was not linked and is now linked to 'Sales'"
    ):
        account.cancel(msisdn)
    assert account.owned_number(msisdn).app_id == sales.id
    assert len(account.history()) == log_length


def test_unlink_after_other_relinked(
    account: SandboxAccount, other: SandboxAccount
) -> None:
    msisdn = rent_voice_number(account)
    sales, support = both_apps(account)
    account.link(msisdn, sales.id)
    other.link(msisdn, support.id)

    with pytest.raises(
        ChangedElsewhere, match="was linked to 'Sales' and is now linked to 'Support'"
    ):
        account.unlink(msisdn)
    assert other.owned_number(msisdn).app_id == support.id


def test_update_after_other_edited(
    account: SandboxAccount, other: SandboxAccount
) -> None:
    sales = account.create_application(SALES)
    other.update_application(sales.id, SUPPORT)

    with pytest.raises(ChangedElsewhere, match="edited the application 'Support'"):
        account.update_application(sales.id, SALES)
    assert account.application(sales.id).name == "Support"


@pytest.mark.parametrize(
    "change",
    [
        lambda account, app_id: account.update_application(app_id, SUPPORT),
        lambda account, app_id: account.delete_application(app_id),
    ],
    ids=["update", "delete"],
)
def test_change_after_other_deleted(
    account: SandboxAccount,
    other: SandboxAccount,
    change: Callable[[SandboxAccount, str], object],
) -> None:
    sales = account.create_application(SALES)
    other.delete_application(sales.id)

    with pytest.raises(ChangedElsewhere) as caught:
        change(account, sales.id)

    assert str(caught.value) == (
        f"Another numdesk deleted the application 'Sales' ({sales.id}) after you last "
        "looked. Nothing was changed."
    )


def test_link_after_other_deleted(
    account: SandboxAccount, other: SandboxAccount
) -> None:
    msisdn = rent_voice_number(account)
    sales = account.create_application(SALES)
    other.delete_application(sales.id)

    with pytest.raises(ChangedElsewhere, match="deleted the application 'Sales'"):
        account.link(msisdn, sales.id)
    assert account.owned_number(msisdn).app_id is None


def test_unread_application_not_found(
    account: SandboxAccount, other: SandboxAccount
) -> None:
    sales = other.create_application(SALES)
    other.delete_application(sales.id)

    with pytest.raises(NotFound, match="No application has the id"):
        account.update_application(sales.id, SUPPORT)


def test_delete_after_other_linked(
    account: SandboxAccount, other: SandboxAccount
) -> None:
    msisdn = rent_voice_number(account)
    sales = account.create_application(SALES)
    account.owned_numbers()
    other.link(msisdn, sales.id)

    with pytest.raises(ChangedElsewhere, match=msisdn):
        account.delete_application(sales.id)
    assert account.owned_number(msisdn).app_id == sales.id


def test_link_after_other_cancelled(
    account: SandboxAccount, other: SandboxAccount
) -> None:
    msisdn = rent_voice_number(account)
    sales = account.create_application(SALES)
    other.cancel(msisdn)

    with pytest.raises(NotFound, match="does not own"):
        account.link(msisdn, sales.id)


@pytest.mark.parametrize(
    "change",
    [
        lambda account, msisdn, app: account.link(msisdn, app.id),
        lambda account, msisdn, app: account.unlink(msisdn),
        lambda account, msisdn, app: account.cancel(msisdn),
    ],
    ids=["link", "unlink", "cancel"],
)
def test_change_after_reading_again(
    account: SandboxAccount,
    other: SandboxAccount,
    change: Callable[[SandboxAccount, str, Application], object],
) -> None:
    msisdn = rent_voice_number(account)
    sales, support = both_apps(account)
    other.link(msisdn, support.id)
    account.owned_numbers()

    change(account, msisdn, sales)

    assert account.history()[0].user == "tester"


def test_same_goal_is_no_conflict(
    account: SandboxAccount, other: SandboxAccount
) -> None:
    msisdn = rent_voice_number(account)
    sales = account.create_application(SALES)
    other.link(msisdn, sales.id)

    assert account.link(msisdn, sales.id).app_id == sales.id


def test_unread_number_not_checked(
    account: SandboxAccount, other: SandboxAccount
) -> None:
    msisdn = rent_voice_number(other)
    sales = other.create_application(SALES)
    other.link(msisdn, sales.id)

    assert account.cancel(msisdn).app_id == sales.id


def test_own_changes_not_conflicts(account: SandboxAccount) -> None:
    msisdn = rent_voice_number(account)
    sales, support = both_apps(account)
    account.link(msisdn, sales.id)
    account.link(msisdn, support.id)
    account.update_application(support.id, SALES)

    assert account.delete_application(support.id)[0].msisdn == msisdn


def test_data_version_ignores_own_changes(account: SandboxAccount) -> None:
    before = account.data_version()
    rent_voice_number(account)

    assert account.data_version() == before


def test_data_version_sees_other_change(
    account: SandboxAccount, other: SandboxAccount
) -> None:
    before = account.data_version()
    rent_voice_number(other)

    assert account.data_version() != before


def test_data_version_never_waits(account: SandboxAccount) -> None:
    # Another thread of this process inside a call holds the account's lock.
    holding = threading.Event()
    release = threading.Event()

    def hold_lock() -> None:
        with account._lock:
            holding.set()
            release.wait()

    thread = threading.Thread(target=hold_lock)
    thread.start()
    holding.wait()

    version = account.data_version()

    release.set()
    thread.join()
    assert version is None


def test_cancel_seen_survives_reread(
    account: SandboxAccount, other: SandboxAccount
) -> None:
    msisdn = rent_voice_number(account)
    sales, _ = both_apps(account)
    seen = account.owned_number(msisdn)
    other.link(msisdn, sales.id)
    # A screen refreshing in the background reads the number again.
    account.owned_numbers()

    with pytest.raises(ChangedElsewhere, match="is now linked to 'Sales'"):
        account.cancel(msisdn, seen=seen)
    assert account.owned_number(msisdn).app_id == sales.id


def test_link_seen_survives_reread(
    account: SandboxAccount, other: SandboxAccount
) -> None:
    msisdn = rent_voice_number(account)
    sales, support = both_apps(account)
    seen = account.owned_number(msisdn)
    other.link(msisdn, support.id)
    account.owned_numbers()

    with pytest.raises(ChangedElsewhere, match="was not linked and is now linked"):
        account.link(msisdn, sales.id, seen=seen)
    assert account.owned_number(msisdn).app_id == support.id


def test_unlink_seen_survives_reread(
    account: SandboxAccount, other: SandboxAccount
) -> None:
    msisdn = rent_voice_number(account)
    sales, support = both_apps(account)
    seen = account.link(msisdn, sales.id)
    other.link(msisdn, support.id)
    account.owned_numbers()

    with pytest.raises(ChangedElsewhere, match="was linked to 'Sales'"):
        account.unlink(msisdn, seen=seen)
    assert account.owned_number(msisdn).app_id == support.id


def test_delete_seen_linked_changed(
    account: SandboxAccount, other: SandboxAccount
) -> None:
    msisdn = rent_voice_number(account)
    sales, _ = both_apps(account)
    other.link(msisdn, sales.id)
    account.owned_numbers()

    with pytest.raises(ChangedElsewhere, match=f"none before, {msisdn} now"):
        account.delete_application(sales.id, seen_linked=[])
    assert account.application(sales.id) == sales
    assert account.owned_number(msisdn).app_id == sales.id


def test_delete_seen_linked_unchanged(account: SandboxAccount) -> None:
    msisdn = rent_voice_number(account)
    sales, _ = both_apps(account)
    account.link(msisdn, sales.id)

    unlinked = account.delete_application(sales.id, seen_linked=[msisdn])
    assert [number.msisdn for number in unlinked] == [msisdn]
