"""Child processes of `benchmarks/run.py`: start an app headless and print one JSON line.

Each measurement runs in a fresh interpreter, so that imports, start-up and memory
are those of a real start:

    probe.py start bare            a Textual app with one label, until it is shown
    probe.py start widgets         a Textual app with Textual's stock widgets for
                                   numdesk's Search screen and none of its code,
                                   until shown
    probe.py start numdesk STORE   numdesk's app on STORE, until Search shows a page
    probe.py page bare             the bare app, for its peak memory
    probe.py page numdesk STORE [MAX_PAGES]
                                   numdesk's app paging through every search result,
                                   or stopping after MAX_PAGES pages

The JSON line has `peak_rss_kib` (the process's peak resident set), and for
paging the numbers shown, the pages turned and resident-set samples.
"""

from __future__ import annotations

import json
import os
import resource
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App
from textual.pilot import Pilot

if TYPE_CHECKING:
    from textual.widgets import DataTable

    from tui.screens.search import SearchScreen

Probe = Callable[[Pilot[Any]], Awaitable[dict[str, Any]]]
# How many pages pass between two renders and resident-set samples.
PAGES_PER_SAMPLE = 500
# How many event-loop pauses a page may take to appear before the probe gives up.
MAX_PAUSES_PER_PAGE = 100


def main(arguments: list[str]) -> None:
    """Run the probe that `arguments` name and print its JSON line."""
    action, app_kind, *rest = arguments
    app = _app(app_kind, rest)
    max_pages = int(rest[1]) if len(rest) > 1 else None
    result: dict[str, Any] = {}

    async def auto_pilot(pilot: Pilot[Any]) -> None:
        if action == "page" and app_kind == "numdesk":
            result.update(await _page_through_results(pilot, max_pages))
        else:
            result.update(await _shown(pilot))
        # An app that crashed has set its return code already: keep it.
        if pilot.app.return_code is None:
            pilot.app.exit()

    app.run(headless=True, size=(80, 24), auto_pilot=auto_pilot)
    if app.return_code:
        # Textual has printed the traceback. A crashed app's figures are wrong.
        sys.exit(app.return_code)
    result["peak_rss_kib"] = _peak_resident_kib()
    print(json.dumps(result))


def _app(app_kind: str, rest: list[str]) -> App[None]:
    if app_kind == "bare":
        return _bare_app()
    if app_kind == "widgets":
        return _widgets_app()
    return _numdesk_app(Path(rest[0]))


def _bare_app() -> App[None]:
    from textual.app import ComposeResult
    from textual.widgets import Label

    class BareApp(App[None]):
        def compose(self) -> ComposeResult:
            yield Label("numdesk")

    return BareApp()


def _widgets_app() -> App[None]:
    """Return an app with Textual's stock widgets for the Search screen, filled.

    It has a header, the filters as selects, checkboxes and an input, ten rows of
    results in a DataTable, a paging line and a footer. It has none of numdesk's
    modules, store or styles, so it shows what such a screen costs in Textual's
    widgets alone.
    """
    from textual.app import ComposeResult
    from textual.containers import Horizontal, Vertical
    from textual.widgets import (
        Checkbox,
        DataTable,
        Footer,
        Header,
        Input,
        Label,
        Select,
    )

    class WidgetsApp(App[None]):
        BINDINGS: ClassVar = [
            ("f1", "help", "Help"),
            ("r", "rent", "Rent"),
            ("ctrl+p", "command_palette", "Palette"),
            ("ctrl+q", "quit", "Quit"),
        ]

        def compose(self) -> ComposeResult:
            yield Header()
            yield Label("F1 Help  F2 Search  F3 My numbers  F4 Applications")
            with Vertical():
                with Horizontal():
                    yield Label("Country")
                    yield Label("United States (US, +1)")
                    yield Label("Type")
                    yield Select(
                        [("any type", "any"), ("mobile", "mobile")], value="any"
                    )
                with Horizontal():
                    yield Label("Features")
                    for feature in ("SMS", "VOICE", "MMS"):
                        yield Checkbox(feature, compact=True)
                    yield Label("Pattern")
                    yield Input(placeholder="digits", compact=True)
                    yield Select([("starts with", "starts")], value="starts")
            yield _results_table(DataTable())
            yield Label("1-10 of 363,737 · page 1 of 36,374")
            yield Footer()

    return WidgetsApp()


def _results_table(table: DataTable[str]) -> DataTable[str]:
    table.add_columns("Number", "Country", "Type", "Features", "EUR/month")
    for row in range(10):
        table.add_row(f"1201555{row:04d}", "US", "landline", "SMS+VOICE", "0.90")
    return table


def _numdesk_app(store: Path) -> App[None]:
    # The modules that plain `numdesk` imports, then the app it starts, on the
    # store that NUMDESK_DB names.
    from cli.launch import open_plain_app

    os.environ["NUMDESK_DB"] = str(store)
    opened = open_plain_app()
    if opened is None:
        raise SystemExit(f"numdesk cannot start on {store}: run `numdesk` to see why.")
    app, _ = opened
    return app


async def _shown(pilot: Pilot[Any]) -> dict[str, Any]:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return {"screen": type(pilot.app.screen).__name__}


async def _settle(pilot: Pilot[Any]) -> None:
    """Wait until the searches in flight have shown their pages."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def _page_through_results(
    pilot: Pilot[Any], max_pages: int | None
) -> dict[str, Any]:
    """Page through the Search results of every country, first page to last.

    With `max_pages`, stop after turning that many pages.
    """
    from domain.countries import all_countries
    from tui.screens.search import SearchScreen
    from tui.widgets.country_picker import CountryPicker

    await _settle(pilot)
    screen = pilot.app.screen
    if not isinstance(screen, SearchScreen):
        raise TypeError(f"The app opened on {type(screen).__name__}, not Search.")
    shown = 0
    pages = 0
    samples: list[int] = [_resident_kib()]
    for country in all_countries():
        if max_pages is not None and pages >= max_pages:
            break
        screen.query_one("#country", CountryPicker).value = country.code
        await _settle(pilot)
        while screen.page is not None:
            shown += len(screen.page.items)
            if not screen.page.has_next or pages == max_pages:
                break
            await _turn_page(pilot, screen)
            pages += 1
            if pages % PAGES_PER_SAMPLE == 0:
                await pilot.pause()
                samples.append(_resident_kib())
    samples.append(_resident_kib())
    return {"numbers_shown": shown, "pages": pages, "rss_samples_kib": samples}


async def _turn_page(pilot: Pilot[Any], screen: SearchScreen) -> None:
    """Show the next page, waiting for it when the search runs in a worker.

    Raises:
        TimeoutError: the page did not change within `MAX_PAUSES_PER_PAGE` pauses.
    """
    before = screen.page
    screen.action_next_page()
    if screen.page is not before:
        return
    await pilot.app.workers.wait_for_complete()
    for _ in range(MAX_PAUSES_PER_PAGE):
        if screen.page is not before:
            return
        await pilot.pause()
    raise TimeoutError("The next page of results did not appear.")


def _peak_resident_kib() -> int:
    """Return the peak resident set of this process in KiB.

    Linux's VmHWM belongs to the running program. getrusage's ru_maxrss survives
    exec, so a child of a large parent would report the parent's peak, and it
    serves only where /proc is missing.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, IndexError, ValueError):
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _resident_kib() -> int:
    """Return the resident set size now, in KiB (Linux), or 0 where unknown."""
    try:
        resident_pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0
    return resident_pages * os.sysconf("SC_PAGE_SIZE") // 1024


if __name__ == "__main__":
    main(sys.argv[1:])
