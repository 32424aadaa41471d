"""Voice applications and the webhooks Vonage calls for them."""

from __future__ import annotations

import ipaddress
import re
import socket
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, fields
from enum import StrEnum
from urllib.parse import SplitResult, parse_qsl, urlsplit, urlunsplit

from domain.errors import InvalidInput, NotFound

MAX_NAME_LENGTH = 200
MAX_URL_LENGTH = 2048
# The query parameters that Vonage adds to a GET answer_url request, in its order.
ANSWER_PARAMETERS = ("to", "from", "uuid", "conversation_uuid")
# Labels of letters, digits and hyphens, joined by dots, as DNS host names are.
# The re module compiles it on first use, which start-up does not reach.
_HOST_NAME = r"(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.)*[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.?"
SHORT_ID_LENGTH = 8


class HttpMethod(StrEnum):
    """The HTTP method Vonage uses for a webhook."""

    GET = "GET"
    POST = "POST"


@dataclass(frozen=True)
class ApplicationDraft:
    """The fields a user sets when creating or editing a voice application."""

    name: str
    answer_url: str
    event_url: str
    answer_method: HttpMethod = HttpMethod.GET
    event_method: HttpMethod = HttpMethod.POST
    fallback_answer_url: str | None = None
    fallback_answer_method: HttpMethod = HttpMethod.GET


@dataclass(frozen=True)
class Application(ApplicationDraft):
    """A voice application stored in the account, with its `id` (a UUID)."""

    id: str = ""

    @property
    def draft(self) -> ApplicationDraft:
        """The fields that a user sets, without the id."""
        values = {
            field.name: getattr(self, field.name) for field in fields(ApplicationDraft)
        }
        return ApplicationDraft(**values)


def validate_name(name: str) -> str:
    """Return the name with surrounding spaces removed.

    Raises:
        InvalidInput: the name is empty, too long or contains control characters.
    """
    name = name.strip()
    if not name:
        raise InvalidInput("The application name is missing: type a name.")
    if len(name) > MAX_NAME_LENGTH:
        raise InvalidInput(
            f"The application name has {len(name)} characters: use at most "
            f"{MAX_NAME_LENGTH}."
        )
    if _has_control_characters(name):
        raise InvalidInput(
            "The application name contains control characters: use printable text only."
        )
    return name


def validate_webhook_url(url: str, field: str) -> str:
    """Return the URL with surrounding spaces removed if it is http or https with a host.

    Raises:
        InvalidInput: names `field` and says what is wrong with the URL.
    """
    url = url.strip()
    if not url:
        raise InvalidInput(f"The {field} is missing: type an http or https URL.")
    if len(url) > MAX_URL_LENGTH:
        raise InvalidInput(
            f"The {field} has {len(url):,} characters, more than the "
            f"{MAX_URL_LENGTH:,} that numdesk accepts: shorten it."
        )
    if _has_control_characters(url) or " " in url:
        raise InvalidInput(
            f"The {field} is not a valid URL: it contains spaces or control "
            "characters. Remove them, or write a space as %20."
        )
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise InvalidInput(
            f"The {field} {url!r} is not http or https: start it with https://."
        )
    if not parts.hostname:
        raise InvalidInput(
            f"The {field} {url!r} has no host: write it as https://host/path."
        )
    if not _is_host_name(parts.hostname):
        raise InvalidInput(
            f"The {field} {url!r} has the host {parts.hostname!r}, which is not a "
            "host name or IP address: use letters, digits, hyphens and dots."
        )
    if not _has_valid_port(parts):
        raise InvalidInput(
            f"The {field} {url!r} has a port outside 1 to 65535: remove it or use "
            "the port your server listens on."
        )
    return url


def _is_host_name(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return True
    try:
        # Names in other scripts, such as münchen.de, travel as xn-- labels.
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    return re.fullmatch(_HOST_NAME, ascii_host, re.IGNORECASE) is not None


def _has_valid_port(parts: SplitResult) -> bool:
    try:
        port = parts.port
    except ValueError:
        return False
    return port is None or port > 0


def validate_draft(draft: ApplicationDraft) -> ApplicationDraft:
    """Return a copy of the draft with every field checked and trimmed.

    Raises:
        InvalidInput: the first field that is not valid, by name.
    """
    fallback = draft.fallback_answer_url
    if fallback is not None and fallback.strip():
        fallback = validate_webhook_url(fallback, "fallback_answer_url")
    else:
        fallback = None
    return ApplicationDraft(
        name=validate_name(draft.name),
        answer_url=validate_webhook_url(draft.answer_url, "answer_url"),
        event_url=validate_webhook_url(draft.event_url, "event_url"),
        answer_method=HttpMethod(draft.answer_method),
        event_method=HttpMethod(draft.event_method),
        fallback_answer_url=fallback,
        fallback_answer_method=HttpMethod(draft.fallback_answer_method),
    )


def webhook_warnings(draft: ApplicationDraft) -> list[str]:
    """Warn about each webhook that Vonage cannot reach or that gets a mixed request."""
    return [*unreachable_webhooks(draft), *clashing_answer_parameters(draft)]


def clashing_answer_parameters(draft: ApplicationDraft) -> list[str]:
    """Warn when a GET answer_url has its own parameter of a name that Vonage adds.

    Vonage adds `to`, `from`, `uuid` and `conversation_uuid` to the URL's own query,
    so the request carries two values of that name and the application may read
    the wrong one. A POST answer_url gets them in its JSON body instead.
    """
    if HttpMethod(draft.answer_method) is not HttpMethod.GET:
        return []
    own = {name for name, _ in parse_qsl(urlsplit(draft.answer_url).query)}
    clashes = [name for name in ANSWER_PARAMETERS if name in own]
    if not clashes:
        return []
    names = " and ".join(clashes)
    if len(clashes) == 1:
        return [
            f"The answer_url has its own {names} parameter. Vonage adds a {names} of "
            "its own, so the request carries two: rename yours, or the application "
            "may read the wrong one."
        ]
    return [
        f"The answer_url has its own {names} parameters. Vonage adds {names} of its "
        "own, so the request carries two of each: rename yours, or the application "
        "may read the wrong ones."
    ]


def displayed_url(url: str) -> str:
    """Return `url` for a screen or a list, with the password in it written as ***.

    A webhook URL may carry HTTP basic authentication credentials, as in
    https://user:secret@example.com/answer, which no list should show.
    """
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:
        return url
    if password is None:
        return url
    user_and_password, _, host = parts.netloc.rpartition("@")
    user = user_and_password.partition(":")[0]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


def unreachable_webhooks(draft: ApplicationDraft) -> list[str]:
    """Warn about each webhook URL that Vonage cannot reach from the internet.

    Vonage calls the webhooks from its own servers, so a host such as localhost,
    a private address or a .local name works only behind a public tunnel.
    """
    urls = [
        ("answer_url", draft.answer_url),
        ("event_url", draft.event_url),
        ("fallback_answer_url", draft.fallback_answer_url),
    ]
    return [
        f"The {field} host {host} is not reachable from the internet, so Vonage "
        "cannot call it: expose it with a public URL, such as a tunnel to your "
        "machine."
        for field, url in urls
        if url and (host := urlsplit(url).hostname) and _is_local_host(host)
    ]


def _is_local_host(host: str) -> bool:
    # A trailing dot names the same host: localhost. is localhost.
    host = host.removesuffix(".")
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        return True
    address = _ip_address(host)
    return address is not None and not address.is_global


def _ip_address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """Read `host` as an IP address, in the short IPv4 forms too, else return None.

    HTTP clients read 127.1, 2130706433 and 0x7f.0.0.1 as 127.0.0.1, as the C
    library's inet_aton does, so a webhook on such a host is on loopback.
    """
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if not host or not all(part for part in host.split(".")):
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


def _has_control_characters(text: str) -> bool:
    return any(ord(character) < 32 or 127 <= ord(character) < 160 for character in text)


def distinct_names(applications: Iterable[Application]) -> dict[str, str]:
    """Map each application's id to its name, followed by its short id when shared.

    Two applications may have the same name, as "IVR Leeds 3f2a9c10" and "IVR
    Leeds 8b41d0e2" show; a name of its own stays as it is.
    """
    applications = list(applications)
    counts = Counter(application.name for application in applications)
    return {
        application.id: application.name
        if counts[application.name] == 1
        else f"{application.name} {application.id[:SHORT_ID_LENGTH]}"
        for application in applications
    }


def id_matches(known_id: str, requested: str) -> bool:
    """Tell whether `requested` is `known_id`, or its first 8 or more characters.

    Case and surrounding spaces do not count.
    """
    requested = requested.strip().lower()
    known_id = known_id.lower()
    return known_id == requested or (
        len(requested) >= SHORT_ID_LENGTH and known_id.startswith(requested)
    )


def _check_prefix_length(applications: list[Application], app_id: str) -> None:
    """Raise NotFound for a prefix that starts ids but is shorter than 8 characters.

    Raises:
        NotFound: ids start with `app_id`, which is too short to name one.
    """
    prefix = app_id.strip().lower()
    starting = [
        app.id for app in applications if prefix and app.id.lower().startswith(prefix)
    ]
    if not starting:
        return
    if len(starting) == 1:
        advice = (
            f"give at least {SHORT_ID_LENGTH}, as in {starting[0][:SHORT_ID_LENGTH]}"
        )
    else:
        advice = (
            f"{len(starting)} ids start with it, so give at least {SHORT_ID_LENGTH} "
            "of the one you mean"
        )
    raise NotFound(
        f"The id {app_id!r} has {len(prefix)} characters, too few to name an "
        f"application: {advice}."
    )


def find_application(applications: Iterable[Application], app_id: str) -> Application:
    """Return the application whose id is `app_id` or starts with it, in any case.

    The app shows the first 8 characters of each id, so a unique prefix of at least
    that length finds the application too.

    Raises:
        NotFound: no id matches, or the prefix is shorter than 8 characters; the
            message names that length when ids start with the prefix.
        InvalidInput: the prefix matches more than one application.
    """
    wanted = app_id.strip().lower()
    known = list(applications)
    matches = [
        application for application in known if id_matches(application.id, wanted)
    ]
    exact = [application for application in matches if application.id.lower() == wanted]
    if exact:
        return exact[0]
    if not matches:
        _check_prefix_length(known, app_id)
        raise NotFound(
            f"No application has the id {app_id!r}: run `numdesk apps list` to see "
            "the ids, and give a whole id or its first 8 characters."
        )
    if len(matches) > 1:
        raise InvalidInput(
            f"The id {app_id!r} starts {len(matches)} application ids: give more "
            "characters."
        )
    return matches[0]
