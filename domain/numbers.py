"""Numbers as the Vonage Numbers API describes them: types, features, searches and pages."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Generic, TypeVar

from domain.errors import InvalidInput

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 10
# E.164 numbers have at most 15 digits, so a longer pattern can match none.
MAX_PATTERN_DIGITS = 15

_MSISDN = re.compile(r"[1-9][0-9]{6,14}")


class NumberType(StrEnum):
    """The `type` of a number in the Numbers API."""

    LANDLINE = "landline"
    MOBILE = "mobile-lvn"
    TOLL_FREE = "landline-toll-free"

    @property
    def label(self) -> str:
        return _TYPE_LABELS[self]

    @classmethod
    def from_name(cls, name: str) -> NumberType:
        """Return the type named by its API value or its label, such as `mobile`.

        Raises:
            InvalidInput: no type has that name.
        """
        folded = name.strip().casefold()
        for number_type in cls:
            if folded in (number_type.value, number_type.label):
                return number_type
        names = ", ".join(sorted(type_names()))
        raise InvalidInput(f"Unknown number type {name!r}: use one of {names}.")


def type_names() -> list[str]:
    """Return every name `NumberType.from_name` accepts: labels, then API values."""
    labels = [number_type.label for number_type in NumberType]
    values = [number_type.value for number_type in NumberType]
    return labels + [value for value in values if value not in labels]


_TYPE_LABELS = {
    NumberType.LANDLINE: "landline",
    NumberType.MOBILE: "mobile",
    NumberType.TOLL_FREE: "toll-free",
}


class Feature(StrEnum):
    """A capability of a number in the Numbers API."""

    SMS = "SMS"
    VOICE = "VOICE"
    MMS = "MMS"


class PatternMatch(StrEnum):
    """Where a search pattern must appear, with the API's `search_pattern` code."""

    STARTS = "starts"
    CONTAINS = "contains"
    ENDS = "ends"

    @property
    def api_code(self) -> int:
        return {"starts": 0, "contains": 1, "ends": 2}[self.value]

    @property
    def label(self) -> str:
        return {"starts": "starts with", "contains": "contains", "ends": "ends with"}[
            self.value
        ]


def sort_features(features: frozenset[Feature]) -> list[Feature]:
    """Return features in the API's usual order: SMS, VOICE, MMS."""
    return [feature for feature in Feature if feature in features]


def parse_features(text: str) -> frozenset[Feature]:
    """Parse a comma list such as `SMS,VOICE` (any case, spaces allowed).

    Raises:
        InvalidInput: a name is not SMS, VOICE or MMS.
    """
    features = set()
    for name in text.split(","):
        name = name.strip().upper()
        if not name:
            continue
        try:
            features.add(Feature(name))
        except ValueError:
            raise InvalidInput(
                f"Unknown feature {name!r}: use SMS, VOICE or MMS, separated by commas."
            ) from None
    return frozenset(features)


def validate_msisdn(msisdn: str) -> str:
    """Return `msisdn` if it is in Vonage form: 7 to 15 digits, no leading zero or `+`.

    Raises:
        InvalidInput: the value is not in that form.
    """
    if not _MSISDN.fullmatch(msisdn):
        raise InvalidInput(
            f"{msisdn!r} is not a number in Vonage form: use 7 to 15 digits with the "
            "country code first and no '+', such as 14155550101."
        )
    return msisdn


# The cost of an owned number whose monthly cost numdesk has never seen: Vonage's
# list of owned numbers does not carry costs. Being NaN, it never equals itself,
# and comparing it with < or > raises InvalidOperation: test `cost_is_known` first.
UNKNOWN_COST = Decimal("NaN")


@dataclass(frozen=True)
class AvailableNumber:
    """A number offered for rent, with its monthly cost in EUR."""

    country: str
    msisdn: str
    type: NumberType
    features: frozenset[Feature]
    cost: Decimal

    @property
    def has_voice(self) -> bool:
        return Feature.VOICE in self.features

    @property
    def cost_is_known(self) -> bool:
        """Whether numdesk has seen the monthly cost; see `UNKNOWN_COST`."""
        return not self.cost.is_nan()


@dataclass(frozen=True)
class OwnedNumber(AvailableNumber):
    """A number the account rents, with the application it is linked to, if any."""

    app_id: str | None = None


# Separators that people paste among a pattern's digits, as in `+44 7700` or `415-55`.
_PATTERN_SEPARATORS = str.maketrans("", "", " -./()")


def cancel_consequences(number: OwnedNumber, linked_to: str | None = None) -> str:
    """Say what cancelling `number` does: where it goes, what is lost with it.

    `linked_to` names its application as the caller shows names, such as 'Sales'.
    """
    cost = "its monthly cost"
    if number.cost_is_known:
        cost += f" of {number.cost:.2f} EUR"
    consequences = (
        f"It goes back to the inventory, where anyone can rent it, and {cost} is not "
        "refunded."
    )
    if linked_to is not None:
        consequences += f" Calls to it stop reaching {linked_to}."
    return consequences


def pattern_digits(text: str) -> str:
    """Return a typed search pattern without a leading + and the separators in it.

    `+44 7700` and `(415) 55` search for 447700 and 41555, as msisdns have no +.
    Digits of other scripts, such as Arabic-Indic or full-width ones, become 0-9.
    Text with anything else, such as letters, stays as typed, for `SearchQuery`
    to reject with the user's own text.
    """
    # A (0) is the trunk prefix, written in brackets after a country code as in
    # +44 (0) 7700, and never part of an msisdn.
    text = text.replace("(0)", "")
    digits = text.strip().removeprefix("+").translate(_PATTERN_SEPARATORS)
    if not digits.isdecimal():
        return text.strip()
    return "".join(str(int(digit)) for digit in digits)


@dataclass(frozen=True)
class SearchQuery:
    """The filters of a number search; `index` is the 1-based page number."""

    country: str
    type: NumberType | None = None
    features: frozenset[Feature] = field(default_factory=frozenset)
    pattern: str = ""
    match: PatternMatch = PatternMatch.STARTS
    size: int = DEFAULT_PAGE_SIZE
    index: int = 1

    def __post_init__(self) -> None:
        if self.pattern and not (self.pattern.isascii() and self.pattern.isdigit()):
            raise InvalidInput(
                f"Search pattern {self.pattern!r} is not valid: use digits 0-9 only."
            )
        if len(self.pattern) > MAX_PATTERN_DIGITS:
            raise InvalidInput(
                f"Search pattern has {len(self.pattern):,} digits, more than a phone "
                f"number has: use at most {MAX_PATTERN_DIGITS}."
            )
        if not 1 <= self.size <= MAX_PAGE_SIZE:
            raise InvalidInput(
                f"Page size {self.size} is out of range: use 1 to {MAX_PAGE_SIZE}."
            )
        if self.index < 1:
            raise InvalidInput(f"Page {self.index} is out of range: pages start at 1.")

    @property
    def offset(self) -> int:
        return (self.index - 1) * self.size


T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a longer result; `count` is the total number of matches."""

    items: tuple[T, ...]
    count: int
    index: int
    size: int

    @property
    def first(self) -> int:
        return min((self.index - 1) * self.size + 1, self.count)

    @property
    def last(self) -> int:
        return min(self.index * self.size, self.count)

    @property
    def page_count(self) -> int:
        return max(1, -(-self.count // self.size))

    @property
    def has_next(self) -> bool:
        return self.index < self.page_count

    @property
    def has_previous(self) -> bool:
        return self.index > 1

    def range_label(self) -> str:
        """Describe the page the way the app shows it, such as `1-10 of 12,345`."""
        return f"{self.first:,}-{self.last:,} of {self.count:,}"
