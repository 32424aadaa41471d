"""The first run: the app shows at once and generates a new sandbox behind a progress bar."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import ProgressBar, Static
from textual.worker import WorkerFailed

from cli.launch import create_app
from cli.session import Session
from domain.account import Account
from store.account import SandboxAccount, open_sandbox
from tests.conftest import TEST_USER, fixed_clock
from tui.app import NumdeskApp
from tui.screens.first_run import FirstRunScreen, ProgressCallback
from tui.screens.search import SearchScreen

SIZE = (80, 24)
ROWS = 3_000
# How long a test waits for the generating thread to reach a step, in seconds.
STEP_TIMEOUT = 60

SnapCompare = Callable[..., bool]


class GatedOpener:
    """Generates a real sandbox store of `ROWS` numbers, held a third of the way.

    The generating thread waits after its first progress report past a third until
    the test calls `release`, so that the test sees the screen during the work.
    """

    def __init__(self, path: Path, hold_seconds: float = STEP_TIMEOUT) -> None:
        self.path = path
        self.hold_seconds = hold_seconds
        self.opened: list[SandboxAccount] = []
        self._reported = threading.Event()
        self._released = threading.Event()

    def __call__(self, on_progress: ProgressCallback) -> Account:
        def progress(done: int, total: int) -> None:
            on_progress(done, total)
            if not self._reported.is_set() and done * 3 >= total:
                self._reported.set()
                self._released.wait(self.hold_seconds)

        account = open_sandbox(
            self.path,
            clock=fixed_clock,
            user=TEST_USER,
            rows=ROWS,
            on_progress=progress,
        )
        self.opened.append(account)
        return account

    async def first_step(self, pilot: Pilot[None]) -> None:
        """Wait until the thread is held and the screen shows its progress."""
        assert await asyncio.to_thread(self._reported.wait, STEP_TIMEOUT)
        await pilot.pause()

    def release(self) -> None:
        self._released.set()

    def close(self) -> None:
        self.release()
        for account in self.opened:
            account.close()


@pytest.fixture
def opener(tmp_path: Path) -> Iterator[GatedOpener]:
    gated = GatedOpener(tmp_path / "first.db")
    yield gated
    gated.close()


def first_run_app(opener: GatedOpener) -> NumdeskApp:
    return NumdeskApp(open_account=opener, default_country="US", store_label="first.db")


def status_text(app: NumdeskApp) -> str:
    return str(app.screen.query_one("#first-run-status", Static).render())


async def test_first_run_screen_first(opener: GatedOpener) -> None:
    app = first_run_app(opener)
    async with app.run_test(size=SIZE) as pilot:
        await opener.first_step(pilot)

        screen = app.screen
        status = status_text(app)
        opener.release()

    assert isinstance(screen, FirstRunScreen)
    assert status == "Generating the sandbox inventory in first.db. This happens once."


async def test_first_run_collects_while_generating(opener: GatedOpener) -> None:
    app = first_run_app(opener)
    async with app.run_test(size=SIZE) as pilot:
        await opener.first_step(pilot)
        collecting = gc.isenabled()
        opener.release()

    assert collecting


async def test_first_run_progress(opener: GatedOpener) -> None:
    app = first_run_app(opener)
    async with app.run_test(size=SIZE) as pilot:
        await opener.first_step(pilot)
        bar = app.screen.query_one(ProgressBar)
        total, progress = bar.total, bar.progress
        opener.release()

    assert total == ROWS
    assert 0 < progress < ROWS


async def test_first_run_then_search(opener: GatedOpener) -> None:
    app = first_run_app(opener)
    async with app.run_test(size=SIZE) as pilot:
        await opener.first_step(pilot)
        opener.release()
        await app.workers.wait_for_complete()
        await pilot.pause()

        assert isinstance(app.screen, SearchScreen)
        assert app.account is opener.opened[0]
        assert app.screen.page == opener.opened[0].search(
            app.screen.query_from_filters()
        )
        assert app.sub_title == "sandbox · balance 10.00 EUR"


async def test_first_run_store_has_rows(opener: GatedOpener) -> None:
    app = first_run_app(opener)
    async with app.run_test(size=SIZE) as pilot:
        await opener.first_step(pilot)
        opener.release()
        await app.workers.wait_for_complete()
        await pilot.pause()
        page = app.screen.page if isinstance(app.screen, SearchScreen) else None

    assert page is not None
    assert 0 < page.count < ROWS


@pytest.mark.parametrize("key", ["f2", "f3", "f4", "f5", "f6"])
async def test_first_run_modes_wait(opener: GatedOpener, key: str) -> None:
    app = first_run_app(opener)
    async with app.run_test(size=SIZE) as pilot:
        await opener.first_step(pilot)
        await pilot.press(key)
        screen = app.screen
        opener.release()

    assert isinstance(screen, FirstRunScreen)


async def test_first_run_palette_has_no_modes(opener: GatedOpener) -> None:
    app = first_run_app(opener)
    async with app.run_test(size=SIZE) as pilot:
        await opener.first_step(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        opener.release()

    assert "Search" not in titles
    assert "Quit" in titles


async def test_first_run_quit_while_generating(opener: GatedOpener) -> None:
    app = first_run_app(opener)
    async with app.run_test(size=SIZE) as pilot:
        await opener.first_step(pilot)
        await pilot.press("ctrl+q")
        # The generation is one transaction in a thread, which finishes before exit.
        opener.release()

    assert app.return_code == 0
    assert opener.path.exists()


def open_folder(path: Path) -> Callable[[ProgressCallback], Account]:
    def open_account(on_progress: ProgressCallback) -> Account:
        return open_sandbox(path, clock=fixed_clock, on_progress=on_progress)

    return open_account


async def test_first_run_error_shown(tmp_path: Path) -> None:
    app = NumdeskApp(open_account=open_folder(tmp_path), store_label=str(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        error = app.screen.query_one("#first-run-error", Static)

        assert isinstance(app.screen, FirstRunScreen)
        assert status_text(app) == "The account could not be opened."
        assert f"The store path {tmp_path} is a folder" in str(error.render())
        assert not app.screen.query_one(ProgressBar).display


@pytest.mark.parametrize(
    ("with_account", "with_opener"), [(True, True), (False, False)]
)
def test_app_needs_one_source(
    account: SandboxAccount, with_account: bool, with_opener: bool
) -> None:
    with pytest.raises(ValueError, match="an account or an opener"):
        NumdeskApp(
            account if with_account else None,
            open_account=open_folder(Path("unused")) if with_opener else None,
        )


async def test_create_app_new_store(tmp_path: Path) -> None:
    path = tmp_path / "numdesk.db"
    session = Session(str(path))
    app = create_app(session)
    try:
        async with app.run_test(size=SIZE) as pilot:
            shown_first = type(app.screen)
            await app.workers.wait_for_complete()
            await pilot.pause()
            shown_then = type(app.screen)
    finally:
        session.close()

    assert shown_first is FirstRunScreen
    assert shown_then is SearchScreen
    assert path.exists()


async def test_create_app_existing_store(store_path: Path) -> None:
    session = Session(str(store_path))
    app = create_app(session)
    try:
        async with app.run_test(size=SIZE):
            shown_first = type(app.screen)
    finally:
        session.close()

    assert shown_first is SearchScreen


class TestFirstRunSnapshots:
    def test_progress(self, snap_compare: SnapCompare, tmp_path: Path) -> None:
        """The first-run screen with its progress bar, held at the first step."""
        # Nothing releases the thread after the capture, so it holds for a while
        # only: the app waits for it before it exits.
        opener = GatedOpener(tmp_path / "first.db", hold_seconds=10)
        app = first_run_app(opener)
        try:
            assert snap_compare(app, run_before=opener.first_step, terminal_size=SIZE)
        finally:
            opener.close()

    def test_error(
        self,
        snap_compare: SnapCompare,
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """The first-run screen when the store path is a folder."""
        # A relative path keeps the temporary folder's name out of the message.
        monkeypatch.chdir(tmp_path)
        folder = Path("a-folder")
        folder.mkdir()

        async def wait_for_error(pilot: Pilot[None]) -> None:
            # The opener fails; the screen handles that when the worker's state
            # changes, so its failure is expected here.
            for worker in list(pilot.app.workers):
                with contextlib.suppress(WorkerFailed):
                    await worker.wait()
            await pilot.pause()

        app = NumdeskApp(open_account=open_folder(folder), store_label="a-folder")
        assert snap_compare(app, run_before=wait_for_error, terminal_size=SIZE)
