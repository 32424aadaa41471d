"""The paging line: the range on the left, the keys on the right, the keys kept whole."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult

from tui.widgets.paging_line import PagingLine

KEYS = "[ previous  ] next"
RANGE = "1-16 of 45,000 · page 1 of 2,813"


class PagingApp(App[None]):
    def compose(self) -> ComposeResult:
        yield PagingLine(KEYS)


def shown_line(app: App[None]) -> str:
    return app.query_one(PagingLine).render_line(0).text


@pytest.mark.parametrize(
    ("width", "expected"),
    [
        (60, f"{RANGE}        {KEYS}"),
        (40, f"1-16 of 45,000 · p… {KEYS}"),
        (20, KEYS),
        (10, KEYS[:8]),
    ],
)
async def test_range_gives_way_to_keys(width: int, expected: str) -> None:
    app = PagingApp()
    async with app.run_test(size=(width, 3)) as pilot:
        app.query_one(PagingLine).show_range(RANGE)
        await pilot.pause()

        assert shown_line(app) == expected


async def test_text_is_not_markup() -> None:
    app = PagingApp()
    async with app.run_test(size=(60, 3)) as pilot:
        line = app.query_one(PagingLine)
        line.show_range("[bold]1-2[/bold] of 2")
        line.show_keys("[red]x[/red]")
        await pilot.pause()

        assert (line.range_text, line.keys_text) == (
            "[bold]1-2[/bold] of 2",
            "[red]x[/red]",
        )
        assert shown_line(app).strip().startswith("[bold]1-2[/bold] of 2")
