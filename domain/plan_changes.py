"""National numbering plans that changed, so that old forms still arrive in the wild.

phonenumbers has data for today's plans only. Each rule here rewrites an old form into the
current one when the current metadata rejects the old form and accepts the new one;
the caller checks that. Argentina's local mobile prefix 15 needs no rule here because
phonenumbers' own national prefix rule for AR already turns it into the 9.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PlanChange:
    """A national number rewritten into the current plan, with the rule in words."""

    national: str
    rule: str


def _mexican_mobile_one(national: str) -> PlanChange | None:
    if len(national) == 11 and national.startswith("1"):
        return PlanChange(
            national[1:],
            "removed the 1 after +52 that Mexican mobile numbers carried until "
            "Mexico moved to 10-digit dialling in 2019",
        )
    return None


def _mexican_dialling_prefix(national: str) -> PlanChange | None:
    old_prefixes = {
        "044": "the prefix Mexico used until 2019 to call a mobile in the same area",
        "045": "the prefix Mexico used until 2019 to call a mobile in another area",
        "01": "the prefix Mexico used until 2019 for national long-distance calls",
    }
    for prefix, meaning in old_prefixes.items():
        if len(national) == 10 + len(prefix) and national.startswith(prefix):
            return PlanChange(national[len(prefix) :], f"removed {prefix}, {meaning}")
    return None


def _brazilian_ninth_digit(national: str) -> PlanChange | None:
    # Mobile numbers began with 6 to 9 and had 8 digits after the 2-digit area code
    # until Anatel added a leading 9 (area by area, 2012 to 2016).
    if len(national) == 10 and national[2] in "6789":
        return PlanChange(
            national[:2] + "9" + national[2:],
            "added the ninth digit 9 that Brazil put in front of every 8-digit "
            "mobile number between 2012 and 2016",
        )
    return None


def _colombian_landline_prefix(national: str) -> PlanChange | None:
    # A landline had a 1-digit area code (1 Bogotá, 4 Medellín, ...) and 7 digits
    # until September 2021, when the regulator (CRC) put 60 in front of every one.
    if len(national) == 8 and national[0] in "12345678":
        return PlanChange(
            "60" + national,
            "added 60 in front of the 8-digit landline number, as Colombia has "
            "required since September 2021",
        )
    return None


_RULES: dict[int, tuple[Callable[[str], PlanChange | None], ...]] = {
    52: (_mexican_mobile_one, _mexican_dialling_prefix),
    55: (_brazilian_ninth_digit,),
    57: (_colombian_landline_prefix,),
}


def has_plan_changes(country_code: int) -> bool:
    """Tell whether old national forms of this country code are rewritten here."""
    return country_code in _RULES


def plan_changes(country_code: int, national: str) -> list[PlanChange]:
    """Return the rewrites of an old national number form that may apply, in order."""
    changes = []
    for rule in _RULES.get(country_code, ()):
        change = rule(national)
        if change is not None:
            changes.append(change)
    return changes
