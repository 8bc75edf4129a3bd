"""Language of a cleaned text.

A fast path decides clear Indonesian prose by its share of Indonesian function words
(a word list in ``corpora/rules/language.json``, found through ``settings.clean.language_file``); only unclear texts go to the
statistical model (py3langid, loaded once per process).  Malay shares many function
words, but the run accepts ``ms`` as Indonesian anyway (``settings.clean.languages``).
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from ..settings import CleanSettings

_WORD = re.compile(r"[^\W\d_]+")
_DEFAULT = CleanSettings().language_file


@lru_cache(maxsize=4)
def _rules(path: str) -> tuple[frozenset[str], float, int]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return frozenset(data["indonesian_function_words"]), float(data["indonesian_min_share"]), int(data["min_words"])


def looks_indonesian(text: str, rules_file: str = _DEFAULT) -> bool:
    """True when the share of Indonesian function words (``settings.clean.language_file``) leaves no doubt."""
    words, min_share, min_words = _rules(rules_file)
    tokens = _WORD.findall(text.casefold())
    if len(tokens) < min_words:
        return False
    return sum(map(words.__contains__, tokens)) / len(tokens) >= min_share


def detect_language(text: str, rules_file: str = _DEFAULT) -> str:
    """ISO 639-1 code of ``text`` (``""`` for text without letters)."""
    if not any(c.isalpha() for c in text[:2000]):
        return ""
    if looks_indonesian(text, rules_file):
        return "id"
    import py3langid

    lang, _score = py3langid.classify(text)
    return lang
