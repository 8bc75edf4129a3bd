"""Datelines: ``Kupang (ANTARA) - ...`` / ``MAKASSAR, Kabartimur.com – ...`` at the head of a lead.

Its own room because both ``text`` (metadata of the lead) and ``edges`` (front matter above a
dateline lead) need it, and ``text`` imports ``edges``.
"""
from __future__ import annotations

import re

from .rules import Rules

UPPER_PLACE = re.compile(r"^[A-Z][A-Z .'-]{1,40}$")
WORD_TITLE = re.compile(r"^[A-Z0-9][\w'./&-]*$")
HAS_LETTER = re.compile(r"[^\W\d_]")


def place_like(part: str, max_words: int = 4) -> bool:
    words = part.split()
    return 0 < len(words) <= max_words and all(WORD_TITLE.match(w) for w in words)


def parse_dateline(par: str, rules: Rules) -> tuple[str, str, str] | None:
    """``(place, outlet, rest)`` for ``Kupang (ANTARA) - rest`` / ``MAKASSAR, Kabartimur.com – rest``.

    Only name-like heads count (capitalised words, an outlet domain, an outlet
    in parentheses), so a sentence with a dash in it is never cut.
    """
    m = rules.dateline.match(par)
    if not m:
        return None
    rest = par[m.end():]
    if len(rest) < 20 or not HAS_LETTER.search(rest[:40]):
        return None
    head, paren = m.group("head").strip(" ,"), (m.group("paren") or "").strip()
    parts = [p.strip() for p in re.split(r"[,|]", head) if p.strip()]
    first = parts[0].split(" ", 1) if len(parts) == 1 else []
    if len(first) == 2 and rules.outlet_domain.match(first[0].removeprefix("www.")):
        parts = [first[0], first[1]]  # "www.outlet.id KOTA - ...": the outlet, then the place
    if not parts or len(parts) > 2:
        return None
    domains = [p for p in parts if rules.outlet_domain.match(p)]
    others = [p for p in parts if p not in domains]
    if any(not place_like(p) for p in others) or len(domains) > 1:
        return None
    if paren and not place_like(paren) and not rules.outlet_domain.match(paren):
        return None
    place, outlet = "", paren or (domains[0] if domains else "")
    if others:
        place = others[0]
        if len(others) == 2:
            if outlet:
                return None
            outlet = others[1]
    if not outlet and not paren:
        # a bare "PLACE -": only an all-caps place or at most two capitalised words
        if not (UPPER_PLACE.match(place) or len(place.split()) <= 2):
            return None
        # "MAUMERE-Pemerintah ..." is a dateline, "Puskesmas Bone-Bone Kenalkan ..." a word
        # with a hyphen: a dash written without a space before it only after an all-caps place
        if not par[m.end("head"):m.end()][:1].isspace() and not UPPER_PLACE.match(place):
            return None
    return place, outlet, rest
