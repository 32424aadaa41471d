"""Finding an application from the id, or id prefix, given on the command line."""

from __future__ import annotations

from domain.account import Account
from domain.applications import Application, find_application

UUID_LENGTH = 36


def resolve_application(account: Account, app_id: str) -> Application:
    """Return the application with this whole id, or the one its prefix names.

    Raises:
        NotFound: no application matches.
        InvalidInput: a prefix matches several applications.
    """
    if len(app_id.strip()) == UUID_LENGTH:
        return account.application(app_id.strip())
    return find_application(account.applications(), app_id)
