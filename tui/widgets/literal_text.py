"""Text from users and the network, shown literally.

A caller ID can arrive with Rich markup, terminal escapes or invisible characters in it.
These helpers build `rich.text.Text` that a terminal shows as characters, never as
styles or control sequences.
"""

from __future__ import annotations

from rich.highlighter import Highlighter
from rich.text import Text

from domain.visible import escape_character, is_invisible

ESCAPE_STYLE = "reverse"
"""The style of a control character written as an escape, visible without colour."""

CONTROL_PICTURES = 0x2400
"""The code point of ␀: the picture of C0 control N is at this code point plus N."""


def visible_text(raw: str, style: str = "") -> Text:
    """Return `raw` as plain Text with each invisible character written as an escape.

    The escapes carry `ESCAPE_STYLE`, so a typed backslash sequence such as the four
    characters `\\x1b` reads differently from a real ESC character. Square brackets and
    every other printable character stay as they are: Text never parses markup.
    """
    text = Text(style=style, end="")
    for character in raw:
        if is_invisible(character):
            text.append(escape_character(character), style=ESCAPE_STYLE)
        else:
            text.append(character)
    return text


def count_invisible(raw: str) -> int:
    """Return how many characters of `raw` `visible_text` writes as escapes."""
    return sum(1 for character in raw if is_invisible(character))


class LiteralHighlighter(Highlighter):
    """Show control characters in an `Input` as visible stand-ins, one cell each.

    Without it a pasted ESC or OSC sequence reaches the terminal as it is. Each C0
    control becomes its Unicode control picture (ESC shows as ␛), DEL shows as ␡ and
    any other invisible character as �. Only the display changes: `Input.value` keeps
    the characters as received, and one stand-in per character keeps the cursor aligned.
    """

    def highlight(self, text: Text) -> None:
        plain = text.plain
        if not any(is_invisible(character) for character in plain):
            return
        text.plain = "".join(stand_in(character) for character in plain)
        for position, character in enumerate(plain):
            if is_invisible(character):
                text.stylize(ESCAPE_STYLE, position, position + 1)


def stand_in(character: str) -> str:
    """Return a one-cell visible character for an invisible one, else the character."""
    if not is_invisible(character):
        return character
    code = ord(character)
    if code < 0x20:
        return chr(CONTROL_PICTURES + code)
    if code == 0x7F:
        return "␡"
    return "�"
