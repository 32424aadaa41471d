"""The line under a list: which rows show, and the paging keys on the right."""

from __future__ import annotations

from typing import ClassVar

from textual.content import Content
from textual.widget import Widget


class PagingLine(Widget, can_focus=False):
    """One line with the range shown on the left and the keys, dimmed, on the right.

    It draws as one widget what a row of two labels would, because each widget
    on the first screen adds to the app's start-up. When the line is too narrow
    for both, the range gives way to the keys.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"paging-line--keys"}
    DEFAULT_CSS = """
    PagingLine {
        height: 1;
        padding: 0 1;
    }
    PagingLine > .paging-line--keys {
        color: $text-muted;
    }
    """

    def __init__(self, keys: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._range = Content("")
        self._keys = Content(keys)

    @property
    def range_text(self) -> str:
        """The range shown, such as `1-16 of 45,000 · page 1 of 2,813`."""
        return self._range.plain

    @property
    def keys_text(self) -> str:
        """The paging keys shown."""
        return self._keys.plain

    def show_range(self, text: str) -> None:
        self._range = Content(text)
        self.refresh()

    def show_keys(self, text: str) -> None:
        self._keys = Content(text)
        self.refresh()

    def render(self) -> Content:
        width = self.content_size.width
        keys = self._keys.truncate(width)
        keys = keys.stylize(self.get_visual_style("paging-line--keys"))
        # At least one space keeps the range apart from the keys.
        room = max(0, width - keys.cell_length - 1)
        shown_range = self._range.truncate(room, ellipsis=True)
        gap = " " * (width - shown_range.cell_length - keys.cell_length)
        return Content.assemble(shown_range, gap, keys)
