"""Run the dev-set scorer (../shared/devset/score, standard library only) in-process."""
from __future__ import annotations

import importlib.machinery
import importlib.util
import json
from pathlib import Path

from conftest import need_devset


def load_scorer():
    path = need_devset() / "score"
    loader = importlib.machinery.SourceFileLoader("sitrep_devset_score", str(path))
    spec = importlib.util.spec_from_loader("sitrep_devset_score", loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


def score(gold_dir: Path, events: list[dict], tmp_path: Path, **kw) -> dict:
    pred = tmp_path / "pred.jsonl"
    pred.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events), encoding="utf-8")
    return load_scorer().score(str(gold_dir), str(pred), kw.get("only"), kw.get("lang"))
