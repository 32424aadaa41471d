"""Escaping, JSON, tables, amounts and progress lines in the CLI output."""

from __future__ import annotations

import io
import json
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from cli.options import example
from cli.output import (
    escape_controls,
    format_eur,
    format_fields,
    format_table,
    to_json,
)
from cli.session import GenerationProgress

HOSTILE_TEXTS = [
    "\x1b[2J\x1b[31mred",
    "bell\x07",
    "back\x08space",
    "line\nbreak",
    "carriage\rreturn",
    "del\x7f",
    "csi\x9b31m",
    "osc\x9d0;title\x07",
    "right\u202eto left",
    "arabic mark\u061c",
    "isolate\u2066x\u2069",
    "next\u2028line",
    "nul\x00",
    # The byte 0x9b of an argument that is not UTF-8, as Python decodes it.
    "raw byte\udc9b2J",
    # Characters that show nothing, so that two different names look the same.
    "zero\u200bwidth",
    "no-break\u00a0space",
    "word\u2060joiner",
    "tag\U000e0041",
]


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_escape_controls_leaves_no_control(text: str) -> None:
    escaped = escape_controls(text)
    assert escaped.isprintable()


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("\x1b[31m", "\\x1b[31m"),
        ("a\nb", "a\\x0ab"),
        ("\x9b", "\\x9b"),
        ("\u202e", "\\u202e"),
        ("\udc9b", "\\udc9b"),
        ("Café 東京", "Café 東京"),
        ("[bold]markup[/]", "[bold]markup[/]"),
        ("tab\there", "tab\\x09here"),
        ("zw\u200bx", "zw\\u200bx"),
        ("tag\U000e0041", "tag\\U000e0041"),
    ],
)
def test_escape_controls_output(text: str, escaped: str) -> None:
    assert escape_controls(text) == escaped


def test_escape_controls_is_idempotent() -> None:
    once = escape_controls("\x1b[31m\u202e")
    assert escape_controls(once) == once


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_to_json_round_trips(text: str) -> None:
    assert json.loads(to_json({"name": text})) == {"name": text}


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_to_json_escapes_controls(text: str) -> None:
    assert to_json({"name": text}).replace("\n", "").isprintable()


def test_to_json_keeps_letters_readable() -> None:
    assert "Café 東京" in to_json({"name": "Café 東京"})


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (Decimal("0.9"), "0.90"),
        (Decimal("0.90"), "0.90"),
        (Decimal("12"), "12.00"),
        (Decimal("1.2345"), "1.2345"),
        (Decimal("-0.5"), "-0.50"),
    ],
)
def test_format_eur(amount: Decimal, text: str) -> None:
    assert format_eur(amount) == text


def test_format_table_aligns_columns() -> None:
    table = format_table(("A", "LONG HEADER"), [["wide value", "x"], ["y", "z"]])
    assert table.splitlines() == [
        "A           LONG HEADER",
        "wide value  x",
        "y           z",
    ]


def test_format_table_counts_wide_characters() -> None:
    table = format_table(("NAME", "ID"), [["東京", "1"], ["abc", "2"]])
    assert table.splitlines() == ["NAME  ID", "東京  1", "abc   2"]


def test_format_table_escapes_cells() -> None:
    table = format_table(("NAME",), [["\x1b[31mred"]])
    assert "\x1b" not in table


def test_format_fields_aligns_values() -> None:
    text = format_fields([("id", "1"), ("name", "Support")])
    assert text.splitlines() == ["id    1", "name  Support"]


def test_example_keeps_lines_unwrapped() -> None:
    epilog = example("numdesk a", "numdesk b")
    assert epilog == "Examples:\n\n\b\n  numdesk a\n  numdesk b"


class FakeTerminal(io.StringIO):
    """A stderr that reports being a terminal and keeps what was written."""

    def isatty(self) -> bool:
        return True


def report_regions(
    monkeypatch: pytest.MonkeyPatch, stderr: io.StringIO, total: int
) -> str:
    monkeypatch.setattr(sys, "stderr", stderr)
    progress = GenerationProgress(Path("/data/numdesk.db"))
    for done in range(1, total + 1):
        progress(done, total)
    return stderr.getvalue()


def test_progress_on_terminal_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    output = report_regions(monkeypatch, FakeTerminal(), 3)
    message = "\rGenerating the sandbox inventory in /data/numdesk.db"
    assert output == (
        f"{message}: 1/3 regions{message}: 2/3 regions{message}: 3/3 regions\n"
    )


def test_progress_elsewhere_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    output = report_regions(monkeypatch, io.StringIO(), 3)
    assert output == (
        "Generating the sandbox inventory in /data/numdesk.db, which takes a few "
        "seconds.\n"
    )
