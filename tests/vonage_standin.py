"""An HTTPS stand-in for the Vonage Numbers, Account and Applications APIs.

Two `http.server` servers listen on 127.0.0.1 only, each in a thread, with a
certificate that `make_certificates` signs with a CA made for the test run:

- the REST host: `/number/search`, `/account/numbers`, `/number/buy`,
  `/number/cancel`, `/number/update` and `/account/get-balance`;
- the API host: `/v2/applications` (list, create) and `/v2/applications/{id}` (get,
  update, delete).

Replies follow the public specifications (Nexmo/api-specification,
definitions/numbers.yml and definitions/application.v2.yml): Basic authentication,
`{"error-code", "error-code-label"}` bodies with HTTP 401 and 420 for the Numbers
API, RFC 7807 problem details with an `instance` trace id for the Applications API.
`fail` and `slow` make the next replies of one endpoint fail or arrive late.
"""

from __future__ import annotations

import base64
import datetime
import ipaddress
import json
import ssl
import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from live.account import LiveAccount
from live.config import Credentials, Secret
from live.connect import connect_live_account
from live.settings import ConnectionSettings

LOOPBACK = "127.0.0.1"
API_KEY = "a1b2c3d4"
# A value that appears nowhere else, so that a test can search every output for it.
API_SECRET = "Sx9-secret-QzT7w"
APPLICATIONS_PATH = "/v2/applications"
FORM = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class Certificates:
    """A test CA certificate and a server certificate for 127.0.0.1 that it signed."""

    ca_path: Path
    certificate_path: Path
    key_path: Path


def make_certificates(folder: Path) -> Certificates:
    """Write a CA certificate and a server certificate and key for 127.0.0.1."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "numdesk test CA")])
    ca = (
        _builder(ca_name, ca_name, ca_key.public_key(), now)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(certificate_sign=True), critical=True)
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )

    server_key = ec.generate_private_key(ec.SECP256R1())
    server_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, LOOPBACK)])
    server = (
        _builder(server_name, ca_name, server_key.public_key(), now)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(certificate_sign=False), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
        )
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address(LOOPBACK))]
            ),
            critical=False,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )

    certificates = Certificates(
        ca_path=folder / "ca.pem",
        certificate_path=folder / "server.pem",
        key_path=folder / "server.key",
    )
    certificates.ca_path.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    certificates.certificate_path.write_bytes(
        server.public_bytes(serialization.Encoding.PEM)
    )
    certificates.key_path.write_bytes(
        server_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return certificates


def _builder(
    subject: x509.Name,
    issuer: x509.Name,
    public_key: ec.EllipticCurvePublicKey,
    now: datetime.datetime,
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
    )


def _key_usage(*, certificate_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=certificate_sign,
        crl_sign=certificate_sign,
        encipher_only=False,
        decipher_only=False,
    )


# The account behind the stand-in


@dataclass
class Number:
    """A number in the stand-in's stock or owned by its account."""

    country: str
    msisdn: str
    type: str
    features: list[str]
    cost: str
    app_id: str | None = None

    def available_json(self) -> dict[str, Any]:
        return {
            "country": self.country,
            "msisdn": self.msisdn,
            "type": self.type,
            "features": self.features,
            "cost": self.cost,
        }

    def owned_json(self) -> dict[str, Any]:
        fields: dict[str, Any] = {
            "country": self.country,
            "msisdn": self.msisdn,
            "type": self.type,
            "features": self.features,
        }
        if self.app_id:
            fields["app_id"] = self.app_id
            fields["voiceCallbackType"] = "app"
            fields["voiceCallbackValue"] = self.app_id
        return fields


def default_stock() -> list[Number]:
    """Return the stand-in's stock: 150 US numbers over three pages of 50, and more.

    US costs are 0.90 (landline), 1.25 (mobile) and 2.50 (toll-free); feature sets
    rotate, so every feature filter finds some numbers.
    """
    feature_sets = [["VOICE"], ["SMS", "VOICE"], ["SMS"], ["SMS", "VOICE", "MMS"]]
    types = [
        ("landline", "0.90"),
        ("mobile-lvn", "1.25"),
        ("landline-toll-free", "2.50"),
    ]
    stock = []
    for index in range(150):
        number_type, cost = types[index % 3]
        stock.append(
            Number(
                country="US",
                msisdn=f"1415555{index:04d}",
                type=number_type,
                features=feature_sets[index % 4],
                cost=cost,
            )
        )
    stock += [
        Number("GB", "447700900001", "mobile-lvn", ["SMS", "VOICE"], "1.00"),
        Number("GB", "447700900002", "mobile-lvn", ["SMS"], "1.00"),
        Number("DE", "4915112345678", "mobile-lvn", ["SMS", "VOICE"], "2.00"),
        Number("US", "18005550199", "landline-toll-free", ["VOICE"], "25.00"),
    ]
    return stock


@dataclass
class Fault:
    """One planned reply that replaces the real one: an error status or a delay."""

    status: int | None = None
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay_seconds: float = 0.0


@dataclass
class RecordedRequest:
    """A request the stand-in received, as it arrived."""

    host: str
    method: str
    path: str
    query: dict[str, str]
    form: dict[str, str]
    json: Any
    content_type: str
    authorization: str


class VonageStandIn:
    """The state of one Vonage account and the two HTTPS servers that expose it.

    Use it as a context manager, or call `start` and `stop`. Test code changes
    `balance`, `stock`, `owned` and `applications` directly and reads `requests`.
    """

    def __init__(self, certificates: Certificates) -> None:
        self.api_key = API_KEY
        self.api_secret = API_SECRET
        self.balance = Decimal("10.00")
        self.stock: dict[str, Number] = {
            number.msisdn: number for number in default_stock()
        }
        self.owned: dict[str, Number] = {}
        self.applications: dict[str, dict[str, Any]] = {}
        self.requests: list[RecordedRequest] = []
        # Countries whose numbers need address documents, with the refusal label.
        self.address_required: dict[str, str] = {}
        self.lock = threading.RLock()
        self._faults: dict[tuple[str, str], deque[Fault]] = {}
        self._next_id = 1
        self._release = threading.Event()
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(certificates.certificate_path, certificates.key_path)
        self._rest = _Server(self, "rest", context)
        self._api = _Server(self, "api", context)
        self._threads: list[threading.Thread] = []

    @property
    def rest_host(self) -> str:
        """The `host:port` of the Numbers and Account APIs."""
        return f"{LOOPBACK}:{self._rest.server_address[1]}"

    @property
    def api_host(self) -> str:
        """The `host:port` of the Applications API."""
        return f"{LOOPBACK}:{self._api.server_address[1]}"

    def start(self) -> None:
        for server in (self._rest, self._api):
            # A short poll interval lets `stop` return in milliseconds.
            thread = threading.Thread(
                target=server.serve_forever, args=(0.02,), daemon=True
            )
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        if self._release.is_set():
            return
        self._release.set()
        for server in (self._rest, self._api):
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)

    def __enter__(self) -> VonageStandIn:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # Planned failures

    def fail(
        self,
        method: str,
        path: str,
        status: int,
        *,
        times: int = 1,
        body: Any = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Reply to the next `times` requests to `method path` with `status`.

        Without `body`, the body is the one the API sends for that status.
        """
        for _ in range(times):
            self._plan(method, path, Fault(status, body, dict(headers or {})))

    def slow(self, method: str, path: str, seconds: float, *, times: int = 1) -> None:
        """Delay the next `times` replies to `method path` by `seconds`."""
        for _ in range(times):
            self._plan(method, path, Fault(delay_seconds=seconds))

    def _plan(self, method: str, path: str, fault: Fault) -> None:
        with self.lock:
            self._faults.setdefault((method, path), deque()).append(fault)

    def take_fault(self, method: str, path: str) -> Fault | None:
        with self.lock:
            planned = self._faults.get((method, path))
            return planned.popleft() if planned else None

    def wait(self, seconds: float) -> None:
        """Wait up to `seconds`, returning early when the stand-in stops."""
        self._release.wait(seconds)

    # Reading the log

    def paths(self, method: str | None = None) -> list[str]:
        """Return the paths requested so far, optionally only those of one method."""
        with self.lock:
            return [
                request.path
                for request in self.requests
                if method is None or request.method == method
            ]

    def new_application_id(self) -> str:
        with self.lock:
            number = self._next_id
            self._next_id += 1
        return f"aaaaaaaa-0000-4000-8000-{number:012d}"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(
        self, stand_in: VonageStandIn, host: str, context: ssl.SSLContext
    ) -> None:
        super().__init__((LOOPBACK, 0), _Handler)
        self.stand_in = stand_in
        self.host_kind = host
        self.socket = context.wrap_socket(self.socket, server_side=True)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet when a client hangs up, as clients that time out do."""


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output free of access logs."""

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PUT(self) -> None:
        self._handle("PUT")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def _handle(self, method: str) -> None:
        stand_in = self.server.stand_in
        request = self._record(method)
        fault = stand_in.take_fault(method, request.path)
        if fault is not None and fault.delay_seconds:
            stand_in.wait(fault.delay_seconds)
            fault = None
        if fault is not None:
            body = fault.body
            if body is None:
                body = _default_error_body(self.server.host_kind, fault.status or 500)
            self._reply(fault.status or 500, body, fault.headers)
            return
        with stand_in.lock:
            routes = _rest_routes if self.server.host_kind == "rest" else _api_routes
            status, body = routes(stand_in, request)
        self._reply(status, body)

    def _record(self, method: str) -> RecordedRequest:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        content_type = self.headers.get("Content-Type", "")
        form: dict[str, str] = {}
        document: Any = None
        if content_type.startswith(FORM):
            form = _single_values(parse_qs(raw.decode(), keep_blank_values=True))
        elif raw:
            try:
                document = json.loads(raw)
            except ValueError:
                document = None
        request = RecordedRequest(
            host=self.server.host_kind,
            method=method,
            path=parts.path,
            query=_single_values(parse_qs(parts.query, keep_blank_values=True)),
            form=form,
            json=document,
            content_type=content_type,
            authorization=self.headers.get("Authorization", ""),
        )
        with self.server.stand_in.lock:
            self.server.stand_in.requests.append(request)
        return request

    def _reply(
        self, status: int, body: Any, headers: dict[str, str] | None = None
    ) -> None:
        payload = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        if payload:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        # One request per connection, so that `stop` leaves no connection that a
        # client could keep using.
        self.send_header("Connection", "close")
        self.close_connection = True
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)


def _single_values(values: dict[str, list[str]]) -> dict[str, str]:
    return {name: items[-1] for name, items in values.items()}


def _default_error_body(host: str, status: int) -> dict[str, Any]:
    if host == "rest":
        labels = {401: "authentication failed", 420: "method failed"}
        return {
            "error-code": str(status),
            "error-code-label": labels.get(status, "internal error"),
        }
    return _problem(status, HTTPStatus(status).phrase, "The stand-in was told to fail.")


def _problem(status: int, title: str, detail: str) -> dict[str, Any]:
    return {
        "type": f"https://developer.nexmo.com/api-errors#{status}",
        "title": title,
        "detail": detail,
        "instance": f"trace-{status}-0001",
    }


def _authorized(stand_in: VonageStandIn, request: RecordedRequest) -> bool:
    expected = base64.b64encode(
        f"{stand_in.api_key}:{stand_in.api_secret}".encode()
    ).decode()
    return request.authorization == f"Basic {expected}"


# The Numbers and Account APIs

Reply = tuple[int, Any]


def _rest_routes(stand_in: VonageStandIn, request: RecordedRequest) -> Reply:
    if not _authorized(stand_in, request):
        return 401, {"error-code": "401", "error-code-label": "authentication failed"}
    routes = {
        ("GET", "/number/search"): _search,
        ("GET", "/account/numbers"): _list_owned,
        ("POST", "/number/buy"): _buy,
        ("POST", "/number/cancel"): _cancel,
        ("POST", "/number/update"): _update,
        ("GET", "/account/get-balance"): _balance,
    }
    route = routes.get((request.method, request.path))
    if route is None:
        return 404, {"error-code": "404", "error-code-label": "not found"}
    if request.method == "POST" and not request.content_type.startswith(FORM):
        return 400, {"error-code": "400", "error-code-label": "bad content type"}
    return route(stand_in, request)


def _page_parameters(query: dict[str, str]) -> tuple[int, int] | None:
    try:
        size = int(query.get("size", "10"))
        index = int(query.get("index", "1"))
    except ValueError:
        return None
    if not (1 <= size <= 100 and index >= 1):
        return None
    return size, index


def _matches_pattern(msisdn: str, query: dict[str, str]) -> bool:
    pattern = query.get("pattern")
    if not pattern:
        return True
    match = query.get("search_pattern", "0")
    if match == "0":
        return msisdn.startswith(pattern)
    if match == "2":
        return msisdn.endswith(pattern)
    return pattern in msisdn


def _page_of(numbers: list[Number], query: dict[str, str], owned: bool) -> Reply:
    page = _page_parameters(query)
    if page is None:
        return 400, {"error-code": "400", "error-code-label": "invalid size or index"}
    size, index = page
    numbers = sorted(numbers, key=lambda number: number.msisdn)
    chosen = numbers[(index - 1) * size : index * size]
    if not numbers:
        return 200, {"count": 0}
    as_json = [
        number.owned_json() if owned else number.available_json() for number in chosen
    ]
    return 200, {"count": len(numbers), "numbers": as_json}


def _search(stand_in: VonageStandIn, request: RecordedRequest) -> Reply:
    query = request.query
    country = query.get("country")
    if not country:
        return 400, {"error-code": "400", "error-code-label": "missing country"}
    required_features = set(filter(None, query.get("features", "").split(",")))
    found = [
        number
        for number in stand_in.stock.values()
        if number.country == country
        and number.msisdn not in stand_in.owned
        and (not query.get("type") or number.type == query["type"])
        and required_features <= set(number.features)
        and _matches_pattern(number.msisdn, query)
    ]
    return _page_of(found, query, owned=False)


def _list_owned(stand_in: VonageStandIn, request: RecordedRequest) -> Reply:
    query = request.query
    has_application = query.get("has_application")
    found = [
        number
        for number in stand_in.owned.values()
        if (not query.get("application_id") or number.app_id == query["application_id"])
        and (not query.get("country") or number.country == query["country"])
        and (
            has_application is None
            or bool(number.app_id) == (has_application == "true")
        )
        and _matches_pattern(number.msisdn, query)
    ]
    return _page_of(found, query, owned=True)


def _status(code: str, label: str) -> dict[str, str]:
    return {"error-code": code, "error-code-label": label}


def _buy(stand_in: VonageStandIn, request: RecordedRequest) -> Reply:
    country = request.form.get("country", "")
    msisdn = request.form.get("msisdn", "")
    number = stand_in.stock.get(msisdn)
    if country in stand_in.address_required:
        return 420, _status("420", stand_in.address_required[country])
    if (
        number is None
        or number.country != country
        or msisdn in stand_in.owned
        or Decimal(number.cost) > stand_in.balance
    ):
        return 420, _status("420", "method failed")
    stand_in.balance -= Decimal(number.cost)
    stand_in.owned[msisdn] = Number(
        number.country, msisdn, number.type, list(number.features), number.cost
    )
    return 200, _status("200", "success")


def _cancel(stand_in: VonageStandIn, request: RecordedRequest) -> Reply:
    number = stand_in.owned.get(request.form.get("msisdn", ""))
    if number is None or number.country != request.form.get("country"):
        return 420, _status("420", "method failed")
    del stand_in.owned[number.msisdn]
    return 200, _status("200", "success")


def _update(stand_in: VonageStandIn, request: RecordedRequest) -> Reply:
    number = stand_in.owned.get(request.form.get("msisdn", ""))
    if number is None or number.country != request.form.get("country"):
        return 420, _status("420", "method failed")
    if "app_id" in request.form:
        app_id = request.form["app_id"] or None
        if app_id is not None and app_id not in stand_in.applications:
            return 420, _status("420", "method failed")
        number.app_id = app_id
    return 200, _status("200", "success")


def _balance(stand_in: VonageStandIn, request: RecordedRequest) -> Reply:
    return 200, {"value": float(stand_in.balance), "autoReload": False}


# The Applications API v2


def _api_routes(stand_in: VonageStandIn, request: RecordedRequest) -> Reply:
    if not _authorized(stand_in, request):
        return 401, _problem(
            401,
            "Invalid credentials supplied",
            "You did not provide correct credentials.",
        )
    if request.path == APPLICATIONS_PATH:
        if request.method == "GET":
            return _list_applications(stand_in, request)
        if request.method == "POST":
            return _create_application(stand_in, request)
        return 405, _problem(405, "Request method not allowed", request.method)
    prefix = APPLICATIONS_PATH + "/"
    if not request.path.startswith(prefix):
        return 404, _problem(404, "Not Found", "No such resource.")
    app_id = request.path[len(prefix) :]
    application = stand_in.applications.get(app_id)
    if application is None:
        return 404, _problem(
            404, "Not Found", f"ID '{app_id}' does not exist, or you do not have access"
        )
    if request.method == "GET":
        return 200, _application_json(application)
    if request.method == "PUT":
        return _update_application(stand_in, application, request)
    if request.method == "DELETE":
        del stand_in.applications[app_id]
        for number in stand_in.owned.values():
            if number.app_id == app_id:
                number.app_id = None
        return 204, None
    return 405, _problem(405, "Request method not allowed", request.method)


def _list_applications(stand_in: VonageStandIn, request: RecordedRequest) -> Reply:
    try:
        page_size = int(request.query.get("page_size", "10"))
        page = int(request.query.get("page", "1"))
    except ValueError:
        page_size, page = 0, 0
    if not (1 <= page_size <= 100 and page >= 1):
        return 400, _problem(400, "Bad Request", "page_size must be between 1 and 100")
    applications = sorted(stand_in.applications.values(), key=lambda app: app["id"])
    total_pages = -(-len(applications) // page_size)
    chosen = applications[(page - 1) * page_size : page * page_size]
    links: dict[str, Any] = {"self": {"href": f"{APPLICATIONS_PATH}?page={page}"}}
    if page < total_pages:
        links["next"] = {"href": f"{APPLICATIONS_PATH}?page={page + 1}"}
    return 200, {
        "page_size": page_size,
        "page": page,
        "total_items": len(applications),
        "total_pages": total_pages,
        "_embedded": {"applications": [_application_json(app) for app in chosen]},
        "_links": links,
    }


def _invalid_application(document: Any) -> Reply | None:
    if not isinstance(document, dict) or not document.get("name"):
        problem = _problem(
            400, "Bad Request", "The request failed due to validation errors"
        )
        problem["invalid_parameters"] = [{"name": "name", "reason": "is required"}]
        return 400, problem
    return None


def _create_application(stand_in: VonageStandIn, request: RecordedRequest) -> Reply:
    invalid = _invalid_application(request.json)
    if invalid is not None:
        return invalid
    app_id = stand_in.new_application_id()
    application = {
        "id": app_id,
        "name": request.json["name"],
        "capabilities": request.json.get("capabilities", {}),
        "privacy": request.json.get("privacy"),
    }
    stand_in.applications[app_id] = application
    reply = _application_json(application)
    reply["keys"] = {
        "public_key": f"-----BEGIN PUBLIC KEY-----\n{app_id}\n-----END PUBLIC KEY-----\n",
        "private_key": (
            f"-----BEGIN PRIVATE KEY-----\nstand-in key of {app_id}\n"
            "-----END PRIVATE KEY-----\n"
        ),
    }
    return 201, reply


def _update_application(
    stand_in: VonageStandIn, application: dict[str, Any], request: RecordedRequest
) -> Reply:
    invalid = _invalid_application(request.json)
    if invalid is not None:
        return invalid
    application["name"] = request.json["name"]
    application["capabilities"] = request.json.get("capabilities", {})
    application["privacy"] = request.json.get("privacy")
    return 200, _application_json(application)


def _application_json(application: dict[str, Any]) -> dict[str, Any]:
    reply: dict[str, Any] = {
        "id": application["id"],
        "name": application["name"],
        "capabilities": application["capabilities"],
        "keys": {
            "public_key": (
                f"-----BEGIN PUBLIC KEY-----\n{application['id']}\n"
                "-----END PUBLIC KEY-----\n"
            )
        },
        "_links": {"self": {"href": f"{APPLICATIONS_PATH}/{application['id']}"}},
    }
    if application.get("privacy") is not None:
        reply["privacy"] = application["privacy"]
    return reply


def add_application(
    stand_in: VonageStandIn,
    name: str,
    *,
    answer_url: str = "https://example.com/answer",
    event_url: str = "https://example.com/event",
    voice: bool = True,
) -> str:
    """Create an application directly in the stand-in's account and return its id."""
    capabilities: dict[str, Any] = {
        "messages": {
            "webhooks": {
                "inbound_url": {
                    "address": "https://example.com/inbound",
                    "http_method": "POST",
                }
            }
        }
    }
    if voice:
        capabilities["voice"] = {
            "webhooks": {
                "answer_url": {"address": answer_url, "http_method": "GET"},
                "event_url": {"address": event_url, "http_method": "POST"},
            }
        }
    app_id = stand_in.new_application_id()
    with stand_in.lock:
        stand_in.applications[app_id] = {
            "id": app_id,
            "name": name,
            "capabilities": capabilities,
            "privacy": None,
        }
    return app_id


def own_number(
    stand_in: VonageStandIn, msisdn: str, app_id: str | None = None
) -> Number:
    """Move a number from the stock to the account, as if it had been rented earlier."""
    with stand_in.lock:
        stock = stand_in.stock[msisdn]
        number = Number(
            stock.country, msisdn, stock.type, list(stock.features), stock.cost, app_id
        )
        stand_in.owned[msisdn] = number
    return number


@contextmanager
def running_stand_in(certificates: Certificates) -> Iterator[VonageStandIn]:
    """Run a fresh stand-in for the length of the block."""
    with VonageStandIn(certificates) as stand_in:
        yield stand_in


def connect_to(
    stand_in: VonageStandIn,
    folder: Path,
    *,
    clock: Callable[[], datetime.datetime] | None = None,
    notify: Callable[[str], None] | None = None,
) -> LiveAccount:
    """Open a live account named `test` on the stand-in, with its cache in `folder`.

    One attempt per request and a 1 s timeout keep failing tests short. The caller
    sets `REQUESTS_CA_BUNDLE` to the stand-in's CA.
    """
    settings = ConnectionSettings(
        rest_host=stand_in.rest_host,
        api_host=stand_in.api_host,
        timeout_seconds=1,
        attempts=1,
    )
    return connect_live_account(
        "test",
        Credentials(API_KEY, Secret(API_SECRET)),
        settings,
        private_keys=folder / "private-keys",
        cache_file=folder / "live.db",
        clock=clock,
        notify=notify,
    )
