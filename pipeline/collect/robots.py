"""robots.txt, fetched once per origin per crawl and obeyed (RFC 9309 reading).

200: the rules apply.  4xx: no rules (crawl freely).  5xx or unreachable: the origin is
treated as fully disallowed for this crawl.  A Crawl-delay (or Request-rate) slows the
host's pacing; one above ``settings.crawl.max_crawl_delay`` makes the crawler leave the
host alone rather than stall the whole crawl.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from pipeline.collect.fetch import Fetcher
from pipeline.collect.warc import Exchange
from pipeline.settings import CrawlSettings

MAX_ROBOTS_BYTES = 500 * 1024  # RFC 9309: parse at least 500 KiB
UNAVAILABLE = "robots.txt unavailable"


@dataclass(frozen=True)
class Robots:
    origin: str
    parser: RobotFileParser | None  # None: the policy below applies to every path
    allow_all: bool = True
    note: str = ""  # why there are no rules, or why the host is off limits
    delay: float = 0.0


class RobotsCache:
    """Thread-safe: one fetch per origin even when several workers ask at once."""

    def __init__(self, fetcher: Fetcher, settings: CrawlSettings):
        self.fetcher = fetcher
        self.settings = settings
        self._rules: dict[str, Robots] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()
        self._exchanges: list[Exchange] = []
        self._text: dict[str, str] = {}

    def check(self, url: str) -> str:
        """'' when ``url`` may be fetched, else the reason it may not."""
        parts = urlsplit(url)
        robots = self.rules(f"{parts.scheme}://{parts.netloc.lower()}")
        if robots.parser is None:
            return "" if robots.allow_all else robots.note
        if robots.note:  # a crawl-delay too long to honour
            return robots.note
        if not robots.parser.can_fetch(self.settings.user_agent, url):
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
            parser = RobotFileParser(origin + "/robots.txt")
            text = result.body[:MAX_ROBOTS_BYTES].decode("utf-8", errors="replace")
            parser.parse(text.splitlines())
            self._text[origin] = text
            return self._with_delay(Robots(origin, parser), parser)
        if 400 <= result.status < 500:
            return Robots(origin, None, True, f"robots.txt HTTP {result.status}: no rules")
        if result.reason.startswith("refused"):
            return Robots(origin, None, False, result.reason)
        return Robots(origin, None, False, f"{UNAVAILABLE} ({result.reason or f'HTTP {result.status}'}): host not crawled")

    def _with_delay(self, robots: Robots, parser: RobotFileParser) -> Robots:
        agent = self.settings.user_agent
        rate = parser.request_rate(agent)
        seconds = crawl_delay(self._text[robots.origin], agent)
        if rate and rate.requests:
            seconds = max(seconds, rate.seconds / rate.requests)
        if seconds > self.settings.max_crawl_delay:
            note = f"robots.txt Crawl-delay {seconds:g}s exceeds settings.crawl.max_crawl_delay: host not crawled"
            return Robots(robots.origin, parser, False, note, seconds)
        if seconds:
            self.fetcher.gate.set_delay(urlsplit(robots.origin).netloc, seconds)
        return Robots(robots.origin, parser, True, "", seconds)


def crawl_delay(text: str, user_agent: str) -> float:
    """Crawl-delay for ``user_agent`` (its own group first, else ``*``); fractions allowed.

    urllib.robotparser reads whole seconds only, and sites do write ``Crawl-delay: 0.5``.
    """
    token = user_agent.split("/", 1)[0].strip().lower()
    delays: dict[str, float] = {}
    agents: list[str] = []
    in_rules = False
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if ":" not in line:
            continue
        key, value = (part.strip() for part in line.split(":", 1))
        key = key.lower()
        if key == "user-agent":
            if in_rules:
                agents, in_rules = [], False
            agents.append(value.lower())
        else:
            in_rules = True
            if key == "crawl-delay":
                try:
                    seconds = float(value)
                except ValueError:
                    continue
                for agent in agents:
                    delays.setdefault(agent, seconds)
    for agent, seconds in delays.items():
        if agent and agent != "*" and agent in token:
            return seconds
    return delays.get("*", 0.0)
