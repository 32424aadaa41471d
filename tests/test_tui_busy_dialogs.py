"""The rent dialog and the application form on a store that another process holds.

A second sqlite3 connection holds `BEGIN IMMEDIATE` on the test store, as a long
write by another numdesk does, and the busy timeout is shortened so that the wait
ends within the test.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Input

from store import database
from store.account import SandboxAccount
from tests.notifications import notification_messages
from tests.test_tui_shared_store import finish, hold_write_lock, release
from tui.app import NumdeskApp
from tui.dialogs.application_form import ApplicationForm
from tui.dialogs.rent import RentDialog
from tui.screens.applications import ApplicationsScreen
from tui.screens.search import SearchScreen
from tui.widgets.results_table import AvailableNumbersTable

SIZE = (80, 24)
RETRY_HINT = "Press ctrl+g to try again."


@pytest.fixture(autouse=True)
def busy_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(database, "BUSY_TIMEOUT_SECONDS", 1.0)


async def open_rent_dialog(pilot: Pilot[Any]) -> RentDialog:
    pilot.app.screen.query_one("#results", AvailableNumbersTable).focus()
    await pilot.press("enter")
    await finish(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, RentDialog)
    return dialog


async def fill_form(pilot: Pilot[Any]) -> None:
    await pilot.press("f4", "n")
    await pilot.pause()
    form = pilot.app.screen
    assert isinstance(form, ApplicationForm)
    for field, value in (
        ("name", "Sales"),
        ("answer_url", "https://example.com/answer"),
        ("event_url", "https://example.com/event"),
    ):
        form.query_one(f"#{field}", Input).value = value


async def finish_save(pilot: Pilot[Any]) -> None:
    """Wait for the form's save, but not for the screen's worker that awaits the form."""
    form = pilot.app.screen
    await pilot.pause()
    await pilot.app.workers.wait_for_complete(
        [worker for worker in pilot.app.workers if worker.node is form]
    )
    await pilot.pause()


def rents_logged(account: SandboxAccount) -> int:
    return sum(entry.action == "rent" for entry in account.history())


def error_messages(app: NumdeskApp) -> list[str]:
    return [n.message for n in app._notifications if n.severity == "error"]


async def test_rent_busy_then_retry(store_path: Path, account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_rent_dialog(pilot)
        holder = hold_write_lock(store_path)
        try:
            await pilot.press("enter")
            await pilot.pause()
            label_while_waiting = str(dialog.query_one("#rent", Button).label)
            await pilot.press("tab")
            still_waiting = any(worker.is_running for worker in dialog.workers)
            await finish(pilot)
            message = str(dialog.query_one("#rent-message").render())
            retry_offered = app.check_action("retry", ())
        finally:
            release(holder)
        await pilot.press("ctrl+g")
        await finish(pilot)

        assert label_while_waiting == "Renting..."
        assert still_waiting
        assert "is busy" in message
        assert message.endswith(RETRY_HINT)
        assert retry_offered is True
        assert isinstance(app.screen, SearchScreen)
        assert [number.msisdn for number in account.owned_numbers()] == [
            dialog.number.msisdn
        ]
        assert rents_logged(account) == 1


async def test_rent_escape_while_waiting(
    store_path: Path, account: SandboxAccount
) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_rent_dialog(pilot)
        holder = hold_write_lock(store_path)
        try:
            await pilot.press("enter")
            await pilot.pause()
            await pilot.press("escape")
            open_while_waiting = app.screen is dialog
            message = str(dialog.query_one("#rent-message").render())
        finally:
            release(holder)
        await finish(pilot)

        assert open_while_waiting
        assert message.startswith("Closing when the store answers")
        assert isinstance(app.screen, SearchScreen)
        assert [number.msisdn for number in account.owned_numbers()] == [
            dialog.number.msisdn
        ]
        assert rents_logged(account) == 1
        assert notification_messages(app)[-1].startswith(
            f"Rented {dialog.number.msisdn} for "
        )
        assert app.check_action("retry", ()) is False


async def test_rent_escape_then_busy(store_path: Path, account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_rent_dialog(pilot)
        holder = hold_write_lock(store_path)
        try:
            await pilot.press("enter")
            await pilot.pause()
            await pilot.press("escape")
            await finish(pilot)
        finally:
            release(holder)

        assert isinstance(app.screen, SearchScreen)
        assert account.owned_numbers() == []
        assert error_messages(app)[-1].startswith(
            f"{dialog.number.msisdn} was not rented. "
        )
        assert app.check_action("retry", ()) is False


async def test_form_busy_then_retry(store_path: Path, account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await fill_form(pilot)
        holder = hold_write_lock(store_path)
        try:
            await pilot.press("ctrl+s")
            await pilot.pause()
            await pilot.press("ctrl+s", "home")
            still_waiting = any(
                worker.is_running and worker.node is app.screen
                for worker in app.workers
            )
            await finish_save(pilot)
            errors = error_messages(app)
            form_open = isinstance(app.screen, ApplicationForm)
        finally:
            release(holder)
        await pilot.press("ctrl+g")
        await finish_save(pilot)
        await finish(pilot)

        assert still_waiting
        assert form_open
        assert len(errors) == 1
        assert "is busy" in errors[0]
        assert errors[0].endswith(RETRY_HINT)
        assert isinstance(app.screen, ApplicationsScreen)
        assert [application.name for application in account.applications()] == ["Sales"]
        assert notification_messages(app)[-1] == "Created 'Sales'."


async def test_form_escape_while_waiting(
    store_path: Path, account: SandboxAccount
) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await fill_form(pilot)
        holder = hold_write_lock(store_path)
        try:
            await pilot.press("ctrl+s")
            await pilot.pause()
            await pilot.press("escape")
            open_while_waiting = isinstance(app.screen, ApplicationForm)
        finally:
            release(holder)
        await finish_save(pilot)
        await finish(pilot)

        assert open_while_waiting
        assert isinstance(app.screen, ApplicationsScreen)
        assert [application.name for application in account.applications()] == ["Sales"]
        assert notification_messages(app)[-1] == "Created 'Sales'."
