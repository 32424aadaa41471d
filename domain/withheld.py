"""Caller IDs that carry no number, in words or keypad digits.

Most such words mean the caller hid their number; a few mean that the network did
not pass a number on (see `NOT_PASSED_ON`).
"""

from __future__ import annotations

import re
from functools import cache

import phonenumbers

# North American caller ID displays show OUT OF AREA when the network sent no number.
OUT_OF_AREA = "out of area"

# "Unknown" in German, French, Spanish, Italian, Portuguese, Dutch, Swedish,
# Danish, Norwegian, Polish, Turkish and Russian, and Japanese "cannot be shown".
_UNKNOWN_IN_OTHER_LANGUAGES = frozenset(
    {
        "unbekannt",
        "inconnu",
        "desconocido",
        "sconosciuto",
        "desconhecido",
        "onbekend",
        "okänt",
        "ukendt",
        "ukjent",
        "nieznany",
        "bilinmeyen",
        "неизвестный",
        "通知不可能",
    }
)

# Words that networks and PBXs put in place of a missing number.
WITHHELD_WORDS = frozenset(
    {
        "anonymous",
        "unknown",
        "private",
        "restricted",
        "withheld",
        "unavailable",
        "blocked",
        "hidden",
        "suppressed",
        # Phones and exports in other languages: German, French, Spanish, Italian,
        # Portuguese, Dutch, Swedish, Danish and Norwegian, Polish, Turkish,
        # Russian and Japanese (非通知, "not notified").
        "anonym",
        "anonyme",
        "anónimo",
        "anonimo",
        "privat",
        "privé",
        "privado",
        "privato",
        "unterdrückt",
        "masqué",
        "oculto",
        "riservato",
        "nascosto",
        "anoniem",
        "afgeschermd",
        "verborgen",
        "hemligt",
        "dolt",
        "skjult",
        "zastrzeżony",
        "prywatny",
        "gizli",
        "скрытый",
        "анонимный",
        "非通知",
    }
    | _UNKNOWN_IN_OTHER_LANGUAGES
)

# Words that mean the network had no number to pass on, not that the caller hid it:
# a call from a network that sends no caller ID, such as some international routes.
NOT_PASSED_ON = (
    frozenset({"unavailable", "unknown", OUT_OF_AREA}) | _UNKNOWN_IN_OTHER_LANGUAGES
)

# Words that may surround a withheld word, as in "Private Number" or "No Caller ID".
_FILLER_WORDS = frozenset(
    {"number", "caller", "call", "id", "callerid", "no", "name"}
    | {"nummer", "rufnummer", "numéro", "número", "numero", "numer", "numara"}
    | {"номер"}
)


# A keypad spelling cut shorter than this is not recognised: 6 digits is the length
# of the shortest spelling, HIDDEN (443336).
_MIN_TRUNCATED_SPELLING = 6

_WORD = re.compile(r"[^\W\d_]+")
# The same for ASCII text, which most caller IDs are, and twice as fast.
_ASCII_WORD = re.compile(r"[a-z]+")
# A decimal digit in any script: text with one is no withheld word alone.
_ANY_DIGIT = re.compile(r"\d")
_OUT_OF_AREA_WORDS = tuple(OUT_OF_AREA.split())
_KNOWN_WORDS = WITHHELD_WORDS | _FILLER_WORDS

# RFC 3261 section 8.1.1.3: a caller that hides its identity sends a meaningless URI
# in this host, such as RFC 3323's sip:anonymous@anonymous.invalid.
ANONYMOUS_HOST = "anonymous.invalid"


def withheld_word(text: str) -> str | None:
    """Return the withheld word that `text` consists of, such as `private`, else None.

    The text may only contain letters, spaces and punctuation: "Private Number",
    "UNKNOWN CALLER", "No Caller ID" and "anonymous" match, "Private 0207" does not.
    """
    # Turkish İ casefolds to i and a combining dot, as in GİZLİ.
    lowered = text.casefold().replace("i\u0307", "i")
    if _ANY_DIGIT.search(lowered) is not None:
        return None

    words: list[str] = (_ASCII_WORD if lowered.isascii() else _WORD).findall(lowered)
    if _OUT_OF_AREA_WORDS[0] in words and _contains_phrase(words, _OUT_OF_AREA_WORDS):
        others = [word for word in words if word not in _OUT_OF_AREA_WORDS]
        return OUT_OF_AREA if set(others) <= _FILLER_WORDS else None
    if not _KNOWN_WORDS.issuperset(words):
        return None
    found = [word for word in words if word in WITHHELD_WORDS]
    if found:
        return found[0]
    # "No Caller ID" and "No Number" name no withheld word but mean the same.
    if len(words) > 1 and words[0] == "no":
        return "no caller id"
    return None


def _contains_phrase(words: list[str], phrase: tuple[str, ...]) -> bool:
    size = len(phrase)
    return any(
        tuple(words[start : start + size]) == phrase
        for start in range(len(words) - size + 1)
    )


@cache
def keypad_spellings() -> dict[str, str]:
    """Map the keypad digits of each withheld word to the word, such as 266696687.

    Words shorter than 6 letters, such as gizli, spell as few digits as short
    numbers and extensions have, so they are left out.
    """
    return {
        phonenumbers.convert_alpha_characters_in_number(word): word
        for word in sorted(WITHHELD_WORDS)
        if word.isascii() and len(word) >= _MIN_TRUNCATED_SPELLING
    }


def keypad_word(digits: str) -> str | None:
    """Return the withheld word that `digits` spells on a phone keypad, else None."""
    spellings: dict[str, str] = keypad_spellings()
    return spellings.get(digits)


def truncated_keypad_word(digits: str) -> tuple[str, str] | None:
    """Return the withheld word and its keypad digits when `digits` is a cut spelling.

    A field too short for the whole spelling keeps only its start, as in
    `+2666966` for ANONYMOUS (266696687). Digits shorter than 6 are not matched,
    because too many real numbers start the same way. Use it only on digits that
    read as no valid number.
    """
    return _cut_spellings().get(digits)


@cache
def _cut_spellings() -> dict[str, tuple[str, str]]:
    """Map each start of a keypad spelling, 6 digits or more, to its word and digits.

    Where two spellings start the same way, the first in `keypad_spellings` wins.
    """
    cut: dict[str, tuple[str, str]] = {}
    for spelling, word in keypad_spellings().items():
        for length in range(_MIN_TRUNCATED_SPELLING, len(spelling)):
            cut.setdefault(spelling[:length], (word, spelling))
    return cut


def is_anonymous_sip_user(user: str, host: str) -> bool:
    """Tell whether a SIP URI's user or host marks an anonymous caller."""
    return user.casefold() == "anonymous" or host.casefold() == ANONYMOUS_HOST
