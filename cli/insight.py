"""`numdesk insight`: phonenumbers' offline data about a number."""

from __future__ import annotations

from typing import Any

import click

from cli.msisdn import format_in_locale
from cli.options import example, json_option, region_option
from cli.output import format_fields, print_json, print_text
from domain.countries import resolve_country
from domain.e164 import FormatResult, vonage_format
from domain.errors import InvalidInput
from domain.insight import Insight, number_insight

CARRIER_NOTE = "first carrier of the number range, before any porting"


@click.command(
    short_help="Show a number's country, area, type, carrier and time zones.",
    epilog=example(
        "numdesk insight '+44 114 496 0123'",
        "numdesk insight '07912 345678' --region GB --json",
    ),
)
@click.argument("raw")
@region_option
@json_option
def insight(raw: str, region: str | None, as_json: bool) -> None:
    """Show phonenumbers' offline data about the number RAW.

    RAW may be in any form that `numdesk format` reads. The country, area or region
    name, number type, original carrier and time zones come from phonenumbers' data,
    without a network request. A value with no number in it, such as a withheld
    caller ID, exits with 1.
    """
    if region:
        formatted = vonage_format(raw, resolve_country(region).code)
    else:
        formatted = format_in_locale(raw)
    found = insight_for(formatted)

    if as_json:
        print_json(insight_to_json(formatted, found))
        return
    print_text(format_fields(_insight_fields(formatted, found)))


def insight_for(formatted: FormatResult) -> Insight:
    """Look up the number that `vonage_format` recovered.

    Raises:
        InvalidInput: no number was recovered, or phonenumbers has no data for it.
    """
    if formatted.e164 is None:
        raise InvalidInput(
            f"{formatted.input!r} contains no phone number, so there is nothing to "
            f"look up. {formatted.reason}"
        )
    return number_insight(formatted.e164)


def insight_to_json(formatted: FormatResult, found: Insight) -> dict[str, Any]:
    """Return the insight with how the input was read.

    `area` and `carrier` are null when phonenumbers has no data for them.
    """
    return {
        "input": formatted.input,
        "e164": found.e164,
        "status": formatted.status.value,
        "changes": list(formatted.changes),
        "notes": list(formatted.notes),
        "country": found.country,
        "country_name": found.country_name,
        "area": found.area,
        "type": found.number_type,
        "carrier": found.carrier,
        "time_zones": list(found.time_zones),
    }


def _insight_fields(formatted: FormatResult, found: Insight) -> list[tuple[str, str]]:
    carrier = "not known"
    if found.carrier is not None:
        carrier = f"{found.carrier} ({CARRIER_NOTE})"
    fields = [("input", repr(formatted.input)), ("e164", found.e164)]
    if formatted.changes:
        fields.append(("read by", "; ".join(formatted.changes)))
    return [
        *fields,
        ("country", f"{found.country_name} ({found.country})"),
        ("area", found.area or "not known"),
        ("type", found.number_type),
        ("carrier", carrier),
        ("time zones", ", ".join(found.time_zones) or "not known"),
        *(("note", note) for note in formatted.notes),
    ]
