"""Caller IDs of calls: the `from` Vonage sends, and the request an app receives.

Outbound, Vonage sends `from` only when it is a number the account owns (linked to
any application or none), and sends `unknown` otherwise. Inbound, Vonage passes the
caller ID through as the network sent it: numdesk shows that value unchanged and
puts its diagnosis and the normalized form next to it.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from urllib.parse import urlencode, urlsplit, urlunsplit

from domain.applications import Application, HttpMethod, webhook_warnings
from domain.e164 import FormatResult, FormatStatus, naming_region, vonage_format
from domain.numbers import OwnedNumber

__all__ = [
    "UNKNOWN_CALLER",
    "AnswerRequest",
    "InboundCall",
    "OutboundCallerId",
    "inbound_call",
    "outbound_caller_id",
]

UNKNOWN_CALLER = "unknown"

# Fixed, so that the same call preview gets the same uuids on every run.
_PREVIEW_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "numdesk:answer-request-preview")


@dataclass(frozen=True)
class OutboundCallerId:
    """The `from` Vonage sends for a caller ID on an outbound call, and why."""

    input: str
    sent_from: str
    owned: bool
    reason: str
    formatted: FormatResult


def outbound_caller_id(
    raw: str, owned_msisdns: Collection[str], region: str | None = None
) -> OutboundCallerId:
    """Return the `from` Vonage sends when a call is placed with caller ID `raw`.

    `owned_msisdns` are the account's numbers in Vonage form; `region` reads national
    numbers as in `vonage_format`.
    """
    formatted = vonage_format(raw, region)
    e164 = formatted.e164

    if e164 is not None and e164 in owned_msisdns:
        reason = f"{e164} is a number this account owns, so Vonage sends it as from."
        if formatted.status is FormatStatus.FIXED:
            reason += " Send it in this form, without + or spaces."
        return OutboundCallerId(raw, e164, True, reason, formatted)

    return OutboundCallerId(
        raw, UNKNOWN_CALLER, False, _unknown_reason(formatted, owned_msisdns), formatted
    )


def _unknown_reason(formatted: FormatResult, owned_msisdns: Collection[str]) -> str:
    if formatted.status is FormatStatus.WITHHELD:
        return (
            "The value is a withheld caller ID, not a number, so Vonage sends "
            f"{UNKNOWN_CALLER}: use one of the account's numbers to show a caller ID."
        )
    if formatted.e164 is None:
        return (
            f"Vonage sends {UNKNOWN_CALLER} because the value is not a phone number. "
            f"{formatted.reason}"
        )
    if not owned_msisdns:
        return (
            f"{formatted.e164} is not owned by this account, which owns no numbers, so "
            f"Vonage sends {UNKNOWN_CALLER}: rent a number to use as from."
        )
    return (
        f"{formatted.e164} is not one of this account's numbers, so Vonage sends "
        f"{UNKNOWN_CALLER}: use an owned number as from."
    )


@dataclass(frozen=True)
class AnswerRequest:
    """The request Vonage makes to an application's answer_url for an inbound call.

    `params` are, in order, `to`, `from`, `uuid` and `conversation_uuid`. Vonage
    sends them as query parameters for GET and as a JSON body for POST.
    """

    method: HttpMethod
    url: str
    params: Mapping[str, str]

    def full_url(self) -> str:
        """Return the URL Vonage requests: for GET, with the params in the query."""
        if self.method != HttpMethod.GET:
            return self.url
        parts = urlsplit(self.url)
        encoded = urlencode(list(self.params.items()))
        query = f"{parts.query}&{encoded}" if parts.query else encoded
        return urlunsplit(parts._replace(query=query))


@dataclass(frozen=True)
class InboundCall:
    """An inbound call to an owned number: the caller ID as received and its request."""

    input: str
    received_from: str
    diagnosis: FormatResult
    suggested: str | None
    to: OwnedNumber
    application: Application | None
    request: AnswerRequest | None
    explanation: str

    @property
    def webhook_warnings(self) -> list[str]:
        """Warn about the webhooks of the call's application that Vonage cannot reach."""
        if self.application is None or self.request is None:
            return []
        return webhook_warnings(self.application)


def inbound_call(
    raw: str, to: OwnedNumber, application: Application | None
) -> InboundCall:
    """Preview an inbound call from caller ID `raw` to the owned number `to`.

    `application` is the application `to` is linked to, or None. The caller ID is
    diagnosed with `to`'s country as the region, but `from` in the request is `raw`
    exactly, as Vonage passes it through.

    The request's `uuid` and `conversation_uuid` are UUID version 5 values derived
    from `to` and `raw`, so that the same preview always shows the same ids (a real
    call gets random ones).
    """
    diagnosis = naming_region(
        vonage_format(raw, region=to.country), "the country of the called number"
    )
    suggested = diagnosis.e164

    request = None
    if application is not None and to.has_voice:
        request = _answer_request(raw, to, application)

    return InboundCall(
        input=raw,
        received_from=raw,
        diagnosis=diagnosis,
        suggested=suggested,
        to=to,
        application=application,
        request=request,
        explanation=_inbound_explanation(raw, to, application, diagnosis),
    )


def _answer_request(
    raw: str, to: OwnedNumber, application: Application
) -> AnswerRequest:
    call_uuid = uuid.uuid5(_PREVIEW_NAMESPACE, f"call\n{to.msisdn}\n{raw}")
    conversation_uuid = uuid.uuid5(
        _PREVIEW_NAMESPACE, f"conversation\n{to.msisdn}\n{raw}"
    )
    params = {
        "to": to.msisdn,
        "from": raw,
        "uuid": str(call_uuid),
        "conversation_uuid": f"CON-{conversation_uuid}",
    }
    return AnswerRequest(
        method=HttpMethod(application.answer_method),
        url=application.answer_url,
        params=MappingProxyType(params),
    )


def _inbound_explanation(
    raw: str,
    to: OwnedNumber,
    application: Application | None,
    diagnosis: FormatResult,
) -> str:
    if not to.has_voice:
        return f"{to.msisdn} has no VOICE feature, so it receives no calls."
    if application is None:
        return (
            f"{to.msisdn} is not linked to an application, so no answer_url is "
            "requested."
        )

    request = (
        f"Vonage requests the answer_url of {application.name!r} with to={to.msisdn} "
        f"and from={raw!r}, as the network sent it."
    )
    if diagnosis.status is FormatStatus.VALID:
        return request
    if diagnosis.status is FormatStatus.FIXED:
        return f"{request} Its Vonage form is {diagnosis.e164}."
    if diagnosis.status is FormatStatus.WITHHELD:
        return f"{request} It carries no number. {diagnosis.reason or ''}".rstrip()
    return (
        f"{request} It is no valid phone number, so the application cannot call back."
    )
