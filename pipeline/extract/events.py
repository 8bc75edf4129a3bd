"""Competition events: competition, scope, stage and year, per sentence and per article."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..records import Event
from ..gazetteer import Gazetteer


@dataclass(frozen=True)
class EventRules:
    competitions: tuple[tuple[str, re.Pattern], ...]
    scope: re.Pattern
    stages: tuple[tuple[str, re.Pattern], ...]
    rank: dict
    year: re.Pattern
    relative: tuple[tuple[re.Pattern, int], ...] = ()
    gate: re.Pattern | None = None  # any competition at all (on lower-cased text)
    national_scopes: frozenset[str] = frozenset()  # 'tingkat nasional'
    scope_before: re.Pattern = re.compile("(?!)")  # 'tingkat Provinsi X': a region as a competition's scope

    @classmethod
    def from_data(cls, data: dict, stage_rank: tuple[str, ...]) -> "EventRules":
        comps = tuple((label, re.compile("|".join(f"(?:{p})" for p in pats), re.IGNORECASE))
                      for label, pats in data["competitions"].items())
        every = [p for pats in data["competitions"].values() for p in pats]
        return cls(
            competitions=comps,
            # most sentences name no competition: one case-sensitive scan of the lower-cased
            # sentence rules them out (about 3x cheaper than one IGNORECASE search per label)
            gate=re.compile("|".join(f"(?:{_lower_pattern(p)})" for p in every)),
            scope=re.compile(data["scope_regex"]),
            stages=tuple((label, re.compile(p)) for label, p in data["stages"]),
            rank={s: i for i, s in enumerate(stage_rank)},
            year=re.compile(data["year_regex"]),
            relative=tuple((re.compile(rf"(?i)\b{re.escape(k)}\b"), int(v)) for k, v in data.get("relative_years", {}).items()),
            national_scopes=frozenset(w.lower() for w in data["national_scope_words"]),
            scope_before=re.compile(data["scope_before_regex"]),
        )

    def patterns(self) -> list[str]:
        return [p.pattern for _, p in self.competitions]


def _lower_pattern(pattern: str) -> str:
    """``pattern`` with its literal letters lower-cased; escapes (``\\S``, ``\\b``) kept."""
    out, i = [], 0
    while i < len(pattern):
        if pattern[i] == "\\" and i + 1 < len(pattern):
            out.append(pattern[i:i + 2])
            i += 2
            continue
        out.append(pattern[i].lower())
        i += 1
    return "".join(out)


def _scope(text: str, pos: int, rules: EventRules, gaz: Gazetteer) -> str:
    m = rules.scope.search(text, pos, min(len(text), pos + 80))
    if not m:
        return ""
    s = m.group(1)
    if s.lower() in rules.national_scopes:
        return gaz.nasional.name
    hit = gaz.regions_in(s)
    if hit:
        return hit[0].name
    rest = text[m.end():m.end() + 30].split()
    if rest:  # "tingkat provinsi NTT" / "KIPP NTT"
        r = gaz.resolve_region(rest[0])
        if r:
            return r.name
    return ""


def _stage(text: str, rules: EventRules) -> str:
    """The highest-ranked competition stage the sentence names ("" for none)."""
    stage, best = "", -1
    for st, srx in rules.stages:
        sm = srx.search(text)
        if sm:
            rank = rules.rank.get(st, 0)
            if rank > best:
                best, stage = rank, f"Top {sm.group(1)}" if st == "Top" else st
    return stage


def sentence_events(text: str, rules: EventRules, gaz: Gazetteer) -> list[Event]:
    """Events a sentence reports: each competition named, with scope, stage and year where the
    sentence gives them."""
    out: list[Event] = []
    if rules.gate is not None and not rules.gate.search(text.lower()):
        return out
    stage = None
    for label, rx in rules.competitions:
        m = rx.search(text)
        if not m:
            continue
        scope = _scope(text, m.end(), rules, gaz)
        if not scope:
            nxt = text[m.end():m.end() + 20].split()
            if nxt and nxt[0][:1].isupper():
                r = gaz.resolve_region(nxt[0].strip(",."))
                if r:
                    scope = r.name
        if stage is None:  # the sentence's stage, the same for every competition it names
            stage = _stage(text, rules)
        years = [int(y) for y in rules.year.findall(text[m.start():m.start() + 120])]
        out.append(Event(label, scope, stage, years[0] if years else None))
    return out


def article_event(sentence_evs: list[list[Event]], published: str) -> Event | None:
    """The competition the article is about: the one named most often; its first scope and
    stage, the first year stated with it, else the article's year."""
    counts: dict[str, int] = {}
    for evs in sentence_evs:
        for e in evs:
            counts[e.competition] = counts.get(e.competition, 0) + 1
    if not counts:
        return None
    comp = max(counts, key=lambda c: (counts[c], -list(counts).index(c)))
    evs = [e for group in sentence_evs for e in group if e.competition == comp]
    scope = next((e.scope for e in evs if e.scope), "")
    stage = next((e.stage for e in evs if e.stage), "")
    year = next((e.year for e in evs if e.year), None)
    if year is None and published[:4].isdigit():
        year = int(published[:4])
    if year is None:  # an undated article: the year it gives its other competitions
        year = next((e.year for group in sentence_evs for e in group if e.year), None)
    return Event(comp, scope, stage, year)


def with_year(event: Event, published: str, text: str = "", rules: EventRules | None = None) -> Event:
    """Fill a missing year: 'tahun lalu' in the sentence counts from the article's date, else
    the article's own year."""
    if event.year is not None or not published[:4].isdigit():
        return event
    year = int(published[:4])
    for rx, delta in (rules.relative if rules else ()):
        if rx.search(text):
            year += delta
            break
    return Event(event.competition, event.scope, event.stage, year)


def resolve_relative(event: Event, published: str, text: str, rules: EventRules) -> Event:
    """Only the relative year ('tahun lalu'); an event without any stays without a year."""
    if event.year is None and any(rx.search(text) for rx, _ in rules.relative):
        return with_year(event, published, text, rules)
    return event
