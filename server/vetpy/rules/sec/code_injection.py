"""SEC003 code-injection: eval/exec/compile run code that is not a constant."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from vetpy.dataflow import Trust
from vetpy.findings import Finding, Severity
from vetpy.rules.registry import rule
from vetpy.rules.sec.common import describe
from vetpy.rules.sec.names import name_words
from vetpy.rules.sec.walk import RuleModule, SecurityPass, Site, Triggers

CODE_INJECTION = rule(
    code="SEC003",
    name="code-injection",
    family="SEC",
    severity=Severity.ERROR,
    summary="eval/exec/compile run code that is not a constant: request data, input(), sys.argv, or any parameter or value of unknown origin.",
    rationale="""`eval` and `exec` run arbitrary Python: a value from a request, `input()`, the
    command line, a file or a caller becomes code with the program's privileges. A parameter is
    untrusted until proven otherwise: the function cannot know who will call it with what.
    Parse data with `ast.literal_eval`, `json.loads` or an explicit mapping, and dispatch to
    code with a dictionary of functions or `getattr` on an allow-list instead. Not reported:
    constant code (also a string built only from constants, or a value an enclosing `if` proved
    to be one of a constant set: `if name in ("True", "False"): eval(name)`), `ast.literal_eval`,
    `compile()` of a syntax tree the program builds itself (also parsed from
    `inspect.getsource()` of its own function) or with `ast.PyCF_ONLY_AST`, or whose result is
    thrown away (a statement or an `assert`: a syntax check, not running),
    `exec`/`eval` of a code object from `compile()` (judged where it is compiled), and, for
    code of unknown origin, a function whose name says only that it runs code (`evaluate`,
    `compile_code`, `Execer.exec`): a wrapper of `eval`, whose callers choose the code.""",
    bad="""
        from flask import Flask, request

        app = Flask(__name__)

        @app.get("/calc")
        def calc():
            return str(eval(request.args["expr"]))
    """,
    good="""
        import ast

        from flask import Flask, request

        app = Flask(__name__)

        @app.get("/calc")
        def calc():
            return str(ast.literal_eval(request.args["expr"]))
    """,
    cwe=(94, 95),
)

_CODE_RUNNERS = frozenset({"eval", "exec", "compile"})
_QUALIFIED = {f"builtins.{name}": name for name in _CODE_RUNNERS} | {name: name for name in _CODE_RUNNERS}


def check_call(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    call: ast.Call = site.node  # type: ignore[assignment]
    name = _QUALIFIED.get(site.name or "")
    if name is None or not call.args:
        return
    scope = sec.flow.scope(site.func)
    code = call.args[0]
    if name == "compile" and (_parses_only(sec, call, sec.flow.scope(site.func)) or _syntax_check(site)):
        return
    wrapper = site.func is not None and _runs_code_by_name(site.func.name)
    if isinstance(code, ast.Name) and (bound := scope.bindings.get(code.id)) and all(
        v is not None and _is_code_object(sec, v) for v in bound
    ):
        return  # code = self.compile(...) / compile(...) on every path: judged where it is compiled
    if scope.pinned_to_constants(code, site.ancestors):
        return  # if node.id in ("True", "False", "None"): eval(node.id): one of the constants
    origin = _origin(sec, scope, code, call, site)
    for _ in range(3):  # ast.fix_missing_locations(tree): the tree passed in (a few steps: `tree = f(tree)`)
        if not (isinstance(origin, ast.Call) and sec.qualified(origin.func) in _TREE_PASSES and origin.args):
            break
        inner = origin.args[0]
        origin = (
            (scope.reaching_assignment(inner.id, origin, site.ancestors) or scope.single_assignment(inner.id))
            if isinstance(inner, ast.Name)
            else inner
        )
    if origin is not None:
        if _is_syntax_tree(sec, origin):
            return  # compile(ast.Module(...)) / exec(compile(...)): the code object is judged where it is compiled
        if isinstance(origin, ast.Call) and _is_parse(sec, origin) and origin.args:
            code = origin.args[0]  # compile(ast.parse(source)): the source is what runs
            if _own_source(sec, code):
                return  # ast.parse(inspect.getsource(_template)): the program's own code
    value = scope.value(code, call, site.ancestors)
    if value.trust is Trust.UNTRUSTED:
        yield CODE_INJECTION.finding(
            sec.doc, call.args[0], f"`{name}` runs code built from {describe(value)}; parse data with ast.literal_eval or json instead"
        )
    elif value.trust is Trust.UNKNOWN and not wrapper:  # def evaluate(expr): return eval(expr): its callers choose the code
        yield CODE_INJECTION.finding(
            sec.doc,
            call.args[0],
            f"`{name}` runs code that is not a constant (whoever controls `{_short(sec, code)}` runs code here); "
            "parse data with ast.literal_eval or json, or dispatch to functions from a dictionary",
        )


_TREE_PASSES = frozenset({"ast.fix_missing_locations", "ast.increment_lineno", "ast.copy_location", "copy.deepcopy", "copy.copy"})
_SOURCE_READERS = frozenset({"inspect.getsource", "textwrap.dedent"})


def _is_parse(sec: SecurityPass, call: ast.Call) -> bool:
    """``ast.parse(source)`` or a project's wrapper of it named for parsing (``ast_parse``)."""
    name = sec.qualified(call.func) or (call.func.attr if isinstance(call.func, ast.Attribute) else "")
    return name == "ast.parse" or name.rsplit(".", 1)[-1] in ("ast_parse", "parse_ast", "parse_source")


def _own_source(sec: SecurityPass, source: ast.expr) -> bool:
    """``inspect.getsource(f)`` (also dedented) of a function or class this module defines."""
    while isinstance(source, ast.Call) and sec.qualified(source.func) in _SOURCE_READERS and len(source.args) == 1:
        if sec.qualified(source.func) == "inspect.getsource":
            arg = source.args[0]
            return isinstance(arg, ast.Name) and any(
                isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and n.name == arg.id
                for n in sec.doc.tree.body  # type: ignore[union-attr]
            ) and not any(
                isinstance(n, ast.Name) and n.id == arg.id and not isinstance(n.ctx, ast.Load) for n in ast.walk(sec.doc.tree)  # type: ignore[arg-type]
            )
        source = source.args[0]
    return False


def _short(sec: SecurityPass, node: ast.expr) -> str:
    text = " ".join(sec.doc.segment(node).split())
    return text if len(text) <= 40 else text[:37] + "..."


def _syntax_check(site: Site) -> bool:
    """``compile(text, name, "exec")`` as a statement or an assertion: the code object is thrown
    away, only the syntax is checked (does a generated fix parse?)."""
    return isinstance(site.parent, (ast.Expr, ast.Assert))


def _parses_only(sec: SecurityPass, call: ast.Call, scope) -> bool:  # type: ignore[no-untyped-def]
    """``compile(source, name, mode, ast.PyCF_ONLY_AST)``: returns a syntax tree, runs nothing
    (also through a variable: ``flags = PyCF_ONLY_AST; compile(source, name, mode, flags)``)."""
    flags = call.args[3] if len(call.args) > 3 else next((k.value for k in call.keywords if k.arg == "flags"), None)
    if isinstance(flags, ast.Name):
        bound = scope.bindings.get(flags.id) or []
        flags = next((v for v in bound if v is not None), flags)
    return flags is not None and any(
        (isinstance(n, ast.Name) and n.id == "PyCF_ONLY_AST") or (isinstance(n, ast.Attribute) and n.attr == "PyCF_ONLY_AST")
        for n in ast.walk(flags)
    )


def _origin(sec: SecurityPass, scope, code: ast.expr, call: ast.Call, site: Site) -> ast.expr | None:  # type: ignore[no-untyped-def]
    """The expression ``code`` is (itself, or the assignment of the name that reaches the call)."""
    if isinstance(code, ast.Name):
        return scope.reaching_assignment(code.id, call, site.ancestors) or scope.single_assignment(code.id)
    return code


# a function whose name says only "run code" (`evaluate`, `compile_code`, `Execer.exec`) wraps eval
_RUNNER_WORDS = frozenset(
    {"eval", "exec", "compile", "evaluate", "execute", "run", "code", "source", "src", "expr", "expression", "string", "str"}
)


def _runs_code_by_name(name: str) -> bool:
    words = set(name_words(name))
    return bool(words & {"eval", "exec", "compile", "evaluate", "execute"}) and words <= _RUNNER_WORDS


def _is_code_object(sec: SecurityPass, node: ast.expr) -> bool:
    """A call to the ``compile`` builtin or to a method or function named ``compile`` (``self.compile(...)``)."""
    if not isinstance(node, ast.Call):
        return False
    name = sec.qualified(node.func) or (node.func.attr if isinstance(node.func, ast.Attribute) else "")
    return name.rsplit(".", 1)[-1] in ("compile", "compile_command")


def _is_syntax_tree(sec: SecurityPass, node: ast.expr) -> bool:
    """A tree the program builds with the ``ast`` module's node classes (``ast.Module(body=...)``,
    ``ast.fix_missing_locations(...)``), or a code object from ``compile()``."""
    if not isinstance(node, ast.Call):
        return False
    callee = sec.qualified(node.func) or ""
    if _is_code_object(sec, node):
        return True
    return callee.startswith("ast.") and callee not in ("ast.parse", "ast.unparse", "ast.literal_eval", "ast.dump")


MODULE = RuleModule(
    rules=(CODE_INJECTION,),
    handlers={ast.Call: check_call},
    triggers=Triggers(words=("eval(", "exec(", "compile(")),
    builtins=_CODE_RUNNERS,
)
