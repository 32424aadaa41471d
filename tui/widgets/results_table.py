"""A table of available numbers: one row a number, keyed by msisdn."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import events
from textual.message import Message
from textual.widgets import DataTable

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
COLUMNS = (
    ("Number", "msisdn"),
    ("Country", "country"),
    ("Type", "type"),
    ("Features", "features"),
    (COST_HEADER, "cost"),
)


class AvailableNumbersTable(DataTable[Text]):
    """Available numbers with country, type, features and monthly cost, a row each."""

    class Resized(Message):
        """The table's size changed, so a different number of rows may fit."""

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(
            cursor_type="row", zebra_stripes=True, name=name, id=id, classes=classes
        )
        self._numbers: list[AvailableNumber] = []

    def on_mount(self) -> None:
        # Headers given as Text skip Rich's markup parser and its emoji table.
        for header, key in COLUMNS:
            self.add_column(Text(header), key=key)

    def on_resize(self, event: events.Resize) -> None:
        self.post_message(self.Resized())

    @property
    def rows_that_fit(self) -> int:
        """How many rows show under the header without scrolling, perhaps none."""
        return max(0, self.scrollable_content_region.height - self.header_height)

    @property
    def numbers(self) -> Sequence[AvailableNumber]:
        """The numbers shown, top row first."""
        return tuple(self._numbers)

    @property
    def selected_number(self) -> AvailableNumber | None:
        """The number under the cursor, or None when the table is empty."""
        if not self._numbers:
            return None
        return self._numbers[self.cursor_row]

    def show_numbers(
        self, numbers: Sequence[AvailableNumber], cursor_row: int = 0
    ) -> None:
        """Replace the rows and put the cursor on `cursor_row`, or the last row if fewer."""
        self.clear()
        self._numbers = list(numbers)
        for number in self._numbers:
            # DataTable parses str cells as markup, so every cell is a Text.
            self.add_row(
                Text(number.msisdn),
                Text(number.country),
                Text(number.type.label),
                Text(feature_names(number)),
                Text(monthly_cost(number).rjust(len(COST_HEADER))),
                key=number.msisdn,
            )
        if self._numbers:
            self.move_cursor(row=min(cursor_row, len(self._numbers) - 1))
