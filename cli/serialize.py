"""The JSON shapes of numbers, applications and caller IDs.

Fields keep the names the Vonage APIs use, such as `msisdn`, `app_id` and `answer_url`.
"""

from __future__ import annotations

from typing import Any

from cli.output import format_eur
from domain.applications import Application
from domain.batch import result_fields
from domain.callerid import AnswerRequest, InboundCall, OutboundCallerId
from domain.e164 import FormatResult
from domain.numbers import AvailableNumber, OwnedNumber, sort_features


def number_to_json(number: AvailableNumber) -> dict[str, Any]:
    """Return a number as the Numbers API writes it. Owned numbers add `app_id`."""
    fields: dict[str, Any] = {
        "country": number.country,
        "msisdn": number.msisdn,
        "type": number.type.value,
        "features": [feature.value for feature in sort_features(number.features)],
        "cost": format_eur(number.cost) if number.cost_is_known else None,
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


def format_result_to_json(result: FormatResult) -> dict[str, Any]:
    """Return the diagnosis of `vonage_format`, as `format --file --json` writes it.

    `e164` is null unless a number was read.
    """
    return result_fields(result)


def outbound_to_json(caller_id: OutboundCallerId) -> dict[str, Any]:
    """Return the `from` an outbound call carries and why."""
    return {
        "input": caller_id.input,
        "from": caller_id.sent_from,
        "owned": caller_id.owned,
        "reason": caller_id.reason,
    }


def inbound_to_json(call: InboundCall) -> dict[str, Any]:
    """Return an inbound call preview: `from` as received, its diagnosis and request.

    `diagnosis` has every field of `format --json`, with the changes that give the
    suggested number. `application` and `request` are null when the called number
    is not linked.
    """
    application = None
    if call.application is not None:
        application = application_to_json(call.application)
    return {
        "input": call.input,
        "from": call.received_from,
        "status": call.diagnosis.status.value,
        "suggested": call.suggested,
        "reason": call.diagnosis.reason,
        "diagnosis": result_fields(call.diagnosis),
        "to": call.to.msisdn,
        "application": application,
        "request": _answer_request_to_json(call.request),
        "explanation": call.explanation,
    }


def _answer_request_to_json(request: AnswerRequest | None) -> dict[str, Any] | None:
    if request is None:
        return None
    return {
        "method": request.method.value,
        "url": request.url,
        "params": dict(request.params),
        "full_url": request.full_url(),
    }
