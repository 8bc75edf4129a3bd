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
        rf"|(?P<named>\b(?P<nd>\d{{1,2}})\s+(?P<nm>{month_alt})\.?,?\s+(?P<ny>\d{{4}})\b)"
        rf"|(?P<num>(?:\b(?:{day_alt})\b\s*,?\s*\(?\s*|\(\s*)"
        rf"(?P<dd>\d{{1,2}})\s*[/.-]\s*(?P<dm>\d{{1,2}})\s*[/.-]\s*(?P<dy>\d{{4}}|\d{{2}})\b))",
        re.IGNORECASE,
    )
    return DateRules(pattern, months, int(data["min_year"]), int(data["max_year"]))


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


__all__ = ["date_span", "find_date", "to_iso"]
