"""The unique constraints of the project's models, for EDGE018's check-then-insert (:mod:`.row_races`).

``if not await Unit.filter(code=code).exists(): await Unit.create(code=code, ...)`` with ``code =
fields.CharField(max_length=20, unique=True)``: two concurrent requests can both find no row, but
the database refuses the second insert (an ``IntegrityError``), so no duplicate is made; a unique
constraint decides, as the rule's advice asks.  Declared on the model class (of this module or of
another module of the project, found as EDGE013 finds a helper, :class:`~.blocking_calls.Facts`):

* a field with ``unique=True`` or ``primary_key=True``/``pk=True`` (Tortoise ``fields.CharField(...,
  unique=True)``, Django ``models.EmailField(unique=True)``, peewee ``CharField(unique=True)``,
  SQLAlchemy ``Column(String, unique=True)``/``mapped_column(unique=True)``);
* a set of fields in ``class Meta: unique_together = (("unit", "tenant"),)`` (Tortoise, Django),
  or a ``UniqueConstraint(fields=[...])`` / ``UniqueConstraint("a", "b")`` in the class body.

The query must test those fields for equality: keywords without a lookup (``code=code``, not
``email__iexact=...``: a case-insensitive test beside a case-sensitive constraint lets a
case variant in) or ``Model.field == value``.  Anything not read this way is not unique.
"""

from __future__ import annotations

import ast

from vetpy.astutil import keyword, last_name
from vetpy.rules.edge.blocking_calls import Facts

_TRUE_KEYWORDS = ("unique", "primary_key", "pk")


def unique_decides(facts: Facts, query: ast.Call, model: str) -> bool:
    """Does a unique constraint of ``model`` cover fields ``query`` tests for equality?"""
    tested = _tested_fields(query, model)
    if not tested:
        return False
    return any(fields <= tested for fields in unique_sets(facts, model))


def unique_sets(facts: Facts, model: str) -> list[frozenset[str]]:
    """The sets of fields that are unique together on the model class ``model`` (one field each
    for ``unique=True``), memoised per analysis."""
    answers = facts.mod.doc.shared.setdefault("edge.unique_fields", {})
    if model not in answers:
        found = facts.binding(ast.Name(id=model, ctx=ast.Load()))
        cls = found[1] if found is not None else None
        answers[model] = _declared(cls) if isinstance(cls, ast.ClassDef) else []
    return answers[model]  # type: ignore[no-any-return]


def _declared(cls: ast.ClassDef) -> list[frozenset[str]]:
    sets: list[frozenset[str]] = []
    for stmt in cls.body:
        target, value = None, None
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target, value = stmt.targets[0], stmt.value
        elif isinstance(stmt, ast.AnnAssign):
            target, value = stmt.target, stmt.value
        if isinstance(target, ast.Name) and isinstance(value, ast.Call) and any(
                isinstance(k := keyword(value, word), ast.keyword) and isinstance(k.value, ast.Constant) and k.value.value is True
                for word in _TRUE_KEYWORDS):
            sets.append(frozenset({target.id}))
        if isinstance(stmt, ast.ClassDef) and stmt.name == "Meta":
            sets.extend(_unique_together(stmt))
    for node in ast.walk(cls):
        if isinstance(node, ast.Call) and last_name(node.func) == "UniqueConstraint":
            fields = keyword(node, "fields")
            names = _names(fields.value) if isinstance(fields, ast.keyword) else _names(ast.Tuple(elts=list(node.args)))
            if names:
                sets.append(names)
    return sets


def _unique_together(meta: ast.ClassDef) -> list[frozenset[str]]:
    for stmt in meta.body:
        if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "unique_together" for t in stmt.targets):
            value = stmt.value
            if isinstance(value, (ast.Tuple, ast.List)) and value.elts and all(isinstance(e, (ast.Tuple, ast.List)) for e in value.elts):
                return [n for e in value.elts if (n := _names(e))]
            names = _names(value)
            return [names] if names else []
    return []


def _names(node: ast.expr) -> frozenset[str]:
    """``("a", "b")`` / ``["a", "b"]``: the names, empty unless every element is a string."""
    if not isinstance(node, (ast.Tuple, ast.List)) or not node.elts:
        return frozenset()
    if not all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts):
        return frozenset()
    return frozenset(e.value for e in node.elts)  # type: ignore[union-attr]


def _tested_fields(query: ast.Call, model: str) -> frozenset[str]:
    """The fields the query chain tests for equality: ``Unit.filter(code=c).exists()``,
    ``User.query.filter_by(email=e).first()``, ``select(User).where(User.email == e)``."""
    names: set[str] = set()
    node: ast.expr = query
    while isinstance(node, (ast.Call, ast.Attribute, ast.Await)):
        if isinstance(node, ast.Call):
            names.update(k.arg for k in node.keywords if k.arg is not None and "__" not in k.arg and k.arg != "using_db")
            for arg in node.args:
                if isinstance(arg, ast.Compare) and len(arg.ops) == 1 and isinstance(arg.ops[0], ast.Eq) \
                        and isinstance(arg.left, ast.Attribute) and last_name(arg.left.value) == model:
                    names.add(arg.left.attr)
            node = node.func
        else:
            node = node.value
    return frozenset(names)
