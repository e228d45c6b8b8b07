"""English articles (issue 12): the English tables and patterns of src/sitrep/data/en/ read by the
same code as French, on the real English spaCy model; mixed batches; a French and an English
report of one incident merging into one."""
import datetime as dt

import pytest

from sitrep.actors import Lexicon
from sitrep.attribution import AttributionState, hedge_markers, sentence_claims
from sitrep.dates import find_dates
from sitrep.events import extractor_name
from sitrep.incidents import merge
from sitrep.ingest import read_inputs
from sitrep.model import Article
from sitrep.numbers import find_quantities
from sitrep.store import Store
from sitrep.tolls import casualties

from conftest import EXAMPLES


@pytest.fixture(scope="module")
def en_nlp(extractor):
    return extractor.pipeline("en")


@pytest.fixture(scope="module")
def en_lex():
    return Lexicon("en")


def _claims(nlp, lex, text, country="SY"):
    state = AttributionState(outlet="Test Wire", default_country=country)
    out = []
    for sent in nlp(text).sents:
        out += sentence_claims(sent, lex, state)
    return out


# -- dates relative to publication ---------------------------------------------------------------
@pytest.mark.parametrize("words, day, end, precision", [
    ("on Tuesday", "2024-03-12", None, 1),                  # published Thursday 14 March 2024
    ("yesterday morning", "2024-03-13", None, 1),
    ("late last week", "2024-03-08", "2024-03-10", 2),
    ("last week", "2024-03-04", "2024-03-10", 2),
    ("three days ago", "2024-03-11", None, 1),
    ("on March 5", "2024-03-05", None, 1),
    ("on 5 March", "2024-03-05", None, 1),
    ("on Tuesday, March 12, 2024", "2024-03-12", None, 1),
    ("in the past 24 hours", "2024-03-13", None, 1),
    ("from 3 to 5 March", "2024-03-03", "2024-03-05", 2),
    ("since Feb. 3", "2024-02-03", "2024-03-14", 2),
    ("earlier this month", "2024-03-01", "2024-03-14", 3),
    ("in late February", "2024-02-21", "2024-02-29", 2),
    ("overnight Tuesday", "2024-03-12", None, 1),             # that weekday's night, not publication's
    ("overnight on Monday", "2024-03-11", None, 1),
    ("overnight", "2024-03-13", None, 1),                      # the night before, dated by its evening
])
def test_english_dates_resolve_against_publication(words, day, end, precision):
    [d] = find_dates(f"Fighting broke out {words} in the area.", "2024-03-14", lang="en")
    assert (d.date, d.date_end, d.time_precision) == (day, end, precision), d
    assert d.rule.startswith("en.")


def test_english_dates_never_after_publication_and_next_is_no_event_day():
    assert find_dates("Talks will resume next Monday.", "2024-03-14", lang="en") == []
    assert find_dates("The ceasefire may hold.", "2024-03-14", lang="en") == []   # "may" the verb
    for d in find_dates("On December 30 the army said fighting in May killed 12.", "2024-03-14", lang="en"):
        assert dt.date.fromisoformat(d.date) <= dt.date(2024, 3, 14)


def test_overnight_is_the_night_before_the_report_dated_by_its_evening():
    # sitrep dates a night by its evening (« la nuit du 11 au 12 » is the 11th, as 23 of the 34 golds of a night with both days do); of those told
    # "overnight" alone, 14 of 18 carry the day before publication
    [d] = find_dates("Drones struck Odesa overnight, officials said.", "2024-03-02", lang="en")
    assert d.date == "2024-03-01"
    [d] = find_dates("Drones struck Odesa tonight, officials said.", "2024-03-02", lang="en")
    assert d.date == "2024-03-02"
    # a month's name after it is no date unless a day goes with it ("overnight may have", "overnight Sept. 17")
    for text in ("Strikes overnight may have killed two.", "Clashes overnight separated the towns.",
                 "Russia launched overnight 40 drones at Odesa."):
        assert [d.date for d in find_dates(text, "2024-03-14", lang="en")] == ["2024-03-13"], text
    assert [d.date for d in find_dates("Missiles hit Kharkiv overnight on Sept. 17.", "2023-09-20", lang="en")] == ["2023-09-17"]
    # "overnight into Sunday": the night ending on Sunday, dated by its Saturday evening
    [d] = find_dates("Drones struck Odesa overnight into Sunday.", "2024-03-14", lang="en")
    assert (d.date, d.date_end) == ("2024-03-09", "2024-03-10")


# -- numbers and tolls ---------------------------------------------------------------------------
@pytest.mark.parametrize("words, value, low, high", [
    ("at least 23", 23, 23, None),
    ("a dozen", 12, 10, 14),
    ("twenty-three", 23, 23, 23),
    ("one hundred and twenty", 120, 120, 120),
    ("more than 1,200", 1200, 1201, None),
    ("between 10 and 15", 10, 10, 15),
    ("nearly 100", 100, 90, 110),
])
def test_english_quantities(words, value, low, high):
    [q] = find_quantities(f"{words} people", "en")
    assert (q.value, q.low, q.high) == (value, low, high)


def test_english_tolls_keep_the_killed_and_leave_the_wounded():
    t = "The blast killed 12 people, including three children, and wounded 40 others."
    assert casualties(t, t, "en")[:3] == (12, 12, 12)
    t = "Scores of civilians were killed in the shelling."
    assert casualties(t, t, "en")[3] == "Scores of civilians"
    t = "No casualties were reported after the drone fell."
    assert casualties(t, t, "en")[:3] == (0, 0, 0)
    t = "At least 40 people were wounded."
    assert casualties(t, t, "en") == (None, None, None, None)



@pytest.mark.parametrize("text,best", [
    # the person noun after any adjectives a reporter puts before it (names, "-ist", "-ed" words)
    ("The Cameroon military killed three separatist fighters on Wednesday.", 3),
    ("Jihadists attacked the post, killing at least 10 Burkinabe gendarmes.", 10),
    ("A Taliban attack in the province killed 32 Afghan border force personnel.", 32),
    ("Insurgents attacked checkpoints and killed 11 police.", 11),
    ("Troops killed some 15 \"terrorists\" near the border.", 15),
    # one victim told with the article or with "one of"
    ("Unknown men killed a gendarme officer at a control post on Thursday.", 1),
    ("A patient was killed by a stray bullet inside the hospital.", 1),
    ("The army said one of its soldiers was killed on Tuesday.", 1),
    # a number alone after the verb of killing, or before "died"
    ("Jets struck a car in Khan Yunis, killing one and wounding another.", 1),
    ("Gunmen killed 12 on Monday and wounded 30.", 12),
    ("Two police vehicles were hit and 3 died.", 3),
    ("Police said three policemen were martyred and two more injured.", 3),
    # part of the toll before is no more dead
    ("Seven people, three of them children, were killed overnight.", 7),
    ("An Israeli drone attack killed at least nine people, two journalists among them.", 9),
    # a victim added to the one just counted, and "N others" beside a named one
    ("Gunmen attacked the mine near Ouahigouya, killing a soldier and a civilian.", 2),
    ("The strike hit a motorcycle, killing a commander and another militant with him.", 2),
    ("A police commander and two other people were killed in a roadside bombing.", 3),
    ("A local official and three others were killed when the bomb went off.", 4),
    ("Gunmen killed a soldier and a police officer was wounded.", 1),
    ("Gunmen killed two soldiers and wounded a civilian.", 2),
    # (review: victims named after another verb, or who act, are no more dead)
    ("The blast killed two soldiers and wounded a civilian and a child.", 2),
    ("Gunmen killed five civilians and injured a soldier and another civilian.", 5),
    ("Five people were killed and a soldier and two civilians were wounded.", 5),
    ("The attack killed five civilians and a soldier confirmed it.", 5),
    ("A farmer lost his cattle and three herders were killed.", 3),
    ("A police officer arrived and two others were shot dead.", 2),
    # (second review: a source after a comma, a relative clause, a shared "were killed" keep the pair)
    ("Gunmen killed a soldier and a civilian, said a police spokesman.", 2),
    ("Gunmen killed a soldier and a civilian who was passing by.", 2),
    ("A soldier and a civilian were killed.", 2),
    ("Two soldiers and a civilian were killed.", 3),
    ("Gunmen killed a soldier and a civilian was hurt.", 1),
])
def test_english_toll_phrasings(text, best):
    assert casualties(text, text, "en")[0] == best


@pytest.mark.parametrize("text", [
    "Three Israeli strikes killed soldiers in the town.",        # a nationality before a weapon is no count
    "A police officer said the convoy was attacked on Monday.",   # "a" with no death
    "A soldier was wounded in the clash.",
])
def test_english_toll_non_counts(text):
    assert casualties(text, text, "en")[0] is None

# -- claims, relays and hedging ------------------------------------------------------------------
def test_relay_chain_statement_carried_by_an_agency(en_nlp, en_lex):
    claims = _claims(en_nlp, en_lex, "The army said in a statement carried by state news agency SANA that "
                                     "12 militants were killed near Palmyra.")
    source = [c for c in claims if c.role == "source"]
    assert [(c.claimant, c.via, c.hedged) for c in source] == [("Military Forces of Syria", ["SANA"], False)]
    assert any(c.role == "relay" and c.claimant == "SANA" for c in claims)


def test_told_an_agency_and_according_to(en_nlp, en_lex):
    claims = _claims(en_nlp, en_lex, "A local official told AFP that gunmen killed 23 villagers.", "NG")
    assert [(c.claimant, c.via) for c in claims if c.role == "source"] == [("Local officials (unnamed)", ["AFP"])]
    claims = _claims(en_nlp, en_lex, "At least 23 people were killed, according to the Syrian Observatory "
                                     "for Human Rights.")
    assert [c.claimant for c in claims] == ["Syrian Observatory for Human Rights"]
    assert not any(c.hedged for c in claims)        # attribution alone is not hedging


def test_same_normalised_claimant_in_french_and_english(extractor, en_nlp, en_lex):
    fr = _claims(extractor.nlp, Lexicon("fr"), "Douze soldats ont été tués, a annoncé le ministère russe de la Défense.")
    en = _claims(en_nlp, en_lex, "Twelve soldiers were killed, the Russian defence ministry said.")
    assert [c.claimant for c in fr] == [c.claimant for c in en] == ["Ministry of Defence of Russia"]



def test_who_the_pronoun_is_not_the_world_health_organization(en_lex):
    """The acronym is matched in capitals only: "Alhaji Lawal Isa, who chairs the council" names no WHO."""
    assert en_lex.claimant("Alhaji Lawal Isa, who chairs Kaura-Namoda Local Government Area", "NG") != "World Health Organization"
    assert en_lex.claimant("the WHO", None) == en_lex.claimant("the World Health Organisation", None) == "World Health Organization"


@pytest.mark.parametrize("words, claimant", [
    ("Sudan's army", "Military Forces of Sudan"),            # the country's name, possessive, as its demonym
    ("Russia’s defence ministry", "Ministry of Defence of Russia"),
    ("Mali's government", "Government of Mali"),
    ("Kenya's police", "Police Forces of Kenya"),
    ("the Kenyan police", "Police Forces of Kenya"),
    ("the army", "Military Forces of Somalia"),              # no country named: the article's
])
def test_english_claimant_country_by_name_or_demonym(en_lex, words, claimant):
    assert en_lex.claimant(words, "SO") == claimant

@pytest.mark.parametrize("text, hedged", [
    ("Twelve soldiers were reportedly killed in the raid, the ministry said.", True),
    ("The rebels claimed they shot down a helicopter.", True),
    ("The group allegedly abducted 30 students.", True),
    ("The claim could not be independently verified.", True),
    ("Twelve soldiers were killed in the raid, the ministry said.", False),
    ("Al-Shabaab claimed responsibility for the attack.", False),     # names the author, doubts nothing
    # the deed through a relative word: no doubt either
    ("Eleven soldiers died when their camp came under attack, which Al-Qaeda's regional front has claimed.", False),
])
def test_hedging_is_the_wording_not_the_attribution(en_nlp, en_lex, text, hedged):
    doc = en_nlp(text)
    sent = next(iter(doc.sents))
    state = AttributionState(outlet="Test Wire", default_country="SO")
    claims = sentence_claims(sent, en_lex, state)
    assert (hedge_markers(sent, None) is not None or any(c.hedged for c in claims)) is hedged


def test_a_wire_dateline_is_not_a_speaker(en_nlp, en_lex):
    claims = _claims(en_nlp, en_lex, "MOGADISHU, Dec 30 (Reuters) - Somali police said a truck bomb killed "
                                     "at least 79 people.", "SO")
    assert [c.claimant for c in claims] == ["Police Forces of Somalia"]


# -- the pipeline: mixed batches, provenance, one incident across languages ----------------------
def test_mixed_batch_reads_each_language_with_its_own_pipeline(extractor):
    arts = [Article(article_id="fr1", text="Des frappes aériennes ont tué 12 civils lundi à Idleb, selon l'OSDH.",
                    published="2019-05-14", language="fr"),
            Article(article_id="en1", text="Air strikes killed 12 civilians in Idlib on Monday, the Syrian "
                                           "Observatory for Human Rights said.", published="2019-05-14", language="en"),
            Article(article_id="es1", text="Ataques aéreos mataron a 12 civiles en Idlib.", language="es")]
    res = {r.article.article_id: r for r in extractor.run(arts)}
    assert "language 'es' not supported" in res["es1"].skipped
    assert extractor.pipeline("en") is extractor.pipeline("en")        # loaded once
    for aid in ("fr1", "en1"):
        [e] = [e for e in res[aid].events if e.event_type == "Explosions/Remote violence"]
        assert (e.sub_event_type, e.location.name, e.date, e.fatalities) == ("Air/drone strike", "Idlib", "2019-05-13", 12)
        assert e.claims[0].claimant == "Syrian Observatory for Human Rights"
    en = res["en1"].events[0]
    assert en.language == "en" and en.extractor.startswith("sitrep.events.en.learned:detector-en-")


def test_french_and_english_reports_of_one_incident_merge(extractor, tmp_path):
    arts = list(read_inputs([EXAMPLES / "05_attentat_mogadiscio.txt", EXAMPLES / "12_truck_bomb_mogadishu.txt"]))
    store = Store(tmp_path / "e.db")
    for res in extractor.run(arts):
        store.save(res.article, res.events, extractor_name(res.article.language))
    merge(store)
    bombs = [e for e in store.events() if e["sub_event_type"] == "Remote explosive/landmine/IED"
             and e["date"] == "2019-12-28"]
    assert {e["article_id"] for e in bombs} == {"05_attentat_mogadiscio", "12_truck_bomb_mogadishu"}
    assert len({e["incident_id"] for e in bombs}) == 1


def _places(gazetteer, text: str, country: str, lang: str, person: str | None = None) -> list[tuple[str, str, str]]:
    """The resolved place mentions of ``text``; ``person``: a name the tagger read as a person."""
    from sitrep.geocode import GeoContext, find_places
    at = text.find(person) if person else -1
    ctx = GeoContext(country, {country}, lang=lang, per_spans=[(at, at + len(person))] if person else [])
    return [(m.text, m.place.feature, m.place.country) for m in find_places(text, gazetteer, ctx) if m.place]


def test_a_village_the_text_names_as_one_is_a_place_in_english(gazetteer):
    # Dioura (Mali) is in the village table only: it needs the text to say a place is named; a place noun
    # after the name ("X village", "X, a village of …") says so, even where the tagger reads a person
    said = [("Dioura", "village", "ML")]
    assert _places(gazetteer, "Gunmen raided Dioura village on Sunday and killed four soldiers.", "ML", "en") == said
    assert _places(gazetteer, "Gunmen raided Dioura village on Sunday.", "ML", "en", person="Dioura") == said
    assert _places(gazetteer, "Gunmen raided Dioura, a village of the Mopti region, on Sunday.", "ML", "en",
                   person="Dioura")[:1] == said
    # nothing says it there: the village stays out (the gate of villages is unchanged)
    assert _places(gazetteer, "Gunmen raided Dioura on Sunday and killed four soldiers.", "ML", "en") == []
    # the English words do not reach French articles
    assert _places(gazetteer, "Des hommes armés ont attaqué Dioura village dimanche.", "ML", "fr") == []



def test_a_possessive_inside_a_name_run_ends_one_place_and_starts_the_next(gazetteer):
    # "Kharkiv Oblast's Kupiansk district": the province that encloses, then the town (one run of
    # capitals read whole was an unknown place "Kharkiv Oblast's Kupiansk")
    got = _places(gazetteer, "A Russian drone hit a car in Kharkiv Oblast's Kupiansk district, killing two.", "UA", "en")
    assert [t for t, *_ in got] == ["Kharkiv Oblast", "Kupiansk"]


def test_a_dateline_under_a_headline_is_read_as_one():
    from sitrep.geocode import dateline_paragraph
    text = "Taliban attack on police HQ leaves 12 dead\n\nKandahar: The Taliban attacked a police headquarters in Kandahar."
    first, second = text.find("Kandahar"), text.rfind("Kandahar")
    assert dateline_paragraph(text, first, first + 8)
    assert not dateline_paragraph(text, second, second + 8)
    text = "Addis Ababa — At least 68 people were killed by a drone strike in Ofu Bekke village."
    assert dateline_paragraph(text, 0, 11) and not dateline_paragraph(text, text.find("Ofu"), text.find(" village"))


def _events_of(extractor, text: str, aid: str = "t1"):
    art = Article(article_id=aid, text=text, published="2024-03-06", language="en")
    return list(extractor.run([art]))[0].events


def test_a_trigger_word_inside_a_group_name_is_no_trigger(extractor):
    """'Liberation' in 'the National Liberation Front' names the group, no territory taken."""
    evs = _events_of(extractor, "Fighters of the National Liberation Front attacked an army post near Kidal on Monday, "
                                "killing three soldiers, the army said.")
    assert [e.trigger for e in evs] == ["attacked"]


def test_a_place_that_encloses_the_place_before_it_makes_no_event(extractor):
    """'Kafr Nabl village in Idlib': one strike, at the village, not again at the province's town."""
    evs = _events_of(extractor, "On Monday a drone strike hit Kafr Nabl village in Idlib, killing four people, the Syrian "
                                "Observatory for Human Rights said.")
    assert [e.location.name for e in evs] == ["Kafranbel"]


def test_a_hedge_on_the_verb_hedges_every_place_of_the_sentence(extractor):
    evs = _events_of(extractor, "Two people were reportedly shot dead in Gao, and another in Menaka, on Tuesday, "
                                "local sources said.")
    assert {e.location.name: all(c.hedged for c in e.claims) for e in evs} == {"Gao": True, "Menaka": True}


def test_burning_with_no_crowd_is_property_destruction(extractor):
    evs = _events_of(extractor, "Soldiers burned down a school in Dioura, Mali, on Monday, residents said.")
    assert [e.sub_event_type for e in evs] == ["Looting/property destruction"]


def test_the_riot_police_are_no_riot(extractor):
    evs = _events_of(extractor, "Riot police fired tear gas at protesters in Khartoum on Sunday, witnesses said.")
    assert "Riots" not in {e.event_type for e in evs}
    assert {e.event_type for e in _events_of(extractor, "Riots broke out in Khartoum on Sunday, witnesses said.")} \
        == {"Riots"}


def test_the_wounded_of_a_demonstration_are_force_against_protesters(extractor):
    evs = _events_of(extractor, "Live bullets and tear gas canisters injured 71 protesters in Khartoum on Sunday, "
                                "doctors said.")
    assert [(e.event_type, e.sub_event_type) for e in evs] == [("Protests", "Excessive force against protesters")]


def test_an_air_attack_is_an_air_strike_and_ukmto_is_named(extractor):
    [ev] = _events_of(extractor, "Israeli air attacks killed two people in Nabatieh on Friday, state media said.")
    assert (ev.event_type, ev.sub_event_type) == ("Explosions/Remote violence", "Air/drone strike")
    [ev] = _events_of(extractor, "A projectile attack hit a vessel off Hodeidah on Tuesday, the UKMTO said.")
    assert ev.sub_event_type == "Shelling/artillery/missile attack"
    assert [c.claimant for c in ev.claims] == ["United Kingdom Maritime Trade Operations"]


def test_a_hedge_inside_a_clause_about_a_noun_does_not_hedge_the_event(extractor):
    def hedged(text):
        evs = _events_of(extractor, text)
        return {c.claimant: c.hedged for e in evs for c in e.claims if "Police" in c.claimant}
    assert set(hedged("On Friday, two farmers were killed in Macomia, Mozambique, by insurgents, who are believed to "
                      "draw their support from local youths, police said.").values()) == {False}
    assert set(hedged("On Friday, two farmers were reportedly killed in Macomia, Mozambique, by insurgents, police "
                      "said.").values()) == {True}


def test_a_province_the_placer_passes_over_is_still_better_than_the_country(extractor):
    """The only place of the sentence is a province the placer does not keep (provinces are seldom where an
    event is coded): the event is there, at precision 3, not in the whole country."""
    [ev] = _events_of(extractor, "Gunmen killed 15 villagers in Zamfara state on Saturday, police said.")
    assert (ev.location.name, ev.location.geo_precision) == ("Zamfara", 3)


def test_the_sentence_province_beats_a_place_of_another_sentence(extractor):
    """The placer keeps neither Balkh province (the sentence's) nor anything else: the event is in Balkh, not in
    Kandahar, the article's other province, told of another day's attack."""
    evs = _events_of(extractor, "Kabul, Feb 17 (IANS) Taliban fighters overran a security checkpoint in Balkh "
                                "province, killing at least eight policemen, an official said on Sunday.\n\n"
                                "On Friday, a Taliban attack in Kandahar province killed 32 Afghan border force "
                                "personnel.")
    first = [e for e in evs if "overran" in e.evidence.text]
    assert first and {e.location.name for e in first} == {"Balkh"}


def test_an_upper_case_place_and_day_before_the_first_word_is_a_dateline(extractor):
    """"SANAA, Sept 21 An air strike", "ERBIL (Kurdistan 24) – Gunmen": where the story was filed (a source), not a
    place of the event."""
    for text, name in [("SANAA, Sept 21 An air strike by the Saudi-led coalition struck a house in western Yemen on "
                        "Wednesday, killing at least 6 civilians, residents said.", "SANAA"),
                       ("ERBIL (Kurdistan 24) – Gunmen killed a village head in Diyala province overnight Sunday.",
                        "ERBIL")]:
        art = Article(article_id="t1", text=text, published="2024-03-06", language="en")
        extractor.prepare(art)
        ctx = extractor.context(art, extractor.pipeline("en")(art.clean))
        assert [p.role for p in ctx.places if p.text == name] == ["source"]
    # a place before a colon after other words opens no dateline
    art = Article(article_id="t2", text="Gunmen attacked Gao: at least 20 civilians were killed on Monday, officials said.",
                  published="2024-03-06", language="en")
    extractor.prepare(art)
    ctx = extractor.context(art, extractor.pipeline("en")(art.clean))
    assert [p.role for p in ctx.places if p.text == "Gao"] == ["site"]


def test_english_protests_get_the_sub_type_their_words_give(extractor):
    """French parity: force used on a protest, lethal force, and demonstrators who storm or burn (a riot); "riot
    police" is no riot."""
    def subs(text):
        return [(e.event_type, e.sub_event_type) for e in _events_of(extractor, text)]
    assert subs("Police fired tear gas at protesters in Khartoum on Sunday, witnesses said.") == \
        [("Protests", "Protest with intervention")]
    assert subs("In Najaf, protesters stormed the Iranian consulate late on Wednesday, burning the building, "
                "witnesses said.") == [("Riots", "Violent demonstration")]
    assert subs("In Nairobi, Kenya, the protest against the finance bill turned violent on Tuesday, witnesses "
                "said.") == [("Riots", "Violent demonstration")]
    assert ("Riots", "Violent demonstration") not in subs(
        "On Sunday, hundreds protested peacefully in Nairobi, Kenya, against the finance bill; police said the rally "
        "had not turned violent.")
    assert subs("Riot police fired tear gas at protesters in Khartoum on Sunday, witnesses said.") == \
        [("Protests", "Protest with intervention")]
    # the storming is the security forces', not the crowd's; a non-violent protest is no riot
    assert ("Riots", "Violent demonstration") not in subs(
        "Security forces stormed the sit-in in Khartoum on Monday, dispersing the protesters, witnesses said.")
    assert ("Riots", "Violent demonstration") not in subs(
        "Hundreds of students held non-violent protests in Khartoum on Monday, witnesses said.")


def test_english_protest_rows_read_who_did_what(en_lex):
    """The new rows themselves: lethal force on protesters (not by them), a crowd's own violence."""
    from sitrep.resources import grammar
    G = grammar("en", "events")
    assert G.rx("PROTEST_LETHAL").search("security forces shot dead at least 25 protesters")
    assert not G.rx("PROTEST_LETHAL").search("Two policemen were killed by protesters")
    assert not G.rx("PROTEST_LETHAL").search("Skilled demonstrators led the march")
    assert G.rx("PROTEST_VIOLENT").search("angry residents pelted his convoy with stones")
    assert not G.rx("PROTEST_VIOLENT").search("Protesters burned an effigy of the president")


def test_the_us_initials_are_the_american_adjective(extractor, en_lex):
    assert en_lex.claimant("the US military", "YE") == en_lex.claimant("the American military", "YE") \
        == "Military Forces of United States"
    assert en_lex.claimant("U.S. officials", "IQ") == "Government of United States"
    assert [a.name for a in en_lex.find_actors("US troops killed two militants", "SO")][:1] == \
        ["Military Forces of United States"]
    assert en_lex.claimant("the Pentagon", "IQ") == "Department of Defense of the United States"


def test_english_outlet_no_table_knows_is_named_by_its_title(en_nlp, en_lex):
    """"the newspaper Hawlati", "the Kurdish outlet Rudaw"-style titles: a lone capitalised name after
    a word saying it is a newspaper, outlet or channel is the source, not a lost claim."""
    cs = _claims(en_nlp, en_lex, "Two soldiers died in the attack, according to the newspaper Hawlati.", "IQ")
    assert [c.claimant for c in cs if c.role == "source"] == ["Hawlati"]


def test_english_review_cases_of_the_new_source_rules(en_nlp, en_lex):
    """A weekday or a town after a media word is no title; "the same source" is the source named
    before, not "The Ministry of Water Resources" (a whole word, not a substring); Fars the province is
    no agency."""
    cs = _claims(en_nlp, en_lex, "Two soldiers died, according to the agency on Tuesday.", "NG")
    assert "Tuesday" not in {c.claimant for c in cs}
    cs = _claims(en_nlp, en_lex, "A security source said two were killed. The Ministry of Water Resources said the dam "
                                 "was hit. The UN said aid was blocked. The same source said a third man died.", "NG")
    assert cs[-1].claimant == cs[0].claimant
    assert en_lex.claimant("The governor of Fars", "IR") != "Fars News Agency"
    assert en_lex.claimant("the Fars provincial governor", "IR") != "Fars News Agency"


def test_english_newspaper_named_after_a_capital_and_leading_articles(en_nlp, en_lex):
    """"The Washington Post reported" is the newspaper, not the US government ("Washington said" still is);
    a source no table knows loses its leading article ("The SNA confirmed" -> SNA)."""
    cs = _claims(en_nlp, en_lex, "The Washington Post reported that two soldiers died in the attack.", "SO")
    assert [c.claimant for c in cs] == ["The Washington Post"]
    cs = _claims(en_nlp, en_lex, "Washington said two soldiers died in the attack.", "SO")
    assert [c.claimant for c in cs] == ["Government of the United States"]
    cs = _claims(en_nlp, en_lex, "The SNA confirmed that five soldiers were killed near Beledweyne.", "SO")
    assert [c.claimant for c in cs] == ["SNA"]


def test_english_the_reported_clause_is_not_the_speaker(en_nlp, en_lex):
    """"X, a member of the Herat Provincial Council, said 12 soldiers were killed": the speaker is X (his
    council), not "12 soldiers were killed" read as an inverted speaker (the soldiers made a claim of the
    Afghan army)."""
    cs = _claims(en_nlp, en_lex, "Mohammad Sardar Bahaduri, a member of the Herat Provincial Council, said 12 soldiers "
                                 "were killed.", "AF")
    assert [c.claimant for c in cs] == ["Herat Provincial Council"]


def test_an_english_function_word_opening_a_sentence_is_no_town(gazetteer):
    # "Many residents fled": not Many, Louisiana, even in a report that names the United States
    # (English stop words of four letters or more start no name; "At Tall", "Am Timan" still do)
    from sitrep.geocode import GeoContext, find_places
    ctx = GeoContext("MM", {"MM", "US"}, lang="en")
    text = "Many residents fled Sagaing on Monday. Several homes burned, and whoever stayed hid."
    assert [m.text for m in find_places(text, gazetteer, ctx) if m.place] == ["Sagaing"]
    sy = GeoContext("SY", {"SY"}, lang="en")
    assert [m.place.name for m in find_places("Shelling hit At Tall on Monday.", gazetteer, sy) if m.place] == ["At Tall"]
    # as a first word they still open a name: Even Yehuda
    il = GeoContext("IL", {"IL"}, lang="en")
    assert [m.place.name for m in find_places("Rockets hit Even Yehuda on Monday.", gazetteer, il) if m.place] == ["Even Yehuda"]


def test_a_speaker_named_with_a_phrase_after_the_events_place(en_nlp, en_lex):
    # "…, the Syrian Observatory for Human Rights said": the parser hangs the name on the place before it, and the
    # speaker is the whole name, not "Human Rights"
    for text, want in (("Ten civilians were killed on Wednesday in Russian air strikes on the city of Idlib in northwest "
                        "Syria, the Syrian Observatory for Human Rights said.", "Syrian Observatory for Human Rights"),
                       ("Three civilians died in the shelling of Kupiansk, the head of the Kharkiv regional "
                        "administration said.", "Kharkiv Regional Administration")):
        got = [c.claimant for c in _claims(en_nlp, en_lex, text) if c.role == "source"]
        assert got == [want], got


def test_a_place_inside_the_source_words_is_not_the_events(extractor):
    # "the Gaza health ministry said": the claim spans its words from "the", so Gaza is the source's, not a second place
    from sitrep.ingest import article_from_text
    art = article_from_text("An Israeli air strike on a house in Rafah killed at least 12 people overnight, including five "
                            "children, the Gaza health ministry said on Wednesday.", "t", published="2024-03-14")
    res = next(iter(extractor.run([art])))
    assert [e.location.name for e in res.events] == ["Rafah"]
    claim = next(c for c in res.events[0].claims if c.role == "source")
    assert res.article.clean[claim.start:claim.end].startswith("the Gaza health ministry")


def test_the_mayor_speaks_for_the_city_not_the_government(en_lex):
    # "the mayor of Kyiv", "Kyiv Mayor Vitali Klitschko", "Kyiv's mayor": the city's council, before the capital's row
    for words in ("the mayor of Kyiv", "Kyiv Mayor Vitali Klitschko", "Kyiv's mayor"):
        assert en_lex.claimant(words, "UA") == "Kyiv City Council (mayor)", words
    assert en_lex.claimant("Kyiv", "UA") == "Government of Ukraine"
    assert en_lex.claimant("The mayor said", "UA") is None


def test_who_gives_the_toll_and_civil_society_are_sources(en_nlp, en_lex):
    def sources(text):
        return [c.claimant for c in _claims(en_nlp, en_lex, text, country="CD") if c.role == "source"]
    assert sources("The toll was given by the security services.") == [
        "Security services of Democratic Republic of the Congo (unnamed source)"]
    assert sources("The army provided a toll of twelve dead.") == ["Military Forces of Democratic Republic of the Congo"]
    assert sources("The army provided food to the displaced.") == []
    assert sources("Twelve civilians were killed, local civil society said.") == ["Local civil society"]
    assert sources("Twelve civilians were killed, according to the civil society of Beni.") == ["Civil society of Beni"]
    assert sources("Twelve civilians were killed, Beni civil society said.") == ["Civil society of Beni"]


def test_the_regional_administration_is_the_provinces(extractor):
    # "the regional administration said", in a report that names the province: that province's administration
    [ev] = _events_of(extractor, "Russian shelling of Kherson Oblast's Beryslav district killed two people on Monday, "
                                 "the regional administration said.")
    assert [c.claimant for c in ev.claims if c.role == "source"] == ["Kherson Regional Administration"], ev.claims


def test_the_source_cited_and_who_runs_an_outlet(extractor):
    # "SANA said, citing a military source": the military source speaks, SANA relays it (as « citant » in French)
    [ev] = _events_of(extractor, "Syrian government forces recaptured the town of Mayadin from Islamic State fighters on "
                                 "Saturday, state news agency SANA said, citing a military source.")
    assert {(c.claimant, c.role) for c in ev.claims} >= {("Military Forces of Syria (unnamed source)", "source"),
                                                         ("SANA", "relay")}, ev.claims
    # who runs an outlet or an office is not the source: "the Houthi-run Al-Masirah TV", "the Hamas-run health ministry"
    lex = Lexicon("en")
    assert lex.claimant("the Hamas-run health ministry", "PS") == "Ministry of Health of Palestine"
    assert lex.claimant("Syrian state-run television", "SY") == "Syrian state television"     # state-run stays
    assert lex.claimant("the RSF-controlled ministry", "SD") == "Rapid Support Forces"       # nothing else named
    assert lex.claimant("Russia's security services", "UA") == "Security services of Russia (unnamed source)"
    assert lex.claimant("North Kivu civil society", "CD") == "Civil society of North Kivu"
    assert lex.claimant("Sudanese civil society groups", "SD") == "Local civil society"
    # a document cited is no source: the ministry stays the source
    [ev] = _events_of(extractor, "An Israeli strike killed ten people in Rafah on Monday, the health ministry said, "
                                 "citing hospital records.")
    assert [c.claimant for c in ev.claims if c.role == "source"] == ["Ministry of Health of Palestine"], ev.claims
    [ev] = _events_of(extractor, "A Saudi-led coalition air strike killed eight civilians in Sanaa on Monday, the "
                                 "Houthi-run Al-Masirah TV reported.")
    assert [c.claimant for c in ev.claims if c.role == "source"] == ["Al-Masirah TV"], ev.claims


def test_the_statement_said_is_the_army_that_issued_it(extractor):
    evs = _events_of(extractor, "Nigerian troops killed 12 militants near Bama on Sunday, the army said in a statement. "
                                "Five more insurgents were killed near Gwoza on Monday, the statement said.")
    assert len(evs) == 2 and all([c.claimant for c in e.claims if c.role == "source"] == ["Military Forces of Nigeria"]
                                 for e in evs), [(e.location.name, e.claims) for e in evs]


def test_a_closing_reports_the_tagger_read_as_a_noun_still_reports(en_nlp, en_lex):
    """'…, Garowe Online reports.': the tagger reads "reports" as a plural noun with a subject; after a comma it is the
    incise's verb (attribution._verb_read_as_noun). 'The police said the reports were false' stays one claim."""
    cs = _claims(en_nlp, en_lex, "At least two soldiers died on Saturday when their vehicle hit a roadside bomb in "
                                 "western Mogadishu, Garowe Online reports.", country="SO")
    assert [c.claimant for c in cs] == ["Garowe Online"]
    cs = _claims(en_nlp, en_lex, "The police said the reports of a massacre in Mogadishu were false.", country="SO")
    assert [c.claimant for c in cs] == ["Police Forces of Somalia"]


def test_seizing_people_is_an_abduction_not_a_town_taken(extractor):
    """'Gunmen seized more than 280 pupils from a school in Zaria': people seized are abducted (the territory row
    read 'seized' first); 'rebels seized the town of X' stays territory."""
    evs = _events_of(extractor, "Gunmen on motorcycles seized more than 280 pupils from a school in Zaria, in northwest "
                                "Nigeria's Kaduna state, on Thursday morning, teachers and residents said.")
    assert [e.sub_event_type for e in evs] == ["Abduction/forced disappearance"]
    evs = _events_of(extractor, "On Thursday rebels seized the town of Rutshuru, in North Kivu province, after "
                                "government troops pulled out, a spokesman said.")
    assert "Abduction/forced disappearance" not in [e.sub_event_type for e in evs]


def test_english_homes_torched_in_a_killing_are_the_killing(extractor):
    """"killed three villagers … and torched their homes": one act (codebook: one action from several angles)."""
    evs = _events_of(extractor, "On Monday night, Boko Haram fighters killed three villagers in Kolofata, "
                                "Cameroon, and torched their homes, a local official said.")
    assert "Looting/property destruction" not in [e.sub_event_type for e in evs] and evs, evs
