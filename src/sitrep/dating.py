"""When an event happened: the sentence's date expression nearest its trigger, leaving out the
days on which something was only said; background that is too old; one event a day when a
sentence gives a toll for each of several days."""
from __future__ import annotations

import datetime as dt

from spacy.tokens import Span, Token

from .article_merge import REPORT_WINDOW_DAYS
from .dates import is_shift
from .context import ArticleContext, _token_at, doc_text, span_text
from .resources import grammar
from .model import DateExpr
from .tolls import killed_numbers


RELATIVE_DEPS = frozenset({"acl:relcl", "relcl", "acl"})    # French (UD) and English (ClearNLP) labels
HISTORY_DAYS = 60          # an event dated this long before publication is background


# Verbs after which a clause is reported speech or a date is the day something was said. Narrower
# than data/fr/reporting.tsv on purpose: relays (« cité par », « présenté par ») do not date a report.


def _report_date(d: DateExpr, sent: Span) -> bool:
    """« ont revendiqué lundi », « Dimanche, le commandement a annoncé »: the day something
    was said, not done. The verb nearest before the date (or, at a clause start, the first one
    after it) is a reporting verb."""
    tok = _token_at(sent.doc, d.start)
    verbs_before = [t for t in sent if t.i < tok.i and t.pos_ in ("VERB", "AUX")]
    if verbs_before:
        verb = verbs_before[-1]
        if tok.i - verb.i > 6:
            return False     # « … ont été tués lors de l'attaque du camp, lundi, selon le bilan communiqué … »
        if verb.pos_ == "AUX":
            verb = verb.head
    else:
        # the verb of the clause the date opens, not one of a relative clause inside its subject
        # (« Lundi, un attentat que les shebab ont revendiqué a coûté la vie à cinq soldats »)
        after = [t for t in sent if t.i > tok.i and t.pos_ == "VERB" and t.dep_ not in RELATIVE_DEPS]
        if not after:
            return False
        verb = after[0]
    return is_reporting_verb(verb)


def is_reporting_verb(verb: Token) -> bool:
    """A verb after which a clause is reported speech: a reporting lemma, a light verb only with its object
    (« a fait savoir », « a fait état », not « a fait 11 morts »)."""
    G = grammar(verb.doc.lang_, "dating")
    if verb.lemma_ in G.words("LIGHT_VERB"):
        nxt = verb.doc[verb.i + 1] if verb.i + 1 < len(verb.doc) else None
        return nxt is not None and nxt.lower_ in G.words("LIGHT_VERB_OBJECT")
    return verb.lemma_ in G.words("REPORTING_LEMMAS")


# « le massacre du 7 octobre », « l'un des responsables de l'attaque du 11 septembre »: a date that names
# another event (« L'attaque du 12 mai contre la base » dates this one)


def _date_for(sent: Span, anchors: list[int], ctx: ArticleContext,
              prev_dates: list[DateExpr]) -> tuple[DateExpr | None, str]:
    """The event's date: the sentence's date expression nearest a trigger, leaving out days on
    which something was only said; a report date bounds the event from above."""
    G = grammar(ctx.lang, "dating")
    text = ctx.article.clean
    inside = [d for d in ctx.dates if sent.start_char <= d.start < sent.end_char
              and not G.rx("NAMES_AN_EVENT").search(text[max(sent.start_char, d.start - 40):d.start])]
    events_dates = [d for d in inside if not _report_date(d, sent)]
    named = [d for d in events_dates if not is_shift(d)]
    # « Le 7 août, soit deux jours après », "a week earlier, on Saturday 6 August": the day named beside a
    # count is the day (but "on 14 May, and the next day a bomb…": the count dates its own clause)
    events_dates = [d for d in events_dates if not (is_shift(d) and any(
        G.rx("RESTATES_BEFORE").fullmatch(text[n.end:d.start]) if n.end <= d.start
        else G.rx("RESTATES_AFTER").fullmatch(text[d.end:n.start]) for n in named))]
    if events_dates:
        return min(events_dates, key=lambda d: min(abs(d.start - a) for a in anchors)), "sentence"
    if inside:
        d = inside[0]     # said on a day (or within a span: « lundi » of a page dated by its month only)
        if G.rx("SAME_DAY").search(span_text(sent)):
            # « a fait savoir vendredi soir que les heurts survenus dans la journée »: the day it was said
            return d, "report-day"
        start = dt.date.fromisoformat(d.date) - dt.timedelta(days=REPORT_WINDOW_DAYS)
        return DateExpr(d.start, d.end, d.text, start.isoformat(), d.date_end or d.date,
                        max(2, d.time_precision), d.rule), "before-report"
    if prev_dates:
        return prev_dates[0], "previous-sentence"   # the main clause comes first
    return None, "published"


def _is_history(d: DateExpr | None, ctx: ArticleContext) -> bool:
    if d is None or ctx.reference.day is None:
        return False
    last = dt.date.fromisoformat(d.date_end or d.date)
    return (ctx.reference.day - last).days > HISTORY_DAYS


def _published_date(ctx: ArticleContext) -> tuple[str | None, str | None, int, str]:
    ref = ctx.reference
    if ref.day is None:
        return None, None, 3, "unknown"
    if ref.exact:
        return ref.day.isoformat(), None, 2, "published-default"
    start = ref.floor or ref.day.replace(day=1)
    return start.isoformat(), ref.day.isoformat(), 3, f"published-month@{ref.source}"


def _day_segments(sent: Span, ctx: ArticleContext) -> list[tuple[int, int, DateExpr]]:
    """« 17 morts dimanche et 127 morts lundi »: one event per day when a sentence gives a toll
    for each of several days."""
    G = grammar(ctx.lang, "dating")
    days = [d for d in ctx.dates if sent.start_char <= d.start < sent.end_char and not _report_date(d, sent)
            and G.rx("DAY").search(d.text)]
    if len(days) < 2 or len({(d.date, d.date_end) for d in days}) < 2 and len({d.text.lower() for d in days}) < 2:
        return []
    coordinated = all(G.rx("COORDINATED").fullmatch(doc_text(sent.doc)[a.end:b.start])
                      for a, b in zip(days, days[1:]))
    if len(killed_numbers(sent.text, sent.doc.lang_)) < len(days) and not coordinated:
        return []     # « jeudi 12 et vendredi 13 janvier »: one event a day, as ACLED codes them
    out, start = [], sent.start_char
    for i, d in enumerate(days):
        end = d.end if i < len(days) - 1 else sent.end_char
        out.append((start, end, d))
        start = end
    return out


def reporting_lemmas(lang: str) -> frozenset[str]:
    """The verbs of ``lang`` after which a clause is reported speech (data/<lang>/dating.tsv)."""
    return grammar(lang, "dating").words("REPORTING_LEMMAS")
