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
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import OptionList
from textual.widgets.option_list import Option

# A choice: the label shown, then the value it selects.
Choice = tuple[str, str]
ARROW = "▼"


class ChoiceList(ModalScreen[str | None]):
    """The options of a `ChoicePicker`, listed under the field at `region`.

    Dismisses with the chosen value, or None on Escape or a click outside the list.
    The list keeps the keys, so the arrows, a letter and Enter work as it opens.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", tooltip="Keep the choice as it was"),
        Binding("up", "move_highlight(-1)", "Up", show=False),
        Binding("down", "move_highlight(1)", "Down", show=False),
        Binding("enter", "choose", "Choose", tooltip="Choose the highlighted option"),
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

    def __init__(self, choices: Sequence[Choice], value: str, region: Region) -> None:
        super().__init__()
        self._choices = list(choices)
        self._value = value
        self._field = region

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
        options.highlighted = self._values.index(self._value)

    @property
    def _values(self) -> list[str]:
        return [value for _, value in self._choices]

    def on_key(self, event: events.Key) -> None:
        if event.is_printable and event.character:
            event.stop()
            self._highlight_next_starting_with(event.character)

    def _highlight_next_starting_with(self, character: str) -> None:
        """Move to the next option whose label starts with `character`, going round."""
        options = self.query_one(OptionList)
        current = options.highlighted or 0
        count = len(self._choices)
        for step in range(1, count + 1):
            index = (current + step) % count
            if self._choices[index][0].casefold().startswith(character.casefold()):
                options.highlighted = index
                return

    def action_move_highlight(self, step: int) -> None:
        options = self.query_one(OptionList)
        current = options.highlighted or 0
        options.highlighted = max(0, min(current + step, len(self._choices) - 1))

    def action_choose(self) -> None:
        highlighted = self.query_one(OptionList).highlighted
        if highlighted is not None:
            self._close(self._values[highlighted])

    @on(OptionList.OptionSelected)
    def choose_clicked(self, event: OptionList.OptionSelected) -> None:
        self._close(event.option.id)

    def on_click(self, event: events.Click) -> None:
        # A click on the list chooses through OptionSelected, and one beside it cancels.
        if event.widget is self:
            self._close(None)

    def action_cancel(self) -> None:
        self._close(None)

    def _close(self, value: str | None) -> None:
        # A click queued in the list as it closed can arrive when another screen is
        # on top, and dismissing then would close that screen instead.
        if self.is_current:
            self.dismiss(value)


class ChoicePicker(Widget, can_focus=True):
    """A one-line field showing the chosen option, with an arrow to open the list."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter,space,down,up",
            "choose",
            "Choose",
            show=False,
            key_display="Enter / Space / ↑↓",
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
        self.app.push_screen(
            ChoiceList(self._choices, self.value, self.region), self._set_chosen
        )

    def _set_chosen(self, value: str | None) -> None:
        if value is not None:
            self.value = value
