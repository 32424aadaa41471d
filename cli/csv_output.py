"""CSV output of the list commands: one header line, then one line per item.

Columns are named like the fields of the JSON output. A list value, such as a
number's features, is one comma-separated cell, quoted as CSV requires. Lines end
with `\\n`. Control characters in cells are escaped as in the text output, so a cell
never moves the cursor of the terminal it is printed on.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

import click

from cli.output import escape_controls, format_eur
from domain.applications import Application
from domain.numbers import AvailableNumber, OwnedNumber, sort_features

F = TypeVar("F", bound=Callable[..., Any])

NUMBER_COLUMNS = ("msisdn", "country", "type", "features", "cost")
OWNED_NUMBER_COLUMNS = (*NUMBER_COLUMNS, "app_id")
APPLICATION_COLUMNS = (
    "id",
    "name",
    "numbers",
    "answer_url",
    "answer_method",
    "event_url",
    "event_method",
    "fallback_answer_url",
    "fallback_answer_method",
)


def csv_option(command: F) -> F:
    """Add `--csv`, passed to the command as `as_csv`."""
    return click.option(
        "--csv",
        "as_csv",
        is_flag=True,
        help="Print the list as CSV on stdout, with a header line. Notes go to stderr.",
    )(command)


def check_one_format(as_json: bool, as_csv: bool) -> None:
    """Reject `--json` and `--csv` given together, as a usage error (status 2)."""
    if as_json and as_csv:
        raise click.UsageError("--json and --csv cannot be used together: pick one.")


def to_csv(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """Return the header and rows as CSV text, each line ending with `\\n`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([escape_controls(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def print_csv(header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """Print the header and rows as CSV on stdout."""
    click.echo(to_csv(header, rows), nl=False)


def number_row(number: AvailableNumber) -> list[str]:
    """Return the cells of an available number, in `NUMBER_COLUMNS` order."""
    features = ",".join(feature.value for feature in sort_features(number.features))
    return [
        number.msisdn,
        number.country,
        number.type.value,
        features,
        format_eur(number.cost),
    ]


def owned_number_row(number: OwnedNumber) -> list[str]:
    """Return the cells of an owned number, with an empty `app_id` if it is unlinked."""
    return [*number_row(number), number.app_id or ""]


def application_row(application: Application, linked: list[OwnedNumber]) -> list[str]:
    """Return the cells of an application and the msisdns linked to it."""
    return [
        application.id,
        application.name,
        ",".join(number.msisdn for number in linked),
        application.answer_url,
        application.answer_method.value,
        application.event_url,
        application.event_method.value,
        application.fallback_answer_url or "",
        application.fallback_answer_method.value,
    ]
