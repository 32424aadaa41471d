"""The JSON shapes of numbers and applications, using the Vonage API's field names."""

from __future__ import annotations

from typing import Any

from cli.output import format_eur
from domain.applications import Application
from domain.numbers import AvailableNumber, OwnedNumber, sort_features


def number_to_json(number: AvailableNumber) -> dict[str, Any]:
    """Return a number as the Numbers API writes it; owned numbers add `app_id`."""
    fields: dict[str, Any] = {
        "country": number.country,
        "msisdn": number.msisdn,
        "type": number.type.value,
        "features": [feature.value for feature in sort_features(number.features)],
        "cost": format_eur(number.cost),
    }
    if isinstance(number, OwnedNumber):
        fields["app_id"] = number.app_id
    return fields


def application_to_json(
    application: Application, linked: list[OwnedNumber] | None = None
) -> dict[str, Any]:
    """Return an application's fields and, when given, the msisdns linked to it."""
    fields: dict[str, Any] = {
        "id": application.id,
        "name": application.name,
        "answer_url": application.answer_url,
        "answer_method": application.answer_method.value,
        "event_url": application.event_url,
        "event_method": application.event_method.value,
        "fallback_answer_url": application.fallback_answer_url,
        "fallback_answer_method": application.fallback_answer_method.value,
    }
    if linked is not None:
        fields["numbers"] = [number.msisdn for number in linked]
    return fields
