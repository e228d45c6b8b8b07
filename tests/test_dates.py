import datetime as dt

import pytest
from hypothesis import given, settings, strategies as st

from sitrep.dates import MONTHS, find_dates, reference_for


def one(text, published):
    found = find_dates(text, published)
    assert found, text
    d = found[0]
    assert text[d.start:d.end] == d.text
    return d.date, d.date_end, d.time_precision


def test_founding_article_expressions():
    assert one("mercredi 8 novembre, l'armée a repris", "2017-11-08") == ("2017-11-08", None, 1)
    assert one("a fait savoir ce mercredi", "2017-11-15") == ("2017-11-15", None, 1)
    assert one("La semaine dernière, les forces", "2017-11-15") == ("2017-11-06", "2017-11-12", 2)
    assert one("Au cours des dernières 24 heures, les avions", "2017-11-15") == ("2017-11-14", None, 1)
    assert one("depuis le 6 février", "2017-02-13") == ("2017-02-06", "2017-02-13", 2)
    assert one("Fin octobre, le chef", "2017-11-08") == ("2017-10-21", "2017-10-31", 2)


def test_month_only_publication_gives_month_range():
    assert one("Au cours des dernières 24 heures", "2017-10") == ("2017-10-01", "2017-10-31", 3)
    assert one("Le 6 octobre, les forces", "2017-10") == ("2017-10-06", None, 1)


def test_relative_words():
    assert one("hier soir", "2023-04-16") == ("2023-04-15", None, 1)
    assert one("la nuit dernière", "2023-04-16") == ("2023-04-15", None, 1)   # a night is dated by its evening
    assert one("samedi soir", "2023-04-16") == ("2023-04-15", None, 1)
    assert one("il y a deux jours", "2020-01-22") == ("2020-01-20", None, 1)
    assert one("dans la nuit de samedi 26 à dimanche 27 novembre", "2016-11-28")[:2] == ("2016-11-26", "2016-11-27")
    assert one("en décembre 2016", "2017-02-13") == ("2016-12-01", "2016-12-31", 3)


def test_year_inferred_backwards():
    # "le 28 décembre" in a text published on 3 January is last year's
    assert one("le 28 décembre", "2018-01-03") == ("2017-12-28", None, 1)


def test_without_publication_date_uses_text():
    found = find_dates("Le 13 octobre 2017, puis mardi", None)
    assert found[0].date == "2017-10-13"
    assert found[1].rule.endswith("@text~")


def test_not_dates():
    assert find_dates("7870 vues, Tu-22M3, jeu de console", "2017-11-15") == []


_NAMES = {v: k for k, v in MONTHS.items() if k.isascii() is False or k in ("janvier", "mars", "avril", "mai", "juin", "juillet", "septembre", "octobre", "novembre")}


@settings(deadline=None)
@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 12, 31)),
       st.integers(min_value=0, max_value=400))
def test_explicit_dates_round_trip_and_never_after_publication(day, lag):
    published = day + dt.timedelta(days=lag)
    name = {1: "janvier", 2: "février", 3: "mars", 4: "avril", 5: "mai", 6: "juin", 7: "juillet",
            8: "août", 9: "septembre", 10: "octobre", 11: "novembre", 12: "décembre"}[day.month]
    text = f"Le {day.day} {name} {day.year}, puis hier et mardi"
    found = find_dates(text, published.isoformat())
    assert found[0].date == day.isoformat()
    for d in found:
        assert d.date <= published.isoformat()
        assert (d.date_end or d.date) <= published.isoformat()


def test_a_byline_date_fixes_a_month_only_publication():
    from sitrep.dates import reference_for
    text = "Kirkouk : Bagdad reprend le contrôle de la ville\n\nOLJ/AFP | 17/10/2017\n\nLes forces ont pris lundi la ville."
    ref = reference_for("2017-10", text)
    assert (ref.day, ref.exact) == (dt.date(2017, 10, 17), True)
    # a date outside the published month is some other date, not the byline
    assert reference_for("2017-11", text).day != dt.date(2017, 10, 17)


def test_a_night_between_two_dated_days_is_its_evening():
    from sitrep.dates import find_dates
    [d] = find_dates("Dans la nuit du 11 au 12 mars, des frappes ont visé la ville.", "2024-03-14")
    assert (d.date, d.date_end, d.time_precision) == ("2024-03-11", "2024-03-12", 1)
    [d] = find_dates("dans la nuit du 31 mars au 1er avril", "2024-04-14")
    assert (d.date, d.date_end, d.time_precision) == ("2024-03-31", "2024-04-01", 1)


def test_an_english_range_without_a_month_is_not_a_date_and_does_not_fail():
    # "from 10 to 15" matched the English range pattern with no month and raised, losing the article
    found = find_dates("Casualties rose from 10 to 15 on the second day, and between 3 and 5 May.", "2024-05-10",
                       lang="en")
    assert [(d.date, d.date_end) for d in found] == [("2024-05-03", "2024-05-05")]


def test_a_day_said_within_a_month_bounds_the_event_by_the_month(extractor):
    # a page dated by its month only: « lundi » is some Monday of it, and the act came within the week
    # before that day — any day of the month, not the month's last week
    from sitrep.model import Article
    text = ("Irak: une attaque fait quatre morts près de Kirkouk\n"
            "Au moins quatre peshmergas ont été tués lors d'une attaque contre un avant-poste au nord de Kirkouk, "
            "a fait savoir, lundi, une source de sécurité.")
    [res] = list(extractor.run([Article("m1", text, published="2021-12")]))
    [ev] = [e for e in res.events if e.location and e.location.name == "Kirkuk"]
    assert ev.date <= "2021-12-01" and ev.date_end == "2021-12-31" and ev.time_precision == 3, (ev.date, ev.date_end)


def test_a_date_opening_the_sentence_is_the_main_verb_s_not_a_relative_clause_s(extractor):
    from sitrep.model import Article
    text = ("Lundi en Somalie, un attentat que les militants shebab ont revendiqué a coûté la vie à cinq soldats "
            "somaliens à Kismayo, a-t-on appris auprès d'une source sécuritaire.")
    [res] = list(extractor.run([Article("m2", text, published="2020-09-11")]))
    assert res.events and {e.date for e in res.events} == {"2020-09-07"}, [(e.date, e.date_end) for e in res.events]


def _all(text, published, lang):
    return [(d.text, d.date, d.time_precision) for d in find_dates(text, published, lang=lang)]


def test_shifts_count_from_the_day_last_told():
    # "72 hours earlier", « le lendemain », "a few hours later": from the exact day told before them,
    # not from publication (which only anchors a shift back when nothing was told before it)
    got = _all("On 9 August insurgents attacked. The insurgents struck again the following day. "
               "72 hours earlier, a bomb went off. A few hours later the road was shut. "
               "A week later, more came.", "2022-08-20", "en")
    assert got == [("9 August", "2022-08-09", 1), ("the following day", "2022-08-10", 1),
                   ("72 hours earlier", "2022-08-07", 1), ("A few hours later", "2022-08-07", 1),
                   ("A week later", "2022-08-14", 2)]
    got = _all("Le 5 août, la milice a tué 22 personnes. Le lendemain, ils ont frappé. "
               "Trois jours plus tôt, une bombe avait explosé. Le surlendemain, rien.", "2022-08-18", "fr")
    assert got == [("5 août", "2022-08-05", 1), ("Le lendemain", "2022-08-06", 1),
                   ("Trois jours plus tôt", "2022-08-03", 1), ("Le surlendemain", "2022-08-05", 1)]
    # nothing told before: back from publication; forward from nothing: no date
    assert _all("Two days earlier, a mine exploded.", "2022-08-18", "en") == [("Two days earlier", "2022-08-16", 1)]
    assert _all("The following day, nothing happened.", "2022-08-18", "en") == []
    # never after publication; « au lendemain de l'attaque », "two days after the attack": another event's day
    assert _all("Le 17 août, une attaque. Deux jours plus tard, une autre.", "2022-08-18", "fr") == [("17 août", "2022-08-17", 1)]
    assert _all("Le 5 août, au lendemain de l'attaque, rien.", "2022-08-18", "fr") == [("5 août", "2022-08-05", 1)]
    assert _all("On 5 August, two days after the attack, nothing.", "2022-08-18", "en") == [("5 August", "2022-08-05", 1)]
    # a range's last day going forward; nothing after a week; groups of digits are one number
    assert _all("On 1 August, X. From 3 to 5 August, fighting. The next day, a bomb.", "2022-08-18", "en")[-1] == \
        ("The next day", "2022-08-06", 1)
    assert [d.text for d in find_dates("Le 1er août, X. La semaine dernière, Y. Deux jours plus tard, Z.", "2022-08-18")] == \
        ["1er août", "La semaine dernière"]
    assert _all("On 5 August X. More than 1,000 days later, Y.", "2025-08-18", "en") == [("5 August", "2025-08-05", 1)]
    assert _all("Le 1er août, X. Vingt-quatre heures plus tard, Y.", "2022-08-18", "fr")[-1] == \
        ("Vingt-quatre heures plus tard", "2022-08-02", 1)


def test_a_day_of_the_month_told_before():
    """« le 9 du même mois », "the 9th of the same month": that day of the month the text told last;
    nothing when no day or month came before; never after publication."""
    fr = find_dates("Le 5 août, une attaque a visé le village. Puis, le 9 du même mois, des affrontements ont éclaté.",
                    "2022-08-17", lang="fr")
    assert [(d.text, d.date, d.time_precision) for d in fr] == [("5 août", "2022-08-05", 1),
                                                               ("9 du même mois", "2022-08-09", 1)]
    en = find_dates("Fighting began in March 2021. On the 12th of that month, rebels took the town.",
                    "2021-06-01", lang="en")
    assert [d.date for d in en][-1] == "2021-03-12"
    assert find_dates("Le 9 du même mois, des affrontements ont éclaté.", "2022-08-17", lang="fr") == []
    assert find_dates("Le 30 juin, X. Le 31 du même mois, Y.", "2022-08-17", lang="fr")[-1].text == "30 juin"
    assert [d.date for d in find_dates("Le 5 août, X. Le 29 du même mois, Y.", "2022-08-17", lang="fr")] == ["2022-08-05"]
    # of a range, the month it ends in; after a year, no day
    assert find_dates("Du 28 juillet au 3 août, des combats. Le 9 du même mois, Y.", "2022-08-17",
                      lang="fr")[-1].date == "2022-08-09"
    assert find_dates("From July 28 to August 3 fighting raged. On the 9th of that month, Y.", "2022-08-17",
                      lang="en")[-1].date == "2022-08-09"
    assert [d.text for d in find_dates("En 2019, X. Le 9 du même mois, Y.", "2022-08-17", lang="fr")] == ["En 2019"]


@pytest.mark.parametrize("text,lang,day,act", [
    # no publication date: the page's date line is it, and a weekday is read from it
    ("Mali : dix morts à Ménaka\nBamako, 14 mars 2024 — Dix civils ont été tués mardi près de Ménaka.", "fr",
     "2024-03-14", ("mardi", "2024-03-12")),
    ("KHARTOUM, March 14, 2024 (Reuters) - Ten people were killed on Tuesday in Omdurman.", "en",
     "2024-03-14", ("on Tuesday", "2024-03-12")),
    ("Des frappes ont tué cinq civils dans la nuit de samedi à dimanche à Idleb.\nPublié le 10/03/2024 à 14h05.", "fr",
     "2024-03-10", ("dans la nuit de samedi à dimanche", "2024-03-09")),
])
def test_without_a_publication_date_the_pages_date_line_is_the_reference(text, lang, day, act):
    ref = reference_for(None, text, lang)
    assert (ref.day.isoformat(), ref.exact) == (day, True), ref
    found = {text[d.start:d.end].strip(): d.date for d in find_dates(text, ref=ref, lang=lang)}
    assert found[act[0].strip()] == act[1], found


def test_a_day_without_its_year_is_read_beside_the_full_date_of_the_text():
    # « tués le 10 mars … publié le 12 mars 2024 »: 10 March 2024, two days before, not 2025
    text = "Douze soldats ont été tués le 10 mars près de Djibo, selon un communiqué de l'armée du 12 mars 2024."
    ref = reference_for(None, text, "fr")
    assert ref.day.isoformat() == "2024-03-12" and not ref.exact
    assert {d.date for d in find_dates(text, ref=ref, lang="fr")} == {"2024-03-10", "2024-03-12"}
    # a year alone only bounds it below: « En 2014 … Le 8 novembre » is 8 November 2014
    text = "En 2014, Boko Haram a pris Gwoza. Le 8 novembre, l'armée a repris la ville."
    assert reference_for(None, text, "fr").day.isoformat() == "2014-11-08"
    # a story told forward: « Le 15 mars 2024 … Le 20 septembre » is September 2024, not 2023
    text = "Le 15 mars 2024, l'armée a lancé une offensive. Le 20 septembre, des jihadistes ont tué dix civils."
    assert reference_for(None, text, "fr").day.isoformat() == "2024-09-20"


def test_a_date_line_is_the_pages_own_only_when_it_says_so():
    # a date in a headline is no publication date; a line of related articles ("Mali | 12/05/2019") comes after
    # « Publié le »; English 03/10/2024 could be either month
    assert not reference_for(None, "Mali : cinq ans après l'attaque du 12/05/2019\nMardi, dix morts.", "fr").exact
    ref = reference_for(None, "Mali | 12/05/2019\nMardi, dix morts.\nPublié le 14/03/2024", "fr")
    assert (ref.day.isoformat(), ref.exact) == ("2024-03-14", True)
    assert not reference_for(None, "Ten killed on Tuesday.\nPublished 03/10/2024", "en").exact
    assert reference_for(None, "Ten killed on Tuesday.\nPublished 03/14/2024", "en").day.isoformat() == "2024-03-14"


@pytest.mark.parametrize("text,lang,day", [
    ("Jeudi dernier, des jihadistes ont attaqué Djibo.", "fr", "2024-03-07"),
    ("Last Thursday, jihadists attacked Djibo.", "en", "2024-03-07"),
    ("Mercredi dernier, une attaque a visé Djibo.", "fr", "2024-03-13"),
    ("Jeudi, des jihadistes ont attaqué Djibo.", "fr", "2024-03-14"),
    ("On Thursday, jihadists attacked Djibo.", "en", "2024-03-14"),
])
def test_last_thursday_written_on_a_thursday_is_a_week_before(text, lang, day):
    # published Thursday 14 March 2024 (the Pont-Sondé massacre, "last Thursday" in a report of Thursday 10 October
    # 2024, was on 3 October)
    ref = reference_for("2024-03-14", text, lang)
    assert [d.date for d in find_dates(text, ref=ref, lang=lang)] == [day]
