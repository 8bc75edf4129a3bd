"""Replication at scale: one government replicates, adopts or is granted several innovations.

Shapes (verbs, counts and joining words are data: ``lists`` in corpora/patterns/replications.json):

  statement + list   Z mereplikasi tujuh aplikasi ..., yaitu A, B dan C
                     N inovasi yang akan direplikasi (oleh Z) yakni A dari Y1; B atau <...> dari Y2
  statement, then    N inovasi akan direplikasi oleh Z.  [...]  N inovasi tersebut yakni A dari
  a list sentence    Y1, B (<long form>) dari Y2, ...   (within ``window`` sentences; a list cut
                     short of its count goes on in a sentence opened by 'Selanjutnya,')
  grant              Y menghibahkan aplikasi A, B, dan C ... kepada Z

Each item is one replication with Z as ``target_region`` and no new name; the item's name is
read up to its description ('atau ...', '(long form)', 'berupa ...'), its origin after
'dari'/'milik' ('dari Kota Y', 'dari Puskesmas P Kab. Q') owns it -- never Z.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..gazetteer import Gazetteer
from .acronyms import coverage
from .names import NameRules, name_like, norm, reject_reason, take_name
from .owners import AgencyRules, agency_spans

_NEVER = re.compile("(?!)")
_PAREN = re.compile(r"\s*\(([^()]{1,200})\)")


@dataclass(frozen=True)
class ListRules:
    verb: re.Pattern = _NEVER  # mereplikasi / diadopsi / komitmen replikasi inovasi ...
    grant: re.Pattern = _NEVER  # menghibahkan aplikasi ...
    grant_to: re.Pattern = _NEVER  # ... kepada Z
    count: re.Pattern = _NEVER  # 'tujuh aplikasi': group 1 is the count
    intro: re.Pattern = _NEVER  # after the verb: ', yaitu '
    lead: re.Pattern = _NEVER  # a sentence opening a list: 'Delapan inovasi tersebut yakni '
    continuation: re.Pattern = _NEVER  # 'Selanjutnya, '
    item_lead: re.Pattern = _NEVER  # 'inovasi yang berjudul ', 'aplikasi '
    head_end: re.Pattern = _NEVER  # where an item's name ends
    joiner: re.Pattern = _NEVER  # ' dan ', ' serta '
    origin: re.Pattern = _NEVER  # 'dari ', 'milik '
    glue: re.Pattern = _NEVER  # 'se-Kalimantan Barat': the region after a glued prefix
    counts: tuple[tuple[str, int], ...] = ()
    window: int = 3
    max_words: int = 6

    @classmethod
    def from_data(cls, data: dict) -> "ListRules":
        words = sorted(data.get("count_words", {}), key=len, reverse=True)  # 'dua belas' before 'dua'
        numbers = "|".join([r"\d+"] + [re.escape(w).replace(r"\ ", " ") for w in words])

        def rx(key: str) -> re.Pattern:  # '{count_words}' stands for a digit run or a counted word
            return re.compile(data[key].replace("{count_words}", numbers)) if data.get(key) else _NEVER

        return cls(rx("verb_regex"), rx("grant_regex"), rx("grant_to_regex"), rx("count_regex"), rx("intro_regex"),
                   rx("lead_regex"), rx("continuation_regex"), rx("item_lead_regex"), rx("head_end_regex"),
                   rx("joiner_regex"), rx("origin_regex"), rx("prefix_glue_regex"),
                   tuple((k.lower(), int(v)) for k, v in data.get("count_words", {}).items()),
                   int(data.get("window", 3)), int(data.get("max_name_words", 6)))

    def number(self, word: str) -> int:
        w = word.lower()
        return int(w) if w.isdigit() else dict(self.counts).get(w, 0)


@dataclass(frozen=True)
class Item:
    """One source of a list: its name's span in the sentence, long form, origin."""

    start: int
    end: int
    name: str
    expansion: str = ""
    origin_agency: str = ""
    origin_region: str = ""
    expansion_span: tuple[int, int] | None = None
    has_origin: bool = False  # the item states where it comes from ('dari ...'), found or not


@dataclass(frozen=True)
class Listed:
    """A source read from a list: the sentence it is in (index), its item, the replicator."""

    index: int
    item: Item
    target_region: str
    source_region: str


@dataclass(frozen=True)
class _Kit:
    """What reading a list needs: the rule families and the gazetteer."""

    lists: ListRules
    names: NameRules
    agencies: AgencyRules
    gaz: Gazetteer
    region_test: object = None


def find_listed(texts: list[str], kit: _Kit, hedged, cued) -> list[Listed]:
    """Every source named by a list of replicated innovations in the article's sentences
    ``texts`` (``hedged(s, pos)``: a hope or an eligibility before ``pos``, not a copy;
    ``cued(s)``: the sentence has a replication cue word -- no statement without one).  A list
    in a later sentence counts only when the statement or the list gives a number."""
    lr, out = kit.lists, []
    last: tuple[int, str, int] | None = None  # the latest statement: (index, target, count)
    for i, s in enumerate(texts):
        cue = cued(s)
        if not cue and not (last and i - last[0] <= lr.window):
            continue
        st = _statement(s, kit, hedged) if cue else None
        if st is not None:
            verb_end, target, count = st
            if not target and last and i - last[0] <= lr.window:
                target = last[1]
            intro = None if _names_one(s, verb_end, kit) else lr.intro.match(s, verb_end)
            if intro:
                out += _take(i, s, intro.end(), len(s), count, target, "", kit, texts)
            last = (i, target, count or (last[2] if last and i - last[0] <= lr.window else 0))
            if intro:
                continue
        lead = lr.lead.match(s)
        if lead and last and i - last[0] <= lr.window:
            m = lr.count.match(s, lead.start(), lead.end())
            count = lr.number(m.group(1)) if m else last[2]
            if not count:  # a later sentence lists the statement's innovations only when they were counted
                continue
            out += _take(i, s, lead.end(), len(s), count, last[1], "", kit, texts)
        if cue:
            out += _granted(i, s, kit)
    return out


def _statement(s: str, kit: _Kit, hedged) -> tuple[int, str, int] | None:
    """(end of the verb, the replicating government, the count) of a replication statement."""
    m = kit.lists.verb.search(s)
    while m is not None and hedged(s, m.start()):
        m = kit.lists.verb.search(s, m.end())
    if m is None:
        return None
    target = _target(s, m, kit)
    near = kit.lists.count.search(s, max(0, m.start() - 80), min(len(s), m.end() + 80))
    return m.end(), target, kit.lists.number(near.group(1)) if near else 0


def _names_one(s: str, pos: int, kit: _Kit) -> bool:
    """'mereplikasi inovasi X, yakni <what it does>': the verb names its one source itself."""
    while pos < len(s) and s[pos] == " ":
        pos += 1
    lead = kit.lists.item_lead.match(s, pos)
    span = take_name(s, lead.end() if lead else pos, kit.names)
    return span is not None and _valid(s[span[0]:span[1]], "", kit)


def _target(s: str, m: re.Match, kit: _Kit) -> str:
    """The replicating government: 'oleh Z' after a passive verb, else the subject before it."""
    text = kit.lists.glue.sub("se ", s)
    after = re.match(r"\s*(?:,\s*)?oleh\s+", text[m.end():])
    if after:
        regs = kit.gaz.regions_in(text[m.end() + after.end():m.end() + after.end() + 80])
        return regs[0].name if regs else ""
    if m.group().lower().startswith("di"):
        return ""
    regs = kit.gaz.regions_in(text[:m.start()])
    typed = [p for p in regs if p.typed]
    return (typed or regs)[0].name if regs else ""


def _granted(i: int, s: str, kit: _Kit) -> list[Listed]:
    """'Y menghibahkan aplikasi A, B, dan C ... kepada Z': Y owns them, Z replicates."""
    lr, out = kit.lists, []
    for m in lr.grant.finditer(s):
        to = lr.grant_to.search(s, m.end())
        if not to:
            continue
        regs = kit.gaz.regions_in(s[to.end():to.end() + 80])
        if not regs or regs[0].start > 20:  # 'kepada Pemerintah Kabupaten Z'
            continue
        giver = kit.gaz.regions_in(s[:m.start()])
        source = (([p for p in giver if p.typed] or giver)[0].name) if giver else ""
        if source == regs[0].name:
            continue
        out += _take(i, s, m.end(), to.start(), 0, regs[0].name, source, kit, [s], stop_at_bad=True)
    return out


def _take(i: int, s: str, start: int, end: int, count: int, target: str, source: str, kit: _Kit,
          texts: list[str], stop_at_bad: bool = False) -> list[Listed]:
    """The items of the list in ``s[start:end]`` (and, when it stops short of ``count``, of the
    next sentence opened by a continuation word)."""
    items = read_items(s, start, end, kit, stop_at_bad)
    out = [Listed(i, it, target, it.origin_region or source) for it in items[:count or None]]
    nxt = i + 1
    if count and len(out) < count and nxt < len(texts):
        cont = kit.lists.continuation.match(texts[nxt])
        if cont:
            more = read_items(texts[nxt], cont.end(), len(texts[nxt]), kit, stop_at_bad)
            out += [Listed(nxt, it, target, it.origin_region or source) for it in more[:count - len(out)]]
    return out


def read_items(s: str, start: int, end: int, kit: _Kit, stop_at_bad: bool = False) -> list[Item]:
    """The named items of the list ``s[start:end]``: pieces split at top-level ';' (or ',' when
    there is none) and 'dan'/'serta'; a piece without a name lends its origin to the one before."""
    items: list[Item] = []
    for a, b in _pieces(s, start, end, kit.lists):
        it = _item(s, a, b, kit)
        if it is None:
            if stop_at_bad and items:
                break
            origin = _origin(s[a:b], kit)
            if items and origin[1] and not items[-1].origin_region:
                prev = items[-1]
                items[-1] = Item(prev.start, prev.end, prev.name, prev.expansion, origin[0], origin[1],
                                 prev.expansion_span, True)
            continue
        items.append(it)
    return items


def _pieces(s: str, start: int, end: int, lr: ListRules) -> list[tuple[int, int]]:
    """Top-level pieces of ``s[start:end]`` (parentheses kept whole)."""
    seg = s[start:end]
    depth, cuts = 0, {";": [], ",": []}
    for k, ch in enumerate(seg):
        depth += (ch == "(") - (ch == ")")
        if depth == 0 and ch in cuts:
            cuts[ch].append(k)
    sep = cuts[";"] or cuts[","]
    bounds, prev = [], 0
    for k in sep + [len(seg)]:
        bounds.append((prev, k))
        prev = k + 1
    out = []
    for a, b in bounds:
        sub = seg[a:b]
        depth_at = _depths(sub)
        last = 0
        for m in lr.joiner.finditer(sub):
            if depth_at[m.start()] == 0:
                out.append((start + a + last, start + a + m.start()))
                last = m.end()
        out.append((start + a + last, start + b))
    return [(x, y) for x, y in out if s[x:y].strip(" .")]


def _depths(text: str) -> list[int]:
    depth, out = 0, []
    for ch in text:
        depth += (ch == "(") - (ch == ")")
        out.append(depth)
    return out or [0]


def _item(s: str, a: int, b: int, kit: _Kit) -> Item | None:
    """The name that opens the piece ``s[a:b]`` (after 'inovasi', 'aplikasi yang berjudul'),
    with its long form and origin; None when the piece opens with no innovation name."""
    while a < b and s[a] in " .,;":
        a += 1
    lead = kit.lists.item_lead.match(s, a, b)
    a = lead.end() if lead else a
    stop = kit.lists.head_end.search(s, a, b)
    head_end = stop.start() if stop else b
    name = s[a:head_end].strip(" .\"'“”")
    if len(name.split()) > kit.lists.max_words:
        span = take_name(s, a, kit.names)
        if span is None or span[1] > b:
            return None
        name, head_end = s[span[0]:span[1]], span[1]
    paren = _PAREN.match(s, head_end, b)
    expansion = paren.group(1).strip() if paren else ""
    if not name or not _valid(name, expansion, kit):
        return None
    start = s.find(name, a, b)
    agency, region = _origin(s[head_end:b], kit)
    return Item(start, start + len(name), name, expansion if coverage(name, expansion) >= 0.5 else "", agency,
                region, (paren.start(1), paren.end(1)) if paren else None,
                bool(kit.lists.origin.search(s, head_end, b)))


def _valid(name: str, expansion: str, kit: _Kit) -> bool:
    """A proper name (capitalised or mixed case), or a lower-case one its long form spells out
    ('pak camat (pantau kilat calon mama terpadu)'); never a place, an agency or a generic phrase."""
    first = name.split()[0]
    if not name_like(first) and not (expansion and coverage(name.replace(" ", ""), expansion) >= 0.8):
        return False
    if kit.agencies.head.match(name) or kit.gaz.resolve_region(name):
        return False
    return not reject_reason(name, kit.names, kit.gaz, kit.agencies)


def _origin(piece: str, kit: _Kit) -> tuple[str, str]:
    """(agency, region) after 'dari'/'milik' in an item: 'dari RSUD X' -> the RSUD and its region."""
    m = kit.lists.origin.search(piece)
    if not m:
        return "", ""
    rest = kit.lists.glue.sub("se ", piece[m.end():])
    spans = [sp for sp in agency_spans(rest, kit.agencies, kit.region_test) if sp[0] == 0]
    if spans:
        agency = rest[:spans[0][1]]
        hit = kit.gaz.agency_region(agency)
        if hit is not None:
            return agency, hit.name
    regs = kit.gaz.find_regions(rest[:80], include_ambiguous=True)
    if regs and not rest[:regs[0].start].strip(" ,"):
        return (rest[:spans[0][1]] if spans else ""), regs[0].name
    return (rest[:spans[0][1]] if spans else ""), ""


def kit_of(rules) -> _Kit:
    """The list reader's view of the compiled rule bundle (``rules.Rules``)."""
    return _Kit(rules.repl_lists, rules.names, rules.agencies, rules.gaz, rules.region_test)


def same_name(a: str, b: str) -> bool:
    return norm(a) == norm(b)
