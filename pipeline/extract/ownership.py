"""Who owns each name of an article: the agency and region, from the sentence and around it.

Families, tried in order by ``assign_owner``: the candidate's own owner (``Name (Agency)``,
an owner clause), an owner word after the name ('X milik <Agency>'), the agency that
introduces it in its sentence, the one agency its sentence names, an owner stated in the
sentences around it (``nearby_owner``), the story's lead agency; then the owner's region,
a region word ending the name, and the article's default region.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator

from .context import ArticleContext, Found
from .names import norm
from .owners import agency_spans, is_national_agency, region_pair
from .people import innovator_of

_DATELINE = re.compile(r"^[^–—-]{0,60}[–—-]\s+")  # 'KOTA, Outlet.com - '
_GLOSS = re.compile(r"\s*\([^()]{1,200}\)")  # a parenthesis right after a name: its long form


def lead_agency(ctx: ArticleContext) -> str:
    """The agency that opens the story's first sentence about innovation ('DPMPTSP Kota X
    resmi mengajukan proposal inovasi ...'): the owner of what the story names later."""
    r = ctx.rules
    for f in ctx.findings[:6]:
        if f.sentence.kind != "text":
            continue
        s = f.sentence.text
        if not r.names.cue.search(s):
            continue
        spans = ctx.spans_of(f)
        off = len(s) - len(_DATELINE.sub("", s))
        place = r.agencies.lead_locative.match(s, off)  # 'Di Kabupaten X, <Agency> meluncurkan ...'
        off = place.end() if place else off
        if spans and spans[0][0] - off <= 2:
            lead = s[spans[0][0]:spans[0][1]]
            return "" if r.agencies.organiser.search(lead) else lead  # the organiser owns none of them
        return ""
    return ""


def assign_owner(ctx: ArticleContext, x: Found) -> None:
    """Set ``x.agency``, ``x.region``, ``x.province`` (and an innovator named after it)."""
    c = x.cand
    agency = c.agency or ("" if x.owner_fixed else _owner_in_sentence(ctx, x))
    if not agency and not x.owner_fixed:
        agency = _following_owner(ctx, x)
    if not agency and c.via != "item" and not x.owner_fixed:
        agency = _sole_or_nearby(ctx, x)
    if not agency and c.via == "item" and ctx.lead_agency and not x.owner_fixed:
        agency = ctx.lead_agency  # a bare list item ("- Name: what it does") of the lead agency's list
    if agency and not c.agency and ctx.rules.agencies.organiser.search(agency):
        agency = ""  # the body that runs or judges the competition owns none of its entries
    x.agency = _not_the_replicator(ctx, x, agency.strip(" ,."))
    x.region, x.province = _region_of(ctx, x)
    if not x.agency and x.region and x.region != x.replicated_by:
        x.agency = government_of(ctx, x.region)
    if c.via == "innovator":
        p = innovator_of(x.findings.sentence.text, c.end, ctx.rules.people)
        if p:
            x.people += (p,)


def government_of(ctx: ArticleContext, region: str) -> str:
    """The regional government itself as the article writes it ('Pemkot X', 'Pemerintah
    Kabupaten X'): the owner of a name of that region whose agency is stated nowhere."""
    if ctx.governments is None:
        ctx.governments = {}
        prefixes = ctx.rules.agencies.government_prefixes
        texts = [ctx.article.title] + [f.sentence.text for f in ctx.findings if f.sentence.kind != "boilerplate"]
        for t in texts:
            for m in ctx.gaz.regions_in(t, bare=False):
                if m.prefix.lower().startswith(prefixes) and m.name not in ctx.governments:
                    ctx.governments[m.name] = m.surface
    return ctx.governments.get(region, "") if region != ctx.gaz.nasional.name else ""


def _not_the_replicator(ctx: ArticleContext, x: Found, agency: str) -> str:
    """A replicated innovation is owned by its origin: an agency of the government that
    replicates it, or of another government than the origin stated for it, is not its owner."""
    if not agency or not (x.replicated_by or x.region):
        return agency
    hit = ctx.gaz.agency_region(agency)
    if hit is None:
        return agency
    if hit.name == x.replicated_by or (x.region and hit.name != x.region and x.replicated_by):
        return ""
    return agency


def _owner_in_sentence(ctx: ArticleContext, x: Found) -> str:
    """An owner word after the name ('X milik <Agency>'), else the agency that introduces the
    name (nearby, or as the sentence's subject) -- not one in another clause."""
    c, s, r = x.cand, x.findings.sentence.text, ctx.rules
    limit = c.covered[0] if c.covered else c.start
    end = c.covered[1] if c.covered else c.end
    gloss = _GLOSS.match(s, end)  # 'Name (its long form) milik <Agency>': the owner follows the gloss
    after = r.agencies.owner_after.match(s, end) or (gloss and r.agencies.owner_after.match(s, gloss.end()))
    if after:
        ag = [sp for sp in agency_spans(s[after.end():], r.agencies, r.region_test) if sp[0] == 0]
        if ag:
            return s[after.end():after.end() + ag[0][1]]
    spans = [(a, min(b, limit)) for a, b in x.findings.agencies if a < limit and s[a - 1:a] != "(" and c.via != "item"]
    for k, (a, b) in enumerate(reversed(spans)):
        between = s[b:limit]
        others = [o for o in x.findings.candidates if not o.reason and b <= o.start < limit]
        near = len(between.split()) <= 14 or (a == spans[0][0] and len(between.split()) <= 25)
        if near and not others and not re.search(r"[.;:!?]", between):
            return s[a:b].strip(" ,")
        if k == 0 and _owns_list(r.agencies.list_owner_link, s, b, limit, x.findings.candidates,
                                 _list_glue(r.names.list_joiners)):
            return s[a:b].strip(" ,")
        if k == 0 and (others or len(between.split()) <= 14):
            break
    return ""


@lru_cache(maxsize=8)
def _list_glue(joiners: frozenset[str]) -> re.Pattern:
    """A list's items and what separates them (commas, quotes, the joining words of names.json)."""
    words = "|".join(re.escape(w) for w in sorted(joiners, key=len, reverse=True)) or "(?!)"
    return re.compile(rf"(?:[\s,;\"“”]|\b(?:{words})\b|[A-Z0-9][\w/'-]*)*")


def _owns_list(link_rx: re.Pattern, s: str, b: int, limit: int, candidates, glue: re.Pattern) -> bool:
    """'<Agency> melalui inovasi A (..), B (..) dan <name>': between the agency ending at ``b``
    and the name at ``limit`` stand only the other names of its list."""
    link = link_rx.match(s, b)
    if not link or link.end() > limit:
        return False
    keep = [True] * (limit - link.end())
    for o in candidates:
        if o.reason:
            continue
        for a, z in (o.covered or (o.start, o.end), (o.start, o.end)):
            for p in range(max(a, link.end()), min(z, limit)):
                keep[p - link.end()] = False
    rest = "".join(ch if k else " " for ch, k in zip(s[link.end():limit], keep))
    rest = _GLOSS.sub(" ", rest)
    return bool(glue.fullmatch(rest))


def _following_owner(ctx: ArticleContext, x: Found) -> str:
    """The lines right after the name's sentence, up to the next name: 'Inovasi ini merupakan
    gagasan <Agency>', or the labelled lines of a listed name ('Pelaksana: <Agency>'; the
    label listed first in owner_fields wins)."""
    i, r = ctx.index_of(x.findings), ctx.rules.agencies
    if i is None:
        return ""
    fields: dict[int, str] = {}
    for g in ctx.findings[i + 1:i + 5]:
        if g.sentence.kind == "boilerplate" or any(not o.reason for o in g.candidates):
            break
        t = g.sentence.text
        ana = r.forward_anaphor.match(t) if g is ctx.findings[i + 1] else None
        after = r.owner_after.match(t, ana.end()) if ana else None
        field = r.owner_field.match(t)
        at = after.end() if after else field.end() if field else -1
        ag = [b for a, b in ctx.spans_of(g) if a == at] if at >= 0 else []
        if ag and after:
            return t[at:ag[0]]
        if ag:
            fields.setdefault(r.owner_fields.index(field.group("label")), t[at:ag[0]])
    return fields[min(fields)] if fields else ""


def _sole_or_nearby(ctx: ArticleContext, x: Found) -> str:
    """The one owner the sentence names ('... ke kantor Bapenda'), else the owner stated
    around the sentence, else (when the sentence names no agency) the story's lead agency."""
    c, f, s = x.cand, x.findings, x.findings.sentence.text
    owner_after = ctx.rules.agencies.owner_after
    others = [o for o in f.candidates if o is not c and not o.reason] + [
        y.cand for y in ctx.found if y.findings is f and y.cand is not c]
    inside = [(a, b) for a, b in f.agencies
              if not any(o.covered and o.covered[0] <= a < o.covered[1] for o in f.candidates)
              and not any((m := owner_after.match(s, o.covered[1] if o.covered else o.end)) and m.end() == a
                          for o in others)]
    if len(inside) == 1:
        return s[inside[0][0]:inside[0][1]]
    return nearby_owner(ctx, x) or ("" if inside else ctx.lead_agency)


def _region_of(ctx: ArticleContext, x: Found) -> tuple[str, str]:
    """The owner's government, a region word ending the name, else the article's default."""
    gaz = ctx.gaz
    region, prov = x.region, x.province  # set by a replication statement
    if x.agency and not region:
        hit = gaz.agency_region(x.agency) or _defined_region(ctx, x)
        if hit:
            region, prov = region_pair(hit)
        elif is_national_agency(gaz, x.agency, ctx.rules.agencies.national):
            region, prov = gaz.nasional.name, ""
    if not region:
        words = x.cand.name.split()
        if len(words) > 1 and gaz.is_region_word(words[-1]):
            hit = gaz.resolve_region(words[-1])
            if hit:
                region, prov = region_pair(hit)
    if not region:
        region, prov = _sentence_region(ctx, x)
        if x.replicated_by and region == x.replicated_by:
            region, prov = "", ""  # the replicator named beside a replicated innovation owns none of it
    if region:
        return region, prov
    # a replicated innovation without a stated origin: not the replicator's region
    return ("", "") if x.replicated_by and ctx.default_region[0] == x.replicated_by else ctx.default_region


def _sentence_region(ctx: ArticleContext, x: Found) -> tuple[str, str]:
    """The one government the mention's own sentence names (a list item 'Region - Agency
    (Name)', 'Bupati X meluncurkan ...'), not a competition's scope; ("", "") when it names
    none or several."""
    found = {(p.name, p.province) for p in ctx.rules.governments_in(x.findings.sentence.text)}
    return next(iter(found)) if len(found) == 1 else ("", "")


def owner_statement(ctx: ArticleContext, name: str) -> str:
    """'X dikembangkan/milik/dikelola <Agency>' anywhere in the article."""
    owner_after = ctx.rules.agencies.owner_after
    for f in ctx.findings:
        if f.sentence.kind == "boilerplate" or name not in f.sentence.text:
            continue
        s = f.sentence.text
        for end in _whole_word_ends(s, name):
            after = owner_after.match(s, end)
            if after:
                ag = [b for a, b in ctx.spans_of(f) if a == after.end()]
                if ag:
                    return s[after.end():ag[0]]
    return ""


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


def nearby_owner(ctx: ArticleContext, x: Found) -> str:
    """The owner of a name whose sentence states none, from the sentences around it: an
    agency referred back to, owners listed in order, or the agency of an official speaking."""
    i = ctx.index_of(x.findings)
    if i is None:
        return ""
    return _referred_back(ctx, x, i) or _listed_owner(ctx, x, i) or _official_owner(ctx, x, i)


def _referred_back(ctx: ArticleContext, x: Found, i: int) -> str:
    """'dinas tersebut meluncurkan X', 'X, andalan instansi itu': the agency that opens an
    earlier sentence."""
    r = ctx.rules.agencies
    if not r.anaphor.search(x.findings.sentence.text):
        return ""
    for g in reversed(ctx.findings[max(0, i - 3):i]):
        sp = ctx.spans_of(g)
        if g.sentence.kind == "text" and sp and sp[0][0] <= 2:
            ag = g.sentence.text[sp[0][0]:sp[0][1]]
            if not r.organiser.search(ag):
                return ag
    return ""


def _listed_owner(ctx: ArticleContext, x: Found, i: int) -> str:
    """'Dua inovasi ... masing-masing milik A dan B.': the k-th owner for the k-th name after it."""
    r = ctx.rules.agencies
    for j in range(i - 1, max(-1, i - 5), -1):
        g = ctx.findings[j]
        named = any(not o.reason for o in g.candidates)  # owners beside their names: not this
        m = r.owner_list.search(g.sentence.text) if g.sentence.kind == "text" and not named else None
        if not m:
            continue
        owners = [g.sentence.text[a:b] for a, b in ctx.spans_of(g) if a >= m.start()]
        later = list(dict.fromkeys(norm(y.cand.name) for y in sorted(ctx.found, key=lambda y: y.order)
                                   if _position(ctx, y) > j))
        k = later.index(norm(x.cand.name)) if norm(x.cand.name) in later else -1
        if len(owners) >= 2 and 0 <= k < len(owners):
            return owners[k]
        break
    return ""


def _position(ctx: ArticleContext, y: Found) -> int:
    i = ctx.index_of(y.findings)
    return -1 if i is None else i


def _official_owner(ctx: ArticleContext, x: Found, i: int) -> str:
    """'..., kata Kepala Dinas Y': the agency of an official speaking next to the name; a
    direction stops at a sentence about another innovation."""
    r, fs, c = ctx.rules.agencies, ctx.findings, x.cand
    blocked: set[int] = set()
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
        for a, b in ctx.spans_of(g):
            ag = g.sentence.text[a:b]
            if r.official.search(g.sentence.text, max(0, a - 80), a) and not r.organiser.search(ag):
                return ag
        unit = r.official_unit.search(g.sentence.text)  # 'kata Camat Muara Kaman': Kecamatan Muara Kaman
        if unit:
            return f"{dict(r.official_units)[unit.group('title')]} {unit.group('place')}"
    return ""


def _defined_region(ctx: ArticleContext, x: Found):
    """A bare abbreviation ('Disdukcapil') whose long form the article gave with its region:
    'Dinas Kependudukan dan Pencatatan Sipil (Disdukcapil) Kabupaten Lombok Timur'."""
    if " " in x.agency:  # only an abbreviation is defined in parentheses
        return None
    key = f"({x.agency})"
    for g in ctx.findings:
        t = g.sentence.text
        if key not in t:
            continue
        for a, b in g.agencies:
            if key in t[a:b]:
                hit = ctx.gaz.agency_region(t[a:b])
                if hit:
                    return hit
    return None
