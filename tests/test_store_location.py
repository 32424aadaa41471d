"""Finding the store file: the --db option, then NUMDESK_DB, then the data folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.location import resolve_store_path


def test_option_wins(tmp_path: Path) -> None:
    option = tmp_path / "chosen.db"

    path = resolve_store_path(option, {"NUMDESK_DB": str(tmp_path / "env.db")})

    assert path == option


def test_option_as_text(tmp_path: Path) -> None:
    assert resolve_store_path(str(tmp_path / "a.db"), {}) == tmp_path / "a.db"


@pytest.mark.parametrize("option", [None, "", "   "])
def test_environment_variable(tmp_path: Path, option: str | None) -> None:
    path = resolve_store_path(option, {"NUMDESK_DB": str(tmp_path / "env.db")})

    assert path == tmp_path / "env.db"


def test_home_expanded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))

    assert resolve_store_path("~/numbers.db", {}) == tmp_path / "numbers.db"


@pytest.mark.parametrize("environment", [{}, {"NUMDESK_DB": ""}])
def test_default_in_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, environment: dict[str, str]
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))

    path = resolve_store_path(None, environment)

    assert path == tmp_path / "data" / "numdesk" / "numdesk.db"


def test_reads_process_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NUMDESK_DB", str(tmp_path / "from-env.db"))

    assert resolve_store_path(None) == tmp_path / "from-env.db"


def test_does_not_create(tmp_path: Path) -> None:
    path = resolve_store_path(tmp_path / "missing" / "numdesk.db", {})

    assert not path.parent.exists()
