"""SEC041 nosql-injection: a request's parsed JSON (a structure that can hold ``{"$ne": null}``)
is a MongoDB filter or a filter's field value, or server-side JavaScript (``$where``,
``$function``) is built from request input.

Flagged, in a web module:

- *operator injection*: the filter of a PyMongo/Motor collection method (``find``, ``find_one``,
  ``count_documents``, ``distinct``, ``update_one``/``update_many``, ``replace_one``,
  ``delete_one``/``delete_many``, ``find_one_and_update``/``_replace``/``_delete``; Beanie's
  ``find``/``find_one``/``find_many``), a ``$match`` stage of ``aggregate`` (or the whole pipeline),
  or a mongoengine query's keyword (``User.objects(password=...)``, ``**`` of a request dict) is,
  or holds as a field's value, a *structure* from the request: the parsed JSON body
  (``request.get_json()``, ``request.json``, ``await request.json()``, DRF's ``request.data``,
  ``json.loads`` of request data), a value taken out of it (``body["username"]``,
  ``body.get("password")``: JSON values can be objects), a FastAPI/Litestar handler parameter
  annotated ``dict`` (or with a ``Body()`` default and no scalar annotation); or, as the whole
  filter, a dict of the query string (``request.args.to_dict()``, ``dict(request.args)``), whose
  keys the client picks (``?$where=...``, mongoengine ``?password__ne=x``);
- *JavaScript injection*: a ``$where`` operand, or the ``body`` of ``$function`` (and the code
  members of ``$accumulator``), that is request input or built from it by formatting.

Look-alikes, not reported: a value coerced to a scalar (``str(x)``, ``int(x)``, ``ObjectId(x)``,
a pydantic model's field), a value the function checks with ``isinstance``/``type(...)`` or
passes to a ``*validate*`` call, a query-string or form *value* (``request.args.get("name")``,
``request.form["name"]``: always a string, never an operator), a structure used under an operator
that does not interpret its operand as a query (``{"$in": ...}`` is not walked), a filter built
only from constants and scalars, a module that is not a web module; request data given whole to a
``find``/``distinct`` (also string, SDK and SQLAlchemy method names: ``paypalrestsdk.Sale.find(sale_id)``)
in a module that imports no MongoDB library, and any query method called on request data itself.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from vetpy.astutil import dotted_name, keyword
from vetpy.dataflow import Scope, Trust
from vetpy.dataflow.summaries import parameter_defaults
from vetpy.findings import Finding, Severity
from vetpy.rules.registry import rule
from vetpy.rules.sec.common import describe
from vetpy.rules.sec.walk import FunctionNode, RuleModule, SecurityPass, Site, Triggers

NOSQL_INJECTION = rule(
    code="SEC041",
    name="nosql-injection",
    family="SEC",
    severity=Severity.ERROR,
    summary="A request's parsed JSON is a MongoDB filter or a filter's field value (`find_one({\"password\": body[\"password\"]})`), or `$where` JavaScript is built from request input.",
    rationale="""A JSON body's values are not always strings: a client that sends
    `{"username": "admin", "password": {"$ne": null}}` turns an equality test into an operator,
    and `find_one` returns the admin without the password (login bypass); `{"$gt": ""}` matches
    every row, `{"$where": "sleep(5000)"}` runs JavaScript on the database server (OWASP: NoSQL
    injection; MongoDB: query operators). Coerce each value to the scalar the field holds
    (`str(body["password"])`, `int(...)`, `ObjectId(...)`), validate the body into a typed model,
    or reject anything else (`isinstance(value, str)`), and never build `$where`/`$function` code
    from input: pass values as query operands instead. Reported in web modules when the filter of
    a PyMongo/Motor/Beanie query method, a `$match` stage or a mongoengine query keyword is, or
    holds as a field's value, the request's parsed JSON (`request.get_json()`, `await
    request.json()`, DRF `request.data`, `json.loads(request.body)`, a FastAPI parameter typed
    `dict`) or a value taken out of it; a whole query-string dict (`request.args.to_dict()`) as
    the filter (its keys are the client's); `$where` or `$function` code from request input.
    Query-string and form values (`request.args.get("q")`: always strings), coerced or
    type-checked values and typed model fields are not reported, nor request data given whole to
    `find`/`distinct` in a module that imports no MongoDB library (an SDK's `Sale.find(sale_id)`).""",
    bad="""
        from flask import Flask, request
        from pymongo import MongoClient

        app = Flask(__name__)
        users = MongoClient().app.users

        @app.post("/login")
        def login():
            body = request.get_json()
            user = users.find_one({"username": body["username"], "password": body["password"]})
            return {"ok": user is not None}
    """,
    good="""
        from flask import Flask, request
        from pymongo import MongoClient

        app = Flask(__name__)
        users = MongoClient().app.users

        @app.post("/login")
        def login():
            body = request.get_json()
            user = users.find_one({"username": str(body["username"]), "password": str(body["password"])})
            return {"ok": user is not None}
    """,
    cwe=(943,),
)

# collection methods whose first argument (or ``filter=``) is a query filter (PyMongo 4, Motor 3)
FILTER_METHODS = frozenset(
    {
        "find", "find_one", "count_documents", "update_one", "update_many", "replace_one", "delete_one",
        "delete_many", "find_one_and_update", "find_one_and_replace", "find_one_and_delete", "find_raw_batches",
        "find_many",  # Beanie: every positional argument is a filter
    }
)
# operators whose operand is itself a filter (or a list of filters)
FILTER_OPERATORS = frozenset({"$and", "$or", "$nor", "$not", "$elemMatch"})
# operators whose operand is JavaScript (``$where``), or holds it (``$function``, ``$accumulator``)
CODE_MEMBERS = {"$function": ("body",), "$accumulator": ("init", "accumulate", "merge", "finalize")}
# the request's parsed JSON: attributes and (awaited) methods of the request object
JSON_ATTRS = frozenset({"json", "data", "media"})
JSON_METHODS = frozenset({"get_json", "json", "get_media"})
JSON_LOADERS = frozenset({"json.loads", "orjson.loads", "ujson.loads", "simplejson.loads"})
# request attributes that are multi-dicts of strings (the query string, a form)
FLAT_ATTRS = frozenset({"args", "form", "values", "GET", "POST", "query_params", "query"})
FLAT_METHODS = frozenset({"to_dict", "dict"})
# annotations of a handler parameter that FastAPI/Litestar bind from the JSON body as any JSON
STRUCTURE_ANNOTATIONS = frozenset({"dict", "Dict", "Mapping", "MutableMapping", "list", "List", "Json", "JsonValue"})
MONGOENGINE = frozenset({"mongoengine", "flask_mongoengine"})
# libraries whose import shows the module queries MongoDB, where a method's name is not enough for
# a filter given whole (`paypalrestsdk.Sale.find(sale_id)`, `query.distinct(...)` SQLAlchemy's);
# a dict literal holding request JSON is a filter whatever the module imports
MONGO = MONGOENGINE | {"pymongo", "motor", "bson", "flask_pymongo", "beanie", "mongomock", "odmantic", "mongita"}
GENERIC_METHODS = frozenset({"find", "distinct"})

JSON, FLAT = "json", "flat"


class _Function:
    """What one function's body says about its names (computed once per function)."""

    def __init__(self, func: FunctionNode | None, tree: ast.AST) -> None:
        self.checked: set[str] = set()  # ast.dump of expressions type-checked or validated
        self.stores: dict[str, list[ast.expr]] = {}  # name -> values stored under its constant keys
        root = func if func is not None else tree
        for node in ast.walk(root):
            if isinstance(node, ast.Call) and node.args:
                callee = dotted_name(node.func) or ""
                last = callee.split(".")[-1]
                if last == "isinstance" or (last == "type" and len(node.args) == 1) or "validat" in last.lower():
                    self.checked.update(_keys(node.args[0]))
            elif isinstance(node, ast.Assign) and len(node.targets) == 1:
                target = node.targets[0]
                if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name) and isinstance(target.slice, ast.Constant):
                    self.stores.setdefault(target.value.id, []).append(node.value)


def _keys(expr: ast.expr) -> set[str]:
    """The checked expression and, for ``x.get("k")``, its subscript spelling (and back)."""
    keys = {ast.dump(expr)}
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "get" and expr.args:
        keys.add(ast.dump(ast.Subscript(expr.func.value, expr.args[0], ast.Load())))
    return keys


class _Check:
    """One sink's analysis: the scope, the site and the function facts."""

    def __init__(self, sec: SecurityPass, site: Site) -> None:
        self.sec = sec
        self.site = site
        self.scope: Scope = sec.flow.scope(site.func)
        memo = sec.doc.shared.setdefault("sec.nosql.functions", {})
        facts = memo.get(site.func)
        if facts is None:
            facts = memo[site.func] = _Function(site.func, sec.tree)
        self.facts: _Function = facts

    def untrusted(self, expr: ast.expr) -> bool:
        return self.scope.value(expr, self.site.node, self.site.ancestors).trust is Trust.UNTRUSTED

    def request(self, expr: ast.expr) -> bool:
        return self.sec.flow.is_request_object(expr, self.scope)

    def structure(self, expr: ast.expr, depth: int = 0) -> str | None:
        """JSON when ``expr`` is the request's parsed JSON or a value in it, FLAT when it is a
        dict of the query string or a form, else None."""
        if depth > 4 or any(k in self.facts.checked for k in _keys(expr)):
            return None
        if isinstance(expr, ast.Await):
            return self.structure(expr.value, depth + 1)
        if isinstance(expr, ast.Attribute):
            if expr.attr in JSON_ATTRS and self.request(expr.value):
                return JSON
            if expr.attr in FLAT_ATTRS and self.request(expr.value):
                return FLAT
            return None
        if isinstance(expr, ast.Subscript):
            return JSON if self.structure(expr.value, depth + 1) == JSON else None
        if isinstance(expr, ast.Call):
            func = expr.func
            if isinstance(func, ast.Attribute):
                if func.attr in JSON_METHODS and self.request(func.value):
                    return JSON
                if func.attr in FLAT_METHODS and not expr.args and self.structure(func.value, depth + 1) == FLAT:
                    return FLAT
                if func.attr == "get" and expr.args and self.structure(func.value, depth + 1) == JSON:
                    return JSON
                if func.attr == "copy":
                    return self.structure(func.value, depth + 1)
            name = self.sec.qualified(func)
            if name in JSON_LOADERS and expr.args and self.untrusted(expr.args[0]):
                return JSON
            if name == "dict" and len(expr.args) == 1 and not expr.keywords:
                return self.structure(expr.args[0], depth + 1)
            return None
        if isinstance(expr, ast.Name):
            return self._name(expr, depth)
        return None

    def _name(self, expr: ast.Name, depth: int) -> str | None:
        scope, site = self.scope, self.site
        bound = scope.reaching_assignment(expr.id, site.node, site.ancestors)
        if bound is not None:
            return self.structure(bound, depth + 1)
        bindings = scope.bindings.get(expr.id)
        if bindings:
            kinds = {self.structure(b, depth + 1) if isinstance(b, ast.expr) else None for b in bindings}
            return kinds.pop() if len(kinds) == 1 else None
        func = site.func
        if func is None or expr.id not in scope.params or scope.params[expr.id].trust is not Trust.UNTRUSTED:
            return None
        args = func.args
        for arg in args.posonlyargs + args.args + args.kwonlyargs:
            if arg.arg == expr.id:
                return JSON if _structure_parameter(arg, func) else None
        return None

    def dict_literal(self, expr: ast.expr) -> tuple[ast.Dict | None, list[ast.expr]]:
        """The dict literal ``expr`` is (or a name certainly bound to one), with the values the
        function stores under constant keys of that name."""
        if isinstance(expr, ast.Dict):
            return expr, []
        if isinstance(expr, ast.Name):
            bound = self.scope.reaching_assignment(expr.id, self.site.node, self.site.ancestors)
            if bound is None:
                bound = self.scope.single_assignment(expr.id)
            if isinstance(bound, ast.Dict):
                return bound, self.facts.stores.get(expr.id, [])
        return None, []

    def in_filter(self, expr: ast.expr, depth: int = 0) -> tuple[ast.expr, str] | None:
        """The request structure ``expr`` (a filter) is or holds as a field's value, and how."""
        kind = self.structure(expr)
        if kind is not None:
            return expr, "the request's parsed JSON is the whole filter" if kind == JSON else (
                "a dict of the query string (or form), whose keys the client picks (`$where`, `field__ne`), is the whole filter")
        if depth > 3:
            return None
        literal, stored = self.dict_literal(expr)
        if literal is None:
            return None
        values: list[tuple[ast.expr | None, ast.expr, bool]] = [(k, v, k is None) for k, v in zip(literal.keys, literal.values)]
        values += [(None, v, False) for v in stored]
        for key, value, spread in values:
            label = key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else None
            if spread:
                if self.structure(value):
                    return value, "a request dict is spread into the filter (`**`)"
                continue
            if label is not None and label.startswith("$"):
                if label in FILTER_OPERATORS:
                    for part in value.elts if isinstance(value, (ast.List, ast.Tuple)) else [value]:
                        found = self.in_filter(part, depth + 1)
                        if found is not None:
                            return found
                elif label == "$expr" and self.structure(value) == JSON:
                    return value, "the request's parsed JSON is the `$expr` operand"
                continue
            if self.structure(value) == JSON:
                return value, "the request's parsed JSON is a field's value"
            if isinstance(value, ast.Dict) or isinstance(value, ast.Name):
                literal_value, _ = self.dict_literal(value)
                if literal_value is not None:
                    found = self.in_filter(value, depth + 1)
                    if found is not None:
                        return found
        return None


def _structure_parameter(arg: ast.arg, func: FunctionNode) -> bool:
    """A handler parameter FastAPI/Litestar fills with any JSON: annotated ``dict`` (``Dict[str,
    Any]``, ``dict | None``), or not scalar-annotated with a ``Body()`` default."""
    annotation = arg.annotation
    while isinstance(annotation, ast.BinOp):
        annotation = annotation.left
    if isinstance(annotation, ast.Subscript):
        outer = (dotted_name(annotation.value) or "").split(".")[-1]
        if outer in {"Optional", "Annotated"}:
            inner = annotation.slice.elts[0] if isinstance(annotation.slice, ast.Tuple) and annotation.slice.elts else annotation.slice
            annotation = inner.value if isinstance(inner, ast.Subscript) else inner
        else:
            annotation = annotation.value
    name = (dotted_name(annotation) or "").split(".")[-1] if annotation is not None else ""
    if name in STRUCTURE_ANNOTATIONS:
        return True
    if name in {"", "Any"}:
        default = parameter_defaults(func).get(arg.arg)
        return isinstance(default, ast.Call) and (dotted_name(default.func) or "").split(".")[-1] == "Body"
    return False


def _report(sec: SecurityPass, found: tuple[ast.expr, str], call: ast.AST, fallback: ast.expr, where: str) -> Finding:
    node, how = found
    # a value stored into the filter before the call (`query["email"] = body["email"]`) is
    # reported at the filter the call is given: the statement that runs the query
    inside = (getattr(node, "lineno", 0), getattr(node, "col_offset", 0)) >= (call.lineno, call.col_offset) and (  # type: ignore[attr-defined]
        getattr(node, "end_lineno", 0), getattr(node, "end_col_offset", 0)) <= (call.end_lineno, call.end_col_offset)  # type: ignore[attr-defined]
    return NOSQL_INJECTION.finding(
        sec.doc, node if inside else fallback, f"{how} in `{where}`: a client can send operators "
        "(`{\"$ne\": null}`, `{\"$gt\": \"\"}`, `$where`) where values belong and match rows it must not (login bypass); "
        "coerce it to the field's type (`str(...)`, `int(...)`, `ObjectId(...)`) or validate it into a typed model")


def check_call(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    if not sec.flow.web:
        return
    call: ast.Call = site.node  # type: ignore[assignment]
    attr = site.attr
    if attr in FILTER_METHODS or attr == "distinct":
        if not isinstance(call.func, ast.Attribute) or isinstance(call.func.value, ast.Constant):
            return
        check = _Check(sec, site)
        if check.untrusted(call.func.value):
            return  # `text.find(...)` of a request's string: no collection
        named = keyword(call, "filter")
        position = 1 if attr == "distinct" else 0
        filters = [named.value] if named is not None else call.args[position:] if attr == "find_many" else call.args[position:position + 1]
        for expr in filters:
            found = check.in_filter(expr)
            if found is not None and found[0] is expr and attr in GENERIC_METHODS and not MONGO & sec.modules:
                continue  # `paypalrestsdk.Sale.find(sale_id)`: request data given whole to a method of that name
            if found is not None:
                yield _report(sec, found, call, expr, attr)
                return
    elif attr == "aggregate" and isinstance(call.func, ast.Attribute):
        named = keyword(call, "pipeline")
        pipeline = named.value if named is not None else call.args[0] if call.args else None
        if pipeline is None:
            return
        check = _Check(sec, site)
        if check.structure(pipeline) == JSON:
            yield NOSQL_INJECTION.finding(
                sec.doc, pipeline, "the request's parsed JSON is the whole pipeline of `aggregate`: a client's stages can "
                "read other collections (`$lookup`, `$unionWith`) and run JavaScript (`$function`); build the stages from constants "
                "and coerced values")
            return
        listed = pipeline
        if isinstance(pipeline, ast.Name):
            listed = check.scope.reaching_assignment(pipeline.id, call, site.ancestors) or check.scope.single_assignment(pipeline.id) or pipeline
        stages = listed.elts if isinstance(listed, (ast.List, ast.Tuple)) else []
        for stage in stages:
            if isinstance(stage, ast.Dict):
                for key, value in zip(stage.keys, stage.values):
                    if isinstance(key, ast.Constant) and key.value == "$match":
                        found = check.in_filter(value)
                        if found is not None:
                            yield _report(sec, found, call, pipeline, "$match")
                            return
    elif MONGOENGINE & sec.modules and _mongoengine_query(call):
        check = _Check(sec, site)
        for kw in call.keywords:
            kind = check.structure(kw.value)
            if kw.arg is None and kind is not None:
                yield _report(sec, (kw.value, "a request dict is spread into the query's keywords (`**`: `password__ne=`)"), call, kw.value, "objects")
                return
            if kw.arg is not None and kind == JSON:
                yield _report(sec, (kw.value, "the request's parsed JSON is " + ("the whole raw filter" if kw.arg == "__raw__" else f"the value of `{kw.arg}`")), call, kw.value, "objects")
                return


def _mongoengine_query(call: ast.Call) -> bool:
    """``Model.objects(...)``, ``Model.objects.get/filter/exclude(...)``."""
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr == "objects":
        return True
    return isinstance(func, ast.Attribute) and func.attr in {"get", "filter", "exclude", "first", "count"} and isinstance(
        func.value, ast.Attribute) and func.value.attr == "objects"


def check_dict(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    if not sec.flow.web:
        return
    node: ast.Dict = site.node  # type: ignore[assignment]
    for key, value in zip(node.keys, node.values):
        if not isinstance(key, ast.Constant) or key.value not in ("$where", *CODE_MEMBERS):
            continue
        if key.value == "$where":
            code = [value]
        elif isinstance(value, ast.Dict):
            code = [v for k, v in zip(value.keys, value.values) if isinstance(k, ast.Constant) and k.value in CODE_MEMBERS[key.value]]
        else:
            continue
        scope = sec.flow.scope(site.func)
        for part in code:
            if isinstance(part, ast.Constant):
                continue
            found = scope.value(part, node, site.ancestors)
            if found.trust is Trust.UNTRUSTED:
                yield NOSQL_INJECTION.finding(
                    sec.doc, part, f"{describe(found)} is {'built into' if found.formatted else 'run as'} `{key.value}` JavaScript"
                    ": the database server runs the client's code (every row, `sleep()`, denial of service); "
                    "compare with query operators on values instead of building code")


MODULE = RuleModule(
    rules=(NOSQL_INJECTION,),
    handlers={ast.Call: check_call, ast.Dict: check_dict},
    triggers=Triggers(words=("find", "count_documents", "update_one", "update_many", "replace_one", "delete_one", "delete_many",
                             "aggregate", "distinct(", "objects(", "$where", "$function", "$accumulator")),
)
