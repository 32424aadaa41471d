"""The interface that scripts rely on: --json, --csv, exit statuses, completion, README.

The README tests walk click's command tree, so a command or option added without its
README entry fails here.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result

from cli.completion import SHELLS, completion_script
from cli.csv_output import (
    APPLICATION_COLUMNS,
    NUMBER_COLUMNS,
    OWNED_NUMBER_COLUMNS,
    to_csv,
)
from cli.launch import COMPLETION_VARIABLE, EXIT_INTERRUPTED
from cli.main import EXIT_REJECTED, EXIT_USAGE, numdesk
from domain.applications import ApplicationDraft
from domain.numbers import SearchQuery
from store.account import SandboxAccount
from tests.cli_runner import command_tree

README = Path(__file__).resolve().parent.parent / "README.md"
BIN = Path(sys.executable).parent
TIMEOUT_SECONDS = 30

LIST_COMMANDS = ["numbers search", "numbers list", "apps list"]


TREE = command_tree()
LEAVES = [
    (path, command) for path, command in TREE if not isinstance(command, click.Group)
]
LEAF_IDS = [path for path, _ in LEAVES]


def option_names(command: click.Command) -> list[str]:
    return [name for param in command.params for name in param.opts]


def invoke(store_path: Path, *arguments: str) -> Result:
    return CliRunner().invoke(numdesk, ["--db", str(store_path), *arguments])


# --json and --csv


@pytest.mark.parametrize(("path", "command"), LEAVES, ids=LEAF_IDS)
def test_command_has_json(path: str, command: click.Command) -> None:
    assert "--json" in option_names(command)


@pytest.mark.parametrize("path", LIST_COMMANDS)
def test_list_has_csv(path: str) -> None:
    command = dict(LEAVES)[path]
    assert "--csv" in option_names(command)


@pytest.mark.parametrize("path", LIST_COMMANDS)
def test_json_with_csv_exits_2(store_path: Path, path: str) -> None:
    arguments = [*path.split(), *(["GB"] if path == "numbers search" else [])]
    result = invoke(store_path, *arguments, "--json", "--csv")
    assert result.exit_code == EXIT_USAGE
    assert "--json and --csv cannot be used together" in result.stderr
    assert result.stdout == ""


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def json_output(store_path: Path, *arguments: str) -> Any:
    result = invoke(store_path, *arguments, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def csv_output(store_path: Path, *arguments: str) -> Result:
    result = invoke(store_path, *arguments, "--csv")
    assert result.exit_code == 0, result.output
    return result


def test_search_csv_matches_json(store_path: Path) -> None:
    arguments = ["numbers", "search", "GB", "--features", "VOICE,SMS", "--size", "5"]
    expected = json_output(store_path, *arguments)["numbers"]
    result = csv_output(store_path, *arguments)
    rows = read_csv(result.stdout)

    assert result.stdout.splitlines()[0] == ",".join(NUMBER_COLUMNS)
    assert [row["msisdn"] for row in rows] == [n["msisdn"] for n in expected]
    assert [row["features"].split(",") for row in rows] == [
        n["features"] for n in expected
    ]
    assert [row["cost"] for row in rows] == [n["cost"] for n in expected]
    assert [row["type"] for row in rows] == [n["type"] for n in expected]


def test_search_csv_page_note(store_path: Path) -> None:
    result = csv_output(store_path, "numbers", "search", "GB", "--size", "5")
    assert re.fullmatch(r"Numbers 1-5 of [\d,]+\. Next page: --page 2\n", result.stderr)
    assert "\r" not in result.stdout


def test_search_csv_empty(store_path: Path) -> None:
    arguments = ["numbers", "search", "GB", "--pattern", "999999999"]
    result = csv_output(store_path, *arguments)
    assert result.stdout == ",".join(NUMBER_COLUMNS) + "\n"
    # The note on stderr is the explanation that the text output prints.
    text = invoke(store_path, *arguments)
    assert result.stderr.startswith("No numbers in United Kingdom (GB) match")
    assert result.stderr == text.stdout


def test_numbers_list_csv(store_path: Path, account: SandboxAccount) -> None:
    numbers = account.search(SearchQuery(country="GB", size=2)).items
    for number in numbers:
        account.rent(number.msisdn)
    application = account.create_application(
        ApplicationDraft(
            name="Support, tier 1",
            answer_url="https://example.com/answer",
            event_url="https://example.com/event",
        )
    )
    account.link(numbers[0].msisdn, application.id)

    result = csv_output(store_path, "numbers", "list")
    rows = read_csv(result.stdout)
    assert result.stdout.splitlines()[0] == ",".join(OWNED_NUMBER_COLUMNS)
    assert {row["msisdn"]: row["app_id"] for row in rows} == {
        numbers[0].msisdn: application.id,
        numbers[1].msisdn: "",
    }


def test_apps_list_csv(store_path: Path, account: SandboxAccount) -> None:
    numbers = account.search(SearchQuery(country="GB", size=2)).items
    application = account.create_application(
        ApplicationDraft(
            name='Support, "tier 1"',
            answer_url="https://example.com/answer",
            event_url="https://example.com/event",
        )
    )
    for number in numbers:
        account.rent(number.msisdn)
        account.link(number.msisdn, application.id)

    result = csv_output(store_path, "apps", "list")
    rows = read_csv(result.stdout)
    expected = json_output(store_path, "apps", "list")["applications"][0]
    assert result.stdout.splitlines()[0] == ",".join(APPLICATION_COLUMNS)
    assert len(rows) == 1
    assert rows[0]["name"] == 'Support, "tier 1"'
    assert rows[0]["numbers"].split(",") == expected["numbers"]
    assert rows[0]["answer_url"] == expected["answer_url"]
    assert rows[0]["fallback_answer_url"] == ""


@pytest.mark.parametrize("path", ["numbers list", "apps list"])
def test_empty_list_csv_is_header(store_path: Path, path: str) -> None:
    result = csv_output(store_path, *path.split())
    assert len(result.stdout.splitlines()) == 1
    assert result.stderr == ""


def test_csv_escapes_controls() -> None:
    text = to_csv(("name",), [["evil\x1b[2Jname"], ["two\nlines"]])
    assert "\x1b" not in text
    assert read_csv(text) == [{"name": "evil\\x1b[2Jname"}, {"name": "two\\x0alines"}]


# --version and exit statuses


def test_version_matches_package() -> None:
    from importlib.metadata import version

    result = CliRunner().invoke(numdesk, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"numdesk, version {version('numdesk')}\n"


def readme_exit_statuses() -> dict[int, str]:
    """Return the README's exit status table as status and meaning."""
    text = README.read_text()
    section = text.split("### Exit status", 1)[1].split("\n#", 1)[0]
    rows = re.findall(r"^\| (\d+) \| (.+) \|$", section, flags=re.MULTILINE)
    return {int(status): meaning for status, meaning in rows}


def test_readme_exit_statuses() -> None:
    assert set(readme_exit_statuses()) == {
        0,
        EXIT_REJECTED,
        EXIT_USAGE,
        EXIT_INTERRUPTED,
    }


@pytest.mark.parametrize(
    ("arguments", "status"),
    [
        (["numbers", "search", "GB", "--size", "1"], 0),
        (["format", "not a number"], 0),
        (["numbers", "rent", "14155550100", "--yes"], EXIT_REJECTED),
        (["apps", "show", "no-such-app"], EXIT_REJECTED),
        (["numbers", "search"], EXIT_USAGE),
        (["numbers", "search", "GB", "--size", "0"], EXIT_USAGE),
        (["completion", "tcsh"], EXIT_USAGE),
    ],
)
def test_exit_status(store_path: Path, arguments: list[str], status: int) -> None:
    assert invoke(store_path, *arguments).exit_code == status


# Completion


def test_completion_script_is_clicks(store_path: Path) -> None:
    for shell in SHELLS:
        result = invoke(store_path, "completion", shell)
        assert result.exit_code == 0
        assert result.stdout == completion_script(numdesk, shell) + "\n"
        assert COMPLETION_VARIABLE in result.stdout


def test_completion_json(store_path: Path) -> None:
    output = json_output(store_path, "completion", "fish")
    assert output == {"shell": "fish", "script": completion_script(numdesk, "fish")}


def complete(
    shell: str, words: str, environment: dict[str, str] | None = None
) -> list[str]:
    """Return the candidates that click's completion protocol sends `shell`.

    `words` is the command line so far, and a trailing space starts a new word.
    bash and zsh pass the index of the word being completed, fish passes the word.
    """
    parts = words.split(" ")
    current = parts[-1] if shell == "fish" else str(len(parts) - 1)
    result = subprocess.run(
        [str(BIN / "numdesk")],
        capture_output=True,
        text=True,
        env={
            **os.environ,
            **(environment or {}),
            COMPLETION_VARIABLE: f"{shell}_complete",
            "COMP_WORDS": words,
            "COMP_CWORD": current,
        },
        timeout=TIMEOUT_SECONDS,
    )
    assert result.returncode == 0, result.stderr
    return completion_values(shell, result.stdout)


def completion_values(shell: str, output: str) -> list[str]:
    """Return the values in click's completion output, without types or help."""
    lines = [line for line in output.splitlines() if line]
    if shell == "bash":
        return [line.split(",", 1)[1] for line in lines]
    if shell == "zsh":
        # Each item is three lines: type, value and help.
        return lines[1::3]
    return [line.split(",", 1)[1].split("\t")[0] for line in lines]


@pytest.mark.parametrize("shell", SHELLS)
def test_complete_commands(shell: str) -> None:
    assert complete(shell, "numdesk num") == ["numbers"]


@pytest.mark.parametrize("shell", SHELLS)
def test_complete_country(shell: str) -> None:
    values = complete(shell, "numdesk numbers search G")
    assert "GB" in values
    assert all(value.startswith("G") for value in values)


@pytest.mark.parametrize("shell", SHELLS)
def test_complete_options(shell: str) -> None:
    values = complete(shell, "numdesk numbers list --")
    assert {"--json", "--csv"} <= set(values)


def test_complete_owned_msisdn(store_path: Path, account: SandboxAccount) -> None:
    number = account.search(SearchQuery(country="GB", size=1)).items[0]
    account.rent(number.msisdn)
    words = f"numdesk --db {store_path} numbers cancel "
    assert complete("bash", words) == [number.msisdn]


def test_complete_app_id(store_path: Path, account: SandboxAccount) -> None:
    application = account.create_application(
        ApplicationDraft(
            name="Support",
            answer_url="https://example.com/answer",
            event_url="https://example.com/event",
        )
    )
    environment = {"NUMDESK_DB": str(store_path)}
    assert complete("bash", "numdesk apps show ", environment) == [application.id]


def test_complete_skips_missing_store(tmp_path: Path) -> None:
    store = tmp_path / "not-yet.db"
    assert complete("bash", f"numdesk --db {store} numbers cancel ") == []
    assert not store.exists()


def test_bash_completes_from_script(tmp_path: Path) -> None:
    """Source the printed script in a real bash and run its completion function."""
    bash = shutil.which("bash")
    assert bash is not None
    script = tmp_path / "numdesk.bash"
    script.write_text(completion_script(numdesk, "bash"))
    probe = (
        f"source {script}\n"
        "COMP_WORDS=(numdesk numbers search G)\n"
        "COMP_CWORD=3\n"
        "_numdesk_completion numdesk\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    result = subprocess.run(
        [bash, "--norc", "-c", probe],
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"},
        timeout=TIMEOUT_SECONDS,
    )
    assert result.returncode == 0, result.stderr
    assert "GB" in result.stdout.split()


# README


def readme_sections() -> dict[str, str]:
    """Return the command reference sections of the README by command path."""
    text = README.read_text()
    parts = re.split(r"^### (numdesk(?: [a-z][a-z-]*)*)\s*$", text, flags=re.MULTILINE)
    return {
        heading.removeprefix("numdesk").strip(): body
        for heading, body in zip(parts[1::2], parts[2::2], strict=True)
    }


SECTIONS = readme_sections()
DOCUMENTED = [
    (path, command)
    for path, command in TREE
    if not isinstance(command, click.Group) or path == ""
]


@pytest.mark.parametrize(
    ("path", "command"), DOCUMENTED, ids=[p or "numdesk" for p, _ in DOCUMENTED]
)
def test_readme_documents_command(path: str, command: click.Command) -> None:
    heading = f"numdesk {path}".strip()
    assert path in SECTIONS, f"README.md has no '### {heading}' section"

    section = SECTIONS[path]
    for param in command.params:
        if isinstance(param, click.Argument):
            name = param.human_readable_name
            assert name in section, f"'### {heading}' does not name {name}"
        for option in param.opts:
            if option.startswith("--"):
                assert f"`{option}" in section, f"'### {heading}' misses {option}"


def test_readme_quick_start_unchanged() -> None:
    first_block = README.read_text().split("```sh\n", 1)[1].split("```", 1)[0]
    assert first_block == (
        "python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/numdesk\n"
        "python3 scripts/check.py\n"
    )
