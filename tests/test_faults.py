"""Fault injection (issue 16): each way a nightly run used to crash or lose articles, done for real.

Real files and folders (odd names, symlinks, an unreadable folder), real WARC files written by
warcio with a record broken in the middle, HTTP servers on 127.0.0.1, a wheel built and
installed into a temporary folder.  Each test checks that nothing is lost: every input is a
row (``ok``, ``skipped`` or ``failed`` with a reason) or the run stops non-zero with a message
before storing the batch it was working on.
"""
from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from conftest import ROOT, SAMPLE, read_table
from pipeline.cli import app
from pipeline.collect import iter_documents, plan_units
from pipeline.collect.warc import iter_warc
from pipeline.core import run
from pipeline.settings import Settings

runner = CliRunner()
S = Settings()
FIXTURES = Path(__file__).parent / "fixtures"


def _texts(n: int) -> list[Path]:
    """``n`` of the sample corpus' own invented articles (distinct stories)."""
    texts = sorted(p for p in SAMPLE.glob("*.txt") if "english" not in p.name)
    assert len(texts) >= n
    return texts[:n]


def _copy_texts(folder: Path, n: int, as_html: bool = False) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for p in _texts(n):
        if as_html:
            paras = "".join(f"<p>{para}</p>" for para in p.read_text(encoding="utf-8").split("\n\n") if para.strip())
            dst = folder / (p.stem + ".html")
            dst.write_text(f"<html><head><meta charset='utf-8'></head><body><article>{paras}</article></body></html>",
                           encoding="utf-8")
        else:
            dst = folder / p.name
            shutil.copy2(p, dst)
        out.append(dst)
    return out


def _statuses(out: Path) -> dict[str, tuple[str, str]]:
    return {r["source"]: (r["status"], r["reason"]) for r in read_table(out / "articles.csv")}


def _stored_articles(out: Path) -> int:
    db = sqlite3.connect(out / "state.sqlite")
    try:
        return db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    finally:
        db.close()


# -- systemic failures are not article failures ------------------------------------------------
def test_an_import_error_while_cleaning_stops_the_run_and_stores_nothing(tmp_path, monkeypatch):
    """The README's old set-up: jusText's lxml.html.clean missing failed every HTML page, exit 0."""
    from pipeline.clean import document

    def missing_module(*args, **kwargs):
        raise ImportError("lxml.html.clean module is now a separate project lxml_html_clean")

    monkeypatch.setattr(document, "extract_html", missing_module)
    _copy_texts(tmp_path / "in", 3, as_html=True)
    res = runner.invoke(app, ["run", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--quiet"])
    assert res.exit_code == 4, res.output
    assert "error:" in res.output and "ImportError" in res.output and "lxml_html_clean" in res.output
    assert "Traceback" not in res.output
    assert _stored_articles(tmp_path / "out") == 0  # no article recorded as failed: the next run reads them
    monkeypatch.undo()
    summary = run([tmp_path / "in"], tmp_path / "out")
    assert (summary.n_read, summary.n_ok) == (3, 3)


def test_a_programming_error_in_our_code_stops_the_run(tmp_path, monkeypatch):
    from pipeline.clean import document

    monkeypatch.setattr(document, "detect_language", None)  # our code then calls None: a TypeError in pipeline/
    _copy_texts(tmp_path / "in", 2)
    from pipeline.failures import SystemicFailure

    with pytest.raises(SystemicFailure, match="TypeError"):
        run([tmp_path / "in"], tmp_path / "out")
    assert _stored_articles(tmp_path / "out") == 0


def test_a_library_error_on_one_page_is_that_page_failure(tmp_path, monkeypatch):
    """The same exception types raised inside a library on odd input stay the input's row."""
    from pipeline.clean import document

    real = document.extract_html

    def picky(html, url, cs):  # stands in for a parser that chokes on one page
        if "Bupati" in html:
            raise TypeError("parser choked on this page")
        return real(html, url, cs)

    monkeypatch.setattr(document, "extract_html", picky)
    pages = _copy_texts(tmp_path / "in", 6, as_html=True)
    summary = run([tmp_path / "in"], tmp_path / "out")
    rows = _statuses(tmp_path / "out")
    assert len(rows) == len(pages) == summary.n_read
    failed = {s for s, (st, _) in rows.items() if st == "failed"}
    assert failed and len(failed) < len(pages)
    assert all(rows[s][1] == "TypeError: parser choked on this page" for s in failed)


def test_one_exception_type_failing_most_inputs_stops_the_run(tmp_path, monkeypatch):
    from pipeline.clean import document

    def always(*args, **kwargs):
        raise ValueError("parser confused")

    from pipeline.failures import SystemicFailure

    monkeypatch.setattr(document, "extract_html", always)
    _copy_texts(tmp_path / "in", 22, as_html=True)
    settings = Settings()
    assert settings.systemic_failure_min_inputs <= 22 and settings.systemic_failure_share < 1
    with pytest.raises(SystemicFailure, match=r"failed with ValueError.*systemic_failure_share"):
        run([tmp_path / "in"], tmp_path / "out", settings)
    assert _stored_articles(tmp_path / "out") == 0
    log = [json.loads(line) for line in (tmp_path / "out" / "inovasi.log").read_text().splitlines()]
    assert log[-1]["event"] == "stopped" and "ValueError" in log[-1]["reason"]
    monkeypatch.undo()  # the environment repaired: nothing was lost
    assert run([tmp_path / "in"], tmp_path / "out").n_ok == 22


def test_a_few_failures_or_many_skips_do_not_stop_the_run(tmp_path, monkeypatch):
    from pipeline.clean import document

    real = document.extract_html
    _copy_texts(tmp_path / "in", 22, as_html=True)
    calls = []

    def some(html, url, cs):  # the first four pages fail: 4 of 47 inputs, far below the share
        calls.append(url)
        if len(calls) <= 4:
            raise ValueError("parser confused")
        return real(html, url, cs)

    monkeypatch.setattr(document, "extract_html", some)
    for i in range(25):  # PDFs: skipped, never counted against the run
        (tmp_path / "in" / f"laporan{i:02d}.txt").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n" + bytes(range(256)))
    summary = run([tmp_path / "in"], tmp_path / "out")
    assert summary.n_read == 47 and summary.n_failed == 4 and summary.n_skipped == 25


def test_an_extraction_error_marks_the_article_failed_not_ok_without_mentions(tmp_path, monkeypatch):
    from pipeline.extract import Extractor

    real = Extractor.extract_many

    def flaky(self, articles):
        articles = list(articles)
        if any("Lutra" in a.source or "lutra" in a.source for a in articles):
            raise ValueError("model confused")
        return real(self, articles)

    monkeypatch.setattr(Extractor, "extract_many", flaky)
    texts = [p for p in _texts(12)]
    folder = tmp_path / "in"
    folder.mkdir()
    for p in texts:
        shutil.copy2(p, folder / p.name)
    run([folder], tmp_path / "out")
    rows = _statuses(tmp_path / "out")
    marked = {s: v for s, v in rows.items() if "lutra" in s.lower()}
    assert marked and all(v == ("failed", "extract error: ValueError: model confused") for v in marked.values())
    assert all(st == "ok" for s, (st, _) in rows.items() if s not in marked)
    assert len(rows) == len(texts)


# -- odd names, folders and records -------------------------------------------------------------
def test_a_file_name_that_is_not_utf8_is_read_and_written_everywhere(tmp_path):
    folder = tmp_path / "in"
    [good] = _copy_texts(folder, 1)
    odd = os.path.join(os.fsencode(folder), b"berita-caf\xe9.txt")  # a Latin-1 name from a Windows zip
    with open(odd, "wb") as fh:
        fh.write(_texts(2)[1].read_bytes())
    summary = run([folder], tmp_path / "out")
    assert summary.n_read == 2 and summary.n_ok == 2
    sources = set(_statuses(tmp_path / "out"))
    assert str(folder / "berita-caf\\xe9.txt") in sources and str(good) in sources
    assert run([folder], tmp_path / "out").n_unchanged == 2  # the escaped name is a stable identity


def test_a_symlinked_folder_is_read_once_and_a_loop_ends(tmp_path):
    one, two, three = _texts(3)
    real, corpus = tmp_path / "arsip", tmp_path / "corpus"
    real.mkdir()
    corpus.mkdir()
    shutil.copy2(one, corpus / one.name)
    shutil.copy2(two, real / two.name)
    shutil.copy2(three, real / three.name)
    (corpus / "tautan").symlink_to(real, target_is_directory=True)
    (real / "balik").symlink_to(corpus, target_is_directory=True)  # a loop back to the top
    units = plan_units([corpus], S)
    assert sorted(u.path for u in units) == sorted([str(corpus / one.name), str(real / two.name),
                                                    str(real / three.name)])
    summary = run([corpus], tmp_path / "out")
    assert summary.n_read == 3 and summary.n_ok == 3


def test_an_unreadable_folder_becomes_a_failed_row(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    _copy_texts(corpus, 1)
    locked = corpus / "terkunci"
    _copy_texts(locked, 2)
    locked.chmod(0)
    if os.geteuid() == 0:  # root reads any folder: make scandir answer as it does for everyone else
        real_scandir = os.scandir

        def scandir(path="."):
            if Path(path) == locked:
                raise PermissionError(13, "Permission denied", str(path))
            return real_scandir(path)

        monkeypatch.setattr(os, "scandir", scandir)
    try:
        docs = list(iter_documents([corpus], S))
        summary = run([corpus], tmp_path / "out")
    finally:
        locked.chmod(0o755)
    [row] = [d for d in docs if d.source == str(locked)]
    assert row.status == "failed" and row.reason.startswith("unreadable folder: PermissionError")
    assert summary.n_read == 2 and summary.n_failed == 1
    assert _statuses(tmp_path / "out")[str(locked)][0] == "failed"


def test_a_lone_surrogate_in_jsonl_is_repaired_and_every_table_is_written(tmp_path):
    texts = [p.read_text(encoding="utf-8") for p in _texts(3)]
    damaged = texts[1].replace(" inovasi ", " inovasi \ud83d ")  # inside the story, not in a line the cleaner drops
    assert damaged != texts[1]
    lines = [json.dumps({"url": f"https://warta-contoh.example/{i}", "text": damaged if i == 1 else t})
             for i, t in enumerate(texts)]
    assert "\\ud83d" in lines[1]  # a cut emoji, as JSON writes it
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = run([path], tmp_path / "out")
    assert summary.n_read == 3 and summary.n_ok == 3
    rows = {r["source"].rsplit("#", 1)[1]: r for r in read_table(tmp_path / "out" / "articles.csv")}
    from pipeline.clean import clean_document
    from pipeline.records import RawDocument

    undamaged = clean_document(RawDocument("x", "text", texts[1], url="https://warta-contoh.example/1"), S).text
    assert rows["L2"]["text"].split() != undamaged.split()  # the repaired character is there ...
    assert rows["L2"]["text"].replace("\ufffd", " ").split() == undamaged.split()  # ... and nothing else changed
    for table in ("articles", "mentions", "registry"):
        assert (tmp_path / "out" / f"{table}.parquet").stat().st_size > 0
    db = sqlite3.connect(tmp_path / "out" / "inovasi.sqlite")
    assert db.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 3
    db.close()
    assert all(json.loads(line) for line in (tmp_path / "out" / "inovasi.log").read_text(encoding="utf-8").splitlines())


def test_the_same_folder_typed_two_ways_is_read_once(tmp_path, monkeypatch):
    _copy_texts(tmp_path / "in", 3)
    monkeypatch.chdir(tmp_path)
    first = run(["in"], tmp_path / "out")
    second = run([str(tmp_path / "in"), "in/"], tmp_path / "out")
    assert first.n_read == 3 and second.n_read == 0 and second.n_unchanged == 3
    assert all(Path(s).is_absolute() for s in _statuses(tmp_path / "out"))


def test_a_state_file_written_by_main_before_resolved_paths_keeps_working(tmp_path, monkeypatch):
    fixture = FIXTURES / "state_main_74b0771"
    shutil.copytree(fixture / "in", tmp_path / "in")
    for f in (tmp_path / "in").iterdir():
        os.utime(f, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    (tmp_path / "out").mkdir()
    shutil.copy2(fixture / "state.sqlite", tmp_path / "out" / "state.sqlite")
    db = sqlite3.connect(tmp_path / "out" / "state.sqlite")
    assert ("in/satu.txt",) in db.execute("SELECT unit FROM inputs").fetchall()  # keys as typed
    db.close()
    monkeypatch.chdir(tmp_path)
    summary = run([tmp_path / "in"], tmp_path / "out")
    assert summary.n_read == 0 and summary.n_unchanged == 2
    rows = read_table(tmp_path / "out" / "articles.csv")
    assert sorted(r["source"] for r in rows) == [f"{tmp_path}/in/batch.jsonl#L1", f"{tmp_path}/in/batch.jsonl#L2",
                                                  f"{tmp_path}/in/satu.txt"]
    assert run(["in"], tmp_path / "out").n_read == 0


def test_the_output_folder_inside_the_input_folder_is_never_read(tmp_path):
    corpus = tmp_path / "corpus"
    _copy_texts(corpus, 2)
    out = corpus / "hasil"
    run([corpus], out)  # writes report.html, articles.csv ... inside the corpus
    (out / "catatan.txt").write_text("Catatan operator yang tidak boleh dibaca sebagai berita. " * 5)
    second = run([corpus], out)
    assert second.n_read == 0 and second.n_unchanged == 2
    assert not [s for s in _statuses(out) if "/hasil/" in s]


# -- WARC ---------------------------------------------------------------------------------------
def _warc(path: Path, n: int, gzip_records: bool) -> list[int]:
    """``n`` response records as warcio writes them; returns each record's offset."""
    offsets = []
    texts = [p.read_text(encoding="utf-8") for p in _texts(n)]
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=gzip_records)
        for i, text in enumerate(texts):
            body = ("<html><body><article>" + "".join(f"<p>{p}</p>" for p in text.split("\n\n")) +
                    "</article></body></html>").encode()
            offsets.append(fh.tell())
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(f"https://warta-contoh.example/{i}", "response",
                                                          payload=io.BytesIO(body), length=len(body), http_headers=http))
        offsets.append(fh.tell())
    return offsets


@pytest.mark.parametrize("gzip_records", [True, False])
def test_a_corrupt_warc_record_is_one_failed_row_and_reading_resumes(tmp_path, gzip_records):
    path = tmp_path / ("arsip.warc.gz" if gzip_records else "arsip.warc")
    offsets = _warc(path, 5, gzip_records)
    data = bytearray(path.read_bytes())
    if gzip_records:  # bytes flipped in the middle of the third record's compressed data
        middle = (offsets[2] + offsets[3]) // 2
        data[middle:middle + 16] = bytes(b ^ 0x5A for b in data[middle:middle + 16])
    else:  # the third record's header line damaged
        data[offsets[2]:offsets[2] + 8] = b"WXRC/9.9"
    path.write_bytes(bytes(data))
    docs = list(iter_warc(path, S))
    assert [d.status for d in docs] == ["ok", "ok", "failed", "ok", "ok"]
    assert docs[2].source == f"{path}#{offsets[2]}" and "corrupt" in docs[2].reason
    assert [d.url for d in docs if d.status == "ok"] == [f"https://warta-contoh.example/{i}" for i in (0, 1, 3, 4)]
    summary = run([path], tmp_path / "out")
    assert summary.n_read == 5 and summary.n_failed == 1


# -- crawler -------------------------------------------------------------------------------------
def _crawl_settings(**changes) -> Settings:
    crawl = dict(per_host_delay=0.0, timeout=2.0, fetch_deadline=5.0, backoff=0.01, retries=0, allow_private=True)
    crawl.update(changes)
    return Settings().with_section("crawl", **crawl)


def _page(title: str, body: str, links: str = "") -> str:
    return (f"<!DOCTYPE html><html lang='id'><head><meta charset='utf-8'><title>{title}</title></head>"
            f"<body><article><h1>{title}</h1><p>{body}</p></article>{links}</body></html>")


def _serve(httpserver, pages: dict[str, str], robots: str = "") -> None:
    httpserver.expect_request("/robots.txt").respond_with_data(robots, content_type="text/plain")
    for path, html in pages.items():
        httpserver.expect_request(path).respond_with_data(html, content_type="text/html; charset=utf-8")


def _requested(httpserver) -> list[str]:
    return [req.full_path.rstrip("?") for req, _ in httpserver.log]


def test_robots_wildcards_and_end_anchors_are_obeyed(tmp_path, httpserver):
    from pipeline.collect.crawl import crawl

    robots = "User-agent: *\nDisallow: /*.pdf$\nDisallow: /*?print=\nAllow: /\n"
    _serve(httpserver, {"/berita/satu.html": _page("Satu", "Isi berita satu."),
                        "/laporan.pdf.html": _page("Bukan PDF", "Halaman biasa.")}, robots)
    seeds = [httpserver.url_for("/laporan.pdf"), httpserver.url_for("/berita/satu.html?print=1"),
             httpserver.url_for("/berita/satu.html"), httpserver.url_for("/laporan.pdf.html")]
    report = crawl(seeds, tmp_path, _crawl_settings())
    for blocked in seeds[:2]:
        assert report.outcome(blocked).reason == "disallowed by robots.txt"
    assert report.outcome(seeds[2]).status == "fetched" and report.outcome(seeds[3]).status == "fetched"
    assert "/laporan.pdf" not in _requested(httpserver)
    assert not [p for p in _requested(httpserver) if "print=" in p]


def test_a_fractional_crawl_delay_for_our_agent_paces_the_host(tmp_path, httpserver):
    from pipeline.collect.robots import RobotsCache
    from pipeline.collect.fetch import Fetcher, HostGate

    robots = "User-agent: *\nCrawl-delay: 9\n\nUser-agent: inovasi-crawler\nCrawl-delay: 0.25\nDisallow: /*/draf$\n"
    _serve(httpserver, {}, robots)
    s = _crawl_settings().crawl
    gate = HostGate(0.0)
    cache = RobotsCache(Fetcher(s, gate), s)
    assert cache.check(httpserver.url_for("/a/draf")) == "disallowed by robots.txt"
    assert cache.check(httpserver.url_for("/a/draf/lain")) == ""
    assert cache.rules(httpserver.url_for("/").rstrip("/")).delay == 0.25


def test_a_crawl_that_fetched_nothing_exits_nonzero_with_each_seed_reason_and_fix(tmp_path, httpserver):
    _serve(httpserver, {"/a.html": _page("A", "Isi.")})
    seeds = [httpserver.url_for("/a.html"), httpserver.url_for("/b.html")]
    res = runner.invoke(app, ["crawl", *seeds, "--archive", str(tmp_path / "arsip"), "--quiet"])
    assert res.exit_code == 1, res.output
    assert "nothing could be fetched" in res.output
    for seed in seeds:
        assert seed in res.output
    assert "--allow-private" in res.output
    assert not _requested(httpserver)  # refused before any request


def test_a_page_seed_whose_links_were_not_followed_gets_the_depth_advice(tmp_path, httpserver):
    from pipeline.collect.crawl import crawl

    links = "".join(f"<a href='/berita/{i}.html'>{i}</a>" for i in range(3))
    _serve(httpserver, {"/index.html": _page("Beranda", "Daftar berita hari ini.", links)})
    report = crawl([httpserver.url_for("/index.html")], tmp_path, _crawl_settings())
    assert not report.nothing_fetched
    assert any("--depth 1" in line and "3 same-site links" in line for line in report.advice())


def test_a_deeper_later_crawl_follows_links_of_pages_already_archived(tmp_path, httpserver):
    from pipeline.collect.crawl import crawl

    links = "".join(f"<a href='/berita/{i}.html'>{i}</a>" for i in range(2))
    pages = {"/index.html": _page("Beranda", "Daftar berita.", links),
             **{f"/berita/{i}.html": _page(f"Berita {i}", f"Isi berita nomor {i}.") for i in range(2)}}
    _serve(httpserver, pages)
    first = crawl([httpserver.url_for("/index.html")], tmp_path, _crawl_settings())
    assert first.fetched == 1
    second = crawl([httpserver.url_for("/index.html")], tmp_path, _crawl_settings(follow_links_depth=1))
    assert second.outcome(httpserver.url_for("/index.html")).status == "known"
    assert {second.outcome(httpserver.url_for(f"/berita/{i}.html")).status for i in range(2)} == {"fetched"}
    assert _requested(httpserver).count("/index.html") == 1  # the archived page was not fetched again


def test_the_crawl_reports_progress_and_is_silent_with_quiet(tmp_path, httpserver):
    from pipeline.collect.crawl import crawl

    pages = {f"/berita/{i}.html": _page(f"Berita {i}", f"Isi {i}.") for i in range(3)}
    _serve(httpserver, pages)
    seen = []
    crawl([httpserver.url_for(p) for p in pages], tmp_path / "a", _crawl_settings(),
          progress=lambda fetched, queued, host: seen.append((fetched, queued, host)))
    assert [f for f, _, _ in seen] == [1, 2, 3] and seen[-1][1] == 0
    assert all(host == f"{httpserver.host}:{httpserver.port}" for _, _, host in seen)
    config = tmp_path / "c.toml"
    config.write_text("[crawl]\nper_host_delay = 0.0\nretries = 0\n")
    res = runner.invoke(app, ["crawl", *[httpserver.url_for(p) for p in pages], "--archive", str(tmp_path / "b"),
                              "--allow-private", "--quiet", "--config", str(config)])
    assert res.exit_code == 0 and res.output == ""


def test_the_crawl_progress_line_shows_on_a_terminal(tmp_path, httpserver):
    import pty
    import select

    pages = {f"/berita/{i}.html": _page(f"Berita {i}", f"Isi {i}.") for i in range(2)}
    _serve(httpserver, pages)
    config = tmp_path / "c.toml"
    config.write_text("[crawl]\nper_host_delay = 0.3\nretries = 0\n")
    main, child = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "crawl", *[httpserver.url_for(p) for p in pages],
                             "--archive", str(tmp_path / "a"), "--allow-private", "--config", str(config)],
                            stdin=child, stdout=child, stderr=child, cwd=ROOT, env={**os.environ, "TERM": "xterm"})
    os.close(child)
    screen = b""
    while True:
        ready, _, _ = select.select([main], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(main, 4096)
        except OSError:
            break
        if not chunk:
            break
        screen += chunk
    proc.wait(timeout=60)
    os.close(main)
    assert proc.returncode == 0, screen
    assert b"crawl: fetched" in screen and f"now {httpserver.host}".encode() in screen


# -- command line --------------------------------------------------------------------------------
@pytest.mark.parametrize("toml, names", [
    ('batch_size = "big"\n', ["batch_size", "whole number"]),
    ("[resolve]\nname_threshold = true\n", ["resolve.name_threshold", "number"]),
    ("[clean]\nlanguages = [\"id\", 5]\n", ["clean.languages", "strings"]),
    ("resolve = 3\n", ["resolve", "table"]),
    ("[crawl]\nuser_agnet = \"x\"\n", ["crawl.user_agnet", "crawl.user_agent"]),
])
def test_wrongly_typed_settings_are_one_error_line(tmp_path, toml, names):
    config = tmp_path / "bad.toml"
    config.write_text(toml)
    res = runner.invoke(app, ["run", str(_texts(1)[0]), "--out", str(tmp_path / "out"), "--config", str(config)])
    assert res.exit_code == 2, res.output
    assert res.output.startswith("error:") and "Traceback" not in res.output
    for name in names:
        assert name in res.output


def test_explain_of_an_unknown_name_exits_1(sample_out):
    res = runner.invoke(app, ["explain", "Qwzx Plonkvrt 9917", "--out", str(sample_out)])
    assert res.exit_code == 1 and "No innovation matches" in res.output


@pytest.mark.parametrize("since, code", [("kemarin", 2), ("2026-13-45", 2), ("1; DROP", 2), ("1", 0),
                                         ("2020-01-01", 0), ("2020-01-01T06:30", 0)])
def test_monitor_since_takes_a_run_id_or_an_iso_date_only(sample_out, since, code):
    res = runner.invoke(app, ["monitor", "--out", str(sample_out), "--since", since])
    assert res.exit_code == code, res.output
    if code:
        assert "--since takes a run id" in res.output


def test_a_malformed_gold_file_is_one_clear_line(tmp_path, sample_out):
    gold = tmp_path / "gold.json"
    gold.write_text('{"articles": [{"file": "x.txt", "innovations": [')
    res = runner.invoke(app, ["evaluate", str(gold), "--out", str(sample_out)])
    assert res.exit_code == 2 and res.output.startswith("error:") and "Traceback" not in res.output
    assert str(gold) in res.output or "gold" in res.output
    assert len(res.output.strip().splitlines()) <= 3


def test_the_monitor_table_prints_whole_innovation_ids(sample_out, monkeypatch):
    from rich.console import Console

    from pipeline import cli
    from pipeline.monitor import monitor

    result = monitor(sample_out, "1")
    assert result.changes
    buf = io.StringIO()
    monkeypatch.setattr(cli, "out", Console(file=buf, width=72, color_system=None))
    cli._print_changes(result)
    text = buf.getvalue()
    for change in result.changes:
        assert change.innovation_id in text
    assert "…" not in "".join(line.split("│")[3] for line in text.splitlines() if line.count("│") > 4)


def test_quiet_runs_print_nothing_with_dask_workers_or_library_warnings(tmp_path):
    page = tmp_path / "kosong.html"  # trafilatura finds no text here and warns "discarding data: None"
    page.write_text("<html><head><title>Kosong</title></head><body><div></div></body></html>")
    story = _texts(1)[0]
    res = subprocess.run([sys.executable, "-m", "pipeline.cli", "run", str(page), str(story), "--out",
                          str(tmp_path / "out"), "--quiet", "--workers", "1"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert res.stdout == "" and res.stderr == "", res.stderr[-2000:]
    assert {r["status"] for r in read_table(tmp_path / "out" / "articles.csv")} == {"ok", "skipped"}


# -- a non-editable install -------------------------------------------------------------------------
def test_a_wheel_installed_elsewhere_finds_its_data(tmp_path):
    pytest.importorskip("wheel", reason="the test extra installs wheel (pip wheel --no-build-isolation needs it)")
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    for name in ("pipeline", "corpora", "models"):
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    pip = [sys.executable, "-m", "pip", "-q", "--disable-pip-version-check"]
    subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", str(tmp_path / "dist"),
                    str(src)], check=True, capture_output=True, timeout=300)
    [wheel] = (tmp_path / "dist").glob("inovasi-*.whl")
    subprocess.run([*pip, "install", "--no-deps", "--no-index", "--target", str(tmp_path / "site"), str(wheel)],
                   check=True, capture_output=True, timeout=300)
    shutil.rmtree(src)  # nothing may come from the source tree
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site")}
    env.pop("INOVASI_DATA", None)
    code = "import pipeline, pipeline.settings as s; print(pipeline.__file__); print(s.ROOT)"
    where = subprocess.run([sys.executable, "-c", code], cwd=elsewhere, env=env, capture_output=True, text=True,
                           check=True).stdout.split()
    assert where[0].startswith(str(tmp_path / "site")) and where[1] == str(tmp_path / "site" / "pipeline" / "_data")
    res = subprocess.run([sys.executable, "-m", "pipeline.cli", "run", "--out", "hasil", "--quiet", "--no-report"],
                         cwd=elsewhere, env=env, capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr[-2000:]
    rows = read_table(elsewhere / "hasil" / "articles.csv")
    assert len(rows) > 50 and {r["status"] for r in rows} >= {"ok"} and not [r for r in rows if r["status"] == "failed"]
    env["INOVASI_DATA"] = str(tmp_path / "nowhere")
    res = subprocess.run([sys.executable, "-m", "pipeline.cli", "run", "--out", "x"], cwd=elsewhere, env=env,
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 2 and "clean.rules_file" in res.stderr and "INOVASI_DATA" in res.stderr


# -- text that merely looks like markup ----------------------------------------------------------------
@pytest.mark.parametrize("sentence, kept", [
    ("Aturan khusus berlaku bila skor peserta a<b dan b>c pada sesi yang sama.", "a<b dan b>c"),
    ("Peserta belajar bahwa <a href> tanpa alamat tidak membuka halaman apa pun.", "<a href> tanpa alamat"),
    ("Nilai rata-rata peserta < 70 akan diulang pekan depan di aula dinas.", "< 70 akan diulang"),
    ("Inovasi Sistem <span class=\"x\">Antrean</span> Pintar dipakai puskesmas sejak Maret.",
     "Inovasi Sistem Antrean Pintar dipakai"),
])
def test_text_that_merely_looks_like_markup_is_kept_whole(sentence, kept):
    from pipeline.clean import clean_text

    lead = ("Dinas Komunikasi dan Informatika Kabupaten Contoh menggelar pelatihan laman desa bagi operator "
            "dari seluruh kecamatan di aula kantor bupati.")
    text = f"{lead} {sentence}\n\nKepala dinas mengatakan pelatihan berlanjut bulan depan."
    cleaned = clean_text(text, S.clean).text
    assert kept in cleaned
    assert cleaned.split("\n\n")[0].startswith(lead) and cleaned.split("\n\n")[0].endswith(sentence[-12:])
