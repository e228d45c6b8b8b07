"""Packaged data files (word lists, alias tables, settings): one reader, cached per process."""
from __future__ import annotations

import functools
import re
from importlib import resources

__all__ = ["data_text", "read_table", "read_patterns", "grammar", "Grammar", "NEVER"]


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


NEVER = re.compile(r"(?!)")      # the regex of a name a language's grammar file lacks


class Grammar:
    """The closed-class words and word patterns one module reads in one language:
    ``data/<lang>/<module>.tsv``, rows ``NAME<TAB>kind<TAB>value`` where kind is ``rx`` (a regex,
    case-insensitive), ``rx-cs`` (a case-sensitive regex) or ``words`` (``|``-separated). A name the
    language does not give is a regex that never matches or an empty set: the rule it feeds does
    not fire in that language."""

    def __init__(self, lang: str, module: str) -> None:
        self.lang = lang
        self._rx: dict[str, re.Pattern[str]] = {}
        self._words: dict[str, frozenset[str]] = {}
        try:
            rows = read_table(f"{lang}/{module}.tsv")
        except FileNotFoundError:
            rows = ()
        for row in rows:
            name, kind, value = (list(row) + ["", ""])[:3]
            if kind == "words":
                self._words[name] = frozenset(w for w in value.split("|") if w)
            elif kind in ("rx", "rx-cs"):
                self._rx[name] = re.compile(value, re.IGNORECASE if kind == "rx" else 0)
            else:
                raise ValueError(f"data/{lang}/{module}.tsv: row {name!r}: unknown kind {kind!r}")

    def rx(self, name: str) -> re.Pattern[str]:
        return self._rx.get(name, NEVER)

    def words(self, name: str) -> frozenset[str]:
        return self._words.get(name, frozenset())


@functools.cache
def grammar(lang: str, module: str) -> Grammar:
    """The cached ``Grammar`` of ``module`` in ``lang``."""
    return Grammar(lang, module)
