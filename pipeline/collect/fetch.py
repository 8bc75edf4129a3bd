"""One polite, bounded HTTP GET (with its retries and redirects), for the crawler.

Safety: only http(s), no userinfo, and the host is resolved once here and the socket
connects to that checked address (the Host header / TLS SNI carry the name), so DNS
cannot swap in a private address after the check.  No cookies or credentials are sent.

Bounds: connect and read timeouts, a deadline for the whole body (a slow drip is
abandoned too), a body cap reached by streaming, a redirect limit with loop detection,
and bounded retries with exponential backoff (or the server's Retry-After, capped).
"""
from __future__ import annotations

import ipaddress
import socket
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Callable
from urllib.parse import urljoin, urlsplit

import urllib3
from urllib3.exceptions import ConnectTimeoutError, HTTPError, NewConnectionError, ProtocolError, ReadTimeoutError, SSLError

from pipeline.collect.warc import HTML_TYPES, TEXT_TYPES, Exchange, bounded_decompress, media_type
from pipeline.settings import CrawlSettings

REDIRECTS = frozenset({301, 302, 303, 307, 308})
RETRY_STATUSES = frozenset({429}) | frozenset(range(500, 600))
_CHUNK = 64 * 1024


class Refused(Exception):
    """A URL the crawler will not request; the message is the reason."""


@dataclass(frozen=True)
class FetchResult:
    """What fetching one URL gave: the outcome, and the exchanges to archive."""

    url: str
    outcome: str  # "ok", "not_modified", "skipped", "failed"
    reason: str = ""
    final_url: str = ""
    status: int = 0  # final HTTP status (0: no response)
    content_type: str = ""
    body: bytes = b""  # final body with content-encoding removed (for discovery), capped
    truncated: bool = False
    etag: str = ""
    last_modified: str = ""
    requests: int = 0  # HTTP requests made for this URL (retries and redirect hops included)
    exchanges: tuple[Exchange, ...] = field(default=(), repr=False)


# -- URL and address safety -------------------------------------------------------------------


def check_url(url: str) -> str:
    """The reason a URL is refused before any network use, or ''."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- raises on a malformed port
    except ValueError as exc:
        return f"refused: malformed URL ({exc})"
    if parts.scheme not in ("http", "https"):
        return f"refused: only http(s) URLs are crawled, not {parts.scheme or 'a relative URL'}"
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        return "refused: URL carries credentials (userinfo)"
    if not parts.hostname:
        return "refused: URL has no host"
    return ""


def resolve_address(host: str, port: int, allow_private: bool) -> str:
    """One IP address to connect to; raises `Refused` for non-public addresses unless allowed."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise Refused(f"cannot resolve host {host}: {exc}") from None
    addresses = [info[4][0] for info in infos]
    if not allow_private:
        for address in addresses:  # every address must be public: any of them could be used
            problem = _non_public(address)
            if problem:
                raise Refused(f"refused: {host} resolves to {address}, a {problem} address (settings.crawl.allow_private)")
    return addresses[0]


def _non_public(address: str) -> str:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if getattr(ip, "ipv4_mapped", None):
        ip = ip.ipv4_mapped
    for flag in ("loopback", "private", "link_local", "multicast", "reserved", "unspecified"):
        if getattr(ip, f"is_{flag}"):
            return flag.replace("_", "-")
    return "" if ip.is_global else "non-global"


# -- per-host pacing ---------------------------------------------------------------------------


class HostGate:
    """Spaces requests to one host by its delay; thread-safe (slots are reserved under a lock)."""

    def __init__(self, default_delay: float, sleep: Callable[[float], None] = time.sleep):
        self.default_delay = default_delay
        self._delay: dict[str, float] = {}
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()
        self._sleep = sleep

    def set_delay(self, host: str, delay: float) -> None:
        with self._lock:
            self._delay[host] = max(self.default_delay, delay)

    def wait(self, host: str) -> None:
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next.get(host, 0.0))
            self._next[host] = start + self._delay.get(host, self.default_delay)
        if start > now:
            self._sleep(start - now)

    def defer(self, host: str, seconds: float) -> None:
        """No request to ``host`` before ``seconds`` from now (Retry-After applies host-wide)."""
        with self._lock:
            self._next[host] = max(self._next.get(host, 0.0), time.monotonic() + seconds)


def retry_after_seconds(value: str, cap: float, now: datetime | None = None) -> float | None:
    """Seconds asked for by a Retry-After header (delta or HTTP date), capped; None if unusable."""
    value = (value or "").strip()
    if not value:
        return None
    if value.isdigit():
        return min(float(value), cap)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    delta = (when - (now or datetime.now(timezone.utc))).total_seconds()
    return min(max(delta, 0.0), cap)


# -- the fetcher -------------------------------------------------------------------------------


def readable_type(mime: str, url: str) -> bool:
    """Whether a body of this media type is worth downloading: pages, text, feeds, sitemaps."""
    if not mime or mime in HTML_TYPES or mime in TEXT_TYPES:
        return True
    if mime in ("text/xml", "application/xml") or mime.endswith("+xml"):
        return True
    gz = mime in ("application/gzip", "application/x-gzip", "application/octet-stream")
    return gz and urlsplit(url).path.endswith(".xml.gz")  # compressed sitemap


@dataclass
class _Response:
    exchange: Exchange
    decoded: bytes
    note: str = ""


class Fetcher:
    """Fetches URLs within `CrawlSettings`; one instance is shared by the crawler's threads."""

    def __init__(self, settings: CrawlSettings, gate: HostGate, *, sleep: Callable[[float], None] = time.sleep):
        self.settings = settings
        self.gate = gate
        self._sleep = sleep
        self._pools: dict[tuple, urllib3.HTTPConnectionPool] = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            for pool in self._pools.values():
                pool.close()
            self._pools.clear()

    def fetch(self, url: str, *, etag: str = "", last_modified: str = "",
              allowed: Callable[[str], str] | None = None) -> FetchResult:
        """GET ``url`` following redirects; ``allowed(url)`` gives a reason to stop at a hop, or ''."""
        s = self.settings
        seen, exchanges, requests = [url], [], 0
        current = url
        conditional = {"If-None-Match": etag} if etag else {}
        if last_modified:
            conditional["If-Modified-Since"] = last_modified
        while True:
            response, reason, n = self._with_retries(current, conditional)
            requests += n
            if response is None:
                return FetchResult(url, "failed", reason, current, requests=requests, exchanges=tuple(exchanges))
            ex = response.exchange
            exchanges.append(ex)
            headers = _header_map(ex.response_headers)
            if ex.status in REDIRECTS and headers.get("location"):
                target = urljoin(current, headers["location"].strip()).split("#", 1)[0]
                hops = " -> ".join(seen + [target])
                if target in seen:
                    return FetchResult(url, "failed", f"redirect loop: {hops}", current, ex.status, requests=requests, exchanges=tuple(exchanges))
                if len(seen) > s.max_redirects:
                    return FetchResult(url, "failed", f"too many redirects (more than {s.max_redirects}): {hops}", current, ex.status,
                                       requests=requests, exchanges=tuple(exchanges))
                stop = check_url(target) or (allowed(target) if allowed else "")
                if stop:
                    return FetchResult(url, "skipped", f"redirect to {target} not followed: {stop}", current, ex.status,
                                       requests=requests, exchanges=tuple(exchanges))
                seen.append(target)
                current, conditional = target, {}
                continue
            content_type = headers.get("content-type", "")
            common = dict(final_url=current, status=ex.status, content_type=content_type, etag=headers.get("etag", ""),
                          last_modified=headers.get("last-modified", ""), requests=requests, exchanges=tuple(exchanges))
            if ex.status == 304:
                return FetchResult(url, "not_modified", "HTTP 304 Not Modified", **{**common, "exchanges": ()})
            if ex.status != 200:
                extra = f" after {n} attempts" if n > 1 else ""
                outcome = "failed" if ex.status in RETRY_STATUSES else "skipped"
                return FetchResult(url, outcome, f"HTTP {ex.status}{extra}", **common)
            if response.note:
                return FetchResult(url, "skipped", response.note, **common)
            reason = f"truncated at {s.max_bytes} bytes (settings.crawl.max_bytes)" if ex.truncated else ""
            return FetchResult(url, "ok", reason, body=response.decoded, truncated=bool(ex.truncated), **common)

    def _with_retries(self, url: str, extra: dict) -> tuple[_Response | None, str, int]:
        """One URL, retried on connection errors, 429 and 5xx; returns (response, failure reason, requests)."""
        s = self.settings
        host = urlsplit(url).netloc.lower()
        attempts = 0
        while True:
            attempts += 1
            self.gate.wait(host)
            try:
                response = self.request(url, extra)
            except Refused as exc:
                return None, str(exc), attempts - 1
            except ReadTimeoutError:
                return None, f"timeout: no data within {s.timeout:g}s (abandoned)", attempts
            except _Deadline as exc:
                return None, str(exc), attempts
            except (ConnectTimeoutError, NewConnectionError, ProtocolError, SSLError, OSError, HTTPError) as exc:
                if isinstance(exc, SSLError) or attempts > s.retries:
                    return None, f"connection error after {attempts} attempt(s): {_brief(exc)}", attempts
                self._sleep(s.backoff * 2 ** (attempts - 1))
                continue
            status = response.exchange.status
            if status in RETRY_STATUSES and attempts <= s.retries:
                asked = retry_after_seconds(_header_map(response.exchange.response_headers).get("retry-after", ""), s.max_retry_after)
                delay = asked if asked is not None else s.backoff * 2 ** (attempts - 1)
                self.gate.defer(host, delay)
                continue
            return response, "", attempts

    def request(self, url: str, extra: dict | None = None) -> _Response:
        """A single GET, body streamed up to the cap; raises urllib3 errors, `Refused`, `_Deadline`."""
        s = self.settings
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        ip = resolve_address(parts.hostname, port, s.allow_private)
        default_port = port == (443 if parts.scheme == "https" else 80)
        host_header = _bracket(parts.hostname) + ("" if default_port else f":{port}")
        headers = {"Host": host_header, "User-Agent": s.user_agent, "Accept-Encoding": "gzip, deflate",
                   "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5",
                   **(extra or {})}
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        fetched_at = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        started = time.monotonic()
        resp = self._pool(parts.scheme, parts.hostname, ip, port).urlopen(
            "GET", target, headers=headers, redirect=False, retries=False, preload_content=False,
            decode_content=False, timeout=urllib3.Timeout(connect=s.timeout, read=s.timeout), assert_same_host=False)
        body, truncated, note = b"", "", ""
        try:
            resp_headers = tuple((k, v) for k, v in resp.headers.items())
            mime = media_type(resp.headers.get("Content-Type", ""))
            if resp.status == 200 and not readable_type(mime, url):
                note = f"not HTML/text ({mime}); body not downloaded"
                truncated = "unspecified"
            elif resp.status != 304:  # redirect and error bodies too: archived, and read within the same bounds
                body, truncated = self._read_body(resp, started)
            else:
                resp.drain_conn()
        except BaseException:
            resp.close()  # closes the connection too: a half-read one must not be reused
            raise
        finally:
            if truncated or note:
                resp.close()
            resp.release_conn()
        ex = Exchange(url=url, request_headers=tuple(headers.items()), status=resp.status, reason=resp.reason or "",
                      response_headers=resp_headers, body=body, ip=ip, truncated=truncated, fetched_at=fetched_at)
        decoded = body
        encoding = resp.headers.get("Content-Encoding", "").strip().lower()
        if body and encoding in ("gzip", "x-gzip", "deflate"):
            try:
                decoded = bounded_decompress(body, encoding, s.max_bytes)
            except Exception as exc:  # zlib.error: keep the archive, report the page
                note = f"content-encoding {encoding} could not be decoded: {_brief(exc)}"
        return _Response(ex, decoded, note)

    def _read_body(self, resp, started: float) -> tuple[bytes, str]:
        s = self.settings
        chunks, size = [], 0
        while True:
            if time.monotonic() - started > s.fetch_deadline:
                raise _Deadline(f"timeout: body not complete within {s.fetch_deadline:g}s (abandoned)")
            chunk = resp.read1(min(_CHUNK, s.max_bytes - size + 1), decode_content=False)
            if not chunk:
                return b"".join(chunks), ""
            chunks.append(chunk)
            size += len(chunk)
            if size > s.max_bytes:  # stop reading: memory stays bounded by max_bytes
                return b"".join(chunks)[: s.max_bytes], "length"

    def _pool(self, scheme: str, hostname: str, ip: str, port: int):
        key = (scheme, hostname, ip, port)
        with self._lock:
            pool = self._pools.get(key)
            if pool is None:
                size = max(1, self.settings.per_host_concurrency)
                if scheme == "https":
                    pool = urllib3.HTTPSConnectionPool(ip, port, maxsize=size, server_hostname=hostname,
                                                       assert_hostname=hostname, cert_reqs="CERT_REQUIRED")
                else:
                    pool = urllib3.HTTPConnectionPool(ip, port, maxsize=size)
                self._pools[key] = pool
            return pool


class _Deadline(Exception):
    pass


def _header_map(headers: tuple[tuple[str, str], ...]) -> dict[str, str]:
    return {k.lower(): v for k, v in headers}


def _bracket(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _brief(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}"[:200] if text else type(exc).__name__
