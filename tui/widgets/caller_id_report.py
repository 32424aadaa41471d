"""The Caller ID screen's result: how a value reads, and what a call would carry.

Each function builds a Rich renderable from the domain's results. Every value that came
from the user, the network or the store goes through `visible_text`, so none of it is
read as markup or sent to the terminal as a control sequence.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Group, RenderableType
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from domain.applications import HttpMethod, displayed_url
from domain.callerid import InboundCall, OutboundCallerId
from domain.countries import find_country
from domain.e164 import FormatResult, FormatStatus
from domain.errors import InvalidInput
from domain.insight import Insight
from tui.widgets.literal_text import count_invisible, visible_text

LABEL_WIDTH = 11

OUTCOME_STYLES = {
    FormatStatus.VALID: "bold green",
    FormatStatus.FIXED: "bold yellow",
    FormatStatus.WITHHELD: "bold magenta",
    FormatStatus.INVALID: "bold red",
}

OUTCOME_SUMMARIES = {
    FormatStatus.VALID: "already in Vonage form",
    FormatStatus.FIXED: "one number recovered, with the changes below",
    FormatStatus.WITHHELD: "the caller hid their number",
    FormatStatus.INVALID: "no number could be read",
}


def outbound_report(
    outbound: OutboundCallerId, insight: Insight | None, region: str | None
) -> Group:
    """Build the report of an outbound call.

    The outcome and the `from` that Vonage sends come first, so that they fit on an
    80x24 screen. How the value was read and the offline insight follow.
    """
    result = outbound.formatted
    region_row = region_text(region)
    if _invalid_in_region(result, region):
        region_row.append(
            ". If the number is of another country, Ctrl+R picks its region."
        )
    return report(
        summary_section("Entered", result, "Vonage form", result.e164),
        ("Outbound call", outbound_section(outbound)),
        reading_section(result, region_row),
        insight,
    )


def _invalid_in_region(result: FormatResult, region: str | None) -> bool:
    """Tell whether the value was rejected as a national number of `region`."""
    return (
        region is not None
        and result.status is FormatStatus.INVALID
        and f"({region})" in (result.reason or "")
    )


def inbound_report(call: InboundCall, insight: Insight | None) -> Group:
    """Build the report of an inbound call.

    The diagnosis and the answer_url request come first. How the value was read follows,
    with the called number's country as the region, then the offline insight.
    """
    region = Text(f"{country_label(call.to.country)}, the called number's country")
    return report(
        summary_section("Received", call.diagnosis, "Suggested", call.suggested),
        ("Inbound call", inbound_section(call)),
        reading_section(call.diagnosis, region),
        insight,
    )


def report(
    summary: Table,
    call: tuple[str, Table],
    reading: Table,
    insight: Insight | None,
) -> Group:
    """Stack the report's sections, each after a titled rule."""
    call_title, call_section = call
    sections: list[RenderableType] = [
        summary,
        Rule(call_title, align="left"),
        call_section,
        Rule("How it was read", align="left"),
        reading,
    ]
    if insight is not None:
        sections += [Rule("Offline insight", align="left"), insight_section(insight)]
    return Group(*sections)


def region_text(region: str | None) -> Text:
    """Describe the region that reads national numbers, or its absence."""
    if region is None:
        return Text("none: only numbers with a country code are read")
    return Text(f"{country_label(region)}, for national numbers")


def summary_section(
    input_label: str, result: FormatResult, label: str, e164: str | None
) -> Table:
    """Build the rows of the input as given, the outcome and the recovered number.

    The input is `Entered` for an outbound caller ID, which the user chooses, and
    `Received` for an inbound one, which the network sends.
    """
    grid = label_grid()
    add_input_rows(grid, input_label, result.input)
    grid.add_row("Outcome", outcome_text(result.status))
    grid.add_row(label, Text(e164 or "none"))
    if result.reason:
        grid.add_row("Reason", visible_text(result.reason))
    return grid


def reading_section(result: FormatResult, region: Text) -> Table:
    """Build the rows of how the value was read: changes, notes and other readings."""
    grid = label_grid()
    add_list_rows(grid, "Changes", result.changes)
    add_list_rows(grid, "Notes", result.notes)
    if result.country:
        grid.add_row("Country", Text(country_label(result.country)))
    if result.number_type:
        grid.add_row("Type", visible_text(result.number_type))
    add_list_rows(
        grid,
        "Also reads",
        (f"{reading.e164}: {reading.explanation}" for reading in result.alternatives),
    )
    grid.add_row("Region", region)
    return grid


def outbound_section(outbound: OutboundCallerId) -> Table:
    """Build the rows of the `from` that Vonage sends and the reason for it."""
    grid = label_grid()
    grid.add_row(
        "from",
        Text.assemble((outbound.sent_from, "bold"), f" ({_ownership(outbound)})"),
    )
    grid.add_row("Why", visible_text(outbound.reason))
    return grid


def _ownership(outbound: OutboundCallerId) -> str:
    if outbound.owned:
        return "an owned number"
    if outbound.formatted.status is FormatStatus.WITHHELD:
        return "a withheld caller ID"
    if outbound.formatted.e164 is None:
        return "no number was read"
    return "no owned number matches"


def inbound_section(call: InboundCall) -> Table:
    """Build the rows of the called number, its application and the request."""
    grid = label_grid()
    grid.add_row("to", Text(f"{call.to.msisdn} · {country_label(call.to.country)}"))
    application = call.application
    grid.add_row(
        "Application",
        visible_text(application.name) if application is not None else Text("none"),
    )
    request = call.request
    if request is not None:
        grid.add_row("Request", Text(f"{request.method} answer_url", style="bold"))
        grid.add_row("URL", visible_text(displayed_url(request.url)))
        if request.method == HttpMethod.GET:
            grid.add_row("Full URL", visible_text(displayed_url(request.full_url())))
        else:
            grid.add_row("Body", Text("JSON with the parameters below"))
        grid.add_row("Parameters", parameters_grid(request.params.items()))
    for warning in call.webhook_warnings:
        grid.add_row("Warning", visible_text(warning, style="bold"))
    grid.add_row("Explanation", visible_text(call.explanation))
    return grid


def insight_section(insight: Insight) -> Table:
    """Build the rows of phonenumbers' offline data about a number."""
    grid = label_grid()
    grid.add_row("Number", Text(insight.e164))
    grid.add_row("Country", Text(f"{insight.country_name} ({insight.country})"))
    grid.add_row("Area", visible_text(insight.area or "not known"))
    grid.add_row("Type", visible_text(insight.number_type))
    grid.add_row("Carrier", visible_text(insight.carrier or "not known"))
    grid.add_row("Time zones", Text(", ".join(insight.time_zones) or "not known"))
    return grid


def insight_summary(insight: Insight) -> str:
    """Return the offline insight in one line: country, type, area, carrier, zones."""
    parts = [f"{insight.country_name} ({insight.country})", insight.number_type]
    if insight.area:
        parts.append(insight.area)
    if insight.carrier:
        parts.append(f"first carrier {insight.carrier}")
    if insight.time_zones:
        parts.append(", ".join(insight.time_zones))
    return " · ".join(parts)


def parameters_grid(parameters: Iterable[tuple[str, str]]) -> Table:
    """Build a name and value table of request parameters, values shown literally."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for name, value in parameters:
        grid.add_row(Text(name), visible_text(value) if value else Text("(empty)"))
    return grid


def add_input_rows(grid: Table, label: str, raw: str) -> None:
    """Add the input exactly as given, in quotes so that edge spaces show.

    A second row counts the invisible characters, when there are any, because their
    escapes could otherwise be mistaken for typed backslashes.
    """
    quoted = Text.assemble('"', visible_text(raw), '"')
    grid.add_row(label, quoted if raw else Text('"" (empty)'))
    invisible = count_invisible(raw)
    if invisible:
        plural = "character" if invisible == 1 else "characters"
        grid.add_row("", Text(f"{invisible} invisible {plural}, written as escapes"))


def add_list_rows(grid: Table, label: str, items: Iterable[str]) -> None:
    """Add a bulleted list under one label, wrapped lines indented under their item."""
    bullets = Table.grid(padding=(0, 1))
    bullets.add_column(no_wrap=True)
    bullets.add_column(overflow="fold", ratio=1)
    for item in items:
        bullets.add_row("•", visible_text(item))
    if bullets.row_count:
        grid.add_row(label, bullets)


def outcome_text(status: FormatStatus) -> Text:
    """Return the outcome word in capitals and its meaning, readable without colour."""
    return Text.assemble(
        (status.value.upper(), OUTCOME_STYLES[status]),
        f": {OUTCOME_SUMMARIES[status]}",
    )


def country_label(code: str) -> str:
    """Return a region's name and code, such as `United Kingdom (GB)`."""
    try:
        return f"{find_country(code).name} ({code})"
    except InvalidInput:
        return code


def label_grid() -> Table:
    """Return an empty two-column table: a bold label and a value that wraps."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=LABEL_WIDTH, no_wrap=True, style="bold")
    grid.add_column(overflow="fold", ratio=1)
    return grid
