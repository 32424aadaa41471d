"""Text from users and the network, shown literally.

A caller ID can arrive with Rich markup, terminal escapes or invisible characters in it.
These helpers build `rich.text.Text` that a terminal shows as characters, never as
styles or control sequences.
"""

from __future__ import annotations

from rich.highlighter import Highlighter
from rich.text import Text

ESCAPE_STYLE = "reverse"
"""The style of a control character written as an escape, visible without colour."""

CONTROL_PICTURES = 0x2400
"""The code point of ␀: the picture of C0 control N is at this code point plus N."""


def is_invisible(character: str) -> bool:
    """Return whether a character would not show as itself in a terminal.

    That is every character Python does not call printable apart from the space: C0 and
    C1 controls, DEL, format characters such as bidi overrides and zero-width joiners,
    and separators such as the no-break space.
    """
    return character != " " and not character.isprintable()


def escape_character(character: str) -> str:
    """Write a character as a Python escape: `\\x1b`, `\\u202e` or `\\U000e0001`."""
    code = ord(character)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


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


def escape_invisible(raw: str) -> str:
    """Return `raw` with each invisible character written as an escape, such as `\\x1b`.

    For user text inside a message string, such as a notification, where styles
    cannot mark the escapes as `visible_text` does.
    """
    return "".join(
        escape_character(character) if is_invisible(character) else character
        for character in raw
    )


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
