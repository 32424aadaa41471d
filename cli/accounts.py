"""`numdesk account`: store, list and remove live Vonage accounts, and open the chosen one.

The sandbox stays the default. `--account NAME` (or `NUMDESK_ACCOUNT`) picks a stored
account, and `--live` uses `VONAGE_API_KEY` and `VONAGE_API_SECRET` from the
environment. A secret is never taken from a command line argument, because other
users can read those in the process list and shells keep them in their history.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import click

from cli.confirm import confirm_change, stdin_is_terminal
from cli.options import example, json_option, yes_option
from cli.output import format_eur, format_table, print_json, print_note, print_text
from cli.session import ACCOUNT_VARIABLE, SANDBOX, chooses_live_account
from domain.errors import InvalidInput, NumdeskError

if TYPE_CHECKING:
    from live.account import LiveAccount
    from live.config import Credentials

API_KEY_VARIABLE = "VONAGE_API_KEY"
API_SECRET_VARIABLE = "VONAGE_API_SECRET"


def open_chosen_live_account(
    account_option: str | None, live: bool, environ: Mapping[str, str] = os.environ
) -> LiveAccount | None:
    """Open the live account that `--account` or `--live` chose, or return None.

    None means the sandbox: no option, or `--account sandbox`. The SDK is imported
    only here, so that sandbox commands start without it.

    Raises:
        click.UsageError: both `--account` and `--live` were given.
        NumdeskError: the account is unknown, the environment lacks a credential,
            or a NUMDESK_VONAGE_* setting is not valid.
    """
    name = (account_option or "").strip()
    if live and name and name != SANDBOX:
        raise click.UsageError(
            "--live uses the credentials in VONAGE_API_KEY and VONAGE_API_SECRET, and "
            f"--account {name} a stored account: give only one of them."
        )
    if not chooses_live_account(name, live):
        return None

    from live.config import AccountConfig, config_path, private_key_folder
    from live.connect import cache_file_for, connect_live_account
    from live.settings import settings_from_environment

    settings = settings_from_environment(environ)
    config = config_path(environ)
    if live:
        credentials = _credentials_from_environment(environ)
        label = credentials.api_key
        cache_file = cache_file_for(f"key-{credentials.api_key}")
    else:
        credentials = AccountConfig(config).credentials(name)
        label = name
        cache_file = cache_file_for(name)
    return connect_live_account(
        label,
        credentials,
        settings,
        private_keys=private_key_folder(config),
        cache_file=cache_file,
        notify=print_note,
    )


def _credentials_from_environment(environ: Mapping[str, str]) -> Credentials:
    from live.config import validate_credentials

    missing = [
        variable
        for variable in (API_KEY_VARIABLE, API_SECRET_VARIABLE)
        if not environ.get(variable, "").strip()
    ]
    if missing:
        raise NumdeskError(
            f"--live reads the credentials from {API_KEY_VARIABLE} and "
            f"{API_SECRET_VARIABLE}, but {' and '.join(missing)} "
            f"{'is' if len(missing) == 1 else 'are'} not set: export "
            "both, or store the account with `numdesk account add NAME`."
        )
    return validate_credentials(environ[API_KEY_VARIABLE], environ[API_SECRET_VARIABLE])


@click.group(epilog=example("numdesk account list"))
def account() -> None:
    """Store, list and remove live Vonage accounts.

    Commands use the sandbox unless --account NAME, NUMDESK_ACCOUNT or --live
    picks a live account.
    """


@account.command(
    epilog=example(
        "VONAGE_API_SECRET=... numdesk account add acme --api-key a1b2c3d4",
        "numdesk account add acme --api-key a1b2c3d4",
    )
)
@click.argument("name")
@click.option(
    "--api-key",
    metavar="KEY",
    help=f"API key from the Vonage dashboard. Defaults to ${API_KEY_VARIABLE}, else "
    "a prompt.",
)
@click.option(
    "--check/--no-check",
    default=True,
    show_default=True,
    help="Read the balance with the key and secret before saving them.",
)
@json_option
def add(name: str, api_key: str | None, check: bool, as_json: bool) -> None:
    """Store the API key and secret of a live account under NAME.

    The secret comes from $VONAGE_API_SECRET, else from a prompt that does not show
    it. The config file is readable only by you.
    """
    from live.config import (
        AccountConfig,
        config_path,
        validate_account_name,
        validate_credentials,
    )

    validate_account_name(name)
    key = api_key or os.environ.get(API_KEY_VARIABLE) or _prompt_api_key()
    credentials = validate_credentials(key, _read_secret())
    balance = _check_credentials(credentials) if check else None

    config = AccountConfig(config_path())
    replaced = name in config.names()
    config.add(name, credentials)

    if as_json:
        print_json(
            {
                "name": name,
                "api_key": credentials.api_key,
                "replaced": replaced,
                "balance": None if balance is None else format_eur(balance),
            }
        )
        return
    verb = "Replaced" if replaced else "Added"
    print_text(f"{verb} the live account {name} (API key {credentials.api_key}).")
    if balance is not None:
        print_text(
            f"Vonage accepted the key and secret. Balance: {format_eur(balance)} EUR."
        )
    print_text(f"Use it with --account {name} or {ACCOUNT_VARIABLE}={name}.")


def _prompt_api_key() -> str:
    if not stdin_is_terminal():
        raise InvalidInput(
            f"No API key was given: pass --api-key KEY or set {API_KEY_VARIABLE}."
        )
    return str(click.prompt("API key", err=True))


def _read_secret() -> str:
    secret = os.environ.get(API_SECRET_VARIABLE, "")
    if secret.strip():
        return secret
    if not stdin_is_terminal():
        raise InvalidInput(
            f"No API secret was given: set {API_SECRET_VARIABLE}, or run the command "
            "in a terminal to type it at a prompt that does not show it."
        )
    return str(click.prompt("API secret", hide_input=True, err=True))


def _check_credentials(credentials: Credentials) -> Decimal:
    from live.client import VonageClient
    from live.convert import balance
    from live.settings import settings_from_environment

    client = VonageClient(credentials, settings_from_environment())
    reply = client.call("check the API key and secret", client.account.get_balance)
    return balance(reply.value)


@account.command(
    short_help="List the stored live accounts.",
    name="list",
    epilog=example("numdesk account list --json"),
)
@json_option
def list_accounts(as_json: bool) -> None:
    """List the stored live accounts with their API keys and last sync times."""
    from live.config import AccountConfig, config_path

    config = AccountConfig(config_path())
    rows = [
        (name, config.credentials(name).api_key, _last_sync(name))
        for name in config.names()
    ]

    if as_json:
        print_json(
            {
                "count": len(rows),
                "accounts": [
                    {
                        "name": name,
                        "api_key": api_key,
                        "last_sync": None if synced is None else synced.isoformat(),
                    }
                    for name, api_key, synced in rows
                ],
            }
        )
        return
    if not rows:
        print_text(
            "No live accounts are stored: add one with `numdesk account add NAME`."
        )
        return
    print_text(
        format_table(
            ("NAME", "API KEY", "LAST SYNC"),
            [[name, api_key, _sync_text(synced)] for name, api_key, synced in rows],
        )
    )


def _last_sync(name: str) -> datetime | None:
    from live.connect import cache_file_for
    from store.cache import open_cache

    path = cache_file_for(name)
    if not path.exists():
        return None
    cache = open_cache(path)
    try:
        return cache.last_sync()
    finally:
        cache.close()


def _sync_text(synced: datetime | None) -> str:
    if synced is None:
        return "never"
    return f"{synced.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


@account.command(epilog=example("numdesk account remove acme --yes"))
@click.argument("name")
@yes_option("Remove")
@json_option
def remove(name: str, assume_yes: bool, as_json: bool) -> None:
    """Remove the stored account NAME and its local cache.

    The Vonage account itself, its numbers and its applications do not change.
    """
    from live.config import AccountConfig, config_path
    from live.connect import cache_file_for
    from store.cache import remove_cache

    config = AccountConfig(config_path())
    api_key = config.credentials(name).api_key
    confirm_change(
        f"Removing {name} deletes its API key {api_key} and secret from "
        f"{config.path} and its local cache. The Vonage account does not change.",
        f"Remove {name}?",
        assume_yes,
    )
    config.remove(name)
    remove_cache(cache_file_for(name))

    if as_json:
        print_json({"name": name, "api_key": api_key, "removed": True})
        return
    print_text(f"Removed the live account {name} (API key {api_key}).")
