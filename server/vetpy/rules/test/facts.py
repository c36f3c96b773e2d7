"""Facts about one test file shared by the TEST checkers: is it collected, which functions are
tests, and does a test check anything (directly, through a helper of the file or through a
fixture of the file or of its ``conftest.py`` files)."""

from __future__ import annotations

import ast
import builtins
import fnmatch
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Iterable, Iterator, Union

from vetpy.astutil import ImportMap, NodeMemo, child_nodes, dotted_name, keyword, name_words
from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.rules.registry import REGISTRY
from vetpy.semantic.model import semantic
from vetpy.testsuite import Collection, collection_for, conftests

Function = Union[ast.FunctionDef, ast.AsyncFunctionDef]
FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
NESTED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)

# Words of a called name that make the call a check: ``assertEqual``, ``assert_called_once_with``,
# ``pytest.raises``/``warns``/``fail``/``deprecated_call``, ``check_output``, ``verify``,
# ``expect(page)``, ``raise_for_status``, ``validate``...
CHECK_WORDS = frozenset(
    {
        "assert", "asserts", "check", "checks", "verify", "verifies", "expect", "expects", "validate",
        "validates", "fail", "fails", "ensure", "ensures", "raise", "raises", "warns", "deprecated",
        "require", "requires", "must", "should", "xfail",
    }
)
# Import paths whose helpers are test support code (which may assert): unknown, so trusted.
SUPPORT_WORDS = frozenset(
    {"test", "tests", "testing", "testutils", "helpers", "helper", "util", "utils", "support", "conftest",
     "fixtures", "common", "base", "_testing", "compat", "harness", "mixins", "cases"}
)
# Fixtures of pytest plugins that check something at teardown (pytest-httpx, respx, syrupy,
# pytest-regressions) or that make the test a benchmark.
CHECKING_FIXTURES = frozenset(
    {
        "httpx_mock", "respx_mock", "snapshot", "data_regression", "file_regression", "num_regression",
        "ndarrays_regression", "dataframe_regression", "image_regression", "benchmark", "aioresponses",
    }
)
UNITTEST_BASES = frozenset({"TestCase", "IsolatedAsyncioTestCase", "object", "AsyncTestCase"})
PER_TEST_HOOKS = frozenset(
    {"setUp", "tearDown", "asyncSetUp", "asyncTearDown", "setup_method", "teardown_method", "setup", "teardown"}
)
MODULE_HOOKS = frozenset({"setup_function", "teardown_function"})
MAX_DEPTH = 3  # the test itself, a helper, the helper's helper


def is_check_name(name: str) -> bool:
    return not CHECK_WORDS.isdisjoint(name_words(name))


@dataclass
class TestFunction:
    node: Function
    cls: ast.ClassDef | None  # the class it is a method of (a test class), or None


def _is_fixture(func: Function) -> bool:
    for deco in func.decorator_list:
        target = deco.func if isinstance(deco, ast.Call) else deco
        dotted = dotted_name(target) or ""
        if dotted.rsplit(".", 1)[-1] == "fixture" or dotted.endswith("yield_fixture"):
            return True
    return False


def fixture_name(func: Function) -> str:
    for deco in func.decorator_list:
        if isinstance(deco, ast.Call):
            name = keyword(deco, "name")
            if name is not None and isinstance(name.value, ast.Constant) and isinstance(name.value.value, str):
                return name.value.value
    return func.name


def _is_autouse(func: Function) -> bool:
    for deco in func.decorator_list:
        if isinstance(deco, ast.Call):
            kw = keyword(deco, "autouse")
            if kw is not None and isinstance(kw.value, ast.Constant) and kw.value.value is True:
                return True
    return False


def decorator_names(func: Function | ast.ClassDef) -> list[str]:
    out = []
    for deco in func.decorator_list:
        target = deco.func if isinstance(deco, ast.Call) else deco
        out.append(dotted_name(target) or "")
    return out


def walk_body(nodes: Iterable[ast.AST]) -> Iterator[ast.AST]:
    """Every node under ``nodes`` (nested functions and lambdas included: a callback's assert is
    still the test's)."""
    stack = list(nodes)
    while stack:
        node = stack.pop()
        yield node
        stack.extend(child_nodes(node))


def walk_scope(nodes: Iterable[ast.AST]) -> Iterator[ast.AST]:
    """Every node under ``nodes`` without entering nested functions, classes or lambdas."""
    stack = [n for n in nodes if not isinstance(n, NESTED)]
    while stack:
        node = stack.pop()
        yield node
        stack.extend([c for c in child_nodes(node) if not isinstance(c, NESTED)])


@dataclass
class Suite:
    """The facts of one test file (built once per analysis, kept in ``doc.shared``)."""

    doc: Document
    ctx: AnalysisContext
    collection: Collection = field(init=False)
    imports: ImportMap = field(init=False)

    def __post_init__(self) -> None:
        self.collection = collection_for(self.doc.path, self.ctx.root)
        self.imports = semantic(self.doc).imports
        self._checks: dict[int, bool] = {}
        self._scopes: dict[int, list[ast.AST]] = {}
        self._bodies: dict[int, list[ast.AST]] = {}

    def scope(self, func: Function) -> list[ast.AST]:
        """The nodes of ``func``'s body outside nested functions and classes (computed once)."""
        found = self._scopes.get(id(func))
        if found is None:
            found = self._scopes[id(func)] = list(walk_scope(func.body))
        return found

    def body(self, func: Function) -> list[ast.AST]:
        """Every node of ``func``'s body, nested functions included (computed once)."""
        found = self._bodies.get(id(func))
        if found is None:
            found = self._bodies[id(func)] = list(walk_body(func.body))
        return found

    @classmethod
    def of(cls, doc: Document, ctx: AnalysisContext) -> "Suite | None":
        """The facts of ``doc`` when pytest would collect it, else None."""
        key = "test.suite"
        if key not in doc.shared:
            suite = cls(doc, ctx)
            doc.shared[key] = suite if suite.collection.collects_file(_path(doc.path)) else None
        return doc.shared[key]  # type: ignore[no-any-return]

    # -- what the file defines (from every top-level statement, also in an incremental view) --
    @cached_property
    def functions(self) -> dict[str, Function]:
        return {s.name: s for s in self.doc.module_body if isinstance(s, FUNCTIONS)}

    @cached_property
    def classes(self) -> dict[str, ast.ClassDef]:
        return {s.name: s for s in self.doc.module_body if isinstance(s, ast.ClassDef)}

    @cached_property
    def conftest_trees(self) -> list[ast.Module]:
        return conftests(self.doc.path, self.ctx.root)

    @cached_property
    def fixtures(self) -> dict[str, Function]:
        """Fixture name -> its function: this file's, then the nearest conftest's."""
        out: dict[str, Function] = {}
        for body in [self.doc.module_body, *(t.body for t in self.conftest_trees)]:
            for stmt in body:
                if isinstance(stmt, FUNCTIONS) and _is_fixture(stmt):
                    out.setdefault(fixture_name(stmt), stmt)
        return out

    @cached_property
    def autouse_checks(self) -> bool:
        """Does an autouse fixture of the file or a conftest check something (every test then does)?"""
        for body in [self.doc.module_body, *(t.body for t in self.conftest_trees)]:
            for stmt in body:
                if isinstance(stmt, FUNCTIONS) and _is_fixture(stmt) and _is_autouse(stmt):
                    if self.checks(stmt, None, 1):
                        return True
                if isinstance(stmt, FUNCTIONS) and stmt.name in MODULE_HOOKS and self.checks(stmt, None, 1):
                    return True
        return False

    @cached_property
    def star_support(self) -> bool:
        """A ``from <test support module> import *``: names may come from there."""
        for stmt in self.doc.module_body:
            if isinstance(stmt, ast.ImportFrom) and any(a.name == "*" for a in stmt.names):
                if stmt.level or _support_module(stmt.module or ""):
                    return True
        return False

    @cached_property
    def skipped(self) -> bool:
        """A module-level ``pytestmark`` that skips or xfails every test."""
        for stmt in self.doc.module_body:
            if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "pytestmark" for t in stmt.targets):
                text = ast.unparse(stmt.value)
                if "skip" in text or "xfail" in text:
                    return True
        return False

    # -- the tests ----------------------------------------------------------------------------
    def tests(self) -> Iterator[TestFunction]:
        """The test functions of the analysed tree (an incremental view holds only some)."""
        assert self.doc.tree is not None
        for stmt in self.doc.tree.body:
            if isinstance(stmt, FUNCTIONS) and self.collection.collects_function(stmt.name):
                if not _disabled(stmt):
                    yield TestFunction(stmt, None)
            elif isinstance(stmt, ast.ClassDef):
                yield from self._class_tests(stmt)

    def _class_tests(self, cls: ast.ClassDef) -> Iterator[TestFunction]:
        if _disabled(cls):
            return
        unittest = self.is_unittest_class(cls)
        if not unittest and not self.collection.collects_class(cls.name):
            return
        if not unittest and any(isinstance(s, FUNCTIONS) and s.name == "__init__" for s in cls.body):
            return  # pytest does not collect classes with a constructor
        for stmt in cls.body:
            if isinstance(stmt, FUNCTIONS):
                collected = stmt.name.startswith("test") if unittest else self.collection.collects_function(stmt.name)
                if collected and not _disabled(stmt):
                    yield TestFunction(stmt, cls)
            elif isinstance(stmt, ast.ClassDef):
                yield from self._class_tests(stmt)

    def is_unittest_class(self, cls: ast.ClassDef) -> bool:
        seen: set[str] = set()
        todo = [cls]
        while todo:
            current = todo.pop()
            for base in current.bases:
                name = (dotted_name(base) or "").rsplit(".", 1)[-1]
                if name.endswith("TestCase"):
                    return True
                local = self.classes.get(name)
                if local is not None and name not in seen:
                    seen.add(name)
                    todo.append(local)
        return False

    def class_chain(self, cls: ast.ClassDef) -> tuple[list[ast.ClassDef], bool]:
        """(the class and its bases defined in this file, whether some base is unknown: defined
        elsewhere and not a unittest or builtin base)."""
        chain = [cls]
        unknown = False
        i = 0
        while i < len(chain):
            for base in chain[i].bases:
                name = (dotted_name(base) or "").rsplit(".", 1)[-1]
                local = self.classes.get(name)
                if local is not None and local not in chain:
                    chain.append(local)
                elif local is None and name not in UNITTEST_BASES:
                    unknown = True
            i += 1
        return chain, unknown

    def method(self, cls: ast.ClassDef, name: str) -> Function | None | bool:
        """The method ``name`` of ``cls`` (or a local base); True when it may come from a base
        defined elsewhere; None when it does not exist here."""
        chain, unknown = self.class_chain(cls)
        for c in chain:
            for stmt in c.body:
                if isinstance(stmt, FUNCTIONS) and stmt.name == name:
                    return stmt
        return True if unknown else None

    # -- does it check anything? --------------------------------------------------------------
    def test_checks(self, test: TestFunction) -> bool:
        """Does the test check anything: itself, a helper, a fixture, a per-test hook?"""
        func = test.node
        if self.checks(func, test.cls, 1):
            return True
        if self.autouse_checks:
            return True
        names = {a.arg for a in (*func.args.posonlyargs, *func.args.args, *func.args.kwonlyargs)}
        for deco in func.decorator_list:
            if isinstance(deco, ast.Call) and (dotted_name(deco.func) or "").endswith("usefixtures"):
                names |= {a.value for a in deco.args if isinstance(a, ast.Constant) and isinstance(a.value, str)}
        if names & CHECKING_FIXTURES:
            return True
        if self._fixtures_check(names, depth=1, seen=set()):
            return True
        if test.cls is not None:
            chain, unknown = self.class_chain(test.cls)
            for c in chain:
                for stmt in c.body:
                    if isinstance(stmt, FUNCTIONS) and (
                        stmt.name in PER_TEST_HOOKS or (_is_fixture(stmt) and _is_autouse(stmt))
                    ):
                        if self.checks(stmt, test.cls, 2):
                            return True
        return False

    def _fixtures_check(self, names: set[str], depth: int, seen: set[str]) -> bool:
        for name in names - seen:
            seen.add(name)
            fixture = self.fixtures.get(name)
            if fixture is None:
                continue
            if self.checks(fixture, None, depth + 1):
                return True
            if depth < MAX_DEPTH:
                deps = {a.arg for a in (*fixture.args.posonlyargs, *fixture.args.args, *fixture.args.kwonlyargs)}
                if self._fixtures_check(deps, depth + 1, seen):
                    return True
        return False

    def checks(self, func: Function, cls: ast.ClassDef | None, depth: int) -> bool:
        """Does ``func``'s body check something (follows the helpers of the file)?"""
        key = id(func) * 8 + depth
        if key in self._checks:
            return self._checks[key]
        self._checks[key] = False  # recursion guard
        result = self._compute_checks(func, cls, depth)
        self._checks[key] = result
        return result

    def _compute_checks(self, func: Function, cls: ast.ClassDef | None, depth: int) -> bool:
        local_names = _bound_names(func)
        for node in self.body(func):
            if isinstance(node, (ast.Assert, ast.Raise)):
                return True
            if isinstance(node, ast.Call):
                name = dotted_name(node.func) or ""
                last = name.rsplit(".", 1)[-1] if name else (node.func.attr if isinstance(node.func, ast.Attribute) else "")
                if last and is_check_name(last) and not self._local_callee(node.func, cls, local_names):
                    return True  # (a helper of this file is judged by its body, below)
                check = keyword(node, "check")
                if check is not None and not (isinstance(check.value, ast.Constant) and not check.value.value):
                    return True
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id not in local_names:
                if self._name_checks(node.id, depth):
                    return True
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in ("self", "cls")
                and cls is not None
            ):
                method = self.method(cls, node.attr)
                if method is True:
                    return True  # a helper of a base class defined elsewhere: trust it
                if isinstance(method, FUNCTIONS) and method is not func:
                    if depth >= MAX_DEPTH or self.checks(method, cls, depth + 1):
                        return True
        return False

    def _local_callee(self, func: ast.expr, cls: ast.ClassDef | None, local_names: set[str]) -> bool:
        """Is the called ``func`` a function or method defined in this file?"""
        if isinstance(func, ast.Name):
            return func.id not in local_names and func.id in self.functions and not _is_fixture(self.functions[func.id])
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in ("self", "cls"):
            return cls is not None and isinstance(self.method(cls, func.attr), FUNCTIONS)
        return False

    def _name_checks(self, name: str, depth: int) -> bool:
        local = self.functions.get(name)
        if local is not None:
            if _is_fixture(local):
                return False
            return depth >= MAX_DEPTH or self.checks(local, None, depth + 1)
        target = self.imports.resolve(name)
        if target is not None:
            return _support_module(target.rsplit(".", 1)[0] if "." in target.lstrip(".") else target)
        if name in self.classes:
            return False
        return self.star_support and name not in _BUILTINS


def collected_tests(doc: Document, ctx: AnalysisContext) -> Iterator[TestFunction]:
    """The test functions of ``doc`` (none when pytest would not collect the file)."""
    suite = Suite.of(doc, ctx)
    return iter(()) if suite is None else suite.tests()


def collected_functions(doc: Document, ctx: AnalysisContext) -> Iterator[Function]:
    """Every function of ``doc`` (tests, helpers, fixtures) when pytest would collect the file."""
    if Suite.of(doc, ctx) is None:
        return iter(())
    return (n for n in doc.nodes if isinstance(n, FUNCTIONS))  # type: ignore[misc]


def same_expression(a: ast.AST, b: ast.AST) -> bool:
    """Are ``a`` and ``b`` the same expression (the same tree, positions aside)?"""
    if type(a) is not type(b):
        return False
    width_a = (getattr(a, "end_col_offset", 0) or 0) - getattr(a, "col_offset", 0)
    width_b = (getattr(b, "end_col_offset", 0) or 0) - getattr(b, "col_offset", 0)
    if getattr(a, "lineno", 0) == getattr(a, "end_lineno", 0) and getattr(b, "lineno", 0) == getattr(b, "end_lineno", 0):
        if width_a != width_b:
            return False  # one line each and of different lengths: cheap and certain (ast.dump is not cheap)
    return ast.dump(a) == ast.dump(b)


def makes_broad_exception(nodes: Iterable[ast.AST]) -> bool:
    """Does the test itself make a bare ``Exception``/``BaseException`` (``Exception("boom")``,
    ``side_effect = Exception()``, ``raise Exception``)?  Expecting that one broadly is right."""
    for node in nodes:
        target = node.func if isinstance(node, ast.Call) else node.exc if isinstance(node, ast.Raise) else None
        if isinstance(target, ast.Name) and target.id in ("Exception", "BaseException"):
            return True
    return False


def _path(path: str) -> Path:
    return Path(os.path.abspath(path))


_BUILTINS = frozenset(dir(builtins))


def _support_module(module: str) -> bool:
    """Is ``module`` (an import target) test support code (relative, or named like tests/helpers)?"""
    if module.startswith("."):
        return True
    parts = [p for p in module.split(".") if p]
    return any(p.lower() in SUPPORT_WORDS or p.lower().startswith(("test", "_test")) for p in parts)


def _bound_names(func: Function) -> set[str]:
    args = func.args
    names = {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)}
    if args.vararg:
        names.add(args.vararg.arg)
    if args.kwarg:
        names.add(args.kwarg.arg)
    return names


def _disabled(node: Function | ast.ClassDef) -> bool:
    """``__test__ = False`` on a class, or a ``skip`` decorator: not run as it stands."""
    if isinstance(node, ast.ClassDef):
        for stmt in node.body:
            if (
                isinstance(stmt, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == "__test__" for t in stmt.targets)
                and isinstance(stmt.value, ast.Constant)
                and not stmt.value.value
            ):
                return True
    return False


def test_range(doc: Document, func: Function) -> tuple[int, int, int, int]:
    """The range of a function's name on its ``def`` line."""
    line = func.lineno
    text = doc.line_text(line)
    start = text.find(func.name, func.col_offset)
    if start < 0:
        return doc.node_range(func)[0], doc.node_range(func)[1], line, len(text) + 1
    return line, start + 1, line, start + 1 + len(func.name)


def matches_any(name: str, patterns: Iterable[str]) -> bool:
    return any(fnmatch.fnmatchcase(name, p) for p in patterns)


@REGISTRY.whole_file_fact
def _fixture_contribution(stmt: ast.stmt, memo: NodeMemo) -> frozenset[str]:
    """A fixture reaches its tests by parameter name, which the incremental analysis does not
    see as a read: any change of a module-level fixture, or of a per-test hook, analyses the
    file whole."""
    if isinstance(stmt, FUNCTIONS) and (_is_fixture(stmt) or stmt.name in MODULE_HOOKS):
        return memo.get(stmt, "test.fixture", lambda: frozenset({f"test-fixture:{stmt.name}:{ast.dump(stmt)}"}))
    return frozenset()
