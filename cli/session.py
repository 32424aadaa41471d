"""The state every command shares: the root options and the account they open."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from cli.output import echo, escape_controls
from domain.countries import country_from_locale
from domain.errors import StoreError
from store.account import ProgressCallback, SandboxAccount, open_sandbox
from store.location import default_store_path, resolve_store_path

if TYPE_CHECKING:
    from live.account import LiveAccount


# The variable that chooses the account when `--account` is not given.
ACCOUNT_VARIABLE = "NUMDESK_ACCOUNT"
# The name that `--account` gives the sandbox.
SANDBOX = "sandbox"


def chooses_live_account(account_option: str | None, live: bool) -> bool:
    """Tell whether `--account` or `--live` chose a live account, not the sandbox."""
    name = (account_option or "").strip()
    return live or name not in ("", SANDBOX)


class Session:
    """The root options of one command line run and the account opened from them.

    Commands that need no account, such as `format`, never open the store, so they
    neither create nor lock a file.
    """

    def __init__(
        self,
        db_option: str | None,
        theme: str | None = None,
        account_option: str | None = None,
        live: bool = False,
    ) -> None:
        self.db_option = db_option
        self.theme = theme
        self.account_option = account_option
        self.live = live
        self._account: SandboxAccount | LiveAccount | None = None

    @property
    def store_path(self) -> Path:
        """The store file that `--db`, else `NUMDESK_DB`, else the default names.

        The default's folder is created with the store. A folder named in `--db` or
        `NUMDESK_DB` must exist already, so that a mistyped path is not a new store.

        Raises:
            StoreError: the folder of a store path given by the user does not exist.
        """
        path = resolve_store_path(self.db_option, os.environ)
        if path != default_store_path() and not path.parent.is_dir():
            raise StoreError(
                f"The folder {escape_controls(str(path.parent))} of the store "
                f"{escape_controls(str(path))} does not exist: check the path given in "
                "--db or NUMDESK_DB, or create the folder first."
            )
        return path

    def account(
        self, on_progress: ProgressCallback | None = None
    ) -> SandboxAccount | LiveAccount:
        """Open the chosen account on first use: a live one, else the sandbox.

        Opening the sandbox generates its store when the file is new, reporting the
        regions done to `on_progress(done, total)` (default: a line on stderr).

        Raises:
            NumdeskError: the live account or the sandbox store cannot be opened.
        """
        if self._account is None and chooses_live_account(
            self.account_option, self.live
        ):
            # Imported here, so that the sandbox and commands with no account skip it.
            from cli.accounts import open_chosen_live_account

            self._account = open_chosen_live_account(self.account_option, self.live)
        if self._account is None:
            path = self.store_path
            progress = on_progress or GenerationProgress(path)
            self._account = open_sandbox(path, on_progress=progress)
        return self._account

    def close(self) -> None:
        """Close the account if a command opened it."""
        if self._account is not None:
            self._account.close()
            self._account = None


class GenerationProgress:
    """Reports on stderr, in one line, that a new store's inventory is being generated.

    On a terminal the line counts the regions done and ends when the last is done.
    Elsewhere, such as in a log file, the line is printed once, when generation starts.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.started = False

    def __call__(self, done: int, total: int) -> None:
        message = (
            f"Generating the sandbox inventory in {escape_controls(str(self.path))}"
        )
        if sys.stderr.isatty():
            ending = "\n" if done >= total else ""
            echo(f"\r{message}: {done}/{total} regions", err=True, nl=False)
            echo(ending, err=True, nl=False)
        elif not self.started:
            echo(f"{message}, which takes a few seconds.", err=True)
        self.started = True


def locale_region(environ: Mapping[str, str]) -> str:
    """Return the region of the user's telephone locale, such as GB for `en_GB.UTF-8`.

    POSIX lets LC_ALL override LC_TELEPHONE, which overrides LANG. Without any of them,
    or when the locale names no region, as C.UTF-8, the region is the app's default.
    """
    return country_from_locale(_telephone_locale(environ))


def locale_region_words(environ: Mapping[str, str]) -> str:
    """Name the region that `locale_region` returns, for reasons and notes."""
    if country_from_locale(_telephone_locale(environ), default=None) is None:
        return "the default region, as your locale names none"
    return "the region of your locale"


def _telephone_locale(environ: Mapping[str, str]) -> str | None:
    for variable in ("LC_ALL", "LC_TELEPHONE", "LANG"):
        if environ.get(variable):
            return environ[variable]
    return None
