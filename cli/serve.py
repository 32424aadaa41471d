"""`numdesk serve`: the app in a browser tab, served with textual-serve.

textual-serve sends each browser tab a page whose script opens a websocket, and runs
one app process per websocket. That process is this same numdesk, started with
the root options of the `serve` command (`--db`, `--account` or `--live`, `--theme`), so
every tab works on the same account.
"""

from __future__ import annotations

import ipaddress
import json
import shlex
import socket
import sys
from pathlib import Path

import click

from cli.options import example, json_option, pass_session
from cli.output import print_note
from cli.session import Session
from store.account import SandboxAccount

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


@click.command(epilog=example("numdesk serve --port 8000"))
@click.option(
    "--host",
    default=DEFAULT_HOST,
    show_default=True,
    metavar="ADDRESS",
    help="IP address or host name to listen on. Any address but a loopback one "
    "lets other machines use the store.",
)
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=DEFAULT_PORT,
    show_default=True,
    help="TCP port to listen on.",
)
@click.option(
    "--public-url",
    metavar="URL",
    help="URL that browsers open, when it differs from http://ADDRESS:PORT, such "
    "as behind a reverse proxy. The page loads its script and opens its websocket "
    "there. For 0.0.0.0 and :: the default names this machine's host name.",
)
@json_option
@pass_session
def serve(
    session: Session, host: str, port: int, public_url: str | None, as_json: bool
) -> None:
    """Serve the app over HTTP, so that a browser tab can use it.

    Each tab runs its own app process on this command's account: the same store,
    or the same live account. The server has no login: anyone who can open the
    page can rent and cancel numbers. It therefore listens on 127.0.0.1 unless
    --host names another address, and warns when it does. With --json, one line of
    JSON with the URL, the account and the store goes to stdout once the address
    and port are free to listen on, and nothing when they are not.
    """
    store = session.store_path.resolve()
    # Opening the account now generates a new store, with its progress line, or
    # checks a live account, and rejects an unusable choice before serving.
    account = session.account()
    account_name = account.name
    served = (
        f"the store {store}"
        if isinstance(account, SandboxAccount)
        else f"the Vonage account {account_name}"
    )
    session.close()

    url = public_url or local_url(host, port)
    if not is_loopback(host):
        print_note(exposure_warning(host, port, served))
    # One line, so that a script can read it with `read` or `readline`, and ASCII,
    # so that no character of the store path reaches the terminal raw.
    details = {
        "url": url,
        "host": host,
        "port": port,
        "account": account_name,
        "store": str(store),
    }

    def announce() -> None:
        if as_json:
            click.echo(json.dumps(details, ensure_ascii=True))

    # aiohttp and textual-serve load here only, so that other commands start fast.
    from cli.web_server import run_server

    command = app_command(store, session.theme, session.account_option, session.live)
    run_server(command, host, port, url, announce)


def app_command(
    store: Path, theme: str | None, account: str | None = None, live: bool = False
) -> str:
    """Return the shell command that runs the app for textual-serve.

    The app gets the same store, theme and account choice as `serve`. It runs with
    this Python and the `cli.main` module, so that it is the same installation of
    numdesk even when the `numdesk` script is not on PATH.
    """
    arguments = [sys.executable, "-m", "cli.main", "--db", str(store)]
    if theme is not None:
        arguments += ["--theme", theme]
    if account is not None:
        arguments += ["--account", account]
    if live:
        arguments.append("--live")
    return shlex.join(arguments)


def local_url(host: str, port: int) -> str:
    """Return the URL that browsers open for a server on `host` and `port`.

    An IPv6 address goes in brackets. For an address of every interface, such as
    0.0.0.0, the URL names this machine's host name, because no browser can open
    the address itself.
    """
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return f"http://{host}:{port}"
    if address.is_unspecified:
        return f"http://{socket.gethostname()}:{port}"
    if address.version == 6:
        return f"http://[{host}]:{port}"
    return f"http://{host}:{port}"


def is_loopback(host: str) -> bool:
    """Return whether `host` is `localhost` or a loopback IP address.

    Any other host name counts as reachable from other machines, even one that
    resolves to a loopback address, so that the warning errs on the safe side.
    """
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def exposure_warning(host: str, port: int, served: str) -> str:
    """Return the warning printed when the server listens beyond this machine.

    `served` names what the tabs work on, such as `the store /path/numdesk.db`.
    """
    return (
        f"warning: numdesk serve listens on {host} port {port}, so anyone who can "
        f"reach that port can use {served}: rent and cancel numbers and change "
        "applications, without a password. Use --host 127.0.0.1 unless every "
        "machine that can reach the port is trusted."
    )
