"""SEC036's evidence from rows the module records as the caller's (issue #20).

:mod:`vetpy.rules.sec.object_ownership` reports an unscoped fetch by a request id where the module's
other routes behind the same guards fetch the model scoped.  Where no such sibling fetches it (the
only other routes of the model create or list its rows), the module still says whose the rows are
when a sibling behind the same guards *records the signed-in principal* on one: it creates a row of
the model with the principal (or its id) as a column (``ContractorLicence.objects.create(applicant=
request.auth, ...)``, ``Comment(author_id=current_user.id, ...)``), or lists the model filtered so
(``Note.objects.filter(owner=request.user)``, ``.where(Note.owner_id == current_user.id)``).  A
route that then fetches one by the request's id alone and *changes* it (``.delete()``, ``.save()``,
``row.body = ...``) lets any caller change another's row.

Not evidence: a tenant of the principal (``department_id=request.auth.department_id``: the
department's rows are every member's to change), a name bound to the principal's row.  Not reported:
a route that only reads the row (authored content, a comment, is often public), a route behind
privileged guards (an administrator's, staff's), and a model that another route behind the same
guards changes by a request id unscoped too (the module's own convention).
"""

from __future__ import annotations

import ast
import re
from typing import Protocol

from vetpy.astutil import NodeMemo, call_chain, dotted_name, last_name, subtree_nodes, walk
from vetpy.rules.registry import REGISTRY
import vetpy.rules.sec.idor_routes as idor_routes
from vetpy.rules.sec.principal_reads import model_name

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef

# the signed-in principal itself (not a column of it other than its key): `request.user`, `request.auth`
# (django-ninja's authenticated object), `current_user`, `g.user`, `self.current_user` (tornado),
# `request.ctx.user` (sanic), `info.context.user` (graphene / strawberry)
_PRINCIPAL = re.compile(r"^((self\.)?(request|req)\.(user|auth|identity)|(self\.)?current_user|g\.(user|current_user)|"
                        r"(request|req)\.(ctx|context|state)\.(user|member|account|customer)|info\.context\.(user|request\.user))$")
_KEY_ATTRS = frozenset({"id", "pk"})
_PRINCIPAL_CALLS = frozenset({"current_user", "get_current_user"})
# what changes a row it is called on (Django, peewee, Tortoise, Pony, SQLAlchemy's session.delete(row))
_ROW_CHANGES = frozenset({"delete", "save", "update", "delete_instance", "remove", "set"})


def _principal(node: ast.expr) -> bool:
    """``node`` is the signed-in principal or its key (``request.user``, ``current_user.id``)."""
    if isinstance(node, ast.Attribute) and node.attr in _KEY_ATTRS:
        node = node.value
    if isinstance(node, ast.Call) and not node.args and not node.keywords:
        return last_name(node.func) in _PRINCIPAL_CALLS
    return isinstance(node, (ast.Name, ast.Attribute)) and bool(_PRINCIPAL.match(dotted_name(node) or ""))


def recorded_models(func: FunctionNode) -> frozenset[str]:
    """The models whose rows ``func`` creates or lists with the principal as a column:
    ``M.objects.create(owner=request.user)``, ``M(author_id=current_user.id)``,
    ``M.query.filter_by(owner_id=current_user.id)``, ``select(M).where(M.owner_id == current_user.id)``."""
    models: set[str] = set()
    for node in subtree_nodes(func):
        if isinstance(node, ast.Call) and any(k.arg is not None and _principal(k.value) for k in node.keywords):
            model = model_name(call_chain(node)[1])
            if model is not None:
                models.add(model)
        elif isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(node.ops[0], ast.Eq):
            for column, value in ((node.left, node.comparators[0]), (node.comparators[0], node.left)):
                if isinstance(column, ast.Attribute) and _principal(value) and (model := model_name(column.value)) is not None:
                    models.add(model)
    return frozenset(models)


def memo_recorded(func: FunctionNode, memo: NodeMemo) -> frozenset[str]:
    return memo.get(func, "sec.idor-recorded", lambda: recorded_models(func))


@REGISTRY.whole_file_fact
def _recorded_facts(stmt: ast.stmt, memo: NodeMemo) -> frozenset[str]:
    """What a route records as the principal's decides its siblings' findings: an edit that changes it is analysed whole."""
    return frozenset(f"idor-recorded:{','.join(r.guard_names)}:{','.join(sorted(memo_recorded(r.node, memo)))}"
                     for r in idor_routes.statement_routes(stmt, memo) if isinstance(r.node, (ast.FunctionDef, ast.AsyncFunctionDef)))


def changes_row(func: FunctionNode, fetch: ast.AST) -> bool:
    """Does ``func`` change the row ``fetch`` reads: a method that writes it called on the fetch or on
    the name bound to it (``licence.delete()``, ``row.save()``), ``session.delete(row)``, or a column of
    it set (``comment.body = ...``)?"""
    names: set[str] = set()
    for node in walk(func):
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.NamedExpr)) and node.value is not None \
                and any(sub is fetch for sub in walk(node.value)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(t.id for t in targets if isinstance(t, ast.Name))

    def _row(node: ast.AST) -> bool:
        return node is fetch or isinstance(node, ast.Name) and node.id in names

    for node in walk(func):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _ROW_CHANGES:
            if _row(node.func.value) or node.func.attr in {"delete", "remove"} and len(node.args) == 1 and _row(node.args[0]):
                return True
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, (ast.AugAssign, ast.AnnAssign)) else []
        if any(isinstance(t, ast.Attribute) and _row(t.value) for t in targets):
            return True
    return False


def verdict(fetch: "FetchLike", fetches: "list[FetchLike]", siblings: list[FunctionNode], memo: NodeMemo) -> str | None:
    """Why the unscoped ``fetch`` is reported, given the module's other routes behind the same guards
    (``siblings``), or None."""
    if fetch.key == "join" or not changes_row(fetch.route, fetch.call):
        return None
    if any(f.route is not fetch.route and f.model == fetch.model and f.audience == fetch.audience and not f.scoped and not f.excused
           and changes_row(f.route, f.call) for f in fetches):
        return None  # the module changes the model's rows by id alone behind these guards elsewhere too: its convention
    recording = [s.name for s in siblings if s is not fetch.route and fetch.model in memo_recorded(s, memo)]
    if not recording:
        return None
    return f"`{recording[0]}`, behind the same guards, records the signed-in user on the `{fetch.model}` rows it creates or lists, and this route changes the row"


class FetchLike(Protocol):
    call: ast.Call | ast.Subscript
    model: str
    key: str
    scoped: bool
    excused: bool
    audience: frozenset[str]
    route: FunctionNode
