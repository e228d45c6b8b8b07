import pytest
from hypothesis import given, settings, strategies as st

from sitrep.numbers import find_quantities, parse_quantity, word_number


def q(text):
    found = parse_quantity(text)
    assert found is not None, text
    return found.value, found.low, found.high


def test_digit_layouts():
    assert q("1 200 morts") == (1200, 1200, 1200)
    assert q("1 200") == (1200, 1200, 1200)
    assert q("1.200 civils") == (1200, 1200, 1200)
    assert q("1,200 civilians") == (1200, 1200, 1200)
    assert q("40 terroristes") == (40, 40, 40)


def test_words_and_bounds():
    assert q("quarante-deux blessés") == (42, 42, 42)
    assert q("quatre-vingt-dix sorties") == (90, 90, 90)
    assert q("deux cent cinquante") == (250, 250, 250)
    assert q("vingt et un soldats") == (21, 21, 21)
    assert q("au moins 106 civils") == (106, 106, None)
    assert q("plus de 100 civils") == (100, 101, None)
    assert q("entre 10 et 15 tués") == (10, 10, 15)


def test_approximations():
    assert q("une centaine de combattants") == (100, 90, 110)
    assert q("une vingtaine de soldats") == (20, 18, 22)
    v, lo, hi = q("des dizaines de morts")
    assert lo < v < hi
    assert parse_quantity("plusieurs civils").value is None


def test_spans_point_into_text():
    text = "Au moins 12 civils et une trentaine de soldats"
    for found in find_quantities(text):
        assert text[found.start:found.end] == found.text


_UNITS = ["", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze",
          "douze", "treize", "quatorze", "quinze", "seize"]


def spell(n: int) -> str:
    """Reference French spelling for 1..999 (independent of the parser under test)."""
    if n >= 100:
        h, r = divmod(n, 100)
        head = "cent" if h == 1 else f"{_UNITS[h]} cent"
        return head if r == 0 else f"{head} {spell(r)}"
    if n <= 16:
        return _UNITS[n]
    if n < 20:
        return f"dix-{_UNITS[n - 10]}"
    tens = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}
    t, u = divmod(n, 10)
    if t in (7, 9):
        base = "soixante" if t == 7 else "quatre-vingt"
        return f"{base}-{spell(10 + u)}" if not (t == 7 and u == 1) else "soixante et onze"
    if t == 8:
        return "quatre-vingts" if u == 0 else f"quatre-vingt-{_UNITS[u]}"
    if u == 0:
        return tens[t]
    return f"{tens[t]} et un" if u == 1 else f"{tens[t]}-{_UNITS[u]}"


@settings(deadline=None)
@given(st.integers(min_value=1, max_value=999))
def test_words_round_trip(n):
    assert word_number(spell(n)) == n


@settings(deadline=None)
@given(st.integers(min_value=1000, max_value=999_999), st.sampled_from([" ", "\u202f", "."]))
def test_grouped_digits_round_trip(n, sep):
    text = f"{n:,}".replace(",", sep) + " morts"
    assert parse_quantity(text).value == n


def test_one_among_the_dead_is_no_toll():
    from sitrep.tolls import casualties
    text = "Au moins un enfant figure parmi les personnes tuées dans le bombardement du village, a précisé l'OSDH."
    assert casualties(text, text)[0] is None


def test_the_death_of_one_woman_is_a_toll_of_one():
    from sitrep.tolls import casualties
    text = "Un responsable local a rapporté la mort d'une femme vendredi dans des frappes russes ayant fait deux blessés."
    assert casualties(text, text)[0] == 1


def test_peacekeepers_are_counted_as_the_press_writes_them():
    """« Casques bleus » with capitals, as French reporting writes them (the table had only the
    lower-case form), and the singular."""
    from sitrep.tolls import casualties
    for text, n in (("Deux Casques bleus ont été tués mardi par l'explosion d'un engin.", 2),
                    ("Un Casque bleu a été tué dans l'attaque du camp.", 1), ("Trois casques bleus tués", 3)):
        assert casualties(text, text)[0] == n, text


def test_another_sources_count_is_not_more_dead():
    from sitrep.tolls import casualties
    s = ("Au moins quinze civils ont été tués hier soir dans des raids aériens à Derna, selon des sources médicales "
         "locales, d'autres sources avançant des bilans compris entre 12 et 17 morts.")
    assert casualties(s, s)[0] == 15
    s = "Dix soldats et cinq civils ont été tués dans l'attaque."
    assert casualties(s, s)[0] == 15


def test_dotless_i_in_an_approximation_is_read_not_raised():
    """« plusıeurs » (dotless ı) matches the approximation pattern without case, as the regex engine
    folds it, though str.lower() leaves it apart from « plusieurs »: the toll is read, no KeyError."""
    from sitrep.numbers import find_quantities
    found = find_quantities("plusıeurs soldats ont été tués", "fr")
    assert found and found[0].approximate


def test_a_death_told_before_the_wounded_is_the_toll():
    """« la mort de trois personnes et en ont blessé quatre »: the wounded come after the dead."""
    from sitrep.tolls import casualties
    text = "Vendredi, des missiles ont causé la mort de trois personnes et en ont blessé quatre près de Damas."
    assert casualties(text, text)[:3] == (3, 3, 3)
    text = "Deux civils ont été blessés lundi et trois soldats ont été tués mardi."
    assert casualties(text, text)[0] == 3


def test_commanders_killed_are_people_killed():
    from sitrep.tolls import casualties
    text = "Douze commandants de terrain ont été tués et le chef du groupe a été blessé, selon le ministère."
    assert casualties(text, text)[0] == 12


def test_the_verb_before_the_number_says_killed_or_wounded():
    """« a tué quatre soldats et en a blessé neuf »: four killed; « ont tué deux civils, blessé
    quatre personnes »: the four are wounded (in both languages)."""
    from sitrep.tolls import casualties
    fr = "Des tirs d'artillerie ont tué quatre soldats turcs et en ont blessé neuf, a indiqué Ankara."
    assert casualties(fr, fr)[0] == 4
    fr = "Les frappes ont tué deux civils, blessé quatre personnes et détruit une maison."
    assert casualties(fr, fr)[0] == 2
    fr = "Lundi, des rebelles ont attaqué le poste, tuant un soldat et blessant un autre."
    assert casualties(fr, fr)[0] == 1
    en = "The strike killed four soldiers and wounded nine others."
    assert casualties(en, en, "en")[0] == 4
    en = "Gunmen killed one policeman and injured two."
    assert casualties(en, en, "en")[0] == 1


def test_a_speaker_is_not_a_death():
    """"One man told Reuters …": the man speaks; only the dead he speaks of count."""
    from sitrep.tolls import casualties
    text = "One man told Reuters that 12 civilians died."
    assert casualties(text, text, "en")[0] == 12
    text = "One resident said 4 soldiers were killed in the raid."
    assert casualties(text, text, "en")[0] == 4


def test_people_who_act_are_not_the_dead():
    """« Trois habitants ont rapporté … », "150 soldiers set fire": the people counted speak or act."""
    from sitrep.tolls import casualties
    fr = "Trois habitants ont rapporté lundi à l'AFP qu'au moins 20 civils, membres d'une milice locale, avaient péri."
    assert casualties(fr, fr)[0] == 20
    fr = "15 militaires ont été tués mardi dans une embuscade, après quoi 150 soldats ont mis le feu au village."
    assert casualties(fr, fr)[0] == 15
    fr = "Quatre personnes ont également péri dans la frappe."
    assert casualties(fr, fr)[0] == 4
    en = "Three residents told AFP that 12 civilians died."
    assert casualties(en, en, "en")[0] == 12
    en = "Three gunmen killed two police officers at the checkpoint."
    assert casualties(en, en, "en")[0] == 2
    en = "At least four persons were killed a few hours later in a second blast."
    assert casualties(en, en, "en")[0] == 4
    en = "Five people killed in the attack were buried on Friday."
    assert casualties(en, en, "en")[0] == 5


def test_a_victim_added_to_the_one_just_counted():
    # « tuant un soldat et un civil »: two dead; « et un civil blessé »: the second is wounded
    from sitrep.tolls import casualties
    for text, n in (("Des hommes armés ont attaqué la mine, tuant un soldat et un civil.", 2),
                    ("Un soldat a été tué et un civil blessé.", 1),
                    ("Il a tué un soldat et un autre a été blessé.", 1),
                    ("L'attaque a tué deux soldats et blessé un civil et un enfant.", 2),
                    ("Des hommes armés ont tué cinq civils et enlevé une femme et un enfant.", 5),
                    ("Cinq personnes ont été tuées et un soldat et deux civils ont été blessés.", 5),
                    ("L'attaque a tué un soldat et un civil, a affirmé le maire.", 2),
                    ("Ils ont tué un soldat et un civil qui a été atteint par une balle perdue.", 2),
                    ("Ils ont tué un soldat et un civil a été blessé.", 1)):
        assert casualties(text, text)[0] == n, text


@pytest.mark.parametrize("text,lang,want", [
    ("Hezbollah fired dozens of rockets at a base in Metula in response to the killing of one of its commanders.", "en", None),
    # (a control: the French toll reader counted no death here before either)
    ("Le Hezbollah a tiré des roquettes sur Metoula, en riposte à l'assassinat de deux de ses combattants.", "fr", None),
    # the act's own toll still counts beside the death it answers
    ("En représailles à la mort de deux soldats, l'armée a bombardé le village, tuant cinq civils.", "fr", 5),
    ("The strike killed one of its commanders.", "en", 1),
])
def test_the_death_an_act_answers_is_not_its_toll(text, lang, want):
    from sitrep.tolls import casualties
    assert casualties(text, text, lang)[0] == want


def test_digits_scaled_by_a_million_are_one_number():
    """« 1,4 million », "10 million", « 2,5 milliards »: one quantity (it was the digits, then a million of its own)."""
    def one(text, lang):
        found = find_quantities(text, lang)
        assert len(found) == 1, (text, [(x.text, x.value) for x in found])
        return found[0].value, found[0].low, found[0].high
    assert one("peuplée de 1,4 million d'habitants", "fr") == (1_400_000, 1_400_000, 1_400_000)
    assert one("plus de 2 millions de déplacés", "fr") == (2_000_000, 2_000_001, None)
    assert one("dont le budget atteint 2,5 milliards", "fr") == (2_500_000_000, 2_500_000_000, 2_500_000_000)
    assert one("home to 10 million people", "en") == (10_000_000, 10_000_000, 10_000_000)
    assert one("some 1.5 million refugees", "en")[0] == 1_500_000
    assert q("1.200 civils") == (1200, 1200, 1200)          # a thousands point is still one


@pytest.mark.parametrize("text, lang, toll", [
    # how many live in a place is no toll: the dead beside it are
    ("Mardi, les obus tirés sur Bolhrad, une ville de 15.000 habitants près de la frontière, ont tué trois civils.", "fr", 3),
    ("Un médecin de cette cité d'environ 60.000 habitants a dit avoir compté neuf morts après l'assaut.", "fr", 9),
    ("Shelling killed four civilians in Pokrovsk, a town of 60,000 people, on Tuesday.", "en", 4),
    ("The strike hit Khan Younis, home to 400,000 people, killing 11.", "en", 11),
    # nor are those the fighting drove from their homes
    ("Les affrontements ont tué six personnes et jeté sur les routes près de 4.000 habitants.", "fr", 6),
    ("The clashes killed eight villagers and displaced 3,500 residents.", "en", 8),
    ("The violence killed 14 people and has driven upwards of 90,000 people out of their homes.", "en", 14),
    # the same nouns are a toll where they die
    ("Des hommes armés ont tué douze habitants du village de Bourzanga.", "fr", 12),
    ("Gunmen killed 12 residents of the town of Kauru.", "en", 12),
])
def test_residents_counted_alive_are_no_toll(text, lang, toll):
    from sitrep.tolls import casualties
    assert casualties(text, text, lang)[0] == toll
