"""Canonical registry entries of clusters (the ids they carry come from ``ids.py``)."""
from __future__ import annotations

from collections import Counter
from dataclasses import replace
from functools import lru_cache
from typing import Sequence

from ..gazetteer import Gazetteer
from ..records import Mention, RegistryEntry, RegistryEvent

# -- entries ---------------------------------------------------------------------------
@lru_cache(maxsize=4)
def stage_rank(gazetteer_dir: str) -> tuple[str, ...]:
    """The competition stages, lowest first, casefolded: the gazetteer's one ranking (extract's too)."""
    return tuple(s.casefold() for s in Gazetteer.load(gazetteer_dir).stage_rank)


@lru_cache(maxsize=4096)
def _stage_key(stage: str, ranks: tuple[str, ...]) -> tuple:
    st = (stage or "").casefold().strip()
    words = st.split()
    if words and words[0] == "top" and len(words) > 1 and words[-1].isdigit():
        base, n = "top", -int(words[-1])  # Top 99 comes before Top 45
    else:
        base, n = st, 0
    rank = ranks.index(base) if base in ranks else len(ranks)
    return (rank, n, st)


def _pick_name(counts: Counter) -> str:
    # most frequent; ties: shortest (the acronym/short form), most upper-case, then text order
    return min(counts, key=lambda n: (-counts[n], len(n), -sum(ch.isupper() for ch in n), n))


def _most(values) -> str:
    # most frequent non-empty value; ties: the longest (most complete), then text order
    c: dict[str, int] = {}
    for v in values:
        if v:
            c[v] = c.get(v, 0) + 1
    if len(c) <= 1:
        return next(iter(c), "")
    return min(c, key=lambda v: (-c[v], -len(v), v))


def build_entry(iid: str, ms: Sequence[Mention], merged: Sequence[str], ranks: tuple[str, ...],
                province_of=None, split_from: Sequence[str] = ()) -> RegistryEntry:
    """The canonical entry of one cluster; ``province_of(region)`` fills a province no mention gave."""
    events = {}
    for m in ms:
        for e in m.events:
            events[(e.competition, e.scope, e.stage, e.year, m.article_id)] = None
    ordered = tuple(RegistryEvent(*k) for k in sorted(
        events, key=lambda k: (k[3] or 0, _stage_key(k[2], ranks), k[0], k[1], k[4])))
    if len(ms) == 1:  # most entries: nothing to choose
        m = ms[0]
        day = m.published[:10]
        province = m.province or (province_of(m.region) if province_of and m.region else "")
        return RegistryEntry(iid, m.name, (), m.expansion, m.agency, m.region, province, day, day, 1,
                             ordered, tuple(sorted(merged)), tuple(split_from),
                             sector=m.sector, digital=m.digital, level=m.level)
    names: Counter = Counter()
    for m in ms:
        if m.name:
            names[m.name] += 1
    canonical = _pick_name(names) if names else ""
    aliases = sorted(n for n in names if n != canonical)  # every other spelling seen
    region = _most(m.region for m in ms)
    province = _most(m.province for m in ms if m.region == region) or _most(m.province for m in ms)
    if not province and region and province_of:
        province = province_of(region)
    dates = sorted(m.published[:10] for m in ms if m.published)
    return RegistryEntry(
        innovation_id=iid, canonical_name=canonical, aliases=tuple(aliases),
        expansion=_most(m.expansion for m in ms), agency=_most(m.agency for m in ms),
        region=region, province=province,
        first_seen=dates[0] if dates else "", last_seen=dates[-1] if dates else "",
        n_articles=len({m.article_id for m in ms}), events=ordered, merged_ids=tuple(sorted(merged)),
        split_from=tuple(split_from),
        sector=_vote(m.sector for m in ms), digital=_vote_digital(m.digital for m in ms),
        level=_vote(m.level for m in ms))


def tombstone_entries(old_entries: Sequence[RegistryEntry], ids: Sequence[str], run_id: int) -> list[RegistryEntry]:
    """Registry rows of the ids left with no mention (ids.py, rule 3): the entry as it was last
    published, status ``withdrawn``, no articles or events, and the run that withdrew it (an id
    already withdrawn keeps its row and run)."""
    old = {e.innovation_id: e for e in old_entries}
    out = []
    for iid in ids:
        prev = old.get(iid) or RegistryEntry(iid, "")
        out.append(prev if prev.status == "withdrawn" else replace(
            prev, n_articles=0, events=(), status="withdrawn", withdrawn_run=run_id))
    return out


def _vote(values) -> str:
    """The value most of the mentions give (empty ones abstain); ties: alphabetical, so the
    entry never depends on the order its articles arrived in."""
    c = Counter(v for v in values if v)
    return min(c, key=lambda v: (-c[v], v)) if c else ""


def _vote_digital(values) -> bool | None:
    """Digital when more mentions say so than say not (ties: digital -- one article describing
    the application is enough); None when none says."""
    c = Counter(v for v in values if v is not None)
    return None if not c else c[True] >= c[False]
