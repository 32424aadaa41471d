"""The row under the header that names every mode and the key that opens it."""

from __future__ import annotations

from textual.binding import Binding
from textual.content import Content
from textual.widgets import Static

SWITCH_MODE_ACTION = "switch_mode('{mode}')"


class ModeBar(Static):
    """Every mode of the app with its key; the current mode is bold and reversed.

    The entries come from the app's own bindings, so a new mode or a remapped key
    shows here without a change to this widget.
    """

    DEFAULT_CSS = """
    ModeBar {
        height: 1;
        padding: 0 1;
        background: $panel;
    }
    """

    def __init__(self, current_mode: str, bindings: list[Binding]) -> None:
        super().__init__(_describe_modes(current_mode, bindings))


def _describe_modes(current_mode: str, bindings: list[Binding]) -> Content:
    parts: list[Content] = []
    for binding in bindings:
        if not binding.action.startswith("switch_mode("):
            continue
        key = binding.key.split(",")[0].upper()
        label = Content(f" {key} {binding.description} ")
        if binding.action == SWITCH_MODE_ACTION.format(mode=current_mode):
            label = label.stylize("reverse bold")
        parts.append(label)
    return Content(" ").join(parts)
