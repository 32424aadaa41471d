"""`numdesk history`: the change log of the sandbox store, newest first."""

from __future__ import annotations

from typing import Any

import click

from cli.lookup import resolve_application
from cli.msisdn import read_msisdn
from cli.options import example, json_option, pass_session
from cli.output import count_of, format_table, print_json, print_note, print_text
from cli.session import Session
from domain.applications import id_matches
from domain.errors import NotFound, NumdeskError
from domain.history import action_label, describe_change
from store.account import SandboxAccount
from store.changelog import ChangeLogEntry

DEFAULT_LIMIT = 50
MAX_LIMIT = 10_000
HEADERS = ("TIME (UTC)", "USER", "ACTION", "NUMBER", "CHANGE")


@click.command(
    epilog=example(
        "numdesk history --number 14155550101",
        "numdesk history --app aaaaaaaa-bbbb-cccc-dddd-0123456789ab --json",
    )
)
@click.option(
    "--number",
    "msisdn",
    metavar="MSISDN",
    help="Show only the changes to this number.",
)
@click.option(
    "--app",
    "app_id",
    metavar="APP_ID",
    help="Show only the changes to this application and its links.",
)
@click.option(
    "--limit",
    type=click.IntRange(1, MAX_LIMIT),
    default=DEFAULT_LIMIT,
    show_default=True,
    help="Number of entries to show, newest first.",
)
@json_option
@pass_session
def history(
    session: Session,
    msisdn: str | None,
    app_id: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """Show who changed what in the store, and when: newest first.

    Every rent, cancel, link, unlink, application change and restore is logged
    with its time, the OS user who made it and the values before and after.
    """
    account = _sandbox(session)
    if msisdn is not None:
        msisdn = read_msisdn(msisdn)
    if app_id is not None:
        app_id = _logged_app_id(account, app_id)
    entries = account.history(msisdn=msisdn, app_id=app_id, limit=limit)

    if as_json:
        print_json(
            {"count": len(entries), "entries": [entry_to_json(e) for e in entries]}
        )
        return
    if not entries:
        print_text("No changes match: the log is empty or the filters are too narrow.")
        return
    # A deleted application keeps the name it had when it was deleted.
    names = account.deleted_applications()
    names.update(
        (application.id, application.name) for application in account.applications()
    )
    print_text(format_table(HEADERS, [_row(entry, names) for entry in entries]))
    print_text(count_of(len(entries), "change"))
    if len(entries) == limit:
        print_note(f"Showing the newest {limit}: pass --limit to see more.")


def entry_to_json(entry: ChangeLogEntry) -> dict[str, Any]:
    """Return a change log entry with its time in ISO 8601 and its values as logged."""
    return {
        "time": entry.time.isoformat(),
        "user": entry.user,
        "action": entry.action,
        "msisdn": entry.msisdn,
        "app_id": entry.app_id,
        "before": entry.details.get("before"),
        "after": entry.details.get("after"),
    }


def _sandbox(session: Session) -> SandboxAccount:
    account = session.account()
    if not isinstance(account, SandboxAccount):
        raise NumdeskError(
            "The change history is kept in the sandbox store only: run the command "
            "without a live account."
        )
    return account


def _row(entry: ChangeLogEntry, names: dict[str, str]) -> list[str]:
    def application_name(app_id: str) -> str:
        return names.get(app_id, app_id)

    return [
        entry.time.strftime("%Y-%m-%d %H:%M:%S"),
        entry.user,
        action_label(entry.action),
        entry.msisdn or "-",
        describe_change(entry.action, entry.details, application_name),
    ]


def _logged_app_id(account: SandboxAccount, app_id: str) -> str:
    """Return the id of an existing or deleted application, by id or prefix.

    Raises:
        NotFound: no application has that id or prefix, and no change names it.
            A prefix of a deleted application needs 8 characters and one match.
    """
    try:
        return resolve_application(account, app_id).id
    except NotFound:
        pass

    requested = app_id.strip()
    if account.history(app_id=requested, limit=1):
        return requested
    deleted = [
        known
        for known in account.deleted_applications()
        if id_matches(known, requested)
    ]
    if len(deleted) == 1:
        return deleted[0]
    raise NotFound(
        f"No application or logged change has the id {app_id!r}: see the ids with "
        "`numdesk apps list`, or those of deleted applications in "
        "`numdesk history --json`."
    )
