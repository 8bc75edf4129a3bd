"""The pipeline: collect -> clean -> extract, stored in batches, then resolve and publish.

``run`` is what ``inovasi run`` calls.  It is incremental (inputs already stored
with the same signature are not read again), crash-safe (each batch is one
transaction; resolution is one transaction; exports are atomic renames) and
exclusive (a second run on the same folder stops at once with ``RunLocked``).
The work moves in three phases: prepare (read, clean, sign: ``pipeline.work``, in this
process or on Dask workers through ``pipeline.distributed``), decide (``clean.decide`` over
the whole run, the store handed in as its state) and extract (kept articles only).
"""
from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Sequence

from filelock import FileLock, Timeout

from .clean import decide
from .collect import WorkUnit, identity, plan_units
from .corrections import UNIT_DONE, Corrections, without
from .failures import FailureGuard, SystemicFailure
from .monitor import counts as count_changes, what_is_new
from .reextract import bring_up_to_date
from .settings import CORPORA_DIR, Settings, resolver_fingerprint
from .store import Store, export, export_runs, write_atomic
from .work import Prepared, Processed, checkpoint, iter_prepared, iter_processed

log = logging.getLogger("inovasi")

SAMPLE_CORPUS = CORPORA_DIR / "sample"
RESOLVER_KEY = "resolver"  # meta: the fingerprint of what resolved the stored registry (settings.resolver_fingerprint)


class RunLocked(RuntimeError):
    """Another run holds the output folder."""


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
    n_reextracted: int = 0  # stored articles extracted again (the extractor changed, or --reextract)
    extractor: str = ""  # fingerprint of what extracted (extract/fingerprint.py)
    notes: tuple[str, ...] = ()  # what the run did besides reading inputs (re-extraction, cleaning changed)

    def line(self) -> str:
        return ("".join(f"{n}\n" for n in self.notes)
                + f"{self.n_read} articles read: {self.n_ok} ok, {self.n_skipped} skipped, {self.n_failed} failed"
                f"{f', {self.n_unchanged} unchanged' if self.n_unchanged else ''}; "
                f"{self.n_mentions} mentions, {self.n_innovations} innovations "
                f"({self.n_new_innovations} new), {self.n_replications} replications "
                f"({self.n_new_replications} new) in {self.seconds:.1f}s -> {self.out_dir}")


# -- client side --------------------------------------------------------------------------
def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def run(inputs: Sequence[str | Path] | None, out_dir: str | Path, settings: Settings | None = None, *,
        client=None, progress: Callable[[int, int], None] | None = None,
        report: bool = True, prune: bool = False, reextract: bool = False) -> RunSummary:
    """Run the whole pipeline over ``inputs`` (the sample corpus when empty) into ``out_dir``;
    ``prune`` withdraws the articles of stored inputs that no longer exist; the stored articles
    are extracted again first when the extractor changed since the last run, or ``reextract``."""
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
            return _run_locked(inputs, out, settings, store, client, progress, report, prune, reextract)
    finally:
        lock.release()


def _run_locked(inputs, out: Path, settings: Settings, store: Store, client, progress, report,
                prune: bool = False, reextract: bool = False) -> RunSummary:
    t0 = time.perf_counter()
    settings_json = json.dumps(settings.to_dict(), ensure_ascii=False)
    run_id = store.start_run(_now(), inputs, settings_json)
    with RunLog(out / "inovasi.log", run_id) as runlog:
        try:
            return _run_stages(inputs, out, settings, store, client, progress, report, run_id, runlog, t0, prune,
                               reextract)
        except SystemicFailure as exc:
            runlog.write("stopped", reason=str(exc))
            raise


def _run_stages(inputs, out: Path, settings: Settings, store: Store, client, progress, report, run_id: int,
                runlog: "RunLog", t0: float, prune: bool = False, reextract: bool = False) -> RunSummary:
    runlog.write("start", inputs=inputs)
    # the stored articles extracted again when what extracts changed (stale extractions)
    fresh = bring_up_to_date(store, settings, run_id, runlog, client, force=reextract)
    units = plan_units(inputs, settings, exclude=(out,))  # a run never reads its own outputs
    store.migrate_inputs(identity)  # keys of a state file from before resolved paths (issue 16)
    corr = Corrections(store.sources, run_id, runlog)  # retried, replaced and pruned inputs (issue 19)
    todo, skip = corr.plan(units, store.seen_sources())
    counts = {"n_units": len(units), "n_read": 0, "n_ok": 0, "n_skipped": 0, "n_failed": 0,
              "n_unchanged": len(units) - len(todo), "n_reextracted": fresh.n_reextracted,
              "extractor": fresh.fingerprint}
    reasons: dict[str, int] = {}

    if todo:
        _process(todo, skip, settings, store, client, progress, run_id, runlog, counts, reasons, corr,
                 fresh.fingerprint)

    if prune:
        corr.prune(units)
    changes = {"n_new_innovations": 0, "n_new_events": 0, "n_new_replications": 0}
    resolver = resolver_fingerprint(settings)
    if store.get_meta("dirty", "1") == "1" or store.get_meta(RESOLVER_KEY) != resolver:
        from .resolve import resolve

        resolution = with_tombstones(resolve(store.load_mentions(), store.load_replications(), store.load_prior(),
                                             settings), store, run_id)
        checkpoint("resolve")
        new = what_is_new(store, resolution)
        store.save_resolution(run_id, resolution, new)  # also marks the export pending
        store.set_meta(RESOLVER_KEY, resolver)  # after the resolution: a crash between resolves again
        changes = count_changes(new)
        checkpoint("saved")
    final = {**counts, **store.counts(), **changes}
    store.finish_run(run_id, _now(), final)  # before the export, so the exported runs table is final
    exported = all((out / f"{t}.csv").exists() for t in ("articles", "mentions", "registry", "replications"))
    if store.get_meta("export_pending", "1") == "1" or not exported \
            or (report and not export_runs(out, store)):  # nothing new: the report only needs the runs
        export(out, store, on_table=lambda t: checkpoint("export"))
        write_atomic(out / "settings.json", json.dumps(settings.to_dict(), indent=2, ensure_ascii=False) + "\n")
        store.set_meta("export_pending", "0")
    if report:
        _build_report(out, settings, runlog)
    summary = RunSummary(run_id=run_id, out_dir=str(out), seconds=time.perf_counter() - t0,
                         skipped_reasons=reasons, notes=fresh.notes, **final)
    runlog.write("finish", **final, seconds=round(summary.seconds, 3))
    return summary


def _process(todo: list[WorkUnit], skip, settings: Settings, store: Store, client, progress, run_id: int,
             runlog: "RunLog", counts: dict, reasons: dict, corr: Corrections, fingerprint: str = "") -> None:
    """The three phases over the units to do: prepare (read, clean, sign; workers), decide (the
    clean stage over the whole run, with the store as its ``CleanState``), extract (kept articles
    only; workers), each extracted batch stored in one transaction."""
    steps = 2 * len(todo)  # progress: a unit prepared, then a unit stored
    guard = FailureGuard(settings)  # a broken environment stops the run before anything is stored
    prepared: list[Prepared] = []
    stream = iter_prepared(todo, settings, skip) if client is None else _dask().iter_prepared_dask(
        client, todo, settings, skip)
    n_units = 0
    for p in stream:
        if prepared and p.unit != prepared[-1].unit:
            n_units += 1
            if progress:
                progress(n_units, steps)
        guard.observe(p.article)
        prepared.append(p)
    if progress:
        progress(len(todo), steps)
    prepared = corr.versions_read(prepared)  # new versions replace stored ones (issue 19)
    decided, params = decide([(p.article, p.minhash) for p in prepared], without(store, corr.replacing), settings)
    prepared = [replace(p, article=a, minhash=sig) for p, (a, sig) in zip(prepared, decided)]
    stream = iter_processed(prepared, settings, fingerprint) if client is None else _dask().iter_processed_dask(
        client, prepared, settings, fingerprint)
    del prepared, decided  # the stream holds what it still needs
    _store_stream(stream, todo, settings, store, run_id, params, runlog, counts, reasons,
                  (lambda done: progress(len(todo) + done, steps)) if progress else None, corr)


def _dask():
    from . import distributed  # only when a client is given: Dask is an optional extra

    return distributed


def _store_stream(stream: Iterable[Processed], todo: list[WorkUnit], settings: Settings, store: Store,
                  run_id: int, params: str, runlog: "RunLog", counts: dict, reasons: dict, progress,
                  corr: Corrections) -> None:
    """Commit ``stream`` in batches of ``batch_size``, each with the units it completes."""
    batch: list[Processed] = []
    finished: list[WorkUnit] = []  # units whose every record is in ``batch`` or stored
    unit_by_path = {u.path: u for u in todo}
    current_unit = None
    guard = FailureGuard(settings)  # over the articles sent to the extractor

    def commit():
        # one transaction (one fsync) per batch, with the units it completes
        rows = [(p.source, p.unit, p.signature, p.article, p.extraction.mentions, p.extraction.replications)
                for p in batch]
        sigs = [(p.article.article_id, params, p.minhash) for p in batch if p.article.ok and p.minhash]
        checkpoint("before_batch")
        store.commit_batch(run_id, rows, [(u.path + UNIT_DONE, u.path, u.signature) for u in finished], sigs,
                           extras=corr.batch_extras())
        checkpoint("batch")
        batch.clear()
        finished.clear()

    for p in stream:
        if current_unit is not None and p.unit != current_unit:
            finished.append(unit_by_path.pop(current_unit))
            corr.unit_done(finished[-1])
            if progress:
                progress(len(todo) - len(unit_by_path))
        current_unit = p.unit
        corr.stored(p)
        art = p.article
        if art.ok or art.reason.startswith("extract error"):
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
    for u in unit_by_path.values():
        corr.unit_done(u)
    commit()
    if progress:
        progress(len(todo))


def with_tombstones(resolution, store: Store, run_id: int):
    """The resolution with a ``withdrawn`` registry row for every published id no mention holds."""
    from .resolve import tombstone_entries

    if not resolution.tombstones:
        return resolution
    tombs = tombstone_entries(store.load_registry(), resolution.tombstones, run_id)
    return replace(resolution, entries=tuple(sorted((*resolution.entries, *tombs), key=lambda e: e.innovation_id)))


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
