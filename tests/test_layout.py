"""
The shape of the code: imports run one way and never in a circle.

Every import counts, the ones inside functions too: an import moved into a function to
dodge a cycle hides the cycle without removing it.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("skillsportal", "frameworks", "assessments", "reports")
# Cycles that remain, each named by one edge and the issue item that removes it. The test
# fails when one of them is gone too, so that this list only ever shrinks.
KNOWN_CYCLES = {
    # Issue 16, item 2 (services take plain values): the task module imports the service.
    ("assessments.signin", "assessments.tasks"),
    # frameworks.access.get_framework_or_404 imports the models inside the function.
    ("frameworks.access", "frameworks.models"),
}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_modules() -> dict[str, Path]:
    found = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                found[module_name(path)] = path
    return found


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules that ``name`` imports, wherever the import statement is."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                targets.add(submodule if submodule in modules else base)
    return {target for target in targets if target in modules and target != name}


def import_graph() -> dict[str, set[str]]:
    modules = project_modules()
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def cycles() -> set[tuple[str, str]]:
    """Every import that lies on a cycle, as the sorted pair of its two modules."""
    graph = import_graph()

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            current = todo.pop()
            if current == goal:
                return True
            if current not in seen:
                seen.add(current)
                todo.extend(graph[current])
        return False

    return {
        tuple(sorted((a, b)))
        for a, targets in graph.items()
        for b in targets
        if reaches(b, a) and a != b
    }


def test_the_project_modules_are_found():
    modules = project_modules()
    assert {"assessments.models", "reports.tasks", "frameworks.models"} <= modules.keys()
    assert imports_of("reports.tasks", modules["reports.tasks"], modules)


def test_imports_run_one_way():
    """reports → assessments → frameworks; skillsportal (configuration) is imported by none."""
    below = {"frameworks": {"frameworks"}, "assessments": {"assessments", "frameworks"}}
    wrong = [
        (name, target)
        for name, targets in import_graph().items()
        for target in targets
        if target.split(".")[0] not in below.get(name.split(".")[0], set(APPS))
        or (target.startswith("skillsportal") and not name.startswith("skillsportal"))
    ]
    assert wrong == []


def test_no_import_cycles_beyond_the_known_ones():
    found = cycles()
    assert not found - KNOWN_CYCLES, f"new import cycles: {sorted(found - KNOWN_CYCLES)}"
    assert not KNOWN_CYCLES - found, f"gone, remove from KNOWN_CYCLES: {KNOWN_CYCLES - found}"


# Plain Python: no Django, nothing installed, only each other and the standard library.
PURE = {"reports.gaps", "frameworks.priority", "frameworks.spreadsheet"}


def test_the_pure_modules_import_only_the_standard_library_and_each_other():
    import sys

    for name in PURE:
        tree = ast.parse((ROOT / (name.replace(".", "/") + ".py")).read_text())
        imported = {
            alias.name for n in ast.walk(tree) if isinstance(n, ast.Import) for alias in n.names
        }
        imported |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        for module in imported:
            assert module in PURE or module.split(".")[0] in sys.stdlib_module_names, (name, module)
