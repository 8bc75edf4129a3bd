"""``inovasi explain``: load a run's resolution from its state and explain one entry."""
from __future__ import annotations

import json
from pathlib import Path

from .records import MergeExplanation
from .store import Store


def explain_from_store(query: str, out_dir: str | Path) -> str:
    from .resolve import explain

    with Store(out_dir) as store:
        entries = store.load_registry()
        ids = dict(store.db.execute("SELECT mention_key, innovation_id FROM assignments"))
        from dataclasses import replace

        from .resolve import mention_key

        mentions = [replace(m, innovation_id=ids.get(mention_key(m), "")) for m in store.load_mentions()]
        merges = [MergeExplanation(i, l, r, json.loads(s or "{}"), d)
                  for i, l, r, s, d in store.db.execute('SELECT innovation_id, "left", "right", scores, decision '
                                                        "FROM merges")]
        aliases = dict(store.db.execute("SELECT old_id, new_id FROM id_aliases"))
    return explain(query, entries, mentions, merges, aliases)
