"""`numdesk sandbox`: build the sandbox store's inventory, at any size."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from types import TracebackType
from typing import Any

import click

from cli.confirm import confirm_change
from cli.options import example, json_option, pass_session, yes_option
from cli.output import escape_controls, print_json, print_note, print_text
from cli.session import ACCOUNT_VARIABLE, Session
from domain.errors import InvalidInput
from domain.money import read_eur_amount
from store.account import SandboxAccount

# The largest inventory `generate` builds. Ten million numbers make a store of about
# 3 GB and take some ten minutes on a 2-core machine.
MAX_ROWS = 10_000_000


@click.group(epilog=example("numdesk sandbox generate --rows 1000000"))
def sandbox() -> None:
    """Manage the offline sandbox store."""


@sandbox.command(
    short_help="Generate the sandbox inventory of available numbers.",
    epilog=example(
        "numdesk --db ./big.db sandbox generate --rows 1000000",
        "numdesk sandbox generate --rows 200000 --yes",
    ),
)
@click.option(
    "--rows",
    type=click.IntRange(1, MAX_ROWS),
    required=True,
    metavar="N",
    help="Number of available numbers to generate, spread over every region in "
    "the proportions of the regular stock (about 125,000 numbers).",
)
@yes_option("Replace the inventory of an existing store")
@json_option
@pass_session
def generate(session: Session, rows: int, assume_yes: bool, as_json: bool) -> None:
    """Generate the sandbox inventory of available numbers, with a progress bar.

    A new store gets the inventory and the starting balance. In an existing store
    the inventory is replaced in one change, and owned numbers, applications, the
    balance and the history stay. Other numdesk processes cannot change the store
    until generation ends.
    """
    _check_sandbox_chosen(session)
    # Imported here, so that `numdesk --help` does not load the store.
    from store.account import open_sandbox

    path = session.store_path
    started = time.perf_counter()
    if path.exists():
        replaced = _replace(path, rows, assume_yes)
    else:
        with GenerationBar(path, rows) as bar:
            open_sandbox(path, rows=rows, on_progress=bar.update).close()
        replaced = None
    _report(path, rows, replaced, time.perf_counter() - started, as_json)


@sandbox.command(
    short_help="Add play money to the sandbox balance.",
    name="add-credit",
    epilog=example("numdesk sandbox add-credit 10", "numdesk sandbox add-credit 2.50"),
    # A negative amount such as -5 reaches the range check instead of reading as
    # an unknown option.
    context_settings={"ignore_unknown_options": True},
)
@click.argument("amount", metavar="EUR")
@json_option
@pass_session
def add_credit(session: Session, amount: str, as_json: bool) -> None:
    """Add EUR of play money to the sandbox balance, such as 10 or 2.50.

    The credit is logged in the history like every change. Live accounts are
    topped up in the Vonage dashboard instead.
    """
    _check_sandbox_chosen(session, "sandbox add-credit")
    credit = read_eur_amount(amount)
    account = session.account()
    if not isinstance(account, SandboxAccount):
        raise InvalidInput("`sandbox add-credit` works on the sandbox store only.")
    before = account.balance()
    balance = account.add_credit(credit)

    if as_json:
        print_json({"credit": f"{credit:.2f}", "balance": f"{balance:.2f}"})
        return
    print_text(
        f"Added {credit:.2f} EUR. Balance: {before:.2f} EUR before, "
        f"{balance:.2f} EUR now."
    )


def _check_sandbox_chosen(session: Session, command: str = "sandbox generate") -> None:
    if session.live or (session.account_option not in (None, "", "sandbox")):
        raise InvalidInput(
            f"`{command}` works on the offline sandbox store only: run it "
            f"without --live, --account and {ACCOUNT_VARIABLE}, and choose the "
            "store with --db."
        )


def _replace(path: Path, rows: int, assume_yes: bool) -> int:
    from store.account import open_sandbox

    account = open_sandbox(path)
    try:
        confirm_change(
            f"The store {path} has an inventory already.",
            f"Replace its available numbers with {rows:,} generated ones? Owned "
            "numbers, applications, the balance and the history stay.",
            assume_yes,
        )
        with GenerationBar(path, rows) as bar:
            return account.replace_inventory(rows, bar.update)
    finally:
        account.close()


def _report(
    path: Path, rows: int, replaced: int | None, seconds: float, as_json: bool
) -> None:
    if as_json:
        print_json(
            {
                "path": str(path),
                "available": rows,
                "replaced": replaced,
                "seconds": round(seconds, 1),
            }
        )
        return
    if replaced is None:
        print_text(
            f"Created {escape_controls(str(path))} with {rows:,} available numbers "
            f"in {seconds:.1f} s."
        )
    else:
        print_text(
            f"Replaced {replaced:,} available numbers in {escape_controls(str(path))} "
            f"with {rows:,} in {seconds:.1f} s."
        )


class GenerationBar:
    """A progress bar on stderr for the numbers generated, then an indexing note.

    The bar shows only on a terminal. Elsewhere, such as in a log file, one line
    says that generation started.
    """

    def __init__(self, path: Path, total: int) -> None:
        self.total = total
        self._label = f"Generating {total:,} numbers in {escape_controls(str(path))}"
        self._bar: Any = None
        self._shown = 0
        self._indexing = False

    def __enter__(self) -> GenerationBar:
        if sys.stderr.isatty():
            # The path can be long, so it goes on a line of its own above the bar,
            # and the bar takes the width that its line leaves.
            print_note(f"{self._label}.")
            self._bar = click.progressbar(
                length=self.total, label="Generating", file=sys.stderr, width=0
            )
            self._bar.__enter__()
        else:
            print_note(f"{self._label}; a million take about a minute.")
        return self

    def update(self, done: int, total: int) -> None:
        """Move the bar to `done` of `total` numbers inserted."""
        if self._bar is not None:
            self._bar.update(done - self._shown)
        self._shown = done
        if done >= total and not self._indexing:
            self._indexing = True
            self._finish_bar()
            print_note("Building the search indexes...")

    def __exit__(
        self,
        error_type: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._finish_bar()

    def _finish_bar(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None
