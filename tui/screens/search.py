"""The Search screen."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from tui.screens.base import ModeScreen


class SearchScreen(ModeScreen):
    """Placeholder until the screen is built."""

    TITLE = "Search"

    def compose_body(self) -> ComposeResult:
        yield Static("Search")
