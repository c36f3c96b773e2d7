"""Code that runs only where a feature probe fails: ``if hasattr(np, "trapezoid"): return
np.trapezoid(y)`` followed by ``return np.trapz(y)``, the ``else`` of such a test, or the body of
``if not hasattr(...)``.  When the installed package has the probed name, that code is the
fallback for other releases and never runs against the target: a name it uses that the installed
release lacks is no mistake (as for a branch of a ``sys.version_info`` test that is false for the
target)."""

from __future__ import annotations

import ast
from typing import Callable

from vetpy.astutil import handler_catches

# Does the object the expression names certainly have this attribute in the target?
Has = Callable[[ast.expr, str], bool]


def _probe(test: ast.expr) -> tuple[ast.expr, str, bool] | None:
    """(object, name, positive?) of ``hasattr(obj, "name")`` / ``not hasattr(obj, "name")``."""
    positive = True
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        test, positive = test.operand, False
    if (isinstance(test, ast.Call) and isinstance(test.func, ast.Name) and test.func.id == "hasattr"
            and len(test.args) == 2 and not test.keywords and isinstance(test.args[1], ast.Constant)
            and isinstance(test.args[1].value, str)):
        return test.args[0], test.args[1].value, positive
    return None


def _ends(body: list[ast.stmt]) -> bool:
    """Does ``body`` always leave the enclosing block (its last statement returns or raises)?"""
    return bool(body) and isinstance(body[-1], (ast.Return, ast.Raise))


def runs_only_without_probed(node: ast.AST, parents: dict[ast.AST, ast.AST], has: Has,
                             importable: Callable[[str], bool] | None = None,
                             blocks: dict[ast.AST, Blocks] | None = None,
                             fits: Callable[[ast.Call], bool] | None = None) -> bool:
    """Is ``node`` in code that runs only when a ``hasattr`` probe of a name the target has is false,
    in the ``except AttributeError:`` fallback of names the target has, in the ``except
    TypeError:``/``except ValueError:`` fallback of calls that the target's signatures accept
    (given ``fits``: :func:`_call_fallback`), or (given ``importable``)
    after an import, in the same function, of a module the target cannot import (seaborn's
    vendored appdirs: ``from com.sun import jna`` then ``array.zeros(...)``, Jython's)?

    ``blocks`` (one dict per tree, dropped with it) keeps what :func:`_blocks` finds in each
    enclosing node's statement lists, so that each question asks ``has``/``importable`` only about
    the few earlier statements that can answer it, in the same order as a scan of them would."""
    if blocks is None:
        blocks = {}
    child, cur = node, parents.get(node)
    while cur is not None:
        if isinstance(cur, ast.If) and child is not cur.test:
            found = _probe(cur.test)
            if found is not None:
                in_body = child in cur.body
                if in_body != found[2] and has(found[0], found[1]):
                    return True
        if isinstance(cur, ast.ExceptHandler) and _catches_attribute_error(cur) and isinstance(parents.get(cur), ast.Try) \
                and _all_present(parents[cur].body, has):  # type: ignore[attr-defined]
            return True
        if isinstance(cur, ast.ExceptHandler) and fits is not None and isinstance(parents.get(cur), ast.Try) \
                and _call_fallback(node, cur, parents[cur].body, has, fits):  # type: ignore[attr-defined]
            return True
        known = blocks.get(cur)
        if known is None:
            known = blocks[cur] = _blocks(cur)
        imports = importable is not None and not isinstance(cur, ast.Module)
        for candidates, end in known.get(child, ()):  # `if hasattr(m, "n"): return ...` before it
            for index, stmt, probe in candidates[0 if imports else 1]:
                if index >= end:
                    break
                if probe is None:
                    if imports and _missing_import(stmt, importable):  # type: ignore[arg-type]
                        return True
                elif has(probe[0], probe[1]):
                    return True
        child, cur = cur, parents.get(cur)
    return False


# per statement list of a node: (index, statement, probe) of each statement that can decide for
# the statements after it (an import: probe None; `if hasattr(o, "n"): return ...`: its probe),
# and the same without the imports (where they do not count: at module level, no `importable`)
Candidate = tuple[int, ast.stmt, tuple[ast.expr, str, bool] | None]
Candidates = tuple[list[Candidate], list[Candidate]]
# statement of one of a node's lists -> (that list's candidates, the statement's index in it)
Blocks = dict[ast.AST, list[tuple[Candidates, int]]]


def _blocks(cur: ast.AST) -> Blocks:
    """What :func:`runs_only_without_probed` reads of ``cur``'s ``body``, ``orelse`` and
    ``finalbody``, once per node: for each of their statements the candidates of its list and its
    (first) index in that list."""
    found: Blocks = {}
    for block in (getattr(cur, "body", None), getattr(cur, "orelse", None), getattr(cur, "finalbody", None)):
        if not isinstance(block, list):
            continue
        candidates: Candidates = ([], [])
        for index, stmt in enumerate(block):
            if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                candidates[0].append((index, stmt, None))
            elif isinstance(stmt, ast.If) and not stmt.orelse and _ends(stmt.body):
                probe = _probe(stmt.test)
                if probe is not None and probe[2]:
                    candidates[0].append((index, stmt, probe))
                    candidates[1].append((index, stmt, probe))
        first: dict[ast.AST, int] = {}
        for index, stmt in enumerate(block):
            first.setdefault(stmt, index)
        for stmt, index in first.items():
            found.setdefault(stmt, []).append((candidates, index))
    return found


def _missing_import(stmt: ast.stmt, importable: Callable[[str], bool]) -> bool:
    if isinstance(stmt, ast.Import):
        return any(not importable(a.name) for a in stmt.names)
    return isinstance(stmt, ast.ImportFrom) and not stmt.level and bool(stmt.module) and not importable(stmt.module)


def _catches_attribute_error(handler: ast.ExceptHandler) -> bool:
    kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(isinstance(k, ast.Name) and k.id == "AttributeError" for k in kinds)


def _all_present(body: list[ast.stmt], has: Has) -> bool:
    """Does ``body`` read at least one attribute, and only attributes that the target certainly
    has?  Then an ``except AttributeError:`` after it is the fallback for releases that lack them
    (seaborn's ``try: return mpl.colormaps[name]`` / ``except AttributeError: return
    mpl.cm.get_cmap(name)``); one attribute that is unknown or missing and the handler may run."""
    reads = [n for stmt in body for n in ast.walk(stmt) if isinstance(n, ast.Attribute) and isinstance(n.ctx, ast.Load)]
    return bool(reads) and len(reads) <= 8 and all(has(n.value, n.attr) for n in reads)


_CALL_ERRORS = {"TypeError", "ValueError"}


def _root(expr: ast.AST) -> str | None:
    """The name an attribute chain or a call of one starts from (``pd`` of ``pd.Index(x).name``)."""
    while True:
        if isinstance(expr, ast.Call):
            expr = expr.func
        elif isinstance(expr, ast.Attribute):
            expr = expr.value
        else:
            return expr.id if isinstance(expr, ast.Name) else None


def _call_fallback(node: ast.AST, handler: ast.ExceptHandler, body: list[ast.stmt], has: Has,
                   fits: Callable[[ast.Call], bool]) -> bool:
    """Is ``handler`` (``except TypeError:``/``except ValueError:``) the fallback for other
    releases of the library ``node`` uses: its ``try`` body calls that library, and every call and
    attribute of it the target certainly accepts (dask's ``try: return pd.MultiIndex(levels=l,
    codes=c)`` / ``except TypeError:  # older pandas`` / ``return pd.MultiIndex(levels=l,
    labels=c)``)?  What the handler then calls is written for the releases where the body fails
    that way; on the target the body does not.  A body that calls another library (``int(s)``),
    or whose call the target rejects or cannot check, may raise here: the handler is checked."""
    kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    if not any(isinstance(k, ast.Name) and k.id in _CALL_ERRORS for k in kinds):
        return False
    root = _root(node.func if isinstance(node, ast.Call) else node.value if isinstance(node, ast.Attribute) else node)
    calls = [n for stmt in body for n in ast.walk(stmt) if isinstance(n, ast.Call)]
    if root is None or not calls or len(calls) > 8 or not any(_root(c.func) == root for c in calls):
        return False
    reads = [n for stmt in body for n in ast.walk(stmt)
             if isinstance(n, ast.Attribute) and isinstance(n.ctx, ast.Load) and _root(n) == root]
    return all(fits(c) for c in calls) and all(has(n.value, n.attr) for n in reads)


def imported_modules(tree: ast.AST | None) -> frozenset[str]:
    """The modules ``tree`` (a module or a statement) imports with ``import a.b`` (dotted names as written)."""
    if tree is None:
        return frozenset()
    # an import is a statement: only the blocks of statements are looked into, never the
    # expressions (most of a tree's nodes), which hold none
    found: set[str] = set()
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
            continue
        for field in ("body", "orelse", "finalbody", "handlers", "cases"):
            block = getattr(node, field, None)
            if isinstance(block, list):
                stack.extend(block)
    return frozenset(found)


def guarded(node: ast.AST, parents: dict[ast.AST, ast.AST], errors: set[str]) -> bool:
    """Inside ``try`` whose handlers catch one of ``errors``, or a ``with`` that expects one
    (``pytest.raises(TypeError)``, ``self.assertRaises(TypeError)``: a test of the failure)."""
    child, cur = node, parents.get(node)
    while cur is not None:
        if isinstance(cur, ast.Try) or type(cur).__name__ == "TryStar":
            if child in cur.body and any(handler_catches(h, errors) for h in cur.handlers):  # type: ignore[attr-defined]
                return True
        if isinstance(cur, (ast.With, ast.AsyncWith)) and child in cur.body and any(
                _expects(item.context_expr, errors) for item in cur.items):
            return True
        child, cur = cur, parents.get(cur)
    return False


_EXPECTING = ("raises", "assertRaises", "assertRaisesRegex")


def _expects(expr: ast.expr, errors: set[str]) -> bool:
    """Is ``expr`` ``pytest.raises(E)`` / ``self.assertRaises(E, ...)`` with one of ``errors`` among ``E``?"""
    if not isinstance(expr, ast.Call) or not expr.args:
        return False
    func = expr.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    expected = expr.args[0]
    names = expected.elts if isinstance(expected, ast.Tuple) else [expected]
    return name in _EXPECTING and any(
        (n.attr if isinstance(n, ast.Attribute) else getattr(n, "id", None)) in errors for n in names)


def for_type_checkers_only(node: ast.AST, parents: dict[ast.AST, ast.AST], path: str) -> bool:
    """Is ``node`` read only by type checkers: in a stub (``.pyi``: streamlit's generated
    ``Alert_pb2.pyi`` subclasses ``enum_type_wrapper._EnumTypeWrapper``), or in an annotation of a
    file with ``from __future__ import annotations``, which is never evaluated when the code runs?
    There a name that exists only for type checkers is right (sphinx's ``-> hashlib._Hash``)."""
    if path.endswith(".pyi"):
        return True
    child, cur = node, parents.get(node)
    annotation = False
    while cur is not None:
        if (isinstance(cur, (ast.arg, ast.AnnAssign)) and child is cur.annotation
                or isinstance(cur, (ast.FunctionDef, ast.AsyncFunctionDef)) and child is cur.returns):
            annotation = True
        child, cur = cur, parents.get(cur)
    return annotation and isinstance(child, ast.Module) and any(
        isinstance(st, ast.ImportFrom) and st.module == "__future__" and any(a.name == "annotations" for a in st.names)
        for st in child.body[:8])


_AST_VISITORS = frozenset({"NodeVisitor", "NodeTransformer"})


def visits_only(node: ast.AST, parents: dict[ast.AST, ast.AST], name: str) -> bool:
    """Is ``node`` in the method ``visit_<name>`` of a subclass of ``ast.NodeVisitor`` or
    ``ast.NodeTransformer`` (directly, or through a class of the same file)?  ``visit()`` calls it
    only for a node of class ``ast.<name>``, which a Python without ``ast.<name>`` never makes:
    the method runs only where the name exists (marimo's ``visit_TypeAlias`` returning
    ``cast(ast.TypeAlias, ...)`` on Python 3.11), as the body of ``if hasattr(ast, name):``."""
    fn = parents.get(node)
    while fn is not None and not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        fn = parents.get(fn)
    cls = parents.get(fn) if isinstance(fn, ast.FunctionDef) and fn.name == f"visit_{name}" else None
    if not isinstance(cls, ast.ClassDef) or not any(_within(node, st, parents) for st in fn.body):  # type: ignore[union-attr]
        return False  # its decorators and annotations are read when the class is made
    module = cls
    while parents.get(module) is not None:
        module = parents[module]
    local = {st.name: st for st in getattr(module, "body", ()) if isinstance(st, ast.ClassDef)}
    todo, seen = [cls], set()
    while todo:
        c = todo.pop()
        if id(c) in seen:
            continue
        seen.add(id(c))
        for base in c.bases:
            base_name = base.attr if isinstance(base, ast.Attribute) else base.id if isinstance(base, ast.Name) else ""
            if base_name in _AST_VISITORS and (isinstance(base, ast.Name) or isinstance(base.value, ast.Name)  # type: ignore[union-attr]
                                               and base.value.id == "ast"):  # type: ignore[union-attr]
                return True
            if isinstance(base, ast.Name) and base.id in local:
                todo.append(local[base.id])
    return False


def _within(node: ast.AST, outer: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    cur: ast.AST | None = node
    while cur is not None and cur is not outer:
        cur = parents.get(cur)
    return cur is outer
