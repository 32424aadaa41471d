"""Opening a live account: credentials and settings in, a ready LiveAccount out."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from live.account import Clock, LiveAccount, Notify
from live.client import VonageClient
from live.config import Credentials
from live.settings import ConnectionSettings
from store.cache import cache_path, open_cache

_FILE_NAME_SAFE = re.compile(r"[A-Za-z0-9_-]{1,64}")


def connect_live_account(
    label: str,
    credentials: Credentials,
    settings: ConnectionSettings,
    *,
    private_keys: Path,
    cache_file: Path | None = None,
    notify: Notify | None = None,
    clock: Clock | None = None,
) -> LiveAccount:
    """Open the cache and set up the SDK client of a live account.

    Nothing is sent to Vonage until the account is used. `cache_file` defaults to
    the file that `cache_file_for(label)` names.

    Raises:
        StoreError: the cache file cannot be opened.
    """
    client = VonageClient(credentials, settings)
    cache = open_cache(cache_file or cache_file_for(label))
    return LiveAccount(
        label,
        client,
        cache,
        private_keys=private_keys,
        clock=clock,
        notify=notify,
    )


def cache_file_for(label: str) -> Path:
    """Return the cache file of the live account `label` in the user data folder.

    A label that is not a safe file name, such as an API key with unusual
    characters, is replaced by a hash of it.
    """
    if _FILE_NAME_SAFE.fullmatch(label):
        return cache_path(label)
    return cache_path(hashlib.sha256(label.encode()).hexdigest()[:16])
