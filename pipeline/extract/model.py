"""The spaCy pipeline: ``spacy.blank("id")`` + two rule components built from corpora/patterns.

``inovasi_sentences`` sets sentence starts (lines, list items, abbreviations);
``inovasi_rules`` reads each sentence once with compiled regexes and leaves its findings in
``doc.user_data["inovasi"]`` (a list of SentenceFindings).  Both components serialise
their rule files with the model, so a saved model is self-contained; the gazetteer is
attached at load time (``attach``), when the rule bundle (``rules.Rules``) is compiled.
"""
from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

import spacy
from spacy.language import Language

from ..gazetteer import Gazetteer
from ..records import Event
from ..settings import Settings
from .events import sentence_events
from .name_families import find_names
from .names import Candidate
from .owners import agency_spans
from .replications import FoundReplication, scan_sentence
from .rules import Rules
from .sentences import Sentence, SentenceRules, split_sentences

log = logging.getLogger(__name__)
# the components of a built model: both read the text only, never a token (Extractor skips tokenising)
TEXT_COMPONENTS = ("inovasi_sentences", "inovasi_rules")
RULE_FILES = ("sentences", "names", "agencies", "events", "people", "replications")
HASH_KEY = "inovasi_source_hash"
TEXT_KEY = "inovasi_text"  # doc.user_data key: the text the doc was made from


def doc_text(doc) -> str:
    """The doc's text: the string kept by ``Extractor`` when it made the doc, else ``doc.text``."""
    text = doc.user_data.get(TEXT_KEY)
    return text if text is not None else doc.text


def read_rules(patterns_dir: str | Path) -> dict:
    d = Path(patterns_dir)
    return {name: json.loads((d / f"{name}.json").read_text(encoding="utf-8")) for name in RULE_FILES}


def source_hash(settings: Settings) -> str:
    """SHA-1 over the pattern and gazetteer files the model is built from."""
    h = hashlib.sha1()
    for base in (settings.extract.patterns_dir, settings.extract.gazetteer_dir):
        root = Path(base)
        if not root.exists():
            continue
        for p in sorted(root.rglob("*")):
            if p.is_file() and p.suffix in (".json", ".csv", ".txt", ".jsonl", ".tsv"):
                h.update(str(p.relative_to(root)).encode())
                h.update(p.read_bytes())
    return h.hexdigest()


@dataclass
class SentenceFindings:
    sentence: Sentence
    candidates: list[Candidate] = field(default_factory=list)
    agencies: list[tuple[int, int]] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    replications: list[FoundReplication] = field(default_factory=list)


class _RuleComponent:
    """Holds its rule data; (de)serialises it as rules.json in the component folder."""

    def __init__(self, rules: dict | None, settings: dict | None):
        self.rules = rules or {}
        self.settings = settings or {}
        if self.rules:
            self._compile()

    def _compile(self) -> None:  # pragma: no cover - overridden
        pass

    def to_disk(self, path, exclude=()):
        p = Path(path)
        p.mkdir(parents=True, exist_ok=True)
        (p / "rules.json").write_text(json.dumps({"rules": self.rules, "settings": self.settings}, ensure_ascii=False),
                                      encoding="utf-8")

    def from_disk(self, path, exclude=()):
        data = json.loads((Path(path) / "rules.json").read_text(encoding="utf-8"))
        self.rules, self.settings = data["rules"], data["settings"]
        self._compile()
        return self


class SentenceComponent(_RuleComponent):
    def _compile(self) -> None:
        self.srules = SentenceRules.from_data(self.rules["sentences"])

    def split(self, text: str) -> list[Sentence]:
        return split_sentences(text, self.srules)

    def __call__(self, doc):
        sents = self.split(doc_text(doc))
        for s in sents:
            span = doc.char_span(s.start, s.end, alignment_mode="expand")
            if span is not None and len(span):
                span[0].is_sent_start = True
        if len(doc):
            doc[0].is_sent_start = True
        doc.user_data["inovasi_sentences"] = sents
        return doc


class RuleComponent(_RuleComponent):
    """Reads every sentence with the compiled rule bundle (built when a gazetteer is attached)."""

    compiled: Rules | None = None

    def _compile(self) -> None:
        self.compiled = None  # rules changed: compiled again on attach / first use

    def attach(self, gaz: Gazetteer) -> Rules:
        self.compiled = Rules.build(self.rules, self.settings, gaz)
        return self.compiled

    def read(self, sents: list[Sentence] | None, text: str = "") -> list[SentenceFindings]:
        """The findings of each sentence (``sents``; None: split ``text`` with the rules' own splitter)."""
        rules = self.compiled
        if rules is None:  # used outside Extractor.load: the default gazetteer
            rules = self.attach(Gazetteer.load(Settings().extract.gazetteer_dir))
        return analyse(sents if sents is not None else split_sentences(text, rules.sentences), rules)

    def __call__(self, doc):
        doc.user_data["inovasi"] = self.read(doc.user_data.get("inovasi_sentences"), doc_text(doc))
        return doc


def analyse(sents: list[Sentence], rules: Rules) -> list[SentenceFindings]:
    out: list[SentenceFindings] = []
    header_cue = False
    names = rules.names
    # is the article about innovation at all? (acronyms and app names need it)
    cued = [sent.kind != "boilerplate" and bool(names.cue.search(sent.text)) for sent in sents]
    article_cue = any(cued)
    for sent, cue in zip(sents, cued):
        f = SentenceFindings(sent)
        out.append(f)
        if sent.kind == "boilerplate":
            continue
        s = sent.text
        f.events = sentence_events(s, rules.events, rules.gaz)
        if sent.kind != "item":
            header_cue = cue
        # list items under an innovation cue ("- Name: what it does") carry no cue of their own
        if sent.kind == "headline" or not (names.interesting.search(s) or (sent.kind == "item" and header_cue)):
            # replication statements need no name cue ('kami akan meniru sistem X-nya'): own gate
            f.replications = scan_sentence(s, rules.repl, names, rules.gaz)
            continue
        f.agencies = agency_spans(s, rules.agencies, rules.region_test)
        f.candidates = find_names(s, sent.kind, header_cue, rules, f.agencies, article_cue)
        f.replications = scan_sentence(s, rules.repl, names, rules.gaz, f.candidates)
    return out


@Language.factory("inovasi_sentences", default_config={"rules": None, "settings": None})
def make_sentences(nlp, name, rules, settings):
    return SentenceComponent(rules, settings)


@Language.factory("inovasi_rules", default_config={"rules": None, "settings": None})
def make_rules(nlp, name, rules, settings):
    return RuleComponent(rules, settings)


def build_model(settings: Settings) -> Path:
    """Build the pipeline from corpora/ and save it to settings.extract.model_dir."""
    rules = read_rules(settings.extract.patterns_dir)
    cfg = {"max_name_tokens": settings.extract.max_name_tokens,
           "acronym_min_coverage": settings.extract.acronym_min_coverage}
    nlp = spacy.blank("id")
    # rule data is passed after creation (keeps config.cfg small and readable)
    sc = nlp.add_pipe(TEXT_COMPONENTS[0])
    sc.rules, sc.settings = rules, cfg
    sc._compile()
    rc = nlp.add_pipe(TEXT_COMPONENTS[1])
    rc.rules, rc.settings = rules, cfg
    nlp.meta["name"] = "inovasi_id"
    nlp.meta["version"] = "0.1.0"
    nlp.meta["description"] = "Rule pipeline: Indonesian public-service innovations, owners, events, replications"
    nlp.meta[HASH_KEY] = source_hash(settings)
    out = Path(settings.extract.model_dir)
    out.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out)
    log.info("extract: built model %s", out)
    return out


def ensure_model(settings: Settings) -> Path:
    """The model folder, rebuilt first when missing or built from other sources."""
    path = Path(settings.extract.model_dir)
    want = source_hash(settings)
    meta = path / "meta.json"
    have = json.loads(meta.read_text(encoding="utf-8")).get(HASH_KEY) if meta.exists() else None
    if have != want:
        log.warning("extract: model %s %s; rebuilding", path, "missing" if have is None else "out of date")
        build_model(settings)
    return path


def load_model(settings: Settings) -> tuple:
    """spacy.load the model (rebuilt first when missing or built from other sources), its
    rule bundle compiled against the gazetteer: (nlp, Rules)."""
    nlp = spacy.load(ensure_model(settings))
    rules = nlp.get_pipe("inovasi_rules").attach(Gazetteer.load(settings.extract.gazetteer_dir))
    return nlp, rules
