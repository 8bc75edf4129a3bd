"""The learned part of extraction: rules propose name spans generously, a classifier decides.

``proposals.propose`` lists every span of an article that might be an innovation name (the
rule families' candidates and spans the rules never read); ``features.span_features``
describes each by its shape, the gazetteer, the rules and its context, never by its own words.

``NameModel`` is a logistic regression stored as plain JSON (weights by feature name), so
running it needs no learning library; ``decide`` applies it to an article's findings:
accepted spans become candidates (``via='model'``), rejected rule candidates get a reason.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

from .acronyms import coverage
from .features import ArticleView, span_features, span_score
from .model import SentenceFindings
from .names import Candidate
from .proposals import Proposal, propose
from .rules import Rules

MODEL_FILE = "names.json"
__all__ = ["MODEL_FILE", "NameModel", "Proposal", "article_features", "article_probs", "decide",
           "propose"]


# -- features (``features.py``) ------------------------------------------------------------

def article_features(findings: list[SentenceFindings], rules: Rules, title: str,
                     with_rules: bool = True) -> tuple[list[Proposal], list[dict[str, float]]]:
    """The proposals of an article and their features (without the rule family's ones
    when ``with_rules`` is False: the model-only variant)."""
    props = propose(findings, rules)
    view = ArticleView(findings, rules, title, props)
    return props, [span_features(p, view, with_rules) for p in props]


def article_probs(findings: list[SentenceFindings], rules: Rules, title: str,
                  model: "NameModel") -> tuple[list[Proposal], list[float]]:
    """The proposals of an article and the model's probability of each (the features' shared
    parts are weighed once: ``features.span_score``)."""
    props = propose(findings, rules)
    view = ArticleView(findings, rules, title, props, model.weights)
    return props, [model.squash(span_score(p, view, model.with_rules)) for p in props]


# -- the model ---------------------------------------------------------------------------

@dataclass(frozen=True)
class NameModel:
    weights: dict[str, float]
    threshold: float = 0.5
    with_rules: bool = True
    rule_threshold: float = 0.5  # a name the rules accepted stays unless its probability is below this

    def prob(self, feats: dict[str, float]) -> float:
        return self.squash(sum(self.weights.get(k, 0.0) * v for k, v in feats.items()))

    @staticmethod
    def squash(z: float) -> float:
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def save(self, directory: str | Path) -> Path:
        path = Path(directory) / MODEL_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {"threshold": self.threshold, "rule_threshold": self.rule_threshold, "with_rules": self.with_rules,
                "weights": dict(sorted(self.weights.items()))}
        path.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
        return path

    @classmethod
    def load(cls, directory: str | Path) -> "NameModel":
        path = Path(directory) / MODEL_FILE
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls({k: float(v) for k, v in data["weights"].items()}, float(data["threshold"]),
                   bool(data.get("with_rules", True)), float(data.get("rule_threshold", data["threshold"])))


def decide(findings: list[SentenceFindings], rules: Rules, title: str, model: NameModel) -> None:
    """Apply the model to an article: in each sentence the most probable spans above the
    threshold (for a name the rules accepted: above ``rule_threshold``), never overlapping,
    are its names; every other rule candidate is rejected."""
    props, probs = article_probs(findings, rules, title, model)
    scored = sorted(((prob, k, p) for k, (p, prob) in enumerate(zip(props, probs))), key=lambda t: (-t[0], t[1]))
    taken: dict[int, list[tuple[int, int]]] = {}
    keep: set[int] = set()
    low = min(model.threshold, model.rule_threshold)
    for prob, k, p in scored:
        if prob < low:
            break
        if prob < (model.rule_threshold if p.cand is not None and not p.reason else model.threshold):
            continue
        spans = taken.setdefault(id(p.findings), [])
        if any(a < p.end and p.start < b for a, b in spans):
            continue
        spans.append((p.start, p.end))
        keep.add(k)
    for k, p in enumerate(props):
        if p.cand is not None:
            p.cand.reason = "" if k in keep else (p.cand.reason or "the model rejects it")
    for k, p in enumerate(props):
        if k in keep and p.cand is None and not _long_form_of(p, rules):
            p.findings.candidates.append(Candidate(p.name, p.start, p.end, "model"))


_PAREN_AFTER = re.compile(r"\s*\(([^()]{1,40})\)")


def _long_form_of(p: Proposal, rules: Rules) -> bool:
    """A span that is the long form of a name accepted beside it ('Long Form (ACR)', 'ACR (Long
    Form)'): the acronym's expansion, not a second innovation (it becomes the expansion)."""
    s = p.findings.sentence.text
    after = _PAREN_AFTER.match(s, p.end)
    accepted = [c for c in p.findings.candidates if not c.reason]
    for c in accepted:
        beside = (after and after.start(1) == c.start) or (
            s[p.start - 1:p.start] == "(" and s[c.start + len(c.name):p.start - 1].strip() == "")
        if beside and coverage(c.name, p.name) >= rules.names.min_coverage:
            c.expansion = c.expansion if c.expansion and len(c.expansion) <= len(p.name) else p.name
            return True
    return False
