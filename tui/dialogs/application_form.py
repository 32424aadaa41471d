"""The form that creates or edits a voice application."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar, cast

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from domain.account import Account
from domain.applications import (
    Application,
    ApplicationDraft,
    HttpMethod,
    validate_draft,
    validate_name,
    validate_webhook_url,
)
from domain.errors import ChangedElsewhere, InvalidInput, NumdeskError
from domain.visible import escape_invisible
from tui.account_changes import change_in_thread, failure_message
from tui.dialogs.confirm import ConfirmDialog
from tui.widgets.field_error import FieldError
from tui.widgets.key_footer import KeyFooter
from tui.widgets.literal_text import LiteralHighlighter

if TYPE_CHECKING:
    from tui.app import NumdeskApp

METHOD_OPTIONS = [(method.value, method) for method in HttpMethod]


def _validate_optional_url(url: str, field: str) -> None:
    if url.strip():
        validate_webhook_url(url, field)


# Each field's check, by the id of its Input. The checks raise the same InvalidInput
# messages as validate_draft, so an error can be shown next to the field it is about.
FIELD_CHECKS: dict[str, Callable[[str], object]] = {
    "name": validate_name,
    "answer_url": lambda url: validate_webhook_url(url, "answer_url"),
    "event_url": lambda url: validate_webhook_url(url, "event_url"),
    "fallback_answer_url": lambda url: _validate_optional_url(
        url, "fallback_answer_url"
    ),
}


# The widget of each ApplicationDraft field, by the field's name.
FIELD_WIDGETS = {
    "name": "#name",
    "answer_url": "#answer_url",
    "answer_method": "#answer_url-method",
    "event_url": "#event_url",
    "event_method": "#event_url-method",
    "fallback_answer_url": "#fallback_answer_url",
    "fallback_answer_method": "#fallback_answer_url-method",
}


class ApplicationForm(ModalScreen[Application | None]):
    """A form that creates an application, or edits one, through the account.

    The form saves through `Account.create_application` or `update_application` and
    dismisses with the saved application. Escape dismisses with None and saves
    nothing, after asking when the fields were changed. An invalid field keeps the
    form open with the reason shown under it.

    The save runs in a thread, so the form keeps working while another process
    keeps the store locked. A store that stays busy is reported, and ctrl+g tries
    again.
    Escape while the save waits closes the form when the save ends, because the
    save cannot be withdrawn once sent. A save that ended is reported as usual.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="save", tooltip="Save the application"),
        Binding("escape", "cancel", "Cancel", id="cancel", tooltip="Save nothing"),
        # A modal screen does not pass keys on to the app's bindings.
        Binding(
            "ctrl+g",
            "app.retry",
            "Retry",
            id="retry_save",
            tooltip="Try again the change that found the store busy",
        ),
    ]

    DEFAULT_CSS = """
    ApplicationForm {
        align: center middle;
    }
    ApplicationForm > #dialog {
        width: 80;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $primary;
        background: $surface;
        padding: 0 1;
    }
    ApplicationForm .field {
        height: auto;
    }
    ApplicationForm .field Label {
        width: 20;
        padding: 1 0;
    }
    ApplicationForm .field Input {
        width: 1fr;
    }
    ApplicationForm .field Select {
        width: 12;
    }
    ApplicationForm FieldError {
        margin-left: 20;
    }
    ApplicationForm #save-status {
        display: none;
        color: $text-muted;
    }
    ApplicationForm #save-status.-shown {
        display: block;
    }
    ApplicationForm #buttons {
        height: auto;
        align-horizontal: right;
    }
    ApplicationForm #buttons Button {
        margin-left: 2;
    }
    """

    def __init__(self, account: Account, application: Application | None = None):
        """Build the form.

        Args:
            account: The account that stores the application.
            application: The application to edit, or None to create a new one.
        """
        super().__init__()
        self.account = account
        self.application = application
        self._saving = False
        self._backed_out = False
        # What the fields held when the form opened, to tell whether they changed.
        self._saved_draft: ApplicationDraft | None = None
        # Keys typed before the form was mounted, for the name field.
        self._typed_ahead = ""
        self._mounted = False

    @property
    def numdesk(self) -> NumdeskApp:
        return cast("NumdeskApp", self.app)

    def compose(self) -> ComposeResult:
        application = self.application
        with VerticalScroll(id="dialog", can_focus=False) as dialog:
            dialog.border_title = self._title()
            yield from self._field("name", application.name if application else "")
            yield from self._field(
                "answer_url",
                application.answer_url if application else "",
                application.answer_method if application else HttpMethod.GET,
            )
            yield from self._field(
                "event_url",
                application.event_url if application else "",
                application.event_method if application else HttpMethod.POST,
            )
            yield from self._field(
                "fallback_answer_url",
                (application.fallback_answer_url or "") if application else "",
                application.fallback_answer_method if application else HttpMethod.GET,
            )
            yield Static(id="save-status", markup=False)
            with Horizontal(id="buttons"):
                yield Button("Cancel", id="cancel", action="screen.cancel")
                yield Button("Save", variant="primary", id="save", action="screen.save")
        yield KeyFooter()

    def on_mount(self) -> None:
        self._saved_draft = self._draft()
        name = self.query_one("#name", Input)
        name.focus()
        name.insert_text_at_cursor(self._typed_ahead)
        self._mounted = True

    def on_key(self, event: events.Key) -> None:
        # Keys that arrive before a field has the focus reach the form itself.
        if event.is_printable and self.focused is None:
            event.stop()
            event.prevent_default()
            self.type_ahead(event.character or "")

    def type_ahead(self, text: str) -> None:
        """Add keys typed before the form had the focus to the focused field."""
        if not self._mounted:
            self._typed_ahead += text
            return
        focused = self.focused
        field = (
            focused if isinstance(focused, Input) else self.query_one("#name", Input)
        )
        field.insert_text_at_cursor(text)

    def unsaved_work(self) -> str | None:
        """Say what quitting now would lose, or return None when nothing is unsaved."""
        if self._saved_draft is None or self._draft() == self._saved_draft:
            return None
        if self.application is None:
            return "The new application in the form is not saved."
        name = escape_invisible(self.application.name)
        return f"The changes to the application '{name}' are not saved."

    def action_save(self) -> None:
        """Check every field, then create or update the application in a thread."""
        if self._saving or self._backed_out or not self._fields_are_valid():
            return
        try:
            draft = validate_draft(self._draft())
        except NumdeskError as error:
            self._notify_failure(error)
            return
        self._saving = True
        self._show_status(
            "Saving. If another numdesk is writing to the store, this waits for it."
        )
        self.run_worker(self._save_in_thread(draft), group="save", exclusive=True)

    def action_cancel(self) -> None:
        """Close the form and save nothing, or close it once a save under way ends.

        Changes typed into the form are discarded only after the user confirms.
        """
        if not self._saving:
            unsaved = self.unsaved_work()
            if unsaved is None:
                self._discard(True)
                return
            question = ConfirmDialog(
                "Discard changes?",
                f"{unsaved} Close the form without saving?",
                confirm_label="Discard",
                cancel_label="Keep editing",
            )
            self.app.push_screen(question, self._discard)
            return
        self.numdesk.withdraw_retry(self.action_save)
        # The screen under the form reads the account, which waits for this save, so
        # the form closes when the save ends rather than freeze the screen below.
        self._backed_out = True
        self._show_status(
            "Closing when the store answers: the save was sent and cannot be "
            "withdrawn. You will be told whether it was made."
        )

    def _discard(self, confirmed: bool | None) -> None:
        if confirmed:
            self.numdesk.withdraw_retry(self.action_save)
            self.dismiss(None)

    async def _save_in_thread(self, draft: ApplicationDraft) -> None:
        result: Application | NumdeskError
        try:
            result = await change_in_thread(lambda: self._save(draft))
        except NumdeskError as error:
            result = error
        self._saving = False
        if isinstance(result, ChangedElsewhere) and not self._backed_out:
            self._show_status("")
            if await self._show_newer_values():
                return
        if isinstance(result, NumdeskError):
            self._show_status("")
            self._notify_failure(result)
        if self._backed_out or isinstance(result, Application):
            if self.app.screen is not self:
                # A screen opened over the form meanwhile closes first.
                self.pop_until_active()
            self.dismiss(result if isinstance(result, Application) else None)

    async def _show_newer_values(self) -> bool:
        """Put what another numdesk saved into the fields that the user left alone.

        The user's own changes stay, and the next save writes the form as it then
        is. Returns False when the application cannot be read again, as after
        another numdesk deleted it.
        """
        opened = self.application
        if opened is None:
            return False
        try:
            newer = await change_in_thread(lambda: self.account.application(opened.id))
        except NumdeskError:
            return False
        updated_fields: list[str] = []
        kept_fields: list[str] = []
        for field, selector in FIELD_WIDGETS.items():
            before, now = _value(opened, field), _value(newer, field)
            typed = self._widget_value(selector)
            if now in (before, typed):
                continue
            if typed == before:
                self._set_widget_value(selector, now)
                updated_fields.append(field)
            else:
                kept_fields.append(field)
        self.application = newer
        self._saved_draft = _shown_draft(newer)
        self._notify_newer_values(newer, updated_fields, kept_fields)
        return True

    def _notify_newer_values(
        self, newer: Application, updated_fields: list[str], kept_fields: list[str]
    ) -> None:
        message = (
            f"Another numdesk saved '{escape_invisible(newer.name)}' while you edited "
            "it, so nothing was saved yet."
        )
        if updated_fields:
            message += f" The form now shows its {_join_names(updated_fields)}."
        if kept_fields:
            message += (
                f" It changed {_join_names(kept_fields)} too: the form keeps yours."
            )
        message += " Check the form, then press Ctrl+S to save it."
        self.app.notify(message, title="Not saved", severity="warning", markup=False)

    def _widget_value(self, selector: str) -> str | HttpMethod:
        widget = self.query_one(selector)
        if isinstance(widget, Input):
            return widget.value
        return cast("Select[HttpMethod]", widget).selection or HttpMethod.GET

    def _set_widget_value(self, selector: str, value: str | HttpMethod) -> None:
        widget = self.query_one(selector)
        if isinstance(widget, Input):
            widget.value = str(value)
        else:
            cast("Select[HttpMethod]", widget).value = HttpMethod(value)

    def _notify_failure(self, error: NumdeskError) -> None:
        retry = None if self._backed_out else self.action_save
        message = failure_message(self.numdesk, error, retry)
        self.app.notify(message, title="Not saved", severity="error", markup=False)

    def _show_status(self, text: str) -> None:
        status = self.query_one("#save-status", Static)
        status.update(Content(text))
        status.set_class(bool(text), "-shown")

    @on(Input.Submitted)
    def save_on_enter(self) -> None:
        self.action_save()

    @on(Input.Changed)
    def hide_field_error(self, event: Input.Changed) -> None:
        if event.input.id is not None:
            self._error_of(event.input.id).show_message("")

    def _title(self) -> Content:
        if self.application is None:
            return Content("New application")
        return Content(f"Edit '{escape_invisible(self.application.name)}'")

    def _field(
        self, field: str, value: str, method: HttpMethod | None = None
    ) -> ComposeResult:
        with Horizontal(classes="field"):
            yield Label(field)
            # Typing into a field adds to its value: a selected value would be
            # replaced whole by the first key typed after Tab.
            yield Input(
                value,
                id=field,
                highlighter=LiteralHighlighter(),
                select_on_focus=False,
            )
            if method is not None:
                yield Select(
                    METHOD_OPTIONS,
                    value=method,
                    allow_blank=False,
                    id=f"{field}-method",
                )
        yield FieldError(id=f"{field}-error")

    def _fields_are_valid(self) -> bool:
        invalid_fields = []
        for field, check in FIELD_CHECKS.items():
            try:
                check(self._text(field))
            except InvalidInput as error:
                invalid_fields.append(field)
                self._error_of(field).show_message(str(error))
            else:
                self._error_of(field).show_message("")
        if invalid_fields:
            self.query_one(f"#{invalid_fields[0]}", Input).focus()
        return not invalid_fields

    def _error_of(self, field: str) -> FieldError:
        return self.query_one(f"#{field}-error", FieldError)

    def _draft(self) -> ApplicationDraft:
        return ApplicationDraft(
            name=self._text("name"),
            answer_url=self._text("answer_url"),
            event_url=self._text("event_url"),
            answer_method=self._method("answer_url"),
            event_method=self._method("event_url"),
            fallback_answer_url=self._text("fallback_answer_url"),
            fallback_answer_method=self._method("fallback_answer_url"),
        )

    def _save(self, draft: ApplicationDraft) -> Application:
        if self.application is None:
            return self.account.create_application(draft)
        return self.account.update_application(self.application.id, draft)

    def _text(self, field: str) -> str:
        return self.query_one(f"#{field}", Input).value

    def _method(self, field: str) -> HttpMethod:
        select: Select[HttpMethod] = self.query_one(f"#{field}-method", Select)
        return select.selection or HttpMethod.GET


def _value(draft: ApplicationDraft, field: str) -> str | HttpMethod:
    # The form shows a missing fallback_answer_url as an empty field.
    value: str | HttpMethod | None = getattr(draft, field)
    return "" if value is None else value


def _shown_draft(application: Application) -> ApplicationDraft:
    """Return the draft that the form's fields make when showing `application`."""
    return replace(
        application.draft,
        fallback_answer_url=application.fallback_answer_url or "",
    )


def _join_names(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]
