"""`numdesk numbers`, run in-process through click's CliRunner on a fresh store."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from cli import confirm
from domain.applications import ApplicationDraft
from domain.countries import find_country
from domain.numbers import (
    AvailableNumber,
    Feature,
    NumberType,
    SearchQuery,
)
from store.account import SandboxAccount
from tests.cli_runner import run, run_json
from tests.test_cli_import import us_national_forms

NUMBER_KEYS = {"country", "msisdn", "type", "features", "cost"}
COST = re.compile(r"\d+\.\d{2,}")


def first_available(
    account: SandboxAccount, country: str = "GB", **filters: Any
) -> AvailableNumber:
    page = account.search(SearchQuery(country=country, size=1, **filters))
    return page.items[0]


def make_application(account: SandboxAccount, name: str = "Support") -> str:
    draft = ApplicationDraft(
        name=name,
        answer_url="https://example.com/answer",
        event_url="https://example.com/event",
    )
    return account.create_application(draft).id


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let commands ask questions, as if stdin were a terminal."""
    monkeypatch.setattr(confirm, "stdin_is_terminal", lambda: True)


# search


def test_search_json_shape(store_path: Path) -> None:
    output = run_json(store_path, "numbers", "search", "GB")
    assert set(output) == {"count", "numbers"}
    assert len(output["numbers"]) == 10
    assert output["count"] > 10
    for number in output["numbers"]:
        assert set(number) == NUMBER_KEYS
        assert number["country"] == "GB"
        assert COST.fullmatch(number["cost"])
        assert number["features"]


def test_search_country_any_case(store_path: Path) -> None:
    lower = run_json(store_path, "numbers", "search", "gb")
    upper = run_json(store_path, "numbers", "search", "GB")
    assert lower == upper


@pytest.mark.parametrize("number_type", [member.value for member in NumberType])
def test_search_type_filter(store_path: Path, number_type: str) -> None:
    output = run_json(store_path, "numbers", "search", "GB", "--type", number_type)
    assert output["numbers"]
    assert {number["type"] for number in output["numbers"]} == {number_type}


@pytest.mark.parametrize(
    ("features", "expected"),
    [
        ("VOICE", {"VOICE"}),
        ("sms,voice", {"SMS", "VOICE"}),
        (" SMS , VOICE , MMS ", {"SMS", "VOICE", "MMS"}),
    ],
)
def test_search_features_filter(
    store_path: Path, features: str, expected: set[str]
) -> None:
    output = run_json(store_path, "numbers", "search", "US", "--features", features)
    assert output["numbers"]
    for number in output["numbers"]:
        assert expected <= set(number["features"])


@pytest.mark.parametrize(
    ("match", "cut", "check"),
    [
        ("starts", slice(0, 6), str.startswith),
        ("contains", slice(4, 8), str.__contains__),
        ("ends", slice(-3, None), str.endswith),
    ],
)
def test_search_pattern(
    store_path: Path, account: SandboxAccount, match: str, cut: slice, check: Any
) -> None:
    pattern = first_available(account, "US").msisdn[cut]
    output = run_json(
        store_path, "numbers", "search", "US", "--pattern", pattern, "--match", match
    )
    assert output["numbers"]
    for number in output["numbers"]:
        assert check(number["msisdn"], pattern)


def test_search_pasted_pattern(store_path: Path, account: SandboxAccount) -> None:
    msisdn = first_available(account, "GB").msisdn
    typed = f"+{msisdn[:2]} {msisdn[2:6]}"

    output = run_json(store_path, "numbers", "search", "GB", "--pattern", typed)

    assert msisdn in [number["msisdn"] for number in output["numbers"]]
    assert all(number["msisdn"].startswith(msisdn[:6]) for number in output["numbers"])


def test_search_pages_differ(store_path: Path) -> None:
    first = run_json(store_path, "numbers", "search", "GB", "--size", "5")
    second = run_json(
        store_path, "numbers", "search", "GB", "--size", "5", "--page", "2"
    )
    first_msisdns = {number["msisdn"] for number in first["numbers"]}
    second_msisdns = {number["msisdn"] for number in second["numbers"]}
    assert len(second_msisdns) == 5
    assert not first_msisdns & second_msisdns
    assert first["count"] == second["count"]


def test_search_size_sets_page_length(store_path: Path) -> None:
    output = run_json(store_path, "numbers", "search", "US", "--size", "100")
    assert len(output["numbers"]) == 100


def test_search_text_table(store_path: Path) -> None:
    count = run_json(store_path, "numbers", "search", "GB")["count"]
    result = run(store_path, "numbers", "search", "GB")
    lines = result.stdout.splitlines()
    assert result.exit_code == 0
    assert lines[0].split() == ["MSISDN", "COUNTRY", "TYPE", "FEATURES", "EUR/MONTH"]
    assert len(lines) == 1 + 10 + 2
    assert f"1-10 of {count:,}" in lines
    assert "Next page: --page 2" in lines


@pytest.mark.parametrize("page", ["999", str(2**63 - 1), str(2**64)])
def test_search_text_past_end(store_path: Path, page: str) -> None:
    result = run(store_path, "numbers", "search", "GB", "--size", "100", "--page", page)
    assert result.exit_code == 0
    assert f"Page {page} is past the end" in result.stdout


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        (
            ["--pattern", "99999999999999"],
            "No numbers in United Kingdom (GB) match 'starts with 99999999999999': "
            "try a shorter pattern or another country.",
        ),
        (
            [
                "--type",
                "mobile",
                "--features",
                "MMS,SMS",
                "--pattern",
                "123",
                "--match",
                "ends",
            ],
            "No mobile numbers with SMS+MMS in United Kingdom (GB) match 'ends with "
            "123': try a shorter pattern, fewer features, any type or another country.",
        ),
    ],
    ids=["pattern", "every-filter"],
)
def test_search_text_no_match(
    store_path: Path, filters: list[str], message: str
) -> None:
    result = run(store_path, "numbers", "search", "GB", *filters)
    assert result.exit_code == 0
    assert " ".join(result.stdout.split()) == message


@pytest.mark.parametrize("country", ["United Kingdom", "44", "+44", "uk"])
def test_search_country_by_name_or_code(store_path: Path, country: str) -> None:
    assert run_json(store_path, "numbers", "search", country) == run_json(
        store_path, "numbers", "search", "GB"
    )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["XX"], "Unknown country 'XX'"),
        (["united"], "'united' matches several countries: United Arab Emirates"),
        (["GB", "--pattern", "12a"], "Search pattern '12a' is not valid"),
        (["GB", "--features", "FAX"], "Unknown feature 'FAX'"),
    ],
)
def test_search_rejects_input(
    store_path: Path, arguments: list[str], message: str
) -> None:
    result = run(store_path, "numbers", "search", *arguments)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {message}")
    assert result.stderr.count("\n") == 1
    assert result.stdout == ""


@pytest.mark.parametrize(
    "arguments",
    [
        [],
        ["GB", "--size", "0"],
        ["GB", "--size", "101"],
        ["GB", "--page", "0"],
        ["GB", "--type", "fax"],
        ["GB", "--match", "middle"],
        ["GB", "--bogus"],
    ],
)
def test_search_usage_errors(store_path: Path, arguments: list[str]) -> None:
    result = run(store_path, "numbers", "search", *arguments)
    assert result.exit_code == 2
    assert "Usage: numdesk numbers search" in result.stderr


# rent


def test_rent_json_shape(store_path: Path, account: SandboxAccount) -> None:
    number = first_available(account)
    output = run_json(store_path, "numbers", "rent", number.msisdn, "--yes")
    assert output == {
        "country": number.country,
        "msisdn": number.msisdn,
        "type": number.type.value,
        "features": [
            feature.value for feature in Feature if feature in number.features
        ],
        "cost": f"{number.cost:.2f}",
        "app_id": None,
    }


def test_rent_debits_balance(store_path: Path, account: SandboxAccount) -> None:
    number = first_available(account)
    before = account.balance()
    run_json(store_path, "numbers", "rent", number.msisdn, "--yes")
    assert account.balance() == before - number.cost


def test_rent_text(store_path: Path, account: SandboxAccount) -> None:
    number = first_available(account)
    result = run(store_path, "numbers", "rent", number.msisdn, "--yes")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"Rented {number.msisdn} ")
    assert f"Balance: {account.balance():.2f} EUR." in result.stdout


def test_rent_twice_rejected(store_path: Path, account: SandboxAccount) -> None:
    msisdn = first_available(account).msisdn
    run_json(store_path, "numbers", "rent", msisdn, "--yes")
    result = run(store_path, "numbers", "rent", msisdn, "--yes")
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {msisdn} is already rented by this account: find it in My numbers "
        "(F3) or `numdesk numbers list`.\n"
    )


def test_rent_needs_yes_without_terminal(
    store_path: Path, account: SandboxAccount
) -> None:
    msisdn = first_available(account).msisdn
    result = run(store_path, "numbers", "rent", msisdn)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ")
    assert "pass --yes" in result.stderr
    assert account.owned_numbers() == []


def test_rent_asks_with_balances(
    store_path: Path, account: SandboxAccount, terminal: None
) -> None:
    number = first_available(account)
    balance = account.balance()
    result = run(store_path, "numbers", "rent", number.msisdn, input="y\n")
    assert result.exit_code == 0
    assert f"costs {number.cost:.2f} EUR a month" in result.stderr
    assert f"Balance: {balance:.2f} EUR now" in result.stderr
    assert f"{balance - number.cost:.2f} EUR after" in result.stderr
    assert f"Rent {number.msisdn}? [y/N]" in result.stderr
    assert [owned.msisdn for owned in account.owned_numbers()] == [number.msisdn]


def test_rent_answer_no(
    store_path: Path, account: SandboxAccount, terminal: None
) -> None:
    msisdn = first_available(account).msisdn
    result = run(store_path, "numbers", "rent", msisdn, "--json", input="n\n")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "error: Nothing changed" in result.stderr
    assert account.owned_numbers() == []


def test_rent_end_of_input(
    store_path: Path, account: SandboxAccount, terminal: None
) -> None:
    msisdn = first_available(account).msisdn
    result = run(store_path, "numbers", "rent", msisdn, input="")
    assert result.exit_code == 1
    assert "error: No answer was given" in result.stderr
    assert account.owned_numbers() == []


def test_rent_out_of_balance(
    store_path: Path, account: SandboxAccount, terminal: None
) -> None:
    number = first_available(account, "DE", type=NumberType.TOLL_FREE)
    assert number.cost > account.balance()
    result = run(store_path, "numbers", "rent", number.msisdn)
    assert result.exit_code == 1
    missing = number.cost - account.balance()
    assert result.stderr == (
        f"error: Renting {number.msisdn} costs {number.cost:.2f} EUR a month but the "
        f"balance is {account.balance():.2f} EUR: add the missing {missing:.2f} EUR "
        f"with `numdesk sandbox add-credit {missing:.2f}`, or pick a cheaper number.\n"
    )
    assert account.owned_numbers() == []


@pytest.mark.parametrize(
    ("msisdn", "message"),
    [
        ("abc", "The value 'abc' contains no digits, so it is not a phone number."),
        ("0123456", "0123456 is a placeholder (the digits count in order), not a "),
        ("anonymous", "'anonymous' stands for a withheld caller ID, not a phone "),
        ("", "The number is empty. Give the number in Vonage form"),
        ("19999999999", "19999999999 is not a valid number for country code +1: no"),
    ],
)
def test_rent_rejects_msisdn(store_path: Path, msisdn: str, message: str) -> None:
    result = run(store_path, "numbers", "rent", msisdn, "--yes")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {message}")


def test_rent_reads_invalid_vonage_form_in_locale(
    store_path: Path, account: SandboxAccount
) -> None:
    national, msisdn = us_national_forms(account)[False]

    result = run(store_path, "numbers", "rent", national, "--yes")

    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"Rented {msisdn} ")
    assert result.stderr.startswith(f"Read {national!r} as {msisdn}: added")


def test_rent_region_option(store_path: Path, account: SandboxAccount) -> None:
    number = first_available(account)
    national = "0" + number.msisdn.removeprefix("44")

    result = run(store_path, "numbers", "rent", national, "--region", "GB", "--yes")

    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"Rented {number.msisdn} ")


def test_rent_invalid_vonage_form_says_why_alone(store_path: Path) -> None:
    result = run(store_path, "numbers", "rent", "19999999999", "--yes")

    assert result.exit_code == 1
    assert " ".join(result.stderr.split()) == (
        "error: 19999999999 is not a valid number for country code +1: no range in "
        "use there matches it."
    )


def test_rent_names_the_locale_reading_not_offered(
    store_path: Path, account: SandboxAccount
) -> None:
    national, msisdn = us_national_forms(account)[True]

    result = run(store_path, "numbers", "rent", national, "--yes")

    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {national} is not available")
    assert (
        f"Read in US, the default region, as your locale names none, {national!r} "
        f"is {msisdn}: give that if you meant it." in " ".join(result.stderr.split())
    )
    assert account.owned_numbers() == []


# list


def test_list_json_shape(store_path: Path, account: SandboxAccount) -> None:
    number = account.rent(first_available(account).msisdn)
    app_id = make_application(account)
    account.link(number.msisdn, app_id)
    output = run_json(store_path, "numbers", "list")
    assert output["count"] == 1
    assert set(output["numbers"][0]) == NUMBER_KEYS | {"app_id"}
    assert output["numbers"][0]["msisdn"] == number.msisdn
    assert output["numbers"][0]["app_id"] == app_id


def test_list_json_empty(store_path: Path) -> None:
    assert run_json(store_path, "numbers", "list") == {"count": 0, "numbers": []}


def test_list_text_names_application(store_path: Path, account: SandboxAccount) -> None:
    number = account.rent(first_available(account).msisdn)
    app_id = make_application(account, "Front desk")
    account.link(number.msisdn, app_id)
    result = run(store_path, "numbers", "list")
    assert result.exit_code == 0
    assert f"Front desk ({app_id})" in result.stdout
    assert result.stdout.endswith("1 number\n")


def test_list_text_empty(store_path: Path) -> None:
    result = run(store_path, "numbers", "list")
    assert result.stdout.startswith("This account rents no numbers")


# cancel


def test_cancel_returns_number(store_path: Path, account: SandboxAccount) -> None:
    msisdn = account.rent(first_available(account).msisdn).msisdn
    output = run_json(store_path, "numbers", "cancel", msisdn, "--yes")
    assert output["msisdn"] == msisdn
    assert account.owned_numbers() == []
    assert account.available_number(msisdn).msisdn == msisdn


def test_cancel_needs_yes(store_path: Path, account: SandboxAccount) -> None:
    msisdn = account.rent(first_available(account).msisdn).msisdn
    result = run(store_path, "numbers", "cancel", msisdn)
    assert result.exit_code == 1
    assert "pass --yes" in result.stderr
    assert len(account.owned_numbers()) == 1


def test_cancel_mentions_link(
    store_path: Path, account: SandboxAccount, terminal: None
) -> None:
    number = account.rent(first_available(account).msisdn)
    msisdn = number.msisdn
    app_id = make_application(account, "Front desk")
    account.link(msisdn, app_id)
    result = run(store_path, "numbers", "cancel", msisdn, input="n\n")
    assert (
        f"It goes back to the inventory, where anyone can rent it, and its monthly "
        f"cost of {number.cost:.2f} EUR is not refunded. Calls to it stop reaching "
        f"'Front desk' ({app_id})." in result.stderr
    )
    assert result.exit_code == 1
    assert len(account.owned_numbers()) == 1


def test_cancel_not_owned(store_path: Path, account: SandboxAccount) -> None:
    msisdn = first_available(account).msisdn
    result = run(store_path, "numbers", "cancel", msisdn, "--yes")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: This account does not own {msisdn}")


@pytest.mark.parametrize(
    ("country", "pattern", "hint"),
    [
        ("US", "415", "code 1: try the pattern 1415."),
        ("GB", "07301", "code 44, without the trunk prefix 0: try the pattern 447301."),
    ],
)
def test_search_hints_country_code(
    store_path: Path, country: str, pattern: str, hint: str
) -> None:
    result = run(store_path, "numbers", "search", country, "--pattern", pattern)
    assert result.exit_code == 0
    assert " ".join(result.stdout.split()) == (
        f"No numbers in {find_country(country).name} ({country}) match 'starts with "
        f"{pattern}'. Numbers start with the country {hint}"
    )


# link and unlink


@pytest.fixture
def owned_msisdn(account: SandboxAccount) -> str:
    return account.rent(first_available(account).msisdn).msisdn


def test_link_json(
    store_path: Path, account: SandboxAccount, owned_msisdn: str
) -> None:
    app_id = make_application(account)
    output = run_json(store_path, "numbers", "link", owned_msisdn, app_id)
    assert output["app_id"] == app_id
    assert account.owned_number(owned_msisdn).app_id == app_id


def test_link_text(
    store_path: Path, account: SandboxAccount, owned_msisdn: str
) -> None:
    app_id = make_application(account)
    result = run(store_path, "numbers", "link", owned_msisdn, app_id)
    assert result.stdout == f"Linked {owned_msisdn} to 'Support' ({app_id}).\n"


def test_link_by_id_prefix(
    store_path: Path, account: SandboxAccount, owned_msisdn: str
) -> None:
    app_id = make_application(account)
    output = run_json(store_path, "numbers", "link", owned_msisdn, app_id[:8])
    assert output["app_id"] == app_id
    assert account.owned_number(owned_msisdn).app_id == app_id


def test_relink_needs_yes(
    store_path: Path, account: SandboxAccount, owned_msisdn: str
) -> None:
    first = make_application(account, "First")
    second = make_application(account, "Second")
    account.link(owned_msisdn, first)
    result = run(store_path, "numbers", "link", owned_msisdn, second)
    assert result.exit_code == 1
    assert f"is linked to 'First' ({first})" in result.stderr
    assert "pass --yes" in result.stderr
    assert account.owned_number(owned_msisdn).app_id == first


def test_relink_with_yes(
    store_path: Path, account: SandboxAccount, owned_msisdn: str
) -> None:
    first = make_application(account, "First")
    second = make_application(account, "Second")
    account.link(owned_msisdn, first)
    output = run_json(store_path, "numbers", "link", owned_msisdn, second, "--yes")
    assert output["app_id"] == second
    assert account.owned_numbers(first) == []


def test_relink_asks(
    store_path: Path, account: SandboxAccount, owned_msisdn: str, terminal: None
) -> None:
    first = make_application(account, "First")
    second = make_application(account, "Second")
    account.link(owned_msisdn, first)
    result = run(store_path, "numbers", "link", owned_msisdn, second, input="y\n")
    assert result.exit_code == 0
    assert f"Relink {owned_msisdn}? [y/N]" in result.stderr
    assert account.owned_number(owned_msisdn).app_id == second


def test_link_same_app_asks_nothing(
    store_path: Path, account: SandboxAccount, owned_msisdn: str
) -> None:
    app_id = make_application(account)
    account.link(owned_msisdn, app_id)
    result = run(store_path, "numbers", "link", owned_msisdn, app_id)
    assert result.exit_code == 0
    assert result.stderr == ""


def test_link_without_voice(store_path: Path, account: SandboxAccount) -> None:
    page = account.search(
        SearchQuery(
            country="AT", type=NumberType.MOBILE, features=frozenset({Feature.SMS})
        )
    )
    sms_only = [number for number in page.items if not number.has_voice]
    assert sms_only, "the sandbox has SMS-only mobile numbers in AT"
    msisdn = account.rent(sms_only[0].msisdn).msisdn
    result = run(store_path, "numbers", "link", msisdn, make_application(account))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {msisdn} has no VOICE feature")
    assert account.owned_number(msisdn).app_id is None


def test_link_unknown_app(store_path: Path, owned_msisdn: str) -> None:
    result = run(store_path, "numbers", "link", owned_msisdn, "no-such-app")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: No application has the id 'no-such-app'")


def test_unlink_clears_app(
    store_path: Path, account: SandboxAccount, owned_msisdn: str
) -> None:
    app_id = make_application(account)
    account.link(owned_msisdn, app_id)
    result = run(store_path, "numbers", "unlink", owned_msisdn)
    assert result.exit_code == 0
    assert result.stdout == f"Unlinked {owned_msisdn} from 'Support' ({app_id}).\n"
    assert account.owned_number(owned_msisdn).app_id is None


def test_unlink_json(
    store_path: Path, account: SandboxAccount, owned_msisdn: str
) -> None:
    account.link(owned_msisdn, make_application(account))
    output = run_json(store_path, "numbers", "unlink", owned_msisdn)
    assert output["app_id"] is None


def test_unlink_not_linked(store_path: Path, owned_msisdn: str) -> None:
    result = run(store_path, "numbers", "unlink", owned_msisdn)
    assert result.exit_code == 0
    assert result.stdout == f"{owned_msisdn} was not linked to an application.\n"


def test_balance_unchanged_by_link(
    store_path: Path, account: SandboxAccount, owned_msisdn: str
) -> None:
    before = account.balance()
    run_json(store_path, "numbers", "link", owned_msisdn, make_application(account))
    assert account.balance() == before


@pytest.mark.parametrize("name", ["mobile", "MOBILE", "mobile-lvn"])
def test_search_type_by_label(store_path: Path, name: str) -> None:
    result = run_json(store_path, "numbers", "search", "GB", "--type", name)

    assert {number["type"] for number in result["numbers"]} == {"mobile-lvn"}


def test_search_table_shows_type_labels(store_path: Path) -> None:
    result = run(store_path, "numbers", "search", "GB", "--type", "toll-free")

    rows = [line.split() for line in result.stdout.splitlines()[1:]]
    rows = [row for row in rows if row[1:2] == ["GB"]]
    assert rows
    assert all(row[2] == "toll-free" for row in rows)


def test_search_unknown_type_lists_names(store_path: Path) -> None:
    result = run(store_path, "numbers", "search", "GB", "--type", "cell")

    assert result.exit_code == 2
    assert "'landline', 'mobile', 'toll-free'" in result.stderr
