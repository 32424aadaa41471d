"""Checks of each paste before it reaches the field: its length, a NUL, several lines.

Textual's Input re-measures its whole value on every change, so a paste of a megabyte
freezes the app for tens of seconds (29 s for 1,000,000 characters in the Caller ID
field, on a loaded 2-core machine). An Input with `max_length` drops a longer paste
without a word. So the app checks each paste first and explains a rejection.
"""

from __future__ import annotations

from textual.widget import Widget
from textual.widgets import Input

# Far longer than any value a field takes: URLs have at most 2,048 characters, names
# 200 and caller IDs 500, so a longer paste still gets the field's own message.
MAX_PASTE_CHARACTERS = 10_000
# The id of the Caller ID screen's field, whose several-line pastes have a home in
# the batch view.
CALLER_ID_INPUT = "callerid-input"


class TakesPastedLines:
    """Marks a one-line field that handles a paste of several lines itself."""


def reject_paste(text: str, focused: Widget | None) -> str | None:
    """Return why `text` must not be pasted into the `focused` widget, or None.

    An Input takes one line of a paste (`pasted_lines`), so that line must fit.
    """
    if len(text) > MAX_PASTE_CHARACTERS:
        return (
            f"The paste has {len(text):,} characters, more than the "
            f"{MAX_PASTE_CHARACTERS:,} a field accepts, so nothing was pasted. Copy "
            "a shorter value."
        )
    if "\x00" in text:
        return (
            "The paste contains a NUL character, which no field accepts, so nothing "
            "was pasted. Copy the value again without it."
        )
    if isinstance(focused, Input) and focused.max_length:
        lines = pasted_lines(text, focused)
        line = lines[0] if lines else (text.splitlines() or [""])[0]
        room = focused.max_length - len(focused.value) + len(focused.selected_text)
        if len(line) > room:
            return (
                f"The paste has {len(line):,} characters, but this field takes at "
                f"most {focused.max_length}, so nothing was pasted."
            )
    return None


def pasted_lines(text: str, focused: Widget | None) -> list[str] | None:
    """Return the lines with text of a paste of several lines into a one-line field.

    Textual's Input keeps the first line of a paste, even a blank one, and drops
    the others without a word. So the app pastes the first line with text, and
    notifies the user when it leaves others out. None means the paste goes in as it is.
    """
    if not isinstance(focused, Input) or isinstance(focused, TakesPastedLines):
        return None
    if len(text.splitlines()) < 2:
        return None
    return [line.strip() for line in text.splitlines() if line.strip()] or None


def several_lines_note(line_count: int, focused: Widget) -> str:
    """Explain that only the first of `line_count` pasted lines went in."""
    note = (
        f"This field takes one line, so only the first of the {line_count} lines "
        "pasted went in."
    )
    if focused.id == CALLER_ID_INPUT:
        note += " Ctrl+B checks many caller IDs at once."
    return note
