"""``resolve``: mentions + replications + what earlier runs decided -> a canonical registry.

Steps (each its own module): normalise -> units (same key and region) -> blocking
(candidate pairs) -> compare -> constrained clustering -> stable ids -> entries.
Inputs are sorted first, so the same set of mentions gives the same output whatever
their order.
"""
from __future__ import annotations

import dataclasses
import gc
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Mapping, Sequence

from rapidfuzz import fuzz, process

from ..records import MergeExplanation, Mention, Prior, RegistryEntry, Replication, mention_key
from ..settings import Settings
from .blocking import BlockStats, Unit, build_units, candidate_pairs
from .cluster import cluster
from .normalise import OwnerSource, default_owners, spaced, strip_suffixes, use_rules
from .ids import assign_ids, founding_order
from .registry import build_entry, stage_rank


@dataclass(frozen=True)
class Resolution:
    entries: tuple[RegistryEntry, ...]
    mentions: tuple[Mention, ...]  # the same mentions with innovation_id set
    replications: tuple[Replication, ...]  # with source/target innovation ids set
    merges: tuple[MergeExplanation, ...]  # one per accepted link, plus notable rejections
    id_aliases: Mapping[str, str]  # every retired id (earlier + new) -> surviving id
    id_order: Mapping[str, int]  # first ordinals incl. new ids (informative: ids never depend on it)
    tombstones: tuple[str, ...] = ()  # published ids with no mention left (ids.py, rule 3)
    stats: Mapping[str, int] = field(default_factory=dict)  # units, candidate pairs, comparisons, ...


def _sort_key(m: Mention, key: str) -> tuple:
    return (key, m.name, m.region, m.agency, m.expansion, m.published)


def _full_key(m: Mention, key: str) -> tuple:
    return (*_sort_key(m, key), m.agency_canonical, m.province, m.evidence, repr(m.events), m.people)


def _sorted_mentions(mentions: Sequence[Mention]) -> list[tuple[str, Mention]]:
    """Mentions in a canonical order (so the output does not depend on the input order).

    Sorted on a cheap key; runs of equal cheap keys (rare: the store keeps one mention per
    key) are re-sorted on every field.
    """
    deco = sorted(((_sort_key(m, mention_key(m)), m) for m in mentions), key=_first)
    out: list[tuple[str, Mention]] = []
    i = 0
    while i < len(deco):
        j = i + 1
        while j < len(deco) and deco[j][0] == deco[i][0]:
            j += 1
        if j - i > 1:
            out.extend((d[0][0], d[1]) for d in sorted(deco[i:j], key=lambda d: _full_key(d[1], d[0][0])))
        else:
            out.append((deco[i][0][0], deco[i][1]))
        i = j
    return out


def _first(t: tuple):
    return t[0]


def _with_id(m: Mention, iid: str) -> Mention:
    # dataclasses.replace re-runs __init__ for every field; a dict copy is several times
    # faster and the same for a plain frozen dataclass (no __post_init__, no slots).
    new = object.__new__(Mention)
    d = new.__dict__
    d.update(m.__dict__)
    d["innovation_id"] = iid
    return new


def resolve(mentions: Sequence[Mention], replications: Sequence[Replication], prior: Prior | None,
            settings: Settings, *, owners: OwnerSource | None = None) -> Resolution:
    """Resolve mentions into registry entries with stable ids (see the module docs).

    ``owners`` (canonical regions, region suffixes of names, provinces, agency keys)
    defaults to the gazetteer.
    """
    # resolve builds millions of small acyclic objects; the cyclic GC would re-scan them
    # (and the caller's mentions) again and again for nothing: refcounting frees them.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _resolve(mentions, replications, prior, settings, owners)
    finally:
        if enabled:
            gc.enable()


def _resolve(mentions, replications, prior, settings, owners) -> Resolution:
    s = settings.resolve
    use_rules(s.rules_file)
    prior = prior or Prior()
    owners = owners or default_owners(settings.extract.gazetteer_dir)

    clock = _Clock()
    keyed = _sorted_mentions(mentions)
    mkeys = [k for k, _ in keyed]
    ms = [m for _, m in keyed]

    units, m_unit = build_units(ms, mkeys, owners)
    clock.lap("normalise")
    # -- block, compare, cluster ------------------------------------------------------
    stats = BlockStats()
    pairs = sorted(candidate_pairs(units, s, stats))
    clock.lap("block")
    cannot = _cannot_links(replications, ms, m_unit, units)
    clusters = cluster(units, pairs, s, cannot)
    clock.lap("compare_cluster")

    groups_by_root: dict[int, list[int]] = defaultdict(list)
    for ui, root in enumerate(clusters.labels):
        groups_by_root[root].extend(units[ui].mentions)
    groups = [sorted(g) for _, g in sorted(groups_by_root.items(), key=lambda kv: kv[0])]
    # ids: the founding mention of each cluster decides (order-free, see ids.py)
    founders = [min(g, key=lambda i: founding_order(ms[i].published, mkeys[i])) if len(g) > 1 else g[0]
                for g in groups]
    assigned = assign_ids(groups, mkeys, founders, prior.assignments, prior.id_aliases, prior.withdrawn)
    ids, aliases = assigned.ids, assigned.aliases
    order = _ordinals(prior.id_order, ids, [mkeys[f] for f in founders])
    m_id = [""] * len(ms)
    for gi, g in enumerate(groups):
        for i in g:
            m_id[i] = ids[gi]
    clock.lap("ids")

    # -- entries -----------------------------------------------------------------------
    merged_into: dict[str, list[str]] = defaultdict(list)
    for old, new in aliases.items():
        merged_into[new].append(old)
    ranks = stage_rank(settings.extract.gazetteer_dir)
    entries = sorted((build_entry(ids[gi], [ms[i] for i in g], merged_into.get(ids[gi], ()), ranks,
                                  owners.province, assigned.split_from.get(gi, ()))
                      for gi, g in enumerate(groups)), key=lambda e: e.innovation_id)
    clock.lap("entries")
    out_mentions = tuple(_with_id(m, m_id[i]) for i, m in enumerate(ms))

    # -- explanations ------------------------------------------------------------------
    merges: list[MergeExplanation] = []
    for u in units:
        first = u.mentions[0]
        for i in u.mentions[1:]:
            merges.append(MergeExplanation(m_id[i], mkeys[first], mkeys[i], {"same_key": 100.0},
                                           "merge: same name key and region"))
    for link in clusters.links:
        a, b = units[link.left], units[link.right]
        merges.append(MergeExplanation(m_id[a.mentions[0]], mkeys[a.mentions[0]], mkeys[b.mentions[0]],
                                       dict(link.comparison.scores), link.decision))
    for link in clusters.rejections:
        a, b = units[link.left], units[link.right]
        merges.append(MergeExplanation(m_id[a.mentions[0]], mkeys[a.mentions[0]], mkeys[b.mentions[0]],
                                       dict(link.comparison.scores), link.decision))

    # the same name in other regions: kept apart (not compared: blocks are per region)
    same_key: dict[str, list[Unit]] = defaultdict(list)
    for u in units:
        if u.region:
            same_key[u.key].append(u)
    n_rej = len(clusters.rejections)
    for key, us in same_key.items():
        for a, b in zip(us, us[1:]):
            if n_rej >= s.max_rejections:
                break
            if a.region != b.region and m_id[a.mentions[0]] != m_id[b.mentions[0]]:  # not joined (a crossing)
                n_rej += 1
                merges.append(MergeExplanation(
                    m_id[a.mentions[0]], mkeys[a.mentions[0]], mkeys[b.mentions[0]],
                    {"same_key": 100.0, "region": "different"}, "forbidden: different region"))

    repls = _link_replications(replications, ms, m_id, units, m_unit, owners, s)
    clock.lap("outputs")
    stat = {"mentions": len(ms), "units": len(units), "candidate_pairs": len(pairs),
            "comparisons": stats.comparisons, "blocks": stats.blocks, "largest_block": stats.largest,
            "split_blocks": stats.split, "links": len(clusters.links), "entries": len(entries), **clock.ms}
    return Resolution(tuple(entries), out_mentions, repls, tuple(merges), aliases, order, assigned.tombstones,
                      stat)


def _ordinals(prior: Mapping[str, int], ids: Sequence[str], founding: Sequence[str]) -> dict[str, int]:
    """When each id was first given (informative only: no id depends on it)."""
    order = dict(prior)
    nxt = max(order.values(), default=0) + 1
    for gi in sorted(range(len(ids)), key=founding.__getitem__):
        if ids[gi] not in order:
            order[ids[gi]] = nxt
            nxt += 1
    return order


class _Clock:
    """Milliseconds per phase, reported in ``Resolution.stats`` (``ms_<phase>``)."""

    def __init__(self):
        self.t = time.perf_counter()
        self.ms: dict[str, int] = {}

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.ms[f"ms_{name}"] = round((now - self.t) * 1000)
        self.t = now


# -- replications -----------------------------------------------------------------------
def _article_index(ms: Sequence[Mention]) -> dict[str, list[int]]:
    idx: dict[str, list[int]] = defaultdict(list)
    for i, m in enumerate(ms):
        idx[m.article_id].append(i)
    return idx


def _in_article(name: str, cands: list[int], ms, units, m_unit) -> int | None:
    """The mention of the article written as ``name`` (name or expansion, normalised)."""
    if not name:
        return None
    sp = spaced(name)
    comp = sp.replace(" ", "")
    for i in cands:
        u = units[m_unit[i]]
        if spaced(ms[i].name).replace(" ", "") == comp or u.key == comp or sp in u.forms:
            return i
    return None


def _cannot_links(replications, ms, m_unit, units) -> set[tuple[int, int]]:
    if not replications:
        return set()
    by_art = _article_index(ms)
    out = set()
    for r in replications:
        cands = by_art.get(r.article_id, [])
        a = _in_article(r.source_name, cands, ms, units, m_unit)
        b = _in_article(r.target_name, cands, ms, units, m_unit)
        if a is not None and b is not None and m_unit[a] != m_unit[b]:
            out.add(tuple(sorted((m_unit[a], m_unit[b]))))
    return out


def _link_replications(replications, ms, m_id, units, m_unit, owners, s) -> tuple[Replication, ...]:
    if not replications:
        return ()
    by_art = _article_index(ms)
    by_key: dict[str, list[int]] = defaultdict(list)  # compact key -> unit indices
    for u in units:
        by_key[u.key].append(u.idx)
    keys = sorted(by_key)
    unit_id = {u.idx: m_id[u.mentions[0]] for u in units}
    n_art = defaultdict(set)
    for i, m in enumerate(ms):
        n_art[m_id[i]].add(m.article_id)

    def registry_lookup(name: str, region: str) -> str:
        rk = owners.canonical(region) if region else ""
        sp = spaced(name)
        comp = strip_suffixes(sp, owners.suffixes(region) if rk else ()).replace(" ", "")
        cands = list(by_key.get(comp, ()))
        if not cands and comp:
            for k, _, _ in process.extract(comp, keys, scorer=fuzz.ratio, score_cutoff=s.name_threshold,
                                           limit=5):
                cands.extend(by_key[k])
        cands = [ui for ui in cands if not rk or not units[ui].region or units[ui].region == rk]
        if not cands:
            return ""
        ids = {unit_id[ui] for ui in cands}
        return min(ids, key=lambda i: (-len(n_art[i]), i))

    out = []
    for r in sorted(replications, key=lambda r: (r.article_id, r.source_name, r.target_name, r.target_region,
                                                 r.evidence, r.source_region)):
        cands = by_art.get(r.article_id, [])
        a = _in_article(r.source_name, cands, ms, units, m_unit)
        src = m_id[a] if a is not None else registry_lookup(r.source_name, r.source_region)
        b = _in_article(r.target_name, cands, ms, units, m_unit)
        tgt = m_id[b] if b is not None else (registry_lookup(r.target_name, r.target_region)
                                             if r.target_name else "")
        if tgt == src:  # a replication links two innovations; never one to itself
            tgt = ""
        out.append(dataclasses.replace(r, source_innovation_id=src, target_innovation_id=tgt))
    return tuple(out)
