"""The live account against the HTTPS stand-in: real SDK calls, real cache file."""

from __future__ import annotations

import base64
import logging
import stat
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from domain.applications import ApplicationDraft, HttpMethod
from domain.errors import (
    AlreadyOwned,
    BatchRejected,
    ChangedElsewhere,
    InsufficientBalance,
    InvalidInput,
    LinkNotAllowed,
    NotFound,
    NumberNotAvailable,
)
from domain.numbers import (
    Feature,
    NumberType,
    PatternMatch,
    SearchQuery,
)
from live.account import LiveAccount
from live.client import VonageClient
from live.config import Credentials, Secret
from live.errors import (
    AddressRequired,
    BadCredentials,
    DeleteInterrupted,
    OfflineReadOnly,
    RemoteRejected,
    RemoteUnavailable,
    RentInterrupted,
)
from live.settings import ConnectionSettings
from store.cache import LiveCache, open_cache
from tests.conftest import fixed_clock
from tests.vonage_standin import (
    API_KEY,
    API_SECRET,
    Certificates,
    VonageStandIn,
    add_application,
    make_certificates,
    own_number,
)

BASIC_TOKEN = base64.b64encode(f"{API_KEY}:{API_SECRET}".encode()).decode()
DRAFT = ApplicationDraft(
    name="Support",
    answer_url="https://example.com/answer",
    event_url="https://example.com/event",
)
VOICE_NUMBER = "14155550001"  # mobile-lvn, SMS and VOICE, 1.25 EUR
SMS_NUMBER = "14155550002"  # toll-free, SMS only, 2.50 EUR


class Recorder:
    """A notify or sleep callback that keeps what it was given."""

    def __init__(self) -> None:
        self.calls: list[object] = []

    def __call__(self, value: object) -> None:
        self.calls.append(value)


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    return make_certificates(tmp_path_factory.mktemp("certificates"))


@pytest.fixture(autouse=True)
def trusted_stand_in_only(
    certificates: Certificates, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Trust the test CA and keep proxies from the environment out of the way."""
    for variable in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("NO_PROXY", "*")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(certificates.ca_path))


@pytest.fixture
def stand_in(certificates: Certificates) -> Iterator[VonageStandIn]:
    with VonageStandIn(certificates) as running:
        yield running


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[LiveCache]:
    opened = open_cache(tmp_path / "live.db")
    yield opened
    opened.close()


@pytest.fixture
def sleeps() -> Recorder:
    return Recorder()


@pytest.fixture
def notes() -> Recorder:
    return Recorder()


@pytest.fixture
def live(
    stand_in: VonageStandIn,
    cache: LiveCache,
    tmp_path: Path,
    sleeps: Recorder,
    notes: Recorder,
) -> LiveAccount:
    return make_account(stand_in, cache, tmp_path, sleeps, notes)


def make_account(
    stand_in: VonageStandIn,
    cache: LiveCache,
    tmp_path: Path,
    sleeps: Recorder,
    notes: Recorder,
    *,
    secret: str = API_SECRET,
    attempts: int = 2,
) -> LiveAccount:
    settings = ConnectionSettings(
        rest_host=stand_in.rest_host,
        api_host=stand_in.api_host,
        timeout_seconds=1,
        attempts=attempts,
        backoff_seconds=0.25,
    )
    client = VonageClient(Credentials(API_KEY, Secret(secret)), settings, sleep=sleeps)
    return LiveAccount(
        "test",
        client,
        cache,
        private_keys=tmp_path / "keys",
        clock=fixed_clock,
        notify=notes,
    )


# Search


def test_search_first_page(live: LiveAccount, stand_in: VonageStandIn) -> None:
    page = live.search(SearchQuery("US"))
    assert [number.msisdn for number in page.items][:2] == [
        "14155550000",
        "14155550001",
    ]
    assert page.count == 151
    assert len(page.items) == 10
    assert stand_in.requests[-1].query == {"country": "US", "size": "10", "index": "1"}


@pytest.mark.parametrize(
    ("query", "sent"),
    [
        (SearchQuery("US", type=NumberType.MOBILE), {"type": "mobile-lvn"}),
        (
            SearchQuery("US", features=frozenset({Feature.VOICE, Feature.SMS})),
            {"features": "SMS,VOICE"},
        ),
        (SearchQuery("US", features=frozenset({Feature.MMS})), {"features": "MMS"}),
        (SearchQuery("US", pattern="1415555001"), {"pattern": "1415555001"}),
        (
            SearchQuery("US", pattern="99", match=PatternMatch.ENDS),
            {"pattern": "99", "search_pattern": "2"},
        ),
        (
            SearchQuery("US", pattern="5550", match=PatternMatch.CONTAINS),
            {"pattern": "5550", "search_pattern": "1"},
        ),
        (SearchQuery("US", size=100), {"size": "100"}),
        (SearchQuery("US", size=50, index=3), {"size": "50", "index": "3"}),
    ],
)
def test_search_sends_filter(
    live: LiveAccount,
    stand_in: VonageStandIn,
    query: SearchQuery,
    sent: dict[str, str],
) -> None:
    live.search(query)
    assert sent.items() <= stand_in.requests[-1].query.items()


@pytest.mark.parametrize(
    ("query", "expected_count"),
    [
        (SearchQuery("US", type=NumberType.TOLL_FREE), 51),
        (SearchQuery("US", features=frozenset({Feature.MMS})), 37),
        (SearchQuery("US", pattern="1415555014"), 10),
        (SearchQuery("US", pattern="0149", match=PatternMatch.ENDS), 1),
        (SearchQuery("GB", features=frozenset({Feature.VOICE})), 1),
        (SearchQuery("FR"), 0),
    ],
)
def test_search_counts_matches(
    live: LiveAccount, query: SearchQuery, expected_count: int
) -> None:
    assert live.search(query).count == expected_count


def test_search_last_page_is_partial(live: LiveAccount) -> None:
    page = live.search(SearchQuery("US", size=100, index=2))
    assert len(page.items) == 51
    assert page.index == 2
    assert not page.has_next


def test_search_unknown_country_rejected(
    live: LiveAccount, stand_in: VonageStandIn
) -> None:
    with pytest.raises(InvalidInput):
        live.search(SearchQuery("XX"))
    assert stand_in.requests == []


def test_search_leaves_out_unknown_type(
    live: LiveAccount, stand_in: VonageStandIn
) -> None:
    stand_in.stock["14155550000"].type = "mobile-shortcode"
    page = live.search(SearchQuery("US", size=2))
    assert [number.msisdn for number in page.items] == ["14155550001"]


# Available numbers and renting


def test_available_number_found(live: LiveAccount) -> None:
    number = live.available_number(VOICE_NUMBER)
    assert number.country == "US"
    assert number.cost == Decimal("1.25")


def test_available_number_owned(live: LiveAccount, stand_in: VonageStandIn) -> None:
    own_number(stand_in, VOICE_NUMBER)
    with pytest.raises(AlreadyOwned):
        live.available_number(VOICE_NUMBER)


def test_available_number_missing(live: LiveAccount) -> None:
    with pytest.raises(NumberNotAvailable):
        live.available_number("14155559999")


def test_rent_buys_and_reads_back(
    live: LiveAccount, stand_in: VonageStandIn, cache: LiveCache
) -> None:
    rented = live.rent(VOICE_NUMBER)
    assert rented.msisdn == VOICE_NUMBER
    assert rented.cost == Decimal("1.25")
    assert VOICE_NUMBER in stand_in.owned
    assert stand_in.balance == Decimal("8.75")
    assert cache.balance() == Decimal("8.75")
    assert [number.msisdn for number in cache.owned_numbers()] == [VOICE_NUMBER]


def test_rent_reads_number_back_after_buy(
    live: LiveAccount, stand_in: VonageStandIn
) -> None:
    live.rent(VOICE_NUMBER)
    paths = stand_in.paths()
    buy = paths.index("/number/buy")
    assert "/account/numbers" in paths[buy:]
    buy_request = stand_in.requests[buy]
    assert buy_request.form == {"country": "US", "msisdn": VOICE_NUMBER}
    assert buy_request.content_type.startswith("application/x-www-form-urlencoded")


def test_rent_after_applications_uses_form(
    live: LiveAccount, stand_in: VonageStandIn
) -> None:
    live.create_application(DRAFT)
    live.rent(VOICE_NUMBER)
    buy = stand_in.requests[stand_in.paths().index("/number/buy")]
    assert buy.content_type.startswith("application/x-www-form-urlencoded")


def test_rent_low_balance_sends_nothing(
    live: LiveAccount, stand_in: VonageStandIn
) -> None:
    stand_in.balance = Decimal("1.00")
    with pytest.raises(InsufficientBalance, match=r"1\.25 EUR a month"):
        live.rent(VOICE_NUMBER)
    assert "/number/buy" not in stand_in.paths()


@pytest.mark.parametrize(
    ("label", "error_type", "words"),
    [
        ("insufficient funds", InsufficientBalance, "add credit"),
        ("Numbers in DE require a valid address", AddressRequired, "Vonage says"),
        ("number not available", NumberNotAvailable, "no longer has"),
        ("number already owned", AlreadyOwned, "already rented"),
    ],
)
def test_rent_rejection_label_explained(
    live: LiveAccount,
    stand_in: VonageStandIn,
    label: str,
    error_type: type[Exception],
    words: str,
) -> None:
    stand_in.fail(
        "POST",
        "/number/buy",
        420,
        body={"error-code": "420", "error-code-label": label},
    )
    with pytest.raises(error_type) as raised:
        live.rent(VOICE_NUMBER)
    assert words in str(raised.value)
    assert "HTTP 420" in str(raised.value)


def test_rent_method_failed_guesses_address(
    live: LiveAccount, stand_in: VonageStandIn
) -> None:
    stand_in.address_required["DE"] = "method failed"
    with pytest.raises(AddressRequired, match="likely cause") as raised:
        live.rent("4915112345678")
    assert "HTTP 420" in str(raised.value)
    assert "'method failed'" in str(raised.value)


def test_rent_taken_meanwhile(live: LiveAccount, stand_in: VonageStandIn) -> None:
    live.search(SearchQuery("US"))
    del stand_in.stock[VOICE_NUMBER]
    with pytest.raises(NumberNotAvailable, match="no longer has"):
        live.rent(VOICE_NUMBER)


def test_rent_failure_leaves_cache(
    live: LiveAccount, stand_in: VonageStandIn, cache: LiveCache
) -> None:
    own_number(stand_in, SMS_NUMBER)
    live.owned_numbers()
    before = cache.owned_numbers()
    stand_in.fail("POST", "/number/buy", 420)
    with pytest.raises(RemoteRejected):
        live.rent(VOICE_NUMBER)
    assert cache.owned_numbers() == before


def test_rent_error_code_in_200_reply(
    live: LiveAccount, stand_in: VonageStandIn
) -> None:
    stand_in.fail(
        "POST",
        "/number/buy",
        200,
        body={"error-code": "420", "error-code-label": "insufficient credit"},
    )
    with pytest.raises(InsufficientBalance, match="HTTP 200, error code 420"):
        live.rent(VOICE_NUMBER)


# Renting a batch

VOICE_LANDLINE = "14155550000"  # landline, VOICE only, 0.90 EUR
OTHER_VOICE = "14155550003"  # landline, SMS, VOICE and MMS, 0.90 EUR


def test_rent_many_rents_and_links(
    live: LiveAccount, stand_in: VonageStandIn, cache: LiveCache
) -> None:
    app_id = add_application(stand_in, "Support")

    rented = live.rent_many([(VOICE_LANDLINE, app_id), (VOICE_NUMBER, None)])

    assert [(n.msisdn, n.app_id) for n in rented] == [
        (VOICE_LANDLINE, app_id),
        (VOICE_NUMBER, None),
    ]
    assert stand_in.owned[VOICE_LANDLINE].app_id == app_id
    assert stand_in.owned[VOICE_NUMBER].app_id is None
    assert stand_in.balance == Decimal("7.85")
    assert [number.msisdn for number in cache.owned_numbers()] == [
        VOICE_LANDLINE,
        VOICE_NUMBER,
    ]


@pytest.mark.parametrize(
    ("problem", "words"),
    [
        ("taken", "already rented"),
        ("twice", "listed twice"),
        ("no-app", "No application"),
        ("no-voice", "no VOICE feature"),
        ("balance", "The first month of all 2 numbers costs 2.15 EUR"),
    ],
)
def test_rent_many_checks_first(
    live: LiveAccount, stand_in: VonageStandIn, problem: str, words: str
) -> None:
    app_id = add_application(stand_in, "Support")
    requests: list[tuple[str, str | None]] = [
        (VOICE_LANDLINE, app_id),
        (VOICE_NUMBER, None),
    ]
    if problem == "taken":
        own_number(stand_in, VOICE_NUMBER)
    elif problem == "twice":
        requests.append((VOICE_LANDLINE, None))
    elif problem == "no-app":
        requests[1] = (VOICE_NUMBER, "aaaaaaaa-0000-4000-8000-000000000099")
    elif problem == "no-voice":
        requests[1] = (SMS_NUMBER, app_id)
    else:
        stand_in.balance = Decimal("2.00")

    with pytest.raises(BatchRejected) as raised:
        live.rent_many(requests)

    assert len(raised.value.problems) == 1
    assert words in raised.value.problems[0]
    assert "/number/buy" not in stand_in.paths()
    assert "/number/update" not in stand_in.paths()


def test_rent_many_second_buy_fails(live: LiveAccount, stand_in: VonageStandIn) -> None:
    app_id = add_application(stand_in, "Support")
    # The first buy goes through; the second is rejected.
    stand_in.slow("POST", "/number/buy", 0.01)
    stand_in.fail("POST", "/number/buy", 420)

    with pytest.raises(RentInterrupted) as raised:
        live.rent_many(
            [(VOICE_LANDLINE, app_id), (VOICE_NUMBER, app_id), (OTHER_VOICE, None)]
        )

    message = str(raised.value)
    assert "HTTP 420" in message
    assert (
        f"Rented before the failure, and still rented: {VOICE_LANDLINE} (linked to "
        "'Support')." in message
    )
    assert f"Not rented: {VOICE_NUMBER}, {OTHER_VOICE}." in message
    assert list(stand_in.owned) == [VOICE_LANDLINE]
    assert stand_in.owned[VOICE_LANDLINE].app_id == app_id


def test_rent_many_first_buy_fails(live: LiveAccount, stand_in: VonageStandIn) -> None:
    stand_in.fail("POST", "/number/buy", 420)

    with pytest.raises(RentInterrupted) as raised:
        live.rent_many([(VOICE_LANDLINE, None), (VOICE_NUMBER, None)])

    message = str(raised.value)
    assert "No number was rented." in message
    assert f"Not rented: {VOICE_LANDLINE}, {VOICE_NUMBER}." in message
    assert "still rented" not in message
    assert stand_in.owned == {}


def test_rent_many_link_fails(live: LiveAccount, stand_in: VonageStandIn) -> None:
    app_id = add_application(stand_in, "Support")
    stand_in.fail("POST", "/number/update", 420)

    with pytest.raises(RentInterrupted) as raised:
        live.rent_many([(VOICE_LANDLINE, app_id), (VOICE_NUMBER, app_id)])

    message = str(raised.value)
    assert f"{VOICE_LANDLINE} is rented but not linked to 'Support'" in message
    assert f"Not rented: {VOICE_NUMBER}." in message
    assert "No number was rented." not in message
    assert "still rented" not in message
    assert list(stand_in.owned) == [VOICE_LANDLINE]
    assert stand_in.owned[VOICE_LANDLINE].app_id is None


# Cancel, list, link, unlink


def test_cancel_returns_number(live: LiveAccount, stand_in: VonageStandIn) -> None:
    app_id = add_application(stand_in, "Support")
    own_number(stand_in, VOICE_NUMBER, app_id)
    cancelled = live.cancel(VOICE_NUMBER)
    assert cancelled.app_id == app_id
    assert VOICE_NUMBER not in stand_in.owned
    assert stand_in.requests[-2].form == {"country": "US", "msisdn": VOICE_NUMBER}


def test_cancel_not_owned(live: LiveAccount, stand_in: VonageStandIn) -> None:
    with pytest.raises(NotFound):
        live.cancel(VOICE_NUMBER)
    assert "/number/cancel" not in stand_in.paths()


def test_cancel_rejected_keeps_cache(
    live: LiveAccount, stand_in: VonageStandIn, cache: LiveCache
) -> None:
    own_number(stand_in, VOICE_NUMBER)
    live.owned_numbers()
    stand_in.fail("POST", "/number/cancel", 420)
    with pytest.raises(RemoteRejected, match="HTTP 420"):
        live.cancel(VOICE_NUMBER)
    assert [number.msisdn for number in cache.owned_numbers()] == [VOICE_NUMBER]


def test_owned_numbers_follows_pages(
    live: LiveAccount, stand_in: VonageStandIn
) -> None:
    for index in range(120):
        own_number(stand_in, f"1415555{index:04d}")
    owned = live.owned_numbers()
    assert len(owned) == 120
    assert [request.query.get("index") for request in stand_in.requests] == ["1", "2"]


def test_owned_numbers_by_application(
    live: LiveAccount, stand_in: VonageStandIn
) -> None:
    app_id = add_application(stand_in, "Support")
    own_number(stand_in, VOICE_NUMBER, app_id)
    own_number(stand_in, SMS_NUMBER)
    linked = live.owned_numbers(app_id)
    assert [number.msisdn for number in linked] == [VOICE_NUMBER]
    assert stand_in.requests[-1].query["application_id"] == app_id


def test_owned_cost_unknown_until_seen(
    live: LiveAccount, stand_in: VonageStandIn
) -> None:
    own_number(stand_in, VOICE_NUMBER)
    assert not live.owned_number(VOICE_NUMBER).cost_is_known


def test_owned_free_number_cost_stays_known(
    live: LiveAccount, stand_in: VonageStandIn, cache: LiveCache, tmp_path: Path
) -> None:
    stand_in.stock[VOICE_NUMBER].cost = "0.00"
    live.rent(VOICE_NUMBER)
    restarted = make_account(stand_in, cache, tmp_path, Recorder(), Recorder())
    assert restarted.owned_number(VOICE_NUMBER).cost == Decimal("0.00")


def test_link_reads_back(live: LiveAccount, stand_in: VonageStandIn) -> None:
    app_id = add_application(stand_in, "Support")
    own_number(stand_in, VOICE_NUMBER)
    linked = live.link(VOICE_NUMBER, app_id)
    assert linked.app_id == app_id
    assert stand_in.owned[VOICE_NUMBER].app_id == app_id
    update = stand_in.requests[stand_in.paths().index("/number/update")]
    assert update.form == {"country": "US", "msisdn": VOICE_NUMBER, "app_id": app_id}


def test_link_replaces_other_link(live: LiveAccount, stand_in: VonageStandIn) -> None:
    first = add_application(stand_in, "First")
    second = add_application(stand_in, "Second")
    own_number(stand_in, VOICE_NUMBER, first)
    assert live.link(VOICE_NUMBER, second).app_id == second


def test_link_without_voice_rejected(
    live: LiveAccount, stand_in: VonageStandIn
) -> None:
    app_id = add_application(stand_in, "Support")
    own_number(stand_in, SMS_NUMBER)
    with pytest.raises(LinkNotAllowed):
        live.link(SMS_NUMBER, app_id)
    assert "/number/update" not in stand_in.paths()


@pytest.mark.parametrize("voice", [True, False])
def test_link_missing_or_non_voice_app(
    live: LiveAccount, stand_in: VonageStandIn, voice: bool
) -> None:
    own_number(stand_in, VOICE_NUMBER)
    app_id = add_application(stand_in, "Messages", voice=False) if not voice else "x-1"
    with pytest.raises(NotFound):
        live.link(VOICE_NUMBER, app_id)


def test_link_unsafe_app_id(live: LiveAccount, stand_in: VonageStandIn) -> None:
    own_number(stand_in, VOICE_NUMBER)
    with pytest.raises(NotFound):
        live.link(VOICE_NUMBER, "../../account/numbers")
    assert not any(path.startswith("/v2") for path in stand_in.paths())


def test_unlink_clears_app_id(live: LiveAccount, stand_in: VonageStandIn) -> None:
    app_id = add_application(stand_in, "Support")
    own_number(stand_in, VOICE_NUMBER, app_id)
    assert live.unlink(VOICE_NUMBER).app_id is None
    assert stand_in.owned[VOICE_NUMBER].app_id is None


def test_unlink_unlinked_sends_nothing(
    live: LiveAccount, stand_in: VonageStandIn
) -> None:
    own_number(stand_in, VOICE_NUMBER)
    live.unlink(VOICE_NUMBER)
    assert "/number/update" not in stand_in.paths()


# Applications


def test_applications_voice_only_sorted(
    live: LiveAccount, stand_in: VonageStandIn
) -> None:
    add_application(stand_in, "zeta")
    add_application(stand_in, "Messages only", voice=False)
    add_application(stand_in, "Alpha")
    assert [app.name for app in live.applications()] == ["Alpha", "zeta"]


def test_applications_none(live: LiveAccount, stand_in: VonageStandIn) -> None:
    assert live.applications() == []
    assert len(stand_in.requests) == 1


def test_applications_follow_pages(live: LiveAccount, stand_in: VonageStandIn) -> None:
    for index in range(105):
        add_application(stand_in, f"app {index:03d}")
    assert len(live.applications()) == 105
    assert [request.query["page"] for request in stand_in.requests] == ["1", "2"]


def test_create_application_reads_back(
    live: LiveAccount, stand_in: VonageStandIn, cache: LiveCache
) -> None:
    created = live.create_application(DRAFT)
    sent = stand_in.requests[0].json
    assert sent["name"] == "Support"
    assert sent["capabilities"]["voice"]["webhooks"]["answer_url"] == {
        "address": "https://example.com/answer",
        "http_method": "GET",
    }
    assert created.answer_url == "https://example.com/answer"
    assert stand_in.paths()[1] == f"/v2/applications/{created.id}"
    assert cache.application(created.id) == created


def test_create_application_saves_private_key(
    live: LiveAccount, tmp_path: Path, notes: Recorder
) -> None:
    created = live.create_application(DRAFT)
    key_file = tmp_path / "keys" / f"{created.id}.key"
    assert "stand-in key of" in key_file.read_text()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert str(key_file) in str(notes.calls[-1])


def test_create_application_invalid_draft(
    live: LiveAccount, stand_in: VonageStandIn
) -> None:
    with pytest.raises(InvalidInput):
        live.create_application(ApplicationDraft("", "https://a.example", "x"))
    assert stand_in.requests == []


def test_create_application_not_repeated(
    live: LiveAccount, stand_in: VonageStandIn, cache: LiveCache
) -> None:
    stand_in.fail("POST", "/v2/applications", 500)
    with pytest.raises(RemoteUnavailable, match="may have happened"):
        live.create_application(DRAFT)
    assert stand_in.paths("POST") == ["/v2/applications"]
    assert cache.applications() == []


def test_create_application_rejected_with_trace(
    live: LiveAccount, stand_in: VonageStandIn
) -> None:
    stand_in.fail("POST", "/v2/applications", 400)
    with pytest.raises(RemoteRejected, match="trace id trace-400-0001"):
        live.create_application(DRAFT)


def test_update_application_keeps_messages(
    live: LiveAccount, stand_in: VonageStandIn
) -> None:
    app_id = add_application(stand_in, "Support")
    draft = ApplicationDraft(
        "Support 2",
        "https://example.com/v2/answer",
        "https://example.com/v2/event",
        answer_method=HttpMethod.POST,
        fallback_answer_url="https://example.com/fallback",
    )
    updated = live.update_application(app_id, draft)
    stored = stand_in.applications[app_id]
    assert updated.name == "Support 2"
    assert updated.answer_method is HttpMethod.POST
    assert updated.fallback_answer_url == "https://example.com/fallback"
    assert "messages" in stored["capabilities"]


def test_update_application_missing(live: LiveAccount) -> None:
    with pytest.raises(NotFound):
        live.update_application("aaaaaaaa-0000-4000-8000-000000000099", DRAFT)


def test_delete_application_unlinks_first(
    live: LiveAccount, stand_in: VonageStandIn, cache: LiveCache
) -> None:
    app_id = add_application(stand_in, "Support")
    own_number(stand_in, VOICE_NUMBER, app_id)
    unlinked = live.delete_application(app_id)
    assert [number.msisdn for number in unlinked] == [VOICE_NUMBER]
    assert unlinked[0].app_id is None
    assert app_id not in stand_in.applications
    methods = [request.method for request in stand_in.requests]
    assert methods.index("POST") < methods.index("DELETE")
    assert cache.application(app_id) is None


def test_delete_failure_links_numbers_back(
    live: LiveAccount, stand_in: VonageStandIn
) -> None:
    app_id = add_application(stand_in, "Support")
    own_number(stand_in, VOICE_NUMBER, app_id)
    own_number(stand_in, SMS_NUMBER, app_id)
    stand_in.fail("DELETE", f"/v2/applications/{app_id}", 500, times=2)
    with pytest.raises(
        DeleteInterrupted,
        match="The 2 numbers unlinked before the delete are linked to 'Support' again",
    ):
        live.delete_application(app_id)
    assert [number.app_id for number in stand_in.owned.values()] == [app_id, app_id]
    assert app_id in stand_in.applications


def test_delete_failure_names_numbers_left_unlinked(
    live: LiveAccount, stand_in: VonageStandIn
) -> None:
    app_id = add_application(stand_in, "Support")
    own_number(stand_in, VOICE_NUMBER, app_id)
    stand_in.fail("DELETE", f"/v2/applications/{app_id}", 500, times=2)
    # The unlink goes through; linking back is rejected.
    stand_in.slow("POST", "/number/update", 0.01)
    stand_in.fail("POST", "/number/update", 420)
    with pytest.raises(DeleteInterrupted, match=f"stay unlinked: {VOICE_NUMBER}\\."):
        live.delete_application(app_id)
    assert stand_in.owned[VOICE_NUMBER].app_id is None


def test_delete_first_unlink_failure_changes_nothing(
    live: LiveAccount, stand_in: VonageStandIn
) -> None:
    app_id = add_application(stand_in, "Support")
    own_number(stand_in, VOICE_NUMBER, app_id)
    stand_in.fail("POST", "/number/update", 420)
    with pytest.raises(RemoteRejected):
        live.delete_application(app_id)
    assert stand_in.owned[VOICE_NUMBER].app_id == app_id
    assert "DELETE" not in [request.method for request in stand_in.requests]


def test_cancel_seen_linked_elsewhere(
    live: LiveAccount, stand_in: VonageStandIn
) -> None:
    own_number(stand_in, VOICE_NUMBER)
    seen = live.owned_number(VOICE_NUMBER)
    app_id = add_application(stand_in, "Support")
    stand_in.owned[VOICE_NUMBER].app_id = app_id

    with pytest.raises(ChangedElsewhere, match="was not linked and is now linked"):
        live.cancel(VOICE_NUMBER, seen=seen)
    assert VOICE_NUMBER in stand_in.owned


def test_delete_seen_linked_changed(live: LiveAccount, stand_in: VonageStandIn) -> None:
    app_id = add_application(stand_in, "Support")
    own_number(stand_in, VOICE_NUMBER, app_id)

    with pytest.raises(ChangedElsewhere, match=f"none before, {VOICE_NUMBER} now"):
        live.delete_application(app_id, seen_linked=[])
    assert app_id in stand_in.applications
    assert stand_in.owned[VOICE_NUMBER].app_id == app_id


def test_application_missing_has_trace_id(live: LiveAccount) -> None:
    with pytest.raises(NotFound, match="No application has the id"):
        live.application("aaaaaaaa-0000-4000-8000-000000000099")


# Balance


def test_balance_is_decimal(live: LiveAccount, stand_in: VonageStandIn) -> None:
    stand_in.balance = Decimal("12.34")
    assert live.balance() == Decimal("12.34")


# Failures and retries


@pytest.mark.parametrize(
    ("method", "path", "operation"),
    [
        ("GET", "/number/search", lambda live: live.search(SearchQuery("US"))),
        ("GET", "/account/numbers", lambda live: live.owned_numbers()),
        ("GET", "/account/get-balance", lambda live: live.balance()),
        ("GET", "/v2/applications", lambda live: live.applications()),
        ("POST", "/v2/applications", lambda live: live.create_application(DRAFT)),
    ],
)
def test_bad_credentials_explained(
    stand_in: VonageStandIn,
    cache: LiveCache,
    tmp_path: Path,
    method: str,
    path: str,
    operation: Callable[[LiveAccount], object],
) -> None:
    live = make_account(
        stand_in, cache, tmp_path, Recorder(), Recorder(), secret="wrong-secret"
    )
    with pytest.raises(BadCredentials, match="HTTP 401") as raised:
        operation(live)
    assert "numdesk account add" in str(raised.value)
    assert stand_in.paths() == [path]


@pytest.mark.parametrize("status", [429, 500, 503])
def test_retried_then_succeeds(
    live: LiveAccount, stand_in: VonageStandIn, sleeps: Recorder, status: int
) -> None:
    stand_in.fail("GET", "/account/get-balance", status)
    assert live.balance() == Decimal("10.00")
    assert stand_in.paths() == ["/account/get-balance"] * 2
    assert sleeps.calls == [0.25]


def test_retry_after_honoured(
    live: LiveAccount, stand_in: VonageStandIn, sleeps: Recorder
) -> None:
    stand_in.fail("GET", "/account/get-balance", 429, headers={"Retry-After": "7"})
    live.balance()
    assert sleeps.calls == [7.0]


def test_backoff_doubles(
    stand_in: VonageStandIn, cache: LiveCache, tmp_path: Path, sleeps: Recorder
) -> None:
    live = make_account(stand_in, cache, tmp_path, sleeps, Recorder(), attempts=4)
    stand_in.fail("GET", "/number/search", 500, times=3)
    live.search(SearchQuery("US"))
    assert sleeps.calls == [0.25, 0.5, 1.0]


@pytest.mark.parametrize("status", [429, 500])
def test_retries_bounded(
    live: LiveAccount, stand_in: VonageStandIn, status: int
) -> None:
    stand_in.fail("GET", "/number/search", status, times=5)
    with pytest.raises(RemoteUnavailable, match=f"HTTP {status}") as raised:
        live.search(SearchQuery("US"))
    assert "after 2 attempts" in str(raised.value)
    assert len(stand_in.paths()) == 2


def test_slow_reply_times_out(live: LiveAccount, stand_in: VonageStandIn) -> None:
    stand_in.slow("GET", "/number/search", 3, times=2)
    with pytest.raises(RemoteUnavailable, match="did not answer after waiting 1 s"):
        live.search(SearchQuery("US"))


def test_slow_reply_retried(live: LiveAccount, stand_in: VonageStandIn) -> None:
    stand_in.slow("GET", "/number/search", 3)
    assert live.search(SearchQuery("US")).count == 151


def test_slow_buy_not_called_done(
    live: LiveAccount, stand_in: VonageStandIn, cache: LiveCache
) -> None:
    live.available_number(VOICE_NUMBER)
    stand_in.slow("POST", "/number/buy", 3, times=2)
    with pytest.raises(RemoteUnavailable, match="may have happened"):
        live.rent(VOICE_NUMBER)
    assert cache.owned_numbers() == []


def test_untrusted_certificate(
    live: LiveAccount, stand_in: VonageStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("REQUESTS_CA_BUNDLE")
    with pytest.raises(RemoteUnavailable, match="REQUESTS_CA_BUNDLE"):
        live.balance()


# Offline


def sync_everything(live: LiveAccount) -> None:
    live.owned_numbers()
    live.applications()
    live.balance()


def test_offline_reads_cache(
    live: LiveAccount, stand_in: VonageStandIn, notes: Recorder
) -> None:
    app_id = add_application(stand_in, "Support")
    own_number(stand_in, VOICE_NUMBER, app_id)
    sync_everything(live)
    stand_in.stop()
    assert [number.msisdn for number in live.owned_numbers()] == [VOICE_NUMBER]
    assert [app.id for app in live.applications()] == [app_id]
    assert live.application(app_id).name == "Support"
    assert live.owned_number(VOICE_NUMBER).app_id == app_id
    assert [number.msisdn for number in live.owned_numbers(app_id)] == [VOICE_NUMBER]
    assert live.balance() == Decimal("10.00")
    assert live.offline
    assert len(notes.calls) == 1
    assert "2026-01-15 09:30 UTC" in str(notes.calls[0])


def test_offline_last_sync(live: LiveAccount, stand_in: VonageStandIn) -> None:
    assert live.last_sync is None
    sync_everything(live)
    assert live.last_sync == fixed_clock()


@pytest.mark.parametrize(
    "change",
    [
        lambda live: live.rent(VOICE_NUMBER),
        lambda live: live.cancel(VOICE_NUMBER),
        lambda live: live.unlink(VOICE_NUMBER),
        lambda live: live.create_application(DRAFT),
    ],
)
def test_offline_changes_rejected(
    live: LiveAccount,
    stand_in: VonageStandIn,
    cache: LiveCache,
    change: Callable[[LiveAccount], object],
) -> None:
    own_number(stand_in, VOICE_NUMBER)
    sync_everything(live)
    stand_in.stop()
    with pytest.raises(OfflineReadOnly, match="read-only"):
        change(live)
    assert [number.msisdn for number in cache.owned_numbers()] == [VOICE_NUMBER]


def test_offline_without_cache(live: LiveAccount, stand_in: VonageStandIn) -> None:
    stand_in.stop()
    with pytest.raises(RemoteUnavailable, match="cannot be reached"):
        live.owned_numbers()


def test_offline_search_unavailable(live: LiveAccount, stand_in: VonageStandIn) -> None:
    sync_everything(live)
    stand_in.stop()
    with pytest.raises(RemoteUnavailable):
        live.search(SearchQuery("US"))


def test_back_online_clears_offline(live: LiveAccount, stand_in: VonageStandIn) -> None:
    sync_everything(live)
    stand_in.fail("GET", "/account/get-balance", 503, times=2)
    live.balance()
    assert live.offline
    live.balance()
    assert not live.offline


# The secret


def test_secret_not_in_logs(
    live: LiveAccount, stand_in: VonageStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    app_id = add_application(stand_in, "Support")
    stand_in.fail("GET", "/account/get-balance", 500)
    stand_in.fail("POST", "/number/buy", 420)
    live.balance()
    with pytest.raises(RemoteRejected):
        live.rent(VOICE_NUMBER)
    live.rent(VOICE_NUMBER)
    live.link(VOICE_NUMBER, app_id)
    live.create_application(DRAFT)
    assert caplog.records
    for record in caplog.records:
        message = record.getMessage()
        assert API_SECRET not in message
        assert BASIC_TOKEN not in message


def test_secret_not_in_repr(live: LiveAccount) -> None:
    credentials = Credentials(API_KEY, Secret(API_SECRET))
    assert API_SECRET not in repr(credentials)
    assert API_SECRET not in str(credentials.api_secret)
    assert API_SECRET not in repr(live.__dict__)
