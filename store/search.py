"""Searching the inventory: the SQL for each filter and pattern, and a page cache.

Each pattern match reads an index, never the whole inventory:

- "starts" scans a range of msisdns, in the country index or, without a country,
  the unique msisdn index;
- "ends" scans the same range of the reversed digits;
- "contains" looks the pattern up in the FTS5 trigram index `inventory_fts`, and
  reads only the rows it finds. Patterns of one or two digits have no trigram, so
  they test every msisdn of the country in the country index.

Joining the trigram index to the inventory with other filters lets SQLite choose a
plan that tests every row of a country against the whole list of matches, which
takes minutes on a million numbers. `CROSS JOIN` makes SQLite read the trigram
index first, which its documentation guarantees for that join operator. Inventory
ids follow msisdn order (`store.schema.MSISDN_KEY_SQL`), so the trigram index
returns its matches already in msisdn order, and a page stops after its last row.
"""

from __future__ import annotations

import sqlite3
from collections import OrderedDict
from dataclasses import replace
from typing import NamedTuple, TypeVar

from domain.numbers import PatternMatch, SearchQuery, sort_features
from store.schema import INVENTORY_COUNTS, INVENTORY_FTS, msisdn_key

# The inventory columns that make an AvailableNumber, qualified because the trigram
# index has an msisdn column too.
NUMBER_COLUMNS = (
    "inventory.msisdn, inventory.country, inventory.type, inventory.features, "
    "inventory.cost_cents"
)
# The shortest pattern the trigram index can look up.
TRIGRAM_LENGTH = 3
# The trigram index returns rowids in order, and inventory ids follow msisdn order.
TRIGRAM_ORDER = f"{INVENTORY_FTS}.rowid"
# The most digits an msisdn has (E.164).
MAX_MSISDN_DIGITS = 15
# ':' is the character after '9' in ASCII, so `text < prefix || ':'` bounds every
# string of digits that starts with `prefix` and lets SQLite scan an index range.
_AFTER_DIGITS = ":"
# How many pages' first and last msisdns the cache keeps, for paging by key.
_CACHED_PAGES = 256
# How many counts the cache keeps.
_CACHED_COUNTS = 64

Value = TypeVar("Value")


class Statement(NamedTuple):
    """An SQL statement and its parameters."""

    sql: str
    parameters: tuple[object, ...]


class InventoryQuery(NamedTuple):
    """A search's FROM and WHERE clauses, the count of its matches and their order.

    `order_column` is set when an index returns the matches already in msisdn
    order, by that column: then a page can start after or before a known row.
    "ends" searches sort their matches by msisdn instead.
    """

    source: str
    where: str
    parameters: tuple[object, ...]
    counting: Statement
    order_column: str | None

    def page(self, edge: str | None = None, after: bool = True) -> Statement:
        """Return the statement of a page, which takes a LIMIT and an OFFSET.

        With an `edge` msisdn, the page holds the matches after it, or before it
        and last first when `after` is False.
        """
        where = self.where
        parameters = self.parameters
        order = self.order_column or "inventory.msisdn"
        if edge is not None and self.order_column is not None:
            where += f" AND {order} {'>' if after else '<'} ?"
            parameters = (*parameters, self._edge_value(edge))
            order += "" if after else " DESC"
        sql = (
            f"SELECT {NUMBER_COLUMNS} FROM {self.source} WHERE {where} "
            f"ORDER BY {order} LIMIT ? OFFSET ?"
        )
        return Statement(sql, parameters)

    def _edge_value(self, msisdn: str) -> object:
        if self.order_column == TRIGRAM_ORDER:
            return msisdn_key(msisdn)
        return msisdn


def inventory_query(
    query: SearchQuery, country: str | None, calling_code: int | None = None
) -> InventoryQuery:
    """Build the SQL that finds the numbers matching `query`, ordered by msisdn.

    Patterns match the whole msisdn, country code included. `country` is the
    country code to keep, or None to search every country. The account always
    passes one, and the benchmark searches without. `calling_code` is that
    country's calling code, which narrows a trigram search to the msisdns that
    start with it.
    """
    contains = query.pattern and query.match is PatternMatch.CONTAINS
    if contains and len(query.pattern) >= TRIGRAM_LENGTH:
        return _trigram_query(query, country, calling_code)
    conditions, parameters = _filters(query, country)
    order_column: str | None = "inventory.msisdn"

    if query.pattern and query.match is PatternMatch.CONTAINS:
        conditions.insert(0, "instr(inventory.msisdn, ?) > 0")
        parameters.insert(0, query.pattern)
    elif query.pattern and query.match is PatternMatch.STARTS:
        conditions.append("inventory.msisdn >= ? AND inventory.msisdn < ?")
        parameters += [query.pattern, query.pattern + _AFTER_DIGITS]
    elif query.pattern and query.match is PatternMatch.ENDS:
        reversed_pattern = query.pattern[::-1]
        conditions.append(
            "inventory.reversed_msisdn >= ? AND inventory.reversed_msisdn < ?"
        )
        parameters += [reversed_pattern, reversed_pattern + _AFTER_DIGITS]
        order_column = None

    where = " AND ".join(conditions) or "1"
    return InventoryQuery(
        source="inventory",
        where=where,
        parameters=(*parameters,),
        counting=_count(query, where, parameters),
        order_column=order_column,
    )


def _count(query: SearchQuery, where: str, parameters: list[object]) -> Statement:
    if query.pattern:
        return Statement(
            f"SELECT count(*) FROM inventory WHERE {where}", (*parameters,)
        )
    # The filters name the inventory's columns, which the counts table shares.
    return Statement(
        f"SELECT coalesce(sum(count), 0) FROM {INVENTORY_COUNTS} AS inventory "
        f"WHERE {where}",
        (*parameters,),
    )


def _filters(query: SearchQuery, country: str | None) -> tuple[list[str], list[object]]:
    conditions: list[str] = []
    parameters: list[object] = []
    if country is not None:
        conditions.append("inventory.country = ?")
        parameters.append(country)
    if query.type is not None:
        conditions.append("inventory.type = ?")
        parameters.append(query.type.value)
    for feature in sort_features(query.features):
        conditions.append("instr(',' || inventory.features || ',', ?) > 0")
        parameters.append(f",{feature.value},")
    return conditions, parameters


def _trigram_query(
    query: SearchQuery, country: str | None, calling_code: int | None
) -> InventoryQuery:
    # The pattern is digits only (SearchQuery checks), so it needs no quoting inside
    # the phrase.
    match_conditions = [f"{INVENTORY_FTS} MATCH ?"]
    match_parameters: list[object] = [f'"{query.pattern}"']
    if calling_code is not None:
        match_conditions.append(f"{INVENTORY_FTS}.rowid BETWEEN ? AND ?")
        match_parameters += _key_range(str(calling_code))

    filters, filter_parameters = _filters(query, country)
    join = (
        f"{INVENTORY_FTS} CROSS JOIN inventory ON inventory.id = {INVENTORY_FTS}.rowid"
    )
    where = " AND ".join(match_conditions + filters)
    parameters = (*match_parameters, *filter_parameters)
    if filters:
        count = Statement(f"SELECT count(*) FROM {join} WHERE {where}", parameters)
    else:
        # Without filters the trigram index counts alone, reading no inventory row.
        count = Statement(
            f"SELECT count(*) FROM {INVENTORY_FTS} WHERE {where}", parameters
        )
    return InventoryQuery(
        source=join,
        where=where,
        parameters=parameters,
        counting=count,
        order_column=TRIGRAM_ORDER,
    )


def _key_range(prefix: str) -> list[object]:
    """Return the lowest and highest msisdn key of the msisdns that start with `prefix`."""
    highest = prefix + "9" * (MAX_MSISDN_DIGITS - len(prefix))
    return [msisdn_key(prefix), msisdn_key(highest)]


class _PageEdges(NamedTuple):
    """The first and last msisdn of a page that was shown."""

    first: str
    last: str


class SearchCache:
    """Remembers counts and page edges of recent searches, until the store changes.

    Counting a country of a million numbers reads its whole index range, and an
    OFFSET skips over every row before the page. So the count is read once per
    search, and a page next to one already shown starts from that page's edge when
    an index returns the matches in msisdn order. `version` is anything that
    changes whenever the store does: on a new version the cache forgets everything.
    """

    def __init__(self) -> None:
        self._version: object = None
        self._counts: OrderedDict[SearchQuery, int] = OrderedDict()
        self._edges: OrderedDict[SearchQuery, _PageEdges] = OrderedDict()

    def count(
        self,
        connection: sqlite3.Connection,
        query: SearchQuery,
        inventory: InventoryQuery,
        version: object,
    ) -> int:
        """Return the number of matches, counting only on the first call."""
        self._forget_if_changed(version)
        key = replace(query, index=1, size=1)
        if key not in self._counts:
            counting = inventory.counting
            row = connection.execute(counting.sql, counting.parameters)
            self._counts[key] = int(row.fetchone()[0])
            _trim(self._counts, _CACHED_COUNTS)
        self._counts.move_to_end(key)
        return self._counts[key]

    def page(
        self,
        connection: sqlite3.Connection,
        query: SearchQuery,
        inventory: InventoryQuery,
        version: object,
    ) -> list[sqlite3.Row]:
        """Return the rows of the page `query.index`, starting from a known edge."""
        self._forget_if_changed(version)
        rows = self._page_from_edges(connection, query, inventory)
        if rows is None:
            page = inventory.page()
            rows = connection.execute(
                page.sql, [*page.parameters, query.size, query.offset]
            ).fetchall()
        if rows:
            self._edges[query] = _PageEdges(rows[0]["msisdn"], rows[-1]["msisdn"])
            _trim(self._edges, _CACHED_PAGES)
        return rows

    def _page_from_edges(
        self,
        connection: sqlite3.Connection,
        query: SearchQuery,
        inventory: InventoryQuery,
    ) -> list[sqlite3.Row] | None:
        if inventory.order_column is None:
            return None
        before = None
        if query.index > 1:
            before = self._edges.get(replace(query, index=query.index - 1))
        if before is not None:
            page = inventory.page(before.last, after=True)
            return connection.execute(
                page.sql, [*page.parameters, query.size, 0]
            ).fetchall()
        after = self._edges.get(replace(query, index=query.index + 1))
        if after is not None:
            page = inventory.page(after.first, after=False)
            rows = connection.execute(
                page.sql, [*page.parameters, query.size, 0]
            ).fetchall()
            return rows[::-1]
        return None

    def _forget_if_changed(self, version: object) -> None:
        if version != self._version:
            self._version = version
            self._counts.clear()
            self._edges.clear()


def _trim(entries: OrderedDict[SearchQuery, Value], size: int) -> None:
    while len(entries) > size:
        entries.popitem(last=False)
