"""Tests for tui.batch_file: scanning a source once, reading pages back, exporting."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from domain.batch import EXPORT_FIELDS, InputType, OutcomeCounts, export_fields
from domain.e164 import FormatStatus, vonage_format
from domain.errors import InvalidInput
from tui.batch_file import (
    PROGRESS_EVERY,
    BatchFile,
    BatchSource,
    ExportFormat,
    ScanProgress,
)

WEBHOOK_LOG = [
    "+14155550100",
    "anonymous",
    "(415) 555-0100",
    "",
    "hello",
    "sip:+442079460123@pbx.example.com",
]

CRM_CSV = (
    "\ufeffName,Phone\r\n"
    "Alice,+44 20 7946 0123\r\n"
    '"Smith, J","tel:+1-415-555-0100;\r\nphone-context=x"\r\n'
    "Carol,\r\n"
    "Dan,Private\r\n"
)


def scanned(source: BatchSource, region: str | None = "US") -> BatchFile:
    batch = BatchFile(source, region)
    batch.scan(lambda progress: None, lambda: False)
    return batch


def text_file(tmp_path: Path, lines: list[str], name: str = "log.txt") -> Path:
    path = tmp_path / name
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


# sources


@pytest.mark.parametrize(
    ("path", "column", "input_type"),
    [
        ("log.txt", None, InputType.TEXT),
        ("export.CSV", None, InputType.CSV),
        ("export.tsv", "Phone", InputType.CSV),
        ("~/calls", None, InputType.TEXT),
    ],
)
def test_source_input_type(
    path: str, column: str | None, input_type: InputType
) -> None:
    assert BatchSource.from_path(path, column).input_type == input_type


def test_source_from_text() -> None:
    source = BatchSource.from_text("+44 20 7946 0123\nanonymous")

    assert source.input_type == InputType.TEXT
    assert source.open().read() == b"+44 20 7946 0123\nanonymous"


# scan


def test_scan_counts(tmp_path: Path) -> None:
    batch = scanned(BatchSource.from_path(str(text_file(tmp_path, WEBHOOK_LOG))))

    assert batch.complete
    assert len(batch) == 5
    assert batch.counts.by_status == {
        FormatStatus.VALID: 0,
        FormatStatus.FIXED: 3,
        FormatStatus.WITHHELD: 1,
        FormatStatus.INVALID: 1,
    }


def test_scan_views(tmp_path: Path) -> None:
    batch = scanned(BatchSource.from_path(str(text_file(tmp_path, WEBHOOK_LOG))))

    assert list(batch.view(None)) == [0, 1, 2, 3, 4]
    assert list(batch.view(FormatStatus.FIXED)) == [0, 2, 4]
    assert list(batch.view(FormatStatus.INVALID)) == [3]
    assert list(batch.view(FormatStatus.VALID)) == []
    assert batch.status(1) == FormatStatus.WITHHELD


def test_scan_progress_reports(tmp_path: Path) -> None:
    count = PROGRESS_EVERY * 2 + 5
    path = text_file(tmp_path, ["+14155550100"] * count)
    reports: list[ScanProgress] = []

    BatchFile(BatchSource.from_path(str(path)), None).scan(
        reports.append, lambda: False
    )

    assert len(reports) == 3
    assert reports[-1].read_bytes == reports[-1].total_bytes == path.stat().st_size
    assert reports[0].read_bytes < reports[1].read_bytes
    assert isinstance(reports[-1].counts, OutcomeCounts)


def test_scan_cancelled(tmp_path: Path) -> None:
    path = text_file(tmp_path, ["+14155550100"] * (PROGRESS_EVERY * 3))
    batch = BatchFile(BatchSource.from_path(str(path)), None)

    batch.scan(lambda progress: None, lambda: True)

    assert not batch.complete
    assert len(batch) == PROGRESS_EVERY


def test_scan_missing_file(tmp_path: Path) -> None:
    batch = BatchFile(BatchSource.from_path(str(tmp_path / "missing.txt")), None)

    with pytest.raises(FileNotFoundError):
        batch.scan(lambda progress: None, lambda: False)


def test_scan_missing_column(tmp_path: Path) -> None:
    path = tmp_path / "crm.csv"
    path.write_text(CRM_CSV, encoding="utf-8")
    batch = BatchFile(BatchSource.from_path(str(path), "From"), None)

    with pytest.raises(InvalidInput, match="no column 'From'"):
        batch.scan(lambda progress: None, lambda: False)


# results


def test_results_read_back(tmp_path: Path) -> None:
    batch = scanned(BatchSource.from_path(str(text_file(tmp_path, WEBHOOK_LOG))), "GB")

    results = batch.results([4, 0, 3])

    assert [item.line for item in results] == [6, 1, 5]
    assert [item.result.input for item in results] == [
        "sip:+442079460123@pbx.example.com",
        "+14155550100",
        "hello",
    ]
    assert results[1].result == vonage_format("+14155550100", "GB")


def test_results_csv_column(tmp_path: Path) -> None:
    path = tmp_path / "crm.csv"
    path.write_text(CRM_CSV, encoding="utf-8")
    batch = scanned(BatchSource.from_path(str(path), "phone"))

    results = batch.results(batch.view(None))

    assert [item.line for item in results] == [2, 3, 5, 6]
    assert [item.result.input for item in results] == [
        "+44 20 7946 0123",
        "tel:+1-415-555-0100;\r\nphone-context=x",
        "",
        "Private",
    ]


def test_results_semicolon_csv(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "Name;Telefon\r\nAnna;+49 30 901820\r\nBernd;(030) 901820\r\n",
        encoding="utf-8",
    )
    batch = scanned(BatchSource.from_path(str(path), "Telefon"))

    results = batch.results(batch.view(None))

    assert [item.result.input for item in results] == ["+49 30 901820", "(030) 901820"]
    assert batch.better_column is None


def test_results_first_column_bom(tmp_path: Path) -> None:
    path = tmp_path / "numbers.csv"
    path.write_bytes(b"\xef\xbb\xbfPhone\r\n+14155550100\r\n")
    batch = scanned(BatchSource.from_path(str(path)))

    assert batch.results([0])[0].result.input == "+14155550100"


def test_results_text_bom_first_line(tmp_path: Path) -> None:
    path = tmp_path / "log.txt"
    path.write_bytes(b"\xef\xbb\xbf+14155550100\r\nanonymous\r\n")
    batch = scanned(BatchSource.from_path(str(path)))

    assert [item.result.input for item in batch.results([0, 1])] == [
        "+14155550100",
        "anonymous",
    ]


def test_results_pasted() -> None:
    batch = scanned(BatchSource.from_text("020 7946 0123\n\nanonymous\n"), "GB")

    results = batch.results(batch.view(None))

    assert [item.line for item in results] == [1, 3]
    assert results[0].result.e164 == "442079460123"


def test_undecodable_bytes(tmp_path: Path) -> None:
    path = tmp_path / "log.txt"
    path.write_bytes(b"+1415\xff5550100\n")
    batch = scanned(BatchSource.from_path(str(path)))

    assert batch.counts.by_status[FormatStatus.INVALID] == 1
    assert "\ufffd" in batch.results([0])[0].result.input


# export


def exported(
    batch: BatchFile,
    path: Path,
    export_format: ExportFormat,
    status: FormatStatus | None,
) -> int:
    return batch.export(
        path, export_format, status, lambda done, total: None, lambda: False
    )


def test_export_csv_all(tmp_path: Path) -> None:
    batch = scanned(BatchSource.from_path(str(text_file(tmp_path, WEBHOOK_LOG))))
    path = tmp_path / "out.csv"

    written = exported(batch, path, ExportFormat.CSV, None)

    with path.open(newline="", encoding="utf-8") as file:
        rows = list(csv.reader(file))
    assert written == 5
    assert rows[0] == list(EXPORT_FIELDS)
    assert [row[0] for row in rows[1:]] == ["1", "2", "3", "5", "6"]
    assert rows[1][1] == "'+14155550100"
    assert rows[2][2] == "withheld"


def test_export_json_filtered(tmp_path: Path) -> None:
    batch = scanned(BatchSource.from_path(str(text_file(tmp_path, WEBHOOK_LOG))))
    path = tmp_path / "fixed.json"

    written = exported(batch, path, ExportFormat.JSON, FormatStatus.FIXED)

    data = json.loads(path.read_text(encoding="utf-8"))
    assert written == 3
    assert [item["line"] for item in data] == [1, 3, 6]
    assert data[1] == export_fields(3, vonage_format("(415) 555-0100", "US"))


def test_export_json_empty(tmp_path: Path) -> None:
    batch = scanned(BatchSource.from_path(str(text_file(tmp_path, WEBHOOK_LOG))))
    path = tmp_path / "valid.json"

    written = exported(batch, path, ExportFormat.JSON, FormatStatus.VALID)

    assert written == 0
    assert json.loads(path.read_text(encoding="utf-8")) == []


def test_export_keeps_existing_file(tmp_path: Path) -> None:
    batch = scanned(BatchSource.from_path(str(text_file(tmp_path, WEBHOOK_LOG))))
    path = tmp_path / "out.csv"
    path.write_text("keep me", encoding="utf-8")

    with pytest.raises(InvalidInput, match="exists already"):
        exported(batch, path, ExportFormat.CSV, None)
    assert path.read_text(encoding="utf-8") == "keep me"


def test_export_missing_folder(tmp_path: Path) -> None:
    batch = scanned(BatchSource.from_path(str(text_file(tmp_path, WEBHOOK_LOG))))

    with pytest.raises(FileNotFoundError):
        exported(batch, tmp_path / "no" / "out.csv", ExportFormat.CSV, None)


def test_export_cancelled_leaves_nothing(tmp_path: Path) -> None:
    path = text_file(tmp_path, ["+14155550100"] * (PROGRESS_EVERY * 2))
    batch = scanned(BatchSource.from_path(str(path)))
    target = tmp_path / "out.csv"

    written = batch.export(
        target, ExportFormat.CSV, None, lambda d, t: None, lambda: True
    )

    assert written == PROGRESS_EVERY
    assert not target.exists()
    assert not (tmp_path / "out.csv.part").exists()
