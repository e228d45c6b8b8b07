#!/usr/bin/env python3
"""Held-out figures for the learned event stage by K-fold cross-validation over articles.

usage: .venv/bin/python scripts/crossval.py [--lang fr|en] [--folds 4] [--heldout corpus/<lang>] [--train ../shared/corpus/train]

The articles of ``--heldout`` (the project's own annotated articles, which no rule was written
for) are cut into K folds by a hash of their id. For each fold, the detector and the placer are
fitted on ``--train`` plus the other folds (same features, regularisation and thresholds as the
shipped models), then the fold is extracted end to end and scored with the dev-set scorer — the
rule-only extractor on the same articles beside it. Every article is scored once, by a model that
never saw it. ``--heldout ../shared/corpus/train`` cross-validates over the shared train split itself
(it is then left out of ``--train``).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SITREP_SHARED", ROOT.parent / "shared"))


def fold_of(article_id: str, k: int) -> int:
    return int(hashlib.sha1(article_id.encode()).hexdigest(), 16) % k


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--folds", type=int, default=4)
    ap.add_argument("--lang", default="fr")
    ap.add_argument("--heldout", type=Path)
    ap.add_argument("--train", type=Path, action="append")
    ap.add_argument("--models", type=Path,
                    help="the shipped models, whose regularisation and thresholds are reused")
    ap.add_argument("--without", action="append", default=[], choices=["placer", "typer"],
                    help="leave a model out (its rules decide): an ablation")
    args = ap.parse_args()
    args.heldout = args.heldout or ROOT / "corpus" / args.lang
    args.models = args.models or ROOT / "src/sitrep/data" / args.lang / "models"
    from sitrep import learned
    from sitrep.gazetteer import Gazetteer
    from sitrep.pipeline import Extractor
    from sitrep.training import _fit, _fit_classes, _type_examples, collect, evaluate, load_corpus

    shipped = {n: json.loads((args.models / f"{n}.json").read_text()) for n in ("detector", "placer", "typer")}
    report = json.loads((args.models / "training.json").read_text())
    gz = Gazetteer()
    ex = Extractor(args.lang, gazetteer=gz, learned=False)
    train = [t for t in (args.train or [SHARED / "corpus" / "train"]) if t.resolve() != args.heldout.resolve()]
    base_sets = load_corpus(train, args.lang) if train else []
    held_sets = load_corpus([args.heldout], args.lang)
    base = collect(ex, base_sets)
    held = collect(ex, held_sets)
    totals = {"rules": [0, 0, 0], "learned": [0, 0, 0]}
    for k in range(args.folds):
        trc = base["candidates"] + [x for x in held["candidates"] if fold_of(x[0]["article_id"], args.folds) != k]
        trp = base["places"] + [x for x in held["places"] if fold_of(x[0]["article_id"], args.folds) != k]
        det = _fit(trc, report["detector"]["C"], 13, report["detector"]["sentence_vector"])
        pla = _fit(trp, report["placer"]["C"], 13, False)
        det.threshold, pla.threshold = shipped["detector"]["threshold"], shipped["placer"]["threshold"]
        det.version, pla.version = f"cv{k}", f"cv{k}"
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            (tmp / "detector.json").write_text(json.dumps(det.to_json()))
            if "placer" not in args.without:
                (tmp / "placer.json").write_text(json.dumps(pla.to_json()))
            trt = base["types"] + [x for x in held["types"] if fold_of(x[0]["article_id"], args.folds) != k]
            fs = report["typer"].get("feature_set", "sentence")
            typ = _fit_classes(_type_examples(trt, fs), report["typer"]["C"], 13)
            typ.threshold, typ.version, typ.feature_set = shipped["typer"]["threshold"], f"cv{k}", fs
            if "typer" not in args.without:
                (tmp / "typer.json").write_text(json.dumps(typ.to_json()))
            os.environ["SITREP_MODEL_DIR"] = str(tmp)
            learned.load_model.cache_clear()
            learned.load_classes.cache_clear()
            for label, flag in (("rules", False), ("learned", True)):
                ex.learned = flag
                for s in held_sets:
                    arts = [a for a in s.articles if fold_of(a.article_id, args.folds) == k]
                    if not arts:
                        continue
                    keep = {a.article_id for a in arts}
                    gold = tmp / f"gold-{label}-{s.folder.name}"
                    gold.mkdir()
                    for aid in keep:
                        (gold / f"{aid}.json").write_text(json.dumps(s.gold[aid], ensure_ascii=False))
                    r = evaluate(ex, arts, gold, SHARED, tmp, args.lang)
                    t = totals[label]
                    t[0], t[1], t[2] = t[0] + r["tp"], t[1] + r["fp"], t[2] + r["fn"]
            os.environ.pop("SITREP_MODEL_DIR")
            learned.load_model.cache_clear()
            learned.load_classes.cache_clear()
        print(f"fold {k}: " + "  ".join(f"{lab} tp/fp/fn {t}" for lab, t in totals.items()), file=sys.stderr, flush=True)
    n = sum(len(s.articles) for s in held_sets)
    for label, (tp, fp, fn) in totals.items():
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        print(f"{label:8s} {n} held-out articles ({args.folds}-fold): F1 {2 * p * r / (p + r) if p + r else 0:.3f} "
              f"P {p:.3f} R {r:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
