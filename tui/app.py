"""The numdesk Textual app: one mode a screen, all working on one account."""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from domain.account import Account, TakesPlayMoney
from domain.countries import DEFAULT_COUNTRY
from domain.errors import NumdeskError
from tui.account_reads import AccountReads
from tui.account_status import describe_account, describe_offline
from tui.paste_guard import pasted_lines, reject_paste, several_lines_note
from tui.screens.base import HoldsUnsavedWork, LazyScreen, ModeScreen
from tui.store_watch import StoreWatch

if TYPE_CHECKING:
    from tui.screens.first_run import AccountOpener

# How often the app polls the store for changes by other processes, in seconds.
STORE_POLL_SECONDS = 0.5
# The smallest terminal that every screen is laid out for.
MIN_WIDTH = 80
MIN_HEIGHT = 24


class NumdeskApp(App[None]):
    """Search, rent and link numbers and test caller IDs on one account."""

    TITLE = "numdesk"
    # Search is the first screen, so its styles load with the app's. A screen's own
    # CSS_PATH makes Textual parse every stylesheet again when the screen opens.
    CSS_PATH: ClassVar = ["numdesk.tcss", "screens/search.tcss"]

    BINDINGS: ClassVar[list[BindingType]] = [
        # The function keys and ctrl+q have priority, so that they work in dialogs
        # too, as the command palette does. ? has none, because fields take it as text.
        Binding("f1", "help", "Help", id="help", tooltip="Show keys", priority=True),
        Binding(
            "question_mark",
            "help",
            "Help",
            id="help_question_mark",
            tooltip="Show keys",
            show=False,
        ),
        # The mode keys are named in each screen's mode bar, not in the footer.
        Binding(
            "f2",
            "switch_mode('search')",
            "Search",
            id="search",
            show=False,
            priority=True,
        ),
        Binding(
            "f3",
            "switch_mode('numbers')",
            "My numbers",
            id="numbers",
            show=False,
            priority=True,
        ),
        Binding(
            "f4",
            "switch_mode('applications')",
            "Applications",
            id="applications",
            show=False,
            priority=True,
        ),
        Binding(
            "f5",
            "switch_mode('callerid')",
            "Caller ID",
            id="callerid",
            show=False,
            priority=True,
        ),
        Binding(
            "f6",
            "switch_mode('history')",
            "History",
            id="history",
            show=False,
            priority=True,
        ),
        Binding(
            "ctrl+g",
            "retry",
            "Retry",
            id="retry",
            tooltip="Try again the change that found the store busy",
        ),
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True),
        # Priority bindings move the focus before the app passes on the next key:
        # otherwise keys typed right after Tab, or sent together over SSH, still
        # reach the field that Tab left.
        Binding("tab", "focus_next", "Next field", show=False, priority=True),
        Binding(
            "shift+tab", "focus_previous", "Previous field", show=False, priority=True
        ),
    ]

    # Each mode's screen module is imported when the mode first opens, so that
    # start-up imports the Search screen's only.
    MODES: ClassVar = {
        "search": LazyScreen("tui.screens.search", "SearchScreen"),
        "numbers": LazyScreen("tui.screens.numbers", "MyNumbersScreen"),
        "applications": LazyScreen("tui.screens.applications", "ApplicationsScreen"),
        "callerid": LazyScreen("tui.screens.callerid", "CallerIdScreen"),
        "history": LazyScreen("tui.screens.history", "HistoryScreen"),
    }

    account: Account
    """The account that every screen works on, set once it is open."""

    remember_theme: Callable[[str], None] | None = None
    """Saves a theme the user chooses once the app runs, for the next start.

    Raises OSError when it cannot, which the app reports.
    """

    def __init__(
        self,
        account: Account | None = None,
        default_country: str = DEFAULT_COUNTRY,
        *,
        open_account: AccountOpener | None = None,
        store_label: str = "",
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        """Work on `account`, or open one with `open_account` behind a progress bar.

        `open_account(on_progress)` runs in a thread while the first-run screen
        shows, so that the app appears at once even when a new sandbox store is
        generated. `store_label` names that store on the screen. `clock` returns
        the aware time now, which decides whether the header dates the last sync.

        Raises:
            ValueError: both or neither of `account` and `open_account` are given.
        """
        if account is not None:
            # Open on Search as the default mode, because switching to it from
            # Textual's empty first screen would style all of Search twice.
            self.DEFAULT_MODE = "search"  # type: ignore[misc]
        super().__init__()
        if (account is None) == (open_account is None):
            raise ValueError("Give NumdeskApp an account or an opener, not both.")
        self.default_country = default_country
        self._open_account = open_account
        self._store_label = store_label
        self._retry: Callable[[], object] | None = None
        self._clock = clock or _utc_now
        self._balance: Decimal | None = None
        self._account_reads = AccountReads(self)
        self._collector_was_on = True
        self._warned_too_small = False
        self._too_small_notice_ends = 0.0
        # Seconds that the too-small warning shows, during which a resize that is
        # still too small adds no second one.
        self.too_small_notice_seconds = 5.0
        # Themes set before the app runs are not the user's choice to remember.
        self._started = False
        if account is not None:
            self._use_account(account)

    def on_load(self) -> None:
        # Start-up makes tens of thousands of objects that live as long as the app,
        # and Python's collector would walk them several times before the first
        # screen shows: about a tenth of the start-up time.
        self._collector_was_on = gc.isenabled()
        gc.disable()

    def on_mount(self) -> None:
        self._started = True
        self.call_after_refresh(self._restart_collector)
        if self._open_account is None:
            self._start()
            return
        from tui.screens.first_run import FirstRunScreen

        first_run = FirstRunScreen(self._open_account, self._store_label)
        self.push_screen(first_run, self._start_with)

    def on_unmount(self) -> None:
        self._restart_collector()

    def watch_theme(self, theme: str) -> None:
        if not self._started or self.remember_theme is None:
            return
        try:
            self.remember_theme(theme)
        except OSError as error:
            self.notify(
                f"The theme {theme} stays for this session only: {error}",
                title="Theme not saved",
                severity="warning",
                markup=False,
            )

    def on_resize(self, event: events.Resize) -> None:
        self._warn_if_too_small(event.size.width, event.size.height)

    def _warn_if_too_small(self, width: int, height: int) -> None:
        """Warn once when the terminal becomes smaller than the screens' layout.

        A window dragged through several sizes gets one warning, not one each time
        it passes under the smallest size.
        """
        too_small = width < MIN_WIDTH or height < MIN_HEIGHT
        notice_shown = time.monotonic() < self._too_small_notice_ends
        if too_small and not self._warned_too_small and not notice_shown:
            self._too_small_notice_ends = (
                time.monotonic() + self.too_small_notice_seconds
            )
            # The size is not named: the window may change again while this shows.
            self.notify(
                f"The terminal is smaller than the {MIN_WIDTH}x{MIN_HEIGHT} that "
                "numdesk needs, so some lines and keys may not show. Make the window "
                "larger.",
                title="Terminal too small",
                severity="warning",
                markup=False,
                timeout=self.too_small_notice_seconds,
            )
        self._warned_too_small = too_small

    def _restart_collector(self) -> None:
        if self._collector_was_on:
            gc.enable()

    def _use_account(self, account: Account) -> None:
        self.account = account
        self._store_watch = StoreWatch(account)

    def _start_with(self, account: Account | None) -> None:
        if account is not None:
            self._use_account(account)
            self._start()

    def _start(self) -> None:
        self.refresh_account_status()
        self.switch_mode("search")
        self.set_interval(STORE_POLL_SECONDS, self.show_changes_from_elsewhere)

    def refresh_account_status(self) -> None:
        """Read the balance again and show it in the header with the account's status.

        A live account's balance is read in a thread, so the header shows the new
        balance once Vonage replies. A failed read is notified, and the header keeps
        the balance read before.
        """
        self._account_reads.run(
            self.account,
            self.account.balance,
            self._show_balance,
            self._show_balance_failure,
            group="balance",
        )

    def show_account_status(self) -> None:
        """Show the account's name, last balance read, last sync and offline marker.

        This reads nothing over the network, so it runs on every poll.
        """
        self.sub_title = describe_account(
            self.account.name,
            self._balance,
            self.account.last_sync,
            offline=self.account.offline,
            now=self._clock(),
        )
        screen = self._screen_shown()
        if isinstance(screen, ModeScreen):
            screen.show_account_note()

    def _screen_shown(self) -> Screen[object] | None:
        """Return the screen on top, or None while the app closes and has none left."""
        stack = self.screen_stack
        return stack[-1] if stack else None

    def offline_note(self) -> str | None:
        """Return the line that tells the user the account is offline, or None when it is not."""
        if not self.account.offline:
            return None
        return describe_offline(self.account.last_sync, now=self._clock())

    def _show_balance(self, balance: Decimal) -> None:
        self._balance = balance
        self.show_account_status()

    def _show_balance_failure(self, error: NumdeskError) -> None:
        self.show_account_status()
        self.notify(
            str(error), title="Balance not read", severity="error", markup=False
        )

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Compose):
            # Textual builds the first mode's screen before it styles the app, and
            # that screen's widgets would keep colours worked out without the app's.
            self.stylesheet.apply(self)
        # The app receives every paste from the terminal before the focused widget.
        if isinstance(event, events.Paste) and not event.is_forwarded:
            problem = reject_paste(event.text, self.focused)
            if problem is not None:
                self.notify(
                    problem, title="Not pasted", severity="warning", markup=False
                )
                return
            lines = pasted_lines(event.text, self.focused)
            if lines is not None and self.focused is not None:
                if len(lines) > 1:
                    self.notify(
                        several_lines_note(len(lines), self.focused),
                        title="First line pasted",
                        markup=False,
                    )
                event = events.Paste(lines[0])
        await super().on_event(event)

    def show_changes_from_elsewhere(self) -> None:
        """Reload the balance and the screen shown if another process changed them.

        The screen is a mode screen or the rent dialog, whose balance decides
        whether the number can be rented. The header's sync time and offline
        marker are shown again on every call. A screen under a dialog is left
        alone, because it reloads when it is shown again.
        """
        screen = self._screen_shown()
        if screen is None:
            # The poll may fire once more while the app closes.
            return
        self.show_account_status()
        if not self._store_watch.changed():
            return
        self.refresh_account_status()
        from tui.dialogs.rent import RentDialog

        if isinstance(screen, ModeScreen | RentDialog):
            screen.refresh_data()

    def offer_retry(self, retry: Callable[[], object]) -> None:
        """Let ctrl+g run `retry`, once, for a change that found the store busy."""
        self._retry = retry
        self.refresh_bindings()

    def withdraw_retry(self, retry: Callable[[], object]) -> None:
        """Stop offering `retry` on ctrl+g, because what it would change has closed."""
        if self._retry == retry:
            self._retry = None
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "retry":
            return self._retry is not None
        if action == "help":
            # While Help shows, its own F1 binding closes it.
            return not self._shows_help()
        if action == "switch_mode":
            # Every mode screen works on the account, which the first run opens.
            return self.account_is_open
        return True

    @property
    def account_is_open(self) -> bool:
        """Whether the account is open, which the mode screens need."""
        return hasattr(self, "account")

    def action_retry(self) -> None:
        retry, self._retry = self._retry, None
        self.refresh_bindings()
        if retry is not None:
            retry()

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        if not self._shows_help():
            self.push_screen(HelpScreen())

    def _shows_help(self) -> bool:
        # Help is imported when first opened, so until then it cannot be showing.
        help_module = sys.modules.get("tui.screens.help")
        return help_module is not None and isinstance(
            self._screen_shown(), help_module.HelpScreen
        )

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        # Help lists every key of every screen, so Textual's own Keys panel is left
        # out: two commands for the keys, each listing others, would confuse.
        for command in super().get_system_commands(screen):
            if command.title != "Keys":
                yield command
        if not self.account_is_open:
            return
        yield SystemCommand(
            "Search", "Search available numbers (F2)", self._show("search")
        )
        yield SystemCommand(
            "My numbers",
            "Owned numbers: link, unlink, cancel (F3)",
            self._show("numbers"),
        )
        yield SystemCommand(
            "Applications",
            "Create, edit and delete voice applications (F4)",
            self._show("applications"),
        )
        yield SystemCommand(
            "Caller ID",
            "Format a caller ID and preview calls (F5)",
            self._show("callerid"),
        )
        yield SystemCommand(
            "History",
            "Who changed what and when, by number or application (F6)",
            self._show("history"),
        )
        if self._retry is not None:
            yield SystemCommand(
                "Retry",
                "Try the change that found the store busy again (ctrl+g)",
                self.action_retry,
            )
        if isinstance(self.account, TakesPlayMoney):
            yield SystemCommand(
                "Add play money",
                "Add EUR to the sandbox balance, logged in History",
                self.add_play_money,
            )
        yield SystemCommand("Help", "Show every key (F1 or ?)", self.action_help)
        if isinstance(screen, ModeScreen):
            yield from screen.palette_commands()

    async def action_quit(self) -> None:
        """Quit, asking first when a screen of any mode contains unsaved work.

        A second ctrl+q while the question shows quits without asking again.
        """
        from tui.dialogs.confirm import QuitQuestion

        unsaved = self._unsaved_work()
        if not unsaved or isinstance(self._screen_shown(), QuitQuestion):
            self.exit()
            return
        self.push_screen(QuitQuestion(unsaved), self._quit_if_confirmed)

    def _unsaved_work(self) -> list[str]:
        """Say what each screen with unsaved work would lose, in every mode opened."""
        found = []
        for mode in self.MODES:
            try:
                stack = self.get_screen_stack(mode)
            except KeyError:
                # A mode never opened has no screens.
                continue
            for screen in stack:
                if isinstance(screen, HoldsUnsavedWork):
                    work = screen.unsaved_work()
                    if work is not None:
                        found.append(work)
        return found

    def _quit_if_confirmed(self, confirmed: bool | None) -> None:
        if confirmed:
            self.exit()

    def add_play_money(
        self,
        suggested: Decimal | None = None,
        after: Callable[[], object] | None = None,
    ) -> None:
        """Ask how much play money to add to the sandbox balance, and add it.

        `suggested` is the amount offered; `after` runs once the credit is added.
        """
        from tui.dialogs.play_money import PlayMoneyDialog

        account = self.account
        if not isinstance(account, TakesPlayMoney):
            return

        def added(balance: Decimal | None) -> None:
            if balance is None:
                return
            self.notify(
                f"The balance is {balance:.2f} EUR now.", title="Play money added"
            )
            self.refresh_account_status()
            if after is not None:
                after()

        self.push_screen(PlayMoneyDialog(account, suggested), added)

    def _show(self, mode: str) -> Callable[[], object]:
        return lambda: self.open_mode(mode)

    async def action_switch_mode(self, mode: str) -> None:
        self.open_mode(mode)

    def open_mode(self, mode: str) -> None:
        """Show the screen of `mode`, as the user asked from a key or the palette.

        The notifications shown belong to the screen left behind, as does `press
        F4 to create one`, so they close.
        """
        if mode != self.current_mode:
            self.clear_notifications()
        self.switch_mode(mode)


def _utc_now() -> datetime:
    return datetime.now(UTC)
