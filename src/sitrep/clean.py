"""Clean stage: remove page furniture from plain text.

Cookie banners, "Lire aussi"/"Read more" lists of other headlines, tags, share and subscribe
prompts, photo credits and their captions are recognised line by line with the patterns of
``data/furniture.tsv``. The clean text is the kept lines joined by newlines; every span the
pipeline reports refers to it. ``clean_article`` also records which spans of the raw text
were dropped, so a user can see what was removed and why.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Article
from .resources import read_patterns

__all__ = ["clean_text", "clean_article", "CleanResult", "RULE"]

RULE = "sitrep.clean.lines.v1"

# Calibrated on the dev set and examples: headline lists, captions and credits are short;
# article paragraphs that happen to mention "cookies" are long and carry several sentences.
HEADLINE_MAX_CHARS = 220      # a related-headline line is shorter than this
CAPTION_MAX_CHARS = 90        # a caption under a photo credit
CREDIT_MAX_CHARS = 250        # a credit line (with the headline it is glued to)
COOKIE_LONE_MAX_CHARS = 300   # one cookie word suffices below this length; above, two are needed
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'", "\u2018": "'"})
_GLUED = re.compile(r"([a-zà-ÿ\)»\"”][.!?])([A-ZÀ-Ý«\"“])")
# … and after an acronym: "d'après une ONG.Kfar Batna et Saqba …" (not "U.S.", "R.D.C.": one capital between dots)
_GLUED_ACRONYM = re.compile(r"((?<![A-Z.])[A-Z]{2,}[.!?])([A-ZÀ-Ý][a-zà-ÿ])")
_SENTENCE_END = re.compile(r"[.!?»\"”]\s*$")


@dataclass(slots=True)
class CleanResult:
    text: str
    removed: list[tuple[int, int, str]]   # (start, end, kind) in the raw text


def _lines(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _kind(line: str, patterns) -> str | None:
    stripped = line.strip()
    if not stripped:
        return None
    for kind, pat in patterns:
        if kind == "line" and pat.search(stripped):
            return "line"
        if kind == "block" and pat.search(stripped):
            return "block"
        if kind == "credit" and pat.search(stripped) and len(stripped) <= CREDIT_MAX_CHARS:
            return "credit"
    hits = {m.group(0).lower() for kind, pat in patterns if kind == "cookie" for m in pat.finditer(stripped)}
    if hits and (len(stripped) <= COOKIE_LONE_MAX_CHARS or len(hits) >= 2):
        return "cookie"
    return None


def _is_outlet_line(stripped: str, outlet: str | None) -> bool:
    """A line that is only the outlet's name (a masthead), e.g. "Courrier arabe"."""
    if not outlet:
        return False
    name = re.sub(r"\s*\(.*\)\s*$", "", outlet).strip().casefold()
    return bool(name) and stripped.casefold() in (name, name.replace(" ", ""))


def clean_text(text: str, outlet: str | None = None) -> CleanResult:
    """Drop furniture lines (and inline credits) from ``text``; return the clean text and the
    dropped raw spans. ``outlet`` lets a masthead line with the outlet's name go too."""
    patterns = read_patterns("furniture.tsv")
    inline = [pat for kind, pat in patterns if kind == "inline"]
    spans = _lines(text)
    keep: list[bool] = []
    removed: list[tuple[int, int, str]] = []
    in_block = False
    blank_run = 0
    after_credit = False
    for start, end in spans:
        line = text[start:end]
        stripped = line.strip()
        kind = _kind(line, patterns)
        if kind is None and _is_outlet_line(stripped, outlet):
            kind = "masthead"
        if not stripped:
            blank_run += 1
            if blank_run > 1:
                in_block = False
            keep.append(True)
            continue
        blank_run = 0
        if kind is None and in_block:
            if len(stripped) <= HEADLINE_MAX_CHARS and not _SENTENCE_END.search(stripped):
                kind = "related"
            else:
                in_block = False
        if kind is None and after_credit and len(stripped) <= CAPTION_MAX_CHARS \
                and not _SENTENCE_END.search(stripped):
            kind = "caption"
        after_credit = kind == "credit"
        if kind == "block":
            in_block = True
        if kind:
            removed.append((start, end, kind))
            keep.append(False)
        else:
            keep.append(True)
    kept = []
    for (s, e), k in zip(spans, keep):
        if not k:
            continue
        line = text[s:e]
        for pat in inline:
            for m in reversed(list(pat.finditer(line))):
                removed.append((s + m.start(), s + m.end(), "inline"))
                line = line[:m.start()] + line[m.end():]
        kept.append(line)
    removed.sort()
    clean = "\n".join(kept)
    clean = re.sub(r"\n{3,}", "\n\n", clean).strip()
    # sentences glued by the scraper: "(YPG).D'après" -> "(YPG). D'après"
    clean = _GLUED_ACRONYM.sub(r"\1 \2", _GLUED.sub(r"\1 \2", clean))
    # one apostrophe for every lexicon (’ and ʼ are typeset forms of ')
    clean = clean.translate(_APOSTROPHES)
    return CleanResult(clean, removed)


def clean_article(article: Article) -> Article:
    """Set ``article.clean`` and ``article.furniture`` (in place) and return the article."""
    result = clean_text(article.text, article.outlet)
    article.clean = result.text
    article.furniture = [(s, e) for s, e, _ in result.removed]
    return article
