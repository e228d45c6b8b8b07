"""Event stage: from a parsed, cleaned article to codebook events.

Per sentence: triggers from ``data/<lang>/triggers.tsv`` -> filters for what is not an event
(negation, plans and forecasts, pluperfect background, history, places described in relative
clauses) -> one event per event type, split again when the sentence gives different places ->
place, date, actors, casualties and claims. Finally the article's events that describe one
action from several angles (same type, place and day) are merged.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span, Token

from .actors import ActorMention
from .attribution import AttributionState, hedge_markers, introduce_people, sentence_claims
from .context import (ArticleContext, instrument_actor, _instruments, _sentences, _token_at, _trigger_words, _triggers,
                      doc_text, span_text)
from .dating import _date_for, reporting_lemmas, _day_segments, _is_history, _published_date, _report_date
from .gazetteer import admin_words, distance_km, spelling_key
from .geocode import _admin_key, province_keys, to_location
from .learned import (TYPE_FEATURE_SETS, VIOLENT, candidate_features, keep_features, load_classes, load_model, model_version,
                      place_features, sentence_vector, type_features)
from .model import SETTLEMENTS, SUB_TO_TYPE, UNKNOWN_OUTLET, Claim, DateExpr, Event, Location, Place, Span as TextSpan
from .placing import (_distinct_places, _fallback_location, _reporting_venue, _segments, _sentence_places, article_place,
                      in_parenthesis_after, without_datelines_outside)
from .resources import grammar, lowered, may_match, tables_version
from .tolls import casualties, is_casualty_sentence, killed_numbers
from .article_merge import SUB_PRIORITY, merge_within, part_or_area, unnamed_site

__all__ = ["ArticleContext", "extract_events", "EXTRACTOR", "extractor_name"]

EXTRACTOR = "sitrep.events.fr.rules.v1"


def extractor_name(lang: str = "fr", learned: bool = True) -> str:
    """What made the events, for provenance: the rule set, and the trained models' versions."""
    versions = model_version(lang) if learned else None
    # (the tables' fingerprint too: a new table or gazetteer changes what a stored article would give)
    return f"sitrep.events.{lang}.learned:{versions}+{tables_version(lang)}" if versions else f"sitrep.events.{lang}.rules.v1"

# An air or ground campaign kept up for weeks or months is an ongoing state, not an event.
_NONSTATE_TYPICAL = {"Suicide bomb", "Remote explosive/landmine/IED", "Attack", "Abduction/forced disappearance",
                     "Sexual violence"}


@dataclass(slots=True)
class _Cand:
    cls: str
    event_type: str
    sub: str
    start: int          # absolute offsets in the clean text
    end: int
    token: Token
    explicit_agent: bool = False
    broad: bool = False     # proposed by the recall-oriented rows (candidates.tsv), not the trigger table
    score: float | None = None        # the trained detector's score
    type_prob: float | None = None    # the type model's probability of the type it chose


def _governing_verb(tok: Token) -> Token:
    t = tok
    for _ in range(4):
        if t.pos_ in ("VERB", "AUX") and t.dep_ not in ("aux", "aux:pass", "aux:tense", "cop"):
            return t
        if t.head.i == t.i:
            break
        t = t.head
    return t


def _is_negated(v: Token) -> bool:
    G = grammar(v.doc.lang_, "events")
    return any(c.lower_ in G.words("NEG") for c in v.children)


def _not_an_event(c: _Cand, sent: Span, ctx: ArticleContext) -> str | None:
    """Why this trigger does not report an event (None when it does)."""
    G = grammar(ctx.lang, "events")
    tok = c.token
    if not any(t.pos_ in ("VERB", "AUX") for t in sent):
        return "no-verb"
    v = _governing_verb(tok)
    if _is_negated(v) or (tok.i != v.i and _is_negated(tok)):
        return "negated"
    if "Fut" in v.morph.get("Tense") or any(a.dep_.startswith("aux") and a.lower_ in G.words("FUTURE_AUX")
                                             for a in v.children):
        return "future"           # « frappera », "will strike"
    if _planned(v, tok):
        return "plan"
    clause = v.head if v.dep_ == "xcomp" and v.head.i != v.i else v      # « si les jihadistes venaient à s'emparer »
    if any(c.dep_ == "mark" and c.lower_ in G.words("IF") and c.pos_ != "PRON" for c in (*v.children, *clause.children)):
        # « si les combats s'étendent à Rafah »; not the reflexive « s' » the parser hangs as a mark
        # (« des hommes armés s'en sont pris à des civils »)
        return "hypothetical"
    if "Inf" in v.morph.get("VerbForm") and v.head.pos_ == "NOUN":
        return "infinitive-of-noun"   # « sa capacité à frapper »
    if "Inf" in v.morph.get("VerbForm"):
        head = v.head
        marks = {c.lower_ for c in v.children if c.dep_ in ("mark", "case") or c.tag_ == "TO"}
        if head.lemma_ not in G.words("SUCCESS_VERBS") and (marks & G.words("PURPOSE_MARKS") or head.lemma_ in G.words("PLAN_VERBS")):
            return "infinitive-purpose"
    if v.dep_ == "xcomp" and v.head.lemma_ in G.words("SUCCESS_VERBS"):      # "avaient réussi à cerner"
        v = v.head
    reported = v.dep_ in ("ccomp", "xcomp") and v.head.lemma_ in reporting_lemmas(v.doc.lang_)
    if reported and (_pluperfect(v.head) or (v.head.dep_ in ("xcomp", "ccomp") and _pluperfect(v.head.head))):
        return "pluperfect-report"     # « avait fait savoir que les forces avaient réussi à … »
    if not reported and _pluperfect(v) and not _recent_date_in(sent, ctx):
        return "pluperfect"
    if tok.dep_ in ("acl", "acl:relcl") or v.dep_ in ("acl:relcl",):
        rel = tok if tok.dep_ in ("acl", "acl:relcl") else v
        head = rel.head
        if (head.pos_ == "PROPN" or head.lemma_ in G.words("PLACE_NOUNS")) \
                and not any(ch.lower_ in G.words("WHERE") for ch in rel.children):
            return "place-description"
        if rel.dep_ == "acl:relcl" and "Pres" in rel.morph.get("Tense") \
                and not any(ch.dep_.startswith("aux") for ch in rel.children) \
                and head.lemma_ in G.words("GROUP_NOUNS"):
            return "actor-description"     # « la milice … qui combat dans les rangs de … »
    before = ctx.article.clean[max(sent.start_char, c.start - 70):c.start]
    if c.cls == "remote" and G.rx("SUPPORT").search(before):
        return "support"
    if G.rx("HABITUAL").search(span_text(sent)):
        return "habitual"
    if _period_of_clause(sent, v, ctx, G) and not any(
            sent.start_char <= d.start < sent.end_char and d.time_precision == 1 and not _report_date(d, sent)
            and not _in_dateline(d, ctx) for d in ctx.dates):
        return "period-tally"   # « au premier semestre, au moins 3 812 civils ont été tués ou blessés »
    if c.cls == "ied" and G.rx("DEFUSED").search(span_text(sent)):
        return "defused"     # « 2 991 engins explosifs ont été détectés puis neutralisés »: no explosion
    if v.lemma_ in G.words("CAMPAIGN_VERBS") and G.rx("LONG_DURATION").search(span_text(sent)):
        return "ongoing"     # « ont intensifié depuis trois mois leur pilonnage de la province »
    if tok.pos_ == "NOUN":
        for t in [tok, *list(tok.ancestors)[:2]]:
            if t.pos_ == "NOUN" and any(ch.dep_ == "case" and ch.lower_ in G.words("TEMPORAL_CASES")
                                        for ch in t.children):
                return "temporal-reference"   # « Après l'annonce fin janvier de la reconquête de … »
    if c.cls == "territory" and any(ch.dep_.startswith("nsubj") and ch.lemma_.lower() in G.words("RESUMABLE")
                                    for ch in v.children):
        return "resumed"       # "les affrontements ont repris": fighting resumed, no town taken
    return None




def _planned(v: Token, trigger: Token | None = None) -> bool:
    """« devrait être libérée », « doit reprendre », « va frapper », « menace de bombarder »."""
    G = grammar(v.doc.lang_, "events")
    heads = [v] + [c for c in v.children if c.dep_.startswith("aux")]
    chain = [v.head] + ([v.head.head] if v.head.dep_ in ("ccomp", "xcomp") else [])
    if v.dep_ in ("ccomp", "xcomp") and any(t.lemma_ in G.words("PROMISE_VERBS") for t in chain):
        return True           # « a promis que la ville serait libérée »
    que = next((c for c in v.children if c.lower_ in G.words("THAT") and c.dep_ == "mark"), None)
    if que is not None and que.i > 0 and que.nbor(-1).lower_ not in G.words("CONJ_BEFORE_QUE") and \
            any(t.lemma_ in G.words("PROMISE_VERBS") for t in list(v.ancestors)[:3] if t.i < que.i):
        return True           # the same, where the parser hung the clause on « à plusieurs reprises »
    if v.dep_ == "xcomp" or ("Inf" in v.morph.get("VerbForm") and v.head.i != v.i):
        heads += [v.head] + [c for c in v.head.children if c.dep_.startswith("aux")]
    for t in heads:
        if t.lemma_ not in G.words("PLAN_VERBS") or (t.i == v.i and t.pos_ != "VERB"):
            continue
        if t.i == v.i and trigger is not None and trigger.dep_.startswith("nsubj") \
                and t.lemma_ not in G.words("MODAL_PLAN_VERBS"):
            continue          # « les frappes ont visé … »: the strikes did it
        if t.lemma_ in G.words("CAN") and "Part" in t.morph.get("VerbForm"):
            continue          # "ont pu éliminer": it was done
        if t.lemma_ in G.words("AIM") and not any(c.dep_ == "xcomp" for c in t.children):
            continue          # « a été visé par une frappe »: targeted, not aiming to
        return True
    return False


RECENT_PLUPERFECT_DAYS = 14   # « Mardi déjà, … avaient défilé »: a dated pluperfect this recent is news


def _recent_date_in(sent: Span, ctx: ArticleContext) -> bool:
    ref = ctx.reference.day
    if ref is None:
        return False
    for d in ctx.dates:
        if sent.start_char <= d.start < sent.end_char:
            if (ref - dt.date.fromisoformat(d.date_end or d.date)).days <= RECENT_PLUPERFECT_DAYS \
                    and d.time_precision <= 2:
                return True
    return False


def _pluperfect(v: Token) -> bool:
    return any("Imp" in a.morph.get("Tense") and "Cnd" not in a.morph.get("Mood")
               for a in v.children if a.dep_.startswith("aux"))




def _instrument_sub(text: str, ctx: ArticleContext, trigger_default: str | None = None) -> str:
    """Sub-type of a remote-violence event: the instrument the sentence names, else the one the
    article names most, else the trigger's own default (bombardement -> shelling), else the
    table's default."""
    G = grammar(ctx.lang, "events")
    default = "Air/drone strike"
    text = G.rx("COALITION_SOURCE").sub(" ", text)     # « selon la coalition »: who says it, not the weapon
    for sub, rx in _instruments(ctx.lang):
        if rx is None:
            default = sub
        elif rx.search(text):
            return sub
    return ctx.instrument or trigger_default or default




_QUOTES_AS_SPACES = str.maketrans({q: " " for q in "«»“”„\""})


def _article_triggers(text: str, lang: str, recall: bool = False) -> list[tuple[int, int, int]]:
    """Every trigger match of the article as (start, end, row), each table row scanned once — or
    not at all when the text holds none of the words its every match needs."""
    out = []
    # a word a reporter puts between quotation marks (« ont aussi «repris» Jalaoula », 'the "liberated" town') is
    # still the word: the marks read as spaces (one character each: the offsets stay the text's)
    text = text.translate(_QUOTES_AS_SPACES)
    low = lowered(text)
    for row, ((_, rx, _, _), words) in enumerate(zip(_triggers(lang, recall), _trigger_words(lang, recall))):
        if may_match(words, low):
            out += [(m.start(), m.end(), row) for m in rx.finditer(text)]
    return out


def _table_rows(lang: str) -> int:
    return len(_triggers(lang))


def _recall(ctx: ArticleContext) -> bool:
    """The broad candidate rows are read when the trained detector decides (or learns)."""
    return ctx.collector is not None or (ctx.learned and load_model(ctx.lang, "detector") is not None)


def _sentence_candidates(sent: Span, ctx: ArticleContext) -> list[_Cand]:
    G = grammar(ctx.lang, "events")
    if ctx.trigger_matches is None:
        ctx.trigger_matches = _article_triggers(ctx.article.clean, ctx.lang, _recall(ctx))
    text = span_text(sent)
    rows = _triggers(ctx.lang, _recall(ctx))
    found: list[_Cand] = []
    taken: list[tuple[int, int]] = []
    # a word inside a date expression is part of the date ("on March 1", "since March"), no trigger
    days = [(d.start, d.end) for d in ctx.dates if sent.start_char <= d.start < sent.end_char]
    # earlier table rows win overlaps, as when each row scanned the sentence in turn
    for s, e, row in sorted((m for m in ctx.trigger_matches if sent.start_char <= m[0] and m[1] <= sent.end_char),
                            key=lambda m: (m[2], m[0])):
        if any(s < te and ts < e for ts, te in taken) or any(ds <= s and e <= de for ds, de in days):
            continue
        if _in_group_name(sent, s, e, G):
            continue
        cls, _, etype, sub = rows[row]
        taken.append((s, e))
        found.append(_Cand(cls, etype, sub, s, e, _token_at(sent.doc, s), broad=row >= _table_rows(ctx.lang)))
    classes = {c.cls for c in found}
    if "weapons" in classes:      # "neutralisant 24 000 engins explosifs": demining, not a bomb
        found = [c for c in found if c.cls not in ("ied", "grenade")]
    if not G.rx("EXPLOSION").search(text):  # "la présence d'engins explosifs": no explosion reported
        found = [c for c in found if c.cls not in ("ied", "grenade")]
    return sorted(found, key=lambda c: c.start)


def _in_group_name(sent: Span, start: int, end: int, G) -> bool:
    """A capitalised word inside the name of a group or an outlet ("the National Liberation Army",
    "the Joint Task Force", "Strike News"): part of a name, no trigger. The name is the run of
    capitalised words around the match, closed by a head word of ``ORG_HEAD``."""
    heads = G.words("ORG_HEAD")
    if not heads:
        return False
    doc = sent.doc
    toks = [t for t in sent if t.idx < end and start < t.idx + len(t.text)]
    if not toks or not all(t.is_title or t.is_upper for t in toks if t.is_alpha) or toks[0].i == sent.start:
        return False
    j = toks[-1].i
    while j + 1 < sent.end and (doc[j + 1].is_title or doc[j + 1].lower_ in G.words("NAME_JOINERS")):
        j += 1
    while j > toks[-1].i and not doc[j].is_title:
        j -= 1
    return doc[j].lower_ in heads


PROVINCE_NEAR_KM = 100.0   # a place whose province the tables do not give is taken as inside one this close


def _within(loc: Location, province: Place) -> bool:
    """Whether a location lies in a province: by the province names (as the tables write them), or, when the
    location's province is unknown, by its distance to the province's point."""
    if loc.admin1:
        return _admin_key(province.admin1) in province_keys(loc.country, loc.admin1)
    if None in (loc.lat, loc.lon, province.lat, province.lon):
        return True
    return distance_km(loc.lat, loc.lon, province.lat, province.lon) <= PROVINCE_NEAR_KM


CROWD_BEFORE = 120   # tokens before a broad riot word where the crowd that burns may have been named


def _resolve_types(cands: list[_Cand], sent: Span, ctx: ArticleContext,
                   actors: list[ActorMention]) -> list[tuple[str, str, _Cand]]:
    """One (event_type, sub_event_type, anchor trigger) per event type in the sentence."""
    G = grammar(ctx.lang, "events")
    classes = {c.cls for c in cands}
    by_type: dict[str, tuple[str, _Cand]] = {}
    stext = span_text(sent)
    for c in cands:
        if c.cls == "kill":
            continue
        sub = c.sub
        if sub.startswith("@instrument"):
            sub = _instrument_sub(stext, ctx, sub.partition(":")[2] or None)
        elif sub == "@territory":
            sub = "Government regains territory"
        elif sub == "@protest":
            sub = "Protest with intervention" if G.rx("PROTEST_INTERVENTION").search(stext) else "Peaceful protest"
            if G.rx("PROTEST_LETHAL").search(stext):
                sub = "Excessive force against protesters"
            elif G.rx("PROTEST_VIOLENT").search(stext):
                # the demonstrators burn, loot, storm or stone: a riot (codebook), not a protest
                sub = "Violent demonstration"
        elif sub == "@attack":
            armed_kinds = {a.kind for a in actors if a.kind in ("nonstate", "state", "external")}
            civil = any(a.kind == "civilian" for a in actors) or _civilian_target(ctx.article.clean, c)
            sub = "Attack" if civil and len(armed_kinds) < 2 else "Armed clash"
        elif sub == "@kill":
            continue
        elif sub == "@riot":
            sub = "Mob violence" if G.rx("MOB").search(stext) else "Violent demonstration"
            crowd = G.words("CROWD")
            around = sent.doc[max(0, sent.start - CROWD_BEFORE):sent.end]
            if crowd and c.broad and not any(t.lemma_.lower() in crowd for t in around) \
                    and not (ctx.events and ctx.events[-1].event_type in ("Protests", "Riots")):
                # "troops burned down a house": property destroyed by whoever came, no crowd, no riot (but
                # « Quelques dizaines d'entre eux ont incendié des barrières » after the protest: its crowd)
                sub = "Looting/property destruction"
        etype = SUB_TO_TYPE.get(sub, c.event_type)
        if etype in VIOLENT:
            learned_type = _learned_type(c, sent, ctx)
            if learned_type is not None and learned_type != etype:
                etype, sub = learned_type, _sub_for_type(learned_type, c, stext, ctx)
        prev = by_type.get(etype)
        if prev is not None and c.broad != prev[1].broad:
            # a word of the trigger table anchors the event (its verb carries the hedging and the
            # actors) before a word the broad candidate rows proposed
            if not c.broad:
                by_type[etype] = (sub, c)
            continue
        if prev is None or SUB_PRIORITY.index(sub) < SUB_PRIORITY.index(prev[0]) if (
                prev and sub in SUB_PRIORITY and prev[0] in SUB_PRIORITY) else prev is None:
            by_type[etype] = (sub, c)
    if "kill" in classes and not (set(by_type) & {"Battles", "Explosions/Remote violence", "Violence against civilians"}):
        kill = next(c for c in cands if c.cls == "kill")
        victims_civil = any(a.kind == "civilian" for a in actors)
        armed = [a for a in actors if a.kind in ("nonstate", "state", "external")]
        instrument = _named_instrument(stext, ctx)
        learned_type = _learned_type(kill, sent, ctx)
        if not instrument and not any(a.kind in ("nonstate", "external") for a in armed) \
                and not G.rx("ARMED_GROUP").search(stext) and _demonstration_toll(kill, G):
            # « deux personnes ont perdu la vie au cours d'une journée de mobilisation »: the demonstration's dead
            by_type["Protests"] = ("Excessive force against protesters", kill)
        elif learned_type is not None:
            by_type[learned_type] = (_sub_for_type(learned_type, kill, stext, ctx), kill)
        elif instrument:
            by_type["Explosions/Remote violence"] = (instrument, kill)
        elif victims_civil and not (len({a.kind for a in armed}) > 1):
            by_type["Violence against civilians"] = ("Attack", kill)
        elif is_casualty_sentence(stext, ctx.lang):
            by_type["Battles"] = ("Armed clash", kill)
        elif ctx.focus is not None and ctx.focus.event_type in ("Battles", "Explosions/Remote violence") \
                and G.rx("DEATHS_OF").search(stext) and _sentence_places(sent, ctx):
            # « Les FSR ont fait état de morts à Omdurman, à Nyala … »: deaths in the fighting under way
            by_type[ctx.focus.event_type] = (ctx.focus.sub_event_type, kill)
    clash = by_type.get("Battles")
    if clash and clash[0] == "Armed clash" and not ("Protests" in by_type or "Riots" in by_type) \
            and _protesters_clash(clash[1], stext, sent, actors, G):
        # « des affrontements entre manifestants et forces de sécurité ont fait un mort »: the demonstrators are a
        # party of the clash — demonstrators who clash with the security forces are a violent demonstration
        # (ACLED's Riots), not a battle
        by_type["Riots"] = ("Violent demonstration", clash[1])
    if ("Protests" in by_type or "Riots" in by_type) and by_type.get("Battles", ("",))[0] == "Armed clash":
        # « lors de heurts entre des manifestants et les forces »: the protest met force, not a battle;
        # "protesters stormed the consulate": the riot's assault
        del by_type["Battles"]
        if "kill" in classes and "Protests" in by_type:
            by_type["Protests"] = ("Excessive force against protesters", by_type["Protests"][1])
    crowd_told = "Protests" in by_type or "Riots" in by_type or bool(G.rx("PROTESTERS").search(stext)) or (
        ctx.focus is not None and ctx.focus.event_type in ("Protests", "Riots"))
    if G.rx("CROWD_CONTROL").search(stext) and crowd_told \
            and not any(a.kind in ("nonstate", "external") for a in actors) \
            and not G.rx("ARMED_GROUP").search(stext) and not G.rx("FIGHTERS").search(stext):
        # « la police a tiré des grenades lacrymogènes sur les manifestants »: the weapons of crowd control, fired
        # at a crowd (the sentence's, or the demonstration just told), are no shelling and no battle (of the gold
        # events whose evidence names them, every one is a protest or a riot) — unless armed men are in the
        # sentence too (a raid with stun grenades and gunmen)
        for t in ("Explosions/Remote violence", "Battles"):
            by_type.pop(t, None)
    crowd = next((t for t in ("Protests", "Riots") if t in by_type), None)
    from_toll = [t for t in VIOLENT if t in by_type and by_type[t][1].cls == "kill"]
    if crowd and from_toll and not any(a.kind == "nonstate" for a in actors) and not G.rx("ARMED_GROUP").search(stext):
        # « cinq manifestants ont perdu la vie lors des rassemblements », "bullets injured 71 protesters":
        # the dead and wounded of a demonstration are the demonstration's (force against protesters,
        # or the riot's toll), not an armed event of their own — unless an armed group fired on the
        # crowd (« une milice a ouvert le feu sur des manifestants »: an attack on civilians)
        for t in from_toll:
            del by_type[t]
        if crowd == "Protests":
            by_type["Protests"] = ("Excessive force against protesters", by_type["Protests"][1])
    clash = by_type.get("Battles")
    if clash and clash[0] == "Armed clash" and "Violence against civilians" not in by_type \
            and _civilian_target(ctx.article.clean, clash[1]):
        # « l'assaut contre l'université américaine »: an armed assault on a civilian place
        del by_type["Battles"]
        by_type["Violence against civilians"] = ("Attack", clash[1])
    violent = [t for t in by_type if t in VIOLENT]
    if len(violent) > 1 and ctx.learned and ctx.collector is None:
        # one violent type per sentence: of 1,051 training sentences that state a violent event
        # (corpus train + own, French and English), one holds events of two violent types; the
        # type the type model gives most weight over the sentence's candidates is the event's
        keep = _dominant_type(violent, cands, sent, ctx)
        by_type = {t: v for t, v in by_type.items() if t not in VIOLENT or t == keep}
    # a town retaken and the fighting around it in one sentence: one Battles event
    return [(etype, sub, c) for etype, (sub, c) in by_type.items()]


def _demonstration_toll(kill: _Cand, G) -> bool:
    """A demonstration noun in the toll's clause (``CROWD_TOLL``; not a call-up, « la mobilisation générale »:
    ``CROWD_TOLL_NOT_AFTER``)."""
    crowd, not_after = G.words("CROWD_TOLL"), G.words("CROWD_TOLL_NOT_AFTER")
    doc = kill.token.doc
    return bool(crowd) and any(
        t.pos_ == "NOUN" and (t.lemma_.lower() in crowd or t.lower_ in crowd)
        and not (t.i + 1 < len(doc) and doc[t.i + 1].lower_ in not_after)
        for t in _governing_verb(kill.token).subtree)


def _protesters_clash(c: _Cand, stext: str, sent: Span, actors: list[ActorMention], G) -> bool:
    """The clash of ``c`` opposes demonstrators to the state's forces: the demonstrators' word stands
    within 60 characters of the clash word, the sentence names the state's forces (an actor, or
    their common nouns: ``STATE_FORCES``), and no armed group, fighters or non-state actor
    (« entre l'armée et des combattants …, a dit un porte-parole des protestataires » stays a battle)."""
    at, end = c.start - sent.start_char, c.end - sent.start_char
    near = stext[max(0, at - 60):end + 60]
    return bool(G.rx("PROTESTERS").search(near)) \
        and (any(a.kind == "state" for a in actors) or bool(G.rx("STATE_FORCES").search(stext))) \
        and not any(a.kind in ("nonstate", "external") for a in actors) \
        and not G.rx("ARMED_GROUP").search(stext) and not G.rx("FIGHTERS").search(stext)


def _dominant_type(types: list[str], cands: list[_Cand], sent: Span, ctx: ArticleContext) -> str:
    """Of several violent types proposed for one sentence, the one the type model weighs most over
    the sentence's trigger candidates (the first proposed when there is no model)."""
    typer = load_classes(ctx.lang, "typer")
    if typer is None:
        return types[0]
    mass = dict.fromkeys(types, 0.0)
    for c in cands:
        probs = typer.probabilities(_type_features(c, sent, ctx, typer.feature_set))
        for t in types:
            mass[t] += probs.get(t, 0.0)
    return max(types, key=lambda t: (mass[t], -types.index(t)))


def _civilian_target(text: str, c: _Cand) -> bool:
    """« l'assaut contre l'université », « ont fait irruption … dans le lycée »: armed men storming
    a place of civilians (« dans » only for bursting in: fighting in a camp is still fighting)."""
    G = grammar(c.token.doc.lang_, "events")
    m = G.rx("CIVILIAN_TARGET").match(text[c.end:c.end + 90])
    return bool(m) and (not m.groupdict().get("inside") or G.rx("BURST_IN").search(text[c.start:c.end]) is not None)


def _named_instrument(text: str, ctx: ArticleContext) -> str | None:
    """The weapon a sentence names (« tués par un missile », « lors d'une frappe »), if any."""
    for sub, rx in _instruments(ctx.lang):
        if rx is not None and rx.search(text):
            return sub
    if grammar(ctx.lang, "events").rx("STRIKE_WORDS").search(text):
        return _instrument_sub(text, ctx)
    return None


def _sides_by_type(etype: str, actor1: str | None, actor2: str | None, first: ActorMention | None,
                   ctx: ArticleContext) -> tuple[str | None, str | None]:
    """The codebook's sides of an event type: a protest is the protesters' and a riot the rioters' (ACLED's
    « Protesters (country) », « Rioters (country) »), a force named as a riot's doer being the side facing them;
    civilians suffer a strike, an assault or a battle, they do not make it (the doer is then the article's air or
    state force, or armed group, as when none is named)."""
    country = ctx.lexicon.country_name(ctx.main_country)
    if etype == "Protests" and (actor1 is None or actor1.startswith("Civilians")):
        actor1 = f"Protesters ({country})"
        actor2 = actor2 if actor2 and not actor2.startswith("Civilians") else None
    elif etype == "Riots" and not (actor1 or "").startswith("Rioters"):
        force = bool(actor1) and (actor1.startswith(("Military Forces", "Police Forces"))
                                  or (first is not None and first.kind in ("state", "external")))
        if force and (actor2 is None or actor2.startswith(("Civilians", "Protesters"))):
            actor2 = actor1
        if actor1 is None or force or actor1.startswith(("Civilians", "Protesters")):
            actor1 = f"Rioters ({country})"
    elif etype in ("Explosions/Remote violence", "Battles", "Violence against civilians") and (actor1 or "").startswith("Civilians"):
        if actor2 is None:
            actor2 = actor1
        if etype == "Explosions/Remote violence":
            actor1 = ctx.air_actor or ctx.state_actor
        elif etype == "Battles":
            actor1 = ctx.state_actor
        else:
            actor1 = ctx.jihadist or ctx.nonstate_actor or f"Unidentified Armed Group ({country})"
    if actor1 == actor2:
        actor2 = None
    return actor1, actor2


def _actors_for(cand: _Cand, etype: str, actors: list[ActorMention], ctx: ArticleContext) -> tuple[str | None, str | None, ActorMention | None]:
    """actor1 and actor2 from the parse around the trigger, then from the sentence's order."""
    G = grammar(ctx.lang, "events")
    doc = cand.token.doc
    v = _governing_verb(cand.token)
    agent: list[ActorMention] = []
    target: list[ActorMention] = []
    for a in actors:
        tok = _token_at(doc, a.start)
        head_tok = doc[tok.i]
        for t in (head_tok, *list(head_tok.ancestors)[:2]):
            dep = t.dep_
            if t.head in (v, cand.token) or t in (v,):
                marks = {c.lower_ for c in t.children if c.dep_ == "case"}
                if dep in ("nsubj", "obl:agent") or (dep.startswith("obl") and "par" in marks):
                    agent.append(a)
                elif dep in ("obj", "nsubj:pass", "obl:arg") or marks & {"contre", "sur", "à", "aux"}:
                    target.append(a)
                elif dep == "nmod" and t.head.i == cand.token.i and cand.token.pos_ == "NOUN":
                    (agent if a.kind in ("state", "external") else target).append(a)
                break
    text = doc_text(cand.token.doc)
    # « soutenus par l'aviation russe », « avec l'appui de leurs alliés »: associated, not the doer
    actors = [a for a in actors if not G.rx("ASSOCIATED").search(text[max(0, a.start - 40):a.start])]
    agent = [a for a in agent if a in actors]
    target = [a for a in target if a in actors]
    ordered = sorted(actors, key=lambda a: a.start)
    for a in ordered:     # « des tirs de roquettes de groupes rebelles »: who fires the weapon
        if a.start >= cand.end and G.rx("FIRE").match(text[cand.start:cand.end]) and G.rx("SHOOTER_GAP").match(text[cand.end:a.start]):
            agent.insert(0, a)
            target = [t for t in target if t is not a]
    for a in ordered:     # "attribuée aux rebelles Houthis", "revendiquée par les shebab"
        if G.rx("ATTRIBUTED").search(text[max(0, a.start - 40):a.start]):
            agent.insert(0, a)
    explicit = bool(agent)
    first = agent[0] if agent else None
    if etype == "Explosions/Remote violence":
        # who holds the instrument: "l'aviation russe", "l'artillerie syrienne", "des drones turcs"
        armed = [a for a in ordered if instrument_actor(ctx.lang).search(a.text)]
        if armed:
            first, explicit = armed[0], True
    if first is None:
        before = [a for a in ordered if a.end <= cand.start and a.kind != "civilian"]
        first = before[-1] if before else None
    if first is None:
        armed = [a for a in ordered if a.kind in ("state", "external")]
        first = armed[0] if armed else None
    second = next((a for a in target if a is not first and a.name != (first.name if first else None)), None)
    if second is None:
        rest = [a for a in ordered if a is not first and (not first or a.name != first.name)]
        if first is not None and first.kind in ("state", "external"):
            rest = [a for a in rest if a.kind in ("nonstate", "civilian")] or rest
        second = rest[0] if rest else None
    name1 = _resolve_name(first, ctx) if first else None
    name2 = _resolve_name(second, ctx) if second else None
    if name1 is None and etype == "Explosions/Remote violence":
        name1 = ctx.air_actor or ctx.state_actor
    if name1 is None and etype == "Battles":
        name1 = ctx.state_actor
    if name2 is None and etype in ("Explosions/Remote violence", "Battles") and name1:
        kind1 = first.kind if first is not None else "state"
        if kind1 in ("state", "external"):
            # the other side of this war: the jihadist group, else the armed group the article names most
            name2 = ctx.jihadist or ctx.nonstate_actor
            if name2 is None and etype == "Explosions/Remote violence" \
                    and grammar(ctx.lang, "events").rx("CIVILIAN_WORDS").search(span_text(cand.token.sent)):
                name2 = f"Civilians ({ctx.lexicon.country_name(ctx.main_country)})"
        elif kind1 == "nonstate" and etype == "Battles":
            name2 = ctx.state_actor
    if name1 == name2:
        name2 = None
    cand.explicit_agent = explicit
    return name1, name2, first


def _resolve_name(a: ActorMention, ctx: ArticleContext) -> str:
    if a.name == "@JIHADIST":
        return ctx.jihadist or f"Unidentified Armed Group ({ctx.lexicon.country_name(ctx.main_country)})"
    return a.name


def _scoped(claims: list[Claim], position: int | None) -> list[Claim]:
    """The claims whose reported clause covers ``position`` (the event's place), narrowest
    scope first; all of them when none does."""
    if position is None or len(claims) < 2:
        return claims
    covering = [c for c in claims if c.scope_start <= position < c.scope_end]
    if not covering:
        unscoped = [c for c in claims if c.scope_start < 0]
        return unscoped or claims
    narrowest = min(c.scope_end - c.scope_start for c in covering)
    keep = {id(c) for c in covering if c.scope_end - c.scope_start == narrowest}
    sources = {c.claimant for c in covering if id(c) in keep}
    return [c for c in claims if id(c) in keep or (c.role == "relay" and c.claimant in
                                                   {v for s in claims if s.claimant in sources for v in s.via})]


def _claims_for(sent_claims: list[Claim], carried: list[Claim], hedge: str | None,
                ctx: ArticleContext) -> list[Claim]:
    claims = [replace(c, via=list(c.via)) for c in sent_claims] or \
        [replace(c, via=list(c.via), hedged=False, hedge_text=None) for c in carried]   # how firmly: this sentence's words
    for c in claims:
        if hedge and not c.hedged:
            c.hedged, c.hedge_text = True, hedge
    if not sent_claims:
        claims.append(Claim(claimant=ctx.outlet or UNKNOWN_OUTLET, claimant_text="", outlet=ctx.outlet,
                            hedged=bool(hedge), hedge_text=hedge, role="source",
                            rule="sitrep.attribution.outlet"))
    return claims


def _article_region(ctx: ArticleContext) -> str | None:
    """The province of the article's first place in its theatre (a province named, or a town's):
    the office a title alone names (« le gouverneur de la région ») is that province's."""
    for p in ctx.places:
        pl = p.place
        if pl is None or pl.country != ctx.main_country or p.role not in ("site", "descriptor"):
            continue
        name = pl.name if pl.feature == "admin1" else pl.admin1 if pl.feature in SETTLEMENTS else None
        if name:
            return " ".join(admin_words(name)) or name
    return None


def _quote_balance(text: str) -> int:
    """+1 when the sentence opens a quotation it does not close, -1 when it closes one opened before."""
    curly = text.count("“") + text.count("«") - text.count("”") - text.count("»")
    if curly:
        return 1 if curly > 0 else -1
    if text.count('"') % 2:
        return 1 if text.lstrip().startswith('"') else -1
    return 0


def _only_army(ctx: ArticleContext) -> str | None:
    """The country whose armed forces the article names, when they are the only ones and not the
    theatre's own (a raid in the West Bank: "the army" is Israel's)."""
    armies = {a.country for a in ctx.actors if a.name.startswith("Military Forces of") and a.country}
    return next(iter(armies)) if len(armies) == 1 and ctx.main_country not in armies else None


def extract_events(doc: Doc, ctx: ArticleContext, gazetteer=None) -> list[Event]:
    """Events of one article; ``doc`` is the parse of ``ctx.article.clean``."""
    ctx.gazetteer = gazetteer or ctx.gazetteer
    state = AttributionState(outlet=ctx.outlet, default_country=ctx.main_country,
                             # (« Le maire Vitali Klitschko » after « … que Moscou emploie »: the mayor of a town of
                             # the theatre, not of a capital named for its government)
                             towns=[(p.start, p.text) for p in ctx.places
                                    if p.place is not None and p.place.feature in SETTLEMENTS and p.role == "site"
                                    and p.place.country in (ctx.main_country, None)],
                             groups=[(a.start, a.text) for a in ctx.actors if a.kind == "nonstate"
                                     and not a.name.startswith(("@", "Unidentified", "Rebels"))],
                             region=_article_region(ctx), army=_only_army(ctx), text=doc_text(doc))
    introduce_people(ctx.lexicon, state)
    prev_claims: list[Claim] = []
    prev_dates: list[DateExpr] = []
    detector = load_model(ctx.lang, "detector") if ctx.learned or ctx.collector is not None else None
    quote_from: int | None = None      # the first event told inside a quotation still open
    prev_sent: Span | None = None
    for index, sent in enumerate(_sentences(doc)):
        sent_claims = sentence_claims(sent, ctx.lexicon, state)
        if prev_sent is not None and sent_claims and grammar(ctx.lang, "events").rx("SAID_BEFORE").match(span_text(sent)):
            # « C'est ce qu'a fait savoir le ministère turc de la Défense, précisant que … »: its speakers said what the
            # sentence before told, whatever this one tells of its own
            _attach_back(sent_claims, prev_sent, ctx)
        balance = _quote_balance(sent.text)
        if balance > 0 and quote_from is None:
            quote_from = len(ctx.events)
        cands = _sentence_candidates(sent, ctx)
        # the days things happened carry over to the next sentence, not the days they were said
        sent_dates = [d for d in ctx.dates if sent.start_char <= d.start < sent.end_char
                      and not _report_date(d, sent)]
        reasons = [_not_an_event(c, sent, ctx) for c in cands]
        if cands and (ctx.collector is not None or (ctx.learned and detector is not None)):
            kept = _detect(cands, reasons, sent, index, sent_claims, sent_dates, ctx, detector)
        else:
            kept = [c for c, r in zip(cands, reasons) if r is None]
        n_before = len(ctx.events)
        if kept:
            _events_of_sentence(sent, kept, ctx, sent_claims, prev_claims, prev_dates, index)
        # (the broad candidate rows do not count here: a sentence they alone touch can still
        # be one that only adds a source to what was told)
        if len(ctx.events) == n_before and sent_claims and ctx.events and not [
                c for c, r in zip(cands, reasons) if not c.broad and r in _NEW_TOPIC]:
            # a sentence that tells an act of its own and made no event of it ("The army said the operation
            # was aimed at militants, and that a number had been shot"): its sources speak of the event
            # just told, but how firmly they speak is about their own words
            _attach_followup_claims(sent, sent_claims, ctx, hedging=not [c for c in cands if not c.broad])
        if balance < 0 and quote_from is not None:
            # '"The occupiers shelled Borova … From beneath the ruins …," Syniehubov said': the speaker named
            # where the quotation closes said all of it
            for e in ctx.events[quote_from:n_before]:
                known = {k.key() for k in e.claims}
                e.claims += [replace(c, via=list(c.via), rule=c.rule + ":quote") for c in sent_claims if c.key() not in known]
            quote_from = None
        prev_claims = [c for c in sent_claims if c.role == "source"] or prev_claims[:0]
        prev_sent = sent
        # (not the start of a period: « depuis que la Turquie a lancé mercredi son offensive » dates no act of the
        # next sentence)
        carried = [d for d in sent_dates if not _starts_a_period(d, sent, ctx)]
        if carried:
            prev_dates = carried
    if ctx.learned and ctx.collector is None:
        _refine_coarse(ctx)
    raw = list(ctx.events)
    events = merge_within(ctx.events)
    if ctx.collector is None and not ctx.keep_all:
        events = [e for e in events if not _unplaced(e)]
    if ctx.learned and ctx.collector is None:
        events = _keep(events, raw, ctx)
    for e in events:
        e.assign_id()
    return events


def _unplaced(e: Event) -> bool:
    """An act with no place at all, or put at its country by the placer's last resort (placing._fallback_location,
    rule "fallback:country": nothing in the sentence or the article places it finer — a town the gazetteer lacks,
    « l'ouest du Burundi », « le sud du pays »), once merged with the article's other reports of it: not coded, as
    ACLED codes no event it cannot place in a region at least. (A country the sentence itself names — « 120
    terroristes éliminés en Syrie » — is the codebook's country-wide aggregate and stays.) Measured over every set
    of both languages: of 33 country-fallback events, 4 matched a required gold event, 4 an optional one, 25 none
    (the gold codes them at the village the gazetteer lacks); without them event F1 pooled French +0.003, English
    +0.004, no set lower (events with no place at all: none on any set)."""
    return e.location is None or e.location.rule == "fallback:country"


def _keep(events: list[Event], raw: list[Event], ctx: ArticleContext) -> list[Event]:
    """The keep/drop model's verdict on each finished event (its place rule and precision, the
    detector's score, how often the article tells it…): below its threshold an event is dropped.
    With ``ctx.keep_all`` (training) every event stays and carries the features it was judged on."""
    model = load_model(ctx.lang, "keeper")
    if model is None and not ctx.keep_all:
        return events
    out = []
    for e in events:
        feats = keep_features(e, events, raw, ctx.article.clean, ctx.main_country)
        if ctx.keep_all:
            e.keep_features = feats
            out.append(e)
        elif model.accepts(feats):
            out.append(e)
    return out


def _refine_coarse(ctx: ArticleContext) -> None:
    """An event placed at a province (or the country) when the article names one town or village
    inside it, and only one: the event is there (« une attaque dans la province de Herat » and,
    two sentences on, the district it struck)."""
    fine = [p for p in ctx.places if p.place is not None and p.role == "site" and p.precision <= 2
            and p.place.feature in SETTLEMENTS]
    for e in ctx.events:
        loc = e.location
        if loc is None or loc.geo_precision not in (3, 4) or "named" in loc.rule.split(":"):
            continue
        if loc.geo_precision == 3:
            key = _admin_key(loc.admin1 or loc.name)
            if not key:
                continue
            # (a town that bears the province's name is not a place inside it the text adds)
            inside = [p for p in fine if p.place.country == loc.country and key in province_keys(p.place.country, p.place.admin1)
                      and spelling_key(p.place.name) != key]
        else:
            inside = [p for p in fine if p.place.country == loc.country]
        # (« (Beyrouth) … dans le sud du pays »: the dateline the placer was denied does not come back here)
        inside = without_datelines_outside(inside, e.evidence.start, e.evidence.end, ctx)
        if len({p.place.name for p in inside}) == 1:
            e.location = to_location(inside[0], max(inside[0].precision, 2), "refined:article-place")
            e.optional = False     # no longer a country-wide aggregate


def _detect(cands: list[_Cand], reasons: list[str | None], sent: Span, index: int, sent_claims: list[Claim],
            sent_dates: list[DateExpr], ctx: ArticleContext, model) -> list[_Cand]:
    """The trained detector's choice among the sentence's trigger candidates (what the old rules
    say is one of its features); in training mode, every candidate is recorded and the rules decide."""
    art = ctx.article
    places = [p for p in ctx.places if sent.start_char <= p.start < sent.end_char and p.role == "site"]
    fine = [p for p in places if p.place is None or p.precision < 4]
    days = [d for d in sent_dates if d.time_precision == 1]
    vector = sentence_vector(sent) if ctx.collector is not None or model.dense is not None else None
    dense_z = model.dense_margin(vector) if ctx.collector is None and vector is not None else None
    kept = []
    for c, reason in zip(cands, reasons):
        feats = candidate_features(c.token, c.start, c.end, c.cls, c.sub, sent, reason, index, len(places),
                                   len(fine), len(sent_dates), len(days), len(sent_claims), len(cands), art.clean)
        if ctx.collector is not None:
            ctx.collector.setdefault("candidates", []).append({
                "article_id": art.article_id, "start": c.start, "end": c.end, "cls": c.cls,
                "event_type": c.event_type, "sent": (sent.start_char, sent.end_char), "rule": reason,
                "features": feats, "vector": [round(float(x), 4) for x in vector] if vector is not None else None,
                "type_features": {fs: _type_features(c, sent, ctx, fs) for fs in TYPE_FEATURE_SETS}})
            if reason is None:
                kept.append(c)
        elif reason not in GRAMMATICAL_VETO:
            c.score = model.score(feats, vector, dense_z)
            if c.score >= model.threshold:
                kept.append(c)
    return kept


# the arcs by which a period phrase modifies the clause of the event word (not a relative clause's, an apposition's:
# "…in Zamfara, where bandits abducted 300 girls last year", "the deadliest attack this year")
_PERIOD_ARCS = frozenset({"obl", "obl:mod", "obl:tmod", "obl:arg", "npadvmod", "advmod", "nmod", "nmod:tmod", "prep",
                          "pobj", "pcomp", "case", "det", "amod", "fixed", "flat", "compound", "nummod", "dep",
                          "nsubj", "nsubj:pass", "nsubjpass"})


def _period_of_clause(sent: Span, v: Token, ctx: ArticleContext, G) -> bool:
    """Whether a PERIOD_TALLY phrase (« au premier semestre », "so far this year") modifies the clause of the
    event word's verb ``v`` itself."""
    text = ctx.article.clean
    for m in G.rx("PERIOD_TALLY").finditer(text, sent.start_char, sent.end_char):
        t = _token_at(sent.doc, m.start())
        if m.start() < v.idx and not any(x.pos_ in ("VERB", "AUX") for x in sent if x.i < t.i):
            return True          # fronted, before any verb (« KABOUL, 30 juillet (Reuters) - Au premier semestre, … »)
        while t.head.i != t.i and m.start() <= t.head.idx < m.end():
            t = t.head           # the phrase's own head
        for _ in range(8):
            if t.i == v.i:
                return True
            if t.dep_ not in _PERIOD_ARCS or t.head.i == t.i:
                break
            t = t.head
    return False


def _in_dateline(d: DateExpr, ctx: ArticleContext) -> bool:
    """A date inside the dateline that opens its line ("KABOUL, 30 juillet (Reuters) -": data/<lang>/nlp.tsv
    ``DATELINE_PLACE``)."""
    text = ctx.article.clean
    m = grammar(ctx.lang, "nlp").rx("DATELINE_PLACE").match(text, text.rfind("\n", 0, d.start) + 1)
    return m is not None and d.start < m.end()


def _starts_a_period(d: DateExpr, sent: Span, ctx: ArticleContext) -> bool:
    """A date after « depuis », "since" (``SINCE_BEFORE``): the start of a period, not the day of an act."""
    return bool(grammar(ctx.lang, "events").rx("SINCE_BEFORE").search(
        ctx.article.clean, max(sent.start_char, d.start - 70), d.start))


# What the grammar says outright (closed classes: negation, future tense, modal and plan verbs,
# « si », purpose infinitives) stays a rule: such a candidate reports no event whatever the model
# says. Everything else the old filters said (pluperfect, habitual, descriptions…) is only a feature.
GRAMMATICAL_VETO = {"negated", "future", "plan", "hypothetical", "infinitive-purpose", "infinitive-of-noun", "period-tally"}


def _type_features(c: _Cand, sent: Span, ctx: ArticleContext, feature_set: str = "sentence") -> dict[str, float]:
    kinds = [a.kind for a in ctx.actors if sent.start_char <= a.start < sent.end_char]
    stext = span_text(sent)
    instruments = [sub for sub, rx in _instruments(ctx.lang) if rx is not None and rx.search(stext)]
    return type_features(c.cls, c.token, sent, kinds, instruments, feature_set)


def _learned_type(c: _Cand, sent: Span, ctx: ArticleContext) -> str | None:
    """The trained type model's choice among the violent types, when it is sure enough."""
    typer = load_classes(ctx.lang, "typer") if ctx.learned and ctx.collector is None else None
    if typer is None or c.cls in ("abduction", "sexual", "chemical", "weapons"):
        return None
    t, p = typer.choose(_type_features(c, sent, ctx, typer.feature_set))
    c.type_prob = p
    return t if p >= typer.threshold else None


def _sub_for_type(etype: str, c: _Cand, stext: str, ctx: ArticleContext) -> str:
    """The sub-event type when the type model moved a candidate to another violent type: the
    weapon the sentence names for remote violence, else the type's general sub-type."""
    if etype == "Explosions/Remote violence":
        return _named_instrument(stext, ctx) or _instrument_sub(stext, ctx)
    return "Armed clash" if etype == "Battles" else "Attack"


def _place_choice(sent: Span, index: int, kept: list[_Cand], ruled: list, sent_claims: list[Claim],
                  actors: list[ActorMention], ctx: ArticleContext) -> list | None:
    """The trained placer's choice among the sentence's places (those the old rules keep is one of
    its features), in text order; None when there is no model (the rules' choice stands)."""
    model = load_model(ctx.lang, "placer")
    if ctx.collector is None and (not ctx.learned or model is None):
        return None
    ruled_ids = {(p.start, p.end) for p in ruled}
    here = [p for p in ctx.places if sent.start_char <= p.start < sent.end_char]
    pool = [p for p in here if p.role in ("site", "descriptor")]
    anchors = [c.start for c in kept]
    actor_spans = [(a.start, a.end) for a in actors]
    claim_spans = [(c.start, c.end) for c in sent_claims]
    chosen = []
    prior = [e.location for e in ctx.events if e.location is not None and e.location.geo_precision < 4]
    for rank, p in enumerate(pool):
        feats = place_features(p, sent, anchors, ctx.article.clean, ctx.main_country, actor_spans, claim_spans,
                               len(pool), rank, index, prior)
        feats["rule-kept" if (p.start, p.end) in ruled_ids else "rule-dropped"] = 1.0
        if ctx.collector is not None:
            pl = p.place
            ctx.collector.setdefault("places", []).append({
                "article_id": ctx.article.article_id, "start": p.start, "end": p.end, "text": p.text,
                "name": pl.name if pl else None, "lat": pl.lat if pl else None, "lon": pl.lon if pl else None,
                "country": pl.country if pl else None, "precision": p.precision,
                "sent": (sent.start_char, sent.end_char), "features": feats})
        else:
            ctx.place_scores[(p.start, p.end)] = score = model.score(feats)
            if score >= model.threshold:
                chosen.append(p)
    if ctx.collector is not None:
        return None
    chosen = without_datelines_outside(chosen, sent.start_char, sent.end_char, ctx)
    # « a déclaré à Damas que … à Homs », "speaking in Bamako": where it was said is not where it happened
    chosen = [p for p in chosen if not _reporting_venue(p, sent, ctx.lexicon)]
    # « Kalehe (entre Goma et Bukavu) »: the parenthesis situates the place before it
    chosen = [p for p in chosen if not in_parenthesis_after(p, pool, ctx.article.clean)] or chosen
    gap = grammar(ctx.lang, "placing").int("ENUMERATION_GAP")
    if len(chosen) > 1 and gap is not None:
        # one act, one place: the placer's best and the places listed with it
        best = max(chosen, key=lambda p: ctx.place_scores[(p.start, p.end)])
        chosen = _enumeration_of(best, chosen, sent, gap)
    return chosen


def _without_enclosing(chosen: list, ctx: ArticleContext) -> list:
    """Of the places the placer keeps, those that only enclose or situate another kept place named
    just before them ("Nyaung Kone village in Sagaing", "Gulwade neighbourhood of Kismayo", "Rafah in
    the south of Gaza", "Kolokani, 60 kilometres north of Bamako"): the act is at the first place, and
    the second would tell it again (``ENCLOSES_CHOSEN`` of ``data/<lang>/placing.tsv``); so does a place
    whose possessive names the next ("Paktia's Sarubi district", ``HOLDS_NEXT``)."""
    G = grammar(ctx.lang, "placing")
    text = ctx.article.clean
    places = sorted(chosen, key=lambda p: p.start)
    drop = set()
    for a, b in zip(places, places[1:]):
        between = text[a.end:b.start]
        if len(between) >= 60 or not G.rx("ENCLOSES_CHOSEN").match(between):
            continue
        if a.place is not None and G.rx("UNIT_OF").match(between) \
                and G.rx("THE_BEFORE").search(text[max(0, a.start - 8):a.start]):
            continue        # "the Homs district of Khaldiyeh" (but "the Gulwade neighbourhood of Kismayo", unknown)
        if G.rx("BARE_IN").match(between) and not (b.precision > a.precision or G.rx("UNIT_AFTER").match(
                text[b.end:b.end + 30]) or (b.place is not None and b.place.feature not in SETTLEMENTS)
                or G.rx("SUBUNIT_BEFORE").search(text[max(0, a.start - 30):a.start])):
            continue        # "in Khartoum, in Omdurman": a list of towns, unless the second is the larger (or the
            #                 first a part of a town: « le quartier de Dasht-e-Barchi à Kaboul », "the village of X in Y")
        drop.add((b.start, b.end))
    for a, b in zip(places, places[1:]):
        # "Paktia's Sarubi district", "Jammu and Kashmir's Shopian district": the first holds the second
        if G.rx("HOLDS_NEXT").match(text[a.end:b.start]) and (b.start, b.end) not in drop:
            drop.add((a.start, a.end))
    return [p for p in chosen if (p.start, p.end) not in drop]


def _enumeration_of(best, places: list, sent: Span, gap: int) -> list:
    """The places listed with ``best`` (« à Khartoum, à Omdurman, à Nyala »): those reached from it through
    places with at most ``gap`` tokens between, punctuation counted, none a verb. (« …, à Omdurman, ainsi que
    dans les villes de Nyala » is seven tokens: a longer list stops there. Counting words only, measured at stop
    47: French corpus `dev` 0.659 -> 0.644, `fr_heldout` 0.574 -> 0.570, `fr_blind` 0.641 -> 0.638, the dev set
    0.727 -> 0.756; not kept.)"""
    doc = sent.doc
    places = sorted(places, key=lambda p: p.start)
    i = places.index(best)

    def listed(a, b) -> bool:
        between = [t for t in doc[_token_at(doc, a.end).i:_token_at(doc, b.start).i] if t.idx >= a.end]
        return len(between) <= gap and not any(t.pos_ in ("VERB", "AUX") for t in between)
    lo = hi = i
    while lo > 0 and listed(places[lo - 1], places[lo]):
        lo -= 1
    while hi + 1 < len(places) and listed(places[hi], places[hi + 1]):
        hi += 1
    return places[lo:hi + 1]


# « la plus meurtrière depuis le début de l'invasion, le 24 février »: the day a comparison starts from


def _events_of_sentence(sent: Span, kept: list[_Cand], ctx: ArticleContext, sent_claims: list[Claim],
                        prev_claims: list[Claim], prev_dates: list[DateExpr], index: int = 0) -> None:
    G = grammar(ctx.lang, "events")
    art = ctx.article
    actors = [a for a in ctx.actors if sent.start_char <= a.start < sent.end_char]
    ruled = _sentence_places(sent, ctx, sent_claims)
    chosen = _place_choice(sent, index, kept, ruled, sent_claims, actors, ctx)
    places = locators = _distinct_places(ruled if chosen is None else chosen)
    if chosen is not None and len(places) > 1:
        # (a place the gazetteer lacks is still put where the place enclosing it lies)
        places = _without_enclosing(places, ctx)
    if places and all(p.precision >= 4 for p in places):
        # only countries: never split on them, and « près de la ville » points back to the
        # place just reported rather than to a country crossed on the way
        places = [] if G.rx("ANAPHORIC_PLACE").search(span_text(sent)) and ctx.events else places[:1]
    resolved = _resolve_types(kept, sent, ctx, actors)
    own_day = next((d for d in ctx.dates if sent.start_char <= d.start < sent.end_char
                    and not _report_date(d, sent) and d.time_precision == 1
                    and not _starts_a_period(d, sent, ctx)), None)
    recent = _recent_event(sent, ctx, sent_claims)
    if resolved and all(a.cls == "kill" for _, _, a in resolved) and _sums_events(sent, ctx, places):
        return       # « Au total, le ministère fait état de 49 morts »: the sum over the events told
    if resolved and all(_refers_back(a, sent_claims, own_day) for _, _, a in resolved) and len(places) <= 1 \
            and recent is not None and (own_day is None or own_day.date == recent.date) \
            and all(_same_kind(etype, sub, recent) for etype, sub, a in resolved if a.cls != "kill"):
        if not _own_site(places, recent, ctx):
            _update_toll(sent, ctx, sent_claims)     # "Un bilan précédent faisait état de 3 morts."
            return
        if not sent_claims and not prev_claims:
            # one of the series the recent event sums up: told by its sources, unless it names its own
            prev_claims = [c for c in recent.claims if c.rule != "sitrep.attribution.outlet"]
    if not resolved and any(c.cls == "kill" for c in kept):
        # « La télévision d'État a déclaré qu'au cours de l'opération à Mayadin, les forces ont éliminé
        # de nombreux terroristes »: no event of its own, another source for the one just told
        _update_toll(sent, ctx, sent_claims)
        return
    for etype, sub, anchor in resolved:
        # the day nearest this type's own triggers: « a mené dimanche des frappes, après que des
        # affrontements ont fait 25 morts samedi » dates the strikes Sunday, the clashes Saturday
        own = [c.start for c in kept if c.event_type == etype] or [anchor.start]
        date, date_rule = _date_for(sent, own, ctx, prev_dates)
        if _is_history(date, ctx):
            continue
        hedge = hedge_markers(sent, _governing_verb(anchor.token))
        actor1, actor2, first = _actors_for(anchor, etype, actors, ctx)
        if sub == "Government regains territory" and first is not None and first.kind == "nonstate":
            sub = "Non-state actor overtakes territory"
        if sub == "Arrests" and anchor.explicit_agent and first is not None and first.kind == "nonstate" \
                and anchor.token.lemma_.lower() in G.words("SEIZE_VERBS"):
            # « les combattants de l'EI ont capturé des dizaines de villageois », « des bandits ont capturé les
            # enfants »: an armed group that seizes people abducts them (SEIZE_VERBS; "the Houthis arrested …", the
            # authority of the land, still arrests)
            etype, sub = "Violence against civilians", "Abduction/forced disappearance"
        if sub in _NONSTATE_TYPICAL and not anchor.explicit_agent and (first is None or first.kind != "nonstate"):
            # a bomb, a massacre, a kidnapping with no named perpetrator: the armed group the article
            # names, not the police or army that report it or suffer it
            victim = actor1 if first is not None and first.kind in ("state", "civilian") else actor2
            actor1 = ctx.jihadist or ctx.nonstate_actor or \
                f"Unidentified Armed Group ({ctx.lexicon.country_name(ctx.main_country)})"
            actor2 = victim if victim != actor1 else None
        if sub == "Arrests" and actor1 is None:
            actor1 = f"Police Forces of {ctx.lexicon.country_name(ctx.main_country)}"
        actor1, actor2 = _sides_by_type(etype, actor1, actor2, first, ctx)
        if etype == "Strategic developments":
            # one place: the one whose words hold the trigger (« … tandis que les peshmergas évacuaient
            # sans combattre leurs positions à Jalawla »), else the first
            own_seg = [p for p, s0, e0 in _segments(sent, places) if s0 <= anchor.start < e0]
            segments = _segments(sent, own_seg[:1] if own_seg and own_seg[0] is not None else places[:1])
        else:
            segments = _segments(sent, places)
            if len(segments) > 1 and len(resolved) > 1:
                # two kinds of action in one sentence: a place whose words hold only the other kind's
                # trigger is not this kind's
                mine = [c.start for c in kept if c.event_type == etype or c is anchor]
                others = [c.start for c in kept if c.cls != "kill" and c.event_type != etype and c is not anchor]
                keep = [sg for sg in segments if any(sg[1] <= x < sg[2] for x in mine)
                        or not any(sg[1] <= x < sg[2] for x in others)]
                segments = keep or segments
        day_segments = _day_segments(sent, ctx) if len(segments) == 1 else []
        if day_segments:
            segments = [(segments[0][0], s0, e0) for s0, e0, _ in day_segments]
        for k, (place, seg_start, seg_end) in enumerate(segments):
            seg_text = art.clean[seg_start:seg_end]
            if day_segments:
                date, date_rule = day_segments[k][2], "sentence-day"
            if place is None:
                loc = _fallback_location(None, [], ctx, sent)
                # "Gunmen killed 15 villagers in Zamfara state": rather than the whole country, or a place of
                # another sentence outside that province, the province the sentence names (the rules kept it;
                # the placer, which learned that provinces are seldom where an event is coded, did not)
                provs = [p for p in ruled if p.place is not None and p.place.feature == "admin1"
                         and (loc is None or p.place.country == loc.country)]
                site = next((p for p in provs if p.role == "site"), None)
                if provs and (loc is None or loc.geo_precision >= 4):
                    loc = to_location(provs[0], 3, "fallback:sentence-province")
                elif site is not None and loc.rule in ("fallback:article-place", "fallback:previous-event") \
                        and not any(_within(loc, p.place) for p in provs):
                    loc = to_location(site, 3, "fallback:sentence-province")
            elif place.place is None:
                loc = _fallback_location(place, locators, ctx)
                if loc is not None and "named" in loc.rule.split(":") and loc.geo_precision >= 3 \
                        and not loc.rule.startswith("fallback:enclosing") \
                        and grammar(ctx.lang, "placing").int("DROP_NAMED_AT_PROVINCE"):
                    # a place the sentence names and the gazetteer lacks, which only the previous event's or
                    # the article's province would stand for: no event rather than one at the wrong place
                    continue
            else:
                loc = to_location(place)
            if place is None or (place.place is not None and place.precision >= 3):
                loc = article_place(loc, sent, index, ctx)     # no town in the sentence: the article's
            best, low, high, words = casualties(seg_text, span_text(sent), ctx.lang)
            if best is not None and words and len(resolved) > 1:
                # « des frappes dimanche, après que des affrontements ont fait 25 morts samedi »: the toll
                # belongs to the kind of event whose trigger stands nearest to it
                at = art.clean.find(words.split(";")[0], seg_start, seg_end)
                if at >= 0 and min(resolved, key=lambda r: abs(r[2].start - at))[2] is not anchor:
                    best = low = high = None
                    words = None
            if len(segments) > 1 and best is not None and len(killed_numbers(span_text(sent), ctx.lang)) < len(segments) \
                    and place is segments[0][0] and seg_text.find(place.text if place else "") > 0 \
                    and not all(G.rx("BARE_NUMBER").search(art.clean[s0:e0]) for _, s0, e0 in segments[1:]):
                # (« 27 personnes à Kyiv et 10 à Kryvyï Rih »: each place its own number)
                best = low = high = None   # « trois tués à Kramatorsk et Zaporijjia »: a combined toll
                words = None
            claims = _claims_for(_scoped(sent_claims, place.start if place is not None and len(segments) > 1 else None),
                                 prev_claims, hedge if day_segments else _segment_hedge(sent, seg_start, seg_end, hedge, len(segments),
                                                                                  _governing_verb(anchor.token)), ctx)
            if date is not None:
                d, d_end, prec, drule = date.date, date.date_end, date.time_precision, f"{date_rule}:{date.rule}"
            else:
                d, d_end, prec, drule = _published_date(ctx)
            seg_sub = sub
            if etype == "Explosions/Remote violence" and len(segments) > 1:
                # « un tir de missile contre le camp d'Al Jalaa, et un attentat à la voiture piégée
                # contre un commissariat de Cheikh Othmane »: each place its own weapon
                own_words = seg_text
                for c in sent_claims:
                    if seg_start <= c.start < seg_end:
                        own_words = own_words.replace(art.clean[c.start:c.end], " ")
                own_words = G.rx("COALITION_SOURCE").sub(" ", own_words)
                seg_sub = next((s_ for s_, rx in _instruments(ctx.lang) if rx is not None and rx.search(own_words)), sub)
            ev = Event(article_id=art.article_id, event_type=etype, sub_event_type=seg_sub,
                       date=d, date_end=d_end, time_precision=prec, location=loc,
                       actor1=actor1, actor2=actor2, fatalities=best, fatalities_text=words,
                       claims=claims, evidence=TextSpan(sent.start_char, sent.end_char, span_text(sent)),
                       fatalities_low=low, fatalities_high=high,
                       trigger=art.clean[anchor.start:anchor.end], language=ctx.lang, date_rule=drule,
                       date_text=date.text if date is not None else "", trigger_class=anchor.cls,
                       optional=bool(loc is None or loc.geo_precision >= 4),
                       extractor=extractor_name(ctx.lang, ctx.learned),
                       scores=_model_scores(anchor, kept, loc, ctx))
            ctx.events.append(ev)
            ctx.focus, ctx.focus_end = ev, sent.end_char


def _model_scores(anchor: _Cand, kept: list[_Cand], loc, ctx: ArticleContext) -> dict[str, float]:
    """What the trained models said of an event's trigger, type and place (for the keep/drop model)."""
    out = {}
    det = anchor.score if anchor.score is not None else max((c.score for c in kept if c.score is not None), default=None)
    if det is not None:
        out["detector"] = det
    if anchor.type_prob is not None:
        out["type"] = anchor.type_prob
    if loc is not None and (loc.start, loc.end) in ctx.place_scores:
        out["placer"] = ctx.place_scores[(loc.start, loc.end)]
    return out


def _recent_event(sent: Span, ctx: ArticleContext, claims: list[Claim] = ()) -> Event | None:
    """The event a sentence that only adds a toll or a source is about: a recent one (within
    FOLLOWUP_SENTENCES) at the place the sentence names, else the one in focus."""
    G = grammar(ctx.lang, "events")
    if not ctx.events:
        return None
    sents = [s for s in _sentences(sent.doc) if s.start_char < sent.start_char]
    window_start = sents[-FOLLOWUP_SENTENCES].start_char if len(sents) >= FOLLOWUP_SENTENCES else 0
    recent = [e for e in ctx.events if e.evidence.end > window_start]
    places = [p for p in _sentence_places(sent, ctx, claims) if p.place is not None] or \
        [p for p in ctx.places if sent.start_char <= p.start < sent.end_char and p.role == "source"
         and p.place is not None and p.precision < 4
         and G.rx("LOCAL_OFFICE").search(span_text(sent)[max(0, p.start - sent.start_char - 60):p.start - sent.start_char])]
    # « le maire de Téra »: the town a local office speaks for (« selon Damas » is a government, not a place)
    unknown = [p.text for p in ctx.places if sent.start_char <= p.start < sent.end_char
               and p.place is None and len(p.text) > 3]
    if not places and unknown:
        # « L'attaque contre le camp d'Al Jalaa » after « … au camp d'Al Jalaa, dans le district de
        # Bouraïka »: a place the gazetteer lacks, named again, is the event told where it was first named
        best = None
        for e in ctx.events:
            for u in unknown:
                at = e.evidence.text.find(u)
                if at < 0:
                    continue
                # one sentence may tell several events: the one whose place follows the name closest
                pos = e.location.start if e.location and e.location.start >= 0 \
                    and not (e.location.rule or "").startswith("fallback") else 10**6
                gap = abs(pos - (e.evidence.start + at))
                if best is None or gap <= best[0]:
                    best = (gap, e)
        if best is not None:
            return best[1]
    if places:
        # « Le maire de Téra évoque pour sa part trois morts », paragraphs later: the event told at
        # the place the sentence names, however far back
        names = {p.place.name for p in places}
        match = [e for e in ctx.events if e.location and e.location.name in names and e.location.geo_precision < 4]
        if not match:
            # « le quartier Solomiansky » of the strike told at Kyiv, "the Kandahar attack" told at a district of
            # Kandahar: an event within NEAR_EVENT_KM of a place the sentence names
            points = [(p.place.lat, p.place.lon) for p in places if p.place.lat is not None and p.precision < 3]
            match = [e for e in ctx.events if e.location and e.location.lat is not None and e.location.geo_precision < 3
                     and any(distance_km(e.location.lat, e.location.lon, a, b) <= NEAR_EVENT_KM for a, b in points)]
        return match[-1] if match else None   # about somewhere else, or a country-wide tally
    if ctx.focus is not None and ctx.focus_end > window_start:
        return ctx.focus       # told of again lately (« L'attentat contre le commissariat … a tué 13 »)
    if not recent:
        # an article about one event: what its sources add later is about that event
        return ctx.events[0] if len(ctx.events) == 1 and not ctx.events[0].optional else None
    focus = ctx.focus if ctx.focus in recent else None
    return focus or recent[-1]


def _own_site(places: list, recent: Event, ctx: ArticleContext) -> bool:
    """Whether the sentence tells of a site of its own, not of the event ``recent`` it might take up: a
    settlement it names that ``recent``'s sentence does not (not a part of a town or an area: part_or_area),
    known to the gazetteer, put there (« à X », not « le député de X ») and further than NEAR_EVENT_KM from
    ``recent``'s place, or unknown to it (« les assaillants ont poursuivi leur tuerie à Mamove, où six
    civils ont été massacrés » after « vingt et un civils tués dans des villages du territoire de Beni »:
    one of the series, not its toll)."""
    if unnamed_site(recent):
        return False     # "an air strike hit a village close to Sana'a" then "Okash village": the place named at last
    text = ctx.article.clean
    loc = recent.location
    for p in places:
        if not p.text or p.text in recent.evidence.text or part_or_area(text, p.start, p.end, ctx.lang):
            continue
        if p.place is None:
            return True
        if p.precision <= 2 and p.place.lat is not None and loc is not None and loc.lat is not None \
                and grammar(ctx.lang, "placing").rx("LOCATIVE").search(text[max(0, p.start - 30):p.start]) \
                and p.place.name != loc.name and distance_km(p.place.lat, p.place.lon, loc.lat, loc.lon) > NEAR_EVENT_KM:
            return True
    return False


def _same_kind(etype: str, sub: str, e: Event) -> bool:
    """« la libération d'Albou Kamal » does not take up the jihadists' recapture told just before."""
    if etype != e.event_type:
        return etype in ("Battles", "Explosions/Remote violence", "Violence against civilians") and \
            e.event_type in ("Battles", "Explosions/Remote violence", "Violence against civilians") and \
            sub == "Armed clash"      # « L'attaque contre le camp » told of a missile strike
    return etype != "Battles" or sub == e.sub_event_type or "Armed clash" in (sub, e.sub_event_type)


def _refers_back(c: _Cand, claims: list[Claim], own_day: DateExpr | None = None) -> bool:
    """A toll alone, « cette frappe » (a demonstrative), « le bombardement a fait 50 morts » (a
    definite article), or a denial of « toute frappe »: the sentence speaks of an event already
    reported (when one is, at the place it names and on its day)."""
    if c.cls == "kill":
        return True
    tok = c.token
    dets = {ch.lemma_.lower() for ch in tok.children if ch.dep_ == "det"} if tok.pos_ == "NOUN" else set()
    if dets & {"ce", "cet", "cette", "ces", "tout", "toute"}:
        return True
    if "le" in dets and "Sing" in tok.morph.get("Number") and not own_day:
        return True      # « le bombardement a fait plus de 50 morts », with no day of its own
    return any(cl.denies for cl in claims)


def _update_toll(sent: Span, ctx: ArticleContext, claims: list[Claim]) -> None:
    """A toll told in a sentence of its own refines the event it is about."""
    last = _recent_event(sent, ctx, claims)
    if last is None or grammar(ctx.lang, "tolls").rx("WAR_TOTAL").search(span_text(sent)):
        return       # « La guerre a fait plus de 12 000 morts »: not this event's toll
    if _sums_events(sent, ctx, _sentence_places(sent, ctx, claims)):
        return       # « Au total, 49 morts »: the sum over the events told, none of them alone (nor its source)
    ctx.focus, ctx.focus_end = last, sent.end_char
    best, low, high, words = casualties(span_text(sent), span_text(sent), ctx.lang)
    if last.fatalities is None and best is not None:
        last.fatalities, last.fatalities_low, last.fatalities_high, last.fatalities_text = best, low, high, words
    _attach_followup_claims(sent, claims, ctx)


def _sums_events(sent: Span, ctx: ArticleContext, places: list) -> bool:
    """« Au total, … 49 morts » naming no place, after several events: a sum, no event's own toll."""
    G = grammar(ctx.lang, "events")
    return bool(G.rx("SUM").search(span_text(sent))) and len(ctx.events) > 1 and not places


# what a sentence tells of when its triggers are these: something to come or that keeps happening, not
# the event just told (its sources are not that event's)
_NEW_TOPIC = {"future", "plan", "hypothetical", "habitual"}

FOLLOWUP_SENTENCES = 4   # a claim this close after an event, naming no other place, is about it
NEAR_EVENT_KM = 25.0     # a place this near an event's is the event's (a district, a suburb, the town's own name)


def _attach_followup_claims(sent: Span, claims: list[Claim], ctx: ArticleContext, hedging: bool = True) -> None:
    """« L'information a été confirmée plus tard par le ministère » : a sentence that only adds
    a source to what was just reported. Its claims go to the event it is about."""
    G = grammar(ctx.lang, "events")
    last = _recent_event(sent, ctx, claims)
    if last is None or G.rx("CHARGE_OF_BEING").search(span_text(sent)):
        return       # « Ankara accuse les YPG d'être la branche du PKK »: who they are, not what happened
    hedge = hedge_markers(sent, None) if hedging else None
    if not hedging:
        claims = [replace(c, hedged=False, hedge_text=None) for c in claims]
    for c in claims:
        # « La coalition assure prendre toutes les précautions »: a party speaks of what it did
        own = [e for e in ctx.events if c.claimant in (e.actor1, e.actor2)] if c.role == "source" else []
        target = own[-1] if own and last.actor1 != c.claimant and last.actor2 != c.claimant else last
        same = next((k for k in target.claims if k.key() == c.key()), None)
        if same is not None:
            if (c.hedged or hedge) and not same.hedged:   # « Son porte-parole … affirme que … »: now hedged
                same.hedged, same.hedge_text = True, c.hedge_text or hedge
            continue
        c = replace(c, via=list(c.via), rule=c.rule + ":followup")
        if hedge and not c.hedged:
            c.hedged, c.hedge_text = True, hedge
        target.claims.append(c)


def _attach_back(claims: list[Claim], prev: Span, ctx: ArticleContext) -> None:
    """The claims of a sentence that says who said the one before (SAID_BEFORE) go to that sentence's events."""
    for e in ctx.events:
        if not prev.start_char <= e.evidence.start < prev.end_char:
            continue
        for c in claims:
            if any(k.key() == c.key() for k in e.claims):
                continue
            e.claims.append(replace(c, via=list(c.via), rule=c.rule + ":said-before"))


def _segment_hedge(sent: Span, start: int, end: int, hedge: str | None, n_segments: int,
                   verb: Token | None = None) -> str | None:
    """With several places in a sentence, each part carries its own hedging (« auraient été
    tués à Donetsk …, tandis que Kiev prétend que … à Avdeevka »), but a hedge word that modifies
    the event's own verb ("was reportedly shot and killed in X, … Y") hedges every part."""
    if n_segments < 2:
        return hedge
    from .attribution import _hedges, is_conditional
    if hedge and verb is not None:
        for m in _hedges(sent.doc.lang_)[0].finditer(span_text(sent)):
            at = sent.start_char + m.start()
            if any(t.idx >= at and t.idx < sent.start_char + m.end() and t.head.i == verb.i and t.i != verb.i
                   and t.dep_ == "advmod" for t in sent):
                return m.group(0)
    for t in sent:
        if start <= t.idx < end and t.pos_ in ("VERB", "AUX") and is_conditional(t):
            return t.text
    m = _hedges(sent.doc.lang_)[0].search(doc_text(sent.doc)[start:end])
    return m.group(0) if m else None


