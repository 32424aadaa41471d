"""Noticing changes that other processes commit to the account's store."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from domain.errors import NumdeskError


@runtime_checkable
class WatchableAccount(Protocol):
    """An account whose store can tell that another process has changed it."""

    def data_version(self) -> int | None:
        """Return a number that changes when another connection commits, or None.

        None means the store cannot be asked now without waiting.
        """
        ...


class StoreWatch:
    """Compares the store's data version between polls of one account.

    The version when the watch is made is the baseline, so a change committed before
    the first poll still counts. Accounts without a local store, such as a live
    account, never report a change.
    """

    def __init__(self, account: object) -> None:
        self._account = account if isinstance(account, WatchableAccount) else None
        self._version = self._read_version()

    def changed(self) -> bool:
        """Return whether another process committed since the last call.

        A store that cannot be read now counts as unchanged, because the next poll
        reads it again.
        """
        version = self._read_version()
        if version is None or version == self._version:
            return False
        self._version = version
        return True

    def _read_version(self) -> int | None:
        if self._account is None:
            return None
        try:
            return self._account.data_version()
        except NumdeskError:
            return None
