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
from .resources import grammar

__all__ = ["casualties", "killed_numbers", "is_casualty_sentence"]



def _quantities(text: str, lang: str) -> list[Quantity]:
    """The numbers of ``text``, and the articles that count one victim (``SINGLE``: "a soldier was
    killed", "killed a police officer") where no number stands."""
    qs = find_quantities(text, lang)
    G = grammar(lang, "tolls")
    for m in G.rx("SINGLE").finditer(text):
        s, e = m.span()
        noun = G.rx("PERSON_NOUNS").match(text[e:e + 60])
        if noun is None or any(q.start < e and s < q.end for q in qs):
            continue
        prev = max((q.end for q in qs if q.end <= s), default=None)
        if G.rx("KILL_BEFORE").search(text[max(0, s - 40):s]) or G.rx("SINGLE_KILLED").match(text[e + noun.end():e + noun.end() + 80]) \
                or (prev is not None and _added_to(text, prev, s, e + noun.end(), G)):
            # (one added to a count just before — "killing a soldier and a civilian" — the toll decides whether it counts)
            qs.append(Quantity(1, 1, 1, m.group(0), s, e))
    return sorted(qs, key=lambda q: q.start)


def _added_to(text: str, prev_end: int, start: int, noun_end: int, G) -> bool:
    """Whether the count at ``start`` (its noun ending at ``noun_end``) is one more victim named right
    after the count ending at ``prev_end`` and its noun: "killing a soldier and a civilian", « tuant un
    soldat et un civil » — not "killed two and wounded a civilian", nor "and a soldier confirmed it"."""
    noun = G.rx("PERSON_NOUNS").match(text[prev_end:prev_end + 60])
    rest = text[prev_end + (noun.end() if noun else 0):start]
    return bool(G.rx("CONTINUES").match(rest)) and not G.rx("NOUN_THEN_VERB").match(text[noun_end:noun_end + 40])


def killed_numbers(text: str, lang: str = "fr") -> list[Quantity]:
    G = grammar(lang, "tolls")
    return [q for q in _quantities(text, lang) if G.rx("PERSON_NOUNS").match(text[q.end:q.end + 60])]


def is_casualty_sentence(text: str, lang: str = "fr") -> bool:
    G = grammar(lang, "tolls")
    return any(G.rx("PERSON_NOUNS").match(text[q.end:q.end + 40]) for q in _quantities(text, lang)) or bool(G.rx("VAGUE_TOLL").search(text))








def casualties(text: str, sentence: str, lang: str = "fr") -> tuple[int | None, int | None, int | None, str | None]:
    """Killed count in ``text`` (a sentence or the part of it about one place) of ``sentence``:
    (best, low, high, words); vague tolls give (None, None, None, words); « sans faire de
    victimes » gives 0."""
    G = grammar(lang, "tolls")
    killed: list[Quantity] = []
    last_end = None
    for q in _quantities(text, lang):
        if G.rx("RUNNING_TOTAL").search(text[max(0, q.start - 40):q.start]) or G.rx("SINCE_AFTER").match(text[q.end:q.end + 50]):
            continue     # « Cela porte à 250 morts … », « 12 000 morts depuis le 15 avril »: running totals
        after = text[q.end:q.end + 60]
        noun = G.rx("PERSON_NOUNS").match(after)
        ellipsis = G.rx("ELLIPSIS").match(after) and killed_numbers(sentence, lang)
        bare = G.rx("BARE_AFTER").match(after) and G.rx("KILL_BEFORE").search(text[max(0, q.start - 40):q.start])
        if not noun and not ellipsis and not bare and not G.rx("DEAD_AFTER").match(after):
            continue     # « 27 personnes à Kyiv et 10 à Kryvyï Rih »: the 10 are people too
        if noun and (re.search(r"\d", noun.group(0)) and not re.search(r"\d", q.text)):
            continue     # "une équipe de 60 mercenaires": the 60 counts, not the "une"
        if noun and G.rx("POPULATION_NOUN").match(after) and G.rx("POPULATION_BEFORE").search(text[max(0, q.start - 60):q.start]):
            continue     # « Gorlovka, ville de 370.000 habitants », "Dhaka, home to 10 million people": who live there
        if G.rx("SUBJECT_OF").match(after):
            continue     # « Trois habitants ont rapporté qu'au moins 20 civils… », "150 soldiers set fire to": they act, not die
        if G.rx("HURT_BEFORE").search(text[max(0, q.start - 40):q.start]):
            continue     # « ont tué deux civils, blessé quatre personnes »: the four are wounded
        if G.rx("CAUSE_BEFORE").search(text[max(0, q.start - 60):q.start]):
            continue     # « en riposte à la mort de l'un de ses commandants »: the death this act answers
        death_of = bool(G.rx("DEATH_OF").search(text[max(0, q.start - 30):q.start]))   # « la mort d'une femme »
        # « a tué quatre soldats et en a blessé neuf »: killed by the verb before the number
        death_of = death_of or bool(G.rx("KILL_BEFORE").search(text[max(0, q.start - 40):q.start]))
        if q.value is None and q.low is None:
            continue
        window = after.split(".")[0]
        nxt = find_quantities(window, lang)
        if nxt:
            window = window[:nxt[0].start]
        continues = (bool(killed) and last_end is not None and noun is not None
                     and _added_to(text, last_end, q.start, q.end + noun.end(), G)) \
            or bool(noun and G.rx("SINGLE_KILLED").match(text[q.end + noun.end():q.end + noun.end() + 80]))
        if q.text.lower() in G.words("ONE") and not G.rx("KILL_WORD").search(window[:40]) and not death_of \
                and not continues:
            continue     # "un responsable militaire a indiqué", "One man told Reuters that 12 …": not a toll of one
        hurt, kill = G.rx("HURT_WORD").search(window), G.rx("KILL_WORD").search(window)
        if hurt and (not kill or hurt.start() < kill.start()) and not (
                death_of and not G.rx("HURT_WORD").search(G.rx("PHRASE_END").split(window)[0])):
            continue     # (« la mort de trois personnes et en ont blessé quatre »: the death comes first)
        if not kill and not death_of and not G.rx("KILL_WORD").search(sentence):
            continue
        if G.rx("NOT_PEOPLE").search(text[q.end:q.end + 12]):
            continue
        if killed and last_end is not None and G.rx("SUBSET").search(text[last_end:q.start]):
            continue
        if killed and G.rx("ALTERNATIVE").search(text[max(0, q.start - 80):q.start]):
            continue     # « d'autres sources avançant des bilans compris entre 12 et 17 morts »: another count, not more dead
        if killed and noun and G.rx("PARTITIVE").match(noun.group(0)):
            continue     # "seven people, three of them children": part of the toll before
        if G.rx("AMONG").match(text[q.end:q.end + 80]):
            continue     # « Au moins un enfant figure parmi les personnes tuées »: part of a toll, not one
        killed.append(q)
        last_end = q.end
    if not killed:
        m = G.rx("VAGUE_TOLL").search(text)
        if m and G.rx("KILL_WORD").search(sentence):
            return None, None, None, m.group(0)
        none = G.rx("NO_VICTIMS").search(text)
        if none:
            return 0, 0, 0, none.group(0)
        return None, None, None, None
    best = sum(q.value or 0 for q in killed) if all(q.value is not None for q in killed) else None
    low = sum(q.low or 0 for q in killed)
    high = sum(q.high for q in killed) if all(q.high is not None for q in killed) else None
    words = "; ".join(text[q.start:q.end + len(G.rx("PERSON_NOUNS").match(text[q.end:q.end + 60]).group(0))
                       if G.rx("PERSON_NOUNS").match(text[q.end:q.end + 60]) else q.end] for q in killed)
    return best, low, high, words




