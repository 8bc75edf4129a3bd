"""Language of a cleaned text (py3langid; the model loads once per process)."""
from __future__ import annotations


def detect_language(text: str) -> str:
    """ISO 639-1 code of ``text`` (``""`` for text without letters)."""
    if not any(c.isalpha() for c in text[:2000]):
        return ""
    import py3langid

    lang, _score = py3langid.classify(text)
    return lang
