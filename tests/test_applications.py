"""Application drafts, URL checks, countries and the linking rules."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import phonenumbers
import pytest
from phonenumbers import geocoder
from phonenumbers.geodata.locale import LOCALE_DATA

from domain.applications import (
    Application,
    ApplicationDraft,
    HttpMethod,
    clashing_answer_parameters,
    displayed_url,
    distinct_names,
    find_application,
    unreachable_webhooks,
    validate_draft,
    validate_name,
    validate_webhook_url,
    webhook_warnings,
)
from domain.countries import all_countries, country_from_locale, find_country
from domain.errors import InvalidInput, LinkNotAllowed, NotFound
from domain.linking import check_link, relinks
from domain.numbers import Feature, NumberType, OwnedNumber


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/answer",
        "http://localhost:3000/webhooks/answer",
        "HTTPS://EXAMPLE.COM",
        "https://example.com/answer?x=1&y=[2]",
        "http://127.0.0.1:8080/a",
        "http://[::1]:3000/a",
        "https://my-app.ngrok-free.app:8443/answer",
        "https://münchen.de/answer",
    ],
)
def test_webhook_url_accepts(url: str) -> None:
    assert validate_webhook_url(f"  {url} ", "answer_url") == url


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", "answer_url is missing"),
        ("   ", "answer_url is missing"),
        ("ftp://example.com/answer", "is not http or https"),
        ("example.com/answer", "is not http or https"),
        ("javascript:alert(1)", "is not http or https"),
        ("https:///answer", "has no host"),
        ("https://exa mple.com", "not a valid URL: it contains spaces"),
        ("https://example.com/\x1b[31m", "not a valid URL: it contains spaces"),
        ("https://example.com/" + "a" * 3000, "has 3,020 characters, more than the "),
        ("https://example.com/" + "a" * 2029, "has 2,049 characters, more than the "),
        ("https://example.com:99999/x", "port outside 1 to 65535"),
        ("https://example.com:0/x", "port outside 1 to 65535"),
        ("https://exa$mple.com/x", "not a host name or IP address"),
        ("https://a..b/x", "not a host name or IP address"),
    ],
)
def test_webhook_url_rejects(url: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        validate_webhook_url(url, "answer_url")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "name is missing"),
        ("  ", "name is missing"),
        ("x" * 201, "use at most 200"),
        ("bad\x00name", "control characters"),
        ("bad\x1b[31mname", "control characters"),
    ],
)
def test_validate_name_rejects(name: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        validate_name(name)


def test_validate_name_keeps_markup_text() -> None:
    assert validate_name(" [bold]Support[/] ") == "[bold]Support[/]"


def test_validate_draft_trims_and_drops_empty_fallback() -> None:
    draft = ApplicationDraft(
        name=" Support ",
        answer_url=" https://example.com/answer",
        event_url="https://example.com/event ",
        fallback_answer_url="  ",
    )
    checked = validate_draft(draft)
    assert checked.name == "Support"
    assert checked.answer_url == "https://example.com/answer"
    assert checked.event_url == "https://example.com/event"
    assert checked.fallback_answer_url is None
    assert checked.answer_method is HttpMethod.GET
    assert checked.event_method is HttpMethod.POST


def test_validate_draft_names_bad_fallback() -> None:
    draft = ApplicationDraft(
        name="Support",
        answer_url="https://example.com/answer",
        event_url="https://example.com/event",
        fallback_answer_url="gopher://example.com",
    )
    with pytest.raises(InvalidInput, match="fallback_answer_url"):
        validate_draft(draft)


@pytest.mark.parametrize(
    ("code", "name", "calling_code"),
    [
        ("US", "United States", 1),
        ("gb", "United Kingdom", 44),
        ("uk", "United Kingdom", 44),
        (" de ", "Germany", 49),
        ("XK", "XK", 383),
        ("IM", "Isle of Man", 44),
        ("VC", "Saint Vincent and the Grenadines", 1),
        ("CD", "The Democratic Republic of Congo", 243),
        ("CI", "Côte d'Ivoire", 225),
        ("CW", "Curaçao", 599),
        ("AX", "Åland Islands", 358),
    ],
)
def test_find_country(code: str, name: str, calling_code: int) -> None:
    country = find_country(code)
    assert country.name == name
    assert country.calling_code == calling_code


@pytest.mark.parametrize("code", sorted(phonenumbers.SUPPORTED_REGIONS))
def test_country_name_is_geocoders(code: str) -> None:
    example = phonenumbers.example_number(code)
    geocoder_name = geocoder.country_name_for_number(example, "en") if example else ""
    if not geocoder_name:
        # The geocoder gives no name when the example number is valid in several
        # regions, as for BL and MF; the names come from the same table.
        assert find_country(code).name
        return
    assert find_country(code).name.casefold() == geocoder_name.casefold()


@pytest.mark.parametrize("code", sorted(phonenumbers.SUPPORTED_REGIONS))
def test_country_name_is_locale_tables(code: str) -> None:
    names = LOCALE_DATA.get(code, {})
    english = names.get("en", "")
    if english.startswith("*"):
        english = names.get(english[1:], "")

    assert find_country(code).name.casefold() == (english or code).casefold()


@pytest.mark.parametrize("code", ["ZZ", "", "USA", "001"])
def test_find_country_rejects(code: str) -> None:
    with pytest.raises(InvalidInput, match="Unknown country"):
        find_country(code)


def test_all_countries_sorted_and_complete() -> None:
    countries = all_countries()
    names = [country.name for country in countries]
    assert names == sorted(names)
    assert len(countries) >= 240


def test_all_countries_calling_codes() -> None:
    calling_codes = {country.code: country.calling_code for country in all_countries()}

    assert set(calling_codes) == phonenumbers.SUPPORTED_REGIONS
    for code, calling_code in calling_codes.items():
        assert calling_code == phonenumbers.country_code_for_region(code), code


@pytest.mark.parametrize(
    ("locale_name", "expected"),
    [
        ("en_GB.UTF-8", "GB"),
        ("de_DE", "DE"),
        ("pt_BR.utf8", "BR"),
        ("C.UTF-8", "US"),
        ("POSIX", "US"),
        ("", "US"),
        (None, "US"),
        ("en_ZZ.UTF-8", "US"),
    ],
)
def test_country_from_locale(locale_name: str | None, expected: str) -> None:
    assert country_from_locale(locale_name) == expected


def owned(features: set[Feature], app_id: str | None = None) -> OwnedNumber:
    return OwnedNumber(
        country="GB",
        msisdn="447700900123",
        type=NumberType.MOBILE,
        features=frozenset(features),
        cost=Decimal("1.00"),
        app_id=app_id,
    )


APPLICATION = Application(
    name="Support",
    answer_url="https://example.com/answer",
    event_url="https://example.com/event",
    id="aaaaaaaa-0000-4000-8000-000000000001",
)


def test_check_link_accepts_voice_number() -> None:
    check_link(owned({Feature.VOICE, Feature.SMS}), APPLICATION)


def test_check_link_rejects_number_without_voice() -> None:
    with pytest.raises(LinkNotAllowed, match="447700900123 has no VOICE"):
        check_link(owned({Feature.SMS, Feature.MMS}), APPLICATION)


@pytest.mark.parametrize(
    ("app_id", "expected"),
    [
        (None, False),
        (APPLICATION.id, False),
        ("bbbbbbbb-0000-4000-8000-000000000002", True),
    ],
)
def test_relinks(app_id: str | None, expected: bool) -> None:
    assert relinks(owned({Feature.VOICE}, app_id), APPLICATION) is expected


def stored_application(app_id: str) -> Application:
    return Application(
        name=f"App {app_id[:4]}",
        answer_url="https://example.com/answer",
        event_url="https://example.com/event",
        id=app_id,
    )


STORED = [
    stored_application("3f2a9c10-1111-4000-8000-000000000001"),
    stored_application("3f2a9c10-2222-4000-8000-000000000002"),
    stored_application("7b00e5d4-3333-4000-8000-000000000003"),
]


@pytest.mark.parametrize(
    ("app_id", "expected"),
    [
        ("7b00e5d4-3333-4000-8000-000000000003", 2),
        ("7B00E5D4-3333-4000-8000-000000000003", 2),
        ("7b00e5d4", 2),
        (" 7b00e5d4-33 ", 2),
        ("3f2a9c10-1", 0),
        ("3f2a9c10-2222-4000-8000-000000000002", 1),
    ],
)
def test_find_application_by_id_or_prefix(app_id: str, expected: int) -> None:
    assert find_application(STORED, app_id) is STORED[expected]


@pytest.mark.parametrize(
    ("app_id", "message"),
    [
        (
            "7b00e5d",
            "The id '7b00e5d' has 7 characters, too few to name an application: "
            "give at least 8, as in 7b00e5d4.",
        ),
        (
            "3F2A",
            "The id '3F2A' has 4 characters, too few to name an application: 2 ids "
            "start with it, so give at least 8 of the one you mean.",
        ),
    ],
)
def test_find_application_short_prefix(app_id: str, message: str) -> None:
    with pytest.raises(NotFound) as caught:
        find_application(STORED, app_id)

    assert str(caught.value) == message


@pytest.mark.parametrize("app_id", ["7c", "", "ffffffff", "7b00e5d4-4"])
def test_find_application_not_found(app_id: str) -> None:
    with pytest.raises(NotFound, match="first 8 characters"):
        find_application(STORED, app_id)


def test_find_application_ambiguous_prefix() -> None:
    with pytest.raises(InvalidInput, match="starts 2 application ids"):
        find_application(STORED, "3f2a9c10")


@pytest.mark.parametrize(
    "host",
    [
        "localhost",
        "api.localhost",
        "127.0.0.1",
        "[::1]",
        "10.1.2.3",
        "192.168.0.7",
        "172.16.0.1",
        "printer.local",
        "0.0.0.0",
        # The short IPv4 forms that HTTP clients read as 127.0.0.1 and 10.0.0.1.
        "127.1",
        "2130706433",
        "0x7f.0.0.1",
        "10.1",
        # A trailing dot names the same host.
        "localhost.",
    ],
)
def test_local_webhook_unreachable(host: str) -> None:
    draft = ApplicationDraft(
        name="Dev",
        answer_url=f"http://{host}:3000/answer",
        event_url="https://example.com/e",
    )

    [warning] = unreachable_webhooks(draft)

    assert warning.startswith(
        f"The answer_url host {host.strip('[]')} is not reachable"
    )


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://ann:s3cret@example.com/a?x=1", "https://ann:***@example.com/a?x=1"),
        ("https://ann:a:b@example.com:8443/a", "https://ann:***@example.com:8443/a"),
        ("https://ann@example.com/a", "https://ann@example.com/a"),
        ("https://example.com/a", "https://example.com/a"),
        ("https://ann:pw@[2001:db8::1]/a", "https://ann:***@[2001:db8::1]/a"),
        ("https://[::1/a", "https://[::1/a"),
    ],
)
def test_displayed_url_hides_password(url: str, shown: str) -> None:
    assert displayed_url(url) == shown


def test_distinct_names_add_short_ids_to_shared_names() -> None:
    leeds = replace(
        stored_application("3f2a9c10-0000-4000-8000-000000000000"), name="IVR"
    )
    york = replace(
        stored_application("8b41d0e2-0000-4000-8000-000000000000"), name="IVR"
    )
    sales = stored_application("11111111-0000-4000-8000-000000000000")

    assert distinct_names([leeds, york, sales]) == {
        leeds.id: "IVR 3f2a9c10",
        york.id: "IVR 8b41d0e2",
        sales.id: "App 1111",
    }


def test_public_webhooks_reachable() -> None:
    draft = ApplicationDraft(
        name="Live",
        answer_url="https://example.com/answer",
        event_url="https://8.8.8.8/event",
        fallback_answer_url="https://[2001:4860:4860::8888]/fallback",
    )

    assert unreachable_webhooks(draft) == []


@pytest.mark.parametrize("host", ["api.example.com.", "deadbeef.example", "1e100.net"])
def test_public_names_reachable(host: str) -> None:
    draft = ApplicationDraft(
        name="Live", answer_url=f"https://{host}/a", event_url="https://example.com/e"
    )

    assert unreachable_webhooks(draft) == []


@pytest.mark.parametrize(
    ("answer_url", "method", "warnings"),
    [
        ("https://example.com/a?token=ab", "GET", []),
        (
            "https://example.com/a?token=ab&to=999",
            "GET",
            [
                "The answer_url has its own to parameter. Vonage adds a to of its "
                "own, so the request carries two: rename yours, or the application "
                "may read the wrong one."
            ],
        ),
        (
            "https://example.com/a?from=x&uuid=1#frag",
            "GET",
            [
                "The answer_url has its own from and uuid parameters. Vonage adds "
                "from and uuid of its own, so the request carries two of each: rename "
                "yours, or the application may read the wrong ones."
            ],
        ),
        ("https://example.com/a?to=999", "POST", []),
        ("https://example.com/to/from?tomato=1", "GET", []),
    ],
)
def test_answer_parameters_clash(
    answer_url: str, method: str, warnings: list[str]
) -> None:
    draft = ApplicationDraft(
        name="Desk",
        answer_url=answer_url,
        event_url="https://example.com/e",
        answer_method=HttpMethod(method),
    )

    assert clashing_answer_parameters(draft) == warnings


def test_webhook_warnings_list_both() -> None:
    draft = ApplicationDraft(
        name="Dev",
        answer_url="http://localhost:3000/answer?to=1",
        event_url="https://example.com/e",
    )

    warnings = webhook_warnings(draft)

    assert len(warnings) == 2
    assert warnings[0].startswith("The answer_url host localhost is not reachable")
    assert warnings[1].startswith("The answer_url has its own to parameter")
