"""Plain `numdesk` starts the app without click, and leaves click what it must report.

Each run is a fresh interpreter with `sys.argv` of one item, as plain `numdesk`
has, and Textual's headless driver in place of a terminal.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

TIMEOUT_SECONDS = 60
HEADLESS = "textual.drivers.headless_driver:HeadlessDriver"

# Plain `numdesk`, with an app that quits once its first screen has drawn. It then
# prints whether click was imported.
QUITTING_APP_SCRIPT = """
import sys
from tui.app import NumdeskApp

mounted = NumdeskApp.on_mount

def quit_once_drawn(self):
    mounted(self)
    self.call_after_refresh(self.exit)

NumdeskApp.on_mount = quit_once_drawn
from cli.launch import main

main()
print("click imported" if "click" in sys.modules else "click not imported")
"""

# Plain `numdesk`, with an app that fails as it mounts.
CRASHING_APP_SCRIPT = """
from textual.app import App
from cli import launch

class FailingApp(App[None]):
    def on_mount(self) -> None:
        raise RuntimeError("failed on purpose")

launch.create_app = lambda session: FailingApp()
launch.main()
"""


def run_plain(script: str, **environment: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        env={**os.environ, "TEXTUAL_DRIVER": HEADLESS, **environment},
    )


def test_app_starts_without_click(store_path: Path) -> None:
    completed = run_plain(QUITTING_APP_SCRIPT, NUMDESK_DB=str(store_path))

    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip().endswith("click not imported")


def test_sandbox_account_named_starts_without_click(store_path: Path) -> None:
    completed = run_plain(
        QUITTING_APP_SCRIPT, NUMDESK_DB=str(store_path), NUMDESK_ACCOUNT=" sandbox "
    )

    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip().endswith("click not imported")


def test_app_error_exits_with_its_code(store_path: Path) -> None:
    completed = run_plain(CRASHING_APP_SCRIPT, NUMDESK_DB=str(store_path))

    assert completed.returncode == 1
    assert "failed on purpose" in completed.stdout + completed.stderr


def test_bad_theme_reported_as_usage_error(store_path: Path) -> None:
    completed = run_plain(
        QUITTING_APP_SCRIPT, NUMDESK_DB=str(store_path), NUMDESK_THEME="bogus"
    )

    assert completed.returncode == 2
    assert "Usage: numdesk" in completed.stderr
    assert "NUMDESK_THEME is 'bogus', which is not a theme" in completed.stderr


def test_missing_folder_reported_in_one_line(tmp_path: Path) -> None:
    store = tmp_path / "no such folder" / "numdesk.db"

    completed = run_plain(QUITTING_APP_SCRIPT, NUMDESK_DB=str(store))

    assert completed.returncode == 1
    assert completed.stderr.startswith(
        f"error: The folder {store.parent} of the store {store} does not exist"
    )
    assert completed.stderr.count("\n") == 1


def test_damaged_store_reported_in_one_line(tmp_path: Path) -> None:
    store = tmp_path / "numdesk.db"
    store.write_bytes(b"not a store " * 100)

    completed = run_plain(QUITTING_APP_SCRIPT, NUMDESK_DB=str(store))

    assert completed.returncode == 1
    assert completed.stderr.startswith("error: ")
    assert completed.stderr.count("\n") == 1
    assert store.read_bytes() == b"not a store " * 100


def test_live_account_goes_to_command_line(store_path: Path) -> None:
    completed = run_plain(
        QUITTING_APP_SCRIPT, NUMDESK_DB=str(store_path), NUMDESK_ACCOUNT="nobody"
    )

    assert completed.returncode == 1
    assert completed.stderr.startswith("error: ")
    assert "nobody" in completed.stderr
