import json
import re

import pytest

from sitrep.clean import clean_text
from sitrep.ingest import read_inputs

from conftest import need_devset


def _norm(s):
    return " ".join(s.split())


def test_devset_furniture_is_removed_and_events_kept():
    dev = need_devset()
    arts = {a.article_id: a for a in read_inputs([dev / "articles"])}
    assert len(arts) == 29
    total, left = 0, []
    for gold_file in sorted((dev / "gold").glob("*.json")):
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        art = arts[gold["article_id"]]
        clean = _norm(clean_text(art.text, gold.get("outlet")).text)
        for snippet in gold.get("furniture", []):
            total += 1
            if _norm(snippet) in clean:
                left.append((gold["article_id"], snippet))
    # every headline of a related-articles list is gone; a caption or slogan may remain
    assert not [s for s in left if re.search(r"tirs|attaque|tués|morts|frappe|mortiers", s[1])], left
    assert 1 - len(left) / total >= 0.9, left


def test_lire_aussi_list_and_banner():
    raw = ("Les forces ont repris la ville mardi.\n\nLire aussi:\n\nNuit de chaos à Argenteuil, des "
           "policiers visés par des tirs de mortiers\nUn autre titre sans point\nTags:\nSyrie, Daech\n"
           "En cliquant sur « Tout accepter » vous consentez au dépôt de cookies.\nOK")
    out = clean_text(raw).text
    assert out == "Les forces ont repris la ville mardi."


def test_long_paragraph_mentioning_cookies_once_is_kept():
    para = ("Le ministère a indiqué que " + "les combats se poursuivent dans le secteur " * 10
            + "malgré la distribution de cookies aux enfants.")
    assert clean_text(para).text == para


def test_caption_ending_with_its_photo_credit_is_furniture():
    # a photo's caption glued to its credit tells the photo's story, not the article's; a sentence of the
    # body that merely mentions a photo stays
    raw = ("Strike on Gaza home kills 12\n\n"
           "At least 15 people were wounded when a strike hit a building in Nuseirat, according to the civil "
           "defence. PHOTO: REUTERS\n\n"
           "Twelve members of one family were killed in Jabalia on Friday, rescuers said.\n\n"
           "L'attaque aurait coûté la vie à cinq civils. Photo: DR\n\n"
           "The monastery of Nyaung Kone village after Tuesday's airstrikes. / Supplied\n\n"
           "A wooden building in Chaung Ma burned down after the airstrike (Supplied)\n\n"
           "On its website the agency put up a photo: three children laid side by side.\n\n"
           "Le Mali a obtenu un nouveau prêt pour financer l'effort de guerre. Crédit : 120 millions de dollars.")
    out = clean_text(raw).text
    assert "Nuseirat" not in out and "cinq civils" not in out and "monastery" not in out and "wooden" not in out
    assert "Twelve members of one family were killed in Jabalia" in out
    assert "put up a photo: three children" in out
    assert "120 millions de dollars" in out       # a sum, not a photo's credit


@pytest.mark.parametrize("raw,clean", [
    ("(MENAFN- Famagusta Gazette) A Houthi drone strike in Saada killed three soldiers.",
     "A Houthi drone strike in Saada killed three soldiers."),
    ("(APP - UrduPoint / Pakistan Point News) Beirut - Israeli strikes on Tyre killed seven people.",
     "Beirut - Israeli strikes on Tyre killed seven people."),
    ("conflit•Mardi, des soldats ont été tués au nord de Mogadiscio.", "Mardi, des soldats ont été tués au nord de Mogadiscio."),
    # not a credit: an acronym and a place in brackets inside the sentence, a bare wire name
    ("Des soldats (FDS - Niger) ont été tués.", "Des soldats (FDS - Niger) ont été tués."),
])
def test_a_wire_credit_or_a_section_tag_opening_the_lede_is_furniture(raw, clean):
    from sitrep.clean import clean_text
    assert clean_text(raw).text == clean


@pytest.mark.parametrize("raw,clean", [
    ("d'après une ONG.Kfar Batna et Saqba ont été reprises.", "d'après une ONG. Kfar Batna et Saqba ont été reprises."),
    ("a indiqué l'OSDH.Les combats continuent.", "a indiqué l'OSDH. Les combats continuent."),
    ("the U.S.Army said.", "the U.S.Army said."),          # initials with dots are no sentence end
])
def test_a_sentence_glued_after_an_acronym_is_split(raw, clean):
    assert clean_text(raw).text == clean
