"""The help screen, driven by Pilot: it lists every key and closes on Escape or q."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.binding import Binding
from textual.geometry import Region
from textual.screen import Screen
from textual.widgets import Static

from store.account import SandboxAccount
from tui.app import NumdeskApp
from tui.dialogs.play_money import PlayMoneyDialog
from tui.dialogs.rent import RentDialog
from tui.screens.base import mode_screen_class
from tui.screens.help import HelpScreen, class_title, key_label, keys_label
from tui.widgets.country_picker import CountryPicker, CountryPickerScreen

SIZE = (80, 24)

SnapCompare = Callable[..., bool]


def help_text(app: NumdeskApp) -> str:
    """Return every line of the key list, including those scrolled out of view."""
    groups = app.screen.query_one("#help-groups", Static)
    strips = groups.render_lines(Region(0, 0, groups.size.width, groups.size.height))
    return "\n".join(strip.text.rstrip() for strip in strips)


def declared_bindings(node_class: type[object]) -> list[Binding]:
    """Return the bindings the class itself declares, not those it inherits."""
    return list(Binding.make_bindings(vars(node_class).get("BINDINGS", [])))


def mode_screens() -> list[type[Screen[Any]]]:
    screens = [mode_screen_class(mode) for mode in NumdeskApp.MODES.values()]
    return [
        screen
        for screen in screens
        if isinstance(screen, type) and issubclass(screen, Screen)
    ]


async def test_palette_offers_help_not_keys_panel(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        titles = [command.title for command in app.get_system_commands(app.screen)]

    assert "Help" in titles
    assert "Keys" not in titles


@pytest.mark.parametrize("key", ["f1", "question_mark"])
async def test_help_opens_on_key(account: SandboxAccount, key: str) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3", key)
        await pilot.pause()

        assert isinstance(app.screen, HelpScreen)


@pytest.mark.parametrize("key", ["escape", "q", "f1", "question_mark"])
async def test_help_closes_on_key(account: SandboxAccount, key: str) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        await pilot.press(key)
        await pilot.pause()

        assert not isinstance(app.screen, HelpScreen)


async def test_help_opens_over_dialog(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await pilot.pause()
        dialog = app.screen
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)

        await pilot.press("f1")
        await pilot.pause()
        assert app.screen is dialog


async def test_help_opens_in_other_mode(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        await pilot.press("f3", "f1")
        await pilot.pause()

        assert app.current_mode == "numbers"
        assert isinstance(app.screen, HelpScreen)


async def test_help_opens_once(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        app.action_help()
        await pilot.pause()

        assert sum(isinstance(screen, HelpScreen) for screen in app.screen_stack) == 1


@pytest.mark.parametrize(
    "node_class",
    [
        NumdeskApp,
        *mode_screens(),
        CountryPickerScreen,
        CountryPicker,
        RentDialog,
        PlayMoneyDialog,
    ],
    ids=lambda node_class: node_class.__name__,
)
async def test_help_lists_every_binding(
    account: SandboxAccount, node_class: type[object]
) -> None:
    bindings = declared_bindings(node_class)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        text = " ".join(help_text(app).split())

    assert bindings or node_class is not NumdeskApp
    for binding in bindings:
        assert binding.description in text, binding
        assert key_label(binding.key) in text, binding


async def test_help_lists_enter_for_rent(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        lines = [" ".join(line.split()) for line in help_text(app).splitlines()]

    assert "r / Enter Rent: Rent the selected number" in lines


async def test_help_names_every_mode(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        lines = help_text(app).splitlines()

    for screen_class, key in zip(
        mode_screens(), ["F2", "F3", "F4", "F5", "F6"], strict=True
    ):
        assert f"{screen_class.TITLE} ({key})" in lines


async def test_help_explains_number_rules(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        rules = app.screen.query_one("#help-rules", Static)
        strips = rules.render_lines(Region(0, 0, rules.size.width, rules.size.height))
        text = " ".join(" ".join(strip.text for strip in strips).split())

    assert "E.164 without the +" in text
    assert "14155550101" in text
    assert "Vonage sends unknown" in text


@pytest.mark.parametrize(
    ("key", "label"),
    [
        ("ctrl+q", "Ctrl+Q"),
        ("f5", "F5"),
        ("question_mark", "?"),
        ("escape", "Esc"),
        ("left_square_bracket", "["),
        ("shift+tab", "Shift+Tab"),
        ("r", "r"),
    ],
)
def test_key_label_forms(key: str, label: str) -> None:
    assert key_label(key) == label


def test_keys_label_joins_keys() -> None:
    assert keys_label(Binding("f1,question_mark", "help", "Help")) == "F1 / ?"


@pytest.mark.parametrize(
    ("node_class", "title"),
    [(CountryPickerScreen, "Country picker dialog"), (CountryPicker, "Country picker")],
)
def test_class_title_names_kind(node_class: type[object], title: str) -> None:
    assert class_title(node_class) == title  # type: ignore[arg-type]


class TestHelpSnapshots:
    def test_help(self, snap_compare: SnapCompare, account: SandboxAccount) -> None:
        """The help dialog over the Caller ID screen, at the top of the list."""
        app = NumdeskApp(account, default_country="US")
        assert snap_compare(app, press=["f5", "f1"], terminal_size=SIZE)
