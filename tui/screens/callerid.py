"""The Caller ID screen."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from tui.screens.base import ModeScreen


class CallerIdScreen(ModeScreen):
    """Placeholder until the screen is built."""

    TITLE = "Caller ID"

    def compose_body(self) -> ComposeResult:
        yield Static("Caller ID")
