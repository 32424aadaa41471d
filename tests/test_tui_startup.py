"""The app opens on Search without styling it or parsing its stylesheets twice.

Python's garbage collector waits while the first screen is built, and runs again
once it has drawn.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from typing import Any

import pytest
from textual.screen import Screen
from textual.widget import Widget

from store.account import SandboxAccount
from tui.app import NumdeskApp
from tui.screens.search import SearchScreen

SIZE = (80, 24)


def counting(calls: list[str], name: str, method: Callable[..., Any]) -> Any:
    def counted(*arguments: Any, **keywords: Any) -> Any:
        calls.append(name)
        return method(*arguments, **keywords)

    return counted


async def test_search_is_resumed_once(
    account: SandboxAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    resume = SearchScreen.on_screen_resume

    # Textual passes the event to a handler that takes one, so this one takes none.
    def counted_resume(screen: SearchScreen) -> None:
        calls.append("resume")
        resume(screen)

    monkeypatch.setattr(SearchScreen, "on_screen_resume", counted_resume)
    app = NumdeskApp(account, default_country="US")

    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()

        assert isinstance(app.screen, SearchScreen)
        assert app.current_mode == "search"
        assert calls == ["resume"]


async def test_stylesheets_not_reparsed(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    calls: list[str] = []
    stylesheet = app.stylesheet
    stylesheet.reparse = counting(calls, "reparse", stylesheet.reparse)  # type: ignore[method-assign]

    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()

        assert isinstance(app.screen, SearchScreen)
        assert calls == []


async def test_widgets_styled_once(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    restyled: list[str] = []
    update_styles = app.update_styles

    def counted(node: Any, animate: bool = True) -> None:
        if isinstance(node, Screen):
            restyled.append(type(node).__name__)
        update_styles(node, animate)

    app.update_styles = counted  # type: ignore[method-assign]

    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f3")
        await pilot.pause()

        assert restyled == []
        await pilot.press("f2")
        await pilot.pause()
        # Back on a screen opened before, its widgets may have changed meanwhile.
        assert restyled == ["SearchScreen"]


async def test_results_take_focus_first(
    account: SandboxAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A focus moved from the filters to the results styles both and draws again.
    focused: list[str | None] = []
    set_focus = Screen.set_focus

    def recorded_focus(
        screen: Screen[Any], widget: Widget | None, **keywords: Any
    ) -> None:
        focused.append(None if widget is None else widget.id)
        set_focus(screen, widget, **keywords)

    monkeypatch.setattr(Screen, "set_focus", recorded_focus)
    app = NumdeskApp(account, default_country="US")

    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()

        assert isinstance(app.screen, SearchScreen)
        assert focused == ["results"]


async def test_collector_waits_for_first_screen(
    account: SandboxAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    collecting_while_mounting: list[bool] = []
    mount = SearchScreen.on_mount

    def recorded_mount(screen: SearchScreen) -> None:
        collecting_while_mounting.append(gc.isenabled())
        mount(screen)

    monkeypatch.setattr(SearchScreen, "on_mount", recorded_mount)
    app = NumdeskApp(account, default_country="US")

    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()

        assert isinstance(app.screen, SearchScreen)
        assert collecting_while_mounting == [False]
        assert gc.isenabled()


async def test_collector_runs_after_app_closes(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")

    async with app.run_test(size=SIZE):
        # Closing before the first screen draws must not leave the collector off.
        app.exit()

    assert gc.isenabled()


SMALL_TERMINAL_WARNING = (
    "The terminal is smaller than the 80x24 that numdesk needs, so some lines and "
    "keys may not show. Make the window larger."
)


def warnings_shown(app: NumdeskApp) -> list[str]:
    # Textual has no public accessor for the notifications on display.
    return [item.message for item in app._notifications if item.severity == "warning"]


async def test_small_terminal_warned_once(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(60, 18)) as pilot:
        await pilot.pause()
        first = SMALL_TERMINAL_WARNING
        assert warnings_shown(app) == [first]

        await pilot.resize_terminal(62, 18)
        await pilot.pause()
        assert warnings_shown(app) == [first]

        # Back under the smallest size while the warning shows: no second one.
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        await pilot.resize_terminal(100, 20)
        await pilot.pause()
        assert warnings_shown(app) == [first]


async def test_small_again_warned_again(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    app.too_small_notice_seconds = 0.2
    async with app.run_test(size=(60, 18)) as pilot:
        await pilot.pause()
        await pilot.resize_terminal(100, 30)
        await pilot.pause(0.4)
        # The next warning stays long enough to be read on a loaded machine.
        app.too_small_notice_seconds = 30
        await pilot.resize_terminal(100, 20)
        await pilot.pause()
        assert warnings_shown(app) == [SMALL_TERMINAL_WARNING]


async def test_no_warning_at_smallest_size(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()

        assert warnings_shown(app) == []
