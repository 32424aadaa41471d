"""Rejecting pastes that no field of the app can take, before they reach the field.

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


def reject_paste(text: str, focused: Widget | None) -> str | None:
    """Return why `text` must not be pasted into the `focused` widget, or None.

    An Input takes only the first line of a paste, so that line is what must fit.
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
        line = text.splitlines()[0] if text else ""
        room = focused.max_length - len(focused.value) + len(focused.selected_text)
        if len(line) > room:
            return (
                f"The paste has {len(line):,} characters, but this field takes at "
                f"most {focused.max_length}, so nothing was pasted."
            )
    return None
