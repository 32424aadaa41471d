"""Keys posted the way the terminal driver posts them, with no wait between them."""

from __future__ import annotations

from typing import Any

from textual import events
from textual.pilot import Pilot

# The characters that the terminal driver sends with keys whose names differ.
BURST_CHARACTERS: dict[str, str | None] = {
    "slash": "/",
    "space": " ",
    "enter": "\r",
    "plus": "+",
    "backspace": "\x7f",
    "tab": "\t",
    "shift+tab": None,
    "escape": "\x1b",
    "right_square_bracket": "]",
}


async def type_burst(pilot: Pilot[Any], keys: list[str]) -> None:
    """Post keys one after the other and wait until the app has handled them.

    Keys arrive like this when typed quickly or when SSH sends them together.
    """
    for key in keys:
        character = BURST_CHARACTERS.get(key, key)
        pilot.app.post_message(events.Key(key, character))
    await pilot.pause()
    await pilot.pause()
