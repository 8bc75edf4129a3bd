"""Innovation names in one sentence, from the surface forms news pages use.

Rules (each candidate records ``via``):
  acronym   ``long form (ACRONYM)``, ``ACRONYM (long form)`` -- Schwartz-Hearst, see acronyms.py
  cueparen  ``berupa/inovasi <description> (Name)`` where the name is no acronym of the text
  item      ``Name (Agency)`` in numbered/bulleted lines and inline lists, and bare items of a
            list opened by an innovation cue
  cue       ``inovasi X [dan Y]``, ``bernama X``, ``dengan nama inovasi X``, quoted names
  innovator ``inovator X, Person``
  described ``<Agency> berupa <lowercase description>`` (a name written in lower case)
Candidates are then validated against word lists (generic words, programs about
innovation, competitions, agencies, places); a rejected candidate keeps its reason.

This module holds the shapes every family uses (``take_name``, ``back_name``,
``reject_reason``); the families themselves, in their order, are in ``name_families.py``.
"""
from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass, field

from ..gazetteer import Gazetteer
from .acronyms import AcronymWords, find_long_form
from .owners import AgencyRules, canonical_agency

_TOK = re.compile(r"[^\s,;:()“”\"!?]+")
_QUOTES = {"\"": "\"", "“": "”", "'": "'", "‘": "’"}
_NORM = re.compile(r"[^\w]+")
_NUMBERING = re.compile(r"\d+[.)]?")


@lru_cache(maxsize=65536)
def norm(s: str) -> str:
    return " ".join(_NORM.sub(" ", s.casefold()).split())


@dataclass
class Candidate:
    name: str
    start: int  # offsets in the sentence
    end: int
    via: str
    expansion: str = ""
    agency: str = ""
    covered: tuple[int, int] | None = None  # span (name + long form) other rules must not reuse
    people: list[str] = field(default_factory=list)
    reason: str = ""  # why it was rejected ("" = accepted)


@dataclass(frozen=True)
class NameRules:
    cue: re.Pattern
    intro: re.Pattern
    list_intro: re.Pattern
    expansion_intro: re.Pattern
    describe_cue: re.Pattern
    connectors: frozenset[str]
    stop_words: frozenset[str]
    stop_title: frozenset[str]
    generic: frozenset[str]
    reject_contains: tuple[str, ...]
    government_words: tuple[str, ...]
    reject_first: frozenset[str]
    place_words: frozenset[str]
    lower_max: int
    competitions: tuple[re.Pattern, ...]
    max_tokens: int
    min_coverage: float
    cue_blockers: frozenset[str]
    quote_cues: frozenset[str]
    common_acronyms: frozenset[str]
    strip_leading: tuple[str, ...]
    app_cue: re.Pattern
    brands: frozenset[str]
    cueless_gate: re.Pattern | None = None
    cueless_owner: re.Pattern | None = None
    cueless_active: re.Pattern | None = None
    cueless_apposition: re.Pattern | None = None
    cueless_after_cue: re.Pattern | None = None
    possessive_cue: re.Pattern | None = None  # "inovasi" right before an agency
    possessive_link: re.Pattern | None = None  # after the agency: ", yaitu" / "adalah" then the name
    opening_words: frozenset[str] = frozenset()
    single_min_len: int = 5
    acronym_words: AcronymWords = AcronymWords()
    place_prepositions: frozenset[str] = frozenset()
    list_joiners: frozenset[str] = frozenset()
    opening_joiners: frozenset[str] = frozenset()
    long_form_inner: frozenset[str] = frozenset()
    or_long_form_inner: frozenset[str] = frozenset()
    acronym_or: re.Pattern = re.compile("(?!)")
    item_separator: re.Pattern = re.compile("(?!)")
    relative_clause: re.Pattern = re.compile("(?!)")
    item_joiner: re.Pattern = re.compile("(?!)")
    name_follows: re.Pattern = re.compile("(?!)")
    name_list_continue: re.Pattern = re.compile("(?!)")
    expansion_end: re.Pattern = re.compile("(?!)")
    interesting: re.Pattern = re.compile("(?!)")

    @classmethod
    def from_data(cls, data: dict, competitions: list[str], max_tokens: int, min_coverage: float) -> "NameRules":
        cues = sorted(data["describe_cues"], key=len, reverse=True)
        return cls(
            cue=re.compile(data["innovation_cue_regex"]),
            intro=re.compile(data["name_intro_regex"], re.IGNORECASE),
            list_intro=re.compile(data["list_intro_regex"]),
            expansion_intro=re.compile(data["expansion_intro_regex"], re.IGNORECASE),
            describe_cue=re.compile(r"\b(?:" + "|".join(re.escape(c) for c in cues) + r")\s+", re.IGNORECASE),
            connectors=frozenset(data["name_connectors"]),
            stop_words=frozenset(data["stop_words"]),
            stop_title=frozenset(data["stop_title_words"]),
            generic=frozenset(data["generic_words"]),
            reject_contains=tuple(data["reject_if_contains"]),
            government_words=tuple(data["government_words"]),
            reject_first=frozenset(data["reject_first_words"]),
            place_words=frozenset(data["place_words"]),
            lower_max=int(data["lowercase_phrase_max_words"]),
            competitions=tuple(re.compile(p, re.IGNORECASE) for p in competitions),
            max_tokens=max_tokens,
            min_coverage=min_coverage,
            cue_blockers=frozenset(data["cue_blockers"]),
            quote_cues=frozenset(data["quote_cues"]),
            common_acronyms=frozenset(a.casefold() for a in data["common_acronyms"]),
            strip_leading=tuple(sorted((w + " " for w in data["strip_leading_words"]), key=len, reverse=True)),
            app_cue=re.compile(data["app_cue_regex"]),
            brands=frozenset(b.casefold() for b in data["not_innovation_brands"]),
            cueless_gate=_opt(data, "cueless_gate_regex"),
            cueless_owner=_opt(data, "cueless_owner_regex"),
            cueless_active=_opt(data, "cueless_active_regex"),
            cueless_apposition=_opt(data, "cueless_apposition_regex"),
            cueless_after_cue=_opt(data, "cueless_after_cue_regex"),
            possessive_cue=_opt(data, "possessive_cue_regex"),
            possessive_link=_opt(data, "possessive_link_regex"),
            opening_words=frozenset(data.get("sentence_opening_words", [])),
            single_min_len=int(data.get("cueless_single_word_min_len", 5)),
            acronym_words=AcronymWords.from_data(data),
            place_prepositions=frozenset(data["place_prepositions"]),
            list_joiners=frozenset(data["list_joiners"]),
            opening_joiners=frozenset(data["name_opening_joiners"]),
            long_form_inner=frozenset(data["long_form_inner_words"]),
            or_long_form_inner=frozenset(data["or_long_form_inner_words"]),
            acronym_or=re.compile(data["acronym_or_regex"]),
            item_separator=re.compile(data["item_separator_regex"]),
            relative_clause=re.compile(data["relative_clause_regex"]),
            item_joiner=re.compile(data["item_joiner_regex"]),
            name_follows=re.compile(data["name_follows_regex"]),
            name_list_continue=re.compile(data["name_list_continue_regex"]),
            expansion_end=re.compile(data["expansion_end_regex"]),
            interesting=re.compile(data["interesting_regex"]),
        )


def _opt(data: dict, key: str) -> re.Pattern | None:
    return re.compile(data[key]) if data.get(key) else None


@lru_cache(maxsize=65536)
def name_like(tok: str) -> bool:
    """A word that may be part of a proper name: capitalised, a digit, or mixed case ('eKTP')."""
    return bool(tok) and (tok[0].isupper() or tok[0].isdigit() or any(c.isupper() for c in tok[1:3]))


def take_name(s: str, pos: int, rules: NameRules) -> tuple[int, int] | None:
    """The proper name starting at pos (after spaces): capitalised words, digits, inner
    connectors; a quoted name as a whole.  Returns (start, end) or None."""
    i = pos
    while i < len(s) and s[i] == " ":
        i += 1
    if i < len(s) and s[i] in _QUOTES:
        close = s.find(_QUOTES[s[i]], i + 1)
        if close > i + 1 and close - i <= 80 and len(s[i + 1:close].split()) <= rules.max_tokens:
            return i + 1, close
        return None
    end = None
    n = 0
    toks = list(_TOK.finditer(s, i))
    for k, t in enumerate(toks):
        if (end if end is not None else i) != t.start() and s[(end if end is not None else i):t.start()] != " ":
            break  # punctuation between words ends the name
        w = t.group()
        dotted = w.endswith(".") and len(w) > 1
        w = w.rstrip(".") if dotted else w
        if n == 0:
            if not name_like(w) or w.isdigit() or w in rules.stop_title:
                return None
        else:
            if w in rules.stop_title:
                break
            if not name_like(w):
                nxt = toks[k + 1].group() if k + 1 < len(toks) else ""
                if not (w.lower() in rules.connectors and name_like(nxt) and nxt not in rules.stop_title):
                    break
                if w.lower() in rules.place_prepositions and (nxt.lower() in rules.reject_first or nxt in rules.place_words):
                    break  # "Sikka Lapor 24 Jam di Aula Setda": a venue or place follows the name
            if w[:1].isupper() and w in rules.place_words and k + 1 < len(toks) and toks[k + 1].group()[:1].isupper():
                break  # "... Desa Paubekor": a place after the name
        end = t.start() + len(w)
        n += 1
        if dotted or n >= rules.max_tokens:
            break
    if end is None:
        return None
    # trailing connectors never end a name
    while True:
        last = s[i:end].rsplit(" ", 1)
        if len(last) == 2 and not name_like(last[1]) and last[1].lower() in rules.connectors | rules.list_joiners:
            end = i + len(last[0])
        else:
            break
    return i, end


def reject_reason(name: str, rules: NameRules, gaz: Gazetteer, agencies: AgencyRules, long_form: bool = False) -> str:
    """Why a candidate is not an innovation name ('' when it may be one).  A long form may
    name a government ('... antar Kementerian/Lembaga'); a short name may not."""
    n = norm(name)
    words = n.split()
    if len(n) < 2 or not words:
        return "too short"
    if len(words) > rules.max_tokens:
        return "too long"
    if name.strip().casefold() in rules.brands:
        return "a general-purpose product, not a public-service innovation"
    if name.strip().casefold() in rules.common_acronyms:
        return "a common term, not an innovation"
    if all(w.isdigit() for w in words):
        return "a number"
    if all(w in rules.generic for w in words):
        return "generic phrase"
    if words[0] in rules.reject_first:
        return f"opens with '{words[0]}' (team, program, agency, place, title)"
    padded = f" {n} "
    for phrase in rules.reject_contains + (() if long_form else rules.government_words):
        if f" {phrase} " in padded:
            return f"contains '{phrase}' (about innovation, a competition or a government)"
    for comp in rules.competitions:
        if comp.search(name):
            return "a competition"
    if len(words) == 1 and agencies.head.fullmatch(name.strip()) and not long_form:
        return "an agency"
    if gaz.resolve_region(name):
        return "a place"
    return ""


def back_name(s: str, end: int, rules: NameRules) -> int | None:
    """Start of the name that ends at ``end`` (scan back over name-like words), or None."""
    toks = list(_TOK.finditer(s, 0, end))
    start = None
    for t in reversed(toks):
        if t.end() > end:
            continue
        gap = s[t.end():(start if start is not None else end)]
        if gap.strip():
            break
        w = t.group().rstrip(".")
        if w.lower() in rules.stop_words or (not name_like(w) and w.lower() not in rules.connectors) or w in rules.stop_title:
            break
        if start is not None and _NUMBERING.fullmatch(t.group()) and (
                t.group()[-1] in ".)" or not s[:t.start()].strip(" -•*▪●–—·>")):
            break  # list numbering ("3. Name", a number opening the line); "Antre 5 Menit" keeps its 5
        start = t.start()
    if start is None:
        return None
    # a name does not open with a connector
    while True:
        first, _, rest = s[start:end].partition(" ")
        if rest and first.lower() in rules.opening_joiners:
            start += len(first) + 1
        else:
            break
    return start


def agency_like(inner: str, before: str, rules: NameRules, agencies: AgencyRules, gaz: Gazetteer) -> bool:
    """'(Dinas Kesehatan)', '(DLH)': an owner in parentheses -- unless the parenthesis is the
    acronym of the words before it ('Brigade Siaga Bencana (BSB)')."""
    inner = inner.strip()
    if " " in inner and agencies.head.match(inner):
        return not _spelled_out_by(inner, before, rules, agencies, gaz)
    if canonical_agency(gaz, inner) not in (inner, ""):
        return True
    if not agencies.head.fullmatch(inner):
        return False
    lf = find_long_form(inner, before, rules.min_coverage, rules.acronym_words)
    return lf is None or bool(agencies.head.match(before[lf:].strip()))


def _spelled_out_by(inner: str, before: str, rules: NameRules, agencies: AgencyRules, gaz: Gazetteer) -> bool:
    """'Satgas Paten (Satuan Tugas ...)': a parenthesis that opens like an agency but spells
    out the name before it is its long form -- unless that name is an agency's abbreviation."""
    st = back_name(before, len(before.rstrip()), rules)
    words = before[st:].split() if st is not None else []
    for k in range(len(words)):  # the name may open with a word that is not its own ('III Satgas ...')
        short = " ".join(words[k:])
        if agencies.head.fullmatch(short) or canonical_agency(gaz, short) not in (short, ""):
            return False
        if find_long_form(short, inner, rules.min_coverage, rules.acronym_words) == 0:
            return True
    return False


