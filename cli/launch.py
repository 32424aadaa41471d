"""The `numdesk` command's entry point, which starts the app without click when it can.

Plain `numdesk`, with no arguments, is how the app is usually started, and
importing click takes a tenth of the app's start-up. So a plain start with a
valid environment builds the app here. Any other command line, and a plain start
that the environment or the store stops before the app shows, goes to the click
command (`cli.main`), which reports it as for every command.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from cli.country_cache import country_cache_path, load_country_table
from cli.output import escape_controls
from cli.preferences import preferences_path, save_theme, saved_theme
from cli.session import (
    ACCOUNT_VARIABLE,
    Session,
    chooses_live_account,
    locale_region,
)

if TYPE_CHECKING:
    from tui.app import NumdeskApp

EXIT_INTERRUPTED = 130
THEME_VARIABLE = "NUMDESK_THEME"
# Shells complete a command line by running plain `numdesk` with this variable
# set, which click handles.
COMPLETION_VARIABLE = "_NUMDESK_COMPLETE"
# The --theme choices and the Textual themes they select.
THEMES = {"dark": "textual-dark", "light": "textual-light"}


def main() -> None:
    """Run `numdesk` with `sys.argv` and exit with its status."""
    started = len(sys.argv) == 1 and start_plain_app()
    if not started:
        from cli.main import main as run_command_line

        run_command_line()


def start_plain_app() -> bool:
    """Run the app as plain `numdesk` does, and return False if click must start it.

    Exits with the app's return code when the app stopped on an error.
    """
    try:
        opened = open_plain_app()
    except KeyboardInterrupt:
        print(file=sys.stderr)
        sys.exit(EXIT_INTERRUPTED)
    if opened is None:
        return False
    app, session = opened
    try:
        app.run()
    finally:
        session.close()
    if app.return_code:
        sys.exit(app.return_code)
    return True


def open_plain_app() -> tuple[NumdeskApp, Session] | None:
    """Build the app of plain `numdesk` and its session, or return None.

    None means that click must take over: the environment names a live account
    or a theme that is not one, or is set for shell completion, or the store
    cannot be opened. click then prints the completions or reports the problem.
    """
    theme = os.environ.get(THEME_VARIABLE, "")
    if theme not in ("", *THEMES):
        return None
    if chooses_live_account(os.environ.get(ACCOUNT_VARIABLE), live=False):
        return None
    if COMPLETION_VARIABLE in os.environ:
        return None
    session = Session(None, theme or None)
    try:
        return create_app(session), session
    # Whatever stops the start here stops click's too, and click reports it, bugs
    # included, in one line with an exit status.
    except Exception:
        session.close()
        return None


def create_app(session: Session) -> NumdeskApp:
    """Build the Textual app on the session's account, as `numdesk` starts it.

    When the sandbox store does not exist yet, the app shows at once and opens the
    account in the background, with a progress bar while the store is generated.
    The theme is --theme or $NUMDESK_THEME, else the one last chosen in the app.
    """
    # Textual is imported here only, so that commands start fast without it.
    from tui.app import NumdeskApp

    load_country_table(country_cache_path())
    country = locale_region(os.environ)
    path = session.store_path
    if path.exists():
        app = NumdeskApp(session.account(), default_country=country)
    else:
        app = NumdeskApp(
            open_account=session.account,
            default_country=country,
            store_label=escape_controls(str(path)),
        )
    preferences = preferences_path()
    theme = THEMES[session.theme] if session.theme is not None else None
    theme = theme or saved_theme(preferences)
    if theme is not None and theme in app.available_themes:
        app.theme = theme
    app.remember_theme = lambda chosen: save_theme(preferences, chosen)
    return app
