"""Replications: 'X direplikasi menjadi Y', 'A mereplikasi inovasi X dari B', 'studi tiru X'."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .acronyms import coverage, is_acronym_like
from .names import NameRules, _back_name, take_name
from .owners import Places


@dataclass(frozen=True)
class ReplicationRules:
    renamed: re.Pattern
    replicates: re.Pattern
    replicated: re.Pattern
    from_: re.Pattern

    @classmethod
    def from_data(cls, data: dict) -> "ReplicationRules":
        return cls(re.compile(data["renamed_regex"]), re.compile(data["replicates_regex"]),
                   re.compile(data["replicated_regex"]), re.compile(data["from_regex"], re.IGNORECASE))


@dataclass(frozen=True)
class FoundReplication:
    source: tuple[int, int]  # span of the source name in the sentence
    target: tuple[int, int] | None
    target_region: str = ""
    source_region: str = ""
    anaphor: bool = False  # 'mereplikasi inovasi tersebut': the source is the innovation named before


def find_replications(s: str, rules: ReplicationRules, names: NameRules, places: Places,
                      candidates=()) -> list[FoundReplication]:
    out: list[FoundReplication] = []
    for m in rules.renamed.finditer(s):
        tgt = take_name(s, m.end(), names)
        if not tgt:
            continue
        # the source: the innovation named last before the verb ('X (ACR) milik Y direplikasi')
        before = [c for c in candidates if not c.reason and c.end <= m.start()]
        if before:
            src = (before[-1].start, before[-1].end)
        else:
            st = _back_name(s, m.start(), names)
            if st is None:
                continue
            src = (st, len(s[:m.start()].rstrip()))
        by = re.match(r"\s+oleh\s+", s[tgt[1]:])
        treg = ""
        if by:
            regs = places.find_regions(s[tgt[1] + by.end():tgt[1] + by.end() + 60])
            treg = regs[0].name if regs else ""
        sreg = ""
        own = rules.from_.match(s[src[1]:]) or re.match(r"\s*\([^)]*\)\s*(?:milik|dari|asal)\s+", s[src[1]:])
        if own:
            regs = places.find_regions(s[src[1] + own.end():m.start()])
            sreg = regs[0].name if regs else ""
        out.append(FoundReplication(_short_form(s, src), _short_form(s, tgt), treg or _region_before(s, src[0], places),
                                    sreg))
    if out:
        return out
    for m in rules.replicates.finditer(s):
        src = take_name(s, m.end(), names)
        if not src:
            if re.match(r"(?i)(?:inovasi\s+)?(?:tersebut|ini|itu)\b|nya\b", s[m.end():]) or s[m.start():m.end()].lower().rstrip().endswith("nya"):
                out.append(FoundReplication((0, 0), None, _region_before(s, m.start(), places), "", True))
            continue
        tail = s[src[1]:]
        # 'X (ACRONYM) milik Y': the owner follows the acronym gloss
        fm = rules.from_.match(tail) or re.match(r"\s*\([^)]*\)\s*(?:milik|dari|asal)\s+", tail)
        source_region = ""
        if fm:
            regs = places.find_regions(tail[fm.end():fm.end() + 60])
            if regs and regs[0].start == 0:
                source_region = regs[0].name
        if not source_region:
            regs = places.find_regions(tail[:120])
            source_region = regs[0].name if regs and fm else ""
        target = None
        nm = re.match(r"(?i)[^.;]{0,140}?\b(?:menjadi|dengan\s+nama|bernama)\s+", tail)
        if nm:
            target = take_name(s, src[1] + nm.end(), names)
        out.append(FoundReplication(_short_form(s, src), target and _short_form(s, target),
                                    _region_before(s, m.start(), places), source_region))
    return out


def _short_form(s: str, span: tuple[int, int]) -> tuple[int, int]:
    """'Long Form (ACRONYM)': the acronym is the name (as the mention rules read it)."""
    m = re.match(r"\s*\(([^()]{1,40})\)", s[span[1]:])
    if m and is_acronym_like(m.group(1)) and coverage(m.group(1), s[span[0]:span[1]]) >= 0.6:
        return span[1] + m.start(1), span[1] + m.end(1)
    return span


def _region_before(s: str, pos: int, places: Places) -> str:
    """The replicating government: the first region named before the verb (the subject)."""
    regs = [p for p in places.find_regions(s[:pos]) if p.typed]
    return regs[0].name if regs else ""
