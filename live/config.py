"""Named live accounts: API keys and secrets in a config file readable only by its owner.

The file is JSON, `{"accounts": {NAME: {"api_key": ..., "api_secret": ...}}}`, at
`$NUMDESK_CONFIG` or else `accounts.json` in platformdirs' user config folder
(`~/.config/numdesk` on Linux). It is always written with mode 0600 and read only when
no other user may read it.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

from domain.errors import InvalidInput, NotFound, NumdeskError

CONFIG_VARIABLE = "NUMDESK_CONFIG"
CONFIG_FILE_NAME = "accounts.json"
SANDBOX_NAME = "sandbox"
MAX_NAME_LENGTH = 32
MAX_CREDENTIAL_LENGTH = 256
OWNER_ONLY_FILE = 0o600
OWNER_ONLY_FOLDER = 0o700

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
_PRINTABLE_ASCII = re.compile(r"[\x21-\x7e]+")


class ConfigError(NumdeskError):
    """A config file or private key file that cannot be read or written safely."""


class Secret:
    """A credential that never shows its value in `str`, `repr`, logs or tracebacks.

    Only `reveal()` returns the value, for the one place that sends it to Vonage.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """Return the secret value itself."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


@dataclass(frozen=True)
class Credentials:
    """An API key and secret of a Vonage account."""

    api_key: str
    api_secret: Secret


def validate_account_name(name: str) -> str:
    """Return `name` if it can name a live account.

    Raises:
        InvalidInput: it is empty, too long, uses other characters than letters,
            digits, `-` and `_`, or is `sandbox`, which always means the sandbox.
    """
    if not _NAME.fullmatch(name) or len(name) > MAX_NAME_LENGTH:
        raise InvalidInput(
            f"{name!r} is not a valid account name: use 1 to {MAX_NAME_LENGTH} "
            "letters, digits, '-' or '_', starting with a letter or digit."
        )
    if name.lower() == SANDBOX_NAME:
        raise InvalidInput(
            f"{name!r} is reserved for the local sandbox: choose another account name."
        )
    return name


def validate_credentials(api_key: str, api_secret: str) -> Credentials:
    """Return the key and secret as Credentials if both look like Vonage credentials.

    The messages never include the secret.

    Raises:
        InvalidInput: either one is empty, too long or has spaces or control characters.
    """
    api_key = api_key.strip()
    if not _PRINTABLE_ASCII.fullmatch(api_key) or len(api_key) > MAX_CREDENTIAL_LENGTH:
        raise InvalidInput(
            f"The API key {api_key!r} is not valid: copy it from the Vonage dashboard, "
            "without spaces."
        )
    api_secret = api_secret.strip()
    if (
        not _PRINTABLE_ASCII.fullmatch(api_secret)
        or len(api_secret) > MAX_CREDENTIAL_LENGTH
    ):
        raise InvalidInput(
            "The API secret is empty or contains spaces or control characters: copy "
            "it again from the Vonage dashboard."
        )
    return Credentials(api_key, Secret(api_secret))


def config_path(environ: Mapping[str, str] = os.environ) -> Path:
    """Return the config file path: `$NUMDESK_CONFIG`, else the user config folder."""
    from_environment = environ.get(CONFIG_VARIABLE, "").strip()
    if from_environment:
        return Path(from_environment).expanduser()
    return platformdirs.user_config_path("numdesk") / CONFIG_FILE_NAME


def private_key_folder(path: Path) -> Path:
    """Return the folder, next to the config file, that keeps application private keys."""
    return path.parent / "private-keys"


class AccountConfig:
    """The named live accounts stored in one config file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def names(self) -> list[str]:
        """Return the account names, sorted."""
        return sorted(self._accounts())

    def credentials(self, name: str) -> Credentials:
        """Return the credentials stored under `name`.

        Raises:
            NotFound: no account has that name.
            ConfigError: the file is unsafe or damaged.
        """
        entry = self._accounts().get(name)
        if entry is None:
            raise NotFound(
                f"No live account is named {name!r}: add it with `numdesk account add "
                f"{name}`, or list the accounts with `numdesk account list`."
            )
        return Credentials(entry["api_key"], Secret(entry["api_secret"]))

    def add(self, name: str, credentials: Credentials) -> None:
        """Store `credentials` under `name`, replacing an account of that name."""
        accounts = self._accounts()
        accounts[validate_account_name(name)] = {
            "api_key": credentials.api_key,
            "api_secret": credentials.api_secret.reveal(),
        }
        self._write(accounts)

    def remove(self, name: str) -> None:
        """Remove the account `name`.

        Raises:
            NotFound: no account has that name.
        """
        accounts = self._accounts()
        if name not in accounts:
            raise NotFound(
                f"No live account is named {name!r}: list the accounts with "
                "`numdesk account list`."
            )
        del accounts[name]
        self._write(accounts)

    def _accounts(self) -> dict[str, dict[str, str]]:
        text = self._read_text()
        if text is None:
            return {}
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            raise self._damaged() from error
        return _accounts_from(document, self._damaged)

    def _read_text(self) -> str | None:
        try:
            file_stat = self.path.stat()
        except FileNotFoundError:
            return None
        except OSError as error:
            raise ConfigError(
                f"The config file {self.path} cannot be read: check its permissions."
            ) from error
        if file_stat.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise ConfigError(
                f"The config file {self.path} contains API secrets but other users may "
                f"read it: run `chmod 600 {self.path}` and check who could have read it."
            )
        try:
            return self.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise ConfigError(
                f"The config file {self.path} cannot be read: check that it is a "
                "UTF-8 text file that your user may read."
            ) from error

    def _write(self, accounts: dict[str, dict[str, str]]) -> None:
        text = json.dumps({"accounts": accounts}, indent=2, sort_keys=True) + "\n"
        try:
            write_owner_only(self.path, text)
        except OSError as error:
            raise ConfigError(
                f"The config file {self.path} cannot be written: check that your user "
                "may write to its folder."
            ) from error

    def _damaged(self) -> ConfigError:
        return ConfigError(
            f"The config file {self.path} is not a numdesk account list: fix or move "
            "it, then add the accounts again."
        )


def _accounts_from(document: Any, damaged: Any) -> dict[str, dict[str, str]]:
    accounts = document.get("accounts") if isinstance(document, dict) else None
    if not isinstance(accounts, dict):
        raise damaged()
    for entry in accounts.values():
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("api_key"), str)
            and isinstance(entry.get("api_secret"), str)
        ):
            raise damaged()
    return accounts


def write_owner_only(path: Path, text: str) -> None:
    """Replace the file at `path` with `text`, readable and writable by its owner only.

    The new file is created with mode 0600 (never widened and then narrowed) in the
    same folder and renamed over `path`, so a reader sees the old file or the new one.
    A missing folder is created with mode 0700.

    Raises:
        OSError: the folder or the file cannot be created or written.
    """
    path.parent.mkdir(mode=OWNER_ONLY_FOLDER, parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(
        temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY_FILE
    )
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


_APP_ID = re.compile(r"[A-Za-z0-9-]{1,64}")


def save_private_key(folder: Path, app_id: str, key: str) -> Path:
    """Write an application's private key to `folder/APP_ID.key`, readable by its owner.

    Vonage returns a private key only in the reply that created it, so this copy is
    the only one.

    Raises:
        ConfigError: the id is not a Vonage application id, or the file cannot be
            written.
    """
    if not _APP_ID.fullmatch(app_id):
        raise ConfigError(
            f"Vonage returned a private key for the application id {app_id!r}, which "
            "is not a valid file name, so the key was not saved: create a new key in "
            "the Vonage dashboard."
        )
    path = folder / f"{app_id}.key"
    try:
        write_owner_only(path, key)
    except OSError as error:
        raise ConfigError(
            f"The private key of application {app_id} cannot be written to {path}: "
            "check that your user may write to that folder, then create a new key in "
            "the Vonage dashboard."
        ) from error
    return path
