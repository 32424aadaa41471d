"""The benchmark script on a small store: every figure is measured and reported.

Timings on a shared machine vary too much to test, so these tests check only that
each measurement runs and reports every field with a value of the right type.
"""

from __future__ import annotations

import json

import pytest

from benchmarks.run import GOALS, Report, Settings, build_report, figures_json

SMALL = Settings(
    rows=20_000,
    patterns_per_match=3,
    rare_patterns=3,
    format_inputs=600,
    startup_runs=1,
    max_pages=3,
)
SEARCH_MATCHES = ["starts", "contains", "ends"]
RATIOS = [
    "startup_ratio",
    "search_speedup_vs_like",
    "format_ratio",
    "memory_ratio",
    "generate_ratio",
]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    """One run of every measurement on a generated store of 20,000 numbers."""
    work = tmp_path_factory.mktemp("benchmark")
    return build_report(work / "benchmark.db", work, True, SMALL)


def test_report_fields(report: Report) -> None:
    assert list(json.loads(figures_json(report))) == list(GOALS)


def test_report_inventory_rows(report: Report) -> None:
    assert report.figures["inventory_rows"] == SMALL.rows


@pytest.mark.parametrize("name", RATIOS)
def test_report_ratio_positive(report: Report, name: str) -> None:
    value = report.figures[name]

    assert isinstance(value, float)
    assert value > 0


@pytest.mark.parametrize("match", SEARCH_MATCHES)
def test_report_search_p95(report: Report, match: str) -> None:
    value = report.figures["search_p95_ms"][match]

    assert isinstance(value, float)
    assert value > 0


@pytest.mark.parametrize("name", list(GOALS))
def test_report_goal_judged(report: Report, name: str) -> None:
    assert isinstance(report.goals_met()[name], bool)


def test_startup_measures_stock_widgets_app(report: Report) -> None:
    startup = report.details["startup"]

    assert startup["widgets_seconds"] > 0
    assert startup["widgets_ratio"] == pytest.approx(
        startup["widgets_seconds"] / startup["bare_seconds"], rel=0.01
    )


def test_memory_probe_pages(report: Report) -> None:
    assert report.details["memory"]["pages"] == SMALL.max_pages


def test_memory_probe_shows_numbers(report: Report) -> None:
    assert report.details["memory"]["numbers_shown"] > 0


def test_figures_json_one_line(report: Report) -> None:
    assert "\n" not in figures_json(report)


def test_unmeasured_generation_judged_none() -> None:
    report = Report(figures={"generate_ratio": None})

    assert report.goals_met()["generate_ratio"] is None
