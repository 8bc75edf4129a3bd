"""A polite, resumable crawler that archives raw pages as WARC.

    crawl(seeds, archive, settings) -> CrawlReport

A seed is a page, an RSS/Atom feed or a sitemap; which one is read from the response.
Feeds and sitemaps lead to their entries; pages optionally to same-site links up to
``settings.crawl.follow_links_depth``.  Every response fetched goes to ``*.warc.gz`` in the
archive (request and response records), so extraction re-runs without re-fetching:
``inovasi run ARCHIVE`` reads them back through `pipeline.collect.warc.iter_warc`.

Choices worth knowing:
* A page already archived is not requested again unless ``refresh=True``; then it is asked
  for with If-None-Match / If-Modified-Since, and a 304 archives nothing.  Feeds and sitemaps
  are always revalidated that way (they change); a 200 with the same body as before is not
  archived twice either.
* A response whose type is neither HTML, text nor XML (PDF, images, ...) is archived as its
  headers only (``WARC-Truncated: unspecified``): the log and the archive show it was there,
  its body is never downloaded, and the reader reports it as "not HTML/text (...)".
* A body over ``settings.crawl.max_bytes`` is cut off while streaming and archived with
  ``WARC-Truncated: length``; the outcome says so.
* Only the final response of a retried URL is archived (not the 503s before it).  robots.txt is
  archived when it changed; the reader skips it ("robots.txt, not an article"), and feeds and
  sitemaps ("not HTML/text (application/rss+xml)").
* ``max_pages`` bounds the URLs requested in this run (robots.txt excluded); what is left stays
  queued in the state file and the next crawl resumes with it.
* Per-host concurrency is enforced for the URLs the crawler starts; a redirect to another
  host is followed inside the same slot (still paced by that host's delay).
"""
from __future__ import annotations

import hashlib
import json
from collections import OrderedDict, deque
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Sequence
from urllib.parse import urlsplit

from filelock import FileLock, Timeout

from pipeline.collect import discover
from pipeline.collect.crawlstate import CrawlState, PageState
from pipeline.collect.fetch import Fetcher, FetchResult, HostGate, check_url
from pipeline.collect.robots import UNAVAILABLE, RobotsCache
from pipeline.collect.warc import ArchiveWriter, read_record_payload, recover_open_files
from pipeline.settings import Settings

Progress = Callable[[int, int, str], None]  # (fetched so far, queued, host just settled)
LOG_FILE = "crawl_log.jsonl"
LOCK_FILE = ".crawl.lock"
# Outcomes whose URL is not requested again by a later crawl unless refresh=True.
_SETTLED = frozenset({"fetched", "not_modified", "skipped"})


@dataclass(frozen=True)
class CrawlOutcome:
    """What happened to one URL in this crawl."""

    url: str
    status: str  # "fetched", "not_modified", "known" (archived before, not requested), "skipped", "failed"
    reason: str = ""
    http_status: int = 0
    kind: str = ""  # "page", "feed", "sitemap", "other"
    depth: int = 0
    via: str = ""  # the seed, feed, sitemap or page that led here ("" for a seed)
    final_url: str = ""
    warc_file: str = ""
    warc_offset: int = -1
    requests: int = 0  # HTTP requests made for it (retries, redirect hops)
    bytes: int = 0
    truncated: bool = False


@dataclass(frozen=True)
class CrawlReport:
    archive: Path
    run_id: int
    fetched: int
    not_modified: int
    skipped: int
    failed: int
    known: int  # archived by an earlier crawl, not requested again
    pending: int  # still queued (max_pages reached); the next crawl starts with them
    outcomes: tuple[CrawlOutcome, ...]
    notes: tuple[str, ...] = ()  # e.g. recovered archive files of an interrupted crawl
    seeds: tuple[str, ...] = ()  # normalised, as given
    unfollowed: tuple[tuple[str, int], ...] = ()  # (seed page, same-site links not followed: depth 0)

    def outcome(self, url: str) -> CrawlOutcome | None:
        url = discover.normalize_url(url)
        return next((o for o in self.outcomes if o.url == url), None)

    @property
    def nothing_fetched(self) -> bool:
        """Nothing fetched, revalidated or already archived: the crawl achieved nothing."""
        return self.fetched + self.not_modified + self.known == 0

    def seed_reasons(self) -> list[str]:
        """One line per seed: what happened to it and, where there is one, the fix."""
        return [f"{seed}: {_seed_reason(self.outcome(seed))}" for seed in self.seeds]

    def advice(self) -> list[str]:
        """Hints for a crawl that worked but may not have done what was meant."""
        return [f"{seed}: a page with {n} same-site links that were not followed; add --depth 1 to fetch them"
                for seed, n in self.unfollowed if n]

    def summary(self) -> str:
        return (f"fetched {self.fetched}, not modified {self.not_modified}, already archived {self.known}, "
                f"skipped {self.skipped}, failed {self.failed}, still queued {self.pending}")


@dataclass(frozen=True)
class _Task:
    url: str
    depth: int
    via: str
    previous: PageState | None
    conditional: bool  # send the stored validators


def crawl(seeds: Sequence[str], archive: Path, settings: Settings, *, max_pages: int | None = None,
          refresh: bool = False, progress: Progress | None = None) -> CrawlReport:
    """Fetch ``seeds`` (and what they lead to) into the WARC archive ``archive``.

    ``progress(fetched, queued, host)`` is called after each URL is settled (a status line)."""
    archive = Path(archive)
    archive.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(archive / LOCK_FILE))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise RuntimeError(f"another crawl is writing to {archive} (lock {archive / LOCK_FILE})") from None
    try:
        notes = tuple(recover_open_files(archive))
        return _Crawl(archive, settings, refresh, max_pages, notes, progress).run(list(seeds))
    finally:
        lock.release()


class _Crawl:
    def __init__(self, archive: Path, settings: Settings, refresh: bool, max_pages: int | None, notes: tuple[str, ...],
                 progress: Progress | None = None):
        self.archive = archive
        self.s = settings.crawl
        self.read_cap = settings.read.max_input_bytes
        self.refresh = refresh
        self.budget = max_pages
        self.notes = notes
        self.state = CrawlState(archive)
        self.gate = HostGate(self.s.per_host_delay)
        self.fetcher = Fetcher(self.s, self.gate)
        self.robots = RobotsCache(self.fetcher, self.s)
        self.writer = ArchiveWriter(archive, max_file_bytes=self.s.warc_max_bytes, software=self.s.user_agent)
        self.queues: OrderedDict[str, deque[tuple[str, int, str]]] = OrderedDict()
        self.seen: set[str] = set()
        self.outcomes: list[CrawlOutcome] = []
        self.run_id = 0
        self.progress = progress
        self.n_fetched = 0
        self.seeds: tuple[str, ...] = ()
        self.unfollowed: dict[str, int] = {}

    def run(self, seeds: list[str]) -> CrawlReport:
        self.run_id = self.state.start_run(seeds, self.refresh)
        self.seeds = tuple(discover.normalize_url(seed) for seed in seeds)
        try:
            with open(self.archive / LOG_FILE, "a", encoding="utf-8") as log:
                self.log = log
                for url, depth, via in self.state.pending():  # an interrupted crawl's leftovers first
                    self._queue(url, depth, via)
                for seed in seeds:
                    self._queue(discover.normalize_url(seed), 0, "")
                self._loop()
        finally:
            self.writer.close()
            self.fetcher.close()
        report = self._report()
        self.state.finish_run(self.run_id, report.summary())
        self.state.close()
        return report

    # -- scheduling --------------------------------------------------------------------------
    def _queue(self, url: str, depth: int, via: str) -> None:
        if url in self.seen:
            return
        self.seen.add(url)
        self.state.queue(url, depth, via, self.run_id)
        host = urlsplit(url).netloc.lower()
        self.queues.setdefault(host, deque()).append((url, depth, via))

    def _loop(self) -> None:
        load: dict[str, int] = {}
        in_flight: dict[Future, tuple[_Task, str]] = {}
        with ThreadPoolExecutor(max_workers=max(1, self.s.concurrency), thread_name_prefix="crawl") as pool:
            try:
                while True:
                    self._dispatch(pool, in_flight, load)
                    if not in_flight:
                        return
                    done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                    for future in done:
                        task, host = in_flight.pop(future)
                        load[host] -= 1
                        self._finish(task, future.result())
                        if self.progress:
                            queued = sum(len(q) for q in self.queues.values()) + len(in_flight)
                            self.progress(self.n_fetched, queued, host)
            except BaseException:
                pool.shutdown(wait=False, cancel_futures=True)  # queued URLs stay pending in the state file
                raise

    def _dispatch(self, pool: ThreadPoolExecutor, in_flight: dict, load: dict[str, int]) -> None:
        """Start tasks round-robin over hosts, within the concurrency limits and the page budget."""
        progress = True
        while progress and len(in_flight) < max(1, self.s.concurrency):
            progress = False
            for host in list(self.queues):
                queue = self.queues[host]
                while queue and load.get(host, 0) < max(1, self.s.per_host_concurrency) and len(in_flight) < max(1, self.s.concurrency):
                    if self.budget is not None and self.budget <= 0:
                        return
                    url, depth, via = queue.popleft()
                    task = self._plan(url, depth, via)
                    if task is None:
                        continue  # settled without a request
                    if self.budget is not None:
                        self.budget -= 1
                    load[host] = load.get(host, 0) + 1
                    in_flight[pool.submit(self._work, task)] = (task, host)
                    progress = True
                    break  # one per host per round: hosts take turns
                if not queue:
                    del self.queues[host]

    def _plan(self, url: str, depth: int, via: str) -> _Task | None:
        """A task to run, or None after recording why ``url`` needs no request."""
        refused = check_url(url)
        if refused:
            self._record(CrawlOutcome(url, "skipped", refused, depth=depth, via=via), None)
            return None
        previous = self.state.page(url)
        revalidate = previous is not None and previous.kind in ("feed", "sitemap")
        if previous and previous.outcome in _SETTLED and previous.http_status and not (self.refresh or revalidate):
            what = "archived" if previous.archived else f"seen ({previous.reason or previous.outcome})"
            known = CrawlOutcome(url, "known", f"already {what} in crawl run {previous.run_id}", previous.http_status,
                                 previous.kind, depth, via, previous.final_url, previous.warc_file, previous.warc_offset)
            self._record(known, None)
            if previous.kind == "page" and previous.archived and depth < self.s.follow_links_depth:
                self._discover(known, self._archived_body(previous))  # a deeper crawl than the one that archived it
            return None
        return _Task(url, depth, via, previous, conditional=previous is not None and previous.archived)

    # -- worker thread -----------------------------------------------------------------------
    def _work(self, task: _Task) -> FetchResult:
        blocked = self.robots.check(task.url)
        if blocked:  # an unreachable host is a failure (tried again next crawl); a rule is a skip
            return FetchResult(task.url, "failed" if blocked.startswith(UNAVAILABLE) else "skipped", blocked)
        prev = task.previous
        etag = prev.etag if task.conditional else ""
        last_modified = prev.last_modified if task.conditional else ""
        return self.fetcher.fetch(task.url, etag=etag, last_modified=last_modified, allowed=self.robots.check)

    # -- coordinating thread: archive, state, discovery ----------------------------------------
    def _finish(self, task: _Task, result: FetchResult) -> None:
        for exchange in self.robots.take_exchanges():
            self._archive_robots(exchange)
        kind = discover.detect(result.content_type, result.body) if result.outcome == "ok" else ""
        # digest of the decoded body: a server re-gzipping the same page is not a change
        digest = hashlib.sha1(result.body if result.outcome == "ok" else result.exchanges[-1].body).hexdigest() if result.exchanges else ""
        prev = task.previous
        status, reason = {"ok": "fetched"}.get(result.outcome, result.outcome), result.reason
        same = (prev is not None and prev.archived and prev.digest == digest and prev.http_status == result.status
                and result.final_url == prev.final_url)
        if same and status == "fetched":
            status, reason = "not_modified", "same content as archived (digest)"
        warc_file, offset = "", -1
        if same or status == "not_modified":
            warc_file, offset = prev.warc_file, prev.warc_offset  # nothing new to archive
        else:
            for exchange in result.exchanges:
                warc_file, offset = self.writer.write(exchange)
        if status == "not_modified" and prev is not None:
            kind = prev.kind
        body = result.body
        if status == "not_modified" and kind in ("feed", "sitemap") and prev is not None and prev.archived:
            body = self._archived_body(prev)  # its entries are still worth checking
        outcome = CrawlOutcome(task.url, status, reason, result.status, kind, task.depth, task.via, result.final_url,
                               warc_file, offset, result.requests, len(result.exchanges[-1].body) if result.exchanges else 0,
                               result.truncated)
        page = self._page_state(task, result, outcome, digest, prev)
        with self.state.transaction():
            self._record(outcome, page)
            if result.final_url and result.final_url != task.url and page is not None:
                self.state.record_page(PageState(**{**asdict(page), "url": result.final_url}))
                self.seen.add(result.final_url)
            if body and status in ("fetched", "not_modified"):
                self._discover(outcome, body)

    def _archive_robots(self, exchange) -> None:
        """robots.txt is archived when it changed (it is read every crawl)."""
        digest = hashlib.sha1(exchange.body).hexdigest()
        prev = self.state.page(exchange.url)
        if prev is not None and prev.digest == digest and prev.http_status == exchange.status:
            return
        warc_file, offset = self.writer.write(exchange)
        headers = {k.lower(): v for k, v in exchange.response_headers}
        self.state.record_page(PageState(exchange.url, "robots", "fetched", exchange.status, "", headers.get("etag", ""),
                                         headers.get("last-modified", ""), headers.get("content-type", ""), digest,
                                         warc_file, offset, exchange.url, _now(), self.run_id))

    def _discover(self, outcome: CrawlOutcome, body: bytes) -> None:
        base = outcome.final_url or outcome.url
        if outcome.kind == "feed":
            for url in discover.feed_links(body, base):
                self._queue(url, outcome.depth, outcome.url)
        elif outcome.kind == "sitemap":
            pages, sitemaps = discover.sitemap_links(body, base)
            for url in sitemaps + pages:
                self._queue(url, outcome.depth, outcome.url)
        elif outcome.kind == "page" and outcome.depth < self.s.follow_links_depth:
            for url in discover.page_links(body, base):
                if discover.worth_following(url, base):
                    self._queue(url, outcome.depth + 1, outcome.url)
        elif outcome.kind == "page" and outcome.url in self.seeds:  # for the --depth advice
            self.unfollowed[outcome.url] = sum(discover.worth_following(u, base) for u in discover.page_links(body, base))

    def _archived_body(self, prev: PageState) -> bytes:
        try:
            return read_record_payload(self.archive / prev.warc_file, prev.warc_offset, self.s.max_bytes)
        except Exception:  # an archive file moved or damaged: the entries are simply not re-derived
            return b""

    def _page_state(self, task: _Task, result: FetchResult, outcome: CrawlOutcome, digest: str,
                    prev: PageState | None) -> PageState | None:
        if outcome.status == "not_modified" and prev is not None:
            return PageState(**{**asdict(prev), "outcome": "not_modified", "reason": outcome.reason,
                                "etag": result.etag or prev.etag, "last_modified": result.last_modified or prev.last_modified,
                                "fetched_at": _now(), "run_id": self.run_id})
        if result.requests == 0 and outcome.status in ("skipped", "failed"):
            return None  # robots.txt or a refusal stopped it: nothing learnt about the page itself
        return PageState(task.url, outcome.kind, outcome.status, result.status, outcome.reason, result.etag,
                         result.last_modified, result.content_type, digest, outcome.warc_file, outcome.warc_offset,
                         result.final_url or task.url, _now(), self.run_id)

    def _record(self, outcome: CrawlOutcome, page: PageState | None) -> None:
        self.n_fetched += outcome.status == "fetched"
        if page is not None:
            self.state.record_page(page)
        self.state.done(outcome.url, self.run_id)
        self.outcomes.append(outcome)
        self.log.write(json.dumps({"run": self.run_id, "time": _now(), **asdict(outcome)}, ensure_ascii=False) + "\n")
        self.log.flush()

    def _report(self) -> CrawlReport:
        counts = {name: 0 for name in ("fetched", "not_modified", "skipped", "failed", "known")}
        for outcome in self.outcomes:
            counts[outcome.status] += 1
        pending = sum(len(q) for q in self.queues.values())
        return CrawlReport(self.archive, self.run_id, pending=pending, outcomes=tuple(self.outcomes), notes=self.notes,
                           seeds=self.seeds, unfollowed=tuple(self.unfollowed.items()), **counts)


def _seed_reason(outcome: CrawlOutcome | None) -> str:
    if outcome is None:
        return "not requested (the --max-pages budget ran out first); the next crawl starts with it"
    reason = outcome.reason or outcome.status
    if outcome.status in ("fetched", "not_modified", "known"):
        return f"{outcome.status} ({reason})" if outcome.reason else outcome.status
    if "allow_private" in reason or "private" in reason or "loopback" in reason:
        fix = "add --allow-private to crawl loopback or private addresses (tests, intranets)"
    elif "max_crawl_delay" in reason:
        fix = "raise crawl.max_crawl_delay in a --config file to wait that long between requests"
    elif "disallowed by robots.txt" in reason:
        fix = "the site asks crawlers not to fetch it: choose another seed (a feed or sitemap of the site)"
    elif reason.startswith("HTTP 4"):
        fix = "check the URL (the site answered it does not serve it)"
    elif outcome.status == "failed":
        fix = "check the URL and that the host is reachable from here; failed URLs are tried again next crawl"
    else:
        fix = ""
    return f"{outcome.status}: {reason}" + (f" -> {fix}" if fix else "")


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
