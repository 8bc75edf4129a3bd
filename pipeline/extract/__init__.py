"""Extract stage: innovations, owners, regions, events, innovators and replications.

    extractor = Extractor.load(settings)
    for extraction in extractor.extract_many(articles): ...

The spaCy pipeline (model.py) finds candidates sentence by sentence with the rule families
(name_families.py, owners.py, events.py, people.py, replications.py); assemble.py turns
them into one ``Mention`` per innovation per article, with the article's metadata
(headline, dateline, date) deciding default region and year.  Per-article state lives in
an ``ArticleContext`` (context.py); the ``Extractor`` holds only what every article shares.
Replications of an article are settled in repl_article.py; lists of replicated innovations
(a government replicating several at once, or granted them) are read in repl_lists.py.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Iterable, Iterator

from ..gazetteer import Gazetteer
from ..records import Article, Extraction
from ..settings import MODELS_DIR, Settings
from .assemble import assemble
from .learn import MODEL_FILE, NameModel, decide
from .model import TEXT_COMPONENTS, TEXT_KEY, SentenceFindings, build_model, load_model
from .rules import Rules
from .sectors import SectorRules

log = logging.getLogger(__name__)

__all__ = ["Extractor", "build_model", "forget_cached"]


class Extractor:
    """Loaded once per process; ``extract_many`` runs one ``nlp.pipe`` over all articles."""

    def __init__(self, nlp, rules: Rules, settings: Settings, model: NameModel | None = None):
        self.nlp = nlp
        self.rules = rules
        self.settings = settings
        self.model = model  # the learned name classifier; None: the rules alone

    @property
    def gaz(self):
        return self.rules.gaz

    @classmethod
    def load(cls, settings: Settings | None = None) -> "Extractor":
        settings = settings or Settings()
        nlp, rules = load_model(settings)
        return cls(nlp, rules, settings, load_learned(settings))

    def extract(self, article: Article) -> Extraction:
        return next(self.extract_many([article]))

    def extract_many(self, articles: Iterable[Article]) -> Iterator[Extraction]:
        for findings, article in self._pipe(articles):
            if not article.ok:
                yield Extraction(article.article_id)
                continue
            if self.model is not None:
                decide(findings, self.rules, article.title, self.model)
            yield assemble(findings, article, self.rules)

    def findings_many(self, articles: Iterable[Article]) -> Iterator[list[SentenceFindings]]:
        """What the rule pipeline finds in each article, sentence by sentence (for training)."""
        for findings, _ in self._pipe(articles):
            yield findings

    def _pipe(self, articles: Iterable[Article]):
        """(findings, article) per article.  The built model's components read the text, never
        a token: the text goes to them directly and is not tokenised (the cost of spaCy's
        tokeniser, unread).  A pipeline with other components goes through ``nlp.pipe``."""
        if tuple(self.nlp.pipe_names) == TEXT_COMPONENTS:
            split, read = (self.nlp.get_pipe(n) for n in TEXT_COMPONENTS)
            for a in articles:
                text = a.text if a.ok else ""
                yield (read.read(split.split(text)) if text else []), a
            return
        pairs = ((self._make_doc(a.text if a.ok else ""), a) for a in articles)
        for doc, article in self.nlp.pipe(pairs, as_tuples=True, batch_size=self.settings.extract.batch_size):
            yield doc.user_data.get("inovasi", []), article

    def _make_doc(self, text: str):
        # keep the text beside the tokens: Doc.text re-joins every token (a tenth of the
        # tokeniser's own cost), and the rule components only need the string
        doc = self.nlp.make_doc(text)
        doc.user_data[TEXT_KEY] = text
        return doc


def load_learned(settings: Settings) -> NameModel | None:
    """The learned name classifier of ``settings.extract.learned_dir`` ("" for none).  The
    default folder may be absent (the rules run alone, said once); a folder asked for
    elsewhere must hold a model."""
    where = settings.extract.learned_dir
    if not where:
        return None
    path = Path(where)
    if not (path / MODEL_FILE).exists():
        if path.resolve() == (MODELS_DIR / "learned").resolve():
            log.warning("extract: no learned model in %s; the rules decide alone (see `inovasi train`)", path)
            return None
        raise FileNotFoundError(f"no learned model ({MODEL_FILE}) in {path}")
    return NameModel.load(path)


def forget_cached() -> None:
    """Drop the rule data this process cached per path (gazetteer, sector cues), so the next
    ``Extractor.load`` reads files edited since (``work`` calls it when the extractor changed)."""
    Gazetteer.forget_cached()
    SectorRules.forget_cached()
