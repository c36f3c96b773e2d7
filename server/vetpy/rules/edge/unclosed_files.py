"""EDGE039 unclosed-file: a file opened into a local name that the function only calls methods
of and never closes, hands on or uses as a context manager."""

from __future__ import annotations

import ast
from typing import Iterator

from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.findings import Finding, Severity
from vetpy.rules.edge.facts import Module, is_test_file
from vetpy.rules.registry import REGISTRY, rule
from vetpy.scopes import parameter_names, scope_index


UNCLOSED_FILE = rule(
    code="EDGE039",
    name="unclosed-file",
    family="EDGE",
    severity=Severity.WARNING,
    question="Who closes this file, and when is what was written to it flushed?",
    summary="A file opened into a local name (`fh = open(path, \"a\")`) whose methods are called but which is never closed, handed on or used in `with`.",
    rationale="""`fh = open(path, "a"); fh.write(line)` leaves the handle open until the garbage
    collector finds it: on another interpreter, in a reference cycle or when the write raises,
    that is later or never, and what was written waits unflushed in the handle's buffer (a
    process that serves many requests runs out of descriptors). `with open(path, "a") as fh:`
    closes it when the block ends, also on an error. Reported only where nothing else can close
    it: the function opens it (the builtin `open` or `io.open`) into a name bound once, outside a
    test, and every use of the name there is a call of one of its methods (`fh.write(...)`,
    `return fh.read()`) other than `close`/`fileno`. Not reported: a handle closed (also in
    `finally:` or through `atexit.register(fh.close)`), used in `with`, returned, passed to a call
    (`json.load(fh)`), stored (`self.log = fh`, `sys.stdout = fh`), iterated, whose `fileno()` is
    taken (a lock held for the process, a descriptor given to `os.dup2`), read in a nested
    function, or never used; a file opened at module level.""",
    bad="""
        def append_audit_line(path, line):
            fh = open(path, "a", encoding="utf-8")
            fh.write(line + "\\n")
    """,
    good="""
        def append_audit_line(path, line):
            with open(path, "a", encoding="utf-8") as fh:
                fh.write(line + "\\n")
    """,
    cwe=(775,),
)

# methods whose call hands the handle's lifetime elsewhere or ends it
_KEEPING = frozenset({"close", "fileno", "detach", "__enter__", "__exit__"})
_OPENS = frozenset({"io.open"})


def _opens_file(mod: Module, value: ast.expr) -> bool:
    return isinstance(value, ast.Call) and (mod.is_builtin(value.func, "open") or mod.qname(value.func) in _OPENS)


def _only_methods_called(mod: Module, func: ast.AST, target: ast.Name) -> bool:
    """Is every other occurrence of ``target``'s name in ``func`` (nested functions included: a
    closure keeps the handle) the receiver of a call of one of its methods, none closing it?"""
    parents = mod.doc.parents
    uses = [n for n in ast.walk(func) if isinstance(n, ast.Name) and n.id == target.id and n is not target]
    if not uses:
        return False  # never used: held open on purpose (a lock file) or dead code, not this rule's
    for use in uses:
        attr = parents.get(use)
        if not (isinstance(use.ctx, ast.Load) and isinstance(attr, ast.Attribute) and attr.attr not in _KEEPING):
            return False
        call = parents.get(attr)
        if not (isinstance(call, ast.Call) and call.func is attr):
            return False
        if mod.enclosing_functions.get(id(use)) is not func:
            return False
    return True


@REGISTRY.checker("EDGE039")
def check_unclosed_files(doc: Document, ctx: AnalysisContext) -> Iterator[Finding]:
    if "open(" not in doc.text or is_test_file(doc.path):
        return
    mod = Module.of(doc)
    scopes = scope_index(doc)
    for node in mod.of_type(ast.Assign):
        assert isinstance(node, ast.Assign)
        if len(node.targets) != 1 or not isinstance(node.targets[0], ast.Name) or not _opens_file(mod, node.value):
            continue
        target = node.targets[0]
        func = mod.enclosing_functions.get(id(node))
        if func is None or target.id in parameter_names(func):
            continue
        sites = scopes.bindings(func, target.id)
        if len(sites) != 1 or sites[0].node is not node:
            continue  # rebound (or declared global/nonlocal): another handle may be the one used
        if not _only_methods_called(mod, func, target):
            continue
        yield UNCLOSED_FILE.finding(
            doc, node.value,
            f"`{target.id}` holds a file opened here that nothing closes: it stays open (and what was "
            f"written, unflushed) until the garbage collector finds it; use `with open(...) as {target.id}:`",
        )
