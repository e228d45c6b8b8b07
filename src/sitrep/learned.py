"""Learned decisions of the event stage: is a trigger candidate a reported event, and which of a
sentence's places is where it happened.

Both are logistic regressions over sparse features of the parse (lemmas, dependencies, morphology,
the trigger table's class, what the old rules would have said) and the sentence's word vectors.
They are trained by ``sitrep train`` (``sitrep.training``) on the annotated corpus and ship as
JSON weights under ``data/<lang>/models/``: loading them needs neither scikit-learn nor pickle.
Feature extraction lives here, so that training and inference compute exactly the same thing.
"""
from __future__ import annotations

import functools
import json
import math
import os
from dataclasses import dataclass, field
from importlib import resources as ir
from pathlib import Path

import numpy as np
from spacy.tokens import Span, Token

from .resources import grammar

__all__ = ["LinearModel", "ClassModel", "load_model", "load_classes", "geo_model", "candidate_features", "place_features",
           "type_features", "keep_features", "site_features", "model_version", "sentence_vector", "VIOLENT",
           "TYPE_FEATURE_SETS"]

# The event types among which the type model chooses: the violent ones, whose words overlap
# (« attaque » is a clash, a bombing or an attack on civilians depending on the rest of the sentence).
VIOLENT = ("Battles", "Explosions/Remote violence", "Violence against civilians")

_QUOTES = "«»\"“”"
_CASES = {"à", "au", "aux", "dans", "de", "du", "des", "d'", "d’", "en", "sur", "contre", "près", "vers", "depuis",
          "par", "entre", "pour", "après", "avant", "lors", "selon", "chez", "autour", "non", "at", "in", "on", "near",
          "from", "of", "to", "by", "against", "into", "around", "outside", "inside"}
# the number words and tallies the features look for are the language's: data/<lang>/learned.tsv


_DOC_VECTORS: list = [None, None]     # the last parse and its tokens' vectors (one at a time: an article)


def sentence_vector(sent: Span):
    """``sent.vector`` (the mean of its tokens' static vectors), from the whole parse's vectors read in
    one lookup: the same numbers (rows added in order, as Span.vector does), without a Token and a
    vector lookup per word of every sentence the detector reads."""
    doc = sent.doc
    vectors = doc.vocab.vectors
    if vectors.size == 0 or vectors.mode != "default" or not len(sent) or doc.user_token_hooks or doc.user_span_hooks:
        return sent.vector
    last_doc, mat = _DOC_VECTORS
    if last_doc is not doc:
        rows = vectors.find(keys=doc.to_array([vectors.attr]).reshape(-1))
        mat = vectors.data[np.maximum(rows, 0)].copy()
        mat[rows < 0] = 0.0
        _DOC_VECTORS[:] = [doc, mat]
    return mat[sent.start:sent.end].sum(axis=0) / len(sent)


@dataclass(slots=True)
class LinearModel:
    """A fitted logistic regression: sparse feature names -> weights, a bias and a threshold
    chosen on the development split; ``version`` goes into every event's provenance."""
    version: str
    weights: dict[str, float]
    bias: float
    threshold: float
    dense: list[float] | None = None      # weights of the sentence vector, when it is used
    mean: list[float] | None = None       # its scaling (training mean and scale)
    scale: list[float] | None = None
    _dense_np: tuple | None = field(default=None, init=False, compare=False, repr=False)   # (dense/scale, offset), built once

    def margin(self, feats: dict[str, float]) -> float:
        """The linear score before the logistic (the ranker's utility in its softmax)."""
        return self.bias + sum(self.weights.get(k, 0.0) * v for k, v in feats.items())

    def dense_margin(self, vector) -> float:
        """The sentence vector's share of the linear score (0 without one): one dot product, the same
        for every candidate of a sentence (``score(..., dense_z=)``)."""
        if self.dense is None or vector is None or len(vector) != len(self.dense):
            return 0.0
        if self._dense_np is None:
            w = np.asarray(self.dense, dtype=np.float64) / np.asarray(self.scale, dtype=np.float64)
            self._dense_np = (w, float(np.dot(w, np.asarray(self.mean, dtype=np.float64))))
        w, offset = self._dense_np
        return float(np.dot(w, np.asarray(vector, dtype=np.float64))) - offset

    def score(self, feats: dict[str, float], vector=None, dense_z: float | None = None) -> float:
        """The probability; ``dense_z``: the sentence vector's share already computed (dense_margin)."""
        z = self.bias
        w = self.weights
        for k, v in feats.items():
            z += w.get(k, 0.0) * v
        if dense_z is not None:
            z += dense_z
        elif self.dense is not None and vector is not None and len(vector) == len(self.dense):
            # (a numpy vector as Python floats first: the same numbers, read without a numpy scalar each)
            for x, m, s, c in zip(vector.tolist() if hasattr(vector, "tolist") else vector, self.mean, self.scale,
                                  self.dense):
                z += c * (float(x) - m) / s
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def accepts(self, feats: dict[str, float], vector=None) -> bool:
        return self.score(feats, vector) >= self.threshold

    @classmethod
    def from_json(cls, data: dict) -> "LinearModel":
        return cls(version=data["version"], weights=data["weights"], bias=data["bias"],
                   threshold=data["threshold"], dense=data.get("dense"), mean=data.get("mean"),
                   scale=data.get("scale"))

    def to_json(self, **extra) -> dict:
        out = {"version": self.version, "bias": self.bias, "threshold": self.threshold,
               "weights": {k: round(v, 6) for k, v in sorted(self.weights.items()) if abs(v) > 1e-6}}
        if self.dense is not None:
            out.update(dense=[round(x, 6) for x in self.dense], mean=[round(x, 6) for x in self.mean],
                       scale=[round(x, 6) for x in self.scale])
        out.update(extra)
        return out


@dataclass(slots=True)
class ClassModel:
    """A fitted multinomial logistic regression: one weight table and bias per class."""
    version: str
    classes: list[str]
    weights: dict[str, dict[str, float]]
    bias: dict[str, float]
    threshold: float = 0.0      # the least probability at which its choice replaces the table's
    feature_set: str = "sentence"   # which type features it reads (``TYPE_FEATURE_SETS``)

    def probabilities(self, feats: dict[str, float]) -> dict[str, float]:
        z = {c: self.bias[c] + sum(self.weights[c].get(k, 0.0) * v for k, v in feats.items()) for c in self.classes}
        top = max(z.values())
        e = {c: math.exp(v - top) for c, v in z.items()}
        total = sum(e.values())
        return {c: v / total for c, v in e.items()}

    def choose(self, feats: dict[str, float]) -> tuple[str, float]:
        probs = self.probabilities(feats)
        best = max(self.classes, key=lambda c: probs[c])
        return best, probs[best]

    @classmethod
    def from_json(cls, data: dict) -> "ClassModel":
        return cls(version=data["version"], classes=data["classes"], weights=data["weights"], bias=data["bias"],
                   threshold=data.get("threshold", 0.0), feature_set=data.get("feature_set", "sentence"))

    def to_json(self, **extra) -> dict:
        out = {"version": self.version, "classes": self.classes, "threshold": self.threshold,
               "feature_set": self.feature_set, "bias": {c: round(b, 6) for c, b in self.bias.items()},
               "weights": {c: {k: round(v, 6) for k, v in sorted(w.items()) if abs(v) > 1e-6}
                           for c, w in self.weights.items()}}
        out.update(extra)
        return out


def _model_path(lang: str, name: str):
    override = os.environ.get("SITREP_MODEL_DIR")
    return Path(override) / f"{name}.json" if override else ir.files("sitrep") / "data" / lang / "models" / f"{name}.json"


@functools.cache
def geo_model(name: str) -> LinearModel | None:
    """A shipped model that reads no language: ``data/geo/<name>.json`` (the geocoder's ranker, the
    theatre model), or None when there is none."""
    res = ir.files("sitrep") / "data" / "geo" / f"{name}.json"
    if not res.is_file():
        return None
    return LinearModel.from_json(json.loads(res.read_text(encoding="utf-8")))


@functools.cache
def load_classes(lang: str, name: str) -> ClassModel | None:
    """A shipped multinomial model (``typer``), or None."""
    res = _model_path(lang, name)
    if not res.is_file():
        return None
    return ClassModel.from_json(json.loads(res.read_text(encoding="utf-8")))


@functools.cache
def load_model(lang: str, name: str) -> LinearModel | None:
    """The shipped model ``data/<lang>/models/<name>.json`` (or ``$SITREP_MODEL_DIR/<name>.json``,
    to try freshly trained weights), or None when there is none."""
    res = _model_path(lang, name)
    if not res.is_file():
        return None
    return LinearModel.from_json(json.loads(res.read_text(encoding="utf-8")))


def model_version(lang: str) -> str | None:
    """The versions of the models in use, joined (``detector@…+placer@…``), for provenance."""
    parts = [m.version for m in (load_model(lang, "detector"), load_model(lang, "placer"), load_classes(lang, "typer"),
                                 load_model(lang, "artplacer"), load_model(lang, "keeper"), geo_model("theatre"))
             if m is not None]
    return "+".join(parts) or None


def _verb_of(tok: Token) -> Token:
    t = tok
    for _ in range(4):
        if t.pos_ in ("VERB", "AUX") and t.dep_ not in ("aux", "aux:pass", "aux:tense", "cop"):
            return t
        if t.head.i == t.i:
            break
        t = t.head
    return t


def _morph(prefix: str, tok: Token, feats: dict[str, float]) -> None:
    for key in ("Tense", "Mood", "VerbForm", "Number"):
        for v in tok.morph.get(key):
            feats[f"{prefix}.{key}={v}"] = 1.0


def _bucket(n: int, edges=(0, 1, 2, 4, 8, 16, 32)) -> str:
    for e in edges:
        if n <= e:
            return str(e)
    return f">{edges[-1]}"


def candidate_features(trigger: Token, start: int, end: int, cls: str, sub: str, sent: Span,
                       reason: str | None, sent_index: int, n_places: int, n_fine_places: int,
                       n_dates: int, n_own_days: int, n_claims: int, n_cands: int, text: str) -> dict[str, float]:
    """Features of one trigger candidate in its sentence. Nothing here looks at the events already
    extracted, so the features of a candidate do not depend on earlier decisions."""
    f: dict[str, float] = {"bias.cand": 1.0}
    words = text[start:end].lower()
    f[f"cls={cls}"] = 1.0
    f[f"sub={sub}"] = 1.0
    f[f"trig={words}"] = 1.0
    f[f"lemma={trigger.lemma_.lower()}"] = 1.0
    f[f"rule={reason or 'none'}"] = 1.0
    f[f"rule&cls={reason or 'none'}&{cls}"] = 1.0
    f[f"pos={trigger.pos_}"] = 1.0
    f[f"dep={trigger.dep_}"] = 1.0
    f[f"pos&dep={trigger.pos_}&{trigger.dep_}"] = 1.0
    _morph("t", trigger, f)
    v = _verb_of(trigger)
    f[f"verb={v.lemma_.lower()}"] = 1.0
    f[f"verb.dep={v.dep_}"] = 1.0
    _morph("v", v, f)
    for a in v.children:
        if a.dep_.startswith("aux"):
            f[f"aux={a.lemma_.lower()}"] = 1.0
            _morph("aux", a, f)
        elif a.dep_ in ("mark", "advmod", "neg") and a.lower_ in grammar(sent.doc.lang_, "learned").words("CLAUSE_WORDS"):
            f[f"v.child={a.lower_}"] = 1.0
    f[f"v.head={v.head.lemma_.lower()}"] = 1.0 if v.head.i != v.i else 0.0
    f[f"trig.head={trigger.head.lemma_.lower()}"] = 1.0
    f[f"trig.head.pos={trigger.head.pos_}"] = 1.0
    for ch in trigger.children:
        if ch.dep_ in ("det", "case", "amod", "nummod"):
            f[f"t.{ch.dep_}={ch.lemma_.lower()}"] = 1.0
    if trigger.ent_type_:
        f[f"ent={trigger.ent_type_}"] = 1.0
    if trigger.is_title and trigger.i != sent.start:
        f["title-case"] = 1.0
    nxt = trigger.doc[trigger.i + 1] if trigger.i + 1 < len(trigger.doc) else None
    if nxt is not None and nxt.is_title and nxt.pos_ == "PROPN" and trigger.is_title:
        f["in-name"] = 1.0
    left = text[max(sent.start_char, start - 40):start].lower().split()[-2:]
    right = text[end:min(sent.end_char, end + 40)].lower().split()[:2]
    for i, w in enumerate(left):
        f[f"L{len(left) - i}={w}"] = 1.0
    for i, w in enumerate(right):
        f[f"R{i + 1}={w}"] = 1.0
    before = text[sent.start_char:start]
    if sum(before.count(q) for q in "«“") > sum(before.count(q) for q in "»”"):
        f["in-quote"] = 1.0
    f[f"sent.index={_bucket(sent_index)}"] = 1.0
    if sent_index == 0:
        f["headline"] = 1.0
    f[f"sent.len={_bucket(len(sent) // 5)}"] = 1.0
    f[f"places={_bucket(n_places, (0, 1, 2, 3))}"] = 1.0
    f[f"fine.places={_bucket(n_fine_places, (0, 1, 2, 3))}"] = 1.0
    f[f"dates={_bucket(n_dates, (0, 1, 2))}"] = 1.0
    f[f"days={_bucket(n_own_days, (0, 1, 2))}"] = 1.0
    f[f"claims={_bucket(n_claims, (0, 1, 2))}"] = 1.0
    f[f"cands={_bucket(n_cands, (1, 2, 3, 5))}"] = 1.0
    from .context import span_text
    stext = span_text(sent)
    if grammar(sent.doc.lang_, "learned").rx("NUMBER").search(stext):
        f["number"] = 1.0
    if grammar(sent.doc.lang_, "learned").rx("TALLY").search(stext):
        f["tally-words"] = 1.0
    if "?" in stext:
        f["question"] = 1.0
    if stext.rstrip().endswith((".", "»", '"', "”")):
        f["ends-period"] = 1.0
    else:
        f["no-period"] = 1.0
    return f


def place_features(p, sent: Span, anchors: list[int], text: str, main_country: str | None,
                   actor_spans: list[tuple[int, int]], claim_spans: list[tuple[int, int]],
                   n_places: int, rank: int, sent_index: int, prior: list | None = None) -> dict[str, float]:
    """Features of one place mention of a sentence that reports an event: how it stands to the
    event's triggers (``anchors``: their start offsets) and what kind of place it is."""
    from .context import _token_at
    from .geocode import dateline_paragraph
    f: dict[str, float] = {"bias.place": 1.0}
    tok = _token_at(sent.doc, p.start)
    f[f"role={p.role}"] = 1.0
    f[f"prec={p.precision}"] = 1.0
    f[f"qual={p.qualifier or 'none'}"] = 1.0
    if p.place is None:
        f["unresolved"] = 1.0
    else:
        # villages and districts of the village table read as towns (the placer was fitted on towns)
        f[f"feature={'city' if p.place.feature in ('village', 'district') else p.place.feature}"] = 1.0
        f["home" if p.place.country == main_country else "foreign"] = 1.0
        pop = getattr(p.place, "population", 0) or 0
        f[f"pop={_bucket(int(math.log10(pop + 1)), (0, 2, 3, 4, 5, 6))}"] = 1.0
        if getattr(p.place, "capital", False):
            f["capital"] = 1.0
    f[f"dep={tok.dep_}"] = 1.0
    f[f"head={tok.head.lemma_.lower()}"] = 1.0
    f[f"head.pos={tok.head.pos_}"] = 1.0
    for ch in tok.children:
        if ch.dep_ == "case":
            f[f"case={ch.lower_}"] = 1.0
    prev = text[max(sent.start_char, p.start - 30):p.start].lower().split()[-3:]
    for i, w in enumerate(prev):
        f[f"P{len(prev) - i}={w}"] = 1.0
    if prev:
        f[f"P1in={prev[-1] in _CASES}"] = 1.0
    nxt = text[p.end:min(sent.end_char, p.end + 20)].lower().split()[:1]
    if nxt:
        f[f"N1={nxt[0]}"] = 1.0
    before = text[sent.start_char:p.start]
    if before.count("(") > before.count(")"):
        f["in-paren"] = 1.0
    if sum(before.count(q) for q in "«“") > sum(before.count(q) for q in "»”"):
        f["in-quote"] = 1.0
    if any(s <= p.start < e for s, e in actor_spans):
        f["in-actor"] = 1.0
    if any(s <= p.start < e for s, e in claim_spans):
        f["in-claim"] = 1.0
    if anchors:
        d = min(abs(p.start - a) for a in anchors)
        f[f"dist={_bucket(d // 10, (0, 1, 2, 4, 8, 16))}"] = 1.0
        f["after-trigger" if p.start > min(anchors) else "before-trigger"] = 1.0
        # the dependency path to the nearest trigger: shared ancestor within a few steps
        trig = _token_at(sent.doc, min(anchors, key=lambda a: abs(p.start - a)))
        anc = [tok] + list(tok.ancestors)[:4]
        if trig in anc:
            f[f"under-trigger.{anc.index(trig)}"] = 1.0
        elif trig.head in anc:
            f["sibling-of-trigger"] = 1.0
    f[f"n={_bucket(n_places, (1, 2, 3, 4))}"] = 1.0
    f[f"rank={_bucket(rank, (0, 1, 2))}"] = 1.0
    f[f"rank&n={min(rank, 3)}&{min(n_places, 4)}"] = 1.0
    if sent_index == 0:
        f["headline"] = 1.0
    if prior:
        # the places of the article's earlier events (``prior``: Locations): a sentence that tells an
        # event again names its place again, or names another place on the way
        same = p.place is not None and any(
            (loc.name, loc.country) == (p.place.name, p.place.country) for loc in prior)
        if same:
            f["prior-event-place"] = 1.0
    if dateline_paragraph(text, p.start, p.end):
        f["dateline"] = 1.0      # where the report was filed from, often not where it happened
    return f


_CONTENT = ("NOUN", "VERB", "ADJ", "PROPN")
# the type features a type model may read: the sentence's words only, or those and the words of the
# trigger's own clause (its verb's subtree) — ``sitrep train`` chooses per language
TYPE_FEATURE_SETS = ("sentence", "clause")


def type_features(cls: str, trigger: Token, sent: Span, actor_kinds: list[str], instruments: list[str],
                  feature_set: str = "sentence") -> dict[str, float]:
    """Features for the event type of a violent candidate: the trigger, the sentence's content
    lemmas, the kinds of actor it names and the weapons the instrument table finds in it; with
    ``clause``, also the trigger's syntax and the content words of its own clause."""
    f: dict[str, float] = {"bias.type": 1.0, f"cls={cls}": 1.0, f"lemma={trigger.lemma_.lower()}": 1.0}
    for t in sent:
        if t.pos_ in _CONTENT and not t.is_stop and len(t.text) > 2:
            f[f"w={t.lemma_.lower()}"] = 1.0
    if feature_set == "clause":
        v = _verb_of(trigger)
        f[f"c.verb={v.lemma_.lower()}"] = 1.0
        f[f"c.dep={trigger.dep_}"] = 1.0
        f[f"c.head={trigger.head.lemma_.lower()}"] = 1.0
        for ch in trigger.children:
            if ch.pos_ in _CONTENT:
                f[f"c.child={ch.lemma_.lower()}"] = 1.0
        lo, hi = v.left_edge.i, v.right_edge.i
        for t in sent.doc[max(lo, sent.start):min(hi, sent.end - 1) + 1]:
            if t.pos_ in _CONTENT and not t.is_stop and len(t.text) > 2:
                f[f"c.w={t.lemma_.lower()}"] = 1.0
    for k in actor_kinds:
        f[f"actor={k}"] = 1.0
    for i in instruments:
        f[f"instrument={i}"] = 1.0
    if not instruments:
        f["no-instrument"] = 1.0
    return f


def keep_features(e, events: list, raw: list, text: str, main_country: str | None) -> dict[str, float]:
    """Features of one finished event for the keep/drop model: how it was placed and dated, how
    sure the detector was, how often and where the article tells it. ``events`` are the article's
    finished events, ``raw`` the events before the article's repeats were merged."""
    loc = e.location
    f: dict[str, float] = {"bias-keep": 1.0}
    rule = (loc.rule if loc is not None else "none") or "named"
    f["geo=" + ":".join(rule.split(":")[:2])] = 1.0
    f[f"prec={loc.geo_precision if loc is not None else 'none'}"] = 1.0
    f[f"geo={rule.split(':')[0]}|prec={loc.geo_precision if loc is not None else 'none'}"] = 1.0
    f["type=" + e.event_type] = 1.0
    f["sub=" + e.sub_event_type] = 1.0
    f["cls=" + (e.trigger_class or "none")] = 1.0
    f["date=" + (e.date_rule or "none").split(":")[0].split("@")[0]] = 1.0
    f[f"tprec={e.time_precision}"] = 1.0
    for name in ("detector", "type", "placer"):
        v = e.scores.get(name)
        if v is None:
            f[name + "=none"] = 1.0
        else:
            f[name] = v
            f[f"{name}={min(4, int(v * 5))}"] = 1.0
    if e.fatalities is not None:
        f["toll"] = 1.0
    f["claims=" + _bucket(len(e.claims), (0, 1, 2))] = 1.0
    if any(c.hedged for c in e.claims):
        f["hedged"] = 1.0
    f["actor1" if e.actor1 else "no-actor1"] = 1.0
    if e.actor2:
        f["actor2"] = 1.0
    pos = e.evidence.start / max(1, len(text))
    f[f"position={min(4, int(pos * 5))}"] = 1.0
    if e.evidence.start < 400:
        f["lead"] = 1.0
    f["events=" + _bucket(len(events), (1, 2, 3, 5, 8))] = 1.0
    same_sent = sum(1 for o in events if o.evidence.start == e.evidence.start)
    f["same-sentence=" + _bucket(same_sent, (1, 2, 3))] = 1.0
    name = loc.name if loc is not None else None
    told = sum(1 for r in raw if r.event_type == e.event_type and (r.location.name if r.location else None) == name)
    f["told=" + _bucket(told, (1, 2, 3))] = 1.0
    same_place = sum(1 for o in events if o is not e and (o.location.name if o.location else None) == name)
    f["same-place-others=" + _bucket(same_place, (0, 1, 2))] = 1.0
    if loc is not None and 0 <= loc.start and e.evidence.start <= loc.start < e.evidence.end:
        f["place-in-sentence"] = 1.0
    if loc is not None and main_country and loc.country and loc.country != main_country:
        f["outside-theatre"] = 1.0
    return f


def site_features(option: dict) -> dict[str, float]:
    """Features of one option of the article placer (``placing.article_options``): for an event whose
    sentence gives no town, either a place the article names in other sentences (``kind`` "place")
    or the rules' fallback (``kind`` "rule"). ``option`` holds what the text says of it: for a place,
    how far before or after the event's sentence it is named, in which paragraph, how often, in the
    title, lead or dateline, whether an earlier event was there, the kind of place, and how it stands
    to the rules' place; for the rule, which rule and how precise."""
    o = option
    f: dict[str, float] = {f"opt={o['kind']}": 1.0, f"n.options={_bucket(o['n_options'], (1, 2, 3, 5, 8))}": 1.0}
    rule = o["rule"]
    if o["kind"] == "rule":
        f[f"rule={rule}"] = 1.0
        f[f"rule={rule}&prec={o['rule_prec']}"] = 1.0
        if o.get("anaphoric"):
            f["rule&anaphoric"] = 1.0
        if o.get("unnamed"):
            f[f"rule&unnamed&prec={o['rule_prec']}"] = 1.0
        if o.get("event_distance") is not None:
            f[f"rule.event.dist={_bucket(o['event_distance'], (0, 1, 2, 3, 5, 8))}"] = 1.0
        f[f"rule&sent.index={_bucket(o['sent_index'], (0, 1, 2, 4, 8))}"] = 1.0
        return f
    before, after = o["before"], o["after"]
    f[f"before={_bucket(before, (1, 2, 3, 5, 8, 16)) if before is not None else 'none'}"] = 1.0
    f[f"after={_bucket(after, (1, 2, 3, 5, 8, 16)) if after is not None else 'none'}"] = 1.0
    if before is not None and after is not None:
        f["both-sides"] = 1.0
    f[f"recency={min(o['recency'], 3) if o['recency'] is not None else 'after'}"] = 1.0
    if o["same_paragraph"]:
        f["same-paragraph"] = 1.0
    for k in ("title", "lead", "dateline", "event_place", "last_event_place", "same_as_rule", "inside_rule",
              "home", "capital", "anaphoric_near"):
        if o.get(k):
            f[k] = 1.0
    if o.get("inside_rule"):
        f[f"inside-rule={rule}"] = 1.0
    if o.get("same_as_rule"):
        f[f"same-as-rule={rule}"] = 1.0
    f[f"mentions={_bucket(o['mentions'], (1, 2, 3, 5))}"] = 1.0
    f[f"place-rank={_bucket(o['mention_rank'], (0, 1, 2, 4))}"] = 1.0
    f[f"feature={o['feature']}"] = 1.0
    f[f"prec={o['prec']}"] = 1.0
    f[f"pop={_bucket(int(math.log10(o['population'] + 1)), (0, 2, 3, 4, 5, 6))}"] = 1.0
    f[f"with-rule={rule}"] = 1.0
    if o.get("unnamed"):
        # « a village in Shwebo Township » … « the village, Tint Tei »: a settlement named elsewhere
        f[f"unnamed&feature={o['feature']}"] = 1.0
        f[f"unnamed&after={_bucket(after, (1, 2, 3, 5)) if after is not None else 'none'}"] = 1.0
        if o.get("inside_rule"):
            f["unnamed&inside-rule"] = 1.0
    return f
