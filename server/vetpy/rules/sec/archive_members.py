"""SEC015 path-traversal, the archive's share ("zip slip"): the members of a zip or tar archive
written one by one to a path joined from each member's name, with no check that it stays in the
destination.

Flagged: in ``for info in zf.infolist()`` (``namelist()``, a tar's ``getmembers()``) over an
archive the function opens for reading (``zipfile.ZipFile(...)``, ``tarfile.open(...)``, bound by
``with ... as zf`` or an assignment), a file opened for writing (``open(p, "wb")``,
``p.open("w")``), or written (``p.write_bytes``, ``p.write_text``), at a path built from the
member's name (``dest / info.filename``, ``os.path.join(dest, name)``, an f-string, a local
assigned from one of these in the loop); the loop may go over a list filtered from the listing
(``members = [m for m in zf.infolist() if ...]``). Reported at the statement that joins the name
into the path (``target = dest / member.filename``), where the check belongs, else at the write.

Look-alikes, not reported: ``extract``/``extractall`` (zipfile drops ``..`` and leading slashes;
tar extraction is SEC026); a loop that checks or reduces the name anywhere in its body
(``resolve``/``realpath``/``abspath``/``normpath``, ``is_relative_to``/``relative_to``/``commonpath``,
``startswith``, ``basename``, ``secure_filename``, ``Path(name).name``, a test for ``".."``,
``isabs``); a member only read (``zf.read(info)``); a path that does not come from the name
(``dest / f"{i}.bin"``); an archive the function writes.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from vetpy.astutil import keyword
from vetpy.findings import Finding
from vetpy.rules.sec.common import short
from vetpy.rules.sec.tar_extraction import opens_for_reading
from vetpy.rules.sec.walk import FunctionNode, RuleModule, SecurityPass, Site, Triggers
from vetpy.rules.sec.web import PATH_TRAVERSAL

_OPENERS = frozenset({"zipfile.ZipFile", "tarfile.open", "tarfile.TarFile", "tarfile.TarFile.open"})
# the member listing -> how a member's name is read from the loop variable (None: it is the name)
_LISTINGS = {"infolist": "filename", "namelist": None, "getmembers": "name"}
# a call of one of these anywhere in the loop: the name is checked or reduced there
_CHECKS = frozenset({
    "resolve", "realpath", "abspath", "normpath", "is_relative_to", "relative_to", "commonpath", "commonprefix",
    "startswith", "basename", "secure_filename", "isabs", "is_absolute", "safe_join",
})
_WRITE_MODES = ("w", "a", "x")


def check_for(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    loop: ast.For = site.node  # type: ignore[assignment]
    if site.func is not None and isinstance(loop.iter, ast.Call):
        yield from _check_loop(sec, site.func, loop)


def check_with(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    """The loops over a list filtered from the listing of the archive this ``with`` opens
    (``members = [m for m in zf.infolist() if ...]`` then ``for member in members``): the loop's
    own line names no listing, so it is found from the ``with``."""
    node: ast.With = site.node  # type: ignore[assignment]
    if site.func is None or not any(isinstance(i.context_expr, ast.Call) and sec.qualified(i.context_expr.func) in _OPENERS
                                    for i in node.items):
        return
    for stmt in node.body:
        for loop in ast.walk(stmt):
            if isinstance(loop, ast.For) and isinstance(loop.iter, ast.Name):
                yield from _check_loop(sec, site.func, loop)


def _check_loop(sec: SecurityPass, func: FunctionNode, loop: ast.For) -> Iterator[Finding]:
    if not isinstance(loop.target, ast.Name):
        return
    listing = _listing(func, loop)
    if listing is None or not _opened_archive(sec, func, listing.func.value.id):  # type: ignore[attr-defined]
        return
    attr = _LISTINGS[listing.func.attr]  # type: ignore[attr-defined]
    member = loop.target.id
    body = ast.Module(body=loop.body, type_ignores=[])
    if any(_checks(node) for node in ast.walk(body)):
        return
    named: dict[str, ast.stmt] = {}  # locals holding a path built from the member's name -> where it was joined

    def from_name(expr: ast.expr | None) -> bool:
        if expr is None:
            return False
        if attr is None and isinstance(expr, ast.Name) and expr.id == member:
            return True
        if attr is not None and isinstance(expr, ast.Attribute) and expr.attr == attr and isinstance(expr.value, ast.Name) and expr.value.id == member:
            return True
        if isinstance(expr, ast.Name):
            return expr.id in named
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, (ast.Div, ast.Add)):
            return from_name(expr.left) or from_name(expr.right)
        if isinstance(expr, ast.JoinedStr):
            return any(isinstance(v, ast.FormattedValue) and from_name(v.value) for v in expr.values)
        if isinstance(expr, ast.Call):
            name = sec.qualified(expr.func) or ""
            if name in {"os.path.join", "pathlib.Path", "pathlib.PurePath", "posixpath.join"} or (
                    isinstance(expr.func, ast.Attribute) and expr.func.attr == "joinpath"):
                return any(from_name(a) for a in [*expr.args, *(k.value for k in expr.keywords)]) or (
                    isinstance(expr.func, ast.Attribute) and expr.func.attr == "joinpath" and from_name(expr.func.value))
        return False

    statements = [n for n in ast.walk(body) if isinstance(n, (ast.Assign, ast.AnnAssign, ast.Call))]
    statements.sort(key=lambda n: (n.lineno, n.col_offset))
    for node in statements:
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if len(targets) == 1 and isinstance(targets[0], ast.Name) and from_name(node.value):
                joined = named.get(node.value.id) if isinstance(node.value, ast.Name) else None  # type: ignore[union-attr]
                named[targets[0].id] = joined or node
            continue
        path = _written(sec, node)
        if path is not None and from_name(path):
            shown = f"{member}.{attr}" if attr else member
            # reported where the member's name is joined into the path, where its check belongs
            at = named[path.id] if isinstance(path, ast.Name) and path.id in named else node
            yield PATH_TRAVERSAL.finding(
                sec.doc, at,
                f"`{short(sec.doc.segment(node.func), 40)}` writes to a path joined from the archive member's name `{shown}` "
                "with no check that it stays in the destination (zip slip: a member named `../../x` writes anywhere); "
                "use `extractall`, or resolve the path and check it `is_relative_to` the destination")
            return


def _listing(func: FunctionNode, loop: ast.For) -> ast.Call | None:
    """The archive's member listing the loop goes over: ``zf.infolist()`` itself, or a local bound
    once in the function to it (``members = zf.infolist()``) or to a list comprehension over it
    that keeps the members as they are (``members = [m for m in zf.infolist() if ...]``)."""
    listing = loop.iter
    if isinstance(listing, ast.Name):
        bound = [n.value for n in ast.walk(func) if isinstance(n, ast.Assign)
                 and any(isinstance(t, ast.Name) and t.id == listing.id for t in n.targets)]
        stored = [n for n in ast.walk(func) if isinstance(n, (ast.AugAssign, ast.AnnAssign))
                  and isinstance(n.target, ast.Name) and n.target.id == listing.id]
        if len(bound) != 1 or stored:
            return None
        comp = bound[0]
        if isinstance(comp, ast.ListComp):
            gen = comp.generators[0]
            if len(comp.generators) != 1 or not isinstance(comp.elt, ast.Name) or not isinstance(gen.target, ast.Name) \
                    or comp.elt.id != gen.target.id:
                return None  # [Path(n).name for n in ...]: the members changed on the way
            comp = gen.iter
        listing = comp
    if isinstance(listing, ast.Call) and isinstance(listing.func, ast.Attribute) and listing.func.attr in _LISTINGS \
            and isinstance(listing.func.value, ast.Name) and not listing.args:
        return listing
    return None


def _opened_archive(sec: SecurityPass, func: FunctionNode, name: str) -> bool:
    """Is ``name`` bound in ``func`` to an archive opened for reading (``with zipfile.ZipFile(x) as
    name``, ``name = tarfile.open(x)``), and only to that?"""
    opened = 0
    for node in ast.walk(func):
        values: list[ast.expr] = []
        if isinstance(node, (ast.With, ast.AsyncWith)):
            values = [i.context_expr for i in node.items if isinstance(i.optional_vars, ast.Name) and i.optional_vars.id == name]
        elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            values = [node.value]
        for value in values:
            if not opens_for_reading(sec, value, _OPENERS):
                return False  # something else, or an archive the function writes
            opened += 1
    return opened > 0


def _checks(node: ast.AST) -> bool:
    if isinstance(node, ast.Call):
        func = node.func
        called = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
        return called in _CHECKS
    if isinstance(node, ast.Attribute) and node.attr == "name" and isinstance(node.value, ast.Call):
        return True  # Path(info.filename).name: the last part only
    if isinstance(node, ast.Compare):
        return any(isinstance(c, ast.Constant) and isinstance(c.value, str) and ".." in c.value for c in [node.left, *node.comparators])
    return False


def _written(sec: SecurityPass, call: ast.Call) -> ast.expr | None:
    """The path a call opens for writing or writes, else None."""
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr in {"write_bytes", "write_text"}:
        return func.value
    mode: ast.expr | None = None
    if isinstance(func, ast.Attribute) and func.attr == "open" and sec.qualified(func) is None:
        path: ast.expr | None = func.value  # Path.open(mode)
        mode = call.args[0] if call.args else (keyword(call, "mode").value if keyword(call, "mode") else None)  # type: ignore[union-attr]
    elif sec.qualified(func) in {"open", "io.open", "builtins.open"} and call.args:
        path = call.args[0]
        mode = call.args[1] if len(call.args) > 1 else (keyword(call, "mode").value if keyword(call, "mode") else None)  # type: ignore[union-attr]
    else:
        return None
    if isinstance(mode, ast.Constant) and isinstance(mode.value, str) and any(m in mode.value for m in _WRITE_MODES):
        return path
    return None


MODULE = RuleModule(
    rules=(PATH_TRAVERSAL,),
    handlers={ast.For: check_for, ast.With: check_with},
    triggers=Triggers(words=("infolist()", "namelist()", "getmembers()", "zipfile(", "tarfile.open(")),
    builtins=frozenset({"open"}),
)
