"""Read input files into ``RawDocument`` records.

Inputs are planned into *work units* first (one per plain file, one per JSONL or
WARC file) so that the same units can run in-process or on Dask workers, and so
that an interrupted run can skip what it already stored.  Reading never raises:
an unreadable file becomes a ``RawDocument`` with ``status``/``reason``.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from ..records import RawDocument
from ..settings import ReadSettings, Settings


@dataclass(frozen=True)
class WorkUnit:
    """One input file and how to read it."""

    path: str
    fmt: str  # "html" | "text" | "jsonl" | "warc" | "unsupported"
    size: int
    signature: str  # size + mtime: a changed file is read again


def _fmt_of(path: Path, rs: ReadSettings) -> str:
    name = path.name.lower()
    if name.endswith(rs.extensions_warc):
        return "warc"
    suffix = path.suffix.lower()
    if suffix in rs.extensions_html:
        return "html"
    if suffix in rs.extensions_text:
        return "text"
    if suffix in rs.extensions_jsonl:
        return "jsonl"
    return "unsupported"


def _unit(path: Path, rs: ReadSettings) -> WorkUnit:
    try:
        st = path.stat()
        size, sig = st.st_size, f"{st.st_size}:{st.st_mtime_ns}"
    except OSError as exc:
        size, sig = 0, f"error:{type(exc).__name__}"
    return WorkUnit(str(path), _fmt_of(path, rs), size, sig)


def plan_units(inputs: Iterable[str | Path], settings: Settings) -> list[WorkUnit]:
    """Expand files and folders (recursively) into sorted, de-duplicated work units.

    In folders only known extensions are taken (a corpus folder may hold a
    README or gold.json); a file named explicitly is always a unit, so that an
    unsupported one still gets an ``articles.csv`` row saying why.
    """
    rs = settings.read
    units: dict[str, WorkUnit] = {}
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for f in sorted(files):
                    fp = Path(root) / f
                    if f.startswith(".") or f in rs.ignore_names or _fmt_of(fp, rs) == "unsupported":
                        continue
                    units.setdefault(str(fp), _unit(fp, rs))
        else:
            units.setdefault(str(p), _unit(p, rs))
    return [units[k] for k in sorted(units)]


def read_unit(unit: WorkUnit, settings: Settings) -> Iterator[RawDocument]:
    """Yield the raw documents of one unit; never raises for bad input."""
    rs = settings.read
    path = Path(unit.path)
    if not path.exists():
        yield RawDocument(unit.path, "unknown", b"", status="failed", reason="file not found")
        return
    if unit.fmt == "unsupported":
        yield RawDocument(unit.path, "unknown", b"", status="skipped",
                          reason=f"unsupported file type ({path.suffix or 'no extension'})")
        return
    if unit.fmt == "warc":
        from .warc import iter_warc  # warcio only where WARC files are read

        yield from iter_warc(path, settings)
        return
    if unit.fmt == "jsonl":
        yield from _read_jsonl(path, rs)
        return
    if unit.size > rs.max_input_bytes:
        yield RawDocument(unit.path, unit.fmt, b"", status="skipped",
                          reason=f"file too large ({unit.size / 1e6:.1f} MB > "
                                 f"{rs.max_input_bytes / 1e6:.1f} MB limit)")
        return
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield RawDocument(unit.path, unit.fmt, b"", status="failed",
                          reason=f"unreadable: {type(exc).__name__}: {exc.strerror or exc}")
        return
    yield RawDocument(unit.path, unit.fmt, data)


def _read_jsonl(path: Path, rs: ReadSettings) -> Iterator[RawDocument]:
    """One article per line: ``url``, ``html`` or ``text``, optional ``title``, ``date``."""
    try:
        fh = path.open("rb")
    except OSError as exc:
        yield RawDocument(str(path), "unknown", b"", status="failed",
                          reason=f"unreadable: {type(exc).__name__}: {exc.strerror or exc}")
        return
    with fh:
        for lineno, line in enumerate(fh, start=1):
            source = f"{path}#L{lineno}"
            if not line.strip():
                continue
            if len(line) > rs.max_input_bytes:
                yield RawDocument(source, "unknown", b"", status="skipped",
                                  reason=f"record too large ({len(line) / 1e6:.1f} MB)")
                continue
            try:
                rec = json.loads(line)
                if not isinstance(rec, dict):
                    raise ValueError("a line is not a JSON object")
            except (ValueError, UnicodeDecodeError) as exc:
                yield RawDocument(source, "unknown", line, status="failed",
                                  reason=f"invalid JSON line: {exc}")
                continue
            html, text = rec.get("html"), rec.get("text")
            kind, content = ("html", html) if isinstance(html, str) and html.strip() else ("text", text)
            if not isinstance(content, str):
                yield RawDocument(source, "unknown", b"", url=str(rec.get("url") or ""), status="skipped",
                                  reason="JSONL record has neither html nor text")
                continue
            yield RawDocument(
                source, kind, content,
                url=str(rec.get("url") or ""),
                title=str(rec.get("title") or ""),
                published=str(rec.get("date") or rec.get("published") or ""),
                outlet=str(rec.get("outlet") or rec.get("sitename") or ""),
            )
