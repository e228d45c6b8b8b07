"""Packaged data files (word lists, alias tables, settings): one reader, cached per process."""
from __future__ import annotations

import functools
import heapq
import re
from importlib import resources
from re import _casefix, _constants as _c, _parser    # the regex parser: what a pattern can start with or holds

__all__ = ["data_text", "read_table", "read_patterns", "grammar", "Grammar", "NEVER", "scanner", "lowered",
           "may_match", "alternation_spans", "tables_version"]


@functools.cache
def tables_version(lang: str, root=None) -> str:
    """A fingerprint of the data an extraction in ``lang`` reads besides the trained models: the
    language's tables (``data/<lang>/``, its ``models/`` apart: they carry their own versions), the
    shared ones (``data/*.tsv``, the village table, ``data/geo/``) and the gazetteer's schema version.
    Part of the extractor's name, so that a store re-extracts what a new table would read otherwise."""
    import hashlib
    from pathlib import Path
    from .gazetteer import GAZETTEER_VERSION
    base = Path(root) if root is not None else Path(str(resources.files("sitrep").joinpath("data")))
    h = hashlib.sha1(GAZETTEER_VERSION.encode())
    for p in sorted(base.rglob("*")):
        parts = p.relative_to(base).parts
        if not p.is_file() or "models" in parts or "__pycache__" in parts or p.suffix == ".pyc":
            continue
        if len(parts) == 1 or parts[0] in (lang, "geo"):
            h.update("/".join(parts).encode() + b"\0" + p.read_bytes())
    return f"tables-{lang}-{h.hexdigest()[:10]}"


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


def scanner(pattern: str, flags: int = re.IGNORECASE, shape: str | None = None) -> tuple[re.Pattern[str], tuple[str, ...] | None]:
    """``pattern`` compiled for scanning whole texts, and the strings (lowercased) one of which its
    every match contains — « frapp » for ``\\bfrapp(?:e|é|ées)\\b`` — or None when it needs none
    (``may_match``: a table row none of whose strings a text holds cannot match it, and is not run).

    The pattern is compiled behind a lookahead on what a match can start with — the characters
    its first consumed character may be, and a word boundary when every alternative asserts one —
    so that a scan skips every other position in one test instead of trying each alternative
    there. The matches and groups are the same (the lookahead accepts a superset of the positions
    where the pattern can match, and captures nothing). A case-insensitive alternation of words
    gives Python's regex engine no prefix to skip by: the trigger and actor tables cost a try of
    every row's every alternative at every character of the article. Without a start that can be
    told (the pattern may match the empty string, or start with ``.``) it is compiled as it is.

    ``shape``: a pattern cheaper to read, of the same structure, in which a part is replaced by one
    that matches at least what it matches (``\\w+`` for the thousand demonyms of ``{DEM}``): its
    start and its strings are read instead of the pattern's."""
    try:
        if flags & (re.VERBOSE | re.ASCII | re.LOCALE):
            raise ValueError("flags")
        seq = _parser.parse(shape or pattern, flags).data
        head, words = _head(seq), _words(seq)
    except (re.error, TypeError, ValueError, IndexError):
        return re.compile(pattern, flags), None
    words = tuple(sorted(words)) if words else None
    if head is None or head[1] or not head[0]:
        return re.compile(pattern, flags), words
    items, _, boundary = head
    gate = "(?=" + ("\\b" if boundary else "") + "(?i:[" + "".join(sorted(items)) + "]))"
    try:
        return re.compile(gate + "(?:" + pattern + ")", flags), words
    except re.error:
        return re.compile(pattern, flags), words


_CLASS_ITEM = {_c.CATEGORY_DIGIT: "\\d", _c.CATEGORY_NOT_DIGIT: "\\D", _c.CATEGORY_SPACE: "\\s",
               _c.CATEGORY_NOT_SPACE: "\\S", _c.CATEGORY_WORD: "\\w", _c.CATEGORY_NOT_WORD: "\\W"}


def _char(code: int) -> str:
    return "\\x{:02x}".format(code) if code < 0x100 else "\\u{:04x}".format(code) if code < 0x10000 \
        else "\\U{:08x}".format(code)


def _head(seq) -> tuple[set[str], bool, bool] | None:
    """What a parsed sequence can start with: (class items its first consumed character belongs
    to, whether it can match the empty string, whether every way through it that consumes a
    character asserts a word boundary first), or None when any character can start it."""
    items: set[str] = set()
    asserted = False      # a word boundary asserted where nothing was consumed yet
    bounded = True        # the ways that consumed in an optional element asserted one first
    for op, av in seq:
        if op is _c.AT:
            asserted = asserted or av is _c.AT_BOUNDARY
            continue
        if op in (_c.ASSERT, _c.ASSERT_NOT):
            continue          # zero-width: the lookaround is tested where the match starts
        if op is _c.LITERAL:
            return items | {_char(av)}, False, bounded and asserted
        if op is _c.IN:
            more = set()
            for kind, value in av:
                if kind is _c.LITERAL:
                    more.add(_char(value))
                elif kind is _c.RANGE:
                    more.add(_char(value[0]) + "-" + _char(value[1]))
                elif kind is _c.CATEGORY and value in _CLASS_ITEM:
                    more.add(_CLASS_ITEM[value])
                else:
                    return None       # a negated class, or a category with no class form
            return items | more, False, bounded and asserted
        optional = False
        if op is _c.SUBPATTERN:
            subs = [_head(av[-1].data)]
        elif op is _c.ATOMIC_GROUP:
            subs = [_head(av.data)]
        elif op is _c.BRANCH:
            subs = [_head(b.data) for b in av[1]]
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
            subs = [_head(av[2].data)]
            optional = av[0] == 0
        else:
            return None               # any character, a back reference…
        if any(h is None for h in subs):
            return None
        for h in subs:
            items |= h[0]
        bounded = bounded and (asserted or all(h[2] for h in subs))
        if not (optional or any(h[1] for h in subs)):
            return items, False, bounded
    return items, True, bounded


MAX_WORDS = 64     # a pattern whose matches need one of more strings than this is scanned unfiltered


def _literal_char(code: int) -> str | None:
    """The character of a literal, lowercased, when ``str.lower`` and the regex engine's
    case-insensitive matching agree on it (not « ı », « ſ », « µ », Greek and Cyrillic variants)."""
    ch = chr(code).lower()
    return ch if len(ch) == 1 and ch not in _UNSAFE else None


def _best(options: list[frozenset[str]]) -> frozenset[str] | None:
    """Of the string sets a match needs (any one will do), the most telling: longest shortest string."""
    options = [o for o in options if o and len(o) <= MAX_WORDS]
    return max(options, key=lambda o: (min(map(len, o)), -len(o)), default=None)


def _words(seq) -> frozenset[str] | None:
    """One set of strings every match of a parsed sequence contains one of (None: none found)."""
    options: list[frozenset[str]] = []
    run = ""
    for op, av in seq:
        ch = _literal_char(av) if op is _c.LITERAL else None
        if ch is not None:
            run += ch
            continue
        if run:
            options.append(frozenset([run]))
            run = ""
        sub = None
        if op is _c.SUBPATTERN:
            sub = _words(av[-1].data)
        elif op is _c.ATOMIC_GROUP:
            sub = _words(av.data)
        elif op is _c.BRANCH:
            alts = [_words(b.data) for b in av[1]]
            sub = None if any(a is None for a in alts) else frozenset().union(*alts)
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT) and av[0] >= 1:
            sub = _words(av[2].data)
        if sub is not None:
            options.append(sub)
    if run:
        options.append(frozenset([run]))
    return _best(options)


# Characters on which the regex engine's case-insensitive matching and ``str.lower`` part ways:
# those with more than one case-insensitive match (``re._casefix``), « İ » (lowercased to two
# characters) and « Σ » (to « ς » or « σ » by position) — and their capitals (but "I", "S": ASCII
# capitals lowercase as the engine folds them).
_UNSAFE = frozenset({chr(x) for k, v in _casefix._EXTRA_CASES.items() for x in (k, *v) if x > 0x7f}
                    | {"\u0130", "\u03a3"})
_UNSAFE = _UNSAFE | frozenset(c.upper() for c in _UNSAFE if len(c.upper()) == 1 and not c.upper().isascii())
_UNSAFE_RX = re.compile("[" + "".join(sorted(_UNSAFE)) + "]")


def lowered(text: str) -> str | None:
    """``text`` lowercased for ``may_match``, or None when it holds a character on which that
    lowercasing and the regex engine disagree (then every pattern is run)."""
    return None if _UNSAFE_RX.search(text) else text.lower()


def may_match(words: tuple[str, ...] | None, low: str | None) -> bool:
    """Whether a pattern whose matches need one of ``words`` (``scanner``) can match the
    text lowered to ``low`` (``lowered``): False only when it surely cannot."""
    if words is None or low is None:
        return True
    for w in words:
        if w in low:
            return True
    return False


def alternation_spans(rows: list[re.Pattern[str]], text: str) -> list[tuple[int, int]] | None:
    """The spans ``finditer`` gives for the rows joined in one alternation (the leftmost match, the
    earliest row winning at one place, the scan going on after it), from the rows run one by one —
    each can be a ``scanner``, and a row that cannot match the text left out. None when a row matches
    the empty string (then run the alternation itself)."""
    heap = []
    for i, rx in enumerate(rows):
        m = rx.search(text)
        if m:
            heap.append((m.start(), i, m.end()))
    heapq.heapify(heap)
    out: list[tuple[int, int]] = []
    pos = 0
    while heap:
        start, i, end = heapq.heappop(heap)
        if start >= pos:
            if end == start:
                return None
            out.append((start, end))
            pos = end
        m = rows[i].search(text, pos)     # its next match where the scan goes on
        if m:
            heapq.heappush(heap, (m.start(), i, m.end()))
    return out


@functools.cache
def read_patterns(relpath: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """``kind<TAB>regex`` rows compiled case-insensitively."""
    return tuple((row[0], re.compile(row[1], re.IGNORECASE)) for row in read_table(relpath) if len(row) >= 2)


NEVER = re.compile(r"(?!)")      # the regex of a name a language's grammar file lacks


class Grammar:
    """The closed-class words and word patterns one module reads in one language:
    ``data/<lang>/<module>.tsv``, rows ``NAME<TAB>kind<TAB>value`` where kind is ``rx`` (a regex,
    case-insensitive), ``rx-cs`` (a case-sensitive regex), ``words`` (``|``-separated) or ``int`` (a
    setting measured for the language). A name the language does not give is a regex that never
    matches, an empty set or None: the rule it feeds does not fire in that language."""

    def __init__(self, lang: str, module: str) -> None:
        self.lang = lang
        self._rx: dict[str, re.Pattern[str]] = {}
        self._words: dict[str, frozenset[str]] = {}
        self._ints: dict[str, int] = {}
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
            elif kind == "int":
                self._ints[name] = int(value)
            else:
                raise ValueError(f"data/{lang}/{module}.tsv: row {name!r}: unknown kind {kind!r}")

    def rx(self, name: str) -> re.Pattern[str]:
        return self._rx.get(name, NEVER)

    def words(self, name: str) -> frozenset[str]:
        return self._words.get(name, frozenset())

    def int(self, name: str) -> int | None:
        return self._ints.get(name)


@functools.cache
def grammar(lang: str, module: str) -> Grammar:
    """The cached ``Grammar`` of ``module`` in ``lang``."""
    return Grammar(lang, module)
