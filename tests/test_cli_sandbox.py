"""`numdesk sandbox generate`, run in-process through click's CliRunner."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cli import confirm
from cli.main import numdesk
from domain.numbers import SearchQuery
from store.account import open_sandbox
from tests.conftest import fixed_clock


def run(path: Path, *arguments: str, input: str | None = None) -> Result:
    return CliRunner().invoke(
        numdesk,
        ["--db", str(path), *arguments],
        input=input,
        catch_exceptions=False,
    )


def inventory_size(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        return int(connection.execute("SELECT count(*) FROM inventory").fetchone()[0])


@pytest.mark.parametrize("rows", [1, 700, 3_000])
def test_generate_new_store(tmp_path: Path, rows: int) -> None:
    path = tmp_path / "big.db"

    result = run(path, "sandbox", "generate", "--rows", str(rows))

    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"Created {path} with {rows:,} available numbers")
    assert inventory_size(path) == rows


def test_generate_json(tmp_path: Path) -> None:
    path = tmp_path / "big.db"

    result = run(path, "sandbox", "generate", "--rows", "700", "--json")

    output = json.loads(result.stdout)
    assert set(output) == {"path", "available", "replaced", "seconds"}
    assert output["path"] == str(path)
    assert output["available"] == 700
    assert output["replaced"] is None


def test_generate_notes_progress_off_terminal(tmp_path: Path) -> None:
    path = tmp_path / "big.db"

    result = run(path, "sandbox", "generate", "--rows", "700")

    assert result.stderr == (
        f"Generating 700 numbers in {path}; a million take about a minute.\n"
        "Building the search indexes...\n"
    )


def test_generate_replace_needs_yes(store_path: Path) -> None:
    before = inventory_size(store_path)

    result = run(store_path, "sandbox", "generate", "--rows", "700")

    assert result.exit_code == 1
    assert "pass --yes" in result.stderr
    assert inventory_size(store_path) == before


def test_generate_replace_declined(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(confirm, "stdin_is_terminal", lambda: True)
    before = inventory_size(store_path)

    result = run(store_path, "sandbox", "generate", "--rows", "700", input="n\n")

    assert result.exit_code == 1
    assert "Nothing changed" in result.stderr
    assert inventory_size(store_path) == before


def test_generate_replace_keeps_owned(store_path: Path) -> None:
    account = open_sandbox(store_path, clock=fixed_clock)
    rented = account.rent(account.search(SearchQuery("GB")).items[0].msisdn)
    account.close()
    before = inventory_size(store_path)

    result = run(store_path, "sandbox", "generate", "--rows", "700", "--yes", "--json")

    assert json.loads(result.stdout)["replaced"] == before
    assert inventory_size(store_path) == 700
    account = open_sandbox(store_path, clock=fixed_clock)
    assert account.owned_numbers() == [rented]
    account.close()


@pytest.mark.parametrize("rows", ["0", "-3", "10000001", "many"])
def test_generate_rejects_rows(tmp_path: Path, rows: str) -> None:
    path = tmp_path / "big.db"

    result = run(path, "sandbox", "generate", "--rows", rows)

    assert result.exit_code == 2
    assert "--rows" in result.stderr
    assert not path.exists()


def test_generate_needs_rows(tmp_path: Path) -> None:
    result = run(tmp_path / "big.db", "sandbox", "generate")

    assert result.exit_code == 2
    assert "Missing option '--rows'" in result.stderr


@pytest.mark.parametrize(
    "account_options", [["--live"], ["--account", "team"]], ids=["live", "account"]
)
def test_generate_sandbox_only(tmp_path: Path, account_options: list[str]) -> None:
    path = tmp_path / "big.db"

    result = CliRunner().invoke(
        numdesk,
        ["--db", str(path), *account_options, "sandbox", "generate", "--rows", "9"],
    )

    assert result.exit_code == 1
    assert "`sandbox generate` works on the offline sandbox store only" in result.stderr
    assert not path.exists()
