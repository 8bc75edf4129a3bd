"""Units and blocking: which pairs of distinct names are worth comparing.

Mentions with the same exact key (compact name without region suffix) and the same
region are one *unit*; only units are compared. Each unit gets blocking keys, scoped
by region because a different region forbids a merge anyway:

* ``p`` the first ``block_prefix_chars`` of each compact form (typos after the start);
* ``t`` the rarest words of each form that another name of the region shares
  (extended names: "Pripong Abong" / "Posyandu Remaja Pripong Abong");
* ``c``/``e`` acronym keys: an acronym candidate meets a long form written as a name
  when its first letter and next chunk starts equal the long form's initials;
* region-less units (a missing region is neutral) meet the same key in every region
  and their neighbours in the sorted list of all keys (``global_window``);
* a national unit with a long form meets the regional units of its exact key that have
  one too (``compare``: the one merge across regions, when the long forms agree).

Blocks larger than ``max_block_size`` are cut into overlapping windows of the sorted
keys, so comparisons per name are bounded (linear growth once blocks reach the cap).
Region-less names share one national pseudo-region whose blocks grow with the input
(real regions do not), so theirs are cut at ``regionless_block_size``.
All pairs are scored in bulk with ``rapidfuzz.process.cpdist``; only pairs that
``compare`` could accept given the owner evidence (a missing region gives no bonus, a
different agency raises the bar and rules out acronyms and extensions) reach it in Python.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterator, Sequence

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq
from rapidfuzz.process import cpdist

from ..records import Mention
from ..settings import ResolveSettings
from .normalise import (NATIONAL, OwnerSource, acronym_block_keys, acronym_score, content_words,
                        expansion_block_key, spaced, strip_suffixes, tail_acronym_score,
                        whole_government)


@dataclass(slots=True)
class Unit:
    """Mentions sharing one exact name key and region."""

    idx: int
    key: str  # compact name, region suffix removed
    spaced: str  # spaced name, region suffix removed
    region: str  # region_key ("" unknown)
    forms: tuple[str, ...]  # spaced name first, then distinct spaced expansions
    agencies: frozenset[str] = frozenset()
    mentions: list[int] = field(default_factory=list)

    @property
    def sort_key(self) -> tuple[str, str]:
        return (self.key, self.region)


def build_units(ms: Sequence[Mention], mkeys: Sequence[str], owners: OwnerSource) -> tuple[list[Unit], list[int]]:
    """Group mentions (already in canonical order) into units; returns units and unit per mention."""
    units: list[Unit] = []
    unit_of: dict[tuple[str, str], int] = {}
    m_unit: list[int] = []
    suf_cache: dict[str, frozenset] = {}
    reg_cache: dict[str, str] = {}
    name_cache: dict[tuple[str, str], tuple[str, str]] = {}
    agency_cache: dict[str, str] = {}
    for i, m in enumerate(ms):
        rk = reg_cache.get(m.region)
        if rk is None:
            rk = reg_cache[m.region] = owners.canonical(m.region)
        nk = name_cache.get((m.name, rk))
        if nk is None:
            if rk not in suf_cache:
                suf_cache[rk] = owners.suffixes(m.region) if rk else frozenset()
            sp = strip_suffixes(spaced(m.name), suf_cache[rk])
            # a name with no letters or digits stays alone under its mention key
            nk = name_cache[(m.name, rk)] = (sp.replace(" ", "") or "#" + mkeys[i], sp)
        ukey = (nk[0], rk)
        ui = unit_of.get(ukey)
        if ui is None:
            ui = unit_of[ukey] = len(units)
            units.append(Unit(ui, nk[0], nk[1], rk, (nk[1],)))
        u = units[ui]
        u.mentions.append(i)
        m_unit.append(ui)
        if m.expansion:
            ex = spaced(m.expansion)
            if ex and ex not in u.forms:
                u.forms = (u.forms[0], *sorted({*u.forms[1:], ex}))
        surface = m.agency_canonical or m.agency
        if surface:
            ag = agency_cache.get(surface)
            if ag is None:  # a whole government ("Pemkab X") names no unit: no agency evidence
                ag = owners.agency(surface)
                ag = agency_cache[surface] = "" if ag in whole_government() else ag
            if ag and ag not in u.agencies:
                u.agencies = u.agencies | {ag}
    return units, m_unit


@dataclass
class BlockStats:
    blocks: int = 0
    comparisons: int = 0  # scored pairs (cdist cells above the diagonal, acronym pairs)
    largest: int = 0
    split: int = 0


def form_keys(form: str, region: str, df: Counter, s: ResolveSettings) -> set[tuple[str, str]]:
    """The ``p`` and ``t`` keys of one name form (the name or an expansion)."""
    out = {("p", f"{region}|{form.replace(' ', '')[: s.block_prefix_chars]}")}
    # the rarest words this form shares with another name of its region
    words = sorted({w for w in content_words(form) if len(w) >= 3 and df[(region, w)] > 1},
                   key=lambda w: (df[(region, w)], w))
    for w in words[: s.token_keys_per_form]:
        out.add(("t", f"{region}|{w}"))
    return out


def acronym_keys(u: Unit, s: ResolveSettings) -> set[tuple[str, str]]:
    """``e``: a long form written as the name; ``c``: an acronym candidate (see normalise)."""
    r = u.region
    out: set[tuple[str, str]] = set()
    if " " in u.spaced and len(content_words(u.spaced)) >= 2:
        out.add(("e", f"{r}|{expansion_block_key(u.spaced)}"))
    if 3 <= len(u.key) <= s.acronym_max_chars and u.spaced.count(" ") <= 1:
        out.update(("c", f"{r}|{k}") for k in acronym_block_keys(u.key))
    return out


def word_frequencies(units: list[Unit]) -> Counter:
    """How many names of each region use a word: (region, word) -> count."""
    df: Counter = Counter()
    for u in units:
        df.update({(u.region, w) for f in u.forms for w in f.split()})
    return df


def _windows(members: list, size: int) -> Iterator[list]:
    """The whole block, or overlapping windows of ``size`` (stride size/2) of a sorted block."""
    if len(members) <= size:
        yield members
        return
    step = max(1, size // 2)
    for start in range(0, len(members) - step, step):
        yield members[start : start + size]


def candidate_pairs(units: list[Unit], s: ResolveSettings, stats: BlockStats | None = None) -> set[tuple[int, int]]:
    """Unit index pairs (i < j) that some block scores above the candidate floor.

    Blocks hold name forms; every pair inside a block (or window) is collected as index
    arrays, de-duplicated, and scored in one vectorised ``cpdist`` call per scorer.
    """
    stats = stats if stats is not None else BlockStats()
    facts = _unit_facts(units)
    found = [_name_pairs(units, facts, s, stats), _acronym_pairs(units, facts, s, stats)]
    if any(not u.region for u in units) and any(u.region for u in units):
        found.append(_regionless(units, facts, s, stats))
    found.append(_national_pairs(units, s, stats))
    lo = np.concatenate([f[0] for f in found])
    hi = np.concatenate([f[1] for f in found])
    keep = lo != hi
    lo, hi = np.minimum(lo[keep], hi[keep]), np.maximum(lo[keep], hi[keep])
    codes = _distinct(lo * len(units) + hi)
    return set(zip((codes // len(units)).tolist(), (codes % len(units)).tolist()))


def _name_pairs(units: list[Unit], facts: _UnitFacts, s: ResolveSettings,
                stats: BlockStats) -> tuple[np.ndarray, np.ndarray]:
    """Unit pairs from the ``p``/``t`` blocks of name forms whose names are close enough."""
    df = word_frequencies(units)
    rec_unit: list[int] = []  # form record -> unit
    rec_form: list[str] = []  # form record -> spaced form
    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    for u in units:
        for form in u.forms:
            rid = len(rec_unit)
            rec_unit.append(u.idx)
            rec_form.append(form)
            for bk in form_keys(form, u.region, df, s):
                blocks[bk].append(rid)
    comp = np.array([f.replace(" ", "") for f in rec_form], dtype=object)
    units_of = np.array(rec_unit, dtype=np.int64)
    capped = ((members, block_cap(key, s)) for (_, key), members in blocks.items())
    lo, hi = _block_pairs(capped, lambda r: (comp[r], rec_unit[r]), stats)
    if not len(lo):
        return lo, hi
    # the floor is the lowest bar any owner evidence allows
    floor = s.name_threshold - 2 * s.same_owner_bonus
    score = cpdist(comp[lo], comp[hi], scorer=fuzz.ratio, score_cutoff=floor, workers=-1)
    hit = score > 0
    ua, ub = units_of[lo], units_of[hi]
    has_region = np.array([bool(units[u].region) for u in rec_unit], dtype=bool)
    nr = ~has_region[lo]  # a block is in one region: both names are region-less
    hit[nr] = _loose_hit(score[nr], ua[nr], ub[nr], facts, s)
    # the same region and a different agency: the plain bar, and no acronym or extension
    differ = _differ(facts, ua, ub)
    strict = ~nr & differ & facts.single[ua] & facts.single[ub]
    hit[strict] = score[strict] >= s.name_threshold
    # one name extending another is only accepted within a known region and for names
    # long enough (compare.py): test those pairs only. partial_ratio bounds both of
    # compare's extension scores: its prefix/suffix ratio, and a run of the shorter name's
    # words inside the longer one (a substring: 100), so token_set_ratio is not needed here
    length = np.fromiter(map(len, comp), dtype=np.int64, count=len(comp))
    short, long = np.minimum(length[lo], length[hi]), np.maximum(length[lo], length[hi])
    ext = (~hit & has_region[lo] & ~differ & (short >= s.extension_min_chars)
           & (short >= s.extension_min_share * long))
    if ext.any():
        hit[ext] = cpdist(comp[lo[ext]], comp[hi[ext]], scorer=fuzz.partial_ratio,
                          score_cutoff=s.partial_threshold, workers=-1) > 0
    hit |= _tail_acronym_hits(lo, hi, rec_form, ~hit & has_region[lo] & ~differ, s)
    return units_of[lo[hit]], units_of[hi[hit]]


def _tail_acronym_hits(lo: np.ndarray, hi: np.ndarray, rec_form: list[str], todo: np.ndarray,
                       s: ResolveSettings) -> np.ndarray:
    """Pairs of forms ending in the same word where one abbreviates the other's head
    (``normalise.tail_acronym_score``; compare accepts those within a known region)."""
    out = np.zeros(len(lo), dtype=bool)
    if not todo.any():
        return out
    last = np.array([f.rsplit(" ", 1)[-1] for f in rec_form], dtype=object)
    words = np.fromiter((f.count(" ") + 1 for f in rec_form), dtype=np.int64, count=len(rec_form))
    cand = np.flatnonzero(todo & (last[lo] == last[hi]) & (np.maximum(words[lo], words[hi]) >= 3)
                          & (np.minimum(words[lo], words[hi]) >= 2))
    afloor = s.acronym_threshold - 2 * s.same_owner_bonus
    for k in cand.tolist():
        a, b = rec_form[lo[k]], rec_form[hi[k]]
        out[k] = max(tail_acronym_score(a, b, s.acronym_max_chars),
                     tail_acronym_score(b, a, s.acronym_max_chars)) >= afloor
    return out


def block_cap(key: str, s: ResolveSettings) -> int:
    """Largest block of a ``region|...`` key. Region-less names share one national pool
    that grows with the input (regions do not): its blocks get small sorted windows."""
    return s.regionless_block_size if key.startswith("|") else s.max_block_size


def _block_pairs(capped, order, stats: BlockStats) -> tuple[np.ndarray, np.ndarray]:
    """All pairs (lo < hi) of records that share a block or a window of a large block;
    ``capped`` yields (members, cap)."""
    by_len: dict[int, list[list[int]]] = defaultdict(list)
    for members, cap in capped:
        if len(members) < 2:
            continue
        stats.largest = max(stats.largest, len(members))
        if len(members) > cap:
            stats.split += 1
            members = sorted(members, key=order)
        for win in _windows(members, cap):
            stats.blocks += 1
            by_len[len(win)].append(win)
    los, his = [], []
    for n, wins in by_len.items():
        arr = np.asarray(wins, dtype=np.int64)
        i, j = np.triu_indices(n, 1)
        a, b = arr[:, i].ravel(), arr[:, j].ravel()
        stats.comparisons += len(a)
        los.append(np.minimum(a, b))
        his.append(np.maximum(a, b))
    if not los:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    lo, hi = np.concatenate(los), np.concatenate(his)
    keep = lo != hi
    base = int(hi.max()) + 1
    codes = _distinct(lo[keep] * base + hi[keep])
    return codes // base, codes % base


def _distinct(codes: np.ndarray) -> np.ndarray:
    """Sorted distinct values (sort + diff: much faster than np.unique's hashing here)."""
    codes = np.sort(codes)
    if len(codes) < 2:
        return codes
    return codes[np.concatenate(([True], codes[1:] != codes[:-1]))]


@dataclass
class _UnitFacts:
    """Per unit, as arrays: what ``compare``'s owner rules look at."""

    agency: np.ndarray  # has an agency
    agency_id: np.ndarray  # its only agency (an id), -1 when it has none or several
    single: np.ndarray  # the name is its only form
    key_len: np.ndarray


def _unit_facts(units: list[Unit]) -> _UnitFacts:
    ids: dict[frozenset, int] = {}
    agency_id = [ids.setdefault(u.agencies, len(ids)) if len(u.agencies) == 1 else -1 for u in units]
    return _UnitFacts(
        agency=np.fromiter((bool(u.agencies) for u in units), dtype=bool, count=len(units)),
        agency_id=np.array(agency_id, dtype=np.int64),
        single=np.fromiter((len(u.forms) == 1 for u in units), dtype=bool, count=len(units)),
        key_len=np.fromiter((len(u.key) for u in units), dtype=np.int64, count=len(units)))


def _differ(f: _UnitFacts, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The units' agencies are known to differ (one each, not the same)."""
    return (f.agency_id[a] >= 0) & (f.agency_id[b] >= 0) & (f.agency_id[a] != f.agency_id[b])


def _loose_hit(score: np.ndarray, a: np.ndarray, b: np.ndarray, f: _UnitFacts, s: ResolveSettings) -> np.ndarray:
    """Which pairs of units ``a``/``b`` with a missing region (``score``: ratio of two of
    their forms above the floor, else 0) ``compare`` could accept. Without a known region
    only the same agency lowers the bar or allows an acronym: without agencies on both
    sides the plain threshold applies, a different agency raises it, and short names never
    merge fuzzily (that needs the same region). Only applied to names without other forms:
    ``compare`` takes the best form pair, which need not be the scored one."""
    exact = f.single[a] & f.single[b]
    long_enough = np.minimum(f.key_len[a], f.key_len[b]) > s.short_name_chars
    plain = (score >= s.name_threshold) & long_enough
    raised = (score >= s.name_threshold + s.same_owner_bonus) & long_enough
    out = np.where(exact & ~(f.agency[a] & f.agency[b]), plain, score > 0)
    return np.where(exact & _differ(f, a, b), raised, out)


def _group_pairs(left: np.ndarray, group: np.ndarray, start: np.ndarray, count: np.ndarray,
                 members: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every (left[i], member) with the member in ``group[i]``; a group's members are
    ``members[start[g] : start[g] + count[g]]`` (a vectorised join, no Python loop)."""
    reps = count[group]
    total = int(reps.sum())
    a = np.repeat(left, reps)
    offset = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(reps) - reps, reps)
    return a, members[np.repeat(start[group], reps) + offset]


def _regionless(units: list[Unit], facts: _UnitFacts, s: ResolveSettings,
                stats: BlockStats) -> tuple[np.ndarray, np.ndarray]:
    """A mention without region may belong to any region's entry (neutral evidence): each
    region-less unit meets the units of the same key and its ``global_window`` neighbours
    in the sorted list of all keys (sorted neighbourhood: linear, catches late typos)."""
    sort_keys = [u.sort_key for u in units]
    order_arr = np.array(sorted(range(len(units)), key=sort_keys.__getitem__), dtype=np.int64)
    keys = np.array([sort_keys[i][0] for i in order_arr.tolist()], dtype=object)
    pos = np.flatnonzero(np.array([not units[i].region for i in order_arr.tolist()], dtype=bool))
    # the same key: runs of equal keys in the sorted order
    first = np.ones(len(keys), dtype=bool)
    first[1:] = keys[1:] != keys[:-1]
    run = np.cumsum(first) - 1
    start = np.flatnonzero(first)
    count = np.diff(np.append(start, len(keys)))
    same_a, same_b = _group_pairs(pos, run[pos], start, count, np.arange(len(keys), dtype=np.int64))
    half = max(1, s.global_window // 2)
    offsets = np.array([d for d in range(-half, half + 1) if d], dtype=np.int64)
    a = np.repeat(pos, len(offsets))
    b = (pos[:, None] + offsets[None, :]).ravel()
    ok = (b >= 0) & (b < len(keys))
    a, b = a[ok], b[ok]
    stats.comparisons += len(a)
    if len(a):
        floor = s.name_threshold - 2 * s.same_owner_bonus
        score = cpdist(keys[a], keys[b], scorer=fuzz.ratio, score_cutoff=floor, workers=-1)
        hit = _loose_hit(score, order_arr[a], order_arr[b], facts, s)
        a, b = a[hit], b[hit]
    return order_arr[np.concatenate((same_a, a))], order_arr[np.concatenate((same_b, b))]


def _national_pairs(units: list[Unit], s: ResolveSettings, stats: BlockStats) -> tuple[np.ndarray, np.ndarray]:
    """(national unit, regional unit) of one exact key, both with a long form; a key held
    by more units than ``max_block_size`` pairs within windows of its regions' order."""
    by_key: dict[str, list[int]] = defaultdict(list)
    for u in units:
        if u.region and len(u.forms) > 1:
            by_key[u.key].append(u.idx)
    lo: list[int] = []
    hi: list[int] = []
    for members in by_key.values():
        if len(members) < 2 or not any(units[i].region == NATIONAL for i in members):
            continue
        members = sorted(members, key=lambda i: units[i].region)
        for win in _windows(members, s.max_block_size):
            stats.blocks += 1
            nat = [i for i in win if units[i].region == NATIONAL]
            reg = [i for i in win if units[i].region != NATIONAL]
            for i in nat:
                lo.extend([i] * len(reg))
                hi.extend(reg)
    stats.comparisons += len(lo)
    return np.array(lo, dtype=np.int64), np.array(hi, dtype=np.int64)


@dataclass
class _AcronymBlocks:
    """(key, unit) memberships: long forms written as names keyed by (region, initials),
    and acronym candidates on the keys they share with those (see ``acronym_keys``)."""

    key_region: list[str] = field(default_factory=list)  # key id -> region
    long_key: list[int] = field(default_factory=list)
    long_unit: list[int] = field(default_factory=list)
    acr_key: list[int] = field(default_factory=list)
    acr_unit: list[int] = field(default_factory=list)


def _acronym_blocks(units: list[Unit], s: ResolveSettings) -> _AcronymBlocks:
    out = _AcronymBlocks()
    by_region: dict[str, dict[str, int]] = defaultdict(dict)  # region -> initials -> key id
    for u in units:
        ini = expansion_block_key(u.spaced) if " " in u.spaced else ""
        if ini:
            ids = by_region[u.region]
            kid = ids.get(ini)
            if kid is None:
                kid = ids[ini] = len(out.key_region)
                out.key_region.append(u.region)
            out.long_key.append(kid)
            out.long_unit.append(u.idx)
    # acronym candidates join only the long-form keys that exist (most of their keys do not)
    for u in units:
        ids = by_region.get(u.region)
        if ids and 3 <= len(u.key) <= s.acronym_max_chars and u.spaced.count(" ") <= 1:
            for k in acronym_block_keys(u.key) & ids.keys():
                out.acr_key.append(ids[k])
                out.acr_unit.append(u.idx)
    return out


def _acronym_pairs(units: list[Unit], facts: _UnitFacts, s: ResolveSettings,
                   stats: BlockStats) -> tuple[np.ndarray, np.ndarray]:
    """Acronym candidates x long forms of the same key: a vectorised subsequence test first
    (LCS length == acronym length), the alignment score only for the pairs that pass. A block
    larger than its cap (``block_cap``) is cut into windows of acronyms and long forms sorted
    together by their letters (the acronym; the long form's initials)."""
    blk = _acronym_blocks(units, s)
    n_keys = len(blk.key_region)
    a_key, a_unit = np.array(blk.acr_key, dtype=np.int64), np.array(blk.acr_unit, dtype=np.int64)
    e_key, e_unit = np.array(blk.long_key, dtype=np.int64), np.array(blk.long_unit, dtype=np.int64)
    a_count = np.bincount(a_key, minlength=n_keys)
    e_count = np.bincount(e_key, minlength=n_keys)
    cap = np.array([block_cap(f"{r}|", s) for r in blk.key_region], dtype=np.int64)
    big = (a_count + e_count > cap) & (a_count > 0) & (e_count > 0)
    stats.blocks += int(((a_count > 0) & (e_count > 0) & ~big).sum())
    small = ~big[a_key]
    e_sorted = e_unit[np.argsort(e_key, kind="stable")]
    e_start = np.cumsum(e_count) - e_count
    a, e = _group_pairs(a_unit[small], a_key[small], e_start, e_count, e_sorted)
    la, le = [a], [e]
    a_sorted = a_unit[np.argsort(a_key, kind="stable")]
    a_start = np.cumsum(a_count) - a_count
    for k in np.flatnonzero(big).tolist():
        stats.split += 1
        wa, we = _acronym_windows(units, a_sorted[a_start[k] : a_start[k] + a_count[k]].tolist(),
                                  e_sorted[e_start[k] : e_start[k] + e_count[k]].tolist(), int(cap[k]), stats)
        la += wa
        le += we
    a, e = np.concatenate(la), np.concatenate(le)
    if not len(a):
        return a, e
    codes = _distinct(a * len(units) + e)
    a, e = codes // len(units), codes % len(units)
    a, e = a[a != e], e[a != e]
    stats.comparisons += len(a)
    # compare takes an acronym only without a different agency, and without a known region
    # only with the same agency (a block is in one region: both or neither have one)
    known = np.fromiter((bool(u.region) for u in units), dtype=bool, count=len(units))
    keep = ~_differ(facts, a, e) & (known[a] | (facts.agency[a] & facts.agency[e]))
    a, e = a[keep], e[keep]
    keys = np.array([u.key for u in units], dtype=object)
    longs = np.array([u.spaced.replace(" ", "") for u in units], dtype=object)
    need = np.array([len(u.key) for u in units], dtype=np.int64)
    sub = cpdist(keys[a], longs[e], scorer=LCSseq.similarity, workers=-1) >= need[a]
    # the floor is the lowest bar any owner evidence allows
    afloor = s.acronym_threshold - 2 * s.same_owner_bonus
    ok = [acronym_score(units[i].key, units[j].spaced) >= afloor for i, j in zip(a[sub].tolist(), e[sub].tolist())]
    ok_arr = np.array(ok, dtype=bool)
    return a[sub][ok_arr], e[sub][ok_arr]


def _acronym_windows(units: list[Unit], ca_all: list[int], ce_all: list[int], cap: int,
                     stats: BlockStats) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Pairs of a block over its cap: windows of the acronyms and long forms sorted together."""
    items = sorted([(units[i].key, 0, i) for i in ca_all] +
                   [("".join(w[0] for w in content_words(units[j].spaced)), 1, j) for j in ce_all])
    la, le = [], []
    for win in _windows(items, cap):
        ca = [i for _, side, i in win if side == 0]
        ce = [j for _, side, j in win if side == 1]
        if ca and ce:
            stats.blocks += 1
            la.append(np.repeat(np.asarray(ca, np.int64), len(ce)))
            le.append(np.tile(np.asarray(ce, np.int64), len(ca)))
    return la, le
