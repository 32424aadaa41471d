"""Checking many caller IDs at once: values from text or CSV lines, counts, rows.

The functions take lines that the caller has already read, one at a time, and
yield one value or result at a time, so a file of any length is checked in
bounded memory. Opening files and printing belong to the CLI and the app.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from domain.e164 import FormatResult, FormatStatus, vonage_format
from domain.errors import InvalidInput

if TYPE_CHECKING:
    from _csv import Reader

__all__ = [
    "EXPORT_FIELDS",
    "BatchResult",
    "BatchValue",
    "InputType",
    "OutcomeCounts",
    "cell_separator",
    "check_values",
    "csv_cell",
    "csv_column_index",
    "csv_error",
    "csv_export_row",
    "csv_rows",
    "csv_values",
    "export_fields",
    "input_type_for",
    "result_fields",
    "text_lines",
    "text_values",
]

# The columns of an exported CSV file, in order.
EXPORT_FIELDS = (
    "line",
    "input",
    "status",
    "e164",
    "country",
    "type",
    "reason",
    "changes",
    "notes",
    "alternatives",
)

# The cell separators of CSV exports. Spreadsheets write ; where a comma is the
# decimal separator, as in Germany or France, and some exports use tabs or bars.
CELL_SEPARATORS = (",", ";", "\t", "|")
# How many rows of a CSV file `better_number_column` looks at.
SAMPLE_ROWS = 20
# Spreadsheets run a cell that starts with one of these as a formula. A caller ID
# comes from the network, so it may be written to do that (OWASP "CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class InputType(StrEnum):
    """The layout of a file of caller IDs: one value a line, or CSV."""

    TEXT = "text"
    CSV = "csv"


@dataclass(frozen=True)
class BatchValue:
    """One caller ID from a file, with the 1-based line number where it starts."""

    line: int
    raw: str


@dataclass(frozen=True)
class BatchResult:
    """A caller ID from a file and what `vonage_format` made of it."""

    line: int
    result: FormatResult


@dataclass
class OutcomeCounts:
    """How many values had each outcome so far."""

    by_status: dict[FormatStatus, int] = field(
        default_factory=lambda: dict.fromkeys(FormatStatus, 0)
    )

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    def add(self, status: FormatStatus) -> None:
        """Count one more value with this outcome."""
        self.by_status[status] += 1

    def summary(self) -> str:
        """Return the counts in one line: `3 values: 1 valid, 2 fixed, ...`."""
        noun = "value" if self.total == 1 else "values"
        parts = [
            f"{count:,} {status.value}" for status, count in self.by_status.items()
        ]
        return f"{self.total:,} {noun}: {', '.join(parts)}"


def input_type_for(file_name: str, column: str | None) -> InputType:
    """Return CSV when a column is named or the file name ends in .csv or .tsv."""
    if column is not None or file_name.casefold().endswith((".csv", ".tsv")):
        return InputType.CSV
    return InputType.TEXT


def text_lines(lines: Iterable[str]) -> Iterator[str]:
    """Yield `lines`, checking that each one is text.

    Raises:
        InvalidInput: a line has a NUL character, which UTF-8 text never has.
    """
    for number, line in enumerate(lines, start=1):
        if "\x00" in line:
            raise InvalidInput(
                f"Line {number} of the input has a NUL character, which UTF-8 text "
                "never has: the file is probably UTF-16 text, as a spreadsheet's "
                "'Unicode text' export, or no text at all. Save it as UTF-8 text or "
                "CSV UTF-8."
            )
        yield line


def text_values(lines: Iterable[str]) -> Iterator[BatchValue]:
    """Yield each line as a value without its line ending, skipping blank lines.

    A line of spaces only is blank too. Other lines keep their spaces, and the
    formatting reports removing them.

    Raises:
        InvalidInput: a line is no text (see `text_lines`).
    """
    for number, line in enumerate(text_lines(lines), start=1):
        value = line.rstrip("\r\n")
        if value.strip():
            yield BatchValue(number, value)


def cell_separator(header_line: str) -> str:
    """Return the separator that splits a CSV header line into the most cells.

    A comma wins ties, so a header of one column reads as comma-separated.
    """

    def cell_count(separator: str) -> int:
        return len(next(csv.reader([header_line], delimiter=separator), []))

    return max(CELL_SEPARATORS, key=cell_count)


def csv_rows(lines: Iterable[str]) -> tuple[str, Reader]:
    """Return the cell separator of CSV lines, found in the header, and their rows.

    The rows start with the header. Without lines, the separator is a comma. The
    reader raises csv.Error on a quote that is never closed, rather than read the
    rest of the input into one cell.
    """
    remaining = iter(lines)
    header_line = next(remaining, None)
    separator = "," if header_line is None else cell_separator(header_line)
    if header_line is not None:
        remaining = itertools.chain([header_line], remaining)
    return separator, csv.reader(remaining, delimiter=separator, strict=True)


def csv_error(error: csv.Error, first_line: int, last_line: int) -> str:
    """Say which lines of CSV input are not valid CSV, for a row that raised `error`.

    A row that runs over several lines has a quoted cell that did not end on its
    first line, so the quote opened there is the likely mistake.
    """
    if last_line > first_line:
        return (
            f"Lines {first_line} to {last_line} of the CSV input read as one row, "
            f"which is not valid CSV ({error}): a quote on line {first_line} is "
            "probably never closed."
        )
    return f"Line {first_line} of the CSV input is not valid CSV ({error})."


def csv_values(lines: Iterable[str], column: str | None = None) -> Iterator[BatchValue]:
    """Yield the values of one CSV column: `column` by its header, else the first.

    The first row is the header, as in CRM and spreadsheet exports, and its cells
    decide the separator (`cell_separator`). An empty cell is an empty caller ID,
    which is how a network presents a hidden number. Empty rows are skipped.

    Raises:
        InvalidInput: the header has no such column, a row is not valid CSV, or a
            line is no text (see `text_lines`).
    """
    counted = _CountedLines(text_lines(lines))
    _, reader = csv_rows(counted)
    header = _next_row(reader, counted, 1)
    if header is None:
        return
    index = csv_column_index(header, column)

    while True:
        start = counted.count + 1
        row = _next_row(reader, counted, start)
        if row is None:
            return
        if row:
            yield BatchValue(start, csv_cell(row, index))


class _CountedLines:
    """An iterator over lines that counts how many the CSV reader has taken."""

    def __init__(self, lines: Iterable[str]) -> None:
        self._lines = iter(lines)
        self.count = 0

    def __iter__(self) -> _CountedLines:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.count += 1
        return line


def _next_row(
    reader: Iterator[list[str]], counted: _CountedLines, start: int
) -> list[str] | None:
    try:
        return next(reader, None)
    except csv.Error as error:
        raise InvalidInput(
            f"{csv_error(error, start, counted.count)} Fix it, or read the file as "
            "text with one value a line."
        ) from None


def csv_cell(row: list[str], index: int) -> str:
    """Return the cell at `index`, or "" when the row is shorter."""
    return row[index] if index < len(row) else ""


def csv_column_index(header: list[str], column: str | None) -> int:
    """Find a column by its exact name, else in any case. None is the first column.

    Raises:
        InvalidInput: no column has that name, or several have it in other cases.
    """
    if column is None:
        return 0
    names = [name.strip() for name in header]
    wanted = column.strip()
    if wanted in names:
        return names.index(wanted)
    folded = [name.casefold() for name in names]
    if folded.count(wanted.casefold()) == 1:
        return folded.index(wanted.casefold())

    listed = ", ".join(repr(name) for name in names)
    raise InvalidInput(
        f"The CSV header has no column {column!r}: its columns are {listed}. "
        "Choose one of those."
    )


def better_number_column(
    lines: Iterable[str], column: str | None, region: str | None
) -> str | None:
    """Name another CSV column with phone numbers when the column read has none.

    Only the first `SAMPLE_ROWS` rows count. Another column is named when at least
    a third of those rows have a number in it, unlike a column of names or notes, so a
    column with withheld or broken caller IDs among its numbers still counts. None
    means the column read has a number, or no other column is better, or
    the lines are no CSV with a header and two columns.
    """
    try:
        _, reader = csv_rows(lines)
        header = next(reader, [])
        rows = list(itertools.islice(filter(None, reader), SAMPLE_ROWS))
        index = csv_column_index(header, column)
    except (csv.Error, InvalidInput):
        return None
    if len(header) < 2 or not rows:
        return None

    def numbers_in(column_index: int) -> int:
        return sum(_is_number(csv_cell(row, column_index), region) for row in rows)

    counts = [numbers_in(column_index) for column_index in range(len(header))]
    best = max(range(len(header)), key=counts.__getitem__)
    if counts[index] or counts[best] * 3 < len(rows):
        return None
    return header[best].strip()


def describe_better_column(column: str | None, better: str) -> str:
    """Say that the column read has no numbers and `better` has, as a clause."""
    read = "The first column" if column is None else f"The column {column!r}"
    return (
        f"{read} has no phone number in its first rows, but the column {better!r} has"
    )


def _is_number(value: str, region: str | None) -> bool:
    return vonage_format(value, region).number is not None


def check_values(
    values: Iterable[BatchValue], region: str | None
) -> Iterator[BatchResult]:
    """Read each value with `vonage_format` in `region`, one at a time."""
    for value in values:
        yield BatchResult(value.line, vonage_format(value.raw, region))


def result_fields(result: FormatResult) -> dict[str, Any]:
    """Return the fields of a result as `numdesk format --json` writes them.

    `e164`, `country`, `type` and `reason` are None when they do not apply.
    """
    return {
        "input": result.input,
        "e164": result.e164,
        "status": result.status.value,
        "changes": list(result.changes),
        "country": result.country,
        "type": result.number_type,
        "reason": result.reason,
        "notes": list(result.notes),
        "alternatives": [
            {"e164": reading.e164, "explanation": reading.explanation}
            for reading in result.alternatives
        ],
    }


def export_fields(line: int, result: FormatResult) -> dict[str, Any]:
    """Return a result's fields for a JSON export: its line, then `result_fields`."""
    return {"line": line, **result_fields(result)}


def csv_export_row(line: int, result: FormatResult) -> list[str]:
    """Return a result as a CSV row with the columns of `EXPORT_FIELDS`.

    Lists are joined with "; ". A cell that a spreadsheet would run as a formula
    gets a leading ', so "+44 20 7946 0123" is written as "'+44 20 7946 0123".
    """
    cells = [
        str(line),
        result.input,
        result.status.value,
        result.e164 or "",
        result.country or "",
        result.number_type or "",
        result.reason or "",
        "; ".join(result.changes),
        "; ".join(result.notes),
        "; ".join(reading.e164 for reading in result.alternatives),
    ]
    return [_inert(cell) for cell in cells]


def _inert(cell: str) -> str:
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell
