"""Small lookups that the live account needs before it calls Vonage."""

from __future__ import annotations

import re

import phonenumbers

from domain.errors import InvalidInput

_APP_ID = re.compile(r"[A-Za-z0-9-]{1,64}")
# phonenumbers' region code for numbers that belong to no region.
_NO_REGION = ("ZZ", "001")


def region_of(msisdn: str) -> str:
    """Return the ISO 3166 region that a number in Vonage form belongs to.

    A number that phonenumbers cannot place in a region, such as one from an unused
    range, gets the main region of its country code (US for +1).

    Raises:
        InvalidInput: the number's country code has no region.
    """
    try:
        parsed = phonenumbers.parse(f"+{msisdn}")
    except phonenumbers.NumberParseException as error:
        raise _no_region(msisdn) from error
    region = phonenumbers.region_code_for_number(parsed)
    if (region is None or region in _NO_REGION) and parsed.country_code:
        region = phonenumbers.region_code_for_country_code(parsed.country_code)
    if region is None or region in _NO_REGION:
        raise _no_region(msisdn)
    return str(region)


def valid_app_id(app_id: str) -> bool:
    """Return whether `app_id` can be an application id and is safe in a URL path."""
    return bool(_APP_ID.fullmatch(app_id))


def _no_region(msisdn: str) -> InvalidInput:
    return InvalidInput(
        f"{msisdn} has no country code that belongs to a country, so Vonage cannot "
        "offer it: check the number, which starts with its country code."
    )
