"""A copy of the country table in the user cache folder, so that the app starts sooner.

The app's first screen names a country with its calling code. Building the table
imports phonenumbers, which takes about a quarter of the app's start-up, so the
table is kept as JSON in `countries.json` in platformdirs' user cache folder
(`~/.cache/numdesk` on Linux). The file also records the size and modification
time of the files the table comes from: phonenumbers' calling codes and names,
and numdesk's own country module. When any of them differs, the table is built
again. A CRC-32 checksum of the table catches a file changed by hand or damaged.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import zlib
from pathlib import Path
from typing import Any

import platformdirs

import domain.countries
from domain.countries import CountryRow, country_table, use_country_table

CACHE_FILE_NAME = "countries.json"
# The files of phonenumbers that the table's calling codes and names come from.
PHONENUMBERS_SOURCES = ("__init__.py", "data/__init__.py", "geodata/locale.py")


def country_cache_path() -> Path:
    """Return the cache file's path in the user cache folder."""
    return platformdirs.user_cache_path("numdesk") / CACHE_FILE_NAME


def load_country_table(path: Path) -> None:
    """Use the countries cached in `path`, else build them and cache them there.

    A missing, unreadable, malformed, changed or outdated file is written again. A
    file that cannot be written leaves the table built for this run only.
    """
    sources = table_sources()
    rows = _cached_rows(path, sources)
    if rows is not None:
        use_country_table(rows)
        return
    # Without the file the app only starts more slowly: no reason to stop it.
    with contextlib.suppress(OSError):
        _write(path, cache_content(sources, country_table()))


def cache_content(sources: list[list[Any]], rows: list[CountryRow]) -> dict[str, Any]:
    """Return the content of the cache file for `rows` built from `sources`."""
    return {"sources": sources, "checksum": _checksum(rows), "countries": rows}


def _checksum(countries: object) -> int:
    text = json.dumps(countries, ensure_ascii=False, separators=(",", ":"))
    return zlib.crc32(text.encode("utf-8"))


def table_sources() -> list[list[Any]]:
    """Return the path, size and modification time of each file the table comes from."""
    spec = importlib.util.find_spec("phonenumbers")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("phonenumbers is not installed.")
    package = Path(spec.origin).parent
    paths = [package / name for name in PHONENUMBERS_SOURCES]
    paths.append(Path(domain.countries.__file__))
    stamps = []
    for path in paths:
        status = path.stat()
        stamps.append([str(path), status.st_size, status.st_mtime_ns])
    return stamps


def _cached_rows(path: Path, sources: list[list[Any]]) -> list[CountryRow] | None:
    """Return the rows cached in `path` from `sources`, or None when there are none."""
    try:
        cached = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(cached, dict) or cached.get("sources") != sources:
        return None
    countries = cached.get("countries")
    if not isinstance(countries, list) or not countries:
        return None
    if cached.get("checksum") != _checksum(countries):
        return None

    rows: list[CountryRow] = []
    for entry in countries:
        row = _row(entry)
        if row is None:
            return None
        rows.append(row)
    codes = {code for code, _, _ in rows}
    return rows if len(codes) == len(rows) else None


def _row(entry: object) -> CountryRow | None:
    if not isinstance(entry, list) or len(entry) != 3:
        return None
    code, calling_code, name = entry
    if not (isinstance(code, str) and isinstance(name, str)):
        return None
    if type(calling_code) is not int:
        return None
    return code, calling_code, name


def _write(path: Path, content: dict[str, Any]) -> None:
    """Replace `path` whole, so that another process never reads half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.part")
    try:
        partial.write_text(json.dumps(content) + "\n", encoding="utf-8")
        os.replace(partial, path)
    except OSError:
        partial.unlink(missing_ok=True)
        raise
