"""Attributes a project file stores only on objects it has just made by calling an installed class.

``resp = requests.Response()`` then ``resp.status_code = 200`` (a test's fake response) stores a
name on a ``requests.Response``, nothing else: it does not make ``status_code`` a possible attribute
of every installed object (typer's ``Result``, werkzeug's ``NotFound``), as a store on an object of
unknown origin would (a middleware's ``request.event = ...``).  :func:`stores_on_made` says, per
attribute name, which callees made the objects it is stored on, when that is all the file does with
the name; ``FirstPartyFacts`` keeps them apart from its other assigned names, and the HAL checks
count such a store only when the made object's class lacks the name itself.

A receiver counts as made by ``mod.Cls`` when every binding of its name in the scope of the store
(the function, class body or module it is in) is ``name = mod.Cls(...)`` (the same callee, reached
through the file's absolute imports): a name bound otherwise there (a parameter, a loop target, a
``with`` target, another assignment, a ``global``), or not bound there at all (a closure's), leaves
the store among the others.
"""

from __future__ import annotations

import ast
import re

from vetpy.astutil import child_nodes, dotted_name, parse, walk

# `resp = mod.Cls(` at the start of a line (the receiver, the module name)
_MADE = re.compile(r"^[ \t]*([A-Za-z_]\w*)[ \t]*=[ \t]*([A-Za-z_]\w*)\.[\w.]*\(", re.M)
# `import mod`, `import mod.sub as m` (the name it binds: the alias, else the first part)
_IMPORT = re.compile(r"^[ \t]*import[ \t]+([\w.]+)(?:[ \t]+as[ \t]+(\w+))?[ \t]*$", re.M)
SIMPLE_RECEIVER = re.compile(r"[ \t]*([A-Za-z_]\w*)\.[A-Za-z_]\w*[ \t]*[:=]")


def may_store_on_made(text: str, stores: list[re.Match[str]]) -> bool:
    """Can :func:`stores_on_made` find anything among ``stores`` (``first_party._FOREIGN_ASSIGN``'s
    matches, group 1 the attribute's name)?  Only if some name is stored only on plain names that
    some line binds to a call of an attribute of a module the file imports (``requests.Response()``;
    ``from requests import Response`` then ``Response()`` is left among the other stores): most
    files are not parsed for it."""
    calls = _MADE.findall(text)
    if not calls:
        return False
    modules = {alias or dotted.split(".")[0] for dotted, alias in _IMPORT.findall(text)}
    made = {name for name, module in calls if module in modules}
    on: dict[str, bool] = {}  # attribute name -> every store of it is on a name some line binds to a call
    for m in stores:
        r = SIMPLE_RECEIVER.match(m.group(0))
        on[m.group(1)] = on.get(m.group(1), True) and r is not None and r.group(1) in made
    return any(on.values())


def stores_on_made(text: str) -> dict[str, list[str]]:
    """{attribute name: the dotted paths of the callees that made every object ``text`` stores it
    on}, for the names it stores only on such objects."""
    try:
        tree = parse(text)
    except (SyntaxError, ValueError):
        return {}
    imported: dict[str, str | None] = {}  # local name -> the dotted path it stands for (None: ambiguous)
    # (scope, local name) -> the one callee every binding of the name in that scope calls (None: otherwise bound)
    made: dict[tuple[int, str], str | None] = {}
    stores: list[tuple[int, ast.Attribute]] = []
    targets = {id(n.targets[0]) for n in walk(tree) if isinstance(n, ast.Assign) and len(n.targets) == 1
               and isinstance(n.targets[0], ast.Name) and isinstance(n.value, ast.Call)}
    todo: list[tuple[int, ast.AST]] = [(0, tree)]
    while todo:
        scope, node = todo.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                local, path = _import_binding(node, alias)
                imported[local] = path if imported.get(local, path) == path else None
                made[scope, local] = None
        elif isinstance(node, ast.Assign) and id(node.targets[0]) in targets:
            callee = dotted_name(node.value.func)  # type: ignore[attr-defined]
            key = (scope, node.targets[0].id)  # type: ignore[attr-defined]
            made[key] = callee if made.get(key, callee) == callee else None
        elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load) and id(node) not in targets:
            made[scope, node.id] = None
        elif isinstance(node, ast.arg):
            made[scope, node.arg] = None
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            made.update(dict.fromkeys(((scope, n) for n in node.names)))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            made[scope, node.name] = None
        elif isinstance(node, ast.MatchAs) and node.name:
            made[scope, node.name] = None
        elif isinstance(node, ast.Attribute) and not isinstance(node.ctx, ast.Load):
            stores.append((scope, node))
        inner = id(node) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)) else scope
        todo.extend((inner, child) for child in child_nodes(node))
    on_made: dict[str, set[str]] = {}
    elsewhere: set[str] = set()
    for scope, node in stores:
        receiver = node.value
        callee = made.get((scope, receiver.id)) if isinstance(receiver, ast.Name) else None
        path = _qualified(callee, imported) if callee else None
        if path is None:
            elsewhere.add(node.attr)
        else:
            on_made.setdefault(node.attr, set()).add(path)
    return {name: sorted(paths) for name, paths in on_made.items() if name not in elsewhere}


def _import_binding(node: ast.Import | ast.ImportFrom, alias: ast.alias) -> tuple[str, str | None]:
    if isinstance(node, ast.Import):
        if alias.asname:
            return alias.asname, alias.name
        top = alias.name.split(".")[0]
        return top, top
    local = alias.asname or alias.name
    if node.level or not node.module or alias.name == "*":
        return local, None  # a relative import: the project's own module
    return local, f"{node.module}.{alias.name}"


def _qualified(callee: str, imported: dict[str, str | None]) -> str | None:
    head, _, rest = callee.partition(".")
    base = imported.get(head)
    if base is None:
        return None  # a name of the file itself, a builtin, or imported twice otherwise
    return f"{base}.{rest}" if rest else base
