"""The Caller ID screen: how Vonage reads a caller ID, outbound and inbound.

The user types or pastes a value, and the report below updates on every change.
Outbound shows the `from` that Vonage sends for it. Inbound shows the request that the
called number's application receives on its answer_url.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import ClassVar

from rich.console import RenderableType
from rich.text import Text
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import (
    Checkbox,
    Input,
    Label,
    Select,
    Static,
)

from domain.applications import Application, distinct_names
from domain.callerid import inbound_call, outbound_caller_id
from domain.errors import InvalidInput
from domain.insight import Insight, number_insight
from domain.numbers import OwnedNumber
from tui.screens.base import ModeScreen
from tui.screens.batch import BatchScreen
from tui.widgets.caller_id_report import inbound_report, outbound_report
from tui.widgets.country_picker import CountryPicker
from tui.widgets.literal_text import LiteralHighlighter, visible_text
from tui.widgets.marked_checkbox import MarkedCheckbox

EMPTY_HINT = (
    "Type or paste a caller ID as it reached you: +44 7700 900123, 0044 7700 900123, "
    "sip:+14155550101@pbx.example.com, tel:+1-415-555-0101 or a word such as "
    "anonymous.\n\n"
    "Outbound shows the from that Vonage sends. Inbound shows what the called "
    "number's application receives on its answer_url. Ctrl+O switches between them."
)

NO_OWNED_NUMBERS = "No owned numbers: rent a number first (F2)."

NO_REGION = "none: only numbers with a country code are read"

# The name the batch view is installed under, so that it keeps its rows when closed.
BATCH_SCREEN = "callerid-batch"


class Direction(StrEnum):
    """The direction of a call: placed by the account, or to one of its numbers."""

    OUTBOUND = "outbound"
    INBOUND = "inbound"


DIRECTION_OPTIONS = [
    ("Outbound: the account places the call", Direction.OUTBOUND),
    ("Inbound: someone calls an owned number", Direction.INBOUND),
]


class CallerIdScreen(ModeScreen):
    """Read a caller ID the way Vonage does and preview the call it belongs to."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+l",
            "focus_input",
            "Input",
            id="callerid_focus_input",
            tooltip="Type or paste a caller ID",
            show=False,
        ),
        Binding(
            "ctrl+o",
            "switch_direction",
            "Out/In",
            id="callerid_switch_direction",
            tooltip="Switch between an outbound and an inbound call",
        ),
        Binding(
            "ctrl+r",
            "pick_region",
            "Region",
            id="callerid_pick_region",
            tooltip="Choose the region that national numbers are read in",
        ),
        Binding(
            "ctrl+n",
            "pick_called_number",
            "Called",
            id="callerid_pick_called_number",
            tooltip="Choose the owned number that an inbound call reaches",
        ),
        Binding(
            "ctrl+b",
            "open_batch",
            "Batch",
            id="callerid_open_batch",
            tooltip="Check a file or a paste of many caller IDs",
        ),
    ]
    CSS_PATH = "callerid.tcss"
    TITLE = "Caller ID"

    def __init__(self) -> None:
        super().__init__()
        self._owned: list[OwnedNumber] = []
        self._applications: dict[str, Application] = {}
        # Each application's name, with its short id when another has the same.
        self._application_labels: dict[str, str] = {}
        # The Called number that was chosen by default, not by the user.
        self._default_called: str | None = None

    def compose_body(self) -> ComposeResult:
        with Vertical(id="callerid-form"):
            caller_input = Input(
                placeholder="+44 7700 900123, sip:..., anonymous",
                highlighter=LiteralHighlighter(),
                id="callerid-input",
            )
            caller_input.border_title = "Caller ID"
            yield caller_input
            with Horizontal(classes="callerid-row"):
                yield Label("Direction", classes="callerid-label")
                yield Select[Direction](
                    DIRECTION_OPTIONS,
                    value=Direction.OUTBOUND,
                    allow_blank=False,
                    id="callerid-direction",
                    compact=True,
                )
            with Horizontal(id="callerid-region-row", classes="callerid-row"):
                yield Label("Region", classes="callerid-label")
                yield MarkedCheckbox(
                    "on", value=True, id="callerid-use-region", compact=True
                )
                yield CountryPicker(self.numdesk.default_country, id="callerid-region")
                yield Static(NO_REGION, id="callerid-no-region", markup=False)
            # The Called select is mounted once owned numbers are loaded, because a
            # Select without a blank row needs at least one option.
            with Horizontal(id="callerid-called-row", classes="callerid-row"):
                yield Label("Called", classes="callerid-label")
                yield Static(NO_OWNED_NUMBERS, id="callerid-no-numbers", markup=False)
        with VerticalScroll(id="callerid-result"):
            yield Static(id="callerid-report")

    def on_mount(self) -> None:
        self.query_one("#callerid-input", Input).focus()

    def on_screen_resume(self) -> None:
        self._load_owned_numbers()
        self.update_report()

    def refresh_data(self) -> None:
        self._load_owned_numbers()
        self.update_report()

    @property
    def direction(self) -> Direction:
        """The direction chosen in the Direction field."""
        value = self.query_one("#callerid-direction", Select).value
        return Direction.INBOUND if value == Direction.INBOUND else Direction.OUTBOUND

    @property
    def region_hint(self) -> str | None:
        """The region that reads national numbers, or None when it is turned off."""
        if not self.query_one("#callerid-use-region", Checkbox).value:
            return None
        return self.query_one("#callerid-region", CountryPicker).value

    @property
    def called_number(self) -> OwnedNumber | None:
        """The owned number an inbound call reaches, if there is one to choose."""
        select = self._called_select()
        if select is None:
            return None
        return next((n for n in self._owned if n.msisdn == select.value), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "pick_region":
            return self.direction == Direction.OUTBOUND
        if action == "pick_called_number":
            return self.direction == Direction.INBOUND
        return True

    @on(Input.Changed, "#callerid-input")
    def show_new_value(self) -> None:
        """Show the report of the value typed or pasted from its first line."""
        self.update_report()
        # At once, not after the next refresh: the report of the last value may be
        # scrolled down, and the new one starts at its top.
        result = self.query_one("#callerid-result", VerticalScroll)
        result.scroll_home(animate=False, immediate=True)

    @on(CountryPicker.Changed, "#callerid-region")
    @on(Select.Changed, "#callerid-called")
    def update_report(self) -> None:
        """Read the current value again and show the report for the chosen direction."""
        raw = self.query_one("#callerid-input", Input).value
        report: RenderableType
        if not raw:
            report = Text(EMPTY_HINT)
        elif self.direction == Direction.OUTBOUND:
            report = self._outbound_report(raw)
        else:
            report = self._inbound_report(raw)
        self.query_one("#callerid-report", Static).update(report)

    @on(Checkbox.Changed, "#callerid-use-region")
    def turn_region_on_or_off(self) -> None:
        use_region = self.query_one("#callerid-use-region", Checkbox)
        use_region.label = "on" if use_region.value else "off"
        self.query_one("#callerid-region").display = use_region.value
        self.query_one("#callerid-no-region").display = not use_region.value
        self.update_report()

    @on(Select.Changed, "#callerid-direction")
    def switch_report_direction(self) -> None:
        self._show_direction_rows()
        self.refresh_bindings()
        self.update_report()

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand(
            "Caller ID: type a value",
            "Move to the caller ID input (Ctrl+L)",
            self.action_focus_input,
        )
        other = "inbound" if self.direction == Direction.OUTBOUND else "outbound"
        yield SystemCommand(
            f"Caller ID: switch to {other}",
            "Preview the other direction of the call (Ctrl+O)",
            self.action_switch_direction,
        )
        if self.direction == Direction.OUTBOUND:
            yield SystemCommand(
                "Caller ID: pick region",
                "Choose the region that national numbers are read in (Ctrl+R)",
                self.action_pick_region,
            )
            yield SystemCommand(
                "Caller ID: use no region"
                if self.region_hint
                else "Caller ID: use a region",
                "Read national numbers in a region, or read only international ones",
                self.toggle_region,
            )
        else:
            yield SystemCommand(
                "Caller ID: pick called number",
                "Choose the owned number that the call reaches (Ctrl+N)",
                self.action_pick_called_number,
            )

        yield SystemCommand(
            "Caller ID: check many values",
            "Check a text or CSV file, or pasted values, in the batch view (Ctrl+B)",
            self.action_open_batch,
        )

    def toggle_region(self) -> None:
        """Turn the region on or off."""
        checkbox = self.query_one("#callerid-use-region", Checkbox)
        checkbox.value = not checkbox.value

    def action_open_batch(self) -> None:
        """Open the batch view, reading national numbers in the region chosen here."""
        if not self.app.is_screen_installed(BATCH_SCREEN):
            self.app.install_screen(BatchScreen(self.region_hint), BATCH_SCREEN)
        batch = self.app.get_screen(BATCH_SCREEN)
        if isinstance(batch, BatchScreen):
            batch.region_hint = self.region_hint
        self.app.push_screen(BATCH_SCREEN)

    def action_focus_input(self) -> None:
        self.query_one("#callerid-input", Input).focus()

    def action_switch_direction(self) -> None:
        select = self.query_one("#callerid-direction", Select)
        inbound = self.direction == Direction.INBOUND
        select.value = Direction.OUTBOUND if inbound else Direction.INBOUND

    def action_pick_region(self) -> None:
        self.query_one("#callerid-use-region", Checkbox).value = True
        # The focus stays where it was, mostly the caller ID field, for the next key.
        self.query_one("#callerid-region", CountryPicker).open_chooser()

    def action_pick_called_number(self) -> None:
        select = self._called_select()
        if select is None:
            self.notify(NO_OWNED_NUMBERS, markup=False)
            return
        select.focus()
        select.action_show_overlay()

    def _outbound_report(self, raw: str) -> RenderableType:
        owned = [number.msisdn for number in self._owned]
        outbound = outbound_caller_id(raw, owned, region=self.region_hint)
        return outbound_report(
            outbound, self._insight(outbound.formatted.e164), self.region_hint
        )

    def _inbound_report(self, raw: str) -> RenderableType:
        called = self.called_number
        if called is None:
            return Text(NO_OWNED_NUMBERS)
        application = self._applications.get(called.app_id or "")
        call = inbound_call(raw, called, application)
        return inbound_report(call, self._insight(call.suggested))

    def _insight(self, e164: str | None) -> Insight | None:
        if e164 is None:
            return None
        try:
            return number_insight(e164)
        except InvalidInput:
            # A number can be recovered in Vonage form yet have no offline data.
            return None

    def _load_owned_numbers(self) -> None:
        account = self.account
        self.read_account(
            lambda: (account.owned_numbers(), account.applications()),
            self._show_owned_numbers,
            "Owned numbers not loaded",
            group="owned-numbers",
        )

    def _show_owned_numbers(
        self, loaded: tuple[list[OwnedNumber], list[Application]]
    ) -> None:
        self._owned, applications = loaded
        self._applications = {app.id: app for app in applications}
        self._application_labels = distinct_names(applications)
        self._show_called_numbers()
        self._show_direction_rows()
        self.update_report()

    def _show_called_numbers(self) -> None:
        """Offer the owned numbers, keeping the one the user chose if still owned.

        A number chosen by default follows the default, which changes when numbers
        are linked. With no owned numbers the select keeps its old options, and is
        hidden.
        """
        if not self._owned:
            return
        select = self._called_select()
        if select is not None and not select.is_mounted:
            # Options can only be set once the select has built its option list,
            # so the select runs this after its own mount.
            select.call_later(self._show_called_numbers)
            return

        options = [
            (self._called_number_label(number), number.msisdn) for number in self._owned
        ]
        current = select.value if select is not None else None
        owned_msisdns = [number.msisdn for number in self._owned]
        picked_by_user = current != self._default_called
        if isinstance(current, str) and picked_by_user and current in owned_msisdns:
            chosen = current
        else:
            chosen = self._default_called_number().msisdn
            self._default_called = chosen
            if isinstance(current, str) and picked_by_user:
                self.notify(
                    f"{current} is no longer a number of this account, so the "
                    f"preview shows a call to {chosen} instead.",
                    title="Called number changed",
                    severity="warning",
                    markup=False,
                )
        if select is None:
            self._mount_called_select(options, chosen)
            return
        select.set_options(options)
        select.value = chosen
        # The select shows an option's text as it was when the option was chosen:
        # with the same value kept, the text would still name the old application.
        select.mutate_reactive(Select.value)  # type: ignore[misc]

    def _mount_called_select(
        self, options: list[tuple[Text, str]], chosen: str
    ) -> None:
        select = Select[str](
            options, value=chosen, allow_blank=False, compact=True, id="callerid-called"
        )
        self.query_one("#callerid-called-row").mount(
            select, before="#callerid-no-numbers"
        )

    def _default_called_number(self) -> OwnedNumber:
        # Only a number linked to an application previews an answer_url request.
        linked = (n for n in self._owned if (n.app_id or "") in self._applications)
        return next(linked, self._owned[0])

    def _called_select(self) -> Select[str] | None:
        selects = self.query("#callerid-called").results(Select)
        return next(iter(selects), None)

    def _called_number_label(self, number: OwnedNumber) -> Text:
        label = self._application_labels.get(number.app_id or "")
        linked = visible_text(label) if label is not None else "no application"
        return Text.assemble(f"{number.msisdn} ({number.country}) → ", linked)

    def _show_direction_rows(self) -> None:
        inbound = self.direction == Direction.INBOUND
        self.query_one("#callerid-region-row").display = not inbound
        self.query_one("#callerid-called-row").display = inbound
        self.query_one("#callerid-no-numbers").display = not self._owned
        select = self._called_select()
        if select is not None:
            select.display = bool(self._owned)
