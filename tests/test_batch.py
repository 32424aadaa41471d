"""Tests for domain.batch: reading values from text and CSV lines, counts and rows."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator

import pytest

from domain.batch import (
    EXPORT_FIELDS,
    SAMPLE_ROWS,
    BatchValue,
    InputType,
    OutcomeCounts,
    better_number_column,
    cell_separator,
    check_values,
    csv_cell,
    csv_column_index,
    csv_export_row,
    csv_rows,
    csv_values,
    export_fields,
    input_type_for,
    result_fields,
    text_values,
)
from domain.e164 import FormatStatus, vonage_format
from domain.errors import InvalidInput


def lines_of(text: str) -> list[str]:
    """Split text into lines with their endings, as iterating over a file does."""
    return io.StringIO(text, newline="").readlines()


# text_values


def test_text_values_numbers_lines() -> None:
    values = list(text_values(lines_of("+44 20 7946 0123\nanonymous\n14155550100")))

    assert values == [
        BatchValue(1, "+44 20 7946 0123"),
        BatchValue(2, "anonymous"),
        BatchValue(3, "14155550100"),
    ]


def test_text_values_skip_blank_lines() -> None:
    values = list(text_values(lines_of("\n+14155550100\n\n\r\n \t\nPrivate\n")))

    assert values == [BatchValue(2, "+14155550100"), BatchValue(6, "Private")]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (" 14155550100\n", " 14155550100"),
        ("+44 20 7946 0123 \r\n", "+44 20 7946 0123 "),
        ("0207 946 0123\r\n", "0207 946 0123"),
    ],
)
def test_text_values_keep_spaces(text: str, value: str) -> None:
    assert [item.raw for item in text_values(lines_of(text))] == [value]


# csv_values


CRM_EXPORT = (
    "Name,Phone,Notes\r\n"
    "Alice,+44 20 7946 0123,called back\r\n"
    '"Smith, J","tel:+1-415-555-0100","two\r\nlines"\r\n'
    "Carol,,no number\r\n"
    "\r\n"
    "Dan\r\n"
    "Eve,sip:anonymous@anonymous.invalid,\r\n"
)


def test_csv_first_column_default() -> None:
    names = [item.raw for item in csv_values(lines_of(CRM_EXPORT))]

    assert names == ["Alice", "Smith, J", "Carol", "Dan", "Eve"]


def test_csv_named_column() -> None:
    values = list(csv_values(lines_of(CRM_EXPORT), "Phone"))

    assert values == [
        BatchValue(2, "+44 20 7946 0123"),
        BatchValue(3, "tel:+1-415-555-0100"),
        BatchValue(5, ""),
        BatchValue(7, ""),
        BatchValue(8, "sip:anonymous@anonymous.invalid"),
    ]


@pytest.mark.parametrize("column", ["phone", "PHONE", " Phone "])
def test_csv_column_any_case(column: str) -> None:
    values = list(csv_values(lines_of(CRM_EXPORT), column))

    assert values[0].raw == "+44 20 7946 0123"


def test_csv_exact_case_wins() -> None:
    text = "phone,Phone\r\n1,+14155550100\r\n"

    assert [item.raw for item in csv_values(lines_of(text), "Phone")] == [
        "+14155550100"
    ]


def test_csv_missing_column() -> None:
    with pytest.raises(InvalidInput) as caught:
        list(csv_values(lines_of(CRM_EXPORT), "from"))

    message = str(caught.value)
    assert "no column 'from'" in message
    assert "'Name', 'Phone', 'Notes'" in message


def test_csv_ambiguous_case_missing() -> None:
    with pytest.raises(InvalidInput, match="no column 'PHONE'"):
        list(csv_values(lines_of("phone,Phone\r\n1,2\r\n"), "PHONE"))


def test_csv_invalid_row_line() -> None:
    too_long = "9" * (csv.field_size_limit() + 1)
    text = f"Phone\n+14155550100\n{too_long}\n"
    values = csv_values(lines_of(text))

    assert next(values) == BatchValue(2, "+14155550100")
    with pytest.raises(InvalidInput, match="Line 3 of the CSV input is not valid"):
        next(values)


@pytest.mark.parametrize("read", [text_values, csv_values])
def test_nul_character_is_no_text(read: Callable[..., Iterator[BatchValue]]) -> None:
    values = read(lines_of("Phone\n+14155550100\n+1415\x005550101\n"))

    with pytest.raises(InvalidInput) as caught:
        list(values)

    assert str(caught.value).startswith(
        "Line 3 of the input has a NUL character, which UTF-8 text never has"
    )


def test_csv_unclosed_quote_is_an_error() -> None:
    # Read leniently, the quote would take the next lines into its cell, and their
    # numbers would be lost without a word.
    text = 'Phone,Note\n+14155550100,"VIP\n+14155550101,\n+14155550102,\n'
    values = csv_values(lines_of(text))

    with pytest.raises(InvalidInput) as caught:
        next(values)

    assert str(caught.value).startswith(
        "Lines 2 to 4 of the CSV input read as one row, which is not valid CSV "
        "(unexpected end of data): a quote on line 2 is probably never closed."
    )


def test_csv_text_after_closing_quote_is_an_error() -> None:
    values = csv_values(lines_of('Phone,Note\n+14155550100,"VIP"x\n'))

    with pytest.raises(InvalidInput, match=r"^Line 2 of the CSV input is not valid"):
        next(values)


def test_csv_quoted_cell_over_lines_is_read() -> None:
    text = 'Phone,Note\n+14155550100,"two\nlines"\n+14155550101,""\n'

    assert list(csv_values(lines_of(text))) == [
        BatchValue(2, "+14155550100"),
        BatchValue(4, "+14155550101"),
    ]


@pytest.mark.parametrize(
    ("header", "separator"),
    [
        ("Name,Phone,Notes\r\n", ","),
        ("Name;Phone;Notes\r\n", ";"),
        ("Name\tPhone\n", "\t"),
        ("Name|Phone\n", "|"),
        # One column, or as many cells either way: a comma.
        ("Phone\n", ","),
        ("Name;Phone,Notes\n", ","),
        # Separators inside quotes split no cells.
        ('"Name; first";Phone\n', ";"),
        ('"Name, first";Phone\n', ";"),
        ('"Phone;Fax",Notes\n', ","),
    ],
)
def test_cell_separator(header: str, separator: str) -> None:
    assert cell_separator(header) == separator


SEMICOLON_EXPORT = (
    "Name;Telefon;Notiz\r\n"
    "Anna;+49 30 901820;Rückruf, bitte\r\n"
    '"Meier; Bernd";(030) 901820;\r\n'
)


def test_csv_semicolon_column() -> None:
    values = list(csv_values(lines_of(SEMICOLON_EXPORT), "Telefon"))

    assert values == [BatchValue(2, "+49 30 901820"), BatchValue(3, "(030) 901820")]


def test_csv_semicolon_first_column() -> None:
    names = [item.raw for item in csv_values(lines_of(SEMICOLON_EXPORT))]

    assert names == ["Anna", "Meier; Bernd"]


def test_csv_semicolon_missing_column() -> None:
    with pytest.raises(InvalidInput) as caught:
        list(csv_values(lines_of(SEMICOLON_EXPORT), "Phone"))

    assert "'Name', 'Telefon', 'Notiz'" in str(caught.value)


@pytest.mark.parametrize(
    ("lines", "separator", "rows"),
    [
        ([], ",", []),
        (["a;b\n", "1;2\n"], ";", [["a", "b"], ["1", "2"]]),
        (["a,b\n", "1;2\n"], ",", [["a", "b"], ["1;2"]]),
    ],
)
def test_csv_rows(lines: list[str], separator: str, rows: list[list[str]]) -> None:
    found, reader = csv_rows(lines)

    assert (found, list(reader)) == (separator, rows)


@pytest.mark.parametrize("text", ["", "Phone\r\n", "Phone\r\n\r\n\r\n"])
def test_csv_without_rows(text: str) -> None:
    assert list(csv_values(lines_of(text), "Phone")) == []


@pytest.mark.parametrize(
    ("column", "index"), [(None, 0), ("Phone", 1), ("notes", 2), ("  NAME ", 0)]
)
def test_csv_column_index(column: str | None, index: int) -> None:
    assert csv_column_index(["Name", "Phone", "Notes"], column) == index


@pytest.mark.parametrize(
    ("row", "index", "cell"),
    [(["a", "b"], 1, "b"), (["a"], 1, ""), ([], 0, "")],
)
def test_csv_cell(row: list[str], index: int, cell: str) -> None:
    assert csv_cell(row, index) == cell


@pytest.mark.parametrize(
    ("name", "column", "input_type"),
    [
        ("callers.txt", None, InputType.TEXT),
        ("export.csv", None, InputType.CSV),
        ("EXPORT.CSV", None, InputType.CSV),
        ("sheet.tsv", None, InputType.CSV),
        ("<stdin>", "Phone", InputType.CSV),
        ("callers.csv.txt", None, InputType.TEXT),
    ],
)
def test_input_type_for(name: str, column: str | None, input_type: InputType) -> None:
    assert input_type_for(name, column) == input_type


# check_values and counts


def test_check_values_in_region() -> None:
    values = [BatchValue(1, "020 7946 0123"), BatchValue(4, "anonymous")]

    results = list(check_values(values, "GB"))

    assert [item.line for item in results] == [1, 4]
    assert results[0].result == vonage_format("020 7946 0123", "GB")
    assert results[1].result.status == FormatStatus.WITHHELD


def test_counts_summary() -> None:
    counts = OutcomeCounts()
    for status in [FormatStatus.FIXED, FormatStatus.FIXED, FormatStatus.INVALID]:
        counts.add(status)

    assert counts.total == 3
    assert counts.by_status[FormatStatus.FIXED] == 2
    assert counts.summary() == "3 values: 0 valid, 2 fixed, 0 withheld, 1 invalid"


def test_counts_summary_one_value() -> None:
    counts = OutcomeCounts()
    counts.add(FormatStatus.VALID)

    assert counts.summary() == "1 value: 1 valid, 0 fixed, 0 withheld, 0 invalid"


def test_counts_summary_thousands() -> None:
    counts = OutcomeCounts()
    counts.by_status[FormatStatus.WITHHELD] = 1234567

    assert counts.summary().startswith("1,234,567 values: ")


# rows


def test_result_fields_keys() -> None:
    fields = result_fields(vonage_format("+44 20 7946 0123"))

    assert list(fields) == [
        "input",
        "e164",
        "status",
        "changes",
        "country",
        "type",
        "reason",
        "notes",
        "alternatives",
    ]
    assert fields["status"] == "fixed"
    assert fields["e164"] == "442079460123"


def test_export_fields_line_first() -> None:
    result = vonage_format("anonymous")
    fields = export_fields(12, result)

    assert next(iter(fields)) == "line"
    assert fields["line"] == 12
    assert fields["status"] == "withheld"


def test_csv_export_row_columns() -> None:
    result = vonage_format("2015550123", "US")
    row = dict(zip(EXPORT_FIELDS, csv_export_row(7, result), strict=True))

    assert row["line"] == "7"
    assert row["input"] == "2015550123"
    assert row["status"] == "fixed"
    assert row["e164"] == "12015550123"
    assert row["country"] == "US"
    assert row["changes"] == "; ".join(result.changes)
    assert row["alternatives"] == "2015550123"
    assert row["reason"] == ""


@pytest.mark.parametrize(
    ("raw", "cell"),
    [
        ("+44 20 7946 0123", "'+44 20 7946 0123"),
        ('=HYPERLINK("http://example.com")', '\'=HYPERLINK("http://example.com")'),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t14155550100", "'\t14155550100"),
        ("14155550100", "14155550100"),
        ("anonymous", "anonymous"),
    ],
)
def test_csv_export_formula_guard(raw: str, cell: str) -> None:
    row = csv_export_row(1, vonage_format(raw))

    assert row[EXPORT_FIELDS.index("input")] == cell


@pytest.mark.parametrize(
    ("csv_text", "column", "better"),
    [
        ("name,phone\nAlice,+1 415 555 0101\nBob,+44 20 7946 0018\n", None, "phone"),
        ("Name, Phone no\nAlice,(415) 555-0101\n", "name", "Phone no"),
        # A third of the rows with a number in another column is enough.
        ("name,phone\nAlice,+1 415 555 0101\nBob,\nCarol,abc\n", None, "phone"),
        # The column read has a number, so it is the right one.
        ("phone,name\n+1 415 555 0101,Alice\nBob,Bob\n", None, None),
        ("name,phone\nAlice,+1 415 555 0101\nBob,\nCarol,\nDan,\n", None, None),
        ("name,note\nAlice,call back\n", None, None),
        ("name\nAlice\n", None, None),
        ("name,phone\n", None, None),
        ('name,phone\n"Alice,+1 415 555 0101\n', None, None),
        ("name,phone\nAlice,+1 415 555 0101\n", "missing", None),
        ("name;phone\nAlice;+1 415 555 0101\n", None, "phone"),
    ],
)
def test_better_number_column(
    csv_text: str, column: str | None, better: str | None
) -> None:
    lines = csv_text.splitlines(keepends=True)
    assert better_number_column(lines, column, "US") == better


def test_better_column_reads_sample_only() -> None:
    rows = ["Alice,note"] * SAMPLE_ROWS + ["Bob,+1 415 555 0101"] * SAMPLE_ROWS
    lines = ["name,phone", *rows]
    assert better_number_column(lines, None, "US") is None
