"""One settings object for a run: every default in one place, passed explicitly.

``Settings`` is a frozen dataclass of per-stage sections.  It is loaded from an
optional TOML file (``--config``), and written as ``settings.json`` next to each
run's outputs so that a table can always be traced back to the thresholds that
produced it.  Fuzzy thresholds are named here, never literals in stage code.
"""
from __future__ import annotations

import hashlib
import json
import os
import tomllib
from dataclasses import asdict, dataclass, field, fields, is_dataclass, replace
from difflib import get_close_matches
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_ENV = "INOVASI_DATA"  # a folder holding corpora/ and models/, for installs that keep them elsewhere


def data_root() -> Path:
    """Where corpora/ and models/ are: ``$INOVASI_DATA``, else the source checkout (``pip install
    -e .``, running from the repo), else the copy a wheel ships inside the package (``_data``)."""
    env = os.environ.get(DATA_ENV)
    if env:
        return Path(env).expanduser().resolve()
    checkout = PACKAGE_DIR.parent
    if (checkout / "corpora").is_dir() and (checkout / "pyproject.toml").is_file():
        return checkout
    return PACKAGE_DIR / "_data"


ROOT = data_root()
CORPORA_DIR = ROOT / "corpora"
MODELS_DIR = ROOT / "models"


@dataclass(frozen=True)
class ReadSettings:
    max_input_bytes: int = 20 * 1024 * 1024  # larger files are read up to this size and marked
    extensions_html: tuple[str, ...] = (".html", ".htm", ".xhtml")
    extensions_text: tuple[str, ...] = (".txt", ".text")
    extensions_jsonl: tuple[str, ...] = (".jsonl", ".ndjson")
    extensions_warc: tuple[str, ...] = (".warc", ".warc.gz", ".arc", ".arc.gz")
    # files a folder walk passes over: the crawler's own log sits beside its WARC files
    ignore_names: tuple[str, ...] = ("crawl_log.jsonl",)


@dataclass(frozen=True)
class CleanSettings:
    rules_file: str = str(CORPORA_DIR / "rules" / "boilerplate.json")
    language_file: str = str(CORPORA_DIR / "rules" / "language.json")  # Indonesian function words (fast path)
    min_text_chars: int = 80  # shorter cleaned text -> skipped "too short"
    max_text_chars: int = 200_000  # longer cleaned text is cut (and noted)
    language_check: bool = True
    languages: tuple[str, ...] = ("id", "ms")  # Malay is what langid often says for short Indonesian
    near_dup_threshold: float = 0.85  # estimated Jaccard of 5-word shingles
    near_dup_candidate_threshold: float = 0.7  # LSH bands tuned this low so pairs at 0.85+ are reliably candidates
    near_dup_num_perm: int = 128  # 64 gives a Jaccard estimate too noisy (sd ~0.045) at 0.85
    shingle_words: int = 5
    headline_max_chars: int = 160  # a "headline-like" line (title, Baca Juga target) is at most this long
    language_sample_chars: int = 1500  # the language is judged on this much of the cleaned text
    trafilatura_fast: bool = False  # True skips trafilatura's justext/readability backup: ~25% faster, but 4% of pages lose most text
    extensive_date_search: bool = False  # htmldate's extensive search roughly halves HTML throughput
    repetition_max_chars: int = 120  # per-host learning: only lines this short are counted (never long sentences)
    repetition_min_support: int = 5  # ... and removed once this many distinct articles of the host carry them (>= 2)


@dataclass(frozen=True)
class ExtractSettings:
    model_dir: str = str(MODELS_DIR / "inovasi_id")
    patterns_dir: str = str(CORPORA_DIR / "patterns")
    gazetteer_dir: str = str(CORPORA_DIR / "gazetteers")
    batch_size: int = 64  # nlp.pipe batch size
    max_name_tokens: int = 8
    acronym_min_coverage: float = 0.6  # Schwartz-Hearst style: share of acronym letters matched
    # the learned name classifier (extract/learn.py, `inovasi train`); "" runs the rules alone
    learned_dir: str = str(MODELS_DIR / "learned")
    learned_threshold: float = 0.6  # a span is a name when the model's probability reaches this
    learned_rule_threshold: float = 0.1  # ... and a name the rules accepted stays unless it falls below this
    learned_c: float = 0.3  # inverse regularisation strength of the logistic regression
    context_min_articles: int = 5  # a context word is a feature only when this many training articles have it


@dataclass(frozen=True)
class ResolveSettings:
    rules_file: str = str(CORPORA_DIR / "resolve" / "rules.json")  # name-normalisation and acronym word lists
    name_threshold: float = 88.0  # rapidfuzz ratio of the space-free normalised names to call them the same
    partial_threshold: float = 92.0  # partial_ratio for a name that extends another ("Si Modis" / "Si Modis Lutra")
    acronym_threshold: float = 90.0  # acronym-to-expansion match
    same_owner_bonus: float = 5.0  # same region/agency lowers the bar by this much
    block_prefix_chars: int = 3  # blocking key: first chars of the normalised name
    max_block_size: int = 2000  # larger blocks are split (keeps comparisons near-linear)
    regionless_block_size: int = 10  # region-less names are one national pool: its blocks are cut to windows this size
    global_window: int = 40  # region-less names meet this many neighbours in the sorted list of all names
    token_keys_per_form: int = 2  # blocking: the rarest words of each name form
    acronym_max_chars: int = 12  # longer compact names are not tried as acronyms
    extension_min_chars: int = 5  # a name extended by another ("Pildacil" / "Pildacil Desa") must be this long
    extension_min_share: float = 0.35  # ... and at least this share of the longer name's characters
    short_name_chars: int = 6  # names this short merge fuzzily (a letter changed) only within one known region
    long_form_threshold: float = 90.0  # two long forms this close (ratio) back one name across a national/regional owner conflict
    long_form_min_words: int = 3  # ... and each of them has at least this many content words
    max_rejections: int = 10_000  # notable rejected links kept as MergeExplanation rows


@dataclass(frozen=True)
class CrawlSettings:
    user_agent: str = "inovasi-crawler/0.1 (+https://github.com/inovasi; research crawler)"
    per_host_delay: float = 1.0  # seconds between requests to one host
    per_host_concurrency: int = 1
    concurrency: int = 4
    timeout: float = 20.0  # seconds per request (connect + read)
    retries: int = 3
    backoff: float = 0.5  # seconds, doubled each retry
    max_redirects: int = 5
    max_bytes: int = 5 * 1024 * 1024  # larger bodies are cut off and recorded as truncated
    max_retry_after: float = 120.0
    follow_links_depth: int = 0
    allow_private: bool = False
    fetch_deadline: float = 60.0  # seconds for a whole response (a slow drip is abandoned too)
    max_crawl_delay: float = 30.0  # a robots.txt Crawl-delay above this skips the host (with a reason)
    warc_max_bytes: int = 1024 * 1024 * 1024  # archive files rotate past this size


@dataclass(frozen=True)
class ReportSettings:
    rules_file: str = str(CORPORA_DIR / "report" / "report_rules.json")  # agency types, reason grouping
    max_evidence_chars: int = 300  # evidence sentences are cut to this in report.html
    max_mentions_per_innovation: int = 30  # detail panel; the rest stay in mentions.csv
    max_aliases: int = 20
    page_size: int = 25  # table rows rendered at once (client-side paging)
    max_bars: int = 40  # bars per chart; the rest are summed as "other"
    max_graph_edges: int = 80  # replication graph: the most frequent edges
    max_runs: int = 20  # recent runs listed
    max_reasons: int = 30  # grouped skip/fail reasons listed


@dataclass(frozen=True)
class Settings:
    read: ReadSettings = field(default_factory=ReadSettings)
    clean: CleanSettings = field(default_factory=CleanSettings)
    extract: ExtractSettings = field(default_factory=ExtractSettings)
    resolve: ResolveSettings = field(default_factory=ResolveSettings)
    crawl: CrawlSettings = field(default_factory=CrawlSettings)
    report: ReportSettings = field(default_factory=ReportSettings)
    batch_size: int = 256  # articles per transaction / per distributed task
    # a run stops (non-zero) when more than this share of its inputs failed with one exception type ...
    systemic_failure_share: float = 0.5
    # ... once at least this many inputs were read (failed rows only; skipped ones never count)
    systemic_failure_min_inputs: int = 20

    # -- (de)serialisation -------------------------------------------------------
    def to_dict(self) -> dict:
        return asdict(self)

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    @classmethod
    def from_dict(cls, data: dict) -> "Settings":
        return _build(cls, data or {})

    @classmethod
    def load(cls, path: str | Path | None = None) -> "Settings":
        """Defaults, overridden by a TOML (or JSON) file where given."""
        if path is None:
            return cls()
        p = Path(path)
        text = p.read_text(encoding="utf-8")
        data = json.loads(text) if p.suffix == ".json" else tomllib.loads(text)
        return cls.from_dict(data)

    def with_section(self, name: str, **changes) -> "Settings":
        return replace(self, **{name: replace(getattr(self, name), **changes)})


def resolver_fingerprint(settings: "Settings") -> str:
    """What resolves: the resolve settings and the rule file they name (by content).  A run whose
    fingerprint differs from the one the output folder holds resolves the registry again, even
    with nothing new to read (``core``)."""
    values = {k: v for k, v in asdict(settings.resolve).items() if k != "rules_file"}
    return digest(values, [settings.resolve.rules_file])


def digest(values: dict, paths=()) -> str:
    """SHA-1 (hex) of ``values`` (as JSON) and of the contents of ``paths``: a file's bytes, every
    file of a folder (by relative name), a missing path as missing.  What a fingerprint of "what
    cleans" or "what extracts" is made of (``clean.rules.cleaner_fingerprint``,
    ``extract.fingerprint.extractor_fingerprint``): contents, not where they are installed."""
    h = hashlib.sha1(json.dumps(values, sort_keys=True, ensure_ascii=False, default=str).encode())
    for i, path in enumerate(paths):
        p = Path(path)
        files = sorted(f for f in p.rglob("*") if f.is_file() and not _hidden(f.relative_to(p))) if p.is_dir() \
            else [p] if p.is_file() else []
        h.update(f"\0{i}:{'missing' if not p.exists() else len(files)}".encode())
        for f in files:
            h.update(f"\0{f.relative_to(p) if f != p else ''}\0".encode())
            h.update(f.read_bytes())
    return h.hexdigest()


def _hidden(rel: Path) -> bool:
    """An editor's or Python's file in a data folder (``.x.swp``, ``__pycache__``): not data."""
    return any(part.startswith(".") or part == "__pycache__" for part in rel.parts)


def missing_data(settings: Settings) -> list[str]:
    """What a run needs from corpora/ and cannot find (one phrase each; empty when all is there)."""
    needed = (("clean.rules_file", settings.clean.rules_file), ("clean.language_file", settings.clean.language_file),
              ("resolve.rules_file", settings.resolve.rules_file), ("extract.patterns_dir", settings.extract.patterns_dir),
              ("extract.gazetteer_dir", settings.extract.gazetteer_dir), ("report.rules_file", settings.report.rules_file))
    gaps = [f"{name} {path} does not exist" for name, path in needed if not Path(path).exists()]
    if gaps and not os.environ.get(DATA_ENV):
        gaps.append(f"(data looked for in {ROOT})")
    return gaps


def _build(cls, data, prefix: str = ""):
    """``cls`` from ``data``, every key and type checked: a wrong one is a `ValueError` that
    names the setting, what it must be and what it was (the CLI prints it as one line)."""
    where = prefix.rstrip(".") or "the settings file"
    if not isinstance(data, dict):
        raise ValueError(f"{where} must be a table of settings, not {_shown(data)}")
    known = {f.name: f for f in fields(cls)}
    unknown = sorted(set(data) - set(known))
    if unknown:
        hints = [f"{prefix}{k}" + (f" (did you mean {prefix}{close[0]}?)"
                                   if (close := get_close_matches(k, list(known), n=1)) else "") for k in unknown]
        raise ValueError(f"unknown settings for {cls.__name__}: {', '.join(hints)}")
    defaults = cls()
    kwargs = {name: _checked(f"{prefix}{name}", getattr(defaults, name), value) for name, value in data.items()}
    return cls(**kwargs)


def _checked(name: str, default, value):
    """``value`` as the type of ``default``, or a `ValueError` naming ``name``."""
    if is_dataclass(default):
        return _build(type(default), value, f"{name}.")
    if isinstance(default, tuple):
        if not isinstance(value, (list, tuple)):
            raise ValueError(f"setting {name} must be a list, not {_shown(value)}")
        kind = type(default[0]) if default else None
        bad = [v for v in value if kind is not None and not _is_type(v, kind)]
        if bad:
            raise ValueError(f"setting {name} must be a list of {_kind_name(kind, plural=True)}, "
                             f"not {_shown(bad[0])} in it")
        return tuple(value)
    if not _is_type(value, type(default)):
        raise ValueError(f"setting {name} must be {_kind_name(type(default))}, not {_shown(value)}")
    return float(value) if isinstance(default, float) else value


def _is_type(value, kind: type) -> bool:
    if kind is bool or isinstance(value, bool):
        return kind is bool and isinstance(value, bool)  # true/false only; 1 is not a switch
    if kind is float:
        return isinstance(value, (int, float))
    return isinstance(value, kind)


def _kind_name(kind: type, plural: bool = False) -> str:
    names = ({bool: "true/false values", int: "whole numbers", float: "numbers", str: "strings"} if plural else
             {bool: "true or false", int: "a whole number", float: "a number", str: "a string"})
    return names.get(kind, kind.__name__)


def _shown(value) -> str:
    text = repr(value)
    return f"{text[:60]}{'...' if len(text) > 60 else ''} ({type(value).__name__})"
