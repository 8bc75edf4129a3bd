"""``inovasi explain``: load a run's resolution from its state and explain one entry."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from .records import mention_key
from .resolve import explain
from .store import Store


def explain_from_store(query: str, out_dir: str | Path) -> str:
    with Store(out_dir) as store:
        entries = store.load_registry()
        ids = store.assignments()
        mentions = [replace(m, innovation_id=ids.get(mention_key(m), "")) for m in store.load_mentions()]
        merges = store.load_merges()
        aliases = store.id_aliases()
    return explain(query, entries, mentions, merges, aliases)
