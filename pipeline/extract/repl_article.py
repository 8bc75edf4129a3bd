"""Replications in an article: the statements of its sentences become replications, their
names mentions (the source owned by its origin, the new name by the replicating government).

``find_replications`` reads every sentence's statements (replications.py finds them);
``settle_replications`` keeps or drops them once every mention's owner is known.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..gazetteer import Gazetteer
from ..records import Replication
from .names import Candidate, norm, reject_reason
from .repl_lists import find_listed, kit_of
from .replications import FoundReplication, hedged, name_region, region_before

def target_region(texts: list[str], target: str, gaz: Gazetteer) -> str:
    """The replicating government of a new name: a region in the name ('Gresik Lapor'), else
    the subject of the first sentence (of ``texts``) that writes it ('Disdukcapil Kota X
    meluncurkan inovasi serupa dengan nama W')."""
    hit = name_region(target, gaz)
    if hit:
        return hit
    for s in texts:
        pos = s.find(target)
        if pos >= 0:
            return region_before(s, pos, gaz)
    return ""


@dataclass
class Pending:
    """A replication stated in the article, before the owners of its names are known."""

    source: str
    target: str
    target_region: str
    source_region: str
    evidence: str
    check: bool = False  # kept only between two governments ('ke 20 desa lainnya')
    origin: object = None  # the source's Found, whose region decides that check


def find_replications(ctx) -> list[Pending]:
    """Every replication statement of the article (``ctx``: extract.context.ArticleContext).
    Their names become mentions of ``ctx`` -- the source owned by its origin, the new name by
    the replicating government; the statements are kept or dropped by ``settle_replications``
    once every mention's owner is known."""
    out = []
    for i, f in enumerate(ctx.findings):
        for rp in f.replications:
            p = _anaphoric(ctx, f, rp) if rp.anaphor else _stated(ctx, i, f, rp)
            if p is not None:
                out.append(p)
    return out


def find_listed_replications(ctx, pending: list[Pending]) -> list[Pending]:
    """Replication at scale (repl_lists.py): every item of a list of replicated innovations is
    one replication of its origin's innovation by the list's government; its name a mention
    owned by the origin.  Sources already stated by a sentence shape are not repeated."""
    r = ctx.rules
    texts = ["" if f.sentence.kind == "boilerplate" else f.sentence.text for f in ctx.findings]

    def hedge(s: str, pos: int) -> bool:
        return hedged(s, pos, r.repl, r.repl.active_hedge) or hedged(s, pos, r.repl, r.repl.hedge_before)

    def cued(s: str) -> bool:
        return bool(r.repl.cue.search(s.lower()) or r.repl.cue_cased.search(s))

    have = {norm(p.source) for p in pending}
    out = []
    for li in find_listed(texts, kit_of(r), hedge, cued):
        it = li.item
        if norm(it.name) in have:
            continue
        have.add(norm(it.name))
        f = ctx.findings[li.index]
        if it.expansion_span:  # a name read inside the item's long form is a piece of it
            a, b = it.expansion_span
            ctx.found = [x for x in ctx.found if not (x.findings is f and a <= x.cand.start and x.cand.end <= b)]
        _as_mention(ctx, f, it.name, li.source_region, it.origin_agency, li.target_region, it.expansion,
                    it.has_origin)
        out.append(Pending(it.name, "", li.target_region, li.source_region, f.sentence.text))
    return out


def settle_replications(ctx, pending: list[Pending]) -> tuple[tuple[Replication, ...], set]:
    """The article's replications, one per statement, and the pairs of names that must stay
    two innovations (a source and its new name)."""
    kept = [p for p in pending if not p.check or (
        p.origin is not None and p.target_region and p.origin.region not in ("", p.target_region))]
    apart = {frozenset((norm(p.source), norm(p.target))) for p in kept if p.target}
    seen: dict[tuple[str, str], Pending] = {}
    for p in kept:  # a repeated paragraph repeats the statement
        seen.setdefault((norm(p.source), norm(p.target) or p.target_region), p)
    named = {(k[0], v.target_region) for k, v in seen.items() if v.target}  # the same statement without its new name
    seen = {k: v for k, v in seen.items() if v.target or (k[0], v.target_region) not in named}
    return tuple(Replication(ctx.article.article_id, p.source, p.target, p.target_region or "", p.evidence,
                             p.source_region or "") for p in seen.values()), apart


def _anaphoric(ctx, f, rp: FoundReplication) -> Pending | None:
    """'Z mereplikasi inovasi tersebut' / 'Inovasi tersebut direplikasi Z dengan nama W': the
    source is the innovation named before (not a part listed beside others); a replicating
    government must be named."""
    s = f.sentence.text
    if not rp.target_region:
        return None  # 'daerah lain mungkin sudah mengadopsi itu': nobody in particular
    here = ctx.index_of(f)
    prev = [x for x in ctx.found if (x.findings is not f and (ctx.index_of(x.findings) or 0) < (here or 0))
            or (x.findings is f and x.cand.end <= s.find(" "))]
    alone = [x for x in prev if x.cand.via != "item"]
    if not prev:
        return None
    src = (alone or prev)[-1]
    tgt = s[rp.target[0]:rp.target[1]].strip() if rp.target else ""
    if tgt:
        _as_mention(ctx, f, tgt, rp.target_region, "")
    return Pending(src.cand.name, tgt, rp.target_region, src.region, s, rp.expansion and not tgt, src)


def _stated(ctx, i: int, f, rp: FoundReplication) -> Pending | None:
    r, gaz, s = ctx.rules, ctx.gaz, f.sentence.text
    src = r.repl.source_tail.sub("", r.repl.source_lead.sub("", s[rp.source[0]:rp.source[1]].strip()))
    tgt = s[rp.target[0]:rp.target[1]].strip() if rp.target else ""
    known = {norm(x.cand.name) for x in ctx.found}
    if not src or norm(src) not in known and reject_reason(src, r.names, gaz, r.agencies):
        return None
    if tgt and norm(tgt) not in known and reject_reason(tgt, r.names, gaz, r.agencies):
        tgt = ""
    if not tgt:
        tgt = _later_target(ctx, i, src, rp.target_region, 3 if rp.weak else 8)
    if rp.weak and not tgt:
        return None  # a visit or a lesson without an adopted version
    treg = rp.target_region or (target_region(
        [g.sentence.text for g in ctx.findings[i:i + 8]], tgt, gaz) if tgt else "") or _speaker_region(ctx, i)
    owner, subject = _statement_agencies(ctx, f, rp, treg)
    _as_mention(ctx, f, src, rp.source_region, owner, treg)
    _as_mention(ctx, f, tgt, treg, subject)
    check = rp.expansion and not tgt and not rp.source_region
    return Pending(src, tgt, treg, rp.source_region, s, bool(check), ctx.named(src)[0] if check and ctx.named(src) else None)


def _speaker_region(ctx, i: int) -> str:
    """'Kami ... akan meniru X': the government the previous sentence names first."""
    if i == 0 or not ctx.rules.repl.first_person.match(ctx.findings[i].sentence.text):
        return ""
    regs = [p for p in ctx.gaz.regions_in(ctx.findings[i - 1].sentence.text) if p.typed]
    return regs[0].name if regs else ""


def _statement_agencies(ctx, f, rp: FoundReplication, treg: str) -> tuple[str, str]:
    """The source's owner ('X milik <Agency>') and the replicating agency (the subject, or an
    agency of the target region) as the sentence writes them."""
    s, gaz = f.sentence.text, ctx.gaz
    subject = [sp for sp in f.agencies if sp[1] <= rp.source[0] and not any(
        o.covered and o.covered[0] <= sp[0] < o.covered[1] for o in f.candidates)] or [
        sp for sp in f.agencies if treg and _region_name(gaz.agency_region(s[sp[0]:sp[1]])) == treg]
    owner = [sp for sp in f.agencies if rp.source[1] < sp[0] <= rp.source[1] + 40 and ctx.rules.repl.from_.match(
        re.sub(r"^\)?\s*(?:\([^)]*\))?", "", s[rp.source[1]:sp[0]]).rstrip() + " ")]  # 'X milik <Agency>'
    return (s[owner[0][0]:owner[0][1]] if owner else "", s[subject[0][0]:subject[0][1]] if subject else "")


def _as_mention(ctx, f, name: str, region: str, agency: str, replicated_by: str = "", expansion: str = "",
                fixed: bool = False) -> None:
    """A replication's name is a mention too: owned by ``agency`` in ``region`` unless the
    name's own rule already found its owner; a source remembers who replicates it
    (``replicated_by``), whose agency and region are never its owner's."""
    if not name:
        return
    same = ctx.named(name)
    if not same:
        off = max(f.sentence.text.find(name), 0)
        same = [ctx.add(Candidate(name, off, off + len(name), "replication", expansion=expansion), f)]
    for x in same:
        if region and not x.cand.agency:
            hit = ctx.gaz.resolve_region(region)
            x.region, x.province = region, hit.province if hit is not None else ""
        if agency and not x.cand.agency:
            x.cand.agency = agency
        if replicated_by and replicated_by != x.region:
            x.replicated_by = replicated_by
        if fixed:
            x.owner_fixed, x.cand.agency = True, agency


def _region_name(region) -> str:
    return region.name if region is not None else ""


def _later_target(ctx, i: int, source: str, target_region: str, window: int = 8) -> str:
    """A replication whose new name comes later: 'versi Muba akan diberi nama X' in the next
    sentences, or the source name suffixed with the target's region ('SIAP Loteng')."""
    names = ctx.rules.names
    for g in ctx.findings[i:i + window]:
        for c in g.candidates:
            if not c.reason and c.via in ("named", "acronym") and norm(c.name) != norm(source) and (
                    names.intro.search(g.sentence.text)):
                return c.name
    first = re.escape(source.split()[0])
    rx = re.compile(rf"\b({first}(?:\s+[A-Z][\w-]*){{0,3}}?\s+([A-Z][\w-]+))\b")
    for g in ctx.findings[i:]:
        for m in rx.finditer(g.sentence.text):
            if norm(m.group(1)) == norm(source):
                continue
            hit = ctx.gaz.resolve_region(m.group(2))
            if hit and (not target_region or hit.name == target_region):
                return m.group(1)
    return ""
