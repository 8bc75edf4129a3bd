"""Read input files into ``RawDocument`` records.

Inputs are planned into *work units* first (one per plain file, one per JSONL or
WARC file) so that the same units can run in-process or on Dask workers, and so
that an interrupted run can skip what it already stored.  Reading never raises:
an unreadable file becomes a ``RawDocument`` with ``status``/``reason``.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Iterator

from ..records import RawDocument
from ..settings import ReadSettings, Settings


@dataclass(frozen=True)
class WorkUnit:
    """One input file (or a folder that could not be listed) and how to read it."""

    path: str  # identity: the resolved path as text any table can hold (see `identity`)
    fmt: str  # "html" | "text" | "jsonl" | "warc" | "unsupported" | "folder" (unreadable)
    size: int
    signature: str  # size + mtime: a changed file is read again
    fs_path: str = ""  # the path on disk where it is not ``path`` (a name that is not UTF-8)
    reason: str = ""  # why a "folder" unit could not be listed
    start: int = 0  # JSONL: byte offset to read from (the earlier part is stored and unchanged)
    first_line: int = 1  # JSONL: the line number at ``start``

    @property
    def disk_path(self) -> Path:
        return Path(self.fs_path or self.path)


def identity(path: str | Path) -> str:
    """The resolved, absolute path as UTF-8-safe text: the key an input is known by.

    ``corpus`` and ``/home/x/corpus`` (or a symlink to it) are one input.  A name that is not
    UTF-8 (zip files from Windows) keeps its undecodable bytes as ``\\xNN`` escapes, so the
    log, the tables and SQLite can hold it; the unit's ``fs_path`` still opens the file.
    """
    return os.fsencode(Path(path).resolve()).decode("utf-8", "backslashreplace")


def repair_text(text: str) -> str:
    """``text`` unchanged when it can be written as UTF-8; else lone surrogates (a cut emoji
    escape in JSON, ``"\\ud83d"``) become U+FFFD and split surrogate pairs are joined."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


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
    key, real = identity(path), str(path.resolve())
    try:
        st = path.stat()
        size, sig = st.st_size, f"{st.st_size}:{st.st_mtime_ns}"
    except OSError as exc:
        size, sig = 0, f"error:{type(exc).__name__}"
    return WorkUnit(key, _fmt_of(path, rs), size, sig, "" if real == key else real)


def _unreadable(folder: Path, exc: OSError) -> WorkUnit:
    key, real = identity(folder), str(folder.resolve())
    return WorkUnit(key, "folder", 0, f"unreadable:{exc.errno}", "" if real == key else real,
                    f"unreadable folder: {type(exc).__name__}: {exc.strerror or exc}")


def plan_units(inputs: Iterable[str | Path], settings: Settings,
               exclude: Iterable[str | Path] = ()) -> list[WorkUnit]:
    """Expand files and folders (recursively) into sorted, de-duplicated work units.

    In folders only known extensions are taken (a corpus folder may hold a README or
    gold.json); a file named explicitly is always a unit, so that an unsupported one still
    gets an ``articles.csv`` row saying why.  Symlinked folders are followed, each folder
    read once (loops end); a folder that cannot be listed is a unit that reads as one
    ``failed`` row; folders in ``exclude`` (the run's own output folder) are never entered.
    """
    rs = settings.read
    skip = {identity(e) for e in exclude}
    units: dict[str, WorkUnit] = {}
    visited: set[tuple[int, int]] = set()
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            if identity(p) not in skip:
                _walk(p, rs, skip, units, visited)
        else:
            units.setdefault(identity(p), _unit(p, rs))
    return [units[k] for k in sorted(units)]


def _walk(root: Path, rs: ReadSettings, skip: set[str], units: dict[str, WorkUnit],
          visited: set[tuple[int, int]]) -> None:
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            st = folder.stat()
            if (st.st_dev, st.st_ino) in visited:  # reached again through a symlink: read once
                continue
            visited.add((st.st_dev, st.st_ino))
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            units.setdefault(identity(folder), _unreadable(folder, exc))
            continue
        for entry in reversed(entries):
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            if _is_dir(entry):
                if identity(path) not in skip:
                    stack.append(path)
            elif entry.name not in rs.ignore_names and _fmt_of(path, rs) != "unsupported":
                units.setdefault(identity(path), _unit(path, rs))


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()  # follows symlinks
    except OSError:
        return False


def read_unit(unit: WorkUnit, settings: Settings) -> Iterator[RawDocument]:
    """Yield the raw documents of one unit; never raises for bad input.  Every text field
    can be written as UTF-8 (see `repair_text`)."""
    for doc in _read(unit, settings):
        yield _repaired(doc)


def _repaired(doc: RawDocument) -> RawDocument:
    changes = {}
    for name in ("source", "content", "url", "title", "published", "outlet", "reason"):
        value = getattr(doc, name)
        if isinstance(value, str) and (fixed := repair_text(value)) is not value:
            changes[name] = fixed
    return replace(doc, **changes) if changes else doc


def _read(unit: WorkUnit, settings: Settings) -> Iterator[RawDocument]:
    rs = settings.read
    path = unit.disk_path
    if unit.fmt == "folder":
        yield RawDocument(unit.path, "unknown", b"", status="failed", reason=unit.reason)
        return
    if not path.exists():
        yield RawDocument(unit.path, "unknown", b"", status="failed", reason="file not found")
        return
    if unit.fmt == "unsupported":
        yield RawDocument(unit.path, "unknown", b"", status="skipped",
                          reason=f"unsupported file type ({path.suffix or 'no extension'})")
        return
    if unit.fmt == "warc":
        from .warc import iter_warc  # warcio only where WARC files are read

        yield from iter_warc(path, settings, name=unit.path)
        return
    if unit.fmt == "jsonl":
        yield from _read_jsonl(path, rs, unit.path, unit.start, unit.first_line)
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


def _read_jsonl(path: Path, rs: ReadSettings, name: str, start: int = 0, first_line: int = 1) -> Iterator[RawDocument]:
    """One article per line: ``url``, ``html`` or ``text``, optional ``title``, ``date``; from
    byte ``start`` (line ``first_line``) when the part before it was read already."""
    try:
        fh = path.open("rb")
    except OSError as exc:
        yield RawDocument(name, "unknown", b"", status="failed",
                          reason=f"unreadable: {type(exc).__name__}: {exc.strerror or exc}")
        return
    with fh:
        if start:
            fh.seek(start)
        for lineno, line in enumerate(fh, start=first_line):
            source = f"{name}#L{lineno}"
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
