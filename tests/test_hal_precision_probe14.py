"""Precision on fresh packages (issue #16, freshprobe14): version checks held in a function's own
variable, and ``ast`` visitor methods that run only for node classes the target has.  Each case
that must stay silent has a look-alike that is still reported.  The names used are new in
Python 3.12/3.13, so the cases only mean something on an older interpreter."""

from __future__ import annotations

import sys
import textwrap

import pytest

from test_hal_support import one_package, site_context
from vetpy.engine import check_source

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(sys.version_info >= (3, 12), reason="tokenize.FSTRING_START, ast.TypeAlias exist")]


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, one_package("helperpkg", "X = 1\n")) as context:
        yield context


def found(ctx, code: str, name: str = "snippet.py", codes=("HAL003", "HAL004")):
    return [(f.code, f.line) for f in check_source(textwrap.dedent(code), str(ctx.root / name), ctx) if f.code in codes]


# -- a version check held in a function's own variable ------------------------------------------

def test_a_function_local_version_flag_guards_like_the_check(ctx):
    # marimo's _ast/codegen.py: `tokenizes_fstring = sys.version_info >= (3, 12)` in the function
    assert found(ctx, """
        import sys
        import tokenize

        def starts(tokens):
            tokenizes_fstring = sys.version_info >= (3, 12)
            start = (tokenize.STRING, tokenize.FSTRING_START) if tokenizes_fstring else (tokenize.STRING,)
            return start

        def early():
            new = sys.version_info >= (3, 12)
            if not new:
                return None
            return tokenize.FSTRING_START

        def nested():
            py312 = sys.version_info[:2] >= (3, 12)
            def inner():
                if py312:
                    return tokenize.FSTRING_MIDDLE
            return inner

        def through():
            v = sys.version_info
            has_fstrings = v >= (3, 12)
            if has_fstrings:
                return tokenize.FSTRING_END
    """) == []


def test_a_local_flag_rebound_or_of_another_meaning_guards_nothing(ctx):
    assert found(ctx, """
        import sys
        import tokenize

        def rebound(force):
            new = sys.version_info >= (3, 12)
            new = new or force
            if new:
                return tokenize.FSTRING_START

        def other(opts):
            new = opts.fstrings
            if new:
                return tokenize.FSTRING_START

        def elsewhere():
            new = sys.version_info >= (3, 12)
            return new

        def reader():
            if new:
                return tokenize.FSTRING_START

        def wrong_side():
            old = sys.version_info < (3, 12)
            if old:
                return tokenize.FSTRING_START
    """) == [("HAL003", 9), ("HAL003", 14), ("HAL003", 22), ("HAL003", 27)]


def test_a_local_name_hides_the_module_flag_of_that_name(ctx):
    assert found(ctx, """
        import sys
        import tokenize

        NEW = sys.version_info >= (3, 12)

        def uses_module_flag():
            if NEW:
                return tokenize.FSTRING_START

        def hides_it(opts):
            NEW = opts.new
            if NEW:
                return tokenize.FSTRING_START
    """) == [("HAL003", 14)]


# -- `visit_X` of an ast visitor runs only for `ast.X` nodes -------------------------------------

def test_visit_method_reads_its_own_node_class(ctx):
    # marimo's _ast/transformers.py: `return cast(ast.TypeAlias, self.generic_visit(node))`
    assert found(ctx, """
        from __future__ import annotations

        import ast
        from typing import cast

        class Deprivate(ast.NodeTransformer):
            def visit_TypeAlias(self, node: ast.TypeAlias) -> ast.TypeAlias:
                return cast(ast.TypeAlias, self.generic_visit(node))

        class Base(ast.NodeVisitor):
            pass

        class Counter(Base):
            def visit_TypeAlias(self, node):
                assert isinstance(node, ast.TypeAlias)
    """) == []


def test_other_names_and_other_methods_are_still_reported(ctx):
    assert found(ctx, """
        import ast

        class Visitor(ast.NodeVisitor):
            def visit_TypeAlias(self, node):
                return ast.TypeVar

            def visit_Name(self, node):
                return ast.TypeAlias

        class NotAVisitor:
            def visit_TypeAlias(self, node):
                return ast.TypeAlias

        def visit_TypeAlias(node):
            return ast.TypeAlias

        class Eager(ast.NodeVisitor):
            def visit_TypeAlias(self, node: ast.TypeAlias):
                pass
    """) == [("HAL003", 6), ("HAL003", 9), ("HAL003", 13), ("HAL003", 16), ("HAL003", 19)]


# -- a name tested against None that is None on the target ----------------------------------------

_FACTORIES = """
    import asyncio
    import sys

    def _bootstrap(is_subprocess):
        if not is_subprocess:
            return None
        if sys.platform == "win32":
            if sys.version_info >= (3, 14):
                return asyncio.ProactorEventLoop
        return None

    def _on_any_platform(is_subprocess):
        if is_subprocess:
            return asyncio.new_event_loop
        return None

    def _two_ways(is_subprocess):
        if sys.platform == "win32":
            return asyncio.ProactorEventLoop
        return asyncio.new_event_loop if is_subprocess else None
"""


def test_a_factory_that_gives_none_here_guards_its_none_test(ctx):
    # marimo's _runtime/runtime.py: `loop_factory = _bootstrap_subprocess(...)`, then
    # `if loop_factory is not None: asyncio.run(coro, loop_factory=loop_factory)`
    assert found(ctx, _FACTORIES + """
    def launch(coro, is_subprocess):
        loop_factory = _bootstrap(is_subprocess)
        if loop_factory is not None:
            asyncio.run(coro, loop_factory=loop_factory)
        else:
            asyncio.run(coro)

    def launch_truthy(coro, is_subprocess):
        factory = _bootstrap(is_subprocess)
        if not factory:
            return asyncio.run(coro)
        else:
            return asyncio.run(coro, loop_factory=factory)
    """) == []


def test_a_factory_that_may_give_something_here_guards_nothing(ctx):
    assert found(ctx, _FACTORIES + """
    def launch(coro, is_subprocess, given):
        loop_factory = _on_any_platform(is_subprocess)
        if loop_factory is not None:
            asyncio.run(coro, loop_factory=loop_factory)
        other = _two_ways(is_subprocess)
        if other is not None:
            asyncio.run(coro, loop_factory=other)
        if given is not None:
            asyncio.run(coro, loop_factory=given)
        rebound = _bootstrap(is_subprocess)
        rebound = rebound or given
        if rebound is not None:
            asyncio.run(coro, loop_factory=rebound)
        late = _bootstrap(is_subprocess)
        if late is None:
            asyncio.run(coro, loop_factory=late)
    """, codes=("HAL004",)) == [("HAL004", 26), ("HAL004", 29), ("HAL004", 31), ("HAL004", 35), ("HAL004", 38)]
