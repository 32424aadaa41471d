"""Connection settings for Vonage (hosts, timeout, retries), read from the environment.

`NUMDESK_VONAGE_REST_HOST` (Numbers API and balance, default `rest.nexmo.com`) and
`NUMDESK_VONAGE_API_HOST` (Applications API, default `api.nexmo.com`) take a host with
an optional port, such as `127.0.0.1:8443` or `https://api-eu.vonage.com`. Requests
always use HTTPS and trust the certificates in `REQUESTS_CA_BUNDLE` when it is set.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

from domain.errors import InvalidInput

REST_HOST_VARIABLE = "NUMDESK_VONAGE_REST_HOST"
API_HOST_VARIABLE = "NUMDESK_VONAGE_API_HOST"
TIMEOUT_VARIABLE = "NUMDESK_VONAGE_TIMEOUT"
ATTEMPTS_VARIABLE = "NUMDESK_VONAGE_ATTEMPTS"
BACKOFF_VARIABLE = "NUMDESK_VONAGE_BACKOFF"

DEFAULT_REST_HOST = "rest.nexmo.com"
DEFAULT_API_HOST = "api.nexmo.com"

# A host name or IPv4 address with an optional port: the SDK builds each URL as
# `https://{host}{path}`, so a path or query here would corrupt every request.
_HOST = re.compile(r"[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?")


@dataclass(frozen=True)
class ConnectionSettings:
    """The API hosts, the timeout of one request and the retry policy.

    `timeout_seconds` is whole seconds because the SDK's `HttpClientOptions` accepts
    only an integer. A request that times out, or gets HTTP 429 or 5xx, is sent again
    up to `attempts` times in all, waiting `backoff_seconds`, then twice that, and so
    on, but never longer than `max_delay_seconds`.
    """

    rest_host: str = DEFAULT_REST_HOST
    api_host: str = DEFAULT_API_HOST
    timeout_seconds: int = 15
    attempts: int = 3
    backoff_seconds: float = 1.0
    max_delay_seconds: float = 30.0


def settings_from_environment(
    environ: Mapping[str, str] = os.environ,
) -> ConnectionSettings:
    """Read the connection settings from the `NUMDESK_VONAGE_*` variables.

    Raises:
        InvalidInput: a variable is set to a value that is not valid, named in the
            message.
    """
    defaults = ConnectionSettings()
    return ConnectionSettings(
        rest_host=_host(environ, REST_HOST_VARIABLE, defaults.rest_host),
        api_host=_host(environ, API_HOST_VARIABLE, defaults.api_host),
        timeout_seconds=_whole_number(
            environ, TIMEOUT_VARIABLE, defaults.timeout_seconds, 1, 300
        ),
        attempts=_whole_number(environ, ATTEMPTS_VARIABLE, defaults.attempts, 1, 10),
        backoff_seconds=_seconds(environ, BACKOFF_VARIABLE, defaults.backoff_seconds),
    )


def parse_host(value: str, variable: str) -> str:
    """Return the `host[:port]` part of `value`, which may start with `https://`.

    Raises:
        InvalidInput: the value uses another scheme, has a path, or is not a host.
    """
    host = value.strip()
    if host.lower().startswith("https://"):
        host = host[len("https://") :].rstrip("/")
    if "://" in host:
        raise InvalidInput(
            f"{variable}={value!r} is not an HTTPS host: numdesk talks to Vonage over "
            "HTTPS only, so give a host such as api.nexmo.com or https://host:port."
        )
    if not _HOST.fullmatch(host):
        raise InvalidInput(
            f"{variable}={value!r} is not a host: give a name or address with an "
            "optional port and no path, such as 127.0.0.1:8443."
        )
    return host


def _host(environ: Mapping[str, str], variable: str, default: str) -> str:
    value = environ.get(variable, "").strip()
    return parse_host(value, variable) if value else default


def _whole_number(
    environ: Mapping[str, str], variable: str, default: int, low: int, high: int
) -> int:
    value = environ.get(variable, "").strip()
    if not value:
        return default
    if not value.isdigit() or not low <= int(value) <= high:
        raise InvalidInput(
            f"{variable}={value!r} is not valid: use a whole number from {low} to "
            f"{high}."
        )
    return int(value)


def _seconds(environ: Mapping[str, str], variable: str, default: float) -> float:
    value = environ.get(variable, "").strip()
    if not value:
        return default
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 60:
        raise InvalidInput(
            f"{variable}={value!r} is not valid: use a number of seconds from 0 to 60, "
            "such as 0.5."
        )
    return seconds
