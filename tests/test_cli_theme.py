"""$NUMDESK_THEME: read by the app and `serve` only, and rejected there when wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_runner import run


@pytest.mark.parametrize("theme", ["bogus", "Light", ""])
def test_commands_ignore_theme_variable(store_path: Path, theme: str) -> None:
    result = run(store_path, "numbers", "list", environment={"NUMDESK_THEME": theme})

    assert result.exit_code == 0


@pytest.mark.parametrize("arguments", [[], ["serve"]])
def test_bad_theme_variable_stops_app(store_path: Path, arguments: list[str]) -> None:
    result = run(store_path, *arguments, environment={"NUMDESK_THEME": "bogus"})

    assert result.exit_code == 2
    assert "NUMDESK_THEME is 'bogus', which is not a theme" in result.output
    assert "set it to dark or light, or unset it" in result.output
