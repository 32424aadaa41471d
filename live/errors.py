"""The errors of live accounts and how Vonage's error replies are read.

The Numbers API reports failures as `{"error-code": "420", "error-code-label": ...}`,
with HTTP 401 or 420 and sometimes with HTTP 200. The Applications API v2 uses RFC 7807
problem details, `{"type", "title", "detail", "instance"}`, where `instance` is the
trace id that Vonage support requests (Nexmo/api-specification,
definitions/common/common_errors.yml).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from domain.errors import NumdeskError

# Longer labels are cut, so that a misbehaving server cannot flood the screen.
MAX_LABEL_LENGTH = 200
TRACE_ID_HEADERS = ("X-Nexmo-Trace-Id", "X-Vonage-Trace-Id")


@dataclass(frozen=True)
class ApiFailure:
    """The contents of one failed Vonage reply: HTTP status, error code, label, trace id."""

    status: int | None
    code: str | None = None
    label: str | None = None
    trace_id: str | None = None

    def describe(self) -> str:
        """Return the reply's facts as one parenthesis, such as `(HTTP 420, ...)`."""
        parts = []
        if self.status is not None:
            parts.append(f"HTTP {self.status}")
        if self.code is not None and self.code != str(self.status):
            parts.append(f"error code {self.code}")
        if self.label:
            parts.append(repr(self.label))
        if self.trace_id:
            parts.append(f"trace id {self.trace_id}")
        return f"({', '.join(parts)})" if parts else "(no details)"

    def label_mentions(self, *words: str) -> bool:
        """Return whether the label or code contains any of `words`, ignoring case."""
        text = f"{self.code or ''} {self.label or ''}".lower()
        return any(word in text for word in words)


class RemoteRejected(NumdeskError):
    """A request that Vonage rejected with an error reply, with the reply's details."""

    def __init__(self, message: str, failure: ApiFailure) -> None:
        super().__init__(message)
        self.failure = failure


class BadCredentials(RemoteRejected):
    """A request that Vonage rejected because the API key or secret is wrong."""


class AddressRequired(RemoteRejected):
    """A rent that needs the account's address documents before Vonage allows it."""


class RemoteUnavailable(NumdeskError):
    """A request that got no usable reply: no connection, a timeout, or 429/5xx to the end.

    `may_have_applied` is True when the request may have reached Vonage, so a change
    may have happened even though no reply confirmed it.
    """

    def __init__(self, message: str, *, may_have_applied: bool) -> None:
        super().__init__(message)
        self.may_have_applied = may_have_applied


class OfflineReadOnly(NumdeskError):
    """A change requested while Vonage cannot be reached, when only the cache can be read."""


class DeleteInterrupted(NumdeskError):
    """An application delete that failed after unlinking some of its numbers."""


class RentInterrupted(NumdeskError):
    """A batch rent that stopped at a failed rent or link, after checking passed.

    Vonage has no transaction across requests, so numbers rented before the
    failure stay rented. The message names them and the numbers not rented.
    """


class UnexpectedReply(NumdeskError):
    """A reply whose shape does not match the API specification."""


def failure_from_reply(
    status: int | None, body: bytes, headers: Mapping[str, str]
) -> ApiFailure:
    """Read the error code, label and trace id from a reply's body and headers."""
    document = _json_object(body)
    code = _text(document.get("error-code")) or _text(document.get("title"))
    label = _text(document.get("error-code-label")) or _text(document.get("detail"))
    trace_id = _text(document.get("instance"))
    for header in TRACE_ID_HEADERS:
        trace_id = trace_id or _text(headers.get(header))
    return ApiFailure(status=status, code=code, label=label, trace_id=trace_id)


def _json_object(body: bytes) -> dict[str, Any]:
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return {}
    return document if isinstance(document, dict) else {}


def _text(value: object) -> str | None:
    if value is None or value == "":
        return None
    text = str(value)
    if len(text) > MAX_LABEL_LENGTH:
        return text[: MAX_LABEL_LENGTH - 1] + "…"
    return text
