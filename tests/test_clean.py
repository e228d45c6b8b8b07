import json
import re

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
