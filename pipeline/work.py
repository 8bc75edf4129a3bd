"""The worker side of a run: prepare (read + clean + signature) and extract kept articles.

A run moves data in three phases (``core`` drives them, in-process or through
``pipeline.distributed`` on Dask workers; both import this module, neither imports the other):

1. **prepare** (``iter_prepared`` / ``prepare_units``, a Dask task): read the work units,
   clean each document into an ``Article`` and compute its near-duplicate signature;
2. **decide** (``pipeline.clean.decide``, in the client): per-host boilerplate learnt over
   the whole run, then exact and near duplicates decided in an order-free way;
3. **extract** (``iter_processed`` / ``extract_articles``, a Dask task): spaCy sees only the
   articles that are still ``ok``; a duplicate is never sent to it.

Every function here is pure apart from the per-process caches of the spaCy pipeline and the
MinHash permutations, so the same code runs in the client process or on any worker.
"""
from __future__ import annotations

import logging
import os
import signal
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Iterable, Iterator, Mapping, Sequence

from .clean import DuplicateIndex, article_id_for, clean_document
from .collect import WorkUnit, read_unit
from .collect.sources import already_stored, fingerprint, source_identity
from .failures import describe, is_systemic, stop_for
from .records import Article, Extraction, RawDocument
from .settings import Settings

log = logging.getLogger("inovasi")

def checkpoint(name: str, _counts: dict[str, int] = {}) -> None:  # noqa: B006 - per-process counter
    """Fault injection for the crash-safety tests: ``INOVASI_KILL_AT=batch:2`` makes the
    process SIGKILL itself at the second ``batch`` checkpoint. Does nothing otherwise."""
    target = os.environ.get("INOVASI_KILL_AT")
    if not target:
        return
    _counts[name] = _counts.get(name, 0) + 1
    want, _, nth = target.partition(":")
    if want != name or _counts[name] != int(nth or 1):
        return
    once = os.environ.get("INOVASI_KILL_ONCE")  # a marker file: die only the first time anywhere
    if once:
        try:
            os.close(os.open(once, os.O_CREAT | os.O_EXCL))
        except FileExistsError:
            return
    os.kill(os.getpid(), signal.SIGKILL)


@dataclass(frozen=True)
class Prepared:
    """One input document after read and clean (what a prepare task sends back).

    ``minhash``: the near-duplicate signature of ``article.text`` (``None`` when the article
    is not ok or has no words); the decide phase reuses it unless it changed the text."""

    source: str
    unit: str
    signature: str  # the work unit's signature (size, mtime): what makes a re-run skip it
    article: Article
    minhash: bytes | None = None
    ident: str = ""  # what it is a version of (collect.sources.source_identity)
    fp: str = ""  # fingerprint of what was read (collect.sources.fingerprint)


@dataclass(frozen=True)
class Processed:
    """One input document after prepare, decide and extract (what the store commits)."""

    source: str
    unit: str
    signature: str
    article: Article
    extraction: Extraction
    minhash: bytes | None = None  # stored with a kept story for later runs' near-duplicate checks
    ident: str = ""
    fp: str = ""


# -- prepare ------------------------------------------------------------------------------
@lru_cache(maxsize=2)
def _signer(settings: Settings) -> DuplicateIndex:
    """An empty index per process and settings: only its MinHash (permutations made once) is used."""
    return DuplicateIndex(settings)


def _clean_one(raw: RawDocument, settings: Settings) -> Article:
    try:
        return clean_document(raw, settings)
    except Exception as exc:  # noqa: BLE001 - the cleaner promises not to, but a run never dies
        if is_systemic(exc):
            raise stop_for(exc, "cleaning", raw.source) from exc
        return Article(article_id_for(raw), raw.source, "failed", f"clean error: {describe(exc)}")


def iter_prepared(units: Sequence[WorkUnit], settings: Settings,
                  skip: Mapping[str, Mapping[str, str]] | None = None) -> Iterator[Prepared]:
    """Read and clean ``units`` in order, streaming, with each ok story's signature; never
    raises for bad input. ``skip``: per unit path, what is already stored (a killed run's
    records, unchanged versions: ``collect.sources.already_stored``)."""
    signer = _signer(settings)
    skip = skip or {}
    for unit in units:
        checkpoint("unit")
        skip_here = skip.get(unit.path, {})
        for raw in read_unit(unit, settings):
            if already_stored(raw, unit.path, skip_here):
                continue
            art = _clean_one(raw, settings)
            sig = signer.sign(art.text) if art.ok and art.text else None
            yield Prepared(raw.source, unit.path, unit.signature, art, sig, source_identity(raw, unit.path),
                           fingerprint(raw))


def prepare_units(units: Sequence[WorkUnit], settings: Settings,
                  skip: Mapping[str, Mapping[str, str]] | None = None) -> list[Prepared]:
    """``iter_prepared`` as one list: a distributed task."""
    return list(iter_prepared(units, settings, skip))


# -- extract ------------------------------------------------------------------------------
@lru_cache(maxsize=2)
def load_extractor(settings: Settings):
    """One extractor (spaCy pipeline) per process and settings, loaded on first use."""
    from .extract import Extractor

    return Extractor.load(settings)


_LOADED_AS: dict = {}  # settings -> the extractor fingerprint its cached extractor was loaded for


def _forget_stale(settings: Settings, fingerprint: str) -> None:
    """Drop the cached extractors when what extracts changed since they were loaded (a long-lived
    process: a Dask worker, a test, a script calling ``core.run`` after editing corpora/)."""
    if not fingerprint or _LOADED_AS.get(settings) == fingerprint:
        return
    from .extract import forget_cached

    if settings in _LOADED_AS:  # this extractor was loaded from other files: load it again
        load_extractor.cache_clear()
    forget_cached()  # rule data cached per path (shared by all settings): read again by the next load
    _LOADED_AS[settings] = fingerprint


def _extract_batch(extractor, articles: Sequence[Article]) -> list[tuple[Extraction, str]]:
    """(extraction, '' or the reason it failed) per article; systemic errors propagate."""
    try:
        return [(e, "") for e in extractor.extract_many(articles)]
    except Exception as exc:  # one bad article must not lose the batch: retry one by one
        if is_systemic(exc):
            raise stop_for(exc, "extracting a batch starting with", articles[0].source) from exc
    out = []
    for a in articles:
        try:
            out.append((extractor.extract(a), ""))
        except Exception as exc:  # noqa: BLE001 - bad input: recorded as the article's reason
            if is_systemic(exc):
                raise stop_for(exc, "extracting", a.source) from exc
            log.warning("extract failed for %s: %r", a.source, exc)
            out.append((Extraction(a.article_id), f"extract error: {describe(exc)}"))
    return out


def extract_articles(articles: Sequence[Article], settings: Settings,
                     fingerprint: str = "") -> list[tuple[Extraction, str]]:
    """(extraction, '' or why it failed) for each of ``articles`` (all ok), one ``nlp.pipe`` per
    ``extract.batch_size`` of them: a distributed task, and the in-process extract phase.
    ``fingerprint``: the run's ``extract.fingerprint`` (a cached extractor of another is loaded again)."""
    if not articles:
        return []  # nothing kept: the spaCy pipeline is not even loaded
    _forget_stale(settings, fingerprint)
    extractor = load_extractor(settings)
    size = max(1, settings.extract.batch_size)
    out: list[tuple[Extraction, str]] = []
    for i in range(0, len(articles), size):
        out.extend(_extract_batch(extractor, articles[i:i + size]))
    return out


def extract_batches(decided: Iterable[Prepared], n_ok: int) -> Iterator[list[Prepared]]:
    """Consecutive runs of ``decided`` holding ``n_ok`` ok articles each (the last may hold fewer):
    the batches of the extract phase, whatever else (skipped, failed rows) lies between them."""
    batch: list[Prepared] = []
    ok = 0
    for p in decided:
        batch.append(p)
        ok += p.article.ok
        if ok >= n_ok:
            yield batch
            batch, ok = [], 0
    if batch:
        yield batch


def finish_batch(batch: Sequence[Prepared], results: Sequence[tuple[Extraction, str]]) -> list[Processed]:
    """``batch`` as ``Processed`` rows: each ok article with its extraction (marked failed, with
    the reason, when extraction failed), every other row with an empty extraction."""
    it = iter(results)
    out = []
    for p in batch:
        art, ext = p.article, Extraction(p.article.article_id)
        if art.ok:
            ext, error = next(it)
            if error:  # the article is kept, marked failed: never an ok row with its mentions lost
                art = replace(art, status="failed", reason=error)
        out.append(Processed(p.source, p.unit, p.signature, art, ext, p.minhash if art.ok else None, p.ident, p.fp))
    return out


def iter_processed(decided: Iterable[Prepared], settings: Settings, fingerprint: str = "") -> Iterator[Processed]:
    """The extract phase in this process: ``decided`` in order, spaCy on the ok articles only.

    Batches for ``nlp.pipe`` span units: a folder of small files costs one pipe call per
    ``extract.batch_size`` articles, not one per file."""
    for batch in extract_batches(decided, max(1, settings.extract.batch_size)):
        yield from finish_batch(batch, extract_articles([p.article for p in batch if p.article.ok], settings,
                                                        fingerprint))
