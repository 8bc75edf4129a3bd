"""Reading WARC/ARC files (ours and other crawlers') and writing the crawler's archive."""
from __future__ import annotations

import gzip
import io
import subprocess
import sys
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipeline.collect.warc import ArchiveWriter, Exchange, iter_warc, read_record_payload, recover_open_files, sniff_media_type
from pipeline.settings import Settings

REPO = Path(__file__).resolve().parents[1]
HTML = ("<html><head><meta charset='utf-8'><title>Inovasi</title></head><body><p>Dinas Kependudukan Kabupaten Belu "
        "memperkenalkan inovasi Layanan Akta Keliling (LAKON) bagi warga perbatasan.</p></body></html>").encode()


def exchange(url: str, body: bytes = HTML, status: int = 200, ctype: str = "text/html; charset=utf-8", **kw) -> Exchange:
    headers = (("Content-Type", ctype), ("Content-Length", str(len(body))), *kw.pop("headers", ()))
    return Exchange(url, (("User-Agent", "inovasi-crawler/0.1"),), status, "OK" if status == 200 else "Error",
                    headers, body, ip="127.0.0.1", fetched_at="2026-11-22T18:00:00Z", **kw)


def foreign_warc(path: Path, *, gzip_records: bool, version: str) -> None:
    """A WARC as another crawler (Common Crawl style) writes it: warcinfo, request, response, metadata."""
    with open(path, "wb") as fh:
        w = WARCWriter(fh, gzip=gzip_records, warc_version=version)
        w.write_record(w.create_warcinfo_record(path.name, {"software": "other-crawler/2.0", "isPartOf": "CC-TEST"}))

        def pair(url, status_line, headers, body):
            req = w.create_warc_record(url, "request", payload=io.BytesIO(b""), length=0,
                                       http_headers=StatusAndHeaders("GET / HTTP/1.1", [("Host", "x")], is_http_request=True))
            resp = w.create_warc_record(url, "response", payload=io.BytesIO(body), length=len(body),
                                        http_headers=StatusAndHeaders(status_line, headers, protocol="HTTP/1.1"))
            w.write_request_response_pair(req, resp)
            meta = w.create_warc_record(url, "metadata", payload=io.BytesIO(b"fetchTimeMs: 12\n"), length=16,
                                        warc_content_type="application/warc-fields")
            w.write_record(meta)

        pair("https://berita.example/html", "200 OK", [("Content-Type", "text/html; charset=UTF-8")], HTML)
        chunked = b"1a\r\n" + HTML[:26] + b"\r\n" + f"{len(HTML) - 26:x}".encode() + b"\r\n" + HTML[26:] + b"\r\n0\r\n\r\n"
        pair("https://berita.example/chunked", "200 OK", [("Content-Type", "text/html"), ("Transfer-Encoding", "chunked")], chunked)
        pair("https://berita.example/gzip", "200 OK", [("Content-Type", "text/html"), ("Content-Encoding", "gzip")], gzip.compress(HTML))
        pair("https://berita.example/untyped", "200 OK", [], HTML)
        pair("https://berita.example/missing", "404 Not Found", [("Content-Type", "text/html")], b"<html>hilang</html>")
        pair("https://berita.example/laporan.pdf", "200 OK", [("Content-Type", "application/pdf")], b"%PDF-1.7 ...")
        pair("https://berita.example/foto", "200 OK", [], b"\x89PNG\r\n\x1a\n....")
        text = "Warga menyambut inovasi Kartu Sehat Desa (KASEDA).".encode()
        w.write_record(w.create_warc_record("https://berita.example/catatan.txt", "resource", payload=io.BytesIO(text),
                                            length=len(text), warc_content_type="text/plain"))


@pytest.mark.parametrize("gzip_records,version,suffix", [(True, "1.0", ".warc.gz"), (False, "1.1", ".warc")])
def test_reads_warc_files_written_by_other_crawlers(tmp_path, gzip_records, version, suffix):
    path = tmp_path / f"cc{suffix}"
    foreign_warc(path, gzip_records=gzip_records, version=version)
    docs = {d.url.rsplit("/", 1)[1]: d for d in iter_warc(path, Settings())}
    assert set(docs) == {"html", "chunked", "gzip", "untyped", "missing", "laporan.pdf", "foto", "catatan.txt"}  # no request/metadata
    for name in ("html", "chunked", "gzip", "untyped"):
        assert docs[name].status == "ok" and docs[name].kind == "html" and docs[name].content == HTML, name
    assert docs["untyped"].content_type == "text/html"  # sniffed
    assert (docs["missing"].status, docs["missing"].reason) == ("skipped", "HTTP 404")
    assert (docs["laporan.pdf"].status, docs["laporan.pdf"].reason) == ("skipped", "not HTML/text (application/pdf)")
    assert docs["foto"].status == "skipped" and "image/png" in docs["foto"].reason
    assert docs["catatan.txt"].kind == "text" and b"KASEDA" in docs["catatan.txt"].content
    # the source names the record's offset: seeking there finds the same record
    source, offset = docs["gzip"].source.rsplit("#", 1)
    assert source == str(path)
    assert read_record_payload(path, int(offset), 10_000) == HTML


def test_large_payload_is_capped_and_marked(tmp_path):
    with ArchiveWriter(tmp_path, max_file_bytes=10**9) as writer:
        writer.write(exchange("https://berita.example/panjang", HTML * 100))
    settings = Settings().with_section("read", max_input_bytes=1000)
    (doc,) = iter_warc(next(tmp_path.glob("*.warc.gz")), settings)
    assert len(doc.content) == 1000 and doc.status == "ok" and "truncated to 1000 bytes" in doc.reason


def test_writer_offsets_point_at_the_response_records(tmp_path):
    with ArchiveWriter(tmp_path, max_file_bytes=10**9) as writer:
        written = [writer.write(exchange(f"https://berita.example/{i}", HTML.replace(b"LAKON", f"LAKON{i}".encode())))
                   for i in range(3)]
        assert not list(tmp_path.glob("*.warc.gz"))  # still open: only the .open name exists
    docs = list(iter_warc(tmp_path / written[0][0], Settings()))
    assert [d.source.rsplit("#", 1)[1] for d in docs] == [str(offset) for _, offset in written]
    assert [d.url for d in docs] == [f"https://berita.example/{i}" for i in range(3)]
    assert b"LAKON2" in docs[2].content
    assert not list(tmp_path.glob("*.open"))


def test_truncated_record_by_the_crawler_is_marked(tmp_path):
    with ArchiveWriter(tmp_path, max_file_bytes=10**9) as writer:
        writer.write(exchange("https://berita.example/besar", HTML[:100], truncated="length"))
    (doc,) = iter_warc(next(tmp_path.glob("*.warc.gz")), Settings())
    assert doc.status == "ok" and doc.content == HTML[:100] and "truncated when archived (length)" in doc.reason


def test_rotation_makes_several_closed_readable_files(tmp_path):
    with ArchiveWriter(tmp_path, max_file_bytes=2000) as writer:
        for i in range(6):
            writer.write(exchange(f"https://berita.example/{i}"))
    files = sorted(tmp_path.glob("*.warc.gz"))
    assert len(files) >= 3 and not list(tmp_path.glob("*.open"))
    urls = [d.url for f in files for d in iter_warc(f, Settings())]
    assert urls == [f"https://berita.example/{i}" for i in range(6)]


def test_corrupt_and_truncated_files_fail_cleanly(tmp_path):
    garbage = tmp_path / "rusak.warc.gz"
    garbage.write_bytes(b"this is not a warc file at all\n" * 10)
    (doc,) = iter_warc(garbage, Settings())
    assert doc.status == "failed" and "corrupt" in doc.reason

    with ArchiveWriter(tmp_path / "w", max_file_bytes=10**9) as writer:
        offsets = [writer.write(exchange(f"https://berita.example/{i}", HTML * 20))[1] for i in range(3)]
    whole = next((tmp_path / "w").glob("*.warc.gz")).read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(whole[: offsets[2] + 200])  # inside the last response record
    docs = list(iter_warc(cut, Settings()))
    assert [d.status for d in docs] == ["ok", "ok", "failed"]
    assert "truncated" in docs[-1].reason and docs[-1].source.startswith(f"{cut}#")

    missing = list(iter_warc(tmp_path / "nope.warc", Settings()))
    assert missing[0].status == "failed" and "cannot open" in missing[0].reason


def test_a_killed_writer_leaves_a_recoverable_file(tmp_path):
    script = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from pipeline.collect.warc import ArchiveWriter, Exchange\n"
        "w = ArchiveWriter(Path(sys.argv[1]), max_file_bytes=10**9)\n"
        "for i in range(3):\n"
        "    w.write(Exchange(f'https://berita.example/{i}', (), 200, 'OK', (('Content-Type', 'text/html'),), b'<html>x</html>' * 50))\n"
        "w._fh.write(b'\\x1f\\x8b\\x08\\x00half a record')\n"  # the record being written when it died
        "w._fh.flush()\n"
        "os._exit(9)\n"
    )
    subprocess.run([sys.executable, "-c", script, str(tmp_path)], cwd=REPO, check=False, timeout=60,
                   env={"PYTHONPATH": str(REPO)})
    (left,) = tmp_path.glob("*.open")
    notes = recover_open_files(tmp_path)
    assert len(notes) == 1 and "recovered" in notes[0] and "dropped" in notes[0]
    assert not list(tmp_path.glob("*.open"))
    docs = list(iter_warc(next(tmp_path.glob("*.warc.gz")), Settings()))
    assert [d.status for d in docs] == ["ok"] * 3


def test_reads_arc_files(tmp_path):
    body = b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n" + HTML
    header = b"filedesc://test.arc 0.0.0.0 20260101000000 text/plain 69\n1 0 InternetArchive\nURL IP-address Archive-date Content-type Archive-length\n"
    record = b"http://berita.example/arc 1.2.3.4 20260101000000 text/html " + str(len(body)).encode() + b"\n" + body + b"\n"
    path = tmp_path / "lama.arc"
    path.write_bytes(header + b"\n" + record)
    docs = [d for d in iter_warc(path, Settings())]
    ok = [d for d in docs if d.status == "ok"]
    assert len(ok) == 1 and ok[0].url == "http://berita.example/arc" and ok[0].content == HTML


def test_sniffing():
    assert sniff_media_type(b"  <!DOCTYPE html><html>") == "text/html"
    assert sniff_media_type(b"%PDF-1.5") == "application/pdf"
    assert sniff_media_type(b'<?xml version="1.0"?><rss>') == "application/xml"
    assert sniff_media_type("Inovasi desa berjalan baik.".encode()) == "text/plain"
