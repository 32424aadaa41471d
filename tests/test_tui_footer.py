"""The footer shows the keys that work, and the title bar the screen and account."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from textual.command import CommandPalette
from textual.screen import ModalScreen, Screen
from textual.widgets import Input

from store.account import SandboxAccount
from tui.app import NumdeskApp
from tui.dialogs.confirm import ConfirmDialog
from tui.screens.help import HelpScreen
from tui.screens.search import SearchScreen
from tui.widgets.key_footer import KeyFooter, ShownKey
from tui.widgets.title_bar import TitleBar

SIZE = (80, 24)


def footer(app: NumdeskApp) -> KeyFooter:
    return app.screen.query_one(KeyFooter)


def footer_keys(app: NumdeskApp) -> tuple[ShownKey, ...]:
    return footer(app).keys


def footer_descriptions(app: NumdeskApp) -> list[str]:
    return [key.description for key in footer_keys(app)]


def footer_line(app: NumdeskApp) -> str:
    return footer(app).render().plain


async def test_footer_draws_keys_and_palette(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        line = footer_line(app)

        assert line.startswith(" r Rent  ^q Quit  f1 Help ")
        assert line.endswith("▏ ^p palette ")
        assert len(line) == SIZE[0]


async def test_footer_drops_keys_too_wide(
    account: SandboxAccount,
) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(36, 24)) as pilot:
        await pilot.pause()
        line = footer_line(app)

        # f1 Help would need 9 more columns than the 6 left.
        assert line == " r Rent  ^q Quit " + " " * 6 + "▏ ^p palette "
        assert len(line) == 36


async def test_footer_click_runs_key(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        help_column = footer_line(app).index("f1 Help")

        await pilot.click(KeyFooter, offset=(help_column, 0))
        await pilot.pause()

        assert isinstance(app.screen, HelpScreen)


async def test_footer_hover_shows_tooltip(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()

        await pilot.hover(KeyFooter, offset=(1, 0))
        await pilot.pause()
        assert footer(app).tooltip == "Rent the selected number"

        await pilot.hover(KeyFooter, offset=(40, 0))
        await pilot.pause()
        assert footer(app).tooltip is None


async def test_title_bar_follows_balance(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        title_bar = app.screen.query_one(TitleBar)
        assert "Search — sandbox · balance 10.00 EUR" in title_bar.render().plain

        account.add_credit(Decimal("5"))
        app.refresh_account_status()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "balance 15.00 EUR" in title_bar.render().plain


# The icon is on the title line only: a click on the mode line under it opens nothing.
@pytest.mark.parametrize(
    ("offset", "screen_type"),
    [((1, 0), CommandPalette), ((1, 1), SearchScreen)],
    ids=["title-line", "mode-line"],
)
async def test_title_bar_click_under_icon(
    account: SandboxAccount, offset: tuple[int, int], screen_type: type[Screen[Any]]
) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()

        await pilot.click(TitleBar, offset=offset)
        await pilot.pause()

        assert isinstance(app.screen, screen_type)


async def test_title_bar_names_modes(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        lines = app.screen.query_one(TitleBar).render().plain.split("\n")

        assert lines[1] == (
            "  F2 Search   F3 My numbers   F4 Applications   F5 Caller ID   F6 History "
        )


async def test_footer_keeps_keys_on_focus(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        app.screen.query_one("#type").focus()
        await pilot.pause()
        keys_before = footer_keys(app)
        focused = {app.focused}

        # Tab moves from the type through the three features. The pattern field
        # comes next, where r is text and Rent hides.
        for _ in range(3):
            await pilot.press("tab")
            await pilot.pause()
            focused.add(app.focused)

        assert len(focused) == 4
        assert footer_keys(app) is keys_before


async def test_footer_shows_enabled_key(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")

    def retry() -> None:
        """Nothing to do again in this test."""

    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        descriptions_before = footer_descriptions(app)
        assert "Retry" not in descriptions_before

        app.offer_retry(retry)
        await pilot.pause()
        assert "Retry" in footer_descriptions(app)

        app.withdraw_retry(retry)
        await pilot.pause()
        assert footer_descriptions(app) == descriptions_before


async def test_footer_drops_hidden_key(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Rent" in footer_descriptions(app)

        app.screen.query_one("#pattern").focus()
        await pilot.pause()
        assert "Rent" not in footer_descriptions(app)


@pytest.mark.parametrize(
    ("key", "dialog_key"),
    [("slash", "Cancel"), ("f1", "Close"), ("r", "Back")],
    ids=["country", "help", "rent"],
)
async def test_dialog_footer_lists_own_keys(
    account: SandboxAccount, key: str, dialog_key: str
) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(key)
        await pilot.pause()

        assert isinstance(app.screen, ModalScreen)
        assert dialog_key in footer_descriptions(app)
        assert "Rent" not in footer_descriptions(app)


async def test_question_keys_name_buttons(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(ConfirmDialog("Delete?", "It goes.", "Delete", "Keep"))
        await pilot.pause()
        await pilot.pause()
        line = footer_line(app)

        assert line.startswith(" y Delete  n Keep ")


async def test_ctrl_q_quits_from_dialog(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.screen, ModalScreen)

        await pilot.press("ctrl+q")
        await pilot.pause()

    assert app.return_code == 0
    assert not app.is_running


async def test_country_field_hides_rent(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()

        app.screen.query_one("#country").focus()
        await pilot.pause()
        assert "Rent" not in footer_descriptions(app)

        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ModalScreen)
        assert app.screen.query_one("#country-filter", Input).value == "r"
