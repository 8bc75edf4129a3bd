"""What the bytes really are, and their text: sniffing and decoding.

The extension is only a hint.  Binary payloads (PDF, images, archives, NUL
bytes) are refused with a reason; HTML saved as ``.txt`` is handled as HTML and
plain text saved as ``.html`` as text.  Decoding: BOM first, then UTF-8, then
the page's own ``<meta charset>``, then Windows-1252, then charset-normalizer;
Windows-1252 mojibake (``â€œ``) in otherwise-UTF-8 text is repaired.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from .rules import Rules

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([\w.:-]{2,40})""", re.IGNORECASE)
_MOJIBAKE = re.compile("[\u00c2\u00c3\u00e2][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2020\u2021\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
SNIFF_BYTES = 4096


@dataclass(frozen=True)
class Decoded:
    """Decoded text and what it is; ``skip`` holds the reason when it is unusable."""

    text: str = ""
    kind: str = ""  # "html" | "text"
    encoding: str = ""
    skip: str = ""  # e.g. "empty input", "binary content (pdf)"
    notes: tuple[str, ...] = ()


def binary_kind(head: bytes, rules: Rules) -> str:
    """Name of the binary format ``head`` starts with, or ``""``."""
    for name, magic, then_digit in rules.magic:
        if head.startswith(magic) and (not then_digit or head[len(magic):len(magic) + 1].isdigit()):
            return name
    return ""


def _utf16_without_bom(data: bytes) -> str:
    """``utf-16-le``/``-be`` when every other byte is NUL (ASCII-range UTF-16), else ``""``."""
    sample = data[:SNIFF_BYTES] if len(data) >= 2 else b""
    if len(sample) < 8:
        return ""
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.8 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.8 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return ""


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 read as Windows-1252 (``â€œ`` -> ``“``) when the whole text round-trips."""
    # substring tests are C-fast; the regex only runs where a telltale lead byte is present
    if not ("\u00e2\u20ac" in text or "\u00c3" in text or "\u00c2" in text) or not _MOJIBAKE.search(text):
        return text
    try:
        # bytes cp1252 leaves undefined (0x81, 0x8d, 0x8f, 0x90, 0x9d) were read as U+0081...: map them back
        fixed = text.encode("cp1252", errors=_C1_BACK).decode("utf-8")
    except UnicodeError:
        return text
    return fixed


def _c1_back(exc: UnicodeEncodeError) -> tuple[bytes, int]:
    bad = exc.object[exc.start:exc.end]
    if all(0x80 <= ord(c) <= 0x9f for c in bad):
        return bytes(ord(c) for c in bad), exc.end
    raise exc


_C1_BACK = "inovasi-c1-back"
codecs.register_error(_C1_BACK, _c1_back)


def _decode(data: bytes) -> tuple[str, str, list[str]]:
    notes: list[str] = []
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(enc, errors="replace"), enc, notes
    enc16 = _utf16_without_bom(data)
    if enc16:
        return data.decode(enc16, errors="replace"), enc16, notes
    try:
        return data.decode("utf-8"), "utf-8", notes
    except UnicodeDecodeError:
        pass
    m = _META_CHARSET.search(data[:SNIFF_BYTES * 4])
    if m:
        enc = m.group(1).decode("ascii", "ignore").lower()
        try:
            codecs.lookup(enc)
            text = data.decode(enc)
            return text, enc, notes
        except (LookupError, UnicodeDecodeError):
            notes.append(f"declared charset {enc} did not decode")
    # Indonesian sites that are not UTF-8 are Windows-1252/Latin-1.  charset-normalizer
    # names a cousin code page (cp1257, mac_roman...) for short Latin texts, which turns
    # "Café" into "Cafķ": prefer cp1252 whenever it decodes, ask charset-normalizer otherwise.
    try:
        return data.decode("cp1252"), "cp1252", notes
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # only for the rare non-UTF-8, non-cp1252 file

    best = from_bytes(data[:200_000]).best()
    if best is not None and best.encoding:
        return data.decode(best.encoding, errors="replace"), best.encoding, notes
    notes.append("encoding unknown; read as cp1252 with replacement characters")
    return data.decode("cp1252", errors="replace"), "cp1252", notes


def looks_like_html(text: str, rules: Rules, strict: bool = False) -> bool:
    """HTML when it carries html/head/body tags or (``strict=False``) starts like markup.

    Ad snippets pasted into a text file (``<iframe>``, ``<script>``) do not make it
    HTML: for a ``.txt`` file (strict) only a document-level tag counts.
    """
    head = text[:SNIFF_BYTES]
    if rules.html_document.search(head):
        return True
    return not strict and bool(rules.html_start.match(head))


def sniff_decode(content: bytes | str, kind_hint: str, rules: Rules) -> Decoded:
    """Decode ``content`` and decide html/text regardless of extension; never raises for bad bytes."""
    notes: list[str] = []
    if isinstance(content, str):
        text, enc = content, "str"
        if not text:
            return Decoded(skip="empty input")
        if text[:SNIFF_BYTES].count("\x00") > len(text[:SNIFF_BYTES]) // 200:
            return Decoded(skip="binary content (NUL characters)")
    else:
        data = content
        if not data:
            return Decoded(skip="empty input")
        if not data.strip():
            return Decoded(skip="empty input (whitespace only)")
        kind = binary_kind(data[:16], rules)
        if kind:
            return Decoded(skip=f"binary content ({kind})")
        text, enc, notes = _decode(data)
        wide = enc.startswith(("utf-16", "utf-32"))  # NUL bytes are part of those encodings
        if not wide and data[:SNIFF_BYTES].count(0) > len(data[:SNIFF_BYTES]) // 200:
            # a stray NUL in a long text is dropped by normalisation; many mean a binary file
            return Decoded(skip="binary content (NUL bytes)")
    if not text.strip():
        return Decoded(skip="empty input (whitespace only)")
    sample = text[:SNIFF_BYTES]
    if len(_CONTROL.findall(sample)) > max(8, len(sample) // 50):
        return Decoded(skip="binary content (control characters)")
    fixed = repair_mojibake(text)
    if fixed is not text:
        notes.append("repaired cp1252 mojibake")
        text = fixed
    if looks_like_html(text, rules, strict=kind_hint == "text"):
        kind = "html"
        if kind_hint == "text":
            notes.append("HTML content in a text file: read as HTML")
    elif kind_hint == "html" and rules.any_tag.search(sample):
        kind = "html"  # a fragment of markup without <html>/<body>: still HTML
    else:
        kind = "text"
        if kind_hint == "html":
            notes.append("plain text in an HTML file: read as text")
    return Decoded(text=text, kind=kind, encoding=enc, notes=tuple(notes))
