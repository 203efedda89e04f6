"""The apps import one way only: core <- accounts <- screening <- shippers <- the rest.

A lower app that must reach a higher one announces (a signal) or offers a registry that the
higher app fills in `AppConfig.ready()`. This test reads every module's imports (module
level and inside functions) and every model relation named by string, and fails on an
arrow that runs upward, a cycle between apps of one layer, or a module over the size limit.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYER = {"core": 0, "accounts": 1, "screening": 2, "shippers": 3, "demo": 9}
ABOVE_SHIPPERS = 4  # enforcement, education, shipments and any later app
MAX_LINES = 650
RELATIONS = {"ForeignKey", "OneToOneField", "ManyToManyField"}


def _apps() -> set[str]:
    return {path.parent.name for path in ROOT.glob("*/apps.py")}


def _modules(app: str) -> list[Path]:
    return [p for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts]


def _targets(tree: ast.AST) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Call):
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if name in RELATIONS and node.args and isinstance(node.args[0], ast.Constant):
                value = node.args[0].value
                if isinstance(value, str) and "." in value:
                    found.append((node.lineno, value))
    return found


def _edges() -> tuple[list[str], set[tuple[str, str]]]:
    apps = _apps()
    upward: list[str] = []
    edges: set[tuple[str, str]] = set()
    for app in sorted(apps):
        for module in _modules(app):
            tree = ast.parse(module.read_text(encoding="utf-8"))
            for lineno, dotted in _targets(tree):
                target = dotted.split(".")[0]
                if target not in apps or target == app:
                    continue
                edges.add((app, target))
                if LAYER.get(app, ABOVE_SHIPPERS) < LAYER.get(target, ABOVE_SHIPPERS):
                    upward.append(f"{module.relative_to(ROOT)}:{lineno} -> {dotted}")
    return upward, edges


def test_no_import_runs_against_the_layers() -> None:
    upward, _ = _edges()
    assert upward == []


def test_no_cycle_between_apps_of_one_layer() -> None:
    _, edges = _edges()
    cycles = sorted(f"{a} <-> {b}" for a, b in edges if (b, a) in edges and a < b)
    assert cycles == []


def test_no_module_over_the_size_limit() -> None:
    big = [
        f"{module.relative_to(ROOT)}: {module.read_text(encoding='utf-8').count(chr(10))} lines"
        for app in sorted(_apps())
        for module in _modules(app)
        if module.read_text(encoding="utf-8").count("\n") > MAX_LINES
    ]
    assert big == []


def test_the_checker_sees_an_upward_import_inside_a_function() -> None:
    tree = ast.parse("def f():\n    from shippers.tasks import x\n")
    assert _targets(tree) == [(2, "shippers.tasks")]
    tree = ast.parse(
        "class M:\n    org = models.ForeignKey('shippers.Organisation', on_delete=1)\n"
    )
    assert _targets(tree) == [(2, "shippers.Organisation")]
