"""The interface that screens and commands use to work on a Vonage account.

The sandbox account (in `store`) implements it over a local SQLite file alone, and
the live account (in `live`) over a real Vonage account. Screens and commands never
know which implementation they have, apart from `name`, `charges_real_money`,
`last_sync`, `offline` and `reads_over_network`.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from domain.numbers import AvailableNumber, OwnedNumber, Page, SearchQuery

if TYPE_CHECKING:
    from domain.applications import Application, ApplicationDraft


class Account(Protocol):
    """An account's numbers, applications and balance (EUR)."""

    @property
    def name(self) -> str:
        """A short label for the account, such as `sandbox`, shown on every screen."""
        ...

    @property
    def charges_real_money(self) -> bool:
        """Whether rents are paid with real money, which confirmations must state."""
        ...

    @property
    def last_sync(self) -> datetime | None:
        """When the data shown was last read from Vonage; None for the sandbox.

        A live account that cannot reach Vonage shows its cache, which is this old.
        """
        ...

    @property
    def offline(self) -> bool:
        """Whether the last read could not reach Vonage and came from the cache.

        Changes are rejected as read-only meanwhile. Always False for the sandbox.
        """
        ...

    @property
    def reads_over_network(self) -> bool:
        """Whether a read may wait for the network, so screens run it in a thread.

        The sandbox reads a local SQLite file, whose reads finish at once.
        """
        ...

    def search(self, query: SearchQuery) -> Page[AvailableNumber]:
        """Return one page of available numbers matching `query`, with the total count.

        Raises:
            InvalidInput: the country is unknown.
        """
        ...

    def available_number(self, msisdn: str) -> AvailableNumber:
        """Return an available number by msisdn.

        Raises:
            NumberNotAvailable: it is not (or no longer) in the inventory.
            AlreadyOwned: this account rents it already.
        """
        ...

    def rent(self, msisdn: str) -> OwnedNumber:
        """Rent an available number and debit its monthly cost, as one change.

        Raises:
            NumberNotAvailable, AlreadyOwned, InsufficientBalance.
        """
        ...

    def rent_many(
        self, requests: Sequence[tuple[str, str | None]]
    ) -> list[OwnedNumber]:
        """Rent each `(msisdn, app_id)` and link it unless `app_id` is None.

        Returns the numbers in the order given. The batch is checked first: a
        number taken or listed twice, a missing application, a number without
        VOICE that would link, or a balance that does not pay every first month
        rejects it with nothing changed. The sandbox then rents the batch as one
        change. A live account rents one number at a time, because Vonage has no
        transaction, so a failure part-way leaves the earlier numbers rented.

        Raises:
            InvalidInput: an msisdn is not in Vonage form.
            BatchRejected: the check found problems; nothing changed.
            RentInterrupted: (live only) a rent or link failed after the check
                passed; the message names the numbers rented and those not rented.
        """
        ...

    def cancel(self, msisdn: str, *, seen: OwnedNumber | None = None) -> OwnedNumber:
        """Stop renting an owned number and return it to the inventory; return it.

        `seen` is the number as the user saw it when deciding: when another process
        has changed its link since, nothing changes.

        Raises:
            NotFound: the account does not own that number.
            ChangedElsewhere: the link is no longer the one in `seen`.
        """
        ...

    def owned_numbers(self, app_id: str | None = None) -> list[OwnedNumber]:
        """Return every owned number, or only those linked to `app_id`, by msisdn."""
        ...

    def owned_number(self, msisdn: str) -> OwnedNumber:
        """Return one owned number.

        Raises:
            NotFound: the account does not own that number.
        """
        ...

    def link(
        self, msisdn: str, app_id: str, *, seen: OwnedNumber | None = None
    ) -> OwnedNumber:
        """Link an owned number to an application, replacing any earlier link.

        `seen` is the number as the user saw it when deciding, as for `cancel`.

        Raises:
            NotFound: no such owned number or application.
            LinkNotAllowed: the number has no VOICE.
            ChangedElsewhere: the link is no longer the one in `seen`.
        """
        ...

    def unlink(self, msisdn: str, *, seen: OwnedNumber | None = None) -> OwnedNumber:
        """Clear the number's application link and return the number.

        `seen` is the number as the user saw it when deciding, as for `cancel`.

        Raises:
            NotFound: the account does not own that number.
            ChangedElsewhere: the link is no longer the one in `seen`.
        """
        ...

    def applications(self) -> list[Application]:
        """Return every application, by name."""
        ...

    def application(self, app_id: str) -> Application:
        """Return one application.

        Raises:
            NotFound: no application has that id.
        """
        ...

    def create_application(self, draft: ApplicationDraft) -> Application:
        """Create a voice application from a validated draft and return it.

        Raises:
            InvalidInput: a field is not valid.
        """
        ...

    def update_application(self, app_id: str, draft: ApplicationDraft) -> Application:
        """Replace every field of an application and return it.

        Raises:
            NotFound, InvalidInput.
        """
        ...

    def delete_application(
        self, app_id: str, *, seen_linked: Collection[str] | None = None
    ) -> list[OwnedNumber]:
        """Delete an application and unlink its numbers, as one change.

        Returns the numbers that were unlinked. `seen_linked` contains the msisdns the
        user saw linked to it when deciding: when others are linked now, nothing
        changes.

        Raises:
            NotFound: no application has that id.
            ChangedElsewhere: the linked numbers are no longer `seen_linked`.
        """
        ...

    def balance(self) -> Decimal:
        """Return the account balance in EUR."""
        ...


@runtime_checkable
class TakesPlayMoney(Protocol):
    """An account whose balance is play money that the user may add to: the sandbox."""

    def add_credit(self, amount: Decimal) -> Decimal:
        """Add `amount` EUR to the balance, log it, and return the new balance.

        Raises:
            InvalidInput: the amount is out of range or not in cents.
        """
        ...
