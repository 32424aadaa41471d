"""The My numbers screen, its link picker and its confirmations, driven by Pilot."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import DataTable, OptionList, Static

from domain.account import Account
from domain.applications import Application, ApplicationDraft
from domain.errors import NotFound
from domain.numbers import NumberType, OwnedNumber, SearchQuery, sort_features
from store.account import SandboxAccount
from tests.key_bursts import type_burst
from tests.notifications import errors_shown, notification_messages
from tui.app import NumdeskApp
from tui.dialogs.confirm import ConfirmDialog
from tui.dialogs.link import LinkDialog
from tui.screens.numbers import NO_NUMBERS, MyNumbersScreen

MARKUP_NAME = "[bold red]x[/]"

# Countries whose sandbox stock sells mobile numbers with SMS and no VOICE.
SMS_ONLY_COUNTRIES = ("AT", "CH", "DK", "HU", "PL", "TR")


def rent_voice_numbers(account: Account, count: int) -> list[OwnedNumber]:
    """Rent the first `count` US landlines with VOICE, in msisdn order."""
    page = account.search(
        SearchQuery(country="US", type=NumberType.LANDLINE, size=count * 5)
    )
    voice = [number for number in page.items if number.has_voice][:count]
    assert len(voice) == count, f"the US stock has {len(voice)} VOICE landlines"
    return [account.rent(number.msisdn) for number in voice]


def rent_number_without_voice(account: Account) -> OwnedNumber:
    """Rent the cheapest mobile number that has SMS but no VOICE."""
    candidates = [
        number
        for country in SMS_ONLY_COUNTRIES
        for number in account.search(
            SearchQuery(country=country, type=NumberType.MOBILE)
        ).items
        if not number.has_voice
    ]
    assert candidates, "the sandbox stock has no SMS-only mobile numbers"
    cheapest = min(candidates, key=lambda number: (number.cost, number.msisdn))
    return account.rent(cheapest.msisdn)


def create_application(account: Account, name: str, host: str) -> Application:
    return account.create_application(
        ApplicationDraft(
            name=name,
            answer_url=f"https://{host}/answer",
            event_url=f"https://{host}/event",
        )
    )


def numbers_screen(app: NumdeskApp) -> MyNumbersScreen:
    screen = app.screen
    assert isinstance(screen, MyNumbersScreen), f"the screen is {screen!r}"
    return screen


def numbers_table(app: NumdeskApp) -> DataTable[Any]:
    return numbers_screen(app).query_one("#numbers", DataTable)


def row_texts(app: NumdeskApp, msisdn: str) -> list[str]:
    return [cell.plain for cell in numbers_table(app).get_row(msisdn)]


def static_text(widget: Static) -> str:
    content = widget.content
    assert isinstance(content, Content), f"the widget shows {content!r}"
    return content.plain


def drop_table(store_path: Path, table: str) -> None:
    """Break the store from outside the app, as a damaged file would."""
    with sqlite3.connect(store_path) as connection:
        connection.execute(f"DROP TABLE {table}")


async def show_my_numbers(pilot: Pilot[Any]) -> None:
    await pilot.press("f3")
    await pilot.pause()


async def press(pilot: Pilot[Any], *keys: str) -> None:
    """Press keys and wait until the app has handled them.

    Use it when a dialog stays open, because the worker that opened it waits for the
    dialog's result.
    """
    await pilot.press(*keys)
    await pilot.pause()


async def press_and_finish(pilot: Pilot[Any], *keys: str) -> None:
    """Press keys that end an action, and wait for its worker to complete."""
    await pilot.press(*keys)
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def dialog_message(app: NumdeskApp) -> str:
    dialog = app.screen
    assert isinstance(dialog, ConfirmDialog), f"the screen is {dialog!r}"
    return static_text(dialog.query_one("#message", Static))


# Listing


async def test_empty_state(account: Account) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_my_numbers(pilot)
        screen = numbers_screen(app)

        assert screen.query_one("#empty").display
        assert not screen.query_one("#numbers").display
        assert static_text(screen.query_one("#empty", Static)) == NO_NUMBERS


@pytest.mark.parametrize("key", ["l", "u", "c"])
async def test_actions_on_empty_list(account: Account, key: str) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_my_numbers(pilot)
        await press_and_finish(pilot, key)

        assert isinstance(app.screen, MyNumbersScreen)
        assert notification_messages(app) == [NO_NUMBERS]


async def test_rows_show_number_fields(account: Account) -> None:
    linked, unlinked = rent_voice_numbers(account, 2)
    support = create_application(account, "Support", "support.example.com")
    account.link(linked.msisdn, support.id)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_my_numbers(pilot)

        assert row_texts(app, linked.msisdn) == [
            linked.msisdn,
            "US",
            "landline",
            " ".join(sort_features(linked.features)),
            f"{linked.cost:.2f}",
            "Support",
        ]
        assert row_texts(app, unlinked.msisdn)[5] == "-"


async def test_detail_explains_missing_voice(account: Account) -> None:
    number = rent_number_without_voice(account)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_my_numbers(pilot)
        detail = static_text(numbers_screen(app).query_one("#detail", Static))

        assert detail.startswith(f"{number.msisdn} has no VOICE feature")


async def test_resume_reloads_and_keeps_cursor(account: Account) -> None:
    first, _, third = rent_voice_numbers(account, 3)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_my_numbers(pilot)
        await press(pilot, "down", "down")
        await press(pilot, "f2")
        account.cancel(first.msisdn)
        await press(pilot, "f3")
        table = numbers_table(app)

        assert table.row_count == 2
        assert numbers_screen(app).highlighted_number() == third
        assert table.cursor_row == 1


async def test_long_application_name_shortened(account: Account) -> None:
    (number,) = rent_voice_numbers(account, 1)
    name = "Customer support line for the spring sales campaign"
    application = create_application(account, name, "support.example.com")
    account.link(number.msisdn, application.id)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_my_numbers(pilot)
        table = numbers_table(app)

        name_cell = row_texts(app, number.msisdn)[5]
        assert name_cell.endswith("…")
        assert name.startswith(name_cell[:-1])
        assert table.virtual_size.width <= table.size.width

        await pilot.resize_terminal(140, 24)
        await pilot.pause()
        assert row_texts(app, number.msisdn)[5] == name


# Linking


async def test_link_number(account: Account) -> None:
    (number,) = rent_voice_numbers(account, 1)
    support = create_application(account, "Support", "support.example.com")
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_my_numbers(pilot)
        await press(pilot, "l")
        assert isinstance(app.screen, LinkDialog)
        await press_and_finish(pilot, "enter")

        assert account.owned_number(number.msisdn).app_id == support.id
        assert row_texts(app, number.msisdn)[5] == "Support"
        assert notification_messages(app) == [f"Linked {number.msisdn} to 'Support'."]


async def test_link_keys_in_one_burst(account: Account) -> None:
    first, second = rent_voice_numbers(account, 2)
    create_application(account, "Alpha", "alpha.example.com")
    beta = create_application(account, "Beta", "beta.example.com")
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_my_numbers(pilot)
        await press(pilot, "l")
        # Down and Enter arrive together, as tmux or SSH send them.
        await type_burst(pilot, ["down", "enter"])
        await app.workers.wait_for_complete()
        await pilot.pause()

        assert account.owned_number(first.msisdn).app_id == beta.id
        assert account.owned_number(second.msisdn).app_id is None
        assert numbers_screen(app).highlighted_number() == account.owned_number(
            first.msisdn
        )


async def test_link_picker_escape(account: Account) -> None:
    (number,) = rent_voice_numbers(account, 1)
    create_application(account, "Support", "support.example.com")
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_my_numbers(pilot)
        await press_and_finish(pilot, "l", "escape")

        assert isinstance(app.screen, MyNumbersScreen)
        assert account.owned_number(number.msisdn).app_id is None


async def test_link_picker_disables_current(account: Account) -> None:
    (number,) = rent_voice_numbers(account, 1)
    alpha = create_application(account, "Alpha", "alpha.example.com")
    beta = create_application(account, "Beta", "beta.example.com")
    account.link(number.msisdn, alpha.id)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_my_numbers(pilot)
        await press(pilot, "l")
        options = app.screen.query_one(OptionList)

        assert options.get_option(alpha.id).disabled
        assert not options.get_option(beta.id).disabled
        assert options.highlighted_option is options.get_option(beta.id)


@pytest.mark.parametrize(
    ("answer", "linked_to"),
    [("y", "Beta"), ("n", "Alpha"), ("escape", "Alpha")],
)
async def test_relink_asks(account: Account, answer: str, linked_to: str) -> None:
    (number,) = rent_voice_numbers(account, 1)
    alpha = create_application(account, "Alpha", "alpha.example.com")
    beta = create_application(account, "Beta", "beta.example.com")
    account.link(number.msisdn, alpha.id)
    app_ids = {"Alpha": alpha.id, "Beta": beta.id}
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_my_numbers(pilot)
        await press(pilot, "l", "enter")
        message = dialog_message(app)
        await press_and_finish(pilot, answer)

        assert message.startswith(f"Relink {number.msisdn} from 'Alpha' to 'Beta'?")
        assert account.owned_number(number.msisdn).app_id == app_ids[linked_to]
        assert row_texts(app, number.msisdn)[5] == linked_to


async def test_link_without_voice_rejected(account: Account) -> None:
    number = rent_number_without_voice(account)
    create_application(account, "Support", "support.example.com")
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_my_numbers(pilot)
        await press_and_finish(pilot, "l")

        assert isinstance(app.screen, MyNumbersScreen)
        assert account.owned_number(number.msisdn).app_id is None
        assert notification_messages(app) == [
            f"{number.msisdn} has no VOICE feature, so it cannot link to a voice "
            "application: rent a number with VOICE (F2)."
        ]


async def test_link_without_applications(account: Account) -> None:
    rent_voice_numbers(account, 1)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_my_numbers(pilot)
        await press_and_finish(pilot, "l")

        assert isinstance(app.screen, MyNumbersScreen)
        assert notification_messages(app) == [
            "You have no applications yet: press F4 to create one."
        ]


async def test_mode_switch_closes_notifications(account: Account) -> None:
    rent_voice_numbers(account, 1)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_my_numbers(pilot)
        await press_and_finish(pilot, "l")
        await pilot.press("f4")
        await pilot.pause()

        assert app.current_mode == "applications"
        assert notification_messages(app) == []


async def test_link_to_only_linked_application(account: Account) -> None:
    (number,) = rent_voice_numbers(account, 1)
    support = create_application(account, "Support", "support.example.com")
    account.link(number.msisdn, support.id)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_my_numbers(pilot)
        await press_and_finish(pilot, "l")

        assert isinstance(app.screen, MyNumbersScreen)
        assert notification_messages(app) == [
            f"{number.msisdn} is linked to 'Support', your only application: "
            "press F4 to create another."
        ]


# Unlinking and cancelling


async def test_unlink_number(account: Account) -> None:
    (number,) = rent_voice_numbers(account, 1)
    support = create_application(account, "Support", "support.example.com")
    account.link(number.msisdn, support.id)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_my_numbers(pilot)
        await press_and_finish(pilot, "u")

        assert account.owned_number(number.msisdn).app_id is None
        assert row_texts(app, number.msisdn)[5] == "-"
        assert notification_messages(app) == [
            f"Unlinked {number.msisdn} from 'Support'."
        ]


async def test_unlink_unlinked_number(account: Account) -> None:
    (number,) = rent_voice_numbers(account, 1)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_my_numbers(pilot)
        await press_and_finish(pilot, "u")

        assert account.owned_number(number.msisdn).app_id is None
        assert notification_messages(app) == [
            f"{number.msisdn} is not linked to an application."
        ]


@pytest.mark.parametrize(
    ("answer", "still_owned"), [("y", False), ("n", True), ("escape", True)]
)
async def test_cancel_asks(account: Account, answer: str, still_owned: bool) -> None:
    (number,) = rent_voice_numbers(account, 1)
    balance = account.balance()
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_my_numbers(pilot)
        await press(pilot, "c")
        message = dialog_message(app)
        await press_and_finish(pilot, answer)
        owned = [owned.msisdn for owned in account.owned_numbers()]

        assert "goes back to the inventory" in message
        assert f"monthly cost of {number.cost:.2f} EUR is not refunded" in message
        assert (number.msisdn in owned) is still_owned
        assert numbers_table(app).row_count == len(owned)
        assert account.balance() == balance


async def test_cancel_names_linked_application(account: Account) -> None:
    (number,) = rent_voice_numbers(account, 1)
    support = create_application(account, "Support", "support.example.com")
    account.link(number.msisdn, support.id)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_my_numbers(pilot)
        await press(pilot, "c")

        assert dialog_message(app).endswith("Calls to it stop reaching 'Support'.")


# Failures


async def test_link_number_cancelled_elsewhere(account: Account) -> None:
    (number,) = rent_voice_numbers(account, 1)
    support = create_application(account, "Support", "support.example.com")
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_my_numbers(pilot)
        await press(pilot, "l")
        account.cancel(number.msisdn)
        await press_and_finish(pilot, "enter")
        with pytest.raises(NotFound) as raised:
            account.link(number.msisdn, support.id)

        assert errors_shown(app) == [("Not linked", str(raised.value))]


async def test_unlink_number_cancelled_elsewhere(account: Account) -> None:
    (number,) = rent_voice_numbers(account, 1)
    support = create_application(account, "Support", "support.example.com")
    account.link(number.msisdn, support.id)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_my_numbers(pilot)
        account.cancel(number.msisdn)
        await press_and_finish(pilot, "u")
        with pytest.raises(NotFound) as raised:
            account.unlink(number.msisdn)

        assert errors_shown(app) == [("Not unlinked", str(raised.value))]


async def test_cancel_number_cancelled_elsewhere(account: Account) -> None:
    (number,) = rent_voice_numbers(account, 1)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_my_numbers(pilot)
        await press(pilot, "c")
        account.cancel(number.msisdn)
        await press_and_finish(pilot, "y")
        with pytest.raises(NotFound) as raised:
            account.cancel(number.msisdn)

        assert errors_shown(app) == [("Not cancelled", str(raised.value))]
        assert numbers_table(app).row_count == 0


async def test_failed_reload_keeps_rows(account: Account, store_path: Path) -> None:
    (number,) = rent_voice_numbers(account, 1)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_my_numbers(pilot)
        await press(pilot, "f2")
        drop_table(store_path, "applications")
        await press(pilot, "f3")
        # The store poll may also have found Search unreadable before F3.
        (message,) = [
            message
            for title, message in errors_shown(app)
            if title == "Numbers not loaded"
        ]

        assert message.startswith(f"The store {store_path} is damaged (no such table")
        assert row_texts(app, number.msisdn)[0] == number.msisdn


async def test_same_named_applications_show_ids(
    pinned_account: SandboxAccount,
) -> None:
    first, second = rent_voice_numbers(pinned_account, 2)
    leeds = create_application(pinned_account, "IVR Leeds", "leeds.example.com")
    other = create_application(pinned_account, "IVR Leeds", "other.example.com")
    pinned_account.link(first.msisdn, leeds.id)
    pinned_account.link(second.msisdn, other.id)
    app = NumdeskApp(pinned_account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_my_numbers(pilot)

        assert row_texts(app, first.msisdn)[-1] == f"IVR Leeds {leeds.id[:8]}"
        assert row_texts(app, second.msisdn)[-1] == f"IVR Leeds {other.id[:8]}"


# Text from users


async def test_markup_name_shown_literally(account: Account) -> None:
    first, second = rent_voice_numbers(account, 2)
    plain = create_application(account, "Plain", "plain.example.com")
    markup = create_application(account, MARKUP_NAME, "markup.example.com")
    account.link(first.msisdn, markup.id)
    account.link(second.msisdn, plain.id)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_my_numbers(pilot)
        cell = numbers_table(app).get_row(first.msisdn)[5]
        detail = static_text(numbers_screen(app).query_one("#detail", Static))
        await press(pilot, "down", "l", "up", "enter")
        message = dialog_message(app)

        assert cell.plain == MARKUP_NAME
        assert cell.spans == []
        assert f"'{MARKUP_NAME}'" in detail
        assert f"from 'Plain' to '{MARKUP_NAME}'?" in message


# Command palette


@pytest.mark.parametrize(
    ("command", "dialog"),
    [("Link number", LinkDialog), ("Cancel number", ConfirmDialog)],
)
async def test_palette_opens_dialog(
    account: Account, command: str, dialog: type[object]
) -> None:
    rent_voice_numbers(account, 1)
    create_application(account, "Support", "support.example.com")
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_my_numbers(pilot)
        await pilot.press("ctrl+p", *command)
        await pilot.pause()
        await press(pilot, "enter")

        assert isinstance(app.screen, dialog)


async def test_palette_unlinks(account: Account) -> None:
    (number,) = rent_voice_numbers(account, 1)
    support = create_application(account, "Support", "support.example.com")
    account.link(number.msisdn, support.id)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_my_numbers(pilot)
        await pilot.press("ctrl+p", *"Unlink number")
        await pilot.pause()
        await press_and_finish(pilot, "enter")

        assert account.owned_number(number.msisdn).app_id is None


# Snapshots


class TestMyNumbersSnapshots:
    """The My numbers screen and its dialogs at 80x24."""

    def test_empty(self, snap_compare: Any, pinned_account: Account) -> None:
        """No numbers: the empty-state message points to F2."""
        assert snap_compare(
            NumdeskApp(pinned_account, default_country="US"),
            press=["f3"],
            terminal_size=(80, 24),
        )

    def test_with_numbers(self, snap_compare: Any, pinned_account: Account) -> None:
        """Three numbers, the first linked; the detail line names its application."""
        seed_three_numbers(pinned_account)
        assert snap_compare(
            NumdeskApp(pinned_account, default_country="US"),
            press=["f3"],
            terminal_size=(80, 24),
        )

    def test_link_picker(self, snap_compare: Any, pinned_account: Account) -> None:
        """The picker for an unlinked number lists both applications."""
        seed_three_numbers(pinned_account)
        assert snap_compare(
            NumdeskApp(pinned_account, default_country="US"),
            press=["f3", "down", "l"],
            terminal_size=(80, 24),
        )

    def test_relink_confirm(self, snap_compare: Any, pinned_account: Account) -> None:
        """Relinking the linked number names both applications and defaults to No."""
        seed_three_numbers(pinned_account)
        assert snap_compare(
            NumdeskApp(pinned_account, default_country="US"),
            press=["f3", "l", "enter"],
            terminal_size=(80, 24),
        )

    def test_cancel_confirm(self, snap_compare: Any, pinned_account: Account) -> None:
        """The cancel confirmation: back to the inventory, no refund."""
        seed_three_numbers(pinned_account)
        assert snap_compare(
            NumdeskApp(pinned_account, default_country="US"),
            press=["f3", "c"],
            terminal_size=(80, 24),
        )


def seed_three_numbers(account: Account) -> None:
    """Rent two VOICE numbers and one SMS-only number; link the first to Support."""
    first, _ = rent_voice_numbers(account, 2)
    rent_number_without_voice(account)
    support = create_application(account, "Support", "support.example.com")
    create_application(account, "Sales", "sales.example.com")
    account.link(first.msisdn, support.id)
