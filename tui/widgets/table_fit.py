"""Fitting a table's last column into the width its other columns leave."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

# The narrowest a last column gets, however little room the others leave.
MIN_LAST_COLUMN_WIDTH = 12


def width_left(table: DataTable[Text], screen_width: int, widths: list[int]) -> int:
    """Return the cells left for the last column of `table` on a screen this wide.

    `widths` are the other columns' widths. Each column has one cell of padding on
    either side, and the vertical scrollbar keeps its room, so that no row needs a
    horizontal scrollbar.
    """
    padding = 2 * (len(widths) + 1)
    scrollbar = table.styles.scrollbar_size_vertical
    left = screen_width - sum(widths) - padding - scrollbar
    return max(left, MIN_LAST_COLUMN_WIDTH)


def shortened(text: Text, width: int) -> Text:
    """Cut `text` to `width` cells, ending with an ellipsis where it was cut."""
    text.truncate(width, overflow="ellipsis")
    return text
