"""The Applications screen: voice applications, their webhooks and linked numbers."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Static

from domain.applications import (
    Application,
    HttpMethod,
    displayed_url,
    webhook_warnings,
)
from domain.numbers import OwnedNumber
from domain.visible import escape_invisible
from tui.dialogs.application_form import ApplicationForm
from tui.dialogs.confirm import ConfirmDialog
from tui.screens.base import ModeScreen
from tui.widgets.literal_text import visible_text
from tui.widgets.table_fit import shortened, width_left

NO_APPLICATIONS = "You have no applications yet: press n to create one."
COLUMNS = ("Name", "ID", "Numbers", "answer_url")
SHORT_ID_LENGTH = 8
# Names longer than this are cut in the list, and the answer_url gets the width
# left. The details pane shows both whole.
NAME_WIDTH = 24
DETAIL_LABEL_WIDTH = 21


class ApplicationsScreen(ModeScreen):
    """Voice applications: create, edit and delete them, and see their numbers."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "New", id="new", tooltip="Create an application"),
        Binding("e", "edit", "Edit", id="edit", tooltip="Edit the application"),
        Binding("d", "delete", "Delete", id="delete", tooltip="Delete the application"),
    ]

    CSS_PATH = "applications.tcss"
    TITLE = "Applications"

    def __init__(self) -> None:
        super().__init__()
        self.applications: list[Application] = []
        self.linked_numbers: dict[str, list[OwnedNumber]] = {}

    def compose_body(self) -> ComposeResult:
        yield DataTable(cursor_type="row", id="applications")
        yield Static(Content(NO_APPLICATIONS), id="empty")
        with VerticalScroll(id="detail") as detail:
            detail.border_title = "Details"
            yield Static(id="detail-text")

    def on_mount(self) -> None:
        table = self.query_one("#applications", DataTable)
        for label in COLUMNS:
            table.add_column(label, key=label)
        # Until the first read returns, only the empty table shows, under the note.
        self.query_one("#empty").display = False
        self.query_one("#detail").display = False

    def on_screen_resume(self) -> None:
        self.reload()

    def refresh_data(self) -> None:
        self.reload()

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand(
            "New application", "Create a voice application (n)", self.action_new
        )
        yield SystemCommand(
            "Edit application",
            "Edit the highlighted application's name and webhooks (e)",
            self.action_edit,
        )
        yield SystemCommand(
            "Delete application",
            "Delete the highlighted application and unlink its numbers (d)",
            self.action_delete,
        )

    def reload(self, highlight_id: str | None = None) -> None:
        """Read the applications again and keep the cursor on the same application.

        Args:
            highlight_id: The id of an application to put the cursor on instead, such
                as one just created.

        If the account cannot be read, the rows stay and an error notification gives
        the reason.
        """
        account = self.account
        self.read_account(
            lambda: (account.applications(), account.owned_numbers()),
            lambda loaded: self._show_applications(*loaded, highlight_id=highlight_id),
            "Applications not loaded",
            group="applications",
        )

    def _show_applications(
        self,
        applications: list[Application],
        numbers: list[OwnedNumber],
        *,
        highlight_id: str | None,
    ) -> None:
        table = self.query_one("#applications", DataTable)
        highlighted = self.highlighted_application()
        if highlight_id is None and highlighted is not None:
            highlight_id = highlighted.id
        row_before = table.cursor_row
        self.applications = applications
        self.linked_numbers = _numbers_by_application(numbers)

        self._fill_table(self._row_to_highlight(highlight_id, row_before))

        has_applications = bool(self.applications)
        table.display = has_applications
        self.query_one("#empty").display = not has_applications
        self.query_one("#detail").display = has_applications
        self.show_detail()

    def _fill_table(self, cursor_row: int) -> None:
        table = self.query_one("#applications", DataTable)
        url_width = self._url_width()
        table.clear()
        for application in self.applications:
            table.add_row(*self._cells(application, url_width), key=application.id)
        table.move_cursor(row=cursor_row)

    def on_resize(self) -> None:
        # The answer_url column takes the width left, which a resize changes, and
        # the details wrap long values to the new width once it is laid out.
        if self.applications:
            self._fill_table(self.query_one("#applications", DataTable).cursor_row)
        self.call_after_refresh(self.show_detail)

    def _url_width(self) -> int:
        widest_name = max(
            (cell_len(visible_text(app.name).plain) for app in self.applications),
            default=0,
        )
        widths = [
            max(min(widest_name, NAME_WIDTH), len(COLUMNS[0])),
            SHORT_ID_LENGTH,
            len(COLUMNS[2]),
        ]
        table = self.query_one("#applications", DataTable)
        return width_left(table, self.size.width, widths)

    def highlighted_application(self) -> Application | None:
        """Return the application under the cursor, or None when there are none."""
        if not self.applications:
            return None
        row = self.query_one("#applications", DataTable).cursor_row
        return self.applications[min(row, len(self.applications) - 1)]

    @on(DataTable.RowHighlighted)
    def show_detail(self) -> None:
        """Show the highlighted application's webhooks and linked numbers."""
        application = self.highlighted_application()
        detail = Content() if application is None else self._detail(application)
        self.query_one("#detail-text", Static).update(detail)

    def on_key(self, event: events.Key) -> None:
        # Textual runs bindings only after a key has reached the focused widget and
        # this screen, so keys typed in one burst with n or e, as over a slow SSH
        # link, would reach the table before the form opened. So n and e open the
        # form here, and the keys after them go into it.
        form = self.app.screen
        if isinstance(form, ApplicationForm):
            if event.is_printable:
                event.stop()
                event.prevent_default()
                form.type_ahead(event.character or "")
            return
        opening = {"n": self.action_new, "e": self.action_edit}.get(event.key)
        if opening is not None:
            event.stop()
            event.prevent_default()
            opening()

    def action_new(self) -> None:
        """Open the form for a new application and highlight it once saved."""
        # Pushed here rather than from a worker, so that the next key finds it.
        self.app.push_screen(ApplicationForm(self.account), self._show_created)

    def _show_created(self, created: Application | None) -> None:
        if created is None:
            return
        self.reload(highlight_id=created.id)
        self.notify(f"Created '{escape_invisible(created.name)}'.", markup=False)
        self._warn_about_webhooks(created)

    def action_edit(self) -> None:
        """Open the form on the highlighted application."""
        application = self._application_for_action()
        if application is None:
            return
        self.app.push_screen(
            ApplicationForm(self.account, application),
            partial(self._show_saved, application),
        )

    def _show_saved(self, application: Application, saved: Application | None) -> None:
        if saved is None:
            return
        self.reload(highlight_id=saved.id)
        name = escape_invisible(saved.name)
        if saved == application:
            self.notify(f"Nothing changed in '{name}'.", markup=False)
        else:
            self.notify(f"Saved '{name}'.", markup=False)
        self._warn_about_webhooks(saved)

    def _warn_about_webhooks(self, application: Application) -> None:
        """Point to the webhook warnings that the details list, in one notification."""
        warnings = webhook_warnings(application)
        if not warnings:
            return
        message = escape_invisible(warnings[0])
        if len(warnings) > 1:
            message = (
                f"'{escape_invisible(application.name)}' has {len(warnings)} webhook "
                "warnings: its details list them."
            )
        self.notify(
            message, title="Check the webhooks", severity="warning", markup=False
        )

    @work(exclusive=True, group="application-action")
    async def action_delete(self) -> None:
        """Delete the highlighted application and unlink its numbers, after asking."""
        application = self._application_for_action()
        if application is None:
            return
        seen_linked = [
            number.msisdn for number in self.linked_numbers.get(application.id, [])
        ]
        confirmed = await self.app.push_screen_wait(
            ConfirmDialog(
                "Delete application?",
                self._delete_message(application),
                confirm_label="Delete",
                cancel_label="Keep it",
            )
        )
        if not confirmed:
            return
        await self._delete(application, seen_linked)

    async def _delete(self, application: Application, seen_linked: list[str]) -> None:
        unlinked = await self.change_account(
            lambda: self.account.delete_application(
                application.id, seen_linked=seen_linked
            ),
            "Not deleted",
            retry=lambda: self.run_worker(
                self._delete(application, seen_linked),
                exclusive=True,
                group="application-action",
            ),
        )
        if unlinked is None:
            return
        self.reload()
        self.notify(_deleted_message(application, unlinked), markup=False)

    def _application_for_action(self) -> Application | None:
        application = self.highlighted_application()
        if application is None:
            self.notify(
                NO_APPLICATIONS,
                title="No application",
                severity="warning",
                markup=False,
            )
        return application

    def _cells(self, application: Application, url_width: int) -> list[Text]:
        count = len(self.linked_numbers.get(application.id, []))
        return [
            shortened(visible_text(application.name), NAME_WIDTH),
            Text(application.id[:SHORT_ID_LENGTH]),
            Text(str(count), justify="right"),
            shortened(visible_text(displayed_url(application.answer_url)), url_width),
        ]

    def _detail(self, application: Application) -> Content:
        numbers = self.linked_numbers.get(application.id, [])
        linked = ", ".join(number.msisdn for number in numbers) or "none"
        # Before the first layout the width is 0, and the pane wraps the lines.
        value_width = self.query_one("#detail-text").size.width - DETAIL_LABEL_WIDTH
        webhooks = [
            ("answer_url", application.answer_method, application.answer_url),
            ("event_url", application.event_method, application.event_url),
            (
                "fallback_answer_url",
                application.fallback_answer_method,
                application.fallback_answer_url,
            ),
        ]
        # The warnings come first, so that a short pane shows them without scrolling.
        return Content("\n").join(
            [
                *(
                    Content.styled(escape_invisible(warning), "$text-warning")
                    for warning in webhook_warnings(application)
                ),
                _detail_line("name", application.name, value_width),
                _detail_line("id", application.id, value_width),
                *(
                    _detail_line(
                        label, _webhook_text(method, url), value_width, fold=True
                    )
                    for label, method, url in webhooks
                ),
                _detail_line("linked numbers", linked, value_width),
            ]
        )

    def _delete_message(self, application: Application) -> str:
        numbers = self.linked_numbers.get(application.id, [])
        message = (
            f"Delete '{escape_invisible(application.name)}'? This cannot be undone."
        )
        if not numbers:
            return f"{message} No numbers are linked to it."
        count = _plural(len(numbers), "linked number")
        msisdns = ", ".join(number.msisdn for number in numbers)
        return f"{message} {count} will be unlinked: {msisdns}."

    def _row_to_highlight(self, application_id: str | None, row_before: int) -> int:
        ids = [application.id for application in self.applications]
        if application_id in ids:
            return ids.index(application_id)
        return min(row_before, max(len(ids) - 1, 0))


def _numbers_by_application(
    numbers: list[OwnedNumber],
) -> dict[str, list[OwnedNumber]]:
    linked: dict[str, list[OwnedNumber]] = {}
    for number in numbers:
        if number.app_id is not None:
            linked.setdefault(number.app_id, []).append(number)
    return linked


def _detail_line(
    label: str, value: str, value_width: int, *, fold: bool = False
) -> Content:
    """Return a label and its value, with the lines of a long value under the value.

    Words wrap, or with `fold` the value is cut at the width wherever it falls, as
    suits a URL. A `value_width` under one leaves the wrapping to the widget.
    """
    text = Content(escape_invisible(value))
    if value_width < 1:
        lines = [text]
    else:
        lines = text.fold(value_width) if fold else text.wrap(value_width)
    indent = Content(" " * DETAIL_LABEL_WIDTH)
    first = Content.assemble((label.ljust(DETAIL_LABEL_WIDTH), "bold"), lines[0])
    return Content("\n").join([first, *(indent + line for line in lines[1:])])


def _webhook_text(method: HttpMethod, url: str | None) -> str:
    return "-" if url is None else f"{method.value:<5}{displayed_url(url)}"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _deleted_message(application: Application, unlinked: list[OwnedNumber]) -> str:
    name = escape_invisible(application.name)
    if not unlinked:
        return f"Deleted '{name}'."
    msisdns = ", ".join(number.msisdn for number in unlinked)
    return (
        f"Deleted '{name}' and unlinked {_plural(len(unlinked), 'number')}: {msisdns}."
    )
