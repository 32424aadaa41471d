"""Tests for vonage_format: each table is one kind of input seen in the wild."""

from __future__ import annotations

import pytest

from domain.e164 import FormatStatus, vonage_format

VALID = FormatStatus.VALID
FIXED = FormatStatus.FIXED
WITHHELD = FormatStatus.WITHHELD
INVALID = FormatStatus.INVALID

Row = tuple[str, str | None, str | None, FormatStatus]


def check(raw: str, region: str | None, e164: str | None, status: FormatStatus) -> None:
    result = vonage_format(raw, region)
    assert result.status == status, result
    assert result.e164 == e164, result
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


@pytest.mark.parametrize(("raw", "region", "e164", "status"), REFERENCE_CASES)
def test_reference_cases(
    raw: str, region: str | None, e164: str | None, status: FormatStatus
) -> None:
    check(raw, region, e164, status)
