"""Values read back from the database: a column of a row fetched by its key or a query
(``report = session.get(Report, report_id)``, ``Customer.query.filter_by(...).first()``),
spliced into a string. What the application stored for a user (a title, a name) is what that
user typed: a shell command built from it runs their commands (read by SEC002), HTML formatted
with it runs their script (SEC014).

Followed through a string's pieces (f-strings, ``+``, ``%``, ``.format``, ``str()``, a ``Path``
joined with ``/``) and locals bound once; stopped by any other call (``shlex.quote``, ``int``).
A row's identifiers (``id``, ``pk``, ``*_id``) are numbers or keys the application chose.  An
asyncpg ``Record`` (``row = await conn.fetchrow(SQL, key)``) is read by key: ``row["title"]``."""

from __future__ import annotations

import ast

from vetpy.astutil import dotted_name, name_words
from vetpy.dataflow import Scope
from vetpy.rules.sec.common import module_function

# calls that return one row as an object whose attributes are its columns
_ROW_GETTERS = frozenset({"get", "get_or_404", "first", "first_or_404", "one", "one_or_none", "scalar_one", "scalar_one_or_none"})
# what a row getter's receiver chain names: an ORM session or query, Django's manager
_ORM_WORDS = frozenset({"session", "query", "objects", "db"})
# calls a string passes through unchanged
_KEEPS = frozenset({"str", "Path", "pathlib.Path", "os.path.join"})


class Rows:
    """Which names of a function hold a database row: bound once to a fetch
    (``session.get(Report, key)``) or to a call of a function of the module that returns one
    (``report = _owned_report(key)``), or a parameter annotated with a model class (a class
    imported from a ``models`` module: ``def card(note: Note)``)."""

    def __init__(self, tree: ast.Module, qualified, func: ast.AST | None, scope: Scope) -> None:
        self.tree, self.qualified, self.func, self.scope = tree, qualified, func, scope

    def holds_row(self, name: str) -> bool:
        bound = self.scope.single_assignment(name)
        if bound is not None:
            return _fetches_row(bound) or self._returns_row(bound)
        args = getattr(self.func, "args", None)
        param = next((a for a in (*args.posonlyargs, *args.args, *args.kwonlyargs) if a.arg == name), None) if args else None
        return param is not None and param.annotation is not None and "models" in (self.qualified(param.annotation) or "").split(".")

    def holds_record(self, name: str) -> bool:
        """A name bound once to asyncpg's ``await conn.fetchrow(SQL, ...)``: a ``Record`` whose
        columns are read by key (``row["title"]``)."""
        bound = self.scope.single_assignment(name)
        bound = bound.value if isinstance(bound, ast.Await) else bound
        return isinstance(bound, ast.Call) and isinstance(bound.func, ast.Attribute) and bound.func.attr == "fetchrow" \
            and bool(bound.args) and isinstance(bound.args[0], (ast.Constant, ast.JoinedStr))

    def _returns_row(self, call: ast.expr) -> bool:
        """A call of a function of this module every ``return`` of which is a row fetched there."""
        maker = module_function(self.tree, call)
        if maker is None:
            return False
        local: dict[str, list[ast.expr]] = {}
        for node in ast.walk(maker):
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                local.setdefault(node.targets[0].id, []).append(node.value)
        returns = [n.value for n in ast.walk(maker) if isinstance(n, ast.Return)]
        return bool(returns) and all(
            r is not None and (_fetches_row(r) or (isinstance(r, ast.Name) and len(local.get(r.id, [])) == 1 and _fetches_row(local[r.id][0])))
            for r in returns)


def stored_column(rows: Rows, expr: ast.expr, depth: int = 0) -> str | None:
    """The text of a stored column (``report.title``) spliced into the string ``expr``."""
    if depth > 4:
        return None
    for piece in text_pieces(expr):
        if isinstance(piece, ast.Name):
            bound = rows.scope.single_assignment(piece.id)
            found = stored_column(rows, bound, depth + 1) if bound is not None else None
        elif isinstance(piece, ast.Attribute) and isinstance(piece.value, ast.Name) and not identifier_name(piece.attr):
            found = dotted_name(piece) if rows.holds_row(piece.value.id) else None
        elif isinstance(piece, ast.Subscript) and isinstance(piece.value, ast.Name) and isinstance(piece.slice, ast.Constant) \
                and isinstance(piece.slice.value, str) and not identifier_name(piece.slice.value):
            found = f"{piece.value.id}[{piece.slice.value!r}]" if rows.holds_record(piece.value.id) else None
        else:
            found = None
        if found is not None:
            return found
    return None


def text_pieces(expr: ast.expr) -> list[ast.expr]:
    """The non-constant parts of a string built from ``expr``, unwrapped as far as they stay text."""
    if isinstance(expr, ast.JoinedStr):
        return [p for v in expr.values if isinstance(v, ast.FormattedValue) for p in text_pieces(v.value)]
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, (ast.Add, ast.Div)):
        return [*text_pieces(expr.left), *text_pieces(expr.right)]
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Mod):
        right = expr.right.elts if isinstance(expr.right, ast.Tuple) else [expr.right]
        return [p for r in right for p in text_pieces(r)]
    if isinstance(expr, ast.Call):
        callee = dotted_name(expr.func) or ""
        if isinstance(expr.func, ast.Attribute) and expr.func.attr == "format":
            return [p for a in (*expr.args, *(k.value for k in expr.keywords)) for p in text_pieces(a)]
        if callee in _KEEPS:
            return [p for a in expr.args for p in text_pieces(a)]
        return []
    if isinstance(expr, (ast.Name, ast.Attribute, ast.Subscript)):
        return [expr]
    return []


def identifier_name(attr: str) -> bool:
    """Does the name call its value a number or key the application chose (``id``, ``*_id``, ``port``)?"""
    words = name_words(attr)
    return not words or words[-1] in {"id", "pk", "uuid", "count", "port", "size", "total", "number"}


# a model class's own getters of one row (Tortoise ORM, peewee)
_MODEL_GETTERS = frozenset({"get_or_none", "get_by_id"})


def _model_class(name: str) -> bool:
    return name[:1].isupper() and not name.isupper()


def _fetches_row(expr: ast.expr) -> bool:
    """``session.get(Report, key)``, ``Report.query.get_or_404(key)``, ``db.query(M).filter_by(...).first()``,
    ``Model.objects.get(pk=key)``, ``session.execute(select(M)).scalar_one()``, ``get_object_or_404(Model, pk=key)``,
    ``await Model.get_or_none(id=key)``."""
    if isinstance(expr, ast.Await):
        expr = expr.value
    if isinstance(expr, ast.Call) and (dotted_name(expr.func) or "").rsplit(".", 1)[-1] == "get_object_or_404":
        # Django's shortcut: `get_object_or_404(WebhookEndpoint, pk=pk, owner=request.user)`
        return bool(expr.args) and isinstance(expr.args[0], ast.Name) and _model_class(expr.args[0].id)
    if not (isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr in _ROW_GETTERS | _MODEL_GETTERS):
        return False
    if expr.func.attr in _MODEL_GETTERS:
        # Tortoise's and peewee's class methods: `await Shipment.get_or_none(id=i)`
        return isinstance(expr.func.value, ast.Name) and _model_class(expr.func.value.id)
    chain = expr.func.value
    words: set[str] = set()
    while True:
        if isinstance(chain, ast.Call):
            chain = chain.func
        elif isinstance(chain, ast.Attribute):
            words.update(name_words(chain.attr))
            chain = chain.value
        elif isinstance(chain, ast.Name):
            words.update(name_words(chain.id))
            break
        else:
            return False
    if not words & _ORM_WORDS:
        return False
    # `session.get(Model, key)`: a class as the first argument (not a constant: `session.get(API_URL)`)
    return expr.func.attr != "get" or bool(expr.args and isinstance(expr.args[0], ast.Name) and expr.args[0].id[:1].isupper() and not expr.args[0].id.isupper()) \
        or "query" in words or "objects" in words
