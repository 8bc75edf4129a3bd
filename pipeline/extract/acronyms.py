"""Acronym <-> long form, Schwartz-Hearst style, tolerant of Indonesian syllabic acronyms.

Schwartz & Hearst (2003) accept a long form when every letter of the short form is found,
in order, in the words before it, the first letter opening a word.  Indonesian acronyms
are built from syllables and are often spelt loosely (``Trasy`` for *tracking sistem*), so
instead of all letters we ask for a share of them (``acronym_min_coverage``): the longest
in-order match (an LCS) over the candidate long form, whose first word must open with the
acronym's first letter.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_WORD = re.compile(r"[\w][\w'’/&.-]*")


@dataclass(frozen=True)
class AcronymWords:
    """Function words of long forms (data: ``names.json``): those that never open a long form
    ('dan', 'di', 'untuk', ...) and the lower-case words a short form may contain ('di', 'ke')."""

    not_first: frozenset[str] = frozenset()
    inner: frozenset[str] = frozenset()

    @classmethod
    def from_data(cls, data: dict) -> "AcronymWords":
        return cls(frozenset(data["long_form_not_first_words"]), frozenset(data["short_form_lowercase_words"]))


def letters(short: str) -> str:
    return "".join(c for c in short.lower() if c.isalnum())


def _lcs(a: str, b: str) -> int:
    """Length of the longest common subsequence (a is short; O(len(a)*len(b)))."""
    if not a or not b:
        return 0
    prev = [0] * (len(b) + 1)
    for ca in a:
        cur = [0]
        for j, cb in enumerate(b):
            cur.append(prev[j] + 1 if ca == cb else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def coverage(short: str, long: str) -> float:
    """Share of the short form's letters found in order in the long form (first letter anchored).
    A one-letter prefix ('E-Peken', 'i-Pusnas': elektronik/internet) is not part of the acronym."""
    if len(short) > 3 and short[1] == "-" and short[0].isalpha():
        return max(_coverage(short, long), _coverage(short[2:], long))
    return _coverage(short, long)


def _coverage(short: str, long: str) -> float:
    s = letters(short)
    words = [w.lower() for w in _WORD.findall(long)]
    if not s or not words or words[0][0] != s[0]:
        return 0.0
    rest = "".join(words)[1:]
    return (1 + _lcs(s[1:], rest)) / len(s)


def find_long_form(short: str, before: str, min_coverage: float, words: AcronymWords,
                   max_extra_words: int = 5) -> int | None:
    """Offset in ``before`` where the long form of ``short`` starts, or None.

    ``before`` is the text right before ``(short)``.  The smallest window of trailing words
    that reaches the coverage wins (Schwartz-Hearst prefer the shortest long form)."""
    s = letters(short)
    if len(s) < 2:
        return None
    firsts = {s[0]} | ({short[2].lower()} if len(short) > 3 and short[1] == "-" else set())
    found = list(_WORD.finditer(before))
    max_words = min(len(found), len(s) + max_extra_words)
    for k in range(1, max_words + 1):
        w = found[-k]
        if w.group()[0].lower() not in firsts or w.group().lower() in words.not_first:
            continue
        long = before[w.start():]
        n_letters = len(letters(long))
        if n_letters <= len(s):  # a long form is longer than its acronym
            continue
        if coverage(short, long) >= min_coverage:
            return w.start()
    return None


def is_acronym_like(text: str, words: AcronymWords) -> bool:
    """Short forms: 1-4 words, some capital letter, not a number/date, no sentence inside."""
    t = text.strip()
    if not t or len(t) > 40 or not any(c.isupper() for c in t):
        return False
    parts = t.split()
    if len(parts) > 4 or t[0].isdigit():
        return False
    return all(w[0].isupper() or w[0].isdigit() or w.lower() in words.inner for w in parts)
