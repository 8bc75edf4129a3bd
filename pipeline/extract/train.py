"""``inovasi train GOLD.json ... --out MODEL_DIR``: fit the name classifier on gold articles.

Each gold file's ``file`` entries are read from beside the gold file or from its
``articles/`` folder, cleaned as ``inovasi run`` cleans them, and read by the rule pipeline;
every proposal (``proposals.propose``) is labelled by the gold names of its article with the
project's matching rule (``pipeline.evaluate.name_matches``; names marked optional are left
out).  A logistic regression (scikit-learn, fixed seed, deterministic) is fitted and written
as ``MODEL_DIR/names.json``; ``MODEL_DIR/training.json`` records the gold files and their
hashes, the settings, the seed, the date and the counts.
"""
from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

from ..records import Article
from ..settings import Settings
from .learn import NameModel, article_features

log = logging.getLogger(__name__)
CONTEXT_PREFIXES = ("w-1=", "w-2=", "w+1=", "w+2=", "w-1xn=")


@dataclass(frozen=True)
class Example:
    article: Article
    gold: dict  # the gold article (schema of ../shared/seeds/gold.json)
    gold_file: str


def gold_examples(gold_paths: list[str | Path], settings: Settings, only: set[str] | None = None) -> list[Example]:
    """The cleaned articles of gold files (``only``: file names to keep)."""
    from ..clean import clean_document
    from ..collect.files import plan_units, read_unit

    out = []
    for gp in map(Path, gold_paths):
        gold = json.loads(gp.read_text(encoding="utf-8"))
        for ga in gold["articles"]:
            if only is not None and ga["file"] not in only:
                continue
            name, _, part = ga["file"].partition("#")  # "batch.jsonl#L3": one line of a JSONL file
            path = next((p for p in (gp.parent / name, gp.parent / "articles" / name) if p.exists()), None)
            if path is None:
                raise FileNotFoundError(f"{gp}: article {ga['file']} is neither beside it nor in articles/")
            for unit in plan_units([path], settings):
                for raw in read_unit(unit, settings):
                    if part and not raw.source.endswith("#" + part):
                        continue
                    art = clean_document(raw, settings)
                    if not art.published and ga.get("date"):
                        art = Article(**{**art.__dict__, "published": str(ga["date"])[:10]})
                    out.append(Example(art, ga, str(gp)))
    return out


def labelled(examples: list[Example], extractor, with_rules: bool = True) -> tuple[list[dict], list[int], list[str]]:
    """Features, labels and article keys of every proposal of the examples."""
    from ..evaluate import name_forms, name_matches, norm

    xs, ys, groups = [], [], []
    arts = [e.article for e in examples]
    for e, findings in zip(examples, extractor.findings_many(arts)):
        forms = [name_forms(g) for g in e.gold.get("innovations", [])]
        optional = {norm(o) for o in e.gold.get("optional", [])}
        props, feats = article_features(findings, extractor.rules, e.article.title, with_rules)
        for p, fs in zip(props, feats):
            if optional and name_matches(p.name, optional):
                continue
            xs.append(fs)
            ys.append(int(any(name_matches(p.name, f) for f in forms)))
            groups.append(f"{e.gold_file}#{e.gold['file']}")
    return xs, ys, groups


def frequent_context(xs: list[dict], groups: list[str], min_articles: int) -> list[dict]:
    """Drop context-word features seen in fewer than ``min_articles`` articles."""
    seen: dict[str, set[str]] = {}
    for fs, g in zip(xs, groups):
        for k in fs:
            if k.startswith(CONTEXT_PREFIXES):
                seen.setdefault(k, set()).add(g)
    rare = {k for k, gs in seen.items() if len(gs) < min_articles}
    return [{k: v for k, v in fs.items() if k not in rare} for fs in xs]


def fit(xs: list[dict], ys: list[int], groups: list[str], settings: Settings, seed: int,
        with_rules: bool = True) -> NameModel:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    es = settings.extract
    xs = frequent_context(xs, groups, es.context_min_articles)
    vec = DictVectorizer(sort=True)
    x = vec.fit_transform(xs).tocsr()
    x.indices, x.indptr = x.indices.astype("int32"), x.indptr.astype("int32")  # liblinear wants 32-bit indices
    clf = LogisticRegression(C=es.learned_c, max_iter=5000, random_state=seed, solver="liblinear")
    clf.fit(x, ys)
    weights = {name: float(w) for name, w in zip(vec.get_feature_names_out(), clf.coef_[0]) if abs(w) > 1e-9}
    weights["bias"] = weights.get("bias", 0.0) + float(clf.intercept_[0])
    return NameModel(weights, es.learned_threshold, with_rules, es.learned_rule_threshold if with_rules else es.learned_threshold)


def train(gold_paths: list[str | Path], out_dir: str | Path, settings: Settings | None = None, seed: int = 0,
          with_rules: bool = True) -> Path:
    """Fit on every article of the gold files and write the model (and its record) to ``out_dir``."""
    return train_parts([(p, None) for p in gold_paths], out_dir, settings, seed, with_rules)


def train_parts(parts: list[tuple[str | Path, set[str] | None]], out_dir: str | Path, settings: Settings | None = None,
                seed: int = 0, with_rules: bool = True) -> Path:
    """Fit on gold files, each with the set of its article files to use (None: all)."""
    from . import Extractor

    settings = settings or Settings()
    extractor = Extractor.load(settings.with_section("extract", learned_dir=""))
    examples = [e for gp, only in parts for e in gold_examples([gp], settings, only)]
    xs, ys, groups = labelled(examples, extractor, with_rules)
    if not any(ys) or all(ys):
        raise ValueError("training needs both names and non-names: the gold files give one kind only")
    model = fit(xs, ys, groups, settings, seed, with_rules)
    out = Path(out_dir)
    model.save(out)
    record = {
        "about": "the name classifier of inovasi (pipeline/extract/learn.py), trained by `inovasi train`",
        "gold_files": [{"path": str(gp), "sha256": hashlib.sha256(Path(gp).read_bytes()).hexdigest(),
                        "articles": sorted(only) if only is not None else "all"} for gp, only in parts],
        "articles": len(examples), "proposals": len(ys), "positives": sum(ys),
        "seed": seed, "with_rules": with_rules, "features": len(model.weights),
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "settings": asdict(settings.extract),
    }
    (out / "training.json").write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    log.info("train: %d articles, %d proposals (%d names) -> %s", len(examples), len(ys), sum(ys), out)
    return out
