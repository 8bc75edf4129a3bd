"""Per-article state of the extractor: one ``ArticleContext`` per article, never kept.

The cached ``Extractor`` and its rule bundle hold only what never changes between articles
(compiled rules, the gazetteer); everything one article builds while it is assembled -- the
names found so far, the story's lead agency, agency spans computed on demand -- lives here.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..records import Article, Event
from .model import SentenceFindings
from .names import Candidate, norm
from .owners import agency_spans
from .rules import Rules


@dataclass
class Found:
    """One name found in the article, with what assembly learns about it."""

    cand: Candidate
    order: int
    findings: SentenceFindings
    agency: str = ""
    region: str = ""
    province: str = ""
    events: tuple[Event, ...] = ()
    people: tuple[str, ...] = ()
    replicated_by: str = ""  # a replication's source: the replicating government, never its owner
    owner_fixed: bool = False  # the owner was stated with the name (a list item's 'dari ...'): no other is looked for


@dataclass
class ArticleContext:
    article: Article
    findings: list[SentenceFindings]
    rules: Rules
    found: list[Found] = field(default_factory=list)
    lead_agency: str = ""  # the agency that opens the story's first sentence about innovation
    default_region: tuple[str, str] = ("", "")
    governments: dict[str, str] | None = None  # region -> the government as written ('Pemkab X'), read once
    memo: dict = field(default_factory=dict)  # what assembly computes once per article (sector cues)
    _index: dict[int, int] = field(default_factory=dict)
    _spans: dict[int, list[tuple[int, int]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._index = {id(f): i for i, f in enumerate(self.findings)}

    @property
    def gaz(self):
        return self.rules.gaz

    def index_of(self, f: SentenceFindings) -> int | None:
        return self._index.get(id(f))

    def add(self, cand: Candidate, f: SentenceFindings) -> Found:
        x = Found(cand, len(self.found), f)
        self.found.append(x)
        return x

    def named(self, name: str) -> list[Found]:
        key = norm(name)
        return [x for x in self.found if norm(x.cand.name) == key]

    def spans_of(self, g: SentenceFindings) -> list[tuple[int, int]]:
        """Agency spans of a sentence (the model finds them only in sentences that look like
        they name an innovation); computed once per sentence, only when asked."""
        if g.agencies:
            return g.agencies
        key = id(g)
        if key not in self._spans:
            self._spans[key] = agency_spans(g.sentence.text, self.rules.agencies, self.rules.region_test)
        return self._spans[key]
