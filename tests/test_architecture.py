"""The layout holds: imports flow one way (claims / retrieval → verification → review → pipeline → evaluation →
training; the CLI and the dashboard on top), runtime code never imports training or evaluation code, and the
dashboard's views reach the stages only through the pipeline, the review store and the stages' types."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

REPO = Path(__file__).resolve().parents[1]
# Lower layers never import higher ones. Peers in one layer (claims and retrieval) never import each other.
LAYERS = {
    "common": -1,
    "claims": 0, "retrieval": 0,
    "verification": 1,
    "review": 2,
    "claimdesk.settings": 3, "claimdesk.results": 3, "claimdesk.pipeline": 3,
    "evaluation": 4,
    "training": 5,
    "claimdesk.cli": 6, "ui": 6, "app": 6,
}


def layer_of(module: str) -> tuple[str, int] | None:
    """The most specific LAYERS entry that names ``module`` or a package above it."""
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        name = ".".join(parts[:end])
        if name in LAYERS:
            return name, LAYERS[name]
    return None


def imports_of(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every import in a file, at any depth (lazy imports inside functions count too)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # "from training import stance" imports training.stance; "from x.y import Name" is x.y.Name, which
            # the layer table reads as x.y.
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def module_name(path: Path) -> str:
    relative = path.relative_to(REPO).with_suffix("")
    return ".".join(p for p in relative.parts if p != "__init__")


def source_files() -> list[Path]:
    roots = ["common", "claims", "retrieval", "verification", "review", "claimdesk", "evaluation", "training", "ui"]
    return [REPO / "app.py", *sorted(p for root in roots for p in (REPO / root).rglob("*.py"))]


def back_edges(files: list[Path]) -> list[str]:
    problems = []
    for path in files:
        own = layer_of(module_name(path))
        if own is None:
            continue
        for line, target in imports_of(path):
            other = layer_of(target)
            if other is None or other[0] == own[0] or target == module_name(path):
                continue
            if other[1] > own[1] or (other[1] == own[1] and other[0].split(".")[0] != own[0].split(".")[0]):
                problems.append(f"{path.relative_to(REPO)}:{line}: {own[0]} imports {other[0]}")
    return sorted(set(problems))


def test_imports_flow_one_way():
    assert back_edges(source_files()) == []


def test_the_check_catches_a_back_edge(tmp_path, monkeypatch):
    """The test above can fail: a stage that imports the pipeline, or the pipeline that imports training, is caught."""
    monkeypatch.setattr(f"{__name__}.REPO", tmp_path)
    (tmp_path / "verification").mkdir()
    (tmp_path / "claimdesk").mkdir()
    (tmp_path / "verification" / "verdict.py").write_text("def f():\n    from claimdesk.pipeline import Pipeline\n")
    (tmp_path / "claimdesk" / "pipeline.py").write_text("from training import stance\n")
    (tmp_path / "verification" / "fine.py").write_text("from claims.types import Claim\n")
    assert back_edges(sorted(tmp_path.rglob("*.py"))) == [
        "claimdesk/pipeline.py:1: claimdesk.pipeline imports training",
        "verification/verdict.py:2: verification imports claimdesk.pipeline",
    ]


def test_views_reach_the_stages_only_through_the_pipeline_and_the_store():
    for path in sorted((REPO / "ui").rglob("*.py")):
        for line, target in imports_of(path):
            stage = target.split(".")[0] in {"claims", "retrieval", "verification"}
            if stage and not target.endswith(".types"):
                pytest.fail(f"{path.relative_to(REPO)}:{line} imports stage internals: {target}")
            assert not target.startswith(("training", "evaluation")), f"{path.relative_to(REPO)}:{line}"


def test_runtime_code_never_imports_training():
    runtime = [p for p in source_files() if module_name(p).split(".")[0] not in {"training"}]
    for path in runtime:
        for line, target in imports_of(path):
            assert not target.startswith("training"), f"{path.relative_to(REPO)}:{line} imports {target}"
