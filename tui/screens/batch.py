"""The Caller ID batch view: check a file or a paste of caller IDs at once.

A worker thread reads the values once and counts their outcomes, with a progress
bar. The table then shows one page of the values with the outcome chosen, read
again from the file, so a file of a million lines never puts a million rows in a
widget. An export writes the rows of the current outcome to a CSV or JSON file.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import DataTable, Input, Label, ProgressBar, Select, Static
from textual.worker import get_current_worker

from domain.batch import BatchResult, describe_better_column
from domain.e164 import FormatStatus
from domain.errors import InvalidInput, NumdeskError
from domain.insight import Insight, number_insight
from tui.batch_file import BatchFile, BatchSource, ScanProgress, SourceChanged
from tui.dialogs.batch import ExportDialog, ExportRequest, PasteValuesDialog
from tui.paste_guard import TakesPastedLines
from tui.screens.base import ModeScreen
from tui.widgets.caller_id_report import OUTCOME_STYLES, insight_summary
from tui.widgets.literal_text import visible_text

PAGE_SIZE = 100
INPUT_WIDTH = 32
ALL_OUTCOMES = "all"

FILTER_OPTIONS: list[tuple[str, str]] = [
    ("All outcomes", ALL_OUTCOMES),
    *((f"Only {status.value}", status.value) for status in FormatStatus),
]

EMPTY_HINT = (
    "Type the path of a text file (one caller ID a line) or a CSV file and press "
    "Enter. A CSV file starts with a header row: name the column to read, or the "
    "first one is read. Ctrl+T types or pastes values instead."
)

PASTED_NAME = "pasted values"


class SourceInput(TakesPastedLines, Input):
    """The file path field, which also takes a paste of several lines as values."""

    class LinesPasted(Message):
        """Text of more than one line was pasted into the field."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    @on(events.Paste)
    def take_pasted_lines(self, event: events.Paste) -> None:
        """Check a paste of several lines as values, instead of as a path."""
        if len(event.text.splitlines()) < 2:
            return
        event.prevent_default()
        event.stop()
        self.post_message(self.LinesPasted(event.text))


class BatchScreen(ModeScreen):
    """Caller IDs from a file or a paste, with counts, a filter and an export."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="batch_back", tooltip="Back to Caller ID"),
        Binding(
            "ctrl+l",
            "focus_source",
            "File",
            id="batch_focus_source",
            show=False,
            tooltip="Type the path of a file to check",
        ),
        Binding(
            "ctrl+t",
            "paste_values",
            "Paste",
            id="batch_paste_values",
            tooltip="Type or paste caller IDs, one a line",
        ),
        Binding(
            "ctrl+f",
            "choose_outcome",
            "Filter",
            id="batch_choose_outcome",
            tooltip="Show the values of one outcome",
        ),
        Binding(
            "ctrl+s",
            "export",
            "Export",
            id="batch_export",
            tooltip="Write the rows shown to a CSV or JSON file",
        ),
        Binding(
            "left_square_bracket",
            "previous_page",
            "Previous page",
            id="batch_previous_page",
            show=False,
            tooltip="Show the previous page of values",
        ),
        Binding(
            "right_square_bracket",
            "next_page",
            "Next page",
            id="batch_next_page",
            show=False,
            tooltip="Show the next page of values",
        ),
    ]
    CSS_PATH = "batch.tcss"
    TITLE = "Caller ID batch"

    def __init__(self, region_hint: str | None) -> None:
        """Build the view. `region_hint` reads national numbers, as in Caller ID."""
        super().__init__()
        self.region_hint = region_hint
        self._batch: BatchFile | None = None
        # The values checked before the batch being loaded, shown again if it fails.
        self._shown_before: BatchFile | None = None
        self._outcome: FormatStatus | None = None
        self._page = 0
        self._rows: list[BatchResult] = []
        # The file and format of an export that failed, offered again next time.
        self._failed_export: ExportRequest | None = None

    @property
    def mode_name(self) -> str:
        return "callerid"

    @property
    def batch_file(self) -> BatchFile | None:
        """The values loaded last, or None before the first load."""
        return self._batch

    @property
    def outcome(self) -> FormatStatus | None:
        """The outcome the table shows, or None for all of them."""
        return self._outcome

    @property
    def page(self) -> int:
        """The page of the table, from 0."""
        return self._page

    @property
    def rows(self) -> list[BatchResult]:
        """The results in the table, top row first."""
        return list(self._rows)

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="batch-source-row"):
            # Tab into the field keeps the path, so a key typed next edits it.
            source = SourceInput(
                placeholder="Path of a .txt or .csv file, or paste values",
                select_on_focus=False,
                id="batch-source",
            )
            source.border_title = "File"
            yield source
            column = Input(placeholder="first", id="batch-column")
            column.border_title = "CSV column"
            yield column
        with Horizontal(classes="batch-row"):
            yield ProgressBar(id="batch-progress", show_eta=False)
            yield Static("Nothing loaded", id="batch-status", markup=False)
        yield Static("", id="batch-counts", classes="batch-row", markup=False)
        with Horizontal(classes="batch-row"):
            yield Label("Show", id="batch-show-label")
            yield Select[str](
                FILTER_OPTIONS,
                value=ALL_OUTCOMES,
                allow_blank=False,
                id="batch-outcome",
                compact=True,
            )
            yield Static("", id="batch-page", markup=False)
        yield DataTable[Text](id="batch-table", cursor_type="row", zebra_stripes=True)
        yield Static(Text(EMPTY_HINT), id="batch-detail")

    def on_mount(self) -> None:
        table = self.query_one("#batch-table", DataTable)
        table.add_column("Line", key="line")
        table.add_column("Outcome", key="outcome")
        table.add_column("Vonage form", key="e164")
        table.add_column("Input", key="input")
        # A bar without a total animates without end, so an idle bar is 0 of 1.
        self.query_one("#batch-progress", ProgressBar).update(total=1, progress=0)
        self.query_one("#batch-source", Input).focus()

    @on(Input.Submitted, "#batch-source")
    @on(Input.Submitted, "#batch-column")
    def load_typed_path(self) -> None:
        """Check the file whose path is typed, reading the CSV column if one is named."""
        path = self.query_one("#batch-source", Input).value.strip()
        if not path:
            self.notify("Type the path of a file, or press Ctrl+T to paste values.")
            return
        # The column field keeps its text from file to file, and a text file has no
        # columns: it applies to .csv files only.
        column = self.query_one("#batch-column", Input).value.strip() or None
        is_csv = path.lower().endswith(".csv")
        self.load(BatchSource.from_path(path, column if is_csv else None))

    @on(SourceInput.LinesPasted)
    def load_pasted_lines(self, message: SourceInput.LinesPasted) -> None:
        self.load(BatchSource.from_text(message.text))

    def load(self, source: BatchSource) -> None:
        """Start checking the values of `source`, replacing what is shown.

        When `source` cannot be read, the values checked before show again.
        """
        if self._batch is not None and self._batch.complete:
            self._shown_before = self._batch
        # Messages about the values shown before, such as a column hint, are done.
        self.app.clear_notifications()
        self._batch = BatchFile(source, self.region_hint)
        self._outcome = None
        self._page = 0
        self.query_one("#batch-outcome", Select).value = ALL_OUTCOMES
        self._clear_table()
        self.query_one("#batch-progress", ProgressBar).update(total=100, progress=0)
        self._set_status(f"Checking {source_label(source, self.region_hint)}…")
        self._scan(self._batch)

    @work(thread=True, exclusive=True, group="batch-scan")
    def _scan(self, batch: BatchFile) -> None:
        worker = get_current_worker()
        try:
            batch.scan(
                lambda progress: self.app.call_from_thread(
                    self._show_progress, batch, progress
                ),
                lambda: worker.is_cancelled,
            )
        except OSError as error:
            self.app.call_from_thread(self._show_load_failure, batch, error)
            return
        except (InvalidInput, SourceChanged) as error:
            self.app.call_from_thread(self._show_rejection, batch, error)
            return
        if batch.complete:
            self.app.call_from_thread(self._show_loaded, batch)

    def _show_progress(self, batch: BatchFile, progress: ScanProgress) -> None:
        if batch is not self._batch:
            return
        bar = self.query_one("#batch-progress", ProgressBar)
        bar.update(total=max(progress.total_bytes, 1), progress=progress.read_bytes)
        self._show_counts(progress.counts.total)

    def _show_loaded(self, batch: BatchFile) -> None:
        if batch is not self._batch:
            return
        self._set_status(f"Checked {source_label(batch.source, batch.region)}")
        self._show_counts(len(batch))
        self.show_page(0)
        if len(batch):
            self.query_one("#batch-table", DataTable).focus()
        if batch.better_column is not None:
            self._suggest_column(batch.source.column, batch.better_column)

    def _suggest_column(self, column: str | None, better: str) -> None:
        """Put `better` in the CSV column field, so that Enter reads that column."""
        field = self.query_one("#batch-column", Input)
        field.value = better
        field.focus()
        self.notify(
            f"{describe_better_column(column, better)}. The CSV column field now "
            "holds its name: press Enter to read it.",
            title="Numbers in another column",
            severity="warning",
            markup=False,
            timeout=15,
        )

    def _show_load_failure(self, batch: BatchFile, error: OSError) -> None:
        if batch is not self._batch:
            return
        self._forget_batch()
        self.notify(
            describe_os_error(error, batch.source.name),
            title="File not read",
            severity="error",
            markup=False,
        )

    def _show_rejection(self, batch: BatchFile, error: NumdeskError) -> None:
        if batch is not self._batch:
            return
        self._forget_batch()
        self.show_error(error, "File not read")

    def _forget_batch(self) -> None:
        """Show the values checked before again, and put the focus on the path.

        The user fixes the path next, so the focus stays in the File field.
        """
        self._batch, self._shown_before = self._shown_before, None
        self.call_after_refresh(self.query_one("#batch-source", Input).focus)
        if self._batch is not None:
            self._show_loaded(self._batch)
            return
        self._set_status("Nothing loaded")
        self.query_one("#batch-progress", ProgressBar).update(total=1, progress=0)
        self._show_counts(0)
        self.show_row_detail()

    def show_page(self, page: int, cursor_row: int = 0) -> None:
        """Show page `page` (from 0) of the values with the chosen outcome."""
        if self._batch is None:
            return
        view = self._batch.view(self._outcome)
        page = max(0, min(page, self._page_count(len(view)) - 1))
        start = page * PAGE_SIZE
        try:
            rows = self._batch.results(view[start : start + PAGE_SIZE])
        except (OSError, SourceChanged) as error:
            message = (
                str(error)
                if isinstance(error, SourceChanged)
                else describe_os_error(error, self._batch.source.name)
            )
            self.notify(message, title="Rows not read", severity="error", markup=False)
            return
        self._page = page
        self._fill_table(rows, cursor_row)
        self._show_page_text(start, len(rows), len(view))

    def _fill_table(self, rows: list[BatchResult], cursor_row: int) -> None:
        self._rows = rows
        table = self.query_one("#batch-table", DataTable)
        table.clear()
        for row in rows:
            # DataTable parses str cells as markup, so every cell is a Text.
            result = row.result
            table.add_row(
                Text(str(row.line).rjust(7)),
                Text(result.status.value.upper()),
                Text(result.e164 or "-"),
                visible_text(_shortened(result.input)),
            )
        if rows:
            table.move_cursor(row=min(cursor_row, len(rows) - 1))
        self.show_row_detail()

    @on(DataTable.RowHighlighted, "#batch-table")
    def show_row_detail(self) -> None:
        """Show the full input and reason of the row under the cursor."""
        detail = self.query_one("#batch-detail", Static)
        table = self.query_one("#batch-table", DataTable)
        if not self._rows:
            hint = EMPTY_HINT if self._batch is None else "No values with this outcome."
            detail.update(Text(hint))
            return
        row = self._rows[min(table.cursor_row, len(self._rows) - 1)]
        detail.update(describe_row(row))

    @on(Select.Changed, "#batch-outcome")
    def filter_by_outcome(self, event: Select.Changed) -> None:
        """Show the values of the outcome chosen, from their first page."""
        value = event.value
        self._outcome = None if value == ALL_OUTCOMES else FormatStatus(str(value))
        self._show_counts(len(self._batch) if self._batch else 0)
        self.show_page(0)

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand(
            "Batch: check a file",
            "Type the path of a text or CSV file (Ctrl+L)",
            self.action_focus_source,
        )
        yield SystemCommand(
            "Batch: paste values",
            "Type or paste caller IDs, one a line (Ctrl+T)",
            self.action_paste_values,
        )
        yield SystemCommand(
            "Batch: show all outcomes",
            "Show every value checked",
            partial(self.choose_outcome, None),
        )
        for status in FormatStatus:
            yield SystemCommand(
                f"Batch: show only {status.value}",
                f"Show the values whose outcome is {status.value}",
                partial(self.choose_outcome, status),
            )
        yield SystemCommand(
            "Batch: export",
            "Write the rows shown to a CSV or JSON file (Ctrl+S)",
            self.action_export,
        )
        yield SystemCommand(
            "Batch: next page", "Show the next page (])", self.action_next_page
        )
        yield SystemCommand(
            "Batch: previous page",
            "Show the previous page ([)",
            self.action_previous_page,
        )
        yield SystemCommand(
            "Batch: back to Caller ID", "Close the batch view (Esc)", self.action_back
        )

    def choose_outcome(self, status: FormatStatus | None) -> None:
        """Show only the values with `status`, or all of them for None."""
        value = ALL_OUTCOMES if status is None else status.value
        self.query_one("#batch-outcome", Select).value = value

    def action_back(self) -> None:
        self.dismiss()

    def action_focus_source(self) -> None:
        self.query_one("#batch-source", Input).focus()

    def action_paste_values(self) -> None:
        self.app.push_screen(PasteValuesDialog(), self._load_pasted_text)

    def _load_pasted_text(self, text: str | None) -> None:
        if text is not None:
            # The File field names what is loaded, and pasted values are not a file.
            self.query_one("#batch-source", Input).value = ""
            self.load(BatchSource.from_text(text))

    def action_choose_outcome(self) -> None:
        select = self.query_one("#batch-outcome", Select)
        select.focus()
        select.action_show_overlay()

    def action_next_page(self) -> None:
        if self._batch is None:
            return
        if self._page + 1 >= self._page_count(len(self._batch.view(self._outcome))):
            self.notify("This is the last page.", markup=False)
            return
        self.show_page(self._page + 1)

    def action_previous_page(self) -> None:
        if self._batch is None:
            return
        if self._page == 0:
            self.notify("This is the first page.", markup=False)
            return
        self.show_page(self._page - 1)

    def action_export(self) -> None:
        batch = self._batch
        if batch is None or not batch.complete:
            self.notify("Load a file or paste values first.", markup=False)
            return
        rows = len(batch.view(self._outcome))
        if rows == 0:
            self.notify("No rows to export with this outcome.", markup=False)
            return
        failed = self._failed_export
        if failed is None:
            dialog = ExportDialog(
                default_export_path(batch.source), self._rows_text(rows)
            )
        else:
            dialog = ExportDialog(
                failed.path, self._rows_text(rows), failed.export_format
            )
        self.app.push_screen(dialog, self._start_export)

    def _start_export(self, request: ExportRequest | None) -> None:
        if request is None or self._batch is None:
            return
        self._failed_export = None
        self.query_one("#batch-progress", ProgressBar).update(total=100, progress=0)
        self._set_status(f"Writing {request.path}…")
        self._export(self._batch, request, self._outcome)

    @work(thread=True, exclusive=True, group="batch-export")
    def _export(
        self, batch: BatchFile, request: ExportRequest, outcome: FormatStatus | None
    ) -> None:
        worker = get_current_worker()
        try:
            written = batch.export(
                request.path,
                request.export_format,
                outcome,
                lambda done, total: self.app.call_from_thread(
                    self._show_export_progress, done, total
                ),
                lambda: worker.is_cancelled,
            )
        except OSError as error:
            self.app.call_from_thread(
                self._show_export_failure,
                request,
                describe_os_error(error, str(request.path)),
            )
            return
        except (InvalidInput, SourceChanged) as error:
            self.app.call_from_thread(self._show_export_failure, request, str(error))
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show_exported, request.path, written)

    def _show_export_progress(self, done: int, total: int) -> None:
        bar = self.query_one("#batch-progress", ProgressBar)
        bar.update(total=max(total, 1), progress=done)

    def _show_exported(self, path: Path, written: int) -> None:
        where = path.resolve()
        self._set_status(f"Wrote {written:,} rows to {where}")
        self.notify(
            f"Wrote {written:,} rows to {where}.", title="Exported", markup=False
        )

    def _show_export_failure(self, request: ExportRequest, message: str) -> None:
        self._failed_export = request
        self._set_status("Export failed")
        self.notify(message, title="Not exported", severity="error", markup=False)

    def _show_counts(self, checked: int) -> None:
        counts = self.query_one("#batch-counts", Static)
        if self._batch is None:
            counts.update(Text(""))
            return
        by_status = self._batch.counts.by_status
        parts = [f"{status.value} {by_status[status]:,}" for status in FormatStatus]
        counts.update(Text(f"{checked:,} values: " + " · ".join(parts)))

    def _show_page_text(self, start: int, shown: int, total: int) -> None:
        text = self.query_one("#batch-page", Static)
        if total == 0:
            text.update(Text(""))
            return
        pages = self._page_count(total)
        text.update(
            Text(
                f"rows {start + 1:,}-{start + shown:,} of {self._rows_text(total)}"
                f" · page {self._page + 1:,} of {pages:,}"
            )
        )

    def _rows_text(self, count: int) -> str:
        noun = "value" if count == 1 else "values"
        if self._outcome is None:
            return f"{count:,} {noun}"
        return f"{count:,} {self._outcome.value} {noun}"

    def _clear_table(self) -> None:
        self._rows = []
        self.query_one("#batch-table", DataTable).clear()
        self.query_one("#batch-page", Static).update(Text(""))
        self._show_counts(0)
        self.show_row_detail()

    def _set_status(self, text: str) -> None:
        self.query_one("#batch-status", Static).update(visible_text(text))

    @staticmethod
    def _page_count(rows: int) -> int:
        return max(1, math.ceil(rows / PAGE_SIZE))


def source_label(source: BatchSource, region: str | None) -> str:
    """Name a source by its file name, and the region its national numbers are in."""
    name = source.name if source.data is not None else Path(source.name).name
    return f"{name} · region {region}" if region else f"{name} · no region"


def describe_row(row: BatchResult) -> Text:
    """Describe a row for the detail area: line, outcome, input, insight, then why."""
    result = row.result
    status = result.status
    text = Text.assemble(
        f"Line {row.line} · ",
        (status.value.upper(), OUTCOME_STYLES[status]),
        ' · "',
        visible_text(result.input),
        '"',
    )
    if result.e164:
        text.append(f" → {result.e164}")
        insight = offline_insight(result.e164)
        if insight is not None:
            text.append("\n")
            text.append_text(visible_text(insight_summary(insight)))
    explanation = result.reason or "; ".join(result.changes)
    if explanation:
        text.append("\n")
        text.append_text(visible_text(explanation))
    return text


def offline_insight(e164: str) -> Insight | None:
    """Look up a recovered number offline, or return None when there is no data."""
    try:
        return number_insight(e164)
    except InvalidInput:
        # A number can be recovered in Vonage form yet have no offline data.
        return None


def describe_os_error(error: OSError, name: str) -> str:
    """Say which file failed and why, in the operating system's words."""
    reason = error.strerror or type(error).__name__
    return f"{name}: {reason}. Check the path and its permissions."


def default_export_path(source: BatchSource) -> Path:
    """Offer a new CSV file next to the source file, or in the current folder for a paste.

    The folder of a paste's file is written out, so the dialog shows where it goes.
    """
    if source.data is not None:
        return _unused(Path.cwd() / "numdesk-batch.csv")
    path = Path(source.name).expanduser()
    return _unused(path.with_name(f"{path.stem}-checked.csv"))


def _unused(path: Path) -> Path:
    """Return `path`, or the first of `NAME-2.csv`, `NAME-3.csv`... that is unused.

    An export writes a new file only, so a second export of the same values
    is offered a name of its own.
    """
    candidate = path
    number = 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.stem}-{number}{path.suffix}")
    return candidate


def _shortened(text: str) -> str:
    if len(text) <= INPUT_WIDTH:
        return text
    return text[: INPUT_WIDTH - 1] + "…"
