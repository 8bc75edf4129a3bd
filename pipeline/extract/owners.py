"""Owners: agency spans as written in a sentence, and the look-ups that tie them to a region.

Region and agency knowledge is the one ``pipeline.gazetteer.Gazetteer``; the words that
open, join and end an agency name are data in ``corpora/patterns/agencies.json``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice

from ..gazetteer import Gazetteer

_NEVER = "(?!)"


@dataclass(frozen=True)
class AgencyRules:
    head: re.Pattern  # an agency opens here
    national: re.Pattern
    owner_after: re.Pattern
    list_separator: re.Pattern
    stop_words: frozenset[str]
    connectors: frozenset[str]
    head_words: frozenset[str]
    max_words: int
    # how the owner is stated away from the name (ownership.py)
    anaphor: re.Pattern = re.compile(_NEVER)  # 'dinas tersebut' refers back to an agency
    official: re.Pattern = re.compile(_NEVER)  # 'Kepala ' right before an agency: its official
    official_hint: re.Pattern = re.compile(_NEVER)  # a sentence that may name an official (cheap test)
    organiser: re.Pattern = re.compile(_NEVER)  # runs/judges competitions: never an owner by inference
    owner_list: re.Pattern = re.compile(_NEVER)  # 'masing-masing milik A dan B'
    # the sentence after a name: 'Inovasi ini merupakan gagasan <Agency>' (then owner_after)
    forward_anaphor: re.Pattern = re.compile(_NEVER)
    owner_fields: tuple[str, ...] = ()  # 'Pelaksana: <Agency>' lines after a listed name, preferred first
    owner_field: re.Pattern = re.compile(_NEVER)  # one of owner_fields opening a line, then ':'
    list_owner_link: re.Pattern = re.compile(_NEVER)  # '<Agency> melalui inovasi A, B dan C'
    # head words that name one office on their own ('Inspektorat'); a bare 'Dinas' names no one
    standalone_heads: frozenset[str] = frozenset()
    initials: re.Pattern = re.compile(_NEVER)  # 'A.', 'Dr.': a dot that ends no sentence
    address: re.Pattern = re.compile(_NEVER)  # ', Kecamatan Y, Kabupaten Z' after an agency
    village_before: re.Pattern = re.compile(_NEVER)  # 'Desa Nita, ' right before a head word
    honorific: re.Pattern = re.compile(_NEVER)  # 'dr.' inside a hospital's name
    hospital_end: re.Pattern = re.compile(_NEVER)
    official_unit: re.Pattern = re.compile(_NEVER)  # 'Camat X': the head of a unit named by the title
    official_units: tuple[tuple[str, str], ...] = ()  # title -> its unit ('Camat' -> 'Kecamatan')
    government: re.Pattern = re.compile(_NEVER)  # 'Pemkab X', 'Pemerintah Kota X': the government itself
    lead_locative: re.Pattern = re.compile(_NEVER)  # 'Di Kabupaten X, ' opening the lead sentence
    government_prefixes: tuple[str, ...] = ()  # lower-case openings of a government's own name ('pem')

    @classmethod
    def from_data(cls, data: dict, kind_words: tuple[str, ...] = ()) -> "AgencyRules":
        heads = sorted(data["head_words"], key=len, reverse=True)
        low = sorted(data["lowercase_heads"], key=len, reverse=True)
        alt = "|".join(re.escape(h) for h in heads)
        low_alt = "|".join(re.escape(h) for h in low)
        head = re.compile(rf"\b(?:(?:{alt})\b|(?:{low_alt})\s+(?=[A-Z])|{data['abbreviation_regex']})")
        address = [*data.get("address_words", ()), *kind_words]
        return cls(
            head=head,
            national=re.compile(data["national_regex"]),
            owner_after=re.compile(data["owner_after_regex"]),
            list_separator=re.compile(data["list_separator_regex"], re.IGNORECASE),
            stop_words=frozenset(data["stop_words"]),
            connectors=frozenset(data["connectors"]),
            head_words=frozenset(h.split()[0] for h in data["head_words"]),
            max_words=int(data["max_agency_words"]),
            standalone_heads=frozenset(data.get("standalone_heads", ())),
            anaphor=_rx(data, "anaphor_regex"),
            official=_rx(data, "official_title_regex"),
            official_hint=_rx(data, "official_hint_regex"),
            organiser=_rx(data, "organiser_regex"),
            owner_list=_rx(data, "owner_list_regex"),
            forward_anaphor=_rx(data, "forward_anaphor_regex"),
            owner_fields=tuple(data.get("owner_fields", ())),
            owner_field=re.compile(r"(?P<label>" + "|".join(map(re.escape, data["owner_fields"])) + r")\s*:\s*")
            if data.get("owner_fields") else re.compile(_NEVER),
            list_owner_link=_rx(data, "list_owner_link_regex"),
            initials=_rx(data, "initials_regex"),
            address=re.compile("(?:" + "|".join(map(re.escape, address)) + r")\b") if address else re.compile(_NEVER),
            village_before=_rx(data, "village_before_regex"),
            honorific=_rx(data, "honorific_regex"),
            hospital_end=_rx(data, "hospital_end_regex"),
            official_unit=_official_unit(data.get("official_units", {})),
            official_units=tuple(data.get("official_units", {}).items()),
            government=_rx(data, "government_regex"),
            lead_locative=_rx(data, "lead_locative_regex"),
            government_prefixes=tuple(data.get("government_prefixes", ())),
        )


def _official_unit(units: dict) -> re.Pattern:
    if not units:
        return re.compile(_NEVER)
    titles = "|".join(map(re.escape, units))
    return re.compile(rf"\b(?P<title>{titles})\s+(?P<place>[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){{0,3}})")


def _rx(data: dict, key: str) -> re.Pattern:
    return re.compile(data.get(key) or _NEVER)


# -- look-ups through the gazetteer ------------------------------------------------------

def canonical_agency(gaz: Gazetteer, surface: str) -> str:
    """The canonical form of an agency as written; the surface itself when it has none."""
    return (gaz.canonical_agency(surface) or surface) if surface else surface


def is_national_agency(gaz: Gazetteer, surface: str, national: re.Pattern) -> bool:
    return bool(surface) and gaz.is_national_agency(surface) or bool(national.search(surface.strip()))


def region_pair(region) -> tuple[str, str]:
    """(name, province) of a gazetteer region, ("", "") for none."""
    return (region.name, region.province) if region is not None else ("", "")


# -- agency spans in a sentence ----------------------------------------------------------

_TOKEN = re.compile(r"\([^()]{1,20}\)|[^\s,;:()“”\"]+|,")


def agency_spans(text: str, rules: AgencyRules, region_word=None) -> list[tuple[int, int]]:
    """Agency spans in a sentence: a head word, then capitalised words, connectors before a
    capitalised word, inner commas of an enumeration ('Dinas Kesehatan, Kependudukan, dan
    Pencatatan Sipil'), and a parenthesised abbreviation."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in rules.head.finditer(text):
        if m.start() < pos or (m.start() >= 2 and text[m.start() - 1] == "-" and text[m.start() - 2].isalnum()):
            continue  # never inside a hyphenated word ("SI-PINTAR" is no agency "PINTAR")
        if rules.village_before.search(text, max(0, m.start() - 60), m.start()) and rules.address.match(text, m.start()):
            continue  # 'Desa Nita, Kecamatan Nita, ...': an address after a village, not an owner
        end = _walk(text, m, rules, region_word)
        if end > m.end() or m.group()[:1].isupper():
            s = text[m.start():end].rstrip(" ,.")
            if len(s.split()) == 1 and s.lower() in _lower_set(rules.head_words) and s not in rules.standalone_heads:
                pos = end
                continue  # a bare 'Dinas' / 'Badan' names no one
            spans.append((m.start(), m.start() + len(s)))
        pos = end
    return _with_addresses(text, spans, rules)


def _walk(text: str, m: re.Match, rules: AgencyRules, region_word) -> int:
    """Where the agency opened by head match ``m`` ends."""
    end = m.end()
    # the walk takes at most max_words tokens and looks 5 ahead: no need to split the rest
    toks = list(islice(_TOKEN.finditer(text, m.end()), rules.max_words + 6))
    for i, t in enumerate(toks[:rules.max_words]):
        if text[end:t.start()].strip():  # something skipped (quote, colon): stop
            break
        w = t.group()
        nxt = toks[i + 1].group() if i + 1 < len(toks) else ""
        if not _continues(text, w, nxt, toks, i, m.start(), end, rules, region_word):
            break
        end = t.end()
        if w.endswith(".") and len(w) > 4 and not rules.initials.fullmatch(w):
            return end - 1  # a sentence ends inside the span
    return end


def _continues(text, w, nxt, toks, i, start, end, rules: AgencyRules, region_word) -> bool:
    """Whether token ``w`` (followed by ``nxt``) still belongs to the agency name."""
    if w == ",":
        return _comma_continues(toks, i, nxt, rules, region_word)
    if w.startswith("("):
        inner = w[1:-1]
        return bool(inner.isupper() or (inner[:1].isupper() and len(inner) <= 20 and " " not in inner)) and \
            not inner.isdigit()
    if w in rules.connectors:
        return bool(nxt[:1].isupper() and nxt not in rules.head_words)
    if rules.honorific.fullmatch(w) and nxt[:1].isupper() and rules.hospital_end.search(text, start, end):
        return True  # 'RSUD dr. Ben Mboi Ruteng': a hospital named after a doctor
    return not (w.lower() in rules.stop_words or not (w[:1].isupper() or w[:1].isdigit()))


def _comma_continues(toks, i, nxt, rules: AgencyRules, region_word) -> bool:
    nxt2 = toks[i + 2].group() if i + 2 < len(toks) else ""
    ok = (nxt[:1].isupper() and nxt not in rules.head_words and nxt not in rules.stop_words) or (
        nxt in rules.connectors and nxt2[:1].isupper() and nxt2 not in rules.head_words)
    # an enumeration inside the name ends with 'dan X'; else only a region may follow
    # the comma ('RSUD X, Kabupaten Y') -- not a person ('Puskesmas X, Nama Orang')
    ahead = [t.group() for t in toks[i + 1:i + 6]]
    enum = any(a in rules.connectors for a in ahead[:4]) and "," not in ahead[:1]
    if ok and not enum and not (region_word and region_word(" ".join(ahead[:3]))):
        ok = False
    return bool(ok)


def _with_addresses(text: str, spans: list[tuple[int, int]], rules: AgencyRules) -> list[tuple[int, int]]:
    """'Pemerintah Desa X, Kecamatan Y, Kabupaten Z': the address belongs to the agency before it."""
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and re.fullmatch(r",\s*", text[merged[-1][1]:a]) and rules.address.match(text, a):
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return merged


@lru_cache(maxsize=8)
def _lower_set(words: frozenset[str]) -> frozenset[str]:
    return frozenset(w.lower() for w in words)
