"""`numdesk numbers import`, run in-process through click's CliRunner on a fresh store."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import phonenumbers
import pytest

from cli import confirm
from cli.importing import MAX_LISTED_PROBLEMS
from domain.applications import ApplicationDraft
from domain.e164 import FormatStatus, vonage_format
from domain.numbers import AvailableNumber, Feature, NumberType, SearchQuery
from store.account import SandboxAccount
from tests.cli_runner import run, run_json

NUMBER_KEYS = {"country", "msisdn", "type", "features", "cost", "app_id"}


def voice_numbers(account: SandboxAccount, count: int) -> list[AvailableNumber]:
    query = SearchQuery(country="GB", features=frozenset({Feature.VOICE}), size=count)
    return list(account.search(query).items)


def sms_only_number(account: SandboxAccount) -> AvailableNumber:
    """Return an Austrian mobile, which the sandbox offers with SMS only."""
    query = SearchQuery(country="AT", type=NumberType.MOBILE, size=1)
    number = account.search(query).items[0]
    assert not number.has_voice
    return number


def make_application(account: SandboxAccount, name: str = "Sales") -> str:
    draft = ApplicationDraft(
        name=name,
        answer_url="https://example.com/answer",
        event_url="https://example.com/event",
    )
    return account.create_application(draft).id


def owned_msisdns(account: SandboxAccount) -> list[str]:
    return [number.msisdn for number in account.owned_numbers()]


def international_form(msisdn: str) -> str:
    """Return the number as people paste it, such as `+44 113 014 5618`."""
    parsed = phonenumbers.parse(f"+{msisdn}")
    return phonenumbers.format_number(
        parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )


def national_form(msisdn: str) -> str:
    """Return the number as written inside its country, such as `0113 014 5618`."""
    parsed = phonenumbers.parse(f"+{msisdn}")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let the command ask its question, as if stdin were a terminal."""
    monkeypatch.setattr(confirm, "stdin_is_terminal", lambda: True)


# Text and CSV files


def test_import_text_rents_each(
    store_path: Path, account: SandboxAccount, tmp_path: Path
) -> None:
    first, second = voice_numbers(account, 2)
    text = f"# numbers for the Leeds office\n{first.msisdn}\n\n  {second.msisdn}  \n"
    file = write(tmp_path, "numbers.txt", text)

    result = run(store_path, "numbers", "import", file, "--yes")

    assert result.exit_code == 0, result.stderr
    assert owned_msisdns(account) == sorted([first.msisdn, second.msisdn])
    assert result.stdout.splitlines() == [
        f"Rented {first.msisdn} for {first.cost:.2f} EUR a month.",
        f"Rented {second.msisdn} for {second.cost:.2f} EUR a month.",
        f"Balance: {Decimal('10.00') - first.cost - second.cost:.2f} EUR.",
    ]
    assert account.owned_number(first.msisdn).app_id is None


@pytest.mark.parametrize("column", ["msisdn", "number", "MSISDN", " Number "])
def test_import_csv_number_column(
    store_path: Path, account: SandboxAccount, tmp_path: Path, column: str
) -> None:
    first, second = voice_numbers(account, 2)
    text = f"name,{column}\nLeeds,{first.msisdn}\n,,\nYork,{second.msisdn}\n"
    file = write(tmp_path, "numbers.csv", text)

    result = run(store_path, "numbers", "import", file, "--yes")

    assert result.exit_code == 0, result.stderr
    assert owned_msisdns(account) == sorted([first.msisdn, second.msisdn])


def test_import_csv_app_id_column(
    store_path: Path, account: SandboxAccount, tmp_path: Path
) -> None:
    first, second, third = voice_numbers(account, 3)
    sales = make_application(account, "Sales")
    support = make_application(account, "Support")
    text = (
        "msisdn,app_id\n"
        f"{first.msisdn},{sales}\n"
        f"{second.msisdn},{support[:8]}\n"
        f"{third.msisdn},\n"
    )
    file = write(tmp_path, "numbers.csv", text)

    result = run(store_path, "numbers", "import", file, "--app", sales, "--yes")

    assert result.exit_code == 0, result.stderr
    assert account.owned_number(first.msisdn).app_id == sales
    assert account.owned_number(second.msisdn).app_id == support
    assert account.owned_number(third.msisdn).app_id == sales
    assert f"linked to 'Support' ({support})" in result.stdout


def test_import_national_form_names_locale(
    store_path: Path, account: SandboxAccount, tmp_path: Path
) -> None:
    number = account.search(SearchQuery(country="GB", size=1)).items[0]
    national = "0" + number.msisdn.removeprefix("44")
    file = write(tmp_path, "numbers.txt", f"{national}\n")
    locale = {"LC_ALL": "", "LC_TELEPHONE": "", "LANG": "en_GB.UTF-8"}

    result = run(store_path, "numbers", "import", file, "--yes", environment=locale)

    assert result.exit_code == 0, result.stderr
    assert "of GB, the region of your locale" in result.stderr


def test_import_takes_vonage_form_as_given(
    store_path: Path, account: SandboxAccount, tmp_path: Path
) -> None:
    # Belgian numbers such as 3212340043 read as US numbers, +1 321-234-0043, in
    # the locale's region: a msisdn column must still rent the number listed.
    belgian = [
        number.msisdn
        for number in account.search(SearchQuery(country="BE", size=50)).items
        if vonage_format(number.msisdn, "US").e164 != number.msisdn
    ][:2]
    file = write(tmp_path, "numbers.csv", "msisdn\n" + "\n".join(belgian) + "\n")

    result = run(store_path, "numbers", "import", file, "--yes")

    assert result.exit_code == 0, result.stderr
    assert len(belgian) == 2
    assert owned_msisdns(account) == sorted(belgian)
    assert result.stderr == ""


def us_national_forms(account: SandboxAccount) -> dict[bool, tuple[str, str]]:
    """Map whether a US number's 10 digits are valid in Vonage form to (them, msisdn).

    2015025997 is a valid Egyptian number in Vonage form, and 2012017333 is not valid.
    """
    forms: dict[bool, tuple[str, str]] = {}
    for index in range(1, 51):
        query = SearchQuery(country="US", size=100, index=index)
        for number in account.search(query).items:
            national = number.msisdn.removeprefix("1")
            valid = vonage_format(national).status is FormatStatus.VALID
            forms.setdefault(valid, (national, number.msisdn))
        if len(forms) == 2:
            break
    return forms


def test_import_reads_invalid_vonage_form_in_locale(
    store_path: Path, account: SandboxAccount, tmp_path: Path
) -> None:
    national, msisdn = us_national_forms(account)[False]
    file = write(tmp_path, "numbers.txt", f"{national}\n")

    result = run(store_path, "numbers", "import", file, "--yes")

    assert result.exit_code == 0, result.stderr
    assert owned_msisdns(account) == [msisdn]
    assert result.stderr.startswith(
        f"line 1: read {national!r} as {msisdn}: added the country code 1 of US, "
        "the default region, as your locale names none"
    )


def test_import_names_the_locale_reading_not_offered(
    store_path: Path, account: SandboxAccount, tmp_path: Path
) -> None:
    national, msisdn = us_national_forms(account)[True]
    file = write(tmp_path, "numbers.txt", f"{national}\n")

    result = run(store_path, "numbers", "import", file, "--yes")

    assert result.exit_code == 1
    assert (
        f"line 1: {national} is not available: it was rented or removed since the "
        "search, or was never offered. Search again and pick another number. Read in "
        f"US, the default region, as your locale names none, {national!r} is {msisdn}: "
        "give that if you meant it." in " ".join(result.stderr.split())
    )
    assert owned_msisdns(account) == []


@pytest.mark.parametrize(
    ("name", "header", "separator"),
    [
        ("numbers.csv", "MSISDN ,App ID", ","),
        ("numbers.tsv", "msisdn\tapp-id", "\t"),
        # A spreadsheet's "Text (Tab delimited)" export, named .txt.
        ("numbers.txt", "Number\tAPP_ID", "\t"),
    ],
)
def test_import_header_variants(
    store_path: Path,
    account: SandboxAccount,
    tmp_path: Path,
    name: str,
    header: str,
    separator: str,
) -> None:
    (number,) = voice_numbers(account, 1)
    app_id = make_application(account)
    file = write(tmp_path, name, f"{header}\n{number.msisdn}{separator}{app_id}\n")

    result = run(store_path, "numbers", "import", file, "--yes")

    assert result.exit_code == 0, result.stderr
    assert account.owned_number(number.msisdn).app_id == app_id


def test_import_region_option(
    store_path: Path, account: SandboxAccount, tmp_path: Path
) -> None:
    number = account.search(SearchQuery(country="GB", size=1)).items[0]
    national = "0" + number.msisdn.removeprefix("44")
    file = write(tmp_path, "numbers.txt", f"{national}\n")

    in_locale = run(store_path, "numbers", "import", file, "--yes")
    with_region = run(store_path, "numbers", "import", file, "--region", "GB", "--yes")

    assert in_locale.exit_code == 1
    assert "or the region it is written in with --region" in " ".join(
        in_locale.stderr.split()
    )
    assert with_region.exit_code == 0, with_region.stderr
    assert "added the country code 44 of GB, the region given" in with_region.stderr
    assert owned_msisdns(account) == [number.msisdn]


def test_import_semicolon_csv(
    store_path: Path, account: SandboxAccount, tmp_path: Path
) -> None:
    first, second = voice_numbers(account, 2)
    sales = make_application(account, "Sales")
    text = f"msisdn;app_id\n{first.msisdn};{sales}\n{second.msisdn};\n"
    file = write(tmp_path, "numbers.csv", text)

    result = run(store_path, "numbers", "import", file, "--yes")

    assert result.exit_code == 0, result.stderr
    assert account.owned_number(first.msisdn).app_id == sales
    assert account.owned_number(second.msisdn).app_id is None


def test_import_csv_without_app_id_column(
    store_path: Path, account: SandboxAccount, tmp_path: Path
) -> None:
    (number,) = voice_numbers(account, 1)
    file = write(tmp_path, "numbers.csv", f"msisdn\n{number.msisdn}\n")

    result = run(store_path, "numbers", "import", file, "--yes")

    assert result.exit_code == 0, result.stderr
    assert account.owned_number(number.msisdn).app_id is None


def test_import_csv_no_number_column(
    store_path: Path, account: SandboxAccount, tmp_path: Path
) -> None:
    (number,) = voice_numbers(account, 1)
    file = write(tmp_path, "numbers.csv", f"phone,app_id\n{number.msisdn},\n")

    result = run(store_path, "numbers", "import", file, "--yes")

    assert result.exit_code == 1
    assert "no column 'msisdn' or 'number'" in result.stderr
    assert "'phone', 'app_id'" in result.stderr
    assert owned_msisdns(account) == []


def test_import_csv_broken_row(
    store_path: Path, account: SandboxAccount, tmp_path: Path
) -> None:
    (number,) = voice_numbers(account, 1)
    # The csv module rejects a cell over its field size limit, 131,072 characters.
    huge_cell = "9" * 200_000
    file = write(tmp_path, "numbers.csv", f"msisdn\n{number.msisdn}\n{huge_cell}\n")

    result = run(store_path, "numbers", "import", file, "--yes")

    assert result.exit_code == 1
    assert "Line 3 of the CSV input is not valid CSV" in result.stderr
    assert owned_msisdns(account) == []


def test_import_csv_unclosed_quote_rents_nothing(
    store_path: Path, account: SandboxAccount, tmp_path: Path
) -> None:
    first, second, third = voice_numbers(account, 3)
    text = f'msisdn,note\n{first.msisdn},"VIP\n{second.msisdn},\n{third.msisdn},\n'
    file = write(tmp_path, "numbers.csv", text)

    result = run(store_path, "numbers", "import", file, "--yes")

    assert result.exit_code == 1
    assert "Lines 2 to 4 of the CSV input read as one row" in result.stderr
    assert "a quote on line 2 is probably never closed. Nothing was rented." in (
        result.stderr
    )
    assert owned_msisdns(account) == []


def test_import_utf16_rents_nothing(
    store_path: Path, account: SandboxAccount, tmp_path: Path
) -> None:
    (number,) = voice_numbers(account, 1)
    path = tmp_path / "numbers.csv"
    path.write_text(f"msisdn\n{number.msisdn}\n", encoding="utf-16")

    result = run(store_path, "numbers", "import", str(path), "--yes")

    assert result.exit_code == 1
    assert "NUL character, which UTF-8 text never has" in result.stderr
    assert owned_msisdns(account) == []


def test_import_stdin(store_path: Path, account: SandboxAccount) -> None:
    first, second = voice_numbers(account, 2)

    result = run(
        store_path,
        "numbers",
        "import",
        "-",
        "--yes",
        input=f"{first.msisdn}\n{second.msisdn}\n",
    )

    assert result.exit_code == 0, result.stderr
    assert owned_msisdns(account) == sorted([first.msisdn, second.msisdn])


# Pasted forms


@pytest.mark.parametrize(
    ("form", "locale", "change"),
    [
        (international_form, "C.UTF-8", "removed the +"),
        (lambda msisdn: f"00{msisdn}", "C.UTF-8", "removed the international"),
        (lambda msisdn: f"+{msisdn}", "C.UTF-8", "removed the +"),
        (national_form, "en_GB.UTF-8", "added the country code 44"),
    ],
    ids=["international", "access-code", "plus", "national"],
)
def test_import_pasted_form_fixed(
    store_path: Path,
    account: SandboxAccount,
    form: Callable[[str], str],
    locale: str,
    change: str,
) -> None:
    (number,) = voice_numbers(account, 1)
    pasted = form(number.msisdn)

    result = run(
        store_path,
        "numbers",
        "import",
        "-",
        "--yes",
        input=f"{pasted}\n",
        environment={"LC_ALL": locale},
    )

    assert result.exit_code == 0, result.stderr
    assert owned_msisdns(account) == [number.msisdn]
    assert f"line 1: read {pasted!r} as {number.msisdn}: " in result.stderr
    assert change in result.stderr


# Problems: nothing is rented


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        (
            "anonymous",
            "'anonymous' stands for a withheld caller ID, not a phone number.",
        ),
        ("12", "12 has only 2 digits, too few for a phone number."),
        ("call me", "The value 'call me' contains no digits, so it is not a phone"),
        ("14155559999999", "14155559999999 is too long for country code +1"),
    ],
)
def test_import_bad_line(
    store_path: Path,
    account: SandboxAccount,
    tmp_path: Path,
    bad: str,
    reason: str,
) -> None:
    first, second = voice_numbers(account, 2)
    file = write(tmp_path, "numbers.txt", f"{first.msisdn}\n{bad}\n{second.msisdn}\n")
    history_before = len(account.history())

    result = run(store_path, "numbers", "import", file, "--yes")

    assert result.exit_code == 1
    problems = [line for line in result.stderr.splitlines() if line.startswith("line")]
    assert len(problems) == 1
    assert problems[0].startswith(f"line 2: {reason}")
    assert (
        "error: Nothing was rented, because of 1 problem listed above: fix it and "
        "import again."
    ) in result.stderr
    assert result.stdout == ""
    assert owned_msisdns(account) == []
    assert len(account.history()) == history_before
    assert account.balance() == Decimal("10.00")


def test_import_lists_every_problem(
    store_path: Path, account: SandboxAccount, tmp_path: Path
) -> None:
    first, second = voice_numbers(account, 2)
    account.rent(second.msisdn)
    lines = [first.msisdn, "anonymous", second.msisdn, first.msisdn, "14155559999"]
    file = write(tmp_path, "numbers.txt", "\n".join(lines) + "\n")

    result = run(store_path, "numbers", "import", file, "--yes")

    problems = [line for line in result.stderr.splitlines() if line.startswith("line")]
    assert result.exit_code == 1
    assert [problem.split(":")[0] for problem in problems] == [
        "line 2",
        "line 3",
        "line 4",
        "line 5",
    ]
    assert "already rented" in problems[1]
    assert f"{first.msisdn} is also on line 1" in problems[2]
    assert "14155559999 is not available" in problems[3]
    assert "because of 4 problems listed above: fix them" in result.stderr
    assert owned_msisdns(account) == [second.msisdn]


def test_import_lists_first_problems_and_counts_all(
    store_path: Path, account: SandboxAccount, tmp_path: Path
) -> None:
    file = write(tmp_path, "numbers.txt", "12\n" * (MAX_LISTED_PROBLEMS + 25))

    result = run(store_path, "numbers", "import", file, "--yes")

    problems = [line for line in result.stderr.splitlines() if line.startswith("line")]
    assert result.exit_code == 1
    assert len(problems) == MAX_LISTED_PROBLEMS
    assert problems[-1].startswith(f"line {MAX_LISTED_PROBLEMS}: ")
    assert (
        f"Nothing was rented, because of {MAX_LISTED_PROBLEMS + 25} problems, of "
        f"which the first {MAX_LISTED_PROBLEMS} are listed above: fix them and "
        "import again." in " ".join(result.stderr.split())
    )


def test_import_line_number_and_app_problems(
    store_path: Path, account: SandboxAccount, tmp_path: Path
) -> None:
    (number,) = voice_numbers(account, 1)
    account.rent(number.msisdn)
    file = write(
        tmp_path,
        "numbers.csv",
        f"msisdn,app_id\nanonymous,deadbeef\n{number.msisdn},deadbeef\n",
    )

    result = run(store_path, "numbers", "import", file, "--yes")

    problems = [line for line in result.stderr.splitlines() if line.startswith("line")]
    assert result.exit_code == 1
    assert [problem.split(":")[0] for problem in problems] == [
        "line 2",
        "line 2",
        "line 3",
        "line 3",
    ]
    assert "'anonymous' stands for a withheld caller ID" in problems[0]
    assert "No application has the id 'deadbeef'" in problems[1]
    assert f"{number.msisdn} is already rented" in problems[2]
    assert "No application has the id 'deadbeef'" in problems[3]
    assert "because of 4 problems listed above: fix them" in result.stderr


def test_import_taken_number(
    store_path: Path, account: SandboxAccount, tmp_path: Path
) -> None:
    first, second = voice_numbers(account, 2)
    account.rent(second.msisdn)
    balance_before = account.balance()
    file = write(tmp_path, "numbers.txt", f"{first.msisdn}\n{second.msisdn}\n")

    result = run(store_path, "numbers", "import", file, "--yes")

    assert result.exit_code == 1
    assert f"line 2: {second.msisdn} is already rented" in result.stderr
    assert owned_msisdns(account) == [second.msisdn]
    assert account.balance() == balance_before


@pytest.mark.parametrize("assume_yes", [True, False])
def test_import_low_balance(
    store_path: Path, account: SandboxAccount, tmp_path: Path, assume_yes: bool
) -> None:
    first, second = voice_numbers(account, 2)
    account._store.connection.execute(
        "UPDATE account SET balance_cents = ?", [int(first.cost * 100)]
    )
    file = write(tmp_path, "numbers.txt", f"{first.msisdn}\n{second.msisdn}\n")
    options = ["--yes"] if assume_yes else []

    result = run(store_path, "numbers", "import", file, *options)

    assert result.exit_code == 1
    assert "The first month of all 2 numbers costs" in result.stderr
    assert f"`numdesk sandbox add-credit {second.cost:.2f}`" in result.stderr
    assert "rent fewer numbers" in result.stderr
    assert "error: Nothing was rented" in result.stderr
    assert owned_msisdns(account) == []
    assert account.balance() == first.cost


def test_import_no_voice_with_app(
    store_path: Path, account: SandboxAccount, tmp_path: Path
) -> None:
    (voice,) = voice_numbers(account, 1)
    sms = sms_only_number(account)
    app_id = make_application(account)
    file = write(tmp_path, "numbers.txt", f"{voice.msisdn}\n{sms.msisdn}\n")

    result = run(store_path, "numbers", "import", file, "--app", app_id, "--yes")

    assert result.exit_code == 1
    assert f"line 2: {sms.msisdn} has no VOICE feature" in result.stderr
    assert owned_msisdns(account) == []


@pytest.mark.parametrize(
    "app_cell", ["deadbeef", "deadbeef-0000-4000-8000-000000000000"]
)
def test_import_csv_unknown_app(
    store_path: Path, account: SandboxAccount, tmp_path: Path, app_cell: str
) -> None:
    (number,) = voice_numbers(account, 1)
    file = write(
        tmp_path, "numbers.csv", f"msisdn,app_id\n{number.msisdn},{app_cell}\n"
    )

    result = run(store_path, "numbers", "import", file, "--yes")

    assert result.exit_code == 1
    assert f"line 2: No application has the id {app_cell!r}" in result.stderr
    assert owned_msisdns(account) == []


def test_import_unknown_app_option(
    store_path: Path, account: SandboxAccount, tmp_path: Path
) -> None:
    (number,) = voice_numbers(account, 1)
    file = write(tmp_path, "numbers.txt", f"{number.msisdn}\n")

    result = run(store_path, "numbers", "import", file, "--app", "deadbeef", "--yes")

    assert result.exit_code == 1
    assert "No application has the id 'deadbeef'" in result.stderr
    assert owned_msisdns(account) == []


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("empty.txt", "", "lists no numbers"),
        ("comments.txt", "# nothing yet\n\n", "lists no numbers"),
        ("empty.csv", "", "lists no numbers"),
        ("header.csv", "msisdn,app_id\n", "lists no numbers"),
        ("blank.csv", "msisdn,app_id\n,x\n", "line 2: the number cell is empty"),
    ],
)
def test_import_nothing_to_rent(
    store_path: Path, tmp_path: Path, name: str, text: str, message: str
) -> None:
    file = write(tmp_path, name, text)

    result = run(store_path, "numbers", "import", file, "--yes")

    assert result.exit_code == 1
    assert message in result.stderr


@pytest.mark.parametrize(
    ("name", "problem"),
    [("missing.txt", "No such file or directory"), ("folder", "Is a directory")],
)
def test_import_unreadable_path(
    store_path: Path, tmp_path: Path, name: str, problem: str
) -> None:
    (tmp_path / "folder").mkdir()
    path = str(tmp_path / name)

    result = run(store_path, "numbers", "import", path, "--yes")

    assert result.exit_code == 1
    assert f"Cannot read {path!r}: {problem}" in result.stderr


# --app, --json and history


@pytest.mark.parametrize("length", [8, 13, 36])
def test_import_app_prefix_links_all(
    store_path: Path, account: SandboxAccount, tmp_path: Path, length: int
) -> None:
    numbers = voice_numbers(account, 3)
    app_id = make_application(account)
    file = write(tmp_path, "numbers.txt", "".join(f"{n.msisdn}\n" for n in numbers))

    result = run(
        store_path, "numbers", "import", file, "--app", app_id[:length], "--yes"
    )

    assert result.exit_code == 0, result.stderr
    linked = account.owned_numbers(app_id=app_id)
    assert [number.msisdn for number in linked] == sorted(n.msisdn for n in numbers)
    assert result.stdout.count(f"linked to 'Sales' ({app_id})") == 3


def test_import_json_shape(
    store_path: Path, account: SandboxAccount, tmp_path: Path
) -> None:
    first, second = voice_numbers(account, 2)
    app_id = make_application(account)
    text = f"msisdn,app_id\n{first.msisdn},{app_id}\n{second.msisdn},\n"
    file = write(tmp_path, "numbers.csv", text)

    output = run_json(store_path, "numbers", "import", file, "--yes")

    assert set(output) == {"count", "numbers", "balance"}
    assert output["count"] == 2
    assert [set(number) for number in output["numbers"]] == [NUMBER_KEYS] * 2
    assert [number["msisdn"] for number in output["numbers"]] == [
        first.msisdn,
        second.msisdn,
    ]
    assert [number["app_id"] for number in output["numbers"]] == [app_id, None]
    assert output["balance"] == f"{Decimal('10.00') - first.cost - second.cost:.2f}"


def test_import_history_shows_each(
    store_path: Path, account: SandboxAccount, tmp_path: Path
) -> None:
    first, second = voice_numbers(account, 2)
    app_id = make_application(account)
    file = write(tmp_path, "numbers.txt", f"{first.msisdn}\n{second.msisdn}\n")
    run(store_path, "numbers", "import", file, "--app", app_id[:8], "--yes")

    entries = run_json(store_path, "history")["entries"]

    assert [(entry["action"], entry["msisdn"]) for entry in reversed(entries)] == [
        ("create_application", None),
        ("rent", first.msisdn),
        ("link", first.msisdn),
        ("rent", second.msisdn),
        ("link", second.msisdn),
    ]
    assert entries[0]["after"] == {"app_id": app_id, "app_name": "Sales"}


# Asking first


def test_import_without_terminal_needs_yes(
    store_path: Path, account: SandboxAccount, tmp_path: Path
) -> None:
    (number,) = voice_numbers(account, 1)
    file = write(tmp_path, "numbers.txt", f"{number.msisdn}\n")

    result = run(store_path, "numbers", "import", file)

    assert result.exit_code == 1
    assert "pass --yes" in result.stderr
    assert owned_msisdns(account) == []


@pytest.mark.parametrize(("answer", "rented"), [("y", True), ("n", False)])
@pytest.mark.usefixtures("terminal")
def test_import_asks_first(
    store_path: Path,
    account: SandboxAccount,
    tmp_path: Path,
    answer: str,
    rented: bool,
) -> None:
    first, second = voice_numbers(account, 2)
    app_id = make_application(account)
    text = f"msisdn,app_id\n{first.msisdn},{app_id}\n{second.msisdn},\n"
    file = write(tmp_path, "numbers.csv", text)
    total = first.cost + second.cost

    result = run(store_path, "numbers", "import", file, input=f"{answer}\n")

    assert (
        f"Renting 2 numbers and linking 1 of them costs {total:.2f} EUR a month. "
        f"Balance: 10.00 EUR now, {Decimal('10.00') - total:.2f} EUR after."
    ) in result.stderr
    assert "Rent 2 numbers?" in result.stderr
    assert result.exit_code == (0 if rented else 1)
    assert len(account.owned_numbers()) == (2 if rented else 0)
