"""Colour contrast of the app's chrome in the light and dark themes (WCAG 2.1)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rich.color import Color

from store.account import SandboxAccount
from tui.app import NumdeskApp
from tui.widgets.key_footer import KeyFooter
from tui.widgets.paging_line import PagingLine

SIZE = (80, 24)
# WCAG 2.1 AA for normal text.
MINIMUM_CONTRAST = 4.5

SnapCompare = Callable[..., bool]


def relative_luminance(color: Color) -> float:
    """Return the WCAG relative luminance of an sRGB colour, from 0 to 1."""
    red, green, blue = color.get_truecolor()

    def linear(channel: int) -> float:
        value = channel / 255
        if value <= 0.03928:
            return value / 12.92
        return float(((value + 0.055) / 1.055) ** 2.4)

    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def contrast(first: Color, second: Color) -> float:
    """Return the WCAG contrast ratio of two colours, from 1 to 21."""
    lighter, darker = sorted(
        (relative_luminance(first), relative_luminance(second)), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize("theme", ["textual-light", "textual-dark"])
async def test_footer_keys_readable(account: SandboxAccount, theme: str) -> None:
    app = NumdeskApp(account, default_country="US")
    app.theme = theme
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(KeyFooter)
        key_style = footer.get_component_rich_style("key-footer--key")
        background = footer.rich_style.bgcolor
        assert key_style.color is not None
        assert background is not None
        assert contrast(key_style.color, background) >= MINIMUM_CONTRAST


def test_search_light_snapshot(
    snap_compare: SnapCompare, account: SandboxAccount
) -> None:
    """The Search screen in the light theme, with dark footer keys."""
    app = NumdeskApp(account, default_country="US")
    app.theme = "textual-light"
    assert snap_compare(app, terminal_size=SIZE)


@pytest.mark.parametrize("theme", ["textual-light", "textual-dark"])
async def test_paging_keys_readable(account: SandboxAccount, theme: str) -> None:
    app = NumdeskApp(account, default_country="US")
    app.theme = theme
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        paging = app.screen.query_one(PagingLine)
        segments = list(paging.render_line(0))
        keys = next(segment for segment in segments if "previous" in segment.text)
        assert keys.style is not None
        assert keys.style.color is not None
        assert keys.style.bgcolor is not None
        assert contrast(keys.style.color, keys.style.bgcolor) >= MINIMUM_CONTRAST
