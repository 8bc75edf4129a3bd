"""What extracts, as one fingerprint: a stored article's mentions are only as current as it.

``extractor_fingerprint(settings)`` is the SHA-1 of everything that decides what the extract
stage finds in a cleaned text:

- the built rule pipeline (every file of ``extract.model_dir``, made fresh first as the
  extractor would).  Its ``meta.json`` holds ``model.source_hash``, the hash of every data file
  of ``extract.patterns_dir`` and ``extract.gazetteer_dir``, so the rule data read at run time
  (e.g. ``corpora/gazetteers/sectors.json``, read by ``extract/sectors.py``) counts through it,
  without hashing those folders a second time;
- the learned name classifier in use (``names.json`` of ``extract.learned_dir``; none when the
  folder is "" or the default folder holds none). Its ``training.json`` is a note, not read;
- the other extract settings, except ``RUN_ONLY`` ones (how fast, not what);
- the versions of inovasi and spaCy.

Paths are replaced by the contents they hold, so a moved install changes nothing. ``core`` computes
it once per run; the run re-extracts the stored articles when it differs from the fingerprint the
output folder holds (``pipeline/reextract.py``).
"""
from __future__ import annotations

from dataclasses import asdict
from importlib import metadata
from pathlib import Path

from ..settings import MODELS_DIR, Settings, digest
from .learn import MODEL_FILE
from .model import ensure_model

RUN_ONLY = ("batch_size",)  # nlp.pipe batch size: the same mentions, faster or slower
PATHS = ("model_dir", "patterns_dir", "gazetteer_dir", "learned_dir")  # hashed by content instead


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return ""


def learned_file(settings: Settings) -> Path | None:
    """The learned model file the extractor loads (``extract.load_learned``), or None."""
    where = settings.extract.learned_dir
    if not where:
        return None
    path = Path(where) / MODEL_FILE
    if not path.exists() and Path(where).resolve() == (MODELS_DIR / "learned").resolve():
        return None  # the default folder without a model: the rules decide alone
    return path  # elsewhere a missing model is the extractor's error, and changes the fingerprint too


def extractor_fingerprint(settings: Settings) -> str:
    es = settings.extract
    values = {k: v for k, v in asdict(es).items() if k not in RUN_ONLY and k not in PATHS}
    values["versions"] = {"inovasi": _version("inovasi"), "spacy": _version("spacy")}
    learned = learned_file(settings)
    values["learned"] = bool(learned)
    model = ensure_model(settings)  # a model out of date is rebuilt now, as the extractor would
    return digest(values, [model, *([learned] if learned else [])])
