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
from .gazetteer import Gazetteer
from .geocode import GeoContext, find_places
from .language import detect_language
from .model import Article, Event
from .nlp import load_pipeline
from .outlets import detect_outlet

__all__ = ["Extractor", "Result"]

log = logging.getLogger("sitrep")


@dataclass(slots=True)
class Result:
    article: Article
    events: list[Event] = field(default_factory=list)
    skipped: str | None = None     # why the article was not processed (unsupported language…)


COUNTRY_MENTION_WEIGHT = 1.0   # a country or demonym named, against 2 for a town or province located there


def _theatre(places, mentions) -> str | None:
    """The country the article reports from: where its named towns and provinces are (each
    counts twice), then the countries it names."""
    score: dict[str, float] = {}
    for p in places:
        if p.place is not None and p.place.country and p.role in ("site", "descriptor"):
            score[p.place.country] = score.get(p.place.country, 0) + (2 if p.place.feature != "country" else 1)
    for iso, n in mentions.items():
        score[iso] = score.get(iso, 0) + COUNTRY_MENTION_WEIGHT * n
    if not score:
        return None
    return max(score.items(), key=lambda kv: kv[1])[0]


class Extractor:
    """Resources loaded once: pass ``gazetteer``/``nlp`` to share them, or let it load them."""

    def __init__(self, lang: str = "fr", gazetteer: Gazetteer | None = None, nlp=None,
                 batch_size: int = 16, learned: bool = True) -> None:
        self.lang = lang
        self.learned = learned          # False: the rule-only extractor (for comparison)
        self.collector: dict | None = None   # set by sitrep train to record training examples
        self.nlp = nlp if nlp is not None else load_pipeline(lang)
        self.gazetteer = gazetteer if gazetteer is not None else Gazetteer()
        self.lexicon = Lexicon(lang)
        self.batch_size = batch_size

    def prepare(self, article: Article) -> Article:
        """Clean the text and fill language and outlet (in place)."""
        clean_article(article)
        article.language = detect_language(article.clean, article.language)
        article.outlet = detect_outlet(article)
        return article

    def context(self, article: Article, doc=None) -> ArticleContext:
        text = article.clean
        lex = self.lexicon
        mentions = lex.country_mentions(text)
        main = None
        if mentions:
            top = max(mentions.values())
            tied = {c for c, n in mentions.items() if n == top}
            for m in lex._country_re.finditer(text):   # first named among the most named
                iso = lex.iso_of(m.group(0))
                if iso in tied:
                    main = iso
                    break
        actors = lex.find_actors(text, main)
        excluded = [(a.start, a.end) for a in actors] + lex.agency_spans(text)
        loc_spans, per_spans = [], []
        if doc is not None:
            per_spans = [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "PER"]
            loc_spans = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in ("LOC", "GPE")]
        # pass 1: every country the text names, to see where its towns are (the theatre);
        # pass 2: the theatre and the countries named as places, to resolve for good
        geo = GeoContext(main_country=None, countries=set(mentions), excluded_spans=excluded,
                         loc_spans=loc_spans, per_spans=per_spans)
        theatre = _theatre(find_places(text, self.gazetteer, geo), mentions) or main
        if theatre != main:
            main = theatre
            actors = lex.find_actors(text, main)
        geo.main_country = main
        geo.countries = set(lex.country_mentions(text, places_only=True)) | ({main} if main else set())
        geo.actor_countries = set(mentions)
        places = find_places(text, self.gazetteer, geo)
        ref = reference_for(article.published, text)
        dates = find_dates(text, ref=ref)
        return ArticleContext(article=article, lexicon=lex, reference=ref, main_country=main,
                              places=places, dates=dates, actors=actors, outlet=article.outlet,
                              lang=self.lang, learned=self.learned, collector=self.collector)

    def run(self, articles: Iterable[Article]) -> Iterator[Result]:
        """Yield one Result per article, in input order."""
        def prepared() -> Iterator[tuple[str, Result]]:
            for art in articles:
                self.prepare(art)
                res = Result(art)
                if art.language != self.lang:
                    res.skipped = f"language {art.language!r} not supported yet (only {self.lang!r})"
                    yield "", res
                elif not art.clean.strip():
                    res.skipped = "no text left after removing page furniture"
                    yield "", res
                else:
                    yield art.clean, res

        for doc, res in self.nlp.pipe(prepared(), as_tuples=True, batch_size=self.batch_size):
            if res.skipped is None:
                res.events = extract_events(doc, self.context(res.article, doc), self.gazetteer)
            yield res

    def extract(self, article: Article) -> list[Event]:
        """Events of one article."""
        return next(self.run([article])).events


