"""`numdesk format` and `numdesk callerid`: diagnose numbers and preview caller IDs."""

from __future__ import annotations

import json
import os
from typing import TextIO

import click

from cli.apps import application_label
from cli.batch import batch_options, check_file
from cli.completion import complete_owned_msisdn
from cli.msisdn import read_msisdn
from cli.options import example, json_option, pass_session, region_option
from cli.output import format_fields, print_json, print_note, print_text
from cli.serialize import format_result_to_json, inbound_to_json, outbound_to_json
from cli.session import Session, locale_region, locale_region_words
from domain.applications import HttpMethod, displayed_url
from domain.callerid import (
    InboundCall,
    OutboundCallerId,
    inbound_call,
    outbound_caller_id,
)
from domain.countries import resolve_country
from domain.e164 import FormatResult, FormatStatus, naming_region, vonage_format
from domain.numbering import region_access_code


def _region(option: str | None) -> str:
    """Return the --region code, else the locale's region.

    Raises:
        InvalidInput: phonenumbers has no metadata for the region in the option.
    """
    if option is None:
        return locale_region(os.environ)
    return resolve_country(option).code


@click.command(
    name="format",
    short_help="Write a number in Vonage form and list what changed.",
    epilog=example(
        "numdesk format '+44 (0)20 7946 0018'",
        "numdesk format '020 7946 0018' --region GB",
        "numdesk format --file webhook-callers.txt --json",
        "numdesk format --file crm-export.csv --column Phone",
    ),
)
@click.argument("raw", required=False)
@region_option
@json_option
@batch_options
def format_command(
    raw: str | None,
    region: str | None,
    as_json: bool,
    file: TextIO | None,
    column: str | None,
) -> None:
    """Write the number RAW in Vonage form (E.164 digits, no '+') and list the changes.

    The status is valid, fixed, withheld or invalid. The exit status is 0 for each of
    them, because the output is a diagnosis. An unknown --region, or a --file with
    no such --column or broken CSV, exits with 1; a --file that cannot be opened is a
    usage error, exit status 2.

    With --file, each value gets one line (one JSON object with --json), and the
    counts per status follow on stderr.
    """
    if file is not None:
        if raw is not None:
            raise click.UsageError("Give a value RAW or --file PATH, not both.")
        check_file(file, column, _region(region), as_json, _region_words(region))
        return
    if raw is None:
        raise click.UsageError("Missing argument 'RAW': give a value, or --file PATH.")
    if column is not None:
        raise click.UsageError("--column applies only to --file.")

    result = vonage_format(raw, _region(region))
    words = _region_words(region)
    if words is not None:
        result = naming_region(result, words)

    if as_json:
        print_json(format_result_to_json(result))
    else:
        print_text(format_fields(_format_fields(result)))
    _note_locale_region(result, region)


def _region_words(region_option: str | None) -> str | None:
    """Name the region in reasons as the locale's when --region does not give it."""
    return locale_region_words(os.environ) if region_option is None else None


def _note_locale_region(result: FormatResult, region_option: str | None) -> None:
    """Tell the user how to read an invalid national number in another region.

    Without --region, numbers without a country code are read in the locale's
    region, which may not be the one the number belongs to.
    """
    if region_option is not None or result.status is not FormatStatus.INVALID:
        return
    locale = locale_region(os.environ)
    if f"({locale})" not in (result.reason or ""):
        # The reason is not about the number as read in the locale's region.
        return
    digits = "".join(character for character in result.input if character.isdigit())
    if digits.startswith("00") or region_access_code(digits, locale) is not None:
        # An access code names the country: another region would not change it.
        return
    example = "US" if locale == "GB" else "GB"
    print_note(
        f"note: read in {locale}, {locale_region_words(os.environ)}. If the number "
        f"is of another country, give it with --region, such as --region {example}."
    )


def _format_fields(result: FormatResult) -> list[tuple[str, str]]:
    fields = [
        ("input", repr(result.input)),
        ("status", result.status.value),
        ("e164", result.e164 or "-"),
    ]
    if result.country:
        fields.append(("country", result.country))
    if result.number_type:
        fields.append(("type", result.number_type))
    fields += _labelled_lines("changes", list(result.changes))
    if result.reason:
        fields.append(("reason", result.reason))
    return fields + _notes_and_alternatives(result)


def _notes_and_alternatives(result: FormatResult) -> list[tuple[str, str]]:
    alternatives = [
        f"{reading.e164}: {reading.explanation}" for reading in result.alternatives
    ]
    return _labelled_lines("notes", list(result.notes)) + _labelled_lines(
        "alternatives", alternatives
    )


def _labelled_lines(label: str, values: list[str]) -> list[tuple[str, str]]:
    """Return one field per value, with the label on the first line only."""
    return [(label if index == 0 else "", value) for index, value in enumerate(values)]


@click.group(epilog=example("numdesk callerid outbound 12012002276"))
def callerid() -> None:
    """Preview the caller ID of outbound and inbound calls."""


@callerid.command(
    short_help="Show the `from` that Vonage sends for an outbound call.",
    epilog=example("numdesk callerid outbound '+1 415-555-0101'"),
)
@click.argument("raw")
@region_option
@json_option
@pass_session
def outbound(session: Session, raw: str, region: str | None, as_json: bool) -> None:
    """Show the `from` that Vonage sends for a call placed with caller ID RAW.

    Vonage sends the caller ID only when it is a number this account rents, linked
    or not, and sends `unknown` otherwise.
    """
    owned = [number.msisdn for number in session.account().owned_numbers()]
    caller_id = outbound_caller_id(raw, owned, _region(region))

    if as_json:
        print_json(outbound_to_json(caller_id))
    else:
        _print_outbound(caller_id)
    _note_locale_region(caller_id.formatted, region)


def _print_outbound(caller_id: OutboundCallerId) -> None:
    print_text(
        format_fields(
            [
                ("input", repr(caller_id.input)),
                ("from", caller_id.sent_from),
                ("owned", "yes" if caller_id.owned else "no"),
                ("reason", caller_id.reason),
            ]
        )
    )


@callerid.command(
    short_help="Show what the answer_url receives for an inbound call.",
    epilog=example("numdesk callerid inbound '+44 7700 900123' --to 12012002276"),
)
@click.argument("raw")
@click.option(
    "--to",
    "to_msisdn",
    required=True,
    metavar="MSISDN",
    shell_complete=complete_owned_msisdn,
    help="The called number, which this account rents.",
)
@json_option
@pass_session
def inbound(session: Session, raw: str, to_msisdn: str, as_json: bool) -> None:
    """Show what the answer_url receives when caller ID RAW calls the number --to.

    Vonage passes the caller ID through as the network sent it, so `from` is RAW
    unchanged. The diagnosis and the suggested Vonage form are shown next to it, with
    RAW read in the country of the called number.
    """
    account = session.account()
    to = account.owned_number(read_msisdn(to_msisdn))
    application = None
    if to.app_id is not None:
        application = account.application(to.app_id)
    call = inbound_call(raw, to, application)

    if as_json:
        print_json(inbound_to_json(call))
        return
    print_text(format_fields(_inbound_fields(call)))


def _inbound_fields(call: InboundCall) -> list[tuple[str, str]]:
    fields = [
        ("from", f"{call.received_from!r} (passed through as received)"),
        ("status", call.diagnosis.status.value),
        ("suggested", call.suggested or "-"),
    ]
    fields += _labelled_lines("changes", list(call.diagnosis.changes))
    if call.diagnosis.reason:
        fields.append(("reason", call.diagnosis.reason))
    fields += _notes_and_alternatives(call.diagnosis)
    fields.append(("to", call.to.msisdn))
    application = "-"
    if call.application is not None:
        application = application_label(call.application)
    fields.append(("application", application))

    request = call.request
    if request is not None:
        url = displayed_url(request.full_url())
        fields.append(("request", f"{request.method.value} {url}"))
        if request.method is HttpMethod.POST:
            fields.append(("body", json.dumps(dict(request.params))))
    fields += _labelled_lines("warning", call.webhook_warnings)
    fields.append(("explanation", call.explanation))
    return fields
