"""Printing results: JSON for scripts, aligned text for people, errors on stderr.

Text from users or the API (application names, URLs, raw caller IDs) may contain
terminal control sequences. Text output escapes them with `escape_controls`, and
`to_json` escapes them in JSON output.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from domain.visible import escape_invisible, is_invisible


def escape_controls(text: str) -> str:
    """Return `text` with each character that would not show as itself escaped.

    Controls, bidirectional and zero-width formatting characters, separators other
    than the space, and lone surrogates become visible escapes, such as `\\x1b` for
    ESC and `\\u202e` for U+202E, as in the app. Lone surrogates are the bytes of an
    argument that is not UTF-8, as Python decodes them. A name then shows what is
    stored without moving the cursor, changing colours or reordering the line.
    """
    return escape_invisible(text)


def to_json(value: Any) -> str:
    """Serialize a result as indented JSON that is safe to print to a terminal.

    Non-ASCII letters stay readable (`ensure_ascii=False`), while the characters that
    `escape_controls` escapes become `\\uXXXX`, which JSON parsers read back unchanged.
    """
    text = json.dumps(value, ensure_ascii=False, indent=2)
    if text.isprintable():
        return text
    # json.dumps escapes U+0000 to U+001F inside strings, so a newline left is one
    # of the indentation's.
    return "".join(
        json.dumps(character)[1:-1]
        if is_invisible(character) and character != "\n"
        else character
        for character in text
    )


def echo(text: str, *, err: bool = False, nl: bool = True) -> None:
    """Print `text` as it is with click.echo, on stderr with `err`.

    click is imported on the first output, so that the app starts without it.
    """
    import click

    click.echo(text, err=err, nl=nl)


def print_json(value: Any) -> None:
    """Print a result as JSON on stdout."""
    echo(to_json(value))


def print_text(text: str = "") -> None:
    """Print text on stdout, escaping control characters but keeping its line breaks.

    A user value that may contain a line break must be escaped with `escape_controls`
    before it goes into `text`, or it would start a line of its own.
    """
    echo(_escape_lines(text))


def print_note(text: str) -> None:
    """Print a remark for a person on stderr, so that stdout stays machine-readable.

    Control characters are escaped as in `print_text`.
    """
    echo(_escape_lines(text), err=True)


def _escape_lines(text: str) -> str:
    return "\n".join(escape_controls(line) for line in text.split("\n"))


def print_error(message: str) -> None:
    """Print one `error: ` line on stderr, shortening any huge value quoted in it."""
    shortened = _LONG_WORD.sub(_shorten_word, message)
    echo(f"error: {escape_controls(shortened)}", err=True)


# A run of non-space characters this long is a pasted value, not a word of a message.
_LONG_WORD = re.compile(r"\S{201,}")
_KEPT_CHARACTERS = 40


def _shorten_word(match: re.Match[str]) -> str:
    word = match.group()
    return (
        f"{word[:_KEPT_CHARACTERS]}...({len(word):,} characters)..."
        f"{word[-_KEPT_CHARACTERS // 4 :]}"
    )


def format_eur(amount: Decimal) -> str:
    """Format an amount in EUR with two or more decimals: `0.90` or `1.2345`.

    An unknown amount (`domain.numbers.UNKNOWN_COST`) is `-`.
    """
    if amount.is_nan():
        return "-"
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        return str(amount)
    return f"{amount:.2f}"


def count_of(count: int, noun: str) -> str:
    """Return a count with its noun, such as `1 number` or `1,500 numbers`."""
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


def format_table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """Lay out rows as columns separated by two spaces, with a header line.

    Cells are escaped with `escape_controls`. Wide characters such as CJK count as two
    columns, so the columns line up in a terminal.
    """
    cells = [list(headers)] + [[escape_controls(cell) for cell in row] for row in rows]
    widths = [
        max(_display_width(row[column]) for row in cells)
        for column in range(len(headers))
    ]
    lines = []
    for row in cells:
        padded = [
            cell + " " * (width - _display_width(cell))
            for cell, width in zip(row, widths, strict=True)
        ]
        lines.append("  ".join(padded).rstrip())
    return "\n".join(lines)


def format_fields(fields: Iterable[tuple[str, str]]) -> str:
    """Lay out `label  value` lines with the values aligned and escaped."""
    pairs = list(fields)
    width = max((len(label) for label, _ in pairs), default=0)
    return "\n".join(
        f"{label.ljust(width)}  {escape_controls(value)}".rstrip()
        for label, value in pairs
    )


def _display_width(text: str) -> int:
    return sum(_character_width(character) for character in text)


def _character_width(character: str) -> int:
    if unicodedata.combining(character):
        return 0
    return 2 if unicodedata.east_asian_width(character) in ("W", "F") else 1
