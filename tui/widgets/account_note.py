"""The line under the mode bar that explains a slow or offline account."""

from __future__ import annotations

from textual.widgets import Static


class AccountNote(Static):
    """A bold line, hidden until there is something to say about the account.

    Mode screens show here that a read is waiting for Vonage, or that the account is
    offline and read-only, in words that need no colour.
    """

    DEFAULT_CSS = """
    AccountNote {
        display: none;
        height: auto;
        padding: 0 1;
        text-style: bold;
    }
    AccountNote.-shown {
        display: block;
    }
    """

    def __init__(self) -> None:
        super().__init__(id="account-note", markup=False)
        self._text: str | None = None

    def show_text(self, text: str | None) -> None:
        """Show `text`, or hide the note when it is None."""
        if text == self._text:
            # The app calls this on every store poll, and an update lays out again.
            return
        self._text = text
        self.update(text or "")
        self.set_class(text is not None, "-shown")
