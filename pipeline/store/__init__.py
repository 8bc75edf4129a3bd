"""Store: the incremental state (``state.sqlite``) and the exported tables."""
from .export import export, main_event, write_atomic
from .state import Store

__all__ = ["Store", "export", "main_event", "write_atomic"]
