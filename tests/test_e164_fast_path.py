"""The plain-digits path of vonage_format against the general path, on benchmark inputs.

`_format_plain` handles digits with separators, a + or an access code, and must
return exactly what `_format_text` returns for them. The inputs are those of
`benchmarks/run.py`, made from the numbers of the test sandbox.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.run import format_inputs
from domain.e164 import _format_plain, _format_text

SAMPLE_SIZE = 6_000
# The kinds of input format_inputs makes, in the order it repeats them.
KINDS = ["vonage", "plus", "international", "national", "access_code", "junk"]
# Kinds that the plain path must take for most inputs, so that comparing is a test.
PLAIN_KINDS = ["vonage", "plus", "international", "national", "access_code"]

Inputs = list[tuple[str, str | None]]


@pytest.fixture(scope="module")
def inputs(template_store: Path) -> Inputs:
    """The benchmark's mixed caller IDs, drawn from the test sandbox."""
    return format_inputs(template_store, SAMPLE_SIZE)


def of_kind(inputs: Inputs, kind: str) -> Inputs:
    return inputs[KINDS.index(kind) :: len(KINDS)]


@pytest.mark.parametrize("kind", KINDS)
def test_plain_path_equals_general(inputs: Inputs, kind: str) -> None:
    differences = []
    for raw, region in of_kind(inputs, kind):
        plain = _format_plain(raw, region)
        if plain is not None and plain != _format_text(raw, region):
            differences.append((raw, region))

    assert differences == []


@pytest.mark.parametrize("kind", PLAIN_KINDS)
def test_plain_path_taken(inputs: Inputs, kind: str) -> None:
    sample = of_kind(inputs, kind)
    taken = [raw for raw, region in sample if _format_plain(raw, region) is not None]

    assert len(taken) > len(sample) * 0.9


@pytest.mark.parametrize(
    ("raw", "region"),
    [
        ("00266696687", "DE"),
        ("0011266696687", "AU"),
        ("0044", "DE"),
        ("0000000000", "GB"),
        ("810266696687", "RU"),
        ("0015417543010", "US"),
        ("00115417543010", "AU"),
        ("011 44 20 7946 0123", "US"),
        ("0044 20 7946 0123", "GB"),
        ("0015555550100", "DE"),
        ("00447700900123", "DE"),
        ("+0044 20 7946 0123", None),
        ("0445512345678", "MX"),
        ("00525512345678", "DE"),
        ("0055 11 6123 4567", "DE"),
        ("00 55 11 6123 4567", "BR"),
    ],
)
def test_plain_path_hard_cases(raw: str, region: str | None) -> None:
    plain = _format_plain(raw, region)

    assert plain is None or plain == _format_text(raw, region)
