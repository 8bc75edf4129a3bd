"""Unicode normalisation of text before any rule runs.

Pure function, idempotent: NFKC (full-width forms, ligatures, non-breaking and
other Unicode spaces become plain ones), zero-width and control characters
removed, line breaks unified.  Curly quotes are left as written: gold files and
quotes in evidence sentences compare against the article's own characters; only
rare look-alikes that no Indonesian outlet means as anything else are mapped.
"""
from __future__ import annotations

import re
import unicodedata

# Zero-width and invisible format characters (Unicode Cf that carry no text).
_ZERO_WIDTH = "\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff\u180e\u00ad\u034f\u061c" \
              "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u206a\u206b\u206c\u206d\u206e\u206f"
_LINE_BREAKS = {"\r\n": "\n", "\r": "\n", "\u2028": "\n", "\u2029": "\n\n", "\x0b": "\n", "\x0c": "\n",
                "\x85": "\n"}
# Look-alike quotes mapped to the usual curly/straight ones (safe: same meaning).
_QUOTES = {"\u201e": "\u201c", "\u201f": "\u201c", "\u201a": "\u2018", "\u201b": "\u2018",
           "\u2033": '"', "\u2036": '"', "\uff02": '"', "\uff07": "'"}

# C0/C1 controls except tab and newline, and the invisible characters: deleted.
_DROP_CHARS = _ZERO_WIDTH + "".join(chr(c) for c in range(0x20) if c not in (0x09, 0x0A)) \
    + "".join(chr(c) for c in range(0x7F, 0xA0) if c != 0x85)
_DROP_RE = re.compile("[" + re.escape(_DROP_CHARS) + "]+")
_QUOTES_RE = re.compile("[" + "".join(_QUOTES) + "]")
_BREAKS_RE = re.compile("|".join(map(re.escape, sorted(_LINE_BREAKS, key=len, reverse=True))))
_SPACES_RE = re.compile(r"[^\S\n]{2,}|[^\S\n ]")  # runs of / odd whitespace except newline


def _once(text: str) -> str:
    text = _BREAKS_RE.sub(lambda m: _LINE_BREAKS[m.group()], text)
    text = _DROP_RE.sub("", text)
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
        text = _DROP_RE.sub("", text)  # NFKC can expose what it decomposed
        text = _QUOTES_RE.sub(lambda m: _QUOTES[m.group()], text)
    return _SPACES_RE.sub(" ", text)


def _stable(text: str) -> bool:
    return not (_BREAKS_RE.search(text) or _DROP_RE.search(text) or _SPACES_RE.search(text)
                or (not text.isascii() and (_QUOTES_RE.search(text)
                                            or not unicodedata.is_normalized("NFKC", text))))


def normalize_text(text: str) -> str:
    """NFKC + invisible characters removed + every space character a plain space.

    Line structure is kept (``\\n``); runs of spaces become one space.  ``normalize_text(normalize_text(x)) ==
    normalize_text(x)`` for every string.
    """
    if not text:
        return ""
    out = _once(text)
    # Removing a character can join two that NFKC then composes, and NFKC can
    # yield what another step changes (rare): iterate to a fixed point.
    for _ in range(5):
        if _stable(out):
            break
        out = _once(out)
    return out


def has_invisible(text: str) -> bool:
    """True when ``text`` still holds a zero-width/format character (used by tests)."""
    return any(c in _ZERO_WIDTH for c in text)
