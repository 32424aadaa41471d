"""The footer shows the keys that work, and is built again only when they change."""

from __future__ import annotations

import pytest
from textual.screen import ModalScreen
from textual.widgets import Input
from textual.widgets._footer import FooterKey

from store.account import SandboxAccount
from tui.app import NumdeskApp

SIZE = (80, 24)


def footer_keys(app: NumdeskApp) -> list[FooterKey]:
    return list(app.screen.query(FooterKey))


def footer_descriptions(app: NumdeskApp) -> list[str]:
    return [key.description for key in footer_keys(app)]


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
        assert footer_keys(app) == keys_before
        assert all(key.is_attached for key in keys_before)


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
