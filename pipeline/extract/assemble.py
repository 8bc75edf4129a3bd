"""One article's findings -> its ``Extraction``: mentions (one per innovation) and replications.

Steps, each a function of the per-article ``ArticleContext``: events (the sentence's own,
the article's main one), the default region, the lead agency, the names found, the
replication statements (whose names are mentions too), each name's owner and events, the
merge into one ``Mention`` per innovation (``_mention`` is the one place a mention is built).
"""
from __future__ import annotations

from ..records import Article, Event, Extraction, Mention
from .context import ArticleContext, Found
from .events import article_event, resolve_relative, sentence_events, with_year
from .model import SentenceFindings
from .names import norm
from .owners import canonical_agency
from .ownership import assign_owner, lead_agency, owner_statement
from .people import initiated_by, is_named_innovator
from .repl_article import find_listed_replications, find_replications, settle_replications
from .rules import Rules
from .sectors import Evidence, article_cues, classify, level_of

# which family's reading of a name wins when several read it
_VIA_RANK = {"item": 0, "acronym": 1, "cueparen": 2, "named": 3, "quoted": 4, "cue": 5, "replication": 6,
             "innovator": 7, "described": 8}


def assemble(findings: list[SentenceFindings], article: Article, rules: Rules) -> Extraction:
    ctx = ArticleContext(article, findings, rules)
    art_event = _article_event(ctx)
    ctx.default_region = _default_region(ctx)
    ctx.lead_agency = lead_agency(ctx)
    _collect(ctx)
    pending = find_replications(ctx)
    pending += find_listed_replications(ctx, pending)
    for x in ctx.found:
        if not x.cand.agency:
            x.cand.agency = owner_statement(ctx, x.cand.name)
        assign_owner(ctx, x)
        x.events = _events(x, art_event, article.published)
    replications, apart = settle_replications(ctx, pending)
    return Extraction(article.article_id, _merge(ctx, apart), replications)


def _article_event(ctx: ArticleContext) -> Event | None:
    """Resolve relative years ('tahun lalu') of every sentence's events; the article's main event."""
    r, article, findings = ctx.rules, ctx.article, ctx.findings
    title = article.title.strip()
    title_in_text = bool(findings) and title and norm(findings[0].sentence.text) == norm(title)
    title_events = sentence_events(title, r.events, r.gaz) if title and not title_in_text else []
    for f in findings:  # 'tahun lalu' counts from the article's date
        f.events = [resolve_relative(e, article.published, f.sentence.text, r.events) for e in f.events]
    return article_event([title_events] + [f.events for f in findings], article.published)


def _collect(ctx: ArticleContext) -> None:
    """The accepted candidates of every sentence, with the people said to have made them."""
    for f in ctx.findings:
        for c in f.candidates:
            if not c.reason and is_named_innovator(f.sentence.text, c.start, ctx.rules.people):
                c.reason = "the innovator named after 'dengan inovator', a person"
        here = [ctx.add(c, f) for c in f.candidates if not c.reason]
        for pos, person in initiated_by(f.sentence.text, ctx.rules.people):
            before = [x for x in here if x.cand.end <= pos]
            if before:
                before[-1].people += (person,)


def _events(x: Found, art_event: Event | None, published: str) -> tuple[Event, ...]:
    """The events of the mention's own sentence, and the article's main event unless the
    sentence names the same competition or states a stage and year of its own ('masuk Top 99
    KIPP Tahun 2020' in an article about IGA 2024: the sentence wins)."""
    evs = [_dated(e, art_event, published) for e in x.findings.events]
    own = any(e.year is not None and e.stage for e in x.findings.events)
    if art_event and not own and not any(e.competition == art_event.competition for e in evs):
        evs.append(art_event)
    return tuple(dict.fromkeys(evs))


def _dated(e: Event, art_event: Event | None, published: str) -> Event:
    """A sentence's event without a year: the year of the article's main event when it is the
    same competition (or the article has no date), else the article's year."""
    if e.year is None and art_event is not None and art_event.year and (
            art_event.competition == e.competition or not published[:4].isdigit()):
        return Event(e.competition, e.scope, e.stage, art_event.year)
    return with_year(e, published)


def _default_region(ctx: ArticleContext) -> tuple[str, str]:
    """The government the story is about: typed government names weigh most, then the
    headline, the dateline and any region named in the text."""
    r, article = ctx.rules, ctx.article
    score: dict[tuple[str, str], float] = {}

    def add(text: str, typed_w: float, bare_w: float) -> None:
        for p in r.governments_in(text):  # "tingkat Provinsi X" is a competition's scope, not the owner
            w = typed_w if p.typed else bare_w
            if p.surface.lower().startswith(r.agencies.government_prefixes):
                w += 2  # 'Pemkab X', 'Pemerintah Kota X': the government itself
            score[(p.name, p.province)] = score.get((p.name, p.province), 0) + w

    if article.title:
        add(article.title, 3, 2)
    if article.dateline:
        add(article.dateline, 1, 1)
    for f in ctx.findings[:200]:
        if f.sentence.kind == "boilerplate":
            continue
        w = 3 if f.sentence.kind == "headline" and f is ctx.findings[0] else 1
        add(f.sentence.text, w, 0.5 * w)
    if not score:
        return "", ""
    return max(score, key=score.get)


def _merge(ctx: ArticleContext, apart: set) -> tuple[Mention, ...]:
    """One mention per innovation: same normalised name, case variants, a region-suffixed
    variant ('X Lutra'), or an acronym and its long form; a replication's source and its new
    name (``apart``) stay two."""
    found, gaz = ctx.found, ctx.gaz
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
        if len(words) > 1 and gaz.is_region_word(words[-1]):
            forms.add(norm(" ".join(words[:-1])))
        if x.cand.expansion:
            forms.add(norm(x.cand.expansion))
        for k in forms:
            if k not in keys:
                keys[k] = i
            elif frozenset((norm(found[keys[k]].cand.name), norm(x.cand.name))) not in apart:
                parent[root(i)] = root(keys[k])
    groups: dict[int, list[Found]] = {}
    for i, x in enumerate(found):
        groups.setdefault(root(i), []).append(x)
    return tuple(_mention(ctx, members) for members in sorted(groups.values(), key=lambda g: min(m.order for m in g)))


def _mention(ctx: ArticleContext, members: list[Found]) -> Mention:
    """The one mention of an innovation read by ``members`` (the place a per-mention
    classifier -- sector, digital -- is called)."""
    ranked = sorted(members, key=lambda m: (_VIA_RANK.get(m.cand.via, 9), m.order))
    best = ranked[0]
    owner = next((m for m in ranked if m.agency), best)
    government = ctx.rules.agencies.government
    if owner.agency and government.match(owner.agency):  # an office of that government before it
        owner = next((m for m in ranked if m.agency and not government.match(m.agency)
                      and m.region == owner.region), owner)
    region = owner.region if owner.agency else best.region
    province = owner.province if owner.agency else best.province
    article = ctx.article
    expansion = next((m.cand.expansion for m in members if m.cand.expansion), "")
    agency_canonical = canonical_agency(ctx.gaz, owner.agency) if owner.agency else ""
    sector = classify(about(ctx, members, best.cand.name, expansion, agency_canonical or owner.agency),
                      ctx.rules.sectors)
    kind = getattr(ctx.gaz.region(region), "kind", "") if region else ""
    return Mention(
        article_id=article.article_id, name=best.cand.name,
        expansion=expansion, agency=owner.agency, agency_canonical=agency_canonical,
        region=region, province=province if region != ctx.gaz.nasional.name else "",
        events=tuple(dict.fromkeys(e for m in members for e in m.events)),
        people=tuple(dict.fromkeys(p for m in members for p in m.people)),
        evidence=best.findings.sentence.text, published=article.published,
        sector=sector.sector, sector_evidence=sector.sector_evidence, digital=sector.digital,
        digital_evidence=sector.digital_evidence,
        level=level_of(kind, agency_canonical or owner.agency, ctx.rules.sectors))


# -- what the article says about one innovation (read by sectors.classify) ------------------

def about(ctx: ArticleContext, members: list[Found], name: str, expansion: str, agency: str) -> Evidence:
    """The stretches of the innovation's own sentences, and the other sentences about it: those
    that name it (or its long form), the one right after each of its sentences when neither
    names another innovation, and the headline when it names it."""
    own = {id(m.findings) for m in members}
    mine = {id(m.cand) for m in members}
    alone = {id(m.findings): all(id(c) in mine for c in _accepted(m.findings)) for m in members}
    gap = ctx.rules.sectors.expansion_gap
    text = [_stretch(m.findings, m.cand.start, m.cand.end, mine, gap) for m in members]
    forms = [f for f in {norm(name), norm(expansion)} if len(f) >= 3]
    context: list[str] = []
    for i, f in enumerate(ctx.findings):
        if id(f) in own or f.sentence.kind == "boilerplate":
            continue
        low = norm(f.sentence.text)
        if any(_has_words(low, k) for k in forms):
            context.append(_stretch_at(f, f.sentence.text, name, expansion, mine, gap))
        elif i and id(ctx.findings[i - 1]) in own and not _accepted(f) and alone.get(id(ctx.findings[i - 1])):
            context.append(f.sentence.text)  # a sentence about a list of several describes one of them
    title = ctx.article.title
    if title and any(_has_words(norm(title), k) for k in forms):
        context.append(title)
    if "article_cues" not in ctx.memo:
        ctx.memo["article_cues"] = article_cues(f"{ctx.article.title}\n{ctx.article.text}", ctx.rules.sectors)
    return Evidence(name, expansion, tuple(dict.fromkeys(text)), tuple(dict.fromkeys(context)), agency,
                    ctx.memo["article_cues"])


def _accepted(f: SentenceFindings) -> list:
    return [c for c in f.candidates if not c.reason]


def _has_words(text: str, key: str) -> bool:
    i = text.find(key)
    while i >= 0:
        j = i + len(key)
        if (i == 0 or not text[i - 1].isalnum()) and (j == len(text) or not text[j].isalnum()):
            return True
        i = text.find(key, i + 1)
    return False


def _stretch_at(f: SentenceFindings, text: str, name: str, expansion: str, mine: set, gap) -> str:
    """The stretch about the innovation named in ``f`` at the first place one of its forms is written."""
    low = text.casefold()
    for form in (name, expansion):
        at = low.find(form.casefold()) if form else -1
        if at >= 0:
            return _stretch(f, at, at + len(form), mine, gap)
    return text


def _stretch(f: SentenceFindings, start: int, end: int, mine: set, gap) -> str:
    """The part of a sentence about the name at ``start:end``: the whole sentence when it names
    no other innovation (``mine``: ids of its own candidates), else from the clause break
    (',' ';') after the previous name to the next name."""
    text = f.sentence.text
    others = [c for c in _accepted(f) if id(c) not in mine and (c.end <= start or c.start >= end)]
    if not others:
        return text
    left = max((c.end for c in others if c.end <= start), default=0)
    brk = max(text.rfind(",", left, start), text.rfind(";", left, start))
    left = brk + 1 if brk >= 0 else left
    nxt = sorted((c for c in others if c.start >= end), key=lambda c: c.start)
    while nxt and gap.fullmatch(text, end, nxt[0].start):
        end = nxt.pop(0).end  # 'X, singkatan dari Y': Y is X's long form, not a neighbour
    right = nxt[0].start if nxt else len(text)
    return text[left:right].strip(" ,;")
