"""`numdesk serve`: its options and warnings, and the app in a real headless Chromium.

The browser tests start the installed `numdesk serve` on a free loopback port and drive
Debian's chromium over the DevTools protocol on a pipe (`--remote-debugging-pipe`, so
no debugging port is opened). They read the terminal buffer of the page's xterm.js and
a screenshot of the page. Chromium resolves no host name and uses a closed
loopback proxy for everything but 127.0.0.1, so the page's link to a web font on
another host fails without leaving the machine.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shlex
import shutil
import signal
import socket
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zlib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli.main import numdesk
from cli.serve import app_command, exposure_warning, is_loopback, local_url
from domain.numbers import SearchQuery
from store.account import SandboxAccount

NUMDESK = Path(sys.executable).parent / "numdesk"
# Starting the server, the browser and the app each takes seconds on a loaded
# 2-core machine, so only a step past this is a hang.
STEP_TIMEOUT_SECONDS = 60
POLL_SECONDS = 0.2
WINDOW_SIZE = (1280, 800)


def require_program(name: str) -> str:
    """Return the path of `name`, else skip, or fail when CI is set.

    `.ci/run` installs the program, so in CI a missing one is an error, not a skip.
    """
    path = shutil.which(name)
    if path is not None:
        return path
    message = f"{name} is not installed: .ci/run installs it with apt-get."
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listened on a moment ago."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


# Options and messages


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.20", False),
        ("fe80::1", False),
        ("my-host.example", False),
    ],
)
def test_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


@pytest.mark.parametrize(
    ("host", "url"),
    [
        ("127.0.0.1", "http://127.0.0.1:8000"),
        ("::1", "http://[::1]:8000"),
        ("localhost", "http://localhost:8000"),
        ("0.0.0.0", f"http://{socket.gethostname()}:8000"),
        ("::", f"http://{socket.gethostname()}:8000"),
    ],
)
def test_local_url(host: str, url: str) -> None:
    assert local_url(host, 8000) == url


def test_app_command_runs_same_store(tmp_path: Path) -> None:
    store = tmp_path / "a store with spaces.db"
    command = shlex.split(app_command(store, "light"))
    assert command == [
        sys.executable,
        "-m",
        "cli.main",
        "--db",
        str(store),
        "--theme",
        "light",
    ]


def test_app_command_without_theme(tmp_path: Path) -> None:
    command = shlex.split(app_command(tmp_path / "n.db", None))
    assert "--theme" not in command
    assert "--account" not in command
    assert "--live" not in command


@pytest.mark.parametrize(
    ("account", "live", "expected"),
    [("acme", False, ["--account", "acme"]), (None, True, ["--live"])],
)
def test_app_command_keeps_account(
    tmp_path: Path, account: str | None, live: bool, expected: list[str]
) -> None:
    command = shlex.split(app_command(tmp_path / "n.db", None, account, live))
    assert command[-len(expected) :] == expected


def test_warning_names_target() -> None:
    warning = exposure_warning("0.0.0.0", 8000, "the store /srv/numdesk.db")
    assert warning.startswith("warning: ")
    assert "0.0.0.0 port 8000" in warning
    assert "anyone who can reach that port can use the store /srv/numdesk.db" in warning


def run_serve(
    store_path: Path, *arguments: str, timeout: float = STEP_TIMEOUT_SECONDS
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(NUMDESK), "--db", str(store_path), "serve", *arguments],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_other_address_warns(store_path: Path) -> None:
    # 192.0.2.1 is a documentation address that no machine has, so binding fails
    # after the warning, without listening beyond this machine.
    result = run_serve(store_path, "--host", "192.0.2.1", "--port", str(free_port()))
    assert result.returncode == 1
    assert result.stderr.startswith("warning: numdesk serve listens on 192.0.2.1")
    assert f"can use the store {store_path.resolve()}:" in result.stderr
    assert "error: Cannot listen on 192.0.2.1 port " in result.stderr
    assert "Traceback" not in result.stderr


def test_port_in_use_exits_1(store_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_serve(store_path, "--port", str(port), "--json")
    assert result.returncode == 1
    assert result.stdout == ""
    assert "warning" not in result.stderr
    assert result.stderr.rstrip().endswith(
        f"error: Cannot listen on 127.0.0.1 port {port}: Address already in use. "
        "Choose another --port, or a --host address of this machine."
    )


@pytest.mark.parametrize("port", ["0", "65536", "http"])
def test_bad_port_exits_2(store_path: Path, port: str) -> None:
    result = CliRunner().invoke(
        numdesk, ["--db", str(store_path), "serve", "--port", port]
    )
    assert result.exit_code == 2
    assert "Invalid value for '--port'" in result.stderr


def test_store_folder_rejected(tmp_path: Path) -> None:
    result = run_serve(tmp_path, "--port", str(free_port()))
    assert result.returncode == 1
    assert result.stderr.startswith(f"error: The store path {tmp_path} is a folder")


# A running server


@dataclass
class RunningServer:
    """A `numdesk serve` process and the JSON line it printed."""

    process: subprocess.Popen[str]
    details: dict[str, Any]
    theme: str | None = None

    @property
    def url(self) -> str:
        return str(self.details["url"])

    def stop(self) -> tuple[int, str, str]:
        """Stop the server with Ctrl+C and return its status, stdout and stderr."""
        self.process.send_signal(signal.SIGINT)
        stdout, stderr = self.process.communicate(timeout=STEP_TIMEOUT_SECONDS)
        return self.process.returncode, stdout, stderr


@contextmanager
def start_server(arguments: list[str]) -> Iterator[RunningServer]:
    """Start `numdesk ARGUMENTS`, return it once its page responds, stop it on exit.

    ARGUMENTS must include `serve --json`, so that the first line is the JSON.
    """
    process = subprocess.Popen(
        [str(NUMDESK), *arguments],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert process.stdout is not None
        details = json.loads(process.stdout.readline())
        server = RunningServer(process, details)
        wait_for_page(server.url)
        yield server
    finally:
        if process.poll() is None:
            # The server stops the app processes it started. The group kill is
            # for a server that hangs.
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=STEP_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def wait_for_page(url: str) -> str:
    """Return the page at `url` once the server responds with 200."""
    deadline = time.monotonic() + STEP_TIMEOUT_SECONDS
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return str(response.read().decode())
        except (urllib.error.URLError, ConnectionError) as error:
            assert time.monotonic() < deadline, f"{url} did not answer: {error}"
            time.sleep(POLL_SECONDS)


@pytest.fixture
def rented(account: SandboxAccount) -> str:
    """Rent the first US number, so that a page on the same store shows it gone."""
    number = account.search(SearchQuery(country="US")).items[0]
    account.rent(number.msisdn)
    return number.msisdn


@pytest.fixture(params=["dark", "light"])
def server(
    request: pytest.FixtureRequest, store_path: Path, rented: str
) -> Iterator[RunningServer]:
    theme = str(request.param)
    arguments = ["--db", str(store_path), "--theme", theme, "serve", "--json"]
    with start_server([*arguments, "--port", str(free_port())]) as running:
        running.theme = theme
        yield running


def test_json_line(store_path: Path) -> None:
    port = free_port()
    arguments = ["--db", str(store_path), "serve", f"--port={port}", "--json"]
    with start_server(arguments) as running:
        assert running.details == {
            "url": f"http://127.0.0.1:{port}",
            "host": "127.0.0.1",
            "port": port,
            "account": "sandbox",
            "store": str(store_path.resolve()),
        }
        page = wait_for_page(running.url)
        assert f"ws://127.0.0.1:{port}/ws" in page

        status, stdout, stderr = running.stop()
    assert status == 0
    assert stdout == ""
    assert f"Starting numdesk at http://127.0.0.1:{port}" in stderr


def test_help_example_serves(store_path: Path) -> None:
    result = CliRunner().invoke(numdesk, ["serve", "--help"])
    example = shlex.split(result.stdout.rstrip().splitlines()[-1])
    assert example[:2] == ["numdesk", "serve"]

    # The example's port may be taken on this machine, so a free one replaces it.
    arguments = example[2:]
    port = free_port()
    arguments[arguments.index("--port") + 1] = str(port)
    with start_server(
        ["--db", str(store_path), "serve", *arguments, "--json"]
    ) as running:
        assert running.details["port"] == port


# Chromium over the DevTools protocol


class DevTools:
    """A DevTools protocol client on Chromium's `--remote-debugging-pipe` pipes.

    Chromium reads commands from its fd 3 and writes replies and events to its fd 4,
    each message a JSON text ended by a NUL byte.
    """

    def __init__(self, commands: int, replies: int) -> None:
        self.commands = commands
        self.replies = replies
        self.buffer = b""
        self.last_id = 0

    def call(
        self, method: str, params: dict[str, Any] | None = None, session: str = ""
    ) -> dict[str, Any]:
        """Send one command and return its result, skipping events meanwhile."""
        self.last_id += 1
        message: dict[str, Any] = {"id": self.last_id, "method": method}
        message["params"] = params or {}
        if session:
            message["sessionId"] = session
        os.write(self.commands, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self.last_id:
                assert "error" not in reply, f"{method}: {reply['error']}"
                result: dict[str, Any] = reply["result"]
                return result

    def _read(self) -> dict[str, Any]:
        while b"\0" not in self.buffer:
            ready, _, _ = select.select([self.replies], [], [], STEP_TIMEOUT_SECONDS)
            assert ready, f"Chromium sent nothing for {STEP_TIMEOUT_SECONDS} s"
            chunk = os.read(self.replies, 1 << 16)
            assert chunk, "Chromium closed the DevTools pipe"
            self.buffer += chunk
        message, _, self.buffer = self.buffer.partition(b"\0")
        reply: dict[str, Any] = json.loads(message)
        return reply


def chromium_arguments(profile: Path) -> list[str]:
    width, height = WINDOW_SIZE
    return [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-default-apps",
        "--disable-extensions",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        "--proxy-server=http://127.0.0.1:9",
        "--proxy-bypass-list=127.0.0.1",
        f"--user-data-dir={profile}",
        f"--window-size={width},{height}",
        "--remote-debugging-pipe",
        "about:blank",
    ]


@pytest.fixture
def chromium(tmp_path: Path) -> Iterator[DevTools]:
    executable = require_program("chromium")
    commands_read, commands_write = os.pipe()
    replies_read, replies_write = os.pipe()

    def connect_pipes() -> None:
        # Chromium expects the pipes as fds 3 and 4. Copies above 9 first keep one
        # pipe from replacing the other when either already is fd 3 or 4.
        commands = fcntl.fcntl(commands_read, fcntl.F_DUPFD, 10)
        replies = fcntl.fcntl(replies_write, fcntl.F_DUPFD, 10)
        os.dup2(commands, 3)
        os.dup2(replies, 4)

    process = subprocess.Popen(
        [executable, *chromium_arguments(tmp_path / "chromium-profile")],
        pass_fds=(3, 4),
        preexec_fn=connect_pipes,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    os.close(commands_read)
    os.close(replies_write)
    try:
        yield DevTools(commands_write, replies_read)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=STEP_TIMEOUT_SECONDS)
        os.close(commands_write)
        os.close(replies_read)


# textual-serve's page keeps its xterm.js Terminal in a local variable. This script
# runs before the page's own and catches the Terminal when the page assigns it to a
# `terminal` property, so that the test can read the characters the page shows.
CATCH_TERMINAL = """
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  set(value) {
    window.numdeskTerminal = value;
    Object.defineProperty(this, "terminal", {
      value, writable: true, configurable: true, enumerable: true,
    });
  },
});
"""

READ_TERMINAL = """
(() => {
  const terminal = window.numdeskTerminal;
  if (!terminal) return null;
  const lines = [];
  for (let row = 0; row < terminal.rows; row++) {
    lines.push(terminal.buffer.active.getLine(row).translateToString(true));
  }
  const box = document.querySelector(".xterm-screen").getBoundingClientRect();
  return {
    lines, columns: terminal.cols, rows: terminal.rows,
    left: box.left, top: box.top, width: box.width, height: box.height,
    scale: window.devicePixelRatio,
    introHidden: document.body.classList.contains("-first-byte"),
  };
})()
"""


def open_page(devtools: DevTools, url: str) -> str:
    """Open `url` in a new tab with the terminal catcher and return its session id."""
    target = devtools.call("Target.createTarget", {"url": "about:blank"})
    attached = devtools.call(
        "Target.attachToTarget", {"targetId": target["targetId"], "flatten": True}
    )
    session = str(attached["sessionId"])
    devtools.call("Page.enable", session=session)
    devtools.call(
        "Page.addScriptToEvaluateOnNewDocument", {"source": CATCH_TERMINAL}, session
    )
    devtools.call("Page.navigate", {"url": url}, session)
    return session


def wait_for_terminal(
    devtools: DevTools, session: str, expected: list[str]
) -> dict[str, Any]:
    """Return the page's terminal once every text in `expected` is on it."""
    deadline = time.monotonic() + STEP_TIMEOUT_SECONDS
    while True:
        evaluated = devtools.call(
            "Runtime.evaluate",
            {"expression": READ_TERMINAL, "returnByValue": True},
            session,
        )
        terminal: dict[str, Any] | None = evaluated["result"].get("value")
        text = "\n".join(terminal["lines"]) if terminal else ""
        if terminal and all(part in text for part in expected):
            return terminal
        assert time.monotonic() < deadline, f"{expected!r} not all on:\n{text}"
        time.sleep(POLL_SECONDS)


# Screenshots


@dataclass(frozen=True)
class Image:
    """An RGB image: `pixels[y][x]` is a (red, green, blue) tuple."""

    width: int
    height: int
    pixels: list[list[tuple[int, int, int]]]


def decode_png(data: bytes) -> Image:
    """Decode an 8-bit RGB or RGBA PNG without interlacing, as Chromium writes it."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position = 8
    compressed = b""
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        body = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour_type, _, _, interlace = struct.unpack(
                ">IIBBBBB", body
            )
            assert (depth, interlace) == (8, 0)
            channels = {2: 3, 6: 4}[colour_type]
        elif kind == b"IDAT":
            compressed += body
        position += 12 + length

    raw = zlib.decompress(compressed)
    stride = width * channels
    rows: list[bytearray] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        line = bytearray(raw[start + 1 : start + 1 + stride])
        unfilter_line(line, previous, raw[start], channels)
        rows.append(line)
        previous = line
    pixels = [
        [(row[x], row[x + 1], row[x + 2]) for x in range(0, stride, channels)]
        for row in rows
    ]
    return Image(width, height, pixels)


def unfilter_line(
    line: bytearray, previous: bytearray, filter_type: int, channels: int
) -> None:
    """Undo the filter of one PNG scanline in place, as the PNG specification defines.

    The filters are 0 none, 1 sub, 2 up, 3 average and 4 Paeth.
    """
    assert filter_type in range(5), f"unknown PNG filter {filter_type}"
    for index in range(len(line)):
        left = line[index - channels] if index >= channels else 0
        up = previous[index]
        up_left = previous[index - channels] if index >= channels else 0
        if filter_type == 1:
            predicted = left
        elif filter_type == 2:
            predicted = up
        elif filter_type == 3:
            predicted = (left + up) // 2
        elif filter_type == 4:
            predicted = paeth(left, up, up_left)
        else:
            predicted = 0
        line[index] = (line[index] + predicted) & 0xFF


def paeth(left: int, up: int, up_left: int) -> int:
    estimate = left + up - up_left
    distances = [abs(estimate - left), abs(estimate - up), abs(estimate - up_left)]
    return [left, up, up_left][distances.index(min(distances))]


def screenshot(devtools: DevTools, session: str) -> Image:
    shot = devtools.call("Page.captureScreenshot", {"format": "png"}, session)
    return decode_png(base64.b64decode(shot["data"]))


def cell_box(
    terminal: dict[str, Any], row: int, first: int, last: int
) -> tuple[int, int, int, int]:
    """Return the screenshot pixels (left, top, right, bottom) of terminal cells."""
    scale = terminal["scale"]
    cell_width = terminal["width"] / terminal["columns"]
    cell_height = terminal["height"] / terminal["rows"]
    return (
        round((terminal["left"] + first * cell_width) * scale),
        round((terminal["top"] + row * cell_height) * scale),
        round((terminal["left"] + (last + 1) * cell_width) * scale),
        round((terminal["top"] + (row + 1) * cell_height) * scale),
    )


def ink_fraction(image: Image, box: tuple[int, int, int, int]) -> float:
    """Return the share of pixels in `box` that differ clearly from its main colour.

    Glyphs drawn on a plain background give a share of several per cent; blank
    cells give none.
    """
    left, top, right, bottom = box
    pixels = [
        image.pixels[y][x] for y in range(top, bottom) for x in range(left, right)
    ]
    background = Counter(pixels).most_common(1)[0][0]
    ink = [
        pixel
        for pixel in pixels
        if max(
            abs(channel - base) for channel, base in zip(pixel, background, strict=True)
        )
        > 60
    ]
    return len(ink) / len(pixels)


def luminance(colour: tuple[int, int, int]) -> float:
    red, green, blue = colour
    return (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255


def test_page_shows_search(
    server: RunningServer, chromium: DevTools, account: SandboxAccount, rented: str
) -> None:
    listed = account.search(SearchQuery(country="US")).items
    session = open_page(chromium, server.url)
    terminal = wait_for_terminal(
        chromium,
        session,
        [
            "Search",
            f"balance {account.balance():.2f} EUR",
            *[number.msisdn for number in listed],
        ],
    )
    lines: list[str] = terminal["lines"]
    assert terminal["introHidden"] is True
    assert not any(rented in line for line in lines)

    # Each listed number is drawn: its cells hold glyphs, while blank cells hold none.
    image = screenshot(chromium, session)
    for number in listed:
        row = next(index for index, line in enumerate(lines) if number.msisdn in line)
        first = lines[row].index(number.msisdn)
        box = cell_box(terminal, row, first, first + len(number.msisdn) - 1)
        assert ink_fraction(image, box) > 0.05, f"{number.msisdn} is not drawn"

    blank_row = max(index for index, line in enumerate(lines[:-2]) if not line.strip())
    blank = cell_box(terminal, blank_row, 0, 10)
    assert ink_fraction(image, blank) < 0.01

    # The theme chosen for `serve` reaches the app in the page.
    left, top, right, bottom = cell_box(terminal, blank_row, 0, terminal["columns"] - 1)
    background = Counter(
        image.pixels[y][x] for y in range(top, bottom) for x in range(left, right)
    ).most_common(1)[0][0]
    if server.theme == "light":
        assert luminance(background) > 0.6
    else:
        assert luminance(background) < 0.25
