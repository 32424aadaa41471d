"""The rules for linking owned numbers to voice applications."""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.errors import LinkNotAllowed
from domain.numbers import OwnedNumber

if TYPE_CHECKING:
    from domain.applications import Application


def check_link(number: OwnedNumber, application: Application) -> None:
    """Raise LinkNotAllowed unless `number` may link to the voice `application`.

    A number links to at most one application, so linking a number that is already
    linked elsewhere replaces that link; callers ask the user first (see `relinks`).
    """
    if not number.has_voice:
        raise LinkNotAllowed(
            f"{number.msisdn} has no VOICE feature, so it cannot link to the voice "
            f"application {application.name!r}: rent a number with VOICE."
        )


def relinks(number: OwnedNumber, application: Application) -> bool:
    """Return whether linking would replace the number's link to another application."""
    return number.app_id is not None and number.app_id != application.id
