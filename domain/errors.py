"""The exceptions numdesk raises for conditions a user can act on.

Every message is a complete sentence meant to be shown as it is: it names the value that
was wrong and says what to do next.
"""


class NumdeskError(Exception):
    """A request that numdesk rejected, with a message fit to show a user."""


class InvalidInput(NumdeskError):
    """A value typed or passed by the user that is not valid for its field."""


class NotFound(NumdeskError):
    """A number or application that does not exist in this account."""


class NumberNotAvailable(NumdeskError):
    """A number that is no longer in the inventory, usually rented by someone else."""


class AlreadyOwned(NumdeskError):
    """A number that this account already rents."""


class InsufficientBalance(NumdeskError):
    """A rent that costs more than the account's balance."""


class BatchRejected(NumdeskError):
    """A batch of changes rejected as a whole, with one sentence for each problem.

    Nothing in the batch was changed.
    """

    def __init__(self, problems: list[str]) -> None:
        super().__init__(
            f"Nothing was rented, because of {len(problems)} problem(s): "
            + " ".join(problems)
        )
        self.problems = problems


class LinkNotAllowed(NumdeskError):
    """A link that breaks a linking rule, such as a number without VOICE."""


class StoreError(NumdeskError):
    """A store file that cannot be opened, read or written."""


class StoreBusy(StoreError):
    """A store that another process kept locked for longer than numdesk waits."""


class ChangedElsewhere(NumdeskError):
    """A change rejected because another process changed the same thing after it was read.

    Nothing was written. The user should look at the current state and decide again.
    """
