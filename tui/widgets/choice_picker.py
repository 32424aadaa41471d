"""A one-line field showing one of a few options, with a list that opens under it.

Use `ChoicePicker` for a short, fixed set of options, such as a filter's, and handle
`ChoicePicker.Changed`. Enter, space, the down arrow or a click opens `ChoiceList`
below the field; the arrows move in it, and Enter or a click chooses.
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
    """The options of a `ChoicePicker`, listed at `region`'s left, just under it.

    The list is at least as wide as the field.

    Dismisses with the chosen value, or None on Escape or a click outside the list.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", tooltip="Keep the choice as it was"),
    ]
    DEFAULT_CSS = """
    ChoiceList {
        align: left top;
        background: transparent;
    }
    ChoiceList > OptionList {
        width: auto;
        height: auto;
        border: none;
        padding: 0;
        background: $panel;
        &:focus {
            border: none;
            background-tint: transparent;
        }
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
        yield OptionList(
            *(Option(Content(label), id=value) for label, value in self._choices)
        )

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.styles.offset = (self._field.x, self._field.bottom)
        options.styles.min_width = self._field.width
        values = [value for _, value in self._choices]
        options.highlighted = values.index(self._value)
        options.focus()

    @on(OptionList.OptionSelected)
    def choose(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def on_click(self, event: events.Click) -> None:
        # A click on the list chooses through OptionSelected, and one beside it cancels.
        if event.widget is self:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ChoicePicker(Widget, can_focus=True):
    """A one-line field showing the chosen option, with an arrow to open the list."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter,space,down",
            "choose",
            "Choose",
            show=False,
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
