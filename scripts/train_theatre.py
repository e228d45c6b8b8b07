#!/usr/bin/env python3
"""Fit the theatre model (which country an article reports from) on the training articles.

usage: .venv/bin/python scripts/train_theatre.py [--out FILE] [--seed N] [--dry-run]

Each article of the training splits (../shared/corpus/train and the project's corpus/, French and
English) gives one row per candidate country (sitrep.theatre.signals), positive for the country
where most of its gold events lie; articles without gold events give none. A logistic regression
(scikit-learn, seeded, liblinear) is fitted; C is chosen by 4-fold cross-validation grouped by
article on the accuracy of the top-scored candidate. Reported: that accuracy, out of fold on the
training articles and on the held-out sets (../shared/corpus/dev, ../shared/devset, the project's
held-out articles in tests/corpus/fr_heldout and tests/corpus/en), against the
hand vote. Writes src/sitrep/data/geo/theatre.json.
"""
from __future__ import annotations

import argparse
import collections
import hashlib
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SITREP_SHARED", ROOT.parent / "shared"))
sys.path.insert(0, str(ROOT / "src"))

from sitrep.learned import LinearModel  # noqa: E402
from sitrep.theatre import choose  # noqa: E402
from sitrep.pipeline import Extractor  # noqa: E402

CS = (0.03, 0.1, 0.3, 1.0, 3.0)
VERSION = "theatre-1"


class Recorder(Extractor):
    """The extractor, keeping the theatre signals of each article it prepares a context for."""
    last: dict = {}

    def theatre_signals(self, article, places, mentions, first_at, lex):   # type: ignore[override]
        feats = Extractor.theatre_signals(self, article, places, mentions, first_at, lex)
        Recorder.last = feats
        return feats


def _gold_country(doc: dict) -> str | None:
    c = collections.Counter((e.get("location") or {}).get("country") for e in doc.get("events", [])
                            if not e.get("optional") and (e.get("location") or {}).get("country"))
    return c.most_common(1)[0][0] if c else None


def rows_of(ex: Recorder, articles_and_gold) -> list[dict]:
    out = []
    for art, doc in articles_and_gold:
        want = _gold_country(doc)
        if want is None:
            continue
        ex.prepare(art)
        ex.context(art, None)
        out.append({"id": art.article_id, "want": want, "feats": dict(Recorder.last)})
    return out


def load(kind: str):
    from sitrep.ingest import read_inputs
    from sitrep.model import Article
    from sitrep.training import load_corpus
    pairs = []
    if kind == "heldout":     # the project's own articles kept out of training (tests/corpus/en, fr_heldout)
        for folder in (ROOT / "tests/corpus/fr_heldout", ROOT / "tests/corpus/en", ROOT / "tests/corpus/en_heldout"):
            for a in read_inputs(sorted(folder.glob("*.jsonl"))):
                g = folder / "gold" / f"{getattr(a, 'article_id', '')}.json"
                if isinstance(a, Article) and g.exists():
                    pairs.append((a, json.loads(g.read_text(encoding="utf-8"))))
        return pairs
    if kind == "devset":
        for a in read_inputs([SHARED / "devset" / "articles"]):
            g = SHARED / "devset" / "gold" / f"{getattr(a, 'article_id', '')}.json"
            if isinstance(a, Article) and g.exists():
                pairs.append((a, json.loads(g.read_text(encoding="utf-8"))))
        return pairs
    folders = ([SHARED / "corpus" / "train"] + sorted(p for p in (ROOT / "corpus").glob("*/*") if p.is_dir())
               if kind == "train" else [SHARED / "corpus" / "dev"])
    for lang in ("fr", "en"):
        for cs in load_corpus(folders, lang):
            for a in cs.articles:
                g = cs.folder / "gold" / f"{a.article_id}.json"
                if g.exists():
                    pairs.append((a, json.loads(g.read_text(encoding="utf-8"))))
    return pairs


def fit(rows: list[dict], C: float, seed: int) -> LinearModel:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    X = [f for r in rows for f in r["feats"].values()]
    y = [int(c == r["want"]) for r in rows for c in r["feats"]]
    vec = DictVectorizer(sort=True)
    clf = LogisticRegression(C=C, solver="liblinear", random_state=seed, max_iter=2000)
    clf.fit(vec.fit_transform(X).toarray(), y)
    weights = {str(k): float(w) for k, w in zip(vec.get_feature_names_out(), clf.coef_[0])}
    return LinearModel(version=VERSION, weights=weights, bias=float(clf.intercept_[0]), threshold=0.5)


def accuracy(rows: list[dict], m: LinearModel | None) -> float:
    """Share of articles whose theatre is chosen right: by ``m``, or by the hand vote when None."""
    ok = sum(choose(r["feats"], fitted=False, scorer=m) == r["want"] for r in rows if r["feats"])
    return ok / max(1, len(rows))


def fold(aid: str, k: int = 4) -> int:
    return int(hashlib.sha1(aid.encode()).hexdigest(), 16) % k


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "src/sitrep/data/geo/theatre.json")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--dry-run", action="store_true", help="report only, write nothing")
    ap.add_argument("--errors", action="store_true",
                    help="print the training articles whose theatre is wrong out of fold (best C), and the held-out ones")
    args = ap.parse_args()
    t0 = time.time()
    # (the rows do not depend on a model already shipped: the Recorder runs learned=False, the hand vote)
    ex = Recorder("fr", langs=("fr", "en"), learned=False)
    train = rows_of(ex, load("train"))
    held = {"corpus-dev": rows_of(ex, load("dev")), "devset": rows_of(ex, load("devset")),
            "own-heldout": rows_of(ex, load("heldout"))}
    best = None
    for C in CS:
        oof = []
        for k in range(4):
            m = fit([r for r in train if fold(r["id"]) != k], C, args.seed)
            oof.append(accuracy([r for r in train if fold(r["id"]) == k], m) * sum(fold(r["id"]) == k for r in train))
        acc = sum(oof) / len(train)
        print(f"C={C}: out-of-fold accuracy {acc:.3f}", flush=True)
        if best is None or acc > best[0] + 1e-9:
            best = (acc, C)
    model = fit(train, best[1], args.seed)
    if args.errors:
        for k in range(4):
            m = fit([r for r in train if fold(r["id"]) != k], best[1], args.seed)
            for r in train:
                if fold(r["id"]) == k and r["feats"] and choose(r["feats"], scorer=m) != r["want"]:
                    print(f"out of fold: {r['id']} gold {r['want']} chosen {choose(r['feats'], scorer=m)} "
                          f"candidates {sorted(r['feats'])}", flush=True)
        for name, rows in held.items():
            for r in rows:
                if r["feats"] and choose(r["feats"], scorer=model) != r["want"]:
                    print(f"{name}: {r['id']} gold {r['want']} chosen {choose(r['feats'], scorer=model)} "
                          f"candidates {sorted(r['feats'])}", flush=True)
    digest = hashlib.sha1(json.dumps(model.to_json(), sort_keys=True).encode()).hexdigest()[:10]
    model.version = f"theatre-{digest}"
    report = {"train_articles": len(train), "C": best[1], "train_oof": round(best[0], 3),
              "train_oof_hand": round(accuracy(train, None), 3)}
    for name, rows in held.items():
        report[name] = {"articles": len(rows), "fitted": round(accuracy(rows, model), 3),
                        "hand": round(accuracy(rows, None), 3)}
    report["seconds"] = round(time.time() - t0, 1)
    print(json.dumps(report))
    if not args.dry_run:
        args.out.write_text(json.dumps(model.to_json(trained=report), indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
