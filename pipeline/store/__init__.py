"""Store: the incremental state (``state.sqlite``) and the exported tables."""
from .export import export, export_runs, main_event, write_atomic
from .state import Store

__all__ = ["Store", "export", "export_runs", "main_event", "write_atomic"]
