"""The Search screen and the country picker, driven by Pilot on a real sandbox store."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input, OptionList

from domain.countries import match_countries
from domain.numbers import (
    AvailableNumber,
    Feature,
    NumberType,
    Page,
    PatternMatch,
    SearchQuery,
)
from domain.search_hints import describe_no_results
from store.account import SandboxAccount
from store.database import open_store_file
from tests.conftest import TEST_USER, fixed_clock, search_rows
from tests.key_bursts import type_burst
from tui.app import NumdeskApp
from tui.dialogs.rent import RentDialog
from tui.screens.callerid import CallerIdScreen
from tui.screens.search import (
    ANY_TYPE,
    MATCH_OPTIONS,
    PATTERN_DELAY,
    TYPE_OPTIONS,
    SearchScreen,
)
from tui.widgets.choice_picker import ChoiceList, ChoicePicker
from tui.widgets.country_picker import CountryPicker, CountryPickerScreen
from tui.widgets.paging_line import PagingLine

SIZE = (80, 24)
ROWS = search_rows(SIZE[1])
# The rows left when the two lines of a pattern error show above the table.
ROWS_UNDER_PATTERN_ERROR = ROWS - 2

SnapCompare = Callable[..., bool]


class SearchCountingAccount(SandboxAccount):
    """A sandbox account on a real store that records the searches it runs."""

    def __init__(self, path: Path) -> None:
        store, _ = open_store_file(path)
        super().__init__(store, clock=fixed_clock, user=TEST_USER)
        self.queries: list[SearchQuery] = []

    @property
    def searches(self) -> int:
        return len(self.queries)

    def search(self, query: SearchQuery) -> Page[AvailableNumber]:
        self.queries.append(query)
        return super().search(query)


@pytest.fixture
def counting_account(store_path: Path) -> Iterator[SearchCountingAccount]:
    account = SearchCountingAccount(store_path)
    yield account
    account.close()


def shown_query(country: str, size: int = ROWS, **filters: object) -> SearchQuery:
    """Return the query of a search page as the app requests it at SIZE."""
    return SearchQuery(country, size=size, **filters)  # type: ignore[arg-type]


def search_screen(app: NumdeskApp) -> SearchScreen:
    screen = app.screen
    assert isinstance(screen, SearchScreen)
    return screen


def shown_msisdns(app: NumdeskApp) -> list[str]:
    """Read the Number column of every row the results table shows."""
    table = search_screen(app).results
    if not table.display:
        return []
    return [table.row_text(row)[0] for row in range(table.row_count)]


def msisdns(page: Page[AvailableNumber]) -> list[str]:
    return [number.msisdn for number in page.items]


def text_of(widget: Widget) -> str:
    return str(widget.render())


def range_text(app: NumdeskApp) -> str:
    return search_screen(app).query_one("#paging", PagingLine).range_text


def pattern_error(app: NumdeskApp) -> str | None:
    message = search_screen(app).query_one("#pattern-error")
    return text_of(message) if message.display else None


async def choose_option(
    pilot: Pilot[None], select_id: str, options: list[tuple[str, str]], value: str
) -> None:
    """Open a choice field with Enter and move to `value` with the arrow keys."""
    picker = pilot.app.screen.query_one(select_id, ChoicePicker)
    values = [option_value for _, option_value in options]
    steps = values.index(value) - values.index(picker.value)
    picker.focus()
    await pilot.press("enter")
    await pilot.press(*(["down"] * steps if steps > 0 else ["up"] * -steps))
    await pilot.press("enter")
    await pilot.pause()


async def focus_choice(pilot: Pilot[None], picker_id: str) -> ChoicePicker:
    """Focus the Type or match field of the Search screen and return it."""
    picker = pilot.app.screen.query_one(picker_id, ChoicePicker)
    picker.focus()
    await pilot.pause()
    return picker


async def toggle_features(pilot: Pilot[None], features: Iterable[Feature]) -> None:
    for feature in features:
        pilot.app.screen.query_one(f"#feature-{feature.value}").focus()
        await pilot.press("space")
    await pilot.pause()


async def type_pattern(pilot: Pilot[None], pattern: str) -> None:
    pilot.app.screen.query_one("#pattern", Input).focus()
    await pilot.press(*pattern)
    await pilot.pause()


async def enter_pattern_at_once(pilot: Pilot[None], pattern: str) -> None:
    """Put a whole pattern in the field as one change, as a paste does.

    Typed key by key, a valid start such as the 1 of "1a" is searched for when the
    keys arrive further apart than the typing pause.
    """
    pattern_input = pilot.app.screen.query_one("#pattern", Input)
    pattern_input.focus()
    pattern_input.value = pattern
    await pilot.pause()


async def wait_for_pattern_search(pilot: Pilot[None]) -> None:
    """Wait until the search for a typed pattern has run, with time to spare."""
    await pilot.pause(PATTERN_DELAY * 2)


def first_us_number(account: SandboxAccount) -> str:
    return account.search(shown_query("US")).items[0].msisdn


# Opening the screen


async def test_search_lists_default_country(account: SandboxAccount) -> None:
    expected = account.search(shown_query("US"))
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE):
        assert shown_msisdns(app) == msisdns(expected)
        assert range_text(app).startswith(expected.range_label())
        assert search_screen(app).page == expected


async def test_search_range_label_counts_all(account: SandboxAccount) -> None:
    count = account.search(shown_query("US")).count
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE):
        pages = -(-count // ROWS)
        assert range_text(app) == f"1-{ROWS} of {count:,} · page 1 of {pages:,}"


@pytest.mark.parametrize("country", ["DE", "GB", "JP"])
async def test_search_opens_on_app_country(
    account: SandboxAccount, country: str
) -> None:
    app = NumdeskApp(account, default_country=country)
    async with app.run_test(size=SIZE):
        expected = account.search(shown_query(country))
        assert shown_msisdns(app) == msisdns(expected)
        assert search_screen(app).query_one("#country", CountryPicker).value == country


async def test_search_shows_cells_as_vonage_form(account: SandboxAccount) -> None:
    number = account.search(shown_query("US")).items[0]
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE):
        cells = [cell.strip() for cell in search_screen(app).results.row_text(0)]
        features = " ".join(
            feature.value for feature in Feature if feature in number.features
        )
        assert cells == [
            number.msisdn,
            "US",
            number.type.label,
            features,
            f"{number.cost:.2f}",
        ]


@pytest.mark.parametrize(
    ("keys", "row"),
    [
        (["down", "down"], 2),
        (["end"], 15),
        (["pagedown", "up"], 14),
        (["end", "home"], 0),
        (["down", "pageup"], 0),
        (["up"], 0),
        (["end", "down"], 15),
    ],
)
async def test_results_keys_move_cursor_within_page(
    account: SandboxAccount, keys: list[str], row: int
) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        results = search_screen(app).results
        assert results.row_count == 16

        await pilot.press(*keys)

        assert results.cursor_row == row
        assert results.selected_number == results.numbers[row]


async def test_results_click_moves_cursor_then_rents(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        results = search_screen(app).results
        # Line 0 is the header, so line 3 is the third number.
        await pilot.click(results, offset=(2, 3))
        assert results.cursor_row == 2
        assert not isinstance(app.screen, RentDialog)

        await pilot.click(results, offset=(2, 3))
        await pilot.pause()

        assert isinstance(app.screen, RentDialog)
        assert app.screen.number == results.numbers[2]


async def test_results_header_click_changes_nothing(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        results = search_screen(app).results
        await pilot.press("down")

        await pilot.click(results, offset=(2, 0))
        await pilot.pause()

        assert results.cursor_row == 1
        assert isinstance(app.screen, SearchScreen)


# Filters


@pytest.mark.parametrize("number_type", list(NumberType))
async def test_type_filter_matches_account(
    account: SandboxAccount, number_type: NumberType
) -> None:
    expected = account.search(shown_query("US", type=number_type))
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await choose_option(pilot, "#type", TYPE_OPTIONS, number_type.value)
        assert shown_msisdns(app) == msisdns(expected)
        assert search_screen(app).page == expected


async def test_type_filter_back_to_any(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await choose_option(pilot, "#type", TYPE_OPTIONS, NumberType.TOLL_FREE.value)
        await choose_option(pilot, "#type", TYPE_OPTIONS, ANY_TYPE)
        assert shown_msisdns(app) == msisdns(account.search(shown_query("US")))


@pytest.mark.parametrize(
    "features",
    [
        {Feature.SMS},
        {Feature.VOICE},
        {Feature.MMS},
        {Feature.SMS, Feature.MMS},
        {Feature.SMS, Feature.VOICE, Feature.MMS},
    ],
    ids=lambda features: "+".join(sorted(features)),
)
async def test_feature_filter_matches_account(
    account: SandboxAccount, features: set[Feature]
) -> None:
    query = shown_query("GB", features=frozenset(features))
    expected = account.search(query)
    app = NumdeskApp(account, default_country="GB")
    async with app.run_test(size=SIZE) as pilot:
        await toggle_features(pilot, features)
        assert search_screen(app).page == expected
        assert shown_msisdns(app) == msisdns(expected)


async def test_feature_untoggled_restores_results(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="GB")
    async with app.run_test(size=SIZE) as pilot:
        await toggle_features(pilot, [Feature.MMS, Feature.MMS])
        assert search_screen(app).page == account.search(shown_query("GB"))


@pytest.mark.parametrize("match", list(PatternMatch))
async def test_pattern_matches_account(
    account: SandboxAccount, match: PatternMatch
) -> None:
    msisdn = first_us_number(account)
    pattern = {
        PatternMatch.STARTS: msisdn[:5],
        PatternMatch.CONTAINS: msisdn[3:7],
        PatternMatch.ENDS: msisdn[-3:],
    }[match]
    expected = account.search(shown_query("US", pattern=pattern, match=match))
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await choose_option(pilot, "#match", MATCH_OPTIONS, match.value)
        await type_pattern(pilot, pattern)
        await pilot.press("enter")
        await pilot.pause()
        assert search_screen(app).page == expected
        assert shown_msisdns(app) == msisdns(expected)


async def test_pasted_pattern_searches_digits(account: SandboxAccount) -> None:
    msisdn = first_us_number(account)
    typed = f"+{msisdn[0]} ({msisdn[1:4]}) {msisdn[4:6]}"
    expected = account.search(shown_query("US", pattern=msisdn[:6]))
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await type_pattern(pilot, typed)
        await pilot.press("enter")
        await pilot.pause()

        assert search_screen(app).page == expected
        assert msisdn in shown_msisdns(app)


@pytest.mark.parametrize(
    ("match", "holds"),
    [
        (PatternMatch.STARTS, str.startswith),
        (PatternMatch.CONTAINS, str.__contains__),
        (PatternMatch.ENDS, str.endswith),
    ],
)
async def test_pattern_results_contain_pattern(
    account: SandboxAccount, match: PatternMatch, holds: Callable[[str, str], bool]
) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await choose_option(pilot, "#match", MATCH_OPTIONS, match.value)
        await type_pattern(pilot, "12")
        await pilot.press("enter")
        await pilot.pause()
        shown_numbers = shown_msisdns(app)
        assert shown_numbers
        assert all(holds(msisdn, "12") for msisdn in shown_numbers)


async def test_pattern_searches_when_typing_pauses(account: SandboxAccount) -> None:
    expected = account.search(shown_query("US", pattern="1201"))
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await type_pattern(pilot, "1201")
        await wait_for_pattern_search(pilot)
        assert search_screen(app).page == expected
        assert shown_msisdns(app) == msisdns(expected)
        assert range_text(app).startswith(expected.range_label())
        assert app.focused is search_screen(app).query_one("#pattern")


async def test_pattern_timer_callback_searches(account: SandboxAccount) -> None:
    expected = account.search(shown_query("US", pattern="1201"))
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        search_screen(app).query_one("#pattern", Input).value = "1201"
        await pilot.pause()
        search_screen(app).search_typed_pattern()
        assert search_screen(app).page == expected


async def test_start_searches_once(counting_account: SearchCountingAccount) -> None:
    app = NumdeskApp(counting_account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert counting_account.searches == 1
        assert search_screen(app).page == counting_account.search(shown_query("US"))


async def test_return_from_other_mode_searches_again(
    counting_account: SearchCountingAccount,
) -> None:
    app = NumdeskApp(counting_account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        page = search_screen(app).page
        assert page is not None
        counting_account.rent(page.items[0].msisdn)
        await pilot.press("f3")
        await pilot.press("f2")
        await pilot.pause()
        assert counting_account.searches == 2
        assert search_screen(app).page == counting_account.search(shown_query("US"))


async def test_pattern_enter_searches_at_once(
    counting_account: SearchCountingAccount,
) -> None:
    expected = counting_account.search(shown_query("US", pattern="1201"))
    app = NumdeskApp(counting_account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        search_screen(app).query_one("#pattern", Input).focus()
        await pilot.pause()
        searches_before = counting_account.searches
        await type_burst(pilot, ["1", "2", "0", "1", "enter"])
        assert search_screen(app).page == expected
        await wait_for_pattern_search(pilot)
        assert counting_account.searches == searches_before + 1


async def test_fast_typing_searches_once(
    counting_account: SearchCountingAccount,
) -> None:
    app = NumdeskApp(counting_account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        search_screen(app).query_one("#pattern", Input).focus()
        await pilot.pause()
        searches_before = counting_account.searches
        await type_burst(pilot, ["1", "2", "0", "1", "5"])
        await wait_for_pattern_search(pilot)
        assert counting_account.searches == searches_before + 1
        assert search_screen(app).page == counting_account.search(
            shown_query("US", pattern="12015")
        )


async def test_pattern_typed_back_searches_none(
    counting_account: SearchCountingAccount,
) -> None:
    app = NumdeskApp(counting_account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        search_screen(app).query_one("#pattern", Input).focus()
        await pilot.pause()
        searches_before = counting_account.searches
        await type_burst(pilot, ["1", "backspace"])
        await wait_for_pattern_search(pilot)
        assert counting_account.searches == searches_before


async def test_pattern_cleared_hides_no_results(account: SandboxAccount) -> None:
    expected = account.search(shown_query("US"))
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await type_pattern(pilot, "9")
        await wait_for_pattern_search(pilot)
        no_results = search_screen(app).query_one("#no-results")
        assert no_results.display
        await pilot.press("backspace")
        await wait_for_pattern_search(pilot)
        assert not no_results.display
        assert shown_msisdns(app) == msisdns(expected)
        assert range_text(app).startswith(expected.range_label())


async def test_bad_pattern_typed_searches_none(
    counting_account: SearchCountingAccount,
) -> None:
    app = NumdeskApp(counting_account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        search_screen(app).query_one("#pattern", Input).focus()
        await pilot.pause()
        searches_before = counting_account.searches
        await type_burst(pilot, ["1", "x"])
        await wait_for_pattern_search(pilot)
        assert pattern_error(app) is not None
        # The error takes two rows from the table, whose shorter page is searched
        # again with the last valid filters.
        searched = counting_account.queries[searches_before:]
        assert searched == [shown_query("US", size=ROWS_UNDER_PATTERN_ERROR)]


async def test_pattern_enter_focuses_results(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await type_pattern(pilot, "1")
        await pilot.press("enter")
        await pilot.pause()
        assert app.focused is search_screen(app).results


@pytest.mark.parametrize("pattern", ["12a", "1+2", "12#", "[bold red]x[/]"])
async def test_bad_pattern_shows_message(account: SandboxAccount, pattern: str) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        # Pasted, because a typed / opens the country chooser.
        await enter_pattern_at_once(pilot, pattern)
        assert pattern_error(app) == (
            f"Search pattern {pattern!r} is not valid: use digits 0-9 only. "
            "The list shows the last valid search."
        )
        assert search_screen(app).query_one("#pattern").has_class("-invalid")


async def test_slash_in_pattern_opens_chooser(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="GB")
    async with app.run_test(size=SIZE) as pilot:
        await type_pattern(pilot, "+1 415")
        await pilot.pause(PATTERN_DELAY * 2)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        advice = text_of(search_screen(app).query_one("#no-results"))
        await pilot.press("slash", *"us", "enter")
        await pilot.pause()

        assert advice.endswith(
            "The pattern starts with + and the country code 1 of United States (US): "
            "press / to choose US, then try starts with 1415."
        )
        assert search_screen(app).query_one("#country", CountryPicker).value == "US"
        assert search_screen(app).query_one("#pattern", Input).value == "+1 415"


async def test_bad_pattern_keeps_results(account: SandboxAccount) -> None:
    initial = account.search(shown_query("US"))
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await enter_pattern_at_once(pilot, "9x")
        await pilot.press("enter")
        await pilot.pause()
        assert shown_msisdns(app) == msisdns(initial)[:ROWS_UNDER_PATTERN_ERROR]
        table = search_screen(app).results
        assert table.virtual_size.height <= table.size.height


async def test_bad_pattern_blocks_filter_change(account: SandboxAccount) -> None:
    initial = account.search(shown_query("US"))
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await enter_pattern_at_once(pilot, "1a")
        await toggle_features(pilot, [Feature.MMS])
        assert shown_msisdns(app) == msisdns(initial)[:ROWS_UNDER_PATTERN_ERROR]
        assert pattern_error(app) is not None


async def test_bad_pattern_escape_shown_literally(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        search_screen(app).query_one("#pattern", Input).value = "\x1b[31m1"
        await pilot.pause()
        assert pattern_error(app) == (
            "Search pattern '\\x1b[31m1' is not valid: use digits 0-9 only. "
            "The list shows the last valid search."
        )


async def test_bad_pattern_fixed_clears_message(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await type_pattern(pilot, "1a")
        await pilot.press("backspace")
        await wait_for_pattern_search(pilot)
        assert pattern_error(app) is None
        assert not search_screen(app).query_one("#pattern").has_class("-invalid")
        assert len(shown_msisdns(app)) == ROWS


async def test_pattern_fixed_runs_blocked_filters(account: SandboxAccount) -> None:
    expected = account.search(
        shown_query("US", features=frozenset({Feature.MMS}), pattern="1")
    )
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await type_pattern(pilot, "1a")
        await toggle_features(pilot, [Feature.MMS])
        search_screen(app).query_one("#pattern", Input).value = "1"
        await wait_for_pattern_search(pilot)
        assert pattern_error(app) is None
        assert search_screen(app).page == expected
        assert shown_msisdns(app) == msisdns(expected)


@pytest.mark.parametrize("key", ["enter", "space", "down"])
async def test_choice_list_opens_on_chosen_option(
    account: SandboxAccount, key: str
) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        picker = search_screen(app).query_one("#type", ChoicePicker)
        picker.value = NumberType.MOBILE.value
        picker.focus()

        await pilot.press(key)
        await pilot.pause()

        assert isinstance(app.screen, ChoiceList)
        options = app.screen.query_one(OptionList)
        values = [value for _, value in TYPE_OPTIONS]
        assert options.highlighted == values.index(NumberType.MOBILE.value)


async def test_choice_escape_keeps_value(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        picker = await focus_choice(pilot, "#match")

        await pilot.press("enter", "down", "escape")
        await pilot.pause()

        assert isinstance(app.screen, SearchScreen)
        assert picker.value == PatternMatch.STARTS.value
        assert app.focused is picker


async def test_choice_click_on_option_chooses_it(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        picker = search_screen(app).query_one("#type", ChoicePicker)
        await pilot.click(picker)
        await pilot.pause()
        assert isinstance(app.screen, ChoiceList)

        # Inside the border, the second option: landline, under any type.
        await pilot.click(OptionList, offset=(2, 2))
        await pilot.pause()

        assert picker.value == TYPE_OPTIONS[1][1]
        page = search_screen(app).page
        assert page is not None
        assert {number.type.value for number in page.items} == {TYPE_OPTIONS[1][1]}


async def test_choice_click_beside_list_cancels(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        picker = search_screen(app).query_one("#type", ChoicePicker)
        await pilot.click(picker)
        await pilot.pause()

        await pilot.click(offset=(70, 20))
        await pilot.pause()

        assert isinstance(app.screen, SearchScreen)
        assert picker.value == ANY_TYPE


@pytest.mark.parametrize(
    ("keys", "list_open", "value"),
    [
        (["enter", "escape"] * 3, False, ANY_TYPE),
        (["enter", "escape"] * 3 + ["enter"], True, ANY_TYPE),
        (["enter", "down", "enter", "enter", "escape"], False, TYPE_OPTIONS[1][1]),
        (["enter", "m", "enter"], False, NumberType.MOBILE.value),
        (["space", "t", "enter"], False, NumberType.TOLL_FREE.value),
        (["enter", "down", "m", "enter"], False, NumberType.MOBILE.value),
    ],
)
async def test_choice_key_burst_keeps_app(
    account: SandboxAccount, keys: list[str], list_open: bool, value: str
) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        picker = await focus_choice(pilot, "#type")

        await type_burst(pilot, keys)
        await pilot.pause()

        assert app.return_code is None
        assert isinstance(app.screen, ChoiceList) == list_open
        assert picker.value == value
        if not list_open:
            assert app.focused is picker


async def test_choice_burst_with_mode_key_closes_list(
    account: SandboxAccount,
) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await focus_choice(pilot, "#type")

        await type_burst(pilot, ["enter", "f5"])
        await pilot.pause()
        assert [type(screen) for screen in app.screen_stack] == [CallerIdScreen]

        await pilot.press("f2")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceList)


async def test_choice_letter_moves_to_option(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        picker = await focus_choice(pilot, "#type")

        await pilot.press("enter", "t", "enter")
        await pilot.pause()

        assert picker.value == NumberType.TOLL_FREE.value


async def test_choice_up_opens_list(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await focus_choice(pilot, "#match")

        await pilot.press("up")
        await pilot.pause()

        assert isinstance(app.screen, ChoiceList)


@pytest.mark.parametrize(
    ("command", "picker_id"),
    [("Choose number type", "#type"), ("Choose pattern match", "#match")],
)
async def test_palette_opens_choice_list(
    account: SandboxAccount, command: str, picker_id: str
) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p", *command, "enter")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceList)

        await pilot.press("escape")
        await pilot.pause()

        assert app.focused is search_screen(app).query_one(picker_id)


@pytest.mark.parametrize("picker_id", ["#type", "#match"])
async def test_focused_choice_reversed(account: SandboxAccount, picker_id: str) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        picker = search_screen(app).query_one(picker_id, ChoicePicker)
        assert not picker.rich_style.reverse

        picker.focus()
        await pilot.pause()
        assert picker.rich_style.reverse


# Paging


def test_rows_at_usual_size() -> None:
    assert ROWS == 16


@pytest.mark.parametrize(("size", "rows"), [((60, 18), 10), ((120, 40), 32)])
async def test_page_is_as_long_as_table(
    account: SandboxAccount, size: tuple[int, int], rows: int
) -> None:
    expected = account.search(shown_query("US", size=rows))
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=size):
        assert shown_msisdns(app) == msisdns(expected)
        assert range_text(app).startswith(f"1-{rows} of ")


async def test_resize_keeps_cursor_number(account: SandboxAccount) -> None:
    # The fifth row of page 3, at 16 rows a page, is result 37: at 32 rows a page,
    # the fifth row of page 2.
    third_page = account.search(shown_query("US", index=3))
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right_square_bracket", "right_square_bracket")
        await pilot.press("down", "down", "down", "down")
        await pilot.resize_terminal(120, 40)
        await pilot.pause()

        table = search_screen(app).results
        assert table.selected_number == third_page.items[4]
        assert table.cursor_row == 4
        assert range_text(app).startswith(f"33-64 of {third_page.count:,} · page 2")


async def test_next_page_shows_second_page(account: SandboxAccount) -> None:
    expected = account.search(shown_query("US", index=2))
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right_square_bracket")
        assert shown_msisdns(app) == msisdns(expected)
        assert range_text(app).startswith(f"17-32 of {expected.count:,} · page 2 of")


async def test_previous_page_returns_to_first(account: SandboxAccount) -> None:
    expected = account.search(shown_query("US"))
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert range_text(app).startswith(f"33-48 of {expected.count:,}")
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert shown_msisdns(app) == msisdns(expected)
        assert range_text(app).startswith(f"1-16 of {expected.count:,}")


async def test_previous_page_stops_at_first(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("left_square_bracket")
        assert search_screen(app).page == account.search(shown_query("US"))


async def test_next_page_stops_at_last(account: SandboxAccount) -> None:
    pattern = first_us_number(account)[:-1]
    last = account.search(shown_query("US", pattern=pattern))
    assert last.page_count == 1
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await type_pattern(pilot, pattern)
        await pilot.press("enter", "right_square_bracket")
        assert search_screen(app).page == last
        assert range_text(app) == f"{last.range_label()} · page 1 of 1"


def paging_keys_text(app: NumdeskApp) -> str:
    return app.screen.query_one("#paging", PagingLine).keys_text


async def test_paging_keys_hide_in_pattern(
    account: SandboxAccount,
) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert paging_keys_text(app) == "[ previous  ] next  / country"

        await type_pattern(pilot, "1]")
        assert paging_keys_text(app) == "esc results"
        assert app.screen.query_one("#pattern", Input).value == "1]"

        await pilot.press("tab")
        await pilot.pause()
        assert paging_keys_text(app) == "esc results  [ previous  ] next"


async def test_no_results_hide_rent_and_paging(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await type_pattern(pilot, "999")
        await pilot.press("enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.press("tab")
        await pilot.pause()

        page = search_screen(app).page
        assert page is not None
        assert page.items == ()
        assert paging_keys_text(app) == ""
        assert app.screen.check_action("rent", ()) is False


async def test_escape_then_key_reach_results(account: SandboxAccount) -> None:
    second_page = account.search(shown_query("US", pattern="1", index=2))
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await type_pattern(pilot, "1")
        await pilot.press("enter")
        await pilot.pause()
        await type_burst(pilot, ["escape", "right_square_bracket"])

        assert search_screen(app).query_one("#pattern", Input).value == "1"
        assert app.focused is search_screen(app).results
        assert search_screen(app).page == second_page


async def test_escape_returns_to_results(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await type_pattern(pilot, "1")
        await pilot.press("escape")
        await pilot.pause()

        assert app.focused is search_screen(app).results
        assert paging_keys_text(app) == "[ previous  ] next  / country"


async def test_filter_change_returns_to_first_page(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right_square_bracket")
        await toggle_features(pilot, [Feature.SMS])
        page = search_screen(app).page
        assert page is not None
        assert page.index == 1


# Empty results


async def test_empty_result_explains_filters(account: SandboxAccount) -> None:
    query = SearchQuery("US", pattern="9")
    assert account.search(query).count == 0
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await type_pattern(pilot, "9")
        await pilot.press("enter")
        await pilot.pause()
        screen = search_screen(app)
        assert text_of(screen.query_one("#no-results")) == (
            "No numbers in United States (US) match 'starts with 9'. US numbers start "
            "with 1: try starts with 19, or contains 9."
        )
        assert not screen.results.display
        assert range_text(app) == "0 numbers"


async def test_empty_result_after_type_filter(account: SandboxAccount) -> None:
    query = SearchQuery("AF", type=NumberType.TOLL_FREE)
    assert account.search(query).count == 0
    app = NumdeskApp(account, default_country="AF")
    async with app.run_test(size=SIZE) as pilot:
        await choose_option(pilot, "#type", TYPE_OPTIONS, NumberType.TOLL_FREE.value)
        assert text_of(search_screen(app).query_one("#no-results")) == (
            describe_no_results(query)
        )


async def test_toast_leaves_paging_line(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        app.notify("Rented 12012002276 for 0.90 EUR a month.")
        await pilot.pause()

        toast = app.screen.query_one("Toast")
        paging = search_screen(app).query_one("#paging")
        assert toast.region.bottom <= paging.region.y
        assert toast.region.right == SIZE[0]


async def test_empty_result_rent_does_nothing(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await type_pattern(pilot, "9")
        await pilot.press("enter", "ctrl+p", *"Rent selected number", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        assert account.owned_numbers() == []
        toasts = [text_of(toast) for toast in app.screen.query("Toast")]
        assert any("No number is selected" in toast for toast in toasts)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            SearchQuery("DE", type=NumberType.MOBILE),
            "No mobile numbers in Germany (DE) are available: try any type or "
            "another country.",
        ),
        (
            SearchQuery(
                "GB",
                type=NumberType.TOLL_FREE,
                features=frozenset({Feature.MMS, Feature.SMS}),
                pattern="4477",
                match=PatternMatch.ENDS,
            ),
            "No toll-free numbers with SMS+MMS in United Kingdom (GB) match "
            "'ends with 4477': try a shorter pattern, fewer features, any type or "
            "another country.",
        ),
        (
            SearchQuery("GB", pattern="7700"),
            "No numbers in United Kingdom (GB) match 'starts with 7700'. GB numbers "
            "start with 44: try starts with 447700, or contains 7700.",
        ),
        (
            SearchQuery("GB", pattern="07301"),
            "No numbers in United Kingdom (GB) match 'starts with 07301'. GB numbers "
            "start with 44, without the trunk prefix 0: try starts with 447301, or "
            "contains 7301.",
        ),
        (
            SearchQuery("US", pattern="004473"),
            "No numbers in United States (US) match 'starts with 004473'. The "
            "pattern starts with the access code 00 and the country code 44 of "
            "United Kingdom (GB): press / to choose GB, then try starts with 4473.",
        ),
        (
            SearchQuery("GB", pattern="0044"),
            "No numbers in United Kingdom (GB) match 'starts with 0044'. GB numbers "
            "start with 44, without the access code 00: try starts with 44.",
        ),
        (
            SearchQuery("US", pattern="1999"),
            "No numbers in United States (US) match 'starts with 1999': try a "
            "shorter pattern or another country.",
        ),
        (
            SearchQuery("FR", features=frozenset({Feature.VOICE})),
            "No numbers with VOICE in France (FR) are available: try fewer features "
            "or another country.",
        ),
    ],
)
def test_no_results_message(query: SearchQuery, message: str) -> None:
    assert describe_no_results(query) == message


# Country picker


async def test_picker_finds_country_by_typing(account: SandboxAccount) -> None:
    expected = account.search(shown_query("DE"))
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"germ")
        await pilot.pause()
        assert isinstance(app.screen, CountryPickerScreen)
        assert app.screen.query_one("#country-filter", Input).value == "germ"
        await pilot.press("enter")
        await pilot.pause()
        assert shown_msisdns(app) == msisdns(expected)
        assert search_screen(app).page == expected


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("GB", "United Kingdom (GB, +44) ▼"),
        ("BQ", "Bonaire, Sint Eustatius and… (BQ, +599) ▼"),
    ],
)
async def test_picker_fits_chosen_country(
    account: SandboxAccount, code: str, label: str
) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        picker = app.screen.query_one("#country", CountryPicker)
        picker.value = code
        await pilot.pause()

        assert str(picker.render()) == label
        assert picker.content_size.width == len(label)


@pytest.mark.parametrize(
    ("keys", "country"),
    [
        (["enter", "d", "e", "enter"], "DE"),
        (["space", "plus", "4", "4", "enter"], "GB"),
        (["enter", "j", "a", "p", "enter"], "JP"),
        (["enter", "f", "r", "a", "n", "c", "e", "enter"], "FR"),
    ],
)
async def test_picker_keys_choose_country(
    account: SandboxAccount, keys: list[str], country: str
) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p", *"Focus filters", "enter")
        await pilot.pause()
        await pilot.press(*keys)
        await pilot.pause()
        picker = search_screen(app).query_one("#country", CountryPicker)
        assert picker.value == country
        assert search_screen(app).page == account.search(shown_query(country))


async def test_picker_letter_starts_filter(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        search_screen(app).query_one("#country").focus()
        await pilot.press("n", "o", "r")
        await pilot.pause()
        assert isinstance(app.screen, CountryPickerScreen)
        assert app.screen.query_one("#country-filter", Input).value == "nor"


@pytest.mark.parametrize(
    ("keys", "country"),
    [
        (["slash", "d", "e", "enter"], "DE"),
        (["slash", "g", "e", "r", "m", "enter"], "DE"),
        (["slash", "plus", "4", "4", "enter"], "GB"),
    ],
)
async def test_picker_burst_typing(
    account: SandboxAccount, keys: list[str], country: str
) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await type_burst(pilot, keys)
        assert isinstance(app.screen, SearchScreen)
        assert search_screen(app).query_one("#country", CountryPicker).value == country
        assert search_screen(app).page == account.search(shown_query(country))


@pytest.mark.parametrize(
    ("keys", "country"),
    [
        (["u", "k", "enter"], "GB"),
        (["4", "4", "enter"], "GB"),
        (["plus", "4", "9", "enter"], "DE"),
        (["c", "z", "e", "c", "h", "space", "r", "enter"], "CZ"),
    ],
)
async def test_focused_picker_burst_opens_one_chooser(
    account: SandboxAccount, keys: list[str], country: str
) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        search_screen(app).query_one("#country", CountryPicker).focus()
        await pilot.pause()
        await type_burst(pilot, keys)

        assert isinstance(app.screen, SearchScreen)
        assert search_screen(app).query_one("#country", CountryPicker).value == country


async def test_focused_picker_burst_keeps_keys(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        search_screen(app).query_one("#country", CountryPicker).focus()
        await pilot.pause()
        await type_burst(pilot, ["g", "e", "r"])

        assert [type(screen) for screen in app.screen_stack] == [
            SearchScreen,
            CountryPickerScreen,
        ]
        assert app.screen.query_one("#country-filter", Input).value == "ger"


async def test_paste_on_picker_opens_chooser(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        picker = search_screen(app).query_one("#country", CountryPicker)
        picker.focus()
        await pilot.pause()
        picker.post_message(events.Paste(" Germany\nsecond line"))
        await pilot.pause()

        assert isinstance(app.screen, CountryPickerScreen)
        assert app.screen.query_one("#country-filter", Input).value == "Germany"


async def test_picker_burst_keeps_letters(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await type_burst(pilot, ["slash", "j", "a", "p"])
        assert isinstance(app.screen, CountryPickerScreen)
        assert app.screen.query_one("#country-filter", Input).value == "jap"


async def test_picker_arrow_moves_choice(account: SandboxAccount) -> None:
    second = match_countries("de")[1].code
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", "d", "e", "down", "enter")
        await pilot.pause()
        assert search_screen(app).query_one("#country", CountryPicker).value == second


async def test_picker_escape_keeps_country(account: SandboxAccount) -> None:
    expected = account.search(shown_query("US"))
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"germ", "escape")
        await pilot.pause()
        assert search_screen(app).query_one("#country", CountryPicker).value == "US"
        assert search_screen(app).page == expected


async def test_picker_no_match_message(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"zzq")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, CountryPickerScreen)
        assert not dialog.query_one("#country-options", OptionList).display
        assert text_of(dialog.query_one("#country-no-match")).startswith(
            "No country matches 'zzq': type part of a name"
        )
        await pilot.press("enter")
        assert app.screen is dialog


async def test_picker_highlights_current_country(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="FR")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        await pilot.pause()
        options = app.screen.query_one("#country-options", OptionList)
        assert options.highlighted is not None
        assert options.get_option_at_index(options.highlighted).id == "FR"


# Coming back to the screen and the palette


async def test_resume_reloads_after_outside_rent(account: SandboxAccount) -> None:
    page = account.search(shown_query("US"))
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "down")
        account.rent(page.items[0].msisdn)
        await pilot.press("f3")
        await pilot.press("f2")
        await pilot.pause()
        assert shown_msisdns(app) == msisdns(account.search(shown_query("US")))
        assert page.items[0].msisdn not in shown_msisdns(app)
        assert search_screen(app).results.cursor_row == 2


@pytest.mark.parametrize(
    ("command", "index"),
    [("Next page", 2), ("Previous page", 1)],
)
async def test_palette_pages(account: SandboxAccount, command: str, index: int) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p", *command, "enter")
        await pilot.pause()
        page = search_screen(app).page
        assert page is not None
        assert page.index == index


async def test_palette_focuses_pattern(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p", *"Focus pattern", "enter")
        await pilot.pause()
        assert app.focused is search_screen(app).query_one("#pattern")


async def test_palette_chooses_country(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p", *"Choose country", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CountryPickerScreen)


# Snapshots


async def show_germany_filtered(pilot: Pilot[None]) -> None:
    await pilot.press("slash", *"germ", "enter")
    await toggle_features(pilot, [Feature.SMS])
    await choose_option(pilot, "#type", TYPE_OPTIONS, NumberType.MOBILE.value)
    await type_pattern(pilot, "4915")
    await pilot.press("enter")
    await pilot.pause()


async def show_empty_result(pilot: Pilot[None]) -> None:
    await type_pattern(pilot, "999")
    await pilot.press("enter")
    await pilot.pause()


async def show_bad_pattern(pilot: Pilot[None]) -> None:
    await enter_pattern_at_once(pilot, "12[b]")


async def open_type_list(pilot: Pilot[None]) -> None:
    picker = pilot.app.screen.query_one("#type", ChoicePicker)
    picker.value = NumberType.MOBILE.value
    picker.focus()
    await pilot.press("enter")
    await pilot.pause()


async def open_picker_filtered(pilot: Pilot[None]) -> None:
    await pilot.press("slash", *"united")
    await pilot.pause()


class TestSearchSnapshots:
    def test_initial(self, snap_compare: SnapCompare, account: SandboxAccount) -> None:
        """The first page of US numbers, as the app opens."""
        assert snap_compare(
            NumdeskApp(account, default_country="US"), terminal_size=SIZE
        )

    def test_filtered(self, snap_compare: SnapCompare, account: SandboxAccount) -> None:
        """German mobile numbers with SMS starting with 4915."""
        assert snap_compare(
            NumdeskApp(account, default_country="US"),
            run_before=show_germany_filtered,
            terminal_size=SIZE,
        )

    def test_empty(self, snap_compare: SnapCompare, account: SandboxAccount) -> None:
        """A pattern no US number starts with, and the hint to add the country code."""
        assert snap_compare(
            NumdeskApp(account, default_country="US"),
            run_before=show_empty_result,
            terminal_size=SIZE,
        )

    def test_bad_pattern(
        self, snap_compare: SnapCompare, account: SandboxAccount
    ) -> None:
        """A pattern with letters and brackets, rejected with its literal text."""
        assert snap_compare(
            NumdeskApp(account, default_country="US"),
            run_before=show_bad_pattern,
            terminal_size=SIZE,
        )

    def test_picker(self, snap_compare: SnapCompare, account: SandboxAccount) -> None:
        """The country picker with 'united' typed."""
        assert snap_compare(
            NumdeskApp(account, default_country="US"),
            run_before=open_picker_filtered,
            terminal_size=SIZE,
        )

    def test_choice_list(
        self, snap_compare: SnapCompare, account: SandboxAccount
    ) -> None:
        """The list of number types under the Type field, on mobile."""
        assert snap_compare(
            NumdeskApp(account, default_country="US"),
            run_before=open_type_list,
            terminal_size=SIZE,
        )
