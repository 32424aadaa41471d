"""The rent dialog: a number's details and cost, and the balance before and after."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar, cast

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from domain.account import Account, TakesPlayMoney
from domain.countries import find_country
from domain.errors import AlreadyOwned, NumberNotAvailable, NumdeskError, StoreBusy
from domain.numbers import AvailableNumber, OwnedNumber
from tui.account_changes import change_in_thread, failure_message
from tui.widgets.key_footer import KeyFooter
from tui.widgets.results_table import feature_names, monthly_cost

if TYPE_CHECKING:
    from tui.app import NumdeskApp

BALANCE_PENDING = "reading..."
NO_VOICE_NOTE = (
    "Without VOICE this number takes no calls, so it cannot link to a voice "
    "application."
)


def describe_shortfall(
    number: AvailableNumber, balance: Decimal, charges_real_money: bool
) -> str:
    """Explain why a balance cannot pay a number's first month, and what to do."""
    missing = number.cost - balance
    top_up = (
        "Top up the account in the Vonage dashboard"
        if charges_real_money
        else f"Press a to add the missing {missing:.2f} EUR of play money"
    )
    return (
        f"Not enough balance: {number.msisdn} costs {monthly_cost(number)} EUR a "
        f"month and the balance is {balance:.2f} EUR. {top_up}, or choose a "
        "cheaper number."
    )


def describe_charge(charges_real_money: bool) -> str:
    """Describe whether confirming the rent spends real money."""
    if charges_real_money:
        return "Real money: the rent is billed to the Vonage account."
    return "Sandbox account: no real money is spent."


class ArmedButton(Button):
    """A button that ignores an Enter typed before `arm` gave it the focus.

    Keys typed in one burst wait in the queue while the dialog opens, so without
    this an Enter meant for the search could press the button once it is focused.
    """

    _armed_at = 0.0

    def arm(self) -> None:
        """Focus the button, and let it take only Enter keys typed from now on."""
        # A key event records when it was read on Textual's clock, and so does a
        # new message.
        self._armed_at = Message().time
        self.focus()

    def on_key(self, event: events.Key) -> None:
        if event.key == "enter" and event.time < self._armed_at:
            event.stop()
            event.prevent_default()


class RentDialog(ModalScreen[OwnedNumber | None]):
    """A dialog that shows what renting `number` costs and rents it on confirmation.

    Dismisses with the rented number, or None when the user backs out. A rejected
    rent (no balance, number taken meanwhile) is explained in the dialog and leaves
    the account unchanged, so the user can only back out from there. A store that
    another process kept busy leaves the button enabled, to try again, and ctrl+g
    tries again too.

    The balance and the rent are read and written in threads, so the dialog keeps
    working while another process keeps the store locked. Backing out while the rent
    waits for the store closes the dialog when the rent ends, because the rent
    cannot be withdrawn once sent. A rent that ended is reported as usual.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Back", id="cancel_rent", tooltip="Rent nothing"),
        Binding(
            "a",
            "add_credit",
            "Add money",
            id="add_credit",
            tooltip="Add the play money that the rent is missing",
        ),
        # A modal screen does not pass keys on to the app's bindings.
        Binding(
            "ctrl+g",
            "app.retry",
            "Retry",
            id="retry_rent",
            tooltip="Try again the change that found the store busy",
        ),
    ]
    CSS_PATH = "rent.tcss"

    def __init__(self, number: AvailableNumber, account: Account) -> None:
        super().__init__()
        self.number = number
        self.account = account
        self.balance: Decimal | None = None
        self._renting = False
        self._backed_out = False
        # A rent that failed for another reason than a busy store is final.
        self._rejected = False
        # A rent that ended while another screen covered the dialog.
        self._unshown_result: OwnedNumber | NumdeskError | None = None

    @property
    def numdesk(self) -> NumdeskApp:
        return cast("NumdeskApp", self.app)

    @property
    def balance_after(self) -> Decimal | None:
        """The balance after paying the first month, negative when it is too low."""
        if self.balance is None:
            return None
        return self.balance - self.number.cost

    @property
    def affordable(self) -> bool:
        """Whether the balance, once read, pays the first month."""
        return self.balance_after is not None and self.balance_after >= 0

    def compose(self) -> ComposeResult:
        country = find_country(self.number.country)
        with Vertical(id="rent-dialog"):
            yield Label("Rent this number?", id="rent-title")
            with Grid(id="rent-details"):
                for field, value, value_id in (
                    ("Number", self.number.msisdn, None),
                    ("Country", country.label, None),
                    ("Type", self.number.type.label, None),
                    ("Features", feature_names(self.number), None),
                    ("Monthly cost", f"{monthly_cost(self.number)} EUR", None),
                    ("Balance now", BALANCE_PENDING, "balance-now"),
                    ("Balance after", BALANCE_PENDING, "balance-after"),
                ):
                    yield Label(field, classes="rent-field", markup=False)
                    yield Label(value, classes="rent-value", id=value_id, markup=False)
            yield Static(
                describe_charge(self.account.charges_real_money),
                id="rent-charge",
                classes="-real-money" if self.account.charges_real_money else "",
                markup=False,
            )
            if not self.number.has_voice:
                yield Static(NO_VOICE_NOTE, id="rent-no-voice", markup=False)
            yield Static(id="rent-message", markup=False)
            with Horizontal(id="rent-buttons"):
                yield ArmedButton(
                    f"Rent for {monthly_cost(self.number)} EUR",
                    variant="primary",
                    id="rent",
                    disabled=True,
                )
                yield Button("Back", id="back")
            yield Label("Tab next button · Enter press it · Esc back", id="rent-keys")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#rent-message", Static).display = False
        self.query_one("#back", Button).focus()
        self.run_worker(self._show_balance(), group="rent-balance", exclusive=True)

    def on_screen_resume(self) -> None:
        result, self._unshown_result = self._unshown_result, None
        if result is not None:
            self._show_result(result)

    def refresh_data(self) -> None:
        """Check that the number is still available, and read the balance again."""
        if not (self._renting or self._backed_out or self._rejected):
            self.run_worker(
                self._show_current_state(), group="rent-balance", exclusive=True
            )

    async def _show_current_state(self) -> None:
        msisdn = self.number.msisdn
        try:
            await change_in_thread(lambda: self.account.available_number(msisdn))
        except (NumberNotAvailable, AlreadyOwned) as error:
            self._rejected = True
            self._show_message(
                f"{error} Press Esc and choose another number.", error=True
            )
            self._disable_rent()
            await self._show_balance("(no change)")
            return
        except NumdeskError:
            # The balance read that follows reports the store error.
            pass
        await self._show_balance()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "add_credit":
            return self._short_of_play_money()
        return True

    def _short_of_play_money(self) -> bool:
        return (
            isinstance(self.account, TakesPlayMoney)
            and self.balance_after is not None
            and not self.affordable
            and not (self._renting or self._backed_out or self._rejected)
        )

    def action_add_credit(self) -> None:
        """Offer to add the play money that the first month is missing."""
        if self.balance_after is not None and self._short_of_play_money():
            self.numdesk.add_play_money(-self.balance_after, after=self.refresh_data)

    @on(Button.Pressed, "#rent")
    def rent_number(self) -> None:
        self.start_rent()

    @on(Button.Pressed, "#back")
    def back_out(self) -> None:
        self.action_cancel()

    def action_cancel(self) -> None:
        self.numdesk.withdraw_retry(self.start_rent)
        if not self._renting:
            self.dismiss(None)
            return
        # Screens under the dialog read the account, which waits for this rent, so
        # the dialog closes when the rent ends rather than freeze the screen below.
        self._backed_out = True
        self._show_message(
            "Closing when the store answers: the rent was sent and cannot be "
            "withdrawn. You will be told whether it was made.",
            error=False,
        )

    def start_rent(self) -> None:
        """Rent the number in a thread, unless a rent is under way or the user backed out."""
        if self._renting or self._backed_out:
            return
        self._renting = True
        rent = self.query_one("#rent", Button)
        rent.disabled = True
        rent.label = "Renting..."
        self.query_one("#back", Button).focus()
        self._show_message(
            "Waiting for the store, which another numdesk may be writing to. "
            "The keys still work meanwhile.",
            error=False,
        )
        self.run_worker(self._rent(), group="rent", exclusive=True)

    async def _show_balance(self, suffix: str = "") -> None:
        try:
            self.balance = await change_in_thread(self.account.balance)
        except NumdeskError as error:
            self._show_message(f"Balance not read. {error}", error=True)
            self._disable_rent()
            return
        self.query_one("#balance-now", Label).update(self._balance_text())
        if suffix:
            after = f"{self._balance_text()} {suffix}"
            self.query_one("#balance-after", Label).update(after)
            return
        self.query_one("#balance-after", Label).update(self._balance_after_text())
        # The key that adds play money shows only while the balance is short.
        self.refresh_bindings()
        if self.affordable:
            self._enable_rent()
        else:
            self._show_message(
                describe_shortfall(
                    self.number,
                    self._known_balance(),
                    self.account.charges_real_money,
                ),
                error=True,
            )
            self._disable_rent()

    async def _rent(self) -> None:
        msisdn = self.number.msisdn
        result: OwnedNumber | NumdeskError
        try:
            result = await change_in_thread(lambda: self.account.rent(msisdn))
        except NumdeskError as error:
            result = error
        self._renting = False
        if self.app.screen is self:
            self._show_result(result)
        else:
            self._unshown_result = result

    def _show_result(self, result: OwnedNumber | NumdeskError) -> None:
        if isinstance(result, OwnedNumber):
            self.dismiss(result)
        elif self._backed_out:
            self.notify(
                f"{self.number.msisdn} was not rented. {result}",
                title="Not rented",
                severity="error",
                markup=False,
            )
            self.dismiss(None)
        else:
            self._show_rejection(result)

    def _balance_text(self) -> str:
        return f"{self._known_balance():.2f} EUR"

    def _balance_after_text(self) -> str:
        text = f"{self._known_balance() - self.number.cost:.2f} EUR"
        return text if self.affordable else f"{text} (too low)"

    def _known_balance(self) -> Decimal:
        if self.balance is None:
            raise RuntimeError("The balance is shown before it was read.")
        return self.balance

    def _show_message(self, text: str, *, error: bool) -> None:
        message = self.query_one("#rent-message", Static)
        message.update(Content(text))
        message.display = True
        message.set_class(error, "-error")

    def _show_rejection(self, error: NumdeskError) -> None:
        message = failure_message(self.numdesk, error, self.start_rent)
        self._show_message(f"Rent failed. {message}", error=True)
        if isinstance(error, StoreBusy):
            rent = self.query_one("#rent", ArmedButton)
            rent.disabled = False
            rent.label = "Try again"
            rent.arm()
            return
        self._rejected = True
        self._disable_rent()

        # Another process may have changed the balance, which is then shown as it is.
        self.run_worker(
            self._show_balance("(no change)"), group="rent-balance", exclusive=True
        )

    def _enable_rent(self) -> None:
        rent = self.query_one("#rent", ArmedButton)
        if rent.disabled:
            # A balance read again may have ended a shortfall that the dialog showed.
            self.query_one("#rent-message", Static).display = False
            rent.disabled = False
            rent.label = f"Rent for {monthly_cost(self.number)} EUR"
            # The button keeps the width of its last label unless laid out again.
            rent.refresh(layout=True)
            if not self.account.charges_real_money:
                # Real money waits for the user to move to the button: Enter, typed
                # on from the search, must not rent.
                rent.arm()

    def _disable_rent(self) -> None:
        # The label changes too, because a disabled button differs only in colour.
        rent = self.query_one("#rent", Button)
        rent.disabled = True
        rent.label = "Cannot rent"
        rent.refresh(layout=True)
        self.query_one("#back", Button).focus()
