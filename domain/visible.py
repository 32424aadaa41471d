"""Text from users and the network, written so that each character shows as itself.

A name, URL or caller ID may hold control sequences, bidirectional overrides or
zero-width characters, which a terminal would act on or not show at all. The CLI
and the app write each of them as a Python escape, such as `\\x1b`, instead.
"""

from __future__ import annotations


def is_invisible(character: str) -> bool:
    """Return whether a character would not show as itself in a terminal.

    That is every character Python does not call printable apart from the space: C0 and
    C1 controls, DEL, format characters such as bidi overrides and zero-width joiners,
    separators such as the no-break space, and lone surrogates.
    """
    return character != " " and not character.isprintable()


def escape_character(character: str) -> str:
    """Return a character as a Python escape: `\\x1b`, `\\u202e` or `\\U000e0001`."""
    code = ord(character)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def escape_invisible(raw: str) -> str:
    """Return `raw` with each invisible character written as an escape, such as `\\x1b`."""
    if raw.isprintable():
        return raw
    return "".join(
        escape_character(character) if is_invisible(character) else character
        for character in raw
    )
