"""Sentence boundaries that understand news pages: lines, list items, abbreviations, quotes.

Works on the raw string (character offsets) so that it costs one regex pass per text;
the spaCy component maps the offsets onto tokens.  Lines that are boilerplate
(``Baca Juga: ...``) and headline-like lines are flagged, not dropped, so offsets stay true.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_END = re.compile(r"[.!?]+[\"”’')\]]*(?=\s+[\"“‘(\[]?[A-Z0-9])")
_LINE = re.compile(r"[^\n]+")
_ALPHA_WORD = re.compile(r"[A-Za-z][\w'’/-]*")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    kind: str = "text"  # "text", "item" (list item), "headline", "boilerplate"


@dataclass(frozen=True)
class SentenceRules:
    abbreviations: frozenset[str]
    boilerplate_prefixes: tuple[str, ...]
    list_item: re.Pattern

    @classmethod
    def from_data(cls, data: dict) -> "SentenceRules":
        return cls(
            abbreviations=frozenset(a.lower().rstrip(".") for a in data["abbreviations"]),
            boilerplate_prefixes=tuple(p.lower() for p in data["boilerplate_prefixes"]),
            list_item=re.compile(data["list_item_regex"]),
        )


def _line_kind(line: str, rules: SentenceRules) -> str:
    low = line.strip().lower()
    if low.startswith(rules.boilerplate_prefixes):
        return "boilerplate"
    if rules.list_item.match(line):
        return "item"
    if is_headline_like(line):
        return "headline"
    return "text"


def is_headline_like(line: str) -> bool:
    """Title Case line without closing punctuation: a headline, where every word is capitalised
    and 'inovasi X Y' cannot tell the name from the verb after it."""
    s = line.strip()
    if not s or s[-1] in ".!?:\"”;,":
        return False
    words = _ALPHA_WORD.findall(re.sub(r"\([^)]*\)", " ", s))
    if len(words) < 4:
        return False
    caps = sum(1 for w in words if w[0].isupper())
    return caps / len(words) >= 0.75


def split_sentences(text: str, rules: SentenceRules) -> list[Sentence]:
    out: list[Sentence] = []
    for m in _LINE.finditer(text):
        line = m.group()
        if not line.strip():
            continue
        base = m.start()
        kind = _line_kind(line, rules)
        if kind in ("boilerplate", "item", "headline"):
            out.append(_mk(text, base, m.end(), kind))
            continue
        start = 0
        for e in _END.finditer(line):
            word = _word_before(line, e.start()).lower().rstrip(".")
            last = word.rsplit(".", 1)[-1]
            if word in rules.abbreviations or last in rules.abbreviations or (len(last) == 1 and last.isalpha()):
                continue
            if word.isdigit() and not line[start:e.start()].strip(" 0123456789"):
                continue  # "1." opening a list item
            out.append(_mk(text, base + start, base + e.end(), "text"))
            start = e.end()
        if line[start:].strip():
            out.append(_mk(text, base + start, m.end(), "text"))
    return out


def _word_before(line: str, end: int) -> str:
    """The run of word characters and dots that ends at ``end`` (walked back: a regex
    anchored at ``end`` would be tried from every earlier position of the line)."""
    i = end
    while i > 0 and (line[i - 1].isalnum() or line[i - 1] in "._"):
        i -= 1
    return line[i:end]


def _mk(text: str, start: int, end: int, kind: str) -> Sentence:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Sentence(start, end, text[start:end], kind)
