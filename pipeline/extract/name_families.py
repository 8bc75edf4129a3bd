"""The name families of one sentence, as an ordered list of small functions.

``find_names`` runs ``PROPOSERS`` in order over a ``SentenceScan`` (the sentence and what
the earlier families found in it), then ``finalise`` validates every candidate.  Order
matters: parentheses and ``X atau <long form>`` claim their spans first (``scan.freeze``),
and each later family reads only text no earlier one took (``scan.free``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from .acronyms import coverage, find_long_form, is_acronym_like
from .names import Candidate, agency_like, back_name, name_like, norm, reject_reason, take_name
from .owners import agency_spans

_PAREN = re.compile(r"\(([^()]{1,80})\)")
_TOK = re.compile(r"[^\s,;:()“”\"!?]+")
_ITEM_MARK = re.compile(r"^\s*(?:\d{1,3}\s*[.)]|[a-z]\s*[.)]|[-•*▪●–—·>])\s*")
_ITEM_GLOSS = re.compile(r"\s*(?::|\s[-–—]|\s*[-–—]\s)\s*\S")  # "Name: what it does", "Name – what it does"
_QUOTED = re.compile(r"[\"“]([^\"“”]{2,60})[\"”]")
_OPEN_QUOTES = "\"“'‘"


@dataclass
class SentenceScan:
    """One sentence being read for names (state of a single ``find_names`` call)."""

    s: str
    kind: str  # 'text', 'item', 'headline'
    header_cue: bool  # the list this item belongs to was opened by an innovation cue
    article_cue: bool  # the article speaks of innovation at all
    spans: list[tuple[int, int]]  # agency spans of the sentence
    rules: object  # extract.rules.Rules
    out: list[Candidate] = field(default_factory=list)
    covered: list[tuple[int, int]] = field(default_factory=list)

    @property
    def names(self):
        return self.rules.names

    @property
    def agencies(self):
        return self.rules.agencies

    @property
    def gaz(self):
        return self.rules.gaz

    def freeze(self) -> None:
        """The spans the first families claimed (name + long form): later families skip them."""
        self.covered = [c.covered for c in self.out if c.covered and not c.reason]

    def free(self, a: int) -> bool:
        return not any(x <= a < y for x, y in self.covered) and not any(c.start <= a < c.end for c in self.out)

    def cued(self) -> bool:
        return bool(self.names.cue.search(self.s))


def find_names(s: str, kind: str, header_cue: bool, rules, spans: list[tuple[int, int]],
               article_cue: bool = True) -> list[Candidate]:
    """All candidates in sentence s (accepted and rejected)."""
    scan = SentenceScan(s, kind, header_cue, article_cue, spans, rules)
    for propose in PROPOSERS:
        propose(scan)
    finalise(scan)
    return scan.out


# -- 1. parentheses ----------------------------------------------------------------------

def parentheses(scan: SentenceScan) -> None:
    """Acronyms ('long form (ACR)', 'ACR (long form)'), '(Name)' after a description, and
    'Name (Agency)'."""
    s, r = scan.s, scan.names
    for m in _PAREN.finditer(s):
        inner = m.group(1).strip()
        clause = max(s.rfind(c, 0, m.start()) for c in "();:“”") + 1
        before = s[clause:m.start()]
        if agency_like(inner, before, r, scan.agencies, scan.gaz):
            _name_then_agency(scan, m, inner)
        elif not is_acronym_like(inner, r.acronym_words) or inner.isdigit():
            _acronym_then_long(scan, m, inner)
        elif not _long_then_acronym(scan, m, inner, clause, before):
            _description_then_name(scan, m, inner, clause, before)


def _name_then_agency(scan: SentenceScan, m: re.Match, inner: str) -> None:
    s = scan.s
    st = back_name(s, m.start(), scan.names)
    if st is not None and any(a <= st < b for a, b in scan.spans):
        return  # "Dinas Kependudukan dan Pencatatan Sipil (Disdukcapil)": one agency
    if st is None:
        return
    name = s[st:m.start()].strip()
    cand = Candidate(name, st, st + len(name), "item", agency=inner)
    if not (scan.kind == "item" or scan.header_cue or scan.cued() or scan.names.list_intro.search(s)):
        cand.reason = "Name (Agency) outside an innovation list"
    scan.out.append(cand)


def _acronym_then_long(scan: SentenceScan, m: re.Match, inner: str) -> None:
    """Reverse form: ACRONYM (long form)."""
    s, r = scan.s, scan.names
    st = back_name(s, m.start(), r)
    if st is not None and len(inner.split()) >= 2:
        short = s[st:m.start()].strip()
        if is_acronym_like(short, r.acronym_words) and len(short.split()) <= 2 and \
                find_long_form(short, inner, r.min_coverage, r.acronym_words) == 0:
            scan.out.append(Candidate(short, st, st + len(short), "acronym", expansion=inner, covered=(st, m.end())))


def _long_then_acronym(scan: SentenceScan, m: re.Match, inner: str, clause: int, before: str) -> bool:
    """'long form (ACRONYM)'; False when no long form is found before the parenthesis."""
    r, ag = scan.names, scan.agencies
    lf = find_long_form(inner, before, r.min_coverage, r.acronym_words)
    if lf is None:
        return False
    long = before[lf:].strip()
    why = "" if not ag.head.match(long) else "abbreviation of an agency"
    why = why or (reject_reason(long, r, scan.gaz, ag, True) or "").replace("too long", "")
    at = (m.start() + 1, m.start() + 1 + len(inner))
    if why:  # an agency's, a competition's or a program's abbreviation: kept, rejected, with why
        scan.out.append(Candidate(inner, *at, "acronym", expansion=long, reason=f"the long form is not an innovation: {why}"))
        return True
    cue = list(r.describe_cue.finditer(before))
    if cue and cue[-1].end() > lf:  # the cue sits inside the long form: start after it
        long = before[cue[-1].end():].strip()
    cand = Candidate(inner, *at, "acronym", expansion=long, covered=(clause + lf, m.end()))
    named = list(r.intro.finditer(before))
    direct = (bool(cue) and not before[cue[-1].end():lf].strip()) or (
        bool(named) and not before[named[-1].end():lf].strip())
    titled = all(name_like(w) or w.lower() in r.connectors or w.lower() in r.long_form_inner for w in long.split())
    if not (direct or (titled and (scan.cued() or scan.article_cue))):
        cand.reason = "acronym outside an innovation context"
    scan.out.append(cand)
    return True


def _description_then_name(scan: SentenceScan, m: re.Match, inner: str, clause: int, before: str) -> None:
    """'berupa/inovasi <description> (Name)' where the name is no acronym of the text."""
    r = scan.names
    cue = list(r.describe_cue.finditer(before))
    if not cue:
        return
    desc = before[cue[-1].end():].strip()
    span = take_name(before, cue[-1].end(), r)
    if span and not before[span[1]:].strip():
        return  # "inovasi Name (Other Name)": the paren is a gloss; the cue rule reads Name
    if desc and "," not in desc and len(desc.split()) <= 12:
        scan.out.append(Candidate(inner, m.start() + 1, m.start() + 1 + len(inner), "cueparen", expansion=desc,
                                  covered=(clause + cue[-1].end(), m.end())))


def acronym_or_long_form(scan: SentenceScan) -> None:
    """'ACRONYM atau Long Form'."""
    s, r, ag = scan.s, scan.names, scan.agencies
    for m in r.acronym_or.finditer(s):
        st = back_name(s, m.start(), r)
        if st is None:
            continue
        short = s[st:m.start()].strip()
        if len(short.split()) > 2 or not is_acronym_like(short, r.acronym_words):
            continue
        words, end = [], m.end()
        for t in _TOK.finditer(s, m.end()):
            if s[end:t.start()].strip() or len(words) >= 12:
                break
            w = t.group()
            if not (name_like(w) or w.lower() in r.connectors or w.lower() in r.or_long_form_inner):
                break
            words.append(w)
            end = t.end()
        while words and not name_like(words[-1]):
            end -= len(words.pop()) + 1
        long = s[m.end():end]
        if len(words) >= 2 and coverage(short, long) >= r.min_coverage and not ag.head.match(long) and (
                reject_reason(long, r, scan.gaz, ag, True) in ("", "too long")):
            cand = Candidate(short, st, st + len(short), "acronym", expansion=long, covered=(st, end))
            if not scan.article_cue:
                cand.reason = "acronym outside an innovation context"
            scan.out.append(cand)


def claim_spans(scan: SentenceScan) -> None:
    scan.freeze()


# -- 2. cue words ------------------------------------------------------------------------

def cue_words(scan: SentenceScan) -> None:
    """'inovasi X [dan Y]', 'bernama X', 'dengan nama inovasi X'."""
    s, r = scan.s, scan.names
    for rx, via in ((r.intro, "named"), (r.cue, "cue")):
        for m in rx.finditer(s):
            pos = m.end()
            prev = s[:m.start()].split()
            if via == "cue" and prev and prev[-1].lower().strip(",.") in r.cue_blockers:
                continue  # "Lomba Inovasi Daerah X", "Jaringan Inovasi ...": part of another name
            if via == "cue" and r.intro.match(s, pos + 1 if s[pos:pos + 1] == " " else pos):
                continue  # "inovasi bernama X" is read by the intro rule
            span = take_name(s, pos, r)
            while span and scan.free(span[0]):
                cand = Candidate(s[span[0]:span[1]], span[0], span[1], via)
                tail = r.expansion_intro.match(s, span[1])
                if tail:
                    stop = r.expansion_end.search(s, tail.end())
                    cand.expansion = s[tail.end():stop.start() if stop else len(s)].strip(" .")
                scan.out.append(cand)
                nxt = r.name_list_continue.match(s[span[1]:])
                if not nxt:
                    break
                span = take_name(s, span[1] + nxt.end(), r)


def applications(scan: SentenceScan) -> None:
    """'aplikasi X milik <Agency>', in an article about innovation."""
    s = scan.s
    for m in scan.names.app_cue.finditer(s):
        span = take_name(s, m.end(), scan.names)
        if not span or not scan.free(span[0]):
            continue
        cand = Candidate(s[span[0]:span[1]], span[0], span[1], "app")
        if not (scan.article_cue or scan.agencies.owner_after.match(s, span[1])):
            cand.reason = "an application outside an innovation context"
        scan.out.append(cand)


def innovators(scan: SentenceScan) -> None:
    """'inovator X, Person'."""
    s = scan.s
    for m in scan.rules.people.innovator.finditer(s):
        span = take_name(s, m.end(), scan.names)
        if span and s[span[1]:span[1] + 1] == "," and scan.free(span[0]):
            scan.out.append(Candidate(s[span[0]:span[1]], span[0], span[1], "innovator"))


# -- 3. lists ----------------------------------------------------------------------------

def bare_items(scan: SentenceScan) -> None:
    """Bare items of an innovation list: '- Name', '- Name: what it does', '- Name dari <Agency>'."""
    s = scan.s
    if not (scan.kind == "item" and scan.header_cue and not any(c.via == "item" for c in scan.out)):
        return
    mark = _ITEM_MARK.match(s)
    span = take_name(s, mark.end() if mark else 0, scan.names)
    if not span or not scan.free(span[0]):
        return
    name = Candidate(s[span[0]:span[1]], span[0], span[1], "item")
    rest = s[span[1]:].strip(" .")
    sep = scan.agencies.list_separator.match(s[span[1]:])
    ag = [a for a in agency_spans(s[span[1] + sep.end():], scan.agencies) if a[0] == 0] if sep else []
    if not rest:
        scan.out.append(name)
    elif ag:
        name.agency = s[span[1] + sep.end():span[1] + sep.end() + ag[0][1]]
        scan.out.append(name)
    elif _ITEM_GLOSS.match(s, span[1]) and not any(a <= span[0] < b for a, b in scan.spans):
        scan.out.append(name)  # "- Sahabat Lansia: layanan jemput bola ...": the name, then what it does


def inline_list(scan: SentenceScan) -> None:
    """'Ketiga inovasi itu adalah A dari Dinas X, B (Y) serta C': walk the items after a list
    intro that follows an innovation cue; each item is a name, then an optional owner."""
    s, r = scan.s, scan.names
    cue = r.cue.search(s) if scan.kind != "item" else None
    intro = r.list_intro.search(s, cue.end()) if cue else None
    if not intro or len(s[cue.end():intro.start()].split()) > 12:
        return
    if any(c.end <= intro.start() and not s[c.end:intro.start()].strip(" ,") for c in scan.out if not c.reason):
        return  # 'SIPADI yakni Sistem ...': a long form follows the name, not a list
    found = _list_items(scan, intro.end())
    if len(found) >= 2:
        for (a, b), agency in found:
            if scan.free(a):
                scan.out.append(Candidate(s[a:b], a, b, "item", agency=agency))


def _list_items(scan: SentenceScan, pos: int) -> list[tuple[tuple[int, int], str]]:
    s, r, ag = scan.s, scan.names, scan.agencies
    found = []
    while pos < len(s):
        span = take_name(s, pos, r)
        if not span:
            break
        end, agency = span[1], ""
        paren = re.match(r"\s*\(([^()]{1,80})\)", s[end:])
        sep_owner = ag.owner_after.match(s, end)
        if paren:
            agency = paren.group(1) if ag.head.match(paren.group(1).strip()) else ""
            end += paren.end()
        elif sep_owner:
            owner = [b for a, b in scan.spans if a == sep_owner.end()]
            if not owner:
                break
            end = _cut_at_next_item(scan, sep_owner.end(), owner[0])
            agency = s[sep_owner.end():end]
        found.append((span, agency))
        rel = r.relative_clause.match(s, end)  # "..., yang mempertemukan ...": skip the clause
        if rel:
            end = rel.end()
        sep = r.item_separator.match(s, end)
        if not sep:
            break
        pos = sep.end()
    return found


def _cut_at_next_item(scan: SentenceScan, a: int, b: int) -> int:
    """'milik Disdukcapil Badung dan Tera Keliling Pasar dari Dinas X': the agency span ran
    over the next item; cut it before the 'dan' that opens a name followed by its owner."""
    s = scan.s
    for m in scan.names.item_joiner.finditer(s[a:b]):
        span = take_name(s, a + m.end(), scan.names)
        if span and (scan.agencies.owner_after.match(s, span[1]) or re.match(r"\s*\(", s[span[1]:])):
            return a + m.start()
    return b


def quoted(scan: SentenceScan) -> None:
    """'aplikasi pengaduan "Lapor Pak"': a quoted proper name shortly after a cue word."""
    s, r = scan.s, scan.names
    if scan.kind == "item":
        return
    for m in _QUOTED.finditer(s):
        inner = m.group(1).strip()
        span = take_name(inner, 0, r)
        if not span or span[1] != len(inner) or not scan.free(m.start(1)):
            continue
        before = s[max(0, m.start() - 60):m.start()].lower().split()[-4:]
        if any(w.strip(",.") in r.quote_cues for w in before):
            scan.out.append(Candidate(inner, m.start(1), m.start(1) + len(inner), "quoted"))


# -- 4. names without a cue word right before them --------------------------------------

def cueless(scan: SentenceScan) -> None:
    """Names in a sentence about innovation without a cue word right before them: the subject
    of an owner clause ('X yang digagas <Agency>'), the object of a creation verb
    ('meluncurkan X'), an apposition of 'inovasi' ('X, sebuah inovasi ...'), after
    'inovasi ... adalah', or '(salah satu) inovasi <Agency> adalah <Name>' (owned by it)."""
    r = scan.names
    if scan.kind == "item" or r.cueless_gate is None or not r.cueless_gate.search(scan.s) or not scan.cued():
        return
    found = _cueless_subjects(scan) + _cueless_objects(scan)
    owners = _possessive(scan, found)
    for a, b, single_ok in found:
        span = _cueless_span(scan, a, b, single_ok)
        if span and not any(c.start == span[0] for c in scan.out):
            scan.out.append(Candidate(scan.s[span[0]:span[1]], span[0], span[1], "cueless", agency=owners.get(a, "")))


def _cueless_subjects(scan: SentenceScan) -> list[tuple[int, int, bool]]:
    s, r = scan.s, scan.names
    found = []
    starts = {a for a, _ in scan.spans}
    for rx, need_owner in ((r.cueless_owner, True), (r.cueless_apposition, False)):
        if rx is None:
            continue
        for m in rx.finditer(s):
            if need_owner and m.end() not in starts:
                continue  # the owner must follow: an agency or government
            a = back_name(s, m.start(), r)
            if a is not None:
                found.append((a, m.start(), True))
    return found


def _cueless_objects(scan: SentenceScan) -> list[tuple[int, int, bool]]:
    s, r = scan.s, scan.names
    found = []
    for rx in (r.cueless_active, r.cueless_after_cue):
        if rx is None:
            continue
        for m in rx.finditer(s):
            span = take_name(s, m.end(), r)
            if span and s[span[0] - 1:span[0]] not in _OPEN_QUOTES:
                found.append((span[0], span[1], False))
    return found


def _possessive(scan: SentenceScan, found: list) -> dict[int, str]:
    """'(salah satu) inovasi <Agency> adalah/yaitu <Name>': the agency owns the name."""
    s, r = scan.s, scan.names
    owners: dict[int, str] = {}
    if r.possessive_cue is None or r.possessive_link is None:
        return owners
    ends = dict(scan.spans)
    for m in r.possessive_cue.finditer(s):
        if m.end() not in ends:
            continue
        link = r.possessive_link.match(s, ends[m.end()])
        span = take_name(s, link.end(), r) if link else None
        if span and s[span[0] - 1:span[0]] not in _OPEN_QUOTES:
            found.append((span[0], span[1], True))
            owners[span[0]] = s[m.end():ends[m.end()]]
    return owners


def _strong_name(s: str, a: int, b: int, single_min_len: int, single_ok: bool) -> bool:
    """Shape evidence for a name without a cue word: two or more capitalised words, an
    acronym ('SI-PINTAR'), or -- where the context is strong (single_ok) -- one coined word."""
    words = s[a:b].split()
    caps = [w for w in words if name_like(w) and not w.isdigit()]
    if len(caps) >= 2:
        return True
    if len(words) != 1:
        return False
    w = words[0]
    if sum(c.isupper() for c in w) >= 2 and len(w) >= 3:
        return True
    return single_ok and len(w) >= single_min_len and w[:1].isupper() and w[1:].islower()


def _cueless_span(scan: SentenceScan, a: int, b: int, single_ok: bool) -> tuple[int, int] | None:
    """Trim sentence-opening words off a back-scanned span and check it may be a name."""
    s, r = scan.s, scan.names
    while a < b:
        first = s[a:b].split(" ", 1)[0]
        if first.lower().strip(",") not in r.opening_words:
            break
        a += len(first) + 1
        while a < b and s[a] == " ":
            a += 1
    if a >= b or not scan.free(a) or any(x <= a < y or a <= x < b for x, y in scan.spans):
        return None  # an agency, or a span another rule read
    if scan.agencies.head.match(s, a) or not _strong_name(s, a, b, r.single_min_len, single_ok):
        return None
    if norm(s[a:b].split(" ", 1)[0]) in r.reject_first:
        return None  # "Program Keluarga Harapan": judged whole, before 'program' is stripped
    return a, b


# -- 5. a name written in lower case -----------------------------------------------------

def described(scan: SentenceScan) -> None:
    """'<Agency> berupa <description in lower case>'."""
    s, r = scan.s, scan.names
    for m in r.describe_cue.finditer(s):
        if not any(0 <= m.start() - b <= 1 for _, b in scan.spans) or not scan.free(m.end()):
            continue
        if take_name(s, m.end(), r) or r.intro.match(s, m.end()):
            continue
        words = _lower_phrase(s, m.end(), r)
        if 2 <= len(words) <= r.lower_max:
            a, b = words[0][0], words[-1][1]
            if r.name_follows.match(s[b:]):
                continue  # the name follows; the named rule reads it
            scan.out.append(Candidate(s[a:b], a, b, "described"))


def _lower_phrase(s: str, pos: int, r) -> list[tuple[int, int]]:
    words: list[tuple[int, int]] = []
    for t in _TOK.finditer(s, pos):
        w = t.group()
        if s[(words[-1][1] if words else pos):t.start()].strip():
            break
        place = w[:1].isupper() and w in r.place_words
        if place or w.lower() in r.stop_words or w.endswith("."):
            if w.endswith(".") and not place and w.lower().rstrip(".") not in r.stop_words:
                words.append((t.start(), t.end() - 1))
            break
        words.append((t.start(), t.end()))
        if len(words) > r.lower_max:
            break
    return words


PROPOSERS: tuple[Callable[[SentenceScan], None], ...] = (
    parentheses, acronym_or_long_form, claim_spans, cue_words, applications, innovators,
    bare_items, inline_list, quoted, cueless, described,
)


# -- validation --------------------------------------------------------------------------

def finalise(scan: SentenceScan) -> None:
    """Trim every candidate, give each a reason when it is no innovation name, and reject a
    gloss in parentheses right after an accepted name."""
    r, out, s = scan.names, scan.out, scan.s
    for c in out:
        c.name = c.name.strip(" .,'\"“”‘’")
        low = c.name.lower()
        for lead in r.strip_leading:
            if low.startswith(lead) and len(c.name) > len(lead):
                c.start += len(lead)
                c.name = c.name[len(lead):].strip(" \"“”")
                break
        if not c.reason:  # an acronym with its (non-agency) long form may look like an agency's
            c.reason = reject_reason(c.name, r, scan.gaz, scan.agencies, c.via == "acronym" and bool(c.expansion))
        if not c.reason and c.via == "acronym" and all(w in r.generic for w in norm(c.expansion).split()):
            c.reason = "the long form is a generic phrase"
    for c in out:
        if not c.reason and c.via in ("acronym", "cueparen") and any(
                o is not c and not o.reason and o.end <= c.start - 1 and not s[o.end:c.start - 1].strip() for o in out):
            c.reason = "a gloss of the name before it"
