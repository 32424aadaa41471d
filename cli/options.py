"""Options and help text that several commands share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from cli.session import Session

F = TypeVar("F", bound=Callable[..., Any])


def example(*command_lines: str) -> str:
    """Return a help epilog that shows command lines exactly as written.

    The `\\b` marker stops click from rewrapping the lines.
    """
    lines = "\n".join(f"  {line}" for line in command_lines)
    heading = "Example" if len(command_lines) == 1 else "Examples"
    return f"{heading}:\n\n\b\n{lines}"


class ChoiceAsWritten(click.Choice[str]):
    """A case-insensitive choice whose help and errors show the choices as written.

    Click folds case-insensitive choices to lower case in both, so GET and POST
    would read as get and post.
    """

    def __init__(self, choices: list[str]) -> None:
        super().__init__(choices, case_sensitive=False)
        self._written = {choice.casefold(): choice for choice in choices}

    def normalize_choice(self, choice: object, ctx: click.Context | None) -> str:
        folded = super().normalize_choice(choice, ctx)
        return self._written.get(folded, folded)


def json_option(command: F) -> F:
    """Add `--json`, passed to the command as `as_json`."""
    return click.option(
        "--json",
        "as_json",
        is_flag=True,
        help="Print the result as JSON on stdout. Notes and prompts go to stderr.",
    )(command)


def yes_option(action: str) -> Callable[[F], F]:
    """Add `--yes`, passed as `assume_yes`, which skips the question before `action`."""
    return click.option(
        "--yes",
        "-y",
        "assume_yes",
        is_flag=True,
        help=f"{action} without asking first. Required when stdin is not a terminal.",
    )


REGION_HELP = (
    "Region of numbers written without a country code: an ISO 3166 code such as GB, "
    "a name or a calling code. Defaults to the region of LC_ALL, LC_TELEPHONE or "
    "LANG, else US."
)


def region_option(command: F) -> F:
    """Add `--region`, passed to the command as `region`."""
    # Imported here because cli.completion imports this module.
    from cli.completion import complete_country

    return click.option(
        "--region", metavar="CC", shell_complete=complete_country, help=REGION_HELP
    )(command)


# Passes the run's Session to a subcommand.
pass_session = click.make_pass_decorator(Session)
