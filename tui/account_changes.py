"""Changes through the account that run in a thread, with ctrl+g to retry them.

A write waits up to the store's busy timeout while another process keeps the store
locked. Running it in a thread keeps the screen and its keys working meanwhile.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from domain.errors import NumdeskError, StoreBusy

if TYPE_CHECKING:
    from tui.app import NumdeskApp

T = TypeVar("T")
RETRY_HINT = "Press ctrl+g to try again."


async def change_in_thread(change: Callable[[], T]) -> T:
    """Run `change`, a call that writes through the account, in a thread.

    Raises:
        NumdeskError: the account rejected the change, or the store stayed busy.
    """
    return await asyncio.to_thread(change)


def failure_message(
    app: NumdeskApp, error: NumdeskError, retry: Callable[[], object] | None
) -> str:
    """Return the message for a rejected change, offering `retry` on ctrl+g.

    The retry is offered, and the message says so, only when the store stayed busy
    and `retry` is given.
    """
    if isinstance(error, StoreBusy) and retry is not None:
        app.offer_retry(retry)
        return f"{error} {RETRY_HINT}"
    return str(error)
