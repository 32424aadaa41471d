"""Dialogs of the Caller ID batch view: paste values, and export the rows shown."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from tui.batch_file import ExportFormat
from tui.widgets.field_error import FieldError
from tui.widgets.key_footer import KeyFooter

EXPORT_FORMAT_OPTIONS = [
    ("CSV: one row a value, for spreadsheets", ExportFormat.CSV),
    ("JSON: an array of the fields of format --json", ExportFormat.JSON),
]


@dataclass(frozen=True)
class ExportRequest:
    """The file an export writes, and in which format."""

    path: Path
    export_format: ExportFormat


class PasteValuesDialog(ModalScreen[str | None]):
    """A text area for caller IDs, one a line. Dismisses with the text, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+s",
            "check",
            "Check",
            id="batch_paste_check",
            tooltip="Check the values typed or pasted",
        ),
        Binding("escape", "cancel", "Back", id="batch_paste_cancel"),
    ]
    CSS_PATH = "batch.tcss"

    def compose(self) -> ComposeResult:
        with Vertical(id="paste-dialog", classes="batch-dialog") as dialog:
            dialog.border_title = "Paste caller IDs"
            yield Static(
                "One caller ID a line, as your logs show them. Ctrl+S checks them.",
                classes="batch-dialog-help",
                markup=False,
            )
            yield TextArea(id="paste-values", soft_wrap=False, show_line_numbers=True)
            with Horizontal(classes="batch-dialog-buttons"):
                yield Button("Back", id="paste-cancel", action="screen.cancel")
                yield Button(
                    "Check", variant="primary", id="paste-check", action="screen.check"
                )
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#paste-values", TextArea).focus()

    def action_check(self) -> None:
        """Close the dialog with the text, unless the text is blank."""
        text = self.query_one("#paste-values", TextArea).text
        if not text.strip():
            self.notify("Type or paste at least one value.", markup=False)
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ExportDialog(ModalScreen[ExportRequest | None]):
    """Choose the format and the file of an export. Dismisses with them, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Back", id="batch_export_cancel"),
    ]
    CSS_PATH = "batch.tcss"

    def __init__(
        self,
        default_path: Path,
        rows_text: str,
        default_format: ExportFormat = ExportFormat.CSV,
    ) -> None:
        """Build the dialog.

        Args:
            default_path: The file offered, with the suffix of `default_format`.
            rows_text: Which rows the export writes, such as "290 invalid values".
            default_format: The format chosen when the dialog opens.
        """
        super().__init__()
        self.default_path = default_path
        self.rows_text = rows_text
        self.default_format = default_format

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog", classes="batch-dialog") as dialog:
            dialog.border_title = "Export"
            yield Static(
                Content(
                    f"Writes the {self.rows_text} shown to a new file. Enter in the "
                    "File field writes it."
                ),
                classes="batch-dialog-help",
            )
            yield Label("Format", classes="batch-dialog-label")
            yield Select[ExportFormat](
                EXPORT_FORMAT_OPTIONS,
                value=self.default_format,
                allow_blank=False,
                id="export-format",
                compact=True,
            )
            yield Label("File", classes="batch-dialog-label")
            yield Input(str(self.default_path), id="export-path")
            yield FieldError(id="export-error")
            with Horizontal(classes="batch-dialog-buttons"):
                yield Button("Back", id="export-cancel", action="screen.cancel")
                yield Button(
                    "Export",
                    variant="primary",
                    id="export-write",
                    action="screen.write",
                )
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    @on(Select.Changed, "#export-format")
    def match_suffix_to_format(self, event: Select.Changed) -> None:
        """Change a .csv or .json path to the suffix of the format chosen."""
        path_input = self.query_one("#export-path", Input)
        path = Path(path_input.value)
        if path.suffix.casefold() in (".csv", ".json") and isinstance(
            event.value, ExportFormat
        ):
            path_input.value = str(path.with_suffix(f".{event.value.value}"))

    @on(Input.Submitted, "#export-path")
    def write_on_enter(self) -> None:
        self.action_write()

    def action_write(self) -> None:
        """Close the dialog with the format and file, unless the file cannot be new.

        A blank path, a file that exists and a folder that does not are reported
        under the field, and the dialog stays open with the choices made.
        """
        value = self.query_one("#export-path", Input).value.strip()
        path = Path(value).expanduser()
        problem = export_path_problem(path) if value else "Type the file to write."
        if problem is not None:
            self._export_error.show_message(problem)
            self.query_one("#export-path", Input).focus()
            return
        export_format = self.query_one("#export-format", Select).value
        if not isinstance(export_format, ExportFormat):
            export_format = ExportFormat.CSV
        self.dismiss(ExportRequest(path, export_format))

    @on(Input.Changed, "#export-path")
    def hide_error(self) -> None:
        self._export_error.show_message("")

    @property
    def _export_error(self) -> FieldError:
        return self.query_one("#export-error", FieldError)

    def action_cancel(self) -> None:
        self.dismiss(None)


def export_path_problem(path: Path) -> str | None:
    """Say why an export cannot write `path` as a new file, or return None."""
    if path.is_dir():
        return (
            f"{path} is a folder: add a file name to it, such as "
            f"{path / 'numdesk-batch.csv'}."
        )
    if path.exists():
        return (
            f"{path} exists already: type another file name, or move that file away "
            "first."
        )
    folder = path.parent
    if folder.is_dir():
        return None
    if folder.exists():
        return f"{folder} is a file, not a folder: type a path in a folder."
    return f"The folder {folder} does not exist: type a path in a folder that does."
