"""The prepare and extract phases of a run on a Dask cluster; decide, resolve and store stay in the client.

Both phases run ``pipeline.work``'s functions, as the in-process run does (this module and
``core`` import ``work``; neither imports the other at module level):

- prepare: tasks of input units (``prepare_units``): up to ``batch_size`` small files per task
  (a task per file would cost a scheduler round trip each), a JSONL or WARC file alone;
- extract: tasks of up to ``batch_size`` kept articles (``extract_articles``); skipped and failed
  rows never travel.

At most ``2 x workers`` tasks are in flight and results are consumed in submission order, so
the tables are identical to an in-process run.  Workers load the spaCy pipeline once per process
(``work.load_extractor`` is cached per process), and a worker that dies mid-task is survived:
the scheduler re-runs its tasks elsewhere.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Mapping, Sequence

from .collect import WorkUnit
from .settings import Settings
from .work import Prepared, Processed, extract_articles, extract_batches, finish_batch, prepare_units


@dataclass
class ClusterHandle:
    client: object
    cluster: object | None = None

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def connect(scheduler: str | None = None, workers: int = 0, timeout: float = 20.0) -> ClusterHandle:
    """A client for an existing scheduler, or a local cluster of ``workers`` processes."""
    from distributed import Client, LocalCluster

    if scheduler:
        return ClusterHandle(Client(scheduler, timeout=timeout))
    # no dashboard; the scheduler's own HTTP server on a free port (its default, 8787, may be
    # taken by another cluster on the machine, and Dask then warns even in a --quiet run)
    cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                           dashboard_address=None, scheduler_kwargs={"dashboard_address": ":0"})
    return ClusterHandle(Client(cluster), cluster)


def _n_workers(client) -> int:
    try:
        return max(1, len(client.scheduler_info().get("workers", {})))
    except Exception:  # noqa: BLE001 - only used to size the window
        return 1


def task_groups(units: Sequence[WorkUnit], max_files: int) -> Iterator[list[WorkUnit]]:
    """Consecutive units grouped into tasks: plain files up to ``max_files`` together;
    a container (JSONL, WARC: many records) in a task of its own."""
    group: list[WorkUnit] = []
    for unit in units:
        if unit.fmt in ("jsonl", "warc"):
            if group:
                yield group
                group = []
            yield [unit]
            continue
        group.append(unit)
        if len(group) >= max_files:
            yield group
            group = []
    if group:
        yield group


def _in_order(client, tasks: Iterable[tuple[object, Callable, tuple, str | None]]) -> Iterator[tuple[object, object]]:
    """(context, result) of each task (context, function, args, key or None), in submission order,
    with at most ``2 x workers`` in flight."""
    window = 2 * _n_workers(client)
    pending: deque = deque()
    queue = iter(tasks)

    def submit_next() -> bool:
        task = next(queue, None)
        if task is None:
            return False
        context, fn, args, key = task
        options = {"key": key} if key else {}
        pending.append((context, client.submit(fn, *args, retries=2, pure=False, **options)))
        return True

    for _ in range(window):
        if not submit_next():
            break
    while pending:
        context, future = pending.popleft()
        result = future.result()
        future.release()
        submit_next()
        yield context, result


def iter_prepared_dask(client, units: Sequence[WorkUnit], settings: Settings,
                       skip: Mapping[str, Mapping[str, str]]) -> Iterator[Prepared]:
    """The prepare phase on the cluster: the same records, in the same order, as ``work.iter_prepared``."""
    tasks = ((None, prepare_units,
              (group, settings, {u.path: dict(skip[u.path]) for u in group if u.path in skip}),
              f"prepare-{group[0].path}-{group[0].signature}-{len(group)}")
             for group in task_groups(units, max(1, settings.batch_size)))
    for _, results in _in_order(client, tasks):
        yield from results


def iter_processed_dask(client, decided: Iterable[Prepared], settings: Settings,
                        fingerprint: str = "") -> Iterator[Processed]:
    """The extract phase on the cluster: the same rows, in the same order, as ``work.iter_processed``;
    only the kept (ok) articles of a batch travel to a worker."""
    tasks = ((batch, extract_articles, ([p.article for p in batch if p.article.ok], settings, fingerprint), None)
             for batch in extract_batches(decided, max(1, settings.batch_size)))
    for batch, results in _in_order(client, tasks):
        yield from finish_batch(batch, results)
