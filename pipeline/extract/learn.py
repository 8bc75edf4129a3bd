"""The learned part of extraction: rules propose name spans generously, a classifier decides.

``propose`` lists every span of an article that might be an innovation name: the rule
families' candidates (accepted and rejected, with their family and reason) and spans the
rules never read -- runs of capitalised words and their sub-spans, parenthesised and quoted
text.  ``span_features`` describes a span by its *shape* (words, capitals, digits, hyphens),
the *gazetteer* (a region, an agency, a person's title before it), the *rules* (which family
proposed it, why it was rejected) and its *context* (the words around it, cue words, the
sentence's place and kind, list structure).  No feature is the span's own words: a model
that learnt names would be a list of names.  Context words are kept only when frequent
across many training articles (``train.py``).

``NameModel`` is a logistic regression stored as plain JSON (weights by feature name), so
running it needs no learning library; ``decide`` applies it to an article's findings:
accepted spans become candidates (``via='model'``), rejected rule candidates get a reason.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .model import SentenceFindings
from .acronyms import coverage
from .names import Candidate, name_like, norm, reject_reason
from .owners import agency_spans
from .rules import Rules

_TOK = re.compile(r"[^\s,;:()“”\"!?‘’–—]+")
_EDGE = ".,;:()“”\"'‘’"
MODEL_FILE = "names.json"
_MEMO_SIZE = 65_536  # memoised span texts (bounded: a few tens of MB at most)
RULE_FEATURES = ("via=", "reason=", "rule_", "overlaps_rule")


@dataclass
class Proposal:
    """A span of one sentence that may be an innovation name."""

    findings: SentenceFindings
    start: int
    end: int
    via: str  # the rule family, or 'gen' for a span the rules did not read
    cand: Candidate | None = None  # the rule's candidate, where one proposed it
    reason: str = ""  # the rule's reason to reject it

    @property
    def name(self) -> str:
        return self.findings.sentence.text[self.start:self.end]


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


# -- features ----------------------------------------------------------------------------

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


class ArticleView:
    """What the features of one article's spans share (computed once per article)."""

    def __init__(self, findings: list[SentenceFindings], rules: Rules, title: str, proposals: list[Proposal]):
        self.rules = rules
        self.index = {id(f): i for i, f in enumerate(findings)}
        self.title = norm(title)
        self.counts: dict[str, int] = {}
        for p in proposals:
            self.counts[norm(p.name)] = self.counts.get(norm(p.name), 0) + 1
        self.article_cue = any(rules.names.cue.search(f.sentence.text) for f in findings
                               if f.sentence.kind != "boilerplate")
        self._agencies: dict[int, list[tuple[int, int]]] = {}
        self.sentences: dict[int, tuple] = {}
        self._accepted = {id(f): [c for c in f.candidates if not c.reason] for f in findings}

    def agencies(self, f: SentenceFindings) -> list[tuple[int, int]]:
        if f.agencies:
            return f.agencies
        if id(f) not in self._agencies:
            self._agencies[id(f)] = agency_spans(f.sentence.text, self.rules.agencies, self.rules.region_test)
        return self._agencies[id(f)]

    def accepted(self, f: SentenceFindings) -> list[Candidate]:
        return self._accepted.get(id(f), [])


def span_features(p: Proposal, view: ArticleView) -> dict[str, float]:
    """The features of one proposal (names -> values); see the module's docstring."""
    feats: dict[str, float] = {"bias": 1.0}
    feats.update(_name_features(p.name, view))
    _place_features(p, view, feats)
    _rule_features(p, view, feats)
    _context_features(p, view, feats)
    return feats


def _name_features(name: str, view: ArticleView) -> dict[str, float]:
    """What the span's text alone says (its shape, the gazetteer, word classes of the rule
    data): a pure function of the text and the fixed rules, memoised per rule bundle (as the
    gazetteer memoises its look-ups; the same capitalised phrases recur in every article)."""
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
    if re.search(r"\b(?:19|20)\d\d\b", name):
        feats["has_year"] = 1


def _place_features(p: Proposal, view: ArticleView, feats: dict) -> None:
    """The span where it stands: inside an agency, after a title or an official, beside a
    parenthesis."""
    r, name, s, n = view.rules, p.name, p.findings.sentence.text, view.rules.names
    for a, b in view.agencies(p.findings):
        if a <= p.start and p.end <= b:
            feats["in_agency_span"] = 1
        elif a < p.end and p.start < b:
            feats["overlaps_agency_span"] = 1
    before = s[max(0, p.start - 12):p.start].split()
    if before and before[-1].casefold() in r.people.titles:
        feats["person_title_before"] = 1
    if r.agencies.official_hint.search(s, max(0, p.start - 40), p.start):
        feats["official_before"] = 1
    m = re.match(r"\s*\(([^()]{1,40})\)", s[p.end:])
    if m and coverage(m.group(1), name) >= n.min_coverage:
        feats["long_form_of_paren"] = 1
    if s[p.start - 1:p.start] == "(" and s[p.end:p.end + 1] == ")":
        feats["whole_paren"] = 1
    if sum(w[:1].isupper() for w in name.split()) == len(name.split()) and not name.isupper() and \
            re.match(r",\s+[a-z]", s[p.end:p.end + 4]):
        feats["titled_then_comma_lower"] = 1


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


def _boundary_features(p: Proposal, view: ArticleView, feats: dict) -> None:
    """Does the span cut a run of name-like words (a word glued before or after it)?"""
    s, names = p.findings.sentence.text, view.rules.names
    left, right = s[max(0, p.start - 40):p.start], s[p.end:p.end + 40]
    prev = left.rsplit(None, 1)[-1] if left[-1:].isspace() and left.strip() else ""  # the word before, spaced off
    nxt = right.split(None, 1)[0] if right[:1].isspace() and right.strip() else ""
    lp = bool(prev and name_like(prev.strip(_EDGE)) and prev[-1:].isalnum())
    rn = bool(nxt and name_like(nxt.strip(_EDGE)) and nxt[:1].isalnum())
    ln = bool(prev and prev.lower() in names.connectors)
    rc = bool(nxt and nxt.lower() in names.connectors)
    feats[f"run={'L' if lp else 'l' if ln else '-'}{'R' if rn else 'r' if rc else '-'}"] = 1


@lru_cache(maxsize=65536)
def _context_word(word: str) -> str:
    """A word next to a span as a feature: lower-case words as themselves (cue words, verbs,
    prepositions); a capitalised word or a number only as its shape -- it may belong to a
    name, and no name's words may become features."""
    w = word.strip(_EDGE)
    if not w or name_like(w) or any(c.isdigit() for c in w):
        return f"<{_shape(w)}>"
    return w.lower()[:20]


def _sentence_info(view: ArticleView, f: SentenceFindings) -> tuple:
    """Per sentence, once: cue ends, a cue anywhere, a list intro, the commas, the position."""
    key = id(f)
    info = view.sentences.get(key)
    if info is None:
        s, names = f.sentence.text, view.rules.names
        cues = [m.end() for m in names.cue.finditer(s)]
        info = (cues, bool(names.list_intro.search(s)), _bucket(s.count(","), (0, 2, 5)),
                _bucket(view.index.get(key, 99), (0, 1, 2, 5, 10, 20)))
        view.sentences[key] = info
    return info


def _context_features(p: Proposal, view: ArticleView, feats: dict) -> None:
    f, r = p.findings, view.rules
    s = f.sentence.text
    cues, list_intro, commas, position = _sentence_info(view, f)
    _boundary_features(p, view, feats)
    before = s[:p.start].rsplit(None, 2)[-2:] if p.start else []
    after = s[p.end:].split(None, 2)[:2]
    for k, w in (("w-1", before[-1:]), ("w-2", before[-2:-1]), ("w+1", after[:1]), ("w+2", after[1:2])):
        if w:
            feats[f"{k}={_context_word(w[0])}"] = 1
    left = s[p.start - 1:p.start] if p.start else "^"
    right = s[p.end:p.end + 1] or "$"
    c1, c2 = (left if not left.isalnum() else "a"), (right if not right.isalnum() else "a")
    feats[f"c-1={c1}"] = 1
    feats[f"c+1={c2}"] = 1
    feats[f"c-1+1={c1}{c2}"] = 1
    n_words = len(p.name.split())
    if before:
        feats[f"w-1xn={_context_word(before[-1])}|{_bucket(n_words, (1, 2, 3, 4))}"] = 1
    if s[p.end:p.end + 2].strip().startswith("("):
        feats["paren_follows"] = 1
    feats[f"kind={f.sentence.kind}"] = 1
    feats[f"sent={position}"] = 1
    cues_before = [e for e in cues if e <= p.start]
    if cues_before:
        dist = _bucket(len(s[cues_before[-1]:p.start].split()), (0, 1, 3, 8, 15))
        feats[f"cue_dist={dist}"] = 1
        feats[f"cue_dist={dist}|{f.sentence.kind}|{_bucket(n_words, (1, 2, 3, 5))}"] = 1
    elif cues:
        feats["cue_after"] = 1
    if r.names.intro.search(s, max(0, p.start - 40), p.start):
        feats["intro_before"] = 1
    if view.article_cue:
        feats["article_cue"] = 1
    if list_intro:
        feats["list_intro"] = 1
    key = norm(p.name)
    feats[f"count={_bucket(view.counts.get(key, 0), (1, 2, 4))}"] = 1
    if view.title and key in view.title:
        feats["in_title"] = 1
    feats[f"commas={commas}"] = 1


def article_features(findings: list[SentenceFindings], rules: Rules, title: str,
                     with_rules: bool = True) -> tuple[list[Proposal], list[dict[str, float]]]:
    """The proposals of an article and their features (without the rule family's ones
    when ``with_rules`` is False: the model-only variant)."""
    props = propose(findings, rules)
    view = ArticleView(findings, rules, title, props)
    feats = [span_features(p, view) for p in props]
    if not with_rules:
        feats = [{k: v for k, v in fs.items() if not k.startswith(RULE_FEATURES)} for fs in feats]
    return props, feats


# -- the model ---------------------------------------------------------------------------

@dataclass(frozen=True)
class NameModel:
    weights: dict[str, float]
    threshold: float = 0.5
    with_rules: bool = True
    rule_threshold: float = 0.5  # a name the rules accepted stays unless its probability is below this

    def prob(self, feats: dict[str, float]) -> float:
        z = sum(self.weights.get(k, 0.0) * v for k, v in feats.items())
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
    props, feats = article_features(findings, rules, title, model.with_rules)
    scored = sorted(((model.prob(fs), k, p) for k, (p, fs) in enumerate(zip(props, feats))),
                    key=lambda t: (-t[0], t[1]))
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
