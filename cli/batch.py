"""`numdesk format --file`: check a file of caller IDs, one output line per value.

The file is read and written one value at a time, so a file of a million lines
runs in bounded memory. The counts per outcome go to stderr at the end, so that
stdout holds only the per-value lines.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Callable, Iterator
from typing import Any, TextIO, TypeVar

import click

from cli.output import escape_controls, print_note
from domain.batch import (
    BatchResult,
    BatchValue,
    InputType,
    OutcomeCounts,
    better_number_column,
    check_values,
    csv_values,
    describe_better_column,
    input_type_for,
    result_fields,
    text_values,
)
from domain.e164 import FormatStatus, naming_region

F = TypeVar("F", bound=Callable[..., Any])

# The width of the e164 column in text output: E.164's 15 digits.
_E164_WIDTH = 15
_STATUS_WIDTH = max(len(status.value) for status in FormatStatus)


def batch_options(command: F) -> F:
    """Add `--file` and `--column`, passed to the command as `file` and `column`."""
    command = click.option(
        "--column",
        metavar="NAME",
        help="Read the CSV column with this header name. Implies CSV input.",
    )(command)
    return click.option(
        "--file",
        "file",
        metavar="PATH",
        # utf-8-sig drops the byte order mark that spreadsheet exports start with,
        # and undecodable bytes become U+FFFD, so the value is reported as invalid.
        type=click.File("r", encoding="utf-8-sig", errors="replace", lazy=False),
        help="Check every value in a file instead of RAW, or '-' for stdin: one "
        "value a line, or CSV when PATH ends in .csv or .tsv or --column is given. A CSV "
        "file starts with a header row, whose cells may be separated by commas, "
        "semicolons, tabs or bars; the first column is read unless --column "
        "names another. Blank lines of a text file are skipped.",
    )(command)


def check_file(
    stream: TextIO,
    column: str | None,
    region: str | None,
    as_json: bool,
    region_words: str | None = None,
) -> None:
    """Check each value of `stream` and print a line for it, then the counts.

    With `as_json`, each line is one JSON object with the fields of `format --json`.
    Otherwise it is the line number, outcome, Vonage form and input, and the reason
    for a withheld or invalid value. `region_words` names the region in the
    reasons, as `naming_region` does, when the user did not give it.

    Raises:
        InvalidInput: the CSV header has no such column, or a row is not valid CSV.
            The lines before it have been printed.
    """
    counts = OutcomeCounts()
    for item in check_values(_values(stream, column), region):
        if region_words is not None:
            item = BatchResult(item.line, naming_region(item.result, region_words))
        counts.add(item.result.status)
        click.echo(json_line(item) if as_json else text_line(item))
    print_note(counts.summary())

    better = _better_column(stream, column, region)
    if better is not None:
        print_note(
            f"{describe_better_column(column, better)}: pass --column "
            f"{shlex.quote(better)} to read it."
        )


def _better_column(
    stream: TextIO, column: str | None, region: str | None
) -> str | None:
    """Name a CSV column with numbers when the column read has none, if seekable."""
    if not _is_csv(stream, column) or not stream.seekable():
        return None
    stream.seek(0)
    return better_number_column(stream, column, region)


def _is_csv(stream: TextIO, column: str | None) -> bool:
    name = str(getattr(stream, "name", ""))
    return input_type_for(name, column) is InputType.CSV


def _values(stream: TextIO, column: str | None) -> Iterator[BatchValue]:
    if _is_csv(stream, column):
        return csv_values(stream, column)
    # NOTE: a line is read whole, so a text file without line breaks is read into
    # memory at once. The per-value bound holds for files of ordinary lines.
    return text_values(stream)


def json_line(item: BatchResult) -> str:
    """Return a result as one line of JSON.

    Every non-ASCII character is written as a \\u escape, so no control or
    bidirectional formatting character reaches the terminal.
    """
    return json.dumps(result_fields(item.result), ensure_ascii=True)


def text_line(item: BatchResult) -> str:
    """Return a result as an aligned line, its user text escaped for the terminal."""
    result = item.result
    columns = [
        f"{item.line:>7}",
        result.status.value.ljust(_STATUS_WIDTH),
        (result.e164 or "-").ljust(_E164_WIDTH),
        repr(result.input),
    ]
    if result.reason and result.status in (FormatStatus.WITHHELD, FormatStatus.INVALID):
        columns.append(result.reason)
    return escape_controls("  ".join(columns))
