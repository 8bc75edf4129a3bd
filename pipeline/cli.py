"""The ``inovasi`` command: each command parses options, calls one library function,
and turns known errors into a message that says what to do."""
from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console

from .settings import Settings

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Turn Indonesian regional news into a registry of public-service innovations.")
err = Console(stderr=True)
out = Console()

NOT_FOUND = "No innovation matches"
# libraries whose warnings are about their own heuristics ("discarding data: None"), not the run's
NOISY_LIBRARIES = ("trafilatura", "htmldate", "courlan", "justext", "readability")

ConfigOpt = typer.Option(None, "--config", help="TOML file overriding settings (see settings.json of a run).")


def _settings(config: Optional[Path]) -> Settings:
    try:
        return Settings.load(config)
    except (OSError, ValueError) as exc:
        _fail(f"cannot read settings from {config}: {exc}")


def _fail(message: str, code: int = 2):
    err.print(f"[bold red]error:[/] {message}")
    raise typer.Exit(code)


@app.command()
def run(inputs: List[Path] = typer.Argument(None, help="Files or folders (.html .txt .jsonl .warc[.gz]); "
                                                       "default: the sample corpus in corpora/sample."),
        out_dir: Path = typer.Option(Path("outputs"), "--out", help="Output folder."),
        config: Optional[Path] = ConfigOpt,
        quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar and no summary (for cron)."),
        workers: int = typer.Option(0, "--workers", help="Start a local Dask cluster of N processes."),
        scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Use a Dask scheduler (tcp://HOST:PORT)."),
        no_report: bool = typer.Option(False, "--no-report", help="Do not write report.html."),
        prune: bool = typer.Option(False, "--prune", help="Withdraw the articles of earlier inputs that no "
                                                          "longer exist (their ids stay as tombstones or aliases)."),
        model: Optional[Path] = typer.Option(None, "--model", help="Learned model folder (`inovasi train`); "
                                                                   "default: models/learned."),
        reextract: bool = typer.Option(False, "--reextract", help="Extract every stored article again (done by "
                                                                  "itself when the extractor changed).")):
    """Run the whole pipeline and write articles/mentions/registry/replications tables."""
    from .core import RunLocked, run as run_pipeline

    from .failures import SystemicFailure

    settings = _settings(config)
    _check_data(settings)
    if model is not None:
        if not (model / "names.json").exists():
            _fail(f"no learned model in {model} (train one with `inovasi train GOLD.json --out {model}`)")
        settings = settings.with_section("extract", learned_dir=str(model))
    missing = [str(p) for p in inputs or [] if not p.exists()]
    if missing:
        _fail(f"input not found: {', '.join(missing)}")
    interactive = sys.stderr.isatty() and not quiet
    try:
        with _cluster(workers, scheduler, quiet) as client, _progress(interactive) as progress:
            summary = run_pipeline(inputs or None, out_dir, settings, client=client,
                                   progress=progress, report=not no_report, prune=prune, reextract=reextract)
    except RunLocked as exc:
        _fail(str(exc), code=3)
    except SystemicFailure as exc:
        _fail(str(exc), code=4)
    except OSError as exc:
        _fail(_os_error(exc, out_dir))
    if not quiet:
        out.print(summary.line())


def _check_data(settings: Settings) -> None:
    """A clear line when the data the run needs (corpora/, models/) is not where settings say."""
    from .settings import missing_data

    gaps = missing_data(settings)
    if gaps:
        _fail(f"inovasi's data is missing: {'; '.join(gaps)}. Reinstall (`pip install .` ships corpora/ and "
              "models/), or set INOVASI_DATA to a folder that holds corpora/ and models/")


def _os_error(exc: OSError, out_dir: Path) -> str:
    """Blame the output folder only when the failing path is in it."""
    name = exc.filename if isinstance(exc.filename, str) else ""
    try:
        in_out = bool(name) and Path(name).resolve().is_relative_to(out_dir.resolve())
    except (OSError, ValueError):
        in_out = False
    if in_out or not name:
        return f"{exc}; check that the output folder {out_dir} is writable and has free space"
    return f"{exc}"


class _progress:
    """A rich progress bar on a terminal; nothing otherwise."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.bar = None

    def __enter__(self):
        if not self.enabled:
            return None
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        self.bar = Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                            TimeElapsedColumn(), console=err, transient=True)
        self.bar.start()
        task = self.bar.add_task("inputs read, then stored", total=None)  # two steps per input
        return lambda done, total: self.bar.update(task, completed=done, total=total)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.stop()


class _cluster:
    def __init__(self, workers: int, scheduler: Optional[str], quiet: bool = False):
        self.workers, self.scheduler, self.handle, self.quiet = workers, scheduler, None, quiet

    def __enter__(self):
        if not self.workers and not self.scheduler:
            return None
        import distributed  # noqa: F401 - configures its loggers (INFO) on import: set them after

        from .distributed import connect

        if not logging.getLogger().isEnabledFor(logging.DEBUG):  # Dask's INFO lines only with --verbose
            logging.getLogger("distributed").setLevel(logging.ERROR if self.quiet else logging.WARNING)

        try:
            self.handle = connect(scheduler=self.scheduler, workers=self.workers)
        except (OSError, TimeoutError) as exc:
            _fail(f"cannot reach the Dask scheduler {self.scheduler}: {exc}")
        return self.handle.client

    def __exit__(self, *exc):
        if self.handle is not None:
            self.handle.close()


@app.command()
def crawl(seeds: List[str] = typer.Argument(..., help="Page URLs, RSS/Atom feeds or sitemaps (detected)."),
          archive: Path = typer.Option(Path("archive"), "--archive", help="Folder of WARC files and crawl state."),
          max_pages: Optional[int] = typer.Option(None, "--max-pages", help="Stop after N pages."),
          allow_private: bool = typer.Option(False, "--allow-private",
                                             help="Allow loopback/private addresses (tests, intranets)."),
          refresh: bool = typer.Option(False, "--refresh", help="Re-fetch archived URLs with conditional requests."),
          depth: Optional[int] = typer.Option(None, "--depth", help="Follow same-site links to this depth."),
          config: Optional[Path] = ConfigOpt,
          quiet: bool = typer.Option(False, "--quiet", "-q")):
    """Fetch news pages politely into a WARC archive that `inovasi run` reads."""
    from .collect.crawl import crawl as crawl_site

    settings = _settings(config)
    changes = {"allow_private": allow_private or settings.crawl.allow_private}
    if depth is not None:
        changes["follow_links_depth"] = depth
    settings = settings.with_section("crawl", **changes)
    bad = [s for s in seeds if not s.lower().startswith(("http://", "https://"))]
    if bad:
        _fail(f"only http(s) URLs can be crawled: {', '.join(bad)}")
    try:
        with _crawl_progress(sys.stderr.isatty() and not quiet) as progress:
            report = crawl_site(seeds, archive, settings, max_pages=max_pages, refresh=refresh, progress=progress)
    except RuntimeError as exc:  # another crawl holds the archive
        _fail(f"{exc}; wait for it to finish or use another --archive", code=3)
    if not quiet:
        for note in (*report.notes, *report.advice()):
            err.print(note, markup=False, highlight=False)
        out.print(f"{report.summary()} -> {archive} (log: {archive / 'crawl_log.jsonl'})")
    if report.nothing_fetched:
        lines = "\n".join(f"  {line}" for line in report.seed_reasons())
        _fail(f"nothing could be fetched ({report.summary()}):\n{lines}", code=1)


class _crawl_progress:
    """One status line on a terminal: fetched, queued, the host being fetched; nothing otherwise."""

    def __init__(self, enabled: bool):
        self.enabled, self.status = enabled, None

    def __enter__(self):
        if not self.enabled:
            return None
        self.status = err.status("crawl: starting")
        self.status.start()
        return lambda fetched, queued, host: self.status.update(
            f"crawl: fetched {fetched}, queued {queued}, now {host or '-'}")

    def __exit__(self, *exc):
        if self.status is not None:
            self.status.stop()


@app.command()
def monitor(out_dir: Path = typer.Option(Path("outputs"), "--out", help="Output folder of earlier runs."),
            since: Optional[str] = typer.Option(None, "--since", help="RUN_ID or ISO DATE; default: the latest run."),
            fmt: str = typer.Option("table", "--format", help="table, json or csv."),
            alert: bool = typer.Option(False, "--alert",
                                       help="Exit with status 10 when there are new replications (for cron).")):
    """What is new since the last run: innovations, events, replications."""
    from . import monitor as mon

    if since is not None and not _valid_since(since):
        _fail(f"--since takes a run id (a whole number, e.g. 12) or an ISO date (e.g. 2026-05-01 or "
              f"2026-05-01T06:00), not {since!r}")
    try:
        result = mon.monitor(out_dir, since)
    except mon.MonitorError as exc:
        _fail(str(exc))
    if fmt == "json":
        typer.echo(mon.to_json(result))
    elif fmt == "csv":
        typer.echo(mon.to_csv(result), nl=False)
    elif fmt == "table":
        _print_changes(result)
    else:
        _fail(f"unknown format {fmt!r}: use table, json or csv")
    if alert and result.new_replications:
        raise typer.Exit(10)


def _valid_since(since: str) -> bool:
    from datetime import date, datetime

    if since.isdigit():
        return True
    for parse in (date.fromisoformat, datetime.fromisoformat):
        try:
            parse(since)
            return True
        except ValueError:
            pass
    return False


def _print_changes(result) -> None:
    from rich.table import Column, Table

    out.print(f"since run {result.since_run}: {result.count('innovation')} new innovations, "
              f"{result.count('event')} new events, {result.count('replication')} new replications")
    if not result.changes:
        return
    width = max(len(c.innovation_id) for c in result.changes)  # ids are printed whole, never cut
    table = Table("run", "kind", Column("id", no_wrap=True, min_width=width), "name", "detail", "evidence / url",
                  show_lines=False)
    for c in result.changes:
        table.add_row(str(c.run_id), c.kind, c.innovation_id, c.name, c.detail,
                      (c.evidence[:160] + (f"\n{c.url}" if c.url else "")).strip())
    out.print(table)


@app.command()
def evaluate(gold: List[Path] = typer.Argument(..., help="Gold annotation files (schema of seeds/gold.json)."),
             out_dir: Path = typer.Option(Path("outputs"), "--out", help="Output folder of a run."),
             as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
             minimum: List[str] = typer.Option([], "--min", help="Floor, e.g. names=0.95 (exit 1 when below).")):
    """Precision, recall and F1 of an output folder against gold annotations."""
    from .evaluate import evaluate as score

    missing = [str(g) for g in gold if not g.exists()]
    if missing:
        _fail(f"gold file not found: {', '.join(missing)}")
    if not (out_dir / "articles.csv").exists():
        _fail(f"{out_dir} has no articles.csv: run `inovasi run ... --out {out_dir}` first")
    try:
        floors = {k: float(v) for k, v in (m.split("=", 1) for m in minimum)}
    except ValueError:
        _fail("--min takes KEY=NUMBER, e.g. --min names=0.95")
    try:
        scores = score(out_dir, gold)
    except ValueError as exc:  # a malformed gold file: load_gold says which and where
        _fail(str(exc))
    if as_json:
        typer.echo(scores.to_json())
    else:
        _print_scores(scores)
    bad = scores.failures(floors)
    if bad:
        err.print("[bold red]below floor:[/] " + ", ".join(bad))
        raise typer.Exit(1)


def _print_scores(scores) -> None:
    from rich.table import Table

    for a in scores.articles:
        flag = "" if a.found else "  [article not in articles.csv]"
        out.print(f"{a.file}: tp={a.tp} fp={a.fp} fn={a.fn}{flag}")
        for label, items in (("missed", a.missed), ("extra", a.extra), ("agency", a.wrong_agency),
                             ("region", a.wrong_region), ("year", a.wrong_year),
                             ("replication missed", a.missed_replications),
                             ("boilerplate left", a.boilerplate_left), ("keep lost", a.keep_lost)):
            if items:
                out.print(f"    {label}: {items}", markup=False)
    table = Table("figure", "value")
    for k, v in scores.figures.items():
        table.add_row(k, f"{v:.3f}")
    out.print(table)
    out.print(" ".join(f"{k}={v}" for k, v in scores.counts.items()))


@app.command()
def explain(query: str = typer.Argument(..., help="An innovation id (old ids resolve too) or a name."),
            out_dir: Path = typer.Option(Path("outputs"), "--out", help="Output folder of a run.")):
    """Show a registry entry, its mentions with evidence, and the scores behind each merge."""
    from .explain import explain_from_store

    if not (out_dir / "state.sqlite").exists():
        _fail(f"{out_dir} holds no inovasi state: run `inovasi run --out {out_dir}` first")
    text = explain_from_store(query, out_dir)
    if text.startswith(NOT_FOUND):  # resolve.explain's answer for a name or id it does not know
        err.print(text, markup=False, highlight=False)
        raise typer.Exit(1)
    typer.echo(text)


@app.command()
def report(out_dir: Path = typer.Option(Path("outputs"), "--out", help="Output folder of a run."),
           config: Optional[Path] = ConfigOpt):
    """Rebuild report.html from the tables of an output folder."""
    from .report import build_report

    if not (out_dir / "inovasi.sqlite").exists():
        _fail(f"{out_dir} has no inovasi.sqlite: run `inovasi run --out {out_dir}` first")
    path = build_report(out_dir, _settings(config))
    out.print(f"wrote {path}")


@app.command("build-model")
def build_model(config: Optional[Path] = ConfigOpt):
    """Rebuild the spaCy pipeline under models/ from the pattern and gazetteer files in corpora/."""
    from .extract import build_model as build

    path = build(_settings(config))
    out.print(f"built {path}")


@app.command()
def train(gold: List[Path] = typer.Argument(..., help="Gold files (schema of shared/seeds/gold.json); each "
                                                     "article file beside it or in its articles/ folder."),
          out_dir: Path = typer.Option(..., "--out", help="Model folder to write (names.json, training.json)."),
          seed: int = typer.Option(0, "--seed", help="Random seed (training is deterministic for a seed)."),
          config: Optional[Path] = ConfigOpt):
    """Train the learned name classifier on top of the rule pipeline (see README, quality)."""
    from .extract.train import train as fit

    missing = [str(p) for p in gold if not p.exists()]
    if missing:
        _fail(f"gold file not found: {', '.join(missing)}")
    try:
        path = fit(gold, out_dir, _settings(config), seed=seed)
    except (FileNotFoundError, ValueError, KeyError) as exc:
        _fail(str(exc))
    out.print(f"trained {path}")


@app.callback()
def main(verbose: bool = typer.Option(False, "--verbose", "-v", help="Log what each stage does.")):
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s %(message)s")
    if not verbose:
        for name in NOISY_LIBRARIES:
            logging.getLogger(name).setLevel(logging.ERROR)


if __name__ == "__main__":  # pragma: no cover
    app()
