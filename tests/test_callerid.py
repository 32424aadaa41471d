"""Tests for outbound caller IDs and inbound answer_url requests."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from urllib.parse import parse_qsl, urlsplit

import pytest

from domain.applications import Application, ApplicationDraft, HttpMethod
from domain.callerid import (
    UNKNOWN_CALLER,
    AnswerRequest,
    inbound_call,
    outbound_caller_id,
)
from domain.e164 import FormatStatus
from domain.numbers import Feature, NumberType, OwnedNumber, SearchQuery
from store.account import SandboxAccount

VOICE_AND_SMS = frozenset({Feature.VOICE, Feature.SMS})

SUPPORT = Application(
    name="Support line",
    answer_url="https://example.com/answer?tenant=7",
    event_url="https://example.com/event",
    id="aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee",
)
SALES = Application(
    name="Sales",
    answer_url="https://example.com/sales/answer",
    event_url="https://example.com/sales/event",
    answer_method=HttpMethod.POST,
    id="11111111-2222-4333-8444-555555555555",
)

LONDON = OwnedNumber(
    country="GB",
    msisdn="442079460123",
    type=NumberType.LANDLINE,
    features=VOICE_AND_SMS,
    cost=Decimal("0.90"),
    app_id=SUPPORT.id,
)
SAN_FRANCISCO = OwnedNumber(
    country="US",
    msisdn="14155550100",
    type=NumberType.LANDLINE,
    features=VOICE_AND_SMS,
    cost=Decimal("0.90"),
)
SMS_ONLY = OwnedNumber(
    country="GB",
    msisdn="447700900123",
    type=NumberType.MOBILE,
    features=frozenset({Feature.SMS}),
    cost=Decimal("1.00"),
)
OWNED = [LONDON.msisdn, SAN_FRANCISCO.msisdn, SMS_ONLY.msisdn]


@pytest.mark.parametrize(
    ("raw", "region", "sent_from"),
    [
        ("442079460123", None, "442079460123"),
        ("+44 20 7946 0123", None, "442079460123"),
        ("020 7946 0123", "GB", "442079460123"),
        ("sip:+14155550100@pbx.example.com", None, "14155550100"),
        ("(415) 555-0100", "US", "14155550100"),
        ("+447700900123", None, "447700900123"),
    ],
)
def test_outbound_owned_number(raw: str, region: str | None, sent_from: str) -> None:
    outbound = outbound_caller_id(raw, OWNED, region)

    assert outbound.sent_from == sent_from
    assert outbound.owned
    assert sent_from in outbound.reason
    assert outbound.input == raw


def test_outbound_unlinked_number_counts() -> None:
    outbound = outbound_caller_id("14155550100", [SAN_FRANCISCO.msisdn])

    assert SAN_FRANCISCO.app_id is None
    assert outbound.sent_from == "14155550100"


def test_outbound_valid_form_reason() -> None:
    outbound = outbound_caller_id("442079460123", OWNED)

    assert outbound.formatted.status is FormatStatus.VALID
    assert "without +" not in outbound.reason


def test_outbound_fixed_form_reason() -> None:
    outbound = outbound_caller_id("+44 20 7946 0123", OWNED)

    assert outbound.formatted.status is FormatStatus.FIXED
    assert "without +" in outbound.reason


@pytest.mark.parametrize(
    ("raw", "region", "reason_fragment"),
    [
        ("+33612345678", None, "not one of this account's numbers"),
        ("anonymous", None, "withheld"),
        ("+266696687", None, "withheld"),
        ("sip:1001@pbx.local", None, "not a phone number"),
        ("020 7946 0123", None, "not a phone number"),
        ("0000000000", None, "placeholder"),
    ],
)
def test_outbound_unknown(raw: str, region: str | None, reason_fragment: str) -> None:
    outbound = outbound_caller_id(raw, OWNED, region)

    assert outbound.sent_from == UNKNOWN_CALLER
    assert not outbound.owned
    assert reason_fragment in outbound.reason


def test_outbound_no_owned_numbers() -> None:
    outbound = outbound_caller_id("+442079460123", [])

    assert outbound.sent_from == UNKNOWN_CALLER
    assert "owns no numbers" in outbound.reason


def test_outbound_invalid_reason_included() -> None:
    outbound = outbound_caller_id("sip:1001@pbx.local", OWNED)

    assert outbound.formatted.reason is not None
    assert outbound.formatted.reason in outbound.reason


def test_full_url_keeps_query() -> None:
    request = AnswerRequest(
        HttpMethod.GET,
        "https://example.com/answer?tenant=7",
        {"to": "442079460123", "from": "+1 (415) 555-0100"},
    )

    parts = urlsplit(request.full_url())

    assert parts.path == "/answer"
    assert parse_qsl(parts.query) == [
        ("tenant", "7"),
        ("to", "442079460123"),
        ("from", "+1 (415) 555-0100"),
    ]


def test_full_url_encodes_plus() -> None:
    request = AnswerRequest(HttpMethod.GET, "https://example.com/a", {"from": "+1"})

    assert request.full_url() == "https://example.com/a?from=%2B1"


def test_full_url_post_unchanged() -> None:
    request = AnswerRequest(HttpMethod.POST, "https://example.com/a", {"from": "+1"})

    assert request.full_url() == "https://example.com/a"


@pytest.mark.parametrize(
    "raw",
    ["+1 (415) 555-0100", "anonymous", "", "07700 900123", "sip:1001@pbx.local"],
)
def test_inbound_from_as_received(raw: str) -> None:
    call = inbound_call(raw, LONDON, SUPPORT)

    assert call.received_from == raw
    assert call.request is not None
    assert call.request.params["from"] == raw
    assert call.request.params["to"] == LONDON.msisdn


def test_inbound_warns_of_local_answer_url() -> None:
    local = replace(SUPPORT, answer_url="http://localhost:3000/answer")

    call = inbound_call("+14155550100", LONDON, local)

    assert call.webhook_warnings == [
        "The answer_url host localhost is not reachable from the internet, so Vonage "
        "cannot call it: expose it with a public URL, such as a tunnel to your machine."
    ]


def test_inbound_warns_of_own_to() -> None:
    clashing = replace(SUPPORT, answer_url="https://example.com/answer?to=999")

    call = inbound_call("+14155550100", LONDON, clashing)

    assert call.request is not None
    assert call.request.full_url().count("to=") == 2
    assert call.webhook_warnings[0].startswith("The answer_url has its own to ")


def test_inbound_public_webhooks_no_warning() -> None:
    assert inbound_call("+14155550100", LONDON, SUPPORT).webhook_warnings == []


def test_inbound_param_order() -> None:
    call = inbound_call("+14155550100", LONDON, SUPPORT)

    assert call.request is not None
    assert list(call.request.params) == ["to", "from", "uuid", "conversation_uuid"]


def test_inbound_request_target() -> None:
    call = inbound_call("+14155550100", LONDON, SUPPORT)

    assert call.request is not None
    assert call.request.method == HttpMethod.GET
    assert call.request.url == SUPPORT.answer_url


def test_inbound_post_application() -> None:
    call = inbound_call("+14155550100", SAN_FRANCISCO, SALES)

    assert call.request is not None
    assert call.request.method == HttpMethod.POST
    assert call.request.full_url() == SALES.answer_url


@pytest.mark.parametrize(
    ("raw", "to", "suggested", "status"),
    [
        ("07700 900123", LONDON, "447700900123", FormatStatus.FIXED),
        ("447700900123", LONDON, "447700900123", FormatStatus.VALID),
        ("(415) 555-0100", SAN_FRANCISCO, "14155550100", FormatStatus.FIXED),
        ("011 44 20 7946 0123", SAN_FRANCISCO, "442079460123", FormatStatus.FIXED),
        ("anonymous", LONDON, None, FormatStatus.WITHHELD),
        ("12", LONDON, None, FormatStatus.INVALID),
    ],
)
def test_inbound_diagnosis(
    raw: str, to: OwnedNumber, suggested: str | None, status: FormatStatus
) -> None:
    call = inbound_call(raw, to, SUPPORT)

    assert call.suggested == suggested
    assert call.diagnosis.status == status
    assert call.diagnosis.e164 == suggested


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("020 7946 0018", "added the country code 44 of GB, the country of the called"),
        ("2079460018", "added the country code 44 of GB, the country of the called"),
    ],
)
def test_inbound_names_called_country(raw: str, expected: str) -> None:
    diagnosis = inbound_call(raw, LONDON, SUPPORT).diagnosis

    assert any(change.startswith(expected) for change in diagnosis.changes)
    assert not any("region given" in change for change in diagnosis.changes)


def test_inbound_names_called_country_in_reading_choice() -> None:
    berlin = OwnedNumber(
        country="DE",
        msisdn="4930901820",
        type=NumberType.LANDLINE,
        features=VOICE_AND_SMS,
        cost=Decimal("0.90"),
    )
    diagnosis = inbound_call("44 20 7946 0018", berlin, None).diagnosis

    assert diagnosis.e164 == "442079460018"
    assert diagnosis.changes[-1] == (
        "chose to read the digits as a number with its country code first because "
        "DE, the country of the called number, writes its numbers with the trunk "
        "prefix 0, which the digits do not start with"
    )
    assert diagnosis.alternatives[0].explanation == (
        "read the digits as a national number of DE"
    )


def test_inbound_uuids_stable() -> None:
    first = inbound_call("+14155550100", LONDON, SUPPORT)
    second = inbound_call("+14155550100", LONDON, SUPPORT)

    assert first.request is not None
    assert second.request is not None
    assert first.request.params["uuid"] == second.request.params["uuid"]
    assert (
        first.request.params["conversation_uuid"]
        == second.request.params["conversation_uuid"]
    )


@pytest.mark.parametrize(
    ("raw", "to"),
    [("+14155550101", LONDON), ("+14155550100", SAN_FRANCISCO)],
)
def test_inbound_uuids_differ(raw: str, to: OwnedNumber) -> None:
    base = inbound_call("+14155550100", LONDON, SUPPORT)
    other = inbound_call(raw, to, SUPPORT)

    assert base.request is not None
    assert other.request is not None
    assert base.request.params["uuid"] != other.request.params["uuid"]
    assert (
        base.request.params["conversation_uuid"]
        != other.request.params["conversation_uuid"]
    )


def test_inbound_uuid_forms() -> None:
    call = inbound_call("+14155550100", LONDON, SUPPORT)

    assert call.request is not None
    conversation = call.request.params["conversation_uuid"]
    assert conversation.startswith("CON-")
    assert len(conversation) == len("CON-") + 36
    assert call.request.params["uuid"] != conversation.removeprefix("CON-")


def test_inbound_without_application() -> None:
    call = inbound_call("+14155550100", SAN_FRANCISCO, None)

    assert call.request is None
    assert call.explanation == (
        "14155550100 is not linked to an application, so no answer_url is requested."
    )
    assert call.suggested == "14155550100"


def test_inbound_without_voice() -> None:
    call = inbound_call("+14155550100", SMS_ONLY, SUPPORT)

    assert call.request is None
    assert "no VOICE" in call.explanation


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("+14155550100", "Its Vonage form is 14155550100."),
        ("anonymous", "It carries no number. The caller ID 'anonymous' means the"),
        ("", "It carries no number. The caller ID is empty: the caller hid their"),
        ("sip:1001@pbx.local", "It is no valid phone number, so the application"),
        # A valid US number, but read in the called number's country, GB.
        ("(415) 555-0101", "It is no valid phone number, so the application"),
    ],
)
def test_inbound_explanation(raw: str, fragment: str) -> None:
    call = inbound_call(raw, LONDON, SUPPORT)

    assert fragment in call.explanation
    assert SUPPORT.name in call.explanation


def test_inbound_sandbox_link(account: SandboxAccount) -> None:
    available = account.search(
        SearchQuery(country="GB", features=frozenset({Feature.VOICE}))
    ).items[0]
    account.rent(available.msisdn)
    application = account.create_application(
        ApplicationDraft(
            name="Front desk",
            answer_url="https://example.com/answer",
            event_url="https://example.com/event",
        )
    )
    number = account.link(available.msisdn, application.id)

    call = inbound_call("+1 415 555 0100", number, account.application(application.id))

    assert call.request is not None
    assert call.request.params["to"] == available.msisdn
    assert call.request.params["from"] == "+1 415 555 0100"
    assert call.request.full_url().startswith("https://example.com/answer?to=")
    assert call.suggested == "14155550100"
