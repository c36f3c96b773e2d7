"""SEC018 insecure-temp-file and SEC019 world-writable-permissions: files another local user can
create first or write to."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from vetpy.astutil import keyword
from vetpy.findings import Finding, Fix, FixSafety, Severity
from vetpy.rules.registry import rule
from vetpy.rules.sec.walk import FunctionNode, RuleModule, SecurityPass, Site, Triggers

INSECURE_TEMPFILE = rule(
    code="SEC018",
    name="insecure-temp-file",
    family="SEC",
    severity=Severity.WARNING,
    summary="tempfile.mktemp returns a name that another process can create first.",
    rationale="""Between `mktemp` choosing a name and the program opening it, another local user
    can create that file or a symlink there (race condition). `tempfile.mkstemp` creates the
    file atomically and returns an open descriptor; `NamedTemporaryFile` wraps it.""",
    bad="""
        import tempfile

        path = tempfile.mktemp(suffix=".csv")
    """,
    good="""
        fd, path = tempfile.mkstemp(suffix=".csv")
        os.close(fd)
    """,
    fix_safety=FixSafety.UNSAFE,
    cwe=(377,),
)

WORLD_WRITABLE = rule(
    code="SEC019",
    name="world-writable-permissions",
    family="SEC",
    severity=Severity.WARNING,
    summary="chmod gives write permission to every user (o+w, 0o777, 0o666).",
    rationale="""Any local user or compromised service can then replace the file's contents
    (scripts, configuration, uploads). Grant write access to the owner (and group) only.""",
    bad="""
        import os

        os.chmod(path, 0o777)
    """,
    good="""
        os.chmod(path, 0o755)
    """,
    fix_safety=FixSafety.UNSAFE,
    cwe=(732,),
)

CHMOD_FUNCTIONS = frozenset({"os.chmod", "os.lchmod", "os.fchmod"})
_STAT_BITS = {
    "S_IRWXU": 0o700, "S_IRUSR": 0o400, "S_IWUSR": 0o200, "S_IXUSR": 0o100, "S_IRWXG": 0o070, "S_IRGRP": 0o040,
    "S_IWGRP": 0o020, "S_IXGRP": 0o010, "S_IRWXO": 0o007, "S_IROTH": 0o004, "S_IWOTH": 0o002, "S_IXOTH": 0o001,
}


def check_call(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    call: ast.Call = site.node  # type: ignore[assignment]
    name, attr = site.name, site.attr
    if name == "tempfile.mktemp":
        yield INSECURE_TEMPFILE.finding(
            sec.doc, call, "`tempfile.mktemp` is racy: another process can create the file first; use `tempfile.mkstemp`",
            fixes=_mkstemp_fix(sec, call, site.func, site.ancestors),
        )
    if name in CHMOD_FUNCTIONS or (attr == "chmod" and name is None):
        yield from _chmod(sec, call, name)


# -- SEC018 -------------------------------------------------------------------------------------


def _mkstemp_fix(sec: SecurityPass, call: ast.Call, func: FunctionNode | None, ancestors: list[ast.AST]) -> list[Fix]:
    doc = sec.doc
    stmt = ancestors[-1] if ancestors else None
    if not (
        isinstance(stmt, ast.Assign)
        and stmt.value is call
        and len(stmt.targets) == 1
        and isinstance(stmt.targets[0], ast.Name)
        and isinstance(call.func, ast.Attribute)
        and stmt.lineno == stmt.end_lineno
    ):
        return []
    used = {n.id for n in ast.walk(func or sec.tree) if isinstance(n, ast.Name)}
    fd = next((n for n in ("fd", "tmp_fd", "temp_fd") if n not in used), None)
    os_name = next((local for local, target in sec.imports.names.items() if target == "os"), None)
    if fd is None or os_name is None:
        return []
    line, col, _, _ = doc.node_range(stmt)
    indent = doc.line_text(line)[: col - 1]
    if indent.strip():
        return []
    target = stmt.targets[0].id
    call_text = f"{doc.segment(call.func.value)}.mkstemp{doc.segment(call)[len(doc.segment(call.func)):]}"
    new = f"{fd}, {target} = {call_text}\n{indent}{os_name}.close({fd})"
    return [Fix("Create the file atomically with tempfile.mkstemp", (doc.replace_node(stmt, new),), preferred=True)]


# -- SEC019 -------------------------------------------------------------------------------------


def _chmod(sec: SecurityPass, call: ast.Call, name: str | None) -> Iterator[Finding]:
    if name is None:
        mode_node = call.args[0] if len(call.args) == 1 else None
    else:
        mode_node = call.args[1] if len(call.args) >= 2 else (keyword(call, "mode").value if keyword(call, "mode") else None)  # type: ignore[union-attr]
    if mode_node is None:
        return
    mode = _mode_value(mode_node)
    if mode is None:
        # mode | 0o777: the other-write bit is set whatever `mode` holds
        if _set_bits(mode_node) & 0o002:
            yield WORLD_WRITABLE.finding(sec.doc, mode_node, "this mode always includes write permission for every user")
        return
    if not mode & 0o002 or mode >= 2**32:
        return  # larger values are not modes (os.chmod raises OverflowError)
    fixed = mode & ~0o022
    fix = Fix(f"Use mode {oct(fixed)} (no write for group and others)", (sec.doc.replace_node(mode_node, oct(fixed)),))
    yield WORLD_WRITABLE.finding(sec.doc, mode_node, f"mode {oct(mode)} lets every user write to the file", fixes=[fix])


def _mode_value(node: ast.expr) -> int | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, int) and not isinstance(node.value, bool):
        return node.value
    if isinstance(node, ast.Attribute) and node.attr in _STAT_BITS:
        return _STAT_BITS[node.attr]
    if isinstance(node, ast.Name) and node.id in _STAT_BITS:
        return _STAT_BITS[node.id]
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.BitOr, ast.BitAnd)):
        left, right = _mode_value(node.left), _mode_value(node.right)
        if left is None or right is None:
            return None
        return left | right if isinstance(node.op, ast.BitOr) else left & right
    return None


def _set_bits(node: ast.expr) -> int:
    """Mode bits certainly set by ``node`` when part of it is unknown (``mode | 0o777``)."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _set_bits(node.left) | _set_bits(node.right)
    value = _mode_value(node)
    return value if value is not None and value < 2**32 else 0


MODULE = RuleModule(
    rules=(INSECURE_TEMPFILE, WORLD_WRITABLE),
    handlers={ast.Call: check_call},
    triggers=Triggers(words=("mktemp", "chmod")),
)
