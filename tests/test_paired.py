"""scripts/paired.py: the paired bootstrap that says whether a difference between two runs is real."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

from paired import compare, f1, table  # noqa: E402


def _run(rows: dict[str, dict[str, tuple[int, int, int]]]) -> dict:
    return {"sets": {s: {a: dict(zip(("tp", "fp", "fn"), c)) for a, c in arts.items()} for s, arts in rows.items()}}


def test_the_same_run_differs_by_nothing():
    a = _run({"dev": {f"a{i}": (i % 3, i % 2, 1) for i in range(30)}})
    [r] = compare(a, a, 500, 1)
    assert r["diff"] == 0 and r["interval90"] == [0, 0] and r["b_better"] == 0


def test_a_run_better_on_every_article_is_better_in_every_resample():
    a = _run({"dev": {f"a{i}": (1, 1, 1) for i in range(20)}, "held": {f"h{i}": (2, 1, 1) for i in range(20)}})
    b = _run({"dev": {f"a{i}": (2, 0, 0) for i in range(20)}, "held": {f"h{i}": (3, 0, 0) for i in range(20)}})
    out = {r["set"]: r for r in compare(a, b, 500, 1)}
    assert set(out) == {"dev", "held", "pooled"} and out["pooled"]["articles"] == 40
    assert out["dev"]["f1_a"] == 0.5 and out["dev"]["f1_b"] == 1.0
    assert all(r["b_better"] == 1.0 and r["interval90"][0] > 0 for r in out.values())


def test_one_article_s_difference_is_not_a_finding():
    """Among 40 articles, one event more found in one article: the interval holds zero."""
    base = {f"a{i}": (2, 1, 1) for i in range(40)}
    a, b = _run({"dev": base}), _run({"dev": {**base, "a0": (3, 1, 0)}})
    [r] = compare(a, b, 1000, 1)
    assert r["diff"] > 0 and r["interval90"][0] <= 0 <= r["interval90"][1]
    assert f1([{"tp": 0, "fp": 3, "fn": 2}]) == 0.0


def test_table_puts_runs_side_by_side_and_keeps_training_sets_out_of_the_held_out_pool():
    a = _run({"corpus-dev": {"d": (1, 1, 0)}, "own-train": {"t": (0, 2, 2)}})
    b = _run({"corpus-dev": {"d": (2, 0, 0)}, "own-train": {"t": (0, 2, 2)}})
    rows = table({"base": a, "variant": b})
    assert [r["run"] for r in rows] == ["base", "variant"]
    assert rows[0]["sets"] == {"corpus-dev": 0.667, "own-train": 0.0}
    assert rows[1]["sets"]["corpus-dev"] == 1.0
    assert rows[0]["held_out"] == 0.6667 and rows[1]["held_out"] == 1.0     # own-train left out
    assert rows[0]["pooled"] == round(2 / 7, 4) and rows[1]["pooled"] == 0.5
