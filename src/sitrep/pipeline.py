"""The whole extraction: articles in, events out.

``Extractor`` holds the loaded resources (spaCy pipeline, gazetteer, lexicon) and runs every
stage: clean -> language -> outlet -> parse (``nlp.pipe`` in batches) -> dates, actors, places
-> events. Build it once per process and reuse it.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .actors import Lexicon
from .clean import clean_article
from .dates import find_dates, reference_for
from .context import ArticleContext
from .events import extract_events
from .gazetteer import Gazetteer, GazetteerError
from .geocode import GeoContext, find_places
from .language import detect_language
from .model import Article, Event
from .nlp import UnsupportedLanguage, load_pipeline
from .outlets import detect_outlet
from .resources import grammar
from .theatre import choose as theatre_of, outlet_country, signals as theatre_signals, url_country

OPEN_FIRST_PASS = True     # the theatre's first pass also sees any country's provinces (README "The theatre")

__all__ = ["Extractor", "Result"]

log = logging.getLogger("sitrep")


@dataclass(slots=True)
class Result:
    article: Article
    events: list[Event] = field(default_factory=list)
    skipped: str | None = None     # why the article was not processed (unsupported language…)
    failed: str | None = None      # why processing it failed (the stage and the error, one line)


# Clean text longer than this is parsed and read in windows of at most this many characters, cut
# at a paragraph end (else a line, a sentence, a word), so that cost stays linear in length and
# spaCy's max_length is never reached. Measured with scripts/long_article_cost.py: the cost per
# character is flat up to ~50,000 characters and grows beyond; the longest article of the dev set,
# the examples and the corpus is under 4,000, so none of them is cut.
WINDOW_CHARS = 20_000


def windows(text: str, size: int = WINDOW_CHARS) -> list[tuple[int, int]]:
    """``(start, end)`` spans covering ``text`` in order, each at most ``size`` characters long."""
    spans, pos = [], 0
    while len(text) - pos > size:
        cut = pos + size
        for sep in ("\n\n", "\n", ". ", " "):
            i = text.rfind(sep, pos + size // 4, pos + size - len(sep) + 1)
            if i >= 0:
                cut = i + len(sep)
                break
        spans.append((pos, cut))
        pos = cut
    spans.append((pos, len(text)))
    return spans


def _shift(event: Event, offset: int) -> Event:
    """Move an event read from a window to offsets into the whole clean text."""
    if offset:
        event.evidence.start += offset
        event.evidence.end += offset
        if event.location is not None and event.location.start >= 0:
            event.location.start += offset
            event.location.end += offset
        for c in event.claims:
            for attr in ("start", "end", "scope_start", "scope_end"):
                if getattr(c, attr) >= 0:
                    setattr(c, attr, getattr(c, attr) + offset)
        event.assign_id()
    return event


def _reason(stage: str, exc: BaseException) -> str:
    """One line: the stage and the error."""
    msg = " ".join(str(exc).split())[:200]
    return f"{stage} failed ({type(exc).__name__}{': ' + msg if msg else ''})"


def _in_title_case_line(text: str, at: int) -> bool:
    """Whether ``at`` lies in a headline written in Title Case ("12 Soldiers Killed in Base Attack"),
    where a capital marks no name: an unknown capitalised word there is not kept as a place."""
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    words = [w for w in text[start:end if end >= 0 else len(text)].split() if w[:1].isalpha() and len(w) > 3]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


class Extractor:
    """Resources loaded once: pass ``gazetteer``/``nlp`` to share them, or let it load them.

    ``langs`` lists the languages one run reads (default: ``lang`` alone); each gets its own spaCy
    pipeline and tables, loaded once, on its first article. An article in any other language is
    skipped with its language named. ``nlp`` is the pipeline of the first language."""

    def __init__(self, lang: str = "fr", gazetteer: Gazetteer | None = None, nlp=None,
                 batch_size: int = 16, learned: bool = True, langs: Iterable[str] | None = None) -> None:
        self.langs = tuple(langs) if langs else (lang,)
        self.lang = self.langs[0]
        self.learned = learned          # False: the rule-only extractor (for comparison)
        self.collector: dict | None = None   # set by sitrep train to record training examples
        self.keep_all = False                # set by sitrep train to fit the keep/drop model
        self.site_log: list | None = None    # set by sitrep train: the article placer's options are recorded
        self._nlps: dict = {self.lang: nlp if nlp is not None else load_pipeline(self.lang)}
        self._lexicons: dict[str, Lexicon] = {}
        self.gazetteer = gazetteer if gazetteer is not None else Gazetteer()
        self.batch_size = batch_size

    @property
    def nlp(self):
        return self._nlps[self.lang]

    @property
    def lexicon(self) -> Lexicon:
        return self.lexicon_for(self.lang)

    def pipeline(self, lang: str):
        """The spaCy pipeline of ``lang``, loaded on first use (raises UnsupportedLanguage)."""
        if lang not in self._nlps:
            self._nlps[lang] = load_pipeline(lang)
        return self._nlps[lang]

    def lexicon_for(self, lang: str) -> Lexicon:
        if lang not in self._lexicons:
            self._lexicons[lang] = Lexicon(lang)
        return self._lexicons[lang]

    def _lang_of(self, article: Article) -> str:
        return article.language if article.language in self.langs else self.lang

    def prepare(self, article: Article) -> Article:
        """Clean the text and fill language and outlet (in place)."""
        clean_article(article)
        article.language = detect_language(article.clean, article.language, self.langs)
        article.outlet = detect_outlet(article)
        return article

    def theatre_signals(self, article: Article, places, mentions, first_at: dict[str, int],
                        lex: Lexicon) -> dict[str, dict[str, float]]:
        """The candidate countries of an article and what speaks for each (theatre.signals)."""
        text = article.clean
        return theatre_signals(text, places, mentions, lex.country_mentions(text, places_only=True), first_at,
                               article.url, self.gazetteer, article.outlet)

    def context(self, article: Article, doc=None, ref=None) -> ArticleContext:
        text = article.clean
        lang = self._lang_of(article)
        lex = self.lexicon_for(lang)
        mentions = lex.country_mentions(text)
        first_at = lex.first_named(text)
        main = None
        if mentions:
            top = max(mentions.values())
            tied = [c for c, n in mentions.items() if n == top and c in first_at]
            main = min(tied, key=first_at.__getitem__, default=None)   # first named among the most named
        actors = lex.find_actors(text, main)
        excluded = [(a.start, a.end) for a in actors] + lex.agency_spans(text)
        # names that hold a place's name but name an outlet or a group ("Garowe Online", "Katiba Macina")
        excluded += [m.span() for m in grammar(lang, "geocode").rx("NOT_A_PLACE").finditer(text)]
        per_spans = []
        if doc is not None:
            per_spans = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in ("PER", "PERSON")]   # French, English labels
        # pass 1: every country the text names, to see where its towns are (the theatre);
        # pass 2: the theatre and the countries named as places, to resolve for good
        # (the outlet's home country and its domain's count as named: a local outlet need not name its own)
        home = [c for c in (outlet_country(article.outlet, article.url), url_country(article.url)) if c]
        geo = GeoContext(main_country=None, countries=set(mentions) | set(home), excluded_spans=excluded,
                         per_spans=per_spans, lang=lang, open_pool=OPEN_FIRST_PASS)
        memo: dict = {}       # what the names' words and surroundings say, read in pass 1 for pass 2
        feats = self.theatre_signals(article, find_places(text, self.gazetteer, geo, memo), mentions, first_at, lex)
        theatre = theatre_of(feats, fitted=self.learned) or main
        if theatre != main:
            main = theatre
            actors = lex.find_actors(text, main)
        geo.main_country, geo.open_pool = main, False
        geo.countries = set(lex.country_mentions(text, places_only=True)) | ({main} if main else set())
        geo.actor_countries = set(mentions)
        places = [p for p in find_places(text, self.gazetteer, geo, memo)
                  if p.place is not None or not _in_title_case_line(text, p.start)]
        dateline = grammar(lang, "nlp").rx("DATELINE_PLACE")
        for p in places:     # "KABUL:", "RAFAH, May 27 (BBC):": where the story was filed, not where it happened
            line = text.rfind("\n", 0, p.start) + 1
            m = dateline.match(text, line)
            if m and p.end <= m.end():
                p.role = "source"
        ref = ref or reference_for(article.published, text, lang)
        dates = find_dates(text, ref=ref, lang=lang)
        return ArticleContext(article=article, lexicon=lex, reference=ref, main_country=main,
                              places=places, dates=dates, actors=actors, outlet=article.outlet,
                              lang=lang, learned=self.learned, collector=self.collector,
                              keep_all=self.keep_all, site_log=self.site_log)

    def run(self, articles: Iterable[Article]) -> Iterator[Result]:
        """Yield one Result per article, in input order. An article that cannot be processed
        (any error in any stage) gets ``failed`` saying where and why; the others go on."""
        batch: list[Result] = []
        for art in articles:
            batch.append(self._prepared(art))
            if len(batch) >= self.batch_size:
                yield from self._extract_batch(batch)
                batch = []
        yield from self._extract_batch(batch)

    def _prepared(self, art: Article) -> Result:
        res = Result(art)
        try:
            self.prepare(art)
        except Exception as exc:      # reported with the article, never raised into the batch
            log.debug("preparing %s", art.article_id, exc_info=True)
            res.failed = _reason("cleaning", exc)
            return res
        if art.language not in self.langs:
            res.skipped = f"language {art.language!r} not supported (only {', '.join(map(repr, self.langs))})"
        elif not art.clean.strip():
            res.skipped = "no text left after removing page furniture"
        else:
            try:
                self.pipeline(art.language)
            except UnsupportedLanguage as exc:
                res.skipped = str(exc)
        return res

    def _extract_batch(self, batch: list[Result]) -> Iterator[Result]:
        short = [r for r in batch if r.skipped is None and r.failed is None
                 and len(r.article.clean) <= WINDOW_CHARS]
        for lang in dict.fromkeys(r.article.language for r in short):     # one nlp.pipe per language
            group = [r for r in short if r.article.language == lang]
            docs = self._parse([r.article.clean for r in group], lang)
            for res, doc in zip(group, docs):
                if isinstance(doc, Exception):
                    res.failed = _reason("parsing", doc)
                else:
                    self._extract(res, doc)
        for res in batch:
            if res.skipped is None and res.failed is None and len(res.article.clean) > WINDOW_CHARS:
                self._extract_windows(res)
            yield res

    def _parse(self, texts: list[str], lang: str | None = None) -> list:
        """The parses of ``texts``; when the batch fails, each text alone, its error in its place."""
        if not texts:
            return []
        nlp = self.pipeline(lang or self.lang)
        try:
            return list(nlp.pipe(texts, batch_size=self.batch_size))
        except Exception:
            log.debug("batch parse failed; parsing one by one", exc_info=True)
        out: list = []
        for t in texts:
            try:
                out.append(nlp(t))
            except Exception as exc:
                out.append(exc)
        return out

    def _extract(self, res: Result, doc, ref=None, offset: int = 0) -> None:
        art = res.article
        try:
            events = extract_events(doc, self.context(art, doc, ref), self.gazetteer)
        except GazetteerError:
            raise                     # a damaged resource fails every article: stop the batch, say why
        except Exception as exc:
            log.debug("extracting %s", art.article_id, exc_info=True)
            res.failed = _reason("extraction", exc)
            res.events = []
            return
        res.events.extend(_shift(e, offset) for e in events)

    def _extract_windows(self, res: Result) -> None:
        """A long article, window by window: each window is read as the article's text, with the
        reference day of the article's start, and its offsets moved back into the whole text."""
        art = res.article
        spans = windows(art.clean)
        try:
            ref = reference_for(art.published, art.clean[:spans[0][1]], self._lang_of(art))
        except Exception as exc:
            res.failed = _reason("dating", exc)
            return
        for start, end in spans:
            part = Article(article_id=art.article_id, text=art.clean[start:end], source=art.source, url=art.url,
                           title=art.title, published=art.published, outlet=art.outlet,
                           language=art.language, clean=art.clean[start:end])
            [doc] = self._parse([part.clean], self._lang_of(art))
            if isinstance(doc, Exception):
                res.failed, res.events = _reason("parsing", doc), []
                return
            window = Result(part)
            self._extract(window, doc, ref, start)
            if window.failed:
                res.failed, res.events = window.failed, []
                return
            res.events.extend(window.events)

    def extract(self, article: Article) -> list[Event]:
        """Events of one article."""
        return next(self.run([article])).events


