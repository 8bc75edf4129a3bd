"""Compare two units: scorer values, owner evidence, and the decision.

Scores (0..100): ``same_key`` (exact compact key), ``ratio`` (compact names; typos,
spacing), ``token_sort`` / ``token_set`` (best over name and expansion forms),
``partial`` (one name is the other plus words: typo-tolerant prefix/suffix match;
needs the same known region and no bonus applies),
``acronym`` (one name abbreviates a form of the other). Owner evidence: a DIFFERENT
region forbids the merge, a missing one is neutral, the same region and the same
agency each lower the bar by ``same_owner_bonus``, a different agency raises it.
Short names (``short_name_chars``) merge fuzzily only within one known region; an
acronym needs the same region or agency; an extension needs the same known region.

One exception to "a different region forbids": a national and a regional mention of the
same name key whose long forms agree (``long_form_threshold``, at least
``long_form_min_words`` content words each). National press and ministries report regional
innovations (and regional press national ones), so the owner one article gives is often the
reporter's; a coined acronym spelled out the same way is the same innovation. Two regional
governments never meet this way (their copies of one innovation stay apart, as the
annotation guide says), and such a *crossing* link is the weakest of all (``CROSSING``):
the clusters take it last (``cluster.py``).
"""
from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from ..settings import ResolveSettings
from .blocking import Unit
from .normalise import NATIONAL, acronym_score, content_words, tail_acronym_score

CROSSING = 1.0  # strength of a national/regional link: below every other accepted link


@dataclass(frozen=True)
class Comparison:
    accept: bool
    strength: float  # orders accepted links: stronger first
    decision: str  # "merge: ...", "forbidden: ...", "reject: ..."
    scores: dict
    crossing: bool = False  # joins a national and a regional unit (see the module docs)


def owner_evidence(u: Unit, v: Unit) -> tuple[str, str]:
    region = "missing" if not (u.region and v.region) else ("same" if u.region == v.region else "different")
    if not (u.agencies and v.agencies):
        agency = "missing"
    else:
        agency = "same" if u.agencies & v.agencies else "different"
    return region, agency


def crosses_levels(u: Unit, v: Unit) -> bool:
    """One unit is national, the other regional (both regions known)."""
    return bool(u.region and v.region) and (u.region == NATIONAL) != (v.region == NATIONAL)


def long_form_agreement(u: Unit, v: Unit, s: ResolveSettings) -> float:
    """Best ratio of two long forms given with the names (0 when either has none long enough)."""
    def longs(x: Unit) -> list[str]:
        return [f for f in x.forms[1:] if len(content_words(f)) >= s.long_form_min_words]
    pairs = [(a, b) for a in longs(u) for b in longs(v)]
    return round(max((fuzz.ratio(a, b) for a, b in pairs), default=0.0), 1)


def _partial(short: str, long: str) -> float:
    """Typo-tolerant 'long starts or ends with short'."""
    n = len(short)
    return max(fuzz.ratio(short, long[:n]), fuzz.ratio(short, long[-n:]))


def compare(u: Unit, v: Unit, s: ResolveSettings) -> Comparison:
    region, agency = owner_evidence(u, v)
    scores: dict = {"region": region, "agency": agency}
    if region == "different":
        scores["same_key"] = 100.0 if u.key == v.key else 0.0
        if scores["same_key"] and crosses_levels(u, v):
            scores["long_form"] = long_form_agreement(u, v, s)
            if scores["long_form"] >= s.long_form_threshold:
                return Comparison(True, CROSSING, "merge: the same name and long form, national and regional owner",
                                  scores, crossing=True)
        return Comparison(False, 0.0, "forbidden: different region", scores)
    # owner evidence moves the bar: same region and same agency lower it, a different agency raises it
    bonus = {"same": s.same_owner_bonus, "missing": 0.0, "different": -s.same_owner_bonus}[agency]
    if region == "same":
        bonus += s.same_owner_bonus
    scores["bonus"] = bonus
    if u.key == v.key:
        scores["same_key"] = 100.0
        return Comparison(True, 200.0, "merge: same name key", scores)
    scores["ratio"] = round(max(fuzz.ratio(a.replace(" ", ""), b.replace(" ", "")) for a in u.forms for b in v.forms), 1)
    scores["token_sort"] = round(max(fuzz.token_sort_ratio(a, b) for a in u.forms for b in v.forms), 1)
    scores["token_set"] = round(max(fuzz.token_set_ratio(a, b) for a in u.forms for b in v.forms), 1)
    short, long = sorted((u.key, v.key), key=lambda k: (len(k), k))
    scores["partial"] = round(_partial(short, long), 1) if short else 0.0
    scores["acronym"] = round(max([acronym_score(x.key, f) for x, y in ((u, v), (v, u))
                                   if len(x.key) <= s.acronym_max_chars
                                   for f in y.forms if len(f.split()) >= 2]
                                  + [tail_acronym_score(x.spaced, f, s.acronym_max_chars)
                                     for x, y in ((u, v), (v, u)) if " " in x.spaced
                                     for f in y.forms if len(f.split()) >= 3] or [0.0]), 1)
    # a short name changed by a letter is often another name: fuzzy merges of short names
    # need the same known region
    fuzzy_ok = len(short) > s.short_name_chars or region == "same"
    if fuzzy_ok and scores["ratio"] >= s.name_threshold - bonus:
        return Comparison(True, 100.0 + scores["ratio"], "merge: similar names", scores)
    # an acronym needs owner evidence: the same region or the same agency
    if (scores["acronym"] >= s.acronym_threshold - bonus and agency != "different"
            and (region == "same" or agency == "same")):
        return Comparison(True, 50.0 + scores["acronym"] / 2, "merge: acronym of the long form", scores)
    extends = max(scores["partial"], scores["token_set"] if _word_run(u.spaced, v.spaced) else 0.0)
    if (extends >= s.partial_threshold and region == "same" and agency != "different"
            and len(short) >= s.extension_min_chars and len(short) >= s.extension_min_share * len(long)):
        return Comparison(True, extends / 2, "merge: one name extends the other", scores)
    return Comparison(False, 0.0, "reject: names differ", scores)


def _word_run(a: str, b: str) -> bool:
    """The shorter name's words appear, in order and together, in the longer one."""
    short, long = sorted((a, b), key=len)
    return bool(short) and f" {short} " in f" {long} "
