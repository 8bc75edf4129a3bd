"""When what extracts has changed, the stored articles are extracted again (one call per run).

An output folder holds the fingerprint of the extractor that made its mentions (meta key
``extractor``; ``extract.fingerprint.extractor_fingerprint``: the built rule pipeline, the rule
data read at run time, the learned model, the extract settings).  At the start of a run, before
any input is read, ``bring_up_to_date`` compares it with the current one.  When they differ (a
retrained or other ``--model``, ``inovasi build-model`` after editing corpora/, another
``--config``, an upgraded inovasi), or ``inovasi run --reextract`` asks, every stored ok article
is extracted again from its stored text -- the articles table holds the cleaned text the
extractor saw, so the sources are not read again and inputs since removed are covered too --
in batches of ``batch_size``, each one transaction: its mentions and replications replaced, a
monitor ``changed`` event for each article whose extraction changed, the registry marked for a
new resolution (ids follow ``resolve/ids.py``: an id no mention holds any more becomes an
alias or a tombstone).  Each batch records how far it got; the fingerprint is written only
after the last one, so a run killed half-way is finished by the next (from where it stopped
when the extractor is still the same).  Skipped and failed rows are not extracted: skipped
ones were never extracted, failed ones are read again by every run (``corrections``).

Cleaning is not redone: a stored text stays as it was cleaned.  When the cleaning settings
(``clean.rules.cleaner_fingerprint``) changed, the run says so in its summary and log: they
apply to new and changed inputs; a fresh output folder cleans everything again.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from itertools import groupby

from .clean.rules import cleaner_fingerprint
from .extract.fingerprint import extractor_fingerprint
from .settings import Settings
from .work import Prepared, checkpoint, iter_processed

FINGERPRINT_KEY = "extractor"  # meta: the fingerprint of the extractor the stored mentions come from
PROGRESS_KEY = "reextract_progress"  # meta: {"fingerprint", "seq"} of a re-extraction under way
CLEANER_KEY = "cleaner"  # meta: the fingerprint of the cleaning of the last run


@dataclass(frozen=True)
class Outcome:
    fingerprint: str  # the current extractor's
    n_reextracted: int  # stored articles extracted again by this run
    notes: tuple[str, ...]  # lines for the run's summary


def bring_up_to_date(store, settings: Settings, run_id: int, runlog, client=None, force: bool = False) -> Outcome:
    """Extract the stored articles again when the extractor changed (or ``force``); note a change
    of the cleaning settings."""
    current = extractor_fingerprint(settings)
    stored = store.get_meta(FINGERPRINT_KEY)
    progress = json.loads(store.get_meta(PROGRESS_KEY) or "{}")
    resume = progress.get("fingerprint") == current
    has_articles = bool(store.ok_articles(0, 1))
    notes = []
    n = 0
    if not has_articles:
        if stored != current or progress:
            store.finish_reextraction({FINGERPRINT_KEY: current}, drop=[PROGRESS_KEY])
    elif force or resume or stored != current:
        why = ("--reextract" if force else "an interrupted re-extraction" if resume
               else "no extractor fingerprint stored (a folder of an older inovasi)" if not stored
               else "extractor changed since the last run")
        after = int(progress.get("seq", 0)) if resume else 0
        runlog.write("reextract", reason=why, previous=stored, current=current, after_seq=after)
        n = _reextract(store, settings, run_id, current, after, client)
        store.finish_reextraction({FINGERPRINT_KEY: current}, drop=[PROGRESS_KEY])
        runlog.write("reextracted", articles=n, reason=why)
        notes.append(f"{why}: {n} articles re-extracted")
    note = _cleaning_note(store, settings, runlog, has_articles)
    return Outcome(current, n, tuple(notes) + ((note,) if note else ()))


def _reextract(store, settings: Settings, run_id: int, current: str, after: int, client) -> int:
    """Every stored ok article after ``after`` (its seq) through the extractor, a batch per transaction."""
    n = 0
    while True:
        rows = store.ok_articles(after, max(1, settings.batch_size))
        if not rows:
            return n
        prepared = [Prepared(a.source, "", "", a) for _, a in rows]
        if client is None:
            done = list(iter_processed(prepared, settings, current))
        else:
            from .distributed import iter_processed_dask  # Dask is an optional extra

            done = list(iter_processed_dask(client, prepared, settings, current))
        after = rows[-1][0]
        items = [(p.article, p.extraction.mentions, p.extraction.replications) for p in done]
        checkpoint("before_reextract")
        store.replace_extractions(run_id, items, _changed_events(store, items),
                                  meta={PROGRESS_KEY: json.dumps({"fingerprint": current, "seq": after})})
        checkpoint("reextract")
        n += len(items)


def _changed_events(store, items) -> list[tuple[str, str, dict]]:
    """A monitor ``changed`` event for each article whose mentions or replications are not the stored ones."""
    ids = [a.article_id for a, _, _ in items]
    before_m = {k: list(g) for k, g in groupby(sorted(store.load_mentions(ids), key=_aid), key=_aid)}
    before_r = {k: list(g) for k, g in groupby(store.load_replications(ids), key=_aid)}
    events = []
    for art, mentions, repls in items:
        old_m, old_r = before_m.get(art.article_id, []), before_r.get(art.article_id, [])
        if sorted(old_m, key=repr) == sorted(mentions, key=repr) and old_r == list(repls) and art.ok:
            continue
        before, after = [m.name for m in old_m], [m.name for m in mentions]
        what = f"{', '.join(before) or '-'} -> {', '.join(after) or '-'}" if before != after else \
            f"{', '.join(after) or '-'} (details or replications changed)"
        if not art.ok:
            what += f"; now {art.status}: {art.reason}"
        events.append(("changed", "", {"name": ", ".join(after), "source": art.source, "article_id": art.article_id,
                                       "names_before": before, "names_after": after,
                                       "text": f"re-extracted {art.source} (extractor changed): {what}"}))
    return events


def _aid(record) -> str:
    return record.article_id


def _cleaning_note(store, settings: Settings, runlog, has_articles: bool) -> str:
    """The summary line when the cleaning settings changed since the last run (else "")."""
    current, stored = cleaner_fingerprint(settings), store.get_meta(CLEANER_KEY)
    if stored == current:
        return ""
    store.set_meta(CLEANER_KEY, current)
    if not stored or not has_articles:
        return ""  # a new folder, or one of an older inovasi: nothing known to differ
    runlog.write("cleaning_changed", previous=stored, current=current)
    return ("cleaning settings changed since the last run: they apply to new and changed inputs only "
            "(stored texts are kept as cleaned; run into an empty --out folder to clean everything again)")
