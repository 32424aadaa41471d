"""The My numbers screen: owned numbers, their links, and cancelling them."""

from __future__ import annotations

from collections.abc import Coroutine, Iterable
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import DataTable, Static

from domain.applications import Application, displayed_url, distinct_names
from domain.linking import relinks
from domain.numbers import OwnedNumber, cancel_consequences, sort_features
from domain.visible import escape_invisible
from tui.dialogs.confirm import ConfirmDialog
from tui.dialogs.link import LinkDialog
from tui.screens.base import ModeScreen
from tui.widgets.results_table import monthly_cost
from tui.widgets.table_fit import shortened, width_left

NO_NUMBERS = "You have no numbers yet: press F2 to search and rent one."
COLUMNS = ("Number", "Country", "Type", "Features", "EUR/month", "Application")


class MyNumbersScreen(ModeScreen):
    """The numbers the account rents: link, unlink or cancel the highlighted one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "l", "link", "Link", id="link", tooltip="Link the number to an application"
        ),
        Binding(
            "u",
            "unlink",
            "Unlink",
            id="unlink",
            tooltip="Unlink the number from its app",
        ),
        Binding(
            "c",
            "cancel_number",
            "Cancel",
            id="cancel_number",
            tooltip="Stop renting the number",
        ),
    ]

    CSS_PATH = "numbers.tcss"
    TITLE = "My numbers"

    def __init__(self) -> None:
        super().__init__()
        self.numbers: list[OwnedNumber] = []
        self.applications: list[Application] = []
        # Each application's name, with its short id when another has the same.
        self._application_labels: dict[str, str] = {}

    def compose_body(self) -> ComposeResult:
        yield DataTable(cursor_type="row", id="numbers")
        yield Static(Content(NO_NUMBERS), id="empty")
        yield Static(id="detail")

    def on_mount(self) -> None:
        table = self.query_one("#numbers", DataTable)
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
            "Link number",
            "Link the highlighted number to a voice application (l)",
            self.action_link,
        )
        yield SystemCommand(
            "Unlink number",
            "Remove the highlighted number's application link (u)",
            self.action_unlink,
        )
        yield SystemCommand(
            "Cancel number",
            "Stop renting the highlighted number (c)",
            self.action_cancel_number,
        )

    def reload(self) -> None:
        """Read the numbers and applications again, keeping the cursor on its number.

        If the account cannot be read, the rows stay and an error notification gives
        the reason.
        """
        account = self.account
        self.read_account(
            lambda: (account.owned_numbers(), account.applications()),
            self._show_numbers,
            "Numbers not loaded",
            group="numbers",
        )

    def _show_numbers(
        self, loaded: tuple[list[OwnedNumber], list[Application]]
    ) -> None:
        table = self.query_one("#numbers", DataTable)
        highlighted = self.highlighted_number()
        row_before = table.cursor_row
        self.numbers, self.applications = loaded
        self._application_labels = distinct_names(self.applications)

        self._fill_table(self._row_to_highlight(highlighted, row_before))

        has_numbers = bool(self.numbers)
        table.display = has_numbers
        self.query_one("#empty").display = not has_numbers
        self.query_one("#detail").display = has_numbers
        self.show_detail()

    def _fill_table(self, cursor_row: int) -> None:
        """Show a row for each number; the Application column takes the width left."""
        table = self.query_one("#numbers", DataTable)
        rows = [self._cells(number) for number in self.numbers]
        application_width = width_left(
            table, self.size.width, _widths_before_last(rows)
        )
        table.clear()
        for number, cells in zip(self.numbers, rows, strict=True):
            cells[-1] = shortened(cells[-1], application_width)
            table.add_row(*cells, key=number.msisdn)
        table.move_cursor(row=cursor_row)

    def on_resize(self) -> None:
        # The Application column takes the width left, which a resize changes.
        if self.numbers:
            self._fill_table(self.query_one("#numbers", DataTable).cursor_row)

    def highlighted_number(self) -> OwnedNumber | None:
        """Return the number under the cursor, or None when there are no numbers."""
        if not self.numbers:
            return None
        row = self.query_one("#numbers", DataTable).cursor_row
        return self.numbers[min(row, len(self.numbers) - 1)]

    @on(DataTable.RowHighlighted)
    def show_detail(self) -> None:
        """Show under the table what the highlighted number is linked to, or why not."""
        number = self.highlighted_number()
        detail = self.query_one("#detail", Static)
        if number is None:
            detail.update("")
            return
        detail.update(Content(self._describe_link(number)))

    @work(exclusive=True, group="number-action")
    async def action_link(self) -> None:
        """Link the highlighted number to an application that the user picks.

        Asks first when the new link replaces a link to another application.
        """
        number = self._number_for_action()
        if number is None:
            return
        if not number.has_voice:
            self._reject_link_without_voice(number)
            return
        if not any(app.id != number.app_id for app in self.applications):
            self._explain_no_other_application(number)
            return

        application = await self.app.push_screen_wait(
            LinkDialog(number, self.applications)
        )
        if application is None:
            return
        if relinks(number, application) and not await self._confirm_relink(
            number, application
        ):
            return

        await self._link(number, application)

    async def _link(self, number: OwnedNumber, application: Application) -> None:
        linked = await self.change_account(
            lambda: self.account.link(number.msisdn, application.id, seen=number),
            "Not linked",
            retry=lambda: self._retry(self._link(number, application)),
        )
        if linked is None:
            return
        self.reload()
        name = escape_invisible(application.name)
        self.notify(f"Linked {number.msisdn} to '{name}'.", markup=False)

    @work(exclusive=True, group="number-action")
    async def action_unlink(self) -> None:
        """Remove the highlighted number's link to its application."""
        number = self._number_for_action()
        if number is None:
            return
        if number.app_id is None:
            self.notify(
                f"{number.msisdn} is not linked to an application.", markup=False
            )
            return
        await self._unlink(number, self._application_name(number.app_id))

    async def _unlink(self, number: OwnedNumber, name: str) -> None:
        unlinked = await self.change_account(
            lambda: self.account.unlink(number.msisdn, seen=number),
            "Not unlinked",
            retry=lambda: self._retry(self._unlink(number, name)),
        )
        if unlinked is None:
            return
        self.reload()
        self.notify(f"Unlinked {number.msisdn} from '{name}'.", markup=False)

    @work(exclusive=True, group="number-action")
    async def action_cancel_number(self) -> None:
        """Stop renting the highlighted number, after the user confirms."""
        number = self._number_for_action()
        if number is None:
            return
        confirmed = await self.app.push_screen_wait(
            ConfirmDialog(
                "Cancel number?",
                self._cancel_message(number),
                confirm_label="Cancel number",
                cancel_label="Keep it",
            )
        )
        if not confirmed:
            return
        await self._cancel(number)

    async def _cancel(self, number: OwnedNumber) -> None:
        cancelled = await self.change_account(
            lambda: self.account.cancel(number.msisdn, seen=number),
            "Not cancelled",
            retry=lambda: self._retry(self._cancel(number)),
        )
        if cancelled is None:
            return
        self.reload()
        self.notify(
            f"Cancelled {number.msisdn}: it is back in the inventory.", markup=False
        )

    def _retry(self, change: Coroutine[Any, Any, None]) -> None:
        self.run_worker(change, exclusive=True, group="number-action")

    def _number_for_action(self) -> OwnedNumber | None:
        number = self.highlighted_number()
        if number is None:
            self.notify(NO_NUMBERS, title="No number", severity="warning", markup=False)
        return number

    def _reject_link_without_voice(self, number: OwnedNumber) -> None:
        self.notify(
            f"{number.msisdn} has no VOICE feature, so it cannot link to a voice "
            "application: rent a number with VOICE (F2).",
            title="Cannot link",
            severity="error",
            markup=False,
        )

    def _explain_no_other_application(self, number: OwnedNumber) -> None:
        if number.app_id is None:
            message = "You have no applications yet: press F4 to create one."
        else:
            name = self._application_name(number.app_id)
            message = (
                f"{number.msisdn} is linked to '{name}', your only application: "
                "press F4 to create another."
            )
        self.notify(
            message, title="Nothing to link to", severity="warning", markup=False
        )

    async def _confirm_relink(
        self, number: OwnedNumber, application: Application
    ) -> bool:
        assert number.app_id is not None
        current = self._application_name(number.app_id)
        new = escape_invisible(application.name)
        return await self.app.push_screen_wait(
            ConfirmDialog(
                "Relink number?",
                f"Relink {number.msisdn} from '{current}' to '{new}'? "
                f"Calls to it will reach '{new}' instead.",
                confirm_label="Relink",
                cancel_label="Keep link",
            )
        )

    def _cancel_message(self, number: OwnedNumber) -> str:
        linked_to = None
        if number.app_id is not None:
            linked_to = f"'{self._application_name(number.app_id)}'"
        return f"Cancel {number.msisdn}? {cancel_consequences(number, linked_to)}"

    def _describe_link(self, number: OwnedNumber) -> str:
        if number.app_id is not None:
            application = self._application(number.app_id)
            if application is None:
                return f"{number.msisdn} is linked to application {number.app_id}."
            return (
                f"{number.msisdn} is linked to "
                f"'{escape_invisible(application.name)}', so calls go to "
                f"{application.answer_method} "
                f"{escape_invisible(displayed_url(application.answer_url))}"
            )
        if not number.has_voice:
            return (
                f"{number.msisdn} has no VOICE feature, so it cannot link to a voice "
                "application."
            )
        return f"{number.msisdn} is not linked: press l to link it to an application."

    def _application(self, app_id: str) -> Application | None:
        for application in self.applications:
            if application.id == app_id:
                return application
        return None

    def _application_name(self, app_id: str) -> str:
        return escape_invisible(self._application_labels.get(app_id, app_id))

    def _cells(self, number: OwnedNumber) -> list[Text]:
        application = "-"
        if number.app_id is not None:
            application = self._application_name(number.app_id)
        return [
            Text(number.msisdn),
            Text(number.country),
            Text(number.type.label),
            Text(" ".join(sort_features(number.features))),
            Text(monthly_cost(number), justify="right"),
            Text(application),
        ]

    def _row_to_highlight(self, before: OwnedNumber | None, row_before: int) -> int:
        msisdns = [number.msisdn for number in self.numbers]
        if before is not None and before.msisdn in msisdns:
            return msisdns.index(before.msisdn)
        return min(row_before, max(len(msisdns) - 1, 0))


def _widths_before_last(rows: list[list[Text]]) -> list[int]:
    """Return the width of each column but the last: its label or widest cell."""
    return [
        max([cell_len(label), *(cell_len(row[index].plain) for row in rows)])
        for index, label in enumerate(COLUMNS[:-1])
    ]
