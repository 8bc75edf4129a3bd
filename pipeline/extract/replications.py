"""Replications: one government copying another's innovation, as regional news writes it.

Shapes (verbs and cue words are data in corpora/patterns/replications.json; names are read
with the mention rules, never from a list):

  renamed   X (milik Y) [yang] direplikasi/diadopsi [oleh Z] menjadi/dengan nama W
  passive   X milik Y kini diadopsi oleh Pemkab Z          (a replicating government is named)
  active    Z mereplikasi/mengadopsi/meniru/melakukan ATM terhadap inovasi X [milik Y]
            [menjadi/dengan nama/dan menamainya W]; 'Z mereplikasi inovasi tersebut' (anaphor)
  list      Z mereplikasi tiga inovasi, yakni A dari Y1, B dari Y2 dan C;
            inovasi yang diadopsi Pemkab Z antara lain A (Kota Y1), B ...
  nominal   W merupakan (hasil) replikasi dari inovasi X milik Y;  W, hasil ATM dari X
  version   versi lokal dari inovasi X (itu) bernama W
  inspired  terinspirasi dari X milik Y, Pemkab Z meluncurkan W;  W yang terinspirasi dari X
  weak      studi tiru / belajar dari / mempelajari X: a replication only when a new name
            follows (``weak``: the article must go on to name the adopted version)

Not replications: hopes and eligibility ('berharap ... bisa direplikasi daerah lain',
'layak direplikasi', 'ingin mereplikasi'), a passive without a replicating government or a
new name ('sudah direplikasi daerah lain'), 'replika' (a model), and an agency spreading its
own innovation to more villages (``expansion``: decided in the extractor, which knows the
source's owner).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .acronyms import coverage, is_acronym_like
from .names import NameRules, _back_name, take_name
from .owners import Places

_NEVER = "(?!)"
_PAREN = re.compile(r"\)|\s*\([^)]*\)")
_ANAPHOR = re.compile(r"(?i)(?:inovasi\s+)?(?:tersebut|ini|itu|serupa)\b|nya\b")
# where a name read after a cue runs into a place ('X ke 20 desa', 'X di seluruh puskesmas')
_NAME_TAIL = re.compile(r"\s+(?:ke|di)\s+(?=\d|se(?:luruh|mua|jumlah)\b|desa|kelurahan|kecamatan|puskesmas|sekolah)")
_ITEM_SEP = re.compile(r"\s*(?:,\s*(?:dan\s+|serta\s+)?|;\s*|\s+(?:dan|serta)\s+)")
_CLAUSE_CUT = re.compile(r"(?i);|,\s*(?:seperti|misalnya|contohnya|yakni|yaitu)\b|[\"“”]")
_FROM_AFTER = re.compile(r"(?i)\s+dari\s+(?:inovasi\s+)?")
_ACR_PAREN = re.compile(r"\s*\((?=[A-Z])[^()]{1,40}\)(?=[^()]*$)")
_ANAPHOR_END = re.compile(r"(?i)\b(?:inovasi|layanan|program|aplikasi)\s+(?:ini|tersebut|itu)(?:\s+(?:sudah|telah|kini|juga|pun|banyak))*\s*$")
_BEFORE_VERB = re.compile(r"(?i)(?:\s+(?:yang|kini|telah|sudah|juga|akan|mulai|pun|pula|berhasil|sukses|resmi))+\s*$")


@dataclass(frozen=True)
class ReplicationRules:
    renamed: re.Pattern
    replicates: re.Pattern
    replicated: re.Pattern
    from_: re.Pattern
    cue: re.Pattern = re.compile(_NEVER)  # on the lowercased sentence
    cue_cased: re.Pattern = re.compile(_NEVER)
    name_after: re.Pattern = re.compile(_NEVER)
    nominal: re.Pattern = re.compile(_NEVER)
    version: re.Pattern = re.compile(_NEVER)
    inspired: re.Pattern = re.compile(_NEVER)
    launch: re.Pattern = re.compile(_NEVER)
    weak: re.Pattern = re.compile(_NEVER)
    noun: re.Pattern = re.compile(_NEVER)
    hedge_before: re.Pattern = re.compile(_NEVER)
    active_hedge: re.Pattern = re.compile(_NEVER)
    wish: re.Pattern = re.compile(_NEVER)
    generic_target: re.Pattern = re.compile(_NEVER)
    expansion: re.Pattern = re.compile(_NEVER)
    list_intro: re.Pattern = re.compile(_NEVER)

    @classmethod
    def from_data(cls, data: dict) -> "ReplicationRules":
        def rx(key: str, flags: int = 0) -> re.Pattern:
            return re.compile(data.get(key) or _NEVER, flags)

        # the gate: literal cue words in the lowercased sentence (a case-insensitive regex with
        # word boundaries costs ten times more, on every sentence of every article)
        words = [re.escape(w.lower()) for w in data.get("cue_words", [])]
        cased = [re.escape(w) for w in data.get("cue_words_cased", [])]
        cue = re.compile("|".join(words) or _NEVER)
        cue_cased = re.compile("|".join(cased) or _NEVER)
        return cls(rx("renamed_regex"), rx("replicates_regex"), rx("replicated_regex"),
                   rx("from_regex", re.IGNORECASE), cue=cue, cue_cased=cue_cased, name_after=rx("name_after_regex"),
                   nominal=rx("nominal_regex"), version=rx("version_regex"), inspired=rx("inspired_regex"),
                   launch=rx("launch_regex"), weak=rx("weak_regex"), noun=rx("noun_regex"), hedge_before=rx("hedge_before_regex"),
                   active_hedge=rx("active_hedge_regex"), wish=rx("wish_regex"),
                   generic_target=rx("generic_target_regex"), expansion=rx("expansion_regex"),
                   list_intro=rx("list_intro_regex"))


@dataclass(frozen=True)
class FoundReplication:
    source: tuple[int, int]  # span of the source name in the sentence
    target: tuple[int, int] | None
    target_region: str = ""
    source_region: str = ""
    anaphor: bool = False  # 'mereplikasi inovasi tersebut': the source is the innovation named before
    weak: bool = False  # a study visit / learning: counts only when the adopted version is named
    expansion: bool = False  # 'ke 20 desa lainnya': not a replication when source and target are one government


def find_replications(s: str, rules: ReplicationRules, names: NameRules, places: Places,
                      candidates=()) -> list[FoundReplication]:
    if not (rules.cue.search(s.lower()) or rules.cue_cased.search(s)):
        return []
    cands = [c for c in candidates if not c.reason]
    out: list[FoundReplication] = []

    def add(fr: FoundReplication, same_source: bool = False) -> None:
        if fr.anaphor or same_source or not any(o.source == fr.source or _overlap(o.source, fr.source) or
                                 (o.target and _overlap(o.target, fr.source)) for o in out):
            out.append(fr)

    _renamed(s, rules, names, places, cands, add)
    _nominal(s, rules, names, places, cands, add)
    _active(s, rules, names, places, add)
    _passive(s, rules, names, places, cands, add)
    _inspired(s, rules, names, places, cands, add)
    _weak(s, rules, names, places, add)
    return out


# -- the shapes ---------------------------------------------------------------------------

def _renamed(s, rules, names, places, cands, add) -> None:
    """'X (milik Y) yang direplikasi (oleh Z) menjadi W'."""
    for m in rules.renamed.finditer(s):
        if rules.hedge_before.search(s, max(0, m.start() - 40), m.start()):
            continue
        tgt = take_name(s, m.end(), names)
        if not tgt:
            continue
        # the source: the innovation named last before the verb ('X (ACR) milik Y direplikasi')
        before = [c for c in cands if c.end <= m.start()]
        if before:
            src = (before[-1].start, before[-1].end)
        else:
            st = _back_name(s, m.start(), names)
            if st is None:
                continue
            src = (st, len(s[:m.start()].rstrip()))
        by = re.match(r"\s+oleh\s+", s[tgt[1]:])
        treg = ""
        if by:
            regs = places.find_regions(s[tgt[1] + by.end():tgt[1] + by.end() + 60])
            treg = regs[0].name if regs else ""
        if not treg:  # 'direplikasi Pemkab Z menjadi W'
            treg = _first_region(places, s[m.start():m.end()], typed=True)
        sreg = _owner_region(s, src[1], rules, places, m.start())
        add(FoundReplication(_short_form(s, src), _short_form(s, tgt), treg or _region_before(s, src[0], places),
                             sreg))


def _nominal(s, rules, names, places, cands, add) -> None:
    """'W merupakan replikasi dari inovasi X milik Y', 'versi lokal dari X bernama W'."""
    for m in rules.nominal.finditer(s):
        src = _name_at(s, m.end(), names, places)
        if not src:
            continue
        before = [c for c in cands if c.end <= m.start() and not s[c.end:m.start()].strip(" ,)")]
        if before:
            tgt = (before[-1].start, before[-1].end)
        else:
            end = len(s[:m.start()].rstrip(" ,"))
            st = _back_name(s, end, names)
            if st is None:
                continue
            tgt = (st, end)
        add(FoundReplication(_short_form(s, src), tgt, _region_before(s, tgt[0], places) or name_region(
            s[tgt[0]:tgt[1]], places), _owner_region(s, src[1], rules, places)))
    for m in rules.version.finditer(s):
        src = _name_at(s, m.end(), names, places)
        if not src:
            continue
        nm = rules.name_after.match(s, src[1])
        tgt = take_name(s, nm.end(), names) if nm and nm.end() - src[1] <= 60 else None
        treg = _first_region(places, s[m.start():m.end()]) or _region_before(s, m.start(), places)
        add(FoundReplication(_short_form(s, src), tgt and _short_form(s, tgt), treg,
                             _owner_region(s, src[1], rules, places), weak=not tgt))


def _active(s, rules, names, places, add) -> None:
    """'Z mereplikasi inovasi X (milik Y) [menjadi W]', a list of sources, or 'inovasi tersebut'."""
    for m in rules.replicates.finditer(s):
        if _hedged(s, m.start(), rules, rules.active_hedge):
            continue
        treg = _region_before(s, m.start(), places)
        # 'mereplikasi tiga inovasi, yakni A, B dan C' (not 'mereplikasi X, yakni <a description>')
        items = [] if _name_at(s, m.end(), names, places) else _list_after(s, m.end(), rules, names, places)
        if items:
            for span, sreg in items:
                add(FoundReplication(span, None, treg, sreg))
            continue
        src = _name_at(s, m.end(), names, places)
        if not src:
            if _ANAPHOR.match(s, m.end()) or s[m.start():m.end()].lower().rstrip().endswith("nya"):
                add(FoundReplication((0, 0), None, treg, "", True,
                                     expansion=bool(rules.expansion.match(s, m.end()))))
            continue
        sreg = _owner_region(s, src[1], rules, places)
        target = None
        nm = rules.name_after.match(s, src[1])
        if nm:
            target = take_name(s, nm.end(), names)
        add(FoundReplication(_short_form(s, src), target and _short_form(s, target), treg, sreg,
                             expansion=bool(rules.expansion.match(s, src[1]))))


def _passive(s, rules, names, places, cands, add) -> None:
    """'X milik Y kini diadopsi oleh Pemkab Z': a replicating government must be named."""
    for m in rules.replicated.finditer(s):
        if _hedged(s, m.start(), rules, rules.hedge_before):
            continue
        if rules.generic_target.match(s, m.end()) or rules.expansion.match(s, m.end()):
            continue  # 'direplikasi daerah lain', 'direplikasi ke 20 desa'
        head = _BEFORE_VERB.sub("", s[:m.start()])
        before = [c for c in cands if c.end <= len(head) and len(head) - c.end <= 100
                  and not re.search(r"[;.]", s[c.end:len(head)])]
        frm = _FROM_AFTER.match(s, m.end())
        if frm:  # 'W yang diadopsi dari inovasi X milik Kota Y'
            src = _name_at(s, frm.end(), names, places)
            if src:
                tgt = (before[-1].start, before[-1].end) if before and m.start() - before[-1].end <= 40 else None
                treg = _region_before(s, tgt[0] if tgt else m.start(), places) or (
                    name_region(s[tgt[0]:tgt[1]], places) if tgt else "")
                add(FoundReplication(_short_form(s, src), tgt, treg, _owner_region(s, src[1], rules, places),
                                     weak=not (tgt or treg)))
            continue
        by = re.match(r"\s*(?:,\s*)?(?:(?:antara\s+lain|di\s*antaranya|yakni|yaitu|seperti)\s+)?(?:oleh\s+)?", s[m.end():])
        e = m.end() + by.end()
        regs = [p for p in places.find_regions(s[e:e + 80]) if len(s[e:e + p.start].split()) <= 5
                and not re.search(r"[,;.()]|\b(?:dari|milik|asal)\b", s[e:e + p.start])]
        if not regs:
            continue
        treg = regs[0].name
        items = _list_after(s, e + regs[0].end, rules, names, places)
        if items:
            for span, sreg in items:
                add(FoundReplication(span, None, treg, sreg))
            continue
        # more governments: 'oleh Disdukcapil Kabupaten X dan Kabupaten Y'
        tregs = [treg]
        last = regs[0].end
        for p in places.find_regions(s[e + last:e + last + 160]):
            gap = s[e + last:e + last + p.start]
            if not re.fullmatch(r"\s*(?:,\s*|,?\s*(?:dan|serta)\s+)(?:[A-Z][\w-]*\s+){0,3}", gap):
                break
            tregs.append(p.name)
            last += p.end
        if before:
            src = (before[-1].start, before[-1].end)
        else:
            acr = list(_ACR_PAREN.finditer(head))
            st = _back_name(s, acr[-1].start(), names) if acr else None
            if acr and st is not None and _short_form(s, (st, acr[-1].start()))[0] > st:
                src = (st, acr[-1].start())
            elif _ANAPHOR_END.search(head):  # 'Inovasi ini sudah ditiru oleh Kabupaten X'
                for tr in tregs:
                    add(FoundReplication((0, 0), None, tr, "", True))
                continue
            else:
                st = _back_name(s, len(head), names)
                if st is None:
                    continue
                src = (st, len(head))
        name = s[src[0]:src[1]]
        if places.resolve_region(name):
            continue
        sreg = _owner_region(s, src[1], rules, places)
        for k, tr in enumerate(dict.fromkeys(tregs)):
            if tr != sreg:  # not one government's own units
                add(FoundReplication(_short_form(s, src), None, tr, sreg), same_source=k > 0)


def _inspired(s, rules, names, places, cands, add) -> None:
    """'terinspirasi dari X milik Y, Pemkab Z meluncurkan W' / 'W yang terinspirasi dari X'."""
    for m in rules.inspired.finditer(s):
        src = _name_at(s, m.end(), names, places)
        if not src:
            continue
        sreg = _owner_region(s, src[1], rules, places)
        before = [c for c in cands if c.end <= m.start() and m.start() - c.end <= 40]
        tgt, treg = None, ""
        if before:
            tgt = (before[-1].start, before[-1].end)
            treg = _region_before(s, tgt[0], places)
        else:
            launch = rules.launch.search(s, src[1])
            after = [c for c in cands if launch and c.start >= launch.end() and c.start - launch.end() <= 40]
            if after:
                tgt = (after[0].start, after[0].end)
                clause = s[src[1]:launch.start()]
                cut = clause.rfind(",")
                treg = _first_region(places, clause[cut + 1:] if cut >= 0 else clause, typed=True)
        add(FoundReplication(_short_form(s, src), tgt and _short_form(s, tgt), treg, sreg, weak=not tgt))


def _weak(s, rules, names, places, add) -> None:
    """'studi tiru ke Y untuk mempelajari inovasi X', 'replikasi inovasi X milik Y (menjadi W)':
    a replication only if a new name follows."""
    first = None
    for m in list(rules.noun.finditer(s)) + list(rules.weak.finditer(s)):
        if _hedged(s, m.start(), rules, rules.active_hedge):
            continue
        first = first if first is not None else m.start()
        src = _name_at(s, m.end(), names, places)
        if not src:
            continue
        sreg = _owner_region(s, src[1], rules, places) or _first_region(places, s[first:src[0]], typed=True)
        target = None
        nm = rules.name_after.match(s, src[1])
        if nm:
            target = take_name(s, nm.end(), names)
        add(FoundReplication(_short_form(s, src), target and _short_form(s, target),
                             _region_before(s, first, places), sreg, weak=not target))


# -- helpers ------------------------------------------------------------------------------

def _hedged(s: str, pos: int, rules: ReplicationRules, modal: re.Pattern) -> bool:
    """A hope or an eligibility, not a copy: 'bisa direplikasi', 'berharap ... mereplikasi'."""
    if modal.search(s, max(0, pos - 40), pos):
        return True
    window = s[max(0, pos - 120):pos]
    cuts = list(_CLAUSE_CUT.finditer(window))
    if cuts:
        window = window[cuts[-1].end():]
    return bool(rules.wish.search(window))


def _name_at(s: str, pos: int, names: NameRules, places: Places) -> tuple[int, int] | None:
    """The innovation name read at pos, cut before a place it runs into; never a region."""
    span = take_name(s, pos, names)
    if not span:
        return None
    cut = _NAME_TAIL.search(s, span[0], span[1])
    if cut:
        span = (span[0], cut.start())
    name = s[span[0]:span[1]]
    if not name.strip() or places.resolve_region(name):
        return None
    return span


def _list_after(s: str, pos: int, rules: ReplicationRules, names: NameRules,
                places: Places) -> list[tuple[tuple[int, int], str]]:
    """'(tiga inovasi), yakni A dari Kota Y, B (Kabupaten Z) dan C': each item a source."""
    intro = rules.list_intro.match(s, pos)
    if not intro:
        return []
    seg_end = len(s.rstrip(" ."))
    items: list[tuple[tuple[int, int], str]] = []
    shared = _first_region(places, s[pos:intro.start()] if "dari" in s[pos:intro.end()] else "", typed=True)
    i = intro.end()
    while i < seg_end:
        span = _name_at(s, i, names, places)
        sep = _ITEM_SEP.search(s, span[1] if span else i)
        nxt = sep.end() if sep else len(s)
        if span:
            piece = s[span[1]:sep.start() if sep else len(s)]
            own = rules.from_.match(piece) or re.match(r"\s*\(", piece)
            reg = _first_region(places, piece[own.end():]) if own else ""
            items.append((_short_form(s, span), reg or shared))
        if nxt <= i:
            break
        i = nxt
    return items if len(items) >= 1 and all(sp[1] > sp[0] for sp, _ in items) else []


def _owner_region(s: str, end: int, rules: ReplicationRules, places: Places, stop: int | None = None) -> str:
    """'X milik/dari/asal <Region>' or 'X (ACR) milik <Region>': the source's government."""
    tail = s[end:stop]
    paren = _PAREN.match(tail)  # 'Long (ACR) milik Y', or the acronym itself closing 'Long (ACR'
    if paren:
        tail = tail[paren.end():]
    fm = rules.from_.match(tail)
    if not fm:
        return ""
    regs = places.find_regions(tail[fm.end():fm.end() + 60])
    if regs and regs[0].start == 0:
        return regs[0].name
    regs = places.find_regions(tail[:120])
    return regs[0].name if regs else ""


def _first_region(places: Places, text: str, typed: bool = False) -> str:
    if not text:
        return ""
    regs = [p for p in places.find_regions(text) if p.typed or not typed]
    return regs[0].name if regs else ""


def name_region(name: str, places: Places) -> str:
    """'Gresik Lapor', 'Si Lancar Bitung': a region word inside the new name."""
    for w in name.split():
        if w[:1].isupper() and places.is_region_word(w):
            hit = places.resolve_region(w)
            if hit:
                return hit[0]
    return ""


def target_region(texts: list[str], target: str, places: Places) -> str:
    """The replicating government of a new name: a region in the name ('Gresik Lapor'), else
    the subject of the first sentence (of ``texts``) that writes it ('Disdukcapil Kota X
    meluncurkan inovasi serupa dengan nama W')."""
    hit = name_region(target, places)
    if hit:
        return hit
    for s in texts:
        pos = s.find(target)
        if pos >= 0:
            return _region_before(s, pos, places)
    return ""


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _short_form(s: str, span: tuple[int, int]) -> tuple[int, int]:
    """'Long Form (ACRONYM)': the acronym is the name (as the mention rules read it)."""
    m = re.match(r"\s*\(([^()]{1,40})\)", s[span[1]:])
    if m and is_acronym_like(m.group(1)) and coverage(m.group(1), s[span[0]:span[1]]) >= 0.6:
        return span[1] + m.start(1), span[1] + m.end(1)
    return span


def _region_before(s: str, pos: int, places: Places) -> str:
    """The replicating government: the first region named before the verb (the subject)."""
    regs = places.find_regions(s[:pos])
    typed = [p for p in regs if p.typed]
    if typed:
        return typed[0].name
    # a bare region as the sentence's subject ('Gunungkidul menjadi daerah pertama yang ...')
    return regs[0].name if regs and not s[:regs[0].start].strip(" \"'“”") else ""
