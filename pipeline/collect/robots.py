"""robots.txt, fetched once per origin per crawl and obeyed (RFC 9309 reading).

Rules are read by protego (the parser Scrapy uses): ``*`` wildcards and the ``$`` end
anchor (``Disallow: /*.pdf$``, ``Disallow: /*?print=``), the longest match winning between
Allow and Disallow, fractional ``Crawl-delay`` and ``Request-rate``, the crawler's own
group before ``*``.  200: the rules apply.  4xx: no rules (crawl freely).  5xx or
unreachable: the origin is treated as fully disallowed for this crawl.  A Crawl-delay
slows the host's pacing; one above ``settings.crawl.max_crawl_delay`` makes the crawler
leave the host alone rather than stall the whole crawl.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from urllib.parse import urlsplit

from protego import Protego

from pipeline.collect.fetch import Fetcher
from pipeline.collect.warc import Exchange
from pipeline.settings import CrawlSettings

MAX_ROBOTS_BYTES = 500 * 1024  # RFC 9309: parse at least 500 KiB
UNAVAILABLE = "robots.txt unavailable"


@dataclass(frozen=True)
class Robots:
    origin: str
    parser: Protego | None  # None: the policy below applies to every path
    allow_all: bool = True
    note: str = ""  # why there are no rules, or why the host is off limits
    delay: float = 0.0


class RobotsCache:
    """Thread-safe: one fetch per origin even when several workers ask at once."""

    def __init__(self, fetcher: Fetcher, settings: CrawlSettings):
        self.fetcher = fetcher
        self.settings = settings
        self.agent = agent_token(settings.user_agent)
        self._rules: dict[str, Robots] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()
        self._exchanges: list[Exchange] = []

    def check(self, url: str) -> str:
        """'' when ``url`` may be fetched, else the reason it may not."""
        parts = urlsplit(url)
        robots = self.rules(f"{parts.scheme}://{parts.netloc.lower()}")
        if robots.parser is None:
            return "" if robots.allow_all else robots.note
        if robots.note:  # a crawl-delay too long to honour
            return robots.note
        if not robots.parser.can_fetch(url, self.agent):
            return "disallowed by robots.txt"
        return ""

    def rules(self, origin: str) -> Robots:
        with self._lock:
            lock = self._locks.setdefault(origin, threading.Lock())
        with lock:
            if origin not in self._rules:
                self._rules[origin] = self._load(origin)
            return self._rules[origin]

    def take_exchanges(self) -> list[Exchange]:
        """robots.txt responses fetched since the last call (the crawler archives them)."""
        with self._lock:
            taken, self._exchanges = self._exchanges, []
        return taken

    def _load(self, origin: str) -> Robots:
        result = self.fetcher.fetch(origin + "/robots.txt")
        with self._lock:
            self._exchanges.extend(result.exchanges)
        if result.outcome == "ok" and result.status == 200:
            parser = Protego.parse(result.body[:MAX_ROBOTS_BYTES].decode("utf-8", errors="replace"))
            return self._with_delay(Robots(origin, parser), parser)
        if 400 <= result.status < 500:
            return Robots(origin, None, True, f"robots.txt HTTP {result.status}: no rules")
        if result.reason.startswith("refused"):
            return Robots(origin, None, False, result.reason)
        return Robots(origin, None, False, f"{UNAVAILABLE} ({result.reason or f'HTTP {result.status}'}): host not crawled")

    def _with_delay(self, robots: Robots, parser: Protego) -> Robots:
        seconds = float(parser.crawl_delay(self.agent) or 0.0)
        rate = parser.request_rate(self.agent)
        if rate and rate.requests:
            seconds = max(seconds, rate.seconds / rate.requests)
        if seconds > self.settings.max_crawl_delay:
            note = f"robots.txt Crawl-delay {seconds:g}s exceeds settings.crawl.max_crawl_delay: host not crawled"
            return Robots(robots.origin, parser, False, note, seconds)
        if seconds:
            self.fetcher.gate.set_delay(urlsplit(robots.origin).netloc, seconds)
        return Robots(robots.origin, parser, True, "", seconds)


def agent_token(user_agent: str) -> str:
    """The product token robots.txt groups name: ``inovasi-crawler/0.1 (+...)`` -> ``inovasi-crawler``."""
    return user_agent.split("/", 1)[0].split()[0].strip() if user_agent.strip() else "*"
