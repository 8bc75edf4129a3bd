"""Clean: raw documents (HTML or text, any encoding) to story text + metadata.

Public surface (called by ``pipeline.core``):

- ``article_id_for(raw) -> str``
- ``clean_document(raw, settings) -> Article`` (never raises for bad input)
- ``DuplicateIndex(settings)``: ``.check(article) -> Article``, ``.add(article_id, text)``

Helpers for tests and tools: ``clean_text``, ``normalize_text``.
"""
from __future__ import annotations

from .dedup import DuplicateIndex
from .document import article_id_for, clean_document
from .normalize import normalize_text
from .text import CleanText, clean_text

__all__ = ["CleanText", "DuplicateIndex", "article_id_for", "clean_document", "clean_text", "normalize_text"]
