"""Canonical entries and stable innovation ids.

Ids: a cluster whose mentions carried ids in an earlier run keeps the OLDEST of them
(smallest creation ordinal, then lexicographic); its other ids become aliases. A
cluster with no earlier id gets ``i`` + 12 hex of SHA-1 of the key of its earliest
mention (published, article_id, name): content, not a counter, so an interrupted run
resumed later and an uninterrupted one give the same ids.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from functools import lru_cache
from typing import Mapping, Sequence

from ..gazetteer import Gazetteer
from ..records import Mention, RegistryEntry, RegistryEvent

INF = float("inf")


def content_id(seed: str, salt: int = 0) -> str:
    data = seed if not salt else f"{seed}#{salt}"
    return "i" + hashlib.sha1(data.encode("utf-8")).hexdigest()[:12]


def follow(iid: str, aliases: Mapping[str, str]) -> str:
    """The surviving id of ``iid`` through (possibly chained) aliases."""
    seen = set()
    while iid in aliases and iid not in seen:
        seen.add(iid)
        iid = aliases[iid]
    return iid


def assign_ids(groups: Sequence[Sequence[int]], mention_keys: Sequence[str], earliest: Sequence[int],
               prior_assign: Mapping[str, str], prior_aliases: Mapping[str, str],
               prior_order: Mapping[str, int]) -> tuple[list[str], dict[str, str], dict[str, int]]:
    """Ids for clusters (``groups`` of mention indices, each with its earliest mention).

    Returns (id per group, id_aliases retired -> surviving, id_order incl. new ids).
    """
    def age(i: str) -> tuple:
        return (prior_order.get(i, INF), i)

    claims: list[dict[str, int]] = []
    empty: dict[str, int] = {}
    for g in groups:
        c = empty
        if prior_assign:
            for m in g:
                old = prior_assign.get(mention_keys[m])
                if old:
                    if c is empty:
                        c = {}
                    old = follow(old, prior_aliases)
                    c[old] = c.get(old, 0) + 1
        claims.append(c)
    # each prior id goes to the cluster holding most of its mentions (ties: earliest mention key)
    by_id: dict[str, list[int]] = {}
    for gi, c in enumerate(claims):
        for iid in c:
            by_id.setdefault(iid, []).append(gi)
    owner: dict[str, int] = {}
    for iid, gis in by_id.items():
        owner[iid] = min(gis, key=lambda gi: (-claims[gi][iid], mention_keys[earliest[gi]]))
    ids: list[str] = [""] * len(groups)
    aliases: dict[str, str] = {}
    for gi, c in enumerate(claims):
        mine = sorted((i for i in c if owner[i] == gi), key=age)
        if mine:
            ids[gi] = mine[0]
    taken = set(ids) | set(prior_aliases) | set(prior_order)
    creation = sorted(range(len(groups)), key=lambda gi: mention_keys[earliest[gi]])
    for gi in creation:
        if ids[gi]:
            continue
        salt, iid = 0, content_id(mention_keys[earliest[gi]])
        while iid in taken:
            salt += 1
            iid = content_id(mention_keys[earliest[gi]], salt)
        ids[gi] = iid
        taken.add(iid)
    for gi, c in enumerate(claims):
        for iid in c:
            if owner[iid] == gi and iid != ids[gi]:
                aliases[iid] = ids[gi]
    # earlier aliases keep resolving, to wherever their target went
    live = set(ids)
    for old in prior_aliases:
        tgt = follow(old, prior_aliases)
        tgt = aliases.get(tgt, tgt)
        if tgt in live and old not in live:
            aliases[old] = tgt
    order = dict(prior_order)
    nxt = max(order.values(), default=0) + 1
    for gi in creation:
        if ids[gi] not in order:
            order[ids[gi]] = nxt
            nxt += 1
    return ids, aliases, order


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
                province_of=None) -> RegistryEntry:
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
                             ordered, tuple(sorted(merged)), m.sector, m.digital, m.level)
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
        sector=_vote(m.sector for m in ms), digital=_vote_digital(m.digital for m in ms),
        level=_vote(m.level for m in ms))


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
