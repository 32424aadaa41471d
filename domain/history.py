"""One-line descriptions of change log entries, shared by the History screen and CLI.

An entry's details contain `before` and `after` mappings of the fields it changed, as
the sandbox store writes them. Money values are EUR text such as `"9.10"`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

# The application fields that an edit may change, in the order they are described.
_APPLICATION_FIELDS = (
    "name",
    "answer_url",
    "answer_method",
    "event_url",
    "event_method",
    "fallback_answer_url",
    "fallback_answer_method",
)

ApplicationName = Callable[[str], str]


# Short names for the actions whose log names are long, as a table column shows them.
_ACTION_LABELS = {
    "create_application": "new app",
    "update_application": "edit app",
    "delete_application": "delete app",
}


def action_label(action: str) -> str:
    """Return the short name people read for a logged action, such as `new app`."""
    return _ACTION_LABELS.get(action, action.replace("_", " "))


def describe_change(
    action: str,
    details: Mapping[str, Any],
    application_name: ApplicationName = str,
) -> str:
    """Return what a change log entry changed, such as `linked to 'Sales'`.

    `application_name(app_id)` returns the name shown for an application id. The
    default shows the id itself. Values from users, such as names and URLs, are
    quoted as they are stored, so callers must display the text literally.
    """
    before: Mapping[str, Any] = details.get("before") or {}
    after: Mapping[str, Any] = details.get("after") or {}
    describe = _DESCRIPTIONS.get(action)
    if describe is None:
        return f"{action}: before {dict(before)}, after {dict(after)}"
    return describe(before, after, application_name)


def _rent(
    before: Mapping[str, Any], after: Mapping[str, Any], name: ApplicationName
) -> str:
    return (
        f"rented for {after.get('cost')} EUR a month, balance "
        f"{before.get('balance')} to {after.get('balance')} EUR"
    )


def _cancel(
    before: Mapping[str, Any], after: Mapping[str, Any], name: ApplicationName
) -> str:
    if before.get("app_id") is None:
        return "cancelled"
    return f"cancelled, which removed its link to {_linked_name(before, name)!r}"


def _link(
    before: Mapping[str, Any], after: Mapping[str, Any], name: ApplicationName
) -> str:
    text = f"linked to {_linked_name(after, name)!r}"
    if before.get("app_id") is None:
        return text
    return f"{text}, replacing {_linked_name(before, name)!r}"


def _unlink(
    before: Mapping[str, Any], after: Mapping[str, Any], name: ApplicationName
) -> str:
    return f"unlinked from {_linked_name(before, name)!r}"


def _linked_name(link: Mapping[str, Any], name: ApplicationName) -> str:
    """Name the application of a logged link as it was named then.

    A link logged with its id only is named as the application is named now.
    """
    logged = link.get("app_name")
    return str(logged) if logged is not None else name(link["app_id"])


def _create_application(
    before: Mapping[str, Any], after: Mapping[str, Any], name: ApplicationName
) -> str:
    return f"created application {after.get('name')!r}"


def _update_application(
    before: Mapping[str, Any], after: Mapping[str, Any], name: ApplicationName
) -> str:
    changes = [
        _field_change(field, before.get(field), after.get(field))
        for field in _APPLICATION_FIELDS
        if before.get(field) != after.get(field)
    ]
    if not changes:
        return f"saved application {after.get('name')!r} unchanged"
    return f"edited application {after.get('name')!r}: {', '.join(changes)}"


def _field_change(field: str, before: object, after: object) -> str:
    if before is None:
        return f"{field} set to {after!r}"
    if after is None:
        return f"{field} {before!r} removed"
    return f"{field} {before!r} to {after!r}"


def _delete_application(
    before: Mapping[str, Any], after: Mapping[str, Any], name: ApplicationName
) -> str:
    return f"deleted application {before.get('name')!r}"


def _restore(
    before: Mapping[str, Any], after: Mapping[str, Any], name: ApplicationName
) -> str:
    return (
        f"restored from {after.get('backup')!r}: "
        f"{_count(after.get('owned_numbers'), 'owned number')}, "
        f"{_count(after.get('applications'), 'application')}, balance "
        f"{after.get('balance')} EUR"
    )


def _count(count: object, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _add_credit(
    before: Mapping[str, Any], after: Mapping[str, Any], name: ApplicationName
) -> str:
    return (
        f"added {after.get('credit')} EUR, balance {before.get('balance')} to "
        f"{after.get('balance')} EUR"
    )


_DESCRIPTIONS: dict[
    str, Callable[[Mapping[str, Any], Mapping[str, Any], ApplicationName], str]
] = {
    "rent": _rent,
    "cancel": _cancel,
    "link": _link,
    "unlink": _unlink,
    "create_application": _create_application,
    "update_application": _update_application,
    "delete_application": _delete_application,
    "restore": _restore,
    "add_credit": _add_credit,
}
