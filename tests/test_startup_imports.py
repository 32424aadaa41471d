"""Start-up imports: a command or the app loads no module that its first output needs not.

Each check runs a fresh interpreter, because this test session has imported
everything already.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parent.parent

# The geocoder's and carrier's data: most of a second to import and over 100 MB.
HEAVY_MODULES = ["phonenumbers.geocoder", "phonenumbers.carrier", "sqlite_utils"]


def modules_after(statement: str) -> set[str]:
    """Return the modules loaded by a fresh interpreter after running `statement`."""
    script = f"import json, sys\n{statement}\nprint(json.dumps(sorted(sys.modules)))"
    completed = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        check=True,
    )
    return set(json.loads(completed.stdout))


@pytest.mark.parametrize("module", HEAVY_MODULES)
def test_command_line_skips(module: str) -> None:
    assert module not in modules_after("import cli.main")


@pytest.mark.parametrize("module", HEAVY_MODULES)
def test_app_module_skips(module: str) -> None:
    assert module not in modules_after("import tui.app")


def test_store_open_skips_sqlite_utils(store_path: Path) -> None:
    statement = (
        "from pathlib import Path\n"
        "from store.account import open_sandbox\n"
        f"open_sandbox(Path({str(store_path)!r})).close()"
    )

    assert "sqlite_utils" not in modules_after(statement)


def test_country_name_skips_geodata() -> None:
    statement = "from domain.countries import find_country\nfind_country('US').label"

    assert "phonenumbers.geodata" not in modules_after(statement)


# Modules that only a later step needs: generating a store, the first-run screen,
# Help and the rent dialog.
LATER_MODULES = {
    "store.sandbox",
    "tui.screens.first_run",
    "tui.screens.help",
    "tui.dialogs.rent",
}


def test_app_start_skips_later_modules(store_path: Path) -> None:
    statement = (
        "from pathlib import Path\n"
        "from store.account import open_sandbox\n"
        "import tui.app, tui.screens.search\n"
        f"open_sandbox(Path({str(store_path)!r})).close()"
    )

    assert modules_after(statement) & LATER_MODULES == set()


def test_first_screen_skips_emoji_table(store_path: Path) -> None:
    # Rich loads its emoji table to parse markup: the first screen's texts have none.
    statement = (
        "from pathlib import Path\n"
        "from store.account import open_sandbox\n"
        "from tui.app import NumdeskApp\n"
        f"account = open_sandbox(Path({str(store_path)!r}))\n"
        "async def first_screen(pilot):\n"
        "    await pilot.pause()\n"
        "    pilot.app.exit()\n"
        "NumdeskApp(account, default_country='US').run(\n"
        "    headless=True, size=(80, 24), auto_pilot=first_screen\n"
        ")\n"
        "account.close()"
    )

    assert "rich._emoji_codes" not in modules_after(statement)


def test_app_start_skips_phonenumbers_once_countries_cached(store_path: Path) -> None:
    # As `numdesk` starts the app: the first start caches the country table.
    statement = (
        "from cli.launch import create_app\n"
        "from cli.session import Session\n"
        f"app = create_app(Session({str(store_path)!r}))\n"
        "async def first_screen(pilot):\n"
        "    await pilot.app.workers.wait_for_complete()\n"
        "    await pilot.pause()\n"
        "    pilot.app.exit()\n"
        "app.run(headless=True, size=(80, 24), auto_pilot=first_screen)\n"
        "assert app.return_code == 0, app.return_code"
    )

    first_start = modules_after(statement)
    second_start = modules_after(statement)

    assert "phonenumbers" in first_start
    assert "phonenumbers" not in second_start
    assert "domain.search_hints" not in second_start
    assert "domain.applications" not in second_start
