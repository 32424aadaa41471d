"""Offline facts about a number from phonenumbers: country, area, carrier, zones.

This is the offline counterpart of Vonage's Number Insight API. The carrier is the
one the number range was first allocated to: phonenumbers has no data on numbers
ported to another carrier since.
"""

from __future__ import annotations

from dataclasses import dataclass

import phonenumbers
from phonenumbers import NumberParseException, timezone

from domain.countries import find_country
from domain.errors import InvalidInput
from domain.numbering import classify, plain_type
from domain.numbers import validate_msisdn
from domain.reserved import reserved_range

__all__ = ["Insight", "number_insight"]

# The name phonenumbers' geocoder gives numbers of codes such as +800 and +882.
NON_GEOGRAPHIC = "001"
_UNKNOWN_TIME_ZONE = "Etc/Unknown"


@dataclass(frozen=True)
class Insight:
    """Offline facts about one number in Vonage form.

    `country` is an ISO 3166 region code, or "001" for a non-geographic number such
    as +800. `area` is the place the geocoder names below the country, if any.
    """

    e164: str
    country: str
    country_name: str
    area: str | None
    number_type: str
    carrier: str | None
    time_zones: tuple[str, ...]


def number_insight(e164: str) -> Insight:
    """Look up a number in Vonage form (digits, no +) in phonenumbers' offline data.

    A number in a range reserved for fiction is described from that range.

    Raises:
        InvalidInput: the value is not in Vonage form or is not a valid number.
    """
    if not e164.isascii():
        raise InvalidInput(
            f"{e164!r} contains digits other than 0-9: write the number in Vonage "
            "form, such as 14155550101."
        )
    validate_msisdn(e164)
    try:
        parsed = phonenumbers.parse("+" + e164)
    except NumberParseException:
        raise InvalidInput(
            f"{e164} does not start with a known country code: write the number "
            "with its country code first."
        ) from None

    national = phonenumbers.national_significant_number(parsed)
    canonical = f"{parsed.country_code}{national}"
    if canonical != e164:
        raise InvalidInput(
            f"{e164} is not in Vonage form, which is {canonical} for this number: "
            "drop the trunk prefix after the country code."
        )

    region, number_type = classify(parsed.country_code or 0, national)
    if region is not None and plain_type(number_type) is not None:
        return _valid_insight(e164, parsed, region, plain_type(number_type) or "")

    reserved = reserved_range(e164)
    if reserved is not None:
        return Insight(
            e164=e164,
            country=reserved.country,
            country_name=find_country(reserved.country).name,
            area=None,
            number_type=reserved.number_type,
            carrier=None,
            time_zones=_known(timezone.time_zones_for_geographical_number(parsed)),
        )

    raise InvalidInput(
        f"{e164} is not a valid number in any region phonenumbers has data for: "
        "check the digits."
    )


def _valid_insight(
    e164: str, parsed: phonenumbers.PhoneNumber, region: str, number_type: str
) -> Insight:
    if region == NON_GEOGRAPHIC:
        country_name = "International (non-geographic)"
    else:
        country_name = find_country(region).name

    # Imported on first use: the geocoder's and carrier's data take most of a second
    # to import and over 100 MB, which screens and commands that never show an
    # insight should not pay for.
    from phonenumbers import carrier, geocoder

    area = geocoder.description_for_valid_number(parsed, "en", region=None)
    return Insight(
        e164=e164,
        country=region,
        country_name=country_name,
        area=area if area and area != country_name else None,
        number_type=number_type,
        carrier=carrier.name_for_valid_number(parsed, "en") or None,
        time_zones=_known(timezone.time_zones_for_number(parsed)),
    )


def _known(zones: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(zone for zone in zones if zone != _UNKNOWN_TIME_ZONE)
