"""The `numdesk` console script as users run it: exit codes, streams and the whole flow.

These tests start the installed script in a subprocess. The other `test_cli_*` files
cover each command in detail through click's CliRunner, which is faster.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import select
import shlex
import signal
import struct
import subprocess
import sys
import termios
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from cli.main import numdesk
from domain.numbers import NumberType, SearchQuery
from store.account import SandboxAccount
from tests.cli_runner import command_tree

NUMDESK = Path(sys.executable).parent / "numdesk"
TIMEOUT_SECONDS = 30
INTERRUPT_ATTEMPTS = 5


def run(
    store_path: Path, *arguments: str, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(NUMDESK), *arguments],
        input=input,
        capture_output=True,
        text=True,
        env={**os.environ, "NUMDESK_DB": str(store_path)},
        timeout=TIMEOUT_SECONDS,
    )


def run_json(store_path: Path, *arguments: str) -> Any:
    result = run(store_path, *arguments, "--json")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return json.loads(result.stdout)


def test_whole_flow(store_path: Path) -> None:
    search = run_json(store_path, "numbers", "search", "GB", "--features", "VOICE")
    first, second = search["numbers"][0], search["numbers"][1]
    assert search["count"] > len(search["numbers"])

    pattern = first["msisdn"][-4:]
    found = run_json(
        store_path, "numbers", "search", "GB", "--pattern", pattern, "--match", "ends"
    )
    assert first["msisdn"] in [number["msisdn"] for number in found["numbers"]]

    rented = run_json(store_path, "numbers", "rent", first["msisdn"], "--yes")
    assert rented == {**first, "app_id": None}
    run_json(store_path, "numbers", "rent", second["msisdn"], "--yes")

    again = run(store_path, "numbers", "rent", first["msisdn"], "--yes")
    assert again.returncode == 1
    assert again.stderr.startswith("error: ")
    assert again.stdout == ""

    owned = run_json(store_path, "numbers", "list")
    assert owned["count"] == 2

    support = run_json(
        store_path,
        "apps",
        "create",
        "Support",
        "--answer-url",
        "https://example.com/answer",
        "--event-url",
        "https://example.com/event",
    )
    sales = run_json(
        store_path,
        "apps",
        "create",
        "Sales",
        "--answer-url",
        "https://example.com/sales",
        "--event-url",
        "https://example.com/event",
    )

    linked = run_json(store_path, "numbers", "link", first["msisdn"], support["id"])
    assert linked["app_id"] == support["id"]
    run_json(store_path, "numbers", "link", second["msisdn"], support["id"])

    relink = run(store_path, "numbers", "link", first["msisdn"], sales["id"])
    assert relink.returncode == 1
    assert "pass --yes" in relink.stderr
    relinked = run_json(
        store_path, "numbers", "link", first["msisdn"], sales["id"], "--yes"
    )
    assert relinked["app_id"] == sales["id"]

    outbound = run_json(store_path, "callerid", "outbound", "+" + first["msisdn"])
    assert outbound["from"] == first["msisdn"]
    assert outbound["owned"] is True
    stranger = run_json(store_path, "callerid", "outbound", "14155550101")
    assert stranger["from"] == "unknown"

    inbound = run_json(
        store_path, "callerid", "inbound", "07700 900123", "--to", first["msisdn"]
    )
    assert inbound["from"] == "07700 900123"
    assert inbound["suggested"] == "447700900123"
    assert inbound["application"]["id"] == sales["id"]
    assert inbound["request"]["url"] == "https://example.com/sales"
    assert inbound["request"]["params"]["to"] == first["msisdn"]
    assert inbound["request"]["params"]["from"] == "07700 900123"

    unlinked = run_json(store_path, "numbers", "unlink", first["msisdn"])
    assert unlinked["app_id"] is None

    deleted = run_json(store_path, "apps", "delete", support["id"], "--yes")
    assert deleted["unlinked"] == [second["msisdn"]]

    not_linked = run_json(
        store_path, "callerid", "inbound", "anonymous", "--to", first["msisdn"]
    )
    assert not_linked["request"] is None

    cancelled = run_json(store_path, "numbers", "cancel", first["msisdn"], "--yes")
    assert cancelled["msisdn"] == first["msisdn"]

    final = run_json(store_path, "numbers", "list")
    assert [number["msisdn"] for number in final["numbers"]] == [second["msisdn"]]
    assert final["numbers"][0]["app_id"] is None
    assert run_json(store_path, "apps", "list")["count"] == 1


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        ("447700900123", "valid"),
        ("+44 7700 900123", "fixed"),
        ("withheld", "withheld"),
        ("not a number", "invalid"),
    ],
)
def test_format_exits_0(store_path: Path, raw: str, status: str) -> None:
    assert run_json(store_path, "format", raw)["status"] == status


def test_format_bad_region_exits_1(store_path: Path) -> None:
    result = run(store_path, "format", "447700900123", "--region", "XX")
    assert result.returncode == 1
    assert result.stderr.startswith("error: Unknown country 'XX'")


def test_unexpected_error_is_one_line(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(self: SandboxAccount, app_id: str | None = None) -> None:
        raise RuntimeError("internal detail")

    monkeypatch.setattr(SandboxAccount, "owned_numbers", fail)
    result = CliRunner().invoke(
        numdesk, ["numbers", "list"], env={"NUMDESK_DB": str(store_path)}
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("error: numdesk failed with an unexpected ")
    assert "This is a bug" in result.stderr
    assert result.stderr.count("\n") == 1
    assert "internal detail" not in result.stderr
    assert "Traceback" not in result.stderr


def test_debug_shows_unexpected_error(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(self: SandboxAccount, app_id: str | None = None) -> None:
        raise RuntimeError("internal detail")

    monkeypatch.setattr(SandboxAccount, "owned_numbers", fail)
    result = CliRunner().invoke(
        numdesk,
        ["numbers", "list"],
        env={"NUMDESK_DB": str(store_path), "NUMDESK_DEBUG": "1"},
    )
    assert isinstance(result.exception, RuntimeError)


def test_commands_skip_textual(store_path: Path) -> None:
    script = (
        "import sys\n"
        "from cli.main import numdesk\n"
        "numdesk.main(['numbers', 'list', '--json'], standalone_mode=False)\n"
        "assert not [name for name in sys.modules if name.split('.')[0] in "
        "('textual', 'tui')], sorted(sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, "NUMDESK_DB": str(store_path)},
        timeout=TIMEOUT_SECONDS,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["count"] == 0


def test_first_run_reports_on_stderr(tmp_path: Path) -> None:
    path = tmp_path / "numdesk.db"
    result = run(path, "numbers", "list", "--json")
    assert result.returncode == 0
    assert json.loads(result.stdout) == {"count": 0, "numbers": []}
    assert result.stderr.startswith("Generating the sandbox inventory in ")
    assert result.stderr.count("\n") == 1
    assert path.exists()


def test_store_in_missing_folder_rejected(tmp_path: Path) -> None:
    path = tmp_path / "mistyped" / "numdesk.db"

    result = run(path, "numbers", "list")

    assert result.returncode == 1
    assert f"The folder {path.parent} of the store {path} does not exist" in (
        result.stderr
    )
    assert not path.parent.exists()


def test_second_run_is_quiet(store_path: Path) -> None:
    result = run(store_path, "numbers", "list")
    assert result.returncode == 0
    assert result.stderr == ""


def test_db_option_beats_environment(store_path: Path, tmp_path: Path) -> None:
    account_path = tmp_path / "copy.db"
    account_path.write_bytes(store_path.read_bytes())
    run_json(
        store_path,
        "apps",
        "create",
        "Only here",
        "--answer-url",
        "https://x.test/a",
        "--event-url",
        "https://x.test/e",
    )
    output = run_json(store_path, "--db", str(account_path), "apps", "list")
    assert output["count"] == 0


@pytest.mark.parametrize("path", ["", "  "])
def test_empty_db_option_rejected(store_path: Path, path: str) -> None:
    result = run(store_path, "--db", path, "numbers", "list")

    assert result.returncode == 2
    assert result.stdout == ""
    assert (
        "Invalid value for '--db': the path is empty: give a store file, or leave "
        "out --db to use $NUMDESK_DB or the default store." in result.stderr
    )


def test_store_folder_rejected(tmp_path: Path) -> None:
    result = run(tmp_path, "numbers", "list")
    assert result.returncode == 1
    assert result.stderr == (
        f"error: The store path {tmp_path} is a folder: give the path of a file, "
        f"such as {tmp_path / 'numdesk.db'}.\n"
    )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["bogus"], "No such command 'bogus'"),
        (["formt"], "No such command 'formt'. Did you mean 'format'?"),
        (["histroy"], "Did you mean 'history'?"),
        (["numbers"], "Usage: numdesk numbers"),
        (["numbers", "search"], "Missing argument 'COUNTRY'"),
        (["numbers", "link", "447700900123"], "Missing argument 'APP_ID'"),
        (["--json"], "No such option '--json'"),
        (["apps", "create", "x", "--answer-url"], "requires an argument"),
    ],
)
def test_usage_errors_exit_2(
    store_path: Path, arguments: list[str], message: str
) -> None:
    result = run(store_path, *arguments)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_version(store_path: Path) -> None:
    result = run(store_path, "--version")
    assert result.returncode == 0
    assert result.stdout.startswith("numdesk, version ")


def test_broken_pipe_quiet(store_path: Path) -> None:
    process = subprocess.Popen(
        [str(NUMDESK), "numbers", "search", "US", "--size", "100", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "NUMDESK_DB": str(store_path)},
    )
    assert process.stdout is not None
    assert process.stderr is not None
    process.stdout.readline()
    process.stdout.close()
    stderr = process.stderr.read().decode()
    process.wait(timeout=TIMEOUT_SECONDS)
    assert "Traceback" not in stderr
    assert "bug" not in stderr


# An app that fails as it mounts, started the way `numdesk` starts its app.
CRASHING_APP_SCRIPT = """
import sys
from textual.app import App
from cli import main
from cli.session import Session

class FailingApp(App[None]):
    def on_mount(self) -> None:
        raise RuntimeError("failed on purpose")

main.create_app = lambda session: FailingApp()
main.start_app(Session(sys.argv[1]))
"""


def test_app_error_exits_with_one(store_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-c", CRASHING_APP_SCRIPT, str(store_path)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        env={
            **os.environ,
            "TEXTUAL_DRIVER": "textual.drivers.headless_driver:HeadlessDriver",
        },
    )

    assert completed.returncode == 1
    assert "failed on purpose" in completed.stdout + completed.stderr


def test_rent_confirmed_on_terminal(store_path: Path, account: SandboxAccount) -> None:
    number = account.search(SearchQuery(country="GB", size=1)).items[0]
    process, terminal = start_on_terminal(store_path, "numbers", "rent", number.msisdn)
    read_until(terminal, f"Rent {number.msisdn}? [y/N]:")
    os.write(terminal, b"y\n")
    assert process.wait(timeout=TIMEOUT_SECONDS) == 0
    assert [owned.msisdn for owned in account.owned_numbers()] == [number.msisdn]
    os.close(terminal)


def test_interrupt_exits_130(store_path: Path, account: SandboxAccount) -> None:
    number = account.search(
        SearchQuery(country="GB", type=NumberType.MOBILE, size=1)
    ).items[0]
    process, terminal = start_on_terminal(store_path, "numbers", "rent", number.msisdn)
    read_until(terminal, "[y/N]:")
    assert interrupt(process) == 130
    assert "Traceback" not in read_rest(terminal)
    assert account.owned_numbers() == []
    os.close(terminal)


def test_generate_bar_fits_terminal(tmp_path: Path) -> None:
    path = tmp_path / ("a-store-folder-with-a-long-name-" * 3) / "numdesk.db"
    path.parent.mkdir()
    process, terminal = start_on_terminal(
        path, "--db", str(path), "sandbox", "generate", "--rows", "5000"
    )
    output = read_rest(terminal)
    assert process.wait(timeout=TIMEOUT_SECONDS) == 0
    os.close(terminal)

    assert f"Generating 5,000 numbers in {path}." in output
    # Each redraw of the bar starts with a carriage return and hides the cursor.
    visible = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", output)
    bar_lines = [line for line in re.split(r"[\r\n]+", visible) if "%" in line]
    assert bar_lines
    assert max(len(line) for line in bar_lines) <= 80


def test_no_command_starts_app(store_path: Path) -> None:
    process, terminal = start_on_terminal(store_path)
    read_until(terminal, "balance 10.00 EUR")
    os.write(terminal, b"\x11")  # Ctrl+Q, the app's quit key
    assert process.wait(timeout=TIMEOUT_SECONDS) == 0
    os.close(terminal)


def interrupt(process: subprocess.Popen[bytes]) -> int:
    """Send SIGINT until the process exits, as a user presses Ctrl+C again; return its status.

    A SIGINT sent just after the prompt appears is now and then not acted on: the
    process stays in click's readline call (seen with CPython 3.11 on Linux).
    """
    for _ in range(INTERRUPT_ATTEMPTS):
        process.send_signal(signal.SIGINT)
        try:
            return process.wait(timeout=TIMEOUT_SECONDS / INTERRUPT_ATTEMPTS)
        except subprocess.TimeoutExpired:
            continue
    return process.wait(timeout=TIMEOUT_SECONDS)


def start_on_terminal(
    store_path: Path, *arguments: str
) -> tuple[subprocess.Popen[bytes], int]:
    """Start numdesk with stdin, stdout and stderr on a new 80x24 pseudo-terminal.

    Python leaves SIGINT ignored when it starts with SIGINT ignored, as it is under
    some job runners, so the child gets the default handling that a terminal gives.
    """
    primary, secondary = os.openpty()
    window_size = struct.pack("HHHH", 24, 80, 0, 0)
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, window_size)
    process = subprocess.Popen(
        [str(NUMDESK), *arguments],
        stdin=secondary,
        stdout=secondary,
        stderr=secondary,
        env={**os.environ, "NUMDESK_DB": str(store_path)},
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    os.close(secondary)
    return process, primary


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
    """Return what the terminal shows until the process on it exits."""
    output = b""
    while True:
        try:
            chunk = os.read(terminal, 4096)
        except OSError:  # Linux reports EIO once the other side is closed.
            return output.decode(errors="replace")
        if not chunk:
            return output.decode(errors="replace")
        output += chunk


# Help


COMMANDS = command_tree()


def test_every_command_listed() -> None:
    paths = {path for path, _ in COMMANDS}
    assert {
        "numbers search",
        "numbers rent",
        "numbers list",
        "numbers cancel",
        "numbers link",
        "numbers unlink",
        "apps create",
        "apps list",
        "apps show",
        "apps update",
        "apps delete",
        "format",
        "callerid outbound",
        "callerid inbound",
    } <= paths


@pytest.mark.parametrize(
    ("path", "command"), COMMANDS, ids=[p or "numdesk" for p, _ in COMMANDS]
)
def test_help_ends_with_example(path: str, command: click.Command) -> None:
    result = CliRunner().invoke(numdesk, [*path.split(), "--help"])
    last_line = result.stdout.rstrip().splitlines()[-1].strip()
    assert result.exit_code == 0
    assert last_line.startswith(f"numdesk {path}".strip())


GROUPS = [
    (path, command) for path, command in COMMANDS if isinstance(command, click.Group)
]


@pytest.mark.parametrize(
    ("path", "command"), GROUPS, ids=[p or "numdesk" for p, _ in GROUPS]
)
def test_command_summaries_whole(path: str, command: click.Group) -> None:
    # click cuts a summary longer than its limit and ends it with "...".
    result = CliRunner().invoke(numdesk, [*path.split(), "--help"])
    summaries = result.stdout.split("Commands:")[1].split("Example:")[0]
    assert result.exit_code == 0
    assert "..." not in summaries


# `serve` runs until it is stopped, so test_serve.py runs its example on a free port.
FINITE_COMMANDS = [(path, command) for path, command in COMMANDS if path != "serve"]


@pytest.mark.parametrize(
    ("path", "command"),
    FINITE_COMMANDS,
    ids=[p or "numdesk" for p, _ in FINITE_COMMANDS],
)
def test_help_example_parses(
    path: str, command: click.Command, store_path: Path, tmp_path: Path
) -> None:
    result = CliRunner().invoke(numdesk, [*path.split(), "--help"])
    example = result.stdout.rstrip().splitlines()[-1].strip()
    arguments = shlex.split(example)[1:]
    if "--db" in arguments:
        arguments[arguments.index("--db") + 1] = str(store_path)
    if "--file" in arguments:
        # An example names a file of the user's, so the test writes one like it.
        position = arguments.index("--file") + 1
        example_file = tmp_path / arguments[position]
        example_file.write_text("Phone\n+44 7700 900123\nanonymous\n")
        arguments[position] = str(example_file)
    ran = CliRunner().invoke(numdesk, arguments, env={"NUMDESK_DB": str(store_path)})
    assert ran.exit_code in (0, 1), ran.output
    assert "Usage:" not in ran.stderr
