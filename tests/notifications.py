"""The messages of the app's notifications, for tests that check them.

Textual has no public accessor for the notifications on display, so these read
the app's own list.
"""

from __future__ import annotations

from typing import Any

from textual.app import App


def notification_messages(app: App[Any]) -> list[str]:
    """Return the message of each notification on display, oldest first."""
    return [notification.message for notification in app._notifications]


def errors_shown(app: App[Any]) -> list[tuple[str, str]]:
    """Return the title and message of each error notification on display."""
    return [
        (notification.title, notification.message)
        for notification in app._notifications
        if notification.severity == "error"
    ]
