"""phonenumbers' number-type rules, precompiled for the sandbox generator's hot loop.

Generating a million-number inventory checks over a million candidates. Calling
`phonenumbers.number_type` and `is_valid_number_for_region` costs about 100 µs a
candidate (phonenumbers 9.0, a loaded 2-core machine), because every call builds
strings and looks its patterns up again. `TypeCheck` applies the same metadata in
the same order with the patterns of each length joined into one compiled regex
(`domain.type_patterns`), at about a tenth of that.

NOTE: `TypeCheck` mirrors `phonenumberutil._number_type_helper` and
`_region_code_for_number_from_list`, which are private to phonenumbers. The tests
compare it with the public functions on sample candidates of every region and type,
so a phonenumbers release that changes those rules fails them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import phonenumbers
from phonenumbers import PhoneMetadata, PhoneNumberType

from domain.type_patterns import number_type


@dataclass(frozen=True)
class RegionRules:
    """One region's metadata, with its leading-digits pattern compiled."""

    region: str
    leading_digits: Callable[[str], re.Match[str] | None] | None
    metadata: PhoneMetadata

    def number_type(self, national: str) -> int:
        """Return the `PhoneNumberType` that phonenumbers gives `national` here."""
        return number_type(self.metadata, national)


@cache
def region_rules(region: str) -> RegionRules:
    """Return the compiled rules of a region phonenumbers supports."""
    metadata = PhoneMetadata.metadata_for_region(region)
    if metadata is None:
        raise ValueError(f"phonenumbers has no metadata for the region {region!r}.")
    leading_digits = metadata.leading_digits
    return RegionRules(
        region=region,
        leading_digits=re.compile(leading_digits).match if leading_digits else None,
        metadata=metadata,
    )


class TypeCheck:
    """Decides whether national numbers are valid for a region and of accepted types.

    `TypeCheck(region, accepted)(national)` equals `phonenumbers.number_type(n) in
    accepted`, with `is_valid_number_for_region(n, region)` also required when
    other regions share the country code, where `n` is the number with that
    national significant number. Leading zeros are part of `national`.
    """

    def __init__(self, region: str, accepted: frozenset[int]) -> None:
        country_code = phonenumbers.country_code_for_region(region)
        sharing = phonenumbers.region_codes_for_country_code(country_code)
        self._accepted = accepted
        self._own = region_rules(region)
        self._sharing = tuple(region_rules(code) for code in sharing)

    def __call__(self, national: str) -> bool:
        owner = self._owner(national)
        if owner is None:
            return False
        number_type = owner.number_type(national)
        if number_type not in self._accepted:
            return False
        if len(self._sharing) == 1 or owner is self._own:
            return True
        return self._own.number_type(national) != PhoneNumberType.UNKNOWN

    def _owner(self, national: str) -> RegionRules | None:
        """Return the rules of the region phonenumbers assigns `national` to."""
        if len(self._sharing) == 1:
            return self._sharing[0]
        for rules in self._sharing:
            if rules.leading_digits is not None:
                if rules.leading_digits(national):
                    return rules
            elif rules.number_type(national) != PhoneNumberType.UNKNOWN:
                return rules
        return None
