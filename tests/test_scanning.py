"""The scanning aids of sitrep.resources find exactly what the plain regexes find: the gated
patterns the same matches and groups, the word filter never a pattern that matches, the rows run
one by one the spans of their alternation. Over every packaged table the event, actor, agency and
date stages scan with, the articles of the test corpus, and generated text."""
from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings, strategies as st

from sitrep.actors import _ANY_WORD, Lexicon
from sitrep.context import _trigger_rows
from sitrep.dates import calendar_of
from sitrep.resources import alternation_spans, lowered, may_match, read_table, scanner

from conftest import ROOT

LANGS = ("fr", "en")


def _texts() -> list[str]:
    texts = []
    for path in sorted((ROOT / "tests" / "corpus").rglob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.append(json.loads(line)["text"])
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").glob("*.txt"))]
    # the characters on which str.lower and the regex engine part ways, and capitals
    texts += [t.upper() for t in texts[:20]] + [t.replace("i", "ı").replace("s", "ſ") for t in texts[:20]]
    return texts


TEXTS = _texts()


def _table_patterns(lang: str) -> list[str]:
    lex = Lexicon(lang)
    alt_m = "(?:" + "|".join(sorted(calendar_of(lang).months, key=len, reverse=True)) + ")"
    alt_w = "(?:" + "|".join(sorted(calendar_of(lang).weekdays, key=len, reverse=True)) + ")"
    return ([r[1] for r in _trigger_rows(lang, True)]
            + [lex._with_demonyms(r[0]) for r in read_table(f"{lang}/actors.tsv")]
            + [lex._with_demonyms(r[0]) for r in read_table(f"{lang}/claimants.tsv")]
            + [r[1].replace("{M}", alt_m).replace("{W}", alt_w) for r in read_table(f"{lang}/dates.tsv")])


def _found(rx: re.Pattern[str], text: str) -> list:
    return [(m.span(), m.groups(), m.groupdict()) for m in rx.finditer(text)]


@pytest.mark.parametrize("lang", LANGS)
def test_scanner_finds_what_the_plain_pattern_finds_in_every_table(lang):
    for pattern in _table_patterns(lang):
        plain = re.compile(pattern, re.IGNORECASE)
        rx, words = scanner(pattern)
        for text in TEXTS:
            found = _found(plain, text)
            assert _found(rx, text) == found, pattern
            if found:
                assert may_match(words, lowered(text)), (pattern, words)


@pytest.mark.parametrize("lang", LANGS)
def test_the_demonym_stand_in_matches_every_demonym(lang):
    lex = Lexicon(lang)
    assert all(re.fullmatch(_ANY_WORD, d, re.IGNORECASE) for d in lex._dem_to_iso)


@pytest.mark.parametrize("lang", LANGS)
def test_agency_rows_one_by_one_give_the_spans_of_their_alternation(lang):
    lex = Lexicon(lang)
    lex.agency_spans("")
    whole = re.compile("|".join(row.pattern for row in lex._agency_rows), re.IGNORECASE)
    for text in TEXTS:
        assert lex.agency_spans(text) == [m.span() for m in whole.finditer(text)]


def test_scanner_reads_the_start_and_the_words_of_a_pattern():
    rx, words = scanner(r"(?=combat)(?<!de )\bcombats?\b|\baffrontements?\b")
    assert rx.pattern.startswith("(?=\\b")
    assert words == ("affrontement", "combat")
    assert scanner(r"\btirs?\s+(?:de\s+)?(?:roquettes?|obus)")[1] == ("obus", "roquette")    # the longer
    assert scanner(r"(?:x)?\bfoo")[0].pattern.startswith("(?=(?i:")     # no word boundary on every way in
    for pattern in (r"a*", r".x", r"[^a]b", r"(?:\w+)?"):                  # no start to tell
        assert scanner(pattern)[0].pattern == pattern


def test_lowered_refuses_the_characters_it_cannot_fold_as_the_regex_engine_does():
    assert lowered("Des FRAPPES à Raqqa") == "des frappes à raqqa"
    for odd in ("ı", "ſ", "İ", "Σ", "µ"):
        assert lowered(f"frappe {odd}") is None
    # « ſ » is an « s » to the case-insensitive engine, not to str.lower: every row is run then
    assert re.search("s", "ſ", re.IGNORECASE) and may_match(("s",), lowered("ſ"))


def test_a_literal_matches_only_characters_that_lowercase_to_it_or_that_lowered_refuses():
    """What may_match rests on: wherever the case-insensitive engine matches a literal character of
    a table (the Latin letters, accented or not), the text lowered holds that letter lowercased —
    unless ``lowered`` refuses the text. Checked against every Unicode character."""
    from sitrep.resources import _UNSAFE, _literal_char
    every = "".join(chr(i) for i in range(0x110000) if not 0xd800 <= i < 0xe000)
    for code in range(0x20, 0x250):
        low = _literal_char(code)
        if low is None:
            continue
        for c in re.compile(re.escape(chr(code)), re.IGNORECASE).findall(every):
            assert c in _UNSAFE or c.lower() == low, (chr(code), c)


_PIECES = ["frappe", "FRAPPES", "raid", " ", "\n", "de ", "combat", "l'", "Sana", "AFP", "ministère",
           "de la Défense", "syrien", "ı", "ſ", "İ", "é", "É", ".", "-", "12", "armée"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30))
def test_generated_text(pieces):
    text = "".join(pieces)
    for pattern in (r"\bfrapp(?:e|es|é)\b|\braids?\b", r"(?<!de )\bcombats?\b",
                    r"\b(?:Sana|AFP)\b|\bminist(?:ère|re)\s+de la Défense", r"(?-i:[A-Z])\w+|\d+"):
        plain = re.compile(pattern, re.IGNORECASE)
        rx, words = scanner(pattern)
        found = _found(plain, text)
        assert _found(rx, text) == found
        assert not found or may_match(words, lowered(text))
    rows = [r"\bSana\b", r"\bSana\s+AFP\b", r"\bAFP\b", r"\w+"]
    whole = re.compile("|".join(f"(?:{r})" for r in rows), re.IGNORECASE)
    assert alternation_spans([scanner(r)[0] for r in rows], text) == [m.span() for m in whole.finditer(text)]


def test_span_text_is_the_sentence_text_and_the_parse_keeps_offsets(nlp):
    from sitrep.context import _token_at, doc_text, span_text
    text = "\n".join(TEXTS[:15])
    doc = nlp(text)
    assert doc_text(doc) == doc.text and doc.user_data["sitrep_starts"] == [t.idx for t in doc]
    for sent in doc.sents:
        assert span_text(sent) == sent.text
        assert _token_at(doc, sent.start_char).i == sent.start
