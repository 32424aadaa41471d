"""`numdesk backup` and `numdesk restore`: copy the sandbox store and bring a copy back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from cli.confirm import confirm_change
from cli.options import example, json_option, pass_session, yes_option
from cli.output import escape_controls, print_json, print_text
from cli.session import Session
from store.backup import (
    StoreSummary,
    backup_store,
    describe_store,
    inspect_backup,
    restore_store,
)

PATH_ARGUMENT = click.Path(dir_okay=True, file_okay=True, path_type=Path)


@click.command(
    short_help="Copy the sandbox store to a file, safely while in use.",
    epilog=example("numdesk backup ~/numdesk-2026-01-15.db"),
)
@click.argument("path", type=PATH_ARGUMENT)
@click.option("--overwrite", is_flag=True, help="Replace PATH if it exists.")
@json_option
@pass_session
def backup(session: Session, path: Path, overwrite: bool, as_json: bool) -> None:
    """Copy the sandbox store to PATH, while other numdesk processes keep working.

    The copy is one self-contained SQLite file, made with SQLite's online backup.
    """
    summary = backup_store(session.store_path, path.expanduser(), overwrite=overwrite)

    if as_json:
        print_json(summary_to_json(summary))
        return
    print_text(
        f"Backed up {escape_controls(str(session.store_path))} to "
        f"{escape_controls(str(summary.path))}: {summary.describe()}."
    )


@click.command(
    short_help="Bring a backup back into the sandbox store.",
    epilog=example("numdesk restore ~/numdesk-2026-01-15.db --yes"),
)
@click.argument("path", type=PATH_ARGUMENT)
@yes_option("Restore")
@json_option
@pass_session
def restore(session: Session, path: Path, assume_yes: bool, as_json: bool) -> None:
    """Replace the contents of the sandbox store with the backup at PATH.

    The backup is checked first. Other numdesk processes on the store see the
    restored data at once, and the change log gets a `restore` entry.
    """
    path = path.expanduser()
    store_path = session.store_path
    incoming = inspect_backup(path)
    current = describe_store(store_path)
    confirm_change(
        _restore_details(store_path, current, incoming),
        f"Restore {path} into {store_path}?",
        assume_yes,
    )
    restored = restore_store(path, store_path)

    if as_json:
        print_json(summary_to_json(restored))
        return
    print_text(
        f"Restored {escape_controls(str(path))} into "
        f"{escape_controls(str(store_path))}: {restored.describe()}."
    )


def summary_to_json(summary: StoreSummary) -> dict[str, Any]:
    """Return a store summary with its balance as EUR text and times in ISO 8601."""
    return {
        "path": str(summary.path),
        "schema_version": summary.schema_version,
        "owned_numbers": summary.owned_numbers,
        "applications": summary.applications,
        "balance": f"{summary.balance:.2f}",
        "change_log_entries": summary.change_log_entries,
        "last_change": summary.last_change.isoformat() if summary.last_change else None,
    }


def _restore_details(
    store_path: Path, current: StoreSummary | None, incoming: StoreSummary
) -> str:
    now = current.describe() if current else "no store file yet"
    return (
        f"The store {store_path} now has: {now}. The backup {incoming.path} has: "
        f"{incoming.describe()}. Restoring replaces everything in the store with "
        "the backup, the change log included: the entries made since the backup "
        "are lost, and one restore entry records the change."
    )
