"""The rent dialog opened from Search, driven by Pilot on a real sandbox store."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Button, Input

from domain.countries import all_countries
from domain.errors import AlreadyOwned, NumberNotAvailable, NumdeskError
from domain.numbers import AvailableNumber, NumberType, SearchQuery
from store.account import SandboxAccount, open_sandbox
from tests.conftest import fixed_clock, search_rows
from tui.app import STORE_POLL_SECONDS, NumdeskApp
from tui.dialogs.play_money import PlayMoneyDialog
from tui.dialogs.rent import (
    NO_VOICE_NOTE,
    RentDialog,
    describe_charge,
    describe_shortfall,
)
from tui.screens.search import SearchScreen

SIZE = (80, 24)

SnapCompare = Callable[..., bool]


def search_screen(app: NumdeskApp) -> SearchScreen:
    screen = app.screen
    assert isinstance(screen, SearchScreen)
    return screen


def rent_dialog(app: NumdeskApp) -> RentDialog:
    screen = app.screen
    assert isinstance(screen, RentDialog)
    return screen


def shown_msisdns(app: NumdeskApp) -> list[str]:
    table = search_screen(app).results
    return [table.row_text(row)[0] for row in range(table.row_count)]


def text_of(widget: Widget) -> str:
    return str(widget.render())


def toast_texts(app: NumdeskApp) -> str:
    """Join the text of every notification on screen."""
    return "\n".join(text_of(toast) for toast in app.screen.query("Toast"))


def dialog_fields(app: NumdeskApp) -> dict[str, str]:
    """Read the dialog's label/value pairs as the user sees them."""
    dialog = rent_dialog(app)
    fields = [text_of(label) for label in dialog.query(".rent-field")]
    values = [text_of(label) for label in dialog.query(".rent-value")]
    return dict(zip(fields, values, strict=True))


def dialog_message(app: NumdeskApp) -> str | None:
    message = rent_dialog(app).query_one("#rent-message")
    return text_of(message) if message.display else None


def us_numbers(account: SandboxAccount) -> list[AvailableNumber]:
    query = SearchQuery("US", size=search_rows(SIZE[1]))
    return list(account.search(query).items)


def expensive_number(account: SandboxAccount) -> AvailableNumber:
    """Find an available number whose monthly cost is more than the balance."""
    balance = account.balance()
    for country in all_countries():
        for number_type in NumberType:
            query = SearchQuery(country.code, type=number_type, size=100)
            for number in account.search(query).items:
                if number.cost > balance:
                    return number
    pytest.fail(f"The sandbox has no number that costs more than {balance} EUR.")


async def show_only(pilot: Pilot[None], msisdn: str) -> None:
    """Search for exactly `msisdn`, so it is the only row, and focus the results."""
    pilot.app.screen.query_one("#pattern", Input).focus()
    await pilot.press(*msisdn, "enter")
    await pilot.pause()


async def open_dialog_on(pilot: Pilot[None], msisdn: str) -> None:
    """Open the rent dialog on `msisdn`, listed alone."""
    await show_only(pilot, msisdn)
    await pilot.press("enter")
    await pilot.pause()


async def open_dialog_on_row(pilot: Pilot[None], row: int) -> None:
    await pilot.press(*(["down"] * row), "enter")
    await pilot.pause()


# Confirming


async def test_rent_confirm_rents_number(account: SandboxAccount) -> None:
    number = us_numbers(account)[1]
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await open_dialog_on_row(pilot, 1)
        await pilot.press("enter")
        await pilot.pause()
        assert [owned.msisdn for owned in account.owned_numbers()] == [number.msisdn]
        assert account.balance() == Decimal("10.00") - number.cost


async def test_rent_removes_number_from_list(account: SandboxAccount) -> None:
    number = us_numbers(account)[1]
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await open_dialog_on_row(pilot, 1)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        assert number.msisdn not in shown_msisdns(app)
        assert shown_msisdns(app) == [
            available.msisdn for available in us_numbers(account)
        ]


async def test_rent_keeps_cursor_row(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await open_dialog_on_row(pilot, 3)
        await pilot.press("enter")
        await pilot.pause()
        assert search_screen(app).results.cursor_row == 3


async def test_rent_refreshes_header_balance(account: SandboxAccount) -> None:
    number = us_numbers(account)[0]
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await open_dialog_on_row(pilot, 0)
        await pilot.press("enter")
        await pilot.pause()
        balance = Decimal("10.00") - number.cost
        assert app.sub_title == f"sandbox · balance {balance:.2f} EUR"


async def test_rent_notifies_number_and_cost(account: SandboxAccount) -> None:
    number = us_numbers(account)[0]
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_dialog_on_row(pilot, 0)
        await pilot.press("enter")
        await pilot.pause()
        assert (
            f"Rented {number.msisdn} for {number.cost:.2f} EUR a month."
            in toast_texts(app)
        )


async def test_rent_count_drops_by_one(account: SandboxAccount) -> None:
    count = account.search(SearchQuery("US")).count
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await open_dialog_on_row(pilot, 0)
        await pilot.press("enter")
        await pilot.pause()
        page = search_screen(app).page
        assert page is not None
        assert page.count == count - 1


@pytest.mark.parametrize(
    "keys",
    [["r"], ["enter"], ["ctrl+p", *"Rent selected number", "enter"]],
    ids=["r", "enter", "palette"],
)
async def test_rent_dialog_opens_for_row(
    account: SandboxAccount, keys: list[str]
) -> None:
    number = us_numbers(account)[2]
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "down", *keys)
        await pilot.pause()
        assert rent_dialog(app).number == number


async def test_double_enter_opens_one_dialog(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        # Two Enters posted at once, as a key bounce or SSH would deliver them.
        app.post_message(events.Key("enter", "\r"))
        app.post_message(events.Key("enter", "\r"))
        await pilot.pause()
        await pilot.pause()
        assert [type(screen) for screen in app.screen_stack] == [
            SearchScreen,
            RentDialog,
        ]
        assert account.owned_numbers() == []


async def test_rent_dialog_shows_details(account: SandboxAccount) -> None:
    number = us_numbers(account)[0]
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await open_dialog_on_row(pilot, 0)
        features = " ".join(sorted(number.features, key=["SMS", "VOICE", "MMS"].index))
        assert dialog_fields(app) == {
            "Number": number.msisdn,
            "Country": "United States (US, +1)",
            "Type": number.type.label,
            "Features": features,
            "Monthly cost": f"{number.cost:.2f} EUR",
            "Balance now": "10.00 EUR",
            "Balance after": f"{Decimal('10.00') - number.cost:.2f} EUR",
        }
        assert dialog_message(app) is None


async def test_rent_dialog_says_sandbox_money(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await open_dialog_on_row(pilot, 0)
        charge = rent_dialog(app).query_one("#rent-charge")
        assert text_of(charge) == describe_charge(charges_real_money=False)
        assert not charge.has_class("-real-money")


@pytest.mark.parametrize(("country", "voice"), [("AT", False), ("US", True)])
async def test_rent_dialog_notes_missing_voice(
    account: SandboxAccount, country: str, voice: bool
) -> None:
    query = SearchQuery(country, type=NumberType.MOBILE, size=50)
    number = next(
        number for number in account.search(query).items if number.has_voice == voice
    )
    app = NumdeskApp(account, default_country=country)
    async with app.run_test(size=SIZE) as pilot:
        await open_dialog_on(pilot, number.msisdn)
        notes = rent_dialog(app).query("#rent-no-voice")

        assert [text_of(note) for note in notes] == ([] if voice else [NO_VOICE_NOTE])


@pytest.mark.parametrize(
    ("charges_real_money", "words"),
    [(True, "Real money"), (False, "no real money")],
)
def test_describe_charge_names_money(charges_real_money: bool, words: str) -> None:
    assert words in describe_charge(charges_real_money)


async def test_rent_dialog_focuses_rent_button(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await open_dialog_on_row(pilot, 0)
        assert app.focused is rent_dialog(app).query_one("#rent")


async def test_enter_typed_before_rent_ready_ignored(account: SandboxAccount) -> None:
    number = us_numbers(account)[0]
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        # Read with the Enter that opens the dialog, as in a burst of keys.
        typed_early = events.Key("enter", "\r")
        await open_dialog_on_row(pilot, 0)
        assert app.focused is rent_dialog(app).query_one("#rent")

        app.post_message(typed_early)
        await pilot.pause()
        assert account.owned_numbers() == []
        assert isinstance(app.screen, RentDialog)

        await pilot.press("enter")
        await pilot.pause()
        assert [owned.msisdn for owned in account.owned_numbers()] == [number.msisdn]


# Backing out


@pytest.mark.parametrize(
    "keys", [["escape"], ["tab", "enter"]], ids=["escape", "back-button"]
)
async def test_back_out_changes_nothing(
    account: SandboxAccount, keys: list[str]
) -> None:
    before = [number.msisdn for number in us_numbers(account)]
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await open_dialog_on_row(pilot, 2)
        await pilot.press(*keys)
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        assert account.balance() == Decimal("10.00")
        assert account.owned_numbers() == []
        assert shown_msisdns(app) == before
        assert search_screen(app).results.cursor_row == 2


# Not enough balance


async def test_low_balance_explained_before_confirm(account: SandboxAccount) -> None:
    number = expensive_number(account)
    app = NumdeskApp(account, default_country=number.country)
    async with app.run_test(size=SIZE) as pilot:
        await open_dialog_on(pilot, number.msisdn)
        assert dialog_message(app) == (
            f"Not enough balance: {number.msisdn} costs {number.cost:.2f} EUR a month "
            f"and the balance is 10.00 EUR. Press a to add the missing "
            f"{number.cost - 10:.2f} EUR of play money, or choose a cheaper number."
        )
        assert rent_dialog(app).query_one("#rent", Button).disabled
        assert app.focused is rent_dialog(app).query_one("#back")


async def test_credit_from_elsewhere_enables_rent(
    account: SandboxAccount, store_path: Path
) -> None:
    number = expensive_number(account)
    app = NumdeskApp(account, default_country=number.country)
    async with app.run_test(size=SIZE) as pilot:
        await open_dialog_on(pilot, number.msisdn)
        other = open_sandbox(store_path, clock=fixed_clock, user="other")
        other.add_credit(number.cost)
        other.close()

        app.show_changes_from_elsewhere()
        await app.workers.wait_for_complete()
        await pilot.pause()

        balance = Decimal("10.00") + number.cost
        assert dialog_fields(app)["Balance now"] == f"{balance:.2f} EUR"
        assert dialog_message(app) is None
        assert not rent_dialog(app).query_one("#rent", Button).disabled
        assert app.focused is rent_dialog(app).query_one("#rent")


async def test_rent_elsewhere_disables_rent(
    account: SandboxAccount, store_path: Path
) -> None:
    number = us_numbers(account)[0]
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await open_dialog_on(pilot, number.msisdn)
        other = open_sandbox(store_path, clock=fixed_clock, user="other")
        other.rent(number.msisdn)
        other.close()

        app.show_changes_from_elsewhere()
        await app.workers.wait_for_complete()
        await pilot.pause()

        message = dialog_message(app) or ""
        assert message.startswith(f"{number.msisdn} is already rented by this account")
        assert message.endswith(". Press Esc and choose another number.")
        assert rent_dialog(app).query_one("#rent", Button).disabled


async def test_add_missing_play_money_then_rent(account: SandboxAccount) -> None:
    number = expensive_number(account)
    missing = number.cost - Decimal("10.00")
    app = NumdeskApp(account, default_country=number.country)
    async with app.run_test(size=SIZE) as pilot:
        await open_dialog_on(pilot, number.msisdn)
        await pilot.press("a")
        await pilot.pause()

        credit = app.screen
        assert isinstance(credit, PlayMoneyDialog)
        assert credit.query_one("#credit-amount", Input).value == f"{missing:.2f}"

        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()

        assert account.balance() == number.cost
        assert account.history()[0].action == "add_credit"
        assert dialog_fields(app)["Balance now"] == f"{number.cost:.2f} EUR"
        assert dialog_message(app) is None
        rent = rent_dialog(app).query_one("#rent", Button)
        assert app.focused is rent
        label = f"Rent for {number.cost:.2f} EUR"
        assert text_of(rent).strip() == label
        # Laid out again for the longer label, so that none of it is cut.
        assert rent.content_size.width >= len(label)

        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()

        assert [owned.msisdn for owned in account.owned_numbers()] == [number.msisdn]
        assert account.balance() == Decimal("0.00")


async def test_add_money_key_only_when_short(account: SandboxAccount) -> None:
    number = us_numbers(account)[0]
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await open_dialog_on(pilot, number.msisdn)
        await pilot.press("a")
        await pilot.pause()

        assert isinstance(app.screen, RentDialog)
        assert "add_credit" not in {
            active.binding.action for active in app.active_bindings.values()
        }


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("ten", "'ten' is not an amount of EUR: give one such as 10 or 2.50."),
        ("-5", "Credit -5 EUR is out of range: add from 0.01 to 1000.00 EUR"),
        ("1.234", "Credit 1.234 EUR is not an amount in cents"),
        ("5000", "Credit 5000 EUR is out of range"),
    ],
)
async def test_bad_credit_explained_in_dialog(
    account: SandboxAccount, typed: str, error: str
) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.add_play_money()
        await pilot.pause()
        field = app.screen.query_one("#credit-amount", Input)
        field.value = typed
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()

        assert isinstance(app.screen, PlayMoneyDialog)
        assert text_of(app.screen.query_one("#credit-error")).startswith(error)
        assert field.value == typed
        assert account.balance() == Decimal("10.00")
        assert account.history() == []


async def test_play_money_from_palette(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p", *"play money")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()

        assert isinstance(app.screen, PlayMoneyDialog)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()

        assert account.balance() == Decimal("20.00")
        # Textual has no public accessor for the notifications on display.
        messages = [notification.message for notification in app._notifications]
        assert messages == ["The balance is 20.00 EUR now."]
        assert "20.00 EUR" in str(app.sub_title)


def test_live_shortfall_points_to_dashboard(account: SandboxAccount) -> None:
    number = expensive_number(account)

    message = describe_shortfall(number, Decimal("1.00"), charges_real_money=True)

    assert "Top up the account in the Vonage dashboard, or choose" in message


async def test_low_balance_shows_negative_after(account: SandboxAccount) -> None:
    number = expensive_number(account)
    app = NumdeskApp(account, default_country=number.country)
    async with app.run_test(size=SIZE) as pilot:
        await open_dialog_on(pilot, number.msisdn)
        after = Decimal("10.00") - number.cost
        assert dialog_fields(app)["Balance after"] == f"{after:.2f} EUR (too low)"


async def test_low_balance_enter_rents_nothing(account: SandboxAccount) -> None:
    number = expensive_number(account)
    app = NumdeskApp(account, default_country=number.country)
    async with app.run_test(size=SIZE) as pilot:
        await show_only(pilot, number.msisdn)
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        assert account.balance() == Decimal("10.00")
        assert account.owned_numbers() == []
        assert shown_msisdns(app) == [number.msisdn]


# Taken by another process between listing and confirming


async def test_taken_number_explained_in_dialog(
    account: SandboxAccount, store_path: Path
) -> None:
    number = us_numbers(account)[0]
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await open_dialog_on_row(pilot, 0)
        other = open_sandbox(store_path, clock=fixed_clock, user="other")
        other.rent(number.msisdn)
        other.close()
        balance_after_other = account.balance()

        await pilot.press("enter")
        await pilot.pause()

        with pytest.raises(NumdeskError) as raised:
            account.rent(number.msisdn)
        # One store is one account, so the other process's rent makes it ours.
        assert isinstance(raised.value, NumberNotAvailable | AlreadyOwned)
        assert dialog_message(app) == f"Rent failed. {raised.value}"
        assert rent_dialog(app).query_one("#rent", Button).disabled
        assert account.balance() == balance_after_other
        assert dialog_fields(app)["Balance now"] == f"{balance_after_other:.2f} EUR"
        assert dialog_fields(app)["Balance after"] == (
            f"{balance_after_other:.2f} EUR (no change)"
        )
        assert len(account.owned_numbers()) == 1


async def test_taken_number_leaves_list_on_back(
    account: SandboxAccount, store_path: Path
) -> None:
    number = us_numbers(account)[0]
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await open_dialog_on_row(pilot, 0)
        other = open_sandbox(store_path, clock=fixed_clock, user="other")
        other.rent(number.msisdn)
        other.close()
        await pilot.press("enter", "escape")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        assert number.msisdn not in shown_msisdns(app)


# Snapshots


async def open_first_row(pilot: Pilot[None]) -> None:
    await open_dialog_on_row(pilot, 0)


def open_expensive(number: AvailableNumber) -> Callable[[Pilot[None]], object]:
    async def run_before(pilot: Pilot[None]) -> None:
        await open_dialog_on(pilot, number.msisdn)

    return run_before


class TestRentSnapshots:
    def test_dialog(self, snap_compare: SnapCompare, account: SandboxAccount) -> None:
        """The rent dialog for the first US number, with the balance after."""
        assert snap_compare(
            NumdeskApp(account, default_country="US"),
            run_before=open_first_row,
            terminal_size=SIZE,
        )

    def test_low_balance(
        self, snap_compare: SnapCompare, account: SandboxAccount
    ) -> None:
        """A number dearer than the balance: explained, with Rent disabled."""
        number = expensive_number(account)
        assert snap_compare(
            NumdeskApp(account, default_country=number.country),
            run_before=open_expensive(number),
            terminal_size=SIZE,
        )

    def test_add_play_money(
        self, snap_compare: SnapCompare, account: SandboxAccount
    ) -> None:
        """The dialog that adds play money, offering what the rent is missing."""
        number = expensive_number(account)

        async def open_credit(pilot: Pilot[None]) -> None:
            await open_dialog_on(pilot, number.msisdn)
            await pilot.press("a")
            await pilot.pause()
            # The cursor's blink would differ between runs.
            pilot.app.screen.query_one("#credit-amount", Input).cursor_blink = False
            await pilot.pause()

        assert snap_compare(
            NumdeskApp(account, default_country=number.country),
            run_before=open_credit,
            terminal_size=SIZE,
        )

    def test_taken(
        self, snap_compare: SnapCompare, account: SandboxAccount, store_path: Path
    ) -> None:
        """The number rented elsewhere while the dialog was open."""

        async def rent_elsewhere(pilot: Pilot[None]) -> None:
            await open_dialog_on_row(pilot, 0)
            other = open_sandbox(store_path, clock=fixed_clock, user="other")
            other.rent(us_numbers(other)[0].msisdn)
            other.close()
            # The header shows the other process's rent after the app's next poll.
            balance = f"balance {account.balance():.2f} EUR"
            while not pilot.app.sub_title.endswith(balance):
                await pilot.pause(STORE_POLL_SECONDS)
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()

        assert snap_compare(
            NumdeskApp(account, default_country="US"),
            run_before=rent_elsewhere,
            terminal_size=SIZE,
        )


async def test_mode_key_works_in_dialog(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        dialog = rent_dialog(app)
        await pilot.press("f3")
        await pilot.pause()
        assert app.current_mode == "numbers"

        await pilot.press("f2")
        await pilot.pause()
        assert app.screen is dialog
