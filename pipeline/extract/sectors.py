"""Sector, digital and level of one innovation in one article (issue 17, spec annotation §5).

The spec classifies an innovation by what it does for the public, so the text about it
speaks first and its owner last:

1. its name and expansion (``Sistem Informasi Cegah Stunting`` says both sector and digital);
2. the stretch of its own sentences between the names of other innovations (a list
   sentence describes each item beside it, not the neighbours);
3. the other sentences about it (that name it, or follow its sentence and name no other);
4. for the sector only, the owning agency through ``agency_sectors.csv`` (nomenclature ->
   sector: ``Dinas Kesehatan`` -> ``kesehatan``), as the fallback.

Every place votes with the cue words it holds (``sectors.json``: per-sector vocabulary,
digital and non-digital delivery words), weighted by place (``weights``) and by the cue's
length in words (``ibu hamil`` is more specific than ``anak``).  ``digital`` stays ``None``
when no place says how the service is delivered.  ``level`` comes from the owner's region
(``pusat`` / ``provinsi`` / ``kabupaten`` / ``kota``), ``desa`` for a village owner.
"""
from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SECTOR_FILE = "sectors.json"
AGENCY_FILE = "agency_sectors.csv"
PLACES = ("name", "text", "context", "agency")
_LEVEL_OF_KIND = {"nasional": "pusat", "provinsi": "provinsi", "kabupaten": "kabupaten", "kota": "kota"}


@dataclass(frozen=True)
class Evidence:
    """What one article says about one innovation, by place."""

    name: str
    expansion: str = ""
    text: tuple[str, ...] = ()  # stretches of its own sentences
    context: tuple[str, ...] = ()  # other sentences about it
    agency: str = ""  # its owner as written (or canonical)
    article: tuple[tuple[str, tuple[str, ...]], ...] = ()  # sector cues of the whole article (``article_cues``)


@dataclass(frozen=True)
class Classified:
    sector: str = ""
    sector_evidence: str = ""  # 'name: stunting; text: puskesmas'
    digital: bool | None = None
    digital_evidence: str = ""


class CueSet:
    """Lower-case cue words matched at word boundaries; ``stem*`` matches any ending."""

    def __init__(self, cues: dict[str, tuple[str, ...]]):
        self.exact: dict[str, tuple[str, ...]] = {}  # cue -> labels
        self.stems: dict[str, tuple[str, ...]] = {}
        for label, words in cues.items():
            for w in words:
                w = " ".join(w.casefold().split())
                table, key = (self.stems, w[:-1]) if w.endswith("*") else (self.exact, w)
                table[key] = table.get(key, ()) + (label,)
        alts = [re.escape(c) for c in self.exact] + [re.escape(s) + r"\w*" for s in self.stems]
        alts.sort(key=len, reverse=True)  # the longest cue at a position wins
        self.pattern = re.compile(r"(?<!\w)(?:" + "|".join(alts) + r")(?!\w)") if alts else re.compile("(?!)")

    def find(self, text: str) -> list[tuple[str, tuple[str, ...], int, int]]:
        """(cue as written, labels, start, end) of every cue in ``text``."""
        out = []
        for m in self.pattern.finditer(text.casefold()):
            word = m.group()
            labels = self.exact.get(word)
            if labels is None:
                stem = max((s for s in self.stems if word.startswith(s)), key=len, default=None)
                labels = self.stems.get(stem, ())
            if labels:
                out.append((word, labels, m.start(), m.end()))
        return out


@dataclass(frozen=True)
class SectorRules:
    sectors: tuple[str, ...]  # in file order: the last tie-break
    sector_cues: CueSet
    digital_cues: CueSet  # labels "digital" / "non_digital"
    agencies: CueSet  # agency nomenclature -> sector
    village_agencies: re.Pattern
    weights: dict
    name_only: frozenset[str] = frozenset()  # cues that count in the name only ('desa' elsewhere is an address)
    expansion_gap: re.Pattern = re.compile("(?!)")  # between a name and its long form ('singkatan dari')
    digital_regex: re.Pattern = re.compile("(?!)")  # a web address ('x.id', 'www.'): a digital cue too

    @classmethod
    def load(cls, directory: str | Path) -> "SectorRules":
        return _load(str(directory))

    @staticmethod
    def forget_cached() -> None:
        """Drop the cue words cached per directory: the next ``load`` reads the files again."""
        _load.cache_clear()

    def weight(self, place: str) -> float:
        return float(self.weights.get(place, 1.0))


@lru_cache(maxsize=4)
def _load(directory: str) -> SectorRules:
    d = Path(directory)
    data = json.loads((d / SECTOR_FILE).read_text(encoding="utf-8"))
    with (d / AGENCY_FILE).open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    sectors = tuple(data["sectors"])
    bad = sorted({r["sector"] for r in rows} - set(sectors))
    if bad:
        raise ValueError(f"{AGENCY_FILE}: unknown sectors {bad}")
    by_sector: dict[str, list[str]] = {}
    for r in rows:
        by_sector.setdefault(r["sector"], []).append(r["pattern"])
    village = "|".join(re.escape(w) for w in sorted(data["village_agencies"], key=len, reverse=True))
    return SectorRules(
        sectors=sectors,
        sector_cues=CueSet({k: tuple(v) for k, v in data["sectors"].items()}),
        digital_cues=CueSet({"digital": tuple(data["digital"]), "non_digital": tuple(data["non_digital"])}),
        agencies=CueSet({k: tuple(v) for k, v in by_sector.items()}),
        village_agencies=re.compile(rf"(?i)^(?:{village})\b"),
        weights=dict(data.get("weights", {})),
        name_only=frozenset(w.casefold() for w in data.get("name_only", ())),
        expansion_gap=re.compile(data.get("expansion_gap_regex") or "(?!)", re.IGNORECASE),
        digital_regex=re.compile(data.get("digital_regex") or "(?!)", re.IGNORECASE),
    )


def article_cues(text: str, rules: SectorRules) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The sector cues of a whole article (the weakest place: a tie-break and a last resort)."""
    return tuple((word, labels) for word, labels, _, _ in rules.sector_cues.find(text) if word not in rules.name_only)


def classify(ev: Evidence, rules: SectorRules) -> Classified:
    """The sector and digital delivery of one innovation from what its article says."""
    places = _places(ev)
    sector, sector_why = _sector(places, ev.agency, ev.article, rules)
    digital, digital_why = _digital(places, rules)
    return Classified(sector, sector_why, digital, digital_why)


def _places(ev: Evidence) -> list[tuple[str, str]]:
    """(place, text) pairs; the name and expansion are read once, in the name's place, and
    cut out of the sentences that repeat them."""
    own = [t for t in (ev.name, ev.expansion) if t]
    cut = re.compile("|".join(re.escape(t) for t in sorted(own, key=len, reverse=True)), re.IGNORECASE) if own else None

    def rest(t: str) -> str:
        return cut.sub(" ; ", t) if cut else t

    return [("name", " ; ".join(own))] + [("text", rest(t)) for t in ev.text] + [("context", rest(t)) for t in ev.context]


def _sector(places: list[tuple[str, str]], agency: str, article, rules: SectorRules) -> tuple[str, str]:
    score: dict[str, float] = {}
    why: dict[str, list[str]] = {}

    def vote(place: str, text: str, first_only: bool = False) -> None:
        hits = rules.sector_cues.find(text) if place != "agency" else rules.agencies.find(text)
        if first_only and hits:  # an agency is one office: its first nomenclature word names it
            hits = [min(hits, key=lambda h: (h[2], -(h[3] - h[2])))]
        for word, labels, _, _ in hits:
            if place != "name" and word in rules.name_only:
                continue
            w = rules.weight(place) * len(word.split()) / len(labels)
            for s in labels:
                score[s] = score.get(s, 0.0) + w
                if f"{place}: {word}" not in why.setdefault(s, []):
                    why[s].append(f"{place}: {word}")

    for place, text in places:
        vote(place, text)
    if agency:
        vote("agency", agency, first_only=True)
    for word, labels in article:
        for s in labels:
            score[s] = score.get(s, 0.0) + rules.weight("article") * len(word.split()) / len(labels)
            why.setdefault(s, []).append(f"article: {word}") if len(why.get(s, ())) < 4 else None
    if not score:
        return "", ""
    best = min(score, key=lambda s: (-score[s], rules.sectors.index(s)))
    return best, "; ".join(why[best][:4])


def _digital(places: list[tuple[str, str]], rules: SectorRules) -> tuple[bool | None, str]:
    score = {"digital": 0.0, "non_digital": 0.0}
    why: dict[str, list[str]] = {"digital": [], "non_digital": []}
    for place, text in places:
        hits = rules.digital_cues.find(text)
        if place == "name":  # a web address as the name ('x.id'); in the text it is mostly the outlet's credit
            hits += [(m.group(), ("digital",), m.start(), m.end()) for m in rules.digital_regex.finditer(text)]
        # 'non digital' is one cue: the longest match at a position wins, so it never reads as 'digital'
        for word, labels, _, _ in hits:
            for label in labels:
                score[label] += rules.weight(place) * (rules.weight("non_digital") if label == "non_digital" else 1)
                if len(why[label]) < 4 and f"{place}: {word}" not in why[label]:
                    why[label].append(f"{place}: {word}")
    if score["digital"] == 0 and score["non_digital"] == 0:
        return None, ""
    if score["digital"] * rules.weight("digital_bias") >= score["non_digital"]:
        return True, "; ".join(why["digital"])
    return False, "; ".join(why["non_digital"])


def level_of(region_kind: str, agency: str, rules: SectorRules) -> str:
    """``desa`` for a village owner, else the kind of the owner's region ('' when unknown)."""
    if agency and rules.village_agencies.search(agency.strip()):
        return "desa"
    return _LEVEL_OF_KIND.get(region_kind, "")
