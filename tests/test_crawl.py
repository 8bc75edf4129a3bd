"""The crawler against a real HTTP server on 127.0.0.1 that the tests start and count."""
from __future__ import annotations

import base64
import gzip
import hashlib
import json
import random
import threading
import time
from collections import Counter, defaultdict
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from pipeline.collect.crawl import LOG_FILE, crawl
from pipeline.collect.discover import detect, feed_links, normalize_url, page_links, sitemap_links, worth_following
from pipeline.collect.fetch import check_url, resolve_address, retry_after_seconds, Refused
from pipeline.collect.warc import iter_warc
from pipeline.settings import Settings

MAX_BYTES = 1024 * 1024
BIG_BYTES = 30 * 1024 * 1024
LAST_MODIFIED = formatdate(1_700_000_000, usegmt=True)


def page(title: str, body: str, links: str = "") -> bytes:
    return (f"<!DOCTYPE html><html lang='id'><head><meta charset='utf-8'><title>{title}</title></head>"
            f"<body><article><h1>{title}</h1><p>{body}</p></article>{links}</body></html>").encode("utf-8")


PAGES = {
    "/news/antrean.html": page("Antrean puskesmas kini daring",
                               "Warga Atambua kini tidak perlu datang subuh. Dengan inovasi Sistem Antrean Online (SANTRI) "
                               "dari Dinas Kesehatan Kabupaten Belu, nomor antrean bisa diambil dari rumah."),
    "/news/posyandu.html": page("Posyandu keliling menjangkau desa",
                                "Pemerintah Kabupaten Luwu Utara memperkenalkan inovasi Posyandu Keliling Terpadu "
                                "(POLITER) yang digagas Dinas Kesehatan untuk desa-desa terpencil."),
    "/news/arsip.html": page("Arsip kependudukan digital",
                             "Disdukcapil Kota Kupang meluncurkan inovasi Arsip Digital Kependudukan (ADIK) agar "
                             "dokumen warga tersimpan aman dan cepat dicari."),
}
GZIP_PAGE = page("Layanan pajak keliling", "Bapenda Kabupaten Sikka menghadirkan inovasi Pajak Jemput Bola (PAJEBO) "
                                           "untuk wajib pajak di pelosok.")


def rss(base: str, paths: list[str]) -> bytes:
    items = "".join(f"<item><title>t{i}</title><link>{base}{p}</link><guid>{base}{p}</guid></item>" for i, p in enumerate(paths))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Berita</title>{items}</channel></rss>'.encode()


def sitemap(base: str, paths: list[str]) -> bytes:
    urls = "".join(f"<url><loc>{base}{p}</loc></url>" for p in paths)
    return f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'.encode()


class Site:
    """A small news site with every misbehaviour the crawler must survive; counts each request."""

    def __init__(self, robots: str = "User-agent: *\nDisallow: /private/\n"):
        self.robots = robots
        self.counts: Counter[str] = Counter()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.headers: dict[str, list[dict]] = defaultdict(list)
        self.big_bytes_sent = 0
        self.release = threading.Event()  # lets the hanging handler go at teardown
        self.extra: dict[str, bytes] = {}
        self.lock = threading.Lock()
        self.active = self.max_active = 0  # requests being answered at once
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep test output quiet
                pass

            def do_GET(self):
                path = self.path
                with site.lock:
                    site.counts[path] += 1
                    site.times[path].append(time.monotonic())
                    site.headers[path].append({k.lower(): v for k, v in self.headers.items()})
                    site.active += 1
                    site.max_active = max(site.max_active, site.active)
                try:
                    site.serve(self, path)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                finally:
                    with site.lock:
                        site.active -= 1

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def url(self, path: str) -> str:
        return self.base + path

    def reset_counts(self):
        self.counts.clear()
        self.headers.clear()
        self.times.clear()

    # -- responses ------------------------------------------------------------------------
    def send(self, h, status: int, body: bytes = b"", ctype: str = "text/html; charset=utf-8", headers: dict | None = None):
        h.send_response(status)
        h.send_header("Content-Type", ctype)
        h.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(body)

    def send_cacheable(self, h, body: bytes, ctype: str):
        """ETag / Last-Modified validators, and 304 when the client already has it."""
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if h.headers.get("If-None-Match") == etag or h.headers.get("If-Modified-Since") == LAST_MODIFIED:
            h.send_response(304)
            h.send_header("ETag", etag)
            h.send_header("Content-Length", "0")
            h.end_headers()
            return
        self.send(h, 200, body, ctype, {"ETag": etag, "Last-Modified": LAST_MODIFIED})

    def serve(self, h, path: str):
        base = self.base
        if path == "/robots.txt":
            return self.send(h, 200, self.robots.encode(), "text/plain")
        if path in self.extra:
            return self.send_cacheable(h, self.extra[path], "text/html; charset=utf-8")
        if path == "/feed.xml":
            listed = ["/news/antrean.html", "/news/posyandu.html", "/private/rahasia.html", "/flaky.html", "/hang.html",
                      "/loop1", "/big.html", "/doc.pdf", "/missing.html", "/busy.html", "/gz.html", "/lama.html",
                      "/ke-rahasia.html"]
            return self.send_cacheable(h, rss(base, listed), "application/rss+xml")
        if path == "/sitemap.xml":
            return self.send_cacheable(h, sitemap(base, ["/news/arsip.html", "/news/antrean.html"]), "application/xml")
        if path in PAGES:
            return self.send_cacheable(h, PAGES[path], "text/html; charset=utf-8")
        if path == "/gz.html":
            body = gzip.compress(GZIP_PAGE)
            return self.send(h, 200, body, headers={"Content-Encoding": "gzip", "Vary": "Accept-Encoding"})
        if path == "/flaky.html":
            if self.counts[path] <= 2:
                return self.send(h, 503, b"sibuk", "text/plain")
            return self.send_cacheable(h, page("Flaky", "Akhirnya halaman ini tersedia setelah dua kali gagal."), "text/html")
        if path == "/busy.html":
            if self.counts[path] == 1:
                return self.send(h, 429, b"pelan-pelan", "text/plain", {"Retry-After": "1"})
            return self.send_cacheable(h, page("Busy", "Halaman ini meminta crawler menunggu sebentar."), "text/html")
        if path == "/hang.html":
            self.release.wait(10)  # never answers while the crawl runs
            return None
        if path == "/loop1":
            return self.send(h, 302, b"", headers={"Location": "/loop2"})
        if path == "/loop2":
            return self.send(h, 301, b"", headers={"Location": base + "/loop1"})
        if path == "/drip.html":  # a byte now and then: every read succeeds, the page never ends
            h.send_response(200)
            h.send_header("Content-Type", "text/html")
            h.send_header("Content-Length", "100000")
            h.end_headers()
            while not self.release.wait(0.2):
                h.wfile.write(b"<")
                h.wfile.flush()
            return None
        if path == "/lama.html":
            return self.send(h, 301, b"", headers={"Location": "/news/pindah.html"})
        if path == "/news/pindah.html":
            return self.send_cacheable(h, page("Pindah", "Berita ini sudah dipindahkan ke alamat baru."), "text/html")
        if path == "/ke-rahasia.html":
            return self.send(h, 302, b"", headers={"Location": "/private/lain.html"})
        if path == "/doc.pdf":
            return self.send(h, 200, b"%PDF-1.4\n" + b"0" * 5000, "application/pdf")
        if path == "/big.html":
            h.send_response(200)
            h.send_header("Content-Type", "text/html")
            h.send_header("Content-Length", str(BIG_BYTES))
            h.end_headers()
            block = base64.b64encode(random.Random(7).randbytes(96 * 1024))  # 128 KiB that gzip cannot shrink much
            h.wfile.write(b"<html><body><p>")
            sent = 15
            while sent < BIG_BYTES:
                chunk = block[: BIG_BYTES - sent]
                h.wfile.write(chunk)
                sent += len(chunk)
                self.big_bytes_sent = sent
            return None
        return self.send(h, 404, b"tidak ditemukan", "text/plain")


def settings(**changes) -> Settings:
    crawl_settings = dict(per_host_delay=0.01, timeout=1.0, fetch_deadline=3.0, backoff=0.01, retries=3,
                          max_bytes=MAX_BYTES, max_retry_after=2.0, allow_private=True, concurrency=4,
                          per_host_concurrency=2, max_redirects=5)
    crawl_settings.update(changes)
    return Settings().with_section("crawl", **crawl_settings)


def warc_docs(archive: Path):
    return [doc for path in sorted(archive.glob("*.warc.gz")) for doc in iter_warc(path, Settings())]


# -- one full crawl of the site, shared by the assertions below ------------------------------------


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    archive = tmp_path_factory.mktemp("archive")
    with Site() as site:
        report = crawl([site.url("/feed.xml"), site.url("/sitemap.xml")], archive, settings())
        first_counts = Counter(site.counts)
        first_headers = dict(site.headers)
        first_times = dict(site.times)
        big_sent = site.big_bytes_sent
        max_active = site.max_active
        site.reset_counts()
        files_before = set(archive.glob("*.warc.gz"))
        second = crawl([site.url("/feed.xml"), site.url("/sitemap.xml")], archive, settings())
        new_files = set(archive.glob("*.warc.gz")) - files_before
        second_counts = Counter(site.counts)
        site.reset_counts()
        third = crawl([site.url("/feed.xml"), site.url("/sitemap.xml")], archive, settings(), refresh=True)
        third_counts = Counter(site.counts)
        third_headers = dict(site.headers)
        yield dict(site=site, archive=archive, report=report, counts=first_counts, headers=first_headers,
                   times=first_times, big_sent=big_sent, max_active=max_active, second=second, second_counts=second_counts, second_new_files=new_files,
                   third=third, third_counts=third_counts, third_headers=third_headers)


def test_feed_and_sitemap_seeds_are_detected_and_their_pages_fetched(crawled):
    report, site = crawled["report"], crawled["site"]
    assert report.outcome(site.url("/feed.xml")).kind == "feed"
    assert report.outcome(site.url("/sitemap.xml")).kind == "sitemap"
    for path in PAGES:
        outcome = report.outcome(site.url(path))
        assert outcome.status == "fetched", outcome
        assert outcome.kind == "page"
    assert report.outcome(site.url("/news/arsip.html")).via == site.url("/sitemap.xml")
    # listed twice (feed and sitemap) but requested once
    assert crawled["counts"]["/news/antrean.html"] == 1


def test_robots_txt_is_read_once_and_disallowed_paths_are_never_requested(crawled):
    counts = crawled["counts"]
    assert counts["/robots.txt"] == 1
    assert not [p for p in counts if p.startswith("/private/")]
    outcome = crawled["report"].outcome(crawled["site"].url("/private/rahasia.html"))
    assert outcome.status == "skipped" and "robots.txt" in outcome.reason


def test_honest_user_agent_and_no_credentials(crawled):
    for headers in crawled["headers"].values():
        for h in headers:
            assert h["user-agent"].startswith("inovasi-crawler/")
            assert "cookie" not in h and "authorization" not in h


def test_503_is_retried_with_backoff_until_it_answers(crawled):
    assert crawled["counts"]["/flaky.html"] == 3
    outcome = crawled["report"].outcome(crawled["site"].url("/flaky.html"))
    assert outcome.status == "fetched" and outcome.requests == 3


def test_retry_after_is_respected(crawled):
    assert crawled["counts"]["/busy.html"] == 2
    first, second = crawled["times"]["/busy.html"]
    assert second - first >= 0.9  # the server asked for 1 s
    assert crawled["report"].outcome(crawled["site"].url("/busy.html")).status == "fetched"


def test_hanging_page_is_abandoned_and_does_not_stall_the_crawl(crawled):
    outcome = crawled["report"].outcome(crawled["site"].url("/hang.html"))
    assert outcome.status == "failed" and "timeout" in outcome.reason
    assert crawled["counts"]["/hang.html"] == 1  # a read timeout is not retried


def test_redirect_loop_is_detected(crawled):
    outcome = crawled["report"].outcome(crawled["site"].url("/loop1"))
    assert outcome.status == "failed" and "redirect loop" in outcome.reason
    assert crawled["counts"]["/loop1"] == 1 and crawled["counts"]["/loop2"] == 1


def test_huge_page_is_cut_off_while_streaming(crawled):
    outcome = crawled["report"].outcome(crawled["site"].url("/big.html"))
    assert outcome.status == "fetched" and outcome.truncated and "truncated" in outcome.reason
    assert outcome.bytes == MAX_BYTES
    archive_size = sum(p.stat().st_size for p in crawled["archive"].glob("*.warc.gz"))
    # three crawls' worth of archive: the 30 MB body never made it in (its record is capped)
    assert archive_size < 2 * MAX_BYTES
    assert crawled["big_sent"] < BIG_BYTES  # the crawler hung up; the server did not get to send it all
    big = [d for d in warc_docs(crawled["archive"]) if d.url.endswith("/big.html")]
    assert len(big) == 1 and len(big[0].content) == MAX_BYTES and "truncated when archived (length)" in big[0].reason


def test_pdf_is_recorded_not_parsed_and_404_is_recorded(crawled):
    report, site = crawled["report"], crawled["site"]
    pdf = report.outcome(site.url("/doc.pdf"))
    assert pdf.status == "skipped" and "not HTML/text (application/pdf)" in pdf.reason
    assert pdf.bytes == 0  # body never downloaded
    missing = report.outcome(site.url("/missing.html"))
    assert missing.status == "skipped" and missing.reason == "HTTP 404" and missing.http_status == 404
    docs = {d.url: d for d in warc_docs(crawled["archive"])}
    assert docs[site.url("/doc.pdf")].status == "skipped" and "application/pdf" in docs[site.url("/doc.pdf")].reason
    assert docs[site.url("/missing.html")].reason == "HTTP 404"


def test_archive_reads_back_as_documents(crawled):
    site = crawled["site"]
    docs = [d for d in warc_docs(crawled["archive"]) if d.status == "ok"]
    by_url = {d.url: d for d in docs}
    assert set(by_url) >= {site.url(p) for p in PAGES} | {site.url("/gz.html"), site.url("/flaky.html")}
    assert b"Sistem Antrean Online (SANTRI)" in by_url[site.url("/news/antrean.html")].content
    assert b"Pajak Jemput Bola (PAJEBO)" in by_url[site.url("/gz.html")].content  # gzip decoded
    assert all(d.kind == "html" for d in docs)
    # each page archived once, although the site was crawled three times
    assert len(docs) == len(by_url)


def test_crawl_log_has_one_line_per_outcome(crawled):
    lines = [json.loads(line) for line in (crawled["archive"] / LOG_FILE).read_text().splitlines()]
    first_run = [line for line in lines if line["run"] == crawled["report"].run_id]
    assert len(first_run) == len(crawled["report"].outcomes)
    assert {line["status"] for line in first_run} >= {"fetched", "skipped", "failed"}
    assert all(line["reason"] for line in first_run if line["status"] in ("skipped", "failed"))


def test_second_crawl_fetches_nothing_unchanged(crawled):
    second, counts = crawled["second"], crawled["second_counts"]
    for path in list(PAGES) + ["/gz.html", "/flaky.html", "/busy.html", "/doc.pdf", "/missing.html", "/big.html"]:
        assert counts[path] == 0, path
        assert second.outcome(crawled["site"].url(path)).status == "known"
    # feeds and sitemaps are revalidated, conditionally: 304, nothing re-archived
    assert counts["/feed.xml"] == 1 and counts["/sitemap.xml"] == 1
    assert second.outcome(crawled["site"].url("/feed.xml")).status == "not_modified"
    assert second.fetched == 0
    # what failed for a transient reason is tried again
    assert counts["/hang.html"] == 1
    # nothing new went into the archive: 304s, the same robots.txt, the same redirect loop
    assert crawled["second_new_files"] == set()


def test_refresh_revalidates_with_conditional_requests(crawled):
    third, counts, headers = crawled["third"], crawled["third_counts"], crawled["third_headers"]
    for path in PAGES:
        assert counts[path] == 1
        sent = headers[path][0]
        assert sent.get("if-none-match") and sent.get("if-modified-since") == LAST_MODIFIED
        assert third.outcome(crawled["site"].url(path)).status == "not_modified"
    assert third.fetched == 0 or all(o.url.endswith(("/gz.html", "/big.html", "/busy.html")) for o in third.outcomes if o.status == "fetched")


# -- separate small crawls --------------------------------------------------------------------------


def test_private_addresses_are_refused_without_allow_private(tmp_path):
    with Site() as site:
        report = crawl([site.url("/news/antrean.html"), site.url("/feed.xml").replace("127.0.0.1", "localhost")],
                       tmp_path, settings(allow_private=False))
        assert sum(site.counts.values()) == 0
    assert report.skipped == 2
    for outcome in report.outcomes:
        assert "refused" in outcome.reason and "loopback" in outcome.reason


def test_credentials_and_other_schemes_are_refused(tmp_path):
    with Site() as site:
        with_userinfo = site.url("/news/antrean.html").replace("http://", "http://budi:rahasia@")
        report = crawl([with_userinfo, "file:///etc/passwd", "ftp://127.0.0.1/x"], tmp_path, settings())
        assert sum(site.counts.values()) == 0
    reasons = sorted(o.reason for o in report.outcomes)
    assert report.skipped == 3
    assert any("credentials" in r for r in reasons) and sum("only http(s)" in r for r in reasons) == 2


def test_max_pages_leaves_the_rest_queued_and_the_next_crawl_resumes(tmp_path):
    with Site() as site:
        seeds = [site.url(p) for p in PAGES]
        first = crawl(seeds, tmp_path, settings(), max_pages=2)
        assert first.fetched == 2 and first.pending == 1
        resumed = crawl([], tmp_path, settings())  # no seeds: the state file knows what is left
        assert resumed.fetched == 1 and resumed.pending == 0
        assert all(site.counts[p] == 1 for p in PAGES)
    assert len([d for d in warc_docs(tmp_path) if d.status == "ok"]) == 3


def test_follow_links_stays_on_site_and_within_depth(tmp_path):
    with Site() as site:
        site.extra["/index.html"] = page("Beranda", "Daftar berita.", "<a href='/news/antrean.html'>a</a>"
                                         "<a href='news/posyandu.html#komentar'>b</a><a href='http://example.invalid/x'>luar</a>"
                                         "<a href='/berkas.pdf'>pdf</a><a href='/lagi.html'>lagi</a>")
        site.extra["/lagi.html"] = page("Lagi", "Tautan lebih dalam.", "<a href='/news/arsip.html'>c</a>")
        report = crawl([site.url("/index.html")], tmp_path, settings(follow_links_depth=1))
        assert site.counts["/news/antrean.html"] == 1 and site.counts["/news/posyandu.html"] == 1
        assert site.counts["/lagi.html"] == 1
        assert site.counts["/news/arsip.html"] == 0  # depth 2
        assert site.counts["/berkas.pdf"] == 0
    assert report.outcome("http://example.invalid/x") is None
    assert report.outcome(site.url("/lagi.html")).depth == 1


def test_crawl_delay_too_long_leaves_the_host_alone(tmp_path):
    with Site(robots="User-agent: *\nCrawl-delay: 3600\n") as site:
        report = crawl([site.url("/news/antrean.html")], tmp_path, settings(max_crawl_delay=5))
        assert site.counts["/news/antrean.html"] == 0
    assert "Crawl-delay" in report.outcomes[0].reason


def test_crawl_delay_is_honoured(tmp_path):
    with Site(robots="User-agent: *\nCrawl-delay: 0.3\n") as site:
        crawl([site.url(p) for p in PAGES], tmp_path, settings(per_host_concurrency=2))
        times = sorted(t for p in PAGES for t in site.times[p])
    assert len(times) == 3
    assert min(b - a for a, b in zip(times, times[1:])) >= 0.25


def test_an_archive_is_used_by_one_crawl_at_a_time(tmp_path):
    from filelock import FileLock

    with FileLock(str(tmp_path / ".crawl.lock")):
        with pytest.raises(RuntimeError, match="another crawl"):
            crawl(["http://127.0.0.1:9/"], tmp_path, settings())


# -- units ------------------------------------------------------------------------------------------


def test_check_url_reasons():
    assert check_url("https://kupang.antaranews.com/berita/1") == ""
    assert "credentials" in check_url("https://a:b@example.com/")
    assert "only http(s)" in check_url("javascript:alert(1)")
    assert "malformed" in check_url("http://example.com:99999999/")


def test_resolve_address_refuses_private_ranges():
    for host in ("127.0.0.1", "10.1.2.3", "192.168.0.1", "169.254.169.254", "::1", "0.0.0.0"):
        with pytest.raises(Refused, match="refused"):
            resolve_address(host, 80, allow_private=False)
    assert resolve_address("127.0.0.1", 80, allow_private=True) == "127.0.0.1"


def test_retry_after_values():
    from datetime import datetime, timezone

    assert retry_after_seconds("5", cap=120) == 5
    assert retry_after_seconds("3600", cap=120) == 120
    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    assert retry_after_seconds("Thu, 01 Jan 2026 00:00:30 GMT", cap=120, now=now) == 30
    assert retry_after_seconds("kapan-kapan", cap=120) is None


def test_normalize_and_discovery_helpers():
    assert normalize_url("HTTP://Example.COM:80/a/./b/../c.html?x=1#top") == "http://example.com/a/c.html?x=1"
    assert normalize_url("https://example.com") == "https://example.com/"
    base = "https://berita.example/"
    atom = (b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><link rel="alternate" '
            b'href="/a.html"/></entry><entry><link href="https://berita.example/b.html"/></entry></feed>')
    assert detect("application/atom+xml", atom) == "feed"
    assert feed_links(atom, base) == ["https://berita.example/a.html", "https://berita.example/b.html"]
    index = (b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>https://berita.example/s1.xml'
             b'</loc></sitemap></sitemapindex>')
    assert detect("text/xml", index) == "sitemap"
    assert sitemap_links(gzip.compress(index), base) == ([], ["https://berita.example/s1.xml"])
    assert detect("text/html", b"<html><body>x</body></html>") == "page"
    assert detect("application/pdf", b"%PDF-1.4") == "other"
    assert page_links(b"<a href='x.html#c'>x</a><a href='mailto:a@b'>m</a>", base) == ["https://berita.example/x.html"]
    assert worth_following("https://www.berita.example/x", "https://berita.example/")
    assert not worth_following("https://lain.example/x", "https://berita.example/")
    # entity expansion is off: a billion-laughs feed parses to nothing harmful
    bomb = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><rss><channel><item><link>&b;</link></item></channel></rss>'
    assert all(len(link) < 200 for link in feed_links(bomb, base))


def test_a_killed_crawl_resumes_without_refetching(tmp_path):
    import os
    import signal
    import subprocess
    import sys

    repo = Path(__file__).resolve().parents[1]
    with Site() as site:
        seeds = [site.url("/news/antrean.html"), site.url("/news/posyandu.html"), site.url("/hang.html"), site.url("/news/arsip.html")]
        script = (
            "import sys\n"
            "from pathlib import Path\n"
            "from pipeline.collect.crawl import crawl\n"
            "from pipeline.settings import Settings\n"
            "s = Settings().with_section('crawl', per_host_delay=0.01, timeout=30, fetch_deadline=30, concurrency=1,\n"
            "                            per_host_concurrency=1, allow_private=True)\n"
            "crawl(sys.argv[2:], Path(sys.argv[1]), s)\n"
        )
        proc = subprocess.Popen([sys.executable, "-c", script, str(tmp_path), *seeds], cwd=repo, env={"PYTHONPATH": str(repo)})
        try:
            for _ in range(600):  # until the crawl hangs on /hang.html (or gives up after 30 s)
                if site.counts["/hang.html"] or proc.poll() is not None:
                    break
                time.sleep(0.05)
            assert site.counts["/hang.html"] == 1
        finally:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
        assert list(tmp_path.glob("*.warc.gz.open"))  # killed mid-crawl: the archive file was never closed
        site.release.set()
        report = crawl([], tmp_path, settings(retries=0))
        assert report.notes and "recovered" in report.notes[0]
        assert site.counts["/news/antrean.html"] == 1 and site.counts["/news/posyandu.html"] == 1  # archived before the kill
        assert site.counts["/news/arsip.html"] == 1 and report.outcome(site.url("/news/arsip.html")).status == "fetched"
    docs = [d for d in warc_docs(tmp_path) if d.status == "ok"]
    assert sorted(d.url.rsplit("/", 1)[1] for d in docs) == ["antrean.html", "arsip.html", "posyandu.html"]


def test_redirects_are_followed_within_robots_rules(crawled):
    report, site, counts = crawled["report"], crawled["site"], crawled["counts"]
    moved = report.outcome(site.url("/lama.html"))
    assert moved.status == "fetched" and moved.final_url == site.url("/news/pindah.html") and moved.requests == 2
    assert counts["/lama.html"] == 1 and counts["/news/pindah.html"] == 1
    assert site.url("/news/pindah.html") in {d.url for d in warc_docs(crawled["archive"]) if d.status == "ok"}
    secret = report.outcome(site.url("/ke-rahasia.html"))
    assert secret.status == "skipped" and "disallowed by robots.txt" in secret.reason


def test_per_host_concurrency_is_bounded(crawled):
    assert 1 <= crawled["max_active"] <= 2  # settings: per_host_concurrency=2 (one host here)


def test_unreachable_host_fails_with_a_reason_after_bounded_retries(tmp_path):
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    report = crawl([f"http://127.0.0.1:{port}/berita.html"], tmp_path, settings(retries=2))
    (outcome,) = report.outcomes
    assert outcome.status == "failed" and "robots.txt unavailable" in outcome.reason
    assert "connection error after 3 attempt(s)" in outcome.reason


def _self_signed(tmp_path: Path) -> tuple[Path, Path]:
    import subprocess

    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"],
                   check=True, capture_output=True, timeout=60)
    return cert, key


@pytest.mark.skipif(__import__("shutil").which("openssl") is None, reason="needs the openssl command")
def test_https_verifies_certificates_and_sends_the_host_name(tmp_path, monkeypatch):
    import ssl

    cert, key = _self_signed(tmp_path)
    with Site() as site:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        site.server.socket = context.wrap_socket(site.server.socket, server_side=True)
        url = site.url("/news/antrean.html").replace("http://127.0.0.1", "https://localhost")
        untrusted = crawl([url], tmp_path / "a", settings(retries=0))
        assert untrusted.failed == 1 and "CERTIFICATE_VERIFY_FAILED" in untrusted.outcomes[0].reason
        monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # now the certificate is trusted
        trusted = crawl([url], tmp_path / "b", settings(retries=0))
        assert trusted.fetched == 1
        assert site.headers["/news/antrean.html"][-1]["host"] == f"localhost:{url.split(':')[2].split('/')[0]}"


def test_a_slow_drip_is_abandoned_at_the_deadline(tmp_path):
    with Site() as site:
        report = crawl([site.url("/drip.html"), site.url("/news/antrean.html")], tmp_path,
                       settings(timeout=1.0, fetch_deadline=1.5))
        assert site.counts["/drip.html"] == 1
    drip = report.outcome(site.url("/drip.html"))
    assert drip.status == "failed" and "not complete within 1.5s" in drip.reason
    assert report.outcome(site.url("/news/antrean.html")).status == "fetched"


def test_memory_stays_bounded_by_max_bytes_not_by_the_page(tmp_path):
    import tracemalloc

    with Site() as site:
        tracemalloc.start()
        try:
            report = crawl([site.url("/big.html")], tmp_path, settings(max_bytes=MAX_BYTES))
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert report.outcome(site.url("/big.html")).truncated
    assert peak < 8 * MAX_BYTES < BIG_BYTES  # a handful of copies of the 1 MiB cap, never the 30 MiB page
