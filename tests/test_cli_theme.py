"""The theme: $NUMDESK_THEME and --theme, and the one chosen in the app.

$NUMDESK_THEME is read by the app and `serve` only, and rejected there when wrong.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cli.launch import create_app
from cli.preferences import preferences_path, saved_theme
from cli.session import Session
from tests.cli_runner import run
from tui.app import NumdeskApp


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


# The theme chosen in the app, remembered for the next start


def app_on(store_path: Path, theme: str | None = None) -> NumdeskApp:
    return create_app(Session(str(store_path), theme))


def save_preferences(text: str) -> Path:
    path = preferences_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


async def test_theme_chosen_in_app_is_saved(store_path: Path) -> None:
    app = app_on(store_path)
    async with app.run_test() as pilot:
        await pilot.pause()
        app.theme = "nord"
        await pilot.pause()

    assert saved_theme(preferences_path()) == "nord"
    assert app_on(store_path).theme == "nord"


def test_start_theme_not_saved(store_path: Path) -> None:
    app_on(store_path, "light")

    assert not preferences_path().exists()


@pytest.mark.parametrize(("option", "expected"), [("light", "textual-light")])
def test_theme_option_beats_saved_theme(
    store_path: Path, option: str, expected: str
) -> None:
    save_preferences('{"theme": "nord"}')

    assert app_on(store_path, option).theme == expected


@pytest.mark.parametrize(
    "text",
    ['{"theme": "no-such-theme"}', "{not json", '["nord"]', '{"theme": 7}', ""],
    ids=["unknown", "malformed", "list", "number", "empty"],
)
def test_unusable_saved_theme_ignored(store_path: Path, text: str) -> None:
    save_preferences(text)

    assert app_on(store_path).theme == "textual-dark"


async def test_theme_not_saved_is_reported(store_path: Path) -> None:
    # A file where the config folder should be: the preferences cannot be written.
    folder = preferences_path().parent
    folder.parent.mkdir(parents=True, exist_ok=True)
    folder.write_text("in the way", encoding="utf-8")
    app = app_on(store_path)
    async with app.run_test() as pilot:
        await pilot.pause()
        app.theme = "nord"
        await pilot.pause()

        # Textual has no public accessor for the notifications on display.
        (notification,) = app._notifications
    assert notification.title == "Theme not saved"
    assert notification.message.startswith("The theme nord stays for this session only")
    assert app.theme == "nord"
