"""Read articles from files and folders: .txt, .jsonl and .html.

``read_inputs`` yields an :class:`~sitrep.model.Article` for every readable article and an
:class:`InputError` (never raised) for every unreadable file or record, so one bad file never
stops a batch. Messages name the file (and line) and the reason in one line.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from .dates import PUBLISHED_YEARS, valid_published
from .model import Article, content_id

__all__ = ["InputError", "read_inputs", "article_from_record", "article_from_text", "expand_globs", "list_files",
           "read_file", "unique_id"]

TEXT_SUFFIXES = {".txt", ".text"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
SUFFIXES = TEXT_SUFFIXES | JSONL_SUFFIXES | HTML_SUFFIXES

# A leading " date 2017-10" (or 2017-10-14) line: publication metadata written by the crawler.
_DATE_LINE = re.compile(r"\A\s*date\s+(\d{4}-\d{2}(?:-\d{2})?)\b[ \t]*")
# Share of control characters above which a file is taken for binary.
_BINARY_CONTROL_SHARE = 0.05  # text files in the dev set have none; images/PDFs have > 20 %
MAX_BYTES = 20_000_000        # a single article above 20 MB is not an article


class InputError:
    """An input that could not be read: ``where`` is the file (and line), ``reason`` why.
    ``notice`` marks something the user should hear about that is not a failure (a duplicate
    skipped, files of other types in a folder)."""

    __slots__ = ("where", "reason", "notice")

    def __init__(self, where: str, reason: str, notice: bool = False) -> None:
        self.where, self.reason, self.notice = where, reason, notice

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"

    def __repr__(self) -> str:
        return f"InputError({self!s})"


def _iter_files(paths: Iterable[str | Path]) -> Iterator[tuple[Path, str] | InputError]:
    """Each file with its article id (its path relative to the folder given, without the suffix:
    ``a/index`` and ``b/index`` stay apart; a file given by itself is its stem), or an error."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
            found = [p for p in files if p.suffix.lower() in SUFFIXES]
            other = Counter(p.suffix.lower() or "(no suffix)" for p in files if p.suffix.lower() not in SUFFIXES)
            kinds = ", ".join(f"{n} {suffix}" for suffix, n in sorted(other.items()))
            if not found:
                yield InputError(str(path), "no .txt, .jsonl or .html files in this folder"
                                 + (f" (found {kinds})" if kinds else " (it is empty)"))
                continue
            for p in found:
                yield p, p.relative_to(path).with_suffix("").as_posix()
        elif path.is_file():
            yield path, path.stem
        elif not path.exists():
            yield InputError(str(path), "no such file or folder")
        else:
            yield InputError(str(path), "not a regular file")


def _decode(data: bytes, where: str, warnings: list[str]) -> str | InputError:
    if not data.strip():
        return InputError(where, "empty file")
    if len(data) > MAX_BYTES:
        return InputError(where, f"file too large ({len(data)} bytes > {MAX_BYTES})")
    if b"\x00" in data[:8192]:
        return InputError(where, "binary file (NUL bytes), not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # UTF-8 with a few stray bytes (a truncated copy, one pasted byte) stays UTF-8: only the
        # stray bytes are lost. A file with no valid multi-byte UTF-8 sequence is a legacy encoding.
        escaped = data.decode("utf-8-sig", errors="surrogateescape")
        stray = sum(1 for ch in escaped if "\udc80" <= ch <= "\udcff")
        valid = sum(1 for ch in escaped if ord(ch) > 127 and not "\udc80" <= ch <= "\udcff")
        if valid > stray:
            text = data.decode("utf-8-sig", errors="replace")
            warnings.append(f"{where}: {stray} byte{'s' if stray > 1 else ''} not valid UTF-8 (first at byte "
                            f"{exc.start}) replaced by \ufffd; the rest read as UTF-8")
        else:
            try:
                text = data.decode("cp1252")
                warnings.append(f"{where}: not UTF-8 ({exc.reason} at byte {exc.start}); read as cp1252")
            except UnicodeDecodeError:
                text = data.decode("latin-1")
                warnings.append(f"{where}: not UTF-8; read as latin-1")
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > _BINARY_CONTROL_SHARE * min(len(text), 8192):
        return InputError(where, "binary file (control characters), not text")
    return text


def article_from_text(text: str, article_id: str, source: str = "", **meta: str | None) -> Article:
    """Build an Article from raw text, reading a leading ``date YYYY-MM[-DD]`` line as metadata."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    notes: list[str] = []
    published = _checked_published(meta.pop("published", None), source or article_id, notes)
    m = _DATE_LINE.match(text)
    if m:
        line = _checked_published(m.group(1), source or article_id, notes)
        published = published or line
        text = text[m.end():]
    return Article(article_id=article_id, text=text, source=source, published=published,
                   url=meta.get("url"), title=meta.get("title"), outlet=meta.get("outlet"),
                   language=meta.get("language"), warnings=notes)


def _checked_published(value: object, where: str, warnings: list[str]) -> str | None:
    """``value`` when it is an ISO day or month; otherwise None and a warning naming the article."""
    if value in (None, ""):
        return None
    iso = valid_published(value)
    if iso is None:
        warnings.append(f"{where}: published {str(value)[:40]!r} is not a date (YYYY-MM-DD or YYYY-MM"
                        f" between {PUBLISHED_YEARS[0]} and {PUBLISHED_YEARS[1]}); ignored")
    return iso


def article_from_record(rec: object, where: str) -> Article | InputError:
    """A JSONL record ``{id, text, url?, title?, published?, outlet?, language?}``."""
    if not isinstance(rec, dict):
        return InputError(where, "record is not a JSON object")
    text = rec.get("text")
    if not isinstance(text, str) or not text.strip():
        return InputError(where, "record has no 'text' (or it is empty)")
    rid = rec.get("id")
    article_id = str(rid) if rid not in (None, "") else content_id(text)
    if not re.fullmatch(r"[\w.\-:]{1,200}", article_id):
        return InputError(where, f"record id {article_id[:40]!r} has characters outside [A-Za-z0-9_.:-]")
    meta = {k: (str(rec[k]) if rec.get(k) not in (None, "") else None)
            for k in ("url", "title", "outlet", "language")}
    published = rec.get("published")
    meta["published"] = published if isinstance(published, str) else (
        None if published is None else repr(published))     # a number is reported, never read as a year
    return article_from_text(text, article_id, where, **meta)


def _read_html(data: bytes, where: str, article_id: str, warnings: list[str]) -> Article | InputError:
    import trafilatura  # only needed for HTML input

    decoded = _decode(data, where, warnings)
    if isinstance(decoded, InputError):
        return decoded
    extracted = trafilatura.bare_extraction(decoded, with_metadata=True, include_comments=False)
    doc = extracted.as_dict() if extracted is not None and hasattr(extracted, "as_dict") else extracted
    if not doc or not (doc.get("text") or "").strip():
        return InputError(where, "no article text found in the HTML page")
    body = doc["text"]
    title = doc.get("title")
    if title and not body.startswith(title):
        body = f"{title}\n\n{body}"
    art = Article(article_id=article_id, text=body, source=where, url=doc.get("url"),
                  title=title, outlet=doc.get("sitename"))
    art.published = _checked_published(doc.get("date"), where, art.warnings)
    return art


def expand_globs(paths: Iterable[str | Path]) -> list[str | Path]:
    """Each path as given, except a quoted glob (``'press/2017-*/*.jsonl'``, ``**`` included) that
    names no file itself: the paths it matches, sorted (none: left as given, reported missing)."""
    import glob
    out: list[str | Path] = []
    for p in paths:
        if isinstance(p, str) and glob.has_magic(p) and not Path(p).exists():
            out.extend(sorted(glob.glob(p, recursive=True)) or [p])
        else:
            out.append(p)
    return out


def read_inputs(paths: Iterable[str | Path]) -> Iterator[Article | InputError]:
    """Yield every article found under ``paths`` (files or folders), and an InputError for each
    input that cannot be read. Order is stable: folders are walked in sorted order."""
    seen: dict[str, tuple[str, str]] = {}      # article id -> (text hash, where it was read)
    for item in _read_all(paths):
        if isinstance(item, InputError):
            yield item
            continue
        yield _unique(item, seen)


def list_files(paths: Iterable[str | Path]) -> Iterator[tuple[Path, str] | InputError]:
    """The files ``read_inputs`` reads, in its order, each with its article id, without reading
    them (quoted globs expanded, folders walked): what a cluster's client lists and its workers
    read (``read_file``)."""
    return _iter_files(expand_globs(paths))


def unique_id(art: Article, seen: dict[str, tuple[str, str]], digest: str | None = None) -> Article | InputError:
    """``art`` with the id it keeps in its batch (``seen``: the ids given so far), or why it is
    skipped, as ``read_inputs`` decides; ``digest``: ``content_id(text, size=40)`` of its text, when
    ``art`` was read elsewhere and holds no text."""
    return _unique(art, seen, digest)


def _unique(art: Article, seen: dict[str, tuple[str, str]], digest: str | None = None) -> Article | InputError:
    """Two inputs never share an id: the same id with the same text is a duplicate (skipped,
    with a notice); with another text the later one gets the id plus its content hash."""
    if digest is None:
        digest = content_id(art.text, size=40)
    wanted = art.article_id
    for aid in (wanted, f"{wanted}~{digest[:8]}"):
        first = seen.get(aid)
        if first is None:
            seen[aid] = (digest, art.source)
            if aid != wanted:
                art.warnings.append(f"{art.source}: id {wanted!r} is already used by {seen[wanted][1]} in this"
                                    f" batch; stored as {aid!r}")
                art.article_id = aid
            return art
        if first[0] == digest:
            return InputError(art.source or wanted,
                              f"duplicate of {first[1]} (same id {wanted!r}, same text); skipped", notice=True)
    return InputError(art.source or wanted, f"id {wanted!r} used three times with different texts; skipped")


def _read_all(paths: Iterable[str | Path]) -> Iterator[Article | InputError]:
    for item in _iter_files(paths):
        if isinstance(item, InputError):
            yield item
            continue
        yield from read_file(*item)


def read_file(path: Path, article_id: str, where: str | None = None) -> Iterator[Article | InputError]:
    """The articles of one file (a JSONL file's records in order) and an InputError for each part
    that cannot be read, as ``read_inputs`` reads them, ids not yet made unique. ``where``: the
    name to give the file in sources and messages, when ``path`` is another name of it (the
    absolute path a cluster's worker opens)."""
    try:
        yield from _read_file(path, article_id, where)
    except Exception as exc:        # a reader's bug or a library's error: this file only
        msg = " ".join(str(exc).split())[:200]
        yield InputError(where or str(path), f"cannot read ({type(exc).__name__}{': ' + msg if msg else ''})")


def _read_file(path: Path, article_id: str, where: str | None = None) -> Iterator[Article | InputError]:
    where = where or str(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        yield InputError(where, f"unsupported file type {suffix or '(none)'}: use .txt, .jsonl or .html")
        return
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield InputError(where, f"cannot read ({exc.strerror or exc})")
        return
    warnings: list[str] = []
    if suffix in HTML_SUFFIXES:
        art = _read_html(data, where, article_id, warnings)
    elif suffix in JSONL_SUFFIXES:
        yield from _read_jsonl(data, where, warnings)
        return
    else:
        decoded = _decode(data, where, warnings)
        art = decoded if isinstance(decoded, InputError) else article_from_text(decoded, article_id, where)
    if isinstance(art, Article):
        art.warnings.extend(warnings)
    yield art


def _read_jsonl(data: bytes, where: str, warnings: list[str]) -> Iterator[Article | InputError]:
    decoded = _decode(data, where, warnings)
    if isinstance(decoded, InputError):
        yield decoded
        return
    # JSON lines end at "\n" only: U+0085 or U+2028 may stand raw inside a JSON string
    for n, line in enumerate(decoded.split("\n"), 1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        loc = f"{where}:{n}"
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(loc, f"malformed JSON ({exc.msg} at column {exc.colno})")
            continue
        except RecursionError:
            yield InputError(loc, "malformed JSON (nested too deeply)")
            continue
        try:
            art = article_from_record(rec, loc)
        except Exception as exc:       # one record only; the file's other records go on
            art = InputError(loc, f"cannot read the record ({type(exc).__name__}: {' '.join(str(exc).split())[:200]})")
        if isinstance(art, Article):
            art.warnings.extend(warnings)
            warnings = []
        yield art
