"""The village-level gazetteer (Who's On First / GeoNames) and the fitted candidate ranker."""
from __future__ import annotations

import csv
import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest


from sitrep import geocode
from sitrep.gazetteer import VILLAGES, distance_km
from sitrep.geocode import context_from_text, query_names, resolve_name

ROOT = Path(__file__).resolve().parents[1]
GOLD_PLACES = ROOT / "tests" / "geo" / "gold_places.tsv"


def test_village_table_ships_small_and_credited():
    assert VILLAGES.is_file()
    assert VILLAGES.stat().st_size < 20e6
    with gzip.open(VILLAGES, "rt", encoding="utf-8") as fh:
        header = fh.readline().rstrip("\n").split("\t")
        rows = sum(1 for _ in fh)
    assert header[:3] == ["id", "name", "feature"]
    assert rows > 350_000
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "Who's On First" in readme and "GeoNames" in readme


def test_villages_are_in_the_gazetteer(gazetteer):
    # Hajin, a village of the Euphrates valley that cities500 lacks
    hajin = [p for p in gazetteer.lookup("Hajin") if p.country == "SY"]
    assert any(distance_km(p.lat, p.lon, 34.6927, 40.827) < 5 and p.feature in ("village", "city") for p in hajin)
    # a Ukrainian town under its Russian romanisation
    assert any(p.country == "UA" and distance_km(p.lat, p.lon, 48.3266, 38.0202) < 10
               for p in gazetteer.lookup("Gorlovka"))


def test_query_names_split_and_strip():
    assert query_names("village de Hamimah") == ["Hamimah"]
    assert query_names("Zamzam IDP camp") == ["Zamzam"]
    assert query_names("Kaboro community") == ["Kaboro"]
    assert query_names("Bakhmut/Artemivsk")[1:] == ["Bakhmut", "Artemivsk"]
    assert query_names("Tal Abyad (Girê Spî)")[1:] == ["Tal Abyad", "Girê Spî"]


def test_the_context_province_chooses_between_namesakes(gazetteer):
    # two villages called Busayrah, 370 km apart: the sentence's province decides
    east = context_from_text("Des frappes ont visé le village dans la province de Deir Ezzor.", gazetteer, ["SY"],
                             exclude="Busayrah")
    west = context_from_text("Le village, dans la province de Tartous, a été bombardé.", gazetteer, ["SY"],
                             exclude="Busayrah")
    a = resolve_name("Busayrah", gazetteer, east).place
    b = resolve_name("Busayrah", gazetteer, west).place
    assert a is not None and a.admin1 == "Deir ez-Zor"
    assert b is not None and b.admin1 == "Tartus"


def test_a_name_is_no_evidence_for_itself(gazetteer):
    ctx = context_from_text("Sabhah a été bombardée.", gazetteer, ["SY"], exclude="Sabhah")
    assert not ctx.anchors


def test_the_ranker_ships_and_abstains_on_weak_candidates(gazetteer):
    model = geocode.ranker()
    assert model is not None and model.version.startswith("georank-") and 0 < model.threshold < 1
    ctx = context_from_text("", gazetteer, ["SY"])
    res = resolve_name("Sabhah", gazetteer, ctx, fitted=True)   # namesakes, nothing to choose with
    assert res.place is None and res.runners_up


def test_cli_geocode_with_context():
    out = subprocess.run([sys.executable, "-m", "sitrep", "geocode", "Busayrah", "--country", "SY", "--context",
                          "Les combats ont repris près du village, dans la province de Tartous."],
                         capture_output=True, text=True, check=True).stdout
    place = json.loads(out.splitlines()[0])["place"]
    assert place["admin1"] == "Tartus"


def _rows() -> list[dict]:
    with open(GOLD_PLACES, encoding="utf-8") as fh:
        return [r for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)]


def test_gold_place_list_is_sourced():
    rows = _rows()
    names = [r for r in rows if r["kind"] == "name"]
    assert len(names) >= 900
    assert all(r["source"] and r["split"] for r in rows)
    assert {r["kind"] for r in rows} == {"name", "landmark", "description", "area", "estimate"}
    # a re-pointed row says which town it now names
    assert all(r["note"].startswith("re-pointed: names the town ") for r in rows if r["note"])


def test_gold_places_quality_gate(gazetteer):
    """Floors measured with scripts/geocode_gold_eval.py (country + sentence), a margin below."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from geocode_gold_eval import evaluate
        from gold_places import article_texts
    finally:
        sys.path.pop(0)
    rows = _rows()
    texts = article_texts()
    for fitted, articles, floors in ((False, None, (("training", 0.83, 0.07), ("held-out", 0.80, 0.07))),
                                     (True, None, (("training", 0.85, 0.035), ("held-out", 0.82, 0.035))),
                                     (True, texts, (("training", 0.88, 0.03), ("held-out", 0.84, 0.035)))):
        by = evaluate(rows, gazetteer, with_context=True, fitted=fitted, articles=articles)
        for split, right_min, wrong_max in floors:
            c = by[split]
            n = sum(c.values())
            assert c["right"] / n >= right_min, (fitted, split, dict(c))
            assert c["wrong"] / n <= wrong_max, (fitted, split, dict(c))


def test_a_district_named_after_its_seat_is_answered_with_the_seat(gazetteer):
    res = resolve_name("Ras al-Aïn", gazetteer, context_from_text("", gazetteer, ["SY"]))
    assert res.place is not None and res.place.feature in ("city", "village")
    assert distance_km(res.place.lat, res.place.lon, 36.8503, 40.0705) < 5
    # the fitted ranker puts the seat first among its eight namesakes, and the district named after
    # it (centroid 33 km off) adds its probability to the seat's: answered without any context
    fitted = resolve_name("Ras al-Aïn", gazetteer, context_from_text("", gazetteer, ["SY"]), fitted=True)
    assert fitted.place is not None and fitted.place.feature in ("city", "village")
    assert distance_km(fitted.place.lat, fitted.place.lon, 36.8503, 40.0705) < 5


def test_seat_pooling_joins_a_town_and_its_namesake_unit_only():
    from sitrep.geocode import same_place
    points = [(36.85, 40.07), (36.57, 39.92), (35.80, 36.96)]     # town, its district (33 km), a namesake village
    seats = [("SY", "rasalayn", False), ("SY", "rasalayn", True), ("SY", "rasalayn", False)]
    pooled = same_place([0.5, 0.3, 0.1], points, seats)
    assert pooled[0] == pytest.approx(0.8) and pooled[1] == pytest.approx(0.8)
    assert pooled[2] == pytest.approx(0.1)          # two settlements of one name never pool (namesakes)
    assert same_place([0.5, 0.3, 0.1], points) == [0.5, 0.3, 0.1]      # without seats: 25 km only


def test_an_unknown_neighbourhood_gets_the_sentence_town_said_so(gazetteer):
    ctx = context_from_text("A roadside bomb hit a vehicle in Gulwade, Kismayo, on Saturday.", gazetteer, ["SO"],
                            exclude="Gulwade")
    res = resolve_name("Gulwade", gazetteer, ctx, fitted=True)
    assert res.fallback == "town" and res.precision == 2 and res.place.name == "Kismayo"
    # a dateline is where the report was filed, not a town of the sentence
    ctx = context_from_text("KISMAYO, May 14 (AFP) - A roadside bomb hit a vehicle in Gulwade.", gazetteer, ["SO"],
                            exclude="Gulwade")
    assert not ctx.towns
    # nor is a town's name that stands for its unit ("Mandera County")
    ctx = context_from_text("Gunmen raided Iressuki, in Mandera County.", gazetteer, ["KE"], exclude="Iressuki")
    assert not ctx.towns


def test_query_names_town_parts_and_pairs():
    assert query_names("Alep-Est")[1:] == ["Alep"]
    assert query_names("Bamenda 2e")[1:] == ["Bamenda"]
    assert query_names("Mossoul-Ouest")[1:] == ["Mossoul"]
    assert query_names("Luvungi-Itara")[1:] == ["Luvungi", "Itara"]


def test_two_known_places_joined_name_no_point(gazetteer):
    # a road between two towns: neither of them is the place
    res = resolve_name("Abuja-Kaduna highway", gazetteer, context_from_text("", gazetteer, ["NG"]), fitted=True)
    assert res.place is None


def test_a_capital_among_village_namesakes_is_answered(gazetteer):
    # the softmax weighs the candidates against each other: a city of 1.9 million beats its
    # population-less namesakes without any context
    res = resolve_name("Sanaa", gazetteer, context_from_text("", gazetteer, ["YE"]), fitted=True)
    assert res.place is not None and res.place.feature == "city" and res.place.population > 1_000_000


def test_the_article_chooses_between_namesakes(gazetteer):
    # Zolochiv (Kharkiv) and Zolochiv (Lviv): the sentence says nothing, the article names Kharkiv's towns
    article = ("Des combats ont eu lieu à Izioum, à Koupiansk et à Tchougouïv, dans la région de Kharkiv. "
               "Zolochiv a été bombardée.")
    ctx = context_from_text("Zolochiv a été bombardée.", gazetteer, ["UA"], exclude="Zolochiv", article=article)
    assert ctx.article_anchors and not ctx.anchors
    ranked = geocode.rank(gazetteer.lookup("Zolochiv"), ctx, fitted=True, query="Zolochiv")
    assert ranked[0][1].admin1.startswith("Kharkiv")


def test_rank_ties_of_one_place_go_to_the_ranker_s_own_choice():
    """Two candidates within 25 km of each other share one summed score: the one the ranker
    prefers comes first, not the first by name."""
    from sitrep.geocode import GeoContext, rank
    from sitrep.model import Place
    assert geocode.ranker() is not None
    big = Place("Zeta", "UA", "Donetsk", 48.70, 37.97, None, "city", 50000, 1.0)
    small = Place("Alpha", "UA", "Donetsk", 48.80, 37.97, None, "village", 0, 0.6)
    ranked = rank([small, big], GeoContext("UA", {"UA"}), fitted=True, query="Zeta")
    assert ranked[0][0] == ranked[1][0] and ranked[0][1].name == "Zeta"


def test_the_fitted_ranker_weighs_the_context_places_as_candidates(gazetteer):
    """A neighbourhood the gazetteer lacks, in a sentence and an article about one town: the ranker
    chooses the town the context offers (kind "context"), answered at precision 2 and said so."""
    article = ("Des frappes ont visé Deir ez-Zor mardi. À Deir ez-Zor, les habitants du quartier de Harat al-Sinaa "
               "ont fui. L'armée tient l'aéroport de Deir ez-Zor et le pont de Deir ez-Zor, au nord de Mayadine.")
    sentence = "À Deir ez-Zor, les habitants du quartier de Harat al-Sinaa ont fui."
    assert not gazetteer.lookup("Harat al-Sinaa")
    ctx = context_from_text(sentence, gazetteer, ["SY"], exclude="Harat al-Sinaa", article=article)
    res = resolve_name("Harat al-Sinaa", gazetteer, ctx, fitted=True)
    assert res.fallback == "town" and res.precision == 2 and res.place.name == "Deir ez-Zor"
    assert res.place.feature == "city"          # the town itself, not the ranker's "context" candidate


def test_a_village_the_text_announces_needs_no_parser_tag(gazetteer):
    # « l'incursion à Manguredjipa »: a locative says a place is named; the village (North Kivu, which
    # cities500 lacks) is found though no named-entity span covers it (the parser often misses them)
    from sitrep.geocode import GeoContext, find_places
    text = "Les rebelles ont mené mardi une incursion à Manguredjipa, dans le territoire de Lubero."
    found = find_places(text, gazetteer, GeoContext("CD", {"CD"}, lang="fr"))
    village = [m.place for m in found if m.text == "Manguredjipa"]
    assert village and village[0] is not None and village[0].country == "CD"
    assert distance_km(village[0].lat, village[0].lon, 0.35, 28.76) < 25
    # without the locative it stays unread: a capitalised word alone is not a village
    bare = find_places("Manguredjipa et Lubero restent calmes.", gazetteer, GeoContext("CD", {"CD"}, lang="fr"))
    assert not any(m.text == "Manguredjipa" and m.place is not None for m in bare)


@pytest.mark.parametrize("text, published, ref, km, bearing", [
    ("Des rebelles ont attaqué lundi le village de Kimbolozi, à quelque 40 km au nord-est de Beni, "
     "tuant douze civils, a indiqué un responsable local.", "2016-02-29", (0.4911, 29.4731), 40, 45),
    ("Gunmen on Monday attacked the village of Kimbolozi, some 25 miles south of Beni, killing "
     "twelve civilians, a local official said.", "2016-02-29", (0.4911, 29.4731), 25 * 1.609, 180),
])
def test_an_unknown_village_at_a_distance_and_bearing_from_a_known_town(extractor, text, published, ref, km, bearing):
    """A village the gazetteer lacks, told N km in a direction from a town it holds, is put at that
    point (as a coder estimates it, precision 2), not at the town; a distance without a direction
    leaves it at the town."""
    from sitrep.ingest import article_from_text
    from sitrep.gazetteer import distance_km
    import math
    art = article_from_text(text, "offset", published=published, outlet="test")
    events = next(extractor.run([art])).events
    assert events, "the report is an event"
    loc = events[0].location
    assert loc.name == "Kimbolozi" and loc.geo_precision == 2 and loc.rule.endswith(":offset")
    assert distance_km(loc.lat, loc.lon, *ref) == pytest.approx(km, rel=0.03)
    north = loc.lat - ref[0]
    assert (north > 0.2) if bearing == 45 else (north < -0.2)
    assert math.isclose(loc.lon - ref[1], 0.0, abs_tol=0.01) if bearing == 180 else loc.lon > ref[1] + 0.2
    # a distance alone gives no point: the village stays at the town that locates it
    plain = article_from_text(text.replace("au nord-est ", "").replace(" south", ""), "offset2",
                              published=published, outlet="test")
    loc2 = next(extractor.run([plain])).events[0].location
    assert not loc2.rule.endswith(":offset") and distance_km(loc2.lat, loc2.lon, *ref) < 5


def test_a_reckoned_village_stays_where_the_text_puts_it(extractor):
    """The point reckoned from a town is precision 2 whatever the fallback started from, and no later
    rule moves it back to the town; a distance from a province is no point; a same-day event at the
    town with another toll stays a second event."""
    from sitrep.ingest import article_from_text
    from sitrep.gazetteer import distance_km
    beni = (0.4911, 29.4731)

    def events(text, aid):
        return next(extractor.run([article_from_text(text, aid, published="2016-02-29", outlet="test")])).events

    got = events("In North Kivu province, gunmen on Monday attacked the village of Kimbolozi, some 25 miles south "
                 "of Beni, killing twelve civilians.", "r1")
    assert got and got[0].location.name == "Kimbolozi" and got[0].location.geo_precision == 2
    assert distance_km(got[0].location.lat, got[0].location.lon, *beni) == pytest.approx(25 * 1.609, rel=0.03)
    got = events("Des rebelles ont attaqué lundi le village de Kimbolozi, à quelque 40 km au nord de la province du "
                 "Nord-Kivu, tuant douze civils, a indiqué un responsable local.", "r2")
    assert all(not e.location.rule.endswith(":offset") for e in got)
    got = events("Gunmen on Monday attacked the village of Kimbolozi, some 25 miles south of Beni, killing twelve "
                 "civilians. On Monday, gunmen also attacked the town of Beni, killing three civilians.", "r3")
    tolls = sorted((e.fatalities, e.location.name) for e in got)
    assert tolls == [(3, "Beni"), (12, "Kimbolozi")], tolls
