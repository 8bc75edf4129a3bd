"""Order-free innovation ids, the aliases that keep published ids resolving, and tombstones.

The rule (also in docs/ARCHITECTURE.md, "Ids, aliases and withdrawals"):

1. **Live ids depend on content only.** A cluster's id is derived from its *founding*
   mention: the one with the smallest ``(published day, mention key)`` (a mention without a
   date sorts last; the mention key ``article_id|normalised name`` is unique, so the order is
   total).  ``id = "i" + 12 hex of SHA-1(founding key)``.  The same set of mentions therefore
   gives the same ids whether it arrived in one run, in several, or in any order; earlier
   runs never decide a live id.  (The earliest-published founder means a nightly run, whose
   new articles are newer, rarely changes an id.)
2. **A published id never dangles.** Every id an earlier run published (a live id, an alias,
   a tombstone) is still answered: an earlier live id that is no longer live becomes an
   alias of the live entry now holding most of its earlier mentions (ties: the smaller id);
   an earlier alias follows its target to wherever that went.
3. **Withdrawals leave tombstones.** An earlier id none of whose mentions exist any more
   (its articles were corrected or removed) becomes a tombstone: a registry row with status
   ``withdrawn`` and the run that withdrew it.  An id whose founding mention comes back is
   live again (a revived id is neither alias nor tombstone).
4. An entry that splits keeps its id on the part that holds its founding mention (rule 1);
   the other part gets the id of its own founder and lists the old id in ``split_from``.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from typing import Collection, Mapping, Sequence

NO_DATE = "9999"  # a mention without a publication date founds a cluster only after dated ones


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


def founding_order(published: str, key: str) -> tuple[str, str]:
    """The total order that picks a cluster's founding mention (smallest first)."""
    return (published[:10] or NO_DATE, key)


@dataclass(frozen=True)
class IdAssignment:
    ids: list[str]  # id per group
    aliases: dict[str, str]  # every retired published id -> an id that has a registry row
    tombstones: tuple[str, ...]  # published ids with no mention left (withdrawn)
    split_from: dict[int, tuple[str, ...]]  # group -> earlier live ids some of its mentions carried


def live_ids(groups: Sequence[Sequence[int]], founders: Sequence[int], keys: Sequence[str]) -> list[str]:
    """Rule 1: each group's id from its founding key; a (vanishingly rare) hash collision
    salts the group with the larger founding key, so the result is still order-free."""
    ids = [""] * len(groups)
    taken: set[str] = set()
    for gi in sorted(range(len(groups)), key=lambda g: keys[founders[g]]):
        salt, iid = 0, content_id(keys[founders[gi]])
        while iid in taken:
            salt += 1
            iid = content_id(keys[founders[gi]], salt)
        ids[gi] = iid
        taken.add(iid)
    return ids


def assign_ids(groups: Sequence[Sequence[int]], keys: Sequence[str], founders: Sequence[int],
               prior_assign: Mapping[str, str], prior_aliases: Mapping[str, str],
               prior_withdrawn: Collection = ()) -> IdAssignment:
    """Ids for ``groups`` (mention indices; ``founders[g]`` is the founding mention of group g)
    and what becomes of every id published before (rules 2-4)."""
    ids = live_ids(groups, founders, keys)
    live = set(ids)
    group_of = {keys[m]: gi for gi, g in enumerate(groups) for m in g}
    # where each earlier live id's mentions are now
    went: dict[str, Counter] = {}
    for key, old in prior_assign.items():
        gi = group_of.get(key)
        c = went.setdefault(old, Counter())
        if gi is not None:
            c[ids[gi]] += 1
    aliases: dict[str, str] = {}
    tombstones: set[str] = set()
    split: dict[int, set[str]] = {}
    group_by_id = {iid: gi for gi, iid in enumerate(ids)}
    for old, c in went.items():
        parts = set(c)
        if old in live:
            for other in parts - {old}:  # a split: the other parts remember where they came from
                split.setdefault(group_by_id[other], set()).add(old)
            continue
        if not c:
            tombstones.add(old)
            continue
        aliases[old] = min(c, key=lambda i: (-c[i], i))
    for old in prior_aliases:  # earlier aliases follow their target
        if old in live or old in aliases:
            continue
        tgt = follow(old, prior_aliases)
        tgt = aliases.get(tgt, tgt)
        if tgt != old:
            aliases[old] = tgt
    for old in prior_withdrawn:
        if old not in live and old not in aliases:
            tombstones.add(old)
    for old, tgt in list(aliases.items()):  # an alias never points at another alias
        aliases[old] = follow(tgt, aliases)
    return IdAssignment(ids, aliases, tuple(sorted(tombstones)),
                        {gi: tuple(sorted(s)) for gi, s in split.items()})
