"""Live account configuration: the accounts file, private keys, settings and the cache."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from domain.applications import Application
from domain.errors import InvalidInput, NotFound, StoreError
from domain.numbers import Feature, NumberType, OwnedNumber
from live.config import (
    AccountConfig,
    ConfigError,
    Credentials,
    Secret,
    config_path,
    save_private_key,
    validate_account_name,
    validate_credentials,
)
from live.lookup import region_of, valid_app_id
from live.settings import (
    ConnectionSettings,
    parse_host,
    settings_from_environment,
)
from store.cache import CachePart, LiveCache, open_cache

SECRET = "Sx9-secret-QzT7w"
NOW = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)


@pytest.fixture
def config(tmp_path: Path) -> AccountConfig:
    return AccountConfig(tmp_path / "config" / "accounts.json")


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[LiveCache]:
    opened = open_cache(tmp_path / "live.db")
    yield opened
    opened.close()


def owned(msisdn: str, cost: str = "NaN", app_id: str | None = None) -> OwnedNumber:
    return OwnedNumber(
        country="US",
        msisdn=msisdn,
        type=NumberType.MOBILE,
        features=frozenset({Feature.VOICE}),
        cost=Decimal(cost),
        app_id=app_id,
    )


# Secrets and names


@pytest.mark.parametrize("show", [repr, str, lambda secret: f"{secret}"])
def test_secret_hidden(show: object) -> None:
    assert SECRET not in show(Secret(SECRET))  # type: ignore[operator]


def test_credentials_repr_hides_secret() -> None:
    assert SECRET not in repr(Credentials("a1b2c3d4", Secret(SECRET)))


@pytest.mark.parametrize("name", ["acme", "Acme-2", "a", "x_y", "a" * 32])
def test_account_name_valid(name: str) -> None:
    assert validate_account_name(name) == name


@pytest.mark.parametrize(
    "name", ["", "sandbox", "Sandbox", "-a", "_a", "a b", "a/b", "ä", "a" * 33]
)
def test_account_name_invalid(name: str) -> None:
    with pytest.raises(InvalidInput):
        validate_account_name(name)


@pytest.mark.parametrize(
    ("api_key", "api_secret"),
    [("", SECRET), ("a b", SECRET), ("key", ""), ("key", f"{SECRET} x")],
)
def test_credentials_invalid_hide_secret(api_key: str, api_secret: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        validate_credentials(api_key, api_secret)
    assert SECRET not in str(raised.value)


def test_credentials_trimmed() -> None:
    credentials = validate_credentials(" a1b2c3d4 ", f"{SECRET}\n")
    assert credentials.api_key == "a1b2c3d4"
    assert credentials.api_secret.reveal() == SECRET


# The accounts file


def test_config_written_owner_only(config: AccountConfig) -> None:
    config.add("acme", Credentials("a1b2c3d4", Secret(SECRET)))
    assert stat.S_IMODE(config.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(config.path.parent.stat().st_mode) == 0o700


def test_config_owner_only_despite_umask(config: AccountConfig) -> None:
    previous = os.umask(0)
    try:
        config.add("acme", Credentials("a1b2c3d4", Secret(SECRET)))
    finally:
        os.umask(previous)
    assert stat.S_IMODE(config.path.stat().st_mode) == 0o600


def test_config_round_trip(config: AccountConfig) -> None:
    config.add("beta", Credentials("b2", Secret("second")))
    config.add("acme", Credentials("a1", Secret(SECRET)))
    assert config.names() == ["acme", "beta"]
    assert config.credentials("acme") == Credentials("a1", Secret(SECRET))


def test_config_add_replaces(config: AccountConfig) -> None:
    config.add("acme", Credentials("a1", Secret(SECRET)))
    config.add("acme", Credentials("a2", Secret("new")))
    assert config.credentials("acme").api_key == "a2"


def test_config_remove(config: AccountConfig) -> None:
    config.add("acme", Credentials("a1", Secret(SECRET)))
    config.remove("acme")
    assert config.names() == []


@pytest.mark.parametrize("action", ["credentials", "remove"])
def test_config_unknown_name(config: AccountConfig, action: str) -> None:
    with pytest.raises(NotFound, match="'nobody'"):
        getattr(config, action)("nobody")


def test_config_missing_file_empty(config: AccountConfig) -> None:
    assert config.names() == []


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o660])
def test_config_readable_by_others_rejected(config: AccountConfig, mode: int) -> None:
    config.add("acme", Credentials("a1", Secret(SECRET)))
    config.path.chmod(mode)
    with pytest.raises(ConfigError, match="chmod 600"):
        config.names()


@pytest.mark.parametrize(
    "text",
    ["not json", "[]", '{"accounts": []}', '{"accounts": {"a": {"api_key": 1}}}'],
)
def test_config_damaged_rejected(config: AccountConfig, text: str) -> None:
    config.path.parent.mkdir(parents=True)
    config.path.write_text(text)
    config.path.chmod(0o600)
    with pytest.raises(ConfigError, match="not a numdesk account list"):
        config.names()


def test_config_path_from_environment(tmp_path: Path) -> None:
    path = tmp_path / "elsewhere.json"
    assert config_path({"NUMDESK_CONFIG": str(path)}) == path


def test_config_path_default(tmp_path: Path) -> None:
    assert config_path({}).name == "accounts.json"
    assert config_path({}).parent.name == "numdesk"


def test_private_key_owner_only(tmp_path: Path) -> None:
    path = save_private_key(tmp_path / "keys", "aaaa-1", "-----BEGIN PRIVATE KEY-----")
    assert path == tmp_path / "keys" / "aaaa-1.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.parametrize("app_id", ["../x", "a/b", "", "a" * 65])
def test_private_key_unsafe_id(tmp_path: Path, app_id: str) -> None:
    with pytest.raises(ConfigError):
        save_private_key(tmp_path, app_id, "key")


# Lookups


@pytest.mark.parametrize(
    ("msisdn", "region"),
    [
        ("14155550101", "US"),
        ("16135550123", "CA"),
        ("447700900123", "GB"),
        ("4915112345678", "DE"),
        ("19999999999", "US"),
    ],
)
def test_region_of(msisdn: str, region: str) -> None:
    assert region_of(msisdn) == region


def test_region_of_no_country() -> None:
    with pytest.raises(InvalidInput):
        region_of("8001234567")


@pytest.mark.parametrize(
    ("app_id", "valid"),
    [("aaaaaaaa-0000-4000-8000-000000000001", True), ("a/b", False), ("", False)],
)
def test_valid_app_id(app_id: str, valid: bool) -> None:
    assert valid_app_id(app_id) is valid


# Settings


@pytest.mark.parametrize(
    ("value", "host"),
    [
        ("api.nexmo.com", "api.nexmo.com"),
        ("127.0.0.1:8443", "127.0.0.1:8443"),
        ("https://api-eu.vonage.com", "api-eu.vonage.com"),
        ("HTTPS://127.0.0.1:8443/", "127.0.0.1:8443"),
        ("  rest.nexmo.com  ", "rest.nexmo.com"),
    ],
)
def test_parse_host(value: str, host: str) -> None:
    assert parse_host(value, "NUMDESK_VONAGE_API_HOST") == host


@pytest.mark.parametrize(
    "value",
    ["http://api.nexmo.com", "ftp://x", "api.nexmo.com/v2", "host?x=1", "user@host"],
)
def test_parse_host_rejected(value: str) -> None:
    with pytest.raises(InvalidInput, match="NUMDESK_VONAGE_API_HOST"):
        parse_host(value, "NUMDESK_VONAGE_API_HOST")


def test_settings_defaults() -> None:
    assert settings_from_environment({}) == ConnectionSettings()


def test_settings_from_environment() -> None:
    settings = settings_from_environment(
        {
            "NUMDESK_VONAGE_REST_HOST": "127.0.0.1:1",
            "NUMDESK_VONAGE_API_HOST": "127.0.0.1:2",
            "NUMDESK_VONAGE_TIMEOUT": "5",
            "NUMDESK_VONAGE_ATTEMPTS": "4",
            "NUMDESK_VONAGE_BACKOFF": "0.5",
        }
    )
    assert settings.rest_host == "127.0.0.1:1"
    assert settings.api_host == "127.0.0.1:2"
    assert settings.timeout_seconds == 5
    assert settings.attempts == 4
    assert settings.backoff_seconds == 0.5


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("NUMDESK_VONAGE_TIMEOUT", "0"),
        ("NUMDESK_VONAGE_TIMEOUT", "1.5"),
        ("NUMDESK_VONAGE_TIMEOUT", "301"),
        ("NUMDESK_VONAGE_ATTEMPTS", "11"),
        ("NUMDESK_VONAGE_BACKOFF", "-1"),
        ("NUMDESK_VONAGE_BACKOFF", "nan"),
        ("NUMDESK_VONAGE_BACKOFF", "61"),
    ],
)
def test_settings_rejected(variable: str, value: str) -> None:
    with pytest.raises(InvalidInput, match=variable):
        settings_from_environment({variable: value})


# The cache


def test_cache_reopens(tmp_path: Path) -> None:
    first = open_cache(tmp_path / "live.db")
    first.put_balance(Decimal("3.50"), NOW)
    first.close()
    second = open_cache(tmp_path / "live.db")
    assert second.balance() == Decimal("3.50")
    second.close()


def test_cache_rejects_sandbox_store(store_path: Path) -> None:
    with pytest.raises(StoreError, match="not a numdesk live account cache"):
        open_cache(store_path)


def test_cache_replace_keeps_known_cost(cache: LiveCache) -> None:
    cache.replace_owned([owned("14155550001", "1.25")], NOW)
    cache.replace_owned([owned("14155550001"), owned("14155550002")], NOW)
    costs = {number.msisdn: number.cost for number in cache.owned_numbers()}
    assert costs["14155550001"] == Decimal("1.25")
    assert not costs["14155550002"].is_finite()
    assert cache.known_cost("14155550002") is None


def test_cache_last_sync_needs_every_part(cache: LiveCache) -> None:
    cache.replace_owned([], NOW)
    cache.replace_applications([], NOW + timedelta(minutes=5))
    assert cache.last_sync() is None
    cache.put_balance(Decimal("1"), NOW + timedelta(minutes=9))
    assert cache.last_sync() == NOW
    assert cache.synced_at(CachePart.BALANCE) == NOW + timedelta(minutes=9)


def test_cache_remove_application_clears_links(cache: LiveCache) -> None:
    application = Application(
        name="Support",
        answer_url="https://example.com/a",
        event_url="https://example.com/e",
        id="app-1",
    )
    cache.replace_applications([application], NOW)
    cache.replace_owned([owned("14155550001", app_id="app-1")], NOW)
    cache.remove_application("app-1")
    assert cache.applications() == []
    number = cache.owned_number("14155550001")
    assert number is not None
    assert number.app_id is None


def test_cache_close_twice(cache: LiveCache) -> None:
    cache.close()
    cache.close()
