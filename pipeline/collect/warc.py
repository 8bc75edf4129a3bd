"""WARC in and out: the crawler's archive of record, and the reader the pipeline uses.

Reading (`iter_warc`) accepts WARC/1.0 and 1.1 (plain or gzip per record) and ARC files,
whoever wrote them: one `RawDocument` per ``response`` or ``resource`` record, source
``path#offset``.  Request, metadata, warcinfo and revisit records carry no article and
are passed over.  A corrupt or truncated record becomes one ``failed`` document and the
reader resumes at the next record that starts cleanly (or stops at the end of the file).

Writing (`ArchiveWriter`) appends request/response pairs to rotating ``.warc.gz`` files.
A file being written is named ``*.warc.gz.open`` and renamed when closed, so readers
never see a half-written file; `recover_open_files` cuts a file left by a killed crawl
back to its last complete record and renames it.
"""
from __future__ import annotations

import io
import os
import re
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipeline.records import RawDocument
from pipeline.settings import Settings

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain"})
OPEN_SUFFIX = ".open"
# Errors a damaged archive can raise while being iterated or decompressed.
_READ_ERRORS = (ArchiveLoadFailed, EOFError, zlib.error, OSError, ValueError, IndexError, KeyError)


# -- reading --------------------------------------------------------------------------------


def iter_warc(path: Path, settings: Settings, name: str | None = None) -> Iterator[RawDocument]:
    """Yield a `RawDocument` for every response/resource record of a WARC or ARC file.

    Sources are ``name#offset`` (``name`` defaults to the path).  A corrupt record is one
    ``failed`` document; reading resumes at the next record that starts cleanly after it."""
    path = Path(path)
    name = name or str(path)
    try:
        fh = open(path, "rb")
    except OSError as exc:
        yield _failed(name, f"cannot open WARC: {exc.strerror or exc}")
        return
    with fh:
        raw_head = fh.read(65536)
        gz = raw_head.startswith(b"\x1f\x8b")
        head = _first_bytes(raw_head) if gz else raw_head
        if not head.startswith((b"WARC/", b"filedesc://")):  # warcio would read any text as lenient ARC
            yield _failed(f"{name}#0", f"corrupt or not a WARC/ARC file (starts with {head[:24]!r})")
            return
        arc = head.startswith(b"filedesc://")
        start: int | None = 0
        while start is not None:
            start = yield from _records_from(fh, start, name, settings.read.max_input_bytes, arc, gz)


def _records_from(fh, start: int, name: str, cap: int, arc: bool, gz: bool):
    """Read records from offset ``start``; return where to resume after a corrupt one (or None)."""
    fh.seek(start)
    records = ArchiveIterator(fh, arc2warc=arc)
    while True:
        offset = records.offset  # where the next record starts
        try:
            record = next(records)
            offset = records.offset
            doc = _document(record, f"{name}#{offset}", cap) if record.rec_type in ("response", "resource") else None
            records.read_to_end()
            missing = getattr(record.raw_stream, "limit", 0)
        except StopIteration:
            size = os.fstat(fh.fileno()).st_size
            if records.offset >= size:
                return None
            # warcio stops quietly at a record it cannot even start to parse
            yield _failed(f"{name}#{records.offset}", f"truncated or corrupt WARC: {size - records.offset} bytes at "
                                                      f"offset {records.offset} are not a complete record")
            return _next_record_start(fh, records.offset + 1, gz)
        except _READ_ERRORS as exc:
            yield _failed(f"{name}#{offset}", f"corrupt or truncated WARC record at offset {offset}: {_brief(exc)}")
            return _next_record_start(fh, offset + 1, gz)
        if missing > 0:  # the data ends inside this record: what was read is incomplete
            yield _failed(f"{name}#{offset}", f"truncated WARC: {record.rec_type} record at offset {offset} "
                                              f"lacks {missing} bytes")
            return _next_record_start(fh, offset + 1, gz)
        if doc is not None:
            yield doc


def _next_record_start(fh, pos: int, gz: bool) -> int | None:
    """Offset of the first record at or after ``pos`` that starts like one, or None.

    A record of a ``.warc.gz`` is a gzip member of its own: the next member whose first
    bytes decompress to a WARC header.  In a plain WARC: a ``WARC/1.x`` line."""
    magic = b"\x1f\x8b\x08" if gz else b"WARC/1."
    while (found := _find(fh, magic, pos)) is not None:
        if _starts_record(fh, found, gz):
            return found
        pos = found + 1
    return None


def _find(fh, needle: bytes, pos: int, chunk: int = 1 << 20) -> int | None:
    fh.seek(pos)
    carry, base = b"", pos  # ``base``: file offset of the first byte of ``carry + data``
    while data := fh.read(chunk):
        buf = carry + data
        i = buf.find(needle)
        if i >= 0:
            return base + i
        carry = buf[-(len(needle) - 1):]
        base += len(buf) - len(carry)
    return None


def _starts_record(fh, at: int, gz: bool) -> bool:
    if not gz and at > 0:
        fh.seek(at - 1)
        if fh.read(1) != b"\n":
            return False
    fh.seek(at)
    head = fh.read(4096)
    if gz:
        head = _first_bytes(head)
    return re.match(rb"WARC/1\.[01]\r?\n[!-9;-~]+:", head) is not None


def _document(record, source: str, cap: int) -> RawDocument:
    url = record.rec_headers.get_header("WARC-Target-URI") or ""
    if record.rec_type == "response":
        http = record.http_headers
        if http is None or not http.protocol.upper().startswith("HTTP"):
            return RawDocument(source, "unknown", b"", url=url, status="skipped", reason="response record without HTTP headers")
        code = http.get_statuscode() or ""
        content_type = http.get_header("Content-Type") or ""
        if code != "200":
            return RawDocument(source, "unknown", b"", url=url, content_type=content_type, status="skipped", reason=f"HTTP {code or '?'}")
    else:
        content_type = record.rec_headers.get_header("Content-Type") or ""
    mime = media_type(content_type)
    if urlsplit(url).path == "/robots.txt":  # archived by crawlers (ours too), never an article
        return RawDocument(source, "unknown", b"", url=url, content_type=content_type, status="skipped", reason="robots.txt, not an article")
    if mime and mime not in HTML_TYPES and mime not in TEXT_TYPES:
        return RawDocument(source, "unknown", b"", url=url, content_type=content_type, status="skipped", reason=f"not HTML/text ({mime})")

    data, decode_note = _read_payload(record, cap + 1)
    notes = [decode_note] if decode_note else []
    if len(data) > cap:
        data = data[:cap]
        notes.append(f"truncated to {cap} bytes (settings.read.max_input_bytes)")
    cut = record.rec_headers.get_header("WARC-Truncated")
    if cut:
        notes.append(f"truncated when archived ({cut})")
    if not mime:
        mime = sniff_media_type(data)
        if mime not in HTML_TYPES and mime not in TEXT_TYPES:
            return RawDocument(source, "unknown", b"", url=url, content_type=content_type, status="skipped", reason=f"not HTML/text ({mime}, sniffed)")
    kind = "html" if mime in HTML_TYPES else "text"
    return RawDocument(source, kind, data, url=url, content_type=content_type or mime, reason="; ".join(notes))


def _read_payload(record, limit: int) -> tuple[bytes, str]:
    """The payload with transfer/content encoding removed; raw bytes where decoding fails.

    A body cut off by a crawler is an incomplete gzip stream: what decompresses is kept.
    """
    raw = record.raw_stream.read(limit * 4 + 65536)  # bounded: encoded data is read at most a few times the cap
    http = record.http_headers if record.rec_type == "response" else None
    if http is None:
        return raw[:limit], ""
    body, note = raw, ""
    if "chunked" in (http.get_header("Transfer-Encoding") or "").lower():
        body, note = _dechunk(body)
    encoding = (http.get_header("Content-Encoding") or "").strip().lower()
    if encoding in ("gzip", "x-gzip", "deflate"):
        try:
            body = bounded_decompress(body, encoding, limit)
        except zlib.error as exc:
            note = f"content-encoding {encoding} could not be decoded ({_brief(exc)}); raw bytes kept"
    elif encoding and encoding != "identity":
        note = f"unsupported content-encoding {encoding}; raw bytes kept"
    return body[:limit], note


def _dechunk(data: bytes) -> tuple[bytes, str]:
    out, pos = bytearray(), 0
    while pos < len(data):
        end = data.find(b"\r\n", pos)
        if end < 0:
            break
        try:
            size = int(data[pos:end].split(b";")[0].strip() or b"0", 16)
        except ValueError:
            return data, "chunked encoding not as declared; raw bytes kept"
        if size == 0:
            return bytes(out), ""
        out += data[end + 2 : end + 2 + size]
        pos = end + 2 + size + 2
    return bytes(out), ""


def bounded_decompress(data: bytes, encoding: str, limit: int) -> bytes:
    """gzip/deflate-decode at most ``limit`` bytes; an incomplete stream yields what it has."""
    if encoding == "deflate":
        try:
            return zlib.decompressobj().decompress(data, limit)
        except zlib.error:
            return zlib.decompressobj(-zlib.MAX_WBITS).decompress(data, limit)  # raw deflate, as some servers send
    return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data, limit)


def media_type(content_type: str) -> str:
    """``text/html; charset=utf-8`` -> ``text/html``."""
    return content_type.split(";", 1)[0].strip().lower()


_SNIFF = (
    (b"%PDF", "application/pdf"),
    (b"\x89PNG", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF8", "image/gif"),
    (b"PK\x03\x04", "application/zip"),
    (b"\x1f\x8b", "application/gzip"),
)
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|title|div|p|article)\b", re.I | re.S)
_XML_ROOT = re.compile(rb"<(rss|feed|urlset|sitemapindex|rdf:RDF)\b")


def sniff_media_type(data: bytes) -> str:
    """A media type guessed from the first bytes (used when no Content-Type was sent)."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf")
    for magic, mime in _SNIFF:
        if head.startswith(magic):
            return mime
    if _HTML_START.match(head):
        return "text/html"
    if head.lstrip().startswith(b"<?xml") or _XML_ROOT.search(head):
        return "text/html" if b"<html" in head.lower() else "application/xml"
    if b"\x00" in head:
        return "application/octet-stream"
    return "text/plain"


def read_record_payload(warc_path: Path, offset: int, limit: int) -> bytes:
    """The decoded payload of the record at ``offset`` (used to re-read an archived feed)."""
    with open(warc_path, "rb") as fh:
        fh.seek(offset)
        record = next(ArchiveIterator(fh))
        return _read_payload(record, limit)[0]


def _first_bytes(gz: bytes) -> bytes:
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(gz, 64)
    except zlib.error:
        return b""


def _failed(source: str, reason: str) -> RawDocument:
    return RawDocument(source, "unknown", b"", status="failed", reason=reason)


def _brief(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}"[:200] if text else type(exc).__name__


# -- writing --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Exchange:
    """One HTTP request and the response to it, as the crawler saw them."""

    url: str
    request_headers: tuple[tuple[str, str], ...]
    status: int
    reason: str
    response_headers: tuple[tuple[str, str], ...]
    body: bytes  # as received (content encoding kept), possibly cut off
    ip: str = ""
    truncated: str = ""  # WARC-Truncated reason: "length", "time", ... or ""
    fetched_at: str = ""  # ISO UTC time of the request
    method: str = "GET"


class ArchiveWriter:
    """Append request/response pairs to rotating ``.warc.gz`` files in one directory.

    Not thread-safe: the crawler writes from its coordinating thread only.
    """

    def __init__(self, directory: Path, *, max_file_bytes: int, prefix: str = "inovasi", software: str = "inovasi-crawler"):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.max_file_bytes = max_file_bytes
        self.prefix = prefix
        self.software = software
        self._fh = None
        self._writer: WARCWriter | None = None
        self._name = ""
        self._seq = 0

    def write(self, exchange: Exchange) -> tuple[str, int]:
        """Archive one exchange; returns (file name, offset of the response record)."""
        if self._fh is not None and self._fh.tell() >= self.max_file_bytes:
            self.close()
        if self._fh is None:
            self._open()
        writer = self._writer
        offset = self._fh.tell()
        writer.write_request_response_pair(_request_record(writer, exchange), _response_record(writer, exchange))
        self._fh.flush()  # a killed crawl loses at most the record being written
        return self._name, offset

    def close(self) -> None:
        if self._fh is None:
            return
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._fh.close()
        os.replace(self.directory / (self._name + OPEN_SUFFIX), self.directory / self._name)
        self._fh, self._writer = None, None

    def __enter__(self) -> "ArchiveWriter":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _open(self) -> None:
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S")
        while True:
            self._seq += 1
            name = f"{self.prefix}-{stamp}-{os.getpid()}-{self._seq:05d}.warc.gz"
            if not (self.directory / name).exists() and not (self.directory / (name + OPEN_SUFFIX)).exists():
                break
        self._name = name
        self._fh = open(self.directory / (name + OPEN_SUFFIX), "xb")
        self._writer = WARCWriter(self._fh, gzip=True)
        info = {"software": self.software, "format": "WARC File Format 1.0", "robots": "obey"}
        self._writer.write_record(self._writer.create_warcinfo_record(name, info))


def _request_record(writer: WARCWriter, ex: Exchange):
    parts = urlsplit(ex.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    http = StatusAndHeaders(f"{ex.method} {target} HTTP/1.1", list(ex.request_headers), is_http_request=True)
    return writer.create_warc_record(ex.url, "request", payload=io.BytesIO(b""), length=0, http_headers=http,
                                     warc_headers_dict=_warc_headers(ex, with_truncation=False))


def _response_record(writer: WARCWriter, ex: Exchange):
    # The body is stored de-chunked, so a Transfer-Encoding header would mislead readers.
    headers = [(k, v) for k, v in ex.response_headers if k.lower() != "transfer-encoding"]
    http = StatusAndHeaders(f"{ex.status} {ex.reason}".strip(), headers, protocol="HTTP/1.1")
    return writer.create_warc_record(ex.url, "response", payload=io.BytesIO(ex.body), length=len(ex.body),
                                     http_headers=http, warc_headers_dict=_warc_headers(ex, with_truncation=True))


def _warc_headers(ex: Exchange, *, with_truncation: bool) -> dict:
    headers = {}
    if ex.fetched_at:
        headers["WARC-Date"] = ex.fetched_at
    if ex.ip:
        headers["WARC-IP-Address"] = ex.ip
    if with_truncation and ex.truncated:
        headers["WARC-Truncated"] = ex.truncated
    return headers


def recover_open_files(directory: Path) -> list[str]:
    """Close ``*.open`` files a killed writer left: cut each at its last whole record, rename.

    Returns one line per file saying what was done.  Call only while holding the crawl lock.
    """
    notes = []
    for path in sorted(Path(directory).glob(f"*.warc.gz{OPEN_SUFFIX}")):
        good_end = _last_complete_end(path)
        size = path.stat().st_size
        final = path.with_name(path.name[: -len(OPEN_SUFFIX)])
        if good_end == 0:
            path.unlink()
            notes.append(f"{path.name}: no complete record, removed")
            continue
        if good_end < size:
            with open(path, "r+b") as fh:
                fh.truncate(good_end)
        os.replace(path, final)
        dropped = size - good_end
        notes.append(f"{final.name}: recovered" + (f", {dropped} bytes of an unfinished record dropped" if dropped else ""))
    return notes


def _last_complete_end(path: Path) -> int:
    """End offset of the last complete gzip member (each record is one member)."""
    end = pos = 0
    decomp = zlib.decompressobj(16 + zlib.MAX_WBITS)
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 16):
            while chunk:
                try:
                    decomp.decompress(chunk, 1 << 20)
                    while decomp.unconsumed_tail:  # drain output in bounded steps (memory stays flat)
                        decomp.decompress(decomp.unconsumed_tail, 1 << 20)
                except zlib.error:
                    return end
                if decomp.eof:
                    rest = decomp.unused_data
                    pos += len(chunk) - len(rest)
                    end = pos
                    decomp = zlib.decompressobj(16 + zlib.MAX_WBITS)
                    chunk = rest
                else:
                    pos += len(chunk)
                    chunk = b""
    return end
