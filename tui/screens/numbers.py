"""The My numbers screen."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from tui.screens.base import ModeScreen


class MyNumbersScreen(ModeScreen):
    """Placeholder until the screen is built."""

    TITLE = "My numbers"

    def compose_body(self) -> ComposeResult:
        yield Static("My numbers")
