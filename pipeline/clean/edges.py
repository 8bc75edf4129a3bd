"""What sits around the story: front matter, captions, copies and related headlines.

Runs on the paragraphs the line rules kept (``pipeline.clean.text``), with the
shapes of the ``edges`` section of the rule file.  Only short lines at the edges
of the story are touched, and lines that are copies of another line:

- **captions**: a short line closed by a photo credit (``(Foto: X)``, ``(Nama/outlet.id)``);
- **front matter**: everything above a dateline lead (``KOTA, Outlet.com - ...``) in the
  first lines -- captions, standfirsts, taglines, a headline printed again;
  without a dateline, the non-sentences and repeated lines above the first long sentence;
- **copies**: a line found inside another paragraph, the title or a removed caption
  (a pull quote, a caption printed twice, the lead's truncated teaser);
- **related headlines**: a run of bullet headlines after the story, and bare headlines
  (title case, no sentence end) between paragraphs -- never after a line that opens a
  list (``...berikut:``).

A sentence inside the story is never removed by shape alone.
"""
from __future__ import annotations

import re

from .dateline import parse_dateline
from .rules import EdgeRules, Rules

_QUOTES = "\"'“”‘’«»"
_KEY_STRIP = _QUOTES + " .,;:!?-–—|•·"
_CREDIT_SPAN = 160  # characters at the end of a caption that can hold its credit
_CREDIT_HINT = re.compile(r"foto|dok", re.IGNORECASE)  # the credits without "(" or "/" name one of these
_STOP = re.compile(r"[.!?][\"'”’)]*(?:$|\s+(?=\S))")
_ABBREV = re.compile(r"^(?:[A-Z][a-z]{0,2}|[A-Za-z]{1,3}(?:\.[A-Za-z]{1,4})+|[a-z]{1,2})$")  # Drs. H. M.Si. dr.
_LIST_ITEM = re.compile(r"^(?:\d{1,3}[.)]|[a-z][.)]|[-–—•·*▪►‣])\s*\S")
_SEP_END = re.compile(r"\s[|•·]\s*$")
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
_HEADLINE_TAIL = re.compile(r"^\s*(?:[-–—|•·:]\s*)(?P<tail>.{1,60})$")


def sentence_end(line: str) -> bool:
    """A full stop, ``!`` or ``?`` ending the line, or one inside it after a word that is no abbreviation
    (``Drs. H. Nama`` and ``M.Si`` are titles, not sentence ends)."""
    for m in _STOP.finditer(line):
        if m.end() >= len(line):
            return True
        word = line[line.rfind(" ", 0, m.start()) + 1:m.start()].lstrip("(\"'“‘")
        if not _ABBREV.match(word):
            return True
    return False


def _key(line: str) -> str:
    """Case-folded line without the quotes and punctuation at its ends: what a copy shares."""
    return " ".join(line.casefold().split()).strip(_KEY_STRIP)


def headline_like(line: str, max_chars: int) -> bool:
    """Short, has letters, no sentence end: a headline, label or caption fragment, not a story sentence."""
    return len(line) <= max_chars and not sentence_end(line) and bool(_WORD.search(line))


def title_case(line: str, e: EdgeRules) -> bool:
    """Most words capitalised (minor words aside): how headlines, not sentences, are written."""
    words = [w for w in _WORD.findall(line) if w.casefold() not in e.minor_words]
    if len(words) < e.related_min_words:
        return False
    caps = sum(1 for w in words if w[0].isupper())
    return caps >= e.title_case_share * len(words)


def _drop(dropped: list, rule: str, line: str, gone: list[str] | None = None) -> None:
    dropped.append((rule, line))
    if gone is not None:
        gone.append(line)


def _captions(lines: list[str], e: EdgeRules, dropped: list, gone: list[str]) -> list[str]:
    out = []
    for line in lines:
        # a credit is short: only the line's end is searched, and only when it holds "(", "/", foto or dok
        start = max(0, len(line) - _CREDIT_SPAN)
        tail = line[start:]
        if len(line) <= e.caption_max_chars and ("(" in tail or "/" in tail or _CREDIT_HINT.search(tail)) \
                and e.credit_end.search(line, start):
            _drop(dropped, "photo_caption_credit", line, gone)
        else:
            out.append(line)
    return out


def _front(lines: list[str], rules: Rules, hl: int, dropped: list, gone: list[str],
           repeated: set[str]) -> list[str]:
    """Lines above the lead: all of them above a dateline lead, else the non-sentences and copies."""
    e = rules.edges
    n = min(len(lines), e.front_max_lines)
    lead = next((i for i in range(n) if parse_dateline(lines[i], rules)), None)
    if lead and all(len(line) <= e.front_max_chars for line in lines[:lead]):
        for line in lines[:lead]:
            _drop(dropped, "front_matter", line, gone)
        return lines[lead:]
    i = 0
    while i < n and not (sentence_end(lines[i]) and not _SEP_END.search(lines[i])):
        if _LIST_ITEM.match(lines[i]) or ":" in lines[i]:  # a list or a field ("Pelaksana: ...") is content
            return lines
        i += 1
    if i >= len(lines):  # no sentence to lead the story: nothing is known to be above it
        return lines
    out = []
    for line in lines[:i]:
        if headline_like(line, hl) or _SEP_END.search(line) or line.casefold() in repeated:
            _drop(dropped, "front_matter", line, gone)
        else:
            out.append(line)
    return out + lines[i:]


def _copies(lines: list[str], e: EdgeRules, hl: int, dropped: list, gone: list[str], title: str) -> list[str]:
    """Lines found inside another line, the title or a removed caption; a headline printed again with a suffix."""
    keys = [_key(line) for line in lines]
    joined = "\n".join(keys)
    elsewhere = "\n".join([_key(g) for g in gone] + ([_key(title)] if title else []))
    heads = [k for k in elsewhere.split("\n") if len(k) >= e.repeat_min_chars]
    exact: dict[str, int] = {}
    for k in keys:
        exact[k] = exact.get(k, 0) + 1
    out, seen = [], set()
    for line, k in zip(lines, keys):
        copy = False
        if e.repeat_min_chars <= len(k) <= e.repeat_max_chars:
            copy = k in elsewhere or joined.count(k) > exact[k] or (k in seen)
        if not copy and headline_like(line, hl):
            copy = any(k.startswith(h) and _HEADLINE_TAIL.match(k[len(h):]) for h in heads)
        seen.add(k)
        if copy:
            _drop(dropped, "repeated_text", line)
        else:
            out.append(line)
    return out


def _related_bullet(line: str, e: EdgeRules, hl: int) -> bool:
    return bool(e.bullet.match(line)) and headline_like(line, hl) \
        and len(_WORD.findall(line)) >= e.related_min_words


def _tail(lines: list[str], e: EdgeRules, hl: int, dropped: list) -> list[str]:
    """A run of two or more bullet headlines closing the text (not the items of a list it announced)."""
    i = len(lines)
    while i > 0 and _related_bullet(lines[i - 1], e, hl):
        i -= 1
    if len(lines) - i < 2 or (i > 0 and lines[i - 1].rstrip().endswith(":")):
        return lines
    for line in lines[i:]:
        _drop(dropped, "related_bullets", line)
    return lines[:i]


def _bare_headlines(lines: list[str], e: EdgeRules, hl: int, dropped: list) -> list[str]:
    """Two or more short title-case lines without a sentence end closing the text: other stories' headlines.

    Only after the story's last sentence: a title-case line between paragraphs may be the story's own
    subheading, and a long unfinished line is the story cut mid-sentence."""
    i = len(lines)
    while i > 1 and _bare_headline(lines[i - 1], e, hl):
        i -= 1
    if len(lines) - i < 2:  # one title-case line closing a story may be its own last line
        return lines
    if (lines[i - 1].rstrip().endswith(":") or _LIST_ITEM.match(lines[i - 1])):
        return lines  # the items of a list the story announced
    for line in lines[i:]:
        _drop(dropped, "related_headline_bare", line)
    return lines[:i]


def _bare_headline(line: str, e: EdgeRules, hl: int) -> bool:
    return len(line) <= e.bare_headline_max_chars and headline_like(line, hl) and ":" not in line \
        and line[:1] not in _QUOTES \
        and not _LIST_ITEM.match(line) and title_case(line, e)


def trim_edges(lines: list[str], rules: Rules, hl: int, dropped: list, repeated: set[str],
               title: str = "") -> list[str]:
    """``lines`` (story paragraphs after the line rules, title taken) without what sits around the story.

    ``repeated``: case-folded lines the line pass already dropped as second copies (their first copy,
    above the lead, goes too).  Every removal is appended to ``dropped`` as ``(rule, line)``.
    """
    e = rules.edges
    gone: list[str] = []
    lines = _captions(lines, e, dropped, gone)
    lines = _front(lines, rules, hl, dropped, gone, repeated)
    lines = _copies(lines, e, hl, dropped, gone, title)
    lines = _tail(lines, e, hl, dropped)
    return _bare_headlines(lines, e, hl, dropped)


__all__ = ["headline_like", "sentence_end", "title_case", "trim_edges"]
