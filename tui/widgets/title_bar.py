"""The top of every screen: the screen's title and the account, and the modes."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.widget import Widget

ICON = "⭘"
# Textual's header keeps these columns for its icon and its clock, which centres
# the title on the screen. The right ones stay blank here.
ICON_WIDTH = 8
RIGHT_WIDTH = 10
SWITCH_MODE_ACTION = "switch_mode('{mode}')"


class TitleBar(Widget, can_focus=False):
    """A line with the screen's title, its sub-title and the palette icon.

    It draws what Textual's header draws, as a single widget instead of four.
    Clicking the icon opens the command palette. Given the app's mode bindings,
    a second line names every mode with its key, the current one bold and
    reversed. One widget draws both lines, because each widget on the first
    screen adds to the app's start-up.
    """

    ALLOW_SELECT = False
    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        width: 100%;
        height: 1;
        background: $panel;
        color: $foreground;
    }
    TitleBar.-with-modes {
        height: 2;
    }
    """

    def __init__(
        self, current_mode: str = "", mode_bindings: list[Binding] | None = None
    ) -> None:
        super().__init__()
        self._modes = (
            None
            if mode_bindings is None
            else describe_modes(current_mode, mode_bindings)
        )
        self.set_class(self._modes is not None, "-with-modes")

    def on_mount(self) -> None:
        for node in (self.app, self.screen):
            self.watch(node, "title", self._title_changed, init=False)
            self.watch(node, "sub_title", self._title_changed, init=False)

    def _title_changed(self) -> None:
        self.refresh()

    @property
    def title_text(self) -> Text:
        """The screen's title and sub-title, read as plain text."""
        title = self.screen.title
        sub_title = self.screen.sub_title
        text = Text(self.app.title if title is None else title)
        sub_title = self.app.sub_title if sub_title is None else sub_title
        if sub_title:
            text.append(" — ", "dim")
            text.append(sub_title, "dim")
        return text

    def render(self) -> Text:
        title_width = max(0, self.size.width - ICON_WIDTH - RIGHT_WIDTH)
        title = self.title_text
        title.truncate(title_width, overflow="ellipsis")
        title.align("center", title_width)
        line = Text(f" {ICON}".ljust(ICON_WIDTH), no_wrap=True, end="")
        line.append_text(title)
        line.append(" " * RIGHT_WIDTH)
        if self._modes is not None:
            line.append("\n")
            line.append_text(self._modes)
        return line

    def on_mouse_move(self, event: events.MouseMove) -> None:
        on_icon = event.x < ICON_WIDTH and event.y == 0
        self.tooltip = "Open the command palette" if on_icon else None

    async def on_click(self, event: events.Click) -> None:
        on_icon = event.x < ICON_WIDTH and event.y == 0
        if on_icon and self.app.ENABLE_COMMAND_PALETTE:
            event.stop()
            await self.run_action("app.command_palette")


def describe_modes(current_mode: str, bindings: list[Binding]) -> Text:
    """Name the mode of each `switch_mode` binding with its key, as in ` F2 Search `."""
    line = Text(" ", no_wrap=True, end="")
    for binding in bindings:
        if not binding.action.startswith("switch_mode("):
            continue
        if len(line) > 1:
            line.append(" ")
        key = binding.key.split(",")[0].upper()
        current = binding.action == SWITCH_MODE_ACTION.format(mode=current_mode)
        line.append(f" {key} {binding.description} ", "reverse bold" if current else "")
    return line
