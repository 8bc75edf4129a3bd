"""Extract stage: innovations, owners, regions, events, innovators and replications.

    extractor = Extractor.load(settings)
    for extraction in extractor.extract_many(articles): ...

The spaCy pipeline (model.py) finds candidates sentence by sentence; this module turns
them into one ``Mention`` per innovation per article, with the article's metadata
(headline, dateline, date) deciding default region and year.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Iterator

from ..records import Article, Event, Extraction, Mention, Replication
from ..settings import Settings
from .events import article_event, resolve_relative, sentence_events, with_year
from .model import TEXT_KEY, SentenceFindings, build_model, load_model
from .names import Candidate, norm
from .owners import Places, agency_spans, region_test
from .people import initiated_by, innovator_of

__all__ = ["Extractor", "build_model"]

_SCOPE_BEFORE = re.compile(r"(?i)\b(?:tingkat|level|skala|se|wilayah|di|ke|dari)\s*-?\s*$")
_VIA_RANK = {"item": 0, "acronym": 1, "cueparen": 2, "named": 3, "quoted": 4, "cue": 5, "replication": 6,
             "innovator": 7, "described": 8}


@dataclass
class _Found:
    cand: Candidate
    order: int
    findings: SentenceFindings
    agency: str = ""
    region: str = ""
    province: str = ""
    events: tuple[Event, ...] = ()
    people: tuple[str, ...] = ()


class Extractor:
    """Loaded once per process; ``extract_many`` runs one ``nlp.pipe`` over all articles."""

    def __init__(self, nlp, places: Places, settings: Settings):
        self.nlp = nlp
        self.places = places
        self.settings = settings
        self.rules = nlp.get_pipe("inovasi_rules")
        self.rules.places = places
        self.rules.region_test = region_test(places)
        comps = "|".join(f"(?:{p})" for p in self.rules.events.patterns())
        # a region right after a competition's name is its scope ("KIPP Provinsi Aceh")
        self._comp_before = re.compile(rf"(?i)(?:{comps})\s*(?:\([^)]*\)\s*)?(?:tingkat\s+|level\s+)?$")

    @classmethod
    def load(cls, settings: Settings | None = None) -> "Extractor":
        settings = settings or Settings()
        nlp, places = load_model(settings)
        return cls(nlp, places, settings)

    def extract(self, article: Article) -> Extraction:
        return next(self.extract_many([article]))

    def extract_many(self, articles: Iterable[Article]) -> Iterator[Extraction]:
        pairs = ((self._make_doc(a.text if a.ok else ""), a) for a in articles)
        for doc, article in self.nlp.pipe(pairs, as_tuples=True, batch_size=self.settings.extract.batch_size):
            if not article.ok:
                yield Extraction(article.article_id)
                continue
            yield self._assemble(doc.user_data.get("inovasi", []), article)

    def _make_doc(self, text: str):
        # keep the text beside the tokens: Doc.text re-joins every token (a tenth of the
        # tokeniser's own cost), and the rule components only need the string
        doc = self.nlp.make_doc(text)
        doc.user_data[TEXT_KEY] = text
        return doc

    # -- article assembly ----------------------------------------------------------------
    def _assemble(self, findings: list[SentenceFindings], article: Article) -> Extraction:
        r = self.rules
        title = article.title.strip()
        title_in_text = bool(findings) and title and norm(findings[0].sentence.text) == norm(title)
        title_events = sentence_events(title, r.events, self.places) if title and not title_in_text else []
        for f in findings:  # 'tahun lalu' counts from the article's date
            f.events = [resolve_relative(e, article.published, f.sentence.text, r.events) for e in f.events]
        ev_groups = [title_events] + [f.events for f in findings]
        art_event = article_event(ev_groups, article.published)
        default_region = self._default_region(article, findings)
        self._lead_agency = self._lead(findings)

        found: list[_Found] = []
        order = 0
        for f in findings:
            s = f.sentence.text
            for c in f.candidates:
                if c.reason:
                    continue
                found.append(_Found(c, order, f))
                order += 1
            names_here = [x for x in found if x.findings is f]
            for pos, person in initiated_by(s, r.people):
                before = [x for x in names_here if x.cand.end <= pos]
                if before:
                    before[-1].people += (person,)
        # replications: their names are mentions too
        repls: list[tuple[str, str, str, str, str]] = []
        own_check: dict[int, _Found | None] = {}  # 'ke 20 desa lainnya': kept only between two governments
        from .replications import target_region
        for f in findings:
            s = f.sentence.text
            for rp in f.replications:
                if rp.anaphor:
                    prev = [x for x in found if x.findings is not f or x.cand.end <= s.find(" ")]
                    if not prev:
                        continue
                    src = prev[-1].cand.name
                    if rp.expansion:
                        own_check[len(repls)] = prev[-1]
                    repls.append((src, "", rp.target_region, prev[-1].region, s))
                    continue
                src = s[rp.source[0]:rp.source[1]].strip()
                tgt = s[rp.target[0]:rp.target[1]].strip() if rp.target else ""
                srcs = re.sub(r"(?i)^(?:seperti|yakni|yaitu|inovasi)\s+", "", src)
                known = {norm(x.cand.name) for x in found}
                if not srcs or norm(srcs) not in known and _reject(srcs, r, self.places):
                    continue
                if tgt and norm(tgt) not in known and _reject(tgt, r, self.places):
                    tgt = ""
                if not tgt:
                    tgt = self._later_target(findings, f, srcs, rp.target_region, 3 if rp.weak else 8)
                if rp.weak and not tgt:
                    continue  # a visit or a lesson without an adopted version
                treg = rp.target_region or (target_region(
                    [g.sentence.text for g in findings[findings.index(f):findings.index(f) + 8]], tgt, self.places) if tgt else "")
                subject = [sp for sp in f.agencies if sp[1] <= rp.source[0] and not any(
                    o.covered and o.covered[0] <= sp[0] < o.covered[1] for o in f.candidates)] or [
                    sp for sp in f.agencies if treg and (self.places.agency_region(s[sp[0]:sp[1]]) or ("",))[0] == treg]
                owner = [sp for sp in f.agencies if rp.source[1] < sp[0] <= rp.source[1] + 40 and r.repl.from_.match(
                    re.sub(r"^\)?\s*(?:\([^)]*\))?", "", s[rp.source[1]:sp[0]]).rstrip() + " ")]  # 'X milik <Agency>'
                for nm, region, agency in ((srcs, rp.source_region, s[owner[0][0]:owner[0][1]] if owner else ""),
                                           (tgt, treg, s[subject[0][0]:subject[0][1]] if subject else "")):
                    if not nm:
                        continue
                    same = [x for x in found if norm(x.cand.name) == norm(nm)]
                    if not same:
                        off = max(s.find(nm), 0)
                        same = [_Found(Candidate(nm, off, off + len(nm), "replication"), order, f)]
                        found.extend(same)
                        order += 1
                    for x in same:
                        if region and not x.cand.agency:
                            x.region, x.province = region, (self.places.resolve_region(region) or ("", ""))[1]
                        if agency and not x.cand.agency:
                            x.cand.agency = agency
                if rp.expansion and not tgt and not rp.source_region:
                    own_check[len(repls)] = next((x for x in found if norm(x.cand.name) == norm(srcs)), None)
                repls.append((srcs, tgt, treg, rp.source_region, s))
        self._found_now = found
        for x in found:
            if not x.cand.agency:
                x.cand.agency = self._owner_statement(x.cand.name, findings)
            self._owner(x, default_region)
            x.events = self._events(x, art_event, article.published)
        repls = [rp for k, rp in enumerate(repls) if k not in own_check or (
            own_check[k] is not None and rp[2] and own_check[k].region not in ("", rp[2]))]
        apart = {frozenset((norm(a), norm(b))) for a, b, *_ in repls if b}
        mentions = self._merge(found, article, apart)
        seen: dict[tuple[str, str], tuple] = {}
        for src, tgt, treg, sreg, ev in repls:  # a repeated paragraph repeats the statement
            seen.setdefault((norm(src), norm(tgt) or treg), (src, tgt, treg, sreg, ev))
        named = {(k[0], v[2]) for k, v in seen.items() if v[1]}  # the same statement without its new name
        seen = {k: v for k, v in seen.items() if v[1] or (k[0], v[2]) not in named}
        replications = tuple(
            Replication(article.article_id, src, tgt, treg or "", ev, sreg or "") for src, tgt, treg, sreg, ev in seen.values())
        return Extraction(article.article_id, mentions, replications)

    def _lead(self, findings: list[SentenceFindings]) -> str:
        """The agency that opens the story's first sentence about innovation ('DPMPTSP Kota X
        resmi mengajukan proposal inovasi ...'): the owner of what the story names later."""
        r = self.rules
        self._fidx = {id(f): i for i, f in enumerate(findings)}
        self._findings = findings
        for f in findings[:6]:
            if f.sentence.kind != "text":
                continue
            s = f.sentence.text
            if not r.names.cue.search(s):
                continue
            spans = f.agencies or agency_spans(s, r.agencies, r.region_test)
            body = re.sub(r"^[^–—-]{0,60}[–—-]\s+", "", s)  # dateline 'KOTA, Outlet.com -'
            off = len(s) - len(body)
            if spans and spans[0][0] - off <= 2:
                lead = s[spans[0][0]:spans[0][1]]
                return "" if r.agencies.organiser.search(lead) else lead  # the organiser owns none of them
            return ""
        return ""

    def _later_target(self, findings: list[SentenceFindings], f: SentenceFindings, source: str,
                      target_region: str, window: int = 8) -> str:
        """A replication whose new name comes later: 'versi Muba akan diberi nama X' in the next
        sentences, or the source name suffixed with the target's region ('SIAP Loteng')."""
        i = findings.index(f)
        for g in findings[i:i + window]:
            for c in g.candidates:
                if not c.reason and c.via in ("named", "acronym") and norm(c.name) != norm(source) and (
                        self.rules.names.intro.search(g.sentence.text)):
                    return c.name
        first = re.escape(source.split()[0])
        rx = re.compile(rf"\b({first}(?:\s+[A-Z][\w-]*){{0,3}}?\s+([A-Z][\w-]+))\b")
        for g in findings[i:]:
            for m in rx.finditer(g.sentence.text):
                if norm(m.group(1)) == norm(source):
                    continue
                hit = self.places.resolve_region(m.group(2))
                if hit and (not target_region or hit[0] == target_region):
                    return m.group(1)
        return ""

    def _owner(self, x: _Found, default_region: tuple[str, str]) -> None:
        c, s = x.cand, x.findings.sentence.text
        r = self.rules
        agency = c.agency
        if not agency:
            limit = c.covered[0] if c.covered else c.start
            spans = [(a, min(b, limit)) for a, b in x.findings.agencies
                     if a < limit and s[a - 1:a] != "(" and c.via != "item"]
            after = r.agencies.owner_after.match(s, c.covered[1] if c.covered else c.end)
            if after:
                ag = [sp for sp in agency_spans(s[after.end():], r.agencies, r.region_test) if sp[0] == 0]
                if ag:
                    agency = s[after.end():after.end() + ag[0][1]]
            if not agency and spans:
                for k, (a, b) in enumerate(reversed(spans)):
                    between = s[b:limit]
                    others = [o for o in x.findings.candidates if not o.reason and b <= o.start < limit]
                    # the agency must introduce this name (nearby, or as the sentence's subject),
                    # not sit in another clause of the sentence
                    near = len(between.split()) <= 14 or (a == spans[0][0] and len(between.split()) <= 25)
                    if near and not others and not re.search(r"[.;:!?]", between):
                        agency = s[a:b].strip(" ,")
                        break
                    if k == 0 and (others or len(between.split()) <= 14):
                        break
        if not agency and c.via != "item":
            others = [o for o in x.findings.candidates if o is not c and not o.reason] + [
                y.cand for y in self._found_now if y.findings is x.findings and y.cand is not c]
            inside = [(a, b) for a, b in x.findings.agencies
                      if not any(o.covered and o.covered[0] <= a < o.covered[1] for o in x.findings.candidates)
                      and not any((m := r.agencies.owner_after.match(s, o.covered[1] if o.covered else o.end))
                                  and m.end() == a for o in others)]
            if len(inside) == 1:  # the one owner the sentence names ('... ke kantor Bapenda')
                agency = s[inside[0][0]:inside[0][1]]
            else:  # the owner stated around the sentence, else the story's lead agency
                agency = _nearby_owner(self, x) or ("" if inside else self._lead_agency)
        if not agency and c.via == "item" and self._lead_agency:
            agency = self._lead_agency  # a bare list item ("- Name: what it does") of the lead agency's list
        x.agency = agency.strip(" ,.")
        region, prov = x.region, x.province  # set by a replication statement
        if x.agency and not region:
            hit = self.places.agency_region(x.agency) or _defined_region(self, x)
            if hit:
                region, prov = hit
            elif self.places.is_national_agency(x.agency, r.agencies.national):
                region, prov = "Nasional", ""
        if not region:
            words = c.name.split()
            if len(words) > 1 and self.places.is_region_word(words[-1]):
                hit = self.places.resolve_region(words[-1])
                if hit:
                    region, prov = hit
        if not region:
            region, prov = default_region
        x.region, x.province = region, prov
        if c.via == "innovator":
            p = innovator_of(s, c.end, r.people)
            if p:
                x.people += (p,)

    def _events(self, x: _Found, art_event: Event | None, published: str) -> tuple[Event, ...]:
        evs = [with_year(e, published) for e in x.findings.events]
        if art_event and not any(e.competition == art_event.competition for e in evs):
            evs.append(art_event)
        elif art_event:
            evs = [e if e.competition != art_event.competition or e.year else with_year(e, published) for e in evs]
        return tuple(dict.fromkeys(evs))

    def _default_region(self, article: Article, findings: list[SentenceFindings]) -> tuple[str, str]:
        """The government the story is about: typed government names weigh most, then the
        headline, the dateline and any region named in the text."""
        score: dict[tuple[str, str], float] = {}

        def add(text: str, typed_w: float, bare_w: float) -> None:
            for p in self.places.find_regions(text):
                if _SCOPE_BEFORE.search(text, 0, p.start) or self._comp_before.search(text, max(0, p.start - 80), p.start):
                    continue  # "tingkat Provinsi X" is a competition's scope, not the owner
                w = typed_w if p.typed else bare_w
                if p.surface.lower().startswith("pem"):
                    w += 2
                score[(p.name, p.province)] = score.get((p.name, p.province), 0) + w

        if article.title:
            add(article.title, 3, 2)
        if article.dateline:
            add(article.dateline, 1, 1)
        for f in findings[:200]:
            if f.sentence.kind == "boilerplate":
                continue
            w = 3 if f.sentence.kind == "headline" and f is findings[0] else 1
            add(f.sentence.text, w, 0.5 * w)
        if not score:
            return "", ""
        return max(score, key=score.get)

    def _owner_statement(self, name: str, findings: list[SentenceFindings]) -> str:
        """'X dikembangkan/milik/dikelola <Agency>' anywhere in the article."""
        r = self.rules
        for f in findings:
            if f.sentence.kind == "boilerplate" or name not in f.sentence.text:
                continue
            s = f.sentence.text
            for end in _whole_word_ends(s, name):
                after = r.agencies.owner_after.match(s, end)
                if after:
                    spans = f.agencies or agency_spans(s, r.agencies, r.region_test)
                    ag = [b for a, b in spans if a == after.end()]
                    if ag:
                        return s[after.end():ag[0]]
        return ""

    def _merge(self, found: list[_Found], article: Article, apart: set = frozenset()) -> tuple[Mention, ...]:
        """One mention per innovation: same normalised name, case variants, a region-suffixed
        variant ('X Lutra'), or an acronym and its long form."""
        parent = list(range(len(found)))

        def root(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        keys: dict[str, int] = {}
        for i, x in enumerate(found):
            forms = {norm(x.cand.name)}
            words = x.cand.name.split()
            if len(words) > 1 and self.places.is_region_word(words[-1]):
                forms.add(norm(" ".join(words[:-1])))
            if x.cand.expansion:
                forms.add(norm(x.cand.expansion))
            for k in forms:
                if k in keys:
                    j = keys[k]
                    # a replication's source and target stay two innovations
                    if frozenset((norm(found[j].cand.name), norm(x.cand.name))) not in apart:
                        parent[root(i)] = root(j)
                else:
                    keys[k] = i
        groups: dict[int, list[_Found]] = {}
        for i, x in enumerate(found):
            groups.setdefault(root(i), []).append(x)
        out = []
        for members in sorted(groups.values(), key=lambda g: min(m.order for m in g)):
            best = min(members, key=lambda m: (_VIA_RANK.get(m.cand.via, 9), m.order))
            owner = next((m for m in sorted(members, key=lambda m: (_VIA_RANK.get(m.cand.via, 9), m.order)) if m.agency), best)
            people = tuple(dict.fromkeys(p for m in members for p in m.people))
            events = tuple(dict.fromkeys(e for m in members for e in m.events))
            expansion = next((m.cand.expansion for m in members if m.cand.expansion), "")
            region = owner.region if owner.agency else best.region
            province = owner.province if owner.agency else best.province
            out.append(Mention(
                article_id=article.article_id, name=best.cand.name, expansion=expansion, agency=owner.agency,
                agency_canonical=self.places.canonical_agency(owner.agency) if owner.agency else "",
                region=region, province=province if region != "Nasional" else "", events=events, people=people,
                evidence=best.findings.sentence.text, published=article.published))
        return tuple(out)


def _whole_word_ends(text: str, word: str) -> Iterator[int]:
    """End offsets of ``word`` in ``text`` where it is not part of a longer word (str.find:
    a regex per innovation name would be compiled once per article and never reused)."""
    i = text.find(word)
    while i >= 0:
        end = i + len(word)
        if not (i and text[i - 1].isalnum() or text[i - 1:i] == "_") and \
                not (end < len(text) and (text[end].isalnum() or text[end] == "_")):
            yield end
        i = text.find(word, i + 1)


def _reject(name: str, comp, places: Places) -> str:
    from .names import reject_reason

    return reject_reason(name, comp.names, places, comp.agencies)


def _nearby_owner(ex: "Extractor", x: _Found) -> str:
    """The owner of a name whose sentence states none, from the sentences around it:
    an agency referred back to ('dinas tersebut meluncurkan inovasi X' -> the agency that
    opens an earlier sentence), owners listed in order ('masing-masing milik A dan B'), or
    the agency of an official speaking next to it ('..., kata Kepala Dinas Y')."""
    r = ex.rules.agencies
    i = ex._fidx.get(id(x.findings))
    if i is None:
        return ""
    fs = ex._findings
    c, s = x.cand, x.findings.sentence.text
    if r.anaphor.search(s):  # 'dinas tersebut meluncurkan X', 'X, andalan instansi itu'
        for g in reversed(fs[max(0, i - 3):i]):
            sp = _spans_of(ex, g)
            if g.sentence.kind == "text" and sp and sp[0][0] <= 2:
                ag = g.sentence.text[sp[0][0]:sp[0][1]]
                if not r.organiser.search(ag):
                    return ag
    for j in range(i - 1, max(-1, i - 5), -1):  # 'Dua inovasi ... masing-masing milik A dan B.'
        g = fs[j]
        named = any(not o.reason for o in g.candidates)  # owners beside their names: not this
        m = r.owner_list.search(g.sentence.text) if g.sentence.kind == "text" and not named else None
        if not m:
            continue
        owners = [g.sentence.text[a:b] for a, b in _spans_of(ex, g) if a >= m.start()]
        later = list(dict.fromkeys(norm(y.cand.name) for y in sorted(ex._found_now, key=lambda y: y.order)
                                   if ex._fidx.get(id(y.findings), -1) > j))
        k = later.index(norm(c.name)) if norm(c.name) in later else -1
        if len(owners) >= 2 and 0 <= k < len(owners):
            return owners[k]
        break
    blocked: set[int] = set()  # a direction stops at a sentence about another innovation
    for j in (i, i - 1, i + 1, i - 2, i + 2, i + 3):
        step = (j > i) - (j < i)
        if step in blocked or not 0 <= j < len(fs) or fs[j].sentence.kind != "text":
            continue
        g = fs[j]
        if j != i and any(not o.reason and norm(o.name) != norm(c.name) for o in g.candidates):
            blocked.add(step)  # the official speaks about another innovation
            continue
        if not r.official_hint.search(g.sentence.text):
            continue
        for a, b in _spans_of(ex, g):
            ag = g.sentence.text[a:b]
            if r.official.search(g.sentence.text, max(0, a - 80), a) and not r.organiser.search(ag):
                return ag
    return ""


def _defined_region(ex: "Extractor", x: _Found):
    """A bare abbreviation ('Disdukcapil') whose long form the article gave with its region:
    'Dinas Kependudukan dan Pencatatan Sipil (Disdukcapil) Kabupaten Lombok Timur'."""
    if " " in x.agency:  # only an abbreviation is defined in parentheses
        return None
    key = f"({x.agency})"
    for g in ex._findings:
        t = g.sentence.text
        if key not in t:
            continue
        for a, b in g.agencies:
            if key in t[a:b]:
                hit = ex.places.agency_region(t[a:b])
                if hit:
                    return hit
    return None


def _spans_of(ex: "Extractor", g: SentenceFindings) -> list[tuple[int, int]]:
    """Agency spans of a sentence near a name (the model finds them only in sentences that
    look like they name an innovation); computed once per sentence, only when asked."""
    if g.agencies:
        return g.agencies
    cache = ex.__dict__.setdefault("_span_cache", {})
    if cache.get("_article") is not ex._findings:
        cache.clear()
        cache["_article"] = ex._findings
    key = id(g)
    if key not in cache:
        cache[key] = agency_spans(g.sentence.text, ex.rules.agencies, ex.rules.region_test)
    return cache[key]
