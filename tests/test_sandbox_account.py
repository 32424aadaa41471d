"""The sandbox account on real store files: renting, linking, applications, history."""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from domain.account import Account
from domain.applications import ApplicationDraft, HttpMethod
from domain.errors import (
    AlreadyOwned,
    InsufficientBalance,
    InvalidInput,
    LinkNotAllowed,
    NotFound,
    NumberNotAvailable,
)
from domain.numbers import (
    AvailableNumber,
    Feature,
    NumberType,
    PatternMatch,
    SearchQuery,
)
from store.account import SandboxAccount, open_sandbox
from tests.conftest import FIXED_NOW, TEST_USER, fixed_clock

DRAFT = ApplicationDraft(
    name="Support line",
    answer_url="https://example.com/answer",
    event_url="https://example.com/event",
)


def first_available(
    account: SandboxAccount,
    country: str = "US",
    features: frozenset[Feature] = frozenset({Feature.VOICE}),
    number_type: NumberType | None = None,
) -> AvailableNumber:
    query = SearchQuery(country=country, features=features, type=number_type)
    return account.search(query).items[0]


def cheapest_over(account: SandboxAccount, limit: Decimal) -> AvailableNumber:
    """Return an available number whose monthly cost is above `limit` EUR."""
    for country in ("SG", "JP", "HK", "DE"):
        for number in account.search(SearchQuery(country=country, size=100)).items:
            if number.cost > limit:
                return number
    raise AssertionError(f"The sandbox has no number costing more than {limit} EUR.")


def test_is_an_account(account: SandboxAccount) -> None:
    # mypy checks here that SandboxAccount has every method of Account.
    as_account: Account = account

    assert as_account.name == "sandbox"


def test_sandbox_costs_no_money(account: SandboxAccount) -> None:
    assert account.charges_real_money is False
    assert account.last_sync is None


def test_starting_balance(account: SandboxAccount) -> None:
    assert account.balance() == Decimal("10.00")


def test_rent_moves_number(account: SandboxAccount) -> None:
    number = first_available(account)

    owned = account.rent(number.msisdn)

    assert owned.msisdn == number.msisdn
    assert owned.cost == number.cost
    assert owned.app_id is None
    assert account.owned_numbers() == [owned]
    assert number not in account.search(SearchQuery(country="US", size=100)).items


def test_rent_debits_balance(account: SandboxAccount) -> None:
    number = first_available(account)

    account.rent(number.msisdn)

    assert account.balance() == Decimal("10.00") - number.cost


def test_rent_logs_change(account: SandboxAccount) -> None:
    number = first_available(account)

    account.rent(number.msisdn)

    [entry] = account.history(msisdn=number.msisdn)
    assert entry.action == "rent"
    assert entry.user == TEST_USER
    assert entry.time == FIXED_NOW
    assert entry.details["before"]["balance"] == "10.00"
    assert entry.details["after"]["balance"] == str(Decimal("10.00") - number.cost)


def test_rent_twice_rejected(account: SandboxAccount) -> None:
    number = first_available(account)
    account.rent(number.msisdn)

    with pytest.raises(AlreadyOwned, match=number.msisdn):
        account.rent(number.msisdn)


def test_rent_unknown_number(account: SandboxAccount) -> None:
    with pytest.raises(NumberNotAvailable, match="12025550199"):
        account.rent("12025550199")


def test_rent_invalid_msisdn(account: SandboxAccount) -> None:
    with pytest.raises(InvalidInput):
        account.rent("+1 202 555")


def test_rent_over_balance(account: SandboxAccount) -> None:
    number = cheapest_over(account, Decimal("10.00"))

    with pytest.raises(InsufficientBalance) as caught:
        account.rent(number.msisdn)

    missing = number.cost - Decimal("10.00")
    assert str(caught.value) == (
        f"Renting {number.msisdn} costs {number.cost} EUR a month but the balance "
        f"is 10.00 EUR: add the missing {missing} EUR with `numdesk sandbox "
        f"add-credit {missing}`, or pick a cheaper number."
    )
    assert account.balance() == Decimal("10.00")
    assert account.available_number(number.msisdn) == number


def test_cancel_returns_number(account: SandboxAccount) -> None:
    number = first_available(account)
    account.rent(number.msisdn)

    account.cancel(number.msisdn)

    assert account.owned_numbers() == []
    assert account.available_number(number.msisdn) == number


def test_cancel_keeps_balance(account: SandboxAccount) -> None:
    number = first_available(account)
    account.rent(number.msisdn)

    account.cancel(number.msisdn)

    assert account.balance() == Decimal("10.00") - number.cost


def test_cancel_not_owned(account: SandboxAccount) -> None:
    number = first_available(account)

    with pytest.raises(NotFound, match=number.msisdn):
        account.cancel(number.msisdn)


def test_available_number_owned(account: SandboxAccount) -> None:
    number = first_available(account)
    account.rent(number.msisdn)

    with pytest.raises(AlreadyOwned):
        account.available_number(number.msisdn)


def test_link_sets_app_id(account: SandboxAccount) -> None:
    number = account.rent(first_available(account).msisdn)
    app = account.create_application(DRAFT)

    linked = account.link(number.msisdn, app.id)

    assert linked.app_id == app.id
    assert account.owned_numbers(app_id=app.id) == [linked]


def test_relink_replaces_link(account: SandboxAccount) -> None:
    number = account.rent(first_available(account).msisdn)
    first = account.create_application(DRAFT)
    second = account.create_application(DRAFT)
    account.link(number.msisdn, first.id)

    account.link(number.msisdn, second.id)

    assert account.owned_number(number.msisdn).app_id == second.id
    assert account.owned_numbers(app_id=first.id) == []


def test_unlink_clears_app_id(account: SandboxAccount) -> None:
    number = account.rent(first_available(account).msisdn)
    app = account.create_application(DRAFT)
    account.link(number.msisdn, app.id)

    unlinked = account.unlink(number.msisdn)

    assert unlinked.app_id is None
    assert account.owned_number(number.msisdn).app_id is None


def test_link_without_voice_rejected(account: SandboxAccount) -> None:
    sms_only = first_available(
        account, country="AT", features=frozenset(), number_type=NumberType.MOBILE
    )
    assert not sms_only.has_voice, "Austrian sandbox mobiles are SMS-only."
    account.rent(sms_only.msisdn)
    app = account.create_application(DRAFT)

    with pytest.raises(LinkNotAllowed, match=sms_only.msisdn):
        account.link(sms_only.msisdn, app.id)


def test_link_unknown_application(account: SandboxAccount) -> None:
    number = account.rent(first_available(account).msisdn)

    with pytest.raises(NotFound, match="no-such-app"):
        account.link(number.msisdn, "no-such-app")


def test_create_application_stores_fields(account: SandboxAccount) -> None:
    draft = ApplicationDraft(
        name="  IVR  ",
        answer_url="https://example.com/a",
        event_url="https://example.com/e",
        answer_method=HttpMethod.POST,
        fallback_answer_url="https://backup.example.com/a",
    )

    app = account.create_application(draft)

    assert account.application(app.id) == app
    assert app.name == "IVR"
    assert app.answer_method is HttpMethod.POST
    assert app.fallback_answer_url == "https://backup.example.com/a"


def test_create_application_invalid(account: SandboxAccount) -> None:
    draft = ApplicationDraft(name="x", answer_url="ftp://a", event_url="https://e")

    with pytest.raises(InvalidInput, match="answer_url"):
        account.create_application(draft)
    assert account.applications() == []


def test_update_application(account: SandboxAccount) -> None:
    app = account.create_application(DRAFT)
    draft = ApplicationDraft(
        name="Renamed", answer_url="https://new/a", event_url="https://new/e"
    )

    updated = account.update_application(app.id, draft)

    assert updated.id == app.id
    assert account.application(app.id).name == "Renamed"


def test_applications_sorted_by_name(account: SandboxAccount) -> None:
    for name in ("beta", "Alpha", "gamma"):
        account.create_application(
            ApplicationDraft(name=name, answer_url="https://a/", event_url="https://e/")
        )

    names = [app.name for app in account.applications()]

    assert names == ["Alpha", "beta", "gamma"]


def test_delete_application_unlinks(account: SandboxAccount) -> None:
    number = account.rent(first_available(account).msisdn)
    app = account.create_application(DRAFT)
    account.link(number.msisdn, app.id)

    unlinked = account.delete_application(app.id)

    assert [item.msisdn for item in unlinked] == [number.msisdn]
    assert account.owned_number(number.msisdn).app_id is None
    assert account.applications() == []


def test_delete_unknown_application(account: SandboxAccount) -> None:
    with pytest.raises(NotFound):
        account.delete_application("no-such-app")


def test_new_id_names_applications(store_path: Path) -> None:
    ids = iter(["app-1", "app-2"])
    account = open_sandbox(store_path, clock=fixed_clock, new_id=lambda: next(ids))

    created = [account.create_application(DRAFT).id for _ in range(2)]
    account.close()

    assert created == ["app-1", "app-2"]


def test_new_store_rows_progress(tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []

    account = open_sandbox(
        tmp_path / "numdesk.db",
        clock=fixed_clock,
        rows=5_000,
        on_progress=lambda done, total: calls.append((done, total)),
    )
    history = account.history()
    account.close()

    assert calls[-1] == (5_000, 5_000)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert history == []


def inventory_size(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        return int(connection.execute("SELECT count(*) FROM inventory").fetchone()[0])


@pytest.mark.parametrize("rows", [1, 700, 5_000])
def test_new_store_row_count(tmp_path: Path, rows: int) -> None:
    path = tmp_path / "numdesk.db"

    open_sandbox(path, clock=fixed_clock, rows=rows).close()

    assert inventory_size(path) == rows


def test_replace_inventory_size(account: SandboxAccount, store_path: Path) -> None:
    before = inventory_size(store_path)

    removed = account.replace_inventory(2_000)

    assert removed == before
    assert inventory_size(store_path) == 2_000


def test_replace_inventory_skips_owned(
    account: SandboxAccount, store_path: Path
) -> None:
    # The default stock in full, so the owned number would be generated again.
    rows = inventory_size(store_path) + 1
    rented = account.rent(first_available(account).msisdn)

    account.replace_inventory(rows)

    assert inventory_size(store_path) == rows
    assert account.owned_numbers() == [rented]
    with pytest.raises(AlreadyOwned):
        account.available_number(rented.msisdn)


def test_replace_inventory_logged(account: SandboxAccount, store_path: Path) -> None:
    before = inventory_size(store_path)

    account.replace_inventory(700)

    [entry] = account.history()
    assert entry.action == "replace_inventory"
    assert entry.details == {
        "before": {"available": before},
        "after": {"available": 700},
    }


def test_replace_inventory_progress(account: SandboxAccount) -> None:
    calls: list[tuple[int, int]] = []

    account.replace_inventory(700, lambda done, total: calls.append((done, total)))

    assert calls[-1] == (700, 700)
    assert {total for _, total in calls} == {700}


def test_replace_inventory_searchable(account: SandboxAccount) -> None:
    account.replace_inventory(5_000)
    number = account.search(SearchQuery(country="US")).items[0]

    found = account.search(
        SearchQuery(
            country="US", pattern=number.msisdn[3:9], match=PatternMatch.CONTAINS
        )
    )

    assert number in found.items
