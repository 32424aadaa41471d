"""The textual-serve server behind `numdesk serve`.

`cli.serve` imports this module only when the command runs, so that other commands
start without aiohttp and textual-serve.
"""

from __future__ import annotations

import errno
import os
import socket
import sys
from collections.abc import Callable
from contextlib import redirect_stdout

from aiohttp import web
from rich.console import Console
from textual_serve.server import Server

from cli.output import print_note
from domain.errors import NumdeskError

# The errno values of a bind to a taken port, to an address that is not on this
# machine, and to a port below 1024 without the privilege.
_BIND_ERRORS = {errno.EADDRINUSE, errno.EADDRNOTAVAIL, errno.EACCES}


class ServeFailed(NumdeskError):
    """A server that cannot listen on the requested address and port."""


class NumdeskServer(Server):
    """textual-serve's server with its start-up text and log on stderr.

    Stdout is kept for the `--json` line, so that a script can read it.
    """

    # NOTE: textual-serve 1.1.3's page links the Roboto Mono font from Google Fonts,
    # so browsers request it from there. Without internet they draw the terminal in
    # a local monospace font instead.

    def __init__(self, command: str, host: str, port: int, public_url: str) -> None:
        super().__init__(
            command, host=host, port=port, title="numdesk", public_url=public_url
        )
        self.console = Console(stderr=True)

    async def on_startup(self, app: web.Application) -> None:
        # aiohttp runs this before it binds the socket, so the server is not yet
        # listening: a bind error may follow.
        print_note(f"Starting numdesk at {self.public_url}. Press Ctrl+C to stop.")


def run_server(
    command: str,
    host: str,
    port: int,
    public_url: str,
    announce: Callable[[], object] = lambda: None,
) -> None:
    """Serve the app `command` until Ctrl+C or SIGTERM, writing only to stderr.

    `announce` runs once the address and port are free to listen on, before the
    server starts. textual-serve copies the stderr of an app process that fails
    to its own stdout, which would break the `--json` output, so stdout points to
    stderr while it serves.

    Raises:
        ServeFailed: the host name does not resolve, or the address and port
            cannot be listened on.
    """
    server = NumdeskServer(command, host, port, public_url)
    try:
        _check_can_listen(host, port)
        announce()
        with redirect_stdout(sys.stderr):
            server.serve()
    except socket.gaierror as error:
        raise ServeFailed(
            f"Cannot find the address of the host {host!r}: {error.strerror}. Give "
            "an IP address, or a host name that this machine resolves."
        ) from error
    except OSError as error:
        if error.errno not in _BIND_ERRORS:
            raise
        raise ServeFailed(
            f"Cannot listen on {host} port {port}: {os.strerror(error.errno)}. "
            "Choose another --port, or a --host address of this machine."
        ) from error


def _check_can_listen(host: str, port: int) -> None:
    """Bind each address of `host` to `port` and let it go, as the server will bind.

    Raises:
        OSError: an address cannot be bound, such as a port in use.
        socket.gaierror: the host name does not resolve.
    """
    addresses = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )
    for family, kind, protocol, _, address in addresses:
        with socket.socket(family, kind, protocol) as probe:
            # As aiohttp does, so that a port left in TIME_WAIT counts as free.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
