"""A one-line field showing one of a few options, with a list that opens under it.

Use `ChoicePicker` for a short, fixed set of options, such as a filter's, and handle
`ChoicePicker.Changed`. Enter, space, an arrow or a click opens `ChoiceList` below the
field. The arrows or a letter move in it, and Enter or a click chooses.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import OptionList
from textual.widgets.option_list import Option

# A choice: the label shown, then the value it selects.
Choice = tuple[str, str]
ARROW = "▼"
# The keys that open the list, as Textual names them.
OPENING_KEYS = ("enter", "space", "down", "up")


class ChoiceList(ModalScreen[str | None]):
    """The options of a `ChoicePicker`, listed under the field.

    Dismisses with the chosen value, or None on Escape or a click outside the list.
    The screen takes the keys itself, with no focused widget, so the arrows, a
    letter and Enter work from the moment it opens.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", tooltip="Keep the choice as it was"),
        Binding("up", "move_highlight(-1)", "Up", show=False),
        Binding("down", "move_highlight(1)", "Down", show=False),
        Binding(
            "enter",
            "choose",
            "Choose",
            tooltip="Choose the highlighted option (a letter moves to the next match)",
        ),
    ]
    DEFAULT_CSS = """
    ChoiceList {
        align: left top;
        background: transparent;
    }
    ChoiceList > OptionList {
        width: auto;
        height: auto;
        border: round $primary;
        padding: 0;
        background: $panel;
        & > .option-list--option-highlighted {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
            text-style: bold;
        }
    }
    """

    def __init__(
        self, choices: Sequence[Choice], value: str, field: ChoicePicker
    ) -> None:
        super().__init__()
        self._choices = list(choices)
        self._field_screen = field.screen
        self._field = field.region
        # The highlighted option, kept here because keys typed in the burst that
        # opened the list can arrive before the option list is mounted.
        self._highlighted = self._values.index(value)
        # A choice made by such keys before the list showed, applied as it shows.
        self._closed_early = False
        self._early_result: str | None = None

    def compose(self) -> ComposeResult:
        options = OptionList(
            *(Option(Content(label), id=value) for label, value in self._choices)
        )
        options.can_focus = False
        yield options

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        # The border's corner sits left of the field, so the options start under it.
        options.styles.offset = (max(0, self._field.x - 1), self._field.bottom)
        options.styles.min_width = self._field.width + 2
        options.highlighted = self._highlighted
        if self._field_screen not in self.app.screen_stack:
            # A key of the same burst, such as F5, changed the app's mode before
            # the list showed, so it opened over another screen and closes.
            self.dismiss(None)
        elif self._closed_early:
            self.dismiss(self._early_result)

    @property
    def _values(self) -> list[str]:
        return [value for _, value in self._choices]

    def on_key(self, event: events.Key) -> None:
        if event.is_printable and event.character:
            event.stop()
            self._highlight_next_starting_with(event.character)

    def _highlight_next_starting_with(self, character: str) -> None:
        """Move to the next option whose label starts with `character`, going round."""
        count = len(self._choices)
        for step in range(1, count + 1):
            index = (self._highlighted + step) % count
            if self._choices[index][0].casefold().startswith(character.casefold()):
                self._highlight(index)
                return

    def action_move_highlight(self, step: int) -> None:
        self._highlight(max(0, min(self._highlighted + step, len(self._choices) - 1)))

    def _highlight(self, index: int) -> None:
        self._highlighted = index
        if self.is_mounted:
            self.query_one(OptionList).highlighted = index

    def action_choose(self) -> None:
        self._close(self._values[self._highlighted])

    @on(OptionList.OptionSelected)
    def choose_clicked(self, event: OptionList.OptionSelected) -> None:
        self._close(event.option.id)

    def on_click(self, event: events.Click) -> None:
        # A click on the list chooses through OptionSelected, and one beside it cancels.
        if event.widget is self:
            self._close(None)

    def action_cancel(self) -> None:
        self._close(None)

    def take_key(self, key: str, character: str | None) -> bool:
        """Act on a key that the field received before the list was on top.

        Returns False for a key that the list has no use for, such as F5.
        """
        if key == "enter":
            self.action_choose()
        elif key == "escape":
            self.action_cancel()
        elif key in ("up", "down"):
            self.action_move_highlight(-1 if key == "up" else 1)
        elif character is not None and character.isprintable():
            self._highlight_next_starting_with(character)
        else:
            return False
        return True

    def _close(self, value: str | None) -> None:
        if self.is_current:
            self.dismiss(value)
        elif not self.is_mounted:
            self._closed_early = True
            self._early_result = value
        # Otherwise another screen is on top, and a click queued in the list as it
        # closed must not dismiss that screen.


class ChoicePicker(Widget, can_focus=True):
    """A one-line field showing the chosen option, with an arrow to open the list."""

    # The help lists this binding. `on_key` opens the list for these keys first.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            ",".join(OPENING_KEYS),
            "choose",
            "Choose",
            show=False,
            key_display="Enter/Space/↑↓",
            tooltip="Open the list of options",
        ),
    ]
    DEFAULT_CSS = """
    ChoicePicker {
        width: auto;
        height: 1;
        background: $surface;
    }
    /* Reverse video, as a focused Select has in numdesk, shows without colour. */
    ChoicePicker:focus {
        text-style: bold reverse;
    }
    """

    value: reactive[str] = reactive("", init=False)
    """The value of the chosen option."""

    class Changed(Message):
        """Posted when the picker's value changes, whether chosen or set."""

        def __init__(self, picker: ChoicePicker, value: str) -> None:
            super().__init__()
            self.picker = picker
            self.value = value

        @property
        def control(self) -> ChoicePicker:
            """The picker that changed."""
            return self.picker

    def __init__(
        self,
        choices: Sequence[Choice],
        value: str,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """Offer `choices` with `value` chosen.

        Raises:
            ValueError: `value` is not one of the choices.
        """
        super().__init__(name=name, id=id, classes=classes)
        self._choices = tuple(choices)
        self._list: ChoiceList | None = None
        self.set_reactive(ChoicePicker.value, self.validate_value(value))

    @property
    def label(self) -> str:
        """The words of the chosen option."""
        return next(label for label, value in self._choices if value == self.value)

    def validate_value(self, value: str) -> str:
        if value not in (choice_value for _, choice_value in self._choices):
            raise ValueError(f"{value!r} is not one of the options.")
        return value

    def watch_value(self) -> None:
        self.post_message(self.Changed(self, self.value))

    def get_content_width(self, container: Size, viewport: Size) -> int:
        # As wide as the longest option and the arrow, so choosing moves nothing.
        return max(len(label) for label, _ in self._choices) + 2 + len(ARROW)

    def render(self) -> Content:
        room = self.content_size.width - len(ARROW)
        return Content(f"{self.label.ljust(room)}{ARROW}")

    def on_click(self) -> None:
        self.action_choose()

    def action_choose(self) -> None:
        self._list = ChoiceList(self._choices, self.value, self)
        self.app.push_screen(self._list, self._set_chosen)

    def on_key(self, event: events.Key) -> None:
        # A burst of keys reaches this field before the bindings act on any of them.
        # So the key that opens the list opens it here, at once, and the keys after
        # it go to the list, even before the list is on top.
        if self._list is not None:
            if self._list.take_key(event.key, event.character):
                event.stop()
                event.prevent_default()
        elif event.key in OPENING_KEYS:
            event.stop()
            event.prevent_default()
            self.action_choose()

    def _set_chosen(self, value: str | None) -> None:
        self._list = None
        if value is not None:
            self.value = value
