"""The History screen: who changed what in the store and when, newest first."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from typing import Any, ClassVar, Protocol, runtime_checkable

from rich.text import Text
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Input, Label, Select, Static

from domain.applications import SHORT_ID_LENGTH, Application
from domain.e164 import number_problem, vonage_format
from domain.errors import InvalidInput
from domain.history import action_label, describe_change
from domain.numbers import validate_msisdn
from store.changelog import ChangeLogEntry
from tui.screens.base import ModeScreen
from tui.widgets.literal_text import visible_text
from tui.widgets.table_fit import width_left

# The newest entries shown. A filter finds older ones.
SHOWN_ENTRIES = 200
# The columns before Change, with their widths. Change takes the rest of the row.
FIXED_COLUMNS = (("Time (UTC)", 16), ("User", 8), ("Action", 10), ("Number", 15))
CHANGE_COLUMN = "Change"
NO_HISTORY = (
    "This account keeps no change history: only the sandbox store logs its changes."
)
NO_CHANGES = (
    "No changes yet: rents, cancels, links and application changes appear here."
)
NO_MATCHES = "No changes match these filters: press x to clear them."

# The number filter and the application filter that a read used.
Filters = tuple[str | None, str | None]
# The entries, the existing applications and the deleted ones' names by id.
LoadedHistory = tuple[list[ChangeLogEntry], list[Application], dict[str, str]]


@runtime_checkable
class HistorySource(Protocol):
    """An account that keeps a change log, such as the sandbox account."""

    def history(
        self, msisdn: str | None = None, app_id: str | None = None, limit: int = 200
    ) -> list[ChangeLogEntry]: ...

    def deleted_applications(self) -> dict[str, str]: ...


class NumberFilterInput(Input):
    """The number filter, applied when Enter is pressed, as its footer key shows.

    Leaving the field without Enter puts back the text of the filter in use.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "submit", "Apply filter", tooltip="Show the changes to it"),
    ]


class HistoryScreen(ModeScreen):
    """The change log, filtered by number or application, with the highlighted entry.

    The newest entry is on top. A reload keeps the cursor where it was only when the
    filters and the entries are the same as before, and otherwise shows the top.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "slash",
            "filter_number",
            "Number",
            id="filter_number",
            tooltip="Filter by number",
        ),
        Binding(
            "a",
            "filter_application",
            "Application",
            id="filter_application",
            tooltip="Filter by application",
        ),
        Binding(
            "x",
            "clear_filters",
            "Clear",
            id="clear_filters",
            tooltip="Clear the filters",
        ),
        Binding(
            "escape",
            "focus_entries",
            "Entries",
            id="focus_entries",
            show=False,
            tooltip="Move from the filters to the entries",
        ),
    ]

    CSS_PATH = "history.tcss"
    TITLE = "History"

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[ChangeLogEntry] = []
        self.application_names: dict[str, str] = {}
        self.deleted_application_names: dict[str, str] = {}
        self.number_filter: str | None = None
        # The text of the number filter in use, as typed.
        self._number_filter_text = ""
        self._shown_filters: Filters | None = None
        self.change_width = 0

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="history-filters"):
            yield Label("Number", classes="filter-label")
            yield NumberFilterInput(
                placeholder="any",
                max_length=40,
                compact=True,
                id="history-number",
            )
            yield Label("Application", classes="filter-label")
            yield Select[str]([], prompt="any", compact=True, id="history-app")
        yield Static(id="history-filter-error", markup=False)
        yield DataTable(cursor_type="row", id="history-entries")
        yield Static(id="history-empty", markup=False)
        # Tab reaches the detail, and the arrow keys scroll a long one.
        with VerticalScroll(id="history-detail"):
            yield Static(id="history-detail-text", markup=False)

    def on_mount(self) -> None:
        self.query_one("#history-filter-error").display = False
        self.query_one("#history-entries").focus()

    def on_resize(self) -> None:
        self.reload()

    def on_screen_resume(self) -> None:
        self.reload()

    def refresh_data(self) -> None:
        self.reload()

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand(
            "Filter history by number",
            "Show only the changes to one number (/)",
            self.action_filter_number,
        )
        yield SystemCommand(
            "Filter history by application",
            "Show only the changes to one application, deleted ones too",
            self.action_filter_application,
        )
        yield SystemCommand(
            "Clear history filters",
            "Show the changes to every number and application (x)",
            self.action_clear_filters,
        )

    @property
    def app_filter(self) -> str | None:
        """The id of the application chosen in the filter, or None for any."""
        value = self.query_one("#history-app", Select).value
        return value if isinstance(value, str) else None

    def reload(self) -> None:
        """Read the change log again and show it from the newest entry.

        The cursor stays on its row only when the filters are unchanged and no entry
        was added. If the account cannot be read, the rows stay and an error
        notification shows the reason.
        """
        account = self.account
        if not isinstance(account, HistorySource):
            self._show_message(NO_HISTORY)
            return
        number_filter, app_filter = self.number_filter, self.app_filter
        self.read_account(
            lambda: (
                account.history(
                    msisdn=number_filter, app_id=app_filter, limit=SHOWN_ENTRIES
                ),
                account.applications(),
                account.deleted_applications(),
            ),
            lambda loaded: self._show_entries(loaded, (number_filter, app_filter)),
            "History not loaded",
            group="history",
        )

    def _show_entries(self, loaded: LoadedHistory, filters: Filters) -> None:
        table = self.query_one("#history-entries", DataTable)
        row_before = table.cursor_row
        entries, applications, deleted = loaded
        unchanged = filters == self._shown_filters and entries == self.entries
        self._shown_filters = filters
        self.entries = entries
        self.application_names = {app.id: app.name for app in applications}
        self.deleted_application_names = {
            app_id: name
            for app_id, name in deleted.items()
            if app_id not in self.application_names
        }
        self._update_app_options()

        self._fit_columns(table)
        table.clear()
        for entry in entries:
            table.add_row(*self._cells(entry))
        if unchanged:
            table.move_cursor(row=row_before)
        else:
            table.move_cursor(row=0)
            table.scroll_home(animate=False)
        if not entries:
            filtered = self.number_filter is not None or self.app_filter is not None
            self._show_message(NO_MATCHES if filtered else NO_CHANGES)
            return
        self._show_table()

    def highlighted_entry(self) -> ChangeLogEntry | None:
        """Return the entry under the cursor, or None when no entry is shown."""
        if not self.entries:
            return None
        row = self.query_one("#history-entries", DataTable).cursor_row
        return self.entries[min(row, len(self.entries) - 1)]

    @on(DataTable.RowHighlighted)
    def show_detail(self) -> None:
        """Show every field of the highlighted entry under the table."""
        entry = self.highlighted_entry()
        detail = self.query_one("#history-detail-text", Static)
        detail.update(Text() if entry is None else self._detail(entry))

    @on(Input.Submitted, "#history-number")
    def filter_by_number(self) -> None:
        """Keep only the changes to the typed number, read in any common form."""
        raw = self.query_one("#history-number", Input).value.strip()
        try:
            self.number_filter = self._read_number(raw) if raw else None
        except InvalidInput as error:
            self._show_filter_error(str(error))
            return
        self._number_filter_text = raw
        self._show_filter_error("")
        self.reload()
        self.query_one("#history-entries").focus()

    @on(Input.Blurred, "#history-number")
    def put_back_filter_text(self) -> None:
        field = self.query_one("#history-number", Input)
        if field.value.strip() != self._number_filter_text:
            field.value = self._number_filter_text

    @on(Input.Changed, "#history-number")
    def forget_filter_error(self) -> None:
        # The error is about the text that was in the field.
        self._show_filter_error("")

    @on(Select.Changed, "#history-app")
    def filter_by_application(self) -> None:
        self.reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # A field with focus types these keys as text: hide them there. Textual
        # finds no character for the key name "slash", so it cannot tell by itself.
        keys = {"filter_number": ("slash", "/"), "filter_application": ("a", "a")}
        if action in keys:
            focused = self.focused
            return focused is None or not focused.check_consume_key(*keys[action])
        return True

    def action_filter_number(self) -> None:
        self.query_one("#history-number", Input).focus()

    def action_filter_application(self) -> None:
        """Open the list of applications to filter by."""
        select = self.query_one("#history-app", Select)
        select.focus()
        select.action_show_overlay()

    def action_clear_filters(self) -> None:
        self.query_one("#history-number", Input).value = ""
        self.number_filter = None
        self._number_filter_text = ""
        self._show_filter_error("")
        with self.prevent(Select.Changed):
            self.query_one("#history-app", Select).clear()
        self.reload()

    def action_focus_entries(self) -> None:
        self.query_one("#history-entries").focus()

    def _read_number(self, raw: str) -> str:
        try:
            return validate_msisdn(raw)
        except InvalidInput:
            pass
        result = vonage_format(raw, self.numdesk.default_country)
        number = result.number
        if number is not None:
            return number
        raise InvalidInput(
            f"{number_problem(result)} The list shows the last valid filter. Type "
            "the number in Vonage form, such as 14155550101."
        )

    def _fit_columns(self, table: DataTable[Text]) -> None:
        """Give the Change column the width that the other columns leave."""
        widths = [width for _, width in FIXED_COLUMNS]
        width = width_left(table, self.size.width, widths)
        if width == self.change_width:
            return
        self.change_width = width
        table.clear(columns=True)
        for label, column_width in FIXED_COLUMNS:
            table.add_column(label, width=column_width, key=label)
        table.add_column(CHANGE_COLUMN, width=width, key=CHANGE_COLUMN)

    def _update_app_options(self) -> None:
        """Offer the existing applications, then the deleted ones that the log names."""
        select: Select[str] = self.query_one("#history-app", Select)
        existing = _sorted_by_name(self.application_names)
        deleted = _sorted_by_name(self.deleted_application_names)
        # Applications may share a name, so such names carry their short ids.
        names = Counter(name for name, _ in [*existing, *deleted])

        def label(name: str, app_id: str, is_deleted: bool) -> Text:
            text = visible_text(name)
            if names[name] > 1:
                text.append(f" {app_id[:SHORT_ID_LENGTH]}")
            if is_deleted:
                text.append(" (deleted)")
            return text

        options = [(label(name, app_id, False), app_id) for name, app_id in existing]
        options += [(label(name, app_id, True), app_id) for name, app_id in deleted]
        chosen = self.app_filter
        with self.prevent(Select.Changed):
            select.set_options(options)
            if chosen is not None and any(chosen == app_id for _, app_id in options):
                select.value = chosen

    def _cells(self, entry: ChangeLogEntry) -> list[Text]:
        change = visible_text(self._describe(entry))
        change.no_wrap = True
        change.overflow = "ellipsis"
        return [
            Text(entry.time.strftime("%Y-%m-%d %H:%M")),
            visible_text(entry.user),
            visible_text(action_label(entry.action)),
            visible_text(entry.msisdn or "-"),
            change,
        ]

    def _detail(self, entry: ChangeLogEntry) -> Text:
        target = [f"number {entry.msisdn}"] if entry.msisdn else []
        if entry.app_id:
            target.append(f"application {self._describe_application(entry.app_id)}")
        lines = [
            f"{entry.time:%Y-%m-%d %H:%M:%S} UTC, {entry.user}: "
            f"{action_label(entry.action)}"
            + (f" of {', '.join(target)}" if target else ""),
            self._describe(entry),
            f"before: {_json(entry.details.get('before'))}",
            f"after:  {_json(entry.details.get('after'))}",
        ]
        # Each line is escaped on its own, so that only the line breaks between
        # them reach the terminal as line breaks.
        return Text("\n").join(visible_text(line) for line in lines)

    def _describe(self, entry: ChangeLogEntry) -> str:
        return describe_change(entry.action, entry.details, self._application_name)

    def _application_name(self, app_id: str) -> str:
        """Return an application's name, or the name it had when deleted, or its id."""
        name = self.application_names.get(app_id)
        if name is None:
            name = self.deleted_application_names.get(app_id, app_id)
        return name

    def _describe_application(self, app_id: str) -> str:
        # The entry's own text names the application as it was then.
        if app_id in self.application_names:
            return f"{app_id}, now named {self.application_names[app_id]!r}"
        if app_id in self.deleted_application_names:
            return f"{app_id} {self.deleted_application_names[app_id]!r} (deleted)"
        # NOTE: an application that a restore removed has no delete entry, so its
        # name is not known here.
        return app_id

    def _show_table(self) -> None:
        self.query_one("#history-entries").display = True
        self.query_one("#history-detail").display = True
        self.query_one("#history-empty").display = False
        self.show_detail()

    def _show_message(self, message: str) -> None:
        self.query_one("#history-entries").display = False
        self.query_one("#history-detail").display = False
        empty = self.query_one("#history-empty", Static)
        empty.update(Content(message))
        empty.display = True

    def _show_filter_error(self, message: str) -> None:
        error = self.query_one("#history-filter-error", Static)
        error.update(Content(message))
        error.display = bool(message)
        self.query_one("#history-number", Input).set_class(bool(message), "-invalid")


def _sorted_by_name(names: dict[str, str]) -> list[tuple[str, str]]:
    """Return (name, id) pairs sorted by name, ignoring case."""
    return sorted(
        ((name, app_id) for app_id, name in names.items()),
        key=lambda option: option[0].casefold(),
    )


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
