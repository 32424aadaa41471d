"""The line at the top of every screen: the screen's title and the account."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.widget import Widget

ICON = "⭘"
# Textual's header keeps these columns for its icon and its clock, which centres
# the title on the screen. The right ones stay blank here.
ICON_WIDTH = 8
RIGHT_WIDTH = 10


class TitleBar(Widget, can_focus=False):
    """One line with the screen's title, its sub-title, and the palette icon.

    It draws what Textual's header draws, as a single widget instead of four.
    Clicking the icon opens the command palette.
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
    """

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
        return line

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self.tooltip = "Open the command palette" if event.x < ICON_WIDTH else None

    async def on_click(self, event: events.Click) -> None:
        if event.x < ICON_WIDTH and self.app.ENABLE_COMMAND_PALETTE:
            event.stop()
            await self.run_action("app.command_palette")
