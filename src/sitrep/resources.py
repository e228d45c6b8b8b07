"""Packaged data files (word lists, alias tables, settings): one reader, cached per process."""
from __future__ import annotations

import functools
import re
from importlib import resources

__all__ = ["data_text", "read_table", "read_patterns"]


@functools.cache
def data_text(relpath: str) -> str:
    """The text of ``sitrep/data/<relpath>``."""
    return resources.files("sitrep").joinpath("data", relpath).read_text(encoding="utf-8")


@functools.cache
def read_table(relpath: str) -> tuple[tuple[str, ...], ...]:
    """Rows of a TSV data file, skipping blank lines and ``#`` comments."""
    rows = []
    for line in data_text(relpath).splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        rows.append(tuple(cell.strip() for cell in line.split("\t")))
    return tuple(rows)


@functools.cache
def read_patterns(relpath: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """``kind<TAB>regex`` rows compiled case-insensitively."""
    return tuple((row[0], re.compile(row[1], re.IGNORECASE)) for row in read_table(relpath) if len(row) >= 2)
