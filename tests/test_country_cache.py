"""The country table cached in the user cache folder: used while current, else rebuilt."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import phonenumbers
import pytest

from cli.country_cache import (
    cache_content,
    country_cache_path,
    load_country_table,
    table_sources,
)
from domain.countries import country_table, find_country, use_country_table

US_LABEL = "United States (US, +1)"


@pytest.fixture(autouse=True)
def restored_countries() -> Iterator[None]:
    """Give the countries back as phonenumbers has them after each test."""
    rows = country_table()
    yield
    use_country_table(rows)


def cache_with(countries: Any, sources: Any = None) -> dict[str, Any]:
    """Return a cache file's content, checksum included, with `countries` as given."""
    return cache_content(table_sources() if sources is None else sources, countries)


def write_cache(path: Path, content: object) -> None:
    path.write_text(json.dumps(content), encoding="utf-8")


def test_path_is_in_user_cache_folder(tmp_path: Path) -> None:
    assert country_cache_path() == tmp_path / "xdg-cache/numdesk/countries.json"


def test_first_load_writes_every_region(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "countries.json"

    load_country_table(path)

    cached = json.loads(path.read_text(encoding="utf-8"))
    codes = {code for code, _, _ in cached["countries"]}
    assert codes == phonenumbers.SUPPORTED_REGIONS
    assert ["GB", 44, "United Kingdom"] in cached["countries"]
    assert cached["sources"] == table_sources()


def test_current_cache_is_used(tmp_path: Path) -> None:
    path = tmp_path / "countries.json"
    write_cache(path, cache_with([["US", 1, "Cached States"], ["GB", 44, "UK"]]))

    load_country_table(path)

    assert find_country("US").label == "Cached States (US, +1)"


def test_cache_changed_by_hand_is_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "countries.json"
    content = cache_with([["US", 1, "United States"], ["GB", 44, "United Kingdom"]])
    content["countries"] = [["XX", 999, "Nowhere"]]
    write_cache(path, content)

    load_country_table(path)

    assert find_country("US").label == US_LABEL
    rewritten = json.loads(path.read_text(encoding="utf-8"))
    assert ["XX", 999, "Nowhere"] not in rewritten["countries"]


def test_cache_of_other_sources_is_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "countries.json"
    older = [[stamp[0], stamp[1], stamp[2] - 1] for stamp in table_sources()]
    write_cache(path, cache_with([["US", 1, "Cached States"]], sources=older))

    load_country_table(path)

    assert find_country("US").label == US_LABEL
    assert json.loads(path.read_text(encoding="utf-8"))["sources"] == table_sources()


@pytest.mark.parametrize(
    "content",
    [
        "not JSON at all",
        "[]",
        json.dumps({"countries": [["US", 1, "Cached States"]]}),
        json.dumps(cache_with([])),
        json.dumps(cache_with("US")),
        json.dumps(cache_with([["US", "1", "Cached States"]])),
        json.dumps(cache_with([["US", True, "Cached States"]])),
        json.dumps(cache_with([["US", 1]])),
        json.dumps(cache_with([["US", 1, None]])),
        json.dumps(cache_with([["US", 1, "Cached States"], ["US", 1, "Again"]])),
        json.dumps(cache_with([["US", 1, "Cached States"], "GB"])),
    ],
    ids=[
        "not-json",
        "a-list",
        "no-sources",
        "no-countries",
        "countries-not-a-list",
        "calling-code-as-text",
        "calling-code-as-boolean",
        "row-too-short",
        "name-missing",
        "code-twice",
        "row-not-a-list",
    ],
)
def test_malformed_cache_is_written_again(tmp_path: Path, content: str) -> None:
    path = tmp_path / "countries.json"
    path.write_text(content, encoding="utf-8")

    load_country_table(path)

    assert find_country("US").label == US_LABEL
    rewritten = json.loads(path.read_text(encoding="utf-8"))
    assert ["US", 1, "United States"] in rewritten["countries"]


def test_unwritable_folder_leaves_table_working(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("", encoding="utf-8")

    load_country_table(not_a_folder / "countries.json")

    assert find_country("US").label == US_LABEL


def test_failed_write_leaves_no_partial_file(tmp_path: Path) -> None:
    # A folder in the file's place cannot be replaced by the new file.
    path = tmp_path / "countries.json"
    (path / "inside").mkdir(parents=True)

    load_country_table(path)

    assert sorted(item.name for item in tmp_path.iterdir()) == ["countries.json"]
    assert find_country("US").label == US_LABEL
