"""The package's architecture, checked: layers, no import cycle, the code table, module sizes.

CONTRIBUTING.md draws the layers; this test keeps the drawing true.  Every import counts, also
one inside a function or under ``TYPE_CHECKING``: a cycle hidden in a function is still a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

from vetpy import codes
from vetpy.rules import REGISTRY, load_all

PACKAGE = Path(__file__).resolve().parents[1] / "server" / "vetpy"

# Bottom to top: a module may import modules of its own layer or of a lower one, never a higher
# one.  The longest matching prefix decides a module's layer.
LAYERS: list[tuple[str, ...]] = [
    # 0: facts about text and code that need nothing else
    ("vetpy", "vetpy.codes", "vetpy.settings_spec", "vetpy.findings", "vetpy.terminal", "vetpy.astutil", "vetpy.trees", "vetpy.libraries",
     "vetpy.history", "vetpy.suggest", "vetpy.gitutil", "vetpy.suppression", "vetpy.schema", "vetpy.reads", "vetpy.deadline",
     "vetpy.environment._probe", "vetpy.resolve._worker", "vetpy.resolve._worker_facts", "vetpy.resolve._worker_instances", "vetpy.resolve._worker_subclasses", "vetpy.resolve._worker_setattr", "vetpy.resolve._worker_returns", "vetpy.resolve._worker_shapes"),
    # 1: a document, the configuration, the target environment
    ("vetpy.document", "vetpy.comment_spans", "vetpy.scopes", "vetpy.config", "vetpy.environment", "vetpy.files", "vetpy.first_party", "vetpy.first_party_classes",
     "vetpy.first_party_imports", "vetpy.first_party_scan",
     "vetpy.testsuite"),
    # 2: what names and members exist in the target environment
    ("vetpy.resolve",),
    # 3: what one analysis may read, and the facts every rule family shares
    ("vetpy.context", "vetpy.dataflow", "vetpy.semantic"),
    # 4: the rules
    ("vetpy.rules",),
    # 5: running the rules; building a project's context
    ("vetpy.engine", "vetpy.project", "vetpy.baseline", "vetpy.resultcache"),
    # 6: incremental analysis, reports, documentation
    ("vetpy.incremental", "vetpy.incremental_inner", "vetpy.report", "vetpy.rulesdoc"),
    # 7: the fronts
    ("vetpy.cli", "vetpy.lsp", "vetpy.__main__"),
]


def _module_files() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
        out[".".join(parts)] = path
    return out


MODULES = _module_files()


def _owner(name: str) -> str | None:
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imports(module: str) -> set[str]:
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            owner = _owner(name) if name.startswith("vetpy") else None
            if owner and owner != module:
                found.add(owner)
    return found


GRAPH = {module: _imports(module) for module in MODULES}


def layer_of(module: str) -> int:
    best, layer = -1, -1
    for index, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, layer = len(prefix), index
    return layer


def test_every_module_has_a_layer() -> None:
    assert [m for m in MODULES if layer_of(m) < 0] == []


def test_no_import_points_up_a_layer() -> None:
    upward = sorted(
        f"{module} (layer {layer_of(module)}) imports {target} (layer {layer_of(target)})"
        for module, targets in GRAPH.items()
        for target in targets
        if layer_of(target) > layer_of(module)
    )
    assert upward == []


def test_no_import_cycle() -> None:
    # Tarjan's strongly connected components, iteratively
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    counter = 0
    for start in sorted(GRAPH):
        if start in index:
            continue
        work = [(start, iter(sorted(GRAPH[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(GRAPH[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    cycles.append(sorted(component))
    assert cycles == []


def test_the_cycle_check_can_fail() -> None:
    GRAPH["vetpy.findings"].add("vetpy.document")
    try:
        try:
            test_no_import_cycle()
        except AssertionError:
            return
        raise AssertionError("a cycle document -> findings -> document was not seen")
    finally:
        GRAPH["vetpy.findings"].discard("vetpy.document")


def test_the_code_table_is_the_registry() -> None:
    load_all()
    assert {code: rule.name for code, rule in REGISTRY.rules.items()} == codes.CODES
    assert list(codes.CODES) == sorted(codes.CODES, key=lambda c: (list(codes.FAMILIES).index(c.rstrip("0123456789")), c))


def test_the_core_knows_rules_only_through_the_registry() -> None:
    core = ["vetpy.engine", "vetpy.incremental", "vetpy.config", "vetpy.project", "vetpy.context"]
    named = {m: sorted(t for t in GRAPH[m] if t.startswith("vetpy.rules.") and t != "vetpy.rules.registry") for m in core}
    assert named == {m: [] for m in core}


MAX_LINES = 800


def test_no_module_over_the_line_limit() -> None:
    sizes = {m: len(p.read_text(encoding="utf-8").splitlines()) for m, p in MODULES.items()}
    assert {m: n for m, n in sizes.items() if n > MAX_LINES} == {}


def test_the_contributor_guide_names_files_that_exist() -> None:
    """CONTRIBUTING.md says which files to touch to add a rule, a format or a setting: every
    path it names (in backquotes) exists, so the guide cannot drift from the tree."""
    import re

    repo = PACKAGE.parents[1]
    guide = (repo / "CONTRIBUTING.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:tests|fixtures|docs|vscode-client)/[\w./-]+|[\w/]+\.py)(?:::\w+)?`", guide))
    missing = []
    for name in sorted(named):
        if "<" in name:
            continue
        candidates = [repo / name, PACKAGE / name]
        if not any(c.exists() for c in candidates):
            missing.append(name)
    assert missing == []
    assert "## Adding a rule" in guide and "codes.py" in guide and "fixtures/rules/" in guide
