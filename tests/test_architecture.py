"""The import structure: data flows one way.

Every ``import`` in ``src/secession`` is read from the source (those inside functions too)
and the tests fail on an import cycle between modules, on the analysis packages importing
Django or the web platform, on ``plan`` importing ``maps`` (the core calling the
presentation layer), and on a web app importing an app above it in the layering.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "secession"
ANALYSIS = ("geo", "plan", "scenario", "referendum", "maps")

# Known debts of the analysis packages (the planner's cycle was paid by issue 22): each is
# checked to still exist, so the list can only shrink; a new import fails at once.
KNOWN_PLAN_TO_MAPS: tuple[str, ...] = ()

# Web apps from the bottom up: an app may import itself and the apps before it only.
WEB_LAYERS = (
    "opendata",
    "audit",
    "accounts",
    "communities",
    "proposals",
    "constitutions",
    "verifiable",
    "registry",
    "notifications",
    "alliances",
    "licences",
    "translations",
    "planner",
    "snapshots",
)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _runtime_nodes(tree: ast.AST):
    """Every node of ``tree`` except those under ``if TYPE_CHECKING:`` (annotations only)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child.test):
                stack.extend(child.orelse)
                continue
            stack.append(child)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


@cache
def modules() -> dict[str, Path]:
    return {_module_name(p): p for p in (SRC / PACKAGE).rglob("*.py")}


def _resolve(name: str, known: dict[str, Path]) -> str | None:
    """The project module an import names (a module, or the package holding a name)."""
    while name:
        if name in known:
            return name
        name = name.rpartition(".")[0]
    return None


@cache
def imports() -> dict[str, set[str]]:
    """Module -> the project modules it imports anywhere in its source."""
    known = modules()
    graph: dict[str, set[str]] = {}
    for name, path in known.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found: set[str] = set()
        for node in _runtime_nodes(ast.parse(path.read_text(), str(path))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - node.level + 1]
                    base = ".".join([*anchor, base]) if base else ".".join(anchor)
                targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
            for target in targets:
                resolved = _resolve(target, known)
                if resolved and resolved != name:
                    found.add(resolved)
        graph[name] = found
    return graph


@cache
def third_party() -> dict[str, set[str]]:
    """Module -> the top-level names of everything it imports."""
    result: dict[str, set[str]] = {}
    for name, path in modules().items():
        tops: set[str] = set()
        for node in _runtime_nodes(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                tops |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                tops.add(node.module.split(".")[0])
        result[name] = tops
    return result


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def test_the_reader_sees_imports_inside_functions():
    graph = imports()
    # secession.cli.app imports its command modules lazily or at the top: either is seen
    assert graph["secession.cli"] or graph["secession.cli.app"]
    assert "secession.exceptions" in graph["secession.settings"]


def test_no_import_cycle():
    cycles = _cycles(imports())
    assert not cycles, "import cycles (each line one cycle):\n" + "\n".join(
        " -> ".join(c) for c in cycles
    )


def test_known_debts_are_still_owed():
    """Remove an entry from KNOWN_PLAN_TO_MAPS once it is fixed."""
    assert [d for d in KNOWN_PLAN_TO_MAPS if d not in _plan_to_maps()] == []


# Packages that work without Django (anyone checks a published audit log with them).
STANDALONE = (*ANALYSIS, "transparency")


def test_analysis_packages_never_import_django_or_the_web():
    bad = []
    for name in modules():
        if any(_within(name, f"{PACKAGE}.{p}") for p in STANDALONE):
            if "django" in third_party()[name] or "ninja" in third_party()[name]:
                bad.append(f"{name} imports Django")
            bad += [
                f"{name} imports {t}"
                for t in imports()[name]
                if _within(t, f"{PACKAGE}.web") or _within(t, f"{PACKAGE}.cli")
            ]
    assert not bad, "\n".join(bad)


def _plan_to_maps() -> list[str]:
    return [
        f"{name} imports {t}"
        for name in modules()
        if _within(name, f"{PACKAGE}.plan")
        for t in sorted(imports()[name])
        if _within(t, f"{PACKAGE}.maps")
    ]


def test_plan_never_imports_maps():
    bad = [d for d in _plan_to_maps() if d not in KNOWN_PLAN_TO_MAPS]
    assert not bad, "\n".join(bad)


def _web_app(module: str) -> str | None:
    prefix = f"{PACKAGE}.web.apps."
    if not module.startswith(prefix):
        return None
    return module[len(prefix) :].split(".")[0] or None


def test_web_apps_import_only_apps_below_them():
    apps = {a for a in (_web_app(m) for m in modules()) if a}
    assert apps <= set(WEB_LAYERS), f"place every app in WEB_LAYERS: {apps - set(WEB_LAYERS)}"
    bad = []
    for name, targets in imports().items():
        source = _web_app(name)
        if source is None:
            continue
        for target in targets:
            other = _web_app(target)
            if other and WEB_LAYERS.index(other) > WEB_LAYERS.index(source):
                bad.append(f"{name} imports {target} ({other} is above {source})")
    assert not bad, "\n".join(bad)
