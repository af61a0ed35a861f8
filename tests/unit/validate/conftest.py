"""Fixtures of the validator tests: the small `testbron` source under tests/fixtures/validate."""

from __future__ import annotations

from pathlib import Path

import pytest

from zicht.mappings.descriptor import SourceDescriptor, load_descriptor
from zicht.validate.shapes import SourceShapes, source_shapes

FIXTURES = Path(__file__).parents[2] / "fixtures" / "validate"
REGIONS = {
    "wijk": ["WK015301", "WK015302"],
    "gemeente": ["GM0153"],
    "buurt": ["BU015301S01"],
    "any": ["WK015301"],
}


@pytest.fixture(scope="session")
def descriptor() -> SourceDescriptor:
    return load_descriptor(FIXTURES / "testbron.source.yaml")


@pytest.fixture(scope="session")
def shapes(descriptor: SourceDescriptor) -> SourceShapes:
    return source_shapes(descriptor, region_codes=REGIONS)


@pytest.fixture()
def write_csv(tmp_path: Path):
    """Write an extract of testbron (header + rows, ';'-delimited) and return its path."""

    def write(
        rows: list[str], *, name: str = "extract.csv", encoding: str = "utf-8", header: str | None = None
    ) -> Path:
        head = header or "client_key;toewijzing;product;begin;eind;wijk;geboortejaar;gewicht"
        path = tmp_path / name
        path.write_bytes(("\n".join([head, *rows]) + "\n").encode(encoding))
        return path

    return write
