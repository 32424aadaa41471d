"""How much sandbox stock each region has, with which features and at what monthly cost.

The figures imitate the shape of real Vonage stock, not its actual price list. US and
Canadian landline and mobile numbers carry SMS, VOICE and mostly MMS, and toll-free
numbers carry VOICE only. Other mobile numbers usually carry SMS and VOICE, but a few
countries sell SMS-only or voice-only numbers. Some countries cost several times the 10.00 EUR starting balance.
Regions without a row in the tables get repeatable values drawn from their code.
"""

from __future__ import annotations

import random
from functools import cache

from domain.numbers import Feature, NumberType

SMS = Feature.SMS
VOICE = Feature.VOICE
MMS = Feature.MMS

# Each feature set is made once and shared by every number that has it.
_SMS_ONLY = frozenset({SMS})
_VOICE_ONLY = frozenset({VOICE})
_SMS_VOICE = frozenset({SMS, VOICE})
_SMS_VOICE_MMS = frozenset({SMS, VOICE, MMS})

_LARGE_STOCK = 500
_DEFAULT_STOCK = 60
_STOCK_SIZES = {
    ("US", NumberType.LANDLINE): 30_000,
    ("US", NumberType.MOBILE): 10_000,
    ("US", NumberType.TOLL_FREE): 5_000,
    ("CA", NumberType.LANDLINE): 4_000,
    ("CA", NumberType.MOBILE): 1_500,
    ("CA", NumberType.TOLL_FREE): 1_000,
}
_LARGE_MARKETS = frozenset(
    [
        "AT",
        "AU",
        "BE",
        "BR",
        "CH",
        "DE",
        "DK",
        "ES",
        "FI",
        "FR",
        "GB",
        "HK",
        "IE",
        "IL",
        "IT",
        "JP",
        "MX",
        "NL",
        "NO",
        "NZ",
        "PL",
        "PT",
        "SE",
        "SG",
        "ZA",
    ]
)

_NANP_TOLL_FREE = ("800", "833", "844", "855", "866", "877", "888")

# Area codes whose numbers a large stock spreads over, so that searches by area code
# find something. Every other region varies the end of its example number.
_AREA_CODES = {
    ("US", NumberType.LANDLINE): (
        "201", "202", "206", "212", "213", "214", "215", "224", "267", "281",
        "303", "305", "310", "312", "313", "323", "347", "404", "408", "415",
        "470", "503", "512", "602", "617", "619", "646", "650", "702", "713",
        "718", "720", "747", "786", "805", "818", "858", "917", "929", "949",
    ),
    # US and Canadian mobile numbers share area codes with landlines.
    ("US", NumberType.MOBILE): (
        "212", "213", "305", "310", "312", "347", "404", "415", "512", "617",
        "646", "702", "713", "718", "786", "917", "929",
    ),
    ("US", NumberType.TOLL_FREE): _NANP_TOLL_FREE,
    ("CA", NumberType.MOBILE): ("416", "514", "587", "604", "647"),
    ("CA", NumberType.LANDLINE): (
        "204", "250", "403", "416", "514", "587", "604", "613", "647", "780",
        "902", "905",
    ),
    ("CA", NumberType.TOLL_FREE): _NANP_TOLL_FREE,
    ("GB", NumberType.LANDLINE): (
        "113", "114", "117", "121", "131", "141", "151", "161", "191", "20",
        "23", "24", "28", "29", "1223", "1865",
    ),
    ("GB", NumberType.MOBILE): ("73", "74", "75", "77", "78", "79"),
}  # fmt: skip

# Monthly cost in EUR cents of (landline, mobile, toll-free) numbers.
_COSTS = {
    "US": (90, 90, 180),
    "CA": (90, 90, 180),
    "GB": (100, 100, 350),
    "DE": (150, 900, 1500),
    "FR": (150, 500, 1200),
    "ES": (150, 550, 1100),
    "IT": (250, 600, 1400),
    "NL": (150, 250, 1000),
    "BE": (200, 450, 1100),
    "SE": (150, 200, 900),
    "AU": (450, 600, 1200),
    "JP": (1450, 1800, 2900),
    "BR": (650, 1200, 2500),
    "MX": (450, 700, 1600),
    "ZA": (280, 800, 1500),
    "HK": (1000, 1200, 2400),
    "SG": (1800, 2200, 3000),
}

# Countries that sell only one feature on a type, beyond the default for that type.
_SMS_ONLY_MOBILE = frozenset(["AT", "CH", "DK", "HU", "PL", "RU", "TR"])
_VOICE_ONLY_MOBILE = frozenset(["BR", "IN", "JP", "MX"])
_LANDLINE_WITH_SMS = frozenset(["BE", "EE", "FI", "LT", "NL", "NO", "SE"])
_NANP_WITH_MMS = frozenset({"US", "CA"})


def stock_size(region: str, number_type: NumberType) -> int:
    """Return how many numbers of a type the region should get, if its plan allows."""
    if (region, number_type) in _STOCK_SIZES:
        return _STOCK_SIZES[(region, number_type)]
    if region in _LARGE_MARKETS:
        return _LARGE_STOCK
    return _DEFAULT_STOCK


def area_codes(region: str, number_type: NumberType) -> tuple[str, ...]:
    """Return the national prefixes the stock of that region and type spreads over.

    An empty tuple means the generator varies the end of the example number.
    """
    return _AREA_CODES.get((region, number_type), ())


def monthly_cost_cents(region: str, number_type: NumberType) -> int:
    """Return the monthly cost in EUR cents of one number of that region and type."""
    landline, mobile, toll_free = _COSTS.get(region) or _drawn_costs(region)
    return {
        NumberType.LANDLINE: landline,
        NumberType.MOBILE: mobile,
        NumberType.TOLL_FREE: toll_free,
    }[number_type]


def features_for(
    region: str, number_type: NumberType, rng: random.Random
) -> frozenset[Feature]:
    """Return the features of one number, varied by `rng` within a region's stock."""
    if number_type is NumberType.TOLL_FREE:
        return _VOICE_ONLY
    if number_type is NumberType.LANDLINE:
        return _landline_features(region, rng)
    return _mobile_features(region, rng)


def _landline_features(region: str, rng: random.Random) -> frozenset[Feature]:
    if region in _NANP_WITH_MMS:
        draw = rng.random()
        if draw < 0.75:
            return _SMS_VOICE_MMS
        if draw < 0.9:
            return _SMS_VOICE
        return _VOICE_ONLY
    if region in _LANDLINE_WITH_SMS:
        return _SMS_VOICE
    return _VOICE_ONLY


def _mobile_features(region: str, rng: random.Random) -> frozenset[Feature]:
    if region in _NANP_WITH_MMS:
        if rng.random() < 0.8:
            return _SMS_VOICE_MMS
        return _SMS_VOICE
    if region in _SMS_ONLY_MOBILE:
        return _SMS_ONLY
    if region in _VOICE_ONLY_MOBILE:
        return _VOICE_ONLY
    if region in _LARGE_MARKETS or region in _COSTS:
        return _SMS_VOICE
    return _smaller_market_mobile_features(region)


@cache
def _smaller_market_mobile_features(region: str) -> frozenset[Feature]:
    # About one in twelve smaller markets sells SMS-only and one in twelve
    # voice-only. The draw depends on the region alone, so it is made once.
    draw = random.Random(f"mobile:{region}").random()
    if draw < 0.08:
        return _SMS_ONLY
    if draw < 0.16:
        return _VOICE_ONLY
    return _SMS_VOICE


def _drawn_costs(region: str) -> tuple[int, int, int]:
    rng = random.Random(f"cost:{region}")
    if rng.random() < 0.15:
        landline = rng.randrange(80, 300) * 10
    else:
        landline = rng.randrange(10, 60) * 10
    mobile = landline + rng.randrange(0, 40) * 10
    toll_free = landline * 2 + rng.randrange(5, 30) * 10
    return landline, mobile, toll_free
