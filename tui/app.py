"""The numdesk Textual app: one mode a screen, all working on one account."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from domain.account import Account
from domain.countries import DEFAULT_COUNTRY
from tui.screens.applications import ApplicationsScreen
from tui.screens.base import ModeScreen
from tui.screens.callerid import CallerIdScreen
from tui.screens.help import HelpScreen
from tui.screens.numbers import MyNumbersScreen
from tui.screens.search import SearchScreen


class NumdeskApp(App[None]):
    """Search, rent and link numbers and test caller IDs on one account."""

    TITLE = "numdesk"
    CSS_PATH = "numdesk.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1,question_mark", "help", "Help", id="help", tooltip="Show keys"),
        # The mode keys are named in each screen's mode bar, not in the footer.
        Binding("f2", "switch_mode('search')", "Search", id="search", show=False),
        Binding("f3", "switch_mode('numbers')", "My numbers", id="numbers", show=False),
        Binding(
            "f4",
            "switch_mode('applications')",
            "Applications",
            id="applications",
            show=False,
        ),
        Binding(
            "f5", "switch_mode('callerid')", "Caller ID", id="callerid", show=False
        ),
        Binding("ctrl+q", "quit", "Quit", id="quit"),
    ]

    MODES: ClassVar = {
        "search": SearchScreen,
        "numbers": MyNumbersScreen,
        "applications": ApplicationsScreen,
        "callerid": CallerIdScreen,
    }

    def __init__(self, account: Account, default_country: str = DEFAULT_COUNTRY):
        super().__init__()
        self.account = account
        self.default_country = default_country

    def on_mount(self) -> None:
        self.refresh_account_status()
        self.switch_mode("search")

    def refresh_account_status(self) -> None:
        """Show the account's name and balance in the header."""
        balance = self.account.balance()
        self.sub_title = f"{self.account.name} · balance {balance:.2f} EUR"

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand(
            "Search", "Search available numbers (F2)", self._show("search")
        )
        yield SystemCommand(
            "My numbers",
            "Owned numbers: link, unlink, cancel (F3)",
            self._show("numbers"),
        )
        yield SystemCommand(
            "Applications",
            "Create, edit and delete voice applications (F4)",
            self._show("applications"),
        )
        yield SystemCommand(
            "Caller ID",
            "Format a caller ID and preview calls (F5)",
            self._show("callerid"),
        )
        yield SystemCommand("Help", "Show every key (F1 or ?)", self.action_help)
        if isinstance(screen, ModeScreen):
            yield from screen.palette_commands()

    def _show(self, mode: str) -> Callable[[], object]:
        return lambda: self.switch_mode(mode)
