"""Column contract of the exported tables (``../shared/spec/outputs.md``) plus extras.

The first columns of each table are the contract that users' scripts rely on;
renaming or dropping one is a breaking change.  Extra columns follow.
"""
from __future__ import annotations

ARTICLES = [
    "article_id", "source", "url", "outlet", "title", "published", "status", "reason", "text",
    # extras
    "author", "language", "dateline", "content_hash", "duplicate_of", "run_id",
]
MENTIONS = [
    "article_id", "innovation_id", "name", "expansion", "agency", "region",
    "competition", "scope", "stage", "year", "evidence",
    # extras
    "agency_canonical", "province", "people", "events", "published",
]
REGISTRY = [
    "innovation_id", "canonical_name", "aliases", "expansion", "agency", "region", "province",
    "first_seen", "last_seen", "n_articles", "events",
    # extras
    "merged_ids",
]
REPLICATIONS = [
    "article_id", "source_name", "source_innovation_id", "target_name", "target_innovation_id",
    "target_region", "evidence",
    # extras
    "source_region", "url",
]
RUNS = [
    "run_id", "started", "finished", "status", "inputs", "n_units", "n_read", "n_ok", "n_skipped",
    "n_failed", "n_unchanged", "n_mentions", "n_innovations", "n_replications",
    "n_new_innovations", "n_new_events", "n_new_replications", "settings",
]
MERGES = ["innovation_id", "left", "right", "scores", "decision"]
ID_ALIASES = ["old_id", "new_id"]

TABLES = {
    "articles": ARTICLES,
    "mentions": MENTIONS,
    "registry": REGISTRY,
    "replications": REPLICATIONS,
}
# exported in inovasi.sqlite only
EXTRA_TABLES = {"runs": RUNS, "merges": MERGES, "id_aliases": ID_ALIASES}
INTEGER_COLUMNS = {"year", "n_articles", "n_units", "n_read", "n_ok", "n_skipped", "n_failed",
                   "n_unchanged", "n_mentions", "n_innovations", "n_replications",
                   "n_new_innovations", "n_new_events", "n_new_replications"}
