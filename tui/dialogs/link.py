"""The picker that chooses which voice application an owned number links to."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from domain.applications import SHORT_ID_LENGTH, Application, displayed_url
from domain.numbers import OwnedNumber
from domain.visible import escape_invisible
from tui.widgets.key_footer import KeyFooter


class ApplicationList(OptionList):
    """The applications to pick from, where Enter links the highlighted one.

    Enter is the list's own key, not a priority key of the dialog. A priority key
    runs before the keys typed ahead of it reach the list. So Down then Enter, sent
    together, would link the application highlighted before the Down.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "select",
            "Link",
            id="link",
            tooltip="Link the number to the highlighted application",
        ),
    ]


class LinkDialog(ModalScreen[Application | None]):
    """A picker that dismisses with the application chosen for a number, or None.

    The application the number is linked to now is listed but disabled, because
    linking to it again would change nothing.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="cancel", tooltip="Change nothing"),
    ]

    DEFAULT_CSS = """
    LinkDialog {
        align: center middle;
    }
    LinkDialog > #dialog {
        width: 64;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $primary;
        background: $surface;
        padding: 1 2;
    }
    LinkDialog #intro {
        margin-bottom: 1;
    }
    LinkDialog OptionList {
        height: auto;
        max-height: 12;
    }
    """

    def __init__(self, number: OwnedNumber, applications: Sequence[Application]):
        super().__init__()
        self.number = number
        self.applications = list(applications)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = Content(f"Link {self.number.msisdn}")
            yield Static(Content(self._intro()), id="intro")
            yield ApplicationList(*self._options())
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def action_cancel(self) -> None:
        """Close the dialog and change nothing."""
        self.dismiss(None)

    @on(OptionList.OptionSelected)
    def link_chosen_application(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.applications[event.option_index])

    def _intro(self) -> str:
        intro = f"Calls to {self.number.msisdn} go to the application you pick."
        linked = self._linked_application()
        if linked is None:
            return intro
        return (
            f"{intro} It is linked to '{escape_invisible(linked.name)}' now, and a new "
            "pick replaces "
            "that link."
        )

    def _linked_application(self) -> Application | None:
        for application in self.applications:
            if application.id == self.number.app_id:
                return application
        return None

    def _options(self) -> list[Option]:
        options = []
        for application in self.applications:
            linked = application.id == self.number.app_id
            marker = "  (linked now)" if linked else ""
            # Two applications may have the same name, but never the same id.
            label = (
                f"{escape_invisible(application.name)}{marker}\n"
                f"  {application.id[:SHORT_ID_LENGTH]}  "
                f"{escape_invisible(displayed_url(application.answer_url))}"
            )
            options.append(Option(Content(label), id=application.id, disabled=linked))
        return options
