"""Typed records that flow between the stages, in one direction:

    RawDocument --clean--> Article --extract--> Extraction(Mention, Replication)
        --resolve--> Resolution(RegistryEntry, mention -> innovation_id) --store/report

Every record is a frozen dataclass: stages never mutate what they receive, they
return new records (``dataclasses.replace``).  Failures are data too: a document
that cannot be read or cleaned still becomes an ``Article`` with ``status`` and a
``reason`` -- never a bare ``None``.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal, Mapping

Status = Literal["ok", "skipped", "failed"]
Kind = Literal["html", "text", "unknown"]


@dataclass(frozen=True)
class RawDocument:
    """One input document as read from disk, a JSONL line, a WARC record or the web.

    ``content`` is bytes (undecoded) for files and WARC payloads, str when the
    producer already had text (JSONL).  ``status``/``reason`` are set by the
    reader when the document could not even be read (``failed``) or is known
    to be unusable (``skipped``); the cleaner passes those through unchanged.
    """

    source: str  # path, ``path#L12`` for a JSONL line, ``path#offset`` for a WARC record
    kind: Kind
    content: bytes | str
    url: str = ""
    title: str = ""
    published: str = ""  # ISO date where the producer knew it
    outlet: str = ""
    content_type: str = ""  # HTTP/WARC content type where known
    status: Status = "ok"
    reason: str = ""


@dataclass(frozen=True)
class Article:
    """A cleaned article: metadata plus the story text, or a status and reason."""

    article_id: str
    source: str
    status: Status
    reason: str = ""
    url: str = ""
    outlet: str = ""
    title: str = ""
    published: str = ""  # ISO date (YYYY-MM-DD) or ""
    author: str = ""
    language: str = ""
    dateline: str = ""  # e.g. "Kupang" from "Kupang (ANTARA) -"
    text: str = ""  # cleaned story text, paragraphs separated by "\n\n"
    content_hash: str = ""  # hash of the cleaned text (or raw bytes when not ok)
    duplicate_of: str = ""  # article_id of the near-duplicate it repeats
    removed: tuple[tuple[str, int], ...] = ()  # lines the cleaner removed, counted by rule: (("baca_juga", 2), ...)

    @property
    def ok(self) -> bool:
        return self.status == "ok"


@dataclass(frozen=True)
class Event:
    """A competition stage reported for an innovation."""

    competition: str  # "KIPP", "IGA", "Lomba Inovasi Daerah", ...
    scope: str = ""  # "Kabupaten Luwu Utara", "Provinsi NTT", "Nasional"
    stage: str = ""  # "pengajuan proposal", "seleksi administrasi", "Top 45", "juara", ...
    year: int | None = None


@dataclass(frozen=True)
class Mention:
    """One innovation named in one article (one per innovation per article)."""

    article_id: str
    name: str  # short proper name as written (acronym when both forms are given)
    expansion: str = ""  # long form, where the article gives it
    agency: str = ""  # owner as written
    agency_canonical: str = ""  # owner in canonical nomenclature
    region: str = ""  # "Kabupaten X" / "Kota X" / "Provinsi X" / "Nasional"
    province: str = ""  # province of the region ("" for Nasional)
    events: tuple[Event, ...] = ()
    people: tuple[str, ...] = ()  # innovators named for it
    evidence: str = ""  # the sentence it was taken from
    published: str = ""  # the article's date, carried for first/last seen
    innovation_id: str = ""  # filled by resolve
    # what it does (spec annotation section 5; extract/sectors.py), with the cue words that decided
    sector: str = ""  # one of the 16 sector slugs, "" when nothing says
    sector_evidence: str = ""
    digital: bool | None = None  # None: the article does not say how it is delivered
    digital_evidence: str = ""
    level: str = ""  # "pusat" | "provinsi" | "kabupaten" | "kota" | "desa" | ""

    @property
    def year(self) -> int | None:
        years = [e.year for e in self.events if e.year]
        return max(years) if years else None


@dataclass(frozen=True)
class Replication:
    """A statement that an innovation is, or will be, copied."""

    article_id: str
    source_name: str
    target_name: str = ""
    target_region: str = ""
    evidence: str = ""
    source_region: str = ""  # region of the source innovation where known
    source_innovation_id: str = ""  # filled by resolve
    target_innovation_id: str = ""  # filled by resolve


@dataclass(frozen=True)
class Extraction:
    """What the extractor found in one article."""

    article_id: str
    mentions: tuple[Mention, ...] = ()
    replications: tuple[Replication, ...] = ()


@dataclass(frozen=True)
class RegistryEvent:
    competition: str
    scope: str
    stage: str
    year: int | None
    article_id: str


@dataclass(frozen=True)
class RegistryEntry:
    """One canonical innovation."""

    innovation_id: str
    canonical_name: str
    aliases: tuple[str, ...] = ()
    expansion: str = ""
    agency: str = ""
    region: str = ""
    province: str = ""
    first_seen: str = ""
    last_seen: str = ""
    n_articles: int = 0
    events: tuple[RegistryEvent, ...] = ()
    merged_ids: tuple[str, ...] = ()  # older ids folded into this one; they still resolve
    split_from: tuple[str, ...] = ()  # earlier live ids some of this entry's mentions carried
    status: str = "active"  # "active" | "withdrawn" (a tombstone: no mention left)
    withdrawn_run: int | None = None  # the run that withdrew it (tombstones only)
    sector: str = ""  # majority over its mentions (resolve/registry.py)
    digital: bool | None = None
    level: str = ""


@dataclass(frozen=True)
class MergeExplanation:
    """Why two mentions were put in one registry entry (for ``inovasi explain``)."""

    innovation_id: str
    left: str  # mention key or name
    right: str
    scores: dict = field(default_factory=dict)  # scorer name -> value
    decision: str = ""  # "merge", "forbidden: different region", ...


@dataclass(frozen=True)
class Prior:
    """What earlier runs decided: the store keeps it, resolve reads it."""

    assignments: Mapping[str, str] = field(default_factory=dict)  # mention_key -> innovation_id
    id_aliases: Mapping[str, str] = field(default_factory=dict)  # retired id -> surviving id
    id_order: Mapping[str, int] = field(default_factory=dict)  # innovation_id -> first ordinal (informative)
    withdrawn: Mapping[str, int] = field(default_factory=dict)  # tombstone id -> the run that withdrew it


# -- the key of a mention: shared by resolve (assignments) and the store (primary key) ------
_NON_WORD = re.compile(r"[\W_]+")


def _strip_marks(s: str) -> str:
    # NFKD splits "í" into "i" + combining accent; drop the marks, then recompose.
    d = unicodedata.normalize("NFKD", s)
    return unicodedata.normalize("NFC", "".join(c for c in d if not unicodedata.combining(c)))


@lru_cache(maxsize=1 << 20)
def norm_text(s: str) -> str:
    """NFKC, casefold, no accents, punctuation/hyphens/underscores -> single spaces."""
    s = unicodedata.normalize("NFKC", s or "").casefold()
    s = _strip_marks(s).casefold()
    return " ".join(_NON_WORD.sub(" ", s).split())


def mention_key(m: Mention) -> str:
    """Stable key of a mention: ``article_id|normalised name`` (no settings, no gazetteer)."""
    return f"{m.article_id}|{norm_text(m.name)}"
