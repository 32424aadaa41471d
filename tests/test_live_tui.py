"""The app on a live account: Pilot drives the real screens against the HTTPS stand-in."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Button, DataTable, Input, Static

from domain.numbers import NumberType
from live.account import LiveAccount
from live.config import Credentials, Secret
from live.connect import connect_live_account
from live.settings import ConnectionSettings
from tests.conftest import fixed_clock
from tests.notifications import errors_shown
from tests.vonage_standin import (
    API_KEY,
    API_SECRET,
    Certificates,
    VonageStandIn,
    add_application,
    connect_to,
    make_certificates,
    own_number,
)
from tui.account_reads import LOADING_TEXT
from tui.app import NumdeskApp
from tui.dialogs.rent import RentDialog
from tui.screens.base import ModeScreen
from tui.screens.callerid import CallerIdScreen
from tui.screens.numbers import MyNumbersScreen
from tui.screens.search import SearchScreen
from tui.widgets.choice_picker import ChoicePicker

SIZE = (80, 24)
# The monthly cost's column in the My numbers table.
COST_COLUMN = 4
VOICE_NUMBER = "14155550000"
# A reply held back this long never comes before the test releases it.
HELD_SECONDS = 30
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


@pytest.fixture
def patient_live(stand_in: VonageStandIn, tmp_path: Path) -> Iterator[LiveAccount]:
    """A live account that waits up to 60 s for a reply, for replies held back."""
    settings = ConnectionSettings(
        rest_host=stand_in.rest_host,
        api_host=stand_in.api_host,
        timeout_seconds=60,
        attempts=1,
    )
    account = connect_live_account(
        "test",
        Credentials(API_KEY, Secret(API_SECRET)),
        settings,
        private_keys=tmp_path / "private-keys",
        cache_file=tmp_path / "live.db",
        clock=fixed_clock,
    )
    yield account
    account.close()


@pytest.fixture
def utc_local_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Make the local time zone UTC, so that the header shows the clock's time."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def status_app(account: LiveAccount) -> NumdeskApp:
    """Return the app on `account`, with today being the day of the fixed clock."""
    return NumdeskApp(account, default_country="US", clock=fixed_clock)


async def settle(pilot: Pilot[None]) -> None:
    """Wait until every read and change in a worker has ended and been shown."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def loading_note_shown(screen: ModeScreen) -> bool:
    note = screen.query_one("#account-note", Static)
    return note.display and str(note.render()) == LOADING_TEXT


def shown_msisdns(app: NumdeskApp) -> list[str]:
    screen = app.screen
    assert isinstance(screen, SearchScreen)
    table = screen.results
    return [table.row_text(row)[0] for row in range(table.row_count)]


def rent_message(app: NumdeskApp) -> str:
    dialog = app.screen
    assert isinstance(dialog, RentDialog)
    message: Widget = dialog.query_one("#rent-message")
    return str(message.render())


async def open_dialog_on_row(pilot: Pilot[None], row: int) -> None:
    await settle(pilot)
    await pilot.press(*(["down"] * row), "enter")
    await settle(pilot)


async def test_header_names_live_account(live: LiveAccount) -> None:
    app = NumdeskApp(live, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.sub_title == "live:test · balance 10.00 EUR"


async def test_header_shows_last_sync(
    live: LiveAccount, stand_in: VonageStandIn, utc_local_time: None
) -> None:
    own_number(stand_in, VOICE_NUMBER)
    app = status_app(live)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        assert app.sub_title == "live:test · balance 10.00 EUR · synced 09:30"


async def test_header_dates_older_sync(
    live: LiveAccount, stand_in: VonageStandIn, utc_local_time: None
) -> None:
    app = NumdeskApp(
        live, default_country="US", clock=lambda: fixed_clock().replace(day=16)
    )
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3")
        await settle(pilot)
        assert app.sub_title.endswith(" · synced 15 Jan 09:30")


async def test_offline_header_and_read_only(
    live: LiveAccount, stand_in: VonageStandIn, utc_local_time: None
) -> None:
    app_id = add_application(stand_in, "Support")
    own_number(stand_in, VOICE_NUMBER, app_id)
    app = status_app(live)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3")
        await settle(pilot)
        stand_in.stop()
        await pilot.press("f4")
        await settle(pilot)
        assert app.sub_title == (
            "live:test · OFFLINE, read-only · balance 10.00 EUR · synced 09:30"
        )
        note = app.screen.query_one("#account-note", Static)
        assert note.display
        assert str(note.render()) == (
            "OFFLINE, read-only: Vonage cannot be reached. Cache synced 09:30."
        )

        await pilot.press("f3", "u")
        await settle(pilot)
        ((title, message),) = errors_shown(app)
        assert title == "Not unlinked"
        assert "is read-only until Vonage can be reached again" in message
        assert stand_in.owned[VOICE_NUMBER].app_id == app_id


async def test_header_online_again(
    live: LiveAccount, stand_in: VonageStandIn, utc_local_time: None
) -> None:
    app = status_app(live)
    async with app.run_test(size=SIZE) as pilot:
        # Textual resumes a mode screen twice on its first visit, which reads twice.
        await pilot.press("f4", "f3")
        await settle(pilot)
        stand_in.fail("GET", "/account/numbers", 503)
        await pilot.press("f4")
        await settle(pilot)
        assert "OFFLINE" in app.sub_title
        await pilot.press("f3")
        await settle(pilot)
        assert "OFFLINE" not in app.sub_title


async def test_slow_read_keeps_keys(
    patient_live: LiveAccount, stand_in: VonageStandIn
) -> None:
    own_number(stand_in, VOICE_NUMBER)
    app = status_app(patient_live)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        stand_in.slow("GET", "/v2/applications", HELD_SECONDS)
        await pilot.press("f3")
        numbers = app.screen
        assert isinstance(numbers, MyNumbersScreen)
        assert loading_note_shown(numbers)
        assert not numbers.query_one("#empty").display

        await pilot.press("f5", "4", "4")
        assert isinstance(app.screen, CallerIdScreen)
        assert app.screen.query_one("#callerid-input", Input).value == "44"
        assert loading_note_shown(numbers)

        stand_in.stop()  # Releases the reply held back.
        await settle(pilot)
        await pilot.press("f3")
        assert not loading_note_shown(numbers)
        assert [number.msisdn for number in numbers.numbers] == [VOICE_NUMBER]


async def test_loading_note_text(
    patient_live: LiveAccount, stand_in: VonageStandIn
) -> None:
    stand_in.slow("GET", "/number/search", HELD_SECONDS)
    app = status_app(patient_live)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        note = app.screen.query_one("#account-note")
        assert str(note.render()) == LOADING_TEXT
        assert note.display
        stand_in.stop()


async def test_stale_search_failure_dropped(
    live: LiveAccount, stand_in: VonageStandIn
) -> None:
    app = NumdeskApp(live, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        type_filter = screen.query_one("#type", ChoicePicker)
        # The first search times out after the live fixture's 1 s, while the second
        # waits for it, because the live account makes one call at a time.
        stand_in.slow("GET", "/number/search", 5)
        type_filter.value = NumberType.MOBILE.value
        await pilot.pause()
        type_filter.value = NumberType.LANDLINE.value
        await settle(pilot)
        assert errors_shown(app) == []
        assert screen.page is not None
        assert {number.type for number in screen.page.items} == {NumberType.LANDLINE}
        searches = [r for r in stand_in.requests if r.path == "/number/search"]
        assert searches[-1].query.get("type") == "landline"


async def test_stale_reply_dropped(live: LiveAccount) -> None:
    release = threading.Event()
    returned = threading.Event()

    def slow_read() -> str:
        release.wait(HELD_SECONDS)
        returned.set()
        return "stale"

    shown: list[str] = []
    app = NumdeskApp(live, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        stale = screen.read_account(slow_read, shown.append, "Not read", group="test")
        new = screen.read_account(lambda: "new", shown.append, "Not read", group="test")
        assert stale is not None
        assert new is not None
        await new.wait()
        assert shown == ["new"]
        assert loading_note_shown(screen)

        release.set()
        await stale.wait()
        assert returned.is_set()
        assert shown == ["new"]
        assert not loading_note_shown(screen)


async def test_search_lists_vonage_numbers(
    live: LiveAccount, stand_in: VonageStandIn
) -> None:
    app = NumdeskApp(live, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert shown_msisdns(app)[:3] == ["14155550000", "14155550001", "14155550002"]
        searches = [r for r in stand_in.requests if r.path == "/number/search"]
        assert searches[-1].query["country"] == "US"


async def test_loading_note_starts_no_search(
    live: LiveAccount, stand_in: VonageStandIn
) -> None:
    # The loading note takes a row from the table while a search runs. The page
    # keeps its length, so the note's coming and going starts no other search.
    app = NumdeskApp(live, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.pause(0.5)
        await settle(pilot)
        searches = [r for r in stand_in.requests if r.path == "/number/search"]
        assert [search.query["size"] for search in searches] == ["16"]


async def test_live_rent_starts_on_back(live: LiveAccount) -> None:
    app = NumdeskApp(live, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await open_dialog_on_row(pilot, 1)
        dialog = app.screen
        assert isinstance(dialog, RentDialog)

        assert app.focused is dialog.query_one("#back")
        assert not dialog.query_one("#rent", Button).disabled


async def test_rent_from_search(live: LiveAccount, stand_in: VonageStandIn) -> None:
    app = NumdeskApp(live, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await open_dialog_on_row(pilot, 1)
        await pilot.press("shift+tab", "enter")
        await settle(pilot)
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
        await pilot.press("shift+tab", "enter")
        await settle(pilot)
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
        await pilot.press("shift+tab", "enter")
        await settle(pilot)
        assert "did not answer after waiting 1 s" in rent_message(app)


async def test_unknown_cost_shown_as_dash(
    live: LiveAccount, stand_in: VonageStandIn
) -> None:
    own_number(stand_in, "14155550001")
    app = NumdeskApp(live, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3")
        await settle(pilot)
        table = app.screen.query_one("#numbers", DataTable)
        cost = table.get_row_at(0)[COST_COLUMN]
        assert cost.plain == "-"


class TestLiveSnapshots:
    def test_search(self, snap_compare: SnapCompare, live: LiveAccount) -> None:
        """The Search screen of a live account: its name in the header, Vonage's stock."""
        assert snap_compare(
            NumdeskApp(live, default_country="US"),
            run_before=settle,
            terminal_size=SIZE,
        )

    def test_offline_header(
        self,
        snap_compare: SnapCompare,
        live: LiveAccount,
        stand_in: VonageStandIn,
        utc_local_time: None,
    ) -> None:
        """My numbers from the cache, with the offline marker in the header and note line."""
        app_id = add_application(stand_in, "Support")
        own_number(stand_in, VOICE_NUMBER, app_id)

        async def go_offline(pilot: Pilot[None]) -> None:
            await pilot.press("f3")
            await settle(pilot)
            stand_in.stop()
            await pilot.press("f4", "f3")
            await settle(pilot)

        assert snap_compare(status_app(live), run_before=go_offline, terminal_size=SIZE)

    def test_loading(
        self, snap_compare: SnapCompare, live: LiveAccount, stand_in: VonageStandIn
    ) -> None:
        """My numbers while Vonage is slow: the loading note over the empty table."""

        async def wait_for_vonage(pilot: Pilot[None]) -> None:
            await settle(pilot)
            # NOTE: the screenshot must come within the 0.9 s that the reply is held
            # back, which a heavily loaded machine could miss.
            stand_in.slow("GET", "/account/numbers", 0.9)
            await pilot.press("f3")

        assert snap_compare(
            status_app(live), run_before=wait_for_vonage, terminal_size=SIZE
        )
