"""Proposals: every span of an article that might be an innovation name (``learn`` decides).

``propose`` lists the rule families' candidates (accepted and rejected, with their family and
reason) and spans the rules never read -- runs of capitalised words and their sub-spans,
parenthesised and quoted text -- less the single capitalised words with nothing of a name
about them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .model import SentenceFindings
from .names import Candidate, name_like
from .rules import Rules

_TOK = re.compile(r"[^\s,;:()“”\"!?‘’–—]+")


@dataclass
class Proposal:
    """A span of one sentence that may be an innovation name."""

    findings: SentenceFindings
    start: int
    end: int
    via: str  # the rule family, or 'gen' for a span the rules did not read
    cand: Candidate | None = None  # the rule's candidate, where one proposed it
    reason: str = ""  # the rule's reason to reject it
    name: str = field(init=False)  # the span's text

    def __post_init__(self) -> None:
        self.name = self.findings.sentence.text[self.start:self.end]


# -- proposals ---------------------------------------------------------------------------

def propose(findings: list[SentenceFindings], rules: Rules, max_words: int = 6) -> list[Proposal]:
    """Every span of the article worth a decision (rule candidates first, then new spans)."""
    out: list[Proposal] = []
    for f in findings:
        if f.sentence.kind == "boilerplate":
            continue
        seen = set()
        for c in f.candidates:
            if c.name and (c.start, c.start + len(c.name)) not in seen:
                seen.add((c.start, c.start + len(c.name)))
                out.append(Proposal(f, c.start, c.start + len(c.name), c.via, c, c.reason))
        for a, b in _spans(f.sentence.text, rules, max_words):
            if (a, b) not in seen:
                seen.add((a, b))
                out.append(Proposal(f, a, b, "gen"))
    return _worth_deciding(out, rules)


def _worth_deciding(props: list[Proposal], rules: Rules) -> list[Proposal]:
    """Drop the single capitalised words that have nothing of a name about them (half of all
    spans, and hardly ever a name): kept are rule candidates, words with two capitals, a
    digit or a hyphen, words in parentheses or quotes or right after a cue word, and words
    the article writes at least twice."""
    words: dict[str, int] = {}
    for p in props:
        if p.cand is None and " " not in p.name:
            words[p.name] = words.get(p.name, 0) + 1
    out = []
    for p in props:
        w = p.name
        if p.cand is not None or " " in w or words.get(w, 0) >= 2 or sum(c.isupper() for c in w) >= 2 or \
                any(c.isdigit() or c == "-" for c in w):
            out.append(p)
            continue
        s = p.findings.sentence.text
        before = s[max(0, p.start - 30):p.start]
        if before[-1:] in "(\"“'‘" or rules.names.cue.search(before[-12:]) or rules.names.intro.search(before):
            out.append(p)
    return out


def _spans(s: str, rules: Rules, max_words: int) -> list[tuple[int, int]]:
    """Sub-spans of every run of name-like words (inner connectors allowed), opening and
    ending on a name-like word, and touching the start or the end of the run."""
    names = rules.names
    runs: list[list[tuple[int, int]]] = []
    run: list[tuple[int, int]] = []
    prev_end = None
    for m in _TOK.finditer(s):
        w = m.group().rstrip(".")
        joined = prev_end is not None and not s[prev_end:m.start()].strip()
        ok = name_like(w) or (run and w.lower() in names.connectors)
        if not (ok and (joined or not run)):
            if run:
                runs.append(run)
            run = [(m.start(), m.start() + len(w))] if name_like(w) else []
        else:
            run.append((m.start(), m.start() + len(w)))
        prev_end = m.end()
        if m.group().endswith(".") and len(m.group()) > 1 and run:
            runs.append(run)
            run, prev_end = [], None
    if run:
        runs.append(run)
    spans = []
    for run in runs:
        like = [name_like(s[a:b]) for a, b in run]
        for i in range(len(run)):
            if not like[i] or names.cue.fullmatch(s[run[i][0]:run[i][1]]):
                continue  # 'Inovasi X': the cue word opens no name (the cue rule reads X)
            for j in range(i, min(len(run), i + max_words)):
                if like[j] and (i == 0 or j == len(run) - 1):  # a span cut on both sides is hardly ever a name
                    spans.append((run[i][0], run[j][1]))
    return spans
