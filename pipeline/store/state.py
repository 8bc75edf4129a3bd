"""The incremental state of an output folder: ``state.sqlite`` in WAL mode.

Everything a later run needs lives here: which inputs were processed (so a
re-run processes nothing new), the cleaned articles, the extracted mentions and
replications, the last resolution (registry, id assignments, retired ids,
merges), and one row per run.  Each batch of articles is committed in one
transaction together with the inputs it came from, so a run killed at any
moment loses at most the batch in flight, which the next run redoes.
"""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from . import schema, sources
from .migrate import migrate_input_identity
from .tx import transaction
from ..records import Article, Event, Mention, MergeExplanation, Prior, RegistryEntry, RegistryEvent, Replication, mention_key

# bookkeeping tables of the state only; the tables behind the exports come from the column spec
_BOOKKEEPING = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS inputs (
    source TEXT PRIMARY KEY, unit TEXT, signature TEXT, article_id TEXT, run_id INTEGER);
CREATE TABLE IF NOT EXISTS signatures (article_id TEXT PRIMARY KEY, params TEXT, sig BLOB);
CREATE TABLE IF NOT EXISTS host_lines (
    host TEXT, key TEXT, article_id TEXT, PRIMARY KEY (host, key, article_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS assignments (mention_key TEXT PRIMARY KEY, innovation_id TEXT);
CREATE TABLE IF NOT EXISTS id_order (innovation_id TEXT PRIMARY KEY, ordinal INTEGER);
CREATE TABLE IF NOT EXISTS changes (
    run_id INTEGER, kind TEXT, innovation_id TEXT, detail TEXT);
"""
_INDEXES = """
CREATE INDEX IF NOT EXISTS articles_hash ON articles(content_hash);
CREATE INDEX IF NOT EXISTS mentions_article ON mentions(article_id);
"""
_SCHEMA = _BOOKKEEPING + "\n".join(schema.create_sql(t) for t in schema.ALL) + _INDEXES


_j = schema.to_json


def digital_value(text: str | None) -> bool | None:
    """A stored yes/no field ('true' / 'false' / empty) as True / False / None."""
    return {"true": True, "false": False}.get((text or "").strip().lower())


def events_from_json(text: str | None) -> tuple[Event, ...]:
    return tuple(Event(**e) for e in json.loads(text or "[]"))


def _among(article_ids: Sequence[str] | None) -> tuple[str, tuple]:
    """The WHERE clause (and its parameters) of rows of ``article_ids``; none for all rows."""
    if article_ids is None:
        return "", ()
    ids = tuple(dict.fromkeys(article_ids))
    return "WHERE article_id IN (SELECT value FROM json_each(?))", (json.dumps(ids),)


class HostLines:
    """Per-host line counts of the clean stage's repetition learner (its ``SupportState``), in the
    ``host_lines`` table: one row per (host, line key, article).  ``add`` only queues rows; the next
    ``support`` stores them all in one transaction first, so a run's counts are in before it asks."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db
        self._queued: list[tuple[str, str, str]] = []

    def add(self, host: str, article_id: str, keys: Iterable[str]) -> None:
        self._queued.extend((host, key, article_id) for key in keys)

    def flush(self) -> None:
        if not self._queued:
            return
        with transaction(self.db):  # adding an article's keys again changes nothing (a re-run after a crash)
            self.db.executemany("INSERT OR IGNORE INTO host_lines VALUES (?, ?, ?)", self._queued)
        self._queued.clear()

    def support(self, host: str, keys: Iterable[str]) -> dict[str, int]:
        self.flush()
        keys = list(keys)
        out = dict.fromkeys(keys, 0)
        for i in range(0, len(keys), 500):  # below SQLite's limit of bound parameters
            part = keys[i:i + 500]
            out.update(self.db.execute(
                f"SELECT key, COUNT(*) FROM host_lines WHERE host = ? AND key IN ({','.join('?' * len(part))}) "
                "GROUP BY key", (host, *part)))
        return out


class Store:
    """The state database of one output folder; also the clean stage's ``CleanState``
    (``has_article``, ``iter_dedup_entries``, ``line_support``)."""

    FILENAME = "state.sqlite"

    def __init__(self, out_dir: str | Path):
        self.path = Path(out_dir) / self.FILENAME
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, isolation_level=None)  # explicit transactions
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")  # a committed batch survives power loss
        self.db.executescript(_SCHEMA)
        for table in schema.ALL:  # a state file from an older version lacks newer columns
            schema.add_missing_columns(self.db, table)
        self.line_support = HostLines(self.db)
        sources.ensure(self.db)
        self.sources = sources.SourceBook(self.db)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def migrate_inputs(self, identity) -> int:
        """Keys of a state file from before resolved paths, rewritten once (``migrate.py``)."""
        return migrate_input_identity(self.db, identity)

    # -- meta -----------------------------------------------------------------
    def get_meta(self, key: str, default: str = "") -> str:
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    # -- runs -----------------------------------------------------------------
    def start_run(self, started: str, inputs: Sequence[str], settings_json: str) -> int:
        # a run left "running" was killed: say so, its committed batches stay
        self.db.execute("UPDATE runs SET status='interrupted' WHERE status='running'")
        cur = self.db.execute(
            "INSERT INTO runs (started, status, inputs, settings) VALUES (?, 'running', ?, ?)",
            (started, _j(list(inputs)), settings_json))
        run_id = int(cur.lastrowid)
        # what a killed run changed (corrections it stored) is reported by the run that completes it
        self.db.execute("UPDATE changes SET run_id=? WHERE run_id IN (SELECT run_id FROM runs WHERE "
                        "status='interrupted' AND finished IS NULL)", (run_id,))
        return run_id

    def finish_run(self, run_id: int, finished: str, counts: dict) -> None:
        cols = ", ".join(f"{k}=?" for k in counts)
        self.db.execute(f"UPDATE runs SET finished=?, status='ok', {cols} WHERE run_id=?",
                        (finished, *counts.values(), run_id))

    def runs(self) -> list[dict]:
        cur = self.db.execute("SELECT * FROM runs ORDER BY run_id")
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur]

    # -- inputs and articles ---------------------------------------------------
    def seen_sources(self) -> dict[str, tuple[str, str]]:
        """source -> (unit path, unit signature) of every input already stored."""
        return {s: (u, sig) for s, u, sig in self.db.execute("SELECT source, unit, signature FROM inputs")}

    def has_article(self, article_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM articles WHERE article_id=?", (article_id,)).fetchone() is not None

    def iter_dedup_entries(self, params: str) -> Iterator[tuple[str, str, bytes | None, str | None]]:
        """(article_id, content_hash, signature, text) of every ok article, oldest first: the
        stored near-duplicate signature when it was made under ``params``, else the text."""
        yield from self.db.execute(
            "SELECT a.article_id, a.content_hash, s.sig, CASE WHEN s.sig IS NULL THEN a.text END "
            "FROM articles a LEFT JOIN signatures s ON s.article_id = a.article_id AND s.params = ? "
            "WHERE a.status = 'ok' ORDER BY a.seq", (params,))

    def commit_batch(self, run_id: int, items: Sequence[tuple[str, str, str, Article, Sequence[Mention],
                                                             Sequence[Replication]]],
                     done_units: Sequence[tuple[str, str, str]] = (),
                     signatures: Sequence[tuple[str, str, bytes]] = (), extras=None) -> None:
        """Store one batch atomically: (source, unit, signature, article, mentions, replications),
        with the markers (marker source, unit, signature) of the units it completes and the
        near-duplicate signatures (article_id, params, bytes) of its new stories.  ``extras``
        (``pipeline.corrections.Extras``): the versions withdrawn first, the versions stored, monitor
        events and JSONL progress, all in the same transaction."""
        db = self.db
        with transaction(db):
            if extras is not None:
                sources.withdraw(db, extras.withdraw_ids, extras.withdraw_sources)
            seq = db.execute("SELECT COALESCE(MAX(seq), 0) FROM articles").fetchone()[0]
            mseq = db.execute("SELECT COALESCE(MAX(seq), 0) FROM mentions").fetchone()[0]
            arts, inputs, ments, reps = [], [], [], []  # rows in input order; one executemany each
            for source, unit, signature, art, mentions, repls in items:
                seq += 1
                arts.append(schema.state_values(schema.ARTICLES_TABLE, art, run_id=run_id, seq=seq))
                inputs.append((source, unit, signature, art.article_id, run_id))
                for m in mentions:
                    mseq += 1
                    ments.append(schema.state_values(schema.MENTIONS_TABLE, m, mention_key=mention_key(m), seq=mseq))
                reps.extend(schema.state_values(schema.REPLICATIONS_TABLE, r, idx=i, source_innovation_id="",
                                                target_innovation_id="") for i, r in enumerate(repls))
            db.executemany(schema.insert_sql(schema.ARTICLES_TABLE), arts)
            db.executemany("INSERT OR REPLACE INTO inputs VALUES (?,?,?,?,?)", inputs)
            db.executemany(schema.insert_sql(schema.MENTIONS_TABLE), ments)
            db.executemany(schema.insert_sql(schema.REPLICATIONS_TABLE), reps)
            db.executemany("INSERT OR REPLACE INTO signatures VALUES (?,?,?)", signatures)
            db.executemany("INSERT OR REPLACE INTO inputs VALUES (?,?,?,'',?)",
                           [(marker, unit, sig, run_id) for marker, unit, sig in done_units])
            if extras is not None:
                sources.record(db, extras.versions)
                sources.add_events(db, run_id, extras.events)
                sources.save_progress(db, extras.progress)
            if items or (extras is not None and extras.withdraw_ids):
                db.execute("INSERT OR REPLACE INTO meta VALUES ('dirty', '1')")

    # -- extracting stored articles again (pipeline/reextract.py) ------------------
    def ok_articles(self, after_seq: int, limit: int) -> list[tuple[int, Article]]:
        """Up to ``limit`` stored ok articles after ``after_seq``, in stored order: (seq, article)."""
        names = [c.name for c in schema.ARTICLES_TABLE.stored() if c.name != "run_id"]
        cols = ", ".join(f'"{n}"' for n in names)
        rows = self.db.execute(f"SELECT seq, {cols} FROM articles "
                               "WHERE status = 'ok' AND seq > ? ORDER BY seq LIMIT ?", (after_seq, limit))
        return [(r[0], Article(**{n: v or "" for n, v in zip(names, r[1:])})) for r in rows]

    def replace_extractions(self, run_id: int, items: Sequence[tuple[Article, Sequence[Mention],
                                                                     Sequence[Replication]]],
                            events: Sequence[tuple[str, str, dict]] = (), meta: dict | None = None) -> None:
        """Replace the mentions and replications of stored articles (and their status and reason,
        when extraction now fails) in one transaction, with monitor ``events`` and ``meta`` keys.
        A replication already resolved keeps its ids until the next resolution replaces them, so
        the monitor does not call it new (the k-th of equal names takes the k-th old row's ids)."""
        db = self.db
        ids = [a.article_id for a, _, _ in items]
        where, args = _among(ids)
        old: dict[tuple[str, str, str], list[tuple[str, str]]] = {}
        for a, src, tgt, sid, tid in db.execute("SELECT article_id, source_name, target_name, source_innovation_id, "
                                                f"target_innovation_id FROM replications {where} ORDER BY idx", args):
            old.setdefault((a, src, tgt), []).append((sid or "", tid or ""))
        with transaction(db):
            db.execute(f"DELETE FROM mentions {where}", args)
            db.execute(f"DELETE FROM replications {where}", args)
            mseq = db.execute("SELECT COALESCE(MAX(seq), 0) FROM mentions").fetchone()[0]
            ments, reps = [], []
            for art, mentions, repls in items:
                for m in mentions:
                    mseq += 1
                    ments.append(schema.state_values(schema.MENTIONS_TABLE, m, mention_key=mention_key(m), seq=mseq))
                for i, r in enumerate(repls):
                    held = old.get((r.article_id, r.source_name, r.target_name))
                    sid, tid = held.pop(0) if held else ("", "")
                    reps.append(schema.state_values(schema.REPLICATIONS_TABLE, r, idx=i, source_innovation_id=sid,
                                                    target_innovation_id=tid))
            db.executemany(schema.insert_sql(schema.MENTIONS_TABLE), ments)
            db.executemany(schema.insert_sql(schema.REPLICATIONS_TABLE), reps)
            db.executemany("UPDATE articles SET status=?, reason=? WHERE article_id=?",
                           [(a.status, a.reason, a.article_id) for a, _, _ in items if not a.ok])
            sources.add_events(db, run_id, events)
            db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", sorted((meta or {}).items()))
            db.execute("INSERT OR REPLACE INTO meta VALUES ('dirty', '1')")

    def finish_reextraction(self, meta: dict, drop: Sequence[str] = ()) -> None:
        """Number the mentions in the order of their articles again (replaced ones went last),
        as one run over the same articles numbers them, and set ``meta`` / delete the ``drop``
        keys: one transaction."""
        db = self.db
        with transaction(db):
            db.execute("CREATE TEMP TABLE IF NOT EXISTS _order (mention_key TEXT PRIMARY KEY, n INTEGER)")
            db.execute("DELETE FROM _order")
            db.execute("INSERT INTO _order SELECT m.mention_key, ROW_NUMBER() OVER (ORDER BY a.seq, m.seq) "
                       "FROM mentions m LEFT JOIN articles a USING (article_id)")
            db.execute("UPDATE mentions SET seq = (SELECT n FROM _order o WHERE o.mention_key = mentions.mention_key)")
            db.execute("DELETE FROM _order")
            db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", sorted(meta.items()))
            db.executemany("DELETE FROM meta WHERE key = ?", [(k,) for k in drop])

    # -- what resolve needs ------------------------------------------------------
    def load_mentions(self, article_ids: Sequence[str] | None = None) -> list[Mention]:
        """Every stored mention (in stored order), or those of ``article_ids``."""
        where, args = _among(article_ids)
        rows = self.db.execute(
            "SELECT article_id, name, expansion, agency, agency_canonical, region, province, events, "
            "people, evidence, published, sector, sector_evidence, digital, digital_evidence, level "
            f"FROM mentions {where} ORDER BY seq", args)
        return [Mention(article_id=a, name=n, expansion=e or "", agency=ag or "", agency_canonical=ac or "",
                        region=rg or "", province=pv or "", events=events_from_json(ev),
                        people=tuple(json.loads(pp or "[]")), evidence=evd or "", published=pub or "",
                        sector=sc or "", sector_evidence=se or "", digital=digital_value(dg),
                        digital_evidence=de or "", level=lv or "")
                for a, n, e, ag, ac, rg, pv, ev, pp, evd, pub, sc, se, dg, de, lv in rows]

    def load_replications(self, article_ids: Sequence[str] | None = None) -> list[Replication]:
        where, args = _among(article_ids)
        rows = self.db.execute("SELECT article_id, source_name, target_name, target_region, evidence, "
                               f"source_region FROM replications {where} ORDER BY article_id, idx", args)
        return [Replication(article_id=a, source_name=s, target_name=t or "", target_region=tr or "",
                            evidence=e or "", source_region=sr or "") for a, s, t, tr, e, sr in rows]

    def load_prior(self) -> Prior:
        return Prior(assignments=dict(self.db.execute("SELECT mention_key, innovation_id FROM assignments")),
                     id_aliases=dict(self.db.execute("SELECT old_id, new_id FROM id_aliases")),
                     id_order=dict(self.db.execute("SELECT innovation_id, ordinal FROM id_order")),
                     withdrawn=dict(self.db.execute("SELECT innovation_id, withdrawn_run FROM registry "
                                                    "WHERE status = 'withdrawn'")))

    def load_registry(self) -> list[RegistryEntry]:
        rows = self.db.execute("SELECT innovation_id, canonical_name, aliases, expansion, agency, region, "
                               "province, first_seen, last_seen, n_articles, events, merged_ids, split_from, "
                               "status, withdrawn_run, sector, digital, level FROM registry ORDER BY innovation_id")
        return [RegistryEntry(iid, cn, tuple(json.loads(al or "[]")), ex or "", ag or "", rg or "", pv or "",
                              fs or "", ls or "", int(n or 0),
                              tuple(RegistryEvent(**e) for e in json.loads(ev or "[]")),
                              tuple(json.loads(mi or "[]")), tuple(json.loads(sf or "[]")), st or "active", wr,
                              sc or "", digital_value(dg), lv or "")
                for iid, cn, al, ex, ag, rg, pv, fs, ls, n, ev, mi, sf, st, wr, sc, dg, lv in rows]

    def id_aliases(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT old_id, new_id FROM id_aliases"))

    def assignments(self) -> dict[str, str]:
        """mention_key -> innovation_id of the last resolution."""
        return dict(self.db.execute("SELECT mention_key, innovation_id FROM assignments"))

    def load_merges(self) -> list[MergeExplanation]:
        return [MergeExplanation(i, l, r, json.loads(s or "{}"), d) for i, l, r, s, d in self.db.execute(
            'SELECT innovation_id, "left", "right", scores, decision FROM merges')]

    def article_links(self) -> dict[str, str]:
        """article_id -> its URL, else its source (what the monitor prints beside a change)."""
        return {a: (u or s) for a, u, s in self.db.execute("SELECT article_id, url, source FROM articles")}

    def replication_slots(self, replications: Sequence[Replication]) -> list[tuple[int, Replication, bool]]:
        """(stored row idx, replication, whether that row was resolved before) for each resolved
        replication that has a stored row: a replication is identified by its article and names
        (resolve may reorder them), the k-th of equal ones taking the k-th row."""
        rows: dict[tuple[str, str, str], list[tuple[int, bool]]] = {}
        for a, i, s, t, sid in self.db.execute("SELECT article_id, idx, source_name, target_name, "
                                               "source_innovation_id FROM replications ORDER BY article_id, idx"):
            rows.setdefault((a, s, t), []).append((i, bool(sid)))
        out, used = [], {}
        for r in replications:
            key = (r.article_id, r.source_name, r.target_name)
            k = used.get(key, 0)
            if k < len(rows.get(key, ())):
                used[key] = k + 1
                out.append((rows[key][k][0], r, rows[key][k][1]))
        return out

    def save_resolution(self, run_id: int, resolution, changes: Sequence[tuple[str, str, dict]] = ()) -> None:
        """Replace the last resolution with ``resolution`` in one transaction, with the
        ``changes`` (kind, innovation_id, detail) the monitor found in it (``pipeline.monitor``)."""
        db = self.db
        slots = self.replication_slots(resolution.replications)
        with transaction(db):
            db.execute("DELETE FROM assignments")
            db.executemany("INSERT INTO assignments VALUES (?, ?)",
                           [(mention_key(m), m.innovation_id) for m in resolution.mentions])
            db.execute("DELETE FROM registry")
            db.executemany(schema.insert_sql(schema.REGISTRY_TABLE, replace=False),
                           [schema.state_values(schema.REGISTRY_TABLE, e) for e in resolution.entries])
            db.execute("DELETE FROM id_aliases")
            db.executemany(schema.insert_sql(schema.ID_ALIASES_TABLE, replace=False),
                           sorted(resolution.id_aliases.items()))
            db.execute("DELETE FROM id_order")
            db.executemany("INSERT INTO id_order VALUES (?, ?)", sorted(resolution.id_order.items()))
            db.execute("DELETE FROM merges")
            db.executemany(schema.insert_sql(schema.MERGES_TABLE, replace=False),
                           [schema.state_values(schema.MERGES_TABLE, m) for m in resolution.merges])
            db.executemany("UPDATE replications SET source_innovation_id=?, target_innovation_id=? "
                           "WHERE article_id=? AND idx=?",
                           [(r.source_innovation_id, r.target_innovation_id, r.article_id, idx)
                            for idx, r, _ in slots])
            db.executemany("INSERT INTO changes VALUES (?, ?, ?, ?)",
                           [(run_id, kind, iid, _j(detail)) for kind, iid, detail in changes])
            db.execute("INSERT OR REPLACE INTO meta VALUES ('dirty', '0')")
            db.execute("INSERT OR REPLACE INTO meta VALUES ('export_pending', '1')")

    def changes(self, since_run: int) -> list[dict]:
        cur = self.db.execute("SELECT c.run_id, c.kind, c.innovation_id, c.detail, r.started FROM changes c "
                              "JOIN runs r USING (run_id) WHERE c.run_id >= ? ORDER BY c.run_id, c.rowid",
                              (since_run,))
        return [{"run_id": r, "kind": k, "innovation_id": i, "started": s, **json.loads(d)}
                for r, k, i, d, s in cur]

    def counts(self) -> dict:
        q = self.db.execute
        return {
            "n_mentions": q("SELECT COUNT(*) FROM mentions").fetchone()[0],
            "n_innovations": q("SELECT COUNT(*) FROM registry WHERE COALESCE(status, '') != 'withdrawn'").fetchone()[0],
            "n_replications": q("SELECT COUNT(*) FROM replications").fetchone()[0],
        }
