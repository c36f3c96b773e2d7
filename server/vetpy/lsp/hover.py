"""Hover text for imports and imported names: what the name resolves to, its signature when the
source defines it, the distribution that provides it, the installed version and the declared pin.

Static only: reads installed source files, never imports them.
"""

from __future__ import annotations

import ast

from vetpy.astutil import ImportMap, qualified_name
from vetpy.context import AnalysisContext
from vetpy.document import Document, Range
from vetpy.environment.modules import ModuleLookup, parse_module_file
from vetpy.files import is_package_file
from vetpy.semantic.document import module_name_for
from vetpy.resolve.static import resolve_relative
from vetpy.semantic.imports import provenance

MAX_SIGNATURE = 300


def hover_markdown(doc: Document, ctx: AnalysisContext, line: int, column: int) -> str | None:
    """Markdown for the name at (1-based line, 1-based code-point column), or None."""
    tree = doc.tree
    if tree is None or ctx.resolver is None:
        return None
    target = _import_target(doc, ctx, tree, line, column) or _expression_target(doc, tree, line, column)
    if target is None:
        return None
    return describe(ctx, target, doc.path)


def _inside(rng: Range, line: int, column: int) -> bool:
    start = (rng[0], rng[1])
    end = (rng[2], rng[3])
    return start <= (line, column) <= end


def _import_target(doc: Document, ctx: AnalysisContext, tree: ast.Module, line: int, column: int) -> str | None:
    for node in ast.walk(tree):
        if not isinstance(node, (ast.Import, ast.ImportFrom)) or not (node.lineno <= line <= (node.end_lineno or node.lineno)):
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _inside(doc.node_range(alias), line, column):
                    return alias.name
            continue
        module = node.module
        if node.level:
            own = doc.module_name or module_name_for(doc.path, ctx.root)
            module = resolve_relative(own, is_package_file(doc.path), node.level, node.module)
        if not module:
            return None
        for alias in node.names:
            if alias.name != "*" and _inside(doc.node_range(alias), line, column):
                return f"{module}.{alias.name}"
        return module
    return None


def _expression_target(doc: Document, tree: ast.Module, line: int, column: int) -> str | None:
    best: ast.AST | None = None
    for node in ast.walk(tree):
        if isinstance(node, (ast.Name, ast.Attribute)) and hasattr(node, "lineno"):
            rng = doc.node_range(node)
            if not _inside(rng, line, column):
                continue
            if isinstance(node, ast.Attribute):
                # the cursor on `attr` of value.attr means this node; on `value` means a child
                name_rng = doc.name_range_after_dot(node)
                if not _inside(name_rng, line, column):
                    continue
            best = node
    if best is None:
        return None
    return qualified_name(best, ImportMap.from_tree(tree))


def describe(ctx: AnalysisContext, dotted: str, file_path: str) -> str | None:
    resolver = ctx.resolver
    assert resolver is not None
    if dotted.startswith("."):
        return None
    parts = dotted.split(".")
    lookup = resolver.find(parts[0], file_path)
    if lookup.kind == "missing":
        return f"```python\n{dotted}\n```\nnot found in the target environment"
    if not lookup.found:
        return None
    module, depth = parts[0], 1
    # descend into packages only: a plain module has attributes, not submodules
    while depth < len(parts) and lookup.path is not None and lookup.path.name.startswith("__init__."):
        sub = resolver.find(".".join(parts[: depth + 1]), file_path)
        if not sub.found:
            break
        module, lookup, depth = ".".join(parts[: depth + 1]), sub, depth + 1
    rest = parts[depth:]
    lines = [f"```python\n{_signature(lookup, rest) or dotted}\n```"]
    kind = "module" if not rest else ("member of module" if len(rest) == 1 else "attribute via module")
    lines.append(f"{kind} `{module}` from {provenance(ctx, module, lookup)}")
    if lookup.path is not None:
        lines.append(f"resolved: `{lookup.path}`")
    return "\n\n".join(lines)


def _signature(lookup: ModuleLookup, rest: list[str]) -> str | None:
    """``def name(args) -> ret`` / ``class Name(bases)`` from the module's source, when defined there."""
    if len(rest) != 1 or lookup.path is None or lookup.path.is_dir():
        return None
    tree = parse_module_file(lookup.path)
    if tree is None:
        return None
    name = rest[0]
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name:
            prefix = "async def" if isinstance(node, ast.AsyncFunctionDef) else "def"
            returns = f" -> {ast.unparse(node.returns)}" if node.returns else ""
            text = f"{prefix} {name}({ast.unparse(node.args)}){returns}"
            return text if len(text) <= MAX_SIGNATURE else text[: MAX_SIGNATURE - 5] + " ...)"
        if isinstance(node, ast.ClassDef) and node.name == name:
            bases = ", ".join(ast.unparse(b) for b in node.bases)
            return f"class {name}({bases})" if bases else f"class {name}"
    return None
