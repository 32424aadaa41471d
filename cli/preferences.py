"""The app's saved preferences: the theme last chosen in its palette.

The file is JSON, `{"theme": NAME}`, named `preferences.json` in platformdirs' user
config folder (`~/.config/numdesk` on Linux), beside the live accounts' config.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import platformdirs

PREFERENCES_FILE_NAME = "preferences.json"


def preferences_path() -> Path:
    """Return the preferences file's path in the user config folder."""
    return platformdirs.user_config_path("numdesk") / PREFERENCES_FILE_NAME


def saved_theme(path: Path) -> str | None:
    """Return the theme saved in `path`, or None when none is saved or readable.

    A missing, unreadable or malformed file is no reason to stop the app, which
    then starts with its default theme.
    """
    try:
        theme = json.loads(path.read_text(encoding="utf-8")).get("theme")
    except (OSError, ValueError, AttributeError):
        return None
    return theme if isinstance(theme, str) and theme else None


def save_theme(path: Path, theme: str) -> None:
    """Save `theme` in `path`, replacing the file whole so it is never half-written.

    Raises:
        OSError: the folder or file cannot be written.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    partial.write_text(json.dumps({"theme": theme}) + "\n", encoding="utf-8")
    os.replace(partial, path)
