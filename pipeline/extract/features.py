"""Features of a proposed name span (``proposals.propose``), in five parts that share work.

A span is described by its *shape* (words, capitals, digits, hyphens), the *gazetteer* (a
region, an agency, a person's title before it), the *rules* (which family proposed it, why it
was rejected) and its *context* (the words around it, cue words, the sentence's place and
kind, list structure).  No feature is the span's own words: a model that learnt names would
be a list of names.  Context words are kept only when frequent across many training
articles (``train.py``).

An article has hundreds of spans, and most of them share a sentence, a start or an end with
many others, so the features come in parts computed once each (``ArticleView``):

- the *sentence* part (its kind, place, commas, list intro; the article's cue word);
- the *left* part, a function of the sentence and the span's start (the words and the
  character before it, a title or an official before it, the distance from a cue word);
- the *right* part, of the sentence and the end (the words and character after it, a
  parenthesis after it);
- the *name* part, of the span's text in this article (shape, gazetteer, word classes, how
  often the article proposes it, whether the title holds it);
- the *pair* part, what needs both ends (the agency spans it sits in, the rule family and
  its candidates, the combinations of left, right and length).

``span_features`` is their union (what training sees); ``span_score`` sums each part's
weights once per part (what running sees): the same number, hundreds of look-ups fewer.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from .acronyms import coverage
from .model import SentenceFindings
from .names import Candidate, name_like, norm, reject_reason
from .owners import agency_spans
from .proposals import Proposal
from .rules import Rules

_EDGE = ".,;:()“”\"'‘’"
_MEMO_SIZE = 65_536  # memoised span texts (bounded: a few tens of MB at most)
_PAREN = re.compile(r"\s*\(([^()]{1,40})\)")
_COMMA_LOWER = re.compile(r",\s+[a-z]")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


@lru_cache(maxsize=65536)
def _shape(word: str) -> str:
    out = []
    for ch in word:
        k = "X" if ch.isupper() else "x" if ch.isalpha() else "d" if ch.isdigit() else ch
        if not out or out[-1] != k:
            out.append(k)
    return "".join(out)[:6]


def _bucket(n: int, edges: tuple[int, ...]) -> str:
    for e in edges:
        if n <= e:
            return str(e)
    return f">{edges[-1]}"


@lru_cache(maxsize=65536)
def _context_word(word: str) -> str:
    """A word next to a span as a feature: lower-case words as themselves (cue words, verbs,
    prepositions); a capitalised word or a number only as its shape -- it may belong to a
    name, and no name's words may become features."""
    w = word.strip(_EDGE)
    if not w or name_like(w) or any(c.isdigit() for c in w):
        return f"<{_shape(w)}>"
    return w.lower()[:20]


@dataclass
class Part:
    """Features shared by many spans, with their summed weight under the running model."""

    feats: dict[str, float]
    z: float = 0.0
    info: dict = field(default_factory=dict)  # what the pair part needs from this one


class ArticleView:
    """What the features of one article's spans share (per article, never cached across)."""

    def __init__(self, findings: list[SentenceFindings], rules: Rules, title: str, proposals: list[Proposal],
                 weights: dict[str, float] | None = None):
        self.rules = rules
        self.weights = weights  # the running model's: each part's weight sum is made once
        self.index = {id(f): i for i, f in enumerate(findings)}
        self.title = norm(title)
        self.counts: dict[str, int] = {}
        for p in proposals:
            self.counts[norm(p.name)] = self.counts.get(norm(p.name), 0) + 1
        self.article_cue = any(rules.names.cue.search(f.sentence.text) for f in findings
                               if f.sentence.kind != "boilerplate")
        self._agencies: dict[int, list[tuple[int, int]]] = {}
        self._accepted = {id(f): [c for c in f.candidates if not c.reason] for f in findings}
        self.by_sentence: dict[int, _SentenceParts] = {}  # id(findings) -> its parts
        self.by_name: dict[str, Part] = {}

    def agencies(self, f: SentenceFindings) -> list[tuple[int, int]]:
        if f.agencies:
            return f.agencies
        if id(f) not in self._agencies:
            self._agencies[id(f)] = agency_spans(f.sentence.text, self.rules.agencies, self.rules.region_test)
        return self._agencies[id(f)]

    def accepted(self, f: SentenceFindings) -> list[Candidate]:
        return self._accepted.get(id(f), [])

    def part(self, made: tuple[dict, dict]) -> Part:
        """A part from its (feats, info), with its weight sum under the running model."""
        feats, info = made
        w = self.weights
        return Part(feats, sum([w.get(k, 0.0) * v for k, v in feats.items()]) if w is not None else 0.0, info)


class _SentenceParts:
    """The parts of one sentence: its own, and those by span start and by span end."""

    __slots__ = ("own", "left", "right")

    def __init__(self, own: Part):
        self.own = own
        self.left: dict[int, Part] = {}
        self.right: dict[int, Part] = {}


def _parts(p: Proposal, view: ArticleView) -> tuple[Part, Part, Part, Part]:
    f = p.findings
    sp = view.by_sentence.get(id(f))
    if sp is None:
        sp = view.by_sentence[id(f)] = _SentenceParts(view.part(_sentence_part(f, view)))
    left = sp.left.get(p.start)
    if left is None:
        left = sp.left[p.start] = view.part(_left_part(f, p.start, view, sp.own))
    right = sp.right.get(p.end)
    if right is None:
        right = sp.right[p.end] = view.part(_right_part(f, p.end))
    name = view.by_name.get(p.name)
    if name is None:
        name = view.by_name[p.name] = view.part(_name_part(p.name, view))
    return sp.own, left, right, name


def span_features(p: Proposal, view: ArticleView, with_rules: bool = True) -> dict[str, float]:
    """The features of one proposal (names -> values); see the module's docstring."""
    parts = _parts(p, view)
    feats: dict[str, float] = {}
    for part in parts:
        feats.update(part.feats)
    feats.update(_pair_features(p, view, *parts, with_rules=with_rules))
    return feats


def span_score(p: Proposal, view: ArticleView, with_rules: bool = True) -> float:
    """The model's weighted sum of ``span_features(p, view)`` (the view holds the weights)."""
    parts = _parts(p, view)
    w = view.weights
    pair = _pair_features(p, view, *parts, with_rules=with_rules)
    return sum(part.z for part in parts) + sum(w.get(k, 0.0) * v for k, v in pair.items())


# -- the parts -----------------------------------------------------------------------------

def _sentence_part(f: SentenceFindings, view: ArticleView) -> tuple[dict, dict]:
    s, names = f.sentence.text, view.rules.names
    feats = {"bias": 1.0, f"kind={f.sentence.kind}": 1,
             f"sent={_bucket(view.index.get(id(f), 99), (0, 1, 2, 5, 10, 20))}": 1,
             f"commas={_bucket(s.count(','), (0, 2, 5))}": 1}
    if view.article_cue:
        feats["article_cue"] = 1
    if names.list_intro.search(s):
        feats["list_intro"] = 1
    return feats, {"cues": [m.end() for m in names.cue.finditer(s)]}


def _left_part(f: SentenceFindings, start: int, view: ArticleView, own: Part) -> tuple[dict, dict]:
    s, r = f.sentence.text, view.rules
    feats: dict[str, float] = {}
    info: dict = {}
    near = s[max(0, start - 12):start].split()
    if near and near[-1].casefold() in r.people.titles:
        feats["person_title_before"] = 1
    if r.agencies.official_hint.search(s, max(0, start - 40), start):
        feats["official_before"] = 1
    left = s[max(0, start - 40):start]
    prev = left.rsplit(None, 1)[-1] if left[-1:].isspace() and left.strip() else ""  # the word before, spaced off
    info["run"] = "L" if prev and name_like(prev.strip(_EDGE)) and prev[-1:].isalnum() else \
        "l" if prev and prev.lower() in r.names.connectors else "-"
    before = _words_before(s, start)
    info["w-1"] = _context_word(before[-1]) if before else None
    if before:
        feats[f"w-1={info['w-1']}"] = 1
    if len(before) > 1:
        feats[f"w-2={_context_word(before[-2])}"] = 1
    c = s[start - 1:start] if start else "^"
    info["c"] = c if not c.isalnum() else "a"
    feats[f"c-1={info['c']}"] = 1
    info["open_paren"] = s[start - 1:start] == "("
    cues = own.info["cues"]  # cue ends, in order
    k = bisect_right(cues, start)
    info["cue_dist"] = None
    if k:
        info["cue_dist"] = _bucket(len(s[cues[k - 1]:start].split()), (0, 1, 3, 8, 15))
        feats[f"cue_dist={info['cue_dist']}"] = 1
    elif cues:
        feats["cue_after"] = 1
    if r.names.intro.search(s, max(0, start - 40), start):
        feats["intro_before"] = 1
    return feats, info


def _right_part(f: SentenceFindings, end: int) -> tuple[dict, dict]:
    s = f.sentence.text
    feats: dict[str, float] = {}
    info: dict = {}
    right = s[end:end + 40]
    nxt = right.split(None, 1)[0] if right[:1].isspace() and right.strip() else ""
    info["nxt"] = nxt  # the run code needs the rules' connectors: read in the pair part
    after = _words_after(s, end)
    for k, w in (("w+1", after[:1]), ("w+2", after[1:2])):
        if w:
            feats[f"{k}={_context_word(w[0])}"] = 1
    c = s[end:end + 1] or "$"
    info["c"] = c if not c.isalnum() else "a"
    feats[f"c+1={info['c']}"] = 1
    if s[end:end + 2].strip().startswith("("):
        feats["paren_follows"] = 1
    m = _PAREN.match(s, end)
    info["paren"] = m.group(1) if m else None
    info["close_paren"] = s[end:end + 1] == ")"
    info["comma_lower"] = bool(_COMMA_LOWER.match(s, end, end + 4))
    return feats, info


def _words_before(s: str, start: int, window: int = 120) -> list[str]:
    """The two words before ``start`` (``s[:start].rsplit(None, 2)[-2:]``, read in a window)."""
    if not start:
        return []
    got = s[max(0, start - window):start].rsplit(None, 2)
    return (got if len(got) == 3 or start <= window else s[:start].rsplit(None, 2))[-2:]


def _words_after(s: str, end: int, window: int = 120) -> list[str]:
    """The two words after ``end`` (``s[end:].split(None, 2)[:2]``, read in a window)."""
    got = s[end:end + window].split(None, 2)
    return (got if len(got) == 3 or end + window >= len(s) else s[end:].split(None, 2))[:2]


def _name_part(name: str, view: ArticleView) -> tuple[dict, dict]:
    feats = dict(_name_features(name, view))
    key = norm(name)
    feats[f"count={_bucket(view.counts.get(key, 0), (1, 2, 4))}"] = 1
    if view.title and key in view.title:
        feats["in_title"] = 1
    words = name.split()
    titled = sum(w[:1].isupper() for w in words) == len(words) and not name.isupper()
    return feats, {"n_words": len(words), "titled": titled}


def _pair_features(p: Proposal, view: ArticleView, sent: Part, left: Part, right: Part, name: Part,
                   with_rules: bool = True) -> dict[str, float]:
    """What needs both ends of the span: its agency span, the rule family, the combinations."""
    feats: dict[str, float] = {}
    for a, b in view.agencies(p.findings):
        if a <= p.start and p.end <= b:
            feats["in_agency_span"] = 1
        elif a < p.end and p.start < b:
            feats["overlaps_agency_span"] = 1
    l, r, n_words = left.info, right.info, name.info["n_words"]
    if r["paren"] is not None and coverage(r["paren"], p.name) >= view.rules.names.min_coverage:
        feats["long_form_of_paren"] = 1
    if l["open_paren"] and r["close_paren"]:
        feats["whole_paren"] = 1
    if name.info["titled"] and r["comma_lower"]:
        feats["titled_then_comma_lower"] = 1
    nxt = r["nxt"]
    rn = "R" if nxt and name_like(nxt.strip(_EDGE)) and nxt[:1].isalnum() else \
        "r" if nxt and nxt.lower() in view.rules.names.connectors else "-"
    feats[f"run={l['run']}{rn}"] = 1
    feats[f"c-1+1={l['c']}{r['c']}"] = 1
    if l["w-1"] is not None:
        feats[f"w-1xn={l['w-1']}|{_bucket(n_words, (1, 2, 3, 4))}"] = 1
    if l["cue_dist"] is not None:
        feats[f"cue_dist={l['cue_dist']}|{p.findings.sentence.kind}|{_bucket(n_words, (1, 2, 3, 5))}"] = 1
    if with_rules:
        _rule_features(p, view, feats)
    return feats


def _rule_features(p: Proposal, view: ArticleView, feats: dict) -> None:
    feats[f"via={p.via}"] = 1
    feats[f"via={p.via}|{'acc' if p.cand is not None and not p.reason else 'rej' if p.cand is not None else 'gen'}"] = 1
    if p.cand is not None:
        feats["rule_accepted" if not p.reason else f"reason={re.sub(r'[^a-z ]', '', p.reason.split(':')[0])[:30]}"] = 1
        if p.cand.agency:
            feats["rule_owner"] = 1
        if p.cand.expansion:
            feats["rule_expansion"] = 1
    for c in view.accepted(p.findings):
        if c is p.cand:
            continue
        if c.start <= p.start and p.end <= c.start + len(c.name):
            feats["overlaps_rule_inside"] = 1
        elif p.start <= c.start and c.start + len(c.name) <= p.end:
            feats["overlaps_rule_contains"] = 1
        elif c.start < p.end and p.start < c.start + len(c.name):
            feats["overlaps_rule_cross"] = 1


# -- what the span's text alone says ---------------------------------------------------------

def _name_features(name: str, view: ArticleView) -> dict[str, float]:
    """Shape, gazetteer, word classes of the rule data: a pure function of the text and the
    fixed rules, memoised per rule bundle (as the gazetteer memoises its look-ups; the same
    capitalised phrases recur in every article)."""
    memo = view.rules.memo.setdefault("name_features", {})
    feats = memo.get(name)
    if feats is None:
        feats = {}
        _shape_features(name, feats)
        _gazetteer_features(name, view.rules, feats)
        _word_class_features(name, view.rules, feats)
        if len(memo) >= _MEMO_SIZE:
            memo.clear()
        memo[name] = feats
    return feats


def _shape_features(name: str, feats: dict) -> None:
    words = name.split()
    letters = [c for c in name if c.isalpha()]
    feats[f"n_words={_bucket(len(words), (1, 2, 3, 4, 6))}"] = 1
    feats[f"n_chars={_bucket(len(name), (3, 6, 10, 16, 25, 40))}"] = 1
    feats[f"shape1={_shape(words[0])}"] = 1
    feats[f"shapeN={_shape(words[-1])}"] = 1
    upper = sum(c.isupper() for c in letters) / max(1, len(letters))
    feats[f"upper={_bucket(int(upper * 10), (0, 2, 5, 9, 10))}"] = 1
    if any(c.isdigit() for c in name):
        feats["has_digit"] = 1
    if "-" in name:
        feats["has_hyphen"] = 1
    if "." in name:
        feats["has_dot"] = 1
    if any(w[1:] and any(c.isupper() for c in w[1:]) and any(c.islower() for c in w) for w in words):
        feats["camel"] = 1
    if any(not name_like(w) for w in words):
        feats["inner_lower"] = 1


def _gazetteer_features(name: str, r: Rules, feats: dict) -> None:
    if r.gaz.resolve_region(name):
        feats["gaz_region"] = 1
    elif r.gaz.regions_in(name):
        feats["gaz_has_region"] = 1
    words = name.split()
    if len(words) > 1 and r.gaz.is_region_word(words[-1]):
        feats["gaz_region_suffix"] = 1
    if r.agencies.head.match(name):
        feats["gaz_agency_head"] = 1
    elif r.agencies.head.search(name):
        feats["gaz_agency_inside"] = 1
    why = reject_reason(name, r.names, r.gaz, r.agencies)
    if why:
        feats[f"shape_reject={why.split(' ')[0]}"] = 1


def _word_class_features(name: str, r: Rules, feats: dict) -> None:
    """Classes of the span's words from the rule data (cue words, generic words, a year),
    never the words themselves."""
    n = r.names
    if n.cue.match(name):
        feats["opens_cue"] = 1
    if n.app_cue.match(name) or name.lower().startswith(n.strip_leading):
        feats["opens_lead_word"] = 1
    words = norm(name).split()
    if words and words[0] in n.reject_first:
        feats["opens_reject_first"] = 1
    if any(w in n.generic for w in words):
        feats[f"generic_share={_bucket(int(10 * sum(w in n.generic for w in words) / len(words)), (3, 6, 9, 10))}"] = 1
    if any(w in n.stop_title for w in name.split()):
        feats["has_stop_title"] = 1
    if _YEAR.search(name):
        feats["has_year"] = 1
