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
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache

import phonenumbers
from phonenumbers import PhoneNumber, PhoneNumberType

from domain.errors import InvalidInput
from domain.numbers import Feature, NumberType
from domain.reserved import has_reserved_ranges, reserved_range
from store import schema
from store.number_types import TypeCheck
from store.records import features_text
from store.stock import area_codes, features_for, monthly_cost_cents, stock_size

ProgressCallback = Callable[[int, int], None]

SEED = 20260115
STARTING_BALANCE_CENTS = 1000
# The page cache during a bulk insert, in KiB: enough for the msisdn index of a
# million numbers, so that its random inserts stay in memory.
BULK_CACHE_KIB = 128 * 1024
INSERT_INVENTORY = (
    "INSERT INTO inventory (id, msisdn, reversed_msisdn, country, type, features, "
    "cost_cents) VALUES (?, ?, ?, ?, ?, ?, ?)"
)

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


def stock_plan(rows: int | None = None) -> dict[tuple[str, NumberType], int]:
    """Return how many numbers each region should get of each type it has.

    Without `rows`, each gets its `stock_size`. With `rows`, those sizes are scaled so
    that they add up to exactly `rows`, keeping each region's share.

    Raises:
        InvalidInput: `rows` is less than 1.
    """
    if rows is not None and rows < 1:
        raise InvalidInput(
            f"An inventory of {rows:,} numbers cannot be generated: ask for at least 1."
        )
    base = {
        (region, number_type): stock_size(region, number_type)
        for region in sandbox_regions()
        for number_type in NumberType
        if phonenumbers.example_number_for_type(region, EXAMPLE_TYPES[number_type])
    }
    if rows is None:
        return base
    return _scale(base, rows)


def _scale(
    sizes: dict[tuple[str, NumberType], int], total: int
) -> dict[tuple[str, NumberType], int]:
    # Largest remainder: round every share down, then give the numbers left over to
    # the largest fractions, so that the sizes add up to `total` exactly.
    base_total = sum(sizes.values())
    exact = {bucket: size * total / base_total for bucket, size in sizes.items()}
    scaled = {bucket: int(share) for bucket, share in exact.items()}
    left_over = total - sum(scaled.values())
    by_fraction = sorted(exact, key=lambda bucket: exact[bucket] - scaled[bucket])
    for bucket in by_fraction[::-1][:left_over]:
        scaled[bucket] += 1
    return scaled


def generate_region(
    region: str,
    used_msisdns: set[str],
    plan: dict[tuple[str, NumberType], int] | None = None,
) -> list[StockNumber]:
    """Generate the stock of one region for every type it has an example number for.

    `used_msisdns` contains the msisdns already generated for other regions. New
    ones are added to it so that regions sharing a country code (such as the US and
    Canada for toll-free numbers) never get the same msisdn. `plan` gives the
    number of each type to generate (default: `stock_plan()`). A numbering plan
    too tight for that many valid numbers yields fewer.
    """
    sizes = plan or stock_plan()
    stock: list[StockNumber] = []
    for number_type in NumberType:
        count = sizes.get((region, number_type), 0)
        example = phonenumbers.example_number_for_type(
            region, EXAMPLE_TYPES[number_type]
        )
        if example is None or count == 0:
            continue

        # str seeds go through SHA-512, so the sequence is the same in every run.
        rng = random.Random(f"{SEED}:{region}:{number_type.value}")
        msisdns = _generate_msisdns(
            example, region, number_type, count, rng, used_msisdns
        )
        stock.extend(_stock_numbers(msisdns, region, number_type, rng))
    return stock


def generate_top_up(count: int, used_msisdns: set[str]) -> list[StockNumber]:
    """Generate `count` more US landlines, for a plan whose regions fell short.

    US landlines spread over 40 area codes of ten million numbers each, so they
    can make up any shortfall that a sandbox is likely to need.
    """
    example = phonenumbers.example_number_for_type("US", PhoneNumberType.FIXED_LINE)
    if example is None or count <= 0:
        return []
    rng = random.Random(f"{SEED}:US:{NumberType.LANDLINE.value}:top-up")
    msisdns = _generate_msisdns(
        example, "US", NumberType.LANDLINE, count, rng, used_msisdns
    )
    return list(_stock_numbers(msisdns, "US", NumberType.LANDLINE, rng))


def _stock_numbers(
    msisdns: list[str], region: str, number_type: NumberType, rng: random.Random
) -> Iterator[StockNumber]:
    cost_cents = monthly_cost_cents(region, number_type)
    for msisdn in msisdns:
        yield StockNumber(
            msisdn=msisdn,
            country=region,
            type=number_type,
            features=features_for(region, number_type, rng),
            cost_cents=cost_cents,
        )


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
    count: int,
    rng: random.Random,
    used_msisdns: set[str],
) -> list[str]:
    seeds = _seeds(example, region, number_type)
    check = TypeCheck(region, ACCEPTED_TYPES[number_type])
    msisdns: list[str] = []
    for index, seed in enumerate(seeds):
        share = count // len(seeds) + (1 if index < count % len(seeds) else 0)
        msisdns += _vary_seed(seed, example, check, share, rng, used_msisdns)
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
    check: TypeCheck,
    count: int,
    rng: random.Random,
    used_msisdns: set[str],
) -> list[str]:
    found: list[str] = []
    spread = len(seed.national) - seed.fixed
    country_code = str(example.country_code)
    may_be_reserved = has_reserved_ranges(country_code)
    while spread >= _MIN_SPREAD and len(found) < count:
        attempts = (count - len(found)) * _ATTEMPTS_PER_NUMBER
        hits = 0
        fixed = seed.national[:-spread]
        # The fixed part contains the first digit that is not 0, so the varied digits
        # follow the same national significant prefix in every candidate.
        significant_fixed = _significant(example, fixed)
        limit = 10**spread
        for attempt in range(max(attempts, _PROBE_SIZE)):
            if attempt == _PROBE_SIZE and hits < _MIN_PROBE_HITS:
                break
            varied = f"{rng.randrange(limit):0{spread}d}"
            msisdn = country_code + fixed + varied
            if msisdn in used_msisdns:
                continue
            if may_be_reserved and reserved_range(msisdn) is not None:
                continue
            if not check(significant_fixed + varied):
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


def _significant(example: PhoneNumber, national: str) -> str:
    """Return the national significant number phonenumbers reads from `national`.

    This is the example with its national number replaced, keeping its leading
    zeros, as phonenumbers' `national_significant_number` writes it.
    """
    digits = str(int(national))
    if example.italian_leading_zero:
        return "0" * (example.number_of_leading_zeros or 1) + digits
    return digits


def fill_sandbox(
    connection: sqlite3.Connection,
    on_progress: ProgressCallback | None = None,
    rows: int | None = None,
) -> int:
    """Insert the starting balance and the generated inventory into new tables.

    The caller has opened the write transaction. Without `rows`, the inventory has
    the regular stock sizes and `on_progress(done, total)` counts regions. With
    `rows`, it has exactly that many numbers, and `on_progress` counts them.
    Returns the number of numbers inserted.
    """
    connection.execute(
        "INSERT INTO account (id, balance_cents) VALUES (1, ?)",
        [STARTING_BALANCE_CENTS],
    )
    return insert_generated(connection, rows, set(), on_progress)


def replace_inventory(
    connection: sqlite3.Connection,
    rows: int,
    on_progress: ProgressCallback | None = None,
) -> tuple[int, int]:
    """Replace the inventory with `rows` generated numbers, none of them owned.

    The caller has opened the write transaction. `on_progress(done, rows)` counts
    the numbers inserted. Returns the number of rows removed and inserted.
    """
    owned = {row[0] for row in connection.execute("SELECT msisdn FROM owned")}
    db = schema.database(connection)
    schema.drop_inventory_indexes(db)
    schema.stop_counting_inventory(db)
    removed = connection.execute("DELETE FROM inventory").rowcount
    return removed, insert_generated(connection, rows, owned, on_progress)


def insert_generated(
    connection: sqlite3.Connection,
    rows: int | None,
    used_msisdns: set[str],
    on_progress: ProgressCallback | None = None,
) -> int:
    """Generate an inventory (see `fill_sandbox`) and insert it in bulk.

    Returns the number of numbers inserted.
    """
    plan = stock_plan(rows)
    regions = sandbox_regions()
    with bulk_insert(connection) as insert:
        for done, region in enumerate(regions, 1):
            insert(generate_region(region, used_msisdns, plan))
            if on_progress is not None and rows is None:
                on_progress(done, len(regions))
            elif on_progress is not None and rows is not None:
                on_progress(insert.count, rows)
        if rows is not None:
            insert(generate_top_up(rows - insert.count, used_msisdns))
            if on_progress is not None:
                on_progress(insert.count, rows)
    return insert.count


class _Inserter:
    """Inserts stock numbers into the inventory and counts them."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection
        self.count = 0

    def __call__(self, numbers: Iterable[StockNumber]) -> None:
        values = [_inventory_values(number) for number in numbers]
        self._connection.executemany(INSERT_INVENTORY, values)
        self.count += len(values)


@contextmanager
def bulk_insert(connection: sqlite3.Connection) -> Iterator[_Inserter]:
    """Insert many numbers into the inventory, then build its indexes and counts once.

    The caller has opened the write transaction. The page cache grows to
    `BULK_CACHE_KIB` meanwhile, because the unique index on msisdn takes random
    inserts, and building the indexes sorts every row.
    """
    db = schema.database(connection)
    cache_pages = connection.execute("PRAGMA cache_size").fetchone()[0]
    connection.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB:d}")
    try:
        schema.drop_inventory_indexes(db)
        schema.stop_counting_inventory(db)
        yield _Inserter(connection)
        schema.create_inventory_indexes(db)
        schema.count_inventory(db)
    finally:
        connection.execute(f"PRAGMA cache_size = {int(cache_pages):d}")


def _inventory_values(
    number: StockNumber,
) -> tuple[int, str, str, str, str, str, int]:
    return (
        schema.msisdn_key(number.msisdn),
        number.msisdn,
        number.msisdn[::-1],
        number.country,
        number.type.value,
        _stored_features(number.features),
        number.cost_cents,
    )


# A handful of feature sets covers the whole inventory, so each is written once.
_stored_features = cache(features_text)
