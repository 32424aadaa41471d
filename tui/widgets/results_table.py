"""A page of available numbers: one row a number, under a header row."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from domain.numbers import AvailableNumber, sort_features


def feature_names(number: AvailableNumber) -> str:
    """Return the number's features in the API's order, such as `SMS VOICE`."""
    return " ".join(sort_features(number.features))


def monthly_cost(number: AvailableNumber) -> str:
    """Return the monthly cost with two decimals, such as `0.90` (EUR).

    An owned number whose cost numdesk has not seen shows `-`.
    """
    if not number.cost_is_known:
        return "-"
    return f"{number.cost:.2f}"


COST_HEADER = "EUR/month"
HEADERS = ("Number", "Country", "Type", "Features", COST_HEADER)
# The space on each side of a cell, as in Textual's DataTable.
CELL_PADDING = 1


def row_cells(number: AvailableNumber) -> tuple[str, ...]:
    """Return the cells of a number's row, in the order of `HEADERS`."""
    return (
        number.msisdn,
        number.country,
        number.type.label,
        feature_names(number),
        monthly_cost(number).rjust(len(COST_HEADER)),
    )


class AvailableNumbersTable(Widget, can_focus=True):
    """Available numbers with country, type, features and monthly cost, a row each.

    Search reads one page at a time from the store, so the table holds only the
    rows it shows and draws each line itself, which costs far less at start-up than
    Textual's DataTable. It looks like a DataTable and moves its cursor with the
    same keys. A click moves the cursor, and Enter or a second click on the same
    row posts `RowSelected`.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        # Enter posts RowSelected, which the screen handles later, so a second Enter
        # of the same burst finds the rent dialog open and is ignored.
        Binding(
            "enter",
            "select_cursor",
            "Rent",
            show=False,
            tooltip="Rent the number under the cursor",
        ),
        Binding("up", "cursor_up", "Up", show=False),
        Binding("down", "cursor_down", "Down", show=False),
        Binding("home,pageup", "cursor_first", "First row", show=False),
        Binding("end,pagedown", "cursor_last", "Last row", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "results--header",
        "results--even-row",
        "results--cursor",
        "results--hover",
    }

    DEFAULT_CSS = """
    AvailableNumbersTable {
        background: $surface;
        color: $foreground;
        &:focus {
            background-tint: $foreground 5%;
            & > .results--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .results--header {
                background-tint: $foreground 5%;
            }
        }
        &:dark > .results--even-row {
            background: $surface-darken-1 40%;
        }
        & > .results--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .results--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .results--even-row {
            background: $surface-lighten-1 50%;
        }
        & > .results--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        & > .results--hover {
            background: $block-hover-background;
        }
    }
    """

    class Resized(Message):
        """The table's size changed, so a different number of rows may fit."""

    class RowSelected(Message):
        """The user chose the number under the cursor, by Enter or a second click."""

        def __init__(self, table: AvailableNumbersTable, number: AvailableNumber):
            super().__init__()
            self.table = table
            self.number = number

        @property
        def control(self) -> AvailableNumbersTable:
            return self.table

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._numbers: list[AvailableNumber] = []
        self._rows: list[tuple[str, ...]] = []
        self._widths = tuple(len(header) for header in HEADERS)
        self._cursor_row = 0
        self._hover_row: int | None = None

    def on_resize(self, event: events.Resize) -> None:
        self.post_message(self.Resized())

    @property
    def rows_that_fit(self) -> int:
        """How many rows show under the header, perhaps none."""
        return max(0, self.content_size.height - 1)

    @property
    def numbers(self) -> Sequence[AvailableNumber]:
        """The numbers shown, top row first."""
        return tuple(self._numbers)

    @property
    def row_count(self) -> int:
        return len(self._numbers)

    @property
    def cursor_row(self) -> int:
        """The row under the cursor, counted from 0 below the header."""
        return self._cursor_row

    @property
    def selected_number(self) -> AvailableNumber | None:
        """The number under the cursor, or None when the table is empty."""
        if not self._numbers:
            return None
        return self._numbers[self._cursor_row]

    def row_text(self, row: int) -> tuple[str, ...]:
        """Return the cells of a row as shown, without their padding."""
        return self._rows[row]

    def show_numbers(
        self, numbers: Sequence[AvailableNumber], cursor_row: int = 0
    ) -> None:
        """Replace the rows and put the cursor on `cursor_row`, or the last row if fewer."""
        self._numbers = list(numbers)
        self._rows = [row_cells(number) for number in self._numbers]
        self._widths = tuple(
            max([len(header), *(len(row[column]) for row in self._rows)])
            for column, header in enumerate(HEADERS)
        )
        self._hover_row = None
        self.move_cursor(cursor_row)

    def move_cursor(self, row: int) -> None:
        """Put the cursor on `row`, kept within the rows shown."""
        self._cursor_row = max(0, min(row, len(self._numbers) - 1))
        self.refresh()

    def action_cursor_up(self) -> None:
        self.move_cursor(self._cursor_row - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(self._cursor_row + 1)

    def action_cursor_first(self) -> None:
        self.move_cursor(0)

    def action_cursor_last(self) -> None:
        self.move_cursor(len(self._numbers) - 1)

    def action_select_cursor(self) -> None:
        number = self.selected_number
        if number is not None:
            self.post_message(self.RowSelected(self, number))

    def on_click(self, event: events.Click) -> None:
        row = self._row_at(event.y)
        if row is None:
            return
        if row == self._cursor_row:
            self.action_select_cursor()
        else:
            self.move_cursor(row)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._set_hover_row(self._row_at(event.y))

    def on_leave(self, event: events.Leave) -> None:
        self._set_hover_row(None)

    def _set_hover_row(self, row: int | None) -> None:
        if row != self._hover_row:
            self._hover_row = row
            self.refresh()

    def _row_at(self, y: int) -> int | None:
        row = y - 1
        return row if 0 <= row < len(self._numbers) else None

    def render_line(self, y: int) -> Strip:
        width = self.content_size.width
        if y == 0:
            return self._line(HEADERS, self.get_component_rich_style("results--header"))
        row = y - 1
        if row >= len(self._rows):
            return Strip.blank(width, self.rich_style)
        return self._line(self._rows[row], self._row_style(row))

    def _row_style(self, row: int) -> Style:
        style = self.rich_style
        if row % 2 == 0:
            style += self.get_component_rich_style("results--even-row")
        if row == self._hover_row:
            style += self.get_component_rich_style("results--hover")
        if row == self._cursor_row:
            style += self.get_component_rich_style("results--cursor")
        return style

    def _line(self, cells: Sequence[str], style: Style) -> Strip:
        padding = " " * CELL_PADDING
        segments = [
            Segment(f"{padding}{cell.ljust(cell_width)}{padding}", style)
            for cell, cell_width in zip(cells, self._widths, strict=True)
        ]
        width = self.content_size.width
        line = Strip(segments).crop(0, width)
        if line.cell_length < width:
            blank = Segment(" " * (width - line.cell_length), style)
            line = Strip([*line, blank])
        return line
