"""A raw record's identity and fingerprint: how a later run knows it again (issue 19).

The *identity* names what a record is a version of: the URL for a JSONL or WARC record that
has one (its line number or offset shifts when a line is inserted or a page re-crawled into a
newer archive file), else its source (the file path, ``path#L3``).  The *fingerprint* is the
SHA-1 of what was read (content and metadata, or the failure): a touched but unchanged file
has the same one, a corrected article another.
"""
from __future__ import annotations

import hashlib
from typing import Mapping

from ..records import RawDocument


def source_identity(raw: RawDocument, unit_path: str) -> str:
    if raw.source != unit_path and raw.url and raw.url.strip():
        return "url:" + raw.url.strip()
    return raw.source


def fingerprint(raw: RawDocument) -> str:
    h = hashlib.sha1()
    content = raw.content or b""
    h.update(content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content)
    for value in (raw.url, raw.title, raw.published, raw.outlet, raw.status, raw.reason):
        h.update(b"\0" + (value or "").encode("utf-8", "surrogatepass"))
    return h.hexdigest()


RESUME = ""  # a skip entry that matches whatever the record holds (a killed run stored it)


def already_stored(raw: RawDocument, unit_path: str, skip: Mapping[str, str]) -> bool:
    """Whether ``raw`` needs no processing: stored by a killed run of the same unit signature
    (``skip[source] == RESUME``), or the same version of its identity is stored."""
    if not skip:
        return False
    if skip.get(raw.source) == RESUME:
        return True
    want = skip.get(source_identity(raw, unit_path))
    return bool(want) and want == fingerprint(raw)
