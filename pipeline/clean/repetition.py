"""Per-host boilerplate learnt from repetition.

A short line that recurs across many articles of one host is that outlet's
template (a tagline, a widget label, a promo line), whatever its words.  The
mechanism, with no language in it:

1. ``line_keys(text, settings)``: the normalised keys of an article's short lines
   (at most ``repetition_max_chars``; long sentences are never counted, so a story
   paragraph never becomes a key);
2. a ``SupportState`` (the store keeps it in ``state.sqlite`` so the archive teaches
   more each night; ``MemorySupport`` here for one run and for tests) counts, per
   host, the distinct articles that carry each key;
3. ``strip_repeated(article, support, settings)`` removes the lines whose support
   reaches ``repetition_min_support`` (never below 2: one article teaches nothing),
   only around the story -- above its first and below its last long paragraph --
   and, between them, only lines that are no sentence.

Counts are per host only: a syndicated press release repeats real paragraphs
across outlets, and those survive.  ``learn_and_strip`` adds the keys of all the
articles of a run before it decides anything, so the result never depends on the
order the articles arrived in.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from typing import Iterable, Mapping, Protocol, Sequence
from urllib.parse import urlsplit

from ..records import Article
from ..settings import CleanSettings
from .edges import headline_like

RULE = "host_repeated"
_DIGITS = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")


class SupportState(Protocol):
    """Per-host counts of the distinct articles that carry each line key."""

    def add(self, host: str, article_id: str, keys: Iterable[str]) -> None:
        """Record that ``article_id`` of ``host`` carries ``keys`` (adding it again changes nothing)."""

    def support(self, host: str, keys: Iterable[str]) -> dict[str, int]:
        """``{key: number of distinct articles of host carrying it}`` for the keys asked (0 when unseen)."""


@dataclass
class MemorySupport:
    """``SupportState`` in memory: one run, or a test."""

    _articles: dict[tuple[str, str], set[str]] = field(default_factory=dict)

    def add(self, host: str, article_id: str, keys: Iterable[str]) -> None:
        for key in keys:
            self._articles.setdefault((host, key), set()).add(article_id)

    def support(self, host: str, keys: Iterable[str]) -> dict[str, int]:
        return {key: len(self._articles.get((host, key), ())) for key in keys}


def host_of(url: str) -> str:
    """The host of ``url``, lower-case, without ``www.``; ``""`` without a URL."""
    try:
        host = urlsplit((url or "").strip()).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


def line_key(line: str, settings: CleanSettings) -> str:
    """The key of a short line (case and spacing folded, numbers as ``0``: counters recur), or ``""``."""
    line = _SPACE.sub(" ", line).strip()
    if not line or len(line) > settings.repetition_max_chars:
        return ""
    return _DIGITS.sub("0", line.casefold())


def line_keys(text: str, settings: CleanSettings) -> set[str]:
    """The keys of the short lines of a cleaned text (paragraphs separated by blank lines)."""
    return {k for par in text.split("\n\n") if (k := line_key(par, settings))}


def _min_support(settings: CleanSettings) -> int:
    return max(2, settings.repetition_min_support)


def strip_repeated(article: Article, support: Mapping[str, int], settings: CleanSettings) -> Article:
    """``article`` without the template lines of its host (support at least the minimum), counted in ``removed``."""
    pars = article.text.split("\n\n")
    need = _min_support(settings)
    long_at = [i for i, p in enumerate(pars) if len(p) > settings.repetition_max_chars]
    first, last = (long_at[0], long_at[-1]) if long_at else (len(pars), -1)
    kept, n = [], 0
    for i, par in enumerate(pars):
        key = line_key(par, settings)
        around = i < first or i > last or headline_like(par, settings.headline_max_chars)
        if key and around and support.get(key, 0) >= need:
            n += 1
            continue
        kept.append(par)
    if not n:
        return article
    text = "\n\n".join(kept)
    removed = dict(article.removed)
    removed[RULE] = removed.get(RULE, 0) + n
    return replace(article, text=text, removed=tuple(removed.items()),
                   content_hash=hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest())


def learn_and_strip(articles: Sequence[Article], state: SupportState, settings: CleanSettings) -> list[Article]:
    """Count the keys of every article with a host into ``state``, then strip each article by its host's
    support.  All counts are in before any decision: the same articles give the same result in any order."""
    keyed = []
    for art in articles:
        host = host_of(art.url) if art.ok else ""
        keys = line_keys(art.text, settings) if host else set()
        if keys:
            state.add(host, art.article_id, keys)
        keyed.append((art, host, keys))
    out = []
    for art, host, keys in keyed:
        out.append(strip_repeated(art, state.support(host, keys), settings) if keys else art)
    return out


__all__ = ["MemorySupport", "RULE", "SupportState", "host_of", "learn_and_strip", "line_key", "line_keys",
           "strip_repeated"]
