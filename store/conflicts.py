"""Optimistic concurrency: reject a change that was decided on an outdated read.

Several numdesk processes may work on one store. An operator who saw a number with no
link and confirmed its cancel must not silently cut a link that another operator made
in the meantime. Likewise, saving an edited application must not overwrite fields
that someone else saved after the form was filled. So an account remembers what it
last returned for each number's link and each application. A change compares those
values with the ones it reads inside its write transaction, and raises
`ChangedElsewhere` without writing anything when another process changed them.

A number or application that the account never returned is not checked: whoever
changes it has seen no older state of it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from typing import TYPE_CHECKING

from domain.errors import ChangedElsewhere
from domain.numbers import OwnedNumber

if TYPE_CHECKING:
    from domain.applications import Application

AGAIN = "Nothing was changed: look at it again, then repeat the change if you still want it."


class LastSeen:
    """The link of each number and the fields of each application, as last returned.

    Not thread-safe: the account calls it while holding its own lock.
    """

    def __init__(self) -> None:
        self._links: dict[str, str | None] = {}
        self._applications: dict[str, Application] = {}

    def saw_numbers(self, numbers: Iterable[OwnedNumber]) -> None:
        """Remember the link of each number, as the caller now knows it."""
        for number in numbers:
            self._links[number.msisdn] = number.app_id

    def saw_applications(self, applications: Iterable[Application]) -> None:
        """Remember the fields of each application, as the caller now knows them."""
        for application in applications:
            self._applications[application.id] = application

    def forget_number(self, msisdn: str) -> None:
        """Forget a number that the account no longer owns."""
        self._links.pop(msisdn, None)

    def forget_application(self, app_id: str) -> None:
        """Forget an application that no longer exists."""
        self._applications.pop(app_id, None)

    def check_number(
        self,
        current: OwnedNumber,
        application_name: Callable[[str], str],
        seen: OwnedNumber | None = None,
    ) -> None:
        """Check that the number's link is still `seen.app_id`, else the one last returned.

        `seen` is the number as the user saw it when deciding on the change; without
        it, the link this account last returned is the expectation.
        `application_name(app_id)` returns the name shown for an application id.

        Raises:
            ChangedElsewhere: another process linked, unlinked or relinked it since.
        """
        if seen is not None:
            check_link_unchanged(current, seen.app_id, application_name)
        elif current.msisdn in self._links:
            check_link_unchanged(current, self._links[current.msisdn], application_name)

    def check_application(self, current: Application) -> None:
        """Check that the application's fields are still the ones last returned.

        Raises:
            ChangedElsewhere: another process edited the application since.
        """
        seen = self._applications.get(current.id)
        if seen is None or seen == current:
            return
        raise ChangedElsewhere(
            f"Another numdesk edited the application {current.name!r} ({current.id}) "
            f"after you last looked. {AGAIN}"
        )

    def check_application_deleted(self, app_id: str) -> None:
        """Explain a missing application that this account returned before.

        The application is forgotten, so a later change names no conflict again.

        Raises:
            ChangedElsewhere: another process deleted it after this account read it.
        """
        seen = self._applications.get(app_id)
        if seen is None:
            return
        self.forget_application(app_id)
        raise ChangedElsewhere(
            f"Another numdesk deleted the application {seen.name!r} ({app_id}) after "
            "you last looked. Nothing was changed."
        )


def check_link_unchanged(
    current: OwnedNumber,
    seen_app_id: str | None,
    application_name: Callable[[str], str],
) -> None:
    """Check that the number is still linked to `seen_app_id` (None: not linked).

    Raises:
        ChangedElsewhere: another process linked, unlinked or relinked it since.
    """
    if seen_app_id == current.app_id:
        return
    raise ChangedElsewhere(
        f"Another numdesk changed {current.msisdn} after you last looked: it was "
        f"{_link_text(seen_app_id, application_name)} and is now "
        f"{_link_text(current.app_id, application_name)}. {AGAIN}"
    )


def check_linked_unchanged(
    application: Application,
    current: Iterable[OwnedNumber],
    seen_linked: Collection[str],
) -> None:
    """Check that the numbers linked to `application` are still `seen_linked`.

    Raises:
        ChangedElsewhere: another process linked or unlinked one of them since.
    """
    linked = sorted(number.msisdn for number in current)
    if linked == sorted(seen_linked):
        return
    raise ChangedElsewhere(
        f"Another numdesk changed the numbers linked to {application.name!r} after you "
        f"last looked: {_numbers_text(seen_linked)} before, "
        f"{_numbers_text(linked)} now. {AGAIN}"
    )


def _numbers_text(msisdns: Collection[str]) -> str:
    return ", ".join(sorted(msisdns)) if msisdns else "none"


def _link_text(app_id: str | None, application_name: Callable[[str], str]) -> str:
    if app_id is None:
        return "not linked"
    return f"linked to {application_name(app_id)!r}"
