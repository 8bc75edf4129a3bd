"""Telling a broken environment from bad input.

Bad input (a page a parser chokes on, an unreadable file, a corrupt record) becomes a row
with status ``failed`` and a reason, and the run goes on.  A broken environment or a bug
must not be recorded as thousands of failed articles that a later run never retries:

* ``is_systemic(exc)``: an ``ImportError`` or ``MemoryError`` anywhere, or an
  ``AttributeError``/``NameError``/``TypeError`` raised by the project's own code (the
  innermost frame of its traceback is under ``pipeline/``), stops the run at once.
  The same errors raised inside a library (lxml, trafilatura, spaCy) on odd input are
  that input's failure.
* ``FailureGuard``: more than ``settings.systemic_failure_share`` of the inputs read,
  once at least ``settings.systemic_failure_min_inputs`` were read, failed with the same
  exception type: the run stops too.  Only ``failed`` rows whose reason names an exception
  count; ``skipped`` rows (PDFs, other languages, duplicates) never do.

Both raise `SystemicFailure` before the batch in flight is stored, so none of its
articles is recorded as failed and the next run, in a repaired environment, reads them.
"""
from __future__ import annotations

import re
from pathlib import Path

from .records import Article
from .settings import Settings

PACKAGE_DIR = Path(__file__).resolve().parent
ALWAYS_SYSTEMIC = (ImportError, MemoryError)
PROGRAMMING_ERRORS = (AttributeError, NameError, TypeError)
# "TypeError: ...", "clean error: TypeError: ...", "unreadable: PermissionError: ..."
_EXC_IN_REASON = re.compile(r"^(?:[a-z][a-z ]*: )?([A-Z][A-Za-z0-9_]*(?:Error|Exception|Failed))(?::|$)")


class SystemicFailure(RuntimeError):
    """The run stopped: the environment or the program is broken, not the input."""


def describe(exc: BaseException) -> str:
    """``Type: message`` on one line (what a failed row's reason carries)."""
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def raised_in_project(exc: BaseException) -> bool:
    """Whether the innermost frame of ``exc``'s traceback is the project's own code."""
    tb = exc.__traceback__
    if tb is None:
        return False
    while tb.tb_next is not None:
        tb = tb.tb_next
    try:
        return Path(tb.tb_frame.f_code.co_filename).resolve().is_relative_to(PACKAGE_DIR)
    except (OSError, ValueError):
        return False


def is_systemic(exc: BaseException) -> bool:
    if isinstance(exc, (SystemicFailure, *ALWAYS_SYSTEMIC)):
        return True
    return isinstance(exc, PROGRAMMING_ERRORS) and raised_in_project(exc)


def stop_for(exc: BaseException, stage: str, source: str) -> SystemicFailure:
    """The `SystemicFailure` that stops a run when ``stage`` raised ``exc`` on ``source``."""
    if isinstance(exc, SystemicFailure):
        return exc
    hint = ("a missing or broken package: reinstall with `pip install -e .` (or `pip install .`)"
            if isinstance(exc, ImportError) else
            "out of memory: lower settings batch_size / extract.batch_size or use fewer --workers"
            if isinstance(exc, MemoryError) else
            "a program error, not bad input: please report it with this message")
    return SystemicFailure(f"run stopped while {stage} {source}: {describe(exc)} ({hint}); "
                           "the batch in flight was not stored, so the next run reads it again")


def exception_type(reason: str) -> str:
    """The exception type a failed row's reason names ('' when it names none)."""
    m = _EXC_IN_REASON.match(reason or "")
    return m.group(1) if m else ""


class FailureGuard:
    """Counts failed rows per exception type over one run; trips on a systemic share."""

    def __init__(self, settings: Settings):
        self.share = settings.systemic_failure_share
        self.min_inputs = settings.systemic_failure_min_inputs
        self.n_read = 0
        self.by_type: dict[str, int] = {}
        self.example: dict[str, str] = {}

    def observe(self, article: Article) -> None:
        """Count ``article``; raise `SystemicFailure` when one exception type fails too many inputs."""
        self.n_read += 1
        if article.status != "failed":
            return self._check()
        kind = exception_type(article.reason)
        if kind:
            self.by_type[kind] = self.by_type.get(kind, 0) + 1
            self.example.setdefault(kind, f"{article.source}: {article.reason}"[:300])
        self._check()

    def _check(self) -> None:
        if self.n_read < self.min_inputs:
            return
        for kind, n in self.by_type.items():
            if n > self.share * self.n_read:
                raise SystemicFailure(
                    f"run stopped: {n} of the {self.n_read} inputs read failed with {kind} (more than "
                    f"{self.share:.0%} of at least {self.min_inputs}: settings systemic_failure_share, "
                    f"systemic_failure_min_inputs), which points at the environment, not the input; "
                    f"e.g. {self.example[kind]}. The batch in flight was not stored.")
