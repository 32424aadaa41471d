"""The frame every mode screen shares: header, body and footer."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header

from domain.account import Account
from domain.errors import NumdeskError
from tui.widgets.mode_bar import ModeBar

if TYPE_CHECKING:
    from tui.app import NumdeskApp


class ModeScreen(Screen[None]):
    """A screen of the app's main modes, with access to the account."""

    @property
    def numdesk(self) -> NumdeskApp:
        return cast("NumdeskApp", self.app)

    @property
    def account(self) -> Account:
        return self.numdesk.account

    @property
    def mode_name(self) -> str:
        """The name this screen has in the app's MODES, such as `search`."""
        for name, screen_class in self.numdesk.MODES.items():
            if screen_class is type(self):
                return str(name)
        return ""

    def compose(self) -> ComposeResult:
        yield Header()
        bindings = [
            binding for binding in self.numdesk.BINDINGS if isinstance(binding, Binding)
        ]
        yield ModeBar(self.mode_name, bindings)
        yield from self.compose_body()
        yield Footer()

    def compose_body(self) -> ComposeResult:
        """Yield the widgets between the header and the footer."""
        yield from ()

    def palette_commands(self) -> Iterable[SystemCommand]:
        """Yield this screen's actions for the command palette."""
        yield from ()

    def show_error(self, error: NumdeskError, title: str) -> None:
        """Notify the user of a rejected request, showing its message literally."""
        self.notify(str(error), title=title, severity="error", markup=False)
