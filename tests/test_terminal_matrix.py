"""The installed app in tmux: every TERM, size, theme and NO_COLOR setting people use.

Each case starts `numdesk` on a copy of the sandbox store inside a tmux server of its
own. It types with `send-keys` and reads the screen with `capture-pane` through search,
rent after the confirmation dialog, and the caller ID check, outbound and inbound, then
visits My numbers and Applications. Only
keys are sent, as over an SSH session without a mouse.

Besides the text, the colours that tmux reports (`capture-pane -e`) are checked: the
theme's background, greys only under NO_COLOR, and the contrast of the key lines on
256-colour terminals. A 16-colour terminal such as the Linux console chooses its own
palette, so contrast is not computed there.
"""

from __future__ import annotations

import itertools
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from domain.numbers import SearchQuery
from store.account import SandboxAccount
from tests.conftest import search_rows

NUMDESK = Path(sys.executable).parent / "numdesk"
# The app starts in about 5 s on a loaded 2-core machine, so a step past 30 s hangs.
STEP_TIMEOUT_SECONDS = 30
POLL_SECONDS = 0.1
# WCAG 2's minimum contrast for large text. Terminal text is not large, so this is a
# floor for "readable" rather than an accessibility pass.
MIN_CONTRAST = 3.0

SIZES = [(80, 24), (200, 50)]
TERMS = ["xterm-256color", "screen-256color", "linux"]
THEMES = ["dark", "light"]

# What the Linux console sends for F1 to F5, in hex: ESC [ [ A to ESC [ [ E. tmux's key
# names send xterm's sequences instead.
LINUX_CONSOLE_FUNCTION_KEYS = {
    number: f"1b 5b 5b {0x40 + number:x}" for number in range(1, 6)
}


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


@dataclass(frozen=True)
class Terminal:
    """The terminal settings of one case."""

    columns: int
    lines: int
    term: str
    no_color: bool
    theme: str

    def __str__(self) -> str:
        colour = "no_color" if self.no_color else "color"
        return f"{self.columns}x{self.lines}-{self.term}-{colour}-{self.theme}"

    @property
    def has_256_colours(self) -> bool:
        return self.term.endswith("-256color")


TERMINALS = [
    Terminal(columns, lines, term, no_color, theme)
    for (columns, lines), term, no_color, theme in itertools.product(
        SIZES, TERMS, [False, True], THEMES
    )
]


# Colours


Colour = tuple[int, int, int]

# xterm's default palette for the 16 basic colours.
ANSI_COLOURS: list[Colour] = [
    (0, 0, 0),
    (205, 0, 0),
    (0, 205, 0),
    (205, 205, 0),
    (0, 0, 238),
    (205, 0, 205),
    (0, 205, 205),
    (229, 229, 229),
    (127, 127, 127),
    (255, 0, 0),
    (0, 255, 0),
    (255, 255, 0),
    (92, 92, 255),
    (255, 0, 255),
    (0, 255, 255),
    (255, 255, 255),
]
CUBE_LEVELS = [0, 95, 135, 175, 215, 255]
SGR = re.compile(r"\x1b\[([0-9;:]*)m")


@dataclass(frozen=True)
class Cell:
    """One character on the screen and its colours, None for the terminal default."""

    character: str
    foreground: Colour | None
    background: Colour | None


def palette_colour(index: int) -> Colour:
    """Return the RGB value of an xterm 256-colour palette index."""
    if index < 16:
        return ANSI_COLOURS[index]
    if index < 232:
        index -= 16
        return (
            CUBE_LEVELS[index // 36],
            CUBE_LEVELS[index // 6 % 6],
            CUBE_LEVELS[index % 6],
        )
    level = 8 + (index - 232) * 10
    return (level, level, level)


class Pen:
    """The colours that SGR sequences set, applied to the characters that follow."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.foreground: Colour | None = None
        self.background: Colour | None = None
        self.reverse = False

    def cell(self, character: str) -> Cell:
        if self.reverse:
            return Cell(character, self.background, self.foreground)
        return Cell(character, self.foreground, self.background)

    def apply(self, sequence: str) -> None:
        codes = [int(code or 0) for code in re.split("[;:]", sequence)]
        while codes:
            code = codes.pop(0)
            if code == 0:
                self.reset()
            elif code in (7, 27):
                self.reverse = code == 7
            elif code in (38, 48):
                colour = self._extended_colour(codes)
                if code == 38:
                    self.foreground = colour
                else:
                    self.background = colour
            elif code in (39, 49):
                self._set(code == 39, None)
            elif 30 <= code <= 37 or 40 <= code <= 47:
                self._set(code < 40, ANSI_COLOURS[code % 10])
            elif 90 <= code <= 97 or 100 <= code <= 107:
                self._set(code < 100, ANSI_COLOURS[code % 10 + 8])

    def _set(self, foreground: bool, colour: Colour | None) -> None:
        if foreground:
            self.foreground = colour
        else:
            self.background = colour

    @staticmethod
    def _extended_colour(codes: list[int]) -> Colour:
        kind = codes.pop(0)
        if kind == 5:
            return palette_colour(codes.pop(0))
        red, green, blue = codes[:3]
        del codes[:3]
        return (red, green, blue)


def parse_cells(styled: str) -> list[list[Cell]]:
    """Split `capture-pane -e` output into lines of cells with their colours.

    tmux carries the colours from one line to the next, so the pen does too.
    """
    pen = Pen()
    screen = []
    for line in styled.split("\n"):
        cells = []
        position = 0
        for match in SGR.finditer(line):
            cells += [
                pen.cell(character) for character in line[position : match.start()]
            ]
            pen.apply(match.group(1))
            position = match.end()
        cells += [pen.cell(character) for character in line[position:]]
        screen.append(cells)
    return screen


def relative_luminance(colour: Colour) -> float:
    """Return WCAG 2's relative luminance of an sRGB colour, from 0 to 1."""

    def linear(channel: int) -> float:
        value = channel / 255
        if value <= 0.03928:
            return value / 12.92
        return float(((value + 0.055) / 1.055) ** 2.4)

    red, green, blue = colour
    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def contrast_ratio(first: Colour, second: Colour) -> float:
    """Return WCAG 2's contrast ratio of two colours, from 1 to 21."""
    lighter, darker = sorted(
        (relative_luminance(first), relative_luminance(second)), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


def is_grey(colour: Colour | None) -> bool:
    return colour is None or len(set(colour)) == 1


def main_background(screen: list[list[Cell]]) -> Colour | None:
    """Return the background colour that covers the most cells."""
    counts = Counter(cell.background for line in screen for cell in line)
    return counts.most_common(1)[0][0]


def lowest_contrast(screen: list[list[Cell]], pattern: str) -> float:
    """Return the lowest contrast of the visible characters that match `pattern`.

    Characters in a default colour are left out, because only the terminal defines
    that colour. Fails when no character of the pattern has both colours set.
    """
    ratios = []
    for line in screen:
        text = "".join(cell.character for cell in line)
        for match in re.finditer(pattern, text):
            for cell in line[match.start() : match.end()]:
                if cell.character.strip() and cell.foreground and cell.background:
                    ratios.append(contrast_ratio(cell.foreground, cell.background))
    assert ratios, f"no coloured characters match {pattern!r}"
    return min(ratios)


# tmux


class TmuxSession:
    """A tmux server with one pane that runs one command at a fixed size."""

    def __init__(self, tmux: str, folder: Path) -> None:
        self.socket = folder / "tmux.sock"
        self.config = folder / "tmux.conf"
        # The pane stays after its command exits, so that its last screen can be read.
        self.config.write_text("set -g remain-on-exit on\n")
        self.tmux = [tmux, "-S", str(self.socket), "-f", str(self.config)]

    def start(self, command: list[str], columns: int, lines: int) -> None:
        self._run(
            "new-session",
            "-d",
            "-x",
            str(columns),
            "-y",
            str(lines),
            shlex.join(command),
        )

    def send_keys(self, *keys: str) -> None:
        """Send tmux key names, such as `Enter`, `F5` or `C-o`."""
        self._run("send-keys", *keys)

    def send_text(self, text: str) -> None:
        """Type `text` literally."""
        self._run("send-keys", "-l", text)

    def send_bytes(self, hex_bytes: str) -> None:
        """Send raw bytes written in hex, such as `1b 5b 5b 45`."""
        self._run("send-keys", "-H", *hex_bytes.split())

    def screen(self) -> str:
        return self._run("capture-pane", "-p")

    def styled_screen(self) -> list[list[Cell]]:
        return parse_cells(self._run("capture-pane", "-p", "-e"))

    def wait_for(self, *patterns: str) -> str:
        """Return the screen once every regular expression in `patterns` matches it."""
        deadline = time.monotonic() + STEP_TIMEOUT_SECONDS
        screen = self.screen()
        while not all(re.search(pattern, screen) for pattern in patterns):
            assert time.monotonic() < deadline, (
                f"after {STEP_TIMEOUT_SECONDS} s, {patterns!r} not all on:\n{screen}"
            )
            time.sleep(POLL_SECONDS)
            screen = self.screen()
        return screen

    def kill(self) -> None:
        subprocess.run([*self.tmux, "kill-server"], capture_output=True, check=False)

    def _run(self, *arguments: str) -> str:
        result = subprocess.run(
            [*self.tmux, *arguments],
            capture_output=True,
            text=True,
            timeout=STEP_TIMEOUT_SECONDS,
        )
        assert result.returncode == 0, f"tmux {arguments[0]}: {result.stderr}"
        return result.stdout.rstrip("\n")


@pytest.fixture(scope="module")
def tmux() -> str:
    return require_program("tmux")


@pytest.fixture
def session(tmux: str, tmp_path: Path) -> Iterator[TmuxSession]:
    session = TmuxSession(tmux, tmp_path)
    yield session
    session.kill()


def numdesk_command(
    store_path: Path, terminal: Terminal, status_file: Path
) -> list[str]:
    """Return the command that runs the app with the terminal's TERM and NO_COLOR.

    COLORTERM is removed, so that TERM alone sets how many colours the app uses, and
    so are COLUMNS and LINES, which the test run may set and which would override
    the pane's size. When the app exits, a shell writes its exit status to
    `status_file`.
    """
    variables = [f"TERM={terminal.term}"]
    if terminal.no_color:
        variables.append("NO_COLOR=1")
    app = [str(NUMDESK), "--db", str(store_path), "--theme", terminal.theme]
    script = 'status_file=$1; shift; "$@"; echo $? > "$status_file"'
    return [
        *("env", "-u", "COLORTERM", "-u", "COLUMNS", "-u", "LINES"),
        *variables,
        *("sh", "-c", script, "sh", str(status_file), *app),
    ]


def wait_for_status(status_file: Path) -> int:
    """Return the exit status that the app's shell wrote, once it is written."""
    deadline = time.monotonic() + STEP_TIMEOUT_SECONDS
    while not status_file.exists() or not status_file.read_text().strip():
        assert time.monotonic() < deadline, "the app did not exit"
        time.sleep(POLL_SECONDS)
    return int(status_file.read_text())


# Checks shared by every screen


def press_function_key(session: TmuxSession, terminal: Terminal, number: int) -> None:
    """Press F1 to F5 as the terminal sends it."""
    if terminal.term == "linux":
        session.send_bytes(LINUX_CONSOLE_FUNCTION_KEYS[number])
    else:
        session.send_keys(f"F{number}")


def check_frame(screen: str, terminal: Terminal, title: str) -> None:
    """Check that header and footer frame the screen at the terminal's size."""
    lines = screen.split("\n")
    assert len(lines) == terminal.lines
    assert title in lines[0]
    assert "^q Quit" in lines[-1]
    assert max(len(line) for line in lines) <= terminal.columns


def check_colours(screen: list[list[Cell]], terminal: Terminal) -> None:
    """Check NO_COLOR (greys only), else that colours are used at all."""
    colours = {
        colour
        for line in screen
        for cell in line
        for colour in (cell.foreground, cell.background)
    }
    hues = sorted(
        colour for colour in colours if colour is not None and not is_grey(colour)
    )
    if terminal.no_color:
        assert hues == []
    else:
        assert hues != []


def check_theme(screen: list[list[Cell]], terminal: Terminal) -> None:
    """Check that the main background is light in the light theme, else dark.

    A 16-colour terminal may paint the dark theme in its default background.
    """
    background = main_background(screen)
    if terminal.theme == "light":
        assert background is not None
        assert relative_luminance(background) >= 0.4
    elif background is not None:
        assert relative_luminance(background) <= 0.25


def check_contrast(screen: list[list[Cell]], terminal: Terminal, pattern: str) -> None:
    if terminal.has_256_colours:
        assert lowest_contrast(screen, pattern) >= MIN_CONTRAST


# The flow


@pytest.mark.parametrize("terminal", TERMINALS, ids=str)
def test_search_rent_callerid(
    terminal: Terminal,
    session: TmuxSession,
    store_path: Path,
    account: SandboxAccount,
    tmp_path: Path,
) -> None:
    rows = search_rows(terminal.lines)
    first_page = account.search(SearchQuery(country="US", size=rows))
    numbers = first_page.items
    chosen = numbers[0]
    balance_after = account.balance() - chosen.cost
    status_file = tmp_path / "exit-status"
    command = numdesk_command(store_path, terminal, status_file)
    session.start(command, terminal.columns, terminal.lines)

    # Search: the first page of US numbers, as the C locale makes US the default.
    screen = session.wait_for(
        "balance 10.00 EUR",
        re.escape(first_page.range_label()),
        *[number.msisdn for number in numbers],
    )
    check_frame(screen, terminal, "Search")
    styled = session.styled_screen()
    check_colours(styled, terminal)
    check_theme(styled, terminal)
    check_contrast(styled, terminal, r"\d{11}  US  ")

    # Rent: Enter on the first row opens the dialog, Enter on its button rents.
    session.send_keys("Enter")
    session.wait_for(
        "Rent this number?",
        rf"Number\s+{chosen.msisdn}",
        rf"Balance after\s+{balance_after:.2f} EUR",
    )
    styled = session.styled_screen()
    check_colours(styled, terminal)
    check_contrast(styled, terminal, r"Balance after\s+\S+ EUR")

    session.send_keys("Enter")
    session.wait_for(f"balance {balance_after:.2f} EUR", f"Rented {chosen.msisdn}")
    assert [number.msisdn for number in account.owned_numbers()] == [chosen.msisdn]

    # Caller ID, outbound: the rented number is sent as `from`, another is not.
    press_function_key(session, terminal, 5)
    # The hint shows once the screen is up, with the caller ID input focused.
    session.wait_for("Caller ID —", "Type or paste a caller ID")
    session.send_text(f"+{chosen.msisdn}")
    screen = session.wait_for(
        rf"from\s+{chosen.msisdn} \(an owned number\)",
        "FIXED: one number recovered",
    )
    check_frame(screen, terminal, "Caller ID")
    styled = session.styled_screen()
    check_colours(styled, terminal)
    check_contrast(styled, terminal, rf"{chosen.msisdn} \(an owned number\)")

    # Textual runs a binding such as Ctrl+U after the keys typed before it reach
    # the input, so the input must be empty before the next number is typed.
    session.send_keys("C-u")
    session.wait_for("Type or paste a caller ID")
    session.send_text("14155550101")
    session.wait_for(r"from\s+unknown \(no owned number matches\)")

    # Caller ID, inbound: the only owned number is the called one.
    session.send_keys("C-o")
    session.wait_for(
        rf"to\s+{chosen.msisdn} · United States \(US\)", "Application none"
    )

    # My numbers and Applications: the other screens frame the same way.
    press_function_key(session, terminal, 3)
    screen = session.wait_for("My numbers —", chosen.msisdn)
    check_frame(screen, terminal, "My numbers")
    check_colours(session.styled_screen(), terminal)

    press_function_key(session, terminal, 4)
    screen = session.wait_for("Applications —")
    check_frame(screen, terminal, "Applications")
    check_colours(session.styled_screen(), terminal)

    session.send_keys("C-q")
    assert wait_for_status(status_file) == 0
