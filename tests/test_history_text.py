"""The one-line description of each kind of change log entry."""

from __future__ import annotations

from typing import Any

import pytest

from domain.history import action_label, describe_change

NAMES = {"a1": "Sales", "a2": "Support"}
APP = {
    "id": "a1",
    "name": "Sales",
    "answer_url": "https://example.com/a",
    "answer_method": "GET",
    "event_url": "https://example.com/e",
    "event_method": "POST",
    "fallback_answer_url": None,
    "fallback_answer_method": "GET",
}


def name_of(app_id: str) -> str:
    return NAMES.get(app_id, app_id)


@pytest.mark.parametrize(
    ("action", "before", "after", "expected"),
    [
        (
            "rent",
            {"owned": False, "balance": "10.00"},
            {"owned": True, "balance": "9.10", "cost": "0.90"},
            "rented for 0.90 EUR a month, balance 10.00 to 9.10 EUR",
        ),
        (
            "add_credit",
            {"balance": "1.00"},
            {"balance": "11.00", "credit": "10.00"},
            "added 10.00 EUR, balance 1.00 to 11.00 EUR",
        ),
        ("cancel", {"owned": True, "app_id": None}, {"owned": False}, "cancelled"),
        (
            "cancel",
            {"owned": True, "app_id": "a1"},
            {"owned": False, "app_id": None},
            "cancelled, which removed its link to 'Sales'",
        ),
        ("link", {"app_id": None}, {"app_id": "a1"}, "linked to 'Sales'"),
        (
            "link",
            {"app_id": "a1"},
            {"app_id": "a2"},
            "linked to 'Support', replacing 'Sales'",
        ),
        ("unlink", {"app_id": "a2"}, {"app_id": None}, "unlinked from 'Support'"),
        ("unlink", {"app_id": "gone"}, {"app_id": None}, "unlinked from 'gone'"),
        ("create_application", None, APP, "created application 'Sales'"),
        (
            "update_application",
            APP,
            {**APP, "name": "Sales EU", "answer_method": "POST"},
            "edited application 'Sales EU': name 'Sales' to 'Sales EU', "
            "answer_method 'GET' to 'POST'",
        ),
        (
            "update_application",
            {**APP, "event_url": None, "fallback_answer_url": "https://x.example/fb"},
            {**APP, "event_url": "https://x.example/ev"},
            "edited application 'Sales': event_url set to 'https://x.example/ev', "
            "fallback_answer_url 'https://x.example/fb' removed",
        ),
        ("update_application", APP, APP, "saved application 'Sales' unchanged"),
        ("delete_application", APP, None, "deleted application 'Sales'"),
        (
            "restore",
            None,
            {
                "backup": "/b.db",
                "owned_numbers": 1,
                "applications": 2,
                "balance": "9.10",
            },
            "restored from '/b.db': 1 owned number, 2 applications, balance 9.10 EUR",
        ),
        ("renamed", {"x": 1}, {"x": 2}, "renamed: before {'x': 1}, after {'x': 2}"),
    ],
    ids=[
        "rent",
        "add-credit",
        "cancel",
        "cancel-linked",
        "link",
        "relink",
        "unlink",
        "unlink-deleted-app",
        "create",
        "update",
        "update-set-and-removed",
        "update-unchanged",
        "delete",
        "restore",
        "unknown-action",
    ],
)
def test_describe_change(
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    expected: str,
) -> None:
    details = {"before": before, "after": after}

    assert describe_change(action, details, name_of) == expected


def test_default_names_are_ids() -> None:
    details = {"before": {"app_id": None}, "after": {"app_id": "a1"}}

    assert describe_change("link", details) == "linked to 'a1'"


def test_markup_quoted_as_stored() -> None:
    details = {"before": None, "after": {**APP, "name": "[bold]x[/]"}}

    assert describe_change("create_application", details) == (
        "created application '[bold]x[/]'"
    )


@pytest.mark.parametrize(
    ("action", "label"),
    [
        ("create_application", "new app"),
        ("update_application", "edit app"),
        ("delete_application", "delete app"),
        ("add_credit", "add credit"),
        ("rent", "rent"),
    ],
)
def test_action_label(action: str, label: str) -> None:
    assert action_label(action) == label
