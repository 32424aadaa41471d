"""The help screen: every key of the app, read from the bindings themselves.

The keys come from the app's `BINDINGS`, each mode screen's `BINDINGS` and those of
every dialog and widget under `tui/`, so a new or changed binding shows up here without
an edit to this file.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import ClassVar, cast

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.keys import format_key
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Label, Static

from tui.screens.base import mode_screen_class
from tui.widgets.key_footer import KeyFooter

RULES = (
    "Vonage writes every number in E.164 without the +: country code first, digits "
    "only, no access code or spaces (US 14155550101, UK 447700900123).\n"
    "Outbound, the from must be a number the account owns, or Vonage sends unknown. "
    "Inbound, the caller arrives as the network sent it: Caller ID (F5) diagnoses it "
    "and suggests the Vonage form."
)

KEY_NAMES = {
    "escape": "Esc",
    "enter": "Enter",
    "space": "Space",
    "tab": "Tab",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "home": "Home",
    "end": "End",
    "delete": "Del",
    "backspace": "Backspace",
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
}

NO_KEYS = (("", "No keys of its own: use Tab and the keys above."),)
"""The one row of a mode screen group when the screen declares no keys."""

PACKAGES_WITH_KEYS = ("tui.dialogs", "tui.widgets")
"""Packages whose modules are imported so that every dialog and widget is listed."""


@dataclass(frozen=True)
class KeyGroup:
    """The keys of one screen, dialog or widget, under a heading."""

    title: str
    keys: tuple[tuple[str, str], ...]


def key_label(key: str) -> str:
    """Write one Textual key name the way a user reads it: `ctrl+q` as `Ctrl+Q`."""
    *modifiers, name = key.split("+")
    if name in KEY_NAMES:
        name = KEY_NAMES[name]
    elif re.fullmatch(r"f\d{1,2}", name):
        name = name.upper()
    else:
        name = format_key(name)
        if modifiers and len(name) == 1:
            name = name.upper()
    return "+".join([*(modifier.capitalize() for modifier in modifiers), name])


def keys_label(binding: Binding) -> str:
    """Return every key of a binding, such as `F1 / ?`."""
    if binding.key_display:
        return binding.key_display
    return " / ".join(key_label(key.strip()) for key in binding.key.split(","))


def binding_text(binding: Binding) -> str:
    """Return what a binding does: its description, and its tooltip when it has one."""
    description = binding.description or binding.action
    if binding.tooltip and binding.tooltip != description:
        return f"{description}: {binding.tooltip}"
    return description


def own_bindings(node_class: type[DOMNode]) -> list[Binding]:
    """Return the bindings of a class and its numdesk base classes, once per key."""
    bindings: dict[str, Binding] = {}
    for cls in reversed(node_class.__mro__):
        if not cls.__module__.startswith("tui.") or "BINDINGS" not in vars(cls):
            continue
        declared: Iterable[BindingType] = vars(cls)["BINDINGS"]
        for binding in Binding.make_bindings(declared):
            bindings[binding.key] = binding
    return list(bindings.values())


def group_of(title: str, bindings: Iterable[Binding]) -> KeyGroup:
    """Collect bindings with the same action and description onto one line."""
    merged: dict[tuple[str, str], list[str]] = {}
    for binding in bindings:
        merged.setdefault((binding.action, binding_text(binding)), []).append(
            keys_label(binding)
        )
    keys = tuple((" / ".join(labels), text) for (_, text), labels in merged.items())
    return KeyGroup(title, keys)


def app_key_groups(app: App[object]) -> list[KeyGroup]:
    """Return the keys of the app, each mode screen, then every dialog and widget.

    Every mode screen gets a group, even one without keys of its own, so that the list
    names every screen and the key that opens it.
    """
    app_bindings = own_bindings(type(app))
    modes: dict[str, type[Screen[object]]] = {
        name: cast("type[Screen[object]]", mode_screen_class(mode))
        for name, mode in getattr(app, "MODES", {}).items()
    }
    groups = [everywhere_group(app_bindings)]
    for mode, screen_class in modes.items():
        group = group_of(
            mode_title(mode, screen_class, app_bindings), own_bindings(screen_class)
        )
        groups.append(group if group.keys else KeyGroup(group.title, NO_KEYS))
    for node_class in dialogs_and_widgets(exclude=modes.values()):
        group = group_of(class_title(node_class), own_bindings(node_class))
        if group.keys:
            groups.append(group)
    return groups


def mode_title(
    mode: str, screen_class: type[Screen[object]], app_bindings: list[Binding]
) -> str:
    """Return a mode screen's heading with the key that opens it: `Search (F2)`."""
    title = screen_class.TITLE or mode
    action = f"switch_mode('{mode}')"
    switch = next((b for b in app_bindings if b.action == action), None)
    return f"{title} ({keys_label(switch)})" if switch else title


def everywhere_group(app_bindings: list[Binding]) -> KeyGroup:
    """Return the keys that work on every screen, with the command palette."""
    general = [
        Binding(App.COMMAND_PALETTE_BINDING, "command_palette", "Command palette"),
    ]
    return group_of("Everywhere", [*app_bindings, *general])


def dialogs_and_widgets(exclude: Iterable[type[Widget]]) -> list[type[Widget]]:
    """Return every screen and widget class under `tui/` that declares keys.

    Every module of `PACKAGES_WITH_KEYS` is imported first, so a dialog shows up here
    before any screen has opened it.
    """
    for package_name in PACKAGES_WITH_KEYS:
        if importlib.util.find_spec(package_name) is None:
            continue
        package = importlib.import_module(package_name)
        for module in pkgutil.iter_modules(package.__path__, f"{package_name}."):
            importlib.import_module(module.name)
    excluded = set(exclude)
    classes = {
        node_class
        for node_class in subclasses(Widget)
        if node_class.__module__.startswith("tui.")
        and "BINDINGS" in vars(node_class)
        and node_class not in excluded
    }
    return sorted(classes, key=class_title)


def subclasses(base: type[Widget]) -> Iterator[type[Widget]]:
    """Yield every subclass of `base`, at any depth."""
    for subclass in base.__subclasses__():
        yield subclass
        yield from subclasses(subclass)


def class_title(node_class: type[Widget]) -> str:
    """Return a heading for a dialog or widget: its TITLE, else its class name in words.

    A modal screen is called a dialog, so `CountryPickerScreen` becomes `Country picker
    dialog` while the `CountryPicker` field stays `Country picker`.
    """
    title = getattr(node_class, "TITLE", None)
    if isinstance(title, str) and title:
        return title
    name = node_class.__name__.removesuffix("Screen").removesuffix("Dialog")
    words = " ".join(re.findall(r"[A-Z][a-z0-9]*|[a-z0-9]+", name)).capitalize()
    return f"{words} dialog" if issubclass(node_class, ModalScreen) else words


def help_text(groups: Iterable[KeyGroup]) -> RenderableType:
    """Lay out the key groups as headed two-column tables."""
    parts: list[RenderableType] = []
    for group in groups:
        parts.append(Text(group.title, style="bold underline"))
        table = Table.grid(padding=(0, 2))
        table.add_column(width=16, no_wrap=True, style="bold")
        table.add_column(overflow="fold", ratio=1)
        for keys, text in group.keys:
            table.add_row(Text(keys), Text(text))
        parts.extend([table, Text("")])
    return Group(*parts)


class HelpScreen(ModalScreen[None]):
    """Every key of every screen, with the Vonage number form and caller-ID rules."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "dismiss", "Close", id="close_help"),
        Binding("f1,question_mark", "dismiss", "Close", show=False),
    ]
    CSS_PATH = "help.tcss"

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog"):
            yield Label("numdesk keys", id="help-title")
            with VerticalScroll(id="help-keys"):
                yield Static(Text(RULES), id="help-rules")
                yield Static(help_text(app_key_groups(self.app)), id="help-groups")
            yield Label("↑↓ PgUp PgDn scroll · Esc or q closes", id="help-close")
        yield KeyFooter()
