"""The sandbox inventory: a deterministic stock of numbers for every region.

Numbers are made by varying the trailing digits of a seed number: phonenumbers'
example number for the region and type, or for a few large markets that example
moved to each of several area codes. A candidate is kept only if phonenumbers rates
it valid for the region and of the right type, and it is not in a range reserved
for fiction (`domain.reserved`). Features, monthly costs and stock sizes come from
`store.stock`.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

import phonenumbers
from phonenumbers import PhoneNumber, PhoneNumberType

from domain.numbers import Feature, NumberType
from domain.reserved import reserved_range
from store import schema
from store.records import features_text
from store.stock import area_codes, features_for, monthly_cost_cents, stock_size

SEED = 20260115
STARTING_BALANCE_CENTS = 1000

# The phonenumbers type whose example seeds each Vonage type, and the phonenumbers
# types a generated number may have to count as that Vonage type. phonenumbers 9.0
# rates every number of CA, CL, DO, FM, GU, MP, MX, PR, US and VI as
# FIXED_LINE_OR_MOBILE, and Vonage sells such numbers as landline and as
# mobile-lvn, so both types accept it. Each msisdn is still generated only once.
EXAMPLE_TYPES = {
    NumberType.LANDLINE: PhoneNumberType.FIXED_LINE,
    NumberType.MOBILE: PhoneNumberType.MOBILE,
    NumberType.TOLL_FREE: PhoneNumberType.TOLL_FREE,
}
ACCEPTED_TYPES = {
    NumberType.LANDLINE: frozenset(
        {PhoneNumberType.FIXED_LINE, PhoneNumberType.FIXED_LINE_OR_MOBILE}
    ),
    NumberType.MOBILE: frozenset(
        {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE}
    ),
    NumberType.TOLL_FREE: frozenset({PhoneNumberType.TOLL_FREE}),
}

# A seed's trailing digits vary as widely as its fixed prefix allows. When fewer
# than `_MIN_PROBE_HITS` of the first `_PROBE_SIZE` candidates are valid, the
# numbering plan is tighter than that, so one digit fewer varies.
_PROBE_SIZE = 40
_MIN_PROBE_HITS = 16
_MIN_SPREAD = 2
_ATTEMPTS_PER_NUMBER = 3


@dataclass(frozen=True)
class StockNumber:
    """One generated number, ready to insert into the inventory."""

    msisdn: str
    country: str
    type: NumberType
    features: frozenset[Feature]
    cost_cents: int


@dataclass(frozen=True)
class _Seed:
    """A national significant number whose digits after `fixed` may vary."""

    national: str
    fixed: int


def sandbox_regions() -> list[str]:
    """Return every region phonenumbers supports, sorted so generation is repeatable."""
    return sorted(phonenumbers.SUPPORTED_REGIONS)


def generate_region(region: str, used_msisdns: set[str]) -> list[StockNumber]:
    """Generate the stock of one region for every type it has an example number for.

    `used_msisdns` contains the msisdns already generated for other regions. New
    ones are added to it so that regions sharing a country code (such as the US and
    Canada for toll-free numbers) never get the same msisdn.
    """
    stock: list[StockNumber] = []
    for number_type in NumberType:
        example = phonenumbers.example_number_for_type(
            region, EXAMPLE_TYPES[number_type]
        )
        if example is None:
            continue

        # str seeds go through SHA-512, so the sequence is the same in every run.
        rng = random.Random(f"{SEED}:{region}:{number_type.value}")
        cost_cents = monthly_cost_cents(region, number_type)
        msisdns = _generate_msisdns(example, region, number_type, rng, used_msisdns)
        stock.extend(
            StockNumber(
                msisdn=msisdn,
                country=region,
                type=number_type,
                features=features_for(region, number_type, rng),
                cost_cents=cost_cents,
            )
            for msisdn in msisdns
        )
    return stock


def is_valid_as(number: PhoneNumber, region: str, number_type: NumberType) -> bool:
    """Return whether phonenumbers rates `number` valid for `region` and of the type."""
    if phonenumbers.number_type(number) not in ACCEPTED_TYPES[number_type]:
        return False
    country_code = phonenumbers.country_code_for_region(region)
    if len(phonenumbers.region_codes_for_country_code(country_code)) == 1:
        # A valid type already means valid for the only region of the country code.
        return True
    return phonenumbers.is_valid_number_for_region(number, region)


def _generate_msisdns(
    example: PhoneNumber,
    region: str,
    number_type: NumberType,
    rng: random.Random,
    used_msisdns: set[str],
) -> list[str]:
    seeds = _seeds(example, region, number_type)
    count = stock_size(region, number_type)
    msisdns: list[str] = []
    for index, seed in enumerate(seeds):
        share = count // len(seeds) + (1 if index < count % len(seeds) else 0)
        msisdns += _vary_seed(
            seed, example, region, number_type, share, rng, used_msisdns
        )
    return msisdns


def _seeds(example: PhoneNumber, region: str, number_type: NumberType) -> list[_Seed]:
    national = phonenumbers.national_significant_number(example)
    codes = area_codes(region, number_type)
    if not codes:
        leading_zeros = len(national) - len(national.lstrip("0"))
        return [_Seed(national, max(leading_zeros + 1, len(national) // 2))]
    return [_Seed(code + national[len(code) :], len(code)) for code in codes]


def _vary_seed(
    seed: _Seed,
    example: PhoneNumber,
    region: str,
    number_type: NumberType,
    count: int,
    rng: random.Random,
    used_msisdns: set[str],
) -> list[str]:
    found: list[str] = []
    spread = len(seed.national) - seed.fixed
    while spread >= _MIN_SPREAD and len(found) < count:
        attempts = (count - len(found)) * _ATTEMPTS_PER_NUMBER
        hits = 0
        for attempt in range(max(attempts, _PROBE_SIZE)):
            if attempt == _PROBE_SIZE and hits < _MIN_PROBE_HITS:
                break
            national = (
                seed.national[:-spread] + f"{rng.randrange(10**spread):0{spread}d}"
            )
            msisdn = f"{example.country_code}{national}"
            if msisdn in used_msisdns or reserved_range(msisdn) is not None:
                continue
            if not is_valid_as(_with_national(example, national), region, number_type):
                continue
            used_msisdns.add(msisdn)
            found.append(msisdn)
            hits += 1
            if len(found) == count:
                break
        else:
            break
        spread -= 1
    return found


def _with_national(example: PhoneNumber, national: str) -> PhoneNumber:
    """Return the example with another national number of the same leading zeros."""
    return PhoneNumber(
        country_code=example.country_code,
        national_number=int(national),
        italian_leading_zero=example.italian_leading_zero,
        number_of_leading_zeros=example.number_of_leading_zeros,
    )


def fill_sandbox(
    connection: sqlite3.Connection,
    on_progress: Callable[[int, int], None] | None = None,
) -> None:
    """Insert the starting balance and the generated inventory into new tables.

    The caller has opened the write transaction. `on_progress(done, total)` is called
    after each region is inserted, counting regions.
    """
    connection.execute(
        "INSERT INTO account (id, balance_cents) VALUES (1, ?)",
        [STARTING_BALANCE_CENTS],
    )
    db = schema.database(connection)
    schema.drop_inventory_indexes(db)
    regions = sandbox_regions()
    used_msisdns: set[str] = set()
    for done, region in enumerate(regions, 1):
        connection.executemany(
            "INSERT INTO inventory (msisdn, reversed_msisdn, country, type, features, "
            "cost_cents) VALUES (?, ?, ?, ?, ?, ?)",
            [
                _inventory_values(number)
                for number in generate_region(region, used_msisdns)
            ],
        )
        if on_progress is not None:
            on_progress(done, len(regions))
    schema.create_inventory_indexes(db)


def _inventory_values(number: StockNumber) -> tuple[str, str, str, str, str, int]:
    return (
        number.msisdn,
        number.msisdn[::-1],
        number.country,
        number.type.value,
        features_text(number.features),
        number.cost_cents,
    )
