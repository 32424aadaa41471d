"""A file of caller IDs, checked once and read back a page at a time.

The Caller ID batch view can open a file of a million lines, so `BatchFile` keeps
only small arrays per value: where each line starts, which line each value is on,
and its outcome (about 17 bytes a value). The results shown on a page, and those
written by an export, are computed again from the file. Nothing here imports
Textual, so the screen runs these methods in a worker thread.
"""

from __future__ import annotations

import csv
import io
import json
import os
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO, TextIO

from domain.batch import (
    EXPORT_FIELDS,
    BatchResult,
    BatchValue,
    InputType,
    OutcomeCounts,
    better_number_column,
    csv_cell,
    csv_column_index,
    csv_export_row,
    csv_rows,
    csv_values,
    export_fields,
    input_type_for,
    text_values,
)
from domain.e164 import FormatStatus, vonage_format
from domain.errors import InvalidInput, NumdeskError

# How many values the scan checks between two progress reports.
PROGRESS_EVERY = 2_000

_STATUSES = tuple(FormatStatus)
_ENCODING = "utf-8"


class ExportFormat(StrEnum):
    """The file formats an export can write."""

    CSV = "csv"
    JSON = "json"


@dataclass(frozen=True)
class BatchSource:
    """Where the values come from: a file, or text pasted into the app.

    `name` is the file path or a description of the paste. `data` is the pasted
    text, encoded, and None for a file.
    """

    name: str
    input_type: InputType
    column: str | None = None
    data: bytes | None = None

    @classmethod
    def from_path(cls, path: str, column: str | None = None) -> BatchSource:
        """Describe a file, as CSV when its name ends in .csv or .tsv or a column is named."""
        return cls(path, input_type_for(path, column), column)

    @classmethod
    def from_text(cls, text: str) -> BatchSource:
        """Describe pasted values, one a line."""
        return cls("pasted values", InputType.TEXT, None, text.encode(_ENCODING))

    def open(self) -> BinaryIO:
        """Open the values for reading as bytes.

        Raises:
            OSError: the file cannot be opened.
        """
        if self.data is not None:
            return io.BytesIO(self.data)
        return Path(self.name).expanduser().open("rb")


@dataclass(frozen=True)
class ScanProgress:
    """How far a scan has read: bytes of the source, and the counts so far."""

    read_bytes: int
    total_bytes: int
    counts: OutcomeCounts


class SourceChanged(NumdeskError):
    """The file of a batch changed after its scan, so its rows would not match."""


class BatchFile:
    """The outcome of every value in a source, and the way back to each value."""

    def __init__(self, source: BatchSource, region: str | None) -> None:
        self.source = source
        self.region = region
        self.counts = OutcomeCounts()
        self.complete = False
        self._line_offsets = array("Q")
        self._value_lines = array("I")
        self._statuses = bytearray()
        self._by_status = {status: array("I") for status in FormatStatus}
        self._column_index = 0
        self._cell_separator = ","
        # A CSV column with numbers, when the column read has none.
        self.better_column: str | None = None
        # The file's size and modification time when scanned, None for a paste.
        self._source_state: tuple[int, int] | None = None

    def __len__(self) -> int:
        return len(self._value_lines)

    def scan(
        self,
        report: Callable[[ScanProgress], None],
        cancelled: Callable[[], bool],
    ) -> None:
        """Read every value once, keeping its line and outcome, and count outcomes.

        `report` is called every `PROGRESS_EVERY` values and at the end. The scan
        stops early, leaving `complete` False, when `cancelled` returns True.

        Raises:
            OSError: the file cannot be opened or read.
            InvalidInput: the CSV header has no such column, or a row is not CSV.
        """
        with self.source.open() as stream:
            self._source_state = _file_state(stream)
            total = _stream_size(stream)
            lines = self._recorded_lines(stream)
            for index, value in enumerate(self._values(lines)):
                self._add(value)
                if index % PROGRESS_EVERY == PROGRESS_EVERY - 1:
                    report(ScanProgress(stream.tell(), total, self.counts))
                    if cancelled():
                        return
            report(ScanProgress(total, total, self.counts))
        if self.source.input_type is InputType.CSV:
            self._column_index = self._read_column_index()
            self.better_column = self._find_better_column()
        self.complete = True

    def _values(self, lines: Iterator[str]) -> Iterator[BatchValue]:
        if self.source.input_type is InputType.CSV:
            return csv_values(lines, self.source.column)
        return text_values(lines)

    def _recorded_lines(self, stream: BinaryIO) -> Iterator[str]:
        """Yield the decoded lines, recording the byte offset where each starts."""
        offset = 0
        for raw_line in stream:
            self._line_offsets.append(offset)
            offset += len(raw_line)
            yield _decode(raw_line, first=len(self._line_offsets) == 1)

    def _add(self, value: BatchValue) -> None:
        status = vonage_format(value.raw, self.region).status
        index = len(self._value_lines)
        self._value_lines.append(value.line)
        self._statuses.append(_STATUSES.index(status))
        self._by_status[status].append(index)
        self.counts.add(status)

    def _read_column_index(self) -> int:
        with self._open_source() as stream:
            separator, rows = csv_rows(_decoded_lines(stream, first_line=1))
            header = next(rows, [])
        self._cell_separator = separator
        return csv_column_index(header, self.source.column)

    def _open_source(self) -> BinaryIO:
        """Open the source again, which must be as it was when scanned.

        Raises:
            OSError: the file cannot be opened.
            SourceChanged: the file's size or modification time has changed.
        """
        stream = self.source.open()
        if _file_state(stream) != self._source_state:
            stream.close()
            raise SourceChanged(
                f"{self.source.name} changed after it was checked, so its rows no "
                "longer match the outcomes shown: press Enter in the File field to "
                "check it again."
            )
        return stream

    def _find_better_column(self) -> str | None:
        with self._open_source() as stream:
            lines = _decoded_lines(stream, first_line=1)
            return better_number_column(lines, self.source.column, self.region)

    def view(self, status: FormatStatus | None) -> Sequence[int]:
        """Return the indexes of the values with this outcome, or of all for None."""
        if status is None:
            return range(len(self))
        return self._by_status[status]

    def status(self, index: int) -> FormatStatus:
        """Return the outcome of the value at `index`, as the scan found it."""
        return _STATUSES[self._statuses[index]]

    def results(self, indexes: Sequence[int]) -> list[BatchResult]:
        """Read the values at `indexes` from the source again and format each.

        Raises:
            OSError: the file cannot be opened or read.
            SourceChanged: the file has changed since the scan.
        """
        results = []
        with self._open_source() as stream:
            for index in indexes:
                line = self._value_lines[index]
                stream.seek(self._line_offsets[line - 1])
                raw = self._value_at(stream, line)
                results.append(BatchResult(line, vonage_format(raw, self.region)))
        return results

    def _value_at(self, stream: BinaryIO, line: int) -> str:
        lines = _decoded_lines(stream, first_line=line)
        if self.source.input_type is InputType.TEXT:
            return next(lines, "").rstrip("\r\n")
        row = next(csv.reader(lines, delimiter=self._cell_separator), [])
        return csv_cell(row, self._column_index)

    def export(
        self,
        path: Path,
        export_format: ExportFormat,
        status: FormatStatus | None,
        report: Callable[[int, int], None],
        cancelled: Callable[[], bool],
    ) -> int:
        """Write the values with outcome `status` (all for None) and return how many.

        The source is read again from the start. The rows go to a `.part` file that
        replaces `path` only when complete, so a failed or cancelled export leaves
        no half-written file. `report` gets the values written and the total.

        Raises:
            OSError: the source cannot be read, or `path` cannot be written.
            InvalidInput: `path` exists already.
            SourceChanged: the file has changed since the scan.
        """
        if path.exists():
            raise InvalidInput(
                f"{path} exists already: choose another file name, or move that "
                "file away first."
            )
        total = len(self.view(status))
        partial = path.with_name(path.name + ".part")
        written = 0
        try:
            with partial.open("w", encoding=_ENCODING, newline="") as output:
                writer = _ExportWriter(output, export_format)
                for result in self._results_in_order(status):
                    writer.write(result)
                    written += 1
                    if written % PROGRESS_EVERY == 0:
                        report(written, total)
                        if cancelled():
                            return written
                writer.close()
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
        report(written, total)
        return written

    def _results_in_order(self, status: FormatStatus | None) -> Iterator[BatchResult]:
        """Yield the results with this outcome by reading the whole source in order."""
        with self._open_source() as stream:
            lines = _decoded_lines(stream, first_line=1)
            for index, value in enumerate(self._values(lines)):
                if index >= len(self):
                    return
                if status is None or self.status(index) is status:
                    yield BatchResult(value.line, vonage_format(value.raw, self.region))


class _ExportWriter:
    """Writes results as CSV rows, or as the elements of one JSON array."""

    def __init__(self, output: TextIO, export_format: ExportFormat) -> None:
        self._output = output
        self._format = export_format
        self._csv = csv.writer(output)
        self._count = 0
        if export_format is ExportFormat.CSV:
            self._csv.writerow(EXPORT_FIELDS)
        else:
            output.write("[")

    def write(self, item: BatchResult) -> None:
        if self._format is ExportFormat.CSV:
            self._csv.writerow(csv_export_row(item.line, item.result))
        else:
            separator = ",\n" if self._count else "\n"
            fields = export_fields(item.line, item.result)
            self._output.write(separator + json.dumps(fields, ensure_ascii=False))
        self._count += 1

    def close(self) -> None:
        if self._format is ExportFormat.JSON:
            self._output.write("\n]\n" if self._count else "]\n")


def _decode(raw_line: bytes, first: bool) -> str:
    # utf-8-sig drops the byte order mark that spreadsheet exports start with.
    # Undecodable bytes become U+FFFD, so the value is reported as invalid.
    return raw_line.decode("utf-8-sig" if first else _ENCODING, errors="replace")


def _decoded_lines(stream: BinaryIO, first_line: int) -> Iterator[str]:
    """Decode the lines of `stream`, whose next line is line `first_line` (from 1)."""
    for number, raw_line in enumerate(stream, start=first_line):
        yield _decode(raw_line, first=number == 1)


def _file_state(stream: BinaryIO) -> tuple[int, int] | None:
    """Return a file's size and modification time in ns, or None for bytes in memory."""
    try:
        status = os.fstat(stream.fileno())
    except io.UnsupportedOperation:
        return None
    return status.st_size, status.st_mtime_ns


def _stream_size(stream: BinaryIO) -> int:
    position = stream.tell()
    size = stream.seek(0, os.SEEK_END)
    stream.seek(position)
    return size
