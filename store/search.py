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
index first, which its documentation guarantees for that join operator.
"""

from __future__ import annotations

import sqlite3
from collections import OrderedDict
from dataclasses import dataclass, replace
from typing import TypeVar

from domain.numbers import PatternMatch, SearchQuery, sort_features
from store.schema import INVENTORY_FTS

# The inventory columns that make an AvailableNumber, qualified because the trigram
# index has an msisdn column too.
NUMBER_COLUMNS = (
    "inventory.msisdn, inventory.country, inventory.type, inventory.features, "
    "inventory.cost_cents"
)
# The shortest pattern the trigram index can look up.
TRIGRAM_LENGTH = 3
# ':' is the character after '9' in ASCII, so `text < prefix || ':'` bounds every
# string of digits that starts with `prefix` and lets SQLite scan an index range.
_AFTER_DIGITS = ":"
# How many pages' first and last msisdns the cache keeps, for paging by key.
_CACHED_PAGES = 256
# How many counts the cache keeps.
_CACHED_COUNTS = 64

Value = TypeVar("Value")


@dataclass(frozen=True)
class InventoryQuery:
    """The FROM and WHERE clauses of a search, and the WHERE clause's parameters.

    `in_msisdn_order` is whether an index returns the matches already in msisdn
    order, so that a page can start at a known msisdn. "ends" and trigram searches
    sort their matches instead.
    """

    source: str
    where: str
    parameters: tuple[str, ...]
    in_msisdn_order: bool

    def count_sql(self) -> str:
        """Return the statement that counts every match."""
        return f"SELECT count(*) FROM {self.source} WHERE {self.where}"

    def page_sql(self, after: bool | None = None) -> str:
        """Return the statement of one page, which takes a LIMIT and an OFFSET.

        With `after` True the statement takes an msisdn first and returns the
        matches after it. With `after` False it returns the matches before it,
        last first.
        """
        where = self.where
        order = "inventory.msisdn"
        if after is True:
            where = f"{where} AND inventory.msisdn > ?"
        elif after is False:
            where = f"{where} AND inventory.msisdn < ?"
            order = "inventory.msisdn DESC"
        return (
            f"SELECT {NUMBER_COLUMNS} FROM {self.source} WHERE {where} "
            f"ORDER BY {order} LIMIT ? OFFSET ?"
        )


def inventory_query(query: SearchQuery, country: str | None) -> InventoryQuery:
    """Build the SQL that finds the numbers matching `query`, ordered by msisdn.

    Patterns match the whole msisdn, country code included. `country` is the
    country code to keep, or None to search every country. The account always
    passes one, and the benchmark searches without.
    """
    conditions: list[str] = []
    parameters: list[str] = []
    source = "inventory"

    if query.pattern and query.match is PatternMatch.CONTAINS:
        if len(query.pattern) >= TRIGRAM_LENGTH:
            source = (
                f"{INVENTORY_FTS} CROSS JOIN inventory "
                f"ON inventory.id = {INVENTORY_FTS}.rowid"
            )
            conditions.append(f"{INVENTORY_FTS} MATCH ?")
            # The pattern is digits only (SearchQuery checks), so it needs no quoting
            # inside the phrase.
            parameters.append(f'"{query.pattern}"')
        else:
            conditions.append("instr(inventory.msisdn, ?) > 0")
            parameters.append(query.pattern)

    if country is not None:
        conditions.append("inventory.country = ?")
        parameters.append(country)

    if query.type is not None:
        conditions.append("inventory.type = ?")
        parameters.append(query.type.value)

    for feature in sort_features(query.features):
        conditions.append("instr(',' || inventory.features || ',', ?) > 0")
        parameters.append(f",{feature.value},")

    if query.pattern and query.match is PatternMatch.STARTS:
        conditions.append("inventory.msisdn >= ? AND inventory.msisdn < ?")
        parameters += [query.pattern, query.pattern + _AFTER_DIGITS]

    if query.pattern and query.match is PatternMatch.ENDS:
        reversed_pattern = query.pattern[::-1]
        conditions.append(
            "inventory.reversed_msisdn >= ? AND inventory.reversed_msisdn < ?"
        )
        parameters += [reversed_pattern, reversed_pattern + _AFTER_DIGITS]

    where = " AND ".join(conditions) if conditions else "1"
    in_msisdn_order = source == "inventory" and not (
        query.pattern and query.match is PatternMatch.ENDS
    )
    return InventoryQuery(source, where, tuple(parameters), in_msisdn_order)


@dataclass(frozen=True)
class _PageEdges:
    """The first and last msisdn of a page that was shown."""

    first: str
    last: str


class SearchCache:
    """Remembers counts and page edges of recent searches, until the store changes.

    Counting a country of a million numbers reads its whole index range, and an
    OFFSET skips over every row before the page. So the count is read once per
    search, and a page next to one already shown starts from that page's edge when
    an index returns the matches in msisdn order. `version` is anything that changes whenever the store does: on a new
    version the cache forgets everything.
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
            row = connection.execute(inventory.count_sql(), inventory.parameters)
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
            rows = connection.execute(
                inventory.page_sql(),
                [*inventory.parameters, query.size, query.offset],
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
        if not inventory.in_msisdn_order:
            return None
        before = None
        if query.index > 1:
            before = self._edges.get(replace(query, index=query.index - 1))
        if before is not None:
            return connection.execute(
                inventory.page_sql(after=True),
                [*inventory.parameters, before.last, query.size, 0],
            ).fetchall()
        after = self._edges.get(replace(query, index=query.index + 1))
        if after is not None:
            rows = connection.execute(
                inventory.page_sql(after=False),
                [*inventory.parameters, after.first, query.size, 0],
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
