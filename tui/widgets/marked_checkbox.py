"""A checkbox that reads without colour: its X shows only when it is checked."""

from __future__ import annotations

from textual.widgets import Checkbox


class MarkedCheckbox(Checkbox):
    """A checkbox whose mark shows only when checked.

    Textual's checkbox always draws its X and marks the states by colour only,
    which NO_COLOR and some terminals do not show.
    """

    def __init__(
        self,
        label: str = "",
        value: bool = False,
        *,
        id: str | None = None,
        compact: bool = False,
    ) -> None:
        super().__init__(label, value, id=id, compact=compact)
        self.BUTTON_INNER = self._mark()

    def watch_value(self) -> None:
        super().watch_value()
        self.BUTTON_INNER = self._mark()

    def _mark(self) -> str:
        return "X" if self.value else " "
