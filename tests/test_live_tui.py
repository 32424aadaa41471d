"""The app on a live account: Pilot drives the real screens against the HTTPS stand-in."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import DataTable

from live.account import LiveAccount
from tests.conftest import fixed_clock
from tests.vonage_standin import (
    Certificates,
    VonageStandIn,
    connect_to,
    make_certificates,
    own_number,
)
from tui.app import NumdeskApp
from tui.dialogs.rent import RentDialog
from tui.screens.search import SearchScreen

SIZE = (80, 24)
# The monthly cost's column in the My numbers table.
COST_COLUMN = 4
SnapCompare = Callable[..., bool]


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    return make_certificates(tmp_path_factory.mktemp("certificates"))


@pytest.fixture
def stand_in(
    certificates: Certificates, monkeypatch: pytest.MonkeyPatch
) -> Iterator[VonageStandIn]:
    for variable in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("NO_PROXY", "*")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(certificates.ca_path))
    with VonageStandIn(certificates) as running:
        yield running


@pytest.fixture
def live(stand_in: VonageStandIn, tmp_path: Path) -> Iterator[LiveAccount]:
    account = connect_to(stand_in, tmp_path, clock=fixed_clock)
    yield account
    account.close()


def shown_msisdns(app: NumdeskApp) -> list[str]:
    screen = app.screen
    assert isinstance(screen, SearchScreen)
    table = screen.results
    return [table.get_row_at(row)[0].plain for row in range(table.row_count)]


def rent_message(app: NumdeskApp) -> str:
    dialog = app.screen
    assert isinstance(dialog, RentDialog)
    message: Widget = dialog.query_one("#rent-message")
    return str(message.render())


async def open_dialog_on_row(pilot: Pilot[None], row: int) -> None:
    await pilot.press(*(["down"] * row), "enter")
    await pilot.pause()


async def test_header_names_live_account(live: LiveAccount) -> None:
    app = NumdeskApp(live, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.sub_title == "live:test · balance 10.00 EUR"


async def test_search_lists_vonage_numbers(
    live: LiveAccount, stand_in: VonageStandIn
) -> None:
    app = NumdeskApp(live, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert shown_msisdns(app)[:3] == ["14155550000", "14155550001", "14155550002"]
        assert stand_in.requests[-1].query["country"] == "US"


async def test_rent_from_search(live: LiveAccount, stand_in: VonageStandIn) -> None:
    app = NumdeskApp(live, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await open_dialog_on_row(pilot, 1)
        await pilot.press("enter")
        await pilot.pause()
        assert list(stand_in.owned) == ["14155550001"]
        assert stand_in.balance == Decimal("8.75")
        assert app.sub_title == "live:test · balance 8.75 EUR"
        assert "14155550001" not in shown_msisdns(app)


async def test_rent_rejected_shown_in_dialog(
    live: LiveAccount, stand_in: VonageStandIn
) -> None:
    stand_in.address_required["US"] = "Numbers in US require a valid address"
    app = NumdeskApp(live, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await open_dialog_on_row(pilot, 0)
        await pilot.press("enter")
        await pilot.pause()
        message = rent_message(app)
        assert message.startswith(
            "Rent failed. Vonage rejected the rent of 14155550000"
        )
        assert "HTTP 420" in message
        assert "address documents" in message
        assert stand_in.owned == {}


async def test_rent_timeout_shown_in_dialog(
    live: LiveAccount, stand_in: VonageStandIn
) -> None:
    app = NumdeskApp(live, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await open_dialog_on_row(pilot, 0)
        stand_in.slow("POST", "/number/buy", 3)
        await pilot.press("enter")
        await pilot.pause()
        assert "did not answer after waiting 1 s" in rent_message(app)


async def test_unknown_cost_shown_as_dash(
    live: LiveAccount, stand_in: VonageStandIn
) -> None:
    own_number(stand_in, "14155550001")
    app = NumdeskApp(live, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        table = app.screen.query_one("#numbers", DataTable)
        cost = table.get_row_at(0)[COST_COLUMN]
        assert cost.plain == "-"


class TestLiveSnapshots:
    def test_search(self, snap_compare: SnapCompare, live: LiveAccount) -> None:
        """The Search screen of a live account: its name in the header, Vonage's stock."""
        assert snap_compare(NumdeskApp(live, default_country="US"), terminal_size=SIZE)
