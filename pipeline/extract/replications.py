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

from ..gazetteer import Gazetteer
from .acronyms import coverage, is_acronym_like
from .names import NameRules, back_name, take_name

_NEVER = "(?!)"
_PAREN = re.compile(r"\)|\s*\([^)]*\)")
_ACR_PAREN = re.compile(r"\s*\((?=[A-Z])[^()]{1,40}\)(?=[^()]*$)")


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
    wish_done: re.Pattern = re.compile(_NEVER)  # 'berhasil mendorong': the wish came true
    generic_target: re.Pattern = re.compile(_NEVER)
    expansion: re.Pattern = re.compile(_NEVER)
    list_intro: re.Pattern = re.compile(_NEVER)
    anaphor: re.Pattern = re.compile(_NEVER)  # 'mereplikasi inovasi tersebut'
    anaphor_suffix: str = ""  # 'mereplikasinya'
    name_tail: re.Pattern = re.compile(_NEVER)  # a name read after a cue runs into a place
    item_separator: re.Pattern = re.compile(_NEVER)
    clause_cut: re.Pattern = re.compile(_NEVER)  # a hope is read only within its own clause
    from_after: re.Pattern = re.compile(_NEVER)  # 'W yang diadopsi dari (inovasi) X'
    anaphor_end: re.Pattern = re.compile(_NEVER)  # 'Inovasi ini sudah ditiru oleh ...'
    before_verb: re.Pattern = re.compile(_NEVER)  # 'X yang kini diadopsi'
    by: re.Pattern = re.compile(_NEVER)  # '... oleh Z'
    passive_by: re.Pattern = re.compile(_NEVER)  # 'diadopsi, antara lain oleh Z'
    owner_between: re.Pattern = re.compile(_NEVER)  # an owner word between the verb and a region
    more_governments: re.Pattern = re.compile(_NEVER)  # '..., dan Kabupaten Y'
    shared_owner_word: str = ""  # 'tiga inovasi dari Kota Y, yakni ...': one owner for the list
    source_lead: re.Pattern = re.compile(_NEVER)  # 'seperti X', 'inovasi X': not part of the name
    source_tail: re.Pattern = re.compile(_NEVER)  # 'sistem X-nya': not part of the name
    commitment: re.Pattern = re.compile(_NEVER)  # 'komitmen replikasi inovasi X': decided, not a visit
    first_person: re.Pattern = re.compile(_NEVER)  # 'Kami akan meniru X': the speaker's government

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
                   active_hedge=rx("active_hedge_regex"), wish=rx("wish_regex"), wish_done=rx("wish_done_regex"),
                   generic_target=rx("generic_target_regex"), expansion=rx("expansion_regex"),
                   list_intro=rx("list_intro_regex"), anaphor=rx("anaphor_regex"),
                   anaphor_suffix=data.get("anaphor_suffix", ""), name_tail=rx("name_tail_regex"),
                   item_separator=rx("item_separator_regex"), clause_cut=rx("clause_cut_regex"),
                   from_after=rx("from_after_regex"), anaphor_end=rx("anaphor_end_regex"),
                   before_verb=rx("before_verb_regex"), by=rx("by_regex"), passive_by=rx("passive_by_regex"),
                   owner_between=rx("owner_between_regex"), more_governments=rx("more_governments_regex"),
                   shared_owner_word=data.get("shared_owner_word", ""), source_lead=rx("source_lead_regex"),
                   source_tail=rx("source_tail_regex"), commitment=rx("commitment_regex"),
                   first_person=rx("first_person_regex"))


@dataclass(frozen=True)
class FoundReplication:
    source: tuple[int, int]  # span of the source name in the sentence
    target: tuple[int, int] | None
    target_region: str = ""
    source_region: str = ""
    anaphor: bool = False  # 'mereplikasi inovasi tersebut': the source is the innovation named before
    weak: bool = False  # a study visit / learning: counts only when the adopted version is named
    expansion: bool = False  # 'ke 20 desa lainnya': not a replication when source and target are one government


def scan_sentence(s: str, rules: ReplicationRules, names: NameRules, gaz: Gazetteer,
                  candidates=()) -> list[FoundReplication]:
    """The replication statements of one sentence (spans into it), shape by shape."""
    if not (rules.cue.search(s.lower()) or rules.cue_cased.search(s)):
        return []
    cands = [c for c in candidates if not c.reason]
    out: list[FoundReplication] = []

    def add(fr: FoundReplication, same_source: bool = False) -> None:
        if fr.anaphor or same_source or not any(o.source == fr.source or _overlap(o.source, fr.source) or
                                 (o.target and _overlap(o.target, fr.source)) for o in out):
            out.append(fr)

    _renamed(s, rules, names, gaz, cands, add)
    _nominal(s, rules, names, gaz, cands, add)
    _active(s, rules, names, gaz, add)
    _passive(s, rules, names, gaz, cands, add)
    _inspired(s, rules, names, gaz, cands, add)
    _weak(s, rules, names, gaz, add)
    return out


# -- the shapes ---------------------------------------------------------------------------

def _renamed(s, rules, names, gaz, cands, add) -> None:
    """'X (milik Y) yang direplikasi (oleh Z) menjadi W'."""
    for m in rules.renamed.finditer(s):
        if rules.hedge_before.search(s, max(0, m.start() - 40), m.start()):
            continue
        tgt = take_name(s, m.end(), names)
        if not tgt:
            continue
        # the source: the innovation named last before the verb ('X (ACR) milik Y direplikasi')
        before = [c for c in cands if c.end <= m.start()]
        st = None if before else back_name(s, m.start(), names)
        if before:
            src = (before[-1].start, before[-1].end)
        elif st is not None:
            src = (st, len(s[:m.start()].rstrip()))
        elif rules.anaphor_end.search(s, 0, m.start()):  # 'Inovasi tersebut direplikasi Z dengan nama W'
            add(FoundReplication((0, 0), _short_form(names, s, tgt),
                                 _first_region(gaz, s[m.start():m.end()], typed=True), "", True))
            continue
        else:
            continue
        by = rules.by.match(s[tgt[1]:])
        treg = ""
        if by:
            regs = gaz.regions_in(s[tgt[1] + by.end():tgt[1] + by.end() + 60])
            treg = regs[0].name if regs else ""
        if not treg:  # 'direplikasi Pemkab Z menjadi W'
            treg = _first_region(gaz, s[m.start():m.end()], typed=True)
        sreg = _owner_region(s, src[1], rules, gaz, m.start())
        add(FoundReplication(_short_form(names, s, src), _short_form(names, s, tgt), treg or region_before(s, src[0], gaz),
                             sreg))


def _nominal(s, rules, names, gaz, cands, add) -> None:
    """'W merupakan replikasi dari inovasi X milik Y', 'versi lokal dari X bernama W'."""
    for m in rules.nominal.finditer(s):
        src = _name_at(s, m.end(), names, gaz, rules)
        if not src:
            continue
        before = [c for c in cands if c.end <= m.start() and not s[c.end:m.start()].strip(" ,)")]
        if before:
            tgt = (before[-1].start, before[-1].end)
        else:
            end = len(s[:m.start()].rstrip(" ,"))
            st = back_name(s, end, names)
            if st is None:
                continue
            tgt = (st, end)
        add(FoundReplication(_short_form(names, s, src), tgt, region_before(s, tgt[0], gaz) or name_region(
            s[tgt[0]:tgt[1]], gaz), _owner_region(s, src[1], rules, gaz)))
    for m in rules.version.finditer(s):
        src = _name_at(s, m.end(), names, gaz, rules)
        if not src:
            continue
        nm = rules.name_after.match(s, src[1])
        tgt = take_name(s, nm.end(), names) if nm and nm.end() - src[1] <= 60 else None
        treg = _first_region(gaz, s[m.start():m.end()]) or region_before(s, m.start(), gaz)
        add(FoundReplication(_short_form(names, s, src), tgt and _short_form(names, s, tgt), treg,
                             _owner_region(s, src[1], rules, gaz), weak=not tgt))


def _active(s, rules, names, gaz, add) -> None:
    """'Z mereplikasi inovasi X (milik Y) [menjadi W]', a list of sources, or 'inovasi tersebut'."""
    for m in rules.replicates.finditer(s):
        if hedged(s, m.start(), rules, rules.active_hedge):
            continue
        treg = region_before(s, m.start(), gaz)
        # 'mereplikasi tiga inovasi, yakni A, B dan C' (not 'mereplikasi X, yakni <a description>')
        items = [] if _name_at(s, m.end(), names, gaz, rules) else _list_after(s, m.end(), rules, names, gaz)
        if items:
            for span, sreg in items:
                add(FoundReplication(span, None, treg, sreg))
            continue
        src = _name_at(s, m.end(), names, gaz, rules)
        if not src:
            if rules.anaphor.match(s, m.end()) or (rules.anaphor_suffix and s[m.start():m.end()].lower().rstrip().endswith(rules.anaphor_suffix)):
                add(FoundReplication((0, 0), None, treg, "", True,
                                     expansion=bool(rules.expansion.match(s, m.end()))))
            continue
        sreg = _owner_region(s, src[1], rules, gaz)
        target = None
        nm = rules.name_after.match(s, src[1])
        if nm:
            target = take_name(s, nm.end(), names)
        add(FoundReplication(_short_form(names, s, src), target and _short_form(names, s, target), treg, sreg,
                             expansion=bool(rules.expansion.match(s, src[1]))))


def _passive(s, rules, names, gaz, cands, add) -> None:
    """'X milik Y kini diadopsi oleh Pemkab Z': a replicating government must be named."""
    for m in rules.replicated.finditer(s):
        if hedged(s, m.start(), rules, rules.hedge_before):
            continue
        if rules.generic_target.match(s, m.end()) or rules.expansion.match(s, m.end()):
            continue  # 'direplikasi daerah lain', 'direplikasi ke 20 desa'
        head = rules.before_verb.sub("", s[:m.start()])
        before = [c for c in cands if c.end <= len(head) and len(head) - c.end <= 100
                  and not re.search(r"[;.]", s[c.end:len(head)])]
        frm = rules.from_after.match(s, m.end())
        if frm:
            _passive_from(s, m, frm, before, rules, names, gaz, add)
        else:
            _passive_by(s, m, head, before, rules, names, gaz, add)


def _passive_from(s, m, frm, before, rules, names, gaz, add) -> None:
    """'W yang diadopsi dari inovasi X milik Kota Y'."""
    src = _name_at(s, frm.end(), names, gaz, rules)
    if not src:
        return
    tgt = (before[-1].start, before[-1].end) if before and m.start() - before[-1].end <= 40 else None
    treg = region_before(s, tgt[0] if tgt else m.start(), gaz) or (
        name_region(s[tgt[0]:tgt[1]], gaz) if tgt else "")
    add(FoundReplication(_short_form(names, s, src), tgt, treg, _owner_region(s, src[1], rules, gaz),
                         weak=not (tgt or treg)))


def _passive_by(s, m, head, before, rules, names, gaz, add) -> None:
    """'X diadopsi (oleh) Pemkab Z [dan Kabupaten Y]', 'diadopsi Pemkab Z antara lain A, B'."""
    e = m.end() + rules.passive_by.match(s[m.end():]).end()
    regs = [p for p in gaz.regions_in(s[e:e + 80]) if len(s[e:e + p.start].split()) <= 5
            and not rules.owner_between.search(s[e:e + p.start])]
    if not regs:
        return
    items = _list_after(s, e + regs[0].end, rules, names, gaz)
    if items:
        for span, sreg in items:
            add(FoundReplication(span, None, regs[0].name, sreg))
        return
    tregs = _more_governments(s, e, regs[0], rules, gaz)
    src = (before[-1].start, before[-1].end) if before else _passive_source(s, head, rules, names)
    if src == "anaphor":  # 'Inovasi ini sudah ditiru oleh Kabupaten X'
        for tr in tregs:
            add(FoundReplication((0, 0), None, tr, "", True))
        return
    if src is None or gaz.resolve_region(s[src[0]:src[1]]):
        return
    sreg = _owner_region(s, src[1], rules, gaz)
    for k, tr in enumerate(dict.fromkeys(tregs)):
        if tr != sreg:  # not one government's own units
            add(FoundReplication(_short_form(names, s, src), None, tr, sreg), same_source=k > 0)


def _more_governments(s, e, first, rules, gaz) -> list[str]:
    """'oleh Disdukcapil Kabupaten X dan Kabupaten Y': every government of the list."""
    tregs = [first.name]
    last = first.end
    for p in gaz.regions_in(s[e + last:e + last + 160]):
        gap = s[e + last:e + last + p.start]
        if not rules.more_governments.fullmatch(gap):
            break
        tregs.append(p.name)
        last += p.end
    return tregs


def _passive_source(s, head, rules, names):
    """The source named before a passive verb without a found candidate: 'Long (ACR)', a
    reference back ('inovasi ini': ``"anaphor"``), or the name-like words right before it."""
    acr = list(_ACR_PAREN.finditer(head))
    st = back_name(s, acr[-1].start(), names) if acr else None
    if acr and st is not None and _short_form(names, s, (st, acr[-1].start()))[0] > st:
        return st, acr[-1].start()
    if rules.anaphor_end.search(head):
        return "anaphor"
    st = back_name(s, len(head), names)
    return None if st is None else (st, len(head))


def _inspired(s, rules, names, gaz, cands, add) -> None:
    """'terinspirasi dari X milik Y, Pemkab Z meluncurkan W' / 'W yang terinspirasi dari X'."""
    for m in rules.inspired.finditer(s):
        src = _name_at(s, m.end(), names, gaz, rules)
        if not src:
            continue
        sreg = _owner_region(s, src[1], rules, gaz)
        before = [c for c in cands if c.end <= m.start() and m.start() - c.end <= 40]
        tgt, treg = None, ""
        if before:
            tgt = (before[-1].start, before[-1].end)
            treg = region_before(s, tgt[0], gaz)
        else:
            launch = rules.launch.search(s, src[1])
            after = [c for c in cands if launch and c.start >= launch.end() and c.start - launch.end() <= 40]
            if after:
                tgt = (after[0].start, after[0].end)
                clause = s[src[1]:launch.start()]
                cut = clause.rfind(",")
                treg = _first_region(gaz, clause[cut + 1:] if cut >= 0 else clause, typed=True)
        add(FoundReplication(_short_form(names, s, src), tgt and _short_form(names, s, tgt), treg, sreg, weak=not tgt))


def _weak(s, rules, names, gaz, add) -> None:
    """'studi tiru ke Y untuk mempelajari inovasi X', 'replikasi inovasi X milik Y (menjadi W)':
    a replication only if a new name follows."""
    first = None
    signed = list(rules.commitment.finditer(s))
    for m in signed + list(rules.noun.finditer(s)) + list(rules.weak.finditer(s)):
        if hedged(s, m.start(), rules, rules.active_hedge):
            continue
        first = first if first is not None else m.start()
        src = _name_at(s, m.end(), names, gaz, rules)
        if not src:
            continue
        sreg = _owner_region(s, src[1], rules, gaz) or _first_region(gaz, s[first:src[0]], typed=True)
        target = None
        nm = rules.name_after.match(s, src[1])
        if nm:
            target = take_name(s, nm.end(), names)
        add(FoundReplication(_short_form(names, s, src), target and _short_form(names, s, target),
                             region_before(s, first, gaz), sreg, weak=not target and m not in signed))


# -- helpers ------------------------------------------------------------------------------

def hedged(s: str, pos: int, rules: ReplicationRules, modal: re.Pattern) -> bool:
    """A hope or an eligibility, not a copy: 'bisa direplikasi', 'berharap ... mereplikasi'."""
    if modal.search(s, max(0, pos - 40), pos):
        return True
    window = s[max(0, pos - 120):pos]
    cuts = list(rules.clause_cut.finditer(window))
    if cuts:
        window = window[cuts[-1].end():]
    wishes = list(rules.wish.finditer(window))  # 'telah berhasil mendorong ... mereplikasi': done, not hoped
    return bool(wishes) and not rules.wish_done.search(window, 0, wishes[-1].start())


def _name_at(s: str, pos: int, names: NameRules, gaz: Gazetteer, rules: ReplicationRules) -> tuple[int, int] | None:
    """The innovation name read at pos, cut before a place it runs into; never a region."""
    span = take_name(s, pos, names)
    if not span:
        return None
    cut = rules.name_tail.search(s, span[0], span[1])
    if cut:
        span = (span[0], cut.start())
    name = s[span[0]:span[1]]
    if not name.strip() or gaz.resolve_region(name):
        return None
    return span


def _list_after(s: str, pos: int, rules: ReplicationRules, names: NameRules,
                gaz: Gazetteer) -> list[tuple[tuple[int, int], str]]:
    """'(tiga inovasi), yakni A dari Kota Y, B (Kabupaten Z) dan C': each item a source."""
    intro = rules.list_intro.match(s, pos)
    if not intro:
        return []
    seg_end = len(s.rstrip(" ."))
    items: list[tuple[tuple[int, int], str]] = []
    shared = _first_region(gaz, s[pos:intro.start()] if rules.shared_owner_word and rules.shared_owner_word in s[pos:intro.end()] else "",
                           typed=True)
    i = intro.end()
    while i < seg_end:
        span = _name_at(s, i, names, gaz, rules)
        sep = rules.item_separator.search(s, span[1] if span else i)
        nxt = sep.end() if sep else len(s)
        if span:
            piece = s[span[1]:sep.start() if sep else len(s)]
            own = rules.from_.match(piece) or re.match(r"\s*\(", piece)
            reg = _first_region(gaz, piece[own.end():]) if own else ""
            items.append((_short_form(names, s, span), reg or shared))
        if nxt <= i:
            break
        i = nxt
    return items if len(items) >= 1 and all(sp[1] > sp[0] for sp, _ in items) else []


def _owner_region(s: str, end: int, rules: ReplicationRules, gaz: Gazetteer, stop: int | None = None) -> str:
    """'X milik/dari/asal <Region>' or 'X (ACR) milik <Region>': the source's government."""
    tail = s[end:stop]
    paren = _PAREN.match(tail)  # 'Long (ACR) milik Y', or the acronym itself closing 'Long (ACR'
    if paren:
        tail = tail[paren.end():]
    fm = rules.from_.match(tail)
    if not fm:
        return ""
    regs = gaz.regions_in(tail[fm.end():fm.end() + 60])
    if regs and regs[0].start == 0:
        return regs[0].name
    regs = gaz.regions_in(tail[:120])
    return regs[0].name if regs else ""


def _first_region(gaz: Gazetteer, text: str, typed: bool = False) -> str:
    if not text:
        return ""
    regs = [p for p in gaz.regions_in(text) if p.typed or not typed]
    return regs[0].name if regs else ""


def name_region(name: str, gaz: Gazetteer) -> str:
    """'Gresik Lapor', 'Si Lancar Bitung': a region word inside the new name."""
    for w in name.split():
        if w[:1].isupper() and gaz.is_region_word(w):
            hit = gaz.resolve_region(w)
            if hit:
                return hit.name
    return ""


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _short_form(names: NameRules, s: str, span: tuple[int, int]) -> tuple[int, int]:
    """'Long Form (ACRONYM)': the acronym is the name (as the mention rules read it)."""
    m = re.match(r"\s*\(([^()]{1,40})\)", s[span[1]:])
    if m and is_acronym_like(m.group(1), names.acronym_words) and coverage(m.group(1), s[span[0]:span[1]]) >= 0.6:
        return span[1] + m.start(1), span[1] + m.end(1)
    return span


def region_before(s: str, pos: int, gaz: Gazetteer) -> str:
    """The replicating government: the first region named before the verb (the subject)."""
    regs = gaz.regions_in(s[:pos])
    typed = [p for p in regs if p.typed]
    if typed:
        return typed[0].name
    # a bare region as the sentence's subject ('Gunungkidul menjadi daerah pertama yang ...')
    return regs[0].name if regs and not s[:regs[0].start].strip(" \"'“”") else ""
