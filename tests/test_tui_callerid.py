"""The Caller ID screen, driven by Pilot on a real sandbox store and the real rules."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual import events
from textual.containers import VerticalScroll
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, OptionList, Select, Static
from textual.widgets._select import SelectCurrent

from domain.applications import ApplicationDraft, HttpMethod
from domain.callerid import inbound_call, outbound_caller_id
from domain.e164 import FormatStatus, vonage_format
from domain.numbers import AvailableNumber, Feature, OwnedNumber, SearchQuery
from domain.visible import escape_character
from store.account import SandboxAccount
from tests.key_bursts import type_burst
from tests.notifications import notification_messages
from tui.app import NumdeskApp
from tui.screens.callerid import NO_OWNED_NUMBERS, CallerIdScreen, Direction
from tui.widgets.country_picker import CountryPicker, CountryPickerScreen
from tui.widgets.literal_text import count_invisible, visible_text

SIZE = (80, 24)

SnapCompare = Callable[..., bool]


def caller_id_screen(app: NumdeskApp) -> CallerIdScreen:
    screen = app.screen
    assert isinstance(screen, CallerIdScreen)
    return screen


def report_text(app: NumdeskApp) -> str:
    """Return every line the report shows, including those scrolled out of view."""
    report = caller_id_screen(app).query_one("#callerid-report", Static)
    strips = report.render_lines(Region(0, 0, report.size.width, report.size.height))
    return "\n".join(strip.text.rstrip() for strip in strips)


def report_row(app: NumdeskApp, label: str) -> str:
    """Return the value of the first report row with this label, without the label."""
    for line in report_text(app).splitlines():
        if line.startswith(f"{label} "):
            return line.removeprefix(label).strip()
    raise AssertionError(f"The report has no {label!r} row:\n{report_text(app)}")


async def open_caller_id(pilot: Pilot[None]) -> CallerIdScreen:
    await pilot.press("f5")
    await pilot.pause()
    return caller_id_screen(pilot.app)  # type: ignore[arg-type]


async def type_value(pilot: Pilot[None], value: str) -> None:
    """Type a value key by key into the focused caller ID input."""
    await pilot.press(*value)
    await pilot.pause()


async def paste_value(pilot: Pilot[None], value: str) -> None:
    """Paste a value into the caller ID input, the way a terminal delivers a paste."""
    caller_input = caller_id_screen(pilot.app).query_one(  # type: ignore[arg-type]
        "#callerid-input", Input
    )
    caller_input.post_message(events.Paste(value))
    await pilot.pause()


def voice_numbers(account: SandboxAccount, country: str, count: int) -> list[str]:
    query = SearchQuery(country, features=frozenset({Feature.VOICE}), size=count)
    return [number.msisdn for number in account.search(query).items]


def rent_voice_number(account: SandboxAccount, country: str = "US") -> OwnedNumber:
    return account.rent(voice_numbers(account, country, 1)[0])


def link_new_application(
    account: SandboxAccount, number: OwnedNumber, name: str = "Front desk"
) -> OwnedNumber:
    application = account.create_application(
        ApplicationDraft(
            name=name,
            answer_url="https://example.com/answer?tenant=7",
            event_url="https://example.com/event",
            answer_method=HttpMethod.GET,
        )
    )
    return account.link(number.msisdn, application.id)


def available_voice_number(account: SandboxAccount) -> AvailableNumber:
    query = SearchQuery("US", features=frozenset({Feature.VOICE}), size=1)
    return account.search(query).items[0]


# Each row names the outcome it covers, so that every outcome word is exercised. The
# values on screen are compared with what the rules return for the same input.
OUTCOME_CASES = [
    ("14155550100", FormatStatus.VALID),
    ("+1 415 555 0100", FormatStatus.FIXED),
    ("+44 7700 900123", FormatStatus.FIXED),
    ("(415) 555-0100", FormatStatus.FIXED),
    ("anonymous", FormatStatus.WITHHELD),
    ("+266696687", FormatStatus.WITHHELD),
    ("04155550123", FormatStatus.INVALID),
    ("12", FormatStatus.INVALID),
]


@pytest.mark.parametrize(("value", "status"), OUTCOME_CASES)
async def test_typing_shows_outcome(
    account: SandboxAccount, value: str, status: FormatStatus
) -> None:
    expected = vonage_format(value, "US")
    assert expected.status == status
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await open_caller_id(pilot)
        await type_value(pilot, value)

        assert report_row(app, "Entered") == f'"{value}"'
        assert report_row(app, "Outcome").startswith(f"{status.value.upper()}: ")
        assert report_row(app, "Vonage form") == (expected.e164 or "none")


@pytest.mark.parametrize("value", ["+44 7700 900123", "+49 (0)176 12345678"])
async def test_fixed_number_lists_changes(account: SandboxAccount, value: str) -> None:
    expected = vonage_format(value, "US")
    assert expected.changes
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await open_caller_id(pilot)
        await type_value(pilot, value)
        text = " ".join(report_text(app).split())

        for change in expected.changes:
            assert " ".join(change.split()) in text


async def test_invalid_value_shows_reason(account: SandboxAccount) -> None:
    expected = vonage_format("04155550123", "US")
    assert expected.reason
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await open_caller_id(pilot)
        await type_value(pilot, "04155550123")

        assert " ".join(expected.reason.split()) in " ".join(report_text(app).split())


async def test_each_keystroke_updates_report(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await open_caller_id(pilot)
        await type_value(pilot, "+4477009")
        partial = report_row(app, "Outcome")
        await type_value(pilot, "00123")

        assert partial.startswith("INVALID")
        assert report_row(app, "Vonage form") == "447700900123"


async def test_empty_input_shows_hint(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await open_caller_id(pilot)

        assert report_text(app).startswith("Type or paste a caller ID")


async def test_recovered_number_shows_insight(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await open_caller_id(pilot)
        await type_value(pilot, "+44 20 7946 0018")

        assert "Offline insight" in report_text(app)
        assert report_row(app, "Number") == "442079460018"
        assert "Europe/London" in report_row(app, "Time zones")


@pytest.mark.parametrize(
    ("region", "expected_region", "national"),
    [
        ("gb", "GB", "020 7946 0018"),
        ("germany", "DE", "0176 12345678"),
        ("+1", "US", "020 7946 0018"),
    ],
)
async def test_region_changes_national_reading(
    account: SandboxAccount, region: str, expected_region: str, national: str
) -> None:
    expected = vonage_format(national, expected_region)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_caller_id(pilot)
        await type_value(pilot, national)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, CountryPickerScreen)
        await type_value(pilot, region)
        await pilot.press("enter")
        await pilot.pause()

        assert screen.query_one("#callerid-region", CountryPicker).value == (
            expected_region
        )
        assert screen.region_hint == expected_region
        assert report_row(app, "Vonage form") == (expected.e164 or "none")
        assert report_row(app, "Outcome").startswith(expected.status.value.upper())


async def test_region_reads_uk_number_only_in_gb(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await open_caller_id(pilot)
        await type_value(pilot, "020 7946 0018")
        in_us = report_row(app, "Vonage form")
        await pilot.press("ctrl+r", *"gb", "enter")
        await pilot.pause()

        assert in_us != "442079460018"
        assert report_row(app, "Vonage form") == "442079460018"


async def test_region_pick_returns_to_input(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_caller_id(pilot)
        await type_value(pilot, "020 7946 0018")
        await pilot.press("ctrl+r", *"gb", "enter")
        await pilot.pause()
        await pilot.press("9")

        assert app.focused is screen.query_one("#callerid-input", Input)
        assert screen.query_one("#callerid-input", Input).value == "020 7946 00189"


async def test_region_burst_opens_one_chooser(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_caller_id(pilot)
        screen.query_one("#callerid-region", CountryPicker).focus()
        await pilot.pause()
        await type_burst(pilot, ["0", "7", "3", "2", "8"])

        assert [type(screen) for screen in app.screen_stack] == [
            CallerIdScreen,
            CountryPickerScreen,
        ]
        assert app.screen.query_one("#country-filter", Input).value == "07328"


async def test_no_region_needs_country_code(account: SandboxAccount) -> None:
    expected = vonage_format("020 7946 0018", None)
    app = NumdeskApp(account, default_country="GB")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_caller_id(pilot)
        await type_value(pilot, "020 7946 0018")
        with_region = report_row(app, "Vonage form")
        screen.toggle_region()
        await pilot.pause()

        assert with_region == "442079460018"
        assert screen.region_hint is None
        assert report_row(app, "Outcome").startswith(expected.status.value.upper())
        assert report_row(app, "Region").startswith("none")


async def test_outbound_owned_number_is_sent(account: SandboxAccount) -> None:
    number = rent_voice_number(account)
    typed = f"+{number.msisdn[0]} {number.msisdn[1:4]} {number.msisdn[4:]}"
    expected = outbound_caller_id(typed, [number.msisdn], region="US")
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await open_caller_id(pilot)
        await type_value(pilot, typed)

        assert expected.owned
        assert report_row(app, "from") == f"{number.msisdn} (an owned number)"
        assert " ".join(expected.reason.split()) in " ".join(report_text(app).split())


async def test_outbound_other_number_is_unknown(account: SandboxAccount) -> None:
    rent_voice_number(account)
    other = available_voice_number(account)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await open_caller_id(pilot)
        await type_value(pilot, other.msisdn)

        assert report_row(app, "from") == "unknown (no owned number matches)"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("anonymous", "unknown (a withheld caller ID)"),
        ("hello", "unknown (no number was read)"),
    ],
)
async def test_outbound_unknown_without_number(
    account: SandboxAccount, value: str, shown: str
) -> None:
    rent_voice_number(account)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await open_caller_id(pilot)
        await type_value(pilot, value)

        assert report_row(app, "from") == shown


async def test_rent_elsewhere_reloads_numbers(account: SandboxAccount) -> None:
    number = available_voice_number(account)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await open_caller_id(pilot)
        await type_value(pilot, number.msisdn)
        before = report_row(app, "from")
        await pilot.press("f3")
        account.rent(number.msisdn)
        await pilot.press("f5")
        await pilot.pause()

        assert before.startswith("unknown")
        assert report_row(app, "from") == f"{number.msisdn} (an owned number)"


async def test_inbound_shows_answer_request(account: SandboxAccount) -> None:
    number = link_new_application(account, rent_voice_number(account))
    application = account.application(number.app_id or "")
    expected = inbound_call("+44 7700 900123", number, application)
    assert expected.request is not None
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_caller_id(pilot)
        await pilot.press("ctrl+o")
        await type_value(pilot, "+44 7700 900123")
        text = report_text(app)

        assert screen.direction == Direction.INBOUND
        assert report_row(app, "Received") == '"+44 7700 900123"'
        assert report_row(app, "to").startswith(number.msisdn)
        assert report_row(app, "Application") == "Front desk"
        assert report_row(app, "Request") == "GET answer_url"
        for name, value in expected.request.params.items():
            assert f"{name} {value}" in " ".join(text.split())
        assert expected.request.params["from"] == "+44 7700 900123"
        assert "".join(expected.request.full_url().split()) in "".join(text.split())


async def test_inbound_warns_of_local_answer_url(account: SandboxAccount) -> None:
    number = rent_voice_number(account)
    application = account.create_application(
        ApplicationDraft(
            name="Dev",
            answer_url="http://localhost:3000/answer",
            event_url="https://example.com/event",
        )
    )
    account.link(number.msisdn, application.id)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await open_caller_id(pilot)
        await pilot.press("ctrl+o")
        await type_value(pilot, "+44 7700 900123")

        assert report_row(app, "Warning").startswith(
            "The answer_url host localhost is not reachable"
        )


async def test_inbound_without_application_explains(account: SandboxAccount) -> None:
    number = rent_voice_number(account)
    expected = inbound_call("anonymous", number, None)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await open_caller_id(pilot)
        await pilot.press("ctrl+o")
        await type_value(pilot, "anonymous")
        text = " ".join(report_text(app).split())

        assert expected.request is None
        assert report_row(app, "Application") == "none"
        assert "Request " not in report_text(app)
        assert " ".join(expected.explanation.split()) in text


async def test_inbound_called_number_is_chosen(account: SandboxAccount) -> None:
    first, second = (account.rent(msisdn) for msisdn in voice_numbers(account, "US", 2))
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_caller_id(pilot)
        await pilot.press("ctrl+o")
        await type_value(pilot, "anonymous")
        screen.query_one("#callerid-called", Select).value = second.msisdn
        await pilot.pause()

        assert screen.called_number == second
        assert report_row(app, "to").startswith(second.msisdn)
        assert first.msisdn not in report_row(app, "to")


async def test_inbound_without_numbers_says_rent(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_caller_id(pilot)
        await pilot.press("ctrl+o")
        await type_value(pilot, "anonymous")
        no_numbers = screen.query_one("#callerid-no-numbers", Static)

        assert no_numbers.display
        assert report_text(app) == NO_OWNED_NUMBERS
        assert "rent a number first (F2)" in NO_OWNED_NUMBERS


def called_select(screen: CallerIdScreen) -> Select[str]:
    return screen.query_one("#callerid-called", Select)


async def test_called_list_has_no_blank_row(account: SandboxAccount) -> None:
    owned = [account.rent(msisdn) for msisdn in voice_numbers(account, "US", 2)]
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_caller_id(pilot)
        await pilot.press("ctrl+o", "ctrl+n")
        await pilot.pause()
        options = called_select(screen).query_one(OptionList)
        labels = [
            str(options.get_option_at_index(index).prompt)
            for index in range(options.option_count)
        ]

        assert [label.split()[0] for label in labels] == [n.msisdn for n in owned]


async def test_called_top_row_is_number(account: SandboxAccount) -> None:
    first, _ = (account.rent(msisdn) for msisdn in voice_numbers(account, "US", 2))
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_caller_id(pilot)
        await pilot.press("ctrl+o")
        await type_value(pilot, "anonymous")
        await pilot.press("ctrl+n", "home", "enter")
        await pilot.pause()

        assert screen.called_number == first
        assert report_text(app) != NO_OWNED_NUMBERS
        assert report_row(app, "to").startswith(first.msisdn)


async def test_called_defaults_to_linked(account: SandboxAccount) -> None:
    first, second = (account.rent(msisdn) for msisdn in voice_numbers(account, "US", 2))
    linked = link_new_application(account, second)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_caller_id(pilot)
        await pilot.press("ctrl+o")
        await type_value(pilot, "+44 7700 900123")

        assert first.msisdn < linked.msisdn
        assert screen.called_number == linked
        assert report_row(app, "Request") == "GET answer_url"


async def test_called_defaults_to_first(account: SandboxAccount) -> None:
    first, _ = (account.rent(msisdn) for msisdn in voice_numbers(account, "US", 2))
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_caller_id(pilot)
        await pilot.press("ctrl+o")
        await type_value(pilot, "anonymous")

        assert screen.called_number == first
        assert report_row(app, "to").startswith(first.msisdn)


async def test_called_default_follows_link(account: SandboxAccount) -> None:
    first, second = (account.rent(msisdn) for msisdn in voice_numbers(account, "US", 2))
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_caller_id(pilot)
        await pilot.press("ctrl+o")
        await type_value(pilot, "anonymous")
        called_before = screen.called_number
        await pilot.press("f3")
        linked = link_new_application(account, second)
        await open_caller_id(pilot)
        await pilot.pause()

        assert called_before == first
        assert screen.called_number == linked
        assert report_row(app, "Request") == "GET answer_url"


async def pick_second_called_number(pilot: Pilot[None]) -> CallerIdScreen:
    """Preview an inbound call to the second owned number, then open My numbers."""
    screen = await open_caller_id(pilot)
    await pilot.press("ctrl+o")
    await type_value(pilot, "anonymous")
    await pilot.press("ctrl+n", "down", "enter")
    await pilot.pause()
    await pilot.press("f3")
    return screen


async def test_called_keeps_user_choice(account: SandboxAccount) -> None:
    first, second = (account.rent(msisdn) for msisdn in voice_numbers(account, "US", 2))
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        screen = await pick_second_called_number(pilot)
        link_new_application(account, first)
        await open_caller_id(pilot)
        await pilot.pause()

        assert screen.called_number == second
        assert report_row(app, "to").startswith(second.msisdn)


async def test_called_choice_cancelled_is_told(account: SandboxAccount) -> None:
    first, second = (account.rent(msisdn) for msisdn in voice_numbers(account, "US", 2))
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await pick_second_called_number(pilot)
        account.cancel(second.msisdn)
        await open_caller_id(pilot)
        await pilot.pause()

        assert screen.called_number == first
        assert notification_messages(app) == [
            f"{second.msisdn} is no longer a number of this account, so the preview "
            f"shows a call to {first.msisdn} instead."
        ]


async def test_called_appears_after_first_rent(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await open_caller_id(pilot)
        await pilot.press("ctrl+o")
        await type_value(pilot, "anonymous")
        await pilot.press("f3")
        number = rent_voice_number(account)
        screen = await open_caller_id(pilot)
        await pilot.pause()

        assert called_select(screen).display
        assert not screen.query_one("#callerid-no-numbers").display
        assert screen.called_number == number
        assert report_row(app, "to").startswith(number.msisdn)


async def test_called_hidden_after_cancel(account: SandboxAccount) -> None:
    number = rent_voice_number(account)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await open_caller_id(pilot)
        await pilot.press("ctrl+o")
        await type_value(pilot, "anonymous")
        await pilot.press("f3")
        account.cancel(number.msisdn)
        screen = await open_caller_id(pilot)

        assert not called_select(screen).display
        assert screen.query_one("#callerid-no-numbers").display
        assert screen.called_number is None
        assert report_text(app) == NO_OWNED_NUMBERS


@pytest.mark.parametrize(
    "value",
    [
        "[bold red]x[/]",
        "+1415\x1b[31m5550100",
        "\x1b]0;title\x07+14155550100",
        "+1 415 555 0100\u202e",
        "[link=https://example.com]+14155550100[/link]",
    ],
)
async def test_input_shown_literally(account: SandboxAccount, value: str) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_caller_id(pilot)
        await paste_value(pilot, value)
        caller_input = screen.query_one("#callerid-input", Input)

        assert caller_input.value == value
        assert report_row(app, "Entered") == f'"{visible_text(value).plain}"'
        assert "\x1b" not in report_text(app)
        assert "\x1b" not in caller_input.render_line(0).text


async def test_input_shows_control_pictures(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_caller_id(pilot)
        await paste_value(pilot, "+1\x1b[2J415\x7f555\u202e0100")
        input_line = screen.query_one("#callerid-input", Input).render_line(0).text

        assert "+1␛[2J415␡555�0100" in input_line


async def test_control_characters_are_counted(account: SandboxAccount) -> None:
    value = "+1415\x1b[31m555\x000100"
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await open_caller_id(pilot)
        await paste_value(pilot, value)

        assert report_row(app, "Entered") == '"+1415\\x1b[31m555\\x000100"'
        assert count_invisible(value) == 2
        assert "2 invisible characters, written as escapes" in report_text(app)


@pytest.mark.parametrize(
    ("character", "escape"),
    [("\x1b", "\\x1b"), ("\x00", "\\x00"), ("\x9b", "\\x9b"), ("\u202e", "\\u202e")],
)
def test_escape_character_forms(character: str, escape: str) -> None:
    assert escape_character(character) == escape


async def test_palette_switches_direction(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_caller_id(pilot)
        await pilot.press("ctrl+p")
        await type_value(pilot, "switch to inbound")
        await pilot.press("enter")
        await pilot.pause()

        assert screen.direction == Direction.INBOUND


async def test_palette_lists_every_action(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_caller_id(pilot)
        outbound = {command.title for command in screen.palette_commands()}
        await pilot.press("ctrl+o")
        await pilot.pause()
        inbound = {command.title for command in screen.palette_commands()}

    assert "Caller ID: type a value" in outbound
    assert "Caller ID: switch to inbound" in outbound
    assert "Caller ID: pick region" in outbound
    assert "Caller ID: use no region" in outbound
    assert "Caller ID: switch to outbound" in inbound
    assert "Caller ID: pick called number" in inbound


SnapshotSteps = Callable[[Pilot[None]], Awaitable[None]]


def typing(value: str, *keys: str) -> SnapshotSteps:
    """Open Caller ID, press `keys`, type `value`, then stop the cursor blinking."""

    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press("f5", *keys)
        await pilot.pause()
        await pilot.press(*value)
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        await pilot.pause()

    return run_before


class TestCallerIdSnapshots:
    def test_empty(self, snap_compare: SnapCompare, account: SandboxAccount) -> None:
        """Caller ID with nothing typed: the hint."""
        app = NumdeskApp(account, default_country="US")
        assert snap_compare(app, run_before=typing(""), terminal_size=SIZE)

    def test_fixed(self, snap_compare: SnapCompare, account: SandboxAccount) -> None:
        """A pasted UK mobile, fixed, with each change listed."""
        app = NumdeskApp(account, default_country="US")
        assert snap_compare(
            app, run_before=typing("+44 (0)20 7946 0018"), terminal_size=SIZE
        )

    def test_withheld(self, snap_compare: SnapCompare, account: SandboxAccount) -> None:
        """A withheld caller written as a word."""
        app = NumdeskApp(account, default_country="US")
        assert snap_compare(app, run_before=typing("Anonymous"), terminal_size=SIZE)

    def test_invalid(self, snap_compare: SnapCompare, account: SandboxAccount) -> None:
        """A national number that is not valid in the region."""
        app = NumdeskApp(account, default_country="US")
        assert snap_compare(app, run_before=typing("04155550123"), terminal_size=SIZE)

    def test_outbound_owned(
        self, snap_compare: SnapCompare, account: SandboxAccount
    ) -> None:
        """An owned number typed with + and spaces is sent as the from."""
        number = rent_voice_number(account)
        typed = f"+{number.msisdn[0]} {number.msisdn[1:4]} {number.msisdn[4:]}"
        app = NumdeskApp(account, default_country="US")
        assert snap_compare(app, run_before=typing(typed), terminal_size=SIZE)

    def test_inbound_request(
        self, snap_compare: SnapCompare, account: SandboxAccount
    ) -> None:
        """An inbound call to a linked number, with its answer_url request."""
        link_new_application(account, rent_voice_number(account))
        app = NumdeskApp(account, default_country="US")
        steps = typing("+44 7700 900123", "ctrl+o")
        assert snap_compare(app, run_before=steps, terminal_size=SIZE)

    def test_called_list(
        self, snap_compare: SnapCompare, account: SandboxAccount
    ) -> None:
        """The Called list open: owned numbers only, the linked one chosen."""
        first, second = voice_numbers(account, "US", 2)
        account.rent(first)
        link_new_application(account, account.rent(second))
        app = NumdeskApp(account, default_country="US")

        async def open_called_list(pilot: Pilot[None]) -> None:
            await typing("anonymous", "ctrl+o")(pilot)
            await pilot.press("ctrl+n")
            await pilot.pause()

        assert snap_compare(app, run_before=open_called_list, terminal_size=SIZE)


def called_label(screen: CallerIdScreen) -> str:
    """Return the text the closed Called select shows."""
    current = called_select(screen).query_one(SelectCurrent)
    return str(current.query_one("#label", Static).render())


async def test_called_label_follows_link(account: SandboxAccount) -> None:
    number = rent_voice_number(account)
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_caller_id(pilot)
        await pilot.press("ctrl+o")
        await type_value(pilot, "anonymous")
        label_before = called_label(screen)
        await pilot.press("f3")
        linked = link_new_application(account, number, name="Night line")
        await open_caller_id(pilot)
        await pilot.pause()

        assert label_before == f"{number.msisdn} (US) → no application"
        assert screen.called_number == linked
        assert called_label(screen) == f"{number.msisdn} (US) → Night line"


async def test_called_label_tells_same_names_apart(account: SandboxAccount) -> None:
    number = rent_voice_number(account)
    linked = link_new_application(account, number, name="Night line")
    link_new_application(account, rent_voice_number(account), name="Night line")
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_caller_id(pilot)
        await pilot.press("ctrl+o")
        await pilot.pause()

        assert screen.called_number == linked
        assert linked.app_id is not None
        assert called_label(screen) == (
            f"{number.msisdn} (US) → Night line {linked.app_id[:8]}"
        )


@pytest.mark.parametrize(("checked", "shown"), [(True, "▐X▌ on"), (False, "▐ ▌ off")])
async def test_region_box_marked_only_when_on(
    account: SandboxAccount, checked: bool, shown: str
) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_caller_id(pilot)
        box = screen.query_one("#callerid-use-region", Checkbox)
        box.value = checked
        await pilot.pause()

        assert str(box.render()).strip() == shown


async def test_new_value_shows_report_top(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    # A short terminal, so that both reports scroll.
    async with app.run_test(size=(80, 18)) as pilot:
        screen = await open_caller_id(pilot)
        await paste_value(pilot, "+44 7700 900123")
        result = screen.query_one("#callerid-result", VerticalScroll)
        result.scroll_end(animate=False)
        await pilot.pause()
        assert result.scroll_y > 0

        await paste_value(pilot, "0044 20 7946 0018 ext 12 (office)")

        assert result.max_scroll_y > 0
        assert result.scroll_y == 0


@pytest.mark.parametrize(
    ("value", "hint"), [("020 7946 0018", True), ("hello", False), ("+1 415", False)]
)
async def test_region_hint_for_national_number(
    account: SandboxAccount, value: str, hint: bool
) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        await open_caller_id(pilot)
        await paste_value(pilot, value)

        text = " ".join(report_text(app).split())
        assert ("Ctrl+R picks its region" in text) is hint


async def test_focused_direction_reversed(account: SandboxAccount) -> None:
    app = NumdeskApp(account, default_country="US")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_caller_id(pilot)
        select = screen.query_one("#callerid-direction", Select)
        current = select.query_one(SelectCurrent)
        assert not current.rich_style.reverse

        select.focus()
        await pilot.pause()
        assert current.rich_style.reverse
