"""EDGE026 default-evaluated-once: a field's default computed once, when the class is defined.

A model or schema field's default is an expression evaluated when the class body runs, at import:
``default=datetime.utcnow()`` gives every row the time the server started, ``default=uuid4()``
gives every row the same id (the second insert violates the key), and a pydantic field or a
dataclass field written ``joined_at: datetime = datetime.now(timezone.utc)`` is the same value
for every instance. The callable itself is what the library wants (``default=datetime.utcnow``,
``default_factory=...``). A Django ``JSONField(default={})`` (or ``ArrayField``/``HStoreField``
with a ``[]``/``{}`` default) shares one mutable object between every instance that does not set
the field (Django's own check ``fields.E010`` warns of it): a change through one instance shows in
the default of all the others.
"""

from __future__ import annotations

import ast
from typing import Iterator

from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.findings import Finding, Fix, FixSafety, Severity
from vetpy.rules.edge.facts import Module
from vetpy.rules.registry import REGISTRY, rule


DEFAULT_ONCE = rule(
    code="EDGE026",
    name="default-evaluated-once",
    family="EDGE",
    severity=Severity.WARNING,
    question="When is this default computed: for each row, or once at import?",
    summary="A field's default calls the clock or an id generator (`default=datetime.utcnow()`, `default=uuid4()`) once, when the class is defined.",
    rationale="""A class body runs once, at import, so `created = Column(DateTime,
    default=datetime.utcnow())` stamps every row with the time the process started, and
    `default=uuid.uuid4()` gives every row the same id. Pass the function, which the library
    calls for each row or instance: `default=datetime.utcnow` (SQLAlchemy, Django, peewee,
    Tortoise), `Field(default_factory=...)` (pydantic), `field(default_factory=...)`
    (dataclasses). Reported in a class body: a `default=`/`insert_default=`/`onupdate=`/
    `load_default=` keyword of a field's call, and an annotated field of a dataclass, an attrs
    class or a model (a base such as pydantic's `BaseModel`, `SQLModel`, msgspec's `Struct`, a
    name ending in `Model`/`Schema`) assigned such a call directly (`joined_at: datetime =
    datetime.now(timezone.utc)`; not a `ClassVar`, one value for the class on purpose); the calls are `datetime.now()`/`utcnow()`/`today()`,
    `date.today()`, Django's `timezone.now()`, `time.time()`, `uuid.uuid1()`/`uuid4()`. Also a
    Django `JSONField`, `ArrayField` or `HStoreField` whose default is a `{}` or `[]` display:
    one object shared by every instance (Django's check `fields.E010`); use `default=dict` or
    `default=list`. A module-level `default=date.today()` (a command-line option) is evaluated
    at each start of a short-lived program and not reported.""",
    bad="""
        from datetime import datetime

        class Challenge(db.Model):
            timestamp = db.Column(db.DateTime, default=datetime.utcnow())
    """,
    good="""
        from datetime import datetime

        class Challenge(db.Model):
            timestamp = db.Column(db.DateTime, default=datetime.utcnow)
    """,
    fix_safety=FixSafety.UNSAFE,
)

# functions whose value changes from call to call: as a default they must be passed, not called
_PER_CALL = frozenset({
    "datetime.datetime.now", "datetime.datetime.utcnow", "datetime.datetime.today", "datetime.date.today",
    "django.utils.timezone.now", "django.utils.timezone.localtime", "django.utils.timezone.localdate",
    "time.time", "time.time_ns", "uuid.uuid1", "uuid.uuid4",
    "sqlalchemy.func.now", "pendulum.now", "arrow.utcnow", "arrow.now",
})
_DEFAULT_KEYWORDS = frozenset({"default", "insert_default", "onupdate", "load_default"})
# Django fields whose mutable default every instance shares
_DJANGO_MUTABLE = ("JSONField", "ArrayField", "HStoreField")


def _per_call(mod: Module, value: ast.expr) -> str | None:
    """The qualified name of a clock or id call (``datetime.utcnow()``), else None."""
    if not isinstance(value, ast.Call):
        return None
    qname = mod.qname(value.func)
    if qname == "sqlalchemy.func.now":
        return None  # a SQL expression: the database evaluates it per row
    return qname if qname in _PER_CALL else None


@REGISTRY.checker("EDGE026")
def check_field_defaults(doc: Document, ctx: AnalysisContext) -> Iterator[Finding]:
    assert doc.tree is not None
    mod = Module.of(doc)
    for cls in mod.of_type(ast.ClassDef):
        assert isinstance(cls, ast.ClassDef)
        fields_class = _declares_fields(cls)
        for stmt in cls.body:
            if not doc.reports(stmt):
                continue
            if isinstance(stmt, ast.AnnAssign) and stmt.value is not None and fields_class and not _class_var(stmt.annotation):
                if (qname := _per_call(mod, stmt.value)) is not None:
                    yield _finding(doc, stmt.value, qname, "this field's default", fix=False)
                    continue
            value = stmt.value if isinstance(stmt, (ast.Assign, ast.AnnAssign)) else None
            if isinstance(value, ast.Call):
                yield from _field_call(doc, mod, value)


# classes whose annotated class-body assignments are per-instance fields with a default
_FIELD_DECORATORS = frozenset({"dataclass", "define", "frozen", "mutable", "attrs", "s", "dataclass_transform"})
_FIELD_BASES = frozenset({"BaseModel", "BaseSettings", "SQLModel", "Struct", "NamedTuple", "TypedDict", "Document",
                          "EmbeddedDocument", "Schema", "RootModel", "GenericModel"})


def _declares_fields(cls: ast.ClassDef) -> bool:
    """A dataclass or attrs class, or a model by its base (pydantic, SQLModel, msgspec...)."""
    decorators = {_last_name(d.func if isinstance(d, ast.Call) else d) for d in cls.decorator_list}
    bases = {_last_name(b.value if isinstance(b, ast.Subscript) else b) for b in cls.bases}
    return bool(decorators & _FIELD_DECORATORS or bases & _FIELD_BASES
                or any(b and b.endswith(("Model", "Schema")) for b in bases))


def _class_var(annotation: ast.expr) -> bool:
    """``ClassVar`` / ``ClassVar[...]``: one value for the class, on purpose."""
    node = annotation.value if isinstance(annotation, ast.Subscript) else annotation
    return _last_name(node) == "ClassVar"


def _field_call(doc: Document, mod: Module, call: ast.Call) -> Iterator[Finding]:
    for kw in call.keywords:
        if kw.arg not in _DEFAULT_KEYWORDS:
            continue
        if (qname := _per_call(mod, kw.value)) is not None:
            # a pydantic/dataclasses/attrs field takes a value as its default (a function there is
            # the value): the fix is theirs (`default_factory=`), not a bare callable
            value_field = _last_name(call.func) in _VALUE_FIELDS
            yield _finding(doc, kw.value, qname, f"`{kw.arg}=`", fix=not value_field)
        elif kw.arg == "default" and isinstance(kw.value, (ast.Dict, ast.List)):
            qname = mod.qname(call.func) or ""
            if qname.startswith("django.") and qname.rsplit(".", 1)[-1] in _DJANGO_MUTABLE:
                kind = "dict" if isinstance(kw.value, ast.Dict) else "list"
                yield DEFAULT_ONCE.finding(
                    doc, kw.value,
                    f"`default={doc.segment(kw.value)}` is one {kind} shared by every instance that does not set the "
                    f"field: a change through one shows in all; pass `default={kind}`",
                    fixes=[_callable_fix(doc, kw.value, kind)] if not _items(kw.value) else [],
                )


_VALUE_FIELDS = frozenset({"Field", "field", "ib", "attrib", "Attribute"})


def _last_name(func: ast.expr) -> str | None:
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None


def _items(value: ast.expr) -> bool:
    return bool(value.keys if isinstance(value, ast.Dict) else value.elts)  # type: ignore[attr-defined]


def _finding(doc: Document, call: ast.expr, qname: str, where: str, fix: bool) -> Finding:
    assert isinstance(call, ast.Call)
    short = qname.rsplit(".", 1)[-1]
    fixes = []
    if fix and not call.args and not call.keywords:
        fixes.append(_callable_fix(doc, call, doc.segment(call.func)))
    return DEFAULT_ONCE.finding(
        doc, call,
        f"{where} calls `{short}()` once, when the class is defined: every row or instance gets that one value; "
        "pass the function itself (`default=...`, `default_factory=...`)",
        fixes=fixes,
    )


def _callable_fix(doc: Document, node: ast.expr, text: str) -> Fix:
    return Fix(f"Use {text}", (doc.replace_node(node, text),), preferred=True)
