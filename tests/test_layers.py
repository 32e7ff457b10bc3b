"""The data flow runs one way: document → claims → checks → findings → render.

A module of a stage may use the shared foundations and the stages before it,
never a later stage. The rules are read from the imports in the source (any
import, lazy ones inside functions too), so a back-import fails here.
"""

from __future__ import annotations

import ast
import pathlib

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "extractor"

# Stage of each top-level module or package; a stage may import the ones with
# a lower number. Foundations (models, patterns, quantities …) are 0.
STAGES = {
    "errors": 0, "models": 0, "patterns": 0, "quantities": 0, "normalise": 0, "metrics": 0,
    "fatal": 0, "outfile": 0,
    "load": 1, "limits": 1, "segment": 1, "tables": 1,  # document
    "extract": 2,  # claims
    "checks": 3,  # checks → findings
    "pipeline": 4, "batch": 4, "workers": 4,
    "render": 5,
    "cli": 6, "servecmd": 6, "evalcmd": 6, "doctorcmd": 6, "evaluation": 6,
}
# Renderers turn a Report into text: they read models, never a stage.
RENDER_MAY_IMPORT = {"errors", "models", "patterns", "quantities", "normalise", "metrics",
                     "render", "__init__", "extractor"}


def _imports(path: pathlib.Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = ([f"{node.module}.{a.name}" for a in node.names]
                     if node.module == "extractor" else [node.module])
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "extractor" and len(parts) > 1:
                found.add(parts[1])
    return found


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        stage = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
        if stage in STAGES:
            yield pytest.param(path, stage, id=str(path.relative_to(PACKAGE)))


@pytest.mark.parametrize("path,stage", list(_modules()))
def test_imports_point_to_earlier_stages(path: pathlib.Path, stage: str) -> None:
    for other in _imports(path) - {stage, "__version__"}:
        assert other in STAGES, f"{other} has no stage in tests/test_layers.py"
        assert STAGES[other] <= STAGES[stage], f"{stage} imports the later stage {other}"
        if stage == "render":
            assert other in RENDER_MAY_IMPORT, f"render imports {other}"


def test_every_module_has_a_stage() -> None:
    tops = {p.relative_to(PACKAGE).parts[0].removesuffix(".py") for p in PACKAGE.rglob("*.py")}
    assert tops - {"__init__"} <= set(STAGES)
