"""Countries and regions as phonenumbers knows them, by ISO 3166 alpha-2 code."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import phonenumbers
from phonenumbers import geocoder

from domain.errors import InvalidInput

DEFAULT_COUNTRY = "US"


@dataclass(frozen=True)
class Country:
    """A region with phone number metadata: its code, English name and calling code."""

    code: str
    name: str
    calling_code: int

    @property
    def label(self) -> str:
        return f"{self.name} ({self.code}, +{self.calling_code})"


@cache
def all_countries() -> tuple[Country, ...]:
    """Return every region phonenumbers has metadata for, sorted by name."""
    countries = [_country(code) for code in phonenumbers.SUPPORTED_REGIONS]
    return tuple(sorted(countries, key=lambda country: country.name))


@cache
def _countries_by_code() -> dict[str, Country]:
    return {country.code: country for country in all_countries()}


def _country(code: str) -> Country:
    example = phonenumbers.example_number(code)
    # A few territories (XK, AC, TA) have no English name in the geocoder data.
    name = geocoder.country_name_for_number(example, "en") if example else ""
    calling_code = phonenumbers.country_code_for_region(code)
    return Country(code=code, name=name or code, calling_code=calling_code)


def find_country(code: str) -> Country:
    """Return the country for a region code in any case, such as `gb` or `US`.

    Raises:
        InvalidInput: phonenumbers has no metadata for that code.
    """
    country = _countries_by_code().get(code.strip().upper())
    if country is None:
        raise InvalidInput(
            f"Unknown country {code!r}: use a two-letter ISO 3166 code such as US or GB."
        )
    return country


def country_from_locale(locale_name: str | None) -> str:
    """Return the region of a locale name such as `en_GB.UTF-8`, else the default."""
    if locale_name:
        language_and_region = locale_name.split(".")[0]
        _, _, region = language_and_region.partition("_")
        if region.upper() in _countries_by_code():
            return region.upper()
    return DEFAULT_COUNTRY
