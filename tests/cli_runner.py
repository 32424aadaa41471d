"""Run the numdesk command in this process with click's runner, on one store file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from click.testing import CliRunner, Result

from cli.main import numdesk


def run(
    store_path: Path,
    *arguments: str,
    input: str | None = None,
    environment: dict[str, str] | None = None,
) -> Result:
    """Run `numdesk ARGUMENTS` on `store_path`, with `input` on stdin.

    Exceptions other than click's exits propagate, so that a crash fails the test
    with its traceback.
    """
    return CliRunner().invoke(
        numdesk,
        list(arguments),
        input=input,
        env={"NUMDESK_DB": str(store_path), **(environment or {})},
        catch_exceptions=False,
    )


def run_json(store_path: Path, *arguments: str) -> Any:
    """Run `numdesk ARGUMENTS --json`, check that it succeeded and return the JSON."""
    result = run(store_path, *arguments, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def command_tree() -> list[tuple[str, click.Command]]:
    """Return every command and group under `numdesk` with its path, root first.

    The path of `numdesk numbers search` is `numbers search`; the root's is empty.
    """
    found: list[tuple[str, click.Command]] = [("", numdesk)]
    index = 0
    while index < len(found):
        path, command = found[index]
        if isinstance(command, click.Group):
            context = click.Context(command)
            for name in command.list_commands(context):
                child = command.get_command(context, name)
                assert child is not None, f"{path} {name} is listed but not found"
                found.append((f"{path} {name}".strip(), child))
        index += 1
    return found
