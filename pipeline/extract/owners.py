"""Owners: agency spans as written, their canonical form, and the region they belong to.

``Places`` is a thin adapter over ``pipeline.gazetteer.Gazetteer`` (regions of Indonesia and
agency nomenclature).  When that module or its data is missing, a fallback reads
``corpora/gazetteers/regions.csv`` (if present) and ``patterns/regions_fallback.json`` so
that extraction still runs; the fallback knows no agency nomenclature.
"""
from __future__ import annotations

import csv
import json
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from pathlib import Path

log = logging.getLogger(__name__)

_TYPE = {"kabupaten": "Kabupaten", "kab": "Kabupaten", "pemkab": "Kabupaten", "kota": "Kota", "pemkot": "Kota",
         "provinsi": "Provinsi", "prov": "Provinsi", "propinsi": "Provinsi", "pemprov": "Provinsi"}
_PREFIX = re.compile(
    r"\b(?:(?:Pemerintah|Pemda|Pemdа)\s+(?:Daerah\s+)?(?:\(Pemda\)\s+)?)?(Kabupaten|Kab\.?|Kota|Provinsi|Prov\.?|Propinsi|Pemkab|Pemkot|Pemprov)"
    r"\s+((?:[A-Z][\w'-]*|[A-Z]{2,})(?:\s+(?:[A-Z][\w'-]*)){0,3})")
_CAPWORDS = re.compile(r"\b[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*){0,3}")


@dataclass(frozen=True)
class Place:
    start: int
    end: int
    surface: str
    name: str  # "Kabupaten Luwu Utara", "Provinsi Nusa Tenggara Timur"
    province: str  # province name ("" for a province itself? no: its own name)
    typed: bool  # written with a type word (Kabupaten/Kota/Provinsi/Pemkab...)


class Places:
    """Region and agency look-ups used by the extractor."""

    def __init__(self, gaz=None, fallback: dict | None = None, rows: list[dict] | None = None):
        self.gaz = gaz
        self._by_core: dict[str, list[tuple[str, str, str]]] = {}  # core.lower() -> [(kind, name, province)]
        self._short: dict[str, tuple[str, str]] = {}
        self._stop = set()
        fb = fallback or {}
        self._stop = set(fb.get("region_stop_words", []))
        for row in rows or []:
            self._by_core.setdefault(row["core"].lower(), []).append((row["kind"], row["name"], row["province"]))
        for prov, shorts in fb.get("provinces", {}).items():
            name = f"Provinsi {prov}"
            self._by_core.setdefault(prov.lower(), []).append(("provinsi", name, name))
            for s in shorts:
                self._short[s.lower()] = (name, name)
        for s, name in fb.get("regency_short_forms", {}).items():
            core = name.split(" ", 1)[1].lower()
            hits = [r for r in self._by_core.get(core, []) if r[1] == name]
            self._short[s.lower()] = (name, hits[0][2] if hits else "")
        self._bare = self._bare_regex()

    @classmethod
    def load(cls, gazetteer_dir: str | Path, patterns_dir: str | Path) -> "Places":
        fb = json.loads((Path(patterns_dir) / "regions_fallback.json").read_text(encoding="utf-8"))
        gaz = None
        try:  # the shared gazetteer, when it has landed
            from pipeline.gazetteer import Gazetteer  # noqa: WPS433

            gaz = Gazetteer.load(gazetteer_dir)
        except Exception as exc:  # missing module or data: fall back, say so once
            log.info("extract: gazetteer unavailable (%s); using fallback region data", exc)
        rows = []
        csv_path = Path(gazetteer_dir) / "regions.csv"
        if csv_path.exists():
            with csv_path.open(encoding="utf-8", newline="") as f:
                rows = [r for r in csv.DictReader(f)]
        return cls(gaz, fb, rows)

    # -- regions -------------------------------------------------------------------
    def _bare_regex(self) -> re.Pattern:
        keys = [k for k in self._short] + [c for c in self._by_core if len(c) >= 4]
        keys.sort(key=len, reverse=True)
        alt = "|".join(re.escape(k) for k in keys) or "(?!)"
        return re.compile(rf"\b(?:{alt})\b", re.IGNORECASE)

    def _lookup(self, kind: str | None, words: list[str]) -> tuple[str, str, int] | None:
        """Longest prefix of words that names a region of that kind -> (name, province, n_words)."""
        for n in range(len(words), 0, -1):
            core = " ".join(words[:n]).lower()
            if core in self._short and kind is None:
                name, prov = self._short[core]
                return name, prov, n
            for k, name, prov in self._by_core.get(core, []):
                if kind is None or k == kind.lower():
                    return name, prov, n
            if kind and core in self._short:
                name, prov = self._short[core]
                if name.lower().startswith(kind.lower()):
                    return name, prov, n
        return None

    def resolve_region(self, surface: str) -> tuple[str, str] | None:
        """'Pemkab Belu', 'Kabupaten Luwu Utara', 'NTT', 'Lutra' -> (name, province)."""
        s = surface.strip()
        if not s:
            return None
        if self.gaz is not None:
            try:
                r = self.gaz.resolve_region(s)
                if r is not None:
                    return r.name, getattr(r, "province", "") or ""
            except Exception:  # adapter: a gazetteer bug must not stop extraction
                pass
        words = s.replace(".", " ").split()
        kind = None
        while words and words[0].lower() in _TYPE:
            kind = _TYPE[words.pop(0).lower()]
        if not words:
            return None
        hit = self._lookup(kind, words)
        return (hit[0], hit[1]) if hit and hit[2] == len(words) else None

    def find_regions(self, text: str, bare: bool = True) -> list[Place]:
        """Regions named in text: typed ones ('Kabupaten X', 'Pemkab X') and, with bare=True,
        short forms and multi-letter cores ('NTT', 'Luwu Utara').  Never part of a hyphenated
        word ('Puskesmas Bone-Bone' names no regency)."""
        if self.gaz is not None:
            try:
                out = []
                for m in self.gaz.find_regions(text):
                    if text[m.start - 1:m.start] == "-" or text[m.end:m.end + 1] == "-":
                        continue
                    typed = bool(getattr(m, "prefix", ""))
                    if typed or bare:
                        out.append(Place(m.start, m.end, m.surface, m.region.name, m.region.province, typed))
                return out
            except Exception:  # adapter: fall back to the local reader
                pass
        out: list[Place] = []
        taken: list[tuple[int, int]] = []
        for m in _PREFIX.finditer(text):
            kind = _TYPE[m.group(1).lower().rstrip(".")]
            words = [w for w in m.group(2).split()]
            cut = next((i for i, w in enumerate(words) if w in self._stop), len(words))
            hit = self._lookup(kind, words[:cut])
            if hit:
                end = m.start(2) + len(" ".join(words[: hit[2]]))
                out.append(Place(m.start(), end, text[m.start():end], hit[0], hit[1], True))
                taken.append((m.start(), end))
        if bare:
            for m in self._bare.finditer(text):
                if text[m.start() - 1:m.start()] == "-" or text[m.end():m.end() + 1] == "-":
                    continue
                if any(a <= m.start() < b for a, b in taken) or not m.group()[0].isupper():
                    continue
                hit = self._lookup(None, m.group().split())
                if hit and hit[2] == len(m.group().split()):
                    out.append(Place(m.start(), m.end(), m.group(), hit[0], hit[1], False))
        out.sort(key=lambda p: p.start)
        return out

    def is_region_word(self, word: str) -> bool:
        """A short form or core that may suffix a name ('Si Modis Lutra')."""
        if self.gaz is not None:
            try:
                return self.gaz.resolve_region(word) is not None
            except Exception:
                pass
        w = word.lower()
        return w in self._short or w in self._by_core

    def agency_region(self, agency: str) -> tuple[str, str] | None:
        """The government an agency names ('Dinas Kesehatan Kabupaten Sikka'); a regency or
        city wins over the province written after it ('..., Kalimantan Barat')."""
        regs = self.find_regions(agency)
        if not regs:
            return None
        local = [p for p in regs if not p.name.startswith("Provinsi")]
        best = (local or regs)[0]
        return best.name, best.province

    # -- agencies ------------------------------------------------------------------
    def canonical_agency(self, surface: str) -> str:
        if self.gaz is not None and surface:
            try:
                return self.gaz.canonical_agency(surface) or surface
            except Exception:
                return surface
        return surface

    def is_national_agency(self, surface: str, national: re.Pattern) -> bool:
        if self.gaz is not None and surface:
            try:
                if self.gaz.is_national_agency(surface):
                    return True
            except Exception:
                pass
        return bool(national.search(surface.strip()))


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
    # how the owner is stated away from the name (extract/__init__.py, _nearby_owner)
    anaphor: re.Pattern = re.compile("(?!)")  # 'dinas tersebut' refers back to an agency
    official: re.Pattern = re.compile("(?!)")  # 'Kepala ' right before an agency: its official
    official_hint: re.Pattern = re.compile("(?!)")  # a sentence that may name an official (cheap test)
    organiser: re.Pattern = re.compile("(?!)")  # runs/judges competitions: never an owner by inference
    owner_list: re.Pattern = re.compile("(?!)")  # 'masing-masing milik A dan B'
    # head words that name one office on their own ('Inspektorat'); a bare 'Dinas' names no one
    standalone_heads: frozenset[str] = frozenset()

    @classmethod
    def from_data(cls, data: dict) -> "AgencyRules":
        heads = sorted(data["head_words"], key=len, reverse=True)
        low = sorted(data["lowercase_heads"], key=len, reverse=True)
        alt = "|".join(re.escape(h) for h in heads)
        low_alt = "|".join(re.escape(h) for h in low)
        head = re.compile(rf"\b(?:(?:{alt})\b|(?:{low_alt})\s+(?=[A-Z])|{data['abbreviation_regex']})")
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
            anaphor=re.compile(data.get("anaphor_regex", "(?!)")),
            official=re.compile(data.get("official_title_regex", "(?!)")),
            official_hint=re.compile(data.get("official_hint_regex", "(?!)")),
            organiser=re.compile(data.get("organiser_regex", "(?!)")),
            owner_list=re.compile(data.get("owner_list_regex", "(?!)")),
        )


def region_test(places: "Places"):
    """A predicate: does this text open with a region name? (for agency spans)"""
    return lambda text: any(p.start == 0 for p in places.find_regions(text))


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
        if _PLACE_BEFORE.search(text, max(0, m.start() - 60), m.start()) and _ADDRESS.match(text, m.start()):
            continue  # 'Desa Nita, Kecamatan Nita, ...': an address after a village, not an owner
        end = m.end()
        # the walk takes at most max_words tokens and looks 5 ahead: no need to split the rest
        toks = list(islice(_TOKEN.finditer(text, m.end()), rules.max_words + 6))
        n = 0
        i = 0
        while i < len(toks) and n < rules.max_words:
            t = toks[i]
            if text[end:t.start()].strip():  # something skipped (quote, colon): stop
                break
            w = t.group()
            nxt = toks[i + 1].group() if i + 1 < len(toks) else ""
            if w == ",":
                nxt2 = toks[i + 2].group() if i + 2 < len(toks) else ""
                ok = (nxt[:1].isupper() and nxt not in rules.head_words and nxt not in rules.stop_words) or (
                    nxt in rules.connectors and nxt2[:1].isupper() and nxt2 not in rules.head_words)
                # an enumeration inside the name ends with 'dan X'; else only a region may follow
                # the comma ('RSUD X, Kabupaten Y') -- not a person ('Puskesmas X, Nama Orang')
                ahead = [t.group() for t in toks[i + 1:i + 6]]
                enum = any(a in rules.connectors for a in ahead[:4]) and "," not in ahead[:1]
                if ok and not enum and not (region_word and region_word(" ".join(ahead[:3]))):
                    ok = False
                if not ok:
                    break
            elif w.startswith("("):
                inner = w[1:-1]
                if not (inner.isupper() or (inner[:1].isupper() and len(inner) <= 20 and " " not in inner)):
                    break
                if inner.isdigit():
                    break
            elif w in rules.connectors:
                if not (nxt[:1].isupper() and nxt not in rules.head_words):
                    break
            elif _HONORIFIC.fullmatch(w) and nxt[:1].isupper() and _HOSPITAL.search(text, m.start(), end):
                pass  # 'RSUD dr. Ben Mboi Ruteng': a hospital named after a doctor
            elif w.lower() in rules.stop_words or not (w[:1].isupper() or w[:1].isdigit()):
                break
            end = t.end()
            n += 1
            i += 1
            if w.endswith(".") and len(w) > 4 and not _INITIALS.fullmatch(w):
                end -= 1
                break  # a sentence ends inside the span
        if end > m.end() or m.group()[:1].isupper():
            s = text[m.start():end].rstrip(" ,.")
            if len(s.split()) == 1 and s.lower() in _lower_set(rules.head_words) and s not in rules.standalone_heads:
                pos = end
                continue  # a bare 'Dinas' / 'Badan' names no one
            spans.append((m.start(), m.start() + len(s)))
        pos = end
    # 'Pemerintah Desa X, Kecamatan Y, Kabupaten Z': the address belongs to the agency before it
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and re.fullmatch(r",\s*", text[merged[-1][1]:a]) and _ADDRESS.match(text, a):
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return merged


@lru_cache(maxsize=8)
def _lower_set(words: frozenset[str]) -> frozenset[str]:
    return frozenset(w.lower() for w in words)


_INITIALS = re.compile(r"(?:[A-Z]\.)+|(?:Prof|Dr|Ir|Hj|dr|drg|Muh|Moh)\.")
_ADDRESS = re.compile(r"(?:Kecamatan|Kelurahan|Desa|Kabupaten|Kota|Provinsi)\b")
_PLACE_BEFORE = re.compile(r"(?<![\w-])(?<!Pemerintah )(?:[Dd]esa|[Dd]usun|[Kk]ampung|Nagari|Gampong)\s+[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*){0,2},\s*$")
_HONORIFIC = re.compile(r"(?:dr|drg|Dr|Prof|H|Hj|Ir)\.?")
_HOSPITAL = re.compile(r"\b(?:RSUD|RSU|RS|Rumah Sakit(?: Umum)?(?: Daerah)?)$")
