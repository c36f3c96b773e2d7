"""EDGE036 ascii-decoded-text: ``data.decode("ascii")`` of a file's or an upload's bytes read as
lines or CSV rows, where one byte above 127 fails the whole import."""

from __future__ import annotations

import ast
from typing import Iterator

from vetpy.astutil import handler_catches
from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.findings import Finding, Severity
from vetpy.rules.edge.facts import Module, walk_no_nested
from vetpy.rules.registry import REGISTRY, rule


ASCII_TEXT = rule(
    code="EDGE036",
    name="ascii-decoded-text",
    family="EDGE",
    severity=Severity.WARNING,
    question="What happens to the first row with an é in it?",
    summary="Bytes decoded strictly as ASCII and read as lines or CSV rows (`csv.reader(io.StringIO(data.decode(\"ascii\")))`): one accented name fails the whole import.",
    rationale="""`bytes.decode("ascii")` raises `UnicodeDecodeError` at the first byte above 127,
    and files people upload or export are full of them: a name with an accent (Müller, José), a
    euro sign, the byte-order mark a spreadsheet writes first. The whole import fails (a 500, a
    job that retries for ever) for one row nobody can see is wrong. Reported when the decoded
    text is read as records: given to `io.StringIO`, `csv.reader`/`csv.DictReader`, or split
    into lines (`.splitlines()`, `.split("\\n")`), directly or through a name assigned once.
    Not reported: a lenient `errors=` (`"replace"`, `"ignore"`), bytes that are ASCII by
    construction (`base64`, `binascii`, a digest), a `try` that handles `UnicodeDecodeError`
    (or `UnicodeError`, `ValueError`, `Exception`) around the decoding, a decoded value not read
    as records (a header, a token). Decode as `"utf-8"` (`"utf-8-sig"` for spreadsheet exports),
    or catch the error and say which line is not ASCII when the format really is ASCII.""",
    bad="""
        import csv, io

        def import_members(data: bytes) -> list[dict]:
            return list(csv.DictReader(io.StringIO(data.decode("ascii"))))
    """,
    good="""
        import csv, io

        def import_members(data: bytes) -> list[dict]:
            return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    """,
)

_ASCII = frozenset({"ascii", "us-ascii", "us_ascii", "646"})
_HANDLERS = frozenset({"UnicodeDecodeError", "UnicodeError", "ValueError", "Exception", "BaseException"})
_READERS = frozenset({"io.StringIO", "csv.reader", "csv.DictReader"})
_ASCII_MAKERS = ("base64.", "binascii.", "hashlib.", "hmac.", "secrets.")
_NEWLINES = frozenset({"\n", "\r\n"})


def _argument(call: ast.Call, position: int, name: str) -> ast.expr | None:
    if len(call.args) > position:
        return call.args[position]
    return next((k.value for k in call.keywords if k.arg == name), None)


def _strict_ascii(call: ast.Call, mod: Module) -> bool:
    """``x.decode("ascii")`` (or ``encoding="ascii"``) with strict errors, of bytes not ASCII by
    construction."""
    if not (isinstance(call.func, ast.Attribute) and call.func.attr == "decode"):
        return False
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        return False
    encoding = _argument(call, 0, "encoding")
    if not (isinstance(encoding, ast.Constant) and isinstance(encoding.value, str) and encoding.value.lower() in _ASCII):
        return False
    errors = _argument(call, 1, "errors")
    if errors is not None and not (isinstance(errors, ast.Constant) and errors.value == "strict"):
        return False
    receiver = call.func.value
    for sub in ast.walk(receiver):
        if isinstance(sub, ast.Call):
            qname = mod.qname(sub.func) or ""
            if qname.startswith(_ASCII_MAKERS) or (isinstance(sub.func, ast.Attribute) and sub.func.attr in ("digest", "hexdigest")):
                return False
    return True


def _read_as_records(node: ast.expr, mod: Module) -> bool:
    """Is ``node`` (the decoded text) given to a CSV reader or a ``StringIO``, or split into lines?"""
    parent = mod.doc.parents.get(node)
    if isinstance(parent, ast.Call) and node in parent.args[:1]:
        return (mod.qname(parent.func) or "") in _READERS
    if isinstance(parent, ast.Attribute) and parent.value is node:
        call = mod.doc.parents.get(parent)
        if not (isinstance(call, ast.Call) and call.func is parent):
            return False
        if parent.attr == "splitlines":
            return True
        if parent.attr == "split" and call.args:
            sep = call.args[0]
            return isinstance(sep, ast.Constant) and sep.value in _NEWLINES
    return False


def _handled(node: ast.AST, mod: Module) -> bool:
    parents = mod.doc.parents
    child, cur = node, parents.get(node)
    while cur is not None and not isinstance(cur, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.Module)):
        if isinstance(cur, (ast.Try, ast.TryStar)) and child in cur.body:
            if any(handler_catches(h, _HANDLERS) for h in cur.handlers):
                return True
        child, cur = cur, parents.get(cur)
    return False


def _uses(name: str, assign: ast.Assign, mod: Module) -> list[ast.Name] | None:
    """The reads of ``name`` in the function that assigns it once from the decoded text (None when
    the name is bound anywhere else)."""
    func = mod.enclosing_functions.get(id(assign))
    body = func.body if func is not None else mod.tree.body
    reads: list[ast.Name] = []
    for sub in walk_no_nested(body):
        if isinstance(sub, ast.Name) and sub.id == name:
            if isinstance(sub.ctx, ast.Load):
                reads.append(sub)
            elif sub is not assign.targets[0]:
                return None
    return reads


@REGISTRY.checker("EDGE036")
def check_ascii_text(doc: Document, ctx: AnalysisContext) -> Iterator[Finding]:
    if "ascii" not in doc.text.lower():
        return
    mod = Module.of(doc)
    for call in mod.of_type(ast.Call):
        assert isinstance(call, ast.Call)
        if not _strict_ascii(call, mod) or _handled(call, mod):
            continue
        parent = doc.parents.get(call)
        if isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name):
            reads = _uses(parent.targets[0].id, parent, mod)
            records = bool(reads) and any(_read_as_records(r, mod) for r in reads or ())
        else:
            records = _read_as_records(call, mod)
        if records:
            shown = doc.segment(call)
            yield ASCII_TEXT.finding(
                doc, call,
                f"`{shown}` raises UnicodeDecodeError at the first byte above 127, and these lines are read as "
                "records: one accented name or a euro sign fails the whole import; decode as \"utf-8\" "
                "(\"utf-8-sig\" for spreadsheet exports), or catch the error and say which line is not ASCII",
            )
