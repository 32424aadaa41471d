"""The `numdesk` command given hostile values and broken store files.

Every case runs the installed script in a subprocess, as a user would. A rejection
must be exit status 1 with one short `error: ` line, in bounded time, and must
leave the store file as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from domain.applications import ApplicationDraft
from domain.numbers import Feature, SearchQuery
from store import schema
from store.account import SandboxAccount

NUMDESK = Path(sys.executable).parent / "numdesk"
TIMEOUT_SECONDS = 60
# Linux limits one command line argument to 131,072 bytes (MAX_ARG_STRLEN), so a
# megabyte cannot be passed as an argument at all. This is close to that limit.
HUGE = "7" * 130_000
# An error line that quotes a huge value shortens it to about this many characters.
MAX_ERROR_LENGTH = 600
HOSTILE_NAME = "[bold red]x[/] \x1b[31mred\x1b]0;title\x07\x9b2J"
SALES = ApplicationDraft(
    name="Sales", answer_url="https://example.com/a", event_url="https://example.com/e"
)
WEBHOOKS = ["--answer-url", "https://example.com/a", "--event-url", "https://e.com/e"]


def run(
    store_path: Path,
    *arguments: str,
    preexec_fn: Callable[[], None] | None = None,
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(NUMDESK), *arguments],
        capture_output=True,
        text=True,
        env={**os.environ, "NUMDESK_DB": str(store_path)},
        timeout=TIMEOUT_SECONDS,
        preexec_fn=preexec_fn,
    )


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_rejected(result: subprocess.CompletedProcess[str], fragment: str) -> None:
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("error: ")
    assert result.stderr.count("\n") == 1
    assert fragment in result.stderr


@pytest.fixture
def hostile_store(account: SandboxAccount) -> Iterator[Path]:
    """A store whose application name and URL another program filled with escapes.

    numdesk rejects such values when typed, so they are written the way another
    program sharing the store could.
    """
    query = SearchQuery(country="US", features=frozenset({Feature.VOICE}))
    msisdn = account.search(query).items[0].msisdn
    account.rent(msisdn)
    app_id = account.create_application(SALES).id
    account._store.connection.execute(
        "UPDATE applications SET name = ?, answer_url = ? WHERE id = ?",
        [HOSTILE_NAME, f"https://example.com/{HOSTILE_NAME}", app_id],
    )
    # The change log keeps the name that the application has when linked.
    account.link(msisdn, app_id)
    yield account.path


# Hostile text in names and URLs


def test_markup_name_stored_verbatim(store_path: Path) -> None:
    created = run(store_path, "apps", "create", "[bold red]x[/]", *WEBHOOKS, "--json")
    app_id = json.loads(created.stdout)["id"]

    shown = run(store_path, "apps", "show", app_id)

    assert created.returncode == 0, created.stderr
    assert json.loads(created.stdout)["name"] == "[bold red]x[/]"
    assert "name             [bold red]x[/]" in shown.stdout


@pytest.mark.parametrize(
    "arguments",
    [["apps", "list"], ["numbers", "list"], ["history"]],
    ids=["apps-list", "numbers-list", "history"],
)
def test_escapes_printed_literally(hostile_store: Path, arguments: list[str]) -> None:
    result = run(hostile_store, *arguments)

    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout
    assert "\x9b" not in result.stdout
    assert "[bold red]x[/] \\x1b[31mred" in result.stdout


def test_escapes_kept_in_json(hostile_store: Path) -> None:
    result = run(hostile_store, "apps", "list", "--json")

    assert "\x1b" not in result.stdout
    assert "\x9b" not in result.stdout
    assert json.loads(result.stdout)["applications"][0]["name"] == HOSTILE_NAME


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("Sales\x1b[2J", "contains control characters"),
        ("Sales\x07", "contains control characters"),
        ("x" * 201, "use at most 200"),
        ("   ", "name is missing"),
    ],
    ids=["escape", "bell", "too-long", "blank"],
)
def test_bad_name_rejected(store_path: Path, name: str, fragment: str) -> None:
    before = file_digest(store_path)

    result = run(store_path, "apps", "create", name, *WEBHOOKS)

    assert_rejected(result, fragment)
    assert file_digest(store_path) == before


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("ftp://example.com/a", "is not http or https"),
        ("https:///answer", "has no host"),
        ("example.com/answer", "is not http or https"),
        ("https://example.com/a b", "it contains spaces or control characters"),
        ("https://example.com/\x1b[2J", "it contains spaces or control characters"),
    ],
    ids=["ftp", "no-host", "no-scheme", "space", "escape"],
)
def test_bad_url_rejected(store_path: Path, url: str, fragment: str) -> None:
    result = run(
        store_path,
        "apps",
        "create",
        "Sales",
        "--answer-url",
        url,
        "--event-url",
        "https://example.com/e",
    )

    assert_rejected(result, fragment)


@pytest.mark.parametrize(
    ("arguments", "fragment"),
    [
        (["numbers", "search", "US", "--pattern", "41a"], "use digits 0-9 only"),
        (["numbers", "search", "US", "--pattern", "[b]1"], "use digits 0-9 only"),
        (["numbers", "search", "XX"], "Unknown country 'XX'"),
        (["numbers", "search", "\x1b[31m"], "Unknown country '\\x1b[31m'"),
    ],
    ids=["letters", "markup", "unknown-country", "escape-country"],
)
def test_bad_search_rejected(
    store_path: Path, arguments: list[str], fragment: str
) -> None:
    assert_rejected(run(store_path, *arguments), fragment)


# Huge values


@pytest.mark.parametrize(
    "arguments",
    [
        ["numbers", "rent", HUGE, "--yes"],
        ["numbers", "cancel", HUGE, "--yes"],
        ["numbers", "link", HUGE, "some-app"],
        ["numbers", "search", "US", "--pattern", HUGE],
        ["numbers", "search", HUGE],
        ["apps", "show", HUGE],
        ["apps", "create", HUGE, *WEBHOOKS],
        [
            "apps",
            "create",
            "Sales",
            "--answer-url",
            HUGE,
            "--event-url",
            "https://e.co/",
        ],
        ["history", "--number", HUGE],
        ["restore", HUGE, "--yes"],
    ],
    ids=[
        "rent",
        "cancel",
        "link",
        "pattern",
        "country",
        "apps-show",
        "app-name",
        "answer-url",
        "history",
        "restore",
    ],
)
def test_huge_argument_one_short_line(store_path: Path, arguments: list[str]) -> None:
    before = file_digest(store_path)
    started = time.monotonic()

    result = run(store_path, *arguments)

    assert result.returncode == 1, result.stderr[:500]
    assert result.stderr.startswith("error: ")
    assert result.stderr.count("\n") == 1
    assert len(result.stderr) < MAX_ERROR_LENGTH
    assert time.monotonic() - started < TIMEOUT_SECONDS / 2
    assert file_digest(store_path) == before


def test_huge_caller_id_diagnosed(store_path: Path) -> None:
    result = run(store_path, "format", HUGE, "--json")

    assert result.returncode == 0
    assert json.loads(result.stdout)["status"] == "invalid"


# Broken store files


@pytest.mark.parametrize(
    "arguments", [["numbers", "list"], []], ids=["command", "app-start"]
)
def test_store_is_folder(tmp_path: Path, arguments: list[str]) -> None:
    folder = tmp_path / "store"
    folder.mkdir()

    assert_rejected(run(folder, *arguments), "is a folder")
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize(
    "content",
    [b"not a database" * 100, b"SQLite format 3\x00" + b"\xff" * 4000],
    ids=["text", "damaged-header"],
)
def test_store_corrupt(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "numdesk.db"
    path.write_bytes(content)

    assert_rejected(run(path, "numbers", "list"), "not a numdesk store or is damaged")
    assert path.read_bytes() == content


def test_store_from_newer_numdesk(store_path: Path) -> None:
    connection = sqlite3.connect(store_path)
    connection.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    connection.close()
    before = file_digest(store_path)

    assert_rejected(run(store_path, "numbers", "list"), "upgrade numdesk")
    assert file_digest(store_path) == before


@pytest.fixture
def immutable_store(store_path: Path) -> Iterator[Path]:
    """The store marked immutable with chattr, which even root cannot write.

    Tests run as root, and file permissions do not stop root from writing.
    """
    if shutil.which("chattr") is None:
        pytest.skip("chattr is not installed")
    marked = subprocess.run(["chattr", "+i", str(store_path)], capture_output=True)
    if marked.returncode != 0:
        pytest.skip(f"chattr +i failed: {marked.stderr.decode(errors='replace')}")
    yield store_path
    subprocess.run(["chattr", "-i", str(store_path)], check=True)


def test_store_read_only(immutable_store: Path) -> None:
    before = file_digest(immutable_store)

    result = run(immutable_store, "numbers", "list")

    assert_rejected(result, "is read-only")
    assert file_digest(immutable_store) == before


def file_size_limit(size: int) -> Callable[[], None]:
    """Return a pre-exec hook that stops the child writing past `size` bytes a file.

    Writes beyond it fail with EFBIG, as they would on a full disk, because the
    SIGXFSZ signal that would kill the process is ignored.
    """

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return limit


@pytest.mark.parametrize(
    "size",
    [1024, 33_000],
    ids=["no-room-to-open", "no-room-to-write"],
)
def test_store_disk_full(store_path: Path, size: int) -> None:
    query = SearchQuery(country="US")
    connection = sqlite3.connect(store_path)
    msisdn = connection.execute(
        "SELECT msisdn FROM inventory WHERE country = ? ORDER BY msisdn LIMIT 1",
        [query.country],
    ).fetchone()[0]
    connection.close()
    before = file_digest(store_path)

    result = run(
        store_path,
        "numbers",
        "rent",
        msisdn,
        "--yes",
        preexec_fn=file_size_limit(size),
    )

    assert_rejected(result, "disk is full or failing: free some space")
    assert file_digest(store_path) == before
    assert run(store_path, "numbers", "list", "--json").stdout.count(msisdn) == 0
