"""Countries and regions in phonenumbers' metadata, by ISO 3166 alpha-2 code.

The table of countries is built from phonenumbers when first needed, or taken
from a copy that `country_table` made earlier (`use_country_table`). Importing
phonenumbers takes about a quarter of the app's start-up, and the first screen
needs only the names and calling codes.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import NamedTuple, overload

from domain.errors import InvalidInput

DEFAULT_COUNTRY = "US"

# Codes people use that ISO 3166 reserves for a country with another code: UK is
# "exceptionally reserved" for the United Kingdom, whose code is GB.
CODE_ALIASES = {"UK": "GB"}

# A country as a table row: its code, calling code and English name.
CountryRow = tuple[str, int, str]


class Country(NamedTuple):
    """A region with phone number metadata: its code, calling code and English name.

    The name is the code where phonenumbers has none.
    """

    code: str
    calling_code: int
    name: str

    @property
    def label(self) -> str:
        return f"{self.name} ({self.code}, +{self.calling_code})"


@cache
def all_countries() -> tuple[Country, ...]:
    """Return every region phonenumbers has metadata for, sorted by name."""
    countries = _countries_by_code().values()
    return tuple(sorted(countries, key=lambda country: country.name))


def country_table() -> list[CountryRow]:
    """Return every country as a row, for `use_country_table` to take back later."""
    return [
        (country.code, country.calling_code, country.name)
        for country in _countries_by_code().values()
    ]


def use_country_table(rows: Iterable[CountryRow]) -> None:
    """Use countries that `country_table` returned, with the same phonenumbers."""
    countries = {
        code: Country(code, calling_code, name) for code, calling_code, name in rows
    }
    _loaded.clear()
    _loaded.update(countries)
    all_countries.cache_clear()


_loaded: dict[str, Country] = {}


def _countries_by_code() -> dict[str, Country]:
    if not _loaded:
        _loaded.update(_countries_from_phonenumbers())
    return _loaded


def _countries_from_phonenumbers() -> dict[str, Country]:
    import phonenumbers

    # Read from the calling-code table that phonenumbers loads on import: asking
    # `country_code_for_region` for each region would load the metadata of all
    # 245 regions.
    return {
        code: Country(code, calling_code, _english_name(code))
        for calling_code, codes in phonenumbers.COUNTRY_CODE_TO_REGION_CODE.items()
        for code in codes
        if code in phonenumbers.SUPPORTED_REGIONS
    }


def _english_name(code: str) -> str:
    # A few territories (XK, AC, TA) have no English name in phonenumbers' data.
    return _lowercase_joining_words(_english_names().get(code, "")) or code


@cache
def _english_names() -> dict[str, str]:
    """Return the English name of each region in phonenumbers' locale data.

    NOTE: the names live in `phonenumbers.geodata.locale`, whose package imports
    every prefix description (about 100 MB, most of a second) first, and whose
    own table holds every region's name in about 150 languages (3 MB). The file
    is read a line at a time instead, keeping the English names only. The tests
    compare the names with the module's and the geocoder's.
    """
    import phonenumbers

    path = Path(phonenumbers.__file__).parent / "geodata" / "locale.py"
    names: dict[str, str] = {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            entry = re.match(_LOCALE_ENTRY, line)
            if entry is not None:
                names[entry["code"]] = _name_in(entry["names"], "en")
    return names


# A region's line in the locale file: `  'GB': {'aa':'United Kingdom',...},`
_LOCALE_ENTRY = r"\s*'(?P<code>[A-Z0-9]+)': \{(?P<names>.*)\},?\s*$"
# A quoted Python string, in single or double quotes, with backslash escapes.
_STRING_LITERAL = r"'(?:[^'\\]|\\.)*'" + "|" + r'"(?:[^"\\]|\\.)*"'


def _name_in(names: str, language: str) -> str:
    # A value is a string, or u('...') where it has escapes; a value such as
    # '*aa' means "the same as the name in language aa".
    found = _name_pattern(language).search(names)
    if found is None:
        return ""
    name = _string_value(found[1])
    if name.startswith("*"):
        return _name_in(names, name[1:]) if language == "en" else ""
    return name


@cache
def _name_pattern(language: str) -> re.Pattern[str]:
    return re.compile(rf"'{language}':(?:u\()?({_STRING_LITERAL})")


def _string_value(literal: str) -> str:
    # Evaluating a literal compiles it, which costs more than reading the whole file.
    if "\\" not in literal:
        return literal[1:-1]
    return str(ast.literal_eval(literal))


def _lowercase_joining_words(name: str) -> str:
    # The geocoder data capitalises every word, as in "Isle Of Man".
    words = name.split(" ")
    inner = [word.lower() if word in _JOINING_WORDS else word for word in words[1:]]
    return " ".join(words[:1] + inner)


_JOINING_WORDS = frozenset({"And", "Of", "The"})


def find_country(code: str) -> Country:
    """Return the country for a region code in any case, such as `gb`, `US` or `UK`.

    Raises:
        InvalidInput: phonenumbers has no metadata for that code.
    """
    requested = code.strip().upper()
    country = _countries_by_code().get(CODE_ALIASES.get(requested, requested))
    if country is None:
        raise InvalidInput(
            f"Unknown country {code!r}: use a two-letter ISO 3166 code such as US or GB."
        )
    return country


def match_countries(
    text: str, countries: Iterable[Country] | None = None
) -> list[Country]:
    """Return the countries that match `text`, best match first.

    Letters match the ISO code exactly, then the start of the name, then the start of
    a later word of the name, then anywhere in the name, then several words that each
    start a word of the name, in any order. Digits, with or without a
    leading `+`, match the calling code exactly (the code's main region first), then
    its first digits. Empty text
    matches every country. Within each rank the countries keep their given order.
    """
    candidates = list(all_countries() if countries is None else countries)
    text = text.strip().casefold()
    if not text:
        return candidates

    ranked = [
        (rank, position, country)
        for position, country in enumerate(candidates)
        if (rank := _match_rank(text, country)) is not None
    ]
    return [country for _, _, country in sorted(ranked, key=lambda item: item[:2])]


def _match_rank(text: str, country: Country) -> int | None:
    calling_code = text.removeprefix("+")
    if calling_code.isdigit():
        if str(country.calling_code) != calling_code:
            return 2 if str(country.calling_code).startswith(calling_code) else None
        # Several regions share +1, +44 and others: the main one, such as US, comes first.
        import phonenumbers

        main_region = phonenumbers.region_code_for_country_code(country.calling_code)
        return 0 if country.code == main_region else 1

    name = country.name.casefold()
    if country.code == CODE_ALIASES.get(text.upper(), text.upper()):
        return 0
    if name.startswith(text):
        return 1
    if any(word.startswith(text) for word in name.split()[1:]):
        return 2
    if text in name:
        return 3
    if _words_start_name_words(text, name):
        return 4
    return None


def _words_start_name_words(text: str, name: str) -> bool:
    """Tell whether each of several words starts its own word of the name, in any order.

    People type `virgin british` or `korea south` for British Virgin Islands and
    South Korea.
    """
    words = text.split()
    if len(words) < 2:
        return False
    unused = name.split()
    # Longer words first, so that `s` cannot take the word that `south` needs.
    for word in sorted(words, key=len, reverse=True):
        match = next(
            (name_word for name_word in unused if name_word.startswith(word)), None
        )
        if match is None:
            return False
        unused.remove(match)
    return True


def resolve_country(text: str) -> Country:
    """Return the country that `text` names, as people type one on the command line.

    `text` is an ISO 3166 code (`gb`, `UK`), an English name (`united kingdom`), a
    calling code (`44`, `+1`, whose main region comes first), or whole words that
    only one name starts with or contains (`kingdom`).

    Raises:
        InvalidInput: no country or several countries match.
    """
    typed = text.strip().casefold()
    if not typed:
        raise InvalidInput(
            "The country is empty: give a name, an ISO 3166 code or a calling code, "
            "such as 'United Kingdom', GB or 44."
        )
    for country in all_countries():
        if country.name.casefold() == typed:
            return country
    matches = match_countries(text)
    best = _match_rank(typed, matches[0]) if matches else None
    if best == 0:
        return matches[0]
    # A name counts when its words start with the text's words, as United Kingdom
    # does for united, or has the text as a word, as in kingdom. Part of a word
    # names nothing: ISL is Iceland's code elsewhere, not the Isle of Man.
    tied = [
        country
        for country in matches
        if _whole_words_match(typed, country.name.casefold())
    ]
    if not tied or typed.lstrip("+").isdigit():
        raise InvalidInput(
            f"Unknown country {text.strip()!r}: give a name, an ISO 3166 code or a "
            "calling code, such as 'United Kingdom', GB or 44."
        )
    if len(tied) == 1:
        return tied[0]
    listed = ", ".join(f"{country.name} ({country.code})" for country in tied[:4])
    more = " and others" if len(tied) > 4 else ""
    raise InvalidInput(
        f"{text.strip()!r} matches several countries: {listed}{more}. Give its "
        "ISO 3166 code or more of its name."
    )


def _whole_words_match(typed: str, name: str) -> bool:
    words = typed.split()
    return (
        (name + " ").startswith(typed + " ")
        or typed in name.split()
        or (len(words) > 1 and set(words) <= set(name.split()))
    )


@overload
def country_from_locale(locale_name: str | None) -> str: ...


@overload
def country_from_locale(locale_name: str | None, default: None) -> str | None: ...


def country_from_locale(
    locale_name: str | None, default: str | None = DEFAULT_COUNTRY
) -> str | None:
    """Return the region of a locale name such as `en_GB.UTF-8`, else `default`."""
    if locale_name:
        language_and_region = locale_name.split(".")[0]
        _, _, region = language_and_region.partition("_")
        if region.upper() in _countries_by_code():
            return region.upper()
    return default
