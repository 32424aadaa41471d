"""Asking before a change that costs money, loses a number or replaces a link."""

from __future__ import annotations

import sys

import click

from cli.output import escape_controls
from domain.errors import NumdeskError


class ConfirmationRequired(NumdeskError):
    """A change that needs a yes, requested with no terminal to ask on and no --yes."""


class NotConfirmed(NumdeskError):
    """A change that the user declined at the prompt."""


def stdin_is_terminal() -> bool:
    """Return whether a person can answer a question on stdin."""
    return sys.stdin is not None and sys.stdin.isatty()


def confirm_change(details: str, question: str, assume_yes: bool) -> None:
    """Return once the user agrees to a change, or at once when `assume_yes` is set.

    The details and the question go to stderr, so that `--json` output stays clean.
    Control characters in them are escaped, so callers may include user text as it is.

    Raises:
        ConfirmationRequired: stdin is not a terminal and `assume_yes` is not set.
        NotConfirmed: the user declined.
    """
    if assume_yes:
        return
    if not stdin_is_terminal():
        raise ConfirmationRequired(
            f"{details} This needs confirmation, but stdin is not a terminal: "
            "pass --yes to go ahead without asking."
        )
    click.echo(escape_controls(details), err=True)
    if not click.confirm(escape_controls(question), err=True):
        raise NotConfirmed("Nothing changed, because the change was declined.")
