"""Dates written in Indonesian news text, to ISO ``YYYY-MM-DD``.

``29 Mei 2023``, ``Senin (13/2/2023)``, ``Senin, (13/2/2023)``, ``Kamis (25/05/2023)``,
``Senin 25 Oktober 2021``, ISO dates.  Numeric dates count only next to a day
name or in parentheses (otherwise ``3/4`` could be a fraction).  Month and day
names come from the rule file.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from dataclasses import dataclass
from functools import lru_cache



@dataclass(frozen=True)
class DateRules:
    pattern: re.Pattern
    months: dict[str, int]
    min_year: int
    max_year: int
    day_date: re.Pattern  # a day name with its date, the year optional: "Rabu (26/1)", "Senin, 6 Maret 2023"
    weekdays: dict[str, int]  # day name -> Monday=0 ... Sunday=6
    year: re.Pattern  # a year written in the text


@lru_cache(maxsize=8)
def _date_rules(rules_path: str) -> DateRules:
    data = json.loads(Path(rules_path).read_text(encoding="utf-8"))["dates"]
    months = {k.casefold(): int(v) for k, v in data["months"].items()}
    month_alt = "|".join(sorted(map(re.escape, months), key=len, reverse=True))
    day_alt = "|".join(sorted(map(re.escape, data["days"]), key=len, reverse=True))
    firsts = "".join(sorted({d[:1].lower() for d in data["days"]} | {d[:1].upper() for d in data["days"]}))
    day_gate = rf"|\b[{re.escape(firsts)}]" if firsts else ""
    pattern = re.compile(
        # the lookahead lets the scan skip, in one test, every position where no date can
        # open (a digit, a parenthesis or a day name): about twice as fast on dateless text
        rf"(?=[\d(]{day_gate})"
        rf"(?:(?P<iso>\b(?P<iy>\d{{4}})-(?P<im>\d{{1,2}})-(?P<id>\d{{1,2}})\b)"
        rf"|(?P<named>(?<!\d)(?P<nd>\d{{1,2}})\s+(?P<nm>{month_alt})\.?,?\s+(?P<ny>\d{{4}})\b)"
        # a numeric date followed by a time is a page's date stamp ("14/09/2018, 07:25 WIB")
        rf"|(?P<stamp>\b(?P<sd>\d{{1,2}})/(?P<sm>\d{{1,2}})/(?P<sy>\d{{4}}),?\s+\d{{1,2}}[:.]\d{{2}}\b)"
        rf"|(?P<num>(?:\b(?:{day_alt})\b\s*,?\s*\(?\s*|\(\s*)"
        rf"(?P<dd>\d{{1,2}})\s*[/.-]\s*(?P<dm>\d{{1,2}})\s*[/.-]\s*(?P<dy>\d{{4}}|\d{{2}})\b))",
        re.IGNORECASE,
    )
    day_date = re.compile(
        rf"\b(?P<day>{day_alt})\b\s*,?\s*(?:\(\s*)?(?:"
        rf"(?P<d>\d{{1,2}})\s*[/.-]\s*(?P<m>\d{{1,2}})(?:\s*[/.-]\s*(?P<y>\d{{4}}|\d{{2}}))?(?!\s*[/.-]?\d)"
        rf"|(?P<nd>\d{{1,2}})\s+(?P<nm>{month_alt})\b\.?(?:,?\s*(?P<ny>\d{{4}})\b)?)",
        re.IGNORECASE,
    )
    weekdays = {k.casefold(): int(v) for k, v in data["weekdays"].items()}
    return DateRules(pattern, months, int(data["min_year"]), int(data["max_year"]), day_date, weekdays,
                     re.compile(r"(?<![\d/.,-])(?:19|20)\d{2}(?![\d/.,]\d)"))


def _make(rules: DateRules, y: str, m: int | str, d: str) -> str:
    year = int(y)
    if year < 100:
        year += 2000
    if not rules.min_year <= year <= rules.max_year:
        return ""
    try:
        return dt.date(year, int(m), int(d)).isoformat()
    except ValueError:
        return ""


def _from_match(rules: DateRules, m: re.Match) -> str:
    if m.group("iso"):
        return _make(rules, m.group("iy"), m.group("im"), m.group("id"))
    if m.group("named"):
        return _make(rules, m.group("ny"), rules.months[m.group("nm").casefold()], m.group("nd"))
    if m.group("stamp"):
        return _make(rules, m.group("sy"), m.group("sm"), m.group("sd"))
    return _make(rules, m.group("dy"), m.group("dm"), m.group("dd"))


def date_span(text: str, rules_path: str) -> tuple[str, int, int]:
    """(ISO date, start, end) of the first valid date in ``text``, or ``("", -1, -1)``."""
    rules = _date_rules(rules_path)
    for m in rules.pattern.finditer(text):
        iso = _from_match(rules, m)
        if iso:
            return iso, m.start(), m.end()
    return "", -1, -1


def find_date(text: str, rules_path: str, limit: int = 20_000) -> str:
    """The first valid date in ``text`` (the first ``limit`` chars) as ISO, or ``""``."""
    rules = _date_rules(rules_path)
    for m in rules.pattern.finditer(text[:limit]):
        iso = _from_match(rules, m)
        if iso:
            return iso
    return ""


def _years(text: str, rules: DateRules, hints: tuple[int, ...]) -> list[int]:
    """Years a day-name date may fall in: those written in the text or hinted (latest first), then the
    year before each (a story announces next year's programme: "KIPP 2024" written in 2023)."""
    found = {int(y) for y in rules.year.findall(text)} | set(hints)
    found = {y for y in found if rules.min_year <= y <= rules.max_year}
    return sorted(found, reverse=True) + sorted({y - 1 for y in found} - found, reverse=True)


def _day_date(rules: DateRules, m: re.Match, years: list[int]) -> str:
    """The ISO date of a day-name date; without a year, the latest year of the text whose calendar puts
    that day on that weekday (``Rabu (5/7)`` in a text about 2023 is 2023-07-05, a Wednesday)."""
    day, month = (m.group("d"), m.group("m")) if m.group("d") else (m.group("nd"), rules.months[m.group("nm").casefold()])
    year = m.group("y") or m.group("ny")
    if year:
        return _make(rules, year, month, day)
    weekday = rules.weekdays.get(m.group("day").casefold().replace("'", ""))
    for y in years:
        iso = _make(rules, str(y), month, day)
        if iso and dt.date.fromisoformat(iso).weekday() == weekday:
            return iso
    return ""


def story_date(text: str, rules_path: str, year_hints: tuple[int, ...] = (), limit: int = 20_000) -> str:
    """The date a story reports from: the latest day-name date (``kata X, Rabu (26/1)``; the year from
    the text or ``year_hints``), else the first date written in it.  Publication follows what it reports."""
    rules = _date_rules(rules_path)
    text = text[:limit]
    years = _years(text, rules, year_hints)
    dated = [iso for m in rules.day_date.finditer(text) if (iso := _day_date(rules, m, years))]
    return max(dated) if dated else find_date(text, rules_path, limit)


_URL_DATE = re.compile(r"/(?P<y>(?:19|20)\d{2})[/-](?P<m>\d{1,2})[/-](?P<d>\d{1,2})(?=[/_-]|$)"
                       r"|/(?P<y2>(?:19|20)\d{2})(?P<m2>[01]\d)(?P<d2>[0-3]\d)(?=/)")


def url_date(url: str, rules_path: str) -> str:
    """A date in the URL path (``/2020/07/15/judul``, ``/20200715/``) as ISO, or ``""``."""
    m = _URL_DATE.search(url.split("?", 1)[0]) if url else None
    if not m:
        return ""
    rules = _date_rules(rules_path)
    if m.group("y"):
        return _make(rules, m.group("y"), m.group("m"), m.group("d"))
    return _make(rules, m.group("y2"), m.group("m2"), m.group("d2"))


def to_iso(value: str, rules_path: str) -> str:
    """A producer's date (``2023-05-29T10:00+07:00``, ``29 Mei 2023``, ...) as ISO, or ``""``."""
    value = (value or "").strip()
    if not value:
        return ""
    rules = _date_rules(rules_path)
    m = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", value)
    if m:
        return _make(rules, *m.groups())
    m = re.match(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b", value)
    if m:
        return _make(rules, m.group(3), m.group(2), m.group(1))
    return find_date(value, rules_path, limit=200)


__all__ = ["date_span", "find_date", "story_date", "to_iso", "url_date"]
