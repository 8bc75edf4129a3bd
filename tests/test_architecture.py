"""The import graph of ``pipeline/`` keeps the house one-way (issue 18).

Every ``import`` of the package is read from the source (module level and inside functions
alike), so a check fails as soon as someone re-adds an import that crosses a wall.
"""
from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "pipeline"
# the stages in the direction data flows; a module may import its own stage and earlier ones
STAGES = ("collect", "clean", "extract", "resolve", "store", "out")
OUTPUT_ROOMS = {"report", "monitor"}  # after the store: they read what it holds


def _module(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _targets(node: ast.AST, module: str, is_package: bool) -> set[str]:
    if isinstance(node, ast.Import):
        return {a.name for a in node.names if a.name.split(".")[0] == "pipeline"}
    if not isinstance(node, ast.ImportFrom):
        return set()
    if node.level:
        base = module.split(".") if is_package else module.split(".")[:-1]
        base = base[:len(base) - (node.level - 1)]
        target = ".".join(base + ([node.module] if node.module else []))
    else:
        target = node.module or ""
    if target.split(".")[0] != "pipeline":
        return set()
    # "from . import charts" imports the module pipeline.report.charts (not the package's names)
    subs = {f"{target}.{a.name}" for a in node.names if _is_module(f"{target}.{a.name}")}
    return subs if subs and len(subs) == len(node.names) else {target, *subs}


def _is_module(name: str) -> bool:
    path = PACKAGE.parent / name.replace(".", "/")
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def import_graph() -> nx.DiGraph:
    graph = nx.DiGraph()
    for path in sorted(PACKAGE.rglob("*.py")):
        module = _module(path)
        graph.add_node(module)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            for target in _targets(node, module, path.name == "__init__.py"):
                if target != module:
                    graph.add_edge(module, target)
    return graph


GRAPH = import_graph()


def _room(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _stage(module: str) -> int | None:
    room = _room(module)
    if room in OUTPUT_ROOMS:
        return STAGES.index("out")
    return STAGES.index(room) if room in STAGES else None


def test_the_graph_is_read_from_the_source():
    # guards against a reader that silently finds nothing: these edges exist and must be seen
    assert GRAPH.has_edge("pipeline.store.state", "pipeline.records")
    assert GRAPH.has_edge("pipeline.resolve.api", "pipeline.resolve.blocking")
    assert GRAPH.has_edge("pipeline.report", "pipeline.report.charts")
    assert len(GRAPH) > 50


def test_no_stage_imports_a_stage_after_it():
    bad = [(a, b) for a, b in GRAPH.edges
           if _stage(a) is not None and _stage(b) is not None and _stage(b) > _stage(a)]
    assert not bad, f"a stage imports a later one: {bad}"


@pytest.mark.parametrize("stage", ["collect", "clean", "extract", "resolve"])
def test_store_imports_no_stage(stage):
    bad = [(a, b) for a, b in GRAPH.edges if _room(a) == "store" and _room(b) == stage]
    assert not bad, f"the store imports {stage}: {bad}"


def test_records_imports_nothing_of_the_pipeline_but_settings():
    assert set(GRAPH.successors("pipeline.records")) <= {"pipeline.settings"}


def test_settings_and_shared_shapes_import_no_stage():
    for module in ("pipeline.settings", "pipeline.gazetteer", "pipeline.failures"):
        assert {_room(b) for b in GRAPH.successors(module)} <= {"records", "settings"}, module


def test_no_import_cycles():
    cycles = [sorted(c) for c in nx.strongly_connected_components(GRAPH) if len(c) > 1]
    assert not cycles, f"import cycles: {cycles}"


def test_explain_and_monitor_reach_state_through_the_store():
    """No module outside the store opens state.sqlite or runs SQL on the store's connection."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        module = _module(path)
        if _room(module) in {"store", "collect"}:  # collect keeps its own crawl state
            continue
        source = path.read_text(encoding="utf-8")
        if ".db.execute" in source or "store.db" in source:
            offenders.append(module)
    assert not offenders, offenders
