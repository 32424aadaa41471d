"""The Applications screen, its form and its delete confirmation, driven by Pilot."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from domain.account import Account
from domain.applications import (
    Application,
    ApplicationDraft,
    HttpMethod,
    validate_name,
    validate_webhook_url,
)
from domain.errors import InvalidInput, NotFound
from domain.numbers import NumberType, OwnedNumber, SearchQuery
from store.account import SandboxAccount, open_sandbox
from tests.conftest import fixed_clock
from tests.key_bursts import type_burst
from tests.notifications import errors_shown, notification_messages
from tui.app import NumdeskApp
from tui.dialogs.application_form import ApplicationForm
from tui.dialogs.confirm import ConfirmDialog, QuitQuestion
from tui.screens.applications import NO_APPLICATIONS, ApplicationsScreen

MARKUP_NAME = "[bold red]x[/]"


def rent_voice_numbers(account: Account, count: int) -> list[OwnedNumber]:
    """Rent the first `count` US landlines with VOICE, in msisdn order."""
    page = account.search(
        SearchQuery(country="US", type=NumberType.LANDLINE, size=count * 5)
    )
    voice = [number for number in page.items if number.has_voice][:count]
    assert len(voice) == count, f"the US stock has {len(voice)} VOICE landlines"
    return [account.rent(number.msisdn) for number in voice]


def create_application(
    account: Account, name: str, host: str, fallback: bool = False
) -> Application:
    return account.create_application(
        ApplicationDraft(
            name=name,
            answer_url=f"https://{host}/answer",
            event_url=f"https://{host}/event",
            fallback_answer_url=f"https://{host}/fallback" if fallback else None,
        )
    )


def applications_screen(app: NumdeskApp) -> ApplicationsScreen:
    screen = app.screen
    assert isinstance(screen, ApplicationsScreen), f"the screen is {screen!r}"
    return screen


def form(app: NumdeskApp) -> ApplicationForm:
    screen = app.screen
    assert isinstance(screen, ApplicationForm), f"the screen is {screen!r}"
    return screen


def row_texts(app: NumdeskApp, app_id: str) -> list[str]:
    table = applications_screen(app).query_one("#applications", DataTable)
    return [cell.plain for cell in table.get_row(app_id)]


def static_text(widget: Static) -> str:
    content = widget.content
    assert isinstance(content, Content), f"the widget shows {content!r}"
    return content.plain


def detail_lines(app: NumdeskApp) -> list[str]:
    detail = applications_screen(app).query_one("#detail-text", Static)
    return static_text(detail).split("\n")


def field_error(app: NumdeskApp, field: str) -> str | None:
    """Return the error shown under a form field, or None when none is shown."""
    error = form(app).query_one(f"#{field}-error", Static)
    return static_text(error) if error.has_class("-shown") else None


async def show_applications(pilot: Pilot[Any]) -> None:
    await pilot.press("f4")
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


async def type_text(pilot: Pilot[Any], text: str) -> None:
    await pilot.press(*text)


async def fill_form(
    pilot: Pilot[Any],
    name: str,
    answer_url: str,
    event_url: str,
    fallback_answer_url: str = "",
) -> None:
    """Type into the form's fields in tab order, starting with the focused name.

    Every field is cleared first, so this works on the create and the edit form.
    The method selects between the URL fields are passed over with Tab.
    """
    for text, tabs in (
        (name, 1),
        (answer_url, 2),
        (event_url, 2),
        (fallback_answer_url, 0),
    ):
        await pilot.press("home", "ctrl+k")
        await type_text(pilot, text)
        await pilot.press(*["tab"] * tabs)
    await pilot.pause()


def expected_url_error(url: str, field: str) -> str:
    with pytest.raises(InvalidInput) as raised:
        validate_webhook_url(url, field)
    return str(raised.value)


# Listing


async def test_empty_state(account: Account) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_applications(pilot)
        screen = applications_screen(app)

        assert screen.query_one("#empty").display
        assert not screen.query_one("#applications").display
        assert not screen.query_one("#detail").display
        assert static_text(screen.query_one("#empty", Static)) == NO_APPLICATIONS


@pytest.mark.parametrize("key", ["e", "d"])
async def test_actions_on_empty_list(account: Account, key: str) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_applications(pilot)
        await press_and_finish(pilot, key)

        assert isinstance(app.screen, ApplicationsScreen)
        assert notification_messages(app) == [NO_APPLICATIONS]


async def test_rows_show_application_fields(account: Account) -> None:
    first, second = rent_voice_numbers(account, 2)
    support = create_application(account, "Support", "support.example.com")
    sales = create_application(account, "Sales", "sales.example.com")
    account.link(first.msisdn, support.id)
    account.link(second.msisdn, support.id)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_applications(pilot)

        assert row_texts(app, support.id) == [
            "Support",
            support.id[:8],
            "2",
            "https://support.example.com/answer",
        ]
        assert row_texts(app, sales.id)[2] == "0"


async def test_long_name_and_url_shortened(account: Account) -> None:
    (number,) = rent_voice_numbers(account, 1)
    long_name = "Customer support line for the spring sales campaign"
    long_url = (
        "https://hooks.example.com/voice/answer?campaign=spring-2026&team=support"
    )
    application = account.create_application(
        ApplicationDraft(long_name, long_url, "https://hooks.example.com/event")
    )
    account.link(number.msisdn, application.id)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_applications(pilot)

        name, _, count, url = row_texts(app, application.id)
        assert (name, count) == ("Customer support line f…", "1")
        assert url == "https://hooks.example.com/voic…"
        table = applications_screen(app).query_one("#applications", DataTable)
        assert table.virtual_size.width <= table.size.width
        assert detail_lines(app)[2:4] == [
            "answer_url           GET  https://hooks.example.com/voice/answer?campaign=spri",
            "                     ng-2026&team=support",
        ]
        assert detail_lines(app)[0] == f"name                 {long_name}"

        await pilot.resize_terminal(140, 24)
        await pilot.pause()
        assert row_texts(app, application.id)[3] == long_url
        assert detail_lines(app)[0] == f"name                 {long_name}"
        assert detail_lines(app)[2] == f"answer_url           GET  {long_url}"


async def test_detail_lists_linked_numbers(account: Account) -> None:
    first, second = rent_voice_numbers(account, 2)
    support = create_application(
        account, "Support", "support.example.com", fallback=True
    )
    account.link(first.msisdn, support.id)
    account.link(second.msisdn, support.id)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_applications(pilot)
        lines = detail_lines(app)

        assert lines == [
            "name                 Support",
            f"id                   {support.id}",
            "answer_url           GET  https://support.example.com/answer",
            "event_url            POST https://support.example.com/event",
            "fallback_answer_url  GET  https://support.example.com/fallback",
            f"linked numbers       {first.msisdn}, {second.msisdn}",
        ]


async def test_detail_follows_cursor(account: Account) -> None:
    create_application(account, "Alpha", "alpha.example.com")
    create_application(account, "Beta", "beta.example.com")
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_applications(pilot)
        await press(pilot, "down")
        lines = detail_lines(app)

        assert lines[0] == "name                 Beta"
        assert lines[4] == "fallback_answer_url  -"
        assert lines[5] == "linked numbers       none"


async def test_resume_reloads_and_keeps_cursor(account: Account) -> None:
    (number,) = rent_voice_numbers(account, 1)
    create_application(account, "Beta", "beta.example.com")
    gamma = create_application(account, "Gamma", "gamma.example.com")
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_applications(pilot)
        await press(pilot, "down")
        await press(pilot, "f3")
        create_application(account, "Alpha", "alpha.example.com")
        account.link(number.msisdn, gamma.id)
        await press(pilot, "f4")
        screen = applications_screen(app)

        assert screen.highlighted_application() == gamma
        assert row_texts(app, gamma.id)[2] == "1"


# Creating and editing


async def test_create_application(account: Account) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_applications(pilot)
        await press(pilot, "n")
        await fill_form(
            pilot,
            name="Front desk",
            answer_url="https://desk.example.com/answer",
            event_url="https://desk.example.com/event",
            fallback_answer_url="https://desk.example.com/fallback",
        )
        await press_and_finish(pilot, "ctrl+s")
        (created,) = account.applications()

        assert created == Application(
            id=created.id,
            name="Front desk",
            answer_url="https://desk.example.com/answer",
            event_url="https://desk.example.com/event",
            fallback_answer_url="https://desk.example.com/fallback",
        )
        assert applications_screen(app).highlighted_application() == created
        assert notification_messages(app) == ["Created 'Front desk'."]


async def test_form_tab_in_burst_moves_on(account: Account) -> None:
    app = NumdeskApp(account)
    async with app.run_test(size=(80, 24)) as pilot:
        await show_applications(pilot)
        await press(pilot, "n")
        await type_burst(pilot, ["F", "a", "s", "t", "tab", "h", "t"])

        assert form(app).query_one("#name", Input).value == "Fast"
        assert form(app).query_one("#answer_url", Input).value == "ht"


@pytest.mark.parametrize(
    ("keys", "name"),
    [
        (["n", "F", "a", "s", "t"], "Fast"),
        (["e", " ", "d", "e", "s", "k"], "Support desk"),
    ],
    ids=["new", "edit"],
)
async def test_keys_typed_with_form_key_reach_form(
    account: Account, keys: list[str], name: str
) -> None:
    create_application(account, "Support", "support.example.com")
    app = NumdeskApp(account)
    async with app.run_test(size=(80, 24)) as pilot:
        await show_applications(pilot)
        await type_burst(pilot, keys)
        await pilot.pause()

        assert isinstance(app.screen, ApplicationForm)
        assert form(app).query_one("#name", Input).value == name


async def test_form_shift_tab_in_burst_moves_back(account: Account) -> None:
    app = NumdeskApp(account)
    async with app.run_test(size=(80, 24)) as pilot:
        await show_applications(pilot)
        await press(pilot, "n", "tab")
        await type_burst(pilot, ["h", "t", "shift+tab", "F", "a"])

        assert form(app).query_one("#name", Input).value == "Fa"
        assert form(app).query_one("#answer_url", Input).value == "ht"


@pytest.mark.parametrize(
    ("event_url", "notice"),
    [
        (
            "https://desk.example.com/event",
            "The answer_url host 127.0.0.1 is not reachable from the internet, so "
            "Vonage cannot call it: expose it with a public URL, such as a tunnel to "
            "your machine.",
        ),
        # Several warnings make one notice, which points to the details.
        (
            "http://localhost:3000/event",
            "'Dev' has 2 webhook warnings: its details list them.",
        ),
    ],
)
async def test_create_warns_of_local_webhook(
    account: Account, event_url: str, notice: str
) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_applications(pilot)
        await press(pilot, "n")
        await fill_form(
            pilot,
            name="Dev",
            answer_url="http://127.0.0.1:3000/answer",
            event_url=event_url,
        )
        await press_and_finish(pilot, "ctrl+s")

        assert notification_messages(app) == ["Created 'Dev'.", notice]
        # First in the details, so that the short pane shows it unscrolled.
        assert detail_lines(app)[0].startswith(
            "The answer_url host 127.0.0.1 is not reachable from the internet"
        )


async def test_create_with_post_answer(account: Account) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_applications(pilot)
        await press(pilot, "n")
        await fill_form(
            pilot,
            name="Desk",
            answer_url="https://desk.example.com/answer",
            event_url="https://desk.example.com/event",
        )
        form(app).query_one("#answer_url-method").focus()
        await press(pilot, "enter", "down", "enter")
        await press_and_finish(pilot, "ctrl+s")
        (created,) = account.applications()

        assert created.answer_method == HttpMethod.POST
        assert created.event_method == HttpMethod.POST


async def test_enter_in_field_saves(account: Account) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_applications(pilot)
        await press(pilot, "n")
        await fill_form(
            pilot,
            name="Desk",
            answer_url="https://desk.example.com/answer",
            event_url="https://desk.example.com/event",
        )
        await press_and_finish(pilot, "enter")

        assert [created.name for created in account.applications()] == ["Desk"]


async def test_escape_saves_nothing(account: Account) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_applications(pilot)
        await press(pilot, "n")
        await fill_form(
            pilot,
            name="Desk",
            answer_url="https://desk.example.com/answer",
            event_url="https://desk.example.com/event",
        )
        await press(pilot, "escape")
        question = app.screen
        assert isinstance(question, ConfirmDialog)
        assert question.message == (
            "The new application in the form is not saved. Close the form without "
            "saving?"
        )
        await press_and_finish(pilot, "y")

        assert isinstance(app.screen, ApplicationsScreen)
        assert account.applications() == []


async def test_edit_typing_adds_to_value(account: Account) -> None:
    create_application(account, "Support", "support.example.com")
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_applications(pilot)
        await press(pilot, "e", *" desk")
        await press(pilot, "tab", "tab", "tab", *"/v2")
        name = app.screen.query_one("#name", Input).value
        event_url = app.screen.query_one("#event_url", Input).value

        assert name == "Support desk"
        assert event_url == "https://support.example.com/event/v2"


async def test_escape_question_keeps_typing(account: Account) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_applications(pilot)
        await press(pilot, "n", *"Desk", "escape")
        await press(pilot, "n")

        assert isinstance(app.screen, ApplicationForm)
        assert app.screen.query_one("#name", Input).value == "Desk"


@pytest.mark.parametrize("edit", [False, True], ids=["new", "edit"])
async def test_escape_unchanged_form_closes(account: Account, edit: bool) -> None:
    create_application(account, "Support", "support.example.com")
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_applications(pilot)
        await press(pilot, "e" if edit else "n")
        await press_and_finish(pilot, "escape")

        assert isinstance(app.screen, ApplicationsScreen)


async def test_edit_application(account: Account) -> None:
    support = create_application(account, "Support", "support.example.com")
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_applications(pilot)
        await press(pilot, "e")
        name_before = form(app).query_one("#name", Input).value
        await fill_form(
            pilot,
            name="Help desk",
            answer_url="https://help.example.com/answer",
            event_url="https://help.example.com/event",
        )
        await press_and_finish(pilot, "ctrl+s")

        assert name_before == "Support"
        assert account.application(support.id) == Application(
            id=support.id,
            name="Help desk",
            answer_url="https://help.example.com/answer",
            event_url="https://help.example.com/event",
        )
        assert row_texts(app, support.id)[0] == "Help desk"
        assert notification_messages(app) == ["Saved 'Help desk'."]


async def test_save_unchanged_application(account: SandboxAccount) -> None:
    support = create_application(account, "Support", "support.example.com")
    entries_before = len(account.history())
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_applications(pilot)
        await press(pilot, "e")
        await press_and_finish(pilot, "ctrl+s")

        assert account.application(support.id) == support
        assert notification_messages(app) == ["Nothing changed in 'Support'."]
        assert len(account.history()) == entries_before


async def test_edit_escape_keeps_application(account: Account) -> None:
    support = create_application(account, "Support", "support.example.com")
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_applications(pilot)
        await press(pilot, "e")
        await fill_form(
            pilot,
            name="Help desk",
            answer_url="https://help.example.com/answer",
            event_url="https://help.example.com/event",
        )
        await press(pilot, "escape")
        question = app.screen
        assert isinstance(question, ConfirmDialog)
        assert question.message.startswith(
            "The changes to the application 'Support' are not saved."
        )
        await press_and_finish(pilot, "y")

        assert isinstance(app.screen, ApplicationsScreen)
        assert account.application(support.id) == support


async def test_quit_asks_with_unsaved_form(account: Account) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_applications(pilot)
        await press(pilot, "n")
        await press(pilot, *"Desk")
        await press(pilot, "ctrl+q")

        question = app.screen
        assert isinstance(question, QuitQuestion)
        assert question.message.splitlines()[0] == (
            "The new application in the form is not saved."
        )

        await press(pilot, "escape")
        assert isinstance(app.screen, ApplicationForm)
        assert app.screen.query_one("#name", Input).value == "Desk"
        assert app.is_running


async def test_quit_lists_unsaved_edit_from_other_mode(account: Account) -> None:
    create_application(account, "Support", "support.example.com")
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_applications(pilot)
        await press(pilot, "e")
        await press(pilot, "end", *" desk")
        await press(pilot, "f5")
        await press(pilot, "ctrl+q")

        question = app.screen
        assert isinstance(question, QuitQuestion)
        assert question.message.splitlines()[0] == (
            "The changes to the application 'Support' are not saved."
        )

        await press(pilot, "ctrl+q")

    assert app.return_code == 0
    assert not app.is_running


@pytest.mark.parametrize("edit", [False, True], ids=["new", "edit"])
async def test_quit_with_unchanged_form(account: Account, edit: bool) -> None:
    create_application(account, "Support", "support.example.com")
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_applications(pilot)
        await press(pilot, "e" if edit else "n")
        assert isinstance(app.screen, ApplicationForm)
        await press(pilot, "ctrl+q")

    assert not app.is_running


async def test_quit_question_confirmed(account: Account) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_applications(pilot)
        await press(pilot, "n", *"Desk")
        await press(pilot, "ctrl+q")
        await press(pilot, "y")

    assert not app.is_running
    assert account.applications() == []


@pytest.mark.parametrize(
    "answer_url",
    ["ftp://desk.example.com/answer", "https:///answer", "", "https://desk .com/a"],
    ids=["ftp", "no-host", "empty", "space"],
)
async def test_invalid_answer_url(account: Account, answer_url: str) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_applications(pilot)
        await press(pilot, "n")
        await fill_form(
            pilot,
            name="Desk",
            answer_url=answer_url,
            event_url="https://desk.example.com/event",
        )
        await press(pilot, "ctrl+s")

        assert field_error(app, "answer_url") == expected_url_error(
            answer_url, "answer_url"
        )
        assert field_error(app, "event_url") is None
        assert form(app).focused is form(app).query_one("#answer_url", Input)
        assert account.applications() == []


@pytest.mark.parametrize("field", ["event_url", "fallback_answer_url"])
async def test_invalid_other_url(account: Account, field: str) -> None:
    urls = {"event_url": "https://desk.example.com/event", "fallback_answer_url": ""}
    urls[field] = "ftp://desk.example.com/x"
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_applications(pilot)
        await press(pilot, "n")
        await fill_form(
            pilot,
            name="Desk",
            answer_url="https://desk.example.com/answer",
            event_url=urls["event_url"],
            fallback_answer_url=urls["fallback_answer_url"],
        )
        await press(pilot, "ctrl+s")

        assert field_error(app, field) == expected_url_error(urls[field], field)
        assert account.applications() == []


async def test_every_invalid_field_shown(account: Account) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_applications(pilot)
        await press(pilot, "n", "ctrl+s")

        assert (
            field_error(app, "name") == "The application name is missing: type a name."
        )
        assert field_error(app, "answer_url") == expected_url_error("", "answer_url")
        assert field_error(app, "event_url") == expected_url_error("", "event_url")
        assert field_error(app, "fallback_answer_url") is None


async def test_pasted_escape_rejected(account: Account) -> None:
    pasted = "\x1b[31mred"
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_applications(pilot)
        await press(pilot, "n")
        form(app).query_one("#name", Input).post_message(events.Paste(pasted))
        await press(pilot, "ctrl+s")

        with pytest.raises(InvalidInput) as raised:
            validate_name(pasted)
        assert field_error(app, "name") == str(raised.value)
        assert account.applications() == []


async def test_error_hidden_after_typing(account: Account) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_applications(pilot)
        await press(pilot, "n", "ctrl+s")
        await type_text(pilot, "D")
        await pilot.pause()

        assert field_error(app, "name") is None
        assert field_error(app, "answer_url") is not None


# Deleting


@pytest.mark.parametrize(
    ("answer", "deleted"), [("y", True), ("n", False), ("escape", False)]
)
async def test_delete_asks(account: Account, answer: str, deleted: bool) -> None:
    first, second = rent_voice_numbers(account, 2)
    support = create_application(account, "Support", "support.example.com")
    account.link(first.msisdn, support.id)
    account.link(second.msisdn, support.id)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_applications(pilot)
        await press(pilot, "d")
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        message = static_text(dialog.query_one("#message", Static))
        await press_and_finish(pilot, answer)
        linked = [number.app_id for number in account.owned_numbers()]

        assert message == (
            "Delete 'Support'? This cannot be undone. 2 linked numbers will be "
            f"unlinked: {first.msisdn}, {second.msisdn}."
        )
        assert (account.applications() == []) is deleted
        assert linked == ([None, None] if deleted else [support.id, support.id])


async def test_delete_reports_unlinked(account: Account) -> None:
    (number,) = rent_voice_numbers(account, 1)
    support = create_application(account, "Support", "support.example.com")
    account.link(number.msisdn, support.id)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_applications(pilot)
        await press(pilot, "d")
        await press_and_finish(pilot, "y")

        assert notification_messages(app) == [
            f"Deleted 'Support' and unlinked 1 number: {number.msisdn}."
        ]
        assert applications_screen(app).query_one("#empty").display


async def test_delete_without_numbers(account: Account) -> None:
    create_application(account, "Support", "support.example.com")
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_applications(pilot)
        await press(pilot, "d")
        message = static_text(app.screen.query_one("#message", Static))
        await press_and_finish(pilot, "y")

        assert message.endswith("No numbers are linked to it.")
        assert notification_messages(app) == ["Deleted 'Support'."]


# Failures


async def test_edit_deleted_elsewhere(account: Account) -> None:
    support = create_application(account, "Support", "support.example.com")
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_applications(pilot)
        await press(pilot, "e")
        account.delete_application(support.id)
        await press(pilot, "ctrl+s")
        with pytest.raises(NotFound) as raised:
            account.application(support.id)

        assert isinstance(app.screen, ApplicationForm)
        assert errors_shown(app) == [("Not saved", str(raised.value))]
        assert account.applications() == []


async def test_edit_saved_elsewhere_shows_newer_values(
    account: Account, store_path: Path
) -> None:
    support = create_application(account, "Support", "support.example.com")
    other = open_sandbox(store_path, clock=fixed_clock)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_applications(pilot)
        await press(pilot, "e")
        await press(pilot, "end", *" desk")
        form(app).query_one("#event_url", Input).value = "https://mine.example.com/e"
        other.update_application(
            support.id,
            replace(
                support.draft,
                answer_url="https://theirs.example.com/a",
                event_url="https://theirs.example.com/e",
                event_method=HttpMethod.GET,
            ),
        )
        await press(pilot, "ctrl+s")

        assert isinstance(app.screen, ApplicationForm)
        assert notification_messages(app) == [
            "Another numdesk saved 'Support' while you edited it, so nothing was "
            "saved yet. The form now shows its answer_url and event_method. It "
            "changed event_url too: the form keeps yours. Check the form, then "
            "press Ctrl+S to save it."
        ]
        assert form(app).query_one("#answer_url", Input).value == (
            "https://theirs.example.com/a"
        )
        assert form(app).query_one("#name", Input).value == "Support desk"

        await press_and_finish(pilot, "ctrl+s")

    other.close()
    assert account.application(support.id) == replace(
        support,
        name="Support desk",
        answer_url="https://theirs.example.com/a",
        event_url="https://mine.example.com/e",
        event_method=HttpMethod.GET,
    )


async def test_details_hide_passwords(account: Account) -> None:
    account.create_application(
        ApplicationDraft(
            name="Basic auth",
            answer_url="https://ann:s3cret@example.com/answer",
            event_url="https://example.com/event",
        )
    )
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(120, 30)) as pilot:
        await show_applications(pilot)

        lines = detail_lines(app)
        assert "answer_url           GET  https://ann:***@example.com/answer" in lines
        assert not any("s3cret" in line for line in lines)


async def test_delete_deleted_elsewhere(account: Account) -> None:
    support = create_application(account, "Support", "support.example.com")
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_applications(pilot)
        await press(pilot, "d")
        account.delete_application(support.id)
        await press_and_finish(pilot, "y")
        with pytest.raises(NotFound) as raised:
            account.delete_application(support.id)

        assert errors_shown(app) == [("Not deleted", str(raised.value))]
        assert applications_screen(app).query_one("#empty").display


async def test_failed_reload_keeps_rows(account: Account, store_path: Path) -> None:
    support = create_application(account, "Support", "support.example.com")
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_applications(pilot)
        await press(pilot, "f3")
        with sqlite3.connect(store_path) as connection:
            connection.execute("DROP TABLE owned")
        await press(pilot, "f4")
        # The store poll may also have found My numbers unreadable before F4.
        (message,) = [
            message
            for title, message in errors_shown(app)
            if title == "Applications not loaded"
        ]

        assert message.startswith(f"The store {store_path} is damaged (no such table")
        assert row_texts(app, support.id)[0] == "Support"


# Text from users


async def test_markup_name_shown_literally(account: Account) -> None:
    markup = create_application(account, MARKUP_NAME, "markup.example.com")
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_applications(pilot)
        table = applications_screen(app).query_one("#applications", DataTable)
        cell = table.get_row(markup.id)[0]
        detail = detail_lines(app)[0]
        await press(pilot, "d")
        message = static_text(app.screen.query_one("#message", Static))

        assert cell.plain == MARKUP_NAME
        assert cell.spans == []
        assert detail == f"name                 {MARKUP_NAME}"
        assert message.startswith(f"Delete '{MARKUP_NAME}'?")


async def test_markup_name_in_notification(account: Account) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_applications(pilot)
        await press(pilot, "n")
        await fill_form(
            pilot,
            name=MARKUP_NAME,
            answer_url="https://markup.example.com/answer",
            event_url="https://markup.example.com/event",
        )
        await press_and_finish(pilot, "ctrl+s")
        (notification,) = app._notifications

        assert notification.message == f"Created '{MARKUP_NAME}'."
        assert notification.markup is False


# Command palette


@pytest.mark.parametrize(
    ("command", "dialog"),
    [
        ("New application", ApplicationForm),
        ("Edit application", ApplicationForm),
        ("Delete application", ConfirmDialog),
    ],
)
async def test_palette_opens_dialog(
    account: Account, command: str, dialog: type[object]
) -> None:
    create_application(account, "Support", "support.example.com")
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_applications(pilot)
        await pilot.press("ctrl+p")
        await type_text(pilot, command)
        await pilot.pause()
        await press(pilot, "enter")

        assert isinstance(app.screen, dialog)


# Snapshots


def seed_applications(account: Account) -> None:
    """Create Sales and Support; link two numbers to Support, which has a fallback."""
    first, second = rent_voice_numbers(account, 2)
    create_application(account, "Sales", "sales.example.com")
    support = create_application(
        account, "Support", "support.example.com", fallback=True
    )
    account.link(first.msisdn, support.id)
    account.link(second.msisdn, support.id)


async def stop_cursor_blink(pilot: Pilot[Any]) -> None:
    """Show every input's cursor steadily, so a snapshot does not depend on timing."""
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


class TestApplicationsSnapshots:
    """The Applications screen, its form and its delete confirmation at 80x24."""

    def test_empty(self, snap_compare: Any, pinned_account: Account) -> None:
        """No applications: the empty-state message points to n."""
        assert snap_compare(
            NumdeskApp(pinned_account, default_country="US"),
            press=["f4"],
            terminal_size=(80, 24),
        )

    def test_list_with_detail(self, snap_compare: Any, pinned_account: Account) -> None:
        """Two applications; the detail shows Support's webhooks and two numbers."""
        seed_applications(pinned_account)
        assert snap_compare(
            NumdeskApp(pinned_account, default_country="US"),
            press=["f4", "down"],
            terminal_size=(80, 24),
        )

    def test_create_form(self, snap_compare: Any, pinned_account: Account) -> None:
        """The empty create form with the default methods GET and POST."""

        async def open_form(pilot: Pilot[Any]) -> None:
            await press(pilot, "f4", "n")
            await stop_cursor_blink(pilot)

        assert snap_compare(
            NumdeskApp(pinned_account, default_country="US"),
            run_before=open_form,
            terminal_size=(80, 24),
        )

    def test_form_validation_error(
        self, snap_compare: Any, pinned_account: Account
    ) -> None:
        """An ftp answer_url is rejected with the reason under the field."""

        async def type_ftp_url(pilot: Pilot[Any]) -> None:
            await press(pilot, "f4", "n")
            await fill_form(
                pilot,
                name="Desk",
                answer_url="ftp://desk.example.com/answer",
                event_url="https://desk.example.com/event",
            )
            await press(pilot, "ctrl+s")
            await stop_cursor_blink(pilot)

        assert snap_compare(
            NumdeskApp(pinned_account, default_country="US"),
            run_before=type_ftp_url,
            terminal_size=(80, 24),
        )

    def test_delete_confirm(self, snap_compare: Any, pinned_account: Account) -> None:
        """Deleting Support lists the two numbers it unlinks and defaults to No."""
        seed_applications(pinned_account)
        assert snap_compare(
            NumdeskApp(pinned_account, default_country="US"),
            press=["f4", "down", "d"],
            terminal_size=(80, 24),
        )

    def test_quit_question(self, snap_compare: Any, pinned_account: Account) -> None:
        """Ctrl+Q with a typed name in the form opens the quit question."""

        async def type_and_quit(pilot: Pilot[Any]) -> None:
            await press(pilot, "f4", "n", *"Desk", "ctrl+q")

        assert snap_compare(
            NumdeskApp(pinned_account, default_country="US"),
            run_before=type_and_quit,
            terminal_size=(80, 24),
        )
