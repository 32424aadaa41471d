"""The footer of every screen and dialog: the keys that work where the focus is."""

from __future__ import annotations

from typing import ClassVar, NamedTuple, Protocol, runtime_checkable

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget

SEPARATOR = "▏"


@runtime_checkable
class LabelsItsKeys(Protocol):
    """A screen whose keys take their names from what it shows, such as its buttons."""

    def key_label(self, binding: Binding) -> str:
        """Return the name the footer gives to `binding`."""
        ...


class ShownKey(NamedTuple):
    """A key as the footer draws it."""

    key: str
    display: str
    description: str
    tooltip: str
    enabled: bool


class KeySpan(NamedTuple):
    """The columns of the footer line that one key takes."""

    start: int
    end: int
    key: ShownKey


class KeyFooter(Widget, can_focus=False):
    """One line of keys, drawn as text and redrawn only when the keys change.

    It shows the same keys as Textual's footer, the command palette's on the
    right, but as a single widget: Textual's footer mounts a widget for each
    key and builds them all again whenever the bindings may have changed. A key
    runs when clicked, and its tooltip shows on hover. Keys that do not fit the
    width are left out whole.
    """

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "key-footer--key",
        "key-footer--description",
        "key-footer--hover",
        "key-footer--separator",
    }
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        & > .key-footer--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .key-footer--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .key-footer--hover {
            background: $block-hover-background;
        }
        & > .key-footer--separator {
            color: $foreground 20%;
        }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.keys: tuple[ShownKey, ...] = ()
        self.palette_key: ShownKey | None = None
        self._spans: list[KeySpan] = []
        self._hovered: ShownKey | None = None
        self._check_pending = False

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        # While the terminal has lost the focus, no widget has it either: keep the
        # keys that work once it comes back. Several changes can arrive between
        # two frames: look once, after them.
        if not screen.app.app_focus:
            return
        if screen is self.screen and not self._check_pending:
            self._check_pending = True
            self.call_after_refresh(self._show_current_keys)

    def _show_current_keys(self) -> None:
        self._check_pending = False
        if not self.is_attached:
            return
        keys, palette_key = self._keys_to_show(self.screen)
        if (keys, palette_key) != (self.keys, self.palette_key):
            self.keys, self.palette_key = keys, palette_key
            self.refresh()

    def _keys_to_show(
        self, screen: Screen[object]
    ) -> tuple[tuple[ShownKey, ...], ShownKey | None]:
        """Return the screen's shown keys, one per action, and the palette's key."""
        palette_binding_key = self.app.COMMAND_PALETTE_BINDING
        keys: dict[str, ShownKey] = {}
        palette_key = None
        for key, (_, binding, enabled, tooltip) in screen.active_bindings.items():
            shown = ShownKey(
                binding.key,
                self.app.get_key_display(binding),
                _label(screen, binding),
                tooltip or binding.tooltip or binding.description,
                enabled,
            )
            if key == palette_binding_key and self.app.ENABLE_COMMAND_PALETTE:
                palette_key = shown
            elif binding.show:
                keys.setdefault(binding.action, shown)
        return tuple(keys.values()), palette_key

    def render(self) -> Text:
        width = self.size.width
        right = self._palette_text()
        line = Text(no_wrap=True, overflow="crop", end="")
        self._spans = []
        for key in self.keys:
            text = self._key_text(key)
            if line.cell_len + text.cell_len + right.cell_len > width:
                break
            start = line.cell_len
            self._spans.append(KeySpan(start, start + text.cell_len, key))
            line.append_text(text)
        line.append(" " * max(0, width - line.cell_len - right.cell_len))
        if self.palette_key is not None and right.cell_len:
            start = line.cell_len + len(SEPARATOR)
            end = line.cell_len + right.cell_len
            self._spans.append(KeySpan(start, end, self.palette_key))
        line.append_text(right)
        return line

    def _key_text(self, key: ShownKey) -> Text:
        key_style = self.get_component_rich_style("key-footer--key")
        description_style = self.get_component_rich_style("key-footer--description")
        extra = Style(dim=not key.enabled)
        if key == self._hovered:
            extra += self.get_component_rich_style("key-footer--hover", partial=True)
        return Text.assemble(
            (f" {key.display} ", key_style + extra),
            (f"{key.description} ", description_style + extra),
        )

    def _palette_text(self) -> Text:
        if self.palette_key is None:
            return Text()
        separator_style = self.get_component_rich_style("key-footer--separator")
        return Text.assemble(
            (SEPARATOR, separator_style), self._key_text(self.palette_key)
        )

    def _key_at(self, x: int) -> ShownKey | None:
        for span in self._spans:
            if span.start <= x < span.end:
                return span.key
        return None

    def on_mouse_down(self, event: events.MouseDown) -> None:
        key = self._key_at(event.x)
        if key is None:
            return
        if key.enabled:
            self.app.simulate_key(key.key)
        else:
            self.app.bell()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._hover(self._key_at(event.x))

    def on_leave(self) -> None:
        self._hover(None)

    def _hover(self, key: ShownKey | None) -> None:
        if key != self._hovered:
            self._hovered = key
            self.tooltip = key.tooltip if key else None
            self.refresh()


def _label(screen: Screen[object], binding: Binding) -> str:
    if isinstance(screen, LabelsItsKeys):
        return screen.key_label(binding)
    return binding.description
