"""Tests for vonage_format: each table is one kind of input seen in the wild.

Rows are (input, region hint, expected Vonage form, expected status). Numbers in the
ranges reserved for fiction (Ofcom 020 7946 0xxx and 07700 900xxx, NANP 555-01xx,
ACMA 0491 570 xxx) are used wherever the kind allows.
"""

from __future__ import annotations

import pytest

from domain.e164 import (
    FormatResult,
    FormatStatus,
    Reading,
    number_problem,
    vonage_format,
)
from domain.numbering import COMMON_ACCESS_CODES
from domain.withheld import truncated_keypad_word

VALID = FormatStatus.VALID
FIXED = FormatStatus.FIXED
WITHHELD = FormatStatus.WITHHELD
INVALID = FormatStatus.INVALID

Row = tuple[str, str | None, str | None, FormatStatus]
ROW_FIELDS = ("raw", "region", "e164", "status")


def check(raw: str, region: str | None, e164: str | None, status: FormatStatus) -> None:
    result = vonage_format(raw, region)
    assert result.e164 == e164, result
    assert result.status == status, result
    assert result.input == raw


REFERENCE_CASES: list[Row] = [
    ("+5215512345678", None, "525512345678", FIXED),
    ("Anonymous", None, None, WITHHELD),
    ("+266696687", None, None, WITHHELD),
    ("+14155550100", None, "14155550100", FIXED),
    ("+447700900123", None, "447700900123", FIXED),
    ("sip:+61491570156@lily-outbound", None, "61491570156", FIXED),
    (
        '"Reception" <sip:+33612345678@pbx.example.com>;tag=185.1.2.3+6+76cd6937',
        None,
        "33612345678",
        FIXED,
    ),
    (
        "<tel:+1-201-555-0123;phone-context=drachtio.org;ext=1>",
        None,
        "12015550123",
        FIXED,
    ),
    ("tel:+44-114-496-0123,1234", None, "441144960123", FIXED),
    ("8 (912) 345-67-89", "RU", "79123456789", FIXED),
    ("00919812345678", "IN", "919812345678", FIXED),
    ("+54 9 11 2345-6789", None, "5491123456789", FIXED),
    ("00390212345678", "DE", "390212345678", FIXED),
    ("+49 (0)176 12345678", None, "4917612345678", FIXED),
    ("", None, None, WITHHELD),
    ("447700900123", "GB", "447700900123", VALID),
    ("1-800-FLOWERS", "US", "18003569377", FIXED),
    ("٦٥٠٥٥٥٠١٢٣", "US", "16505550123", FIXED),
    ("０９０－１２３４－５６７８", "JP", "819012345678", FIXED),  # noqa: RUF001
    ("0014155550123", "SE", "14155550123", FIXED),
    ("04155550123", "US", None, INVALID),
]


@pytest.mark.parametrize(ROW_FIELDS, REFERENCE_CASES)
def test_reference_cases(
    raw: str, region: str | None, e164: str | None, status: FormatStatus
) -> None:
    check(raw, region, e164, status)


ALREADY_VONAGE_FORM: list[Row] = [
    ("447700900123", None, "447700900123", VALID),
    ("14155550100", None, "14155550100", VALID),
    ("14155550100", "US", "14155550100", VALID),
    ("33612345678", "FR", "33612345678", VALID),
    ("4915123456789", "DE", "4915123456789", VALID),
    ("4930123456", "DE", "4930123456", VALID),
    ("442079460123", "US", "442079460123", VALID),
    ("61491570156", "AU", "61491570156", VALID),
    ("2015550123", None, "2015550123", VALID),
    ("80012345678", None, "80012345678", VALID),
]


@pytest.mark.parametrize(ROW_FIELDS, ALREADY_VONAGE_FORM)
def test_already_vonage_form(
    raw: str, region: str | None, e164: str | None, status: FormatStatus
) -> None:
    check(raw, region, e164, status)


SIP_AND_TEL: list[Row] = [
    (
        "sips:+442079460123@gw.example.net:5061;transport=tls",
        None,
        "442079460123",
        FIXED,
    ),
    ("sip:442079460123@gw.example.net;user=phone", None, "442079460123", FIXED),
    ("sip:+1-212-555-0199;postd=pp22@foo.com;user=phone", None, "12125550199", FIXED),
    ("SIP:+14155550100@10.0.0.1:5060", None, "14155550100", FIXED),
    ("sip:+442079460123", None, "442079460123", FIXED),
    ("sip:%2B14155550100@pbx.example.com", None, "14155550100", FIXED),
    ("<sip:+14155550100@10.0.0.1:5060>;tag=abc", None, "14155550100", FIXED),
    ("Alice <sip:+14155550100@example.com>", None, "14155550100", FIXED),
    (
        '"Smith, J" <sips:+442079460123@example.com>;tag=9fxced76sl',
        None,
        "442079460123",
        FIXED,
    ),
    ("<sip:02079460123@pbx.example.com;user=phone>", "GB", "442079460123", FIXED),
    ("tel:+1-415-555-0100", None, "14155550100", FIXED),
    ("tel:+1-415-555-0100;ext=22", None, "14155550100", FIXED),
    ("tel:0114 496 0123;phone-context=+44", None, "441144960123", FIXED),
    ("tel:2015550123;phone-context=+1", None, "12015550123", FIXED),
    ("tel:01144960123;phone-context=example.com", "GB", "441144960123", FIXED),
    ("tel:01144960123;phone-context=example.com", None, None, INVALID),
    ("<tel:+61-491-570-156>", None, "61491570156", FIXED),
    (
        'From: "Alice" <sip:+14155550100@example.com>;tag=abc123',
        None,
        "14155550100",
        FIXED,
    ),
    (
        "P-Asserted-Identity: <sip:+442079460123@10.0.0.1;user=phone>",
        None,
        "442079460123",
        FIXED,
    ),
    ("f: <sip:+33612345678@10.0.0.1>;tag=1", None, "33612345678", FIXED),
    (
        'Remote-Party-ID: "Bob" <sip:+14155550100@10.1.1.1>;party=calling;privacy=off',
        None,
        "14155550100",
        FIXED,
    ),
    (
        "<sip:+14155550100@10.0.0.1;user=phone>, <tel:+14155550100>",
        None,
        "14155550100",
        FIXED,
    ),
    ("sip:+442079460123;user=phone@gw.example.net:5060", None, "442079460123", FIXED),
    ("sip:+14155550100@[2001:db8::1]:5060", None, "14155550100", FIXED),
    ("sip:14155550100@sip.example.com:5060;transport=udp", None, "14155550100", FIXED),
    ("sip:+1-415-555-0100@example.com", None, "14155550100", FIXED),
    ("+14155550100@10.0.0.1:5060", None, "14155550100", FIXED),
    ("sip:00442079460123@sip.carrier.net", None, "442079460123", FIXED),
    ("sip:011442079460123@pbx.example.com", None, "442079460123", FIXED),
    ("tel:5550123;phone-context=+1-201", None, "12015550123", FIXED),
    ("tel:02079460123;phone-context=+44", None, "442079460123", FIXED),
    ("TEL:+44-20-7946-0123", None, "442079460123", FIXED),
]


@pytest.mark.parametrize(ROW_FIELDS, SIP_AND_TEL)
def test_sip_and_tel(
    raw: str, region: str | None, e164: str | None, status: FormatStatus
) -> None:
    check(raw, region, e164, status)


ACCESS_CODES: list[Row] = [
    ("00 44 20 7946 0123", None, "442079460123", FIXED),
    ("00 44 20 7946 0123", "FR", "442079460123", FIXED),
    ("011 44 20 7946 0123", "US", "442079460123", FIXED),
    ("011 33 6 12 34 56 78", "CA", "33612345678", FIXED),
    ("0011 61 491 570 156", "AU", "61491570156", FIXED),
    ("0011 44 20 7946 0123", "AU", "442079460123", FIXED),
    ("001 1 212 555 0199", "KR", "12125550199", FIXED),
    ("00700 44 20 7946 0123", "KR", "442079460123", FIXED),
    ("010 81 90 1234 5678", "JP", "819012345678", FIXED),
    ("8 10 44 20 7946 0123", "RU", "442079460123", FIXED),
    ("810 1 212 555 0199", "RU", "12125550199", FIXED),
    ("00 49 30 123456", "CH", "4930123456", FIXED),
    ("00390212345678", None, "390212345678", FIXED),
    ("001 1 415 555 0100", None, "14155550100", FIXED),
    ("+011 44 20 7946 0123", None, "442079460123", FIXED),
    ("+00 44 20 7946 0123", None, "442079460123", FIXED),
    ("+0044 20 7946 0123", None, "442079460123", FIXED),
    ("+0011 61 491 570 156", None, "61491570156", FIXED),
    ("+010 81 90 1234 5678", None, "819012345678", FIXED),
    ("+001 1 415 555 0100", None, "14155550100", FIXED),
    (" 14155550100", None, "14155550100", FIXED),
    (" 33612345678", "GB", "33612345678", FIXED),
    ("%2B14155550100", None, "14155550100", FIXED),
    ("%2b33612345678", None, "33612345678", FIXED),
    ("+33%206%2012%2034%2056%2078", None, "33612345678", FIXED),
    ("++44 20 7946 0123", None, "442079460123", FIXED),
    ("000 44 20 7946 0123", "KE", "442079460123", FIXED),
    ("0014 44 20 7946 0123", "AU", "442079460123", FIXED),
    ("009 44 20 7946 0123", "NG", "442079460123", FIXED),
    ("0021 1 212 555 0199", "BR", "12125550199", FIXED),
    ("119 44 20 7946 0123", "CU", "442079460123", FIXED),
    ("00 1 (415) 555-0100", "DE", "14155550100", FIXED),
    ("011 52 1 55 1234 5678", "US", "525512345678", FIXED),
    ("00 86 10 6552 9988", "GB", "861065529988", FIXED),
    ("010-81-90-1234-5678", "JP", "819012345678", FIXED),
    ("001-82-10-1234-5678", "KR", "821012345678", FIXED),
    ("+ 44 20 7946 0123", None, "442079460123", FIXED),
    ("(+44) 20 7946 0123", None, "442079460123", FIXED),
    ("%2B44%2020%207946%200123", None, "442079460123", FIXED),
]


@pytest.mark.parametrize(ROW_FIELDS, ACCESS_CODES)
def test_access_codes(
    raw: str, region: str | None, e164: str | None, status: FormatStatus
) -> None:
    check(raw, region, e164, status)


def test_common_access_codes_start_with_zero() -> None:
    # The readings skip the common access codes for digits that start otherwise.
    assert all(code.startswith("0") for code in COMMON_ACCESS_CODES)


TRUNK_PREFIXES: list[Row] = [
    ("020 7946 0123", "GB", "442079460123", FIXED),
    ("07700 900123", "GB", "447700900123", FIXED),
    ("06 12 34 56 78", "FR", "33612345678", FIXED),
    ("8-912-345-67-89", "RU", "79123456789", FIXED),
    ("(415) 555-0100", "US", "14155550100", FIXED),
    ("1 (415) 555-0100", "US", "14155550100", FIXED),
    ("030 123456", "DE", "4930123456", FIXED),
    ("+44 (0)20 7946 0123", None, "442079460123", FIXED),
    ("+44 (0) 20 7946 0123", None, "442079460123", FIXED),
    ("+33 (0)6 12 34 56 78", None, "33612345678", FIXED),
    ("0033 (0) 6 12 34 56 78", "FR", "33612345678", FIXED),
    ("+440 20 7946 0123", None, "442079460123", FIXED),
    ("+4402079460123", None, "442079460123", FIXED),
    ("+490 176 12345678", None, "4917612345678", FIXED),
    ("+7 8 912 345 67 89", None, "79123456789", FIXED),
    ("+61 (2) 5550 1234", None, "61255501234", FIXED),
    ("0 21 2345 6789", "BR", "552123456789", FIXED),
    ("0 41 21 2345 6789", "BR", "552123456789", FIXED),
    ("0 15 21 98765 4321", "BR", "5521987654321", FIXED),
    ("02 1234 5678", "IT", "390212345678", FIXED),
    ("612345678", "FR", "33612345678", FIXED),
    ("010 6552 9988", "CN", "861065529988", FIXED),
    ("09812345678", "IN", "919812345678", FIXED),
    ("011-2345 6789", "IN", "911123456789", FIXED),
    ("+91 098123 45678", None, "919812345678", FIXED),
    ("+91 (0) 98123 45678", None, "919812345678", FIXED),
    ("+7 (812) 555-12-34", None, "78125551234", FIXED),
    ("8 (812) 555-12-34", "RU", "78125551234", FIXED),
    ("+7 (8912) 345-67-89", None, "79123456789", FIXED),
    ("+7 (0) 912 345 67 89", None, "79123456789", FIXED),
    ("+39 (0)6 4567 8901", None, "390645678901", FIXED),
    ("+378 (0)549 886377", None, "3780549886377", FIXED),
    ("(+44) (0)20 7946 0123", None, "442079460123", FIXED),
    ("+81 (0)90 1234 5678", None, "819012345678", FIXED),
    ("+62 (0)21 1234 5678", None, "622112345678", FIXED),
    ("+234 (0)803 123 4567", None, "2348031234567", FIXED),
    ("010-1234-5678", "KR", "821012345678", FIXED),
    ("0612345678", "NL", "31612345678", FIXED),
    ("17951 138 0013 8000", "CN", "8613800138000", FIXED),
    ("0 21 11 98765 4321", "BR", "5511987654321", FIXED),
    ("0xx11 98765-4321", "BR", "5511987654321", FIXED),
    ("(0xx21) 2345-6789", "BR", "552123456789", FIXED),
    ("+55 0 21 11 98765 4321", None, "5511987654321", FIXED),
]


@pytest.mark.parametrize(ROW_FIELDS, TRUNK_PREFIXES)
def test_trunk_prefixes(
    raw: str, region: str | None, e164: str | None, status: FormatStatus
) -> None:
    check(raw, region, e164, status)


PLAN_CHANGES: list[Row] = [
    ("+52 1 55 1234 5678", None, "525512345678", FIXED),
    ("+52 1 33 1234 5678", None, "523312345678", FIXED),
    ("044 55 1234 5678", "MX", "525512345678", FIXED),
    ("045 33 1234 5678", "MX", "523312345678", FIXED),
    ("01 55 1234 5678", "MX", "525512345678", FIXED),
    ("55 1234 5678", "MX", "525512345678", FIXED),
    ("+55 11 8765 4321", None, "5511987654321", FIXED),
    ("+55 21 9876 5432", None, "5521998765432", FIXED),
    ("(11) 8765-4321", "BR", "5511987654321", FIXED),
    ("+55 21 3234 5678", None, "552132345678", FIXED),
    ("+54 11 15 2345 6789", None, "5491123456789", FIXED),
    ("011 15 2345-6789", "AR", "5491123456789", FIXED),
    ("0341 15 512 3456", "AR", "5493415123456", FIXED),
    ("+54 341 15 512 3456", None, "5493415123456", FIXED),
    ("+54 9 341 512 3456", None, "5493415123456", FIXED),
    ("+54 341 512 3456", None, "543415123456", FIXED),
    ("+52 1 (55) 1234-5678", None, "525512345678", FIXED),
    ("044 (55) 1234-5678", "MX", "525512345678", FIXED),
    ("01 800 123 4567", "MX", "528001234567", FIXED),
    ("52 1 55 1234 5678", "MX", "525512345678", FIXED),
    ("+55 31 8765 4321", None, "5531987654321", FIXED),
    ("(011) 15-2345-6789", "AR", "5491123456789", FIXED),
    ("+54 011 15 2345-6789", None, "5491123456789", FIXED),
    ("0054 9 11 2345 6789", "DE", "5491123456789", FIXED),
    ("+57 1 345 6789", None, "576013456789", FIXED),
    ("(4) 444 5555", "CO", "576044445555", FIXED),
    ("09 4 444 5555", "CO", "576044445555", FIXED),
]


@pytest.mark.parametrize(ROW_FIELDS, PLAN_CHANGES)
def test_plan_changes(
    raw: str, region: str | None, e164: str | None, status: FormatStatus
) -> None:
    check(raw, region, e164, status)


WITHHELD_VALUES: list[Row] = [
    ("anonymous", None, None, WITHHELD),
    ("Unbekannt", None, None, WITHHELD),
    ("Anonyme", "FR", None, WITHHELD),
    ("Privé", None, None, WITHHELD),
    ("Número privado", "ES", None, WITHHELD),
    ("Rufnummer unterdrückt", "DE", None, WITHHELD),
    ("非通知", "JP", None, WITHHELD),
    ("Скрытый номер", "RU", None, WITHHELD),
    ("Onbekend", "NL", None, WITHHELD),
    ("Anoniem", "NL", None, WITHHELD),
    ("Nascosto", "IT", None, WITHHELD),
    ("Okänt nummer", "SE", None, WITHHELD),
    ("Numer zastrzeżony", "PL", None, WITHHELD),
    ("Gizli numara", "TR", None, WITHHELD),
    ("GİZLİ NUMARA", "TR", None, WITHHELD),
    ("Sconosciuto", None, None, WITHHELD),
    ("ANONYMOUS", "GB", None, WITHHELD),
    ("Restricted", None, None, WITHHELD),
    ("withheld", None, None, WITHHELD),
    ("Unavailable", None, None, WITHHELD),
    ("BLOCKED", None, None, WITHHELD),
    ("unknown", None, None, WITHHELD),
    ("Private", None, None, WITHHELD),
    ("Private Number", None, None, WITHHELD),
    ("UNKNOWN CALLER", None, None, WITHHELD),
    ("Anonymous Caller", None, None, WITHHELD),
    ("Caller ID Withheld", None, None, WITHHELD),
    ("No Caller ID", None, None, WITHHELD),
    ("   ", None, None, WITHHELD),
    ("\t", "US", None, WITHHELD),
    ("+266696687", "GB", None, WITHHELD),
    ("266696687", None, None, WITHHELD),
    ("+8656696", None, None, WITHHELD),
    ("7748283", None, None, WITHHELD),
    ("+7378742833", None, None, WITHHELD),
    ("+94844353", None, None, WITHHELD),
    ("2562533", None, None, WITHHELD),
    (
        '"Anonymous" <sip:anonymous@anonymous.invalid>;tag=1928301774',
        None,
        None,
        WITHHELD,
    ),
    ("<sip:anonymous@anonymous.invalid>", None, None, WITHHELD),
    ("sip:Anonymous@10.1.2.3", None, None, WITHHELD),
    ("sip:+14155550100@anonymous.invalid", None, None, WITHHELD),
    ("sip:restricted@carrier.example.net", None, None, WITHHELD),
    ('"Unknown" <sip:unknown@192.168.1.1>', None, None, WITHHELD),
    ("From: Anonymous <sip:anonymous@anonymous.invalid>;tag=1", None, None, WITHHELD),
    ("anonymous@anonymous.invalid", None, None, WITHHELD),
    ("sip:anonymous@localhost", None, None, WITHHELD),
    ("PRIVATE", "US", None, WITHHELD),
    ("Number Withheld", None, None, WITHHELD),
    ("OUT OF AREA", None, None, WITHHELD),
    ("Out of Area Call", "US", None, WITHHELD),
    ("+ANONYMOUS", None, None, WITHHELD),
    ("+86282452253", None, None, WITHHELD),
    ("+266 696 687", None, None, WITHHELD),
    ("00266696687", None, None, WITHHELD),
    ("011 266696687", "US", None, WITHHELD),
    ("sip:+266696687@example.com", None, None, WITHHELD),
    ("+2666966", None, None, WITHHELD),
    ("+26669668", None, None, WITHHELD),
    ("737874", "GB", None, WITHHELD),
]


@pytest.mark.parametrize(
    ("digits", "expected"),
    [
        ("26669", None),
        ("266696", ("anonyme", "2666963")),
        ("26669668", ("anonymous", "266696687")),
        ("266696687", None),
        ("2666966870", None),
    ],
)
def test_cut_keypad_spelling_bounds(
    digits: str, expected: tuple[str, str] | None
) -> None:
    # Six digits at least, and fewer than the whole spelling, count as cut short.
    assert truncated_keypad_word(digits) == expected


@pytest.mark.parametrize(ROW_FIELDS, WITHHELD_VALUES)
def test_withheld(
    raw: str, region: str | None, e164: str | None, status: FormatStatus
) -> None:
    check(raw, region, e164, status)


NOT_NUMBERS: list[tuple[str, str | None, str]] = [
    ("911", "US", "911 is an emergency number in United States (US)"),
    ("112", "DE", "112 is an emergency number in Germany (DE)"),
    ("\x1b[31m+12127365000\x1b[0m", None, "contains '\\x1b', a control character"),
    ("+1 212 736 5000 or +1 212 736 5001", None, "Paste one number written in digits"),
    # Scientific notation that hides digits, or has a fraction.
    ("4.4791E+11", None, "scientific notation"),
    ("4.47911123456E+5", None, "scientific notation"),
    ("1.21273650E10", "US", "Format the column as text"),
    ("12,127,365,000", "US", "commas between groups of three digits"),
    ("+07911 123456", None, "has a 0 after the +, and no country code starts"),
    ("+44 79I1 123456", None, "the letter I among its digits"),
    ("+49 30 1234567890123", None, "17 digits, more than the 15 that E.164 allows"),
    # An area code in brackets marks a national number, never Vonage form.
    ("(203) 123-3439", "US", "not a valid national number of United States"),
    ("(415) 555-0100", None, "4155550100 has no country code"),
    ("0000000000", None, "placeholder (all zeros)"),
    ("+0", None, "placeholder (all zeros)"),
    ("+00000000000", None, "placeholder (all zeros)"),
    ("1234567890", None, "placeholder (the digits count in order)"),
    ("1234567890", "US", "placeholder (the digits count in order)"),
    ("9876543210", None, "placeholder (the digits count in order)"),
    ("1111111111", None, "placeholder (every digit is 1)"),
    ("+1", None, "only the country code 1"),
    ("+44", None, "only the country code 44"),
    ("00", None, "only the international access code 00"),
    ("00", "GB", "only the international access code 00"),
    ("011", None, "only the international access code 011"),
    ("0011", "AU", "only the international access code 0011"),
    ("810", "RU", "only the international access code 810"),
    ("+00", None, "only the international access code 00"),
    ("sip:1001@pbx.local", None, "internal SIP account or extension (1001)"),
    ("sip:200;user=phone@pbx", None, "internal SIP account or extension (200)"),
    ("sip:reception@pbx.example.com", None, "account name"),
    ("sip:pbx.example.com", None, "has no user part"),
    ("sips:@host.example.com", None, "empty user part"),
    ("12", "US", "12 has only 2 digits, too few"),
    ("1-2", "US", "1-2 has only 2 digits after cleaning, too few"),
    ("+5", None, "+5 has only 1 digit, too few"),
    ("12345678901234567890", None, "12345678901234567890 has 20 digits, but"),
    ("+44 20", None, "too short for country code +44"),
    ("+00 123", None, "After the access code 00, 123 is too short"),
    ("011 44 20", "US", "After the access code 011, 4420 is too short"),
    ("+44 20 7946 0123 4567", None, "too long for country code +44"),
    ("+33 6 12 34", None, "too short for France (FR)"),
    ("+1 (415) 555-0100!", None, "contains '!'"),
    ("*69 415 555 0100", "US", "contains '*'"),
    ("client:alice_14155550101", None, "names a user of an in-app call"),
    ("app:bob", None, "names a user of an in-app call"),
    ("44+20 7946 0123", None, "a + may only come first"),
    ("hello", None, "contains no digits"),
    ("5 Tel: -", "GB", "contains ':'"),
    ("06 12 34 56 789", "FR", "it has 10 digits after the trunk prefix 0"),
    # O, I and l typed for 0 and 1 are typos, not labels.
    ("O664 123456", "AT", "the letter O among its digits"),
    ("O1 286567894", "AT", "the letter O among its digits"),
    ("04l 2345678", "AX", "the letter l among its digits"),
    ("(l1) 90023-5567", "BR", "is not a valid national number of Brazil"),
    ("07911 1234567", "GB", "it has 11 digits after the trunk prefix 0"),
    # Words read as keypad digits make a number only where businesses spell one.
    ("Press 2 for support", None, "its letters FORSUPPORT as keypad digits"),
    ("911 emergency", "US", "would make 911363743629, a landline"),
    ("12 reception", "GB", "only toll-free, shared-cost and premium numbers"),
    ("24/7 support", "GB", "Paste the number in digits"),
    ("30 day trial", "US", "contains words"),
    ("1 New Street", "GB", "contains words"),
    ("Tel: +", "GB", "contains no digits"),
    ("04155550123", "US", "too long for United States (US)"),
    ("02 1234 567", "FR", "not a valid national number of France (FR)"),
    ("0999 999", "GB", "not a valid national number of United Kingdom (GB)"),
    ("+882 3456 7890", None, "not a valid number for country code +882"),
    ("null", None, "placeholder for a missing value"),
    ("NULL", None, "placeholder for a missing value"),
    ("None", None, "placeholder for a missing value"),
    ("N/A", None, "placeholder for a missing value"),
    ("undefined", None, "placeholder for a missing value"),
    ("+1 000-000-0000", None, "every digit is 0 after the country code 1"),
    ("+44 0000 000000", None, "every digit is 0 after the country code 44"),
    ("+1 999 999 9999", None, "every digit is 9 after the country code 1"),
    ("10000000000", None, "every digit is 0 after the country code 1"),
    ("00 44", None, "only the international access code 00 and the country code 44"),
    ("+0044", None, "only the international access code 00 and the country code 44"),
    ("011 1", "US", "only the international access code 011 and the country code 1"),
    ("1001", "US", "only 4 digits"),
    ("22158", None, "only 5 digits"),
    ("sip:101@192.168.0.10", None, "internal SIP account or extension (101)"),
    ('"Reception" <sip:201@pbx.local>', None, "internal SIP account or extension"),
    ("1001@pbx.local", None, "internal SIP account or extension (1001)"),
    ("sip:s@10.0.0.1", None, "account name"),
    ("+44 20 7946 0123 9999 9999", None, "20 digits after cleaning"),
    ("+2666", None, "only 1 digit after the country code 266"),
    ("+26669", None, "too short for Lesotho (LS)"),
]


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("anonymous", "the caller hid their number"),
        ("Private Number", "the caller hid their number"),
        ("sip:restricted@carrier.example.net", "the caller hid their number"),
        ("Unavailable", "the network did not pass the caller's number on"),
        ("UNKNOWN CALLER", "the network did not pass the caller's number on"),
        ("OUT OF AREA", "the network did not pass the caller's number on"),
        ('"Unknown" <sip:unknown@192.168.1.1>', "did not pass the caller's number"),
        ("", "the caller hid their number, or the network did not pass it on"),
    ],
)
def test_withheld_reason(raw: str, reason: str) -> None:
    result = vonage_format(raw)

    assert result.reason is not None
    assert reason in result.reason


@pytest.mark.parametrize(("raw", "region", "reason"), NOT_NUMBERS)
def test_not_numbers(raw: str, region: str | None, reason: str) -> None:
    result = vonage_format(raw, region)

    assert result.status == INVALID
    assert result.e164 is None
    assert result.reason is not None
    assert reason in result.reason


NO_REGION_GIVEN: list[tuple[str, str]] = [
    ("07700 900123", "starts with 0"),
    ("0612345678", "starts with 0"),
    ("4155550123", "No region was given"),
    (
        "tel:01144960123;phone-context=example.com",
        "is a domain, which names no country",
    ),
]


@pytest.mark.parametrize(("raw", "reason"), NO_REGION_GIVEN)
def test_no_region_reason(raw: str, reason: str) -> None:
    result = vonage_format(raw)

    assert result.status == INVALID
    assert result.reason is not None
    assert reason in result.reason
    assert "region" in result.reason


SCRIPTS_LETTERS_EXTENSIONS: list[Row] = [
    ("٦٥٠٥٥٥٠١٢٣", "US", "16505550123", FIXED),
    ("۰۹۱۲ ۳۴۵ ۶۷۸۹", "IR", "989123456789", FIXED),
    ("+٩٧١ ٥٠ ١٢٣ ٤٥٦٧", None, "971501234567", FIXED),  # noqa: RUF001
    ("০১৭১২-৩৪৫৬৭৮", "BD", "8801712345678", FIXED),
    ("+91 ९८१२३४५६७८", None, "919812345678", FIXED),
    ("＋４４　２０　７９４６　０１２３", None, "442079460123", FIXED),  # noqa: RUF001
    ("（０３）１２３４－５６７８", "JP", "81312345678", FIXED),  # noqa: RUF001
    ("\u200e+44 20 7946 0123\u200f", None, "442079460123", FIXED),
    ("+44\u00a020\u00a07946\u00a00123", None, "442079460123", FIXED),
    ("+1\u2011415\u2011555\u20110100", None, "14155550100", FIXED),
    ("1-800-FLOWERS", "US", "18003569377", FIXED),
    ("1-800-GOT-JUNK", "US", "18004685865", FIXED),
    ("+1 800 flowers", None, "18003569377", FIXED),
    ("0800-REVERSE", "GB", "448007383773", FIXED),
    ("+44 20 7946 0123 ext 42", None, "442079460123", FIXED),
    ("+44 20 7946 0123 ext. 42", None, "442079460123", FIXED),
    ("+44 20 7946 0123 x42", None, "442079460123", FIXED),
    ("020 7946 0123 X 42", "GB", "442079460123", FIXED),
    ("+44 20 7946 0123#42", None, "442079460123", FIXED),
    ("+44 20 7946 0123, 42", None, "442079460123", FIXED),
    ("+442079460123;ext=42", None, "442079460123", FIXED),
    ("＋８１ ９０ １２３４ ５６７８", None, "819012345678", FIXED),  # noqa: RUF001
    ("０９０ー１２３４ー５６７８", "JP", "819012345678", FIXED),
    ("๐๘๑ ๒๓๔ ๕๖๗๘", "TH", "66812345678", FIXED),
    ("०९८१२३४५६७८", "IN", "919812345678", FIXED),
    ("+৮৮০ ১৭১২ ৩৪৫৬৭৮", None, "8801712345678", FIXED),
    ("+1 (415) 555-0100 x12", None, "14155550100", FIXED),
    ("415.555.0100 ext. 7", "US", "14155550100", FIXED),
    ("(415) 555-0100 ext 12", "US", "14155550100", FIXED),
    ("415-555-0100;ext=12", "US", "14155550100", FIXED),
    ("415-555-0100 #12", "US", "14155550100", FIXED),
    ("+44 20 7946 0123 extn. 42", None, "442079460123", FIXED),
    ("+1 415 555 0100,,12", None, "14155550100", FIXED),
    ("+14155550100p123", None, "14155550100", FIXED),
    ("+14155550100w123", None, "14155550100", FIXED),
    ("+1 (415) 555-0101 (ext. 2)", None, "14155550101", FIXED),
    ("+1 415 555 0101 int. 123", None, "14155550101", FIXED),
    ("+1 415 555 0101 anexo 123", None, "14155550101", FIXED),
    ("1-800-356-FLOW", "US", "18003563569", FIXED),
    # Words that label a number are removed, not read as keypad digits.
    ("T 212-736-5000", "US", "12127365000", FIXED),
    ("Mob 0151 23456789", "DE", "4915123456789", FIXED),
    ("DE 0412 345 678", "AU", "61412345678", FIXED),
    ("Mobile +44 7911 123456", None, "447911123456", FIXED),
    ("[red]+44 7911 123456", None, "447911123456", FIXED),
    ("[+44] 7911 123456", None, "447911123456", FIXED),
    ("wa.me/447700900123", None, "447700900123", FIXED),
    ("+49 30 901820 (M)", None, "4930901820", FIXED),
    ("7911 123456 (T)", "GB", "447911123456", FIXED),
    ("+44 7911 123456 (UK)", None, "447911123456", FIXED),
    ("Tel: +1 415 555 0101 (office)", None, "14155550101", FIXED),
    ("Call me at 212-736-5000 tomorrow", "US", "12127365000", FIXED),
    ("+44 7911 123456 mobile", None, "447911123456", FIXED),
    # A word after 7 or more digits is a label, unless only its keypad digits
    # make the number valid.
    ("+1 800 444 CASH", None, "18004442274", FIXED),
    ("1 800 444 CASH", "US", "18004442274", FIXED),
    ("0800 123 FLOW", "GB", "448001233569", FIXED),
    ("+1 212 736 5000" + " " * 470 + "mobile", None, "12127365000", FIXED),
    ("030 901820-Tel", "DE", "4930901820", FIXED),
    ("Tél: +33 1 42 68 53 00", None, "33142685300", FIXED),
    ("Móvil 612 345 678", "ES", "34612345678", FIXED),
    # A label in front may contain digits, and ends at a colon or its last word.
    ("2nd line 020 7946 0000", "GB", "442079460000", FIXED),
    ("24/7 Hotline 0800 123 4567", "GB", "448001234567", FIXED),
    ("Room 12: 020 7946 0000", "GB", "442079460000", FIXED),
    ("Mon-Fri 9-17: 030 901820", "DE", "4930901820", FIXED),
    ("24/7: +49 30 901820", None, "4930901820", FIXED),
    ("Hotline 24/7: 0800 123 4567", "GB", "448001234567", FIXED),
    ("1-800-FLOWERS (toll free)", "US", "18003569377", FIXED),
    ("2nd line 020 7946 0000 (office)", "GB", "442079460000", FIXED),
    ("O2 07911 123456", "GB", "447911123456", FIXED),
    ("0800 123 4567 (24/7)", "GB", "448001234567", FIXED),
    ("020 7946 0000 (Mon-Fri 9-5)", "GB", "442079460000", FIXED),
    ("Fax1 020 7946 0000", "GB", "442079460000", FIXED),
    ("Mobil0151 23456789", "DE", "4915123456789", FIXED),
    # A label glued to a bracketed area code, as a CSV row with ; between cells is.
    ("Bob;(415) 555-0101", "US", "14155550101", FIXED),
    ("Bob,(415) 555-0101", "US", "14155550101", FIXED),
    ("Tel.(020) 7946 0018", "GB", "442079460018", FIXED),
    ("Mob(07700) 900123", "GB", "447700900123", FIXED),
    ("Line(2) 020 7946 0018", "GB", "442079460018", FIXED),
    # Marks around a number, as people paste it.
    ("+1 (415) 555-0101 ext 123 (office)", None, "14155550101", FIXED),
    ("+1 (415) 555-0101 x123 (office)", None, "14155550101", FIXED),
    ("+1 415 555 0101 ext-123", None, "14155550101", FIXED),
    ("+1 514 555 0123 poste 123", None, "15145550123", FIXED),
    ("tel://+14155550101", None, "14155550101", FIXED),
    ("+44 20 7946 0123,", None, "442079460123", FIXED),
    ("+44 20 7946 0123;", None, "442079460123", FIXED),
    ("+14155550101#", None, "14155550101", FIXED),
    ("☎ +44 20 7946 0123", None, "442079460123", FIXED),
    ("\U0001f4de +44 20 7946 0123", None, "442079460123", FIXED),
    ("\u201e+49 30 1234567\u201c", None, "49301234567", FIXED),
    ("Phone 1: +44 20 7946 0123", None, "442079460123", FIXED),
    # Words after a few digits are keypad digits only where that makes a number.
    ("13 11 14 Lifeline", "AU", "61131114", FIXED),
    ("13 NRMA", "AU", "61136762", FIXED),
    # Phones dial only the letters that the number has room for.
    ("1800 FLOWERS", "AU", "611800356937", FIXED),
    ("1800-MY-OPTUS", "AU", "611800696788", FIXED),
    ("1800 FLOWERS", "IE", "3531800356937", FIXED),
    ("1-800-CONTACTS", "US", "18002668228", FIXED),
    ('"+1 212 736 5000"', None, "12127365000", FIXED),
    ("'+44 7911 123456", None, "447911123456", FIXED),
    ("\u201c+1 212 736 5000\u201d", None, "12127365000", FIXED),
    ("+44 7911 123456, ext 2", None, "447911123456", FIXED),
    # Spreadsheets store long numbers as decimals.
    ("447911123456.0", None, "447911123456", FIXED),
    ("+4980012345678.0", None, "4980012345678", FIXED),
    ("7911123456.0", "GB", "447911123456", FIXED),
    # Spreadsheets' "Number" format shows two decimals.
    ("14155550101.00", None, "14155550101", FIXED),
    ("+442079460018.00", None, "442079460018", FIXED),
    ("020 7946 0018.00", "GB", None, INVALID),
    # A decimal comma, as spreadsheets write in much of Europe.
    ("447911123456,0", None, "447911123456", FIXED),
    ("447911123456,00", None, "447911123456", FIXED),
    # Scientific notation that shows every digit.
    ("4.47911123456E+11", None, "447911123456", FIXED),
    ("1,4155550101E+10", None, "14155550101", FIXED),
    # Formulas that spreadsheet exports write to keep a number as text.
    ('="07911123456"', "GB", "447911123456", FIXED),
    ('="+447911123456"', None, "447911123456", FIXED),
    ("=+447911123456", None, "447911123456", FIXED),
    # Item numbers of a list.
    ("2. 415-555-0101", "US", "14155550101", FIXED),
    ("2) 415-555-0101", "US", "14155550101", FIXED),
    ("12. 020 7946 0000", "GB", "442079460000", FIXED),
    # Digits in brackets at the start may be a country code.
    ("(44) 7911 123456", "GB", "447911123456", FIXED),
    ("(971) 50 123 4567", None, "971501234567", FIXED),
    ("(1) 212 736 5000", None, "12127365000", FIXED),
    ("(49) 151 23456789", "DE", "4915123456789", FIXED),
    # One or two letters among digits are a typing error, not a spelled word.
    ("+44 79I1 123456", None, None, INVALID),
    ("+1 2l2 736 5000", None, None, INVALID),
    # Russia writes its access code 8~10: wait for a dial tone after the 8.
    ("8~10 44 20 7946 0958", "RU", "442079460958", FIXED),
    ("8 ~ 10 1 415 555 0100", "RU", "14155550100", FIXED),
]


@pytest.mark.parametrize(ROW_FIELDS, SCRIPTS_LETTERS_EXTENSIONS)
def test_scripts_letters_extensions(
    raw: str, region: str | None, e164: str | None, status: FormatStatus
) -> None:
    check(raw, region, e164, status)


# Digits in front of a group that starts with the trunk prefix or an access code are
# part of a label, such as a line number or opening hours.
DIGITS_BEFORE_TRUNK_PREFIX: list[tuple[str, str, str, str]] = [
    (
        "24/7 030 901820",
        "DE",
        "4930901820",
        "dropped 247 in front of the trunk prefix 0",
    ),
    (
        "Tel 2 030 901820",
        "DE",
        "4930901820",
        "dropped 2 in front of the trunk prefix 0",
    ),
    ("Büro 1 089 1234567", "DE", "49891234567", "dropped 1 in front of the trunk"),
    ("Mob 1 07700 900123", "GB", "447700900123", "dropped 1 in front of the trunk"),
    ("Hotline 24/7 0800 123 4567", "GB", "448001234567", "dropped 247 in front"),
    ("Ligne 2 01 23 45 67 89", "FR", "33123456789", "dropped 2 in front of the trunk"),
    (
        "Line 2 1 415 555 0100",
        "US",
        "14155550100",
        "dropped 2 in front of the trunk prefix 1",
    ),
    (
        "Tel 2 0044 20 7946 0000",
        "GB",
        "442079460000",
        "dropped 2 in front of the international access code 00",
    ),
]


@pytest.mark.parametrize(
    ("raw", "region", "e164", "change"), DIGITS_BEFORE_TRUNK_PREFIX
)
def test_digits_before_trunk_prefix(
    raw: str, region: str, e164: str, change: str
) -> None:
    result = vonage_format(raw, region)

    assert result.e164 == e164
    assert any(change in text for text in result.changes), result.changes


def test_digits_before_trunk_prefix_alternative() -> None:
    result = vonage_format("24/7 030 901820", "DE")

    assert [reading.e164 for reading in result.alternatives] == ["49247030901820"]


@pytest.mark.parametrize(
    ("raw", "region", "e164"),
    [
        ("020 7946 0000", "GB", "442079460000"),
        ("0044 020 7946 0000", "GB", "442079460000"),
        ("44 020 7946 0000", "GB", "442079460000"),
        ("8 800 555 3535", "RU", "78005553535"),
        ("06 01 02 03 04", "FR", "33601020304"),
        ("212 555 1234", "US", "12125551234"),
        ("52 1 55 1234 5678", "US", "525512345678"),
        ("080 0123456", "AT", "43800123456"),
        # International numbers written without their +.
        ("43 664 012 3456", "AT", "436640123456"),
        ("358 41 010 4600", "FI", "358410104600"),
        ("46 70 020 05 67", "SE", "46700200567"),
        ("971 50 023 4562", "FI", "971500234562"),
        # National numbers written so in their own country, without a trunk prefix.
        ("7 0109456", "SO", "25270109456"),
        ("9800 080 3050", "PY", "59598000803050"),
    ],
)
def test_group_with_trunk_prefix_inside_number(
    raw: str, region: str, e164: str
) -> None:
    result = vonage_format(raw, region)

    assert result.e164 == e164
    assert not any("dropped" in text for text in result.changes), result.changes


@pytest.mark.parametrize(
    ("raw", "first", "second"),
    [
        ("+1 415 555 0101 / +44 20 7946 0018", "+1 415 555 0101", "+44 20 7946 0018"),
        ("+1 415 555 0101, +44 20 7946 0018", "+1 415 555 0101", "+44 20 7946 0018"),
        ("020 7946 0018; 020 7946 0019", "020 7946 0018", "020 7946 0019"),
        ("+14155550101 & +14155550102", "+14155550101", "+14155550102"),
        ("+44 7911 123456 / 07911 654321", "+44 7911 123456", "07911 654321"),
        ("0151 1234567/0151 7654321", "0151 1234567", "0151 7654321"),
    ],
)
def test_two_numbers_named(raw: str, first: str, second: str) -> None:
    result = vonage_format(raw, "GB")

    assert result.status is FormatStatus.INVALID
    assert result.reason == (
        f"The caller ID {raw!r} holds two numbers, {first} and {second}: paste one "
        "at a time."
    )


@pytest.mark.parametrize("raw", ["1+2", "+44 20 +7946 0018", "+1 415 555 0101 +44"])
def test_plus_inside_one_number(raw: str) -> None:
    result = vonage_format(raw, "GB")

    assert result.reason == (
        f"The caller ID {raw!r} has a + after the first digit: a + may only come first."
    )


# A label's own short number in front, as in Line 2, when the digits after it make
# a number of the region and the digits with it make none there.
LABEL_NUMBER_IN_FRONT: list[tuple[str, str | None, str, list[str]]] = [
    ("Line 2 7911 123456", "GB", "447911123456", ["27911123456"]),
    ("Room 12 7911 123456", "GB", "447911123456", []),
    ("Line 2 415 555 0100", "US", "14155550100", []),
    ("Box 300 20 7946 0018", "GB", "442079460018", []),
    ("Suite 100 +1 415 555 0100", None, "14155550100", []),
    ("Room 12 +44 20 7946 0018", "US", "442079460018", []),
    ("Mobile \u2013 +44 7911 123456", None, "447911123456", []),
    # An access code after the label is no label's number.
    ("Home: 00 44 7911 123456", "DE", "447911123456", []),
    ("Tel: 011 32 12 34 56 78", "US", "3212345678", []),
    ("Tel: 00 65 9123 4567", "IN", "6591234567", []),
]


@pytest.mark.parametrize(("raw", "region", "e164", "others"), LABEL_NUMBER_IN_FRONT)
def test_label_number_in_front(
    raw: str, region: str | None, e164: str, others: list[str]
) -> None:
    result = vonage_format(raw, region)

    assert result.e164 == e164
    assert [reading.e164 for reading in result.alternatives] == others


def test_label_number_change_listed() -> None:
    result = vonage_format("Line 2 7911 123456", "GB")

    assert result.changes[:4] == (
        "removed 'Line' in front of the number",
        "removed the spaces",
        "dropped 2, read as part of the label in front of the number",
        "added the country code 44 of GB, the region given",
    )


@pytest.mark.parametrize(
    ("raw", "region", "e164"),
    [
        # The digits with the group make a number of the region.
        ("Tel 44 20 7946 0018", "GB", "442079460018"),
        ("Call 1 800 555 0100", "US", "18005550100"),
        # The group is the country code of the number after it.
        ("Tel 33 1 23 45 67 89", "GB", "33123456789"),
        ("Fax 1 212 555 0100", "GB", "12125550100"),
        ("Tel 49 30 901820", "GB", "4930901820"),
        # Without a region, no number of it is more likely.
        ("Line 2 7911 123456", None, "27911123456"),
    ],
)
def test_short_group_after_label_kept(raw: str, region: str | None, e164: str) -> None:
    result = vonage_format(raw, region)

    assert result.e164 == e164
    assert not any("read as part of the label" in text for text in result.changes)


def test_label_glued_to_digits_not_dropped() -> None:
    # l1 is 11 with a mistyped 1, not a label with a line number.
    result = vonage_format("(l1) 90023-5567", "BR")

    assert result.status is FormatStatus.INVALID


# Digits that spell a withheld word on a keypad may be a real number, which people
# write with separators and networks do not.
SPELLING_WRITTEN_AS_NUMBER: list[tuple[str, str, str, str]] = [
    ("(787) 773-7733", "US", "17877737733", "SUPPRESSED"),
    ("Tel: 7378742833", "US", "17378742833", "RESTRICTED"),
    ("7378742833 (mobile)", "US", "17378742833", "RESTRICTED"),
    ("9484 4353", "SG", "6594844353", "WITHHELD"),
    ("9484-4353", "HK", "85294844353", "WITHHELD"),
    ("948 44 353", "NO", "4794844353", "WITHHELD"),
    ("94 84 43 53", "DK", "4594844353", "WITHHELD"),
]


@pytest.mark.parametrize(("raw", "region", "e164", "word"), SPELLING_WRITTEN_AS_NUMBER)
def test_spelling_written_as_number(
    raw: str, region: str, e164: str, word: str
) -> None:
    result = vonage_format(raw, region)

    assert result.e164 == e164
    assert any(f"also spells {word}" in note for note in result.notes), result.notes


@pytest.mark.parametrize(
    ("raw", "region", "alternative"),
    [
        ("7378742833", "US", "17378742833"),
        ("sip:7378742833@carrier.example", "US", "17378742833"),
        ("266696687", "DE", "49266696687"),
    ],
)
def test_spelling_sent_as_digits_withheld(
    raw: str, region: str, alternative: str
) -> None:
    result = vonage_format(raw, region)

    assert result.status == WITHHELD
    assert [reading.e164 for reading in result.alternatives] == [alternative]


# An access code written as a group of its own is followed by the country code as
# a group of its own. Korea's mobiles and Beijing's or Delhi's landlines start with
# 010 or 011 but group the digits after it differently.
@pytest.mark.parametrize(
    ("raw", "region"),
    [
        ("010-9841-8741", None),
        ("010-4975-0052", None),
        ("011 4314 7472", None),
        ("010-4357-972", "CN"),
    ],
)
def test_national_grouping_not_access_code(raw: str, region: str | None) -> None:
    result = vonage_format(raw, region)

    assert result.status == INVALID
    assert "access code" not in (result.reason or ""), result.reason


@pytest.mark.parametrize(
    ("raw", "region", "e164"),
    [
        ("001-415-555-0100", "KR", "14155550100"),
        ("011 52 1 55 1234 5678", "US", "525512345678"),
        ("010 44 20 7946 0000", "JP", "442079460000"),
        ("0044 20 7946 0000", None, "442079460000"),
        ("00 14155550100", None, "14155550100"),
        ("00 4930 901820", None, "4930901820"),
        ("0011 61412 345 678", "AU", "61412345678"),
    ],
)
def test_access_code_grouping(raw: str, region: str | None, e164: str) -> None:
    assert vonage_format(raw, region).e164 == e164


# 00 written apart from the country code, in regions whose own access codes start
# with 00 and a digit (Singapore's 004, Hong Kong's 008, Australia's 0016, Brazil's
# 0021). Without the space, the region's own code is read first.
@pytest.mark.parametrize(
    ("raw", "region", "e164", "other"),
    [
        ("00 44 121 234 5678", "SG", "441212345678", "41212345678"),
        ("00 81 90-1234-5678", "HK", "819012345678", "19012345678"),
        ("00 1 649-712-1234", "AU", "16497121234", "497121234"),
        ("00 212 5 20 12 34 56", "BR", "212520123456", "252123456"),
        ("0044 121 234 5678", "SG", "41212345678", "441212345678"),
    ],
)
def test_access_code_written_apart(
    raw: str, region: str, e164: str, other: str
) -> None:
    result = vonage_format(raw, region)

    assert result.e164 == e164
    assert [reading.e164 for reading in result.alternatives] == [other]


def test_access_code_written_apart_is_the_reason() -> None:
    result = vonage_format("00 44 121 234 5678", "SG")

    assert result.changes[-1] == (
        "chose to read 00 as an international access code because 00 is written "
        "apart from the digits after it"
    )


# Digits without the trunk prefix, grouped as their country groups its national
# numbers, are that national number, not another country's in Vonage form.
@pytest.mark.parametrize(
    ("raw", "region", "e164", "other"),
    [
        ("1512 3456789", "DE", "4915123456789", "15123456789"),
        ("2 9876 5432", "AU", "61298765432", "298765432"),
        # Grouped otherwise, or not at all, the digits stay in Vonage form.
        ("151 23456789", "DE", "15123456789", "4915123456789"),
        ("15123456789", "DE", "15123456789", "4915123456789"),
    ],
)
def test_national_grouping_without_trunk_prefix(
    raw: str, region: str, e164: str, other: str
) -> None:
    result = vonage_format(raw, region)

    assert result.e164 == e164
    assert [reading.e164 for reading in result.alternatives] == [other]


def test_national_grouping_is_the_reason() -> None:
    result = vonage_format("2 9876 5432", "AU")

    assert result.changes[-1] == (
        "chose to read the digits as a national number of AU because the digits are "
        "grouped as AU, the region given, groups its numbers"
    )


# A group after 00 that starts with the trunk prefix is a country code, not a
# national number: 84 is Vietnam's, though Russia's trunk prefix is 8.
@pytest.mark.parametrize(
    ("raw", "region", "e164"),
    [
        ("00 84 912 345 678", "RU", "84912345678"),
        ("00 84 98 765 4321", "KZ", "84987654321"),
        ("00-84-912-345-678", "RU", "84912345678"),
        ("00 11 44 20 7946 0000", "AU", "442079460000"),
    ],
)
def test_country_code_after_access_code_kept(raw: str, region: str, e164: str) -> None:
    result = vonage_format(raw, region)

    assert result.e164 == e164
    assert result.alternatives == ()


RESERVED_FOR_FICTION: list[tuple[str, str, str, str]] = [
    ("+44 7700 900123", "Ofcom", "GB", "mobile"),
    ("+44 20 7946 0123", "Ofcom", "GB", "landline"),
    ("+44 113 496 0000", "Ofcom", "GB", "landline"),
    ("+44 191 498 0999", "Ofcom", "GB", "landline"),
    ("+44 28 9649 6123", "Ofcom", "GB", "landline"),
    ("+44 1632 960123", "Ofcom", "GB", "landline"),
    ("+44 808 157 0123", "Ofcom", "GB", "toll-free"),
    ("+44 909 879 0123", "Ofcom", "GB", "premium rate"),
    ("+1 415 555 0100", "NANPA", "US", "landline or mobile"),
    ("+1 212 555 0199", "NANPA", "US", "landline or mobile"),
    ("+1 416 555 0123", "NANPA", "CA", "landline or mobile"),
    ("+1 345 555 0123", "NANPA", "KY", "landline or mobile"),
    ("+1 242 555 0123", "NANPA", "BS", "landline or mobile"),
    ("+1 441 555 0123", "NANPA", "BM", "landline or mobile"),
    ("+61 491 570 156", "ACMA", "AU", "mobile"),
    ("+61 491 579 760", "ACMA", "AU", "mobile"),
    ("+61 2 5550 1234", "ACMA", "AU", "landline"),
    ("+61 8 7010 9999", "ACMA", "AU", "landline"),
    ("+61 1800 160 401", "ACMA", "AU", "toll-free"),
]


@pytest.mark.parametrize(
    ("raw", "authority", "country", "number_type"), RESERVED_FOR_FICTION
)
def test_reserved_range_note(
    raw: str, authority: str, country: str, number_type: str
) -> None:
    result = vonage_format(raw)

    assert result.status == FIXED
    assert len(result.notes) == 1
    assert authority in result.notes[0]
    assert "not in service" in result.notes[0]
    assert result.country == country
    assert result.number_type == number_type


@pytest.mark.parametrize(
    "raw",
    ["+44 20 7946 1123", "+1 415 555 0200", "+61 491 570 157 0", "+44 7700 900123 4"],
)
def test_reserved_range_edges(raw: str) -> None:
    result = vonage_format(raw)

    assert not any("not in service" in note for note in result.notes)


@pytest.mark.parametrize(
    "raw", ["+1 911 555 0123", "+1 211 555 0123", "+1 555 555 0123", "+1 370 555 0100"]
)
def test_fictional_range_needs_area_code(raw: str) -> None:
    result = vonage_format(raw)

    assert result.status == INVALID
    assert result.e164 is None
    assert result.notes == ()


CHANGE_TEXTS: list[tuple[str, str | None, str]] = [
    ("447911123456.0", None, "removed the .0 that a spreadsheet adds"),
    ("447911123456.00", None, "removed the .00 that a spreadsheet adds"),
    ("447911123456,0", None, "removed the ,0 that a spreadsheet adds"),
    (
        "tel:+1-415-555-0101;rn=+1-415-555-0000",
        None,
        "dropped rn=+1-415-555-0000, the routing number that the network adds for a "
        "ported number",
    ),
    (
        "sip:+14155550101;npdi@host",
        None,
        "dropped npdi, which says that the network looked up whether the number was",
    ),
    ("tel:+14155550101;foo=bar", None, "dropped the URI parameter foo=bar"),
    ("%252B14155550101", None, "decoded %252B, a + escaped twice, as +"),
    ("*67 415 555 0101", "US", "dropped *67, the code that hides the caller's number"),
    ("#31# 0151 23456789", "DE", "dropped #31#, the code that hides the caller's"),
    ("4.47911123456E+11", None, "wrote out the scientific notation 4.47911123456E+11"),
    ('="07911123456"', "GB", "removed the formula around the number, which"),
    ("2. 415-555-0101", "US", "removed the list number 2. in front of the number"),
    ('"+1 212 736 5000"', None, "removed the quotes around the value"),
    ("𝟏𝟐𝟏𝟐𝟕𝟑𝟔𝟓𝟎𝟎𝟎", None, "styled characters such as '𝟏'"),  # noqa: RUF001
    ("+①②①②⑦③⑥⑤⓪⓪⓪", None, "styled characters such as '①'"),
    ("+1212\r7365000", None, "removed the line breaks"),
    ("321 1234567", "US", "read 32 as the country code of Belgium (BE), because"),
    ("3211234567.0", "US", "not a valid number of US, the region given"),
    ("Mob 0151 23456789", "DE", "removed 'Mob' in front of the number"),
    ("2nd line 020 7946 0000", "GB", "removed '2nd line' in front of the number"),
    ("Tel: 020 7946 0123", "GB", "removed 'Tel:' in front of the number"),
    ("T: 030 901820", "DE", "removed 'T:' in front of the number"),
    ("T: <sip:+442079460123@pbx>", None, "removed the header name T:"),
    ("tel://+14155550101", None, "removed the tel:// scheme"),
    ("+14155550101#", None, "removed the '#' at the end"),
    (
        "1-800-CONTACTS",
        "US",
        "left out S, the last letter, which a phone does not dial",
    ),
    ("Room 12: 020 7946 0000", "GB", "removed 'Room 12:' in front of the number"),
    # A dash between the label and the number belongs to the label.
    ("Cell - +44 7700 900123", "GB", "removed 'Cell -' in front of the number"),
    ("Cell - 07700 900123", "GB", "removed 'Cell -' in front of the number"),
    ("1-800-FLOWERS (toll free)", "US", "removed '(toll free)' after the number"),
    ("+49 30 901820 (M)", None, "removed '(M)' after the number"),
    ("8~10 44 20 7946 0958", "RU", "removed the ~"),
    ("+5215512345678", None, "removed the 1 after +52"),
    ("+5215512345678", None, "2019"),
    ("044 55 1234 5678", "MX", "removed 044"),
    ("++44 7700 900123", None, "removed the extra + in front"),
    ("+++14155550101", None, "removed 2 extra + signs in front"),
    ("8 029 491-19-11", "BY", "removed the prefix 80, which is dialled only inside"),
    ("+55 11 8765 4321", None, "ninth digit 9"),
    ("+54 11 15 2345 6789", None, "9 after +54"),
    ("00919812345678", "IN", "removed the international access code 00"),
    ("+011 44 20 7946 0123", None, "access code 011 written after the +"),
    ("+49 (0)176 12345678", None, "removed the trunk prefix 0 after the country code"),
    ("+7 (0) 912 345 67 89", None, "removed (0)"),
    # The +1 countries' trunk prefix is 1, so (0) is not called one.
    ("+1 (0) 415 555 0101", None, "removed (0), which is not dialled after a country"),
    ("+39 (0)6 4567 8901", None, "kept the 0 written as (0)"),
    ("+4402079460123", None, "removed the trunk prefix 0 after the country code"),
    ("8 (912) 345-67-89", "RU", "removed the trunk prefix 8"),
    ("8 (912) 345-67-89", "RU", "added the country code 7 of RU"),
    ("0 41 21 2345 6789", "BR", "carrier selection code 41"),
    ("1-800-FLOWERS", "US", "letters FLOWERS to the keypad digits 3569377"),
    ("٦٥٠٥٥٥٠١٢٣", "US", "Arabic-Indic digits"),
    ("০১৭১২-৩৪৫৬৭৮", "BD", "Bengali digits"),
    ("０９０－１２３４－５６７８", "JP", "full-width"),  # noqa: RUF001
    ("tel:+44-114-496-0123,1234", None, "digits 1234 after the comma"),
    ("<tel:+1-201-555-0123;ext=1>", None, "dropped the extension 1"),
    ("tel:0114 496 0123;phone-context=+44", None, "phone-context +44"),
    (
        "<tel:+1-201-555-0123;phone-context=drachtio.org>",
        None,
        "ignored phone-context=drachtio.org",
    ),
    (
        '"Reception" <sip:+33612345678@pbx.example.com>',
        None,
        "display name 'Reception'",
    ),
    (
        "<sip:+33612345678@pbx.example.com>;tag=76cd",
        None,
        "header parameters ;tag=76cd",
    ),
    ("sip:+33612345678@pbx.example.com", None, "@pbx.example.com"),
    (" 14155550100", None, "removed the spaces around the value"),
    ("%2B14155550100", None, "decoded %2B as +"),
    ("+1 (415) 555-0100", None, "removed the brackets, dashes and spaces"),
    ("From: <sip:+14155550100@example.com>", None, "removed the header name From:"),
    (
        "<sip:+14155550100@10.0.0.1>, <tel:+14155550100>",
        None,
        "took the first identity in the header, dropping <tel:+14155550100>",
    ),
    ("+14155550100@10.0.0.1:5060", None, "SIP URI without its sip: scheme"),
    ("0xx11 98765-4321", "BR", "removed the xx of 0xx"),
    ("17951 138 0013 8000", "CN", "carrier selection code 17951"),
    ("+14155550100p123", None, "digits 123 after the pause p"),
    ("+14155550100w123", None, "digits 123 after the wait w"),
    ("+1 415 555 0100,,12", None, "digits 12 after the commas"),
    ("+57 1 345 6789", None, "added 60 in front of the 8-digit landline number"),
    ("+57 1 345 6789", None, "September 2021"),
]


@pytest.mark.parametrize(("raw", "region", "fragment"), CHANGE_TEXTS)
def test_change_texts(raw: str, region: str | None, fragment: str) -> None:
    changes = vonage_format(raw, region).changes

    assert any(fragment in change for change in changes), changes


@pytest.mark.parametrize(
    ("raw", "region"),
    [("447700900123", "GB"), ("14155550100", None), ("4930123456", "DE")],
)
def test_valid_lists_no_changes(raw: str, region: str | None) -> None:
    result = vonage_format(raw, region)

    assert result.status == VALID
    assert result.changes == ()
    assert result.reason is None


@pytest.mark.parametrize(
    "result",
    [
        vonage_format("anonymous"),
        vonage_format("sip:1001@pbx.local"),
        vonage_format("+0"),
    ],
)
def test_unrecovered_has_reason(result: FormatResult) -> None:
    assert result.e164 is None
    assert result.reason
    assert result.changes == ()
    assert result.country is None
    assert result.number_type is None


AMBIGUOUS: list[tuple[str, str | None, str, Reading]] = [
    # Germany writes national numbers with a 0: bare digits are Vonage form.
    (
        "447911123456",
        "DE",
        "447911123456",
        Reading("49447911123456", "read the digits as a national number of DE"),
    ),
    (
        "15123456789",
        "DE",
        "15123456789",
        Reading("4915123456789", "read the digits as a national number of DE"),
    ),
    # Italy's mobiles start with 3, so 390 is also a mobile prefix: a first group
    # longer than the country code marks the national way of writing.
    (
        "390 123 4567",
        "IT",
        "393901234567",
        Reading(
            "3901234567", "read the digits as a number with its country code first"
        ),
    ),
    (
        "2015550123",
        "US",
        "12015550123",
        Reading(
            "2015550123", "read the digits as a number with its country code first"
        ),
    ),
    (
        "4915123456789",
        "DE",
        "4915123456789",
        Reading("494915123456789", "read the digits as a national number of DE"),
    ),
    (
        "0014155550123",
        "KR",
        "14155550123",
        Reading("14155550123", "read 001 as the international access code of KR"),
    ),
]


@pytest.mark.parametrize(("raw", "region", "e164", "alternative"), AMBIGUOUS)
def test_ambiguous_alternatives(
    raw: str, region: str | None, e164: str, alternative: Reading
) -> None:
    result = vonage_format(raw, region)

    assert result.e164 == e164
    if alternative.e164 == e164:
        assert result.alternatives == ()
    else:
        assert alternative in result.alternatives


REGION_CHANGES_READING: list[tuple[str, str | None, str]] = [
    ("0612345678", "NL", "31612345678"),
    ("0612345678", "FR", "33612345678"),
    ("2015550123", "US", "12015550123"),
    ("2015550123", None, "2015550123"),
    # A leading space is only a space, not a + that URL decoding left behind.
    (" 2015550123", "US", "12015550123"),
    (" 7400123456", "GB", "447400123456"),
    ("01144960123", "GB", "441144960123"),
    ("011 44 20 7946 0123", "US", "442079460123"),
    ("010 6552 9988", "CN", "861065529988"),
    ("010 81 90 1234 5678", "JP", "819012345678"),
]


@pytest.mark.parametrize(("raw", "region", "e164"), REGION_CHANGES_READING)
def test_region_changes_reading(raw: str, region: str | None, e164: str) -> None:
    assert vonage_format(raw, region).e164 == e164


def test_ambiguous_choice_explained() -> None:
    result = vonage_format("2015550123", "US")

    assert any(
        "chose to read the digits as a national number of US" in c
        for c in result.changes
    )
    assert any("the region given is US" in c for c in result.changes)


def test_ambiguous_valid_choice_in_notes() -> None:
    result = vonage_format("4915123456789", "DE")

    assert result.status == VALID
    assert any("country code of DE" in note for note in result.notes)


def test_unambiguous_has_no_alternatives() -> None:
    assert vonage_format("+44 20 7946 0123").alternatives == ()


@pytest.mark.parametrize("region", ["gb", " GB ", "Gb"])
def test_region_any_case(region: str) -> None:
    check("020 7946 0123", region, "442079460123", FIXED)


@pytest.mark.parametrize("region", ["", "  "])
def test_blank_region_ignored(region: str) -> None:
    check("+442079460123", region, "442079460123", FIXED)


@pytest.mark.parametrize("region", ["ZZ", "UK", "XX", "GBR"])
def test_unknown_region(region: str) -> None:
    result = vonage_format("+442079460123", region)

    assert result.status == INVALID
    assert result.reason is not None
    assert "not a known ISO 3166 region code" in result.reason


@pytest.mark.parametrize(
    ("raw", "country", "number_type"),
    [
        ("+33 6 12 34 56 78", "FR", "mobile"),
        ("+1 800 356 9377", "US", "toll-free"),
        ("+800 1234 5678", None, "toll-free"),
        ("+49 30 123456", "DE", "landline"),
    ],
)
def test_country_and_type(raw: str, country: str | None, number_type: str) -> None:
    result = vonage_format(raw)

    assert result.country == country
    assert result.number_type == number_type


def test_overlong_input() -> None:
    result = vonage_format("+44 " + "0" * 600)

    assert result.status == INVALID
    assert result.reason is not None
    assert "600" not in result.reason
    assert "characters" in result.reason


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("abc", "The value 'abc' contains no digits, so it is not a phone number."),
        ("tel:", "The value 'tel:' contains no digits."),
        (
            " anonymous ",
            "'anonymous' stands for a withheld caller ID, not a phone number.",
        ),
        ("", "The number is empty."),
        ("  ", "The number is empty."),
        ("12", "12 has only 2 digits, too few for a phone number."),
    ],
)
def test_number_problem_names_value(raw: str, problem: str) -> None:
    assert number_problem(vonage_format(raw, "US")) == problem
