"""`numdesk format` and `numdesk callerid`, run in-process through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli.serialize import format_result_to_json
from domain.applications import ApplicationDraft, HttpMethod
from domain.e164 import vonage_format
from domain.numbers import SearchQuery
from store.account import SandboxAccount
from tests.cli_runner import run, run_json

FORMAT_KEYS = {
    "input",
    "e164",
    "status",
    "changes",
    "country",
    "type",
    "reason",
    "notes",
    "alternatives",
}


def rent_first(account: SandboxAccount, country: str = "GB") -> str:
    number = account.search(SearchQuery(country=country, size=1)).items[0]
    return account.rent(number.msisdn).msisdn


def make_application(
    account: SandboxAccount, method: HttpMethod = HttpMethod.GET
) -> str:
    draft = ApplicationDraft(
        name="Support",
        answer_url="https://example.com/answer",
        event_url="https://example.com/event",
        answer_method=method,
    )
    return account.create_application(draft).id


def spaced(msisdn: str) -> str:
    """Write an msisdn as people paste it: `+44 1130 145618`."""
    return f"+{msisdn[:2]} {msisdn[2:6]} {msisdn[6:]}"


# format


@pytest.mark.parametrize(
    ("raw", "region", "status", "e164"),
    [
        ("14155550101", "US", "valid", "14155550101"),
        ("+1 415 555 0101", "US", "fixed", "14155550101"),
        ("+44 (0)20 7946 0018", "US", "fixed", "442079460018"),
        ("020 7946 0018", "GB", "fixed", "442079460018"),
        ("011 44 20 7946 0018", "US", "fixed", "442079460018"),
        ("anonymous", "US", "withheld", None),
        ("", "US", "withheld", None),
        ("+266696687", "US", "withheld", None),
        ("12", "US", "invalid", None),
        ("hello", "US", "invalid", None),
        ("x\x1b[31my", "US", "invalid", None),
    ],
)
def test_format_status(
    store_path: Path, raw: str, region: str, status: str, e164: str | None
) -> None:
    output = run_json(store_path, "format", raw, "--region", region)
    assert output["status"] == status
    assert output["e164"] == e164
    assert output["input"] == raw


def test_format_json_shape(store_path: Path) -> None:
    output = run_json(store_path, "format", "+44 (0)20 7946 0018")
    assert set(output) == FORMAT_KEYS
    assert output["country"] == "GB"
    assert output["type"] == "landline"
    assert output["changes"]


def test_format_json_matches_domain(store_path: Path) -> None:
    output = run_json(store_path, "format", "020 7946 0018", "--region", "gb")
    expected = format_result_to_json(vonage_format("020 7946 0018", "GB"))
    assert output == expected


@pytest.mark.parametrize(
    ("environment", "e164"),
    [
        ({"LC_ALL": "en_GB.UTF-8"}, "442079460018"),
        (
            {"LC_ALL": "", "LC_TELEPHONE": "en_GB.UTF-8", "LANG": "C.UTF-8"},
            "442079460018",
        ),
        ({"LC_ALL": "", "LANG": "en_GB.UTF-8"}, "442079460018"),
        ({"LC_ALL": "en_US.UTF-8", "LANG": "en_GB.UTF-8"}, None),
    ],
)
def test_format_region_from_locale(
    store_path: Path, environment: dict[str, str], e164: str | None
) -> None:
    result = run(
        store_path, "format", "020 7946 0018", "--json", environment=environment
    )
    assert json.loads(result.stdout)["e164"] == e164


def test_format_text(store_path: Path) -> None:
    result = run(store_path, "format", "020 7946 0018", "--region", "GB")
    lines = result.stdout.splitlines()
    assert result.exit_code == 0
    assert lines[:5] == [
        "input    '020 7946 0018'",
        "status   fixed",
        "e164     442079460018",
        "country  GB",
        "type     landline",
    ]
    assert lines[5].startswith("changes  ")
    assert lines[6].startswith("         ")


@pytest.mark.parametrize(
    ("arguments", "locale", "words"),
    [
        ([], "en_US.UTF-8", "the region of your locale"),
        ([], "C.UTF-8", "the default region, as your locale names none"),
        (["--region", "US"], "en_US.UTF-8", "the region given"),
    ],
    ids=["locale", "no-locale-region", "option"],
)
def test_format_names_where_region_came_from(
    store_path: Path, arguments: list[str], locale: str, words: str
) -> None:
    environment = {"LC_ALL": "", "LC_TELEPHONE": "", "LANG": locale}

    result = run(
        store_path, "format", "(415) 555-0101", *arguments, environment=environment
    )

    assert f"added the country code 1 of US, {words}" in " ".join(result.stdout.split())


def test_format_file_names_locale_region(store_path: Path, tmp_path: Path) -> None:
    values = tmp_path / "values.txt"
    values.write_text("(415) 555-0101\n", encoding="utf-8")

    result = run(
        store_path, "format", "--file", str(values), "--json", environment=US_LOCALE
    )

    (line,) = result.stdout.splitlines()
    assert "added the country code 1 of US, the region of your locale" in line


def test_format_text_invalid_reason(store_path: Path) -> None:
    result = run(store_path, "format", "hello")
    assert result.exit_code == 0
    assert "status  invalid" in result.stdout.splitlines()
    assert "reason  " in result.stdout


US_LOCALE = {"LC_ALL": "", "LC_TELEPHONE": "", "LANG": "en_US.UTF-8"}
LOCALE_NOTE = (
    "note: read in US, the region of your locale. If the number is of another "
    "country, give it with --region, such as --region GB.\n"
)


@pytest.mark.parametrize("command", [["format"], ["callerid", "outbound"]])
def test_invalid_national_notes_locale(store_path: Path, command: list[str]) -> None:
    result = run(store_path, *command, "07819968839", environment=US_LOCALE)

    assert result.exit_code == 0
    assert result.stderr == LOCALE_NOTE


@pytest.mark.parametrize(
    "arguments",
    [
        ["07819968839", "--region", "US"],
        ["+44 7819 968839"],
        ["07819 968839", "--region", "GB"],
        ["hello"],
        # An access code names the country already.
        ["0049 30"],
        ["011 49 30"],
    ],
)
def test_locale_note_only_without_region(
    store_path: Path, arguments: list[str]
) -> None:
    result = run(store_path, "format", *arguments, environment=US_LOCALE)

    assert result.stderr == ""


def test_format_text_escapes_controls(store_path: Path) -> None:
    result = run(store_path, "format", "\x1b]0;title\x07\u202e123")
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout
    assert "\x07" not in result.stdout
    assert "\u202e" not in result.stdout
    assert "\\x1b]0;title\\x07" in result.stdout


def test_format_json_escapes_controls(store_path: Path) -> None:
    result = run(store_path, "format", "\x1b[2J\u202e", "--json")
    assert "\x1b" not in result.stdout
    assert "\u202e" not in result.stdout
    assert json.loads(result.stdout)["input"] == "\x1b[2J\u202e"


def test_format_bad_region(store_path: Path) -> None:
    result = run(store_path, "format", "020 7946 0018", "--region", "XX")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: Unknown country 'XX'")
    assert result.stdout == ""


def test_format_opens_no_store(tmp_path: Path) -> None:
    path = tmp_path / "never.db"
    result = run(path, "format", "14155550101")
    assert result.exit_code == 0
    assert not path.exists()


def test_format_missing_raw(store_path: Path) -> None:
    assert run(store_path, "format").exit_code == 2


# callerid outbound


def test_outbound_owned(store_path: Path, account: SandboxAccount) -> None:
    msisdn = rent_first(account)
    output = run_json(store_path, "callerid", "outbound", spaced(msisdn))
    assert set(output) == {"input", "from", "owned", "reason"}
    assert output["from"] == msisdn
    assert output["owned"] is True
    assert output["input"] == spaced(msisdn)


def test_outbound_owned_and_linked(store_path: Path, account: SandboxAccount) -> None:
    msisdn = rent_first(account)
    account.link(msisdn, make_application(account))
    output = run_json(store_path, "callerid", "outbound", msisdn)
    assert output["from"] == msisdn


@pytest.mark.parametrize("raw", ["14155550101", "anonymous", "hello", ""])
def test_outbound_unknown(store_path: Path, account: SandboxAccount, raw: str) -> None:
    rent_first(account)
    output = run_json(store_path, "callerid", "outbound", raw)
    assert output["from"] == "unknown"
    assert output["owned"] is False
    assert output["reason"]


def test_outbound_national_needs_region(
    store_path: Path, account: SandboxAccount
) -> None:
    msisdn = rent_first(account)
    national = "0" + msisdn[2:]
    without = run_json(store_path, "callerid", "outbound", national)
    with_region = run_json(
        store_path, "callerid", "outbound", national, "--region", "GB"
    )
    assert without["from"] == "unknown"
    assert with_region["from"] == msisdn


def test_outbound_text(store_path: Path, account: SandboxAccount) -> None:
    msisdn = rent_first(account)
    result = run(store_path, "callerid", "outbound", msisdn)
    lines = result.stdout.splitlines()
    assert lines[:3] == [f"input   '{msisdn}'", f"from    {msisdn}", "owned   yes"]
    assert lines[3].startswith("reason  ")


def test_outbound_bad_region(store_path: Path) -> None:
    result = run(store_path, "callerid", "outbound", "1", "--region", "ZZ")
    assert result.exit_code == 1


# callerid inbound


def test_inbound_not_linked(store_path: Path, account: SandboxAccount) -> None:
    msisdn = rent_first(account)
    output = run_json(store_path, "callerid", "inbound", "07700 900123", "--to", msisdn)
    assert output["from"] == "07700 900123"
    assert output["status"] == "fixed"
    assert output["suggested"] == "447700900123"
    assert output["to"] == msisdn
    assert output["application"] is None
    assert output["request"] is None


def test_inbound_linked_request(store_path: Path, account: SandboxAccount) -> None:
    msisdn = rent_first(account)
    app_id = make_application(account)
    account.link(msisdn, app_id)
    output = run_json(store_path, "callerid", "inbound", "07700 900123", "--to", msisdn)
    request = output["request"]
    assert output["application"]["id"] == app_id
    assert request["method"] == "GET"
    assert request["url"] == "https://example.com/answer"
    assert request["params"]["to"] == msisdn
    assert request["params"]["from"] == "07700 900123"
    assert request["params"]["conversation_uuid"].startswith("CON-")
    assert set(request["params"]) == {"to", "from", "uuid", "conversation_uuid"}


@pytest.mark.parametrize(
    ("raw", "status", "suggested"),
    [
        ("447700900123", "valid", "447700900123"),
        ("+44 7700 900123", "fixed", "447700900123"),
        ("anonymous", "withheld", None),
        ("+266696687", "withheld", None),
        ("12", "invalid", None),
    ],
)
def test_inbound_from_passes_through(
    store_path: Path,
    account: SandboxAccount,
    raw: str,
    status: str,
    suggested: str | None,
) -> None:
    msisdn = rent_first(account)
    account.link(msisdn, make_application(account))
    output = run_json(store_path, "callerid", "inbound", raw, "--to", msisdn)
    assert output["from"] == raw
    assert output["request"]["params"]["from"] == raw
    assert output["status"] == status
    assert output["suggested"] == suggested


def test_inbound_to_pasted_form(store_path: Path, account: SandboxAccount) -> None:
    msisdn = rent_first(account)
    result = run(
        store_path, "callerid", "inbound", "anonymous", "--to", spaced(msisdn), "--json"
    )
    assert result.exit_code == 0
    assert json.loads(result.stdout)["to"] == msisdn
    assert result.stderr.startswith(f"Read '{spaced(msisdn)}' as {msisdn}: ")


def test_inbound_text_get(store_path: Path, account: SandboxAccount) -> None:
    msisdn = rent_first(account)
    account.link(msisdn, make_application(account))
    result = run(store_path, "callerid", "inbound", "07700 900123", "--to", msisdn)
    lines = result.stdout.splitlines()
    assert "from         '07700 900123' (passed through as received)" in lines
    assert f"to           {msisdn}" in lines
    assert any(
        line.startswith(
            f"request      GET https://example.com/answer?to={msisdn}&from=07700+900123"
        )
        for line in lines
    )


def test_inbound_text_warns_of_local_answer_url(
    store_path: Path, account: SandboxAccount
) -> None:
    msisdn = rent_first(account)
    draft = ApplicationDraft(
        name="Dev",
        answer_url="http://127.0.0.1:3000/answer",
        event_url="https://example.com/event",
    )
    account.link(msisdn, account.create_application(draft).id)

    result = run(store_path, "callerid", "inbound", "+14155550100", "--to", msisdn)

    assert (
        "warning      The answer_url host 127.0.0.1 is not reachable from the internet, "
        "so Vonage cannot call it: expose it with a public URL, such as a tunnel to "
        "your machine."
    ) in result.stdout.splitlines()


def test_inbound_text_shows_changes_and_notes(
    store_path: Path, account: SandboxAccount
) -> None:
    msisdn = rent_first(account)
    result = run(store_path, "callerid", "inbound", "+44 7700 900123", "--to", msisdn)
    lines = result.stdout.splitlines()
    assert "changes      removed the spaces" in lines
    assert "             removed the +" in lines
    assert (
        "notes        447700900123 is in a range Ofcom reserves for drama: it is not "
        "in service."
    ) in lines


def test_inbound_json_has_diagnosis(store_path: Path, account: SandboxAccount) -> None:
    msisdn = rent_first(account)
    output = run_json(
        store_path, "callerid", "inbound", "+44 7700 900123", "--to", msisdn
    )
    diagnosis = output["diagnosis"]
    assert diagnosis["e164"] == "447700900123"
    assert diagnosis["changes"] == ["removed the spaces", "removed the +"]
    assert diagnosis["country"] == "GB"
    assert len(diagnosis["notes"]) == 1


def test_inbound_text_post_body(store_path: Path, account: SandboxAccount) -> None:
    msisdn = rent_first(account)
    account.link(msisdn, make_application(account, HttpMethod.POST))
    result = run(store_path, "callerid", "inbound", "anonymous", "--to", msisdn)
    lines = result.stdout.splitlines()
    body = next(line for line in lines if line.startswith("body "))
    assert "request      POST https://example.com/answer" in lines
    assert json.loads(body.removeprefix("body"))["from"] == "anonymous"


def test_inbound_text_escapes_controls(
    store_path: Path, account: SandboxAccount
) -> None:
    msisdn = rent_first(account)
    account.link(msisdn, make_application(account, HttpMethod.POST))
    result = run(store_path, "callerid", "inbound", "\x1b[31m\u202e", "--to", msisdn)
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout
    assert "\u202e" not in result.stdout


def test_inbound_to_not_owned(store_path: Path) -> None:
    result = run(store_path, "callerid", "inbound", "anonymous", "--to", "14155550101")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: This account does not own 14155550101")


def test_inbound_to_withheld(store_path: Path) -> None:
    result = run(store_path, "callerid", "inbound", "1", "--to", "anonymous")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "error: 'anonymous' stands for a withheld caller ID, not a phone number."
    )


def test_inbound_missing_to(store_path: Path) -> None:
    result = run(store_path, "callerid", "inbound", "anonymous")
    assert result.exit_code == 2
    assert "Missing option '--to'" in result.stderr


def test_rent_national_form_names_locale(
    store_path: Path, account: SandboxAccount
) -> None:
    number = account.search(SearchQuery(country="GB", size=1)).items[0]
    national = "0" + number.msisdn.removeprefix("44")
    locale = {"LC_ALL": "", "LC_TELEPHONE": "", "LANG": "en_GB.UTF-8"}

    result = run(store_path, "numbers", "rent", national, "--yes", environment=locale)

    assert result.exit_code == 0, result.stderr
    assert "added the country code 44 of GB, the region of your locale" in (
        result.stderr
    )
    assert "region given" not in result.stderr


def test_rent_pasted_form(store_path: Path, account: SandboxAccount) -> None:
    number = account.search(SearchQuery(country="GB", size=1)).items[0]
    result = run(store_path, "numbers", "rent", spaced(number.msisdn), "--yes")
    assert result.exit_code == 0
    assert result.stderr.startswith(
        f"Read '{spaced(number.msisdn)}' as {number.msisdn}: "
    )
    assert result.stderr.count("\n") == 1
    assert [owned.msisdn for owned in account.owned_numbers()] == [number.msisdn]
