"""Explaining a rent that Vonage rejected, in words a user can act on.

The Numbers API often labels a rejected buy only "method failed" (HTTP 420), whatever
the cause. When the label names no cause, numdesk checks the usual ones itself: the
balance, whether the account owns the number already, and whether Vonage still
offers it. What remains is most often a country that needs address documents.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from decimal import Decimal

from domain.errors import (
    AlreadyOwned,
    InsufficientBalance,
    NumberNotAvailable,
    NumdeskError,
)
from domain.numbers import AvailableNumber, OwnedNumber
from live.errors import AddressRequired, ApiFailure, RemoteRejected

logger = logging.getLogger("numdesk.live")

_NO_CREDIT = ("insufficient", "credit", "balance", "funds")
_ADDRESS = ("address", "document", "regulat", "bundle")
_NO_STOCK = ("not available", "unavailable", "no longer", "stock")
_ALREADY_OWNED = ("already",)


def insufficient_balance(
    number: AvailableNumber, balance: Decimal, failure: ApiFailure | None
) -> InsufficientBalance:
    """Return the error for a rent that the balance cannot pay."""
    reply = f" {failure.describe()}" if failure else ""
    return InsufficientBalance(
        f"Renting {number.msisdn} costs {number.cost} EUR a month but the balance is "
        f"{balance} EUR{reply}: add credit in the Vonage dashboard or pick a cheaper "
        "number."
    )


def explain_rent_failure(
    number: AvailableNumber,
    error: RemoteRejected,
    *,
    balance: Callable[[], Decimal],
    owned: Callable[[str], OwnedNumber | None],
    offered: Callable[[str], AvailableNumber | None],
) -> NumdeskError:
    """Return the error that explains why Vonage rejected the rent of `number`.

    `balance`, `owned` and `offered` read the account now; they are called only
    when the reply's label names no cause.
    """
    failure = error.failure
    if failure.label_mentions(*_NO_CREDIT):
        return insufficient_balance(number, balance(), failure)
    if failure.label_mentions(*_ADDRESS):
        return _address_required(number, failure)
    if failure.label_mentions(*_ALREADY_OWNED):
        return _already_owned(number, failure)
    if failure.label_mentions(*_NO_STOCK):
        return _not_in_stock(number, failure)

    try:
        current_balance = balance()
        if number.cost > current_balance:
            return insufficient_balance(number, current_balance, failure)
        if owned(number.msisdn) is not None:
            return _already_owned(number, failure)
        if offered(number.msisdn) is None:
            return _not_in_stock(number, failure)
    except NumdeskError as check_error:
        logger.warning(
            "Could not check why renting %s failed: %s",
            number.msisdn,
            type(check_error).__name__,
        )
        return error
    return _address_required(number, failure, guessed=True)


def _address_required(
    number: AvailableNumber, failure: ApiFailure, *, guessed: bool = False
) -> AddressRequired:
    cause = (
        "The balance covers it and the number is still offered, so the likely cause "
        "is that"
        if guessed
        else "Vonage says that"
    )
    return AddressRequired(
        f"Vonage rejected the rent of {number.msisdn} {failure.describe()}. {cause} "
        f"numbers in {number.country} need the account's address documents: add them "
        "in the Vonage dashboard, then rent again.",
        failure,
    )


def _already_owned(number: AvailableNumber, failure: ApiFailure) -> AlreadyOwned:
    return AlreadyOwned(
        f"{number.msisdn} is already rented by this account {failure.describe()}: "
        "find it in My numbers (F3) or `numdesk numbers list`."
    )


def _not_in_stock(number: AvailableNumber, failure: ApiFailure) -> NumberNotAvailable:
    return NumberNotAvailable(
        f"Vonage no longer has {number.msisdn} in stock {failure.describe()}: someone "
        f"may have just rented it. Search {number.country} again and pick another "
        "number."
    )
