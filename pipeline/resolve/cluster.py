"""Cluster units from accepted links without chaining unrelated names.

Links are taken strongest first (ties by the units' keys, so the result does not
depend on input order). Two clusters join only when (1) their known regions agree,
(2) no cannot-link pair (source and target of a replication) would end up together,
and (3) the clusters' representatives -- not just the two linked units -- also pass
``compare``. (3) is what stops ``A~B~C`` from joining ``A`` and ``C`` when those two
are unrelated (a complete-linkage-style check against the canonical form).

A *crossing* link (``compare.CROSSING``: a national and a regional unit of one name and
long form) comes after every other link; it may join a national cluster to a regional one
(the union then holds the national region and one other, never two regional ones) and
needs no representative check: its own evidence is the exact name and long form.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..settings import ResolveSettings
from .blocking import Unit
from .compare import Comparison, compare
from .normalise import NATIONAL


@dataclass(frozen=True)
class Link:
    left: int  # unit indices
    right: int
    comparison: Comparison
    decision: str  # the final decision (may differ from the comparison: a cluster rule)


@dataclass
class Clusters:
    labels: list[int]  # unit index -> root unit index
    links: list[Link] = field(default_factory=list)  # accepted
    rejections: list[Link] = field(default_factory=list)  # notable: close names kept apart


def _rank(u: Unit) -> tuple:
    # the representative: most mentions, then one with a region, shortest key, key order
    return (-len(u.mentions), not u.region, len(u.key), u.sort_key)


def _view(rep: Unit, regions: set[str]) -> Unit:
    """The representative as its cluster knows it: a region-less one takes the cluster's region."""
    if rep.region or not regions:
        return rep
    return replace(rep, region=min(regions))


def cluster(units: list[Unit], pairs, s: ResolveSettings,
            cannot_link: set[tuple[int, int]] = frozenset()) -> Clusters:
    parent = list(range(len(units)))
    rep = list(range(len(units)))
    regions = [{u.region} - {""} for u in units]
    cl: dict[int, set[int]] = {}
    for a, b in cannot_link:
        cl.setdefault(a, set()).add(b)
        cl.setdefault(b, set()).add(a)

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    out = Clusters(labels=[])
    scored = []
    for a, b in pairs:
        c = compare(units[a], units[b], s)
        if c.accept:
            scored.append((-c.strength, units[a].sort_key, units[b].sort_key, a, b, c))
        elif c.decision.startswith("forbidden") and len(out.rejections) < s.max_rejections:
            out.rejections.append(Link(a, b, c, c.decision))
    scored.sort(key=lambda t: t[:3])
    for _, _, _, a, b, c in scored:
        ra, rb = find(a), find(b)
        if ra == rb:
            continue
        reason = ""
        crossing = c.crossing
        if _regions_clash(regions[ra] | regions[rb], crossing):
            reason = "forbidden: the clusters are in different regions"
        elif _cannot(ra, rb, cl, find):
            reason = "forbidden: source and target of a replication"
        elif not crossing and {rep[ra], rep[rb]} != {a, b}:
            check = compare(_view(units[rep[ra]], regions[ra]), _view(units[rep[rb]], regions[rb]), s)
            if not check.accept:
                reason = f"reject: representatives differ ({check.decision})"
        if reason:
            if len(out.rejections) < s.max_rejections:
                out.rejections.append(Link(a, b, c, reason))
            continue
        # union: the better-ranked representative's root survives
        if _rank(units[rep[rb]]) < _rank(units[rep[ra]]):
            ra, rb = rb, ra
        parent[rb] = ra
        regions[ra] |= regions[rb]
        if rb in cl or ra in cl:
            cl.setdefault(ra, set()).update(cl.pop(rb, set()))
        out.links.append(Link(a, b, c, c.decision))
    out.labels = [find(i) for i in range(len(units))]
    return out


def _regions_clash(union: set[str], crossing: bool) -> bool:
    """The known regions of two clusters forbid their union: more than one region, unless a
    crossing link joins the national one and a single regional one."""
    if len(union) <= 1:
        return False
    return not crossing or NATIONAL not in union or len(union) > 2


def _cannot(ra: int, rb: int, cl: dict[int, set[int]], find) -> bool:
    if ra not in cl and rb not in cl:
        return False
    return any(find(x) == rb for x in cl.get(ra, ())) or any(find(x) == ra for x in cl.get(rb, ()))
