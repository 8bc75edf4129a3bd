"""Clean: raw documents (HTML or text, any encoding) to story text + metadata.

Public surface (called by ``pipeline.core``):

- ``article_id_for(raw) -> str``
- ``clean_document(raw, settings) -> Article`` (never raises for bad input)
- ``decide(items, state, settings)``: the decide phase over a whole run's cleaned articles, before
  extraction: per-host boilerplate learnt from repetition (``learn_and_strip``), then exact and near
  duplicates decided in an arrival-free order; ``state`` is a ``CleanState`` (the store implements it)
- ``DuplicateIndex(settings)``: ``.sign(text) -> bytes``, ``.check(article, signature) -> Article``,
  ``.add(article_id, text)``
- ``learn_and_strip(articles, support, settings.clean) -> list[Article]`` (``support``: a
  ``SupportState``, the store's or ``MemorySupport``)

Helpers for tests and tools: ``clean_text``, ``normalize_text``.
"""
from __future__ import annotations

from .decide import CleanState, decide
from .dedup import DuplicateIndex
from .document import article_id_for, clean_document
from .normalize import normalize_text
from .repetition import MemorySupport, SupportState, learn_and_strip
from .text import CleanText, clean_text

__all__ = ["CleanState", "CleanText", "DuplicateIndex", "decide", "MemorySupport", "SupportState", "article_id_for", "clean_document",
           "clean_text", "learn_and_strip", "normalize_text"]
