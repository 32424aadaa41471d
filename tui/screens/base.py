"""The frame every mode screen shares: header, body and footer."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header

from domain.account import Account

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

    def compose(self) -> ComposeResult:
        yield Header()
        yield from self.compose_body()
        yield Footer()

    def compose_body(self) -> ComposeResult:
        """Yield the widgets between the header and the footer."""
        yield from ()
