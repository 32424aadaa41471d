"""The Search screen: find available numbers with filters and rent one."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import ClassVar

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Static

from domain.account import Account
from domain.errors import InvalidInput
from domain.numbers import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    AvailableNumber,
    Feature,
    NumberType,
    OwnedNumber,
    Page,
    PatternMatch,
    SearchQuery,
    pattern_digits,
)
from tui.screens.base import ModeScreen
from tui.widgets.choice_picker import ChoicePicker
from tui.widgets.country_picker import CountryPicker
from tui.widgets.marked_checkbox import MarkedCheckbox
from tui.widgets.paging_line import PagingLine
from tui.widgets.results_table import AvailableNumbersTable, monthly_cost

ANY_TYPE = "any"

TYPE_OPTIONS: list[tuple[str, str]] = [
    ("any type", ANY_TYPE),
    *((number_type.label, number_type.value) for number_type in NumberType),
]
MATCH_OPTIONS: list[tuple[str, str]] = [
    (match.label, match.value) for match in PatternMatch
]
# The keys under the results, each with the name and character Textual gives it.
PAGING_KEYS = (
    ("left_square_bracket", "[", "[ previous"),
    ("right_square_bracket", "]", "] next"),
    ("slash", "/", "/ country"),
)
# The lines of the screen above and below the results table's rows at 80 columns.
LINES_AROUND_RESULTS = 8
# Seconds after the last key in the pattern before it is searched for, so that a
# quickly typed pattern runs one search, not one per digit.
PATTERN_DELAY = 0.3


def paging_keys(focused: Widget | None, has_results: bool = True) -> str:
    """Return the keys under the results that work while `focused` has the focus.

    A field takes the paging keys as text, so under a field none of them shows.
    From a filter, Escape goes back to the results, and the country key, meant for
    the results, gives way to it. Without results there is nothing to page.
    """
    in_filters = focused is not None and focused.id != "results"
    hints = [
        hint
        for key, character, hint in PAGING_KEYS
        if focused is None or not focused.check_consume_key(key, character)
        if not (in_filters and key == "slash")
        if has_results or key == "slash"
    ]
    return "  ".join(["esc results", *hints] if in_filters and has_results else hints)


class FeatureCheckbox(MarkedCheckbox):
    """The checkbox of one feature that the numbers found must have."""

    def __init__(self, feature: Feature) -> None:
        super().__init__(feature.value, compact=True, id=f"feature-{feature.value}")


class SearchScreen(ModeScreen):
    """Available numbers of one country, filtered by type, features and pattern.

    Any filter change runs the search again from the first page. A pattern runs it
    `PATTERN_DELAY` seconds after the last key typed, or at once on Enter. Enter or
    `r` on a result opens the rent dialog, and `/` opens the country dialog.
    """

    TITLE = "Search"
    # The results take the focus as the screen opens, before its first frame.
    AUTO_FOCUS = "#results"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "rent", "Rent", id="rent", tooltip="Rent the selected number"),
        # The results table sends Enter as a row selection, which rents too: this
        # binding lists Enter in the help, and applies where no field takes Enter.
        Binding(
            "enter",
            "rent",
            "Rent",
            id="rent_enter",
            show=False,
            tooltip="Rent the selected number",
        ),
        Binding(
            "left_square_bracket",
            "previous_page",
            "Previous page",
            id="previous_page",
            show=False,
            tooltip="Show the previous page of results",
        ),
        Binding(
            "right_square_bracket",
            "next_page",
            "Next page",
            id="next_page",
            show=False,
            tooltip="Show the next page of results",
        ),
        # A priority key, so that / opens the chooser from the pattern field too,
        # because the advice for another country's pattern tells the user to press
        # it there. Patterns need no /.
        Binding(
            "slash",
            "choose_country",
            "Country",
            id="choose_country",
            show=False,
            priority=True,
            tooltip="Find the country to search by name or code",
        ),
        Binding(
            "escape",
            "focus_results",
            "Results",
            id="focus_results",
            show=False,
            tooltip="Move from the filters to the results",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._query: SearchQuery | None = None
        self._page: Page[AvailableNumber] | None = None
        self._pattern_timer: Timer | None = None
        # The last search started, on the page it requested.
        self._requested: SearchQuery | None = None
        # A page has as many numbers as the results table shows rows.
        self._page_size = DEFAULT_PAGE_SIZE
        self._suspended = False

    def compose_body(self) -> ComposeResult:
        with Horizontal(classes="filter-row"):
            yield Label("Country", classes="filter-label")
            yield CountryPicker(self.numdesk.default_country, id="country")
            yield Label("Type", classes="filter-label")
            yield ChoicePicker(TYPE_OPTIONS, ANY_TYPE, id="type")
        with Horizontal(classes="filter-row", id="feature-row"):
            yield Label("Features", classes="filter-label")
            for feature in Feature:
                yield FeatureCheckbox(feature)
            yield Label("Pattern", classes="filter-label")
            yield Input(
                placeholder="digits",
                max_length=15,
                compact=True,
                select_on_focus=False,
                id="pattern",
            )
            yield ChoicePicker(MATCH_OPTIONS, PatternMatch.STARTS.value, id="match")
        yield Static("", id="pattern-error", markup=False)
        yield AvailableNumbersTable(id="results")
        yield Static("", id="no-results", markup=False)
        # The footer has no room for the paging keys at 80 columns, so they show here.
        yield PagingLine(paging_keys(None), id="paging")

    def on_mount(self) -> None:
        self.query_one("#pattern-error").display = False
        self.query_one("#no-results").display = False
        # The table's height is known only after the first layout, so the first page
        # is sized from the terminal's height. That usually fits, and if it does not,
        # the table's resize searches again.
        self._page_size = max(1, self.app.size.height - LINES_AROUND_RESULTS)
        self.search_from_filters()

    def watch_focused(self, focused: Widget | None) -> None:
        for line in self.query("#paging").results(PagingLine):
            line.show_keys(paging_keys(focused, self._has_results))

    def on_screen_suspend(self) -> None:
        self._suspended = True

    def on_screen_resume(self) -> None:
        # Other screens and processes rent and cancel numbers while this screen is
        # hidden, so the page and the balance may be out of date. When the screen
        # first shows, the search that mounting started is new.
        if not self._suspended:
            return
        self._suspended = False
        self.numdesk.refresh_account_status()
        self.reload_results()

    def refresh_data(self) -> None:
        self.reload_results()

    @property
    def page(self) -> Page[AvailableNumber] | None:
        """The page of results shown, or None before the first search succeeds."""
        return self._page

    @property
    def results(self) -> AvailableNumbersTable:
        """The results table."""
        return self.query_one("#results", AvailableNumbersTable)

    def query_from_filters(self) -> SearchQuery:
        """Build the first-page query that the filters describe.

        Raises:
            InvalidInput: the pattern is not digits only.
        """
        type_value = self.query_one("#type", ChoicePicker).value
        features = frozenset(
            feature
            for feature in Feature
            if self.query_one(f"#feature-{feature.value}", Checkbox).value
        )
        return SearchQuery(
            country=self.query_one("#country", CountryPicker).value,
            type=None if type_value == ANY_TYPE else NumberType(type_value),
            features=features,
            pattern=pattern_digits(self.query_one("#pattern", Input).value),
            match=PatternMatch(self.query_one("#match", ChoicePicker).value),
            size=self._page_size,
        )

    def search_from_filters(self, *, focus: bool = False) -> None:
        """Search from the first page with the filters as they are now.

        With `focus`, the results take the focus once they list numbers.
        """
        self._stop_pattern_timer()
        try:
            query = self.query_from_filters()
        except InvalidInput as error:
            self._show_pattern_error(error)
            return
        self._show_pattern_error(None)
        self._run(query, focus=focus)

    def reload_results(self) -> None:
        """Run the last search again on the same page, keeping the cursor's row."""
        if self._query is None:
            return
        self._run(self._query, keep_cursor=True)

    def go_to_page(self, index: int) -> None:
        """Show page `index` (from 1) of the last search."""
        if self._query is not None:
            self._run(replace(self._query, index=index))

    @on(CountryPicker.Changed, "#country")
    @on(ChoicePicker.Changed, "#type, #match")
    @on(Checkbox.Changed)
    def search_with_new_filters(self) -> None:
        # A filter set before the first search, or back to the values it used,
        # needs no search of its own.
        if self._requested is None:
            return
        try:
            unchanged = self.query_from_filters() == replace(self._requested, index=1)
        except InvalidInput:
            unchanged = False
        if not unchanged:
            self.search_from_filters()

    @on(AvailableNumbersTable.Resized)
    def fit_page_to_table(self) -> None:
        """Make a page as long as the table, keeping the cursor's number in view."""
        rows = self._rows_for_a_page()
        if rows == self._page_size and self._requested is not None:
            return
        self._page_size = rows
        if self._requested is None:
            self.search_from_filters()
            return

        is_shown = self._requested == self._query
        cursor_row = self.results.cursor_row if is_shown else 0
        position = self._requested.offset + cursor_row
        query = replace(self._requested, size=rows, index=position // rows + 1)
        self._run(query, cursor_row=position % rows)

    def _rows_for_a_page(self) -> int:
        """Count the table's rows as if the account note above it were hidden.

        The note shows while a search waits for Vonage, so counting its line would
        shorten the page and start another search. Both heights come from the same
        layout.
        """
        note = self.query_one("#account-note").region.height
        return max(1, min(self.results.rows_that_fit + note, MAX_PAGE_SIZE))

    @on(Input.Changed, "#pattern")
    def search_typed_pattern_later(self) -> None:
        """Check the pattern at each key and search for it once typing pauses."""
        self._stop_pattern_timer()
        try:
            self.query_from_filters()
        except InvalidInput as error:
            self._show_pattern_error(error)
            return
        self._show_pattern_error(None)
        self._pattern_timer = self.set_timer(PATTERN_DELAY, self.search_typed_pattern)

    def search_typed_pattern(self) -> None:
        """Search for the typed pattern unless the results already show it."""
        self._pattern_timer = None
        try:
            query = self.query_from_filters()
        except InvalidInput as error:
            self._show_pattern_error(error)
            return
        if not self._shows_results_of(query):
            self._run(query)

    def _shows_results_of(self, query: SearchQuery) -> bool:
        # Any page of the same search counts, so that a pattern typed and erased
        # again leaves the user on the page they were reading.
        if self._query is None:
            return False
        return replace(query, index=self._query.index) == self._query

    @on(Input.Submitted, "#pattern")
    def search_pattern(self) -> None:
        self.search_from_filters(focus=True)

    @on(AvailableNumbersTable.RowSelected, "#results")
    def rent_selected_number(self) -> None:
        self.action_rent()

    def action_rent(self) -> None:
        if self.app.screen is not self:
            # A second Enter typed quickly would otherwise open a second dialog.
            return
        number = self.results.selected_number
        if number is None:
            self.notify(
                "No number is selected: change the filters until numbers are listed.",
                severity="warning",
                markup=False,
            )
            return
        from tui.dialogs.rent import RentDialog

        self.app.push_screen(RentDialog(number, self.account), self._finish_rent)

    def action_next_page(self) -> None:
        if self._page is not None and self._page.has_next:
            self.go_to_page(self._page.index + 1)
        else:
            self.notify("This is the last page.", markup=False)

    def action_previous_page(self) -> None:
        if self._page is not None and self._page.has_previous:
            self.go_to_page(self._page.index - 1)
        else:
            self.notify("This is the first page.", markup=False)

    def action_choose_country(self) -> None:
        self.query_one("#country", CountryPicker).open_chooser()

    def action_focus_filters(self) -> None:
        self.query_one("#country").focus()

    def action_focus_results(self) -> None:
        if self.results.display:
            self.results.focus()

    def _open_choices(self, picker_id: str) -> None:
        picker = self.query_one(picker_id, ChoicePicker)
        picker.focus()
        picker.action_choose()

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand(
            "Rent selected number",
            "Open the rent dialog for the highlighted result (r or Enter)",
            self.action_rent,
        )
        yield SystemCommand(
            "Next page", "Show the next page of results (])", self.action_next_page
        )
        yield SystemCommand(
            "Previous page",
            "Show the previous page of results ([)",
            self.action_previous_page,
        )
        yield SystemCommand(
            "Choose country",
            "Find the country to search by name or code (/)",
            self.action_choose_country,
        )
        yield SystemCommand(
            "Choose number type",
            "Open the list of number types to search for",
            lambda: self._open_choices("#type"),
        )
        yield SystemCommand(
            "Choose pattern match",
            "Open the list of ways the pattern matches",
            lambda: self._open_choices("#match"),
        )
        yield SystemCommand(
            "Focus filters", "Move to the country filter", self.action_focus_filters
        )
        yield SystemCommand(
            "Focus pattern",
            "Move to the number pattern",
            self.query_one("#pattern").focus,
        )
        yield SystemCommand(
            "Focus results", "Move to the results table", self.results.focus
        )

    def _run(
        self,
        query: SearchQuery,
        *,
        keep_cursor: bool = False,
        cursor_row: int = 0,
        focus: bool = False,
    ) -> None:
        """Search with `query` and show the page it finds.

        The cursor goes to `cursor_row`, or with `keep_cursor` stays on the row it
        is on when the page arrives. With `focus`, the results take the focus if the
        page has numbers.
        """
        account = self.account
        self._requested = query
        self.read_account(
            lambda: _search_existing_page(account, query),
            lambda found: self._show_found(
                *found,
                cursor_row=self.results.cursor_row if keep_cursor else cursor_row,
                focus=focus,
            ),
            "Search failed",
            group="search",
        )

    def _show_found(
        self,
        query: SearchQuery,
        page: Page[AvailableNumber],
        *,
        cursor_row: int,
        focus: bool,
    ) -> None:
        # Pages of older searches are dropped, so this is the latest request, or the
        # new last page when the page requested has emptied since.
        self._query = self._requested = query
        self._page = page
        self._show_page(page, query, cursor_row)
        if focus and page.items:
            self.results.focus()

    def _show_page(
        self, page: Page[AvailableNumber], query: SearchQuery, cursor_row: int
    ) -> None:
        self.results.show_numbers(page.items, cursor_row)
        self.results.display = bool(page.items)

        no_results = self.query_one("#no-results", Static)
        no_results.display = not page.items
        if not page.items:
            written = self.query_one("#pattern", Input).value
            # The advice reads phonenumbers' metadata, which start-up does not load.
            from domain.search_hints import describe_no_results

            no_results.update(describe_no_results(query, written))

        range_text = (
            f"{page.range_label()} · page {page.index:,} of {page.page_count:,}"
            if page.items
            else "0 numbers"
        )
        paging = self.query_one("#paging", PagingLine)
        paging.show_range(range_text)
        paging.show_keys(paging_keys(self.focused, self._has_results))
        self.refresh_bindings()

    @property
    def _has_results(self) -> bool:
        return self._page is None or bool(self._page.items)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Renting and paging need results: without them, their keys leave the footer.
        if action in ("rent", "next_page", "previous_page"):
            return self._has_results
        return True

    def _stop_pattern_timer(self) -> None:
        if self._pattern_timer is not None:
            self._pattern_timer.stop()
            self._pattern_timer = None

    def _show_pattern_error(self, error: InvalidInput | None) -> None:
        message = self.query_one("#pattern-error", Static)
        message.display = error is not None
        message.update(
            f"{error} The list shows the last valid search." if error else ""
        )
        self.query_one("#pattern", Input).set_class(error is not None, "-invalid")

    def _finish_rent(self, owned: OwnedNumber | None) -> None:
        if owned is None:
            # Resuming reloads the page, which drops a number the dialog found taken.
            return
        self.notify(
            f"Rented {owned.msisdn} for {monthly_cost(owned)} EUR a month.",
            title="Rented",
            markup=False,
        )
        self.numdesk.refresh_account_status()
        self.reload_results()


def _search_existing_page(
    account: Account, query: SearchQuery
) -> tuple[SearchQuery, Page[AvailableNumber]]:
    """Search with `query`, or for the new last page if that page has emptied.

    The search runs in a thread for a live account, so it touches no widget.
    """
    page = account.search(query)
    if page.index > page.page_count:
        query = replace(query, index=page.page_count)
        page = account.search(query)
    return query, page
