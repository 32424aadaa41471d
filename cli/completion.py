"""Shell completion: the `numdesk completion` command and value completers.

Completion uses click's protocol: the shell script that `numdesk completion SHELL`
prints runs numdesk with `_NUMDESK_COMPLETE` set, and numdesk prints the candidates
instead of running a command.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import click
from click.shell_completion import CompletionItem, get_completion_class

from cli.launch import COMPLETION_VARIABLE
from cli.options import example, json_option
from cli.output import print_json
from domain.account import Account
from domain.countries import all_countries
from domain.errors import NumdeskError
from store.account import open_sandbox
from store.location import resolve_store_path

PROGRAM = "numdesk"
SHELLS = ("bash", "zsh", "fish")


@click.command(
    short_help="Print the completion script for bash, zsh or fish.",
    epilog=example("numdesk completion bash"),
)
@click.argument("shell", type=click.Choice(SHELLS))
@json_option
@click.pass_context
def completion(ctx: click.Context, shell: str, as_json: bool) -> None:
    """Print the script that completes numdesk commands and values in SHELL.

    Load it from the shell's start-up file:

    \b
      bash:  eval "$(numdesk completion bash)"     in ~/.bashrc
      zsh:   eval "$(numdesk completion zsh)"      in ~/.zshrc
      fish:  numdesk completion fish | source      in ~/.config/fish/config.fish

    bash needs version 4.4 or newer.
    """
    script = completion_script(ctx.find_root().command, shell)

    if as_json:
        print_json({"shell": shell, "script": script})
        return
    click.echo(script)


def completion_script(root: click.Command, shell: str) -> str:
    """Return click's completion script of `root` for `shell`."""
    completion_class = get_completion_class(shell)
    if completion_class is None:
        raise click.BadParameter(f"{shell!r} is not bash, zsh or fish.")
    return completion_class(root, {}, PROGRAM, COMPLETION_VARIABLE).source()


def complete_country(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """Complete an ISO 3166 country code, showing its calling code as help."""
    prefix = incomplete.upper()
    return [
        CompletionItem(country.code, help=f"+{country.calling_code}")
        for country in sorted(all_countries(), key=lambda country: country.code)
        if country.code.startswith(prefix)
    ]


def complete_owned_msisdn(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """Complete the msisdn of a number this account rents."""
    return _from_store(
        ctx,
        lambda account: [
            CompletionItem(number.msisdn, help=number.type.label)
            for number in account.owned_numbers()
            if number.msisdn.startswith(incomplete)
        ],
    )


def complete_app_id(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """Complete the id of an application, showing its name as help."""
    return _from_store(
        ctx,
        lambda account: [
            CompletionItem(application.id, help=application.name)
            for application in account.applications()
            if application.id.startswith(incomplete)
        ],
    )


def _from_store(
    ctx: click.Context, complete: Callable[[Account], list[CompletionItem]]
) -> list[CompletionItem]:
    """Run `complete` on the store that `--db` or the environment names.

    A store that does not exist yet completes nothing, so that pressing Tab never
    spends seconds generating one.
    """
    path = resolve_store_path(ctx.find_root().params.get("db"), os.environ)
    if not path.is_file():
        return []
    try:
        account = open_sandbox(path)
        try:
            return complete(account)
        finally:
            account.close()
    except NumdeskError:
        return []
