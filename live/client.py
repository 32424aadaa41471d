"""The official Vonage SDK set up for numdesk: hosts, timeout, retries and errors.

Every SDK call goes through `VonageClient.call`, which retries HTTP 429, 5xx and
timeouts with exponential backoff and turns every failure into a NumdeskError whose
message never contains the API secret.
"""

from __future__ import annotations

import base64
import logging
import re
import time
from collections.abc import Callable
from importlib import metadata
from typing import TypeVar

import requests
from pydantic import ValidationError
from urllib3.exceptions import ReadTimeoutError
from vonage_account import Account as AccountApi
from vonage_application import Application as ApplicationsApi
from vonage_http_client import Auth, HttpClient, HttpClientOptions
from vonage_http_client.errors import (
    AuthenticationError,
    HttpRequestError,
    RateLimitedError,
)
from vonage_numbers import Numbers as NumbersApi
from vonage_numbers.errors import NumbersError

from live.config import Credentials
from live.errors import (
    ApiFailure,
    BadCredentials,
    RemoteRejected,
    RemoteUnavailable,
    UnexpectedReply,
    failure_from_reply,
)
from live.settings import ConnectionSettings

T = TypeVar("T")

logger = logging.getLogger("numdesk.live")

# The SDK logs each request's headers, Basic authorization included, at DEBUG level
# and each error reply at WARNING level on this logger (vonage-http-client 1.5).
SDK_LOGGER = "vonage"
REDACTED = "********"
_AUTHORIZATION = re.compile(r"""(['"]Authorization['"]:\s*)b?(['"])[^'"]*\2""")


class _RedactSecrets(logging.Filter):
    """Replaces registered secrets and Authorization headers in SDK log records."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = _AUTHORIZATION.sub(rf"\1'{REDACTED}'", message)
        for secret in self.secrets:
            redacted = redacted.replace(secret, REDACTED)
        if redacted != message:
            record.msg = redacted
            record.args = ()
        return True


_redact_secrets = _RedactSecrets()


def _protect_sdk_logs(credentials: Credentials) -> None:
    sdk_logger = logging.getLogger(SDK_LOGGER)
    if _redact_secrets not in sdk_logger.filters:
        sdk_logger.addFilter(_redact_secrets)
        # Without a handler of its own, Python's last-resort handler would print
        # the SDK's warnings on stderr, next to numdesk's own error line.
        sdk_logger.addHandler(logging.NullHandler())
    secret = credentials.api_secret.reveal()
    basic = base64.b64encode(f"{credentials.api_key}:{secret}".encode()).decode()
    _redact_secrets.secrets.update({secret, basic})


def _sdk_version() -> str:
    try:
        return metadata.version("vonage")
    except metadata.PackageNotFoundError:
        return "unknown"


class VonageClient:
    """The Numbers, Account and Applications APIs of one account, with retries.

    The Numbers and Account APIs share one SDK HTTP client and the Applications API
    has its own: the SDK keeps a `Content-Type: application/json` header between
    requests of one client, which would mislabel the Numbers API's form posts.
    """

    def __init__(
        self,
        credentials: Credentials,
        settings: ConnectionSettings,
        *,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        _protect_sdk_logs(credentials)
        auth = Auth(
            api_key=credentials.api_key, api_secret=credentials.api_secret.reveal()
        )
        # max_retries=0 turns off urllib3's own retries, so that `call` alone
        # decides how often a request is sent.
        options = HttpClientOptions(
            api_host=settings.api_host,
            rest_host=settings.rest_host,
            timeout=settings.timeout_seconds,
            max_retries=0,
        )
        rest = HttpClient(auth, options, _sdk_version())
        self.numbers = NumbersApi(rest)
        self.account = AccountApi(rest)
        self.applications = ApplicationsApi(HttpClient(auth, options, _sdk_version()))
        self.settings = settings
        self._sleep = sleep

    def call(
        self, action: str, request: Callable[[], T], *, safe_to_repeat: bool = True
    ) -> T:
        """Run one SDK request, retrying it on HTTP 429 and, when safe, 5xx and timeouts.

        `action` completes the sentence "numdesk could not ...", such as `rent
        447700900123`. `safe_to_repeat=False` marks a request that must not be sent
        twice, such as creating an application: only HTTP 429, which Vonage sends
        before doing anything, is retried then.

        Raises:
            BadCredentials: HTTP 401.
            RemoteRejected: any other error reply, with its code, label and trace id.
            RemoteUnavailable: no connection, or every attempt timed out or got 429
                or 5xx.
            UnexpectedReply: a reply that the SDK could not read.
        """
        attempts = self.settings.attempts
        for attempt in range(1, attempts + 1):
            try:
                return self._send(action, request)
            except _Retryable as retryable:
                if attempt == attempts or not (safe_to_repeat or retryable.unprocessed):
                    raise retryable.final(action, attempt) from retryable.__cause__
                delay = self._delay(attempt, retryable.retry_after)
                logger.warning(
                    "Retrying %s in %.2f s after %s (attempt %d of %d)",
                    action,
                    delay,
                    retryable.reason,
                    attempt,
                    attempts,
                )
                self._sleep(delay)
        raise AssertionError("the retry loop returns or raises")

    def _send(self, action: str, request: Callable[[], T]) -> T:
        try:
            return request()
        except RateLimitedError as error:
            raise _Retryable.from_reply(error, unprocessed=True) from error
        except AuthenticationError as error:
            raise _bad_credentials(action, _failure(error)) from error
        except HttpRequestError as error:
            if error.response.status_code >= 500:
                raise _Retryable.from_reply(error, unprocessed=False) from error
            raise _rejected(action, _failure(error)) from error
        except NumbersError as error:
            raise _rejected(action, self._numbers_failure()) from error
        except requests.Timeout as error:
            connect = isinstance(error, requests.ConnectTimeout)
            raise _Retryable.timeout(self.settings, connect) from error
        except requests.exceptions.SSLError as error:
            raise _untrusted_certificate(action) from error
        except requests.ConnectionError as error:
            if _is_read_timeout(error):
                raise _Retryable.timeout(self.settings, connect=False) from error
            raise _no_connection(action) from error
        except (ValidationError, KeyError, TypeError) as error:
            # The SDK parses replies into pydantic models and indexes into them, so
            # a reply of another shape surfaces as one of these.
            logger.error("Unreadable reply to %s: %s", action, type(error).__name__)
            raise UnexpectedReply(
                f"numdesk could not {action}: Vonage sent a reply that does not match "
                "the API specification. Try again later, and report it if it persists."
            ) from error

    def _numbers_failure(self) -> ApiFailure:
        # The Numbers API can reply HTTP 200 with an error code in the body, and the
        # SDK then raises NumbersError without the reply, so read the last reply.
        response = self.numbers.http_client.last_response
        if response is None:
            return ApiFailure(status=None)
        return failure_from_reply(
            response.status_code, response.content, response.headers
        )

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        delay = self.settings.backoff_seconds * 2.0 ** (attempt - 1)
        if retry_after is not None:
            delay = retry_after
        return min(delay, self.settings.max_delay_seconds)


class _Retryable(Exception):
    """A failed attempt that a later attempt may get past."""

    def __init__(
        self,
        reason: str,
        *,
        unprocessed: bool,
        failure: ApiFailure | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.unprocessed = unprocessed
        self.failure = failure
        self.retry_after = retry_after

    @classmethod
    def from_reply(cls, error: HttpRequestError, *, unprocessed: bool) -> _Retryable:
        failure = _failure(error)
        return cls(
            f"HTTP {failure.status}",
            unprocessed=unprocessed,
            failure=failure,
            retry_after=_retry_after(error.response),
        )

    @classmethod
    def timeout(cls, settings: ConnectionSettings, connect: bool) -> _Retryable:
        awaited = "connecting" if connect else "the reply"
        return cls(
            f"waiting {settings.timeout_seconds} s for {awaited}", unprocessed=connect
        )

    def final(self, action: str, attempts: int) -> RemoteUnavailable:
        tries = "1 attempt" if attempts == 1 else f"{attempts} attempts"
        if self.failure is not None:
            outcome = f"Vonage answered {self.failure.describe()}"
        else:
            outcome = f"Vonage did not answer after {self.reason}"
        if self.unprocessed:
            advice = "Nothing changed. Try again in a minute."
        else:
            advice = (
                "If this was a change, it may have happened anyway: list the numbers "
                "or applications to check before trying again."
            )
        logger.error("Gave up on %s: %s after %s", action, outcome, tries)
        return RemoteUnavailable(
            f"numdesk could not {action}: {outcome}, after {tries}. {advice}",
            may_have_applied=not self.unprocessed,
        )


def _is_read_timeout(error: requests.ConnectionError) -> bool:
    # The SDK mounts urllib3 `Retry(total=max_retries)`. With no retries left,
    # urllib3 wraps a read timeout in MaxRetryError, and requests (2.32) reports
    # that as ConnectionError rather than ReadTimeout.
    reason = getattr(error.args[0] if error.args else None, "reason", None)
    return isinstance(reason, ReadTimeoutError)


def _failure(error: HttpRequestError) -> ApiFailure:
    response = error.response
    return failure_from_reply(response.status_code, response.content, response.headers)


def _retry_after(response: requests.Response) -> float | None:
    value = str(response.headers.get("Retry-After", "")).strip()
    return float(value) if value.isdigit() else None


def _rejected(action: str, failure: ApiFailure) -> RemoteRejected:
    logger.error("Vonage rejected the request to %s %s", action, failure.describe())
    return RemoteRejected(
        f"Vonage rejected the request to {action} {failure.describe()}.", failure
    )


def _bad_credentials(action: str, failure: ApiFailure) -> BadCredentials:
    logger.error(
        "Vonage rejected the credentials for %s %s", action, failure.describe()
    )
    return BadCredentials(
        f"Vonage rejected the API key and secret, so numdesk could not {action} "
        f"{failure.describe()}: copy both again from the Vonage dashboard and store "
        "them with `numdesk account add`, or fix VONAGE_API_KEY and VONAGE_API_SECRET.",
        failure,
    )


def _untrusted_certificate(action: str) -> RemoteUnavailable:
    logger.error("TLS verification failed for %s", action)
    return RemoteUnavailable(
        f"numdesk could not {action}: the server's TLS certificate is not trusted, so "
        "nothing was sent. If a proxy or test server is in the way, point "
        "REQUESTS_CA_BUNDLE at its CA certificate.",
        may_have_applied=False,
    )


def _no_connection(action: str) -> RemoteUnavailable:
    logger.error("No connection for %s", action)
    return RemoteUnavailable(
        f"numdesk could not {action}: Vonage cannot be reached, so nothing was sent. "
        "Check the network connection and any NUMDESK_VONAGE_*_HOST setting.",
        may_have_applied=False,
    )
