"""Number ranges that regulators set aside for fiction, so that no real line rings.

phonenumbers has no data for these ranges (it even marks some of them invalid, such
as 07700 900xxx), so this module keeps the published lists. It does not validate
numbers: it only recognises a number that is correctly formed but never in service.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from domain.numbering import nanp_geographic_region


@dataclass(frozen=True)
class ReservedRange:
    """A block of numbers reserved for fiction, with who reserves it and why."""

    country: str
    number_type: str
    authority: str
    purpose: str
    pattern: re.Pattern[str]

    def note(self, e164: str) -> str:
        """Describe in one sentence why `e164` rings no one."""
        return (
            f"{e164} is in a range {self.authority} reserves for {self.purpose}: "
            "it is not in service."
        )


def _range(
    country: str, number_type: str, authority: str, purpose: str, e164: str
) -> ReservedRange:
    return ReservedRange(country, number_type, authority, purpose, re.compile(e164))


_OFCOM = "Ofcom"
_OFCOM_PURPOSE = "drama"
_ACMA = "the ACMA"
_ACMA_PURPOSE = "TV, film and other creative works"

# Ofcom, "Telephone numbers for use in TV and radio drama" (ofcom.org.uk, numbers
# for drama). The patterns are E.164 without +: 44, then the national number.
# NOTE: checked against published copies of the list, not the Ofcom page itself.
_UNITED_KINGDOM = (
    _range("GB", "mobile", _OFCOM, _OFCOM_PURPOSE, r"447700900\d{3}"),
    # 0113-0118, 0121-0161 496 0xxx, 0191 498 0xxx, 020 7946 0xxx, 028 9649 6xxx,
    # 029 2018 0xxx and 01632 960xxx.
    _range(
        "GB",
        "landline",
        _OFCOM,
        _OFCOM_PURPOSE,
        r"44(?:11[3-8]4960|1[2-6]14960|1914980|2079460|2896496|2920180|1632960)\d{3}",
    ),
    _range("GB", "toll-free", _OFCOM, _OFCOM_PURPOSE, r"448081570\d{3}"),
    _range("GB", "premium rate", _OFCOM, _OFCOM_PURPOSE, r"449098790\d{3}"),
    _range("GB", "non-geographic", _OFCOM, _OFCOM_PURPOSE, r"443069990\d{3}"),
)

# ACMA, "Phone numbers for use in TV shows, films and creative works" (acma.gov.au).
# NOTE: checked against published copies of the list, not the ACMA page itself.
_AUSTRALIA = (
    _range(
        "AU",
        "mobile",
        _ACMA,
        _ACMA_PURPOSE,
        r"61491(?:570(?:006|110|156|157|158|159|313|737)|571(?:266|491|804)"
        r"|572(?:549|665|983)|573(?:087|770)|574(?:118|632)|575(?:254|789)"
        r"|576(?:398|801)|577(?:426|644)|578(?:148|888|957)|579(?:212|455|760))",
    ),
    # (02), (03), (07) and (08) 5550 xxxx and 7010 xxxx.
    _range("AU", "landline", _ACMA, _ACMA_PURPOSE, r"61[2378](?:5550|7010)\d{4}"),
    _range(
        "AU",
        "toll-free",
        _ACMA,
        _ACMA_PURPOSE,
        r"611800(?:160401|97570[7-9]|97571[01])",
    ),
    _range("AU", "local rate", _ACMA, _ACMA_PURPOSE, r"611300(?:97570[7-9]|97571[01])"),
)

# NANPA reserves 555-0100 to 555-0199 in every geographic area code for fictional
# use. The country is that of the area code, found by `reserved_range`.
_NORTH_AMERICA = (
    _range(
        "US", "landline or mobile", "NANPA", "fictional use", r"1[2-9]\d\d55501\d\d"
    ),
)

_BY_COUNTRY_CODE = {"44": _UNITED_KINGDOM, "61": _AUSTRALIA, "1": _NORTH_AMERICA}


def reserved_range(e164: str) -> ReservedRange | None:
    """Return the fictional range that contains `e164` (Vonage form), if any."""
    ranges = _BY_COUNTRY_CODE.get(e164[:1]) or _BY_COUNTRY_CODE.get(e164[:2], ())
    for reserved in ranges:
        if reserved.pattern.fullmatch(e164):
            return _in_area_code_region(reserved, e164)
    return None


def _in_area_code_region(reserved: ReservedRange, e164: str) -> ReservedRange | None:
    """Give a North American range the region of the number's area code.

    Returns None when the area code has no landlines or mobiles, because then the
    number is not a fictional one but no number at all.
    """
    if not e164.startswith("1"):
        return reserved
    region = nanp_geographic_region(e164[1:4])
    return replace(reserved, country=region) if region is not None else None


def has_reserved_ranges(country_code: str) -> bool:
    """Tell whether some numbers of a country code (digits, no +) are reserved here."""
    return country_code in _BY_COUNTRY_CODE
