"""The dialog that adds play money to the sandbox balance."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from domain.account import TakesPlayMoney
from domain.errors import InvalidInput, NumdeskError
from domain.money import CREDIT_RANGE, read_eur_amount
from tui.account_changes import change_in_thread, failure_message
from tui.widgets.field_error import FieldError
from tui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from tui.app import NumdeskApp

DEFAULT_CREDIT = Decimal("10.00")


class PlayMoneyDialog(ModalScreen[Decimal | None]):
    """A dialog that adds EUR of play money to the sandbox balance, logged in History.

    Dismisses with the new balance, or None when the user backs out. An amount
    that the account rejects is explained under the field, which keeps its text.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Back", id="cancel_credit", tooltip="Add nothing"),
    ]

    DEFAULT_CSS = """
    PlayMoneyDialog {
        align: center middle;
    }
    PlayMoneyDialog > #credit-dialog {
        width: 60;
        max-width: 100%;
        height: auto;
        border: thick $primary;
        background: $surface;
        padding: 1 2;
    }
    PlayMoneyDialog #credit-help {
        margin-bottom: 1;
    }
    PlayMoneyDialog #credit-buttons {
        height: auto;
        margin-top: 1;
        align-horizontal: right;
    }
    PlayMoneyDialog Button {
        margin-left: 2;
    }
    """

    def __init__(self, account: TakesPlayMoney, suggested: Decimal | None = None):
        """Build the dialog.

        Args:
            account: The sandbox account whose balance grows.
            suggested: The amount offered, such as what a rent is missing.
        """
        super().__init__()
        self.account = account
        self.suggested = suggested if suggested is not None else DEFAULT_CREDIT
        self._adding = False

    @property
    def numdesk(self) -> NumdeskApp:
        return cast("NumdeskApp", self.app)

    def compose(self) -> ComposeResult:
        with Vertical(id="credit-dialog") as dialog:
            dialog.border_title = "Add play money"
            yield Static(
                "The sandbox balance is play money: no real money is spent. Add "
                f"{CREDIT_RANGE} at a time.",
                id="credit-help",
                markup=False,
            )
            yield Label("EUR", markup=False)
            yield Input(f"{self.suggested:.2f}", id="credit-amount", max_length=20)
            yield FieldError(id="credit-error")
            with Horizontal(id="credit-buttons"):
                yield Button("Back", id="credit-back", action="screen.cancel")
                yield Button(
                    "Add", variant="primary", id="credit-add", action="screen.add"
                )
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#credit-amount", Input).focus()

    @on(Input.Submitted, "#credit-amount")
    def add_on_enter(self) -> None:
        self.action_add()

    @on(Input.Changed, "#credit-amount")
    def hide_error(self) -> None:
        self._credit_error.show_message("")

    def action_add(self) -> None:
        """Add the amount typed, in a thread, unless it is no amount of EUR."""
        if self._adding:
            return
        try:
            amount = read_eur_amount(self.query_one("#credit-amount", Input).value)
        except InvalidInput as error:
            self._credit_error.show_message(str(error))
            return
        self._adding = True
        self.run_worker(self._add(amount), group="credit", exclusive=True)

    def action_cancel(self) -> None:
        if not self._adding:
            self.dismiss(None)

    async def _add(self, amount: Decimal) -> None:
        try:
            balance = await change_in_thread(lambda: self.account.add_credit(amount))
        except NumdeskError as error:
            self._adding = False
            message = failure_message(self.numdesk, error, self.action_add)
            self._credit_error.show_message(message)
            return
        self.dismiss(balance)

    @property
    def _credit_error(self) -> FieldError:
        return self.query_one("#credit-error", FieldError)
