"""`numdesk insight`, run in-process through click's CliRunner."""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner, Result

from cli.main import numdesk
from domain.e164 import vonage_format
from domain.insight import number_insight

INSIGHT_KEYS = [
    "input",
    "e164",
    "status",
    "changes",
    "notes",
    "country",
    "country_name",
    "area",
    "type",
    "carrier",
    "time_zones",
]


def run(*arguments: str) -> Result:
    return CliRunner().invoke(numdesk, list(arguments), catch_exceptions=False)


def run_json(*arguments: str) -> Any:
    result = run(*arguments, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    ("raw", "region", "e164", "country", "number_type"),
    [
        ("+44 114 496 0123", None, "441144960123", "GB", "landline"),
        ("07912 345678", "GB", "447912345678", "GB", "mobile"),
        ("sip:+8613912345678@gw.example.cn", None, "8613912345678", "CN", "mobile"),
        ("+54 11 15 2345 6789", None, "5491123456789", "AR", "mobile"),
        ("1-800-FLOWERS", "US", "18003569377", "US", "toll-free"),
        ("+800 1234 5678", None, "80012345678", "001", "toll-free"),
    ],
)
def test_insight_number(
    raw: str, region: str | None, e164: str, country: str, number_type: str
) -> None:
    options = ["--region", region] if region else []

    output = run_json("insight", raw, *options)

    assert output["e164"] == e164
    assert output["country"] == country
    assert output["type"] == number_type


def test_insight_json_shape() -> None:
    output = run_json("insight", "+44 114 496 0123")

    assert list(output) == INSIGHT_KEYS
    assert output["input"] == "+44 114 496 0123"
    assert output["status"] == "fixed"
    assert output["changes"] == list(vonage_format("+44 114 496 0123").changes)


def test_insight_json_matches_domain() -> None:
    output = run_json("insight", "+86 139 1234 5678")
    expected = number_insight("8613912345678")

    assert output["country_name"] == expected.country_name
    assert output["area"] == expected.area
    assert output["carrier"] == expected.carrier
    assert output["time_zones"] == list(expected.time_zones)


def test_insight_unknown_fields_null() -> None:
    output = run_json("insight", "+800 1234 5678")

    assert output["area"] is None
    assert output["carrier"] is None
    assert output["time_zones"] == []


def test_insight_mobile_carrier() -> None:
    output = run_json("insight", "+33 6 12 34 56 78")

    assert output["area"] is None
    assert output["carrier"] == "SFR"


def test_insight_reserved_range() -> None:
    output = run_json("insight", "+44 7700 900123")

    assert output["country"] == "GB"
    assert output["type"] == "mobile"
    assert output["carrier"] is None
    assert output["notes"] == [
        "447700900123 is in a range Ofcom reserves for drama: it is not in service."
    ]


def test_insight_text_notes_reserved_range() -> None:
    result = run("insight", "447700900123")

    assert result.stdout.splitlines()[-1] == (
        "note        447700900123 is in a range Ofcom reserves for drama: it is not "
        "in service."
    )


def test_insight_region_from_locale() -> None:
    result = CliRunner().invoke(
        numdesk, ["insight", "020 7946 0123", "--json"], env={"LC_ALL": "en_GB.UTF-8"}
    )

    assert json.loads(result.stdout)["e164"] == "442079460123"


def test_insight_text() -> None:
    result = run("insight", "07912 345678", "--region", "GB")
    lines = result.stdout.splitlines()

    assert result.exit_code == 0
    assert lines[0] == "input       '07912 345678'"
    assert lines[1] == "e164        447912345678"
    assert lines[2].startswith("read by     removed the spaces; ")
    assert "country     United Kingdom (GB)" in lines
    assert "type        mobile" in lines
    assert any(line.startswith("carrier     O2 (first carrier") for line in lines)
    assert any(line.startswith("time zones  ") for line in lines)


def test_insight_text_unknowns() -> None:
    lines = run("insight", "+800 1234 5678").stdout.splitlines()

    assert "area        not known" in lines
    assert "carrier     not known" in lines
    assert "time zones  not known" in lines


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("anonymous", "hid their number"),
        ("", "empty"),
        ("+266696687", "ANONYMOUS"),
        ("hello", "contains no digits"),
        ("+44 20", "too short"),
        ("sip:1001@pbx.local", "internal SIP account"),
    ],
)
def test_insight_no_number(raw: str, fragment: str) -> None:
    result = run("insight", raw, "--json")

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"error: {raw!r} contains no phone number")
    assert fragment in result.stderr


def test_insight_escapes_controls() -> None:
    result = run("insight", "\x1b[31manonymous\u202e")

    assert result.exit_code == 1
    assert "\x1b" not in result.stderr
    assert "\u202e" not in result.stderr


def test_insight_unknown_region() -> None:
    result = run("insight", "020 7946 0123", "--region", "XX")

    assert result.exit_code == 1
    assert result.stderr.startswith("error: Unknown country 'XX'")


def test_insight_missing_raw() -> None:
    assert run("insight").exit_code == 2
