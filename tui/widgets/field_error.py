"""A message under a form field that explains what is wrong with its value."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static


class FieldError(Static):
    """An error message in the error colour, hidden while there is none."""

    DEFAULT_CSS = """
    FieldError {
        display: none;
        color: $text-error;
    }
    FieldError.-shown {
        display: block;
    }
    """

    def show_message(self, message: str) -> None:
        """Show `message` as plain text, or hide the widget when it is empty."""
        self.update(Content(message))
        self.set_class(bool(message), "-shown")
