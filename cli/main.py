"""The `numdesk` command: the Textual app without a subcommand, else one subcommand.

Exit status: 0 on success, 1 when numdesk rejects the request or hits a bug (one
`error: ` line on stderr), 2 for a usage error, 130 when interrupted with Ctrl+C.
The README's exit status table lists the same.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

import click

from cli.launch import EXIT_INTERRUPTED, THEME_VARIABLE, THEMES, create_app
from cli.options import example
from cli.output import print_error
from cli.session import ACCOUNT_VARIABLE, Session
from domain.errors import NumdeskError

EXIT_REJECTED = 1
EXIT_USAGE = click.UsageError.exit_code
DEBUG_VARIABLE = "NUMDESK_DEBUG"


# Each subcommand's module and object. A subcommand's module is imported when the
# subcommand runs or is listed, so that starting the app imports none of them.
SUBCOMMANDS = {
    "account": ("cli.accounts", "account"),
    "apps": ("cli.apps", "apps"),
    "backup": ("cli.backup", "backup"),
    "callerid": ("cli.callerid", "callerid"),
    "completion": ("cli.completion", "completion"),
    "format": ("cli.callerid", "format_command"),
    "history": ("cli.history", "history"),
    "insight": ("cli.insight", "insight"),
    "numbers": ("cli.numbers", "numbers"),
    "restore": ("cli.backup", "restore"),
    "sandbox": ("cli.sandbox", "sandbox"),
    "serve": ("cli.serve", "serve"),
}


class RejectedRequest(click.ClickException):
    """A NumdeskError on its way out of click, shown as one `error: ` line."""

    exit_code = EXIT_REJECTED

    def show(self, file: Any = None) -> None:
        print_error(self.message)


class NumdeskGroup(click.Group):
    """The root command, which turns a failing command into one line and a status.

    It imports each subcommand's module on first use (see `SUBCOMMANDS`).
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *SUBCOMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in SUBCOMMANDS and cmd_name not in self.commands:
            module_name, attribute = SUBCOMMANDS[cmd_name]
            command = getattr(importlib.import_module(module_name), attribute)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except click.exceptions.NoSuchCommand as unknown:
            # Click suggests only the commands loaded so far: offer every one.
            raise click.exceptions.NoSuchCommand(
                unknown.command_name,
                possibilities=self.list_commands(ctx),
                ctx=ctx,
            ) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            try:
                return super().invoke(ctx)
            finally:
                session = ctx.find_object(Session)
                if session is not None:
                    session.close()
        except NumdeskError as error:
            raise RejectedRequest(str(error)) from error
        except click.Abort as abort:
            raise _exit_for_abort(abort) from abort
        except KeyboardInterrupt:
            click.echo(err=True)
            raise click.exceptions.Exit(EXIT_INTERRUPTED) from None
        except (click.ClickException, click.exceptions.Exit, BrokenPipeError):
            raise
        # The last resort for bugs: users see one line instead of a traceback, unless
        # NUMDESK_DEBUG is set.
        except Exception as error:
            if os.environ.get(DEBUG_VARIABLE):
                raise
            print_error(
                f"numdesk failed with an unexpected {type(error).__name__}. This is a "
                f"bug: run the command again with {DEBUG_VARIABLE}=1 to see the "
                "traceback, and include it in a bug report."
            )
            raise click.exceptions.Exit(EXIT_REJECTED) from None


def _exit_for_abort(abort: click.Abort) -> click.exceptions.Exit:
    # click.confirm turns Ctrl+C and Ctrl+D into Abort, keeping the cause as context.
    if isinstance(abort.__context__, KeyboardInterrupt):
        click.echo(err=True)
        return click.exceptions.Exit(EXIT_INTERRUPTED)
    print_error("No answer was given, so nothing changed.")
    return click.exceptions.Exit(EXIT_REJECTED)


@click.group(
    cls=NumdeskGroup,
    invoke_without_command=True,
    epilog=example("numdesk --db ./trial.db numbers search US --features VOICE"),
)
@click.option(
    "--db",
    metavar="PATH",
    help="Sandbox store file. Defaults to $NUMDESK_DB, else numdesk.db in the user "
    "data folder.",
)
@click.option(
    "--theme",
    type=click.Choice(list(THEMES)),
    help="Colour theme of the app, also in `serve`. Defaults to $NUMDESK_THEME, "
    "else the theme last chosen in the app's palette, else dark.",
)
@click.option(
    "--account",
    "account_option",
    metavar="NAME",
    envvar=ACCOUNT_VARIABLE,
    help="Live account stored with `numdesk account add`, or `sandbox`. "
    "Defaults to $NUMDESK_ACCOUNT, else the sandbox.",
)
@click.option(
    "--live",
    is_flag=True,
    help="Use the live account of $VONAGE_API_KEY and $VONAGE_API_SECRET.",
)
@click.version_option(package_name="numdesk", prog_name="numdesk")
@click.pass_context
def numdesk(
    ctx: click.Context,
    db: str | None,
    theme: str | None,
    account_option: str | None,
    live: bool,
) -> None:
    """Manage Vonage voice numbers: search, rent, link and test caller IDs.

    Without a command, numdesk starts the full-screen app. Every command takes
    --json to print JSON for scripts, and the lists take --csv.
    """
    if db is not None and not db.strip():
        # As from `--db "$STORE"` with STORE unset, which must not mean the default.
        raise click.BadParameter(
            "the path is empty: give a store file, or leave out --db to use "
            "$NUMDESK_DB or the default store.",
            param_hint="'--db'",
        )
    if theme is None and ctx.invoked_subcommand in (None, "serve"):
        # Read here rather than by click, so that a bad value stops only the app.
        theme = theme_from_environment()
    session = Session(db, theme, account_option=account_option, live=live)
    ctx.obj = session
    if ctx.invoked_subcommand is None:
        start_app(session)


def theme_from_environment() -> str | None:
    """Return the theme that $NUMDESK_THEME names, or None when it is unset or empty.

    Raises:
        click.UsageError: the variable names no theme.
    """
    value = os.environ.get(THEME_VARIABLE, "")
    if not value:
        return None
    if value not in THEMES:
        raise click.UsageError(
            f"{THEME_VARIABLE} is {value!r}, which is not a theme: set it to "
            f"{' or '.join(THEMES)}, or unset it."
        )
    return value


def start_app(session: Session) -> None:
    """Run the Textual app on the session's account until the user quits.

    An app that stopped on an error exits with its return code, 1, once Textual
    has printed the traceback.
    """
    app = create_app(session)
    app.run()
    if app.return_code:
        sys.exit(app.return_code)


def main() -> None:
    """Run the command line with `sys.argv` and exit with its status."""
    numdesk.main(prog_name="numdesk")


if __name__ == "__main__":
    main()
