"""``explain``: why an entry looks the way it does, as readable text.

Input is whatever the store can load: registry entries, mentions (with
innovation_id), merge explanations and id aliases -- or a ``Resolution``.
The query is an innovation id, a retired id, or a name/alias (fuzzy).
"""
from __future__ import annotations

from typing import Iterable, Mapping

from rapidfuzz import fuzz, process

from ..records import MergeExplanation, Mention, RegistryEntry, mention_key
from .normalise import norm_text
from .ids import follow

MAX_MATCHES = 5  # entries shown for an ambiguous name
MIN_FUZZY = 75.0  # weakest name match still offered


def explain(query: str, entries, mentions: Iterable[Mention] = (), merges: Iterable[MergeExplanation] = (),
            id_aliases: Mapping[str, str] | None = None) -> str:
    """A text block for ``query``; ``entries`` may be a ``Resolution`` (then the rest is taken from it)."""
    if hasattr(entries, "entries") and hasattr(entries, "merges"):
        res = entries
        entries, mentions, merges, id_aliases = res.entries, res.mentions, res.merges, res.id_aliases
    entries = list(entries)
    id_aliases = dict(id_aliases or {})
    by_id = {e.innovation_id: e for e in entries}
    q = (query or "").strip()
    found, how = _find(q, entries, by_id, id_aliases)
    if not found:
        hint = _suggest(q, entries)
        return f"No innovation matches {q!r}." + (f" Did you mean: {hint}?" if hint else "")
    mentions = list(mentions)
    merges = list(merges)
    blocks = [_entry_block(e, how, mentions, merges) for e in found]
    return "\n\n".join(blocks)


def _find(q: str, entries, by_id, aliases) -> tuple[list[RegistryEntry], str]:
    if q in by_id:
        return [by_id[q]], "id"
    if q in aliases and follow(q, aliases) in by_id:
        return [by_id[follow(q, aliases)]], f"retired id {q} now resolves to {follow(q, aliases)}"
    nq = norm_text(q).replace(" ", "")
    exact = [e for e in entries if nq and nq in {norm_text(n).replace(" ", "")
                                                  for n in (e.canonical_name, *e.aliases, e.expansion) if n}]
    if exact:
        return sorted(exact, key=lambda e: (-e.n_articles, e.innovation_id))[:MAX_MATCHES], "name"
    names = {}
    for e in entries:
        for n in (e.canonical_name, *e.aliases, e.expansion):
            if n:
                names.setdefault(norm_text(n), []).append(e)
    hits = process.extract(norm_text(q), list(names), scorer=fuzz.WRatio, score_cutoff=MIN_FUZZY, limit=MAX_MATCHES)
    out, seen = [], set()
    for name, score, _ in hits:
        for e in names[name]:
            if e.innovation_id not in seen:
                seen.add(e.innovation_id)
                out.append(e)
    return out[:MAX_MATCHES], "fuzzy name match"


def _suggest(q: str, entries) -> str:
    names = sorted({e.canonical_name for e in entries})
    hits = process.extract(norm_text(q), names, scorer=fuzz.WRatio, processor=norm_text, limit=3)
    return ", ".join(n for n, sc, _ in hits if sc >= 50)


def _entry_block(e: RegistryEntry, how: str, mentions, merges) -> str:
    lines = [f"{e.canonical_name}  [{e.innovation_id}]" + (f"  (found by {how})" if how != "id" else "")]
    if e.status == "withdrawn":
        lines.append(f"  withdrawn in run {e.withdrawn_run}: no article names it any more "
                     "(its articles were corrected or removed); kept so that a published id still resolves")
    owner = ", ".join(x for x in (e.agency, e.region, e.province) if x)
    lines.append(f"  owner: {owner or '(unknown)'}")
    if e.expansion:
        lines.append(f"  expansion: {e.expansion}")
    if e.aliases:
        lines.append(f"  aliases: {', '.join(e.aliases)}")
    lines.append(f"  seen: {e.first_seen or '?'} .. {e.last_seen or '?'} in {e.n_articles} article(s)")
    if e.merged_ids:
        lines.append(f"  retired ids that resolve here: {', '.join(e.merged_ids)}")
    if e.split_from:
        lines.append(f"  split from: {', '.join(e.split_from)} (that id stays with the part holding its "
                     "founding mention)")
    for ev in e.events:
        lines.append(f"  event: {ev.competition} {ev.scope} {ev.stage} {ev.year or ''} (article {ev.article_id})")
    mine = [m for m in mentions if m.innovation_id == e.innovation_id]
    lines.append(f"  mentions ({len(mine)}):")
    for m in sorted(mine, key=lambda m: (m.published, m.article_id)):
        owner = ", ".join(x for x in (m.agency, m.region) if x) or "no owner given"
        lines.append(f"    - {m.name!r} in {m.article_id} ({m.published or 'undated'}; {owner})")
        if m.evidence:
            lines.append(f"        \"{m.evidence[:200]}\"")
    keys = {mention_key(m) for m in mine}
    acc = [x for x in merges if x.innovation_id == e.innovation_id and x.decision.startswith("merge")]
    # a rejection concerns both sides: list it under either entry
    rej = [x for x in merges if not x.decision.startswith("merge")
           and (x.innovation_id == e.innovation_id or x.left in keys or x.right in keys)]
    if acc:
        lines.append(f"  merges ({len(acc)}):")
        for x in acc:
            lines.append(f"    - {x.left}  +  {x.right}: {x.decision}; {_scores(x.scores)}")
    if rej:
        lines.append(f"  kept apart ({len(rej)}):")
        for x in rej:
            lines.append(f"    - {x.left}  /  {x.right}: {x.decision}; {_scores(x.scores)}")
    return "\n".join(lines)


def _scores(scores: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in scores.items())
