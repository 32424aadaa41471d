"""A yes-or-no question asked before an action that changes the account."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tui.widgets.key_footer import KeyFooter


class ConfirmDialog(ModalScreen[bool]):
    """A modal question that dismisses with True when the user confirms an action.

    Every text is shown as plain text, never as markup, so a message may quote names
    typed by users. The cancel button has the focus first, so an Enter pressed by habit
    changes nothing. `y` confirms, and `n` or Escape dismisses with False. The footer
    names these keys after the buttons they press.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "confirm", "Yes", id="confirm", tooltip="Go ahead"),
        Binding("n,escape", "cancel", "No", id="cancel", tooltip="Change nothing"),
    ]

    DEFAULT_CSS = """
    ConfirmDialog {
        align: center middle;
    }
    ConfirmDialog > #dialog {
        width: 64;
        max-width: 100%;
        height: auto;
        border: thick $primary;
        background: $surface;
        padding: 1 2;
    }
    ConfirmDialog #message {
        width: 100%;
        margin-bottom: 1;
    }
    ConfirmDialog #buttons {
        width: 100%;
        height: auto;
        align-horizontal: right;
    }
    ConfirmDialog Button {
        margin-left: 2;
    }
    """

    def __init__(
        self,
        title: str,
        message: str,
        confirm_label: str = "Confirm",
        cancel_label: str = "Cancel",
    ) -> None:
        """Build the dialog.

        Args:
            title: A short question shown in the dialog's border, such as "Delete?".
            message: What the action does and what cannot be undone, as plain text.
            confirm_label: The verb on the button that goes ahead, such as "Delete".
            cancel_label: The label on the button that changes nothing.
        """
        super().__init__()
        self.question = title
        self.message = message
        self.confirm_label = confirm_label
        self.cancel_label = cancel_label

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = Content(self.question)
            yield Static(Content(self.message), id="message")
            with Horizontal(id="buttons"):
                yield Button(
                    Content(self.cancel_label), id="cancel", action="screen.cancel"
                )
                yield Button(
                    Content(self.confirm_label),
                    variant="primary",
                    id="confirm",
                    action="screen.confirm",
                )
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    def key_label(self, binding: Binding) -> str:
        labels = {"confirm": self.confirm_label, "cancel": self.cancel_label}
        return labels.get(binding.action, binding.description)

    def action_confirm(self) -> None:
        """Close the dialog and go ahead with the action."""
        self.dismiss(True)

    def action_cancel(self) -> None:
        """Close the dialog and change nothing."""
        self.dismiss(False)


class QuitQuestion(ConfirmDialog):
    """Asks before the app quits with work that is not saved, listing that work."""

    def __init__(self, unsaved_work: list[str]) -> None:
        super().__init__(
            "Quit without saving?",
            "\n".join(
                [*unsaved_work, "Quit and lose that work? Press ctrl+q again to quit."]
            ),
            confirm_label="Quit",
            cancel_label="Back",
        )
