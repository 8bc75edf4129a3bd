"""Load the boilerplate rule file (``corpora/rules/boilerplate.json``) into compiled regexes.

The rules are data: each has a name and a why.  Loading is cached per path, so
a worker compiles them once however many documents it cleans.
"""
from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

from ..settings import digest

_FLAGS = re.IGNORECASE | re.UNICODE


@dataclass(frozen=True)
class LineRule:
    name: str
    regex: re.Pattern
    mode: str  # "full": the whole line matches; "search_start": matches at the start
    max_chars: int = 10**9  # longer lines are not tried (a widget label is short)


@dataclass(frozen=True)
class RelatedRule:
    name: str
    head: re.Pattern  # the heading with its separator, anchored at the line start
    follow: int  # headline lines after a bare heading that belong to it


@dataclass(frozen=True)
class EdgeRules:
    """Shapes of what sits around the story (``edges`` in the rule file; see ``pipeline.clean.edges``)."""

    credit_end: re.Pattern  # a photo credit closing a caption: "(Foto: X)", "(x/outlet.id)", ". Foto: X"
    bullet: re.Pattern  # a bullet opening a line
    minor_words: frozenset[str]  # words a headline leaves lower-case ("di", "dan", "yang")
    front_max_lines: int
    front_max_chars: int
    lead_min_chars: int
    caption_max_chars: int
    repeat_min_chars: int
    repeat_max_chars: int
    related_min_words: int
    bare_headline_max_chars: int
    title_case_share: float


@dataclass(frozen=True)
class Rules:
    path: str
    magic: tuple[tuple[str, bytes, bool], ...]  # (format, signature, a digit must follow)
    html_start: re.Pattern
    html_document: re.Pattern
    any_tag: re.Pattern
    block: tuple[tuple[str, re.Pattern], ...]
    inline: re.Pattern  # all inline rules as one alternation: one pass per line
    line_drop: tuple[LineRule, ...]
    menu_words: frozenset[str]
    related: tuple[RelatedRule, ...]
    byline_key: re.Pattern  # "Editor:", "Penulis :" ... anywhere in a short line
    byline_max_chars: int
    author_keys: frozenset[str]
    date_header_max_chars: int
    date_header_filler: re.Pattern  # day names, times, "WIB" around the date of a header line
    end_code: re.Pattern
    dateline: re.Pattern
    outlet_domain: re.Pattern
    trailing_separator: re.Pattern
    max_stray_chars: int
    line_rules_max_chars: int  # longer lines are prose: line rules are not tried (and cannot backtrack)
    edges: EdgeRules


def _magic(s: str) -> bytes:
    # JSON holds the signature with \xNN escapes; latin-1 maps them 1:1 to bytes.
    return s.encode("latin-1").decode("unicode_escape").encode("latin-1")


@lru_cache(maxsize=8)
def load_rules(path: str) -> Rules:
    """Compile the rule file at ``path`` (raises ``ValueError`` naming the bad rule)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))

    def comp(rule: dict, key: str = "regex", flags: int = _FLAGS) -> re.Pattern:
        flags = re.UNICODE if rule.get("case") else flags  # "case": true -> case-sensitive
        try:
            return re.compile(rule[key], flags | (re.DOTALL if rule.get("dotall", True) else 0))
        except (re.error, KeyError) as exc:
            raise ValueError(f"bad rule {rule.get('name', '?')!r} in {path}: {exc}") from exc

    meta = data["metadata"]
    sig = data["html_signals"]
    rel = data["related"]
    sep = rel["separator_regex"]
    related = tuple(
        RelatedRule(r["name"], re.compile(rf"^(?:{r['regex']})\b(?P<sep>{sep})", _FLAGS), int(r.get("follow", 1)))
        for r in rel["prefixes"]
    )
    inline = "|".join(f"(?:{r['regex']})" for r in data["inline_regex"])
    keys = sorted(meta["byline_keys"], key=len, reverse=True)
    key_alt = "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in keys)
    return Rules(
        path=path,
        magic=tuple((m["name"], _magic(m["magic"]), bool(m.get("then_digit"))) for m in data["binary_magic"]),
        html_start=re.compile(sig["start_regex"], _FLAGS),
        html_document=re.compile(sig["document_regex"], _FLAGS),
        any_tag=re.compile(sig["any_tag_regex"], _FLAGS),
        block=tuple((r["name"], comp(r)) for r in data["block_regex"]),
        inline=re.compile(inline, _FLAGS | re.DOTALL),
        line_drop=tuple(LineRule(r["name"], comp(r), r.get("match", "full"), int(r.get("max_chars", 10**9)))
                        for r in data["line_drop"]),
        menu_words=frozenset(w.casefold() for w in data["menu_words"]["words"]),
        related=related,
        # "Redaktur & Reporter : X" names two keys for one value
        byline_key=re.compile(rf"(?:^|(?<=[\s,;|(]))(?P<key>{key_alt})(?:\s*[&/,]\s*(?:{key_alt}))*\s*[:|]\s*", _FLAGS),
        byline_max_chars=int(meta["byline_max_chars"]),
        author_keys=frozenset(k.casefold() for k in meta["byline_keys_author"]),
        date_header_max_chars=int(meta["date_header_max_chars"]),
        date_header_filler=re.compile(meta["date_header_filler_regex"], _FLAGS),
        end_code=re.compile(meta["end_code_regex"]),
        dateline=re.compile(meta["dateline_regex"]),
        outlet_domain=re.compile(meta["outlet_domain_regex"], _FLAGS),
        trailing_separator=re.compile(meta["trailing_separator_regex"]),
        max_stray_chars=int(data["tail"]["max_stray_chars"]),
        line_rules_max_chars=int(data["tail"]["line_rules_max_chars"]),
        edges=_edge_rules(data["edges"]),
    )


def _edge_rules(e: dict) -> EdgeRules:
    return EdgeRules(
        credit_end=re.compile(e["credit_end_regex"], _FLAGS),
        bullet=re.compile(e["bullet_regex"]),
        minor_words=frozenset(w.casefold() for w in e["minor_words"]),
        **{k: int(e[k]) for k in ("front_max_lines", "front_max_chars", "lead_min_chars", "caption_max_chars",
                                  "repeat_min_chars", "repeat_max_chars", "related_min_words",
                                  "bare_headline_max_chars")},
        title_case_share=float(e["title_case_share"]),
    )


def cleaner_fingerprint(settings) -> str:
    """SHA-1 of what decides a stored article's text: the clean settings (the rule and language
    files by their contents) and how much of an input is read (``read.max_input_bytes``).  A run
    notes when it differs from the one the output folder holds (``pipeline/reextract.py``)."""
    cs = settings.clean
    values = {k: v for k, v in asdict(cs).items() if k not in ("rules_file", "language_file")}
    values["max_input_bytes"] = settings.read.max_input_bytes
    return digest(values, [cs.rules_file, cs.language_file])
