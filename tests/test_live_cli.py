"""The numdesk command on live accounts, run as a subprocess against the HTTPS stand-in.

Every command runs with `NUMDESK_VONAGE_*_HOST` pointed at the stand-in on 127.0.0.1
and `REQUESTS_CA_BUNDLE` at the test CA, and `run` checks each command's stdout and
stderr for the API secret, in plain text and inside a Basic authorization token.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import os
import select
import stat
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.vonage_standin import (
    API_KEY,
    API_SECRET,
    Certificates,
    VonageStandIn,
    add_application,
    make_certificates,
    own_number,
)

NUMDESK = Path(sys.executable).parent / "numdesk"
TIMEOUT_SECONDS = 60
BASIC_TOKEN = base64.b64encode(f"{API_KEY}:{API_SECRET}".encode()).decode()
VOICE_NUMBER = "14155550001"
WEBHOOKS = (
    "--answer-url",
    "https://example.com/answer",
    "--event-url",
    "https://example.com/event",
)


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    return make_certificates(tmp_path_factory.mktemp("certificates"))


@pytest.fixture
def stand_in(certificates: Certificates) -> Iterator[VonageStandIn]:
    with VonageStandIn(certificates) as running:
        yield running


@pytest.fixture
def env(
    stand_in: VonageStandIn, certificates: Certificates, tmp_path: Path
) -> dict[str, str]:
    """The environment of a `--live` run against the stand-in, with no proxy."""
    inherited = {
        name: value
        for name, value in os.environ.items()
        if not name.lower().endswith("_proxy")
        and not name.startswith(("VONAGE_", "NUMDESK_"))
    }
    return {
        **inherited,
        "NO_PROXY": "*",
        "REQUESTS_CA_BUNDLE": str(certificates.ca_path),
        "NUMDESK_VONAGE_REST_HOST": stand_in.rest_host,
        "NUMDESK_VONAGE_API_HOST": f"https://{stand_in.api_host}",
        "NUMDESK_VONAGE_TIMEOUT": "1",
        "NUMDESK_VONAGE_ATTEMPTS": "2",
        "NUMDESK_VONAGE_BACKOFF": "0.01",
        "NUMDESK_CONFIG": str(tmp_path / "config" / "accounts.json"),
        "NUMDESK_DB": str(tmp_path / "unused-sandbox.db"),
        "VONAGE_API_KEY": API_KEY,
        "VONAGE_API_SECRET": API_SECRET,
    }


def assert_secret_hidden(output: str) -> None:
    assert API_SECRET not in output
    assert BASIC_TOKEN not in output


def run(
    env: dict[str, str], *arguments: str, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(NUMDESK), *arguments],
        input=input,
        capture_output=True,
        text=True,
        env=env,
        timeout=TIMEOUT_SECONDS,
    )
    assert_secret_hidden(result.stdout)
    assert_secret_hidden(result.stderr)
    return result


def run_json(env: dict[str, str], *arguments: str) -> Any:
    result = run(env, *arguments, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def error_line(result: subprocess.CompletedProcess[str]) -> str:
    """Return the one `error: ` line of a failed run."""
    lines = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(lines) == 1, result.stderr
    assert result.returncode == 1
    return lines[0]


# The operations, with --live


def test_search_sends_every_filter(
    env: dict[str, str], stand_in: VonageStandIn
) -> None:
    found = run_json(
        env,
        "--live",
        "numbers",
        "search",
        "US",
        "--type",
        "mobile-lvn",
        "--features",
        "sms,voice",
        "--pattern",
        "1415555",
        "--match",
        "starts",
        "--size",
        "5",
        "--page",
        "2",
    )
    assert found["count"] == 25
    assert found["numbers"][0]["msisdn"] == "14155550031"
    assert stand_in.requests[-1].query == {
        "country": "US",
        "type": "mobile-lvn",
        "features": "SMS,VOICE",
        "pattern": "1415555",
        "search_pattern": "0",
        "size": "5",
        "index": "2",
    }


def test_search_text_table(env: dict[str, str]) -> None:
    result = run(env, "--live", "numbers", "search", "US", "--size", "100")
    assert result.returncode == 0
    assert "14155550099" in result.stdout
    assert "1-100 of 151" in result.stdout
    assert "Next page: --page 2" in result.stdout


def test_rent_reads_back(env: dict[str, str], stand_in: VonageStandIn) -> None:
    result = run(env, "--live", "numbers", "rent", VOICE_NUMBER, "--yes")
    assert result.returncode == 0, result.stderr
    assert f"Rented {VOICE_NUMBER}" in result.stdout
    assert "Balance: 8.75 EUR" in result.stdout
    assert VOICE_NUMBER in stand_in.owned


def test_rent_json(env: dict[str, str]) -> None:
    rented = run_json(env, "--live", "numbers", "rent", VOICE_NUMBER, "--yes")
    assert rented["msisdn"] == VOICE_NUMBER
    assert rented["cost"] == "1.25"
    assert rented["app_id"] is None


def test_rent_420_explained(env: dict[str, str], stand_in: VonageStandIn) -> None:
    stand_in.address_required["DE"] = "method failed"
    result = run(env, "--live", "numbers", "rent", "4915112345678", "--yes")
    line = error_line(result)
    assert "HTTP 420" in line
    assert "'method failed'" in line
    assert "address documents" in line
    assert stand_in.owned == {}
    assert stand_in.balance == Decimal("10.00")


def test_rent_needs_yes_without_terminal(
    env: dict[str, str], stand_in: VonageStandIn
) -> None:
    result = run(env, "--live", "numbers", "rent", VOICE_NUMBER)
    assert "pass --yes" in error_line(result)
    assert "/number/buy" not in stand_in.paths()


def test_rent_without_credit(env: dict[str, str], stand_in: VonageStandIn) -> None:
    stand_in.balance = Decimal("1.00")
    result = run(env, "--live", "numbers", "rent", VOICE_NUMBER, "--yes")
    assert "add credit" in error_line(result)
    assert "/number/buy" not in stand_in.paths()


def test_list_follows_every_page(env: dict[str, str], stand_in: VonageStandIn) -> None:
    for index in range(120):
        own_number(stand_in, f"1415555{index:04d}")
    listed = run_json(env, "--live", "numbers", "list")
    assert listed["count"] == 120
    assert len(listed["numbers"]) == 120


def test_list_names_applications(env: dict[str, str], stand_in: VonageStandIn) -> None:
    app_id = add_application(stand_in, "Support")
    own_number(stand_in, VOICE_NUMBER, app_id)
    result = run(env, "--live", "numbers", "list")
    assert result.returncode == 0, result.stderr
    assert f"Support ({app_id})" in result.stdout


def test_list_unknown_cost_is_null(
    env: dict[str, str], stand_in: VonageStandIn
) -> None:
    own_number(stand_in, VOICE_NUMBER)
    listed = run_json(env, "--live", "numbers", "list")
    assert listed["numbers"][0]["cost"] is None


def test_list_unknown_cost_is_dash(
    env: dict[str, str], stand_in: VonageStandIn
) -> None:
    own_number(stand_in, VOICE_NUMBER)
    result = run(env, "--live", "numbers", "list", "--csv")
    [row] = csv.DictReader(io.StringIO(result.stdout))
    assert row["cost"] == "-"


def test_cancel(env: dict[str, str], stand_in: VonageStandIn) -> None:
    own_number(stand_in, VOICE_NUMBER)
    result = run(env, "--live", "numbers", "cancel", VOICE_NUMBER, "--yes")
    assert result.returncode == 0, result.stderr
    assert f"Cancelled {VOICE_NUMBER}" in result.stdout
    assert stand_in.owned == {}


def test_apps_create_saves_key(
    env: dict[str, str], stand_in: VonageStandIn, tmp_path: Path
) -> None:
    result = run(env, "--live", "apps", "create", "Support", *WEBHOOKS, "--json")
    assert result.returncode == 0, result.stderr
    created = json.loads(result.stdout)
    key_file = tmp_path / "config" / "private-keys" / f"{created['id']}.key"
    assert created["name"] == "Support"
    assert created["id"] in stand_in.applications
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert str(key_file) in result.stderr
    assert "BEGIN PRIVATE KEY" not in result.stdout + result.stderr


def test_link_reads_back(env: dict[str, str], stand_in: VonageStandIn) -> None:
    app_id = add_application(stand_in, "Support")
    own_number(stand_in, VOICE_NUMBER)
    linked = run_json(env, "--live", "numbers", "link", VOICE_NUMBER, app_id)
    assert linked["app_id"] == app_id
    assert stand_in.owned[VOICE_NUMBER].app_id == app_id


def test_unlink(env: dict[str, str], stand_in: VonageStandIn) -> None:
    app_id = add_application(stand_in, "Support")
    own_number(stand_in, VOICE_NUMBER, app_id)
    result = run(env, "--live", "numbers", "unlink", VOICE_NUMBER)
    assert result.returncode == 0, result.stderr
    assert f"Unlinked {VOICE_NUMBER} from 'Support'" in result.stdout
    assert stand_in.owned[VOICE_NUMBER].app_id is None


def test_apps_list_and_show(env: dict[str, str], stand_in: VonageStandIn) -> None:
    app_id = add_application(stand_in, "Support")
    add_application(stand_in, "Messages only", voice=False)
    own_number(stand_in, VOICE_NUMBER, app_id)
    listed = run_json(env, "--live", "apps", "list")
    shown = run_json(env, "--live", "apps", "show", app_id)
    assert [app["name"] for app in listed["applications"]] == ["Support"]
    assert listed["applications"][0]["numbers"] == [VOICE_NUMBER]
    assert shown["answer_url"] == "https://example.com/answer"


def test_apps_update(env: dict[str, str], stand_in: VonageStandIn) -> None:
    app_id = add_application(stand_in, "Support")
    updated = run_json(
        env,
        "--live",
        "apps",
        "update",
        app_id,
        "--name",
        "Sales",
        "--answer-method",
        "POST",
    )
    assert updated["name"] == "Sales"
    assert updated["answer_method"] == "POST"
    assert stand_in.applications[app_id]["name"] == "Sales"


def test_apps_delete(env: dict[str, str], stand_in: VonageStandIn) -> None:
    app_id = add_application(stand_in, "Support")
    own_number(stand_in, VOICE_NUMBER, app_id)
    deleted = run_json(env, "--live", "apps", "delete", app_id, "--yes")
    assert deleted["unlinked"] == [VOICE_NUMBER]
    assert stand_in.applications == {}
    assert stand_in.owned[VOICE_NUMBER].app_id is None


# Failures


def test_bad_credentials(env: dict[str, str]) -> None:
    env["VONAGE_API_SECRET"] = "wrong-secret"
    line = error_line(run(env, "--live", "numbers", "list"))
    assert "rejected the API key and secret" in line
    assert "HTTP 401" in line


@pytest.mark.parametrize("status", [429, 500])
def test_retried_once(
    env: dict[str, str], stand_in: VonageStandIn, status: int
) -> None:
    stand_in.fail("GET", "/number/search", status)
    assert run_json(env, "--live", "numbers", "search", "GB")["count"] == 2
    assert stand_in.paths() == ["/number/search"] * 2


@pytest.mark.parametrize("status", [429, 500])
def test_retries_exhausted(
    env: dict[str, str], stand_in: VonageStandIn, status: int
) -> None:
    stand_in.fail("GET", "/number/search", status, times=2)
    line = error_line(run(env, "--live", "numbers", "search", "GB"))
    assert f"HTTP {status}" in line
    assert "after 2 attempts" in line


def test_slow_reply_times_out(env: dict[str, str], stand_in: VonageStandIn) -> None:
    stand_in.slow("GET", "/number/search", 5, times=2)
    line = error_line(run(env, "--live", "numbers", "search", "GB"))
    assert "did not answer after waiting 1 s" in line


def test_offline_reads_cache(env: dict[str, str], stand_in: VonageStandIn) -> None:
    app_id = add_application(stand_in, "Support")
    own_number(stand_in, VOICE_NUMBER, app_id)
    run_json(env, "--live", "apps", "list")
    run_json(env, "--live", "numbers", "list")
    run(env, "--live", "numbers", "search", "GB")
    stand_in.stop()
    result = run(env, "--live", "numbers", "list")
    assert result.returncode == 0, result.stderr
    assert VOICE_NUMBER in result.stdout
    assert "shows its cache" in result.stderr
    assert "read-only" in result.stderr


def test_offline_change_rejected(env: dict[str, str], stand_in: VonageStandIn) -> None:
    own_number(stand_in, VOICE_NUMBER, add_application(stand_in, "Support"))
    run_json(env, "--live", "numbers", "list")
    stand_in.stop()
    line = error_line(run(env, "--live", "numbers", "unlink", VOICE_NUMBER))
    assert "read-only" in line


def test_untrusted_certificate(env: dict[str, str]) -> None:
    del env["REQUESTS_CA_BUNDLE"]
    line = error_line(run(env, "--live", "numbers", "search", "GB"))
    assert "REQUESTS_CA_BUNDLE" in line


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("NUMDESK_VONAGE_REST_HOST", "http://127.0.0.1:1"),
        ("NUMDESK_VONAGE_API_HOST", "127.0.0.1/v2"),
        ("NUMDESK_VONAGE_TIMEOUT", "0.5"),
        ("NUMDESK_VONAGE_ATTEMPTS", "0"),
        ("NUMDESK_VONAGE_BACKOFF", "soon"),
    ],
)
def test_bad_setting_named(
    env: dict[str, str], stand_in: VonageStandIn, variable: str, value: str
) -> None:
    env[variable] = value
    line = error_line(run(env, "--live", "numbers", "list"))
    assert variable in line
    assert stand_in.requests == []


def test_live_without_credentials(env: dict[str, str]) -> None:
    del env["VONAGE_API_SECRET"]
    line = error_line(run(env, "--live", "numbers", "list"))
    assert "VONAGE_API_SECRET is not set" in line


def test_live_without_either_credential(env: dict[str, str]) -> None:
    del env["VONAGE_API_KEY"]
    del env["VONAGE_API_SECRET"]
    line = error_line(run(env, "--live", "numbers", "list"))
    assert "VONAGE_API_KEY and VONAGE_API_SECRET are not set" in line


def test_live_and_account_conflict(env: dict[str, str]) -> None:
    result = run(env, "--live", "--account", "acme", "numbers", "list")
    assert result.returncode == 2
    assert "give only one of them" in result.stderr


# Stored accounts


def add_account(env: dict[str, str], name: str = "acme") -> None:
    result = run(env, "account", "add", name, "--api-key", API_KEY)
    assert result.returncode == 0, result.stderr


def without_credentials(env: dict[str, str]) -> dict[str, str]:
    return {
        name: value
        for name, value in env.items()
        if name not in ("VONAGE_API_KEY", "VONAGE_API_SECRET")
    }


def test_account_add_checks_and_saves(env: dict[str, str], tmp_path: Path) -> None:
    result = run(env, "account", "add", "acme", "--api-key", API_KEY)
    config = tmp_path / "config" / "accounts.json"
    assert result.returncode == 0, result.stderr
    assert "Balance: 10.00 EUR" in result.stdout
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    assert stat.S_IMODE(config.parent.stat().st_mode) == 0o700
    assert json.loads(config.read_text())["accounts"]["acme"]["api_key"] == API_KEY


def test_account_add_json(env: dict[str, str]) -> None:
    added = run_json(env, "account", "add", "acme", "--api-key", API_KEY)
    assert added == {
        "name": "acme",
        "api_key": API_KEY,
        "replaced": False,
        "balance": "10.00",
    }


def test_account_add_wrong_secret(env: dict[str, str], tmp_path: Path) -> None:
    env["VONAGE_API_SECRET"] = "wrong-secret"
    line = error_line(run(env, "account", "add", "acme", "--api-key", API_KEY))
    assert "HTTP 401" in line
    assert not (tmp_path / "config" / "accounts.json").exists()


def test_account_add_no_check(env: dict[str, str], stand_in: VonageStandIn) -> None:
    env["VONAGE_API_SECRET"] = "not-checked"
    result = run(env, "account", "add", "acme", "--api-key", API_KEY, "--no-check")
    assert result.returncode == 0, result.stderr
    assert stand_in.requests == []


def test_account_add_needs_secret(env: dict[str, str]) -> None:
    env = without_credentials(env)
    line = error_line(run(env, "account", "add", "acme", "--api-key", API_KEY))
    assert "VONAGE_API_SECRET" in line


@pytest.mark.parametrize("name", ["sandbox", "_x", "a b", "x" * 33])
def test_account_add_bad_name(env: dict[str, str], name: str) -> None:
    line = error_line(run(env, "account", "add", name, "--api-key", API_KEY))
    assert repr(name) in line


def test_account_add_prompt_hides_secret(env: dict[str, str], tmp_path: Path) -> None:
    env = without_credentials(env)
    primary, secondary = os.openpty()
    process = subprocess.Popen(
        [str(NUMDESK), "account", "add", "acme", "--api-key", API_KEY],
        stdin=secondary,
        stdout=secondary,
        stderr=secondary,
        env=env,
        # A new session has no controlling terminal, so getpass reads the
        # pseudo-terminal on stdin, with echo off, and never the test's terminal.
        start_new_session=True,
    )
    os.close(secondary)
    shown = read_until(primary, "API secret: ")
    os.write(primary, f"{API_SECRET}\n".encode())
    shown += read_rest(primary)
    os.close(primary)
    assert process.wait(timeout=TIMEOUT_SECONDS) == 0, shown
    assert "Added the live account acme" in shown
    assert_secret_hidden(shown)
    config = json.loads((tmp_path / "config" / "accounts.json").read_text())
    assert config["accounts"]["acme"]["api_secret"] == API_SECRET


def test_account_option_uses_stored(
    env: dict[str, str], stand_in: VonageStandIn
) -> None:
    add_account(env)
    own_number(stand_in, VOICE_NUMBER)
    listed = run_json(without_credentials(env), "--account", "acme", "numbers", "list")
    assert [number["msisdn"] for number in listed["numbers"]] == [VOICE_NUMBER]


def test_account_variable_uses_stored(
    env: dict[str, str], stand_in: VonageStandIn
) -> None:
    add_account(env)
    own_number(stand_in, VOICE_NUMBER)
    env = {**without_credentials(env), "NUMDESK_ACCOUNT": "acme"}
    listed = run_json(env, "numbers", "list")
    assert listed["count"] == 1


def test_account_unknown(env: dict[str, str]) -> None:
    line = error_line(run(env, "--account", "nobody", "numbers", "list"))
    assert "No live account is named 'nobody'" in line


def test_account_sandbox_is_sandbox(
    env: dict[str, str], stand_in: VonageStandIn, store_path: Path
) -> None:
    env["NUMDESK_DB"] = str(store_path)
    listed = run_json(env, "--account", "sandbox", "numbers", "list")
    assert listed["count"] == 0
    assert stand_in.requests == []


def test_account_list(env: dict[str, str]) -> None:
    add_account(env, "acme")
    add_account(env, "beta")
    run_json(without_credentials(env), "--account", "acme", "numbers", "list")
    run_json(without_credentials(env), "--account", "acme", "apps", "list")
    run(
        without_credentials(env),
        "--account",
        "acme",
        "numbers",
        "rent",
        VOICE_NUMBER,
        "--yes",
    )
    listed = run_json(env, "account", "list")
    assert [account["name"] for account in listed["accounts"]] == ["acme", "beta"]
    assert listed["accounts"][0]["last_sync"] is not None
    assert listed["accounts"][1]["last_sync"] is None


def test_account_list_text(env: dict[str, str]) -> None:
    add_account(env)
    result = run(env, "account", "list")
    assert result.returncode == 0
    assert "acme  a1b2c3d4  never" in result.stdout


def test_account_remove(env: dict[str, str], tmp_path: Path) -> None:
    cache_file = tmp_path / "xdg-data" / "numdesk" / "live" / "acme.db"
    add_account(env)
    run_json(without_credentials(env), "--account", "acme", "numbers", "list")
    assert cache_file.exists()
    result = run(env, "account", "remove", "acme", "--yes")
    assert result.returncode == 0, result.stderr
    assert run_json(env, "account", "list")["count"] == 0
    assert not cache_file.exists()


def test_account_config_readable_by_others(env: dict[str, str], tmp_path: Path) -> None:
    add_account(env)
    (tmp_path / "config" / "accounts.json").chmod(0o644)
    line = error_line(run(env, "--account", "acme", "numbers", "list"))
    assert "chmod 600" in line


def read_until(terminal: int, expected: str) -> str:
    output = b""
    while expected not in output.decode(errors="replace"):
        readable, _, _ = select.select([terminal], [], [], TIMEOUT_SECONDS)
        assert readable, f"no output for {TIMEOUT_SECONDS} s; got {output!r}"
        chunk = os.read(terminal, 4096)
        assert chunk, f"the terminal closed before {expected!r}; got {output!r}"
        output += chunk
    return output.decode(errors="replace")


def read_rest(terminal: int) -> str:
    output = b""
    while True:
        readable, _, _ = select.select([terminal], [], [], TIMEOUT_SECONDS)
        if not readable:
            return output.decode(errors="replace")
        try:
            chunk = os.read(terminal, 4096)
        except OSError:  # Linux reports EIO once the other side is closed.
            return output.decode(errors="replace")
        if not chunk:
            return output.decode(errors="replace")
        output += chunk
