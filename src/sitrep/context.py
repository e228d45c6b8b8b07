"""What the event stage knows about a whole article (``ArticleContext``), the trigger and
instrument tables it reads, and token/sentence lookups on the parsed document."""
from __future__ import annotations

import bisect
import functools
import re
from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from .actors import ActorMention, Lexicon
from .dates import Reference
from .geocode import PlaceMention
from .model import Article, DateExpr, Event
from .resources import read_table, scanner

__all__ = ["ArticleContext"]


def instrument_actor(lang: str) -> re.Pattern[str]:
    """Words of an actor that holds a weapon (« l'aviation russe », "Russian warplanes"):
    ``INSTRUMENT_ACTOR`` of data/<lang>/events.tsv."""
    from .resources import grammar
    return grammar(lang, "events").rx("INSTRUMENT_ACTOR")


_JIHADIST_GROUPS = {"Islamic State", "Islamic State West Africa Province", "Islamic State Sahel Province",
                    "Al Shabaab", "Boko Haram - Jamatu Ahli is-Sunna lid-Dawati wal-Jihad",
                    "JNIM: Group for Support of Islam and Muslims", "Hayat Tahrir al-Sham",
                    "Jabhat Fateh al-Sham", "Taliban", "ADF: Allied Democratic Forces"}


@functools.cache
def _triggers(lang: str, recall: bool = False) -> tuple[tuple[str, re.Pattern[str], str, str], ...]:
    """The trigger table; with ``recall``, followed by the broad candidate rows the trained
    detector decides on (``candidates.tsv``)."""
    rows = _trigger_rows(lang, recall)
    return tuple((r[0], rx, r[2], r[3]) for r, (rx, _) in zip(rows, _trigger_scans(lang, recall)))


def _trigger_rows(lang: str, recall: bool) -> tuple[tuple[str, ...], ...]:
    return read_table(f"{lang}/triggers.tsv") + (read_table(f"{lang}/candidates.tsv") if recall else ())


@functools.cache
def _trigger_scans(lang: str, recall: bool = False) -> tuple[tuple[re.Pattern[str], tuple[str, ...] | None], ...]:
    """Each row of ``_triggers`` compiled for scanning, with the strings one of which its every
    match contains (``scanner``)."""
    return tuple(scanner(r[1]) for r in _trigger_rows(lang, recall))


@functools.cache
def _trigger_words(lang: str, recall: bool = False) -> tuple[tuple[str, ...] | None, ...]:
    """For each row of ``_triggers``, the strings one of which its every match contains."""
    return tuple(words for _, words in _trigger_scans(lang, recall))


@functools.cache
def _instruments(lang: str) -> tuple[tuple[str, re.Pattern[str] | None], ...]:
    rows = []
    for r in read_table(f"{lang}/instruments.tsv"):
        rows.append((r[1], None) if r[0] == "default" else (r[0], re.compile(r[1], re.IGNORECASE)))
    return tuple(rows)


@dataclass(slots=True)
class ArticleContext:
    """What the event stage knows about the whole article."""
    article: Article
    lexicon: Lexicon
    reference: Reference
    main_country: str | None
    places: list[PlaceMention]
    dates: list[DateExpr]
    actors: list[ActorMention]
    outlet: str | None
    lang: str = "fr"
    jihadist: str | None = None
    instrument: str | None = None
    state_actor: str | None = None
    air_actor: str | None = None
    nonstate_actor: str | None = None
    gazetteer: object | None = None
    events: list[Event] = field(default_factory=list)
    focus: Event | None = None      # the event the text is currently about
    focus_end: int = -1             # where the text last spoke of it (end of that sentence)
    trigger_matches: list[tuple[int, int, int]] | None = None
    learned: bool = True            # the trained detector and placer decide (False: the old rules alone)
    collector: dict | None = None   # when set, training examples are recorded into it (sitrep train)
    keep_all: bool = False          # training the keep/drop model: keep every event, with its features
    place_scores: dict = field(default_factory=dict)   # the placer's score of each place mention (start, end)
    site_log: list | None = None    # when set, the article placer's options are recorded into it (sitrep train)

    def __post_init__(self) -> None:
        counts = Counter(a.name for a in self.actors if a.name in _JIHADIST_GROUPS)
        self.jihadist = counts.most_common(1)[0][0] if counts else None
        states = Counter(a.name for a in self.actors if a.kind in ("state", "external"))
        self.state_actor = states.most_common(1)[0][0] if states else None
        others = Counter(a.name for a in self.actors if a.kind == "nonstate"
                         and not a.name.startswith(("@", "Unidentified")))
        self.nonstate_actor = others.most_common(1)[0][0] if others else None
        air = Counter(a.name for a in self.actors if a.kind in ("state", "external")
                      and instrument_actor(self.lang).search(a.text))
        self.air_actor = air.most_common(1)[0][0] if air else None
        text = self.article.clean
        counts = {sub: len(rx.findall(text)) for sub, rx in _instruments(self.lang)
                  if rx is not None and sub in ("Air/drone strike", "Shelling/artillery/missile attack")}
        if counts and max(counts.values()) > 0:
            ranked = sorted(counts.items(), key=lambda kv: -kv[1])
            if len(ranked) == 1 or ranked[0][1] > ranked[1][1]:
                self.instrument = ranked[0][0]


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once: spaCy joins every token's text again on each access (the
    ``sitrep_line_breaks`` component keeps it while parsing)."""
    text = doc.user_data.get("sitrep_text")
    if text is None:
        text = doc.user_data["sitrep_text"] = doc.text
    return text


def span_text(span: Span) -> str:
    """``span.text``, cut from the doc's text (``doc_text``): spaCy joins the span's tokens again
    on each access, and the event stage reads a sentence's text a dozen times."""
    return doc_text(span.doc)[span.start_char:span.end_char]


def _token_at(doc: Doc, char: int) -> Token:
    """The token covering character ``char`` (or the next one), by bisection (over the token
    offsets ``sitrep_line_breaks`` keeps while parsing, else read here)."""
    starts = doc.user_data.get("sitrep_starts")
    if starts is None:
        starts = doc.user_data["sitrep_starts"] = [t.idx for t in doc]
    i = bisect.bisect_right(starts, char) - 1
    if i < 0:
        return doc[0]
    tok = doc[i]
    if char >= tok.idx + max(len(tok.text), 1) and i + 1 < len(doc):
        return doc[i + 1]
    return tok


def _sentences(doc: Doc) -> list[Span]:
    sents = doc.user_data.get("sitrep_sents")
    if sents is None:
        sents = doc.user_data["sitrep_sents"] = list(doc.sents)
    return sents
