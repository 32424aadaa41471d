"""`numdesk numbers import`: rent, and optionally link, every number in a file.

The whole file is read and checked before anything is rented: a line without a
number, or a number that is not available, stops the import with nothing rented.
The account then rents the batch with `Account.rent_many`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

import click

from cli.apps import application_label
from cli.completion import complete_app_id
from cli.confirm import confirm_change
from cli.lookup import resolve_application
from cli.msisdn import read_available_number
from cli.options import example, json_option, pass_session, region_option, yes_option
from cli.output import count_of, format_eur, print_json, print_note, print_text
from cli.serialize import number_to_json
from cli.session import Session
from domain.account import Account
from domain.applications import Application
from domain.batch import (
    InputType,
    csv_cell,
    csv_error,
    csv_rows,
    input_type_for,
    text_lines,
)
from domain.countries import resolve_country
from domain.errors import (
    AlreadyOwned,
    BatchRejected,
    InvalidInput,
    LinkNotAllowed,
    NotFound,
    NumberNotAvailable,
    NumdeskError,
)
from domain.linking import check_link
from domain.numbers import AvailableNumber, OwnedNumber

# The header names of the number column, in the order they are looked for.
NUMBER_COLUMNS = ("msisdn", "number")
APP_ID_COLUMN = "app_id"
# How many problems an import lists before it only counts the rest.
MAX_LISTED_PROBLEMS = 50


class ImportRejected(NumdeskError):
    """An import stopped before renting, after its problems were printed on stderr."""


@dataclass(frozen=True)
class ImportLine:
    """One number from the file: its 1-based line, the text and the app id given."""

    line: int
    raw: str
    app_id: str | None


@dataclass(frozen=True)
class ImportRequest:
    """A number checked for renting: where it came from, as offered, and its link."""

    line: int
    number: AvailableNumber
    application: Application | None


@click.command(
    short_help="Rent and link every number listed in a file.",
    name="import",
    epilog=example("numdesk numbers import numbers.csv --app 3f2a9c1e --yes"),
)
@click.argument("file", type=click.Path(allow_dash=True, path_type=str))
@click.option(
    "--app",
    "app_id",
    metavar="APP_ID",
    shell_complete=complete_app_id,
    help="Link each number to this voice application, given as a whole id or its "
    "first 8 or more characters. An app_id cell in a CSV row overrides it.",
)
@region_option
@yes_option("Rent")
@json_option
@pass_session
def import_numbers(
    session: Session,
    file: str,
    app_id: str | None,
    region: str | None,
    assume_yes: bool,
    as_json: bool,
) -> None:
    """Rent every number listed in FILE, or '-' for stdin, and link them if asked.

    A text FILE has one number a line; blank lines and lines starting with # are
    skipped. A FILE ending in .csv or .tsv, or whose first line names a column
    msisdn or number, starts with a header row and has a column
    msisdn (or number) and an optional column app_id, separated by commas,
    semicolons, tabs or bars. A number in Vonage form is taken as it is, as
    `numbers rent` takes it. Other forms, such as '+44 7700 900123', are read in
    the --region, else the locale's region, as `numdesk format` reads them, and
    each change made is printed on stderr.

    Every line is checked first. When any line has a problem, each one is printed
    on stderr as 'line N: ...' and nothing is rented. The sandbox rents the whole
    batch as one change. A live account rents one number at a time, because Vonage
    has no transaction, so a failure there leaves the earlier numbers rented and
    names them.
    """
    region_code = resolve_country(region).code if region is not None else None
    account = session.account()
    default_application = (
        resolve_application(account, app_id) if app_id is not None else None
    )
    lines = _read_lines(file)
    requests = _check_lines(account, lines, default_application, region_code)
    _confirm_import(account, requests, assume_yes)

    try:
        rented = account.rent_many(
            [
                (request.number.msisdn, _app_id_of(request.application))
                for request in requests
            ]
        )
    except BatchRejected as error:
        raise _rejected(error.problems, len(error.problems)) from error
    _print_rented(account, rented, requests, as_json)


def _app_id_of(application: Application | None) -> str | None:
    return application.id if application is not None else None


# Reading the file


def _read_lines(file: str) -> list[ImportLine]:
    """Return the numbers listed in `file`, as text or CSV (see `import_numbers`).

    Raises:
        InvalidInput: the file cannot be read, is not valid CSV, has no number
            column, or lists no numbers.
    """
    try:
        # utf-8-sig drops the byte order mark that spreadsheet exports start with.
        with click.open_file(file, encoding="utf-8-sig", errors="replace") as stream:
            text = list(text_lines(stream))
    except OSError as error:
        raise InvalidInput(
            f"Cannot read {file!r}: {error.strerror or type(error).__name__}. Give "
            "the path of a readable file, or '-' for stdin."
        ) from None

    is_csv = input_type_for(file, None) is InputType.CSV or _has_number_header(text)
    lines = list(_csv_lines(text) if is_csv else _text_lines(text))
    if not lines:
        raise InvalidInput(
            f"{_file_label(file)} lists no numbers: give one number a line, or a CSV "
            "file with a msisdn column."
        )
    return lines


def _file_label(file: str) -> str:
    return "stdin" if file == "-" else repr(file)


def _text_lines(stream: Iterable[str]) -> Iterator[ImportLine]:
    for line_number, line in enumerate(stream, start=1):
        value = line.strip()
        if value and not value.startswith("#"):
            yield ImportLine(line_number, value, None)


def _csv_lines(stream: Iterable[str]) -> Iterator[ImportLine]:
    """Yield the number and app_id of each CSV row, skipping rows of empty cells.

    Raises:
        InvalidInput: the header has no number column, or a row is not valid CSV.
    """
    _, reader = csv_rows(stream)
    start = 1
    try:
        header = next(reader, None)
        if header is None:
            return
        number_index, app_index = _csv_columns(header)
        while True:
            start = reader.line_num + 1
            row = next(reader, None)
            if row is None:
                return
            if any(cell.strip() for cell in row):
                yield _csv_line(start, row, number_index, app_index)
    except csv.Error as error:
        raise InvalidInput(
            f"{csv_error(error, start, reader.line_num)} Nothing was rented."
        ) from None


def _csv_line(
    start: int, row: list[str], number_index: int, app_index: int | None
) -> ImportLine:
    app_id = "" if app_index is None else csv_cell(row, app_index).strip()
    return ImportLine(start, csv_cell(row, number_index).strip(), app_id or None)


def _has_number_header(lines: list[str]) -> bool:
    """Tell whether a file not named .csv starts with a header row that names numbers.

    Spreadsheets save tab-separated text as .txt, with the header row first.
    """
    if not lines:
        return False
    _, rows = csv_rows(lines[:1])
    header = next(rows, [])
    return any(_column_key(name) in NUMBER_COLUMNS for name in header)


def _column_key(name: str) -> str:
    """Return a header name as it is looked for: `App ID` is app_id."""
    return "_".join(name.casefold().replace("-", " ").replace("_", " ").split())


def _csv_columns(header: list[str]) -> tuple[int, int | None]:
    """Return the index of the number column and of the app_id column, if any.

    Names count in any case, and with spaces, dashes or underscores between words.

    Raises:
        InvalidInput: the header has no msisdn or number column.
    """
    names = [_column_key(name) for name in header]
    app_index = names.index(APP_ID_COLUMN) if APP_ID_COLUMN in names else None
    for column in NUMBER_COLUMNS:
        if column in names:
            return names.index(column), app_index
    listed = ", ".join(repr(name) for name in header)
    raise InvalidInput(
        f"The CSV header has no column 'msisdn' or 'number': its columns are "
        f"{listed}. Name the column of numbers msisdn."
    )


# Checking each line


def _check_lines(
    account: Account,
    lines: Sequence[ImportLine],
    default_application: Application | None,
    region: str | None,
) -> list[ImportRequest]:
    """Return a request for each line, after printing the changes made to read them.

    Raises:
        ImportRejected: a line has a problem; every problem is printed first.
    """
    problems: list[str] = []
    problem_count = 0
    requests: list[ImportRequest] = []
    first_line_of: dict[str, int] = {}
    applications: dict[str, Application] = {}

    for line in lines:
        line_problems: list[NumdeskError] = []
        number = _available_number(account, line, region, first_line_of, line_problems)
        application = default_application
        if line.app_id is not None:
            try:
                application = _application(account, line.app_id, applications)
            except (InvalidInput, NotFound) as error:
                line_problems.append(error)
        if number is not None and application is not None and not line_problems:
            try:
                check_link(OwnedNumber(**vars(number)), application)
            except LinkNotAllowed as error:
                line_problems.append(error)
        if line_problems:
            problem_count += len(line_problems)
            problems += [f"line {line.line}: {problem}" for problem in line_problems]
            del problems[MAX_LISTED_PROBLEMS:]
        elif number is not None:
            requests.append(ImportRequest(line.line, number, application))

    if problem_count:
        raise _rejected(problems, problem_count)
    return requests


def _available_number(
    account: Account,
    line: ImportLine,
    region: str | None,
    first_line_of: dict[str, int],
    problems: list[NumdeskError],
) -> AvailableNumber | None:
    """Return the available number that `line` lists, or None after adding a problem.

    `first_line_of` maps each number read so far to its line, to find repeats.
    """
    try:
        if not line.raw:
            raise InvalidInput(
                "the number cell is empty: fill it in or delete the row."
            )
        number = read_available_number(account, line.raw, line.line, region)
        if number.msisdn in first_line_of:
            raise InvalidInput(
                f"{number.msisdn} is also on line {first_line_of[number.msisdn]}: "
                "list it once."
            )
        first_line_of[number.msisdn] = line.line
        return number
    except (InvalidInput, NotFound, NumberNotAvailable, AlreadyOwned) as error:
        problems.append(error)
        return None


def _application(
    account: Account, app_id: str, applications: dict[str, Application]
) -> Application:
    """Return the application `app_id` names, resolving each id once."""
    if app_id not in applications:
        applications[app_id] = resolve_application(account, app_id)
    return applications[app_id]


def _rejected(problems: list[str], count: int) -> ImportRejected:
    """Print the problems listed on stderr and return the error that ends the import.

    `count` is the number of problems found, which may be more than are listed.
    """
    for problem in problems:
        print_note(problem)
    them = "it" if count == 1 else "them"
    listed = " listed above"
    if count > len(problems):
        listed = f", of which the first {len(problems)} are listed above"
    return ImportRejected(
        f"Nothing was rented, because of {count_of(count, 'problem')}{listed}: fix "
        f"{them} and import again."
    )


# Asking and reporting


def _confirm_import(
    account: Account, requests: Sequence[ImportRequest], assume_yes: bool
) -> None:
    """Show the count, total monthly cost and balance, and ask before renting.

    When the balance cannot pay the total, nothing is asked, because `rent_many`
    rejects the batch with the amounts.
    """
    total = sum((request.number.cost for request in requests), Decimal(0))
    balance = account.balance()
    if total > balance:
        return
    linked = sum(1 for request in requests if request.application is not None)
    linking = f" and linking {linked} of them" if linked else ""
    confirm_change(
        f"Renting {count_of(len(requests), 'number')}{linking} costs "
        f"{format_eur(total)} EUR a month. Balance: {format_eur(balance)} EUR now, "
        f"{format_eur(balance - total)} EUR after.",
        f"Rent {count_of(len(requests), 'number')}?",
        assume_yes,
    )


def _print_rented(
    account: Account,
    rented: Sequence[OwnedNumber],
    requests: Sequence[ImportRequest],
    as_json: bool,
) -> None:
    balance = account.balance()
    if as_json:
        print_json(
            {
                "count": len(rented),
                "numbers": [number_to_json(number) for number in rented],
                "balance": format_eur(balance),
            }
        )
        return
    for number, request in zip(rented, requests, strict=True):
        line = f"Rented {number.msisdn} for {format_eur(number.cost)} EUR a month"
        if request.application is not None:
            line += f", linked to {application_label(request.application)}"
        print_text(f"{line}.")
    print_text(f"Balance: {format_eur(balance)} EUR.")
