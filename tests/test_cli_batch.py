"""`numdesk format --file`: CliRunner for the details, the console script for the streams.

The memory test runs the installed script on a generated file of a million lines
and measures the child's peak RSS with `os.wait4`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from cli.main import numdesk
from domain.batch import result_fields
from domain.e164 import vonage_format

NUMDESK = Path(sys.executable).parent / "numdesk"
TIMEOUT_SECONDS = 60

# Caller IDs as a webhook log has them, and what US-region reading makes of each.
WEBHOOK_LOG = [
    ("+14155550100", "fixed", "14155550100"),
    ("14155550100", "valid", "14155550100"),
    ("anonymous", "withheld", None),
    ("sip:+442079460123@pbx.example.com;user=phone", "fixed", "442079460123"),
    ("(415) 555-0100 ext 12", "fixed", "14155550100"),
    (" 33612345678", "fixed", "33612345678"),
    ("+266696687", "withheld", None),
    ("hello", "invalid", None),
    ("011 44 20 7946 0123", "fixed", "442079460123"),
]
FULL_WIDTH = "\uff10\uff19\uff10"  # 090 in full-width digits
WEBHOOK_SUMMARY = "9 values: 1 valid, 5 fixed, 2 withheld, 1 invalid"


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


def run(*arguments: str, input: str | bytes | None = None) -> Result:
    return CliRunner().invoke(
        numdesk, list(arguments), input=input, catch_exceptions=False
    )


def json_lines(output: str) -> list[Any]:
    return [json.loads(line) for line in output.splitlines()]


# JSON lines


def test_json_line_per_value(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "log.txt", [raw for raw, _, _ in WEBHOOK_LOG])

    result = run("format", "--file", str(path), "--region", "US", "--json")

    assert result.exit_code == 0, result.stderr
    output = json_lines(result.stdout)
    assert [line["status"] for line in output] == [s for _, s, _ in WEBHOOK_LOG]
    assert [line["e164"] for line in output] == [e for _, _, e in WEBHOOK_LOG]


def test_json_line_same_fields(tmp_path: Path) -> None:
    raws = ["020 7946 0123", "2015550123", "Private Number"]
    path = write_lines(tmp_path / "log.txt", raws)

    result = run("format", "--file", str(path), "--region", "GB", "--json")

    expected = [result_fields(vonage_format(raw, "GB")) for raw in raws]
    assert json_lines(result.stdout) == expected


def test_json_matches_single_format(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "log.txt", ["+44 (0)20 7946 0018"])

    batch = run("format", "--file", str(path), "--json")
    single = run("format", "+44 (0)20 7946 0018", "--json")

    assert json_lines(batch.stdout) == [json.loads(single.stdout)]


def test_json_summary_on_stderr(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "log.txt", [raw for raw, _, _ in WEBHOOK_LOG])

    result = run("format", "--file", str(path), "--region", "US", "--json")

    assert result.stderr == WEBHOOK_SUMMARY + "\n"


def test_json_lines_ascii_only(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "log.txt", ["\x1b[2J\u202e+44", FULL_WIDTH])

    result = run("format", "--file", str(path), "--json")

    assert result.stdout.isascii()
    assert [line["input"] for line in json_lines(result.stdout)] == [
        "\x1b[2J\u202e+44",
        FULL_WIDTH,
    ]


# text lines


def test_text_line_per_value(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "log.txt", ["+44 20 7946 0123", "", "hello"])

    result = run("format", "--file", str(path), "--region", "GB")

    lines = result.stdout.splitlines()
    assert result.exit_code == 0
    assert lines[0] == "      1  fixed     442079460123     '+44 20 7946 0123'"
    assert lines[1].startswith("      3  invalid   -                'hello'  ")
    assert "contains no digits" in lines[1]
    assert len(lines) == 2


def test_text_summary_on_stderr(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "log.txt", [raw for raw, _, _ in WEBHOOK_LOG])

    result = run("format", "--file", str(path), "--region", "US")

    assert result.stderr == WEBHOOK_SUMMARY + "\n"
    assert WEBHOOK_SUMMARY not in result.stdout


def test_text_escapes_controls(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "log.txt", ["\x1b]0;title\x07+44\u202e"])

    result = run("format", "--file", str(path))

    assert "\x1b" not in result.stdout
    assert "\x07" not in result.stdout
    assert "\u202e" not in result.stdout
    assert "\\x1b]0;title\\x07" in result.stdout


def test_text_withheld_reason(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "log.txt", ["Restricted"])

    result = run("format", "--file", str(path))

    assert "withheld" in result.stdout
    assert "hid their number" in result.stdout


# input forms


def test_stdin_dash() -> None:
    result = run("format", "--file", "-", "--json", input="+14155550100\nanonymous\n")

    assert result.exit_code == 0
    assert [line["status"] for line in json_lines(result.stdout)] == [
        "fixed",
        "withheld",
    ]


def test_crlf_and_bom(tmp_path: Path) -> None:
    path = tmp_path / "export.txt"
    path.write_bytes(b"\xef\xbb\xbf+14155550100\r\n020 7946 0123\r\n")

    result = run("format", "--file", str(path), "--region", "GB", "--json")

    assert [line["input"] for line in json_lines(result.stdout)] == [
        "+14155550100",
        "020 7946 0123",
    ]


def test_undecodable_bytes_invalid(tmp_path: Path) -> None:
    path = tmp_path / "log.txt"
    path.write_bytes(b"+1415555\xff0100\n+14155550100\n")

    result = run("format", "--file", str(path), "--json")

    output = json_lines(result.stdout)
    assert result.exit_code == 0
    assert output[0]["status"] == "invalid"
    assert "U+FFFD" in output[0]["reason"]
    assert output[1]["status"] == "fixed"


CRM_CSV = (
    "Name,Phone,Owner\r\n"
    "Alice,+44 20 7946 0123,sam\r\n"
    '"Smith, J",tel:+1-415-555-0100,sam\r\n'
    "Carol,,kim\r\n"
)


def test_csv_by_extension(tmp_path: Path) -> None:
    path = tmp_path / "crm.CSV"
    path.write_text("Phone,Name\r\n+14155550100,Alice\r\n", encoding="utf-8")

    result = run("format", "--file", str(path), "--json")

    assert [line["input"] for line in json_lines(result.stdout)] == ["+14155550100"]


def test_csv_column(tmp_path: Path) -> None:
    path = tmp_path / "crm.csv"
    path.write_text(CRM_CSV, encoding="utf-8")

    result = run("format", "--file", str(path), "--column", "Phone", "--json")

    output = json_lines(result.stdout)
    assert [line["e164"] for line in output] == ["442079460123", "14155550100", None]
    assert output[2]["status"] == "withheld"


def test_csv_semicolons(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "Name;Telefon\r\nAnna;+49 30 901820\r\nBernd;(030) 901820\r\n",
        encoding="utf-8",
    )

    result = run("format", "--file", str(path), "--column", "Telefon", "--json")

    output = json_lines(result.stdout)
    assert [line["input"] for line in output] == ["+49 30 901820", "(030) 901820"]
    assert [line["e164"] for line in output] == ["4930901820", None]


def test_csv_hints_number_column(tmp_path: Path) -> None:
    path = tmp_path / "crm.csv"
    path.write_text(CRM_CSV, encoding="utf-8")

    result = run("format", "--file", str(path))

    assert result.stderr.splitlines()[-1] == (
        "The first column has no phone number in its first rows, but the column "
        "'Phone' has: pass --column Phone to read it."
    )


def test_csv_column_from_stdin() -> None:
    result = run("format", "--file", "-", "--column", "phone", "--json", input=CRM_CSV)

    assert [line["input"] for line in json_lines(result.stdout)] == [
        "+44 20 7946 0123",
        "tel:+1-415-555-0100",
        "",
    ]


def test_csv_missing_column(tmp_path: Path) -> None:
    path = tmp_path / "crm.csv"
    path.write_text(CRM_CSV, encoding="utf-8")

    result = run("format", "--file", str(path), "--column", "From")

    assert result.exit_code == 1
    assert result.stderr.startswith("error: The CSV header has no column 'From'")
    assert result.stdout == ""


@pytest.mark.parametrize("name", ["callers.csv", "callers.txt"])
@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le"])
def test_utf16_file_rejected(tmp_path: Path, name: str, encoding: str) -> None:
    path = tmp_path / name
    path.write_text("Phone\n+14155550100\n", encoding=encoding)

    result = run("format", "--file", str(path))

    assert result.exit_code == 1
    assert result.stderr.startswith(
        "error: Line 1 of the input has a NUL character, which UTF-8 text never has: "
        "the file is probably UTF-16 text"
    )
    assert result.stdout == ""


def test_text_file_with_commas(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "sip.txt", ['"Smith, J" <sip:+14155550100@x.com>'])

    result = run("format", "--file", str(path), "--json")

    assert json_lines(result.stdout)[0]["e164"] == "14155550100"


# usage


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["format", "+14155550100", "--file", "-"], "not both"),
        (["format"], "Missing argument 'RAW'"),
        (["format", "+14155550100", "--column", "Phone"], "only to --file"),
        (["format", "--file", "no-such-file.txt"], "no-such-file.txt"),
    ],
)
def test_usage_errors(arguments: list[str], message: str) -> None:
    result = run(*arguments)

    assert result.exit_code == 2
    assert message in result.stderr


def test_unknown_region_with_file(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "log.txt", ["+14155550100"])

    result = run("format", "--file", str(path), "--region", "XX")

    assert result.exit_code == 1
    assert result.stderr.startswith("error: ")


# the console script


def script(
    *arguments: str, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(NUMDESK), *arguments],
        input=input,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        env={**os.environ, "LC_ALL": "en_US.UTF-8"},
    )


def test_script_file_json(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "log.txt", [raw for raw, _, _ in WEBHOOK_LOG])

    process = script("format", "--file", str(path), "--json")

    assert process.returncode == 0
    assert [line["e164"] for line in json_lines(process.stdout)] == [
        e for _, _, e in WEBHOOK_LOG
    ]
    assert process.stderr == WEBHOOK_SUMMARY + "\n"


def test_script_stdin_text() -> None:
    log = "".join(f"{raw}\n" for raw, _, _ in WEBHOOK_LOG)

    process = script("format", "--file", "-", input=log)

    lines = process.stdout.splitlines()
    assert process.returncode == 0
    assert len(lines) == len(WEBHOOK_LOG)
    assert lines[2].split()[:3] == ["3", "withheld", "-"]
    assert process.stderr == WEBHOOK_SUMMARY + "\n"


def test_script_csv_column(tmp_path: Path) -> None:
    path = tmp_path / "crm.csv"
    path.write_text(CRM_CSV, encoding="utf-8")

    process = script("format", "--file", str(path), "--column", "Phone", "--json")

    assert process.returncode == 0
    assert len(json_lines(process.stdout)) == 3
    assert process.stderr == "3 values: 0 valid, 2 fixed, 1 withheld, 0 invalid\n"


# memory

MILLION = 1_000_000
# The growth allowed over a run on a 10-line file: generous, because it bounds
# memory that grows with the input, not the interpreter's own.
MAX_GROWTH_KIB = 150 * 1024  # ru_maxrss is in KiB on Linux, in bytes on macOS.

# A mix of the kinds a webhook log holds. Each {} takes a varying number, so that no
# two neighbouring lines are equal.
LOG_KINDS = [
    "+1415555{:04d}",
    "anonymous",
    "+44 20 7946 {:04d}",
    "Unavailable",
    "sip:+1212555{:04d}@pbx.example.com",
    "Private",
    "1415555{:04d}",
    "hello{}",
]


def write_log(path: Path, count: int) -> Path:
    with path.open("w", encoding="utf-8") as file:
        for index in range(count):
            kind = LOG_KINDS[index % len(LOG_KINDS)]
            file.write(kind.format(index % 10_000) + "\n")
    return path


def peak_rss_kib(path: Path, tmp_path: Path) -> tuple[int, str]:
    """Run `format --file PATH --json`, returning its peak RSS in KiB and its stderr."""
    stderr_path = tmp_path / f"{path.stem}.stderr"
    with stderr_path.open("w") as stderr:
        process = subprocess.Popen(
            [str(NUMDESK), "format", "--file", str(path), "--json", "--region", "US"],
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
        _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    assert process.returncode == 0, stderr_path.read_text()
    return usage.ru_maxrss, stderr_path.read_text()


def test_million_lines_bounded_memory(tmp_path: Path) -> None:
    small = write_log(tmp_path / "small.txt", 10)
    large = write_log(tmp_path / "large.txt", MILLION)

    small_rss, _ = peak_rss_kib(small, tmp_path)
    large_rss, summary = peak_rss_kib(large, tmp_path)

    assert summary.startswith("1,000,000 values: ")
    assert large_rss - small_rss < MAX_GROWTH_KIB
