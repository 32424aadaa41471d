"""The sandbox inventory: a deterministic stock of numbers for every region.

Numbers are made by varying the trailing digits of phonenumbers' example number for
each region and type, and each is kept only if phonenumbers rates it valid for that
region and type. Features and monthly costs come from `store.stock`.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

import phonenumbers
from phonenumbers import PhoneNumber, PhoneNumberType

from domain.numbers import Feature, NumberType, sort_features
from store.stock import features_for, monthly_cost_cents, stock_size

SEED = 20260115
STARTING_BALANCE_CENTS = 1000

# The phonenumbers type whose example seeds each Vonage type, and the phonenumbers
# types a generated number may have to count as that Vonage type.
EXAMPLE_TYPES = {
    NumberType.LANDLINE: PhoneNumberType.FIXED_LINE,
    NumberType.MOBILE: PhoneNumberType.MOBILE,
    NumberType.TOLL_FREE: PhoneNumberType.TOLL_FREE,
}
ACCEPTED_TYPES = {
    NumberType.LANDLINE: frozenset(
        {PhoneNumberType.FIXED_LINE, PhoneNumberType.FIXED_LINE_OR_MOBILE}
    ),
    NumberType.MOBILE: frozenset({PhoneNumberType.MOBILE}),
    NumberType.TOLL_FREE: frozenset({PhoneNumberType.TOLL_FREE}),
}

# How many trailing digits of the example vary, tried from the widest. A wider spread
# gives more varied numbers, but for tight numbering plans most candidates are invalid.
_SPREADS = (6, 5, 4, 3, 2)
_PROBE_SIZE = 40
_MIN_PROBE_HITS = 16
_ATTEMPTS_PER_NUMBER = 3


@dataclass(frozen=True)
class StockNumber:
    """One generated number, ready to insert into the inventory."""

    msisdn: str
    country: str
    type: NumberType
    features: frozenset[Feature]
    cost_cents: int


def sandbox_regions() -> list[str]:
    """Return every region phonenumbers supports, sorted so generation is repeatable."""
    return sorted(phonenumbers.SUPPORTED_REGIONS)


def generate_region(region: str, taken: set[str]) -> list[StockNumber]:
    """Generate the stock of one region for every type it has an example number for.

    `taken` holds the msisdns already generated for other regions; new ones are
    added to it so that regions sharing a country code never produce the same msisdn.
    """
    stock: list[StockNumber] = []
    for number_type in NumberType:
        example = phonenumbers.example_number_for_type(
            region, EXAMPLE_TYPES[number_type]
        )
        if example is None or not _is_valid_as(example, region, number_type):
            continue

        rng = random.Random(f"{SEED}:{region}:{number_type.value}")
        count = stock_size(region, number_type)
        cost_cents = monthly_cost_cents(region, number_type)
        for msisdn in _variants(example, region, number_type, count, rng, taken):
            stock.append(
                StockNumber(
                    msisdn=msisdn,
                    country=region,
                    type=number_type,
                    features=features_for(region, number_type, rng),
                    cost_cents=cost_cents,
                )
            )
    return stock


def msisdn_of(number: PhoneNumber) -> str:
    """Return a number in Vonage form: E.164 digits with no `+`."""
    national = phonenumbers.national_significant_number(number)
    return f"{number.country_code}{national}"


def _variants(
    example: PhoneNumber,
    region: str,
    number_type: NumberType,
    count: int,
    rng: random.Random,
    taken: set[str],
) -> list[str]:
    national = phonenumbers.national_significant_number(example)
    kept = _kept_prefix_length(example, national)
    found: list[str] = []
    for spread in _SPREADS:
        spread = min(spread, len(national) - kept)
        if spread <= 0:
            break
        attempts = max(_PROBE_SIZE, (count - len(found)) * _ATTEMPTS_PER_NUMBER)
        hits = 0
        for attempt in range(attempts):
            if attempt == _PROBE_SIZE and hits < _MIN_PROBE_HITS:
                break
            candidate = _vary(example, national, spread, rng)
            msisdn = msisdn_of(candidate)
            if msisdn in taken or not _is_valid_as(candidate, region, number_type):
                continue
            if is_fictional(msisdn):
                continue
            taken.add(msisdn)
            found.append(msisdn)
            hits += 1
            if len(found) == count:
                return found
        else:
            return found
    return found


def _kept_prefix_length(example: PhoneNumber, national: str) -> int:
    """Keep any leading zeros and the first significant digit, and at least half."""
    leading_zeros = len(national) - len(national.lstrip("0"))
    return max(leading_zeros + 1, len(national) // 2)


def _vary(
    example: PhoneNumber, national: str, spread: int, rng: random.Random
) -> PhoneNumber:
    digits = "".join(rng.choice("0123456789") for _ in range(spread))
    varied = national[: len(national) - spread] + digits
    return PhoneNumber(
        country_code=example.country_code,
        national_number=int(varied),
        italian_leading_zero=example.italian_leading_zero,
        number_of_leading_zeros=example.number_of_leading_zeros,
    )


def _is_valid_as(number: PhoneNumber, region: str, number_type: NumberType) -> bool:
    if phonenumbers.region_code_for_number(number) != region:
        return False
    return phonenumbers.number_type(number) in ACCEPTED_TYPES[number_type]


# NOTE: a local list until the domain has a helper for reserved ranges. These are
# the ranges regulators set aside for drama and examples, matched on the msisdn.
_FICTIONAL_PREFIXES = (
    "447700900",  # GB mobile 07700 900xxx (Ofcom)
    "44113496",  # GB 0113 496 0xxx and the other city ranges below (Ofcom)
    "44114496",
    "44115496",
    "44116496",
    "44117496",
    "44118496",
    "44121496",
    "44131496",
    "44141496",
    "44151496",
    "44161496",
    "44191498",
    "442079460",
    "442920180",
    "442896496",
    "441632960",
    "448081570",
    "449098790",
    "443069990",
    "6149157",  # AU mobile 0491 57x xxx (ACMA)
    "6125550",  # AU landline (0x) 5550 xxxx and (0x) 7010 xxxx (ACMA)
    "6135550",
    "6175550",
    "6185550",
    "6127010",
    "6137010",
    "6177010",
    "6187010",
)


def is_fictional(msisdn: str) -> bool:
    """Return whether the msisdn is in a range reserved for drama or examples.

    Covers GB (Ofcom), AU (ACMA) and NANP 555-0100 to 555-0199.
    """
    if msisdn.startswith(_FICTIONAL_PREFIXES):
        return True
    return len(msisdn) == 11 and msisdn[0] == "1" and msisdn[4:9] == "55501"


def fill_sandbox(
    connection: sqlite3.Connection,
    on_progress: Callable[[int, int], None] | None = None,
) -> None:
    """Insert the starting balance and the generated inventory into new tables.

    The caller holds the write transaction. `on_progress(done, total)` is called
    after each region is inserted, counting regions.
    """
    connection.execute(
        "INSERT INTO account (id, balance_cents) VALUES (1, ?)",
        [STARTING_BALANCE_CENTS],
    )
    regions = sandbox_regions()
    taken: set[str] = set()
    for done, region in enumerate(regions, 1):
        connection.executemany(
            "INSERT INTO inventory (msisdn, reversed_msisdn, country, type, features, "
            "cost_cents) VALUES (?, ?, ?, ?, ?, ?)",
            [_inventory_values(number) for number in generate_region(region, taken)],
        )
        if on_progress is not None:
            on_progress(done, len(regions))


def _inventory_values(number: StockNumber) -> tuple[str, str, str, str, str, int]:
    return (
        number.msisdn,
        number.msisdn[::-1],
        number.country,
        number.type.value,
        ",".join(sort_features(number.features)),
        number.cost_cents,
    )
