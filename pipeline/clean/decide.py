"""The decide phase of the clean stage: what the whole run's cleaned articles say together.

Cleaning one page cannot tell a host's template line from a story line, nor a copy from
the first publication; that needs every article of the run (and what earlier runs stored).
``decide`` takes the run's articles after ``clean_document`` and, before any of them is sent
to the extractor:

1. learns each host's boilerplate from repetition (``repetition.learn_and_strip``): the line
   keys of every article are counted first (with the counts stored by earlier runs), then
   each article is stripped by its host's support;
2. decides exact and near duplicates in an order that does not depend on arrival: the
   earliest published first (undated last), then the smallest ``article_id``, then the
   source.  A second input with an id already taken (the same URL or bytes from another
   source) gets its own id (``dedup.mark_repeat``); a story whose text repeats one indexed
   before it is ``skipped`` as ``duplicate of <kept id>``.

Earlier runs are reached through ``CleanState`` (the store implements it; ``core`` hands it
in): a stored story is indexed first, so it stays the kept copy even when a copy published
earlier arrives in a later run (that copy is the duplicate: ids already published never move).
"""
from __future__ import annotations

from typing import Iterable, Protocol, Sequence

from ..records import Article
from ..settings import Settings
from .dedup import DuplicateIndex, mark_repeat
from .repetition import SupportState, learn_and_strip

UNDATED = "\uffff"  # sorts after every ISO date: an undated copy is never preferred to a dated one


class CleanState(Protocol):
    """What the decide phase reads from (and adds to) the state of earlier runs."""

    @property
    def line_support(self) -> SupportState:
        """Per-host counts of the articles carrying each short line (kept across runs)."""

    def has_article(self, article_id: str) -> bool:
        """Whether an article with this id is stored."""

    def iter_dedup_entries(self, params: str) -> Iterable[tuple[str, str, bytes | None, str | None]]:
        """(article_id, content_hash, signature or None, text when no signature) of every stored ok
        story, oldest first; the signature only when it was made under ``params``."""


def arrival_free_order(articles: Sequence[Article]) -> list[int]:
    """Positions of ``articles``, earliest published first, then by ``article_id`` and source."""
    return sorted(range(len(articles)), key=lambda i: (articles[i].published or UNDATED,
                                                       articles[i].article_id, articles[i].source))


def load_index(state: CleanState, settings: Settings) -> DuplicateIndex:
    """An index of the stored stories, from their stored signatures (hashed again only when missing)."""
    index = DuplicateIndex(settings)
    for article_id, content_hash, sig, text in state.iter_dedup_entries(index.params):
        if sig is not None:
            index.add_signature(article_id, content_hash, sig)
        else:  # stored before signatures were kept, or under other MinHash settings
            index.add(article_id, text or "")
    return index


def decide(items: Sequence[tuple[Article, bytes | None]], state: CleanState,
           settings: Settings) -> tuple[list[tuple[Article, bytes | None]], str]:
    """``items`` (article, its signature from ``DuplicateIndex.sign`` or None) decided, in the same
    order: each article stripped of its host's template lines, exact and near duplicates ``skipped``;
    a kept ok story comes with the signature to store.  Also the signatures' ``params``."""
    originals = [a for a, _ in items]
    stripped = learn_and_strip(originals, state.line_support, settings.clean)
    index = load_index(state, settings)
    taken: set[str] = set()
    out: list[tuple[Article, bytes | None]] = [(a, None) for a in stripped]
    for i in arrival_free_order(stripped):
        art = stripped[i]
        sig = items[i][1] if art.content_hash == originals[i].content_hash else None  # text unchanged
        if art.article_id in taken or state.has_article(art.article_id):
            art = mark_repeat(art)
        elif art.ok:
            art = index.check(art, sig)
        taken.add(art.article_id)
        out[i] = (art, index.signature(art.article_id) if art.ok else None)
    return out, index.params


__all__ = ["CleanState", "arrival_free_order", "decide", "load_index"]
