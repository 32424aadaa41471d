"""The app on a store that other processes use: live refresh, busy locks, hostile text.

"Another process" is either a real `numdesk` command in a subprocess or a second
sandbox account on the same file: SQLite's data_version changes for commits by any
other connection, whichever process makes them.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Button, DataTable, Input, Select

from domain.applications import ApplicationDraft
from domain.numbers import Feature, SearchQuery
from store import database
from store.account import SandboxAccount, open_sandbox
from tests.conftest import fixed_clock
from tests.notifications import notification_messages
from tui.app import STORE_POLL_SECONDS, NumdeskApp
from tui.dialogs.confirm import ConfirmDialog
from tui.dialogs.rent import RentDialog
from tui.paste_guard import MAX_PASTE_CHARACTERS
from tui.screens.help import HelpScreen
from tui.widgets.results_table import AvailableNumbersTable

NUMDESK = Path(sys.executable).parent / "numdesk"
# How long a test waits for the app to show another process's change. The app polls
# every STORE_POLL_SECONDS; the rest is slack for a loaded machine.
REFRESH_TIMEOUT_SECONDS = 10.0
SALES = ApplicationDraft(
    name="Sales", answer_url="https://example.com/a", event_url="https://example.com/e"
)
HOSTILE_NAME = "[bold red]x[/] \x1b[31mred\x1b]0;title\x07\x9b2J"
HOSTILE_SHOWN = "[bold red]x[/] \\x1b[31mred\\x1b]0;title\\x07\\x9b2J"


@pytest.fixture
def other(store_path: Path) -> Iterator[SandboxAccount]:
    """A second account on the same store, as another numdesk process has."""
    account = open_sandbox(store_path, clock=fixed_clock, user="other")
    yield account
    account.close()


def voice_numbers(account: SandboxAccount, count: int) -> list[str]:
    query = SearchQuery(country="US", features=frozenset({Feature.VOICE}))
    return [number.msisdn for number in account.search(query).items[:count]]


async def wait_until(pilot: Pilot[Any], condition: Callable[[], bool]) -> bool:
    """Let the app run until `condition()` holds; return False after the timeout."""
    deadline = time.monotonic() + REFRESH_TIMEOUT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            return False
        await pilot.pause(STORE_POLL_SECONDS / 2)
    return True


async def finish(pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def table_keys(app: NumdeskApp, selector: str) -> list[str]:
    table = app.screen.query_one(selector, DataTable)
    return [str(row.key.value) for row in table.ordered_rows]


def hold_write_lock(path: Path) -> sqlite3.Connection:
    """Take the store's write lock from outside the app, like a long restore."""
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    return holder


def release(holder: sqlite3.Connection) -> None:
    holder.execute("ROLLBACK")
    holder.close()


# Live refresh


async def test_numbers_show_cli_rent(store_path: Path, account: SandboxAccount) -> None:
    first, second = voice_numbers(account, 2)
    account.rent(second)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        rented = subprocess.run(
            [str(NUMDESK), "numbers", "rent", first, "--yes"],
            capture_output=True,
            text=True,
            env={**os.environ, "NUMDESK_DB": str(store_path)},
            timeout=60,
        )

        assert rented.returncode == 0, rented.stderr
        assert await wait_until(
            pilot, lambda: table_keys(app, "#numbers") == [first, second]
        )
        table = app.screen.query_one("#numbers", DataTable)
        assert table.coordinate_to_cell_key(table.cursor_coordinate).row_key == second
        assert "balance 8.20 EUR" in app.sub_title


@pytest.mark.parametrize(
    ("key", "change", "shows_it"),
    [
        (
            "f4",
            lambda other: other.create_application(SALES),
            lambda app: len(table_keys(app, "#applications")) == 1,
        ),
        (
            "f6",
            lambda other: other.create_application(SALES),
            lambda app: (
                app.screen.query_one("#history-entries", DataTable).row_count == 1
            ),
        ),
        (
            "f5",
            lambda other: other.rent(voice_numbers(other, 1)[0]),
            lambda app: (
                [
                    len(select._options)
                    for select in app.screen.query("#callerid-called").results(Select)
                ]
                == [1]
            ),
        ),
        (
            "f2",
            lambda other: other.rent(voice_numbers(other, 1)[0]),
            lambda app: app.sub_title.endswith("balance 9.10 EUR"),
        ),
    ],
    ids=["applications", "history", "callerid", "search"],
)
async def test_screen_shows_other_change(
    account: SandboxAccount,
    other: SandboxAccount,
    key: str,
    change: Callable[[SandboxAccount], object],
    shows_it: Callable[[NumdeskApp], bool],
) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(key)
        await pilot.pause()
        shown_before = shows_it(app)
        change(other)

        assert not shown_before
        assert await wait_until(pilot, lambda: shows_it(app))


async def test_search_keeps_cursor_row(
    account: SandboxAccount, other: SandboxAccount
) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        results = app.screen.query_one("#results", AvailableNumbersTable)
        results.focus()
        await pilot.press("down", "down")
        first_row = results.row_text(0)[0]
        other.rent(first_row)

        assert await wait_until(pilot, lambda: results.row_text(0)[0] != first_row)
        assert results.cursor_row == 2


async def test_dialog_screen_left_alone(
    account: SandboxAccount, other: SandboxAccount
) -> None:
    first, second = voice_numbers(account, 2)
    account.rent(first)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3", "c")
        await pilot.pause()
        other.rent(second)
        await pilot.pause(STORE_POLL_SECONDS * 3)
        rows_under_dialog = table_keys_under_dialog(app)
        await pilot.press("escape")
        await pilot.pause()

        assert rows_under_dialog == [first]
        assert table_keys(app, "#numbers") == [first, second]


async def test_cancel_rejected_after_other_linked(
    account: SandboxAccount, other: SandboxAccount
) -> None:
    [msisdn] = voice_numbers(account, 1)
    account.rent(msisdn)
    sales = account.create_application(SALES)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3", "c")
        await pilot.pause()
        other.link(msisdn, sales.id)
        await pilot.pause(STORE_POLL_SECONDS * 3)
        await pilot.press("y")
        await finish(pilot)

        assert account.owned_number(msisdn).app_id == sales.id
        assert any("Another numdesk" in text for text in notification_messages(app))


async def test_delete_rejected_after_other_linked(
    account: SandboxAccount, other: SandboxAccount
) -> None:
    [msisdn] = voice_numbers(account, 1)
    account.rent(msisdn)
    sales = account.create_application(SALES)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4", "d")
        await pilot.pause()
        other.link(msisdn, sales.id)
        await pilot.pause(STORE_POLL_SECONDS * 3)
        await pilot.press("y")
        await finish(pilot)

        assert account.application(sales.id) == sales
        assert account.owned_number(msisdn).app_id == sales.id


def table_keys_under_dialog(app: NumdeskApp) -> list[str]:
    assert isinstance(app.screen, ConfirmDialog)
    table = app.screen_stack[-2].query_one("#numbers", DataTable)
    return [str(row.key.value) for row in table.ordered_rows]


# A store locked beyond the busy timeout


@pytest.fixture
def short_busy_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(database, "BUSY_TIMEOUT_SECONDS", 0.2)


@pytest.mark.parametrize(
    ("keys", "title", "done"),
    [
        (["f3", "c", "y"], "Not cancelled", "Cancelled "),
        (["f3", "u"], "Not unlinked", "Unlinked "),
        (["f4", "d", "y"], "Not deleted", "Deleted 'Sales'"),
    ],
    ids=["cancel", "unlink", "delete"],
)
async def test_busy_store_then_retry(
    store_path: Path,
    account: SandboxAccount,
    short_busy_timeout: None,
    keys: list[str],
    title: str,
    done: str,
) -> None:
    (msisdn,) = voice_numbers(account, 1)
    account.rent(msisdn)
    account.link(msisdn, account.create_application(SALES).id)
    history_length = len(account.history())
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        holder = hold_write_lock(store_path)
        try:
            await pilot.press(*keys)
            await finish(pilot)
            errors = [
                (n.title, n.message)
                for n in app._notifications
                if n.severity == "error"
            ]
            retry_offered = app.check_action("retry", ())
        finally:
            release(holder)
        await pilot.press("ctrl+g")
        await finish(pilot)

        assert errors[0][0] == title
        assert "is busy" in errors[0][1]
        assert errors[0][1].endswith("Press ctrl+g to try again.")
        assert retry_offered is True
        assert notification_messages(app)[-1].startswith(done)
        assert len(account.history()) > history_length
        assert app.check_action("retry", ()) is False


async def test_screen_responds_while_waiting(
    store_path: Path, account: SandboxAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database, "BUSY_TIMEOUT_SECONDS", 2.0)
    (msisdn,) = voice_numbers(account, 1)
    account.rent(msisdn)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        holder = hold_write_lock(store_path)
        try:
            await pilot.press("f3", "c", "y")
            await pilot.pause()
            await pilot.press("f1")
            await pilot.pause()
            help_while_waiting = isinstance(app.screen, HelpScreen)
            still_waiting = any(worker.is_running for worker in app.workers)
        finally:
            release(holder)
        await finish(pilot)

        assert help_while_waiting
        assert still_waiting


async def test_rent_dialog_busy_then_retry(
    store_path: Path, account: SandboxAccount, short_busy_timeout: None
) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.query_one("#results", AvailableNumbersTable).focus()
        await pilot.press("enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, RentDialog)
        holder = hold_write_lock(store_path)
        try:
            await pilot.press("enter")
            await finish(pilot)
            button = dialog.query_one("#rent", Button)
            label, disabled = str(button.label), button.disabled
        finally:
            release(holder)
        await pilot.press("enter")
        await finish(pilot)

        assert label == "Try again"
        assert not disabled
        assert [number.msisdn for number in account.owned_numbers()] == [
            dialog.number.msisdn
        ]


# Hostile names stored by another program


@pytest.fixture
def hostile_app(account: SandboxAccount) -> tuple[SandboxAccount, str]:
    """An application named with markup, escape sequences and a C1 control.

    numdesk rejects such a name when typed, so the test writes it as another program
    sharing the store would. The number is linked to it.
    """
    (msisdn,) = voice_numbers(account, 1)
    account.rent(msisdn)
    app_id = account.create_application(SALES).id
    account.link(msisdn, app_id)
    account._store.connection.execute(
        "UPDATE applications SET name = ?, answer_url = ? WHERE id = ?",
        [HOSTILE_NAME, f"https://example.com/{HOSTILE_NAME}", app_id],
    )
    return account, msisdn


@pytest.mark.parametrize(
    "keys",
    [["f4"], ["f4", "d"], ["f4", "e"], ["f3"], ["f3", "l"], ["f3", "c"], ["f6"]],
    ids=[
        "applications",
        "delete-confirm",
        "edit-form",
        "numbers",
        "link-dialog",
        "cancel-confirm",
        "history",
    ],
)
async def test_hostile_name_shown_literally(
    hostile_app: tuple[SandboxAccount, str], keys: list[str]
) -> None:
    account, _ = hostile_app
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*keys)
        await pilot.pause()
        screenshot = app.export_screenshot()

        assert "\x1b" not in screenshot
        assert "\x9b" not in screenshot
        assert "\\x1b[31mred" in screenshot


async def test_hostile_name_in_notification(
    hostile_app: tuple[SandboxAccount, str],
) -> None:
    account, msisdn = hostile_app
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3", "u")
        await finish(pilot)

        assert notification_messages(app) == [
            f"Unlinked {msisdn} from '{HOSTILE_SHOWN}'."
        ]


# Pastes


async def test_huge_paste_rejected_quickly(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        started = time.monotonic()
        app.post_message(events.Paste("7" * 1_000_000))
        await pilot.pause()
        elapsed = time.monotonic() - started

        assert app.screen.query_one("#callerid-input", Input).value == ""
        assert notification_messages(app) == [
            f"The paste has 1,000,000 characters, more than the "
            f"{MAX_PASTE_CHARACTERS:,} a field accepts, so nothing was pasted. Copy "
            "a shorter value."
        ]
        assert elapsed < 5


async def test_nul_paste_rejected(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        app.post_message(events.Paste("+1 415\x00555 0101"))
        await pilot.pause()

        assert app.screen.query_one("#callerid-input", Input).value == ""
        assert "NUL character" in notification_messages(app)[0]


async def test_paste_longer_than_field(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.query_one("#pattern", Input).focus()
        app.post_message(events.Paste("1" * 16))
        await pilot.pause()

        assert app.screen.query_one("#pattern", Input).value == ""
        assert notification_messages(app) == [
            "The paste has 16 characters, but this field takes at most 15, so "
            "nothing was pasted."
        ]


async def test_paste_checks_line_that_goes_in(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.query_one("#pattern", Input).focus()
        app.post_message(events.Paste("\n" + "1" * 16 + "\n"))
        await pilot.pause()

        assert app.screen.query_one("#pattern", Input).value == ""
        assert notification_messages(app) == [
            "The paste has 16 characters, but this field takes at most 15, so "
            "nothing was pasted."
        ]


async def test_ordinary_paste_arrives(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        app.post_message(events.Paste("+44 20 7946 0018"))
        await pilot.pause()

        assert app.screen.query_one("#callerid-input", Input).value == (
            "+44 20 7946 0018"
        )
        assert notification_messages(app) == []


@pytest.mark.parametrize(
    "paste",
    [
        "+44 20 7946 0018\n+1 415 555 0101\n",
        "\n  +44 20 7946 0018\r\n\r\n+1 415 555 0101\r\nanonymous",
    ],
    ids=["lines", "blank-first-line"],
)
async def test_several_lines_paste_first_with_note(
    account: SandboxAccount, paste: str
) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        app.post_message(events.Paste(paste))
        await pilot.pause()

        assert app.screen.query_one("#callerid-input", Input).value == (
            "+44 20 7946 0018"
        )
        line_count = len([line for line in paste.splitlines() if line.strip()])
        assert notification_messages(app) == [
            f"This field takes one line, so only the first of the {line_count} lines "
            "pasted went in. Ctrl+B checks many caller IDs at once."
        ]


async def test_several_lines_paste_other_field(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.query_one("#pattern", Input).focus()
        app.post_message(events.Paste("555\n0101"))
        await pilot.pause()

        assert app.screen.query_one("#pattern", Input).value == "555"
        assert notification_messages(app) == [
            "This field takes one line, so only the first of the 2 lines pasted "
            "went in."
        ]


async def test_blank_lines_around_paste_dropped(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        app.post_message(events.Paste("\n \n+44 20 7946 0018\n\n"))
        await pilot.pause()

        assert app.screen.query_one("#callerid-input", Input).value == (
            "+44 20 7946 0018"
        )
        assert notification_messages(app) == []


async def test_control_characters_in_form_rejected(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4", "n")
        await pilot.pause()
        form = app.screen
        form.query_one("#name", Input).value = "Sales\x1b[2J"
        form.query_one("#answer_url", Input).value = "ftp://example.com/a"
        form.query_one("#event_url", Input).value = "https:///no-host"
        await pilot.press("ctrl+s")
        await pilot.pause()

        errors = {
            field: str(form.query_one(f"#{field}-error").render())
            for field in ("name", "answer_url", "event_url")
        }
        assert "control characters" in errors["name"]
        assert "is not http or https" in errors["answer_url"]
        assert "has no host" in errors["event_url"]
        assert account.applications() == []


async def test_balance_shown_after_other_rent(
    account: SandboxAccount, other: SandboxAccount
) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        cost = other.available_number(voice_numbers(other, 1)[0]).cost
        other.rent(voice_numbers(other, 1)[0])

        expected = f"balance {Decimal('10.00') - cost:.2f} EUR"
        assert await wait_until(pilot, lambda: app.sub_title.endswith(expected))


async def test_poll_after_close_does_nothing(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()

    assert app.screen_stack == []
    app.show_changes_from_elsewhere()
    app.show_account_status()
