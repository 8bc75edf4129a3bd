"""Collect: read inputs (files, JSONL, WARC) and crawl the web into a WARC archive."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator

from ..records import RawDocument
from ..settings import Settings
from .files import WorkUnit, identity, plan_units, read_unit, repair_text

__all__ = ["WorkUnit", "identity", "iter_documents", "plan_units", "read_unit", "repair_text"]


def iter_documents(inputs: Iterable[str | Path], settings: Settings) -> Iterator[RawDocument]:
    """Every raw document under ``inputs``, in a stable order."""
    for unit in plan_units(inputs, settings):
        yield from read_unit(unit, settings)
