"""Within one article, reports of one action from several angles become one event.

Two events merge when their types agree (a toll-only event takes the type of the remote violence
it belongs to), their places agree (same name, within ~10 km, or a province and a town inside it) and
their date windows overlap (an event dated only by the publication date may be any day of the week
before), unless the text gives them different tolls on different days. Looting or burning told in the
sentence of a violent act, at its place, on its day and by its hands, is that act's (``_part_of_act``).
"""
from __future__ import annotations

import datetime as dt

from .gazetteer import spelling_key
from .geocode import _admin_key, province_keys
from .model import Event
from .resources import grammar

__all__ = ["merge_within", "SUB_PRIORITY", "REPORT_WINDOW_DAYS", "part_or_area", "unnamed_site"]

REPORT_WINDOW_DAYS = 6      # an event known only as reported on day D happened within D-6..D
SUB_PRIORITY = ["Suicide bomb", "Remote explosive/landmine/IED", "Chemical weapon", "Grenade",
                 "Air/drone strike", "Shelling/artillery/missile attack",
                 "Government regains territory", "Non-state actor overtakes territory", "Armed clash",
                 "Abduction/forced disappearance", "Sexual violence", "Attack"]

def _merge_key_loc(e: Event) -> tuple[float, float] | None:
    if e.location and e.location.lat is not None:
        return (e.location.lat, e.location.lon)
    return None


def _same_place(a: Event, b: Event) -> bool:
    if not a.location or not b.location:
        return a.location is b.location
    if a.location.name == b.location.name:
        # « des accrochages au sud de Kirkouk » and « Kirkouk reprise »: around a town is not the town,
        # when the two reports tell different kinds of action
        return not (a.sub_event_type != b.sub_event_type and
                    {a.location.geo_precision, b.location.geo_precision} == {1, 2})
    if (a.location.geo_precision == 4 or b.location.geo_precision == 4) and a.location.country == b.location.country:
        wide = a if a.location.geo_precision == 4 else b
        other = b if wide is a else a
        # « L'attentat de mercredi intervient … en Syrie »: the country restates the place; a
        # country-wide tally with its own toll is not a restatement
        return wide.fatalities is None or wide.fatalities == other.fatalities
    wide, town = (a, b) if a.location.geo_precision == 3 else (b, a)
    if wide.location.geo_precision == 3 and town.location.geo_precision <= 2 and town.location.admin1 \
            and _admin_key(wide.location.name) in province_keys(town.location.country, town.location.admin1) \
            and (wide.fatalities is None or town.fatalities is None or wide.fatalities == town.fatalities) \
            and not grammar(wide.language, "article_merge").rx("OTHERS").search(wide.evidence.text):
        return True      # « dans la province de Marib » restates « à Marib » (the province named after the town), « une
                         # attaque dans la province du Soum » the attack at Djibo the next sentence names: an act told at
                         # a province and at a town inside it the same day, with no other toll, is one act
    if all(_named_elsewhere(x) for x in (a, b)) and spelling_key(a.location.name) != spelling_key(b.location.name):
        return False      # two villages the gazetteer lacks, named apart (« à Mulolya », « à Mantumbi »), both put
                          # where the text's last place was: two places, not the one point they borrow
    for x, y in ((a, b), (b, a)):
        # « Dan Kouj, 15 km à l'est de Zalingei », reckoned from Zalingei: an event told at Zalingei the same
        # day, with no other toll, is the same place
        if _reckoned_from(x.location, y.location) and y.location.geo_precision < 4 \
                and (x.fatalities is None or y.fatalities is None or x.fatalities == y.fatalities):
            return True
    if ((a.location.rule or "").startswith("fallback") or (b.location.rule or "").startswith("fallback")) \
            and (a.location.lat, a.location.lon) != (b.location.lat, b.location.lon):
        return False      # a place borrowed from the article absorbs only the place it was borrowed from
    named = [x for x in (a, b) if _named_elsewhere(x)]
    if named and spelling_key(a.location.name) != spelling_key(b.location.name):
        other = b if named[0] is a else a
        if not (other.location.rule or "").startswith("fallback") and not unnamed_site(other):
            return False  # « à Mamove », put where the text's last place was, is not the place another sentence
                          # names (an event placed by the article alone, or told at « un village » not named
                          # yet, may still be told there)
    if a.evidence.start == b.evidence.start and a.location.geonames_id != b.location.geonames_id:
        return False      # « à Khartoum, à Omdurman »: one sentence names two towns apart, however close
    pa, pb = _merge_key_loc(a), _merge_key_loc(b)
    if pa and pb and a.location.geo_precision < 4 and b.location.geo_precision < 4:
        return abs(pa[0] - pb[0]) < 0.1 and abs(pa[1] - pb[1]) < 0.1
    return False


def _named_elsewhere(e: Event) -> bool:
    """The event's place is a site the text names and the gazetteer lacks, put at another place's point or
    reckoned from one (placing's fallback rules with ":named") — not a part of a town or an area (« le
    secteur de X »)."""
    parts = (e.location.rule or "").split(":")
    if "named" not in parts or ("enclosing" in parts and "offset" not in parts):
        return False      # (« Khidir Jija in Makhmour »: put where its enclosing place is, it is a part of that place;
                          # « Lopanza, à 10 km au nord de Bunia » has a point of its own)
    at = e.location.start - e.evidence.start
    if 0 <= at <= len(e.evidence.text):
        return not part_or_area(e.evidence.text, at, at + len(e.location.text or ""), e.language)
    return True


def part_or_area(text: str, start: int, end: int, lang: str) -> bool:
    """Whether the name at ``text[start:end]`` is named as a part of a town or an area, not a site of its own:
    « le secteur de X », « le quartier de X », "the X neighbourhood" (data/<lang>/events.tsv NOT_A_SITE_*)."""
    G = grammar(lang, "events")
    return bool(G.rx("NOT_A_SITE_BEFORE").search(text[max(0, start - 40):start])
                or (end > start and G.rx("NOT_A_SITE_AFTER").match(text, end)))


def unnamed_site(e: Event) -> bool:
    """The event is told at a place not named yet (« une frappe a touché un village proche de Sanaa »), which a
    later sentence may name (data/<lang>/events.tsv UNNAMED_SITE)."""
    return bool(grammar(e.language, "events").rx("UNNAMED_SITE").search(e.evidence.text))


def _reckoned_from(village, town) -> bool:
    """Whether ``village`` is a point the text reckons from ``town``'s (placing._offset_point)."""
    return village.reckoned_from is not None and town.lat is not None \
        and abs(village.reckoned_from[0] - town.lat) < 0.1 and abs(village.reckoned_from[1] - town.lon) < 0.1


def _takes_place(twin, e, ties: bool = False) -> bool:
    """Whether a merged event takes ``e``'s place instead of ``twin``'s: the finer one (or as fine, with
    ``ties``); a village the text reckons from a town rather than the town."""
    if _reckoned_from(twin, e):
        return False
    return _reckoned_from(e, twin) or e.geo_precision < twin.geo_precision \
        or (ties and e.geo_precision == twin.geo_precision)


def _same_time(a: Event, b: Event) -> bool:
    if not a.date or not b.date:
        return True
    a0, a1 = _window(a)
    b0, b1 = _window(b)
    return a0 <= b1 and b0 <= a1


def _window(e: Event) -> tuple[str, str]:
    """An event's date interval; one dated only by publication may be any day of the week
    before it."""
    start, end = e.date, e.date_end or e.date
    if e.date_rule.startswith("published"):
        start = (dt.date.fromisoformat(start) - dt.timedelta(days=REPORT_WINDOW_DAYS)).isoformat()
    return start, end


def _same_toll_next_day(a: Event, b: Event) -> bool:
    """The same toll for the same place a day apart: one action, one of its days being when the
    toll was given (« a actualisé ce décompte samedi soir »)."""
    if a.fatalities is None or a.fatalities != b.fatalities or not a.date or not b.date:
        return False
    if not a.location or not b.location or a.location.name != b.location.name:
        return False          # Khartoum and Omdurman both "25 dead": a shared tally, not one action
    gap = abs((dt.date.fromisoformat(a.date) - dt.date.fromisoformat(b.date)).days)
    return gap <= 1 and a.fatalities > 0


def _weak(e: Event) -> bool:
    """An event known only from a toll (« 100 civils tués ») takes the type of the action it
    merges with."""
    return e.trigger_class == "kill"


_VIOLENT = ("Battles", "Explosions/Remote violence", "Violence against civilians")
# a town the government retakes and villages the insurgents seize are two acts, whoever tells them together
_TAKEOVERS = ("Government regains territory", "Non-state actor overtakes territory")


def _anaphoric(e: Event) -> bool:
    """« L'attaque contre le camp a fait 36 morts », « cet assaut »: a definite noun that takes up
    an action already told, whatever its kind, rather than a new clash."""
    if e.trigger_class != "clash" or not e.trigger or e.date_rule.startswith("sentence"):
        return False      # a day of its own (« Lundi également, l'assaut … »): told as a new action
    G = grammar(e.language, "article_merge")
    at = e.evidence.text.find(e.trigger)
    return at >= 0 and bool(G.rx("DEFINITE_BEFORE").search(e.evidence.text[max(0, at - 8):at])) \
        and not G.rx("DURING_BEFORE").search(e.evidence.text[max(0, at - 20):at])


def _distinct_tolls(a: Event, b: Event) -> bool:
    """Two tolls given for two days of the text are two events, even when the days can only be
    placed within a month."""
    return (a.fatalities is not None and b.fatalities is not None and a.fatalities != b.fatalities
            and a.date_rule.startswith("sentence") and b.date_rule.startswith("sentence")
            and a.date_text.lower() != b.date_text.lower())


def _headline(e: Event) -> bool:
    """The event was read from the article's title line (the first line of the cleaned text)."""
    return e.evidence.start == 0 and "\n" in e.evidence.text


def _body_refines_toll(twin: Event, e: Event) -> bool:
    """Titles round their tolls (« Plus de 100 civils tués », « quatre Américains tués »); the
    body's figure for the same action, when at least as high, is the one the report gives."""
    return (_headline(twin) and not _headline(e) and twin.fatalities is not None
            and e.fatalities is not None and e.fatalities >= twin.fatalities)


def _date_strength(e: Event) -> tuple[int, int, int]:
    """Finer beats coarser; then a narrower interval; then a date from the text beats the
    publication-date default."""
    days = 0
    if e.date and e.date_end:
        days = (dt.date.fromisoformat(e.date_end) - dt.date.fromisoformat(e.date)).days
    return (-e.time_precision, -days, 0 if e.date_rule.startswith("published") else 1)


def _twins(o: Event, e: Event) -> bool:
    """``e`` tells again the action ``o`` told: types, places and days agree."""
    return ((o.event_type == e.event_type
             or (_weak(o) and e.event_type == "Explosions/Remote violence")
             or (_weak(e) and o.event_type == "Explosions/Remote violence")
             or (_anaphoric(e) and o.event_type in _VIOLENT and not _weak(o)
                 and not (e.actor1 and e.actor1 == o.actor2)))
            and _same_place(o, e) and (_same_time(o, e) or _same_toll_next_day(o, e))
            and (o.event_type != "Strategic developments" or o.sub_event_type == e.sub_event_type)
            and not (o.sub_event_type in _TAKEOVERS and e.sub_event_type in _TAKEOVERS
                     and o.sub_event_type != e.sub_event_type)
            and not _distinct_tolls(o, e))


def _part_of_act(damage: Event, act: Event) -> bool:
    """« ont tué deux civils et pillé plusieurs habitations », "killed five people and torched their homes": the
    looting or burning told in the sentence of a violent act, at its place, on its day and by its hands, is that
    act's (one action told from several angles, codebook), not an event of its own — not « ils sont revenus mercredi
    et ont incendié des maisons » (another day), nor « tandis que des bandits ont pillé des boutiques » (others)."""
    return damage.sub_event_type == "Looting/property destruction" and act.event_type in _VIOLENT \
        and damage.evidence.start == act.evidence.start and damage.location is not None \
        and act.location is not None and damage.location.name == act.location.name \
        and (damage.date, damage.date_end) == (act.date, act.date_end) \
        and (not damage.actor1 or damage.actor1 in (act.actor1, act.actor2))


def merge_within(events: list[Event]) -> list[Event]:
    """One action told twice (or from several angles) in an article is one event."""
    acts: list[Event] = []
    for e in events:
        act = next((o for o in events if o is not e and _part_of_act(e, o)), None)
        if act is None:
            acts.append(e)
        else:
            # (the act keeps its type, place and day — a toll-only act does not become a looting)
            _take_actors(act, e)
            _take_sources(act, e)
    out: list[Event] = []
    for e in acts:
        twin = next((o for o in out if _twins(o, e)), None)
        if twin is None:
            out.append(e)
        else:
            _absorb(twin, e)
    return out


def _absorb(twin: Event, e: Event) -> None:
    """``twin`` (told first) takes in what ``e`` adds: a toll-only event takes the action's type;
    the finer sub-type, date and place, the body's toll, the actors and every source."""
    if _weak(twin) and not _weak(e):
        twin.event_type, twin.sub_event_type, twin.trigger = e.event_type, e.sub_event_type, e.trigger
        twin.actor1, twin.actor2 = e.actor1 or twin.actor1, e.actor2 or twin.actor2
        if twin.actor2 == twin.actor1:
            twin.actor2 = None
        if e.location and twin.location and _takes_place(twin.location, e.location, ties=True):
            twin.location = e.location     # a toll told at the city is the action's, where it was
    elif e.event_type == twin.event_type and e.sub_event_type in SUB_PRIORITY and twin.sub_event_type in SUB_PRIORITY \
            and SUB_PRIORITY.index(e.sub_event_type) < SUB_PRIORITY.index(twin.sub_event_type):
        twin.sub_event_type, twin.trigger = e.sub_event_type, e.trigger
    if _date_strength(e) > _date_strength(twin):
        twin.date, twin.date_end, twin.time_precision, twin.date_rule = e.date, e.date_end, e.time_precision, e.date_rule
    if twin.location and e.location and _takes_place(twin.location, e.location):
        twin.location = e.location
    if (twin.fatalities is None and e.fatalities is not None) or _body_refines_toll(twin, e):
        twin.fatalities, twin.fatalities_low, twin.fatalities_high = e.fatalities, e.fatalities_low, e.fatalities_high
        twin.fatalities_text = e.fatalities_text
    elif twin.fatalities_text is None and e.fatalities_text:
        twin.fatalities_text = e.fatalities_text
    _take_actors(twin, e)
    _take_sources(twin, e)


def _take_actors(twin: Event, e: Event) -> None:
    """The sides ``e`` names that ``twin`` lacks, unless already on the other side (a report that names the army as
    the one attacked does not make it the attacker too)."""
    if not twin.actor1 and e.actor1 and e.actor1 != twin.actor2:
        twin.actor1 = e.actor1
    if not twin.actor2 and e.actor2 and e.actor2 != twin.actor1:
        twin.actor2 = e.actor2


def _take_sources(twin: Event, e: Event) -> None:
    """``twin`` takes in ``e``'s sources (the hedged reading of one source wins) and its optional flag."""
    known = {c.key(): c for c in twin.claims}
    for c in e.claims:
        k = c.key()
        if k not in known:
            twin.claims.append(c)
            known[k] = c
        elif c.hedged and not known[k].hedged:     # the hedged reading of one source wins
            known[k].hedged, known[k].hedge_text = True, c.hedge_text
    twin.optional = twin.optional and e.optional
