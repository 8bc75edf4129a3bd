"""Name and owner normalisation for resolve.

Two forms of a name are used: the *spaced* form (NFKC, casefold, accents and
punctuation removed, hyphens as spaces, a leading ``si``/``e`` glued to the next
word) for token scorers, and the *compact* form (the spaced form without spaces)
as the exact key: ``Si Modis``, ``SiModis``, ``SI-MODIS`` and ``Sí Modis`` share one.
A region suffix (``Si Modis Lutra`` in Kabupaten Luwu Utara) is removed from both
when the mention's region is known; suffixes come from an injectable source.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Protocol

from ..gazetteer import Gazetteer
from ..records import norm_text
from ..settings import ExtractSettings, ResolveSettings

_rules_file = ResolveSettings().rules_file  # replaced by ``use_rules`` with the run's settings


def use_rules(rules_file: str) -> None:
    """Read the word lists from ``rules_file`` (``settings.resolve.rules_file``) from now on;
    the memoised normal forms are dropped when the file changes."""
    global _rules_file
    if rules_file != _rules_file:
        _rules_file = rules_file
        for memo in (rules, spaced, _glue_words, _acronym_stop, _word_prefixes, _chunk_starts, whole_government):
            memo.cache_clear()


@lru_cache(maxsize=1)
def rules() -> dict:
    return json.loads(Path(_rules_file).read_text(encoding="utf-8"))


@lru_cache(maxsize=1 << 20)
def spaced(name: str) -> str:
    """``norm_text`` with a leading ``si``/``e`` glued to the next word (``si modis`` -> ``simodis``)."""
    toks = norm_text(name).split()
    glue = _glue_words()
    while len(toks) > 1 and toks[0] in glue:
        toks[0:2] = [toks[0] + toks[1]]
    return " ".join(toks)


@lru_cache(maxsize=1)
def _glue_words() -> frozenset[str]:
    return frozenset(rules()["si_prefixes"])


def compact(name: str) -> str:
    return norm_text(name).replace(" ", "")


def strip_suffixes(spaced_name: str, suffixes: Iterable[str]) -> str:
    """Remove trailing region suffixes (repeatedly); never the whole name.

    Compared without spaces so ``modis luwuutara`` and ``modislutra`` are handled too.
    """
    sufs = sorted({s.replace(" ", "") for s in suffixes if s}, key=len, reverse=True)
    if not sufs:
        return spaced_name
    toks = spaced_name.split()
    changed = True
    while changed and len(toks) > 1:
        changed = False
        for k in range(1, 6):  # "ogan komering ulu selatan" has four words
            if k >= len(toks):
                break
            tail = "".join(toks[-k:])
            if tail in sufs:
                toks = toks[:-k]
                changed = True
                break
    if len(toks) == 1:  # glued suffix: "simodislutra"
        word = toks[0]
        for suf in sufs:
            if word.endswith(suf) and len(word) - len(suf) >= 4:
                return word[: -len(suf)]
    return " ".join(toks)


def name_key(name: str, suffixes: Iterable[str] = ()) -> str:
    """The exact-match key of a name: compact, region suffix removed."""
    return strip_suffixes(spaced(name), suffixes).replace(" ", "")


# -- acronyms ------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _acronym_stop() -> frozenset[str]:
    return frozenset(rules()["acronym_stopwords"])


@lru_cache(maxsize=1)
def whole_government() -> frozenset[str]:
    """Agency keys that name a whole government, not one of its units (neutral evidence)."""
    return frozenset(rules().get("whole_government_agencies", ()))


def content_words(spaced_name: str) -> list[str]:
    return [w for w in spaced_name.split() if w not in _acronym_stop()]


def acronym_score(acronym: str, expansion_spaced: str) -> float:
    """0..100: how well ``acronym`` (compact) abbreviates the words of an expansion.

    The acronym is cut into consecutive chunks, each taken from one content word in
    order, starting at the word's first letter and then any later letters of it
    (syllable acronyms: SIMBARA = SIstem Informasi Mineral batuBARA, PaDi = PAsar
    DIgital); a later word may also start its chunk after a derivational prefix
    (``acronym_word_prefixes``: the root of "kedaruratan" gives "dar"). The first content
    word must give the first chunk, from its first letter. Score = share of the
    content words, up to the last one used, that gave a chunk; 0 when no alignment
    consumes the whole acronym or more words are left unused at the end than were used.
    Stop words give no chunk; where an alignment needs one ("dalam" in a syllable acronym),
    the stop words count as words (the ones left unused lower the share).
    """
    if expansion_spaced.replace(" ", "").startswith(acronym):
        return 0.0  # "Sim B" / "Sim Bara Kita": a shorter name, not an abbreviation
    words = content_words(expansion_spaced)
    score = _aligned_share(acronym, words)
    every = expansion_spaced.split()
    if score < 100.0 and len(every) > len(words):
        score = max(score, _aligned_share(acronym, every))
    return score


def _aligned_share(acronym: str, words: list[str]) -> float:
    """``acronym_score`` over the given words (see there)."""
    n, m = len(acronym), len(words)
    if n < 3 or m < 2 or acronym[0] != words[0][0]:
        return 0.0
    best = {0: 0}  # acronym chars consumed -> most words used so far
    score = 0.0
    for j, w in enumerate(words):
        new = {} if j == 0 else dict(best)  # j == 0: the first word must be used
        for i, used in best.items():
            for start in (_chunk_starts(w) if j else (0,)):
                if i >= n or w[start] != acronym[i]:
                    continue
                pos, k = start + 1, i + 1
                while True:
                    if new.get(k, -1) < used + 1:
                        new[k] = used + 1
                    if k == n:
                        span = j + 1
                        if used + 1 >= 2 and m - span <= used + 1:  # at least two words give letters
                            score = max(score, 100.0 * (used + 1) / span)
                        break
                    nxt = w.find(acronym[k], pos)
                    if nxt < 0:
                        break
                    pos, k = nxt + 1, k + 1
        new.pop(n, None)  # a finished alignment was scored above; nothing continues from it
        best = new
        if not best:
            break
    return score


def tail_acronym_score(name_spaced: str, long_spaced: str, max_chars: int) -> float:
    """``acronym_score`` of a name that abbreviates the head of a long form and then repeats
    its last words ("Sapa Nelayan Pulau" / "Sinergi Akses Pelayanan Administrasi Nelayan
    Pulau"): the shared trailing words are set aside, the name's head (one or two words, at
    most ``max_chars`` letters) must abbreviate the long form's head."""
    a, b = name_spaced.split(), long_spaced.split()
    k = 0
    while k < len(a) - 1 and k < len(b) - 2 and a[-1 - k] == b[-1 - k]:
        k += 1
    if not k or len(a) - k > 2:
        return 0.0
    head = "".join(a[:-k])
    if len(head) > max_chars:
        return 0.0
    return acronym_score(head, " ".join(b[:-k]))


@lru_cache(maxsize=1 << 16)
def _chunk_starts(word: str) -> tuple[int, ...]:
    """Where a word's acronym chunk may start: its first letter, or the first letter of its
    root after a derivational prefix that leaves at least three letters."""
    return (0, *sorted({len(p) for p in _word_prefixes() if word.startswith(p) and len(word) - len(p) >= 3}))


@lru_cache(maxsize=1)
def _word_prefixes() -> frozenset[str]:
    return frozenset(rules().get("acronym_word_prefixes", ()))


def acronym_block_keys(key: str) -> set[str]:
    """Keys an acronym candidate shares with the long forms it could abbreviate.

    A long form is keyed by the initials of its first three content words (two when it
    has two); an acronym by its first letter and each possible next one or two chunk
    starts (a chunk is at most four letters), which matches whatever the cut.
    """
    out = set()
    n = len(key)
    for j in range(1, min(n, 5)):
        out.add(key[0] + key[j])
        for k in range(j + 1, min(n, j + 5)):
            out.add(key[0] + key[j] + key[k])
    return out


def expansion_block_key(spaced_name: str) -> str:
    w = content_words(spaced_name)
    return "".join(x[0] for x in w[:3]) if len(w) >= 2 else ""


# -- owners --------------------------------------------------------------------------
NATIONAL = "nasional"  # the region key of ministries, national agencies and BUMN


def region_key(region: str) -> str:
    """Comparable region: ``Kab. Luwu Utara`` -> ``kabupaten luwu utara``; ``Pusat`` -> ``nasional``."""
    words = norm_text(region).split()
    if not words:
        return ""
    r = rules()
    if " ".join(words) in r["national_words"]:
        return NATIONAL
    kind = None
    while words and words[0] in r["region_kind"]:
        kind = r["region_kind"][words.pop(0)]
    core = " ".join(words)
    return f"{kind} {core}" if kind and core else core


_TRAILING_REGION = re.compile(r"\s+(?:kabupaten|kab|kota|provinsi|prov)\b.*$")
_PARENS = re.compile(r"\([^)]*\)")


def agency_key(agency: str) -> str:
    """Normalised agency without a trailing region (the region is compared on its own) and
    without a parenthesised abbreviation ("... Sipil (Disdukcapil) Kabupaten Malaka")."""
    return _TRAILING_REGION.sub("", norm_text(_PARENS.sub(" ", agency or "")))


# -- owners: regions (canonical form, name suffixes, province) and agencies ---------
class OwnerSource(Protocol):
    """What resolve needs to know about owners (injectable, so tests need no gazetteer)."""

    def canonical(self, region: str) -> str:  # comparable key: "kabupaten luwu utara", "nasional"
        ...

    def suffixes(self, region: str) -> frozenset[str]:  # normalised forms that may end a name
        ...

    def province(self, region: str) -> str:  # "Provinsi Sulawesi Selatan"; "" when unknown or national
        ...

    def agency(self, surface: str) -> str:  # comparable agency: "Dinkes" and "Dinas Kesehatan Kab. X" agree
        ...


class GazetteerOwners:
    """Regions and agencies from the one ``pipeline.gazetteer.Gazetteer`` (also extract's)."""

    def __init__(self, gaz):
        self.gaz = gaz

    @lru_cache(maxsize=8192)
    def _region(self, region: str):
        return self.gaz.resolve_region(region) if region else None

    def canonical(self, region: str) -> str:
        reg = self._region(region)
        return region_key(reg.name) if reg is not None else region_key(region)

    @lru_cache(maxsize=8192)
    def suffixes(self, region: str) -> frozenset[str]:
        reg = self._region(region)
        if reg is None or reg.kind == "nasional":  # "Indonesia", "RI" are not region suffixes of a name
            return frozenset()
        return frozenset(norm_text(x) for x in self.gaz.region_suffixes(reg))

    def province(self, region: str) -> str:
        reg = self._region(region)
        return reg.province if reg is not None else ""

    @lru_cache(maxsize=8192)
    def agency(self, surface: str) -> str:
        # "Dinkes" -> "Dinas Kesehatan"; "Diskominfo SP" and "Diskominfo-SP" agree
        return agency_key(self.gaz.canonical_agency(_PARENS.sub(" ", surface))) if surface else ""


class StaticOwners:
    """A fixed table ``{region: suffixes}``; regions compare by ``region_key`` (tests, tools)."""

    def __init__(self, table: dict[str, Iterable[str]] | None = None):
        self.table = {region_key(k): frozenset(norm_text(x) for x in v) for k, v in (table or {}).items()}

    def canonical(self, region: str) -> str:
        return region_key(region)

    def suffixes(self, region: str) -> frozenset[str]:
        return self.table.get(region_key(region), frozenset())

    def province(self, region: str) -> str:
        return ""

    def agency(self, surface: str) -> str:
        return agency_key(surface)


@lru_cache(maxsize=4)
def default_owners(gazetteer_dir: str = ExtractSettings().gazetteer_dir) -> OwnerSource:
    """The owners of the gazetteer in ``gazetteer_dir`` (a missing or broken gazetteer is a
    broken environment: it raises)."""
    return GazetteerOwners(Gazetteer.load(gazetteer_dir))
