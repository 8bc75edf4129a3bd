"""The pipeline: collect -> clean -> extract, stored in batches, then resolve and publish.

``run`` is what ``inovasi run`` calls.  It is incremental (inputs already stored
with the same signature are not read again), crash-safe (each batch is one
transaction; resolution is one transaction; exports are atomic renames) and
exclusive (a second run on the same folder stops at once with ``RunLocked``).
Read/clean/extract of work units is the pure function ``process_units`` so the
same code runs in-process or on Dask workers (``pipeline.distributed``).
"""
from __future__ import annotations

import json
import logging
import os
import signal
import time
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Callable, Collection, Iterable, Iterator, Mapping, Sequence

from filelock import FileLock, Timeout

from .clean import DuplicateIndex, clean_document
from .collect import WorkUnit, identity, plan_units, read_unit
from .failures import FailureGuard, SystemicFailure, describe, is_systemic, stop_for
from .monitor import counts as count_changes, what_is_new
from .records import Article, Extraction
from .settings import CORPORA_DIR, Settings
from .store import Store, export, export_runs, write_atomic
from .store.migrate import migrate_input_identity

log = logging.getLogger("inovasi")

SAMPLE_CORPUS = CORPORA_DIR / "sample"
UNIT_DONE = "#done"  # marker source: every record of a unit is stored


def _checkpoint(name: str, _counts: dict[str, int] = {}) -> None:  # noqa: B006 - per-process counter
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


class RunLocked(RuntimeError):
    """Another run holds the output folder."""


@dataclass(frozen=True)
class Processed:
    """One input document after read, clean and extract (what a worker sends back)."""

    source: str
    unit: str
    signature: str
    article: Article
    extraction: Extraction


@dataclass(frozen=True)
class RunSummary:
    run_id: int
    out_dir: str
    n_units: int
    n_read: int
    n_ok: int
    n_skipped: int
    n_failed: int
    n_unchanged: int
    n_mentions: int
    n_innovations: int
    n_replications: int
    n_new_innovations: int
    n_new_events: int
    n_new_replications: int
    seconds: float
    skipped_reasons: dict

    def line(self) -> str:
        return (f"{self.n_read} articles read: {self.n_ok} ok, {self.n_skipped} skipped, {self.n_failed} failed"
                f"{f', {self.n_unchanged} unchanged' if self.n_unchanged else ''}; "
                f"{self.n_mentions} mentions, {self.n_innovations} innovations "
                f"({self.n_new_innovations} new), {self.n_replications} replications "
                f"({self.n_new_replications} new) in {self.seconds:.1f}s -> {self.out_dir}")


# -- worker side ------------------------------------------------------------------------
@lru_cache(maxsize=2)
def load_extractor(settings: Settings):
    """One extractor (spaCy pipeline) per process and settings, loaded on first use."""
    from .extract import Extractor

    return Extractor.load(settings)


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


def iter_processed(units: Sequence[WorkUnit], settings: Settings,
                   skip: Mapping[str, Collection[str]] | None = None) -> Iterator[Processed]:
    """Read, clean and extract units in order, streaming; never raises for bad input.

    Batches for ``nlp.pipe`` span units: a folder of small files costs one pipe call per
    ``extract.batch_size`` articles, not one per file (that was a fifth of a text run)."""
    extractor = load_extractor(settings)
    skip = skip or {}
    batch: list[tuple[str, WorkUnit, Article]] = []

    def flush():
        extractions = _extract_batch(extractor, [a for *_, a in batch])
        for (source, unit, art), (ext, error) in zip(batch, extractions):
            if error:  # the article is kept, marked failed: never an ok row with its mentions lost
                art = replace(art, status="failed", reason=error)
            yield Processed(source, unit.path, unit.signature, art, ext)
        batch.clear()

    for unit in units:
        _checkpoint("unit")
        skip_here = skip.get(unit.path, ())
        for raw in read_unit(unit, settings):
            if raw.source in skip_here:
                continue
            try:
                art = clean_document(raw, settings)
            except Exception as exc:  # noqa: BLE001 - the cleaner promises not to, but a run never dies
                if is_systemic(exc):
                    raise stop_for(exc, "cleaning", raw.source) from exc
                from .clean import article_id_for

                art = Article(article_id_for(raw), raw.source, "failed", f"clean error: {describe(exc)}")
            batch.append((raw.source, unit, art))
            if len(batch) >= settings.extract.batch_size:
                yield from flush()
    if batch:
        yield from flush()


def process_units(units: Sequence[WorkUnit], settings: Settings,
                  skip: Mapping[str, Collection[str]] | None = None) -> list[Processed]:
    """``iter_processed`` as one list: a distributed task."""
    return list(iter_processed(units, settings, skip))


# -- client side --------------------------------------------------------------------------
def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _dedup(p: Processed, index: DuplicateIndex, store: Store, taken: set[str]) -> Processed:
    """Give exact and near duplicates status ``skipped`` (their mentions are dropped)."""
    art = p.article
    if art.article_id in taken or store.has_article(art.article_id):
        # the same content (or URL) came from another source: a distinct row, marked duplicate
        from hashlib import sha1

        new_id = "a" + sha1(f"{art.article_id}|{p.source}".encode()).hexdigest()[:16]
        art = replace(art, article_id=new_id, status="skipped" if art.ok else art.status,
                      reason=f"duplicate of {p.article.article_id}" if art.ok else art.reason,
                      duplicate_of=p.article.article_id if art.ok else "")
    elif art.ok:
        art = index.check(art)
    taken.add(art.article_id)
    ext = p.extraction if art.ok else Extraction(art.article_id)
    return replace(p, article=art, extraction=ext)


def run(inputs: Sequence[str | Path] | None, out_dir: str | Path, settings: Settings | None = None, *,
        quiet: bool = True, client=None, progress: Callable[[int, int], None] | None = None,
        report: bool = True) -> RunSummary:
    """Run the whole pipeline over ``inputs`` (the sample corpus when empty) into ``out_dir``."""
    settings = settings or Settings()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    inputs = [str(i) for i in inputs] if inputs else [str(SAMPLE_CORPUS)]
    lock = FileLock(str(out / ".inovasi.lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise RunLocked(f"another inovasi run is using {out} (lock {out / '.inovasi.lock'}); "
                        "wait for it to finish or use another --out folder") from None
    try:
        with Store(out) as store:
            return _run_locked(inputs, out, settings, store, client, progress, report)
    finally:
        lock.release()


def _run_locked(inputs, out: Path, settings: Settings, store: Store, client, progress, report) -> RunSummary:
    t0 = time.perf_counter()
    settings_json = json.dumps(settings.to_dict(), ensure_ascii=False)
    run_id = store.start_run(_now(), inputs, settings_json)
    with RunLog(out / "inovasi.log", run_id) as runlog:
        try:
            return _run_stages(inputs, out, settings, store, client, progress, report, run_id, runlog, t0)
        except SystemicFailure as exc:
            runlog.write("stopped", reason=str(exc))
            raise


def _run_stages(inputs, out: Path, settings: Settings, store: Store, client, progress, report, run_id: int,
                runlog: "RunLog", t0: float) -> RunSummary:
    runlog.write("start", inputs=inputs)
    units = plan_units(inputs, settings, exclude=(out,))  # a run never reads its own outputs
    migrate_input_identity(store.db, identity)  # keys of a state file from before resolved paths (issue 16)
    seen = store.seen_sources()
    sig_of = {u.path: u.signature for u in units}
    todo = [u for u in units if seen.get(u.path + UNIT_DONE, ("", ""))[1] != u.signature
            and seen.get(u.path, ("", ""))[1] != u.signature]
    # records of a partly stored unit (a killed run) are not processed again
    skip: dict[str, set[str]] = {}
    for source, (unit, sig) in seen.items():
        if sig_of.get(unit) == sig:
            skip.setdefault(unit, set()).add(source)
    counts = {"n_units": len(units), "n_read": 0, "n_ok": 0, "n_skipped": 0, "n_failed": 0,
              "n_unchanged": len(units) - len(todo)}
    reasons: dict[str, int] = {}

    if todo:
        index = DuplicateIndex(settings)
        for article_id, content_hash, sig, text in store.iter_dedup_entries(index.params):
            if sig is not None:
                index.add_signature(article_id, content_hash, sig)
            else:  # stored before signatures were kept, or under other MinHash settings
                index.add(article_id, text or "")
        if client is None:
            stream: Iterable[Processed] = iter_processed(todo, settings, skip)
        else:
            from .distributed import iter_processed_dask

            stream = iter_processed_dask(client, todo, settings, skip)
        taken: set[str] = set()
        batch: list[Processed] = []
        finished: list[WorkUnit] = []  # units whose every record is in ``batch`` or stored
        current_unit = None

        def commit():
            # one transaction (one fsync) per batch, with the units it completes
            rows = [(p.source, p.unit, p.signature, p.article, p.extraction.mentions, p.extraction.replications)
                    for p in batch]
            sigs = [(p.article.article_id, index.params, sig) for p in batch if p.article.ok
                    and (sig := index.signature(p.article.article_id)) is not None]
            _checkpoint("before_batch")
            store.commit_batch(run_id, rows, [(u.path + UNIT_DONE, u.path, u.signature) for u in finished], sigs)
            _checkpoint("batch")
            batch.clear()
            finished.clear()

        unit_by_path = {u.path: u for u in todo}
        done_units = 0
        guard = FailureGuard(settings)  # a broken environment stops the run before its batch is stored
        for p in stream:
            if current_unit is not None and p.unit != current_unit:
                finished.append(unit_by_path.pop(current_unit))
                done_units += 1
                if progress:
                    progress(done_units, len(todo))
            current_unit = p.unit
            p = _dedup(p, index, store, taken)
            art = p.article
            guard.observe(art)
            counts["n_read"] += 1
            counts[f"n_{art.status}"] += 1
            if not art.ok:
                key = art.reason.split(" of ")[0] if art.reason.startswith("duplicate of") else art.reason
                reasons[key] = reasons.get(key, 0) + 1
            runlog.write("article", source=p.source, status=art.status, reason=art.reason,
                         mentions=len(p.extraction.mentions), removed=dict(art.removed))
            batch.append(p)
            if len(batch) >= settings.batch_size:
                commit()
        # the last unit, and units that yielded nothing new (all records already stored), are done too
        finished.extend(unit_by_path.values())
        commit()
        if progress:
            progress(len(todo), len(todo))

    changes = {"n_new_innovations": 0, "n_new_events": 0, "n_new_replications": 0}
    if store.get_meta("dirty", "1") == "1":
        from .resolve import resolve

        resolution = resolve(store.load_mentions(), store.load_replications(), store.load_prior(), settings)
        _checkpoint("resolve")
        new = what_is_new(store, resolution)
        store.save_resolution(run_id, resolution, new)  # also marks the export pending
        changes = count_changes(new)
        _checkpoint("saved")
    final = {**counts, **store.counts(), **changes}
    store.finish_run(run_id, _now(), final)  # before the export, so the exported runs table is final
    exported = all((out / f"{t}.csv").exists() for t in ("articles", "mentions", "registry", "replications"))
    if store.get_meta("export_pending", "1") == "1" or not exported \
            or (report and not export_runs(out, store)):  # nothing new: the report only needs the runs
        export(out, store, on_table=lambda t: _checkpoint("export"))
        write_atomic(out / "settings.json", json.dumps(settings.to_dict(), indent=2, ensure_ascii=False) + "\n")
        store.set_meta("export_pending", "0")
    if report:
        _build_report(out, settings, runlog)
    summary = RunSummary(run_id=run_id, out_dir=str(out), seconds=time.perf_counter() - t0,
                         skipped_reasons=reasons, **final)
    runlog.write("finish", **final, seconds=round(summary.seconds, 3))
    return summary


def _build_report(out: Path, settings: Settings, runlog: "RunLog") -> None:
    try:
        from .report import build_report
    except ImportError:  # report stage not installed in a minimal build
        return
    try:
        build_report(out, settings)
    except Exception as exc:  # noqa: BLE001 - a report problem never loses a run's tables
        log.error("report failed: %r", exc)
        runlog.write("report_failed", reason=repr(exc))


class RunLog:
    """One JSON line per event in ``inovasi.log`` (which input, status, reason, how long)."""

    def __init__(self, path: Path, run_id: int):
        self.path, self.run_id, self.fh = path, run_id, None

    def __enter__(self) -> "RunLog":
        # line-buffered: a killed run keeps its log; a name that is not UTF-8 is escaped, never a crash
        self.fh = open(self.path, "a", encoding="utf-8", errors="backslashreplace", buffering=1)
        return self

    def __exit__(self, *exc) -> None:
        self.fh.close()

    def write(self, event: str, **fields) -> None:
        line = json.dumps({"time": _now(), "run_id": self.run_id, "event": event, **fields}, ensure_ascii=False)
        self.fh.write(line + "\n")
        log.debug(line)
