"""Reads through the account that keep the app working while Vonage is slow.

A live account's read waits for Vonage, up to its timeout on every attempt, so it
runs in a thread and the event loop keeps handling keys. The sandbox reads a local
SQLite file in WAL mode, where a reader does not wait for a writer, so its reads run
at once and their result is shown before `AccountReads.run` returns.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable
from typing import TypeVar

from textual.dom import DOMNode
from textual.worker import Worker

from domain.account import Account
from domain.errors import NumdeskError

T = TypeVar("T")

LOADING_TEXT = "Loading from Vonage... the keys still work meanwhile."


class AccountReads:
    """The reads that one screen, or the app, runs through its account.

    Every read belongs to a group, such as `numbers`. A newer read in a group
    replaces one still waiting, whose result or error is dropped when it comes.
    The older read's thread cannot be stopped, so it runs to its end meanwhile.
    """

    def __init__(
        self, owner: DOMNode, on_waiting: Callable[[bool], object] | None = None
    ) -> None:
        """Run the workers on `owner`, and call `on_waiting` when `waiting` changes."""
        self._owner = owner
        self._on_waiting = on_waiting
        self._numbers = itertools.count(1)
        self._latest: dict[str, int] = {}
        self._in_threads: set[int] = set()

    @property
    def waiting(self) -> bool:
        """Whether a read in a thread has not returned yet."""
        return bool(self._in_threads)

    def run(
        self,
        account: Account,
        read: Callable[[], T],
        show: Callable[[T], object],
        fail: Callable[[NumdeskError], object],
        group: str,
    ) -> Worker[None] | None:
        """Call `read`, then `show` with its result or `fail` with its NumdeskError.

        `read` runs in a thread when the account reads over the network, so it must
        touch the account only, never a widget. `show` and `fail` run on the event
        loop. Returns the worker that waits for the thread, or None when the read
        ran at once.
        """
        number = next(self._numbers)
        self._latest[group] = number
        if not account.reads_over_network:
            try:
                result = read()
            except NumdeskError as error:
                fail(error)
                return None
            show(result)
            return None

        self._set_waiting(number, waiting=True)
        return self._owner.run_worker(
            self._read_in_thread(number, group, read, show, fail),
            name=f"read {group}",
            group=f"account-read-{group}",
        )

    async def _read_in_thread(
        self,
        number: int,
        group: str,
        read: Callable[[], T],
        show: Callable[[T], object],
        fail: Callable[[NumdeskError], object],
    ) -> None:
        try:
            # NOTE: the thread cannot be stopped, so quitting while a read waits for
            # Vonage waits too: asyncio.run joins the default executor's threads.
            result = await asyncio.to_thread(read)
        except NumdeskError as error:
            self._set_waiting(number, waiting=False)
            if self._is_latest(number, group):
                fail(error)
            return
        self._set_waiting(number, waiting=False)
        if self._is_latest(number, group):
            show(result)

    def _is_latest(self, number: int, group: str) -> bool:
        return self._latest.get(group) == number

    def _set_waiting(self, number: int, *, waiting: bool) -> None:
        was_waiting = self.waiting
        if waiting:
            self._in_threads.add(number)
        else:
            self._in_threads.discard(number)
        if self._on_waiting is not None and self.waiting != was_waiting:
            self._on_waiting(self.waiting)
