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
  and their neighbours in the sorted list of all keys (``global_window``).

Blocks larger than ``max_block_size`` are cut into overlapping windows of the sorted
keys, so comparisons per name are bounded (linear growth once blocks reach the cap).
All pairs are scored in bulk with ``rapidfuzz.process.cpdist``; only pairs above the
candidate floor reach ``compare`` in Python.
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
from .normalise import (OwnerSource, acronym_block_keys, acronym_score, content_words,
                        expansion_block_key, spaced, strip_suffixes)


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
            if ag is None:
                ag = agency_cache[surface] = owners.agency(surface)
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


def block_keys(u: Unit, df: Counter, s: ResolveSettings) -> set[tuple[str, str]]:
    """Every (kind, key) of a unit: its forms' ``p``/``t`` keys and its acronym keys."""
    out: set[tuple[str, str]] = set()
    for form in u.forms:
        out |= form_keys(form, u.region, df, s)
    return out | acronym_keys(u, s)


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
    df = word_frequencies(units)
    rec_unit: list[int] = []  # form record -> unit
    rec_form: list[str] = []  # form record -> spaced form
    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    acr: dict[str, list[int]] = defaultdict(list)
    exp: dict[str, list[int]] = defaultdict(list)
    for u in units:
        for form in u.forms:
            rid = len(rec_unit)
            rec_unit.append(u.idx)
            rec_form.append(form)
            for bk in form_keys(form, u.region, df, s):
                blocks[bk].append(rid)
        if " " in u.spaced and len(content_words(u.spaced)) >= 2:
            exp[f"{u.region}|{expansion_block_key(u.spaced)}"].append(u.idx)
    # acronym candidates join only the long-form keys that exist (most of their keys do not)
    long_keys: dict[str, set[str]] = defaultdict(set)
    for key in exp:
        r, _, k = key.rpartition("|")
        long_keys[r].add(k)
    for u in units:
        ks = long_keys.get(u.region)
        if ks and 3 <= len(u.key) <= s.acronym_max_chars and u.spaced.count(" ") <= 1:
            for k in acronym_block_keys(u.key) & ks:
                acr[f"{u.region}|{k}"].append(u.idx)
    # the floors are the lowest bars any owner evidence allows
    floor = s.name_threshold - 2 * s.same_owner_bonus
    afloor = s.acronym_threshold - 2 * s.same_owner_bonus
    pairs: set[tuple[int, int]] = set()
    comp = np.array([f.replace(" ", "") for f in rec_form], dtype=object)
    spaced_ = np.array(rec_form, dtype=object)
    units_of = np.array(rec_unit, dtype=np.int64)

    lo, hi = _block_pairs(blocks.values(), s.max_block_size, lambda r: (comp[r], rec_unit[r]), stats)
    if len(lo):
        hit = cpdist(comp[lo], comp[hi], scorer=fuzz.ratio, score_cutoff=floor, workers=-1) > 0
        # one name extending another is only accepted within a known region and for names
        # long enough (compare.py): test the costlier scorers on those pairs only
        length = np.fromiter(map(len, comp), dtype=np.int64, count=len(comp))
        has_region = np.array([bool(units[u].region) for u in rec_unit], dtype=bool)
        short, long = np.minimum(length[lo], length[hi]), np.maximum(length[lo], length[hi])
        ext = (~hit & has_region[lo] & (short >= s.extension_min_chars)
               & (short >= s.extension_min_share * long))
        if ext.any():
            e_hit = cpdist(spaced_[lo[ext]], spaced_[hi[ext]], scorer=fuzz.token_set_ratio,
                           score_cutoff=s.partial_threshold, workers=-1) > 0
            e_hit |= cpdist(comp[lo[ext]], comp[hi[ext]], scorer=fuzz.partial_ratio,
                            score_cutoff=s.partial_threshold, workers=-1) > 0
            hit[ext] = e_hit
        _add_all(pairs, units_of[lo[hit]], units_of[hi[hit]])
    _acronym_pairs(units, acr, exp, afloor, pairs, stats, s)
    if any(not u.region for u in units) and any(u.region for u in units):
        _regionless(units, floor, pairs, stats, s)
    return pairs


def _block_pairs(members_lists, cap: int, order, stats: BlockStats) -> tuple[np.ndarray, np.ndarray]:
    """All pairs (lo < hi) of records that share a block or a window of a large block."""
    by_len: dict[int, list[list[int]]] = defaultdict(list)
    for members in members_lists:
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


def _add_all(pairs: set, a: np.ndarray, b: np.ndarray) -> None:
    for x, y in zip(a.tolist(), b.tolist()):
        if x != y:
            pairs.add((x, y) if x < y else (y, x))


def _add(pairs: set, a: int, b: int) -> None:
    pairs.add((a, b) if a < b else (b, a))


def _regionless(units, floor, pairs, stats, s) -> None:
    """A mention without region may belong to any region's entry (neutral evidence): each
    region-less unit meets the units of the same key and its ``global_window`` neighbours
    in the sorted list of all keys (sorted neighbourhood: linear, catches late typos)."""
    order = sorted(range(len(units)), key=lambda i: units[i].sort_key)
    keys = np.array([units[i].key for i in order], dtype=object)
    order_arr = np.array(order, dtype=np.int64)
    half = max(1, s.global_window // 2)
    by_key: dict[str, list[int]] = defaultdict(list)
    for i in order:
        by_key[units[i].key].append(i)
    pos = np.array([p for p, i in enumerate(order) if not units[i].region], dtype=np.int64)
    for p in pos.tolist():
        i = order[p]
        for j in by_key[units[i].key]:
            if j != i:
                _add(pairs, i, j)
    offsets = np.array([d for d in range(-half, half + 1) if d], dtype=np.int64)
    a = np.repeat(pos, len(offsets))
    b = (pos[:, None] + offsets[None, :]).ravel()
    ok = (b >= 0) & (b < len(order))
    a, b = a[ok], b[ok]
    stats.comparisons += len(a)
    if len(a):
        hit = cpdist(keys[a], keys[b], scorer=fuzz.ratio, score_cutoff=floor, workers=-1) > 0
        _add_all(pairs, order_arr[a[hit]], order_arr[b[hit]])


def _acronym_pairs(units, acr, exp, afloor, pairs, stats, s) -> None:
    """Acronym candidates x long forms of the same key: a vectorised subsequence test first
    (LCS length == acronym length), the alignment score only for the pairs that pass. A block
    larger than ``max_block_size`` is cut into windows of acronyms and long forms sorted
    together by their letters (the acronym; the long form's initials)."""
    la, le = [], []
    for key, ca_all in acr.items():
        ce_all = exp.get(key)
        if not ce_all:
            continue
        items = sorted([(units[i].key, 0, i) for i in ca_all] +
                       [("".join(w[0] for w in content_words(units[j].spaced)), 1, j) for j in ce_all])
        if len(items) > s.max_block_size:
            stats.split += 1
        for win in _windows(items, s.max_block_size):
            ca = [i for _, side, i in win if side == 0]
            ce = [j for _, side, j in win if side == 1]
            if ca and ce:
                stats.blocks += 1
                la.append(np.repeat(np.asarray(ca, np.int64), len(ce)))
                le.append(np.tile(np.asarray(ce, np.int64), len(ca)))
    if not la:
        return
    a, e = np.concatenate(la), np.concatenate(le)
    codes = _distinct(a * len(units) + e)
    a, e = codes // len(units), codes % len(units)
    keep = a != e
    a, e = a[keep], e[keep]
    stats.comparisons += len(a)
    keys = np.array([u.key for u in units], dtype=object)
    longs = np.array([u.spaced.replace(" ", "") for u in units], dtype=object)
    need = np.array([len(u.key) for u in units], dtype=np.int64)
    sub = cpdist(keys[a], longs[e], scorer=LCSseq.similarity, workers=-1) >= need[a]
    for i, j in zip(a[sub].tolist(), e[sub].tolist()):
        if acronym_score(units[i].key, units[j].spaced) >= afloor:
            _add(pairs, i, j)
