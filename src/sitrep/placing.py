"""Where an event happened: the places of its sentence that are the event's (not the reporting
venue, not a place that only situates another), splitting a sentence at distinct places, and
the fallback to the enclosing place the text gives when the gazetteer lacks a name."""
from __future__ import annotations

import math
import re
from bisect import bisect_right
from dataclasses import replace

from spacy.tokens import Span

from .actors import Lexicon
from .context import ArticleContext, _sentences, _token_at, span_text
from .dating import is_reporting_verb, reporting_lemmas
from .geocode import (GeoContext, PlaceMention, _admin_key, province_keys, _dateline, dateline_paragraph, in_frame, offset_after,
                      sectors_of, to_location)
from .learned import load_model, site_features
from .model import SETTLEMENTS, Claim, Location
from .resources import grammar





# « la Ghouta orientale, dans l'est de Damas », « Kramatorsk, à 20 km de Sloviansk »: the second
# place only situates the first


def _sentence_places(sent: Span, ctx: ArticleContext, claims: list[Claim] = ()) -> list[PlaceMention]:
    G = grammar(ctx.lang, "placing")
    spans = [(c.start, c.end) for c in claims]
    inside = [p for p in ctx.places if sent.start_char <= p.start < sent.end_char
              and not any(p.start < e and s < p.end for s, e in spans) and not _reporting_venue(p, sent, ctx.lexicon)]
    text = ctx.article.clean
    # "Jarablous dans la province d'Alep": the province encloses the place named just before
    inside = [p for i, p in enumerate(inside)
              if not (i and p.place is not None and p.place.feature in ("admin1", "country")
                      and p.start - inside[i - 1].end < 45
                      and G.rx("ENCLOSING").match(text[inside[i - 1].end:p.start]))
              and not (i and p.start - inside[i - 1].end < 60 and G.rx("SITUATES").match(text[inside[i - 1].end:p.start]))]
    sites = [p for p in inside if p.role == "site" and not _of_another_event(p, sent)] or [
        p for p in inside if p.role == "actor"]     # (a capital standing for its government is still the only place told)
    # « Kalehe (entre Goma et Bukavu) », « la région de Tillabéri (à la frontière du Mali) »: what a parenthesis
    # opened right after a place names situates that place
    sites = [p for p in sites if not in_parenthesis_after(p, sites, text)] or sites
    # « au camp d'Al Jalaa, dans le district de Bouraïka »: a place the gazetteer lacks, located at
    # once by one it holds, is that place
    sites = [p for i, p in enumerate(sites) if not (p.place is None and _located_by_next(p, sites[i + 1:], text, ctx.lang))]
    # a foreign place counts only where the text puts something there (« à Paris »), not
    # where it names a government (« contre Haftar et Paris »)
    sites = [p for p in sites if p.place is None or p.place.country == ctx.main_country or p.precision >= 4
             or G.rx("LOCATIVE").search(text[max(0, p.start - 30):p.start])]
    # « l'axe Djibo-Bourzanga », « entre Djibo et Bourzanga »: one road between two towns, not two places
    merged: list[PlaceMention] = []
    for p in sites:
        gap = text[merged[-1].end:p.start] if merged else ""
        between = merged and gap[:1] == " " == gap[-1:] and gap.strip() in G.words("AND") and \
            G.rx("BETWEEN").search(text[max(0, merged[-1].start - 40):merged[-1].start])
        if merged and (text[merged[-1].end:p.start] in ("-", "–", " - ", " – ") or between):
            merged[-1] = replace(merged[-1], precision=max(merged[-1].precision, 2), qualifier="between")
            continue
        merged.append(p)
    sites = merged
    # a province that only encloses a town the sentence names (« Djibo, dans la région du Sahel »)
    towns_admin = {k for p in sites if p.place is not None and p.place.feature in SETTLEMENTS
                   for k in province_keys(p.place.country, p.place.admin1)}
    sites = [p for p in sites if not (p.place is not None and p.place.feature == "admin1"
                                      and _admin_key(p.place.name) in towns_admin)]
    finer = [p for p in sites if p.place is None or p.precision < 4]
    return finer or [p for p in sites if p.place is not None]




def in_parenthesis_after(p: PlaceMention, mentions: list[PlaceMention], text: str) -> bool:
    """A place inside a parenthesis that opens right after another place the sentence names."""
    opening = text.rfind("(", 0, p.start)
    if opening < 0 or ")" in text[opening:p.start] or ")" not in text[p.end:p.end + 120]:
        return False
    return any(q.end <= opening and not text[q.end:opening].strip() and q.precision <= p.precision
               for q in mentions if q is not p)     # (« la province de l'Ituri (territoire de Djugu) »: the finer stays)


def _located_by_next(p: PlaceMention, after: list[PlaceMention], text: str, lang: str = "fr") -> bool:
    """An unknown place the next known one locates: « au camp d'Al Jalaa, dans le district de
    Bouraïka », « sur le quartier d'Al-Fatayah et la zone de Dahr al-Hamar, à Derna »."""
    G = grammar(lang, "placing")
    q = next((x for x in after if x.place is not None), None)
    if q is None or not all(x.place is None for x in after[:after.index(q)]):
        return False
    between = text[p.end:q.start]
    return bool(G.rx("WITHIN_NEXT").match(between) or G.rx("IN_TOWN").match(between))




def _of_another_event(p: PlaceMention, sent: Span) -> bool:
    """« quatre ans après celui de Chibok », « au lendemain de celle de Groza »: the place of an
    event the text compares this one with, or of a deed someone is charged with."""
    G = grammar(sent.doc.lang_, "placing")
    tok = _token_at(sent.doc, p.start)
    if tok.head.lower_ in G.words("OTHER_EVENT") and tok.head.pos_ == "PRON":
        return True
    # « un suspect de l'attaque de Benghazi », « soupçonné d'avoir participé à l'attaque … à
    # Benghazi »: the place of the deed a person is charged with
    return any(a.lemma_.lower() in G.words("CHARGED") for a in list(tok.ancestors)[:5])




def _reporting_venue(p: PlaceMention, sent: Span, lex: Lexicon | None = None) -> bool:
    """« confirmée à Moscou », « a déclaré à Damas »: where something was said, not done; and
    « Moscou frappe Daech »: a capital standing for its government is an actor, not a place."""
    tok = _token_at(sent.doc, p.start)
    root = sent.root
    G = grammar(sent.doc.lang_, "placing")
    if is_reporting_verb(root) and tok.i < root.i and G.rx("VENUE_OPENING").match(sent.text) \
            and p.start - sent.start_char < 12:
        return True      # « A Berlin, le ministre … a précisé que … » (not « À Jamundi, l'explosion … a fait quatre blessés »)
    if tok.dep_ == "nsubj" and lex is not None and (lex.claimant(p.text, None) or "").startswith("Government of"):
        return True
    # « ont fait état de morts à Omdurman »: where the deaths were, not where it was said
    if tok.dep_ == "pobj" and tok.head.dep_ == "prep" and tok.head.lower_ in G.words("VENUE_PREPOSITIONS"):
        verb = tok.head.head     # "said in Damascus", "speaking in Bamako" — not "fighting was reported in Bakhmut"
        return verb.lemma_ in G.words("VENUE_VERBS") and not any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
    speaking = tok.head.lemma_ in reporting_lemmas(tok.doc.lang_) or (
        tok.head.lemma_ in G.words("SPEAKING") and any(c.lower_ in G.words("REFLEXIVE") for c in tok.head.children))
    return speaking and tok.head.lemma_ != "faire" and tok.dep_.startswith("obl")


def _distinct_places(places: list[PlaceMention]) -> list[PlaceMention]:
    out: list[PlaceMention] = []
    for p in places:
        key = p.place.name if p.place else p.text
        if all((q.place.name if q.place else q.text) != key for q in out):
            out.append(p)
    return out


DESCRIBED_WITHIN = 150   # characters between an unknown place and the place that locates it
SECTOR_MIN = 0.38        # cos 67.5°: « le nord-ouest de la Syrie » holds what lies within a compass point's
                         # neighbours of its bearing from the frame's centre


def _sentence_sectors(sent: Span, ctx: ArticleContext) -> list:
    """``text_sectors`` of a sentence."""
    return text_sectors(sent.start_char, sent.end_char, ctx)


def text_sectors(start: int, end: int, ctx: ArticleContext) -> list:
    """The parts of a country or province the article's clean text from ``start`` to ``end`` (a sentence, an
    event's evidence) names by a compass word (« dans le nord-ouest de la Syrie », "in southern Mali";
    geocode.sectors_of), each with the frame of its settlements; a country's part a second time with its
    outline (Gazetteer.outline: Niger's settlements crowd its south, and "southwest Niger" holds Bani Bangou
    only in the outline, while « le nord du Mali » holds Gao only in the settlements' frame, Taoudenni's
    centre lying at 21.7° N)."""
    if ctx.gazetteer is None or ctx.main_country is None:
        return []
    text = ctx.article.clean[start:end]
    mentions = [replace(p, start=p.start - start, end=p.end - start) for p in ctx.places
                if start <= p.start < end and p.place is not None]
    geo = GeoContext(main_country=ctx.main_country, countries={ctx.main_country}, lang=ctx.lang)
    out = []
    for bearing, ref, box in sectors_of(text, ctx.gazetteer, geo, mentions):
        if box is None:
            continue
        out.append((bearing, ref, box))
        if ref.feature == "country":
            wide = ctx.gazetteer.outline(ref.country)
            if wide is not None and wide != box:
                out.append((bearing, ref, wide))
    return out


def in_sectors(where, sectors: list) -> bool:
    """Whether a place (a Place or a Location) may lie in one of the parts the sentence names: in its
    country (and province, for a province's part), towards the named compass point (within 67.5° of its
    bearing from the frame's centre, and off the centre), or, for « le centre du pays », in the middle half
    of the frame. Without parts named, or without a point, any place may."""
    if where.lat is None or not sectors:
        return True
    for bearing, ref, box in sectors:
        at = in_frame(where, ref, box)
        if at is None:
            continue
        x, y = at
        r = math.hypot(x, y)
        if bearing < 0:
            if r <= 0.5:
                return True
        elif r >= 0.2 and x * math.sin(math.radians(bearing)) + y * math.cos(math.radians(bearing)) >= SECTOR_MIN * r:
            return True
    return False


def without_datelines_outside(places: list[PlaceMention], start: int, end: int,
                              ctx: ArticleContext) -> list[PlaceMention]:
    """``places`` less the towns told as the report's dateline that lie outside the parts of the country the
    text from ``start`` to ``end`` names (« (Beyrouth) Une frappe … dans le sud du Liban »: where the report was
    filed from is not where it happened)."""
    datelines = [p for p in places if p.place is not None and p.place.feature in SETTLEMENTS
                 and dateline_paragraph(ctx.article.clean, p.start, p.end)]
    if not datelines:
        return places
    sectors = text_sectors(start, end, ctx)
    return [p for p in places if p not in datelines or in_sectors(p.place, sectors)]


def _fallback_location(mention: PlaceMention | None, sent_places: list[PlaceMention],
                       ctx: ArticleContext, sent: Span | None = None) -> Location | None:
    """A place the gazetteer lacks: the enclosing place the text gives (a province in the
    sentence -> 3, a resolved place in the sentence -> 2), else the article's last place."""
    resolved = [p for p in sent_places if p.place is not None]
    prov = [p for p in resolved if p.place.feature == "admin1"]
    pick = prov[0] if prov else (resolved[0] if resolved else None)
    if pick is None and mention is not None:
        pick = _described(mention, ctx)
    if pick is None:
        # « … dans le nord-ouest de la Syrie »: not a place of the article that lies elsewhere in the country
        sectors = _sentence_sectors(sent, ctx) if sent is not None else []
        prior = [e.location for e in ctx.events if e.location and e.location.geo_precision < 4]
        if ctx.focus is not None and ctx.focus.location and ctx.focus.location.geo_precision < 4:
            prior.append(ctx.focus.location)
        prior = [loc for loc in prior if in_sectors(loc, sectors)]
        if prior:
            loc = replace(prior[-1])
            loc.rule = "fallback:previous-event"
        else:
            # not a place the sentence itself names and the rules set aside (« un suspect de
            # l'attaque de Benghazi »)
            sites = [p for p in ctx.places if p.place is not None and p.role == "site" and p.precision < 4
                     and not (sent is not None and sent.start_char <= p.start < sent.end_char)
                     and in_sectors(p.place, sectors)]
            # (a place abroad is no fallback when the article's theatre is known: « Dans l'ouest du Burundi,
            # neuf personnes… » is not at the rebels' base in South Kivu the next sentence names — the
            # theatre itself, at precision 4, is what the text says)
            # (the country whose part the sentence names is the sentence's theatre: "An Israeli drone hit a
            # car in southern Lebanon" in an article taken for a report on Israel)
            home = sectors[0][1].country if sectors else ctx.main_country
            site = next((p for p in sites if p.place.country == home),
                        None if home else (sites[0] if sites else None))
            if site is None:
                country = home and _country_location(ctx, home)
                return country or None
            loc = to_location(site, max(site.precision, 2), "fallback:article-place")
    else:
        loc = to_location(pick, max(pick.precision, 3 if pick.place.feature == "admin1" else 2),
                          "fallback:enclosing")
    if mention is not None:
        loc.name, loc.text, loc.start, loc.end = mention.text, mention.text, mention.start, mention.end
        loc.geonames_id = None
        loc.rule += ":named"      # a place the text names, put where the text says it lies
        loc.geo_precision = max(loc.geo_precision, 2)
        moved = _offset_point(mention, ctx)
        if moved is not None:
            loc.lat, loc.lon, loc.country, loc.admin1, from_point = moved
            loc.admin2 = None
            loc.reckoned_from = from_point
            loc.geo_precision = 2      # a point the text gives, whatever the fallback started from
            loc.rule += ":offset"
    return loc


def _offset_point(mention: PlaceMention, ctx: ArticleContext) -> tuple[float, float, str, str | None, tuple] | None:
    """A place the gazetteer lacks that the text puts at a distance and bearing from a place it holds
    (« Ntombi, à quelque 40 km au nord-est de Beni », "Ntombi, some 40 kilometers (25 miles) to the
    northeast of Beni"): that point, reckoned from the known place (as a coder estimates it), with the
    known place's country, province and point; None without a bearing (a distance alone gives no
    point) or without a known place."""
    got = offset_after(ctx.article.clean, mention.end, ctx.places, ctx.lang)
    if got is None:
        return None
    (lat, lon, _km), ref = got
    return lat, lon, ref.country, ref.admin1, (ref.lat, ref.lon)


def _described(mention: PlaceMention, ctx: ArticleContext) -> PlaceMention | None:
    """Where the article says an unknown place is: « le camp de Boulkessy, situé dans le cercle de
    Douentza » anywhere in the text -> the first place described right after one of its mentions."""
    text = ctx.article.clean
    for m in ctx.places:
        if m.place is not None or m.text != mention.text:
            continue
        for q in ctx.places:
            if q.place is None or q.start < m.end or q.start - m.end > DESCRIBED_WITHIN \
                    or q.role != "descriptor" or re.search(r"[.!?]\s", text[m.end:q.start]):
                continue
            return q
    return None


def _country_location(ctx: ArticleContext, cc: str | None = None) -> Location | None:
    cc = cc or ctx.main_country
    gz = ctx.gazetteer
    place = gz.country(cc) if gz else None
    name = ctx.lexicon.country_name(cc)
    return Location(name=place.name if place else name, country=cc, admin1=None,
                    lat=place.lat if place else None, lon=place.lon if place else None,
                    geonames_id=place.geonames_id if place else None, geo_precision=4,
                    rule="fallback:country")


def _segments(sent: Span, places: list[PlaceMention]) -> list[tuple[PlaceMention | None, int, int]]:
    """Split a sentence at its distinct event places: each place owns the words from the end of
    the previous place to its own end (numbers precede the place they belong to)."""
    if len(places) <= 1:
        return [(places[0] if places else None, sent.start_char, sent.end_char)]
    out = []
    start = sent.start_char
    for i, p in enumerate(places):
        end = p.end if i < len(places) - 1 else sent.end_char
        out.append((p, start, end))
        start = end
    return out


LEAD_SENTENCES = 2    # the sentences after the title that make the lead


def _rule_kind(loc: Location | None) -> str:
    if loc is None:
        return "none"
    return ":".join(loc.rule.split(":")[:2]) if loc.rule.startswith("fallback") else "sentence"


def article_options(sent: Span, index: int, rule_loc: Location | None,
                    ctx: ArticleContext) -> list[tuple[dict, PlaceMention | None]]:
    """The options of the article placer for an event of ``sent`` (the ``index``-th sentence) that
    its sentence places no finer than a province: the rules' place (first, with no mention), then
    each place the article names as a site in other sentences (one option per place, with the
    mention nearest before the sentence, else after it)."""
    text = ctx.article.clean
    sents = _sentences(sent.doc)
    starts = [s.start_char for s in sents]

    def at(offset: int) -> int:
        return bisect_right(starts, offset) - 1

    groups: dict[tuple, list[PlaceMention]] = {}
    for p in ctx.places:
        if p.place is None or p.precision > 3 or sent.start_char <= p.start < sent.end_char \
                or not (p.role == "site" or (p.role == "source" and _dateline(text, p))):
            continue
        groups.setdefault((p.place.name, p.place.country, p.place.feature), []).append(p)
    if not groups:
        return []
    prior = [e.location for e in ctx.events if e.location and e.location.geo_precision < 4]
    if ctx.focus is not None and ctx.focus.location and ctx.focus.location.geo_precision < 4:
        prior.append(ctx.focus.location)
    event_places = {(loc.name, loc.country) for loc in prior}
    last = (prior[-1].name, prior[-1].country) if prior else None
    last_event = ctx.focus or (ctx.events[-1] if ctx.events else None)
    anaphoric = bool(grammar(ctx.lang, "events").rx("ANAPHORIC_PLACE").search(span_text(sent)))
    unnamed = bool(grammar(ctx.lang, "placing").rx("UNNAMED_SETTLEMENT").search(span_text(sent)))
    rule = _rule_kind(rule_loc)
    rule_key = _admin_key(rule_loc.admin1 or rule_loc.name) if rule_loc is not None and rule_loc.geo_precision == 3 \
        else _admin_key(rule_loc.admin1) if rule_loc is not None and rule_loc.admin1 else ""
    n = len(groups) + 1
    facts = []
    for (name, country, feature), ms in groups.items():
        where = [at(m.start) for m in ms]
        before = [index - w for w in where if w < index]
        after = [w - index for w in where if w > index]
        near = max((m for m, w in zip(ms, where) if w < index), key=lambda m: m.start, default=None) or \
            min(ms, key=lambda m: m.start)
        gap = text[near.end:sent.start_char] if near.start < sent.start_char else text[sent.end_char:near.start]
        pl = ms[0].place
        inside = False
        if rule_loc is not None and (name, country) != (rule_loc.name, rule_loc.country):
            if rule_loc.geo_precision >= 4:
                inside = country == rule_loc.country
            elif rule_key:
                inside = feature in SETTLEMENTS and rule_key in province_keys(pl.country, pl.admin1)
        facts.append(({"kind": "place", "rule": rule, "n_options": n,
                       "before": min(before) if before else None, "after": min(after) if after else None,
                       "same_paragraph": "\n" not in gap, "title": 0 in where,
                       "lead": any(0 < w <= LEAD_SENTENCES for w in where),
                       "dateline": any(_dateline(text, m) for m in ms),
                       "event_place": (name, country) in event_places, "last_event_place": last == (name, country),
                       "same_as_rule": rule_loc is not None and (name, country) == (rule_loc.name, rule_loc.country),
                       "inside_rule": inside, "home": country == ctx.main_country,
                       "capital": bool(getattr(pl, "capital", False)),
                       "anaphoric_near": anaphoric and bool(before) and min(before) <= 2, "unnamed": unnamed,
                       "mentions": len(ms), "mention_rank": 0, "first": min(m.start for m in ms),
                       "feature": "city" if feature in SETTLEMENTS else feature,
                       "prec": min(m.precision for m in ms), "population": getattr(pl, "population", 0) or 0}, near))
    # how recently each place was named before the sentence (0: the last one named), and in what order
    # the article first names them
    for rank, (o, _) in enumerate(sorted((x for x in facts if x[0]["before"] is not None),
                                         key=lambda x: (x[0]["before"], -x[1].start))):
        o["recency"] = rank
    for rank, (o, _) in enumerate(sorted(facts, key=lambda x: x[0]["first"])):
        o["mention_rank"] = rank
    for o, _ in facts:
        o.setdefault("recency", None)
    rule_opt = {"kind": "rule", "rule": rule, "n_options": n, "anaphoric": anaphoric, "unnamed": unnamed,
                "sent_index": index,
                "rule_prec": rule_loc.geo_precision if rule_loc is not None else "none",
                "event_distance": index - at(last_event.evidence.start) if last_event is not None else None}
    return [(rule_opt, None)] + facts


def article_place(rule_loc: Location | None, sent: Span, index: int, ctx: ArticleContext) -> Location | None:
    """The place of an event its sentence gives no town for: the trained article placer's choice
    between the rules' place and the places the article names elsewhere (the rules' place when there
    is no model). With ``ctx.site_log`` (training) the options are recorded there as well."""
    model = load_model(ctx.lang, "artplacer") if ctx.learned and ctx.collector is None else None
    if model is None and ctx.site_log is None:
        return rule_loc
    options = article_options(sent, index, rule_loc, ctx)
    if len(options) < 2:
        return rule_loc
    if ctx.site_log is not None:
        rows = []
        for o, m in options:
            loc = rule_loc if m is None else to_location(m)
            rows.append({"features": site_features(o), "lat": loc.lat if loc else None, "lon": loc.lon if loc else None,
                         "name": loc.name if loc else None, "text": loc.text if loc else None,
                         "country": loc.country if loc else None, "precision": loc.geo_precision if loc else 4})
        ctx.site_log.append({"article_id": ctx.article.article_id, "sent": (sent.start_char, sent.end_char),
                             "options": rows})
    if model is None:
        return rule_loc
    scores = [model.margin(site_features(o)) for o, _ in options]
    best = max(range(len(options)), key=lambda i: (scores[i], -i))
    m = options[best][1]
    if m is None:
        return rule_loc
    return to_location(m, max(m.precision, 2), "learned:article-place")
