"""Turn a caller ID as received into dialled digits, recording each change in words.

The input may be a whole SIP `From` or `P-Asserted-Identity` header value, a `sip:` or
`tel:` URI, a URL-decoded webhook value or text typed or exported by a person. The
result is a `DialString` (digits, whether a + came first, the changes made) or a
`NotANumber` that explains why no digits can be taken from it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from typing import Literal, NamedTuple
from urllib.parse import unquote

import phonenumbers

from domain.withheld import NOT_PASSED_ON, is_anonymous_sip_user, withheld_word

# phonenumbers 9.0 rejects inputs over 250 characters. A SIP header value with a
# display name and parameters can be longer, so allow twice that.
MAX_INPUT_LENGTH = 500

# A SIP account or PBX extension: a user part of up to 6 digits without a +.
_EXTENSION_USER = re.compile(r"\d{1,6}", re.ASCII)

# SIP headers that carry a caller's identity, with the one-letter compact forms of
# From, To, Contact and Referred-By. A SIP trace shows the whole line, such as
# `From: <sip:...>;tag=1`.
_IDENTITY_HEADER = re.compile(
    r"(?P<name>from|f|to|t|contact|m|p-asserted-identity|p-preferred-identity"
    r"|remote-party-id|diversion|referred-by|b)\s*:\s*(?P<value>\S.*)",
    re.IGNORECASE | re.DOTALL | re.ASCII,
)
# A SIP URI logged without its scheme, such as `+14155550100@10.0.0.1:5060`.
_URI_WITHOUT_SCHEME = re.compile(r"[^\s@<>\"]+@[\w.\-\[\]:]+(?:[;?].*)?", re.DOTALL)
# Words that logs and exports write in place of a missing value.
_MISSING_VALUE_WORDS = frozenset(
    {"null", "none", "nil", "n/a", "na", "undefined", "nan"}
)
_NAME_ADDR = re.compile(
    r'\s*(?:"(?P<quoted>(?:[^"\\]|\\.)*)"|(?P<token>[^"<]*?))\s*'
    r"<(?P<uri>[^<>]*)>(?P<parameters>.*)",
    re.DOTALL | re.ASCII,
)
_SCHEME = re.compile(r"(sips?|tel):", re.IGNORECASE)
# The caller of an in-app call: a user of a client SDK, such as client:alice.
_APP_USER = re.compile(r"(client|app):(?!\s)\S+", re.IGNORECASE)
# Marks of a SIP header value, which a labelled number lacks.
_SIP_VALUE = re.compile(r"sips?:|tel:|[<@]", re.IGNORECASE)
_NUMBER_WITHOUT_HOST = re.compile(r"\+?[0-9][0-9 ()./\-]*(?:;|$)", re.ASCII)
# Digits dialled after the call connects: after commas or semicolons (pause and wait
# in phone dial strings), or after p or w written right behind a digit (PBX dial
# strings).
_POST_DIAL = re.compile(
    r"(?:\s*(?P<pause>[,;][,;\s]*)|(?<=\d)(?P<letter>[pw]+))(?P<digits>\d[\d,;pw]*)\s*$",
    re.ASCII | re.IGNORECASE,
)
# Brazil writes 0xx in front of an area code, as in (0xx11) 5555-0123. The xx is a
# placeholder for the carrier selection code that the caller dials.
_CARRIER_PLACEHOLDER = re.compile(r"(?<![\dA-Za-z])(0)\s*xx\s*(?=[\d(])", re.IGNORECASE)
# A wait for a second dial tone between two digits, as in 8~10.
_DIAL_TONE_WAIT = re.compile(r"(?<=\d)\s*~\s*(?=\d)")
# Long numbers as spreadsheets show them: 4.47911123456E+11 and 12,127,365,000.
_SCIENTIFIC_NOTATION = re.compile(
    r"\d(?:[.,]\d+)?E\+?\d{1,2}", re.IGNORECASE | re.ASCII
)
_THOUSANDS_SEPARATORS = re.compile(r"\d{1,3}(?:,\d{3}){2,}", re.ASCII)
# A + inside a leading bracket, as in (+44) 20 7946 0123.
_BRACKETED_PLUS = re.compile(r"\A[(\[]\s*\+")
# Digits in brackets at the start: an area code, as in (415) 555-0100, or a
# country code, as in (44) 7911 123456.
_BRACKETED_PREFIX = re.compile(r" *\( *(\d{1,5}) *\) *\d", re.ASCII)
_STARTS = frozenset("+0123456789")
# Digits that may come before a word such as "office" that labels the number. Fewer
# digits before a word, as in 1 800 FLOWERS, spell the rest of the number.
_DIGITS_BEFORE_LABEL = 7
# Letters that spell a number, as in 1-800-FLOWERS: fewer are a typing error.
_MIN_SPELLED_LETTERS = 3
# An extension at the end, also in brackets: `;ext=12`, `#12`, `x12`, `ext. 12`,
# `ext-12`, the labels int (interno), anexo and доб (добавочный) that phonenumbers
# reads too, and poste, as in Quebec.
_EXTENSION = re.compile(
    r"(?:;\s*ext\s*=|#|(?<![A-Za-z])"
    r"(?:ext(?:ension|n)?\.?|xtn|x|int\.?|anexo|poste|доб\.?)\s*[:\-]?)"
    r"\s*(\d+)#?\s*(?:\)\s*)?$",
    re.IGNORECASE,
)
# A label in brackets at the end, as in (office) or [toll free].
# Its words, or digits joined by / : or -, as in (Mon-Fri 9-5) or (24/7).
_TRAILING_BRACKETED_LABEL = re.compile(
    r"\s+[(\[][^()\[\]]*(?:[^\W\d_]|\d[/:\-]\d)[^()\[\]]*[)\]]\s*$"
)
# The colon that ends a label, before the number.
_LABEL_COLON = re.compile(r":\s+(?=[\d+(\[])")
_WORD = re.compile(r"\S+")
# A word of dashes only, as between a label and its number: Cell - 07700 900123.
_DASHES_ONLY = re.compile(r"[-\u2010-\u2015\u2212]+")
# Signs such as ☎ and 📞 (Unicode's other symbols) in front of a number.
_LEADING_SYMBOLS = re.compile(r"(?:[\u2190-\u2bff\U0001f300-\U0001faff\ufe0f]\s*)+")
_GROUP_SEPARATORS = re.compile(r"[\s\-./()\[\]]+")
_LETTER_BETWEEN_DIGITS = re.compile(r"\d[^\W\d_]+\d")
# A group of digits with one letter that looks like 0 or 1.
_DIGIT_LOOKALIKE = re.compile(r"\d*[OoIl]\d*")
_LETTER_AND_DIGIT = re.compile(r"[A-Za-z]\d")
_NUMBER_START_IN_WORD = re.compile(r"(?<!\d)(?:0\d*|\d{3,})$|\(\d{2,}\)$")
# A label's own number before a number with a +, as in `Suite 100 +1 415 555 0100`.
_LABEL_DIGITS_BEFORE_PLUS = re.compile(r"\d{1,4}\s+(?=\+\d)")
_TRUNK_AFTER_CODE = re.compile(r"(?<=\d)[\s.-]*\(\s*0\s*\)", re.ASCII)
_LETTERS = re.compile(r"[A-Za-z]+")
# Letters of any script, as in the labels Tél or Móvil.
_ANY_LETTERS = re.compile(r"[^\W\d_]+")
# A number a spreadsheet stored as a decimal, shown with one or two decimals and a
# point or, in much of Europe, a comma: 447911123456.0 or 447911123456,00.
SPREADSHEET_DECIMALS = tuple(
    separator + "0" * count for separator in ".," for count in (1, 2)
)
_SPREADSHEET_DECIMAL = re.compile(r"\+?\d{7,}([.,]00?)", re.ASCII)
# The formulas that spreadsheet exports write to keep a number as text:
# ="07911123456", or = in front of the number.
_SPREADSHEET_FORMULA = re.compile(r'=\s*(?:"(?P<quoted>[^"]+)"|(?P<bare>\+?\d[\d ]*))')
# Codes dialled in front of a number to hide or show the caller ID for that call:
# North America's vertical service codes and GSM's supplementary service codes.
_CALLER_ID_CODES = {
    "*67": "hides the caller's number for the call",
    "*82": "shows the caller's number for the call",
    "#31#": "hides the caller's number for the call",
    "*31#": "shows the caller's number for the call",
}
# An item number in front of a number in a list, as in 2. 415-555-0101.
_LIST_NUMBER = re.compile(r"\d{1,2}[.)]\s+(?=[\d(+])", re.ASCII)
# Quotes around a whole pasted value.
_QUOTE_PAIRS = (
    '""',
    "''",
    "\u201c\u201d",
    "\u2018\u2019",
    "\u00ab\u00bb",
    "\u00bb\u00ab",
    # German and Polish quotes open low: „...“ and „...”.
    "\u201e\u201c",
    "\u201e\u201d",
    "\u201a\u2018",
)
_OPENING_QUOTES = frozenset(pair[0] for pair in _QUOTE_PAIRS)
_ALLOWED = re.compile(r"[\d+\s\-./()\[\]]*", re.ASCII)
# Digits with common separators and at most a leading +: nothing to unwrap or decode.
_PLAIN = re.compile(r"\+?[\d \-./()]*", re.ASCII)
_NOT_DIGIT = re.compile(r"[^0-9]")
_SEPARATOR_NAMES = {
    " ": "spaces",
    "\t": "tabs",
    "\r": "line breaks",
    "\n": "line breaks",
    "-": "dashes",
    ".": "dots",
    "/": "slashes",
    "(": "brackets",
    ")": "brackets",
    "[": "brackets",
    "]": "brackets",
}
_SEPARATOR_MARKS = frozenset(_SEPARATOR_NAMES)
# The minimum digits of a number in Vonage form, as in Niue's 683 4002.
_MIN_NUMBER_DIGITS = 7
# Marks that people put between two numbers in one field.
_LIST_MARKS = " ,;/|&"


class DialString(NamedTuple):
    """ASCII digits taken from a caller ID, with the changes that produced them.

    `plus` is True when the digits start with a country code: a + was written (or
    arrived as %2B), or a global phone-context gave the country code.
    `context_domain` is a phone-context domain of a local tel number, which names
    no country. `bracketed_zero` is the index in `digits` of a 0 written as (0)
    after a country code, as in +44 (0)20 7946 0123. `bracketed_prefix` is
    the digits in brackets at the start, as in (415) 555-0100, without a +.
    `spelled` reads a word after the number as keypad digits, as in
    1 800 444 CASH, where the digits read the word as a label to drop.
    `without_words` drops the words after the number, as in 13 11 14 Lifeline,
    where the digits read them as keypad digits.
    `group_starts` are the indices in `digits` where a group after a separator
    starts, as 2 and 3 in 24/7 030 901820, for digits written without a +.
    `person_written` is True when the digits had spaces, dashes, dots, slashes or
    brackets between them, or a label, as people write numbers and networks do not.
    `keypad_letters` are the letters read as keypad digits, as FLOWERS in
    1-800-FLOWERS. `label_in_front` is True when words apart from the digits,
    in front of them, were dropped as a label, as `Line` in `Line 2 7911 123456`.
    """

    digits: str
    plus: bool
    changes: tuple[str, ...] = ()
    context_domain: str | None = None
    bracketed_zero: int | None = None
    bracketed_prefix: str | None = None
    spelled: DialString | None = None
    without_words: DialString | None = None
    group_starts: tuple[int, ...] = ()
    person_written: bool = False
    keypad_letters: str = ""
    label_in_front: bool = False

    def without_bracketed_zero(self) -> DialString:
        """Return the digits with the 0 written as (0) removed, recording the change.

        Most countries drop their trunk prefix after the country code, and the
        national prefix rules remove it without this. Use it when the digits with
        the 0 kept read as no valid number.
        """
        if self.bracketed_zero is None:
            return self
        index = self.bracketed_zero
        return self._replace(
            digits=self.digits[:index] + self.digits[index + 1 :],
            changes=(
                *self.changes,
                "removed (0), which is not dialled after a country code",
            ),
            bracketed_zero=None,
        )


@dataclass(frozen=True)
class NotANumber:
    """A caller ID that contains no phone number, with the reason in a sentence."""

    withheld: bool
    reason: str


# How to read words after the number: by the default rule, always as a label, or
# always as keypad digits.
TrailingWords = Literal["label or spelling", "label", "spelling"]


@dataclass(slots=True)
class _Reading:
    text: str
    original: str
    changes: list[str] = field(default_factory=list)
    context_digits: str = ""
    context_domain: str | None = None
    trailing_words: TrailingWords = "label or spelling"
    dropped_trailing_words: bool = False
    kept_trailing_words: bool = False
    keypad_letters: str = ""
    labelled: bool = False
    label_in_front: bool = False


def read_dial_string(
    raw: str, trailing_words: TrailingWords = "label or spelling"
) -> DialString | NotANumber:
    """Take the dialled digits out of a caller ID, or explain why there are none.

    Each step below edits the text and records what it changed, or rejects it.
    `trailing_words` decides whether words after the number are a label to drop
    or keypad digits: by default a word after 7 digits or more is a label.
    """
    if len(raw) > MAX_INPUT_LENGTH:
        return NotANumber(
            False,
            f"The value has {len(raw)} characters, more than the {MAX_INPUT_LENGTH} "
            "a caller ID can have: paste only the number or the header value.",
        )

    reading = _Reading(raw.strip(), raw.strip(), trailing_words=trailing_words)
    if not reading.text:
        return NotANumber(
            True,
            "The caller ID is empty: the caller hid their number, or the network "
            "did not pass it on.",
        )
    if reading.text != raw:
        reading.changes.append("removed the spaces around the value")
    _drop_spreadsheet_formula(reading)
    _drop_caller_id_code(reading)
    _drop_quotes(reading)
    _drop_spreadsheet_decimal(reading)
    _drop_list_number(reading)

    if _PLAIN.fullmatch(reading.text):
        _drop_bracketed_label_at_end(reading)
        return _separate_digits(raw, reading)

    for step in (_reject_spreadsheet_number, _decode_url_escapes):
        rejection = step(reading)
        if rejection is not None:
            return rejection
    for step in _ADDRESS_STEPS if _ADDRESS_MARKS.search(reading.text) else _WORD_STEPS:
        rejection = step(reading)
        if rejection is not None:
            return rejection

    for step in (
        _reject_control_characters,
        _drop_bracketed_label_at_end,
        _drop_extension,
        _drop_end_marks,
        _normalize_unicode,
        _drop_dial_tone_waits,
        _drop_carrier_placeholder,
        _drop_labels,
        _convert_letters,
    ):
        rejection = step(reading)
        if rejection is not None:
            return rejection

    dial = _separate_digits(raw, reading)
    if not isinstance(dial, DialString):
        return dial
    if reading.dropped_trailing_words:
        spelled = read_dial_string(raw, "spelling")
        if isinstance(spelled, DialString):
            dial = dial._replace(spelled=spelled)
    if reading.kept_trailing_words:
        without_words = read_dial_string(raw, "label")
        if isinstance(without_words, DialString):
            dial = dial._replace(without_words=without_words)
    return dial


def _drop_quotes(reading: _Reading) -> None:
    text = reading.text
    if text[0] not in _OPENING_QUOTES:
        return
    quoted = len(text) > 2 and text[0] + text[-1] in _QUOTE_PAIRS
    if quoted and text[0] not in text[1:-1]:
        reading.changes.append("removed the quotes around the value")
        reading.text = text[1:-1].strip()
    elif text.startswith("'") and "'" not in text[1:]:
        reading.changes.append(
            "removed the ' that spreadsheets put in front of a value kept as text"
        )
        reading.text = text[1:].strip()


def starts_with_list_number(text: str) -> bool:
    """Tell whether `text` starts with an item number, as in 2. 415-555-0101."""
    # The test of the slice spares most values the regex.
    mark = text[1:3]
    return ("." in mark or ")" in mark) and _LIST_NUMBER.match(text) is not None


def _drop_spreadsheet_formula(reading: _Reading) -> None:
    if not reading.text.startswith("="):
        return
    match = _SPREADSHEET_FORMULA.fullmatch(reading.text)
    if match is None:
        return
    reading.changes.append(
        "removed the formula around the number, which spreadsheets write to keep "
        "it as text"
    )
    reading.text = (match["quoted"] or match["bare"]).strip()


def _drop_caller_id_code(reading: _Reading) -> None:
    text = reading.text
    if text[:1] not in "*#":
        return
    for code, effect in _CALLER_ID_CODES.items():
        rest = text.removeprefix(code).strip()
        if rest != text and rest:
            reading.changes.append(f"dropped {code}, the code that {effect}")
            reading.text = rest
            return


def _drop_list_number(reading: _Reading) -> None:
    match = _LIST_NUMBER.match(reading.text)
    if match is None:
        return
    rest = reading.text[match.end() :]
    if sum(character.isdigit() for character in rest) < _MIN_NUMBER_DIGITS:
        return
    reading.changes.append(
        f"removed the list number {match.group().strip()} in front of the number"
    )
    reading.text = rest


def _drop_spreadsheet_decimal(reading: _Reading) -> None:
    text = reading.text
    if not text.endswith(SPREADSHEET_DECIMALS):
        return
    match = _SPREADSHEET_DECIMAL.fullmatch(text)
    if match is None:
        return
    decimals = match.group(1)
    reading.changes.append(
        f"removed the {decimals} that a spreadsheet adds to a number it stores as a "
        "decimal"
    )
    reading.text = text[: -len(decimals)]


def _reject_control_characters(reading: _Reading) -> NotANumber | None:
    if reading.text.isprintable():
        return None
    for character in reading.text:
        if unicodedata.category(character) == "Cc" and character not in "\t\r\n":
            return NotANumber(
                False,
                f"The caller ID {reading.original!r} contains {character!r}, a "
                "control character, which is not part of a phone number.",
            )
    return None


def _reject_spreadsheet_number(reading: _Reading) -> NotANumber | None:
    text = reading.text
    if _SCIENTIFIC_NOTATION.fullmatch(text):
        digits = _exact_digits(text)
        if digits is not None:
            reading.changes.append(
                f"wrote out the scientific notation {text}, which keeps every digit"
            )
            reading.text = digits
            return None
        return NotANumber(
            False,
            f"{text!r} is in scientific notation, as spreadsheets show long numbers, "
            "so its last digits may be lost. Format the column as text in the "
            "spreadsheet, then copy the number again.",
        )
    if _THOUSANDS_SEPARATORS.fullmatch(text):
        return NotANumber(
            False,
            f"{text!r} has commas between groups of three digits, as spreadsheets "
            "write amounts. Copy the phone number without the commas.",
        )
    return None


def _exact_digits(notation: str) -> str | None:
    """Return the digits of a number in scientific notation if it shows them all.

    4.47911123456E+11 shows the 12 digits of 447911123456. 4.4791E+11 hides the
    last 7, and 4.47911123456E+5 has a fraction: both return None.
    """
    mantissa, _, exponent = notation.upper().partition("E")
    digits = mantissa.replace(".", "").replace(",", "")
    if len(digits) != int(exponent.lstrip("+")) + 1:
        return None
    return digits


def _decode_url_escapes(reading: _Reading) -> NotANumber | None:
    if "%" not in reading.text:
        return None
    decoded = unquote(reading.text)
    if decoded == reading.text:
        return None
    if "%2b" in decoded.casefold():
        # A log that escapes a URL again writes the + of %2B as %252B.
        reading.changes.append("decoded %252B, a + escaped twice, as +")
        reading.text = unquote(decoded).strip()
        return None
    if "%2b" in reading.text.casefold():
        reading.changes.append("decoded %2B as +")
    else:
        reading.changes.append("decoded the URL escapes")
    reading.text = decoded.strip()
    return None


def _drop_header_name(reading: _Reading) -> NotANumber | None:
    match = _IDENTITY_HEADER.fullmatch(reading.text)
    if match is None:
        return None
    if len(match["name"]) == 1 and not _SIP_VALUE.search(match["value"]):
        # `T: 030 901820` labels a telephone number, not a SIP To header.
        return None
    reading.changes.append(f"removed the header name {match['name']}:")
    reading.text = match["value"].strip()
    return None


def _reject_app_user(reading: _Reading) -> NotANumber | None:
    if _APP_USER.fullmatch(reading.text) is None:
        return None
    return NotANumber(
        False,
        f"The caller ID {reading.text!r} names a user of an in-app call, not a phone "
        "number: the call came from an app, which has no number to call back.",
    )


def _reject_missing_value(reading: _Reading) -> NotANumber | None:
    if reading.text.casefold() not in _MISSING_VALUE_WORDS:
        return None
    return NotANumber(
        False,
        f"The caller ID {reading.text!r} is a placeholder for a missing value, not a "
        "phone number: look for the caller's number in another field or log line.",
    )


def _reject_withheld_word(reading: _Reading) -> NotANumber | None:
    word = withheld_word(reading.text)
    if word is None:
        return None
    return NotANumber(
        True, f"The caller ID {reading.text!r} means {_missing_because(word)}."
    )


def _missing_because(word: str) -> str:
    """Return why a caller ID contains `word`, a withheld word, instead of a number."""
    if word in NOT_PASSED_ON:
        return "that the network did not pass the caller's number on"
    return "the caller hid their number"


def _unwrap_header(reading: _Reading) -> NotANumber | None:
    match = _NAME_ADDR.fullmatch(reading.text)
    if match is None:
        return None

    display_name = match["quoted"] if match["quoted"] is not None else match["token"]
    if display_name and display_name.strip():
        reading.changes.append(f"removed the display name {display_name.strip()!r}")
    reading.changes.append("removed the angle brackets around the URI")
    # P-Asserted-Identity may hold a sip: and a tel: URI, separated by a comma.
    parameters, comma, other_values = match["parameters"].partition(",")
    parameters = parameters.strip()
    if comma:
        reading.changes.append(
            f"took the first identity in the header, dropping {other_values.strip()}"
        )
    if parameters:
        reading.changes.append(f"removed the header parameters {parameters}")
    reading.text = match["uri"].strip()
    return None


def _unwrap_uri(reading: _Reading) -> NotANumber | None:
    scheme = _SCHEME.match(reading.text)
    if scheme is None:
        if _URI_WITHOUT_SCHEME.fullmatch(reading.text):
            return _unwrap_sip_uri(reading, None, reading.text)
        return None
    if reading.text[scheme.end() :][:1].isspace():
        # A URI has no space after its scheme: `Tel: 020 7946 0123` is a label.
        return None
    if scheme[1].casefold() == "tel":
        return _unwrap_tel_uri(reading, reading.text[scheme.end() :])
    return _unwrap_sip_uri(reading, scheme[1].casefold(), reading.text[scheme.end() :])


def _unwrap_tel_uri(reading: _Reading, body: str) -> NotANumber | None:
    number, *parameters = body.split(";")
    if number.startswith("//"):
        # Some web pages write tel://, as for a URL with a host.
        reading.changes.append("removed the tel:// scheme")
        number = number[2:]
    else:
        reading.changes.append("removed the tel: scheme")
    reading.text = unquote(number).strip()
    _apply_uri_parameters(reading, parameters)
    return None


def _unwrap_sip_uri(
    reading: _Reading, scheme: str | None, body: str
) -> NotANumber | None:
    """Take the number from a SIP URI's user part. `scheme` is None when it was cut."""
    uri = f"{scheme}:{body}" if scheme is not None else body
    userinfo, at, hostport = body.partition("@")
    if not at and _NUMBER_WITHOUT_HOST.match(body):
        # RFC 3261 requires a host, but some exports drop it: sip:+442079460123.
        userinfo, hostport = body, ""
    elif not at:
        return NotANumber(
            False,
            f"The SIP URI {uri} has no user part, so it names a host, not a phone "
            "number.",
        )

    host = re.split(r"[;?:]", hostport, maxsplit=1)[0]
    user_and_parameters = userinfo.split(":", 1)[0]
    user, *parameters = user_and_parameters.split(";")
    user = unquote(user).strip()

    if is_anonymous_sip_user(user, host):
        return NotANumber(
            True,
            f"The SIP URI {uri} is the anonymous form: the caller hid their number.",
        )
    word = withheld_word(user)
    if word is not None:
        return NotANumber(
            True, f"The SIP user {user!r} means {_missing_because(word)}."
        )
    if not user:
        return NotANumber(False, f"The SIP URI {uri} has an empty user part.")
    if _EXTENSION_USER.fullmatch(user):
        account = f"{user}@{host}" if scheme is None else f"{scheme}:{user}@{host}"
        return NotANumber(
            False,
            f"{account} is an internal SIP account or extension ({user}), not a "
            "phone number: use the caller's full number.",
        )
    if _LETTERS.search(user):
        return NotANumber(
            False,
            f"The SIP user {user!r} is an account name, not a phone number.",
        )

    if scheme is None:
        reading.changes.append(
            f"read the value as a SIP URI without its sip: scheme and took its user "
            f"part, dropping @{hostport}"
        )
    elif hostport:
        reading.changes.append(
            f"took the user part of the SIP URI, dropping {scheme}: and @{hostport}"
        )
    else:
        reading.changes.append(
            f"took the user part of the SIP URI, dropping {scheme}:, as the URI has "
            "no host"
        )
    reading.text = user
    _apply_uri_parameters(reading, parameters)
    return None


# The number portability parameters of RFC 4694, which networks add to the number.
_PORTABILITY_PARAMETERS = {
    "rn": "the routing number that the network adds for a ported number",
    "npdi": "which says that the network looked up whether the number was ported",
    "cic": "the carrier identification code that the network adds",
}


def _apply_uri_parameters(reading: _Reading, parameters: list[str]) -> None:
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        name = name.strip().casefold()
        value = unquote(value.strip())
        if name == "ext" and value:
            reading.changes.append(f"dropped the extension {value}")
        elif name == "phone-context" and value:
            _apply_phone_context(reading, value)
        elif name == "isub" and value:
            reading.changes.append(f"dropped the subaddress {value}")
        elif name == "postd" and value:
            reading.changes.append(f"dropped the post-dial digits {value}")
        elif name in _PORTABILITY_PARAMETERS:
            reading.changes.append(
                f"dropped {parameter.strip()}, {_PORTABILITY_PARAMETERS[name]}"
            )
        elif name:
            reading.changes.append(f"dropped the URI parameter {parameter.strip()}")


def _apply_phone_context(reading: _Reading, context: str) -> None:
    if reading.text.startswith("+"):
        reading.changes.append(
            f"ignored phone-context={context}, which does not apply to a number "
            "that starts with +"
        )
    elif context.startswith("+"):
        reading.context_digits = "".join(c for c in context if c.isdigit())
        reading.changes.append(
            f"read the local number {reading.text} in phone-context {context}, "
            "which gives its country code"
        )
    else:
        reading.context_domain = context


def _drop_bracketed_label_at_end(reading: _Reading) -> NotANumber | None:
    """Remove a label in brackets after the number, as in `(office)` or `(24/7)`.

    An extension in brackets, as in `(ext. 2)`, stays for the extension step.
    """
    bracketed = _bracketed_label_at_end(reading.text)
    if bracketed is not None:
        reading.changes.append(f"removed {bracketed[0].strip()!r} after the number")
        reading.text = reading.text[: bracketed.start()]
        reading.labelled = True
    return None


def _drop_end_marks(reading: _Reading) -> NotANumber | None:
    """Remove a comma, semicolon or # after the last digit, as in `+44 20 7946 0123,`.

    A # ends dialling on a keypad. Commas and semicolons come from pasted lists.
    """
    text = reading.text.rstrip()
    if not text.endswith((",", ";", "#")):
        return None
    marks = text[len(text.rstrip(",;#")) :]
    if marks and text[: -len(marks)].rstrip()[-1:].isdigit():
        reading.changes.append(f"removed the {marks!r} at the end")
        reading.text = text[: -len(marks)].rstrip()
    return None


def _drop_extension(reading: _Reading) -> NotANumber | None:
    post_dial = _POST_DIAL.search(reading.text)
    if post_dial is not None and any(
        c.isdigit() for c in reading.text[: post_dial.start()]
    ):
        reading.changes.append(
            f"dropped the digits {post_dial['digits']} after the "
            f"{_pause_name(post_dial)}, which are dialled after the call connects"
        )
        reading.text = reading.text[: post_dial.start()]
        return None

    extension = _EXTENSION.search(reading.text)
    if extension is not None and any(
        c.isdigit() for c in reading.text[: extension.start()]
    ):
        reading.changes.append(f"dropped the extension {extension[1]}")
        reading.text = reading.text[: extension.start()].rstrip(" (,;")
    return None


def _pause_name(post_dial: re.Match[str]) -> str:
    letters = post_dial["letter"]
    if letters is not None:
        return f"pause {letters}" if letters[0] in "pP" else f"wait {letters}"
    pause = post_dial["pause"].replace(" ", "")
    if set(pause) == {","}:
        return "comma" if len(pause) == 1 else "commas"
    if set(pause) == {";"}:
        return "semicolon" if len(pause) == 1 else "semicolons"
    return "pause characters"


def _normalize_unicode(reading: _Reading) -> NotANumber | None:
    if reading.text.isascii():
        return None

    text = reading.text
    if any("\uff00" <= character <= "\uffef" for character in text):
        reading.changes.append("converted full-width characters to ASCII")
    styled = _first_styled_character(text)
    if styled is not None:
        reading.changes.append(
            f"converted styled characters such as {styled!r} to plain ones"
        )
    text = unicodedata.normalize("NFKC", text)

    scripts: list[str] = []
    characters = []
    for character in text:
        characters.append(_plain_character(character, scripts))
    text = "".join(characters)

    if scripts:
        reading.changes.append(
            f"converted {' and '.join(scripts)} digits to ASCII digits"
        )
    if any(unicodedata.category(c) == "Cf" for c in reading.text):
        reading.changes.append("removed invisible formatting characters")

    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    symbols = _LEADING_SYMBOLS.match(text)
    if symbols is not None:
        # A telephone sign in front, as in ☎ +44 20 7946 0123, labels the number.
        reading.changes.append(f"removed {symbols[0].strip()!r} in front of the number")
        text = text[symbols.end() :]
    for character in text:
        if not character.isascii() and not character.isalpha():
            return _not_part_of_number(reading.text, character)
    reading.text = text
    return None


def _not_part_of_number(text: str, character: str) -> NotANumber:
    return NotANumber(
        False,
        f"The caller ID {text!r} contains {character!r} "
        f"(U+{ord(character):04X}), which is not part of a phone number.",
    )


def _first_styled_character(text: str) -> str | None:
    """Return the first digit, letter or + written in a special style, such as ①.

    Full-width characters, spaces and dashes are left out: other changes name them.
    """
    for character in text:
        if "\uff00" <= character <= "\uffef":
            continue
        plain = unicodedata.normalize("NFKC", character)
        if plain != character and (plain.isalnum() or plain == "+"):
            return character
    return None


def _plain_character(character: str, scripts: list[str]) -> str:
    if character.isascii():
        return character
    if character.isdecimal():
        script = unicodedata.name(character, "").rsplit(" DIGIT ", 1)[0].title()
        if script and script not in scripts:
            scripts.append(script)
        return str(unicodedata.decimal(character))

    category = unicodedata.category(character)
    # Japanese text often has the prolonged sound mark ー in place of a dash.
    if category == "Pd" or character in "\u2212\u30fc":
        return "-"
    if category == "Zs":
        return " "
    return character


def _drop_dial_tone_waits(reading: _Reading) -> NotANumber | None:
    # Russia's access code is written 8~10: dial 8, wait for a second dial tone,
    # then dial 10.
    if _DIAL_TONE_WAIT.search(reading.text) is None:
        return None
    reading.changes.append("removed the ~, which means waiting for a dial tone")
    reading.text = _DIAL_TONE_WAIT.sub("", reading.text)
    return None


def _drop_carrier_placeholder(reading: _Reading) -> NotANumber | None:
    match = _CARRIER_PLACEHOLDER.search(reading.text)
    if match is None:
        return None
    reading.changes.append(
        "removed the xx of 0xx, a placeholder for the carrier selection code that "
        "the caller dials"
    )
    reading.text = reading.text[: match.end(1)] + reading.text[match.end() :]
    return None


def _drop_labels(reading: _Reading) -> NotANumber | None:
    """Remove words that name the number, such as "Mob" in front or "(office)" after."""
    text = reading.text
    if _ANY_LETTERS.search(text) is None and ": " not in text:
        return None
    start = _number_start(text)
    if start is None:
        return None
    label = text[:start]
    # An O or l right before the digits, as in O664 123456, is a mistyped 0 or 1.
    last_word = label.split()[-1] if label.strip() else ""
    glued_typo = last_word in ("O", "o", "I", "l") and text[start : start + 1].isdigit()
    if (_ANY_LETTERS.search(label) or label.rstrip().endswith(":")) and not glued_typo:
        reading.changes.append(f"removed {label.strip()!r} in front of the number")
        reading.labelled = True
        # A label glued to the digits, as in (l1), may hold a mistyped digit.
        reading.label_in_front = label[-1:].isspace()
        text = text[start:]

    last_digit = max(
        index for index, character in enumerate(text) if character.isdigit()
    )
    tail = text[last_digit + 1 :]
    if _ANY_LETTERS.search(tail):
        kind = _trailing_text_kind(tail, text[: last_digit + 1], reading.trailing_words)
        if kind == "label":
            reading.changes.append(f"removed {tail.strip()!r} after the number")
            reading.labelled = True
            reading.dropped_trailing_words = not tail.strip().startswith(("(", "["))
            text = text[: last_digit + 1]
        else:
            reading.kept_trailing_words = kind == "word read as digits"

    reading.text = text
    return None


def _number_start(text: str) -> int | None:
    """Return where the number starts, after any label in front of it.

    A label ends with a colon, as in `Room 12: 020 7946 0000`, or with the last
    word before groups of digits, as in `2nd line 020 7946 0000`. Otherwise the
    number starts at its first digit or +, or at a bracket before it.
    """
    if not any(character.isdigit() for character in text):
        return None
    colon = _LABEL_COLON.search(text) if ":" in text else None
    if colon is not None and _is_label_before(text, colon.start(), colon.end()):
        return colon.end()
    words = list(_WORD.finditer(text)) if " " in text or "\t" in text else []
    lettered = [
        index for index, word in enumerate(words) if _ANY_LETTERS.search(word[0])
    ]
    # A word that ends with a 0, three digits or a bracketed area code, as in
    # Mobil0151 or Bob;(415), contains the start of the number. A word such as O2,
    # Fax1 or Line(2) is a name.
    if (
        lettered
        and lettered[-1] < len(words) - 1
        and _NUMBER_START_IN_WORD.search(words[lettered[-1]][0]) is None
    ):
        start = words[_skip_dashes(words, lettered[-1] + 1)].start()
        if _is_label_before(text, start, start):
            before_plus = _LABEL_DIGITS_BEFORE_PLUS.match(text, start)
            return before_plus.end() if before_plus is not None else start
    first = next(
        (index for index, character in enumerate(text) if character in _STARTS),
        None,
    )
    if first is None:
        return None
    before = text[:first].rstrip(" ")
    return len(before) - 1 if before.endswith(("(", "[")) else first


def _skip_dashes(words: list[re.Match[str]], index: int) -> int:
    """Return the index of the first word from `index` on that is not a dash alone.

    A dash between a label and its number, as in `Cell - +44 7700 900123`, belongs
    to the label. The last word is returned when all are dashes.
    """
    while index < len(words) - 1 and _DASHES_ONLY.fullmatch(words[index][0]):
        index += 1
    return index


def _is_label_before(text: str, end: int, number_start: int) -> bool:
    """Tell whether `text[:end]` may name the number that starts at `number_start`.

    A label names a number as `Room 12` does: a +, as many digits as a number has,
    or a letter between digits, as in 79I1, belong to a number or a second one.
    The number after the label needs a digit.
    """
    label = text[:end]
    digit_count = sum(character.isdigit() for character in label)
    rest = text[number_start:].lstrip()
    # O, I and l typed for 0 and 1, as in O664 123456, make a typo, unless a number
    # that starts with a trunk prefix or + follows a name such as the network O2.
    words = [word.strip("()[]") for word in label.split()]
    typos = [word for word in words if _DIGIT_LOOKALIKE.fullmatch(word)]
    name_before_number = rest.startswith(("0", "+")) and all(
        _LETTER_AND_DIGIT.fullmatch(word) for word in typos
    )
    return (
        "+" not in label
        and digit_count < _DIGITS_BEFORE_LABEL
        and _LETTER_BETWEEN_DIGITS.search(label) is None
        and (not typos or name_before_number)
        and any(character.isdigit() for character in rest)
    )


def _trailing_text_kind(tail: str, number: str, trailing_words: TrailingWords) -> str:
    """Tell whether the text after the last digit names the number or spells it.

    Returns `label`, `word read as digits` for a word that may also be a label,
    or `spelling` for letters joined to the digits, as in 1-800-356-FLOW.
    """
    stripped = tail.strip()
    if stripped.startswith(("(", "[")) and stripped.endswith((")", "]")):
        return "label"
    if not (tail[:1].isspace() or tail[:1] == "-"):
        return "spelling"
    if trailing_words == "label":
        return "label"
    if trailing_words == "spelling":
        return "spelling"
    digit_count = sum(character.isdigit() for character in number)
    return "label" if digit_count >= _DIGITS_BEFORE_LABEL else "word read as digits"


def _convert_letters(reading: _Reading) -> NotANumber | None:
    if not reading.text.isascii():
        other_script = next(c for c in reading.text if not c.isascii())
        return _not_part_of_number(reading.original, other_script)
    letters = "".join(_LETTERS.findall(reading.text))
    if not letters:
        return None
    if not any(character.isdigit() for character in reading.text):
        return NotANumber(
            False,
            f"The caller ID {reading.text!r} contains no digits, so it is not a "
            "phone number.",
        )
    if len(letters) < _MIN_SPELLED_LETTERS:
        return NotANumber(
            False,
            f"The caller ID {reading.original!r} contains the letter"
            f"{'s' if len(letters) > 1 else ''} {letters} among its digits. Paste one "
            "number written in digits: letters count as keypad digits only in a "
            "spelled word, as in 1-800-FLOWERS.",
        )

    converted = _keypad_digits(reading.text)
    keypad_digits = _keypad_digits(letters)
    reading.changes.append(
        f"converted the letters {letters.upper()} to the keypad digits {keypad_digits}"
    )
    reading.text = converted
    reading.keypad_letters = letters.upper()
    return None


def _keypad_digits(text: str) -> str:
    """Turn the letters in `text` into their digits on a phone keypad, as phonenumbers does."""
    if text.isascii():
        return text.translate(_ascii_keypad())
    return phonenumbers.convert_alpha_characters_in_number(text)


@cache
def _ascii_keypad() -> dict[int, str]:
    # phonenumbers converts one character at a time; a table does it in one call.
    return {
        ord(character): phonenumbers.convert_alpha_characters_in_number(character)
        for character in map(chr, range(128))
    }


def has_bracketed_label_at_end(text: str) -> bool:
    """Tell whether `text` ends with a label in brackets, as in `(24/7)`."""
    return _bracketed_label_at_end(text) is not None


def _bracketed_label_at_end(text: str) -> re.Match[str] | None:
    """Find a label in brackets after the number, but not an extension such as (ext. 2)."""
    if not text.endswith((")", "]")):
        return None
    bracketed = _TRAILING_BRACKETED_LABEL.search(text)
    if bracketed is None or bracketed.start() == 0:
        return None
    return bracketed if _EXTENSION.search(bracketed[0]) is None else None


def bracketed_prefix(text: str) -> str | None:
    """Return the digits in brackets at the start of `text`, as in (415) 555-0100."""
    match = _BRACKETED_PREFIX.match(text)
    return match[1] if match is not None else None


def has_trunk_prefix_in_brackets(text: str) -> bool:
    """Tell whether `text` has a (0) after a digit, as in +44 (0)20 7946 0123."""
    return _TRUNK_AFTER_CODE.search(text) is not None


def _separate_digits(raw: str, reading: _Reading) -> DialString | NotANumber:
    text = reading.text
    if not _ALLOWED.fullmatch(text):
        character = next(c for c in text if not _ALLOWED.fullmatch(c))
        if character in ",;|&":
            index = text.index(character)
            two = _two_numbers(raw.strip(), text[:index], text[index:])
            if two is not None:
                return NotANumber(False, two)
        return NotANumber(
            False,
            f"The caller ID {raw.strip()!r} contains {character!r}, which is not part "
            "of a phone number.",
        )

    body = _BRACKETED_PLUS.sub("+(", text.lstrip(), count=1)
    plus = body.startswith("+")
    if plus:
        pluses = body[: len(body) - len(body.lstrip("+ "))].count("+")
        if pluses > 1:
            extra = "the extra +" if pluses == 2 else f"{pluses - 1} extra + signs"
            reading.changes.append(f"removed {extra} in front")
        body = body.lstrip("+ ")
    if "+" in body:
        return NotANumber(False, _plus_inside_reason(raw.strip(), text))

    separators = describe_separators(body)
    if separators is not None:
        reading.changes.append(separators)

    digits = _NOT_DIGIT.sub("", body)
    bracketed_zero = _bracketed_zero_index(body)
    if reading.context_digits:
        if bracketed_zero is not None:
            bracketed_zero += len(reading.context_digits)
        digits = reading.context_digits + digits
        plus = True

    return DialString(
        digits=digits,
        plus=plus,
        changes=tuple(reading.changes),
        context_domain=reading.context_domain,
        bracketed_zero=bracketed_zero,
        bracketed_prefix=None if plus or "(" not in body else bracketed_prefix(body),
        group_starts=() if plus else group_starts(body),
        person_written=separators is not None or reading.labelled,
        label_in_front=reading.label_in_front,
        keypad_letters=reading.keypad_letters,
    )


def _plus_inside_reason(value: str, text: str) -> str:
    """Explain a + after the first digit: a second number, or a misplaced +."""
    second = text.rfind("+")
    two = _two_numbers(value, text[:second], text[second:])
    if two is not None:
        return two
    return (
        f"The caller ID {value!r} has a + after the first digit: a + may only come "
        "first."
    )


def _two_numbers(value: str, first: str, second: str) -> str | None:
    """Explain `value` as two numbers pasted together, or return None if it is not.

    Each part needs as many digits as the shortest number in Vonage form.
    """
    first, second = first.strip(_LIST_MARKS), second.strip(_LIST_MARKS)
    digit_counts = (sum(c.isdigit() for c in part) for part in (first, second))
    if min(digit_counts) < _MIN_NUMBER_DIGITS:
        return None
    return (
        f"The caller ID {value!r} holds two numbers, {first} and {second}: paste "
        "one at a time."
    )


def two_numbers_at_slash(value: str) -> str | None:
    """Explain a value with too many digits as two numbers with a / between them.

    A / also separates an area code, as in 030/901820, so it splits numbers only
    where each side has as many digits as a number has.
    """
    for index, character in enumerate(value):
        if character == "/":
            two = _two_numbers(value, value[:index], value[index:])
            if two is not None:
                return two
    return None


def group_starts(text: str) -> tuple[int, ...]:
    """Return where each group of digits after a separator starts, counted in digits."""
    if text.isdigit():
        return ()
    starts = []
    seen = 0
    for group in _GROUP_SEPARATORS.split(text):
        digits = len(group) if group.isdigit() else len(_NOT_DIGIT.sub("", group))
        if seen and digits:
            starts.append(seen)
        seen += digits
    return tuple(starts)


def _bracketed_zero_index(body: str) -> int | None:
    match = _TRUNK_AFTER_CODE.search(body)
    if match is None:
        return None
    return len(_NOT_DIGIT.sub("", body[: match.start()]))


def describe_separators(text: str) -> str | None:
    """Describe the visual separators in `text` as a change, such as removing dashes."""
    marks = _SEPARATOR_MARKS.intersection(text)
    if not marks:
        return None
    return _separators_removed(marks)


@cache
def _separators_removed(marks: frozenset[str]) -> str:
    names = sorted({_SEPARATOR_NAMES[mark] for mark in marks})
    return f"removed the {_join_words(names)}"


def _join_words(words: list[str]) -> str:
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " and " + words[-1]


# The steps that read a value as words or as an address, in order. Headers, URIs
# and in-app users all have one of `_ADDRESS_MARKS`, so a value without any takes
# only the steps for words.
_ADDRESS_STEPS = (
    _drop_header_name,
    _reject_withheld_word,
    _reject_missing_value,
    _reject_app_user,
    _unwrap_header,
    _unwrap_uri,
)
_WORD_STEPS = (_reject_withheld_word, _reject_missing_value)
_ADDRESS_MARKS = re.compile("[:@<]")
