"""The live account: a real Vonage account driven through the official SDK.

Every change is sent to Vonage, then read back, and only the state that Vonage
returns is shown and written to the local cache. A failed change leaves the cache as
it was. When Vonage cannot be reached, reads come from the cache and changes raise
OfflineReadOnly.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from vonage_application import ApplicationData, ListApplicationsFilter
from vonage_numbers import (
    ListOwnedNumbersFilter,
    NumberParams,
    UpdateNumberParams,
)
from vonage_numbers import OwnedNumber as SdkOwnedNumber

from domain.applications import Application, ApplicationDraft, validate_draft
from domain.countries import find_country
from domain.errors import (
    AlreadyOwned,
    BatchRejected,
    LinkNotAllowed,
    NotFound,
    NumberNotAvailable,
    NumdeskError,
)
from domain.linking import check_link
from domain.numbers import (
    MAX_PAGE_SIZE,
    UNKNOWN_COST,
    AvailableNumber,
    OwnedNumber,
    Page,
    PatternMatch,
    SearchQuery,
    validate_msisdn,
)
from live import convert
from live.client import VonageClient
from live.config import save_private_key
from live.errors import (
    DeleteInterrupted,
    OfflineReadOnly,
    RemoteRejected,
    RemoteUnavailable,
    RentInterrupted,
    UnexpectedReply,
)
from live.lookup import region_of, valid_app_id
from live.rent_failure import explain_rent_failure, insufficient_balance
from store.cache import CachePart, LiveCache
from store.conflicts import check_link_unchanged, check_linked_unchanged

T = TypeVar("T")
Clock = Callable[[], datetime]
Notify = Callable[[str], None]

logger = logging.getLogger("numdesk.live")

# A bound on paging, so that a server that always offers a next page cannot keep
# numdesk in a loop: 1,000 pages of 100 is far more than any account holds.
MAX_PAGES = 1000


class LiveAccount:
    """A `domain.account.Account` on a real Vonage account, with a local cache.

    `label` names the account on screen (`live:LABEL`). `notify` receives one
    sentence for the user when reads switch to the cache and when a private key is
    saved in the folder `private_keys`. One instance may be called from several
    threads, because a lock runs the calls one at a time.
    """

    def __init__(
        self,
        label: str,
        client: VonageClient,
        cache: LiveCache,
        *,
        private_keys: Path,
        clock: Clock | None = None,
        notify: Notify | None = None,
    ) -> None:
        self.label = label
        self._client = client
        self._cache = cache
        self._private_keys = private_keys
        self._clock = clock or _utc_now
        self._notify = notify or _ignore
        self._lock = threading.RLock()
        self._offline = False
        # Numbers seen in searches, so that a rent uses the number's country and
        # cost as search returned them.
        self._offered: dict[str, AvailableNumber] = {}

    @property
    def name(self) -> str:
        return f"live:{self.label}"

    @property
    def charges_real_money(self) -> bool:
        return True

    @property
    def last_sync(self) -> datetime | None:
        """The oldest time at which a cached part was read from Vonage, or None."""
        return self._cache.last_sync()

    @property
    def offline(self) -> bool:
        """Whether the last read failed to reach Vonage and came from the cache."""
        return self._offline

    @property
    def reads_over_network(self) -> bool:
        """True: every read may wait for Vonage, up to the timeout of each attempt."""
        return True

    def close(self) -> None:
        """Close the cache file."""
        with self._lock:
            self._cache.close()

    # Numbers

    def search(self, query: SearchQuery) -> Page[AvailableNumber]:
        """Return one page of the numbers Vonage offers for `query`, with the total.

        Raises:
            InvalidInput: the country is unknown.
            RemoteUnavailable: search needs Vonage, so there is no cached result.
        """
        query = replace(query, country=find_country(query.country).code)
        with self._lock:
            items, count, _ = self._client.call(
                f"search numbers in {query.country}",
                functools.partial(
                    self._client.numbers.search_available_numbers,
                    convert.search_filter(query),
                ),
            )
            numbers = [
                number
                for number in map(convert.available_number, items)
                if number is not None
            ]
            self._offered.update((number.msisdn, number) for number in numbers)
        return Page(
            items=tuple(numbers), count=int(count), index=query.index, size=query.size
        )

    def available_number(self, msisdn: str) -> AvailableNumber:
        """Return the number `msisdn` as Vonage offers it now.

        Raises:
            InvalidInput: the msisdn is not in Vonage form.
            NumberNotAvailable: Vonage does not offer it.
            AlreadyOwned: this account rents it already.
        """
        validate_msisdn(msisdn)
        with self._lock:
            number = self._find_offered(msisdn)
            if number is None:
                raise self._not_offered(msisdn)
            return number

    def rent(self, msisdn: str) -> OwnedNumber:
        """Buy an available number, then read it and the balance back.

        The balance is checked first, so that a rent it cannot pay is never sent.

        Raises:
            InvalidInput, NumberNotAvailable, AlreadyOwned, InsufficientBalance.
            AddressRequired: the country needs address documents first.
            RemoteRejected: Vonage rejected it for another reason, given in the message.
            OfflineReadOnly: Vonage cannot be reached.
        """
        validate_msisdn(msisdn)
        with self._writing():
            number = self._offered.get(msisdn) or self.available_number(msisdn)
            balance = self._fetch_balance()
            if number.cost > balance:
                raise insufficient_balance(number, balance, None)
            try:
                self._change(
                    f"rent {msisdn}",
                    functools.partial(
                        self._client.numbers.buy_number,
                        NumberParams(country=number.country, msisdn=msisdn),
                    ),
                )
            except RemoteRejected as error:
                raise explain_rent_failure(
                    number,
                    error,
                    balance=self._fetch_balance,
                    owned=self.find_owned,
                    offered=self._find_offered,
                ) from error

            rented = self._read_back_owned(msisdn, number.cost)
            self._offered.pop(msisdn, None)
            self._cache.put_owned(rented)
            self._fetch_balance()
            return rented

    def rent_many(
        self, requests: Sequence[tuple[str, str | None]]
    ) -> list[OwnedNumber]:
        """Rent each `(msisdn, app_id)` and link it unless `app_id` is None.

        The batch is checked first, as the sandbox checks it, so that a number
        taken or listed twice, a missing application, a number without VOICE or a
        short balance changes nothing. Then each number is rented and linked with
        `rent` and `link`, one at a time, because Vonage has no transaction across
        requests. The first failure stops the batch, and numbers rented before it
        stay rented. Returns the numbers in the order given.

        Raises:
            InvalidInput: an msisdn is not in Vonage form.
            BatchRejected: the check found problems, one sentence each.
            RentInterrupted: a rent or link failed; the message names the numbers
                rented (and linked) before it and the numbers not rented.
            OfflineReadOnly: Vonage cannot be reached, and nothing has changed.
        """
        for msisdn, _ in requests:
            validate_msisdn(msisdn)
        with self._writing():
            applications: dict[str, Application] = {}
            problems = self._batch_problems(requests, applications)
            if problems:
                raise BatchRejected(problems)

            done: list[OwnedNumber] = []
            for msisdn, app_id in requests:
                try:
                    done.append(self.rent(msisdn))
                    if app_id is not None:
                        done[-1] = self.link(msisdn, app_id)
                except NumdeskError as error:
                    raise _rent_interrupted(
                        requests, done, applications, error
                    ) from error
            return done

    def _batch_problems(
        self,
        requests: Sequence[tuple[str, str | None]],
        applications: dict[str, Application],
    ) -> list[str]:
        """Return a sentence for each reason the batch cannot be rented, in order.

        Fills `applications` with the applications the batch links to, by id.
        """
        problems: list[str] = []
        listed: set[str] = set()
        total = Decimal(0)
        for msisdn, app_id in requests:
            if msisdn in listed:
                problems.append(f"{msisdn} is listed twice: list it once.")
                continue
            listed.add(msisdn)
            try:
                number = self._offered.get(msisdn) or self.available_number(msisdn)
                total += number.cost
                if app_id is not None:
                    if app_id not in applications:
                        applications[app_id] = self._fetch_application(app_id)
                    check_link(OwnedNumber(**vars(number)), applications[app_id])
            except (
                NumberNotAvailable,
                AlreadyOwned,
                NotFound,
                LinkNotAllowed,
            ) as error:
                problems.append(str(error))

        balance = self._fetch_balance()
        if total > balance:
            problems.append(
                f"The first month of all {len(requests)} numbers costs {total} EUR "
                f"but the balance is {balance} EUR: add credit in the Vonage "
                "dashboard or rent fewer numbers."
            )
        return problems

    def cancel(self, msisdn: str, *, seen: OwnedNumber | None = None) -> OwnedNumber:
        """Cancel an owned number and return it as it was, link included.

        `seen` is the number as the user saw it when confirming; its link must still
        be the one Vonage has.

        Raises:
            NotFound: the account does not own that number.
            ChangedElsewhere: the link is no longer the one in `seen`.
            RemoteRejected: Vonage rejected it, with its reason.
            OfflineReadOnly: Vonage cannot be reached.
        """
        with self._writing():
            number = self._fetch_owned(msisdn)
            self._check_seen(number, seen)
            self._change(
                f"cancel {msisdn}",
                functools.partial(
                    self._client.numbers.cancel_number,
                    NumberParams(country=number.country, msisdn=msisdn),
                ),
            )
            if self.find_owned(msisdn) is not None:
                raise UnexpectedReply(
                    f"Vonage accepted the cancel of {msisdn} but still lists it as "
                    "owned: check it in the Vonage dashboard."
                )
            self._cache.remove_owned(msisdn)
            return number

    def owned_numbers(self, app_id: str | None = None) -> list[OwnedNumber]:
        """Return every owned number, or those linked to `app_id`, by msisdn.

        The whole list refreshes the cache. When Vonage cannot be reached, the
        cached list is returned.
        """
        with self._lock:
            if app_id is None:
                return self._read(
                    CachePart.NUMBERS, self._sync_owned, self._cache.owned_numbers
                )
            return self._read(
                CachePart.NUMBERS,
                functools.partial(self._fetch_owned_numbers, app_id),
                functools.partial(self._cached_linked, app_id),
            )

    def owned_number(self, msisdn: str) -> OwnedNumber:
        """Return one owned number, from the cache when Vonage cannot be reached.

        Raises:
            NotFound: the account does not own that number.
        """
        with self._lock:
            return self._read(
                CachePart.NUMBERS,
                functools.partial(self._fetch_owned, msisdn),
                functools.partial(self._cached_owned, msisdn),
            )

    def link(
        self, msisdn: str, app_id: str, *, seen: OwnedNumber | None = None
    ) -> OwnedNumber:
        """Link an owned number to a voice application and return the number read back.

        `seen` is the number as the user saw it, as for `cancel`.

        Raises:
            NotFound: no such owned number or application.
            LinkNotAllowed: the number has no VOICE.
            OfflineReadOnly: Vonage cannot be reached.
        """
        with self._writing():
            number = self._fetch_owned(msisdn)
            application = self._fetch_application(app_id)
            check_link(number, application)
            if number.app_id == application.id:
                return number
            self._check_seen(number, seen)
            return self._set_link(number, application.id)

    def unlink(self, msisdn: str, *, seen: OwnedNumber | None = None) -> OwnedNumber:
        """Clear the number's application link and return the number read back.

        `seen` is the number as the user saw it, as for `cancel`.

        Raises:
            NotFound: the account does not own that number.
            OfflineReadOnly: Vonage cannot be reached.
        """
        with self._writing():
            number = self._fetch_owned(msisdn)
            if number.app_id is None:
                return number
            self._check_seen(number, seen)
            return self._set_link(number, None)

    # Applications

    def applications(self) -> list[Application]:
        """Return every voice application, by name ignoring case, then by id.

        Applications without voice capability are left out.
        """
        with self._lock:
            return self._read(
                CachePart.APPLICATIONS,
                self._sync_applications,
                self._cache.applications,
            )

    def application(self, app_id: str) -> Application:
        """Return one voice application, from the cache when Vonage cannot be reached.

        Raises:
            NotFound: no voice application has that id.
        """
        with self._lock:
            return self._read(
                CachePart.APPLICATIONS,
                functools.partial(self._fetch_application, app_id),
                functools.partial(self._cached_application, app_id),
            )

    def create_application(self, draft: ApplicationDraft) -> Application:
        """Create a voice application and return it as read back.

        A private key in Vonage's reply is saved next to the config file.

        Raises:
            InvalidInput: a field is not valid.
            RemoteRejected: Vonage rejected it, with its reason.
            OfflineReadOnly: Vonage cannot be reached.
        """
        config = convert.application_config(validate_draft(draft))
        with self._writing():
            created: ApplicationData = self._change(
                f"create the application {draft.name.strip()!r}",
                functools.partial(self._client.applications.create_application, config),
                safe_to_repeat=False,
            )
            self._keep_private_key(created)
            application = self._fetch_application(created.id)
            self._cache.put_application(application)
            return application

    def update_application(self, app_id: str, draft: ApplicationDraft) -> Application:
        """Replace the voice settings of an application and return it as read back.

        Its other capabilities, such as messages, are kept.

        Raises:
            NotFound: no voice application has that id.
            InvalidInput: a field is not valid.
            OfflineReadOnly: Vonage cannot be reached.
        """
        draft = validate_draft(draft)
        with self._writing():
            current = self._fetch_application_data(app_id)
            updated: ApplicationData = self._change(
                f"update the application {app_id}",
                functools.partial(
                    self._client.applications.update_application,
                    app_id,
                    convert.application_config(draft, current),
                ),
            )
            self._keep_private_key(updated)
            application = self._fetch_application(app_id)
            self._cache.put_application(application)
            return application

    def delete_application(
        self, app_id: str, *, seen_linked: Collection[str] | None = None
    ) -> list[OwnedNumber]:
        """Unlink an application's numbers, delete it, and return the numbers unlinked.

        Vonage has no transaction across requests: each number is unlinked, and read
        back, before the application is deleted. When a step fails after the first
        unlink, the numbers unlinked so far are linked back to the application.
        `seen_linked` contains the msisdns the user saw linked to it when confirming;
        they must still be the linked ones.

        Raises:
            NotFound: no voice application has that id.
            OfflineReadOnly: Vonage cannot be reached, and nothing has changed.
            DeleteInterrupted: a step failed after numbers were unlinked. The message
                names the numbers linked again and those that could not be.
        """
        with self._writing():
            application = self._fetch_application(app_id)
            linked = self._fetch_owned_numbers(application.id)
            if seen_linked is not None:
                check_linked_unchanged(application, linked, seen_linked)
            unlinked: list[OwnedNumber] = []
            try:
                for number in linked:
                    unlinked.append(self._set_link(number, None))
                self._delete_application_remotely(application)
            except NumdeskError as error:
                if not unlinked:
                    raise
                raise self._link_back(application, unlinked, error) from error
            self._cache.remove_application(application.id)
            return unlinked

    def _link_back(
        self,
        application: Application,
        unlinked: list[OwnedNumber],
        error: NumdeskError,
    ) -> DeleteInterrupted:
        """Link `unlinked` to `application` again after its delete failed with `error`.

        Returns the error to raise, which names any number left unlinked.
        """
        left_unlinked = []
        for number in unlinked:
            try:
                self._set_link(number, application.id)
            except NumdeskError:
                left_unlinked.append(number.msisdn)

        if not left_unlinked:
            numbers = (
                "number unlinked before the delete is"
                if len(unlinked) == 1
                else f"{len(unlinked)} numbers unlinked before the delete are"
            )
            return DeleteInterrupted(
                f"{error} The {numbers} linked to {application.name!r} again."
            )
        return DeleteInterrupted(
            f"{error} These numbers, unlinked before the delete, could not be linked "
            f"back and stay unlinked: {', '.join(left_unlinked)}. Link them again, or "
            "check them in the Vonage dashboard."
        )

    # Balance

    def balance(self) -> Decimal:
        """Return the balance in EUR, from the cache when Vonage cannot be reached."""
        with self._lock:
            return self._read(
                CachePart.BALANCE, self._fetch_balance, self._cached_balance
            )

    # Reading and changing through the client

    def _read(
        self, part: CachePart, fetch: Callable[[], T], cached: Callable[[], T]
    ) -> T:
        try:
            value = fetch()
        except RemoteUnavailable:
            synced_at = self._cache.synced_at(part)
            if synced_at is None:
                raise
            self._go_offline(synced_at)
            return cached()
        self._offline = False
        return value

    def _change(
        self, action: str, request: Callable[[], T], *, safe_to_repeat: bool = True
    ) -> T:
        return self._client.call(action, request, safe_to_repeat=safe_to_repeat)

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """Run a change under the lock.

        A RemoteUnavailable that cannot have changed anything becomes OfflineReadOnly.
        """
        with self._lock:
            try:
                yield
            except RemoteUnavailable as error:
                if error.may_have_applied:
                    raise
                synced_at = self._cache.last_sync()
                self._go_offline(synced_at)
                raise OfflineReadOnly(
                    f"{error} The live account {self.name} is read-only until Vonage "
                    f"can be reached again{_cached_since(synced_at)}."
                ) from error

    def _go_offline(self, synced_at: datetime | None) -> None:
        if not self._offline:
            self._notify(
                f"Vonage cannot be reached, so {self.name} shows its cache"
                f"{_cached_since(synced_at)} and is read-only."
            )
        self._offline = True

    # Numbers, fetched

    def _sync_owned(self) -> list[OwnedNumber]:
        numbers = self._fetch_owned_numbers(None)
        self._cache.replace_owned(numbers, self._clock())
        return self._cache.owned_numbers()

    def _fetch_owned_numbers(self, app_id: str | None) -> list[OwnedNumber]:
        numbers: list[OwnedNumber] = []
        index = 1
        for _ in range(MAX_PAGES):
            items, _count, next_index = self._client.call(
                "list the owned numbers",
                functools.partial(
                    self._client.numbers.list_owned_numbers,
                    ListOwnedNumbersFilter(
                        size=MAX_PAGE_SIZE, index=index, application_id=app_id
                    ),
                ),
            )
            numbers.extend(self._owned_from_sdk(items))
            if next_index is None or not items:
                return sorted(numbers, key=lambda number: number.msisdn)
            index = next_index
        raise UnexpectedReply(
            f"Vonage kept offering more pages of owned numbers after {MAX_PAGES}: "
            "try again later."
        )

    def find_owned(self, msisdn: str) -> OwnedNumber | None:
        """Return the owned number `msisdn` as Vonage lists it now, or None."""
        items, _count, _next = self._client.call(
            f"look up {msisdn}",
            functools.partial(
                self._client.numbers.list_owned_numbers,
                ListOwnedNumbersFilter(
                    pattern=msisdn,
                    search_pattern=PatternMatch.STARTS.api_code,
                    size=MAX_PAGE_SIZE,
                ),
            ),
        )
        for number in self._owned_from_sdk(items):
            if number.msisdn == msisdn:
                return number
        return None

    def _fetch_owned(self, msisdn: str) -> OwnedNumber:
        number = self.find_owned(msisdn)
        if number is None:
            self._cache.remove_owned(msisdn)
            raise _not_owned(msisdn)
        return number

    def _read_back_owned(self, msisdn: str, cost: Decimal) -> OwnedNumber:
        number = self.find_owned(msisdn)
        if number is None:
            raise UnexpectedReply(
                f"Vonage accepted the rent of {msisdn} but does not list it as owned "
                "yet: list the numbers again in a minute, or check the dashboard."
            )
        return number if number.cost_is_known else replace(number, cost=cost)

    def _owned_from_sdk(self, items: list[SdkOwnedNumber]) -> list[OwnedNumber]:
        numbers = []
        for item in items:
            number = convert.owned_number(item, self._known_cost(item.msisdn or ""))
            if number is not None:
                numbers.append(number)
        return numbers

    def _known_cost(self, msisdn: str) -> Decimal:
        offered = self._offered.get(msisdn)
        if offered is not None:
            return offered.cost
        cached = self._cache.known_cost(msisdn)
        return UNKNOWN_COST if cached is None else cached

    def _find_offered(self, msisdn: str) -> AvailableNumber | None:
        query = SearchQuery(
            country=region_of(msisdn),
            pattern=msisdn,
            match=PatternMatch.STARTS,
            size=MAX_PAGE_SIZE,
        )
        for number in self.search(query).items:
            if number.msisdn == msisdn:
                return number
        return None

    def _not_offered(self, msisdn: str) -> NumdeskError:
        if self.find_owned(msisdn) is not None:
            return AlreadyOwned(
                f"{msisdn} is already rented by this account: find it under owned "
                "numbers."
            )
        return _number_not_offered(msisdn)

    def _set_link(self, number: OwnedNumber, app_id: str | None) -> OwnedNumber:
        verb = "unlink" if app_id is None else "link"
        # The Numbers API specification does not say how to clear `app_id`; an
        # empty value is what the update form sends for "no application".
        self._change(
            f"{verb} {number.msisdn}",
            functools.partial(
                self._client.numbers.update_number,
                UpdateNumberParams(
                    country=number.country, msisdn=number.msisdn, app_id=app_id or ""
                ),
            ),
        )
        confirmed = self._fetch_owned(number.msisdn)
        if confirmed.app_id != app_id:
            raise UnexpectedReply(
                f"Vonage accepted the {verb} of {number.msisdn} but reads it back "
                f"linked to {confirmed.app_id or 'no application'}: check it in the "
                "Vonage dashboard."
            )
        self._cache.put_owned(confirmed)
        return confirmed

    def _check_seen(self, current: OwnedNumber, seen: OwnedNumber | None) -> None:
        if seen is not None:
            check_link_unchanged(current, seen.app_id, self._application_name)

    def _application_name(self, app_id: str) -> str:
        application = self._cache.application(app_id)
        return app_id if application is None else application.name

    def _cached_owned(self, msisdn: str) -> OwnedNumber:
        number = self._cache.owned_number(msisdn)
        if number is None:
            raise _not_owned(msisdn)
        return number

    def _cached_linked(self, app_id: str) -> list[OwnedNumber]:
        return [
            number for number in self._cache.owned_numbers() if number.app_id == app_id
        ]

    # Applications, fetched

    def _sync_applications(self) -> list[Application]:
        applications: list[Application] = []
        page: int | None = 1
        for _ in range(MAX_PAGES):
            if page is None:
                applications.sort(key=lambda item: (item.name.casefold(), item.id))
                self._cache.replace_applications(applications, self._clock())
                return applications
            items, page = self._client.call(
                "list the applications",
                functools.partial(
                    self._client.applications.list_applications,
                    ListApplicationsFilter(page_size=MAX_PAGE_SIZE, page=page),
                ),
            )
            if not items:
                # The SDK (vonage-application 2.0) offers a next page whenever
                # `page` differs from `total_pages`, which is 0 for no applications.
                page = None
            for item in items:
                application = convert.application(item)
                if application is not None:
                    applications.append(application)
        raise UnexpectedReply(
            f"Vonage kept offering more pages of applications after {MAX_PAGES}: "
            "try again later."
        )

    def _fetch_application_data(self, app_id: str) -> ApplicationData:
        if not valid_app_id(app_id):
            raise _no_application(app_id)
        try:
            data: ApplicationData = self._client.call(
                f"read the application {app_id}",
                functools.partial(self._client.applications.get_application, app_id),
            )
        except RemoteRejected as error:
            if error.failure.status == 404:
                self._cache.remove_application(app_id)
                raise _no_application(app_id) from error
            raise
        return data

    def _fetch_application(self, app_id: str) -> Application:
        application = convert.application(self._fetch_application_data(app_id))
        if application is None:
            raise NotFound(
                f"The application {app_id} has no voice capability, so numdesk cannot "
                "link numbers to it or show its webhooks: pick a voice application."
            )
        return application

    def _cached_application(self, app_id: str) -> Application:
        application = self._cache.application(app_id)
        if application is None:
            raise _no_application(app_id)
        return application

    def _delete_application_remotely(self, application: Application) -> None:
        try:
            self._change(
                f"delete the application {application.id}",
                functools.partial(
                    self._client.applications.delete_application, application.id
                ),
            )
        except RemoteRejected as error:
            # A retried delete may find that its first attempt already deleted it.
            if error.failure.status != 404:
                raise
        try:
            self._fetch_application_data(application.id)
        except NotFound:
            return
        raise UnexpectedReply(
            f"Vonage accepted the delete of {application.name!r} ({application.id}) "
            "but still returns it: check it in the Vonage dashboard."
        )

    def _keep_private_key(self, data: ApplicationData) -> None:
        key = convert.private_key(data)
        if key is None:
            return
        path = save_private_key(self._private_keys, data.id, key)
        self._notify(
            f"Saved the private key of application {data.id} to {path}, readable "
            "only by you. Vonage shows it only once."
        )

    # Balance, fetched

    def _fetch_balance(self) -> Decimal:
        reply = self._client.call("read the balance", self._client.account.get_balance)
        balance = convert.balance(reply.value)
        self._cache.put_balance(balance, self._clock())
        return balance

    def _cached_balance(self) -> Decimal:
        balance = self._cache.balance()
        if balance is None:
            raise AssertionError("a synced balance part has a balance row")
        return balance


def _not_owned(msisdn: str) -> NotFound:
    return NotFound(
        f"This account does not own {msisdn}: pick a number from the owned numbers."
    )


def _no_application(app_id: str) -> NotFound:
    return NotFound(
        f"No application has the id {app_id!r}: pick one from the applications list."
    )


def _number_not_offered(msisdn: str) -> NumberNotAvailable:
    return NumberNotAvailable(
        f"Vonage does not offer {msisdn} for rent: someone may have just rented it. "
        "Search again and pick another number."
    )


def _rent_interrupted(
    requests: Sequence[tuple[str, str | None]],
    done: list[OwnedNumber],
    applications: dict[str, Application],
    error: NumdeskError,
) -> RentInterrupted:
    """Return the error for a batch rent that `error` stopped after `done`.

    `done` contains the numbers rented so far. Its last number is unlinked when its
    link was the request that failed.
    """
    link_failed = bool(done) and done[-1].app_id != requests[len(done) - 1][1]
    completed = done[:-1] if link_failed else done
    failed_msisdn, failed_app_id = requests[len(completed)]
    not_rented = [msisdn for msisdn, _ in requests[len(done) :]]

    sentences = [str(error), "The batch stopped there."]
    if completed:
        still_rented = ", ".join(
            _rented_label(number, applications) for number in completed
        )
        sentences.append(
            f"Rented before the failure, and still rented: {still_rented}."
        )
    if link_failed:
        name = applications[str(failed_app_id)].name
        sentences.append(
            f"{failed_msisdn} is rented but not linked to {name!r}: link it again."
        )
    if not done:
        sentences.append("No number was rented.")
    if isinstance(error, RemoteUnavailable) and error.may_have_applied:
        sentences.append(
            f"The last request for {failed_msisdn} may have reached Vonage anyway: "
            "check it in the owned numbers."
        )
    if not_rented:
        sentences.append(f"Not rented: {', '.join(not_rented)}.")
    return RentInterrupted(" ".join(sentences))


def _rented_label(number: OwnedNumber, applications: dict[str, Application]) -> str:
    if number.app_id is None or number.app_id not in applications:
        return number.msisdn
    return f"{number.msisdn} (linked to {applications[number.app_id].name!r})"


def _cached_since(synced_at: datetime | None) -> str:
    if synced_at is None:
        return ""
    return f" (cache from {synced_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC)"


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _ignore(message: str) -> None:
    pass
