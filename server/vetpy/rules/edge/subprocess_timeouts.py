"""EDGE037 subprocess-without-timeout: a ``subprocess.run``/``call``/``check_call``/``check_output``
without ``timeout=`` in a module whose other subprocess calls set one."""

from __future__ import annotations

import ast
from typing import Iterator

from vetpy.astutil import NodeMemo, call_name, has_star_kwargs, is_constant, keyword, last_name, statement_nodes
from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.findings import Finding, Severity
from vetpy.rules.edge.facts import Module, is_test_file
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
    (waited for elsewhere), a module that runs threads and joins them with a timeout (the caller
    gives up waiting on its own: xonsh's prompt asks git for the branch this way), a test module
    (the test runner's timeout ends a hung test).""",
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
_WAITING_NAMES = frozenset(w.rpartition(".")[2] for w in _WAITING)


@REGISTRY.checker("EDGE037")
def check_subprocess_timeouts(doc: Document, ctx: AnalysisContext) -> Iterator[Finding]:
    if "subprocess" not in doc.text or is_test_file(doc.path):
        return
    memo = doc.memo
    facts = frozenset().union(*memo.each(doc.module_body, _FACTS_KEY, lambda stmt: _statement_facts(stmt, memo)))
    if "timed" not in facts or {"thread-target", "join-timeout"} <= facts:
        return
    mod = Module.of(doc)
    imports = mod.imports
    if not any(call_name(c, imports) in _WAITING and _sets_timeout(c)
               for stmt in doc.module_body for c in statement_nodes(stmt, memo) if isinstance(c, ast.Call)):
        return  # the whole file's calls, also in a view of a few statements
    for call in mod.of_type(ast.Call):
        assert isinstance(call, ast.Call)
        what = call_name(call, imports)
        if what not in _WAITING or keyword(call, "timeout") is not None or has_star_kwargs(call):
            continue
        program = _program(call)
        tool = f"a hung `{program}`" if program else "a hung child process"
        yield SUBPROCESS_TIMEOUT.finding(
            doc,
            call.func,
            f"`{what}` without `timeout=` waits for ever on {tool}; this module's other subprocess calls set one",
        )


_FACTS_KEY = "edge.subprocess-timeouts"


def _statement_facts(stmt: ast.AST, memo: NodeMemo) -> frozenset[str]:
    """What one top-level statement tells of the module: a subprocess call given a timeout
    (``timed``; by the call's last name, a superset of the calls the checker resolves), a thread
    started on a function (``thread-target``), a ``join`` given a timeout (``join-timeout``)."""
    found: set[str] = set()
    for node in statement_nodes(stmt, memo):
        if not isinstance(node, ast.Call):
            continue
        name = last_name(node.func)
        if name in _WAITING_NAMES:
            if _sets_timeout(node):
                found.add("timed")
        elif name == "Thread" and keyword(node, "target") is not None:
            found.add("thread-target")
        elif name == "join" and isinstance(node.func, ast.Attribute) and (node.args or keyword(node, "timeout")):
            found.add("join-timeout")
    return frozenset(found)


@REGISTRY.whole_file_fact
def _whole_file_contribution(stmt: ast.stmt, memo: NodeMemo) -> frozenset[str]:
    """A timeout given in one statement decides the findings of every other: an edit that adds or
    removes one (or a thread joined with a timeout) is analysed whole."""
    return frozenset(f"subprocess:{f}" for f in memo.get(stmt, _FACTS_KEY, lambda: _statement_facts(stmt, memo)))


def _sets_timeout(call: ast.Call) -> bool:
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
