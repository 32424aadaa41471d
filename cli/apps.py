"""`numdesk apps`: create, list, show, update and delete voice applications."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from cli.completion import complete_app_id
from cli.confirm import confirm_change
from cli.csv_output import (
    APPLICATION_COLUMNS,
    application_row,
    check_one_format,
    csv_option,
    print_csv,
)
from cli.lookup import resolve_application
from cli.options import ChoiceAsWritten, example, json_option, pass_session, yes_option
from cli.output import (
    count_of,
    format_fields,
    format_table,
    print_json,
    print_note,
    print_text,
)
from cli.serialize import application_to_json
from cli.session import Session
from domain.applications import (
    Application,
    ApplicationDraft,
    HttpMethod,
    displayed_url,
    validate_draft,
    webhook_warnings,
)
from domain.numbers import OwnedNumber

F = TypeVar("F", bound=Callable[..., Any])

METHODS = ChoiceAsWritten([method.value for method in HttpMethod])
EXAMPLE_ID = "aaaaaaaa-bbbb-cccc-dddd-0123456789ab"


@click.group(epilog=example("numdesk apps list"))
def apps() -> None:
    """Create, list, show, update and delete voice applications."""


def _webhook_options(required: bool) -> Callable[[F], F]:
    """Add the webhook options.

    `create` requires the URLs, and `update` keeps the fields whose option is omitted.
    """
    default_get = HttpMethod.GET.value if required else None
    default_post = HttpMethod.POST.value if required else None
    options = [
        click.option(
            "--answer-url",
            required=required,
            metavar="URL",
            help="Webhook that returns the NCCO when a linked number gets a call.",
        ),
        click.option(
            "--answer-method",
            type=METHODS,
            default=default_get,
            show_default=required,
            help="HTTP method of the answer webhook.",
        ),
        click.option(
            "--event-url",
            required=required,
            metavar="URL",
            help="Webhook that receives call status events.",
        ),
        click.option(
            "--event-method",
            type=METHODS,
            default=default_post,
            show_default=required,
            help="HTTP method of the event webhook.",
        ),
        click.option(
            "--fallback-answer-url",
            metavar="URL",
            help="Webhook that Vonage requests when the answer webhook fails. An empty "
            "value removes it.",
        ),
        click.option(
            "--fallback-answer-method",
            type=METHODS,
            default=default_get,
            show_default=required,
            help="HTTP method of the fallback answer webhook.",
        ),
    ]

    def decorate(command: F) -> F:
        for option in reversed(options):
            command = option(command)
        return command

    return decorate


@apps.command(
    epilog=example(
        "numdesk apps create Support --answer-url https://example.com/answer "
        "--event-url https://example.com/event"
    )
)
@click.argument("name")
@_webhook_options(required=True)
@json_option
@pass_session
def create(
    session: Session,
    name: str,
    answer_url: str,
    answer_method: str,
    event_url: str,
    event_method: str,
    fallback_answer_url: str | None,
    fallback_answer_method: str,
    as_json: bool,
) -> None:
    """Create a voice application called NAME with its webhooks."""
    draft = validate_draft(
        ApplicationDraft(
            name=name,
            answer_url=answer_url,
            event_url=event_url,
            answer_method=HttpMethod(answer_method.upper()),
            event_method=HttpMethod(event_method.upper()),
            fallback_answer_url=fallback_answer_url,
            fallback_answer_method=HttpMethod(fallback_answer_method.upper()),
        )
    )
    application = session.account().create_application(draft)

    if as_json:
        print_json(application_to_json(application, []))
    else:
        print_text(f"Created {application_label(application)}.")
        print_text(format_fields(_application_fields(application, [])))
    _warn_about_webhooks(application)


def _warn_about_webhooks(application: Application) -> None:
    for warning in webhook_warnings(application):
        print_note(f"warning: {warning}")


@apps.command(name="list", epilog=example("numdesk apps list --json"))
@json_option
@csv_option
@pass_session
def list_apps(session: Session, as_json: bool, as_csv: bool) -> None:
    """List the voice applications with the numbers linked to each."""
    check_one_format(as_json, as_csv)
    account = session.account()
    applications = account.applications()
    linked = {
        application.id: account.owned_numbers(application.id)
        for application in applications
    }

    if as_json:
        print_json(
            {
                "count": len(applications),
                "applications": [
                    application_to_json(application, linked[application.id])
                    for application in applications
                ],
            }
        )
        return
    if as_csv:
        print_csv(
            APPLICATION_COLUMNS,
            [
                application_row(application, linked[application.id])
                for application in applications
            ],
        )
        return
    if not applications:
        print_text(
            "This account has no applications: create one with `numdesk apps create`."
        )
        return
    rows = [
        [
            application.id,
            application.name,
            _msisdn_list(linked[application.id]),
            f"{application.answer_method.value} "
            f"{displayed_url(application.answer_url)}",
        ]
        for application in applications
    ]
    print_text(format_table(("ID", "NAME", "NUMBERS", "ANSWER"), rows))
    print_text(count_of(len(applications), "application"))


@apps.command(epilog=example(f"numdesk apps show {EXAMPLE_ID}"))
@click.argument("app_id", shell_complete=complete_app_id)
@json_option
@pass_session
def show(session: Session, app_id: str, as_json: bool) -> None:
    """Show the application APP_ID, its webhooks and its linked numbers."""
    account = session.account()
    application = resolve_application(account, app_id)
    linked = account.owned_numbers(application.id)

    if as_json:
        print_json(application_to_json(application, linked))
        return
    print_text(format_fields(_application_fields(application, linked)))


@apps.command(epilog=example(f"numdesk apps update {EXAMPLE_ID} --answer-method POST"))
@click.argument("app_id", shell_complete=complete_app_id)
@click.option("--name", help="New application name.")
@_webhook_options(required=False)
@json_option
@pass_session
def update(
    session: Session,
    app_id: str,
    name: str | None,
    answer_url: str | None,
    answer_method: str | None,
    event_url: str | None,
    event_method: str | None,
    fallback_answer_url: str | None,
    fallback_answer_method: str | None,
    as_json: bool,
) -> None:
    """Change the fields of APP_ID that options are given for.

    The other fields keep their values.
    """
    options_given = (
        name,
        answer_url,
        answer_method,
        event_url,
        event_method,
        fallback_answer_url,
        fallback_answer_method,
    )
    if all(value is None for value in options_given):
        raise click.UsageError(
            "Nothing to change: give the fields to change, such as --answer-url URL "
            "or --name NAME."
        )
    account = session.account()
    current = resolve_application(account, app_id)
    draft = validate_draft(
        ApplicationDraft(
            name=_keep_unless_given(name, current.name),
            answer_url=_keep_unless_given(answer_url, current.answer_url),
            event_url=_keep_unless_given(event_url, current.event_url),
            answer_method=_method(answer_method, current.answer_method),
            event_method=_method(event_method, current.event_method),
            fallback_answer_url=(
                current.fallback_answer_url
                if fallback_answer_url is None
                else fallback_answer_url
            ),
            fallback_answer_method=_method(
                fallback_answer_method, current.fallback_answer_method
            ),
        )
    )
    unchanged = draft == current.draft
    application = (
        current if unchanged else account.update_application(current.id, draft)
    )
    linked = account.owned_numbers(application.id)

    if as_json:
        print_json(application_to_json(application, linked))
    elif unchanged:
        print_text(
            f"Nothing changed: {application_label(application)} has these values "
            "already."
        )
    else:
        print_text(f"Updated {application_label(application)}.")
        print_text(format_fields(_application_fields(application, linked)))
    _warn_about_webhooks(application)


def _keep_unless_given(option: str | None, current: str) -> str:
    return current if option is None else option


def _method(option: str | None, current: HttpMethod) -> HttpMethod:
    return current if option is None else HttpMethod(option.upper())


@apps.command(
    short_help="Delete an application and unlink its numbers.",
    epilog=example(f"numdesk apps delete {EXAMPLE_ID} --yes"),
)
@click.argument("app_id", shell_complete=complete_app_id)
@yes_option("Delete")
@json_option
@pass_session
def delete(session: Session, app_id: str, assume_yes: bool, as_json: bool) -> None:
    """Delete the application APP_ID and unlink every number linked to it."""
    account = session.account()
    application = resolve_application(account, app_id)
    linked = account.owned_numbers(application.id)
    confirm_change(
        f"Deleting {application_label(application)} unlinks "
        f"{count_of(len(linked), 'number')}{_colon_list(linked)}.",
        f"Delete {application.name!r}?",
        assume_yes,
    )
    unlinked = account.delete_application(
        application.id, seen_linked=[number.msisdn for number in linked]
    )

    if as_json:
        fields = application_to_json(application)
        fields["unlinked"] = [number.msisdn for number in unlinked]
        print_json(fields)
        return
    print_text(
        f"Deleted {application_label(application)} and unlinked "
        f"{count_of(len(unlinked), 'number')}{_colon_list(unlinked)}."
    )


def _application_fields(
    application: Application, linked: list[OwnedNumber]
) -> list[tuple[str, str]]:
    fallback = "-"
    if application.fallback_answer_url:
        fallback = (
            f"{application.fallback_answer_method.value} "
            f"{displayed_url(application.fallback_answer_url)}"
        )
    return [
        ("id", application.id),
        ("name", application.name),
        (
            "answer",
            f"{application.answer_method.value} "
            f"{displayed_url(application.answer_url)}",
        ),
        (
            "event",
            f"{application.event_method.value} {displayed_url(application.event_url)}",
        ),
        ("fallback answer", fallback),
        ("numbers", _msisdn_list(linked)),
    ]


def _msisdn_list(numbers: list[OwnedNumber]) -> str:
    return ", ".join(number.msisdn for number in numbers) or "-"


def _colon_list(numbers: list[OwnedNumber]) -> str:
    return f": {_msisdn_list(numbers)}" if numbers else ""


def application_label(application: Application) -> str:
    """Return an application's name and id as the text output shows them."""
    return f"{application.name!r} ({application.id})"
