"""Run read/clean/extract on a Dask cluster; resolution and storage stay in the client.

Work is partitioned into tasks of input units: up to ``batch_size`` small files per task
(a task per file would cost a scheduler round trip and a pipe call per article), a JSONL
or WARC file alone.  At most ``2 x workers`` tasks are in flight and results are consumed in
submission order, so client memory stays bounded and the tables are identical
to an in-process run (near-duplicate detection sees articles in the same order).
Workers load the spaCy pipeline once per process (``core.load_extractor`` is
cached per process), and a worker that dies mid-task is survived: the
scheduler re-runs its tasks elsewhere.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Iterator, Mapping, Sequence

from .collect import WorkUnit
from .core import Processed, process_units
from .settings import Settings


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
    cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                           dashboard_address=None)
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


def iter_processed_dask(client, units: Sequence[WorkUnit], settings: Settings,
                        skip: Mapping[str, set[str]]) -> Iterator[Processed]:
    window = 2 * _n_workers(client)
    pending: deque = deque()
    queue = task_groups(units, max(1, settings.batch_size))

    def submit_next() -> bool:
        group = next(queue, None)
        if group is None:
            return False
        first = group[0]
        pending.append(client.submit(process_units, group, settings,
                                     {u.path: frozenset(skip[u.path]) for u in group if u.path in skip},
                                     key=f"process-{first.path}-{first.signature}-{len(group)}",
                                     retries=2, pure=False))
        return True

    for _ in range(window):
        if not submit_next():
            break
    while pending:
        future = pending.popleft()
        results = future.result()
        future.release()
        submit_next()
        yield from results
