"""Innovation names in one sentence, from the surface forms news pages use.

Rules (each candidate records ``via``):
  acronym   ``long form (ACRONYM)``, ``ACRONYM (long form)`` -- Schwartz-Hearst, see acronyms.py
  cueparen  ``berupa/inovasi <description> (Name)`` where the name is no acronym of the text
  item      ``Name (Agency)`` in numbered/bulleted lines and inline lists, and bare items of a
            list opened by an innovation cue
  cue       ``inovasi X [dan Y]``, ``bernama X``, ``dengan nama inovasi X``, quoted names
  innovator ``inovator X, Person``
  described ``<Agency> berupa <lowercase description>`` (a name written in lower case)
Candidates are then validated against word lists (generic words, programs about
innovation, competitions, agencies, places); a rejected candidate keeps its reason.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .acronyms import coverage, find_long_form, is_acronym_like
from .owners import AgencyRules, Places, agency_spans

_TOK = re.compile(r"[^\s,;:()“”\"!?]+")
_PAREN = re.compile(r"\(([^()]{1,80})\)")
_QUOTES = {"\"": "\"", "“": "”", "'": "'", "‘": "’"}
_NORM = re.compile(r"[^\w]+")
_NUMBERING = re.compile(r"\d+[.)]?")
_ITEM_MARK = re.compile(r"^\s*(?:\d{1,3}\s*[.)]|[a-z]\s*[.)]|[-•*▪●–—·>])\s*")
_ITEM_GLOSS = re.compile(r"\s*(?::|\s[-–—]|\s*[-–—]\s)\s*\S")  # "Name: what it does", "Name – what it does"


def norm(s: str) -> str:
    return " ".join(_NORM.sub(" ", s.casefold()).split())


@dataclass
class Candidate:
    name: str
    start: int  # offsets in the sentence
    end: int
    via: str
    expansion: str = ""
    agency: str = ""
    covered: tuple[int, int] | None = None  # span (name + long form) other rules must not reuse
    people: list[str] = field(default_factory=list)
    reason: str = ""  # why it was rejected ("" = accepted)


@dataclass(frozen=True)
class NameRules:
    cue: re.Pattern
    intro: re.Pattern
    list_intro: re.Pattern
    expansion_intro: re.Pattern
    describe_cue: re.Pattern
    connectors: frozenset[str]
    stop_words: frozenset[str]
    stop_title: frozenset[str]
    generic: frozenset[str]
    reject_contains: tuple[str, ...]
    government_words: tuple[str, ...]
    reject_first: frozenset[str]
    place_words: frozenset[str]
    lower_max: int
    competitions: tuple[re.Pattern, ...]
    max_tokens: int
    min_coverage: float
    cue_blockers: frozenset[str]
    quote_cues: frozenset[str]
    common_acronyms: frozenset[str]
    strip_leading: tuple[str, ...]
    app_cue: re.Pattern
    brands: frozenset[str]
    cueless_gate: re.Pattern | None = None
    cueless_owner: re.Pattern | None = None
    cueless_active: re.Pattern | None = None
    cueless_apposition: re.Pattern | None = None
    cueless_after_cue: re.Pattern | None = None
    possessive_cue: re.Pattern | None = None  # "inovasi" right before an agency
    possessive_link: re.Pattern | None = None  # after the agency: ", yaitu" / "adalah" then the name
    opening_words: frozenset[str] = frozenset()
    single_min_len: int = 5

    @classmethod
    def from_data(cls, data: dict, competitions: list[str], max_tokens: int, min_coverage: float) -> "NameRules":
        cues = sorted(data["describe_cues"], key=len, reverse=True)
        return cls(
            cue=re.compile(data["innovation_cue_regex"]),
            intro=re.compile(data["name_intro_regex"], re.IGNORECASE),
            list_intro=re.compile(data["list_intro_regex"]),
            expansion_intro=re.compile(data["expansion_intro_regex"], re.IGNORECASE),
            describe_cue=re.compile(r"\b(?:" + "|".join(re.escape(c) for c in cues) + r")\s+", re.IGNORECASE),
            connectors=frozenset(data["name_connectors"]),
            stop_words=frozenset(data["stop_words"]),
            stop_title=frozenset(data["stop_title_words"]),
            generic=frozenset(data["generic_words"]),
            reject_contains=tuple(data["reject_if_contains"]),
            government_words=tuple(data["government_words"]),
            reject_first=frozenset(data["reject_first_words"]),
            place_words=frozenset(data["place_words"]),
            lower_max=int(data["lowercase_phrase_max_words"]),
            competitions=tuple(re.compile(p, re.IGNORECASE) for p in competitions),
            max_tokens=max_tokens,
            min_coverage=min_coverage,
            cue_blockers=frozenset(data["cue_blockers"]),
            quote_cues=frozenset(data["quote_cues"]),
            common_acronyms=frozenset(a.casefold() for a in data["common_acronyms"]),
            strip_leading=tuple(sorted((w + " " for w in data["strip_leading_words"]), key=len, reverse=True)),
            app_cue=re.compile(data["app_cue_regex"]),
            brands=frozenset(b.casefold() for b in data["not_innovation_brands"]),
            cueless_gate=_opt(data, "cueless_gate_regex"),
            cueless_owner=_opt(data, "cueless_owner_regex"),
            cueless_active=_opt(data, "cueless_active_regex"),
            cueless_apposition=_opt(data, "cueless_apposition_regex"),
            cueless_after_cue=_opt(data, "cueless_after_cue_regex"),
            possessive_cue=_opt(data, "possessive_cue_regex"),
            possessive_link=_opt(data, "possessive_link_regex"),
            opening_words=frozenset(data.get("sentence_opening_words", [])),
            single_min_len=int(data.get("cueless_single_word_min_len", 5)),
        )


def _opt(data: dict, key: str) -> re.Pattern | None:
    return re.compile(data[key]) if data.get(key) else None


def _name_like(tok: str) -> bool:
    return bool(tok) and (tok[0].isupper() or tok[0].isdigit() or any(c.isupper() for c in tok[1:3]))


def take_name(s: str, pos: int, rules: NameRules) -> tuple[int, int] | None:
    """The proper name starting at pos (after spaces): capitalised words, digits, inner
    connectors; a quoted name as a whole.  Returns (start, end) or None."""
    i = pos
    while i < len(s) and s[i] == " ":
        i += 1
    if i < len(s) and s[i] in _QUOTES:
        close = s.find(_QUOTES[s[i]], i + 1)
        if close > i + 1 and close - i <= 80 and len(s[i + 1:close].split()) <= rules.max_tokens:
            return i + 1, close
        return None
    end = None
    n = 0
    toks = list(_TOK.finditer(s, i))
    for k, t in enumerate(toks):
        if (end if end is not None else i) != t.start() and s[(end if end is not None else i):t.start()] != " ":
            break  # punctuation between words ends the name
        w = t.group()
        dotted = w.endswith(".") and len(w) > 1
        w = w.rstrip(".") if dotted else w
        if n == 0:
            if not _name_like(w) or w.isdigit() or w in rules.stop_title:
                return None
        else:
            if w in rules.stop_title:
                break
            if not _name_like(w):
                nxt = toks[k + 1].group() if k + 1 < len(toks) else ""
                if not (w.lower() in rules.connectors and _name_like(nxt) and nxt not in rules.stop_title):
                    break
                if w.lower() in ("di", "ke") and (nxt.lower() in rules.reject_first or nxt in rules.place_words):
                    break  # "Sikka Lapor 24 Jam di Aula Setda": a venue or place follows the name
            if w[:1].isupper() and w in rules.place_words and k + 1 < len(toks) and toks[k + 1].group()[:1].isupper():
                break  # "... Desa Paubekor": a place after the name
        end = t.start() + len(w)
        n += 1
        if dotted or n >= rules.max_tokens:
            break
    if end is None:
        return None
    # trailing connectors never end a name
    while True:
        last = s[i:end].rsplit(" ", 1)
        if len(last) == 2 and not _name_like(last[1]) and last[1].lower() in rules.connectors | {"dan", "serta"}:
            end = i + len(last[0])
        else:
            break
    return i, end


def reject_reason(name: str, rules: NameRules, places: Places, agencies: AgencyRules, long_form: bool = False) -> str:
    """Why a candidate is not an innovation name ('' when it may be one).  A long form may
    name a government ('... antar Kementerian/Lembaga'); a short name may not."""
    n = norm(name)
    words = n.split()
    if len(n) < 2 or not words:
        return "too short"
    if len(words) > rules.max_tokens:
        return "too long"
    if name.strip().casefold() in rules.brands:
        return "a general-purpose product, not a public-service innovation"
    if name.strip().casefold() in rules.common_acronyms:
        return "a common term, not an innovation"
    if all(w.isdigit() for w in words):
        return "a number"
    if all(w in rules.generic for w in words):
        return "generic phrase"
    if words[0] in rules.reject_first:
        return f"opens with '{words[0]}' (team, program, agency, place, title)"
    padded = f" {n} "
    for phrase in rules.reject_contains + (() if long_form else rules.government_words):
        if f" {phrase} " in padded:
            return f"contains '{phrase}' (about innovation, a competition or a government)"
    for comp in rules.competitions:
        if comp.search(name):
            return "a competition"
    if len(words) == 1 and agencies.head.fullmatch(name.strip()) and not long_form:
        return "an agency"
    if places.resolve_region(name):
        return "a place"
    return ""


def _back_name(s: str, end: int, rules: NameRules) -> int | None:
    """Start of the name that ends at `end` (scan back over name-like words)."""
    toks = list(_TOK.finditer(s, 0, end))
    start = None
    for t in reversed(toks):
        if t.end() > end:
            continue
        gap = s[t.end():(start if start is not None else end)]
        if gap.strip():
            break
        w = t.group().rstrip(".")
        if w.lower() in rules.stop_words or (not _name_like(w) and w.lower() not in rules.connectors) or w in rules.stop_title:
            break
        if start is not None and _NUMBERING.fullmatch(t.group()) and (
                t.group()[-1] in ".)" or not s[:t.start()].strip(" -•*▪●–—·>")):
            break  # list numbering ("3. Name", a number opening the line); "Antre 5 Menit" keeps its 5
        start = t.start()
    if start is None:
        return None
    # a name does not open with a connector
    while True:
        first, _, rest = s[start:end].partition(" ")
        if rest and first.lower() in {"dan", "serta", "&"}:
            start += len(first) + 1
        else:
            break
    return start


def _agency_like(inner: str, before: str, rules: NameRules, agencies: AgencyRules, places: Places) -> bool:
    """'(Dinas Kesehatan)', '(DLH)': an owner in parentheses -- unless the parenthesis is the
    acronym of the words before it ('Brigade Siaga Bencana (BSB)')."""
    inner = inner.strip()
    if " " in inner and agencies.head.match(inner):
        return True
    if places.canonical_agency(inner) not in (inner, ""):
        return True
    if not agencies.head.fullmatch(inner):
        return False
    lf = find_long_form(inner, before, rules.min_coverage)
    return lf is None or bool(agencies.head.match(before[lf:].strip()))


def find_names(s: str, kind: str, header_cue: bool, rules: NameRules, agencies: AgencyRules,
               places: Places, spans: list[tuple[int, int]], article_cue: bool = True) -> list[Candidate]:
    """All candidates in sentence s (accepted and rejected).  kind: 'text' or 'item';
    header_cue: the list this item belongs to was opened by an innovation cue."""
    out: list[Candidate] = []
    # 1. parentheses: acronyms, "(Name)" after a description, "Name (Agency)"
    for m in _PAREN.finditer(s):
        inner = m.group(1).strip()
        clause = max(s.rfind(c, 0, m.start()) for c in "();:“”") + 1
        before = s[clause:m.start()]
        if _agency_like(inner, before, rules, agencies, places):
            st = _back_name(s, m.start(), rules)
            if st is not None and any(a <= st < b for a, b in spans):
                continue  # "Dinas Kependudukan dan Pencatatan Sipil (Disdukcapil)": one agency
            if st is not None:
                name = s[st:m.start()].strip()
                cand = Candidate(name, st, st + len(name), "item", agency=inner)
                if not (kind == "item" or header_cue or rules.cue.search(s) or rules.list_intro.search(s)):
                    cand.reason = "Name (Agency) outside an innovation list"
                out.append(cand)
            continue
        if not is_acronym_like(inner) or inner.isdigit():
            # reverse form: ACRONYM (long form)
            st = _back_name(s, m.start(), rules)
            if st is not None and len(inner.split()) >= 2:
                short = s[st:m.start()].strip()
                if is_acronym_like(short) and len(short.split()) <= 2 and find_long_form(short, inner, rules.min_coverage) == 0:
                    out.append(Candidate(short, st, st + len(short), "acronym", expansion=inner, covered=(st, m.end())))
            continue
        lf = find_long_form(inner, before, rules.min_coverage)
        if lf is not None:
            long = before[lf:].strip()
            why = "" if not agencies.head.match(long) else "abbreviation of an agency"
            why = why or (reject_reason(long, rules, places, agencies, True) or "").replace("too long", "")
            if why:  # an agency's, a competition's or a program's abbreviation: kept, rejected, with why
                out.append(Candidate(inner, m.start() + 1, m.start() + 1 + len(inner), "acronym", expansion=long,
                                     reason=f"the long form is not an innovation: {why}"))
                continue
            cue = list(rules.describe_cue.finditer(before))
            if cue and cue[-1].end() > lf:  # the cue sits inside the long form: start after it
                long = before[cue[-1].end():].strip()
            cand = Candidate(inner, m.start() + 1, m.start() + 1 + len(inner), "acronym", expansion=long,
                             covered=(clause + lf, m.end()))
            named = list(rules.intro.finditer(before))
            direct = (bool(cue) and not before[cue[-1].end():lf].strip()) or (
                bool(named) and not before[named[-1].end():lf].strip())
            titled = all(_name_like(w) or w.lower() in rules.connectors or w.lower() in ("dan", "untuk", "bagi")
                         for w in long.split())
            if not (direct or (titled and (rules.cue.search(s) or article_cue))):
                cand.reason = "acronym outside an innovation context"
            out.append(cand)
            continue
        cue = list(rules.describe_cue.finditer(before))
        if cue:
            desc = before[cue[-1].end():].strip()
            span = take_name(before, cue[-1].end(), rules)
            if span and not before[span[1]:].strip():
                continue  # "inovasi Name (Other Name)": the paren is a gloss; the cue rule reads Name
            if desc and "," not in desc and len(desc.split()) <= 12:
                out.append(Candidate(inner, m.start() + 1, m.start() + 1 + len(inner), "cueparen", expansion=desc,
                                     covered=(clause + cue[-1].end(), m.end())))
    # 1b. "ACRONYM atau Long Form"
    for m in re.finditer(r"\s+atau\s+", s):
        st = _back_name(s, m.start(), rules)
        if st is None:
            continue
        short = s[st:m.start()].strip()
        if len(short.split()) > 2 or not is_acronym_like(short):
            continue
        words, end = [], m.end()
        for t in _TOK.finditer(s, m.end()):
            if s[end:t.start()].strip() or len(words) >= 12:
                break
            w = t.group()
            if not (_name_like(w) or w.lower() in rules.connectors or w.lower() in ("dan", "untuk", "bagi", "antar")):
                break
            words.append(w)
            end = t.end()
        while words and not _name_like(words[-1]):
            end -= len(words.pop()) + 1
        long = s[m.end():end]
        if len(words) >= 2 and coverage(short, long) >= rules.min_coverage and not agencies.head.match(long) and (
                reject_reason(long, rules, places, agencies, True) in ("", "too long")):
            cand = Candidate(short, st, st + len(short), "acronym", expansion=long, covered=(st, end))
            if not article_cue:
                cand.reason = "acronym outside an innovation context"
            out.append(cand)
    covered = [c.covered for c in out if c.covered and not c.reason]

    def free(a: int) -> bool:
        return not any(x <= a < y for x, y in covered) and not any(c.start <= a < c.end for c in out)

    # 2. cue words: "inovasi X", "bernama X", "dengan nama inovasi X"
    for rx, via in ((rules.intro, "named"), (rules.cue, "cue")):
        for m in rx.finditer(s):
            pos = m.end()
            prev = s[:m.start()].split()
            if via == "cue" and prev and prev[-1].lower().strip(",.") in rules.cue_blockers:
                continue  # "Lomba Inovasi Daerah X", "Jaringan Inovasi ...": part of another name
            intro = rules.intro.match(s, pos + 1 if s[pos:pos + 1] == " " else pos)
            if via == "cue" and intro:
                continue  # "inovasi bernama X" is read by the intro rule
            span = take_name(s, pos, rules)
            while span and free(span[0]):
                name = s[span[0]:span[1]]
                cand = Candidate(name, span[0], span[1], via)
                tail = rules.expansion_intro.match(s, span[1])
                if tail:
                    exp_end = min([i for i in (s.find(",", tail.end()), s.find(" serta ", tail.end()), len(s)) if i >= 0])
                    cand.expansion = s[tail.end():exp_end].strip(" .")
                out.append(cand)
                nxt = re.match(r"\s*(?:,\s*(?:dan\s+|serta\s+)?|\s+dan\s+|\s+serta\s+)", s[span[1]:])
                if not nxt:
                    break
                span = take_name(s, span[1] + nxt.end(), rules)
    # 2b. applications: "aplikasi X milik <Agency>", in an article about innovation
    for m in rules.app_cue.finditer(s):
        span = take_name(s, m.end(), rules)
        if not span or not free(span[0]):
            continue
        cand = Candidate(s[span[0]:span[1]], span[0], span[1], "app")
        if not (article_cue or agencies.owner_after.match(s, span[1])):
            cand.reason = "an application outside an innovation context"
        out.append(cand)
    # 3. innovators: "inovator X, Person"
    for m in re.finditer(r"(?i)\binovator\s+(?:inovasi\s+)?", s):
        span = take_name(s, m.end(), rules)
        if span and s[span[1]:span[1] + 1] == ",":
            if free(span[0]):
                out.append(Candidate(s[span[0]:span[1]], span[0], span[1], "innovator"))
    # 4. bare items of an innovation list
    if kind == "item" and header_cue and not any(c.via == "item" for c in out):
        mark = _ITEM_MARK.match(s)
        off = mark.end() if mark else 0
        span = take_name(s, off, rules)
        if span and free(span[0]):
            rest = s[span[1]:].strip(" .")
            sep = agencies.list_separator.match(s[span[1]:])
            ag = []
            if sep:
                ag = [a for a in agency_spans(s[span[1] + sep.end():], agencies) if a[0] == 0]
            if not rest:
                out.append(Candidate(s[span[0]:span[1]], span[0], span[1], "item"))
            elif ag:
                agency = s[span[1] + sep.end():span[1] + sep.end() + ag[0][1]]
                out.append(Candidate(s[span[0]:span[1]], span[0], span[1], "item", agency=agency))
            elif _ITEM_GLOSS.match(s, span[1]) and not any(a <= span[0] < b for a, b in spans):
                # "- Sahabat Lansia: layanan jemput bola ...": the item's name, then what it does
                out.append(Candidate(s[span[0]:span[1]], span[0], span[1], "item"))
    if kind != "item":
        _inline_list(s, out, rules, agencies, spans, free)
        _quoted(s, out, rules, free)
        if rules.cueless_gate is not None and rules.cueless_gate.search(s) and rules.cue.search(s):
            _cueless(s, out, rules, agencies, places, spans, free)
    # 5. "<Agency> berupa <description in lower case>"
    for m in rules.describe_cue.finditer(s):
        if not any(0 <= m.start() - b <= 1 for _, b in spans) or not free(m.end()):
            continue
        if take_name(s, m.end(), rules) or rules.intro.match(s, m.end()):
            continue
        words = []
        for t in _TOK.finditer(s, m.end()):
            w = t.group()
            if s[(words[-1][1] if words else m.end()):t.start()].strip():
                break
            if w[:1].isupper() and w in rules.place_words or w.lower() in rules.stop_words or w.endswith("."):
                if w.endswith(".") and not (w[:1].isupper() and w in rules.place_words) and w.lower().rstrip(".") not in rules.stop_words:
                    words.append((t.start(), t.end() - 1))
                break
            words.append((t.start(), t.end()))
            if len(words) > rules.lower_max:
                break
        if 2 <= len(words) <= rules.lower_max:
            a, b = words[0][0], words[-1][1]
            if re.match(r"\s*(?:,\s*)?(?:yang\s+)?(?:diberi\s+nama|bernama|dinamakan|dinamai|disebut)\b", s[b:]):
                continue  # the name follows; the named rule reads it
            out.append(Candidate(s[a:b], a, b, "described"))
    for c in out:
        c.name = c.name.strip(" .,'\"“”‘’")
        low = c.name.lower()
        for lead in rules.strip_leading:
            if low.startswith(lead) and len(c.name) > len(lead):
                c.start += len(lead)
                c.name = c.name[len(lead):].strip(" \"“”")
                break
        if not c.reason:  # an acronym with its (non-agency) long form may look like an agency's
            c.reason = reject_reason(c.name, rules, places, agencies, c.via == "acronym" and bool(c.expansion))
        if not c.reason and c.via == "acronym" and all(w in rules.generic for w in norm(c.expansion).split()):
            c.reason = "the long form is a generic phrase"
    for c in out:  # a gloss in parentheses right after an accepted name is not a second name
        if not c.reason and c.via in ("acronym", "cueparen") and any(
                o is not c and not o.reason and o.end <= c.start - 1 and not s[o.end:c.start - 1].strip() for o in out):
            c.reason = "a gloss of the name before it"
    return out


_SEP = re.compile(r"\s*(?:,\s*(?:dan|serta)\s+|,\s*|\s+dan\s+|\s+serta\s+|;\s*(?:dan\s+)?)")


def _inline_list(s: str, out: list[Candidate], rules: NameRules, agencies: AgencyRules,
                 spans: list[tuple[int, int]], free) -> None:
    """'Ketiga inovasi itu adalah A dari Dinas X, B (Y) serta C': walk the items after a list
    intro that follows an innovation cue; each item is a name, then an optional owner."""
    cue = rules.cue.search(s)
    if not cue:
        return
    intro = rules.list_intro.search(s, cue.end())
    if not intro or len(s[cue.end():intro.start()].split()) > 12:
        return
    if any(c.end <= intro.start() and not s[c.end:intro.start()].strip(" ,") for c in out if not c.reason):
        return  # 'SIPADI yakni Sistem ...': a long form follows the name, not a list
    pos = intro.end()
    found = []
    while pos < len(s):
        span = take_name(s, pos, rules)
        if not span:
            break
        end = span[1]
        agency = ""
        paren = re.match(r"\s*\(([^()]{1,80})\)", s[end:])
        sep_owner = agencies.owner_after.match(s, end)
        if paren:
            agency = paren.group(1) if _agency_like_simple(paren.group(1), agencies) else ""
            end += paren.end()
        elif sep_owner:
            ag = [b for a, b in spans if a == sep_owner.end()]
            if not ag:
                break
            end = _cut_at_next_item(s, sep_owner.end(), ag[0], rules, agencies)
            agency = s[sep_owner.end():end]
        found.append((span, agency))
        rel = re.compile(r"\s+yang\s[^,;]*").match(s, end)  # "..., yang mempertemukan ...": skip the clause
        if rel:
            end = rel.end()
        sep = _SEP.match(s, end)
        if not sep:
            break
        pos = sep.end()
    if len(found) < 2:
        return
    for (a, b), agency in found:
        if free(a):
            out.append(Candidate(s[a:b], a, b, "item", agency=agency))


def _cut_at_next_item(s: str, a: int, b: int, rules: NameRules, agencies: AgencyRules) -> int:
    """'milik Disdukcapil Badung dan Tera Keliling Pasar dari Dinas X': the agency span ran
    over the next item; cut it before the 'dan' that opens a name followed by its owner."""
    for m in re.finditer(r"\s+(?:dan|serta)\s+", s[a:b]):
        span = take_name(s, a + m.end(), rules)
        if span and (agencies.owner_after.match(s, span[1]) or re.match(r"\s*\(", s[span[1]:])):
            return a + m.start()
    return b


def _agency_like_simple(inner: str, agencies: AgencyRules) -> bool:
    return bool(agencies.head.match(inner.strip()))


_QUOTED = re.compile(r"[\"“]([^\"“”]{2,60})[\"”]")


def _quoted(s: str, out: list[Candidate], rules: NameRules, free) -> None:
    """'aplikasi pengaduan "Lapor Pak"': a quoted proper name shortly after a cue word."""
    for m in _QUOTED.finditer(s):
        inner = m.group(1).strip()
        span = take_name(inner, 0, rules)
        if not span or span[1] != len(inner) or not free(m.start(1)):
            continue
        before = s[max(0, m.start() - 60):m.start()].lower().split()[-4:]
        if any(w.strip(",.") in rules.quote_cues for w in before):
            out.append(Candidate(inner, m.start(1), m.start(1) + len(inner), "quoted"))


def _strong_name(s: str, a: int, b: int, rules: NameRules, single_ok: bool) -> bool:
    """Shape evidence for a name without a cue word: two or more capitalised words, an
    acronym ('SI-PINTAR'), or -- where the context is strong (single_ok) -- one coined word."""
    words = s[a:b].split()
    caps = [w for w in words if _name_like(w) and not w.isdigit()]
    if len(caps) >= 2:
        return True
    if len(words) != 1:
        return False
    w = words[0]
    if sum(c.isupper() for c in w) >= 2 and len(w) >= 3:
        return True
    return single_ok and len(w) >= rules.single_min_len and w[:1].isupper() and w[1:].islower()


def _cueless_span(s: str, a: int, b: int, rules: NameRules, agencies: AgencyRules,
                  spans: list[tuple[int, int]], free, single_ok: bool) -> tuple[int, int] | None:
    """Trim sentence-opening words off a back-scanned span and check it may be a name."""
    while a < b:
        first = s[a:b].split(" ", 1)[0]
        if first.lower().strip(",") in rules.opening_words:
            a += len(first) + 1
            while a < b and s[a] == " ":
                a += 1
        else:
            break
    if a >= b or not free(a) or any(x <= a < y or a <= x < b for x, y in spans):
        return None  # an agency, or a span another rule read
    if agencies.head.match(s, a) or not _strong_name(s, a, b, rules, single_ok):
        return None
    if norm(s[a:b].split(" ", 1)[0]) in rules.reject_first:
        return None  # "Program Keluarga Harapan": judged whole, before 'program' is stripped
    return a, b


def _cueless(s: str, out: list[Candidate], rules: NameRules, agencies: AgencyRules, places: Places,
             spans: list[tuple[int, int]], free) -> None:
    """Names without a cue word right before them, in a sentence about innovation (the caller
    checks both gates): the name must be the subject of an owner clause ('X yang digagas
    <Agency>'), the object of a creation verb ('meluncurkan X'), an apposition of 'inovasi'
    ('X, sebuah inovasi ...', 'inovasi lain, X, ...'), or follow 'inovasi ... adalah'."""
    found: list[tuple[int, int]] = []
    starts = {a for a, _ in spans}
    if rules.cueless_owner is not None:
        for m in rules.cueless_owner.finditer(s):
            if m.end() not in starts:
                continue  # the owner must follow: an agency or government
            a = _back_name(s, m.start(), rules)
            if a is not None:
                found.append((a, m.start(), True))
    if rules.cueless_apposition is not None:
        for m in rules.cueless_apposition.finditer(s):
            a = _back_name(s, m.start(), rules)
            if a is not None:
                found.append((a, m.start(), True))
    for rx in (rules.cueless_active, rules.cueless_after_cue):
        if rx is None:
            continue
        for m in rx.finditer(s):
            span = take_name(s, m.end(), rules)
            if span and s[span[0] - 1:span[0]] not in "\"“'‘":
                found.append((span[0], span[1], False))
    owners: dict[int, str] = {}
    if rules.possessive_cue is not None and rules.possessive_link is not None:
        # "(salah satu) inovasi <Agency> adalah/yaitu <Name>": the agency owns the name
        ends = dict(spans)
        for m in rules.possessive_cue.finditer(s):
            if m.end() not in ends:
                continue
            link = rules.possessive_link.match(s, ends[m.end()])
            span = take_name(s, link.end(), rules) if link else None
            if span and s[span[0] - 1:span[0]] not in "\"“'‘":
                found.append((span[0], span[1], True))
                owners[span[0]] = s[m.end():ends[m.end()]]
    for a, b, single_ok in found:
        span = _cueless_span(s, a, b, rules, agencies, spans, free, single_ok)
        if span and not any(c.start == span[0] for c in out):
            out.append(Candidate(s[span[0]:span[1]], span[0], span[1], "cueless", agency=owners.get(a, "")))
