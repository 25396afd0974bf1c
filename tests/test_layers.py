"""Imports inside ``src/idnkit`` flow one way, from the Unicode tables up to the CLI.

The layers, lowest first (CONTRIBUTING.md, "The import rule"); a module may import its own layer
and the layers below it, never one above, and no chain of imports may lead back to where it started.
The test reads the source with :mod:`ast`, so it sees imports inside functions too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "idnkit"

# (layer name, module prefixes), lowest first.  The root package ``idnkit`` is the public façade
# above every layer: nothing inside imports it.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("vocabulary", ("idnkit._version", "idnkit.rules", "idnkit.findings", "idnkit.errors", "idnkit._files")),
    ("unicode", ("idnkit.unicode", "idnkit._resources")),
    ("idna", ("idnkit.idna", "idnkit.uts46")),
    ("scripts", ("idnkit.confusables", "idnkit.lgr", "idnkit.profiles")),
    ("collisions", ("idnkit.collisions",)),
    ("policy", ("idnkit.policy", "idnkit.registry")),
    ("namecheck", ("idnkit.namecheck",)),
    ("zone", ("idnkit.zone",)),
    ("audit", ("idnkit.audit", "idnkit.epp")),
    ("service", ("idnkit.service",)),
    ("web", ("idnkit.web",)),
    ("cli", ("idnkit.cli", "idnkit.__main__")),
)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py")) if "_data" not in p.parts}


def layer_of(module: str) -> int:
    best, rank = -1, -1
    for i, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, rank = len(prefix), i
    if rank < 0:
        raise AssertionError(f"{module} belongs to no layer: add it to LAYERS in {Path(__file__).name}")
    return rank


def imports_of(module: str, path: Path, known: dict[str, Path]) -> list[tuple[str, int]]:
    """The idnkit modules ``module`` imports, with line numbers (``from . import x`` names x if it is a module)."""
    is_package = path.name == "__init__.py"
    package = module if is_package else module.rpartition(".")[0]
    out: list[tuple[str, int]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")
                base_parts = base_parts[: len(base_parts) - node.level + 1]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                out.append((sub if sub in known else base, node.lineno))
        elif isinstance(node, ast.Import):
            out += [(alias.name, node.lineno) for alias in node.names]
    return [(m, line) for m, line in out if m == "idnkit" or m.startswith("idnkit.")]


def graph() -> dict[str, list[tuple[str, int]]]:
    known = modules()
    return {m: imports_of(m, p, known) for m, p in known.items()}


def test_every_module_belongs_to_a_layer() -> None:
    for module in modules():
        if module != "idnkit":
            layer_of(module)


def layer_problems(edges: dict[str, list[tuple[str, int]]], known: dict[str, Path]) -> list[str]:
    """Every import that climbs to a higher layer or into the root package, as ``file:line: ...``."""
    problems = []
    for module, targets in edges.items():
        if module == "idnkit":
            continue
        where = known[module].relative_to(SRC)
        for target, line in targets:
            if target == "idnkit":
                problems.append(f"{where}:{line}: imports the root package idnkit")
            elif target in known and layer_of(target) > layer_of(module):
                problems.append(
                    f"{where}:{line}: the {LAYERS[layer_of(module)][0]} layer imports "
                    f"{known[target].relative_to(SRC)} of the {LAYERS[layer_of(target)][0]} layer above it"
                )
    return problems


def test_no_module_imports_a_layer_above_it_or_the_root_package() -> None:
    problems = layer_problems(graph(), modules())
    assert not problems, "\n".join(problems)


def test_layer_check_names_both_files() -> None:
    known = {"idnkit.idna._labels": PACKAGE / "idna" / "_labels.py", "idnkit.cli": PACKAGE / "cli" / "__init__.py"}
    edges = {"idnkit.idna._labels": [("idnkit.cli", 7)], "idnkit.cli": [("idnkit.idna._labels", 3)]}
    assert layer_problems(edges, known) == [
        "idnkit/idna/_labels.py:7: the idna layer imports idnkit/cli/__init__.py of the cli layer above it"
    ]


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, as the list of modules along it, or None."""
    state: dict[str, int] = {}  # 1 on the current path, 2 done

    def visit(node: str, path: list[str]) -> list[str] | None:
        state[node] = 1
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt, [*path, nxt])):
                return found
        state[node] = 2
        return None

    for start in sorted(edges):
        if start not in state and (found := visit(start, [start])):
            return found
    return None


def test_no_import_cycles() -> None:
    known = modules()
    edges = {m: {t for t, _ in targets if t in known and t != m} for m, targets in graph().items()}
    cycle = find_cycle(edges)
    assert cycle is None, "import cycle: " + " -> ".join(str(known[m].relative_to(SRC)) for m in cycle)


@pytest.mark.parametrize(
    ("edges", "cycle"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": set()}, None),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, ["a", "b", "c", "a"]),
        ({"a": {"a"}}, ["a", "a"]),
    ],
)
def test_cycle_finder_finds_cycles(edges: dict[str, set[str]], cycle: list[str] | None) -> None:
    assert find_cycle(edges) == cycle
