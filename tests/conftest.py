"""Fixtures shared by every test: a sealed environment and fresh sandbox stores."""

from __future__ import annotations

import itertools
import os

# Textual reads these when it is first imported, so they are set before any import of it.
os.environ["TEXTUAL_ANIMATIONS"] = "none"
os.environ.pop("NO_COLOR", None)

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from store.account import SandboxAccount, open_sandbox

FIXED_NOW = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)
TEST_USER = "tester"
# Search's results table shows as many rows as the terminal has lines but these.
SEARCH_LINES_AROUND_ROWS = 8


def search_rows(lines: int) -> int:
    """Return how many numbers a Search page lists in a terminal `lines` high."""
    return lines - SEARCH_LINES_AROUND_ROWS


def fixed_clock() -> datetime:
    return FIXED_NOW


@pytest.fixture(autouse=True)
def sealed_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """Keep every test away from the host's data folder, locale and store settings."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    monkeypatch.delenv("NO_COLOR", raising=False)
    for name in list(os.environ):
        # Credentials or an account picked on the host must never reach a test, so
        # that no test can talk to a real Vonage account.
        if name.startswith(("NUMDESK_", "VONAGE_")):
            monkeypatch.delenv(name)
    yield


@pytest.fixture(scope="session")
def template_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A sandbox store generated once per run; tests get their own copy."""
    path = tmp_path_factory.mktemp("template") / "numdesk.db"
    account = open_sandbox(path, clock=fixed_clock, user=TEST_USER)
    account.close()
    return path


@pytest.fixture
def store_path(template_store: Path, tmp_path: Path) -> Path:
    """A fresh copy of the generated sandbox store in this test's folder."""
    path = tmp_path / "numdesk.db"
    shutil.copyfile(template_store, path)
    return path


@pytest.fixture
def account(store_path: Path) -> Iterator[SandboxAccount]:
    """A sandbox account on a fresh store with 10.00 EUR and no owned numbers."""
    account = open_sandbox(store_path, clock=fixed_clock, user=TEST_USER)
    yield account
    account.close()


@pytest.fixture
def pinned_account(store_path: Path) -> Iterator[SandboxAccount]:
    """The `account` fixture's store with predictable application ids, for snapshots."""
    numbers = itertools.count(1)
    account = open_sandbox(
        store_path,
        clock=fixed_clock,
        user=TEST_USER,
        new_id=lambda: f"{next(numbers):08x}-7e57-4a00-8000-000000000000",
    )
    yield account
    account.close()
