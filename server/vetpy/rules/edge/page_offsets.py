"""EDGE034 one-based-page-offset: a page numbered from 1 turned into a row offset as page * size."""

from __future__ import annotations

import ast
import re
from typing import Iterator

from vetpy.astutil import keyword, name_words
from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.findings import Finding, Fix, FixSafety, Severity
from vetpy.rules.edge.facts import Module
from vetpy.rules.registry import REGISTRY, rule
from vetpy.scopes import parameter_names


ONE_BASED_PAGE_OFFSET = rule(
    code="EDGE034",
    name="one-based-page-offset",
    family="EDGE",
    severity=Severity.WARNING,
    question="Which rows does page 1 show?",
    summary="A page number that starts at 1 (its default is 1, `ge=1`, a docstring says so) made into a row offset as `page * size`: page 1 skips the first page of rows.",
    rationale="""When the first page is page 1, its rows start at offset 0, so the offset is
    `(page - 1) * size`; `page * size` starts page 1 at the second page's rows and the first
    `size` rows are never shown to anyone (and the last page is empty). Reported when the product
    of a page number and a size is used as a start: the argument of `.offset()` or `.skip()`
    (SQLAlchemy, Django-style slicing helpers, Peewee, Tortoise, pymongo), an `offset=`/`skip=`/
    `start=` keyword, the lower bound of a slice, or a name for a start (`start`, `offset`,
    `skip`, `first`, `begin`); and the function proves that pages start at 1: the page parameter
    defaults to 1 (`page: int = 1`, `Query(1, ge=1)`, `ge=1`), the page is read with a default of
    1 (`request.args.get("page", 1, type=int)`, `int(request.GET.get("page", "1"))`, `max(1, ...)`),
    or the function's docstring calls the page 1-based. Not reported: a page that may start at 0
    (a default of 0, no default and no docstring saying otherwise), `(page - 1) * size`, a function
    that subtracts 1 from the page anywhere, `page * size` as the end of a slice
    (`rows[(page - 1) * size:page * size]`).""",
    bad="""
        def orders(session, page: int = 1, size: int = 20):
            return session.query(Order).offset(page * size).limit(size).all()
    """,
    good="""
        def orders(session, page: int = 1, size: int = 20):
            return session.query(Order).offset((page - 1) * size).limit(size).all()
    """,
    fix_safety=FixSafety.UNSAFE,
)

_START_WORDS = frozenset({"start", "offset", "skip", "first", "begin", "lo", "low"})
_NOT_A_PAGE = frozenset({"size", "per", "limit", "count", "len", "length", "total", "pages", "max", "items"})
_ONE_BASED = re.compile(r"\b(1|one)[- ]based\b|\b(1|one)[- ]indexed\b|\bstart(s|ing)? (at|from) 1\b", re.IGNORECASE)


def _is_page(node: ast.expr) -> bool:
    if not isinstance(node, ast.Name):
        return False
    words = set(name_words(node.id))
    return ("page" in words or node.id.lower() in ("pageno", "pagenum")) and not words & _NOT_A_PAGE


def _is_one(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and node.value in (1, "1") and type(node.value) is not bool


def _param_default(func: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> ast.expr | None:
    args = func.args
    positional = [*args.posonlyargs, *args.args]
    for arg, default in zip(positional[len(positional) - len(args.defaults):], args.defaults):
        if arg.arg == name:
            return default
    for arg, kw_default in zip(args.kwonlyargs, args.kw_defaults):
        if arg.arg == name:
            return kw_default
    return None


def _default_says_one(default: ast.expr | None) -> bool:
    """``1``, ``Query(1, ge=1)``, ``Query(default=1)``, ``Query(ge=1)``."""
    if _is_one(default):
        return True
    if isinstance(default, ast.Call):
        first = default.args[0] if default.args else None
        bound = keyword(default, "ge") or keyword(default, "default")
        return _is_one(first) or (bound is not None and _is_one(bound.value))
    return False


def _read_with_default_one(value: ast.AST) -> bool:
    """``int(request.GET.get("page", 1))``, ``request.args.get("page", 1, type=int)``, ``max(1, ...)``
    (not ``int(request.GET.get("page", 1)) - 1``: counted from 0 where it is read)."""
    if any(isinstance(sub, ast.BinOp) and isinstance(sub.op, ast.Sub) for sub in ast.walk(value)):
        return False
    for sub in ast.walk(value):
        if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) and sub.func.attr == "get":
            if len(sub.args) >= 2 and _is_one(sub.args[1]):
                return True
            default = keyword(sub, "default")
            if default is not None and _is_one(default.value):
                return True
        if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name) and sub.func.id == "max":
            if any(_is_one(a) for a in sub.args):
                return True
    return False


class _Pages:
    """Per function: does it prove its page starts at 1, and does it subtract 1 anywhere?"""

    def __init__(self, mod: Module) -> None:
        self.mod = mod
        self.memo: dict[tuple[int, str], bool] = {}

    def one_based(self, page: ast.Name) -> bool:
        func = self.mod.enclosing_functions.get(id(page))
        if func is None:
            return False
        key = (id(func), page.id)
        if key not in self.memo:
            self.memo[key] = self._proven(func, page) and not self._adjusted(func, page.id)
        return self.memo[key]

    def _proven(self, func: ast.FunctionDef | ast.AsyncFunctionDef, page: ast.Name) -> bool:
        doc = ast.get_docstring(func) or ""
        if _ONE_BASED.search(doc):
            return True
        if page.id in parameter_names(func):
            return _default_says_one(_param_default(func, page.id))
        values = self.mod.local_values(page.id, page)
        return bool(values) and all(_read_with_default_one(v) for v in values)

    @staticmethod
    def _adjusted(func: ast.AST, name: str) -> bool:
        """``page - 1``, ``page -= 1``, ``page = page - 1``: the author counts from 1 already."""
        for sub in ast.walk(func):
            if isinstance(sub, ast.BinOp) and isinstance(sub.op, ast.Sub):
                if isinstance(sub.left, ast.Name) and sub.left.id == name:
                    return True
            elif isinstance(sub, ast.AugAssign) and isinstance(sub.op, ast.Sub):
                if isinstance(sub.target, ast.Name) and sub.target.id == name:
                    return True
        return False


def _used_as_start(node: ast.BinOp, mod: Module) -> bool:
    parent = mod.doc.parents.get(node)
    if isinstance(parent, ast.Call) and node in parent.args:
        return isinstance(parent.func, ast.Attribute) and parent.func.attr in ("offset", "skip")
    if isinstance(parent, ast.keyword):
        return parent.arg in ("offset", "skip", "start")
    if isinstance(parent, ast.Slice):
        return parent.lower is node
    if isinstance(parent, ast.Assign) and parent.value is node and len(parent.targets) == 1:
        target = parent.targets[0]
        return isinstance(target, ast.Name) and bool(_START_WORDS.intersection(name_words(target.id)))
    return False


@REGISTRY.checker("EDGE034")
def check_page_offsets(doc: Document, ctx: AnalysisContext) -> Iterator[Finding]:
    if "page" not in doc.text:
        return
    mod = Module.of(doc)
    pages = _Pages(mod)
    for node in mod.of_type(ast.BinOp):
        assert isinstance(node, ast.BinOp)
        if not isinstance(node.op, ast.Mult):
            continue
        if _is_page(node.left) == _is_page(node.right):
            continue  # neither side a page number, or both
        page = node.left if _is_page(node.left) else node.right
        assert isinstance(page, ast.Name)
        if not _used_as_start(node, mod) or not pages.one_based(page):
            continue
        other = node.right if page is node.left else node.left
        size = ast.unparse(other)
        fix = Fix(
            f"Start at ({page.id} - 1) * {size}",
            (doc.replace_node(node, f"({page.id} - 1) * {size}"),),
        )
        yield ONE_BASED_PAGE_OFFSET.finding(
            doc,
            node,
            f"`{ast.unparse(node)}` skips the first page: `{page.id}` starts at 1, so page 1 starts at row "
            f"{size} and the first {size} rows are never shown; the offset is `({page.id} - 1) * {size}`",
            fixes=(fix,),
        )
