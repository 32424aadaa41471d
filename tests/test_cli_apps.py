"""`numdesk apps`, run in-process through click's CliRunner on a fresh store."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain.applications import ApplicationDraft, HttpMethod
from domain.numbers import SearchQuery
from store.account import SandboxAccount
from tests.cli_runner import run, run_json

APPLICATION_KEYS = {
    "id",
    "name",
    "answer_url",
    "answer_method",
    "event_url",
    "event_method",
    "fallback_answer_url",
    "fallback_answer_method",
    "numbers",
}
WEBHOOKS = [
    "--answer-url",
    "https://example.com/answer",
    "--event-url",
    "https://example.com/event",
]


def make_application(account: SandboxAccount, name: str = "Support") -> str:
    draft = ApplicationDraft(
        name=name,
        answer_url="https://example.com/answer",
        event_url="https://example.com/event",
        fallback_answer_url="https://example.com/fallback",
    )
    return account.create_application(draft).id


def rent_numbers(account: SandboxAccount, count: int) -> list[str]:
    page = account.search(SearchQuery(country="GB", size=count))
    return [account.rent(number.msisdn).msisdn for number in page.items]


# create


def test_create_json_shape(store_path: Path, account: SandboxAccount) -> None:
    output = run_json(store_path, "apps", "create", "Support", *WEBHOOKS)
    assert set(output) == APPLICATION_KEYS
    assert output["name"] == "Support"
    assert output["answer_url"] == "https://example.com/answer"
    assert output["event_url"] == "https://example.com/event"
    assert output["numbers"] == []
    assert account.application(output["id"]).name == "Support"


def test_create_default_methods(store_path: Path) -> None:
    output = run_json(store_path, "apps", "create", "Support", *WEBHOOKS)
    assert output["answer_method"] == "GET"
    assert output["event_method"] == "POST"
    assert output["fallback_answer_url"] is None


def test_create_warns_of_local_webhook(store_path: Path) -> None:
    result = run(
        store_path,
        "apps",
        "create",
        "Dev",
        "--answer-url",
        "http://localhost:3000/answer",
        "--event-url",
        "https://example.com/event",
    )

    assert result.exit_code == 0
    assert result.stderr.startswith(
        "warning: The answer_url host localhost is not reachable from the internet"
    )


def test_create_all_options(store_path: Path) -> None:
    output = run_json(
        store_path,
        "apps",
        "create",
        "Support",
        *WEBHOOKS,
        "--answer-method",
        "post",
        "--event-method",
        "GET",
        "--fallback-answer-url",
        "https://example.com/fallback",
        "--fallback-answer-method",
        "POST",
    )
    assert output["answer_method"] == "POST"
    assert output["event_method"] == "GET"
    assert output["fallback_answer_url"] == "https://example.com/fallback"
    assert output["fallback_answer_method"] == "POST"


def test_create_text(store_path: Path) -> None:
    result = run(store_path, "apps", "create", "Support", *WEBHOOKS)
    lines = result.stdout.splitlines()
    assert result.exit_code == 0
    assert lines[0].startswith("Created 'Support' (")
    assert "answer           GET https://example.com/answer" in lines


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["  ", *WEBHOOKS], "The application name is missing"),
        (
            ["Support", "--answer-url", "ftp://x", "--event-url", "https://x.test"],
            "The answer_url 'ftp://x' is not http or https",
        ),
        (
            ["Support", "--answer-url", "https://x.test", "--event-url", "x.test/e"],
            "The event_url 'x.test/e' is not http or https",
        ),
        (
            [*["Support", *WEBHOOKS], "--fallback-answer-url", "https:///x"],
            "The fallback_answer_url 'https:///x' has no host",
        ),
        (["bad\x1bname", *WEBHOOKS], "The application name contains control"),
    ],
)
def test_create_rejects_input(
    store_path: Path, account: SandboxAccount, arguments: list[str], message: str
) -> None:
    result = run(store_path, "apps", "create", *arguments)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {message}")
    assert account.applications() == []


@pytest.mark.parametrize(
    "arguments",
    [
        ["Support"],
        ["Support", "--answer-url", "https://x.test"],
        ["Support", *WEBHOOKS, "--answer-method", "PUT"],
    ],
)
def test_create_usage_errors(store_path: Path, arguments: list[str]) -> None:
    result = run(store_path, "apps", "create", *arguments)
    assert result.exit_code == 2


# list and show


def test_list_json_with_numbers(store_path: Path, account: SandboxAccount) -> None:
    linked = make_application(account, "Linked")
    make_application(account, "Empty")
    msisdns = rent_numbers(account, 2)
    for msisdn in msisdns:
        account.link(msisdn, linked)
    output = run_json(store_path, "apps", "list")
    numbers_by_name = {
        application["name"]: application["numbers"]
        for application in output["applications"]
    }
    assert output["count"] == 2
    assert numbers_by_name == {"Empty": [], "Linked": sorted(msisdns)}
    for application in output["applications"]:
        assert set(application) == APPLICATION_KEYS


def test_list_json_empty(store_path: Path) -> None:
    assert run_json(store_path, "apps", "list") == {"count": 0, "applications": []}


def test_list_text(store_path: Path, account: SandboxAccount) -> None:
    app_id = make_application(account)
    [msisdn] = rent_numbers(account, 1)
    account.link(msisdn, app_id)
    result = run(store_path, "apps", "list")
    header, row, count = result.stdout.splitlines()
    assert header.split() == ["ID", "NAME", "NUMBERS", "ANSWER"]
    assert count == "1 application"
    assert row.split() == [
        app_id,
        "Support",
        msisdn,
        "GET",
        "https://example.com/answer",
    ]


def test_list_text_empty(store_path: Path) -> None:
    result = run(store_path, "apps", "list")
    assert result.stdout.startswith("This account has no applications")


def test_show_json(store_path: Path, account: SandboxAccount) -> None:
    app_id = make_application(account)
    [msisdn] = rent_numbers(account, 1)
    account.link(msisdn, app_id)
    output = run_json(store_path, "apps", "show", app_id)
    assert output["id"] == app_id
    assert output["numbers"] == [msisdn]
    assert output["fallback_answer_url"] == "https://example.com/fallback"


def test_show_text(store_path: Path, account: SandboxAccount) -> None:
    app_id = make_application(account)
    result = run(store_path, "apps", "show", app_id)
    assert result.stdout.splitlines() == [
        f"id               {app_id}",
        "name             Support",
        "answer           GET https://example.com/answer",
        "event            POST https://example.com/event",
        "fallback answer  GET https://example.com/fallback",
        "numbers          -",
    ]


PASSWORD_DRAFT = ApplicationDraft(
    name="Basic auth",
    answer_url="https://ann:s3cret@example.com/answer",
    event_url="https://ann:s3cret@example.com/event",
    fallback_answer_url="https://ann:s3cret@example.com/fallback",
)


def test_list_and_show_hide_passwords(
    store_path: Path, account: SandboxAccount
) -> None:
    app_id = account.create_application(PASSWORD_DRAFT).id

    list_result = run(store_path, "apps", "list")
    show_result = run(store_path, "apps", "show", app_id)

    assert "GET https://ann:***@example.com/answer" in list_result.stdout
    assert show_result.stdout.splitlines()[2:5] == [
        "answer           GET https://ann:***@example.com/answer",
        "event            POST https://ann:***@example.com/event",
        "fallback answer  GET https://ann:***@example.com/fallback",
    ]
    assert "s3cret" not in list_result.stdout + show_result.stdout


def test_json_keeps_passwords(store_path: Path, account: SandboxAccount) -> None:
    app_id = account.create_application(PASSWORD_DRAFT).id

    output = run_json(store_path, "apps", "show", app_id)

    assert output["answer_url"] == "https://ann:s3cret@example.com/answer"


def test_show_unknown(store_path: Path) -> None:
    result = run(store_path, "apps", "show", "missing")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: No application has the id 'missing'")


def test_show_escapes_bidi_name(store_path: Path, account: SandboxAccount) -> None:
    app_id = make_application(account, "evil\u202ename")
    text = run(store_path, "apps", "show", app_id).stdout
    output = run_json(store_path, "apps", "show", app_id)
    assert "name             evil\\u202ename" in text.splitlines()
    assert "\u202e" not in run(store_path, "apps", "show", app_id, "--json").stdout
    assert output["name"] == "evil\u202ename"


# update


def test_update_changes_only_given(store_path: Path, account: SandboxAccount) -> None:
    app_id = make_application(account)
    output = run_json(
        store_path, "apps", "update", app_id, "--name", "Sales", "--event-method", "get"
    )
    assert output["name"] == "Sales"
    assert output["event_method"] == "GET"
    assert output["answer_url"] == "https://example.com/answer"
    assert output["fallback_answer_url"] == "https://example.com/fallback"
    assert account.application(app_id).event_method == HttpMethod.GET


def test_update_removes_fallback(store_path: Path, account: SandboxAccount) -> None:
    app_id = make_application(account)
    output = run_json(store_path, "apps", "update", app_id, "--fallback-answer-url", "")
    assert output["fallback_answer_url"] is None
    assert account.application(app_id).fallback_answer_url is None


def test_update_to_same_values(store_path: Path, account: SandboxAccount) -> None:
    app_id = make_application(account)
    entries_before = len(account.history())

    result = run(store_path, "apps", "update", app_id, "--name", "Support")

    assert result.exit_code == 0
    assert result.stdout == (
        f"Nothing changed: 'Support' ({app_id}) has these values already.\n"
    )
    assert len(account.history()) == entries_before


def test_update_keeps_links(store_path: Path, account: SandboxAccount) -> None:
    app_id = make_application(account)
    [msisdn] = rent_numbers(account, 1)
    account.link(msisdn, app_id)
    output = run_json(store_path, "apps", "update", app_id, "--name", "Sales")
    assert output["numbers"] == [msisdn]


def test_update_rejects_url(store_path: Path, account: SandboxAccount) -> None:
    app_id = make_application(account)
    result = run(store_path, "apps", "update", app_id, "--answer-url", "nope")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: The answer_url 'nope' is not http")
    assert account.application(app_id).answer_url == "https://example.com/answer"


def test_update_without_fields(store_path: Path, account: SandboxAccount) -> None:
    app_id = make_application(account)
    entries_before = len(account.history())

    result = run(store_path, "apps", "update", app_id)

    assert result.exit_code == 2
    assert "Nothing to change: give the fields to change" in result.stderr
    assert len(account.history()) == entries_before


def test_update_unknown(store_path: Path) -> None:
    result = run(store_path, "apps", "update", "missing", "--name", "x")
    assert result.exit_code == 1


# delete


def test_delete_unlinks_numbers(store_path: Path, account: SandboxAccount) -> None:
    app_id = make_application(account)
    msisdns = rent_numbers(account, 2)
    for msisdn in msisdns:
        account.link(msisdn, app_id)
    output = run_json(store_path, "apps", "delete", app_id, "--yes")
    assert output["id"] == app_id
    assert sorted(output["unlinked"]) == sorted(msisdns)
    assert account.applications() == []
    assert [number.app_id for number in account.owned_numbers()] == [None, None]


def test_delete_text_lists_unlinked(store_path: Path, account: SandboxAccount) -> None:
    app_id = make_application(account)
    [msisdn] = rent_numbers(account, 1)
    account.link(msisdn, app_id)
    result = run(store_path, "apps", "delete", app_id, "--yes")
    assert result.stdout == (
        f"Deleted 'Support' ({app_id}) and unlinked 1 number: {msisdn}.\n"
    )


def test_delete_needs_yes(store_path: Path, account: SandboxAccount) -> None:
    app_id = make_application(account)
    result = run(store_path, "apps", "delete", app_id)
    assert result.exit_code == 1
    assert "unlinks 0 numbers" in result.stderr
    assert "pass --yes" in result.stderr
    assert account.application(app_id).id == app_id


def test_delete_asks(
    store_path: Path, account: SandboxAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("cli.confirm.stdin_is_terminal", lambda: True)
    app_id = make_application(account)
    result = run(store_path, "apps", "delete", app_id, input="y\n")
    assert result.exit_code == 0
    assert "Delete 'Support'? [y/N]" in result.stderr
    assert account.applications() == []


def test_delete_unknown(store_path: Path) -> None:
    result = run(store_path, "apps", "delete", "missing", "--yes")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: No application has the id 'missing'")


def test_method_choices_upper_case(store_path: Path) -> None:
    result = run(
        store_path, "apps", "create", "Sales", *WEBHOOKS, "--answer-method", "PUT"
    )

    assert result.exit_code == 2
    assert "'PUT' is not one of 'GET', 'POST'" in result.stderr
