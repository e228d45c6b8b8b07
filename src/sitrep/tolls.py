"""Tolls: how many people an event killed, read from the words of a sentence.

``casualties(text, sentence)`` returns the killed count of ``text`` (a sentence or the part of it
about one place or day) as (best, low, high, words): person nouns after the number, killed rather
than wounded or captured, subsets (« dont », « parmi ») and running totals (« porte à », « depuis le
début ») left out, vague tolls (« de nombreux ») kept as words, « sans faire de victimes » as 0.
"""
from __future__ import annotations

import re

from .model import Quantity
from .numbers import find_quantities

__all__ = ["casualties", "killed_numbers", "is_casualty_sentence", "KILL_WORD", "WAR_TOTAL"]

_PERSON_NOUNS = re.compile(
    r"^\s*(?:(?:autres|jeunes|nouveaux|nouvelles|anciens|simples|hauts|petits|pauvres|premiers|derniers)\s+)?"
    r"(?:(?:équipe|groupe|unité|commando|colonne|famille)s?\s+de\s+\d[\d\s.]*\s+)?(?:terroristes?|civils?|personnes?|soldats?|combattants?|militaires?|mercenaires?|"
    r"djihadistes?|jihadistes?|enfants?|femmes?|hommes?|membres?|policiers?|insurgés?|rebelles?|morts?|"
    r"victimes?|tués?|individus?|assaillants?|villageois|habitants?|islamistes?|miliciens?|militants?|"
    r"passagers?|fidèles?|élèves?|agents?|gendarmes?|officiers?|extrémistes?|talibans?|chebabs?|shebabs?|"
    r"bandits?|déplacés?|réfugiés?|patients?|journalistes?|secouristes?|manifestants?|jeunes?|gardes?|"
    r"ouvriers?|agriculteurs?|pêcheurs?|otages?|prisonniers?|détenus?|casques\s+bleus|Américains|Français|"
    r"étrangers|Russes|Turcs|Syriens|Irakiens|Afghans|Maliens|Nigérians|Somaliens|Ukrainiens|Israéliens|"
    r"Palestiniens|Libanais|Yéménites|Soudanais|Congolais|Burkinabè|Nigériens|Camerounais|Tchadiens|"
    r"Kurdes|Yazidis|chrétiens|musulmans|chiites|sunnites|militants|policiers|gendarmes|élèves|étudiants|lycéens)\b")
_KILL_WORD = re.compile(r"\b(?:tu(?:é|ée|és|ées)|morts?|éliminée?s?|périe?s?|trouvé la mort|décédée?s?|perdu la vie|"
                        r"tombée?s?\s+(?:au combat|sous les balles)|sans vie|décès|"
                        r"massacrée?s?|abattue?s?|exécutée?s?|hors de combat|neutralisée?s?|pertes|bilan|"
                        r"sont mortes?|ont péri|tuant|coûté la vie)\b", re.IGNORECASE)
_HURT_WORD = re.compile(r"\b(?:blessée?s?|blessures|capturée?s?|arrêtée?s?|enlevée?s?|kidnappée?s?|"
                        r"disparue?s?|prisonniers?|otages?|interpellée?s?|évacuée?s?|sauvée?s?|"
                        r"secourue?s?|hospitalisée?s?|déplacée?s?|rescapée?s?|fui|exilée?s?)\b", re.IGNORECASE)
_SUBSET = re.compile(r"\bdont\b|\bparmi\b|\(|\s[-–—]\s|\bsoit\b", re.IGNORECASE)
_VAGUE_TOLL = re.compile(r"\b(?:de\s+nombreux|de\s+nombreuses|un\s+grand\s+nombre\s+d[e']|plusieurs\s+dizaines\s+d[e']|"
                         r"des\s+dizaines\s+d[e']|des\s+centaines\s+d[e']|nombre\s+de)\s*\w+", re.IGNORECASE)


def killed_numbers(text: str) -> list[Quantity]:
    return [q for q in find_quantities(text) if _PERSON_NOUNS.match(text[q.end:q.end + 60])]


def is_casualty_sentence(text: str) -> bool:
    return any(_PERSON_NOUNS.match(text[q.end:q.end + 40]) for q in find_quantities(text)) or bool(_VAGUE_TOLL.search(text))


_SINCE_AFTER = re.compile(r"^\s*(?:\w+\s+){0,3}?(?:morts?|tués?|victimes|personnes)?\s*(?:\w+\s+){0,2}?(?:depuis|en\s+\d+\s+ans|au\s+total)\b",
                          re.IGNORECASE)
_WAR_TOTAL = re.compile(r"\b(?:la\s+guerre|le\s+conflit|l'insurrection|les\s+violences|la\s+crise|la\s+rébellion|"
                        r"l'offensive)\b[^.]{0,120}\b(?:a|ont|avait|avaient)\s+(?:déjà\s+)?(?:fait|coûté|causé)\b",
                        re.IGNORECASE)
_NO_VICTIMS = re.compile(r"\b(?:sans\s+faire\s+de\s+(?:victimes?|morts?|blessés)|aucune\s+victime|pas\s+de\s+victimes?|"
                         r"aucun\s+mort|n'a\s+fait\s+aucune\s+victime)\b", re.IGNORECASE)
_RUNNING_TOTAL = re.compile(r"(?:porte|portant|portent)\s+(?:le\s+bilan\s+)?(?:total\s+)?à\s*$|au\s+total\s*,?\s*$|"
                            r"depuis\s+le\s+début[^.]{0,40}$", re.IGNORECASE)


_DEATH_OF = re.compile(r"\b(?:la\s+)?mort\s+(?:de\s+|d['’]\s*)$", re.IGNORECASE)
_AMONG = re.compile(r"^\s*(?:\w+\s+){0,3}?(?:figur\w*|compt\w*|sont|est|étaient|était|se\s+trouv\w*)\s+(?:\w+\s+)?parmi\b",
                    re.IGNORECASE)


_ALTERNATIVE = re.compile(r"\b(?:d'autres\s+sources?|selon\s+d'autres|un\s+autre\s+bilan|d'autres\s+bilans?|"
                          r"bilans?\s+compris)\b[^.;]{0,60}$", re.IGNORECASE)


def casualties(text: str, sentence: str) -> tuple[int | None, int | None, int | None, str | None]:
    """Killed count in ``text`` (a sentence or the part of it about one place) of ``sentence``:
    (best, low, high, words); vague tolls give (None, None, None, words); « sans faire de
    victimes » gives 0."""
    killed: list[Quantity] = []
    last_end = None
    for q in find_quantities(text):
        if _RUNNING_TOTAL.search(text[max(0, q.start - 40):q.start]) or _SINCE_AFTER.match(text[q.end:q.end + 50]):
            continue     # « Cela porte à 250 morts … », « 12 000 morts depuis le 15 avril »: running totals
        after = text[q.end:q.end + 60]
        noun = _PERSON_NOUNS.match(after)
        ellipsis = re.match(r"\s*(?:autres\s+)?(?:à|dans|en|au)\s+[A-ZÀ-Ý]", after) and killed_numbers(sentence)
        if not noun and not ellipsis and not re.match(r"\s*(?:morts?|tués?)\b", after, re.I):
            continue     # « 27 personnes à Kyiv et 10 à Kryvyï Rih »: the 10 are people too
        if noun and (re.search(r"\d", noun.group(0)) and not re.search(r"\d", q.text)):
            continue     # "une équipe de 60 mercenaires": the 60 counts, not the "une"
        death_of = bool(_DEATH_OF.search(text[max(0, q.start - 20):q.start]))   # « la mort d'une femme »
        if q.text.lower() in ("un", "une") and not _KILL_WORD.search(after[:40]) and not death_of:
            continue     # "un responsable militaire a indiqué": not a toll of one
        if q.value is None and q.low is None:
            continue
        window = after.split(".")[0]
        nxt = find_quantities(window)
        if nxt:
            window = window[:nxt[0].start]
        hurt, kill = _HURT_WORD.search(window), _KILL_WORD.search(window)
        if hurt and (not kill or hurt.start() < kill.start()):
            continue
        if not kill and not death_of and not _KILL_WORD.search(sentence):
            continue
        if re.search(r"\b(?:km|kilomètres?|ans|heures?|jours?|mois|tonnes?|sorties?|véhicules?|bâtiments?)\s*$",
                     text[q.end:q.end + 12], re.I):
            continue
        if killed and last_end is not None and _SUBSET.search(text[last_end:q.start]):
            continue
        if killed and _ALTERNATIVE.search(text[max(0, q.start - 80):q.start]):
            continue     # « d'autres sources avançant des bilans compris entre 12 et 17 morts »: another count, not more dead
        if _AMONG.match(text[q.end:q.end + 80]):
            continue     # « Au moins un enfant figure parmi les personnes tuées »: part of a toll, not one
        killed.append(q)
        last_end = q.end
    if not killed:
        m = _VAGUE_TOLL.search(text)
        if m and _KILL_WORD.search(sentence):
            return None, None, None, m.group(0)
        none = _NO_VICTIMS.search(text)
        if none:
            return 0, 0, 0, none.group(0)
        return None, None, None, None
    best = sum(q.value or 0 for q in killed) if all(q.value is not None for q in killed) else None
    low = sum(q.low or 0 for q in killed)
    high = sum(q.high for q in killed) if all(q.high is not None for q in killed) else None
    words = "; ".join(text[q.start:q.end + len(_PERSON_NOUNS.match(text[q.end:q.end + 60]).group(0))
                       if _PERSON_NOUNS.match(text[q.end:q.end + 60]) else q.end] for q in killed)
    return best, low, high, words


KILL_WORD = _KILL_WORD
WAR_TOTAL = _WAR_TOTAL
