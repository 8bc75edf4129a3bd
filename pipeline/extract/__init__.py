"""Extract stage: innovations, owners, regions, events, innovators and replications.

    extractor = Extractor.load(settings)
    for extraction in extractor.extract_many(articles): ...

The spaCy pipeline (model.py) finds candidates sentence by sentence with the rule families
(name_families.py, owners.py, events.py, people.py, replications.py); assemble.py turns
them into one ``Mention`` per innovation per article, with the article's metadata
(headline, dateline, date) deciding default region and year.  Per-article state lives in
an ``ArticleContext`` (context.py); the ``Extractor`` holds only what every article shares.
"""
from __future__ import annotations

from typing import Iterable, Iterator

from ..records import Article, Extraction
from ..settings import Settings
from .assemble import assemble
from .model import TEXT_KEY, build_model, load_model
from .rules import Rules

__all__ = ["Extractor", "build_model"]


class Extractor:
    """Loaded once per process; ``extract_many`` runs one ``nlp.pipe`` over all articles."""

    def __init__(self, nlp, rules: Rules, settings: Settings):
        self.nlp = nlp
        self.rules = rules
        self.settings = settings

    @property
    def gaz(self):
        return self.rules.gaz

    @classmethod
    def load(cls, settings: Settings | None = None) -> "Extractor":
        settings = settings or Settings()
        nlp, rules = load_model(settings)
        return cls(nlp, rules, settings)

    def extract(self, article: Article) -> Extraction:
        return next(self.extract_many([article]))

    def extract_many(self, articles: Iterable[Article]) -> Iterator[Extraction]:
        pairs = ((self._make_doc(a.text if a.ok else ""), a) for a in articles)
        for doc, article in self.nlp.pipe(pairs, as_tuples=True, batch_size=self.settings.extract.batch_size):
            if not article.ok:
                yield Extraction(article.article_id)
                continue
            yield assemble(doc.user_data.get("inovasi", []), article, self.rules)

    def _make_doc(self, text: str):
        # keep the text beside the tokens: Doc.text re-joins every token (a tenth of the
        # tokeniser's own cost), and the rule components only need the string
        doc = self.nlp.make_doc(text)
        doc.user_data[TEXT_KEY] = text
        return doc
