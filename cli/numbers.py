"""`numdesk numbers`: search, rent, list, cancel, link and unlink numbers."""

from __future__ import annotations

from collections.abc import Iterable

import click

from cli.apps import application_label
from cli.completion import complete_app_id, complete_country, complete_owned_msisdn
from cli.confirm import confirm_change
from cli.csv_output import (
    NUMBER_COLUMNS,
    OWNED_NUMBER_COLUMNS,
    check_one_format,
    csv_option,
    number_row,
    owned_number_row,
    print_csv,
)
from cli.importing import import_numbers
from cli.lookup import resolve_application
from cli.msisdn import read_available_number, read_msisdn
from cli.options import (
    ChoiceAsWritten,
    example,
    json_option,
    pass_session,
    region_option,
    yes_option,
)
from cli.output import (
    count_of,
    format_eur,
    format_table,
    print_json,
    print_note,
    print_text,
)
from cli.serialize import number_to_json
from cli.session import Session
from domain.account import Account
from domain.countries import resolve_country
from domain.errors import NotFound
from domain.linking import check_link, relinks
from domain.numbers import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    AvailableNumber,
    NumberType,
    Page,
    PatternMatch,
    SearchQuery,
    cancel_consequences,
    parse_features,
    pattern_digits,
    sort_features,
    type_names,
)
from domain.search_hints import (
    country_code_hint,
    empty_search_outcome,
    loosening_hint,
)

NUMBER_HEADERS = ("MSISDN", "COUNTRY", "TYPE", "FEATURES", "EUR/MONTH")


@click.group(epilog=example("numdesk numbers search GB --features VOICE"))
def numbers() -> None:
    """Search, rent, cancel, link and unlink numbers."""


@numbers.command(
    short_help="Search the numbers available for rent in a country.",
    epilog=example(
        "numdesk numbers search US --type landline --pattern 1415 --size 20"
    ),
)
@click.argument("country", shell_complete=complete_country)
@click.option(
    "--type",
    "number_type",
    type=ChoiceAsWritten(type_names()),
    help="Only numbers of this type; mobile-lvn and landline-toll-free are the "
    "API's names for mobile and toll-free.",
)
@click.option(
    "--features",
    default="",
    metavar="LIST",
    help="Only numbers with every one of these features: a comma list of SMS, "
    "VOICE and MMS.",
)
@click.option(
    "--pattern", default="", metavar="DIGITS", help="Only msisdns with these digits."
)
@click.option(
    "--match",
    type=click.Choice([match.value for match in PatternMatch]),
    default=PatternMatch.STARTS.value,
    show_default=True,
    help="Where --pattern must appear in the msisdn.",
)
@click.option(
    "--size",
    type=click.IntRange(1, MAX_PAGE_SIZE),
    default=DEFAULT_PAGE_SIZE,
    show_default=True,
    help="Numbers per page.",
)
@click.option(
    "--page",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Page number, from 1.",
)
@json_option
@csv_option
@pass_session
def search(
    session: Session,
    country: str,
    number_type: str | None,
    features: str,
    pattern: str,
    match: str,
    size: int,
    page: int,
    as_json: bool,
    as_csv: bool,
) -> None:
    """Search the numbers available for rent in COUNTRY (GB, 'United Kingdom' or 44).

    --csv prints one page of numbers. How many numbers match, and the option for
    the next page, go to stderr.
    """
    check_one_format(as_json, as_csv)
    query = SearchQuery(
        country=resolve_country(country).code,
        type=NumberType.from_name(number_type) if number_type else None,
        features=parse_features(features),
        pattern=pattern_digits(pattern),
        match=PatternMatch(match),
        size=size,
        index=page,
    )
    result = session.account().search(query)

    if as_json:
        print_json(
            {
                "count": result.count,
                "numbers": [number_to_json(number) for number in result.items],
            }
        )
        return
    if as_csv:
        print_csv(NUMBER_COLUMNS, [number_row(number) for number in result.items])
        print_note(_page_note(query, result, pattern))
        return
    print_text(_search_summary(query, result, pattern))


def _page_note(query: SearchQuery, result: Page[AvailableNumber], pattern: str) -> str:
    if not result.items:
        return _search_summary(query, result, pattern)
    note = f"Numbers {result.range_label()}."
    if result.has_next:
        note += f" Next page: --page {result.index + 1}"
    return note


def _search_summary(
    query: SearchQuery, result: Page[AvailableNumber], pattern: str
) -> str:
    if result.count == 0:
        outcome = empty_search_outcome(query)
        hint = country_code_hint(query, pattern)
        return f"{outcome}. {hint}" if hint else f"{outcome}: {loosening_hint(query)}."
    if not result.items:
        return (
            f"Page {result.index} is past the end: this search has {result.count:,} "
            f"numbers on {result.page_count:,} pages."
        )
    lines = [format_table(NUMBER_HEADERS, _number_rows(result.items))]
    lines.append(result.range_label())
    if result.has_next:
        lines.append(f"Next page: --page {result.index + 1}")
    return "\n".join(lines)


def _number_rows(numbers: Iterable[AvailableNumber]) -> list[list[str]]:
    return [_number_cells(number) for number in numbers]


def _number_cells(number: AvailableNumber) -> list[str]:
    return [
        number.msisdn,
        number.country,
        # People read the labels that the app shows; --json and --csv keep the API's.
        number.type.label,
        _feature_list(number),
        format_eur(number.cost),
    ]


def _feature_list(number: AvailableNumber) -> str:
    return ",".join(feature.value for feature in sort_features(number.features))


def _describe(number: AvailableNumber) -> str:
    details = f"{number.country}, {number.type.label}, {_feature_list(number)}"
    return f"{number.msisdn} ({details})"


@numbers.command(
    short_help="Rent an available number, after showing its cost.",
    epilog=example("numdesk numbers rent 447700900123 --yes"),
)
@click.argument("msisdn")
@region_option
@yes_option("Rent")
@json_option
@pass_session
def rent(
    session: Session, msisdn: str, region: str | None, assume_yes: bool, as_json: bool
) -> None:
    """Rent the available number MSISDN, after showing its cost and your balance.

    MSISDN in another form than Vonage's is read in the --region, else the locale's
    region, as `numdesk format` reads it.
    """
    account = session.account()
    number = read_available_number(account, msisdn, region=region)
    balance = account.balance()
    # When the balance is too low, the account's rent raises InsufficientBalance with
    # the amounts, so there is nothing to ask.
    if number.cost <= balance:
        confirm_change(
            f"{_describe(number)} costs {format_eur(number.cost)} EUR a month. "
            f"Balance: {format_eur(balance)} EUR now, "
            f"{format_eur(balance - number.cost)} EUR after.",
            f"Rent {number.msisdn}?",
            assume_yes,
        )
    owned = account.rent(number.msisdn)

    if as_json:
        print_json(number_to_json(owned))
        return
    print_text(
        f"Rented {_describe(owned)} for {format_eur(owned.cost)} EUR a month. "
        f"Balance: {format_eur(account.balance())} EUR."
    )


@numbers.command(
    short_help="List the rented numbers and their applications.",
    name="list",
    epilog=example("numdesk numbers list --json"),
)
@json_option
@csv_option
@pass_session
def list_numbers(session: Session, as_json: bool, as_csv: bool) -> None:
    """List the numbers this account rents, with the application each links to."""
    check_one_format(as_json, as_csv)
    account = session.account()
    owned = account.owned_numbers()

    if as_json:
        print_json(
            {
                "count": len(owned),
                "numbers": [number_to_json(number) for number in owned],
            }
        )
        return
    if as_csv:
        print_csv(OWNED_NUMBER_COLUMNS, [owned_number_row(number) for number in owned])
        return
    if not owned:
        print_text(
            "This account rents no numbers: find one with `numdesk numbers search`."
        )
        return
    names = {application.id: application.name for application in account.applications()}
    rows = [
        [*_number_cells(number), _application_column(number.app_id, names)]
        for number in owned
    ]
    print_text(format_table((*NUMBER_HEADERS, "APPLICATION"), rows))
    print_text(count_of(len(owned), "number"))


def _application_column(app_id: str | None, names: dict[str, str]) -> str:
    if app_id is None:
        return "-"
    return f"{names.get(app_id, '?')} ({app_id})"


@numbers.command(
    short_help="Stop renting a number; it returns to the inventory.",
    epilog=example("numdesk numbers cancel 447700900123 --yes"),
)
@click.argument("msisdn", shell_complete=complete_owned_msisdn)
@yes_option("Cancel")
@json_option
@pass_session
def cancel(session: Session, msisdn: str, assume_yes: bool, as_json: bool) -> None:
    """Stop renting MSISDN, which returns to the inventory and loses its link."""
    account = session.account()
    number = account.owned_number(read_msisdn(msisdn))
    linked_to = None
    if number.app_id is not None:
        linked_to = _application_name(account, number.app_id)
    confirm_change(
        f"Cancelling {_describe(number)}. {cancel_consequences(number, linked_to)}",
        f"Cancel {number.msisdn}?",
        assume_yes,
    )
    cancelled = account.cancel(number.msisdn, seen=number)

    if as_json:
        print_json(number_to_json(cancelled))
        return
    print_text(f"Cancelled {_describe(cancelled)}.")


@numbers.command(
    short_help="Link a number to a voice application.",
    epilog=example(
        "numdesk numbers link 447700900123 aaaaaaaa-bbbb-cccc-dddd-0123456789ab"
    ),
)
@click.argument("msisdn", shell_complete=complete_owned_msisdn)
@click.argument("app_id", shell_complete=complete_app_id)
@yes_option("Replace an existing link to another application")
@json_option
@pass_session
def link(
    session: Session, msisdn: str, app_id: str, assume_yes: bool, as_json: bool
) -> None:
    """Link MSISDN to the voice application APP_ID, so that calls reach its answer_url.

    A number links to one application at most: linking a number that is linked to
    another application replaces that link, after asking.
    """
    account = session.account()
    number = account.owned_number(read_msisdn(msisdn))
    application = resolve_application(account, app_id)
    check_link(number, application)
    if number.app_id is not None and relinks(number, application):
        confirm_change(
            f"{number.msisdn} is linked to "
            f"{_application_name(account, number.app_id)}. "
            f"Linking it to {application_label(application)} replaces that link.",
            f"Relink {number.msisdn}?",
            assume_yes,
        )
    linked = account.link(number.msisdn, application.id, seen=number)

    if as_json:
        print_json(number_to_json(linked))
        return
    print_text(f"Linked {linked.msisdn} to {application_label(application)}.")


@numbers.command(
    short_help="Clear a number's application link.",
    epilog=example("numdesk numbers unlink 447700900123"),
)
@click.argument("msisdn", shell_complete=complete_owned_msisdn)
@json_option
@pass_session
def unlink(session: Session, msisdn: str, as_json: bool) -> None:
    """Clear the application link of MSISDN, so that its calls reach no application."""
    account = session.account()
    number = account.owned_number(read_msisdn(msisdn))
    unlinked = account.unlink(number.msisdn, seen=number)

    if as_json:
        print_json(number_to_json(unlinked))
        return
    if number.app_id is None:
        print_text(f"{number.msisdn} was not linked to an application.")
        return
    print_text(
        f"Unlinked {number.msisdn} from {_application_name(account, number.app_id)}."
    )


numbers.add_command(import_numbers)


def _application_name(account: Account, app_id: str) -> str:
    try:
        return application_label(resolve_application(account, app_id))
    except NotFound:
        return f"the missing application {app_id}"
