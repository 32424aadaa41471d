"""Conversions between the SDK's pydantic models and numdesk's domain objects."""

from __future__ import annotations

import logging
from decimal import Decimal, InvalidOperation

from vonage_application import (
    ApplicationConfig,
    ApplicationData,
    ApplicationUrl,
    Capabilities,
    Voice,
    VoiceUrl,
    VoiceWebhooks,
)
from vonage_numbers import (
    AvailableNumber as SdkAvailableNumber,
)
from vonage_numbers import (
    NumberFeatures,
    SearchAvailableNumbersFilter,
)
from vonage_numbers import (
    OwnedNumber as SdkOwnedNumber,
)

from domain.applications import Application, ApplicationDraft, HttpMethod
from domain.numbers import (
    AvailableNumber,
    Feature,
    NumberType,
    OwnedNumber,
    SearchQuery,
    sort_features,
)
from live.errors import UnexpectedReply

logger = logging.getLogger("numdesk.live")


def search_filter(query: SearchQuery) -> SearchAvailableNumbersFilter:
    """Return the SDK filter for a search, with every filter of `query`."""
    features = None
    if query.features:
        features = NumberFeatures(",".join(sort_features(query.features)))
    return SearchAvailableNumbersFilter(
        country=query.country,
        type=query.type.value if query.type else None,
        features=features,
        pattern=query.pattern or None,
        search_pattern=query.match.api_code if query.pattern else None,
        size=query.size,
        index=query.index,
    )


def available_number(number: SdkAvailableNumber) -> AvailableNumber | None:
    """Return a search result as a domain number, or None if numdesk cannot use it.

    Numbers of a type other than the three in the Numbers API specification are left
    out with a warning in the log, because the domain has no place for them.
    """
    number_type = _number_type(number.type, number.msisdn)
    if number_type is None or not number.msisdn or not number.country:
        return None
    return AvailableNumber(
        country=number.country,
        msisdn=number.msisdn,
        type=number_type,
        features=_features(number.features),
        cost=_cost(number.cost, number.msisdn),
    )


def owned_number(number: SdkOwnedNumber, cost: Decimal) -> OwnedNumber | None:
    """Return an owned number as a domain number with `cost`, or None if unusable.

    The Numbers API lists owned numbers without their monthly cost, so the caller
    passes the cost it has on record.
    """
    number_type = _number_type(number.type, number.msisdn)
    if number_type is None or not number.msisdn or not number.country:
        return None
    return OwnedNumber(
        country=number.country,
        msisdn=number.msisdn,
        type=number_type,
        features=_features(number.features),
        cost=cost,
        app_id=_linked_app_id(number),
    )


def application(data: ApplicationData) -> Application | None:
    """Return a Vonage application as a voice application, or None without voice.

    A webhook that is not set becomes an empty URL, and a missing method becomes
    the method Vonage uses by default: GET for the answer webhook and POST for
    the event webhook.
    """
    voice = data.capabilities.voice if data.capabilities else None
    if voice is None:
        return None
    webhooks = voice.webhooks or VoiceWebhooks()
    fallback = webhooks.fallback_answer_url
    return Application(
        id=data.id,
        name=data.name,
        answer_url=webhooks.answer_url.address if webhooks.answer_url else "",
        answer_method=_method(webhooks.answer_url, HttpMethod.GET),
        event_url=webhooks.event_url.address if webhooks.event_url else "",
        event_method=_method(webhooks.event_url, HttpMethod.POST),
        fallback_answer_url=fallback.address if fallback else None,
        fallback_answer_method=_method(fallback, HttpMethod.GET),
    )


def application_config(
    draft: ApplicationDraft, current: ApplicationData | None = None
) -> ApplicationConfig:
    """Return the SDK request body for a voice application with the draft's fields.

    Vonage replaces an application whole on update, so the other capabilities
    (messages, RTC, ...), voice settings and privacy of `current` are kept.
    """
    webhooks = VoiceWebhooks(
        answer_url=VoiceUrl(
            address=draft.answer_url, http_method=draft.answer_method.value
        ),
        event_url=VoiceUrl(
            address=draft.event_url, http_method=draft.event_method.value
        ),
        fallback_answer_url=(
            VoiceUrl(
                address=draft.fallback_answer_url,
                http_method=draft.fallback_answer_method.value,
            )
            if draft.fallback_answer_url
            else None
        ),
    )
    capabilities = Capabilities()
    privacy = None
    if current is not None:
        capabilities = current.capabilities or Capabilities()
        privacy = current.privacy
    voice = capabilities.voice or Voice()
    capabilities = capabilities.model_copy(
        update={"voice": voice.model_copy(update={"webhooks": webhooks})}
    )
    return ApplicationConfig(
        name=draft.name, capabilities=capabilities, privacy=privacy
    )


def private_key(data: ApplicationData) -> str | None:
    """Return the private key that a create or update reply carries, if any."""
    if data.keys is None:
        return None
    key = getattr(data.keys, "private_key", None)
    return key if isinstance(key, str) and key else None


def balance(value: float) -> Decimal:
    """Return the balance that the SDK parsed as a float as a Decimal in EUR.

    `repr` of a float is the shortest text that reads back as the same float, so
    a reply of `10.28` becomes exactly `Decimal("10.28")`.
    """
    return Decimal(repr(value))


def _number_type(value: str | None, msisdn: str | None) -> NumberType | None:
    try:
        return NumberType(value or "")
    except ValueError:
        logger.warning("Leaving out %s of unknown type %r", msisdn, value)
        return None


def _features(values: list[str] | None) -> frozenset[Feature]:
    known = {feature.value for feature in Feature}
    return frozenset(Feature(value) for value in values or [] if value in known)


def _cost(value: str | None, msisdn: str | None) -> Decimal:
    try:
        cost = Decimal(value or "")
    except InvalidOperation:
        cost = Decimal("NaN")
    if not cost.is_finite() or cost < 0:
        raise UnexpectedReply(
            f"Vonage listed {msisdn} without a valid monthly cost ({value!r}): try "
            "the search again later."
        )
    return cost


def _linked_app_id(number: SdkOwnedNumber) -> str | None:
    if number.app_id:
        return str(number.app_id)
    # Numbers linked before `app_id` existed show the link as a voice callback.
    if number.voice_callback_type == "app" and number.voice_callback_value:
        return str(number.voice_callback_value)
    return None


def _method(url: ApplicationUrl | None, default: HttpMethod) -> HttpMethod:
    if url is None or url.http_method is None:
        return default
    return HttpMethod(url.http_method)
