"""The Caller ID batch view, driven by Pilot on real files in tmp_path.

The tests run in tmp_path (monkeypatch.chdir), so that files are typed by a short
relative name and the snapshots do not show the test's folder.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from rich.text import Text
from textual import events
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, Static, TextArea

from domain.e164 import FormatStatus, vonage_format
from domain.insight import number_insight
from store.account import SandboxAccount
from tests.notifications import notification_messages
from tui.app import NumdeskApp
from tui.batch_file import ExportFormat
from tui.dialogs.batch import ExportDialog, PasteValuesDialog
from tui.screens.batch import PAGE_SIZE, BatchScreen
from tui.screens.callerid import CallerIdScreen
from tui.widgets.caller_id_report import insight_summary

SIZE = (80, 24)

SnapCompare = Callable[..., bool]
SnapshotSteps = Callable[[Pilot[None]], Awaitable[None]]

WEBHOOK_LOG = [
    "+44 20 7946 0123",
    "anonymous",
    "(415) 555-0100",
    "[bold red]x[/]",
    "\x1b[31mred",
    "2015550123",
    "sip:+14155550100@pbx.example.com;user=phone",
    "+266696687",
]

CRM_CSV = (
    "Name,Phone,Owner\r\n"
    "Alice,+44 20 7946 0123,sam\r\n"
    '"Smith, J",tel:+1-415-555-0100,sam\r\n'
    "Carol,,kim\r\n"
    "Dan,hello,kim\r\n"
)


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write_log(name: str, lines: list[str]) -> Path:
    path = Path(name)
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


def batch_screen(app: NumdeskApp) -> BatchScreen:
    screen = app.screen
    assert isinstance(screen, BatchScreen)
    return screen


def cell_texts(app: NumdeskApp, column: int) -> list[str]:
    table = batch_screen(app).query_one("#batch-table", DataTable)
    texts = []
    for row in range(table.row_count):
        cell = table.get_row_at(row)[column]
        assert isinstance(cell, Text)
        texts.append(cell.plain)
    return texts


def static_text(app: NumdeskApp, selector: str) -> str:
    widget = batch_screen(app).query_one(selector, Static)
    return str(widget.render())


BATCH_ERROR_TITLES = ("File not read", "Rows not read", "Not exported")


def errors_shown(app: NumdeskApp) -> list[tuple[str, str]]:
    """Return the title and message of each batch view error on display."""
    return [
        (notification.title, notification.message)
        for notification in app._notifications
        if notification.severity == "error" and notification.title in BATCH_ERROR_TITLES
    ]


async def open_batch(pilot: Pilot[None]) -> BatchScreen:
    await pilot.press("f5")
    await pilot.pause()
    await pilot.press("ctrl+b")
    await pilot.pause()
    return batch_screen(pilot.app)  # type: ignore[arg-type]


async def settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def load(pilot: Pilot[None], path: str, column: str = "") -> None:
    """Type a path (and a CSV column) and press Enter, then wait for the scan."""
    screen = batch_screen(pilot.app)  # type: ignore[arg-type]
    screen.query_one("#batch-column", Input).value = column
    screen.query_one("#batch-source", Input).focus()
    await pilot.press(*path, "enter")
    await settle(pilot)


async def open_log(pilot: Pilot[None]) -> BatchScreen:
    """Open the batch view and check the file log.txt in it."""
    screen = await open_batch(pilot)
    await load(pilot, "log.txt")
    return screen


# opening


async def test_ctrl_b_opens_batch(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="GB")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_batch(pilot)

        assert screen.region_hint == "GB"
        assert screen.batch_file is None
        assert screen.query_one("#batch-source", Input).has_focus


async def test_palette_lists_batch(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CallerIdScreen)
        titles = {command.title for command in screen.palette_commands()}

        assert "Caller ID: check many values" in titles


async def test_palette_opens_batch(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CallerIdScreen)
        command = next(
            command
            for command in screen.palette_commands()
            if command.title == "Caller ID: check many values"
        )
        command.callback()
        await pilot.pause()

        assert isinstance(app.screen, BatchScreen)


async def test_batch_palette_commands(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_batch(pilot)
        titles = {command.title for command in screen.palette_commands()}

    assert "Batch: paste values" in titles
    assert "Batch: export" in titles
    assert "Batch: show only invalid" in titles
    assert "Batch: show all outcomes" in titles
    assert "Batch: next page" in titles


async def test_escape_keeps_rows(account: SandboxAccount) -> None:
    write_log("log.txt", WEBHOOK_LOG)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await open_log(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CallerIdScreen)

        await pilot.press("ctrl+b")
        await pilot.pause()
        screen = batch_screen(app)

        assert screen.batch_file is not None
        assert len(cell_texts(app, 0)) == len(WEBHOOK_LOG)


async def test_region_off_reads_no_region(account: SandboxAccount) -> None:
    write_log("log.txt", ["(415) 555-0100"])
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CallerIdScreen)
        screen.toggle_region()
        await pilot.pause()
        await pilot.press("ctrl+b")
        await pilot.pause()
        await load(pilot, "log.txt")

        assert batch_screen(app).region_hint is None
        assert cell_texts(app, 1) == ["INVALID"]
        assert "log.txt · no region" in static_text(app, "#batch-status")


# loading


async def test_text_file_rows(account: SandboxAccount) -> None:
    write_log("log.txt", WEBHOOK_LOG)
    expected = [vonage_format(raw, "US") for raw in WEBHOOK_LOG]
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await open_log(pilot)

        assert [line.strip() for line in cell_texts(app, 0)] == [
            str(n) for n in range(1, 9)
        ]
        assert cell_texts(app, 1) == [r.status.value.upper() for r in expected]
        assert cell_texts(app, 2) == [r.e164 or "-" for r in expected]


async def test_counts_shown(account: SandboxAccount) -> None:
    write_log("log.txt", WEBHOOK_LOG)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await open_log(pilot)

        assert static_text(app, "#batch-counts") == (
            "8 values: valid 0 · fixed 4 · withheld 2 · invalid 2"
        )
        assert "Checked log.txt · region US" in static_text(app, "#batch-status")


async def test_markup_shown_literally(account: SandboxAccount) -> None:
    write_log("log.txt", WEBHOOK_LOG)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await open_log(pilot)
        inputs = cell_texts(app, 3)

        assert inputs[3] == "[bold red]x[/]"
        assert inputs[4] == "\\x1b[31mred"
        assert "\x1b" not in "".join(inputs)


async def test_detail_follows_cursor(account: SandboxAccount) -> None:
    write_log("log.txt", WEBHOOK_LOG)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await open_log(pilot)
        await pilot.press("down")
        await pilot.pause()
        detail = static_text(app, "#batch-detail")

        assert 'Line 2 · WITHHELD · "anonymous"' in detail
        assert "hid their number" in detail


async def test_detail_shows_insight(account: SandboxAccount) -> None:
    write_log("log.txt", ["07912 345678"])
    app = NumdeskApp(account, default_country="GB")
    async with app.run_test(size=SIZE) as pilot:
        await open_log(pilot)
        detail = static_text(app, "#batch-detail").splitlines()

        assert detail[0] == 'Line 1 · FIXED · "07912 345678" → 447912345678'
        assert detail[1].startswith("United Kingdom (GB) · mobile · first carrier O2")
        assert detail[2].startswith("removed the spaces; removed the trunk prefix 0")


@pytest.mark.parametrize(
    ("e164", "summary"),
    [
        (
            "442079460123",
            "United Kingdom (GB) · landline · London · Europe/London",
        ),
        (
            "447912345678",
            "United Kingdom (GB) · mobile · first carrier O2 · Europe/Guernsey, "
            "Europe/Isle_of_Man, Europe/Jersey, Europe/London",
        ),
        ("80012345678", "International (non-geographic) (001) · toll-free"),
    ],
)
def test_insight_summary(e164: str, summary: str) -> None:
    assert insight_summary(number_insight(e164)) == summary


async def test_long_input_shortened(account: SandboxAccount) -> None:
    raw = WEBHOOK_LOG[6]
    write_log("log.txt", [raw])
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await open_log(pilot)

        assert cell_texts(app, 3) == [raw[:31] + "…"]
        assert raw in static_text(app, "#batch-detail")


async def test_csv_column(account: SandboxAccount) -> None:
    Path("crm.csv").write_text(CRM_CSV, encoding="utf-8")
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await open_batch(pilot)
        await load(pilot, "crm.csv", column="Phone")

        assert cell_texts(app, 2) == ["442079460123", "14155550100", "-", "-"]
        assert cell_texts(app, 1) == ["FIXED", "FIXED", "WITHHELD", "INVALID"]


async def test_csv_first_column(account: SandboxAccount) -> None:
    Path("crm.csv").write_text(CRM_CSV, encoding="utf-8")
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await open_batch(pilot)
        await load(pilot, "crm.csv")

        assert cell_texts(app, 3) == ["Alice", "Smith, J", "Carol", "Dan"]
        assert notification_messages(app) == [
            "The first column has no phone number in its first rows, but the column "
            "'Phone' has. The CSV column field now holds its name: press Enter to "
            "read it."
        ]
        assert app.focused is app.screen.query_one("#batch-column")

        await pilot.press("enter")
        await settle(pilot)
        assert cell_texts(app, 3)[:2] == ["+44 20 7946 0123", "tel:+1-415-555-0100"]
        # The hint is followed, so it no longer covers the details.
        assert notification_messages(app) == []


async def test_missing_file_error(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_batch(pilot)
        await load(pilot, "missing.txt")

        assert screen.batch_file is None
        assert errors_shown(app) == [
            (
                "File not read",
                "missing.txt: No such file or directory. Check the path and its "
                "permissions.",
            )
        ]


async def test_missing_column_error(account: SandboxAccount) -> None:
    Path("crm.csv").write_text(CRM_CSV, encoding="utf-8")
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_batch(pilot)
        await load(pilot, "crm.csv", column="From")

        ((title, message),) = errors_shown(app)
        assert screen.batch_file is None
        assert title == "File not read"
        assert message.startswith("The CSV header has no column 'From'")


@pytest.mark.parametrize(
    ("content", "encoding", "message"),
    [
        (
            'Phone,Note\n+14155550100,"VIP\n+14155550101,\n',
            "utf-8",
            "Lines 2 to 3 of the CSV input read as one row, which is not valid CSV "
            "(unexpected end of data): a quote on line 2 is probably never closed.",
        ),
        (
            "Phone\n+14155550100\n",
            "utf-16",
            "Line 1 of the input has a NUL character, which UTF-8 text never has",
        ),
    ],
    ids=["unclosed-quote", "utf-16"],
)
async def test_unreadable_file_error(
    account: SandboxAccount, content: str, encoding: str, message: str
) -> None:
    Path("crm.csv").write_text(content, encoding=encoding)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_batch(pilot)
        await load(pilot, "crm.csv")

        ((title, shown),) = errors_shown(app)
        assert screen.batch_file is None
        assert title == "File not read"
        assert shown.startswith(message)


async def test_failed_load_keeps_values(account: SandboxAccount) -> None:
    Path("crm.csv").write_text(CRM_CSV, encoding="utf-8")
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_batch(pilot)
        await load(pilot, "crm.csv", column="Phone")
        loaded = screen.batch_file
        screen.query_one("#batch-source", Input).value = ""
        await load(pilot, "missing.csv", column="Phone")

        assert errors_shown(app)[0][0] == "File not read"
        assert screen.batch_file is loaded
        assert cell_texts(app, 1) == ["FIXED", "FIXED", "WITHHELD", "INVALID"]

        # The next keys fix the path in the File field.
        assert app.focused is screen.query_one("#batch-source", Input)
        await pilot.press("backspace", "backspace", "backspace", *"txt")
        assert screen.query_one("#batch-source", Input).value == "missing.txt"


async def test_missing_file_keeps_focus_on_path(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_batch(pilot)
        await pilot.press(*"missing.txt", "enter")
        await settle(pilot)

        assert errors_shown(app)[0][0] == "File not read"
        assert app.focused is screen.query_one("#batch-source", Input)


async def test_column_ignored_for_text_file(account: SandboxAccount) -> None:
    write_log("calls.txt", ["+14155550100", "hello"])
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await open_batch(pilot)
        await load(pilot, "calls.txt", column="Phone")

        assert errors_shown(app) == []
        assert cell_texts(app, 1) == ["FIXED", "INVALID"]


async def test_blank_path_hint(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_batch(pilot)
        await load(pilot, "")

        assert screen.batch_file is None
        assert any("Ctrl+T" in message for message in notification_messages(app))


# pasted values


async def test_multiline_paste_loads(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="GB")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_batch(pilot)
        source = screen.query_one("#batch-source", Input)
        source.post_message(events.Paste("020 7946 0123\nanonymous\n"))
        await pilot.pause()
        await settle(pilot)

        assert source.value == ""
        assert cell_texts(app, 2) == ["442079460123", "-"]
        assert "pasted values · region GB" in static_text(app, "#batch-status")


async def test_single_line_paste_is_path(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_batch(pilot)
        source = screen.query_one("#batch-source", Input)
        source.post_message(events.Paste("calls.txt"))
        await pilot.pause()

        assert source.value == "calls.txt"
        assert screen.batch_file is None


async def test_paste_dialog_checks(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await open_batch(pilot)
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, PasteValuesDialog)
        app.screen.query_one("#paste-values", TextArea).text = "+14155550100\nhello"
        await pilot.press("ctrl+s")
        await settle(pilot)

        assert cell_texts(app, 1) == ["FIXED", "INVALID"]


async def test_paste_dialog_clears_file(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_batch(pilot)
        source = screen.query_one("#batch-source", Input)
        source.value = "old-export.csv"
        await pilot.press("ctrl+t")
        await pilot.pause()
        app.screen.query_one("#paste-values", TextArea).text = "+14155550100"
        await pilot.press("ctrl+s")
        await settle(pilot)

        assert source.value == ""
        assert cell_texts(app, 1) == ["FIXED"]


async def test_paste_dialog_empty(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await open_batch(pilot)
        await pilot.press("ctrl+t")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()

        assert isinstance(app.screen, PasteValuesDialog)
        assert "Type or paste at least one value." in notification_messages(app)


async def test_paste_dialog_back(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_batch(pilot)
        await pilot.press("ctrl+t")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()

        assert app.screen is screen
        assert screen.batch_file is None


# filter and pages


async def test_filter_by_outcome(account: SandboxAccount) -> None:
    write_log("log.txt", WEBHOOK_LOG)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_log(pilot)
        screen.choose_outcome(FormatStatus.INVALID)
        await pilot.pause()

        assert screen.outcome == FormatStatus.INVALID
        assert cell_texts(app, 1) == ["INVALID", "INVALID"]
        assert [line.strip() for line in cell_texts(app, 0)] == ["4", "5"]
        assert "of 2 invalid values" in static_text(app, "#batch-page")


async def test_filter_from_keyboard(account: SandboxAccount) -> None:
    write_log("log.txt", WEBHOOK_LOG)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_log(pilot)
        await pilot.press("ctrl+f")
        await pilot.pause()
        await pilot.press("down", "down", "down", "enter")
        await pilot.pause()

        assert screen.outcome == FormatStatus.WITHHELD
        assert cell_texts(app, 1) == ["WITHHELD", "WITHHELD"]


async def test_filter_without_rows(account: SandboxAccount) -> None:
    write_log("log.txt", WEBHOOK_LOG)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_log(pilot)
        screen.choose_outcome(FormatStatus.VALID)
        await pilot.pause()

        assert cell_texts(app, 1) == []
        assert "No values with this outcome." in static_text(app, "#batch-detail")


async def test_pages_of_many_values(account: SandboxAccount) -> None:
    total = PAGE_SIZE * 2 + 50
    write_log("many.txt", [f"+1415555{index:04d}" for index in range(total)])
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_batch(pilot)
        await load(pilot, "many.txt")
        table = screen.query_one("#batch-table", DataTable)
        first_page_rows = table.row_count

        await pilot.press("right_square_bracket")
        await pilot.pause()
        second_first_line = cell_texts(app, 0)[0].strip()
        await pilot.press("right_square_bracket")
        await pilot.pause()
        last_page_rows = table.row_count
        await pilot.press("right_square_bracket")
        await pilot.pause()

        assert first_page_rows == PAGE_SIZE
        assert second_first_line == str(PAGE_SIZE + 1)
        assert last_page_rows == 50
        assert screen.page == 2
        assert "This is the last page." in notification_messages(app)
        assert f"rows 201-250 of {total} values" in static_text(app, "#batch-page")


async def test_previous_page(account: SandboxAccount) -> None:
    write_log("many.txt", [f"+1415555{index:04d}" for index in range(PAGE_SIZE + 1)])
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_batch(pilot)
        await load(pilot, "many.txt")
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert "This is the first page." in notification_messages(app)

        await pilot.press("right_square_bracket", "left_square_bracket")
        await pilot.pause()

        assert screen.page == 0
        assert cell_texts(app, 0)[0].strip() == "1"


# export


async def export_through_dialog(
    pilot: Pilot[None], path: str, export_format: str = "csv"
) -> None:
    await pilot.press("ctrl+s")
    await pilot.pause()
    dialog = pilot.app.screen
    assert isinstance(dialog, ExportDialog)
    if export_format == "json":
        dialog.query_one("#export-format").focus()
        await pilot.press("enter", "down", "enter")
        await pilot.pause()
    field = dialog.query_one("#export-path", Input)
    field.value = path
    field.focus()
    await pilot.press("enter")
    await settle(pilot)


async def test_export_csv(account: SandboxAccount, in_tmp_path: Path) -> None:
    write_log("log.txt", WEBHOOK_LOG)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await open_log(pilot)
        await export_through_dialog(pilot, "all.csv")

    with (in_tmp_path / "all.csv").open(newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert len(rows) == len(WEBHOOK_LOG)
    assert rows[0]["input"] == "'+44 20 7946 0123"
    assert rows[1]["status"] == "withheld"
    assert f"Wrote 8 rows to {in_tmp_path / 'all.csv'}." in notification_messages(app)


async def test_changed_file_not_exported(
    account: SandboxAccount, in_tmp_path: Path
) -> None:
    write_log("log.txt", WEBHOOK_LOG)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await open_log(pilot)
        write_log("log.txt", ["+1 202 555 0199", *WEBHOOK_LOG])
        await export_through_dialog(pilot, "all.csv")

        assert not (in_tmp_path / "all.csv").exists()
        assert static_text(app, "#batch-status") == "Export failed"
        assert errors_shown(app)[-1][1] == (
            "log.txt changed after it was checked, so its rows no longer match the "
            "outcomes shown: press Enter in the File field to check it again."
        )


async def test_changed_file_rows_not_shown(account: SandboxAccount) -> None:
    write_log("log.txt", WEBHOOK_LOG)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_log(pilot)
        rows_before = cell_texts(app, 3)
        write_log("log.txt", ["+1 202 555 0199", *WEBHOOK_LOG])
        screen.show_page(0)
        await pilot.pause()

        assert cell_texts(app, 3) == rows_before
        assert errors_shown(app)[-1][0] == "Rows not read"


async def test_export_json_filtered(account: SandboxAccount, in_tmp_path: Path) -> None:
    write_log("log.txt", WEBHOOK_LOG)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_log(pilot)
        screen.choose_outcome(FormatStatus.FIXED)
        await pilot.pause()
        await export_through_dialog(pilot, "fixed.json", "json")

    data = json.loads((in_tmp_path / "fixed.json").read_text(encoding="utf-8"))
    assert [item["line"] for item in data] == [1, 3, 6, 7]
    assert {item["status"] for item in data} == {"fixed"}


async def test_export_default_path(account: SandboxAccount) -> None:
    write_log("log.txt", WEBHOOK_LOG)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await open_log(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        field = app.screen.query_one("#export-path", Input)

        assert field.value == "log-checked.csv"


async def test_export_format_changes_suffix(account: SandboxAccount) -> None:
    write_log("log.txt", WEBHOOK_LOG)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await open_log(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        app.screen.query_one("#export-format").focus()
        await pilot.press("enter", "down", "enter")
        await pilot.pause()

        assert app.screen.query_one("#export-path", Input).value == "log-checked.json"


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("all.csv", "all.csv exists already: type another file name"),
        ("missing/all.json", "The folder missing does not exist"),
        ("log.txt/all.json", "log.txt is a file, not a folder"),
        (".", ". is a folder: add a file name to it, such as numdesk-batch.csv."),
        ("  ", "Type the file to write."),
    ],
    ids=["exists", "no-folder", "file-as-folder", "folder", "blank"],
)
async def test_export_path_problem_keeps_dialog(
    account: SandboxAccount, in_tmp_path: Path, typed: str, problem: str
) -> None:
    write_log("log.txt", WEBHOOK_LOG)
    (in_tmp_path / "all.csv").write_text("keep me", encoding="utf-8")
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await open_log(pilot)
        await export_through_dialog(pilot, typed, "json")

        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        error = dialog.query_one("#export-error", Static)
        assert str(error.render()).startswith(problem)
        assert dialog.query_one("#export-path", Input).value == typed
        assert dialog.query_one("#export-format", Select).value == ExportFormat.JSON
        assert errors_shown(app) == []

        await pilot.press("x")
        await pilot.pause()
        assert not error.display

    assert (in_tmp_path / "all.csv").read_text(encoding="utf-8") == "keep me"


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
async def test_failed_export_offered_again(
    account: SandboxAccount, in_tmp_path: Path
) -> None:
    write_log("log.txt", WEBHOOK_LOG)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await open_log(pilot)
        # The folder exists, and no file can be made in it.
        await export_through_dialog(pilot, "/proc/numdesk-export.json", "json")
        ((title, _),) = errors_shown(app)
        assert title == "Not exported"

        await pilot.press("ctrl+s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        path = dialog.query_one("#export-path", Input).value
        assert path == "/proc/numdesk-export.json"
        assert dialog.query_one("#export-format", Select).value == ExportFormat.JSON


async def test_second_export_offered_new_name(
    account: SandboxAccount, in_tmp_path: Path
) -> None:
    write_log("log.txt", WEBHOOK_LOG)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await open_log(pilot)
        await export_through_dialog(pilot, "log-checked.csv")
        await pilot.press("ctrl+s")
        await pilot.pause()
        field = app.screen.query_one("#export-path", Input)

        assert (in_tmp_path / "log-checked.csv").exists()
        assert field.value == "log-checked-2.csv"


async def test_paste_export_names_folder(
    account: SandboxAccount, in_tmp_path: Path
) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await open_batch(pilot)
        await pilot.press("ctrl+t", *"+14155550100", "ctrl+s")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        field = app.screen.query_one("#export-path", Input)

        assert field.value == str(in_tmp_path / "numdesk-batch.csv")


async def test_export_before_load(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_batch(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()

        assert app.screen is screen
        assert "Load a file or paste values first." in notification_messages(app)


# snapshots


def batch_steps(
    *steps: str, path: str = "", outcome: FormatStatus | None = None
) -> SnapshotSteps:
    """Open the batch view, load `path`, choose `outcome`, then press `steps`."""

    async def run_before(pilot: Pilot[None]) -> None:
        await open_batch(pilot)
        if path:
            await load(pilot, path)
        if outcome is not None:
            batch_screen(pilot.app).choose_outcome(outcome)  # type: ignore[arg-type]
            await pilot.pause()
        await pilot.press(*steps)
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        await pilot.pause()

    return run_before


class TestBatchSnapshots:
    def test_empty(self, snap_compare: SnapCompare, account: SandboxAccount) -> None:
        """The batch view before anything is loaded: the hint."""
        app = NumdeskApp(account, default_country="US")
        assert snap_compare(app, run_before=batch_steps(), terminal_size=SIZE)

    def test_loaded(self, snap_compare: SnapCompare, account: SandboxAccount) -> None:
        """A webhook log loaded: counts, the table and the first row's detail."""
        write_log("log.txt", WEBHOOK_LOG)
        app = NumdeskApp(account, default_country="US")
        steps = batch_steps(path="log.txt")
        assert snap_compare(app, run_before=steps, terminal_size=SIZE)

    def test_filtered(self, snap_compare: SnapCompare, account: SandboxAccount) -> None:
        """Only the invalid values, with the markup and escape shown literally."""
        write_log("log.txt", WEBHOOK_LOG)
        app = NumdeskApp(account, default_country="US")
        steps = batch_steps(path="log.txt", outcome=FormatStatus.INVALID)
        assert snap_compare(app, run_before=steps, terminal_size=SIZE)

    def test_export_dialog(
        self, snap_compare: SnapCompare, account: SandboxAccount
    ) -> None:
        """The export dialog with the file offered next to the source."""
        write_log("log.txt", WEBHOOK_LOG)
        app = NumdeskApp(account, default_country="US")
        steps = batch_steps("ctrl+s", path="log.txt")
        assert snap_compare(app, run_before=steps, terminal_size=SIZE)

    def test_paste_dialog(
        self, snap_compare: SnapCompare, account: SandboxAccount
    ) -> None:
        """The paste dialog with two values typed."""
        app = NumdeskApp(account, default_country="US")
        steps = batch_steps("ctrl+t", *"+14155550100", "enter", *"anonymous")
        assert snap_compare(app, run_before=steps, terminal_size=SIZE)
