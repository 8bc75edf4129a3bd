"""The crawler's memory, ``crawl_state.sqlite`` in the archive directory.

``pages``: what each URL gave last time (outcome, validators, where it is archived).
``frontier``: URLs queued by a run and whether that run got to them, so an interrupted
crawl resumes where it stopped.  ``runs``: one row per crawl.
Only the crawler's coordinating thread uses a `CrawlState`.
"""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

STATE_FILE = "crawl_state.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    run_id INTEGER PRIMARY KEY AUTOINCREMENT, started TEXT NOT NULL, finished TEXT,
    seeds TEXT NOT NULL, refresh INTEGER NOT NULL, summary TEXT
);
CREATE TABLE IF NOT EXISTS pages (
    url TEXT PRIMARY KEY, kind TEXT NOT NULL, outcome TEXT NOT NULL, http_status INTEGER NOT NULL,
    reason TEXT NOT NULL, etag TEXT NOT NULL, last_modified TEXT NOT NULL, content_type TEXT NOT NULL,
    digest TEXT NOT NULL, warc_file TEXT NOT NULL, warc_offset INTEGER NOT NULL, final_url TEXT NOT NULL,
    fetched_at TEXT NOT NULL, run_id INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS frontier (
    url TEXT PRIMARY KEY, depth INTEGER NOT NULL, via TEXT NOT NULL,
    queued_run INTEGER NOT NULL, done_run INTEGER
);
"""


@dataclass(frozen=True)
class PageState:
    url: str
    kind: str  # "page", "feed", "sitemap", "other", "" (never got a usable response)
    outcome: str  # "fetched", "not_modified", "skipped", "failed"
    http_status: int
    reason: str
    etag: str
    last_modified: str
    content_type: str
    digest: str  # sha1 of the archived body
    warc_file: str
    warc_offset: int
    final_url: str
    fetched_at: str
    run_id: int

    @property
    def archived(self) -> bool:
        return bool(self.warc_file) and self.warc_offset >= 0


class CrawlState:
    def __init__(self, archive: Path):
        self.path = Path(archive) / STATE_FILE
        self.db = sqlite3.connect(self.path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(_SCHEMA)

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self):
        """Everything learnt about one URL is committed together."""
        self.db.execute("BEGIN")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # -- runs ------------------------------------------------------------------------------
    def start_run(self, seeds: list[str], refresh: bool) -> int:
        cur = self.db.execute("INSERT INTO runs(started, seeds, refresh) VALUES (?, ?, ?)", (_now(), "\n".join(seeds), int(refresh)))
        return int(cur.lastrowid)

    def finish_run(self, run_id: int, summary: str) -> None:
        self.db.execute("UPDATE runs SET finished = ?, summary = ? WHERE run_id = ?", (_now(), summary, run_id))

    # -- pages -----------------------------------------------------------------------------
    def page(self, url: str) -> PageState | None:
        row = self.db.execute("SELECT * FROM pages WHERE url = ?", (url,)).fetchone()
        return PageState(*row) if row else None

    def record_page(self, page: PageState) -> None:
        self.db.execute("INSERT OR REPLACE INTO pages VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", (
            page.url, page.kind, page.outcome, page.http_status, page.reason, page.etag, page.last_modified,
            page.content_type, page.digest, page.warc_file, page.warc_offset, page.final_url, page.fetched_at, page.run_id))

    # -- frontier --------------------------------------------------------------------------
    def pending(self) -> list[tuple[str, int, str]]:
        """URLs queued by some run and not done by it (an interrupted crawl's leftovers), in queue order."""
        return self.db.execute(
            "SELECT url, depth, via FROM frontier WHERE done_run IS NULL OR done_run < queued_run ORDER BY rowid").fetchall()

    def queue(self, url: str, depth: int, via: str, run_id: int) -> None:
        self.db.execute(
            "INSERT INTO frontier(url, depth, via, queued_run) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(url) DO UPDATE SET depth = min(depth, excluded.depth), via = excluded.via, queued_run = excluded.queued_run",
            (url, depth, via, run_id))

    def done(self, url: str, run_id: int) -> None:
        self.db.execute("UPDATE frontier SET done_run = ? WHERE url = ?", (run_id, url))


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
