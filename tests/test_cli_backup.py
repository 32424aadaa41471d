"""`numdesk backup` and `numdesk restore` on real store files."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from domain.numbers import Feature, SearchQuery
from store.account import SandboxAccount
from tests.cli_runner import run, run_json

NUMDESK = Path(sys.executable).parent / "numdesk"
TIMEOUT_SECONDS = 60


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def rent_voice_number(account: SandboxAccount) -> str:
    query = SearchQuery(country="US", features=frozenset({Feature.VOICE}))
    msisdn = account.search(query).items[0].msisdn
    account.rent(msisdn)
    return msisdn


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Answer the restore question as if stdin were a terminal."""
    monkeypatch.setattr("cli.confirm.stdin_is_terminal", lambda: True)


@pytest.fixture
def backup_path(store_path: Path, account: SandboxAccount, tmp_path: Path) -> Path:
    """A backup taken by the CLI after one rent."""
    rent_voice_number(account)
    path = tmp_path / "backup.db"
    result = run(store_path, "backup", str(path))
    assert result.exit_code == 0, result.stderr
    return path


def test_backup_text(store_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "copy.db"

    result = run(store_path, "backup", str(target))

    assert result.exit_code == 0
    assert result.stdout.startswith(f"Backed up {store_path} to {target}: 0 owned")
    assert target.exists()


def test_backup_json(store_path: Path, tmp_path: Path) -> None:
    result = run_json(store_path, "backup", str(tmp_path / "copy.db"))

    assert result["owned_numbers"] == 0
    assert result["balance"] == "10.00"
    assert result["path"] == str(tmp_path / "copy.db")


def test_backup_existing_target(store_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "copy.db"
    target.write_text("keep")

    result = run(store_path, "backup", str(target))

    assert result.exit_code == 1
    assert result.stderr.startswith("error: ")
    assert "--overwrite" in result.stderr
    assert target.read_text() == "keep"


def test_backup_overwrite(store_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "copy.db"
    target.write_text("old")

    result = run(store_path, "backup", str(target), "--overwrite")

    assert result.exit_code == 0
    assert target.read_bytes().startswith(b"SQLite format 3\x00")


def test_backup_missing_store(tmp_path: Path) -> None:
    result = run(tmp_path / "none.db", "backup", str(tmp_path / "copy.db"))

    assert result.exit_code == 1
    assert "does not exist" in result.stderr
    assert not (tmp_path / "none.db").exists()


def test_restore_asks_first(
    store_path: Path, account: SandboxAccount, backup_path: Path, terminal: None
) -> None:
    account.cancel(account.owned_numbers()[0].msisdn)

    result = run(store_path, "restore", str(backup_path), input="n\n")

    assert result.exit_code == 1
    assert "now has: 0 owned numbers" in result.stderr
    assert "has: 1 owned number," in result.stderr
    assert (
        "the change log included: the entries made since the backup are lost"
        in " ".join(result.stderr.split())
    )
    assert "declined" in result.stderr
    assert account.owned_numbers() == []


def test_restore_after_yes(
    store_path: Path, account: SandboxAccount, backup_path: Path, terminal: None
) -> None:
    owned = account.owned_numbers()
    account.cancel(owned[0].msisdn)

    result = run(store_path, "restore", str(backup_path), input="y\n")

    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"Restored {backup_path} into {store_path}")
    assert account.owned_numbers() == owned


def test_restore_json(
    store_path: Path, account: SandboxAccount, backup_path: Path
) -> None:
    result = run_json(store_path, "restore", str(backup_path), "--yes")

    assert result["owned_numbers"] == 1
    assert account.history()[0].action == "restore"


def test_restore_without_terminal(store_path: Path, backup_path: Path) -> None:
    result = run(store_path, "restore", str(backup_path))

    assert result.exit_code == 1
    assert "pass --yes" in result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"not a database" * 100, "not a numdesk store or is damaged"),
    ],
    ids=["empty", "text"],
)
def test_restore_rejects_bad_backup(
    store_path: Path, tmp_path: Path, content: bytes, message: str
) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(content)
    before = file_digest(store_path)

    result = run(store_path, "restore", str(bad), "--yes")

    assert result.exit_code == 1
    assert message in result.stderr
    assert result.stderr.count("\n") == 1
    assert file_digest(store_path) == before


def test_restore_into_new_store(backup_path: Path, tmp_path: Path) -> None:
    store_path = tmp_path / "fresh.db"

    result = run(store_path, "restore", str(backup_path), "--yes")

    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert run_json(store_path, "numbers", "list")["count"] == 1


def test_restore_under_open_store(
    store_path: Path, account: SandboxAccount, backup_path: Path
) -> None:
    # The test's account is a second process's view: it stays open throughout.
    owned = account.owned_numbers()
    account.cancel(owned[0].msisdn)

    completed = subprocess.run(
        [str(NUMDESK), "restore", str(backup_path), "--yes"],
        capture_output=True,
        text=True,
        env={**os.environ, "NUMDESK_DB": str(store_path)},
        timeout=TIMEOUT_SECONDS,
    )

    assert completed.returncode == 0, completed.stderr
    assert account.owned_numbers() == owned
    assert rent_voice_number(account) in {n.msisdn for n in account.owned_numbers()}
