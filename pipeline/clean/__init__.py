"""Clean: raw documents (HTML or text, any encoding) to story text + metadata.

Public surface (called by ``pipeline.core``):

- ``article_id_for(raw) -> str``
- ``clean_document(raw, settings) -> Article`` (never raises for bad input)
- ``DuplicateIndex(settings)``: ``.check(article) -> Article``, ``.add(article_id, text)``
- ``learn_and_strip(articles, state, settings.clean) -> list[Article]``: per-host boilerplate learnt
  from repetition, for the decide phase (``state``: a ``SupportState``, e.g. the store's; ``MemorySupport``)

Helpers for tests and tools: ``clean_text``, ``normalize_text``.
"""
from __future__ import annotations

from .dedup import DuplicateIndex
from .document import article_id_for, clean_document
from .normalize import normalize_text
from .repetition import MemorySupport, SupportState, learn_and_strip
from .text import CleanText, clean_text

__all__ = ["CleanText", "DuplicateIndex", "MemorySupport", "SupportState", "article_id_for", "clean_document",
           "clean_text", "learn_and_strip", "normalize_text"]
