"""The frame every mode screen shares: header, body and footer."""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Protocol, TypeVar, cast, runtime_checkable

from textual import events
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.worker import Worker

from domain.account import Account
from domain.errors import NumdeskError, StoreBusy
from tui.account_changes import change_in_thread, failure_message
from tui.account_reads import LOADING_TEXT, AccountReads
from tui.widgets.account_note import AccountNote
from tui.widgets.key_footer import KeyFooter
from tui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from tui.app import NumdeskApp

T = TypeVar("T")


class LazyScreen:
    """A mode of the app's MODES whose screen class is imported on first use.

    Textual calls it to make the screen, as it calls a Screen class.
    """

    def __init__(self, module_name: str, class_name: str) -> None:
        self.module_name = module_name
        self.class_name = class_name

    @property
    def screen_class(self) -> type[Screen[object]]:
        """Return the screen class, importing its module the first time."""
        module = importlib.import_module(self.module_name)
        screen_class: type[Screen[object]] = getattr(module, self.class_name)
        return screen_class

    def __call__(self) -> Screen[object]:
        screen = self.screen_class()
        # Textual styles a screen as it registers it. When a screen opens a mode,
        # Textual also parses and applies every stylesheet again, unless the
        # screen is marked as styled with the app's current CSS.
        screen._css_update_count = screen.app._css_update_count
        return screen


@runtime_checkable
class HoldsUnsavedWork(Protocol):
    """A screen that the user has typed into and not saved, such as a form."""

    def unsaved_work(self) -> str | None:
        """Say what quitting now would lose, or return None when nothing is unsaved."""
        ...


def mode_screen_class(mode: object) -> object:
    """Return the screen class of a MODES value: a LazyScreen's class, else the value."""
    return mode.screen_class if isinstance(mode, LazyScreen) else mode


class ModeScreen(Screen[None]):
    """A screen of the app's main modes, with access to the account."""

    # The title, message and monotonic time of the last error notification.
    _last_error: tuple[str, str, float] | None = None

    def __init__(
        self, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name, id, classes)
        self._account_reads = AccountReads(
            self, on_waiting=lambda _: self.show_account_note()
        )

    def post_message(self, message: Message) -> bool:
        if isinstance(message, events.ScreenResume) and not self.is_mounted:
            # Resumed as it opens: its widgets are styled as they mount, and
            # styling them all again would only slow the start down.
            message = events.ScreenResume(refresh_styles=False)
        return super().post_message(message)

    @property
    def numdesk(self) -> NumdeskApp:
        return cast("NumdeskApp", self.app)

    @property
    def account(self) -> Account:
        return self.numdesk.account

    @property
    def mode_name(self) -> str:
        """The name this screen has in the app's MODES, such as `search`."""
        for name, mode in self.numdesk.MODES.items():
            if mode_screen_class(mode) is type(self):
                return str(name)
        return ""

    def compose(self) -> ComposeResult:
        bindings = [
            binding for binding in self.numdesk.BINDINGS if isinstance(binding, Binding)
        ]
        yield TitleBar(self.mode_name, bindings)
        yield AccountNote()
        yield from self.compose_body()
        yield KeyFooter()

    def compose_body(self) -> ComposeResult:
        """Yield the widgets between the header and the footer."""
        yield from ()

    def palette_commands(self) -> Iterable[SystemCommand]:
        """Yield this screen's actions for the command palette."""
        yield from ()

    def refresh_data(self) -> None:
        """Read the account again and show it, keeping the cursor where it is.

        The app calls this on the screen shown when another process has changed the
        store. The default does nothing.
        """

    def read_account(
        self,
        read: Callable[[], T],
        show: Callable[[T], object],
        failure_title: str,
        *,
        group: str,
    ) -> Worker[None] | None:
        """Call `read`, a read through the account, and pass its result to `show`.

        When the account reads over the network, `read` runs in a thread and the
        loading note shows meanwhile, so `read` must touch the account only, never a
        widget. A newer read in the same `group` replaces one still waiting, whose
        result is then dropped. Returns the worker that waits for the thread, or None
        when the read ran at once and `show` has run. A NumdeskError is notified
        under `failure_title`, and the screen stays as it was.
        """
        return self._account_reads.run(
            self.account,
            read,
            lambda result: self._show_read(show, result),
            lambda error: self._show_read_failure(error, failure_title),
            group,
        )

    def _show_read(self, show: Callable[[T], object], result: T) -> None:
        show(result)
        # A read can change the last sync time and whether the account is offline.
        self.numdesk.show_account_status()

    def _show_read_failure(self, error: NumdeskError, title: str) -> None:
        self.show_error(error, title)
        self.numdesk.show_account_status()

    def show_account_note(self) -> None:
        """Show the note under the mode bar: a read waits, or the account is offline.

        The note is hidden when neither is true, as it always is for the sandbox.
        """
        if self._account_reads.waiting:
            text: str | None = LOADING_TEXT
        else:
            text = self.numdesk.offline_note()
        # The screen may be closing, with its widgets gone, when a read ends.
        for note in self.query(AccountNote):
            note.show_text(text)

    def show_error(
        self,
        error: NumdeskError,
        title: str,
        retry: Callable[[], object] | None = None,
    ) -> None:
        """Notify the user of a rejected request, showing its message literally.

        When the store was busy and `retry` is given, ctrl+g calls `retry`.
        """
        message = failure_message(self.numdesk, error, retry)
        retry_offered = isinstance(error, StoreBusy) and retry is not None
        if not retry_offered and self._is_on_display(title, message):
            # A reload after another process's change can meet the same failure
            # as the reload before it, and one notification is enough.
            return
        self._last_error = (title, message, time.monotonic())
        self.notify(message, title=title, severity="error", markup=False)

    def _is_on_display(self, title: str, message: str) -> bool:
        if self._last_error is None:
            return False
        last_title, last_message, shown_at = self._last_error
        age = time.monotonic() - shown_at
        return (last_title, last_message) == (title, message) and (
            age < self.app.NOTIFICATION_TIMEOUT
        )

    async def change_account(
        self,
        change: Callable[[], T],
        failure_title: str,
        retry: Callable[[], object] | None = None,
    ) -> T | None:
        """Run `change`, a call that writes through the account, in a thread.

        While another process keeps the store locked, the change waits up to the
        store's busy timeout without freezing the screen. Returns the change's
        result, or None after showing why it failed, with `retry` on ctrl+g if the
        store stayed busy.
        """
        try:
            return await change_in_thread(change)
        except NumdeskError as error:
            self.show_error(error, failure_title, retry)
            return None
