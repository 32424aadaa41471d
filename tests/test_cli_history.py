"""`numdesk history`, run in-process through click's CliRunner on a fresh store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from domain.applications import ApplicationDraft
from domain.numbers import Feature, SearchQuery
from store.account import SandboxAccount
from tests import cli_runner

SALES = ApplicationDraft(
    name="Sales", answer_url="https://example.com/a", event_url="https://example.com/e"
)


def run(store_path: Path, *arguments: str) -> Result:
    return cli_runner.run(store_path, "history", *arguments)


def run_json(store_path: Path, *arguments: str) -> Any:
    return cli_runner.run_json(store_path, "history", *arguments)


@pytest.fixture
def changes(account: SandboxAccount) -> tuple[str, str, str]:
    """Rent two numbers, link the first to Sales; return both msisdns and the app id."""
    query = SearchQuery(country="US", features=frozenset({Feature.VOICE}))
    first, second = (number.msisdn for number in account.search(query).items[:2])
    account.rent(first)
    account.rent(second)
    app_id = account.create_application(SALES).id
    account.link(first, app_id)
    return first, second, app_id


def test_json_newest_first(store_path: Path, changes: tuple[str, str, str]) -> None:
    first, _, app_id = changes

    result = run_json(store_path)

    assert result["count"] == 4
    assert [entry["action"] for entry in result["entries"]] == [
        "link",
        "create_application",
        "rent",
        "rent",
    ]
    assert result["entries"][0] == {
        "time": "2026-01-15T09:30:00+00:00",
        "user": "tester",
        "action": "link",
        "msisdn": first,
        "app_id": app_id,
        "before": {"app_id": None},
        "after": {"app_id": app_id, "app_name": "Sales"},
    }


def test_filter_by_number(store_path: Path, changes: tuple[str, str, str]) -> None:
    first, _, _ = changes

    result = run_json(store_path, "--number", first)

    assert [entry["action"] for entry in result["entries"]] == ["link", "rent"]


def test_number_in_pasted_form(store_path: Path, changes: tuple[str, str, str]) -> None:
    first, _, _ = changes
    pasted = f"+{first[0]} ({first[1:4]}) {first[4:7]}-{first[7:]}"

    result = run_json(store_path, "--number", pasted)

    assert result["count"] == 2


def test_filter_by_app(store_path: Path, changes: tuple[str, str, str]) -> None:
    _, _, app_id = changes

    result = run_json(store_path, "--app", app_id)

    assert [entry["action"] for entry in result["entries"]] == [
        "link",
        "create_application",
    ]


def test_filter_by_app_prefix(store_path: Path, changes: tuple[str, str, str]) -> None:
    _, _, app_id = changes

    result = run_json(store_path, "--app", app_id[:8])

    assert result["count"] == 2


def test_filter_by_deleted_app(
    store_path: Path, account: SandboxAccount, changes: tuple[str, str, str]
) -> None:
    _, _, app_id = changes
    account.delete_application(app_id)

    result = run_json(store_path, "--app", app_id)

    assert [entry["action"] for entry in result["entries"]] == [
        "delete_application",
        "unlink",
        "link",
        "create_application",
    ]


def test_deleted_app_by_short_id(
    store_path: Path, account: SandboxAccount, changes: tuple[str, str, str]
) -> None:
    _, _, app_id = changes
    account.delete_application(app_id)

    result = run_json(store_path, "--app", app_id[:8])

    assert [entry["app_id"] for entry in result["entries"]] == [app_id] * 4


def test_deleted_app_named_in_text(
    store_path: Path, account: SandboxAccount, changes: tuple[str, str, str]
) -> None:
    _, _, app_id = changes
    account.delete_application(app_id)

    result = run(store_path, "--app", app_id)

    assert "linked to 'Sales'" in result.stdout
    assert app_id not in result.stdout


def test_unknown_app_rejected(store_path: Path, changes: tuple[str, str, str]) -> None:
    result = run(store_path, "--app", "aaaaaaaa-0000-4000-8000-00000000dead")

    assert result.exit_code == 1
    assert "No application or logged change has the id" in result.stderr


def test_limit(store_path: Path, changes: tuple[str, str, str]) -> None:
    result = run(store_path, "--limit", "2")

    assert result.exit_code == 0
    assert "2 changes" in result.stdout
    assert "Showing the newest 2: pass --limit" in result.stderr


def test_text_table(store_path: Path, changes: tuple[str, str, str]) -> None:
    first, _, _ = changes

    result = run(store_path)

    lines = result.stdout.splitlines()
    assert lines[0].split() == ["TIME", "(UTC)", "USER", "ACTION", "NUMBER", "CHANGE"]
    assert lines[1].split()[:5] == ["2026-01-15", "09:30:00", "tester", "link", first]
    assert lines[1].endswith("linked to 'Sales'")
    assert any(line.split()[3:5] == ["new", "app"] for line in lines[2:-1])
    assert lines[-1] == "4 changes"


def test_empty(store_path: Path) -> None:
    result = run(store_path)

    assert result.exit_code == 0
    assert result.stdout.startswith("No changes match")


def test_invalid_number(store_path: Path) -> None:
    result = run(store_path, "--number", "12ab")

    assert result.exit_code == 1
    assert result.stderr.startswith(
        "error: The value '12ab' contains the letters ab among its digits."
    )


@pytest.mark.parametrize("limit", ["0", "10001", "x"])
def test_invalid_limit(store_path: Path, limit: str) -> None:
    result = run(store_path, "--limit", limit)

    assert result.exit_code == 2


def test_hostile_name_literal(store_path: Path, account: SandboxAccount) -> None:
    # Names written by another program, such as a live account's API, may contain
    # anything. The CLI prints markup as it is and escapes control characters.
    app = account.create_application(SALES)
    hostile = "[bold red]x[/] \x1b[31mred\x07"
    account._store.connection.execute(
        "UPDATE applications SET name = ? WHERE id = ?", [hostile, app.id]
    )
    account.application(app.id)
    account.update_application(app.id, SALES)

    result = run(store_path)

    assert "[bold red]x[/] \\x1b[31mred\\x07" in result.stdout
    assert "\x1b" not in result.stdout
    assert "\x07" not in result.stdout
