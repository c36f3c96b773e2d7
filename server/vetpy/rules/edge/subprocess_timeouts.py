"""EDGE037 subprocess-without-timeout: a ``subprocess.run``/``call``/``check_call``/``check_output``
without ``timeout=`` in a module whose other subprocess calls set one."""

from __future__ import annotations

import ast
from typing import Iterator

from vetpy.astutil import call_name, has_star_kwargs, is_constant, keyword, last_name
from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.findings import Finding, Severity
from vetpy.rules.edge.facts import Module, is_test_file, walk_no_nested
from vetpy.rules.registry import REGISTRY, rule


SUBPROCESS_TIMEOUT = rule(
    code="EDGE037",
    name="subprocess-without-timeout",
    family="EDGE",
    severity=Severity.WARNING,
    question="What happens when this tool hangs, when the module's other tools are given a timeout?",
    summary="A `subprocess.run`/`call`/`check_call`/`check_output` without `timeout=` in a module whose other subprocess calls set one: a hung tool holds the worker for ever.",
    rationale="""A child process that never exits (a PDF tool stuck on a malformed file, a converter
    waiting on a lock or on input) makes `subprocess.run` wait for ever, holding the request's
    worker or the task's slot; `timeout=` kills it and raises `subprocess.TimeoutExpired`. Where
    no call of a module sets a timeout that may be the author's choice (a CLI running `git`, a
    player the user closes), so the rule judges only a module whose other `subprocess` calls pass
    a `timeout=` (not `None`): the author decided a hung tool matters there, and this call was left
    out (services 30-34: five authors' PDF helpers gave wkhtmltopdf and pdfinfo a timeout and not
    the qpdf call beside them). Not reported: `**kwargs` (the caller may pass one), `Popen`
    (waited for elsewhere), a function run in a thread that is joined with a timeout, a test
    module (the test runner's timeout ends a hung test).""",
    bad="""
        import subprocess

        def html_to_pdf(src, out):
            subprocess.run(["wkhtmltopdf", src, out], check=True, timeout=60)

        def compress_pdf(pdf, out):
            subprocess.run(["qpdf", "--linearize", pdf, out], check=True)
    """,
    good="""
        def compress_pdf(pdf, out):
            subprocess.run(["qpdf", "--linearize", pdf, out], check=True, timeout=60)
    """,
    cwe=(400,),
)

_WAITING = frozenset({"subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output"})


@REGISTRY.checker("EDGE037")
def check_subprocess_timeouts(doc: Document, ctx: AnalysisContext) -> Iterator[Finding]:
    if "subprocess" not in doc.text or is_test_file(doc.path):
        return
    mod = Module.of(doc)
    calls = [c for c in mod.of_type(ast.Call) if (call_name(c, mod.imports) or "") in _WAITING]  # type: ignore[arg-type]
    if len(calls) < 2:
        return
    timed = [c for c in calls if _sets_timeout(c)]
    if not timed:
        return
    threaded = _threaded_functions(mod)
    for call in calls:
        assert isinstance(call, ast.Call)
        if keyword(call, "timeout") is not None or has_star_kwargs(call):
            continue
        func = mod.enclosing_functions.get(id(call))
        if func is not None and func.name in threaded:
            continue
        sibling = min(timed, key=lambda c: abs(c.lineno - call.lineno))
        what = call_name(call, mod.imports)
        program = _program(call)
        tool = f"a hung `{program}`" if program else "a hung child process"
        yield SUBPROCESS_TIMEOUT.finding(
            doc,
            call.func,
            f"`{what}` without `timeout=` waits for ever on {tool}; this module's "
            f"other subprocess calls set one (line {sibling.lineno})",
        )


def _sets_timeout(call: ast.AST) -> bool:
    assert isinstance(call, ast.Call)
    given = keyword(call, "timeout")
    return given is not None and not is_constant(given.value, None)


def _program(call: ast.Call) -> str | None:
    """The program's name when the command is a literal: the first item of an argv list, the
    first word of a command string, or an argv list's first item held by a module constant."""
    command = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "args"), None)
    if isinstance(command, (ast.List, ast.Tuple)) and command.elts:
        command = command.elts[0]
        if isinstance(command, ast.Constant) and isinstance(command.value, str):
            return command.value.rsplit("/", 1)[-1] or None
        return None
    if isinstance(command, ast.Constant) and isinstance(command.value, str) and command.value.split():
        return command.value.split()[0].rsplit("/", 1)[-1]
    if isinstance(command, ast.JoinedStr) and command.values:
        head = command.values[0]
        if isinstance(head, ast.Constant) and isinstance(head.value, str) and head.value.split() and head.value[0] != " ":
            return head.value.split()[0].rsplit("/", 1)[-1]
    return None


def _threaded_functions(mod: Module) -> set[str]:
    """Names of the module's functions run as a ``threading.Thread(target=...)`` joined with a
    timeout, and of the functions they call (by name, within the module): their caller gives up
    waiting on its own (xonsh's prompt asks git for the branch this way)."""
    targets: set[str] = set()
    joins_with_timeout = False
    for node in mod.of_type(ast.Call):
        assert isinstance(node, ast.Call)
        if isinstance(node.func, ast.Attribute) and node.func.attr == "join" and (node.args or keyword(node, "timeout")):
            joins_with_timeout = True
        if (mod.qname(node.func) or "") == "threading.Thread":
            target = keyword(node, "target")
            name = last_name(target.value) if target is not None else None
            if name:
                targets.add(name)
    if not targets or not joins_with_timeout:
        return set()
    bodies: dict[str, list[ast.FunctionDef | ast.AsyncFunctionDef]] = {}
    for node in mod.of_type(ast.FunctionDef, ast.AsyncFunctionDef):
        assert isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        bodies.setdefault(node.name, []).append(node)
    seen: set[str] = set()
    todo = [t for t in targets if t in bodies]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for func in bodies[name]:
            for sub in walk_no_nested(func.body):
                if isinstance(sub, ast.Call):
                    callee = last_name(sub.func)
                    if callee in bodies and callee not in seen:
                        todo.append(callee)
    return seen
