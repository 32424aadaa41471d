"""The rent dialog: a number's details and cost, and the balance before and after."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from domain.account import Account
from domain.countries import find_country
from domain.errors import NumdeskError, StoreBusy
from domain.numbers import AvailableNumber, OwnedNumber
from tui.widgets.results_table import feature_names, monthly_cost


def describe_shortfall(number: AvailableNumber, balance: Decimal) -> str:
    """Explain why a balance cannot pay a number's first month, and what to do."""
    return (
        f"Not enough balance: {number.msisdn} costs {monthly_cost(number)} EUR a "
        f"month and the balance is {balance:.2f} EUR. Top up the account or choose "
        "a cheaper number."
    )


def describe_charge(charges_real_money: bool) -> str:
    """Describe whether confirming the rent spends real money."""
    if charges_real_money:
        return "Real money: the rent is billed to the Vonage account."
    return "Sandbox account: no real money is spent."


class RentDialog(ModalScreen[OwnedNumber | None]):
    """A dialog that shows what renting `number` costs and rents it on confirmation.

    Dismisses with the rented number, or None when the user backs out. A rejected
    rent (no balance, number taken meanwhile) is explained in the dialog and leaves
    the account unchanged, so the user can only back out from there. A store that
    another process kept busy leaves the button enabled, to try again.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Back", id="cancel_rent", tooltip="Rent nothing"),
    ]
    CSS_PATH = "rent.tcss"

    def __init__(self, number: AvailableNumber, account: Account) -> None:
        super().__init__()
        self.number = number
        self.account = account
        self.balance = account.balance()

    @property
    def balance_after(self) -> Decimal:
        """The balance after paying the first month, negative when it is too low."""
        return self.balance - self.number.cost

    @property
    def affordable(self) -> bool:
        """Whether the balance pays the first month."""
        return self.balance_after >= 0

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
                    ("Balance now", self._balance_text(), "balance-now"),
                    ("Balance after", self._balance_after_text(), "balance-after"),
                ):
                    yield Label(field, classes="rent-field", markup=False)
                    yield Label(value, classes="rent-value", id=value_id, markup=False)
            yield Static(
                describe_charge(self.account.charges_real_money),
                id="rent-charge",
                classes="-real-money" if self.account.charges_real_money else "",
                markup=False,
            )
            yield Static(self._initial_message(), id="rent-message", markup=False)
            with Horizontal(id="rent-buttons"):
                yield Button(
                    f"Rent for {monthly_cost(self.number)} EUR",
                    variant="primary",
                    id="rent",
                )
                yield Button("Back", id="back")
            yield Label("Tab next button · Enter press it · Esc back", id="rent-keys")

    def on_mount(self) -> None:
        message = self.query_one("#rent-message", Static)
        message.display = not self.affordable
        message.set_class(not self.affordable, "-error")
        if self.affordable:
            self.query_one("#rent", Button).focus()
        else:
            self._disable_rent()

    @on(Button.Pressed, "#rent")
    def rent_number(self) -> None:
        try:
            owned = self.account.rent(self.number.msisdn)
        except NumdeskError as error:
            self._show_rejection(error)
            return
        self.dismiss(owned)

    @on(Button.Pressed, "#back")
    def back_out(self) -> None:
        self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def _balance_text(self) -> str:
        return f"{self.balance:.2f} EUR"

    def _balance_after_text(self) -> str:
        text = f"{self.balance_after:.2f} EUR"
        return text if self.affordable else f"{text} (too low)"

    def _initial_message(self) -> str:
        return "" if self.affordable else describe_shortfall(self.number, self.balance)

    def _show_rejection(self, error: NumdeskError) -> None:
        message = self.query_one("#rent-message", Static)
        message.update(Content(f"Rent failed. {error}"))
        message.display = True
        message.add_class("-error")
        if isinstance(error, StoreBusy):
            self.query_one("#rent", Button).label = "Try again"
            return
        self._disable_rent()

        # Another process may have changed the balance, which is then shown as it is.
        self.balance = self.account.balance()
        self.query_one("#balance-now", Label).update(self._balance_text())
        self.query_one("#balance-after", Label).update(
            f"{self._balance_text()} (no change)"
        )

    def _disable_rent(self) -> None:
        # The label changes too, because a disabled button differs only in colour.
        rent = self.query_one("#rent", Button)
        rent.disabled = True
        rent.label = "Cannot rent"
        self.query_one("#back", Button).focus()
