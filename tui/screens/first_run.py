"""The first-run screen: opens the account in the background, with a progress bar.

A new sandbox store is generated on first use, which takes several seconds. The app
shows this screen at once, opens the account in a thread, and replaces the screen
with the account's first mode screen when it is ready.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import ProgressBar, Static
from textual.worker import Worker, WorkerState

from domain.account import Account
from domain.errors import NumdeskError
from tui.widgets.key_footer import KeyFooter
from tui.widgets.title_bar import TitleBar

ProgressCallback = Callable[[int, int], None]
AccountOpener = Callable[[ProgressCallback], Account]
"""Opens an account, calling `on_progress(done, total)` while it generates a store."""

OPENING = "Opening the account..."


class FirstRunScreen(Screen[Account]):
    """A progress bar while the account opens, dismissed with the open account.

    The opener runs in a thread, so the screen stays responsive and Ctrl+Q quits
    at any time. When the opener fails, the screen shows why and stays.
    """

    DEFAULT_CSS = """
    FirstRunScreen #first-run {
        align: center middle;
        height: 1fr;
    }
    FirstRunScreen #first-run > * {
        width: 60;
        height: auto;
        margin-bottom: 1;
    }
    FirstRunScreen ProgressBar {
        width: 60;
    }
    """

    def __init__(self, open_account: AccountOpener, store_label: str) -> None:
        super().__init__()
        self._open_account = open_account
        self._store_label = store_label

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Vertical(id="first-run"):
            yield Static(OPENING, id="first-run-status", markup=False)
            yield ProgressBar(total=None, show_eta=False, id="first-run-progress")
            yield Static("", id="first-run-error", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#first-run-error").display = False
        self.run_worker(self._open, thread=True, exit_on_error=False, group="first-run")

    def _open(self) -> Account:
        return self._open_account(self._report_progress)

    @on(Worker.StateChanged)
    def finish_opening(self, event: Worker.StateChanged) -> None:
        """Dismiss with the open account, or show why it did not open.

        An error other than a NumdeskError is a bug, and is raised again so that
        the app stops with its traceback.
        """
        worker = event.worker
        if worker.state is WorkerState.SUCCESS and worker.result is not None:
            self.dismiss(worker.result)
        elif worker.state is WorkerState.ERROR and worker.error is not None:
            if not isinstance(worker.error, NumdeskError):
                raise worker.error
            self.show_error(worker.error)

    def _report_progress(self, done: int, total: int) -> None:
        self.app.call_from_thread(self.show_progress, done, total)

    def show_progress(self, done: int, total: int) -> None:
        """Show `done` of `total` steps of generating the new sandbox inventory."""
        if done < total:
            status = (
                f"Generating the sandbox inventory in {self._store_label}. "
                "This happens once."
            )
        else:
            status = "Building the search indexes..."
        self.query_one("#first-run-status", Static).update(Text(status))
        self.query_one(ProgressBar).update(total=total, progress=done)

    def show_error(self, error: NumdeskError) -> None:
        """Replace the progress bar with the reason the account did not open."""
        self.query_one(ProgressBar).display = False
        self.query_one("#first-run-status", Static).update(
            Text("The account could not be opened.")
        )
        message = self.query_one("#first-run-error", Static)
        message.update(Text(f"{error}\n\nPress Ctrl+Q to quit."))
        message.display = True
