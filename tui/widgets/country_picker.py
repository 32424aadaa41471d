"""A field that shows the chosen country and a dialog that finds one by name or code.

Use `CountryPicker` in a form and handle `CountryPicker.Changed`. Its `value` is the
ISO 3166 alpha-2 code. Enter, space or a letter typed on the field opens
`CountryPickerScreen`, which filters `domain.countries.all_countries()` as the user types.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from domain.countries import (
    DEFAULT_COUNTRY,
    Country,
    find_country,
    match_countries,
)
from tui.widgets.key_footer import KeyFooter


class CountryPickerScreen(ModalScreen[str | None]):
    """A dialog that filters countries as the user types and returns the chosen code.

    Dismisses with the ISO code of the chosen country, or None on Escape.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="cancel_country"),
        Binding("up", "move_highlight(-1)", "Up", show=False),
        Binding("down", "move_highlight(1)", "Down", show=False),
        Binding("pageup", "move_highlight(-10)", "Page up", show=False),
        Binding("pagedown", "move_highlight(10)", "Page down", show=False),
    ]
    CSS_PATH = "country_picker.tcss"

    def __init__(self, current: str = DEFAULT_COUNTRY, filter_text: str = "") -> None:
        """Open with `current` highlighted and `filter_text` already typed."""
        super().__init__()
        self._current = current
        self._filter_text = filter_text
        self._matches: list[Country] = []
        self._mounted = False

    def compose(self) -> ComposeResult:
        with Vertical(id="country-dialog"):
            yield Label("Choose a country", id="country-title")
            yield Input(
                self._filter_text,
                placeholder="Name, code or calling code",
                select_on_focus=False,
                id="country-filter",
            )
            yield OptionList(id="country-options")
            yield Static("", id="country-no-match", markup=False)
            yield Label("↑↓ move · Enter choose · Esc cancel", id="country-keys")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#country-options", OptionList).can_focus = False
        self.query_one("#country-filter", Input).value = self._filter_text
        self._show_matches(self._filter_text)
        self._mounted = True

    def on_key(self, event: events.Key) -> None:
        # Focus moves to the filter box a moment after the dialog opens, so letters
        # typed quickly after opening it arrive here first.
        if event.is_printable and event.character:
            event.stop()
            self.type_ahead(event.character)

    def type_ahead(self, text: str) -> None:
        """Add `text` to the filter: keys typed before the filter box had focus."""
        if not self._mounted:
            self._filter_text += text
            return
        filter_box = self.query_one("#country-filter", Input)
        filter_box.insert_text_at_cursor(text)
        filter_box.focus()
        # Enter may follow at once, before Input.Changed arrives, so filter now.
        self._show_matches(filter_box.value)

    @on(Input.Changed, "#country-filter")
    def filter_countries(self, event: Input.Changed) -> None:
        self._show_matches(event.value)

    @on(Input.Submitted, "#country-filter")
    def choose_highlighted_country(self) -> None:
        options = self.query_one("#country-options", OptionList)
        if options.highlighted is not None:
            self.dismiss(self._matches[options.highlighted].code)
        else:
            self.app.bell()

    @on(OptionList.OptionSelected, "#country-options")
    def choose_clicked_country(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self._matches[event.option_index].code)

    def action_move_highlight(self, step: int) -> None:
        options = self.query_one("#country-options", OptionList)
        if not self._matches:
            return
        current = options.highlighted or 0
        options.highlighted = max(0, min(current + step, len(self._matches) - 1))

    def action_cancel(self) -> None:
        self.dismiss(None)

    def _show_matches(self, text: str) -> None:
        self._matches = match_countries(text)
        options = self.query_one("#country-options", OptionList)
        options.set_options(
            Option(Content(country.label), id=country.code) for country in self._matches
        )
        options.display = bool(self._matches)

        no_match = self.query_one("#country-no-match", Static)
        no_match.display = not self._matches
        no_match.update(
            f"No country matches {text.strip()!r}: type part of a name such as "
            "'germ', a code such as 'de' or a calling code such as '+49'."
        )
        if self._matches:
            options.highlighted = self._initial_highlight(text)

    def _initial_highlight(self, text: str) -> int:
        if text.strip():
            return 0
        codes = [country.code for country in self._matches]
        return codes.index(self._current) if self._current in codes else 0


# Maximum length of a country name that the field shows in full.
MAX_NAME_WIDTH = 28


class CountryPicker(Widget, can_focus=True):
    """A one-line field showing a country. Enter, space or a letter opens the chooser."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter,space",
            "choose",
            "Country",
            id="choose_country",
            tooltip="Choose a country by name or code",
            show=False,
        ),
    ]
    DEFAULT_CSS = """
    CountryPicker {
        width: auto;
        height: 1;
        padding: 0 1;
        background: $surface;
    }
    CountryPicker:focus {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: $block-cursor-text-style;
    }
    """

    value: reactive[str] = reactive(DEFAULT_COUNTRY, init=False)
    """The ISO 3166 alpha-2 code of the chosen country."""

    class Changed(Message):
        """Posted when the picker's country changes, whether chosen or set."""

        def __init__(self, picker: CountryPicker, country: Country) -> None:
            super().__init__()
            self.picker = picker
            self.country = country

        @property
        def control(self) -> CountryPicker:
            """The picker that changed."""
            return self.picker

    def __init__(
        self,
        value: str = DEFAULT_COUNTRY,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        """Show the country with ISO code `value`.

        Raises:
            InvalidInput: phonenumbers has no metadata for `value`.
        """
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.set_reactive(CountryPicker.value, find_country(value).code)

    @property
    def country(self) -> Country:
        """The chosen country."""
        return find_country(self.value)

    def validate_value(self, value: str) -> str:
        return find_country(value).code

    def watch_value(self) -> None:
        # The field is as wide as its label, which changes with the country.
        self.refresh(layout=True)
        self.post_message(self.Changed(self, self.country))

    def render(self) -> Content:
        country = self.country
        name = country.name
        if len(name) > MAX_NAME_WIDTH:
            # The code, calling code and arrow stay in view within the form's row.
            name = name[: MAX_NAME_WIDTH - 1].rstrip() + "…"
        return Content(f"{name} ({country.code}, +{country.calling_code}) ▼")

    def check_consume_key(self, key: str, character: str | None) -> bool:
        # A letter, digit or + opens the chooser with it typed, so the screen's
        # one-letter keys, such as r for Rent, do not apply while this has focus.
        return _opens_chooser(character)

    def on_key(self, event: events.Key) -> None:
        chooser_open = isinstance(self.app.screen, CountryPickerScreen)
        if _opens_chooser(event.character) or (chooser_open and event.key == "space"):
            event.stop()
            event.prevent_default()
            self._type_into_chooser(event.character or "")

    def on_paste(self, event: events.Paste) -> None:
        event.stop()
        event.prevent_default()
        lines = event.text.strip().splitlines()
        if lines:
            self._type_into_chooser(lines[0])

    def _type_into_chooser(self, text: str) -> None:
        # Keys typed in one burst all reach this field before the chooser that the
        # first one opens takes the focus: the rest go into that chooser.
        chooser = self.app.screen
        if isinstance(chooser, CountryPickerScreen):
            chooser.type_ahead(text)
        else:
            self.open_chooser(text)

    def action_choose(self) -> None:
        self.open_chooser()

    def open_chooser(self, filter_text: str = "") -> None:
        """Open the country dialog with `filter_text` typed, and set the value it returns."""
        self.app.push_screen(
            CountryPickerScreen(self.value, filter_text), self._set_chosen_country
        )

    def _set_chosen_country(self, code: str | None) -> None:
        if code is not None:
            self.value = code


def _opens_chooser(character: str | None) -> bool:
    return character is not None and (character.isalnum() or character == "+")
