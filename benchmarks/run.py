"""Measure numdesk on a sandbox of a million numbers, against the goals of each figure.

Run it with the project installed, from the repository root:

    python benchmarks/run.py              # a readable table, then the details
    python benchmarks/run.py --json       # the figures only, one JSON object last
    python benchmarks/run.py --rows 20000 # a quicker run on a smaller store

The machine is shared, so every time is compared with an anchor measured in the same
run: a bare Textual app, a plain `executemany`, a `LIKE` scan or plain phonenumbers.
Both apps start as they do from the second start on. pip compiles the packages it
installs, but numdesk's own modules (an editable install) are compiled on first
import and cached then, unless PYTHONDONTWRITEBYTECODE is set, and numdesk caches
its country table on its first start. The probes therefore keep both caches in the
work folder and start once unmeasured.
Searches report milliseconds at the 95th percentile. A run takes some ten minutes and
writes about 1 GB under a temporary folder, which it removes (see --work).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import phonenumbers

from domain.e164 import vonage_format
from domain.numbers import PatternMatch, SearchQuery
from store import schema
from store.account import SandboxAccount, open_sandbox
from store.records import available_number
from store.sandbox import INSERT_INVENTORY, STARTING_BALANCE_CENTS, bulk_insert
from store.search import inventory_query

PROBE = Path(__file__).with_name("probe.py")
SEED = 20260115

# Each figure's goal: the comparison and the bound.
GOALS: dict[str, tuple[str, float]] = {
    "inventory_rows": (">=", 1_000_000),
    "startup_ratio": ("<=", 1.3),
    "search_p95_ms": ("<=", 10.0),
    "search_speedup_vs_like": (">=", 20.0),
    "format_ratio": (">=", 0.8),
    "memory_ratio": ("<=", 1.5),
    "generate_ratio": ("<=", 1.5),
}


@dataclass(frozen=True)
class Settings:
    """How much each measurement does. The defaults are the full run on a million rows.

    `max_pages` caps the pages the app turns in the memory probe; None pages through
    every result.
    """

    rows: int = 1_000_000
    patterns_per_match: int = 40
    rare_patterns: int = 30
    format_inputs: int = 100_000
    startup_runs: int = 5
    max_pages: int | None = None


@dataclass
class Report:
    """The figures of one run, with the details they come from."""

    figures: dict[str, Any] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)

    def goals_met(self) -> dict[str, bool | None]:
        """Return, for each figure with a goal, whether it meets it (None: not run)."""
        return {name: _meets(name, self.figures.get(name)) for name in GOALS}


def _meets(name: str, value: Any) -> bool | None:
    if value is None:
        return None
    comparison, bound = GOALS[name]
    values = value.values() if isinstance(value, dict) else [value]
    if comparison == "<=":
        return all(item <= bound for item in values)
    return all(item >= bound for item in values)


def note(message: str) -> None:
    """Print progress on stderr, so that --json output stays one clean line."""
    print(message, file=sys.stderr, flush=True)


@contextmanager
def stopwatch() -> Iterator[Callable[[], float]]:
    """Yield a function that returns the seconds since the block started."""
    started = time.perf_counter()
    yield lambda: time.perf_counter() - started


def p95(values: Sequence[float]) -> float:
    """Return the 95th percentile by the nearest-rank method."""
    ordered = sorted(values)
    return ordered[math.ceil(0.95 * len(ordered)) - 1]


# Generation


def measure_generation(store: Path, rows: int, work: Path) -> dict[str, float]:
    """Time generating the store, then inserting the same rows with executemany.

    `generate_ratio` compares with a plain executemany of the rows, already made,
    into the store's schema as it is: one transaction, every index and the search
    table kept up to date row by row. The details add the ratio over the bulk
    path that the generator itself writes through (indexes dropped during the
    insert and built once after), which is the cost of making valid numbers alone.
    """
    note(f"Generating {rows:,} numbers in {store} ...")
    with stopwatch() as elapsed:
        open_sandbox(store, rows=rows).close()
        generate_seconds = elapsed()

    with sqlite3.connect(store) as connection:
        values = connection.execute(
            "SELECT id, msisdn, reversed_msisdn, country, type, features, cost_cents "
            "FROM inventory ORDER BY id"
        ).fetchall()
    note("Inserting the same rows with a plain executemany ...")
    plain_seconds = _time_insert(work / "executemany.db", values, bulk=False)
    note("Inserting the same rows through the generator's bulk path ...")
    bulk_seconds = _time_insert(work / "bulk.db", values, bulk=True)
    return {
        "generate_seconds": round(generate_seconds, 2),
        "executemany_seconds": round(plain_seconds, 2),
        "bulk_insert_seconds": round(bulk_seconds, 2),
        "generate_ratio": round(generate_seconds / plain_seconds, 3),
        "generate_ratio_vs_bulk_insert": round(generate_seconds / bulk_seconds, 3),
    }


def _time_insert(path: Path, values: list[tuple[Any, ...]], *, bulk: bool) -> float:
    with stopwatch() as elapsed:
        _insert_rows(path, values, bulk=bulk)
        seconds = elapsed()
    _remove_store(path)
    return seconds


def _insert_rows(path: Path, values: list[tuple[Any, ...]], *, bulk: bool) -> None:
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("BEGIN IMMEDIATE")
        schema.migrate(connection, 0)
        connection.execute(
            "INSERT INTO account (id, balance_cents) VALUES (1, ?)",
            [STARTING_BALANCE_CENTS],
        )
        if bulk:
            with bulk_insert(connection):
                connection.executemany(INSERT_INVENTORY, values)
        else:
            connection.executemany(INSERT_INVENTORY, values)
        connection.execute("COMMIT")
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


def _remove_store(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


# Search


@dataclass(frozen=True)
class Sample:
    """A stored number: its msisdn and country."""

    msisdn: str
    country: str


def sample_numbers(
    connection: sqlite3.Connection, count: int, seed: int
) -> list[Sample]:
    """Return random stored numbers, each region as likely as its share of stock."""
    rng = random.Random(seed)
    low, high = connection.execute("SELECT min(id), max(id) FROM inventory").fetchone()
    samples: list[Sample] = []
    while len(samples) < count:
        row = connection.execute(
            "SELECT msisdn, country FROM inventory WHERE id >= ? ORDER BY id LIMIT 1",
            [rng.randrange(low, high + 1)],
        ).fetchone()
        samples.append(Sample(row[0], row[1]))
    return samples


def search_any_country(connection: sqlite3.Connection, query: SearchQuery) -> int:
    """Count and read one page as the account does, but in every country."""
    inventory = inventory_query(query, None)
    count = connection.execute(inventory.counting.sql, inventory.counting.parameters)
    total = int(count.fetchone()[0])
    page = inventory.page()
    rows = connection.execute(page.sql, [*page.parameters, query.size, 0]).fetchall()
    [available_number(row) for row in rows]
    return total


def time_search(
    account: SandboxAccount,
    connection: sqlite3.Connection,
    query: SearchQuery,
    any_country: bool,
) -> float:
    """Return the milliseconds of one page of 10 with its exact count."""
    with stopwatch() as elapsed:
        if any_country:
            search_any_country(connection, query)
        else:
            account.search(query)
        return elapsed() * 1000


def measure_search(store: Path, patterns_per_match: int) -> dict[str, Any]:
    """Time searches of random 4-digit patterns, with and without a country.

    Each pattern is searched once, so no count comes from the account's cache. The
    countries come from random stored numbers, so a search with a country is as
    likely to be in a large country as its share of the stock. A second set of
    patterns is cut from those stored numbers, so that every search finds at least
    that number: a harder case than random digits, reported beside the goal.
    """
    note("Timing searches ...")
    account = open_sandbox(store)
    connection = _read_connection(store)
    try:
        samples = sample_numbers(connection, patterns_per_match, SEED)
        rng = random.Random(SEED)
        random_p95: dict[str, float] = {}
        stored_p95: dict[str, float] = {}
        split: dict[str, dict[str, float]] = {}
        for match in PatternMatch:
            random_patterns = [f"{rng.randrange(10_000):04d}" for _ in samples]
            cut_patterns = [_cut(sample.msisdn, match, rng) for sample in samples]
            split[match.value] = {}
            for name, patterns, result in (
                ("random", random_patterns, random_p95),
                ("stored", cut_patterns, stored_p95),
            ):
                per_filter = _time_patterns(
                    account, connection, samples, patterns, match
                )
                split[match.value].update(
                    {f"{name}_{key}": value for key, value in per_filter.items()}
                )
                result[match.value] = max(per_filter.values())
    finally:
        connection.close()
        account.close()
    return {"random": random_p95, "stored": stored_p95, "split": split}


def _time_patterns(
    account: SandboxAccount,
    connection: sqlite3.Connection,
    samples: list[Sample],
    patterns: list[str],
    match: PatternMatch,
) -> dict[str, float]:
    with_country = []
    any_country = []
    for sample, pattern in zip(samples, patterns, strict=True):
        query = SearchQuery(sample.country, pattern=pattern, match=match)
        with_country.append(time_search(account, connection, query, False))
        any_country.append(time_search(account, connection, query, True))
    return {
        "country": round(p95(with_country), 3),
        "any_country": round(p95(any_country), 3),
    }


def _cut(msisdn: str, match: PatternMatch, rng: random.Random) -> str:
    if match is PatternMatch.STARTS:
        return msisdn[:4]
    if match is PatternMatch.ENDS:
        return msisdn[-4:]
    start = rng.randrange(1, len(msisdn) - 4)
    return msisdn[start : start + 4]


def _read_connection(store: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(f"{store.as_uri()}?mode=ro", uri=True)
    connection.row_factory = sqlite3.Row
    return connection


def measure_like(store: Path, count: int) -> dict[str, float]:
    """Compare a LIKE scan with numdesk's "contains" on rare 7-digit patterns.

    Both count every match and read a page of 10, in every country.
    """
    note("Timing LIKE scans against the trigram index ...")
    rng = random.Random(SEED + 1)
    patterns = [f"{rng.randrange(10_000_000):07d}" for _ in range(count)]
    connection = _read_connection(store)
    like_times = []
    numdesk_times = []
    try:
        for pattern in patterns:
            with stopwatch() as elapsed:
                _like_search(connection, pattern)
                like_times.append(elapsed() * 1000)
            query = SearchQuery("US", pattern=pattern, match=PatternMatch.CONTAINS)
            with stopwatch() as elapsed:
                search_any_country(connection, query)
                numdesk_times.append(elapsed() * 1000)
    finally:
        connection.close()
    return {
        "like_p95_ms": round(p95(like_times), 3),
        "numdesk_p95_ms": round(p95(numdesk_times), 3),
        "speedup": round(p95(like_times) / p95(numdesk_times), 1),
    }


def _like_search(connection: sqlite3.Connection, pattern: str) -> None:
    like = f"%{pattern}%"
    connection.execute(
        "SELECT count(*) FROM inventory WHERE msisdn LIKE ?", [like]
    ).fetchone()
    connection.execute(
        "SELECT msisdn, country, type, features, cost_cents FROM inventory "
        "WHERE msisdn LIKE ? ORDER BY msisdn LIMIT 10",
        [like],
    ).fetchall()


# Formatting


def format_inputs(store: Path, count: int) -> list[tuple[str, str | None]]:
    """Return `count` caller IDs as people and systems write them, with a region.

    One in six each: Vonage form, E.164 with +, international format, national
    format with its region, the international access code 00 with a region, and
    text that is no valid number.
    """
    connection = _read_connection(store)
    try:
        samples = sample_numbers(connection, count // 6 + 1, SEED + 2)
    finally:
        connection.close()
    rng = random.Random(SEED + 3)
    junk = ["anonymous", "+266696687", "12", "0", "unknown", "tel:", "+44 (0) 20"]
    inputs: list[tuple[str, str | None]] = []
    for sample in samples:
        number = phonenumbers.parse(f"+{sample.msisdn}")
        region = sample.country
        inputs += [
            (sample.msisdn, None),
            (f"+{sample.msisdn}", None),
            (phonenumbers.format_number(number, 1), None),
            (phonenumbers.format_number(number, 2), region),
            (f"00{sample.msisdn}", "DE"),
            (rng.choice(junk) + sample.msisdn[: rng.randrange(3)], region),
        ]
    return inputs[:count]


def measure_format(store: Path, count: int) -> dict[str, float]:
    """Compare `vonage_format` throughput with phonenumbers' parse and E.164 format.

    Both sides read the same inputs in passes that alternate, so that a change in
    the machine's load touches both, and each side reports its best of three.
    """
    note(f"Timing {count:,} caller IDs through format and phonenumbers ...")
    inputs = format_inputs(store, count)
    plain_passes = []
    numdesk_passes = []
    for _ in range(3):
        plain_passes.append(_time_plain_phonenumbers(inputs))
        numdesk_passes.append(_time_vonage_format(inputs))
    plain_seconds = min(plain_passes)
    numdesk_seconds = min(numdesk_passes)
    return {
        "numdesk_per_second": round(len(inputs) / numdesk_seconds),
        "phonenumbers_per_second": round(len(inputs) / plain_seconds),
        "ratio": round(plain_seconds / numdesk_seconds, 3),
    }


def _time_plain_phonenumbers(inputs: list[tuple[str, str | None]]) -> float:
    e164 = phonenumbers.PhoneNumberFormat.E164
    with stopwatch() as elapsed:
        for raw, region in inputs:
            # try/except, not contextlib.suppress, which costs more on every input.
            try:  # noqa: SIM105
                phonenumbers.format_number(phonenumbers.parse(raw, region), e164)
            except phonenumbers.NumberParseException:
                pass
        return elapsed()


def _time_vonage_format(inputs: list[tuple[str, str | None]]) -> float:
    with stopwatch() as elapsed:
        for raw, region in inputs:
            vonage_format(raw, region)
        return elapsed()


# The app


def run_probe(caches: Path, *arguments: str) -> tuple[float, dict[str, Any]]:
    """Run `probe.py` in a fresh interpreter; return its seconds and JSON line.

    The interpreter keeps compiled modules and numdesk its user cache in `caches`.
    """
    environment = {
        **os.environ,
        "TEXTUAL_ANIMATIONS": "none",
        "PYTHONPYCACHEPREFIX": str(caches / "bytecode"),
        "XDG_CACHE_HOME": str(caches / "user"),
    }
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    with stopwatch() as elapsed:
        completed = subprocess.run(
            [sys.executable, str(PROBE), *arguments],
            capture_output=True,
            text=True,
            check=False,
            env=environment,
        )
        seconds = elapsed()
    if completed.returncode != 0:
        raise RuntimeError(
            f"The probe {' '.join(arguments)} failed with status "
            f"{completed.returncode}:\n{completed.stderr}"
        )
    return seconds, json.loads(completed.stdout.strip().splitlines()[-1])


def measure_startup(store: Path, runs: int, caches: Path) -> dict[str, float]:
    """Compare the time to a first screen of numdesk and of a bare Textual app.

    A third app, with Textual's stock widgets for numdesk's Search screen and none
    of its code, shows what those widgets cost by themselves (`widgets_ratio`). A
    first start of each, not counted, fills the caches in `caches`. Runs
    alternate, so that a change in the machine's load touches all three, and each
    reports its median.
    """
    note(f"Starting each app {runs} times ...")
    apps = {
        "bare": ("start", "bare"),
        "widgets": ("start", "widgets"),
        "numdesk": ("start", "numdesk", str(store)),
    }
    seconds: dict[str, list[float]] = {name: [] for name in apps}
    for arguments in apps.values():
        run_probe(caches, *arguments)
    for _ in range(runs):
        for name, arguments in apps.items():
            seconds[name].append(run_probe(caches, *arguments)[0])
    median = {name: statistics.median(times) for name, times in seconds.items()}
    return {
        "bare_seconds": round(median["bare"], 3),
        "widgets_seconds": round(median["widgets"], 3),
        "numdesk_seconds": round(median["numdesk"], 3),
        "widgets_ratio": round(median["widgets"] / median["bare"], 3),
        "ratio": round(median["numdesk"] / median["bare"], 3),
    }


def measure_memory(store: Path, max_pages: int | None, caches: Path) -> dict[str, Any]:
    """Compare numdesk's peak memory, paging through the results, with a bare app.

    Without `max_pages`, the app pages through every result of every country.
    Both start with the caches in `caches`, filled by a first start if needed,
    because compiling takes memory that a later start does not.
    """
    note("Paging through the search results in the app (minutes for every page) ...")
    run_probe(caches, "start", "bare")
    run_probe(caches, "start", "numdesk", str(store))
    _, bare = run_probe(caches, "page", "bare")
    limit = [] if max_pages is None else [str(max_pages)]
    seconds, paged = run_probe(caches, "page", "numdesk", str(store), *limit)
    samples = paged["rss_samples_kib"]
    return {
        "bare_peak_kib": bare["peak_rss_kib"],
        "numdesk_peak_kib": paged["peak_rss_kib"],
        "ratio": round(paged["peak_rss_kib"] / bare["peak_rss_kib"], 3),
        "numbers_shown": paged["numbers_shown"],
        "pages": paged["pages"],
        "paging_seconds": round(seconds, 1),
        "rss_first_sample_kib": samples[0],
        "rss_last_sample_kib": samples[-1],
        "rss_max_sample_kib": max(samples),
    }


# The report


def build_report(
    store: Path, work: Path, generate: bool, settings: Settings | None = None
) -> Report:
    """Measure every figure on the store, generating it first when `generate`."""
    settings = settings or Settings()
    report = Report()
    report.details["machine"] = _machine()
    if generate:
        generation = measure_generation(store, settings.rows, work)
        report.figures["generate_ratio"] = generation["generate_ratio"]
        report.details["generate"] = generation
    else:
        report.figures["generate_ratio"] = None

    with sqlite3.connect(store) as connection:
        [(count,)] = connection.execute("SELECT count(*) FROM inventory")
    report.figures["inventory_rows"] = count

    search = measure_search(store, settings.patterns_per_match)
    report.figures["search_p95_ms"] = search["random"]
    report.details["search_p95_ms_stored_patterns"] = search["stored"]
    report.details["search_p95_ms_by_filter"] = search["split"]

    like = measure_like(store, settings.rare_patterns)
    report.figures["search_speedup_vs_like"] = like["speedup"]
    report.details["like"] = like

    formatting = measure_format(store, settings.format_inputs)
    report.figures["format_ratio"] = formatting["ratio"]
    report.details["format"] = formatting

    caches = work / "caches"
    startup = measure_startup(store, settings.startup_runs, caches)
    report.figures["startup_ratio"] = startup["ratio"]
    report.details["startup"] = startup

    memory = measure_memory(store, settings.max_pages, caches)
    report.figures["memory_ratio"] = memory["ratio"]
    report.details["memory"] = memory
    report.details["machine"]["load_average_after"] = _load_average()
    return report


def _machine() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "phonenumbers": phonenumbers.__version__,
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "load_average_before": _load_average(),
    }


def _load_average() -> list[float] | None:
    try:
        return [round(load, 2) for load in os.getloadavg()]
    except OSError:
        return None


def print_table(report: Report) -> None:
    """Print each figure, its goal and whether it is met, then the details."""
    met = report.goals_met()
    rows = [("field", "value", "goal", "met")]
    for name, (comparison, bound) in GOALS.items():
        value = report.figures.get(name)
        shown = "not measured" if value is None else _shown(value)
        verdict = {True: "yes", False: "NO", None: "-"}[met[name]]
        rows.append((name, shown, f"{comparison} {_shown(bound)}", verdict))
    widths = [max(len(row[column]) for row in rows) for column in range(3)]
    for field_name, shown, goal, verdict in rows:
        print(
            f"{field_name:<{widths[0]}}  {shown:>{widths[1]}}  "
            f"{goal:<{widths[2]}}  {verdict}"
        )
    print()
    print("details")
    for key, value in _flatten(report.details):
        print(f"  {key}: {value}")


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{key} {item:g}" for key, item in value.items())
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:g}"


def _flatten(details: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Yield (dotted key, value) for every value that is not itself a dict."""
    for key, value in details.items():
        if isinstance(value, dict):
            yield from _flatten(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value


def figures_json(report: Report) -> str:
    """Return the figures as one line of JSON, keyed and ordered as in `GOALS`."""
    return json.dumps({name: report.figures.get(name) for name in GOALS})


def _parser() -> argparse.ArgumentParser:
    defaults = Settings()
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "--rows",
        type=int,
        default=defaults.rows,
        help=f"Numbers in the benchmark store (default {defaults.rows:,}).",
    )
    parser.add_argument(
        "--store",
        type=Path,
        help="Use this store, generating it only if it does not exist. A store "
        "that exists is not generated again, so generate_ratio is not measured.",
    )
    parser.add_argument(
        "--work",
        type=Path,
        help="Folder for the files the run writes (default: a temporary folder, "
        "removed at the end).",
    )
    parser.add_argument(
        "--max-pages",
        type=int,
        help="Stop the memory probe after this many pages (default: every page).",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="Print the figures as one JSON object on the last line, and no table.",
    )
    parser.add_argument(
        "--details",
        type=Path,
        help="Also write the figures, goals met and details as JSON to this file.",
    )
    return parser


def main(arguments: list[str] | None = None) -> None:
    """Parse the command line, measure and print the report."""
    options = _parser().parse_args(arguments)
    settings = Settings(rows=options.rows, max_pages=options.max_pages)

    work = options.work or Path(tempfile.mkdtemp(prefix="numdesk-benchmark-"))
    work.mkdir(parents=True, exist_ok=True)
    store = options.store or work / "benchmark.db"
    try:
        report = build_report(store, work, not store.exists(), settings)
    finally:
        if options.work is None:
            shutil.rmtree(work, ignore_errors=True)

    if options.details is not None:
        full = {
            **report.figures,
            "goals_met": report.goals_met(),
            "details": report.details,
        }
        options.details.write_text(json.dumps(full, indent=2) + "\n")
    if options.json:
        print(figures_json(report))
    else:
        print_table(report)


if __name__ == "__main__":
    main()
