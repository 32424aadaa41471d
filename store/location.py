"""The store file's location: the --db option, else NUMDESK_DB, else the user data folder."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import platformdirs

ENVIRONMENT_VARIABLE = "NUMDESK_DB"
FILE_NAME = "numdesk.db"


def resolve_store_path(
    option: str | Path | None, environ: Mapping[str, str] = os.environ
) -> Path:
    """Return the store path from `--db`, else `NUMDESK_DB`, else the platform default.

    The default is `numdesk.db` in platformdirs' user data folder for `numdesk`
    (`~/.local/share/numdesk` on Linux). A leading `~` is expanded. The file and its
    folder are not created here.
    """
    if option is not None and str(option).strip():
        return Path(option).expanduser()

    from_environment = environ.get(ENVIRONMENT_VARIABLE, "").strip()
    if from_environment:
        return Path(from_environment).expanduser()

    return default_store_path()


def default_store_path() -> Path:
    """Return `numdesk.db` in platformdirs' user data folder for `numdesk`."""
    return platformdirs.user_data_path("numdesk") / FILE_NAME
