"""Play money in the sandbox: `SandboxAccount.add_credit` and `numdesk sandbox add-credit`."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from decimal import Decimal
from pathlib import Path

import pytest

from domain.errors import InsufficientBalance, InvalidInput
from domain.numbers import SearchQuery
from store.account import SandboxAccount
from store.consistency import find_problems
from tests.cli_runner import run, run_json


def test_credit_adds_to_balance(account: SandboxAccount) -> None:
    assert account.add_credit(Decimal("2.50")) == Decimal("12.50")
    assert account.balance() == Decimal("12.50")


def test_credit_logged(account: SandboxAccount) -> None:
    account.add_credit(Decimal("5"))

    [entry] = account.history(limit=1)
    assert entry.action == "add_credit"
    assert entry.user == "tester"


def test_credit_keeps_store_consistent(
    account: SandboxAccount, store_path: Path
) -> None:
    account.add_credit(Decimal("1.00"))
    number = account.search(SearchQuery(country="GB", size=1)).items[0]
    account.rent(number.msisdn)

    with closing(sqlite3.connect(store_path)) as connection:
        assert find_problems(connection) == []


def test_credit_pays_a_rent(account: SandboxAccount) -> None:
    query = SearchQuery(country="GB", size=20)
    numbers = account.search(query).items
    while account.balance() >= max(number.cost for number in numbers):
        account.rent(account.search(query).items[0].msisdn)
    expensive = max(account.search(query).items, key=lambda number: number.cost)
    with pytest.raises(InsufficientBalance, match="sandbox add-credit"):
        account.rent(expensive.msisdn)

    account.add_credit(Decimal("10"))

    assert account.rent(expensive.msisdn).msisdn == expensive.msisdn


@pytest.mark.parametrize(
    "amount", ["0", "-1", "0.001", "1000.01", "NaN", "Infinity", "1e30"]
)
def test_credit_rejects_amount(account: SandboxAccount, amount: str) -> None:
    with pytest.raises(InvalidInput, match="Credit"):
        account.add_credit(Decimal(amount))
    assert account.balance() == Decimal("10.00")


def test_cli_credit_json(store_path: Path) -> None:
    result = run_json(store_path, "sandbox", "add-credit", "2.5")

    assert result == {"credit": "2.50", "balance": "12.50"}


@pytest.mark.parametrize(("amount", "credit"), [("20,5", "20.50"), ("2,50", "2.50")])
def test_cli_credit_decimal_comma(store_path: Path, amount: str, credit: str) -> None:
    result = run_json(store_path, "sandbox", "add-credit", amount)

    assert result["credit"] == credit


def test_cli_credit_text(store_path: Path) -> None:
    result = run(store_path, "sandbox", "add-credit", "10")

    assert result.exit_code == 0
    assert (
        result.stdout == "Added 10.00 EUR. Balance: 10.00 EUR before, 20.00 EUR now.\n"
    )


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("ten", "'ten' is not an amount of EUR"),
        ("1.234", "is not an amount in cents"),
        ("5000", "add from 0.01 to 1000.00 EUR at a time"),
        ("-5", "Credit -5 EUR is out of range: add from 0.01 to 1000.00 EUR"),
        ("1e2", "'1e2' is not an amount of EUR"),
        ("0.001", "Credit 0.001 EUR is not an amount in cents"),
        ("nan", "'nan' is not an amount of EUR"),
        ("Infinity", "'Infinity' is not an amount of EUR"),
        ("1,000", "'1,000' is not an amount of EUR"),
        ("-0.50", "Credit -0.50 EUR is out of range"),
    ],
)
def test_cli_credit_rejected(store_path: Path, amount: str, message: str) -> None:
    result = run(store_path, "sandbox", "add-credit", amount)

    assert result.exit_code == 1
    assert message in result.stderr


def test_cli_credit_not_live(store_path: Path) -> None:
    result = run(store_path, "--live", "sandbox", "add-credit", "10")

    assert result.exit_code == 1
    assert "works on the offline sandbox store only" in result.stderr
