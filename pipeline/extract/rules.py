"""The compiled rule bundle: every family's rules and the one gazetteer, built once per process.

``Rules.build(data, config, gaz)`` compiles the JSON files of ``corpora/patterns/`` (as
serialised in the spaCy model) against the gazetteer of ``corpora/gazetteers/``.  A bundle
never changes after it is built and holds no per-article state (see ``context.py``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..gazetteer import Gazetteer
from .events import EventRules
from .names import NameRules
from .owners import AgencyRules
from .people import PeopleRules
from .repl_lists import ListRules
from .replications import ReplicationRules
from .sectors import SectorRules
from .sentences import SentenceRules


@dataclass(frozen=True)
class Rules:
    names: NameRules
    agencies: AgencyRules
    events: EventRules
    people: PeopleRules
    repl: ReplicationRules
    repl_lists: ListRules
    sentences: SentenceRules
    gaz: Gazetteer
    comp_before: re.Pattern  # a region right after a competition's name is its scope ("KIPP Provinsi Aceh")
    sectors: SectorRules  # cue words of sectors and digital delivery (corpora/gazetteers/sectors.json)
    # memoised pure look-ups of the fixed rules (features.py: what a span's text says); never per-article state
    memo: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    @classmethod
    def build(cls, data: dict, config: dict, gaz: Gazetteer) -> "Rules":
        events = EventRules.from_data(data["events"], gaz.stage_rank)
        names = NameRules.from_data(data["names"], events.patterns(), int(config.get("max_name_tokens", 8)),
                                    float(config.get("acronym_min_coverage", 0.6)))
        comps = "|".join(f"(?:{p})" for p in events.patterns())
        return cls(
            names=names,
            agencies=AgencyRules.from_data(data["agencies"], tuple(gaz.kind_words.values())),
            events=events,
            people=PeopleRules.from_data(data["people"]),
            repl=ReplicationRules.from_data(data["replications"]),
            repl_lists=ListRules.from_data(data["replications"].get("lists", {})),
            sentences=SentenceRules.from_data(data["sentences"]),
            gaz=gaz,
            comp_before=re.compile(rf"(?i)(?:{comps}){data['events']['after_competition_regex']}"),
            sectors=SectorRules.load(gaz.directory),
        )

    def governments_in(self, text: str) -> list:
        """The regions ``text`` names as governments: not a competition's scope ('tingkat
        Provinsi X', 'KIPP Provinsi Aceh')."""
        return [p for p in self.gaz.regions_in(text)
                if not (self.events.scope_before.search(text, 0, p.start)
                        or self.comp_before.search(text, max(0, p.start - 80), p.start))]

    def region_test(self, text: str) -> bool:
        """Does this text open with a region name? (agency spans ask it after a comma)"""
        return any(p.start == 0 for p in self.gaz.regions_in(text))
