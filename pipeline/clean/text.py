"""The text cleaner: boilerplate out, story paragraphs in, bylines to metadata.

Runs on pre-extracted text and on what trafilatura returns from HTML alike.
One pass over the lines with compiled rules from ``corpora/rules/boilerplate.json``:
markup/ad residue, related-story lines (``Baca Juga: ...``), menus and tag
blocks, photo captions, share lines, date-only lines and bylines are dropped
(dates and bylines become metadata), and a paragraph the page printed twice is
kept the first time only.  Every other line is a story paragraph and survives
unchanged apart from whitespace; paragraphs are joined with ``\\n\\n``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..settings import CleanSettings
from .dateline import HAS_LETTER as _HAS_LETTER
from .dateline import UPPER_PLACE as _UPPER_PLACE
from .dateline import parse_dateline
from .dateline import place_like as _place_like
from .dates import date_span, story_date
from .edges import trim_edges
from .normalize import normalize_text
from .rules import Rules, load_rules

_DASH_START = re.compile(r"^[-–—]{1,2}\s+\S")
_SEP_END = re.compile(r"(?:[|,•·]|\s[-–—]+)\s*$")
_SEP_START = re.compile(r"^\s*(?:[|,•·]|[-–—]+\s)")
_HEADER_SEP = re.compile(r"\s*(?:[|•·]|,|\s[-–—]+\s|^[-–—]+\s|\s[-–—]+$)\s*")
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class CleanText:
    """The cleaned story and the metadata the cleaner found in it."""

    text: str
    title: str = ""
    author: str = ""
    dateline: str = ""  # place of the dateline ("Kupang")
    outlet: str = ""  # outlet named in the dateline ("ANTARA", "Kabartimur.com")
    published: str = ""  # ISO date of a date/header line ("- 29 Mei 2023, 06:39 WIB"); see ``date_in_text``
    dropped: tuple[tuple[str, str], ...] = ()  # (rule name, line) of every removed line
    truncated: bool = False

    @property
    def removed(self) -> tuple[tuple[str, int], ...]:
        """How many lines each rule removed, in the order the rules first fired."""
        counts: dict[str, int] = {}
        for rule, _ in self.dropped:
            counts[rule] = counts.get(rule, 0) + 1
        return tuple(counts.items())

    def date_in_text(self, rules_path: str, year_hints: tuple[int, ...] = ()) -> str:
        """The date/header line's date, else the date the story reports from (lazy: costs a scan);
        ``year_hints``: years known from outside the text (the record's date field, the URL)."""
        return self.published or story_date(self.text, rules_path, year_hints)


def _headline_like(line: str, max_chars: int) -> bool:
    """Short, has letters, and no final full stop: a headline, not a story sentence."""
    return len(line) <= max_chars and not line.endswith(".") and bool(_HAS_LETTER.search(line))


def _menu_key(line: str) -> str:
    return line.casefold().strip(" :|-–—•·>»«*#")


def _byline(line: str, rules: Rules) -> tuple[bool, str]:
    """(is a byline line, author found) for ``Editor: X``, ``Pewarta: A | Editor: B`` ..."""
    if len(line) > rules.byline_max_chars:
        return False, ""
    first = rules.byline_key.match(line)
    if not first or first.start() != 0:
        return False, ""
    keys = list(rules.byline_key.finditer(line))
    author = ""
    for i, m in enumerate(keys):
        end = keys[i + 1].start() if i + 1 < len(keys) else len(line)
        value = line[m.end():end].strip(" ,;|/-–—()")
        key = " ".join(m.group("key").casefold().split())
        if value and not author and key in rules.author_keys:
            author = value
    return True, author


def _date_header(line: str, rules: Rules, rules_path: str) -> tuple[str, str, str] | None:
    """``(iso, outlet, place)`` when ``line`` is only a date, or names + a date
    (``SerambiKita.id | Rabu, 15 Mei 2024 | 09:12 WIB``, ``Warta X - Senin, 12 Februari 2024``)."""
    if len(line) > rules.date_header_max_chars or not _DIGIT.search(line):
        return None
    iso, start, end = date_span(line, rules_path)
    if not iso:
        return None
    before = rules.date_header_filler.sub(" ", line[:start]).strip()
    after = rules.date_header_filler.sub(" ", line[end:]).strip()
    # names and date must be set apart by a separator: "Inovasi X Diumumkan 31 Juli 2023" is a headline
    names_before, names_after = before.strip(" ,|-–—·•/"), after.strip(" ,|-–—·•/.")
    if (names_before and not _SEP_END.search(before)) or (names_after and not _SEP_START.match(after)):
        return None
    parts = [p.strip(" ,|-–—·•/") for p in _HEADER_SEP.split(f"{before} | {after}")]
    parts = [p for p in parts if p]
    if len(parts) > 2 or any(not (_place_like(p, 3) or rules.outlet_domain.match(p)) for p in parts):
        return None
    domains = [p for p in parts if rules.outlet_domain.match(p)]
    outlet = domains[0] if domains else (parts[0] if parts else "")
    place = next((p for p in parts if p != outlet), "")
    return iso, outlet, place


def _split_blocks(text: str, rules: Rules) -> tuple[str, list[tuple[str, str]]]:
    """Remove multi-line markup blocks (scripts, ad tags cut over lines) from the whole text."""
    dropped: list[tuple[str, str]] = []
    if "<" not in text:
        return text, dropped
    for name, rx in rules.block:
        def _drop(m: re.Match, name: str = name) -> str:
            dropped.append((name, m.group()[:200]))
            return "\n"
        text = rx.sub(_drop, text)
    return text, dropped


def _line_rule(line: str, rules: Rules) -> str:
    """Name of the first line rule that drops ``line``, or ``""``."""
    if len(line) > rules.line_rules_max_chars:
        return ""
    n = len(line)
    for rule in rules.line_drop:
        if n > rule.max_chars:
            continue
        m = rule.regex.fullmatch(line) if rule.mode == "full" else rule.regex.match(line)
        if m:
            return rule.name
    return ""


def _related(line: str, rules: Rules, hl: int) -> tuple[str, int]:
    """(rule name, headline lines that follow) for "Baca Juga: ..." / a bare "Berita Terkait"."""
    for rel in rules.related:
        m = rel.head.match(line)
        if not m:
            continue
        rest = line[m.end():].strip()
        if not rest:
            return rel.name, rel.follow
        # "Baca juga buku panduan ..." without a separator is a sentence unless it reads as a headline
        if m.group("sep").strip() or _headline_like(rest, hl):
            return rel.name, 0
    return "", 0


def _is_title(par: str, known: str, hl: int) -> bool:
    """The first paragraph repeats the page/producer title (possibly without its " | Site" suffix)."""
    p = par.casefold()
    return p == known or (len(p) >= 20 and _headline_like(par, hl) and (known.startswith(p) or p.startswith(known)))


def _take_title(kept: list[str], rules: Rules, hl: int, take_title: bool, known_title: str) -> str:
    """The title, taken out of ``kept`` (in place): the known title repeated, else a headline first line."""
    known = " ".join(normalize_text(known_title).split()).casefold()
    if known and kept and _is_title(kept[0], known, hl):
        return kept.pop(0)
    if not known and take_title and len(kept) > 1 and _headline_like(kept[0], hl) \
            and not parse_dateline(kept[0], rules) and not _DASH_START.match(kept[1]):
        return rules.trailing_separator.sub("", kept.pop(0))
    return ""


def _published(stamps: list[str], dropped: list, rules_path: str) -> str:
    """The earliest date of the header/byline lines (a page shows today's date and the update after the
    publication), else of the front matter above the lead ("Oleh Redaksi - 21 November 2023")."""
    found = [d for d in stamps if d]
    if not found:
        found = [d for rule, line in dropped if rule == "front_matter" and _DIGIT.search(line)
                 and (d := date_span(line, rules_path)[0])]
    return min(found) if found else ""


def _join_split_dateline(kept: list[str], max_lines: int) -> None:
    """"LUWU UTARA" on its own line, "- Sebanyak ..." on the next: one dateline (in place)."""
    for i in range(min(max_lines, len(kept) - 1)):
        if _UPPER_PLACE.match(kept[i]) and _DASH_START.match(kept[i + 1]):
            kept[i] = f"{kept[i]} {kept.pop(i + 1)}"
            return


def _metadata_paragraphs(kept: list[str], rules: Rules, dropped: list) -> tuple[str, str, str]:
    """Dateline place, dateline outlet and end-code author, taken out of ``kept`` (in place)."""
    place = outlet = author = ""
    for i in range(3):
        if i >= len(kept):
            break
        found = parse_dateline(kept[i], rules)
        if found:
            place, outlet, kept[i] = found
            break
    if kept:
        m = rules.end_code.search(kept[-1])
        if m:
            author = (m.group("author") or "").strip()
            dropped.append(("end_code", m.group().strip()))
            kept[-1] = kept[-1][: m.start()].rstrip()
            if not kept[-1]:
                kept.pop()
    return place, outlet, author


def clean_text(text: str, settings: CleanSettings, take_title: bool = False, known_title: str = "",
               rules: Rules | None = None) -> CleanText:
    """Clean ``text`` (pre-extracted or from trafilatura) with the rules of ``settings.rules_file``.

    ``known_title``: the title the page/producer gave; a first paragraph equal
    to it is removed.  Otherwise, with ``take_title`` (text files), the first
    line becomes the title when it looks like a headline.
    """
    rules = rules or load_rules(settings.rules_file)
    hl = settings.headline_max_chars
    text, dropped = _split_blocks(normalize_text(text), rules)

    kept: list[str] = []
    seen: set[str] = set()
    repeated: set[str] = set()  # second copies dropped: their first copy may be front matter
    author, header_outlet, header_place = "", "", ""
    stamps: list[str] = []  # dates of header and byline lines: the earliest is the publication
    follow = 0  # headline lines still owed to a bare "Baca Juga" / "Berita Terkait"
    for raw in text.split("\n"):
        line = raw
        if "<" in line or "-->" in line or "adsbygoogle" in line or "googletag" in line:
            line = rules.inline.sub(" ", line)
            if not line.strip() and raw.strip():
                dropped.append(("inline_markup", raw.strip()))
        line = " ".join(line.split())
        if not line:
            continue
        if follow:
            if _headline_like(line, hl) and not _byline(line, rules)[0]:
                follow -= 1
                dropped.append(("related_headline", line))
                continue
            follow = 0
        reason = ""
        if len(line) <= rules.max_stray_chars:
            reason = "stray_chars"
        elif _menu_key(line) in rules.menu_words:
            reason = "menu_word"
        else:
            reason, follow = _related(line, rules, hl)
        if not reason:
            is_byline, who = _byline(line, rules)
            if is_byline:
                reason, author = "byline", author or who
                if _DIGIT.search(line):
                    stamps.append(date_span(line, settings.rules_file)[0])
        if not reason:
            header = _date_header(line, rules, settings.rules_file)
            if header:
                reason = "date_header"
                stamps.append(header[0])
                header_outlet, header_place = header_outlet or header[1], header_place or header[2]
        if not reason:
            reason = _line_rule(line, rules)
        if not reason:
            key = line.casefold()
            if key in seen:
                reason = "repeated_paragraph"
                repeated.add(key)
            else:
                seen.add(key)
                if len(kept) < 4:  # a repeat of the first paragraph may come without its dateline
                    found = parse_dateline(line, rules)
                    if found:
                        seen.add(found[2].casefold())
        if reason:
            dropped.append((reason, line))
            continue
        kept.append(line)

    title = _take_title(kept, rules, hl, take_title, known_title)
    _join_split_dateline(kept, rules.edges.front_max_lines)
    kept = trim_edges(kept, rules, hl, dropped, repeated, title or known_title)
    place, outlet, end_author = _metadata_paragraphs(kept, rules, dropped)
    published = _published(stamps, dropped, settings.rules_file)
    body = "\n\n".join(kept)
    truncated = False
    if len(body) > settings.max_text_chars:
        cut = body.rfind("\n\n", 0, settings.max_text_chars)
        body = body[: cut if cut > 0 else settings.max_text_chars]
        truncated = True
    return CleanText(body, title, author or end_author, place or header_place, outlet or header_outlet, published,
                     tuple(dropped), truncated)
