"""The footer shows the keys that work, and is built again only when they change."""

from __future__ import annotations

from textual.widgets._footer import FooterKey

from store.account import SandboxAccount
from tui.app import NumdeskApp

SIZE = (80, 24)


def footer_keys(app: NumdeskApp) -> list[FooterKey]:
    return list(app.screen.query(FooterKey))


def footer_descriptions(app: NumdeskApp) -> list[str]:
    return [key.description for key in footer_keys(app)]


async def test_focus_moves_keep_the_footer_keys(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        keys_before = footer_keys(app)
        focused = set()

        # From the results through the country, type and the three features: the
        # pattern field comes next, where typing r types it and Rent no longer shows.
        for _ in range(5):
            await pilot.press("tab")
            await pilot.pause()
            focused.add(app.focused)

        assert len(focused) == 5
        assert footer_keys(app) == keys_before
        assert all(key.is_attached for key in keys_before)


async def test_a_key_that_starts_working_shows(account: SandboxAccount) -> None:
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


async def test_a_key_that_stops_working_goes(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Rent" in footer_descriptions(app)

        app.screen.query_one("#pattern").focus()
        await pilot.pause()
        assert "Rent" not in footer_descriptions(app)
