"""SEC034 mass-assignment: every key of a request body is set as an attribute of an object.

Flagged, in a request handler: ``for key, value in BODY.items(): setattr(obj, key, value)``,
``obj.__dict__.update(BODY)`` and an ORM write of it (Django's
``Model.objects.filter(...).update(**BODY)`` and ``.create(**BODY)``, SQLAlchemy's
``update(Model).where(...).values(**BODY)``), where ``BODY`` is the request's whole mapping: a handler parameter
annotated ``dict`` (``Dict[...]``, ``Mapping``, ``Any``) or unannotated that the framework binds
from the request (FastAPI's ``payload: dict = Body(...)``), ``request.json``,
``request.get_json()``, ``await request.json()``, ``request.form``, ``request.POST``,
``request.data``, Pyramid's ``request.json_body``, Falcon's ``req.get_media()``, ``json.loads(request.body)``, a
project helper given only the request that returns its whole body (:mod:`vetpy.rules.sec.body_sources`, which also
reads peewee and Tortoise models' own writes ``User.create(**BODY)`` and aiohttp ``web.View`` methods), or a local bound once to one of these (also with an empty fallback:
``request.get_json(silent=True) or {}``); in a tornado module also a handler's ``self.json_body()``
that returns the parsed body (:mod:`vetpy.rules.sec.body_methods`) and, with pony, ``entity.set(**BODY)``.
Also flagged: an SQL ``SET`` joined from the body's keys (:mod:`vetpy.rules.sec.sql_columns`) and a
sign-up whose ``role`` the client chooses unchecked (:mod:`vetpy.rules.sec.chosen_role`).

Look-alikes, not reported: a schema's dump (``body.model_dump(exclude_unset=True)``,
``body.dict()``, ``serializer.validated_data``: the schema declares the fields a client may set);
a loop whose body tests the key (``if key in EDITABLE``, ``if key not in ALLOWED: continue``);
``setattr`` with another name than the loop's key; a mapping built by the program; a function
that is not a request handler.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from vetpy.dataflow import Trust
from vetpy.findings import Finding, Severity
from vetpy.rules.registry import rule
from vetpy.rules.sec.body_methods import body_method, edited, project_class
from vetpy.rules.sec.chosen_role import role_writes
from vetpy.rules.sec.sql_columns import keyed_mapping
from vetpy.rules.sec.body_sources import body_helper, deny_listed, model_class, view_method
from vetpy.rules.sec.common import describe, short
from vetpy.rules.sec.walk import FunctionNode, RuleModule, SecurityPass, Site, Triggers

MASS_ASSIGNMENT = rule(
    code="SEC034",
    name="mass-assignment",
    family="SEC",
    severity=Severity.ERROR,
    summary="Every key of a request body is set as an attribute of an object (`setattr` in a loop over it, `__dict__.update`, an ORM `update(**body)`).",
    rationale="""Copying each key of the client's JSON onto a record lets the client set fields it
    must never choose: the owner, the role, a price, a status, an id (mass assignment, CWE-915).
    Copy an allow-list of fields, or validate the body with a schema that declares the fields a
    client may set (a pydantic model, a DRF serializer) and copy what it returns. Reported in a
    request handler, for `setattr` in a loop, `__dict__.update` and an ORM write that takes the
    mapping as keyword arguments (`Model.objects.filter(...).update(**request.data)`,
    `.create(**...)`, SQLAlchemy's `update(Model).values(**body)`, Pony's `entity.set(**body)`, a
    peewee or Tortoise model's `User.create(**body)`, `User.update(**body)`, `User.filter(...).update(**body)`),
    and for an SQL `SET` joined from the body's keys (`", ".join(f"{k} = %s" for k in body)`), when the mapping is the request's own (a parameter typed `dict` that the
    framework binds from the body, `request.json`, `request.get_json()`, `await request.json()`,
    `request.form`, `request.POST`, Pyramid's `request.json_body`, Falcon's `req.get_media()`, `json.loads(request.body)`, also with an empty fallback: `request.get_json(silent=True) or
    {}`, a Tornado handler's `self.json_body()` whose (base) class's method returns
    `json.loads(self.request.body)` unedited, or the project's helper given only the request that returns its
    whole parsed body, `await body(req)`); a schema's dump (`body.model_dump()`), a loop that tests
    the key against a set of names, and a body whose keys the handler removes unread (`body.pop("role", None)`, a deny-list), are not.
    Also reported: a sign-up that creates the account with the client's own password and a `role`
    (`is_admin`, `is_staff`, ...) the client sends and the handler never checks, as an ORM call's keyword or a
    column of `INSERT INTO users (...) VALUES (...)`. Also reported: a Django `ModelForm` or DRF
    `ModelSerializer` whose `Meta` takes every field (`fields = "__all__"`, or `exclude = [...]`)
    of a model (of the same module or of another module of the project) that declares a
    privileged field (`balance`, `is_staff`, `is_superuser`, `role`, `is_verified`, ...) left
    writable (not excluded, not in `read_only_fields`/`extra_kwargs`, not declared on the class);
    the admin's forms (`admin.py`) are not.""",
    bad="""
        from fastapi import Body, FastAPI

        app = FastAPI()

        @app.put("/invoices/{invoice_id}")
        def update(invoice_id: int, payload: dict = Body(...)):
            invoice = load(invoice_id)
            for field, value in payload.items():
                setattr(invoice, field, value)
            return save(invoice)
    """,
    good="""
        from fastapi import Body, FastAPI

        app = FastAPI()
        EDITABLE = {"notes", "due_date"}

        @app.put("/invoices/{invoice_id}")
        def update(invoice_id: int, payload: dict = Body(...)):
            invoice = load(invoice_id)
            for field, value in payload.items():
                if field in EDITABLE:
                    setattr(invoice, field, value)
            return save(invoice)
    """,
    cwe=(915,),
)

_MAPPING_ANNOTATIONS = frozenset({"dict", "Dict", "Mapping", "MutableMapping", "Any", "typing.Any", "typing.Dict", "typing.Mapping"})
# the request's attributes that are the whole body or form as a mapping
_BODY_ATTRIBUTES = frozenset({"json", "get_json", "form", "POST", "data", "values", "media", "get_media", "json_body"})
# the request's raw body, a mapping once `json.loads` parses it
_RAW_BODY = frozenset({"body", "data", "get_data", "content"})


def check_call(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    call: ast.Call = site.node  # type: ignore[assignment]
    func = site.func
    if func is None or not (sec.flow.handler(func) or view_method(sec, func, site.ancestors)):
        return
    for _write, field, value in role_writes(sec, site, func):
        yield MASS_ASSIGNMENT.finding(
            sec.doc, call,
            f"the account is created with the client's own password and the `{field}` the client sends "
            f"(`{short(sec.doc.segment(value))}`, never checked): anyone can sign up with any role, an administrator's too; "
            "set the role on the server or check it against the roles a client may choose")
    if isinstance(call.func, ast.Name) and call.func.id == "setattr" and len(call.args) == 3 and "setattr" not in sec.imports.names:
        loop = _key_loop(site.ancestors, call)
        if loop is None:
            return
        body = _body(sec, func, loop.iter.func.value, call, site)  # type: ignore[attr-defined]
        if body is not None:
            yield MASS_ASSIGNMENT.finding(
                sec.doc, call,
                f"every key of {body} is set on `{short(sec.doc.segment(call.args[0]))}`: a client can set fields it must not "
                "(an owner, a role, a price, a status); copy an allow-list of fields or validate the body with a schema")
    elif isinstance(call.func, ast.Attribute) and call.func.attr in _ORM_WRITES | _MODEL_WRITES and _orm_receiver(sec, call.func.value, call.func.attr):
        unpacked = next((kw.value for kw in call.keywords if kw.arg is None), None)
        body = _body(sec, func, unpacked, call, site) if unpacked is not None else None
        if body is not None:
            yield MASS_ASSIGNMENT.finding(
                sec.doc, call,
                f"every key of {body} becomes a column of `.{call.func.attr}(**...)`: a client can set fields it must not "
                "(an owner, a role, a price, a status); pass an allow-list of fields or the data a schema validated")
    elif (isinstance(call.func, ast.Attribute) and call.func.attr == "set" and "pony" in sec.modules and not call.args
          and len(call.keywords) == 1 and call.keywords[0].arg is None):
        body = _body(sec, func, call.keywords[0].value, call, site)  # Pony's `entity.set(**body)`
        if body is not None:
            yield MASS_ASSIGNMENT.finding(
                sec.doc, call,
                f"every key of {body} is set on `{short(sec.doc.segment(call.func.value))}` by Pony's `.set(**...)`: a client can "
                "set fields it must not (an owner, a role, a price, a status); pass an allow-list of fields")
    elif (mapping := keyed_mapping(call, lambda name: sec.flow.single_assignment(func, name))) is not None:
        body = _body(sec, func, mapping, call, site)
        if body is not None:
            yield MASS_ASSIGNMENT.finding(
                sec.doc, call,
                f"every key of {body} becomes a column this SQL sets (`{short(sec.doc.segment(call))}`): a client can set "
                "columns it must not (an owner, a role, a price, a status); join only an allow-list of column names")
    elif (isinstance(call.func, ast.Attribute) and call.func.attr == "update" and len(call.args) == 1 and not call.keywords
          and isinstance(call.func.value, ast.Attribute) and call.func.value.attr == "__dict__"):
        body = _body(sec, func, call.args[0], call, site)
        if body is not None:
            yield MASS_ASSIGNMENT.finding(
                sec.doc, call,
                f"every key of {body} is set on `{short(sec.doc.segment(call.func.value.value))}` through its `__dict__`: a client can "
                "set fields it must not; copy an allow-list of fields or validate the body with a schema")


# ORM writes whose keyword arguments are columns: Django's `QuerySet.update`/`create`,
# SQLAlchemy's `update(M).values(...)`/`insert(M).values(...)`
_ORM_WRITES = frozenset({"update", "create", "values"})
_SQL_STATEMENTS = frozenset({"sqlalchemy.update", "sqlalchemy.insert", "sqlalchemy.sql.update", "sqlalchemy.sql.insert",
                             "sqlalchemy.sql.expression.update", "sqlalchemy.sql.expression.insert", "sqlalchemy.dialects.postgresql.insert",
                             "sqlalchemy.dialects.sqlite.insert", "sqlalchemy.dialects.mysql.insert"})


def _orm_receiver(sec: SecurityPass, node: ast.expr, write: str) -> bool:
    """Is ``node`` a Django manager or queryset (``Model.objects...``), a SQLAlchemy
    ``update(M)``/``insert(M)`` statement (``.where(...)`` after it), or a peewee or tortoise model
    class (``User.create``, ``User.update``, ``User.insert``) or its query (``User.filter(...).update``)?"""
    start = node
    while isinstance(node, (ast.Call, ast.Attribute)):
        if isinstance(node, ast.Attribute):
            if node.attr == "objects":
                return True
            node = node.value
        else:
            if sec.qualified(node.func) in _SQL_STATEMENTS:
                return True
            node = node.func
    if not isinstance(node, ast.Name) or write not in _MODEL_WRITES:
        return False
    if start is not node and not _model_query(start, node):
        return False
    return model_class(sec, node)


# a model class's own writes (peewee's `Model.create/update/insert(**...)`, tortoise's
# `Model.create(**...)`, `Model.filter(...).update(**...)`) and the queries that lead to them
_MODEL_WRITES = frozenset({"create", "update", "insert"})
_MODEL_QUERIES = frozenset({"filter", "exclude", "where", "all", "select_for_update"})


def _model_query(node: ast.expr, root: ast.Name) -> bool:
    """``Model.filter(...)...`` down to ``root``: only query methods."""
    while node is not root:
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _MODEL_QUERIES):
            return False
        node = node.func.value
    return True


def _key_loop(ancestors: list[ast.AST], call: ast.Call) -> ast.For | None:
    """The ``for key, value in mapping.items()`` loop that sets ``setattr(obj, key, value)``, when
    nothing in its body tests the key."""
    for node in reversed(ancestors):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            return None
        if not isinstance(node, (ast.For, ast.AsyncFor)):
            continue
        target, listing = node.target, node.iter
        if not (isinstance(target, ast.Tuple) and len(target.elts) == 2 and all(isinstance(e, ast.Name) for e in target.elts)):
            return None
        if not (isinstance(listing, ast.Call) and isinstance(listing.func, ast.Attribute) and listing.func.attr == "items" and not listing.args):
            return None
        key = target.elts[0].id  # type: ignore[attr-defined]
        name = call.args[1]
        if not (isinstance(name, ast.Name) and name.id == key):
            return None
        for inner in node.body:
            for sub in ast.walk(inner):
                if isinstance(sub, (ast.If, ast.IfExp, ast.While, ast.Assert, ast.Match)) and any(
                        isinstance(n, ast.Name) and n.id == key for n in ast.walk(sub.test if not isinstance(sub, ast.Match) else sub.subject)):
                    return None  # the key is tested: an allow-list, a deny-list, a check of the model's columns
        return node
    return None


def _body(sec: SecurityPass, func: FunctionNode, mapping: ast.expr, at: ast.AST, site: Site) -> str | None:
    """How to name ``mapping`` when it is the request's whole body as a mapping, else None."""
    scope = sec.flow.scope(func)
    made = _own_method(sec, func, mapping, site)
    if made is not None:
        return made
    if isinstance(mapping, ast.Name) and scope.single_assignment(mapping.id) is not None and deny_listed(func, mapping.id):
        return None  # `body.pop("role", None)`: the handler removes keys it never reads, a deny-list
    helper = mapping
    if isinstance(mapping, ast.Name):
        helper = scope.single_assignment(mapping.id) or mapping
    made = body_helper(sec, helper, lambda arg: sec.flow.is_request_object(arg, scope))
    if made is not None:
        return made
    value = scope.value(mapping, at, site.ancestors)
    if value.trust is not Trust.UNTRUSTED:
        return None
    if isinstance(mapping, ast.Name):
        param = next((a for a in func.args.posonlyargs + func.args.args + func.args.kwonlyargs if a.arg == mapping.id), None)
        if param is not None:
            annotation = param.annotation
            if isinstance(annotation, ast.Subscript):
                annotation = annotation.value
            named = ast.unparse(annotation) if annotation is not None else None
            return f"the request body `{mapping.id}`" if named is None or named in _MAPPING_ANNOTATIONS else None
        bound = scope.single_assignment(mapping.id)
        return _body(sec, func, bound, at, site) if bound is not None and not isinstance(bound, ast.Name) else None
    if isinstance(mapping, ast.BoolOp) and isinstance(mapping.op, ast.Or) and len(mapping.values) == 2 and _empty(mapping.values[1]):
        return _body(sec, func, mapping.values[0], at, site)  # `request.get_json(silent=True) or {}`
    inner = mapping.value if isinstance(mapping, ast.Await) else mapping
    if isinstance(inner, ast.Call) and len(inner.args) == 1 and not inner.keywords and sec.qualified(inner.func) == "json.loads":
        raw = inner.args[0]  # `json.loads(request.body)`: the raw body parsed, every key the client sent
        raw = raw.func if isinstance(raw, ast.Call) and not raw.args else raw
        if isinstance(raw, ast.Attribute) and raw.attr in _RAW_BODY and sec.flow.is_request_object(raw.value, scope):
            return f"the request body parsed by `{short(sec.doc.segment(mapping))}`"
        return None
    if isinstance(inner, ast.Call) and not inner.args:
        inner = inner.func
    if isinstance(inner, ast.Attribute) and inner.attr in _BODY_ATTRIBUTES and sec.flow.is_request_object(inner.value, scope):
        return describe(value)
    return None


def _own_method(sec: SecurityPass, func: FunctionNode, mapping: ast.expr, site: Site) -> str | None:
    """``body = self.json_body()`` where the handler's (base) class's method returns the whole
    parsed body (:mod:`vetpy.rules.sec.body_methods`): how to name it, else None."""
    if isinstance(mapping, ast.Name):
        bound = sec.flow.single_assignment(func, mapping.id)
        if bound is None or edited(func, mapping.id):
            return None
        mapping = bound
    made = body_method(sec, mapping, site.ancestors)
    return f"the request body from {made}" if made is not None else None


def _empty(node: ast.expr) -> bool:
    """``{}`` or ``dict()``: a fallback that adds no field."""
    return (isinstance(node, ast.Dict) and not node.keys) or (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict" and not node.args and not node.keywords)


# -- a model form or serializer that takes every field of its model ------------------------------

_MODEL_FORMS = frozenset({"django.forms.ModelForm", "django.forms.models.ModelForm"})
_MODEL_SERIALIZERS = frozenset({"rest_framework.serializers.ModelSerializer", "rest_framework.serializers.HyperlinkedModelSerializer"})
# model fields that carry authority or money: a client must never set them on its own record
PRIVILEGED_FIELDS = frozenset({"balance", "credit", "credits", "is_staff", "is_superuser", "is_admin", "is_verified",
                               "is_approved", "is_moderator", "role", "roles", "permissions", "user_permissions"})


def check_meta(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    """``fields = "__all__"`` or ``exclude = [...]`` in the ``Meta`` of a ``ModelForm`` or a DRF
    ``ModelSerializer`` whose model declares a privileged field the ``Meta`` leaves writable."""
    node: ast.Assign = site.node  # type: ignore[assignment]
    if site.func is not None or len(node.targets) != 1 or not isinstance(node.targets[0], ast.Name):
        return
    option = node.targets[0].id
    if not ((option == "fields" and isinstance(node.value, ast.Constant) and node.value.value == "__all__")
            or (option == "exclude" and isinstance(node.value, (ast.List, ast.Tuple)))):
        return
    classes = [a for a in site.ancestors if isinstance(a, ast.ClassDef)]
    if len(classes) < 2 or classes[-1].name != "Meta" or classes[-1] not in classes[-2].body:
        return
    outer, meta = classes[-2], classes[-1]
    kinds = {sec.qualified(b) for b in outer.bases}
    if not kinds & (_MODEL_FORMS | _MODEL_SERIALIZERS):
        return
    if sec.doc.path.replace("\\", "/").rsplit("/", 1)[-1] == "admin.py":
        return  # the admin's forms: staff only
    settings = {t.id: stmt.value for stmt in meta.body if isinstance(stmt, ast.Assign)
                for t in stmt.targets if isinstance(t, ast.Name)}
    model = settings.get("model")
    if not isinstance(model, ast.Name):
        return
    fields = _model_fields(sec, model)
    if fields is None:
        return
    kept = set(_names(node.value)) if option == "exclude" else set()
    kept |= set(_names(settings.get("read_only_fields")))
    extra = settings.get("extra_kwargs")
    if isinstance(extra, ast.Dict):
        kept |= {k.value for k in extra.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)}
    kept |= {t.id for stmt in outer.body if isinstance(stmt, (ast.Assign, ast.AnnAssign))
             for t in (stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]) if isinstance(t, ast.Name)}
    writable = [f for f in fields if f in PRIVILEGED_FIELDS and f not in kept]
    if not writable:
        return
    what = "form" if kinds & _MODEL_FORMS else "serializer"
    taken = '`fields = "__all__"`' if option == "fields" else "`exclude`"
    yield MASS_ASSIGNMENT.finding(
        sec.doc, node,
        f"{taken} lets a client who submits this {what} set `{model.id}.{writable[0]}`"
        + (f" (and {', '.join(f'`{w}`' for w in writable[1:])})" if writable[1:] else "")
        + "; list the fields a client may set in `fields`")


def _names(node: ast.expr | None) -> list[str]:
    if not isinstance(node, (ast.List, ast.Tuple)):
        return []
    return [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]


def _model_fields(sec: SecurityPass, model: ast.Name) -> list[str] | None:
    """The editable fields the model class declares (in this module or another module of the
    project), in order; None when the class is not found."""
    cls = next((s for s in sec.tree.body if isinstance(s, ast.ClassDef) and s.name == model.id), None)
    if cls is None:
        found = project_class(sec, model)
        if found is None:
            return None
        cls = found[0]
    fields = []
    for stmt in cls.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name) \
                and isinstance(stmt.value, ast.Call) and not any(
                    kw.arg == "editable" and isinstance(kw.value, ast.Constant) and kw.value.value is False for kw in stmt.value.keywords):
            fields.append(stmt.targets[0].id)
    return fields


MODULE = RuleModule(
    rules=(MASS_ASSIGNMENT,),
    handlers={ast.Call: check_call, ast.Assign: check_meta},
    # request handlers (web modules, which are walked in full) and model forms and serializers
    triggers=Triggers(words=("__all__", "exclude")),
)
