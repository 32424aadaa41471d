"""The History screen (F6): the change log, its filters and the highlighted entry."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from typing import Any

import pytest
from rich.text import Text
from textual.containers import VerticalScroll
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, OptionList, Select, Static

from domain.applications import ApplicationDraft
from domain.numbers import Feature, SearchQuery
from store.account import SandboxAccount
from tests.notifications import errors_shown
from tui.app import NumdeskApp
from tui.screens.history import NO_CHANGES, NO_HISTORY, NO_MATCHES, HistoryScreen
from tui.widgets.key_footer import KeyFooter

SALES = ApplicationDraft(
    name="Sales", answer_url="https://example.com/a", event_url="https://example.com/e"
)
SUPPORT = ApplicationDraft(
    name="Support",
    answer_url="https://example.com/s",
    event_url="https://example.com/e",
)


@pytest.fixture
def account(pinned_account: SandboxAccount) -> SandboxAccount:
    """The account with application ids that count up, so snapshots stay the same."""
    return pinned_account


def seed_history(account: SandboxAccount) -> tuple[str, str, str, str]:
    """Rent two numbers, create Sales and Support, link the first number to Sales."""
    query = SearchQuery(country="US", features=frozenset({Feature.VOICE}))
    first, second = (number.msisdn for number in account.search(query).items[:2])
    account.rent(first)
    account.rent(second)
    sales = account.create_application(SALES).id
    support = account.create_application(SUPPORT).id
    account.link(first, sales)
    return first, second, sales, support


def seed_long_history(account: SandboxAccount) -> tuple[str, str, str, str]:
    """Seed the history, then link and unlink the second number to fill many rows."""
    first, second, sales, support = seed_history(account)
    for _ in range(10):
        account.link(second, support)
        account.unlink(second)
    return first, second, sales, support


def delete_support(account: SandboxAccount) -> tuple[str, str]:
    """Seed the history, link the second number to Support, then delete Support."""
    _, second, _, support = seed_history(account)
    account.link(second, support)
    account.delete_application(support)
    return second, support


def entries_table(app: NumdeskApp) -> DataTable[Text]:
    return app.screen.query_one("#history-entries", DataTable)


def actions_shown(app: NumdeskApp) -> list[str]:
    table = entries_table(app)
    return [table.get_row_at(row)[2].plain for row in range(table.row_count)]


def changes_shown(app: NumdeskApp) -> list[str]:
    table = entries_table(app)
    return [table.get_row_at(row)[4].plain for row in range(table.row_count)]


def app_filter_labels(app: NumdeskApp) -> list[str]:
    """Return every row of the Application filter's list, the blank row first."""
    options = app.screen.query_one("#history-app", Select).query_one(OptionList)
    return [
        str(options.get_option_at_index(index).prompt)
        for index in range(options.option_count)
    ]


def static_text(app: NumdeskApp, selector: str) -> str:
    content = app.screen.query_one(selector, Static).content
    assert isinstance(content, Content | Text), f"the widget shows {content!r}"
    return content.plain


async def show_history(pilot: Pilot[Any]) -> None:
    await pilot.press("f6")
    await pilot.pause()


async def filter_by_number(pilot: Pilot[Any], text: str) -> None:
    await pilot.press("slash", *text, "enter")
    await pilot.pause()


async def test_lists_newest_first(account: SandboxAccount) -> None:
    seed_history(account)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_history(pilot)

        assert isinstance(app.screen, HistoryScreen)
        assert actions_shown(app) == ["link", "new app", "new app", "rent", "rent"]


@pytest.mark.parametrize("width", [80, 100])
async def test_rows_fit_without_side_scroll(
    account: SandboxAccount, width: int
) -> None:
    seed_long_history(account)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(width, 24)) as pilot:
        await show_history(pilot)
        table = entries_table(app)

        assert table.show_vertical_scrollbar
        assert table.virtual_size.width <= table.scrollable_content_region.width
        assert not table.show_horizontal_scrollbar


async def test_detail_names_action_as_list(account: SandboxAccount) -> None:
    _, _, sales, _ = seed_history(account)
    account.update_application(sales, replace(SALES, name="Sales desk"))
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_history(pilot)

        detail = static_text(app, "#history-detail-text").splitlines()
        assert detail[0] == (
            f"2026-01-15 09:30:00 UTC, tester: edit app of application {sales}, "
            "now named 'Sales desk'"
        )


async def test_link_keeps_old_name(account: SandboxAccount) -> None:
    first, _, sales, _ = seed_history(account)
    account.update_application(sales, replace(SALES, name="Sales desk"))
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_history(pilot)
        await pilot.press("down")
        await pilot.pause()

        detail = static_text(app, "#history-detail-text").splitlines()
        assert detail[0].endswith(
            f"link of number {first}, application {sales}, now named 'Sales desk'"
        )
        assert detail[1] == "linked to 'Sales'"


async def test_detail_of_highlighted(account: SandboxAccount) -> None:
    first, _, sales, _ = seed_history(account)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_history(pilot)

        detail = static_text(app, "#history-detail-text").splitlines()
        assert detail[0] == (
            f"2026-01-15 09:30:00 UTC, tester: link of number {first}, "
            f"application {sales}, now named 'Sales'"
        )
        assert detail[1] == "linked to 'Sales'"
        assert detail[2] == 'before: {"app_id": null}'
        assert detail[3] == f'after:  {{"app_id": "{sales}", "app_name": "Sales"}}'


async def test_filter_by_pasted_number(account: SandboxAccount) -> None:
    first, _, _, _ = seed_history(account)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_history(pilot)
        await pilot.press("slash")
        await pilot.press(*f"+1 ({first[1:4]}) {first[4:7]}-{first[7:]}", "enter")
        await pilot.pause()

        assert actions_shown(app) == ["link", "rent"]
        assert app.focused is entries_table(app)


async def test_invalid_number_filter(account: SandboxAccount) -> None:
    seed_history(account)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_history(pilot)
        await filter_by_number(pilot, "12ab")

        assert static_text(app, "#history-filter-error") == (
            "The value '12ab' contains the letters ab among its digits. Paste one "
            "number written in digits: letters count as keypad digits only in a "
            "spelled word, as in 1-800-FLOWERS. The list shows the last valid "
            "filter. Type the number in Vonage form, such as 14155550101."
        )
        assert len(actions_shown(app)) == 5


async def test_filter_error_goes_with_its_text(account: SandboxAccount) -> None:
    seed_history(account)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_history(pilot)
        await filter_by_number(pilot, "12ab")
        await pilot.press("ctrl+u")
        await pilot.pause()

        error = app.screen.query_one("#history-filter-error")
        assert not error.display
        assert not app.screen.query_one("#history-number").has_class("-invalid")


async def test_unapplied_filter_text_put_back(account: SandboxAccount) -> None:
    first, _, _, _ = seed_history(account)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_history(pilot)
        await filter_by_number(pilot, first)
        await filter_by_number(pilot, "07336 291655")
        await pilot.press("x", "escape")
        await pilot.pause()

        field = app.screen.query_one("#history-number", Input)
        assert field.value == first
        assert not app.screen.query_one("#history-filter-error").display
        assert actions_shown(app) == ["link", "rent"]


async def test_filter_by_application(account: SandboxAccount) -> None:
    _, _, sales, _ = seed_history(account)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_history(pilot)
        app.screen.query_one("#history-app", Select).value = sales
        await pilot.pause()

        assert actions_shown(app) == ["link", "new app"]


async def test_no_match_then_clear(account: SandboxAccount) -> None:
    _, second, _, support = seed_history(account)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_history(pilot)
        app.screen.query_one("#history-app", Select).value = support
        await pilot.press("slash", *second, "enter")
        await pilot.pause()
        no_match = static_text(app, "#history-empty")
        await pilot.press("x")
        await pilot.pause()

        assert no_match == NO_MATCHES
        assert len(actions_shown(app)) == 5
        assert app.screen.query_one("#history-number", Input).value == ""


async def test_empty_log(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_history(pilot)

        assert static_text(app, "#history-empty") == NO_CHANGES
        assert not entries_table(app).display


async def test_damaged_entry_shows_error(account: SandboxAccount) -> None:
    seed_history(account)
    with sqlite3.connect(account.path) as connection:
        connection.execute("UPDATE change_log SET time = 'x' WHERE action = 'rent'")
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_history(pilot)

        assert isinstance(app.screen, HistoryScreen)
        ((_, message),) = errors_shown(app)
        assert message.startswith(f"The store {account.path} is damaged (change log")
        assert "its time 'x' is not an ISO 8601 time" in message


async def test_account_without_history(account: SandboxAccount) -> None:
    class NoHistory:
        """Every account method but history, like a live account."""

        def __getattr__(self, name: str) -> Any:
            if name == "history":
                raise AttributeError(name)
            return getattr(account, name)

    app = NumdeskApp(NoHistory(), default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_history(pilot)

        assert static_text(app, "#history-empty") == NO_HISTORY


async def test_refresh_keeps_cursor(account: SandboxAccount) -> None:
    seed_history(account)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_history(pilot)
        await pilot.press("down", "down")
        highlighted = app.screen.highlighted_entry()  # type: ignore[attr-defined]
        await pilot.press("f2", "f6")
        await pilot.pause()

        assert entries_table(app).cursor_row == 2
        assert app.screen.highlighted_entry() == highlighted  # type: ignore[attr-defined]


async def test_new_entries_show_top(account: SandboxAccount) -> None:
    _, second, sales, _ = seed_long_history(account)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_history(pilot)
        await pilot.press(*["down"] * 20)
        row_before = entries_table(app).cursor_row
        account.link(second, sales)
        await pilot.press("f2", "f6")
        await pilot.pause()

        assert row_before == 20
        assert entries_table(app).cursor_row == 0
        assert entries_table(app).scroll_y == 0
        assert actions_shown(app)[0] == "link"


async def test_cleared_filter_shows_top(account: SandboxAccount) -> None:
    first, _, _, _ = seed_long_history(account)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_history(pilot)
        await pilot.press("slash", *first, "enter")
        await pilot.pause()
        await pilot.press("down")
        await pilot.press("x")
        await pilot.pause()

        assert entries_table(app).cursor_row == 0
        assert entries_table(app).scroll_y == 0
        assert len(actions_shown(app)) == 25


async def test_filter_change_shows_top(account: SandboxAccount) -> None:
    _, _, sales, _ = seed_long_history(account)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_history(pilot)
        await pilot.press(*["down"] * 23)
        row_before = entries_table(app).cursor_row
        app.screen.query_one("#history-app", Select).value = sales
        await pilot.pause()

        assert row_before == 23
        assert entries_table(app).cursor_row == 0
        assert entries_table(app).scroll_y == 0
        assert actions_shown(app) == ["link", "new app"]


async def test_deleted_application_named(account: SandboxAccount) -> None:
    _, support = delete_support(account)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_history(pilot)
        changes = changes_shown(app)
        detail = static_text(app, "#history-detail-text").splitlines()

        assert changes[:3] == [
            "deleted application 'Support'",
            "unlinked from 'Support'",
            "linked to 'Support'",
        ]
        assert all(support not in change for change in changes)
        assert detail[0] == (
            "2026-01-15 09:30:00 UTC, tester: delete app of application "
            f"{support} 'Support' (deleted)"
        )


async def test_deleted_application_filter(account: SandboxAccount) -> None:
    _, support = delete_support(account)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_history(pilot)
        labels = app_filter_labels(app)
        app.screen.query_one("#history-app", Select).value = support
        await pilot.pause()

        assert labels[1:] == ["Sales", "Support (deleted)"]
        assert actions_shown(app) == ["delete app", "unlink", "link", "new app"]


async def test_same_names_show_short_ids(account: SandboxAccount) -> None:
    _, support = delete_support(account)
    second_support = account.create_application(SUPPORT).id
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_history(pilot)

        assert app_filter_labels(app)[1:] == [
            "Sales",
            f"Support {second_support[:8]}",
            f"Support {support[:8]} (deleted)",
        ]


async def test_key_opens_application_filter(account: SandboxAccount) -> None:
    seed_history(account)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_history(pilot)
        await pilot.press("a")
        await pilot.pause()

        assert app.screen.query_one("#history-app", Select).expanded


async def test_hostile_name_literal(account: SandboxAccount) -> None:
    _, _, sales, _ = seed_history(account)
    hostile = "[bold red]x[/] \x1b[31mred\x9b2J"
    account._store.connection.execute(
        "UPDATE applications SET name = ? WHERE id = ?", [hostile, sales]
    )
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_history(pilot)
        screenshot = app.export_screenshot()

        assert "\x1b" not in screenshot
        assert "\x9b" not in screenshot
        assert "[bold red]x[/] \\x1b[31mred\\x9b2J" in static_text(
            app, "#history-detail-text"
        )


async def test_palette_lists_history(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        titles = [command.title for command in app.get_system_commands(app.screen)]
        await show_history(pilot)
        history_titles = [
            command.title for command in app.get_system_commands(app.screen)
        ]

        assert "History" in titles
        assert "Filter history by number" in history_titles
        assert "Filter history by application" in history_titles
        assert "Clear history filters" in history_titles


async def test_palette_filters_by_application(account: SandboxAccount) -> None:
    _, _, sales, _ = seed_history(account)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_history(pilot)
        await pilot.press("ctrl+p", *"by application")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()

        select = app.screen.query_one("#history-app", Select)
        assert select.expanded

        await pilot.press("down")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert select.value == sales
        assert actions_shown(app) == ["link", "new app"]


class TestHistorySnapshots:
    """The History screen at 80x24."""

    def test_entries(self, snap_compare: Any, account: SandboxAccount) -> None:
        """Five changes, newest first; the link's details under the table."""
        seed_history(account)
        assert snap_compare(
            NumdeskApp(account, default_country="US"),
            press=["f6"],
            terminal_size=(80, 24),
        )

    def test_empty(self, snap_compare: Any, account: SandboxAccount) -> None:
        """No changes yet: the empty log explains what will appear."""
        assert snap_compare(
            NumdeskApp(account, default_country="US"),
            press=["f6"],
            terminal_size=(80, 24),
        )

    def test_deleted_application(
        self, snap_compare: Any, account: SandboxAccount
    ) -> None:
        """A deleted application's entries show its name, and the detail marks it deleted."""
        delete_support(account)
        assert snap_compare(
            NumdeskApp(account, default_country="US"),
            press=["f6"],
            terminal_size=(80, 24),
        )

    def test_deleted_in_filter(
        self, snap_compare: Any, account: SandboxAccount
    ) -> None:
        """The Application filter open: existing applications, then deleted ones."""
        delete_support(account)

        async def open_app_filter(pilot: Pilot[Any]) -> None:
            await show_history(pilot)
            app.screen.query_one("#history-app", Select).focus()
            await pilot.press("enter")
            await pilot.pause()

        app = NumdeskApp(account, default_country="US")
        assert snap_compare(app, run_before=open_app_filter, terminal_size=(80, 24))

    def test_filter_error(self, snap_compare: Any, account: SandboxAccount) -> None:
        """A number filter that is not a number shows the reason under the filters."""
        seed_history(account)
        assert snap_compare(
            NumdeskApp(account, default_country="US"),
            press=["f6", "slash", "1", "2", "a", "b", "enter"],
            terminal_size=(80, 24),
        )


def footer_descriptions(app: NumdeskApp) -> list[str]:
    return [key.description for key in app.screen.query_one(KeyFooter).keys]


async def test_filter_keys_hidden_while_typing(account: SandboxAccount) -> None:
    seed_history(account)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_history(pilot)
        assert "Number" in footer_descriptions(app)
        assert "Application" in footer_descriptions(app)

        await pilot.press("slash", "4", "4", "slash", "a")
        await pilot.pause()

        assert app.screen.query_one("#history-number", Input).value == "44/a"
        assert "Number" not in footer_descriptions(app)
        assert "Application" not in footer_descriptions(app)
        assert "Apply filter" in footer_descriptions(app)


async def test_long_detail_scrolls(account: SandboxAccount) -> None:
    application = account.create_application(
        ApplicationDraft(
            name="Long " * 30,
            answer_url="https://example.com/" + "a" * 300,
            event_url="https://example.com/" + "e" * 300,
        )
    )
    account.delete_application(application.id)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_history(pilot)
        detail = app.screen.query_one("#history-detail", VerticalScroll)
        assert detail.max_scroll_y > 0

        detail.focus()
        await pilot.press("down")
        await pilot.pause()

        assert detail.scroll_y == 1
