"""SEC023 missing-authorization: whether a route writes data (a call named for a write, a row's
column set through the ORM, SQL that changes rows), read by :mod:`vetpy.rules.sec.authorization`."""

from __future__ import annotations

import ast
import re

from vetpy.astutil import call_chain, last_name, walk

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef

# calls that return one database row as an object whose attributes are its columns
_ROW_GETTERS = frozenset({"get", "get_or_404", "first", "first_or_404", "one", "one_or_none", "scalar_one", "scalar_one_or_none", "scalar",
                          "get_object_or_404", "get_or_none"})
_WRITE_CALLS = re.compile(
    r"^(save|commit|delete|add|add_all|update|insert|create|remove|bulk_create|bulk_update|destroy|merge|flush|"
    r"write|put|set|upsert|delete_many|update_one|insert_one|delete_one|execute|exec_command|check_call|Popen|system)$|"
    r"^(create|update|delete|remove|save|set|add)_|"
    # an administrative action by its verb (`ops.backup_reports(...)`, `deploy_ref(ref)`, `revoke_token(t)`)
    r"^(backup|restore|deploy|restart|reboot|shutdown|purge|wipe|reset|revoke|grant|promote|demote|approve|reject|cancel|"
    r"refund|charge|transfer|publish|import|migrate|rotate|enable|disable|activate|deactivate|ban|suspend|archive)(_|$)|"
    # work queued for a worker (Celery `task.delay(...)`, `apply_async`, `send_task`; RQ `queue.enqueue(job, ...)`,
    # `enqueue_call`, `enqueue_at`, `enqueue_in`, `enqueue_many`): done on the route's behalf
    r"^(delay|apply_async|send_task|enqueue|enqueue_call|enqueue_at|enqueue_in|enqueue_many)$",
)


def writes(func: FunctionNode, nodes: list[ast.AST] | None = None) -> bool:
    """Does the route write: a call named for a write (``save``, ``commit``, ``delete_``, ``approve``,
    ``.delay``, ``queue.enqueue``), or a row's column set?"""
    nodes = list(walk(func)) if nodes is None else nodes
    return any(isinstance(n, ast.Call) and _WRITE_CALLS.search(last_name(n.func) or "") for n in nodes) or _sets_row(nodes)


def _row_getter(call: ast.Call) -> bool:
    """A call that returns one database row (``_ROW_GETTERS``).  ``get`` is also a dict's, an HTTP
    client's and a class-based view's (``resp = super().get(request)``, pretix): it counts only on a
    model (``Order.get(id=i)``, ``Order.query.get(i)``, ``Order.objects.get(pk=i)``) or with a model
    as its first argument (``session.get(Order, i)``)."""
    name = last_name(call.func)
    if name not in _ROW_GETTERS:
        return False
    if name != "get":
        return True
    if call.args and (last_name(call.args[0]) or "")[:1].isupper():
        return True  # session.get(Order, i), s.get(db.Order, i)
    receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
    _, root = call_chain(receiver) if receiver is not None else ([], None)
    through = {n.attr for n in ast.walk(receiver) if isinstance(n, ast.Attribute)} if receiver is not None else set()
    return bool(through & {"objects", "query"}) or (isinstance(root, ast.Name) and root.id[:1].isupper())


def _sets_row(nodes: list[ast.AST]) -> bool:
    """``order = s.get(Order, order_id)`` then ``order.status = "paid"``: a row changed through
    the ORM, saved when the session commits (possibly in a context manager around the route)."""
    rows = {
        t.id
        for n in nodes
        if isinstance(n, ast.Assign) and isinstance(n.value, ast.Call) and _row_getter(n.value)
        for t in n.targets
        if isinstance(t, ast.Name)
    }
    return any(
        isinstance(n, ast.Assign)
        and any(isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and t.value.id in rows for t in n.targets)
        for n in nodes
    )


def changes_data(func: FunctionNode, nodes: list[ast.AST] | None = None) -> bool:
    """Strong signs that a GET handler changes stored data: a commit, a row deleted, a row's
    column set (weaker signs such as ``.add``/``.update``/``.set`` are also dict, set and cache calls)."""
    nodes = list(walk(func)) if nodes is None else nodes
    return _sets_row(nodes) or any(
        isinstance(n, ast.Call) and (
            last_name(n.func) in {"commit", "delete", "bulk_update", "bulk_create", "delete_many", "update_one", "insert_one", "delete_one"}
            and not (isinstance(n.func, ast.Attribute) and last_name(n.func.value) in {"cache", "redis", "r", "os", "path", "shutil", "dict", "set"})
            or _updates_query(n) or _runs_dml(n))
        for n in nodes
    )


_DML = re.compile(r"\s*(UPDATE|DELETE|INSERT|REPLACE)\b", re.IGNORECASE)


def _runs_dml(call: ast.Call) -> bool:
    """``conn.execute("UPDATE events SET status = 'cancelled' WHERE id = %s", (i,))``,
    ``session.execute(text("DELETE FROM ..."))``: SQL that changes rows, run by the handler."""
    if last_name(call.func) not in {"execute", "executemany", "exec_driver_sql"} or not call.args:
        return False
    sql = call.args[0]
    if isinstance(sql, ast.Call) and last_name(sql.func) == "text" and sql.args:
        sql = sql.args[0]
    return isinstance(sql, ast.Constant) and isinstance(sql.value, str) and bool(_DML.match(sql.value))


def _updates_query(call: ast.Call) -> bool:
    """``Shipment.filter(id=i).update(status="archived")``, ``Booking.objects.filter(...).update(...)``:
    an ORM query's ``update`` (a model class at the root of a ``filter``/``where``/``objects`` chain),
    not a dict's."""
    if not (isinstance(call.func, ast.Attribute) and call.func.attr == "update" and (call.keywords or call.args and isinstance(call.args[0], ast.Dict))):
        return False
    calls, root = call_chain(call.func.value)
    queried = any(last_name(c.func) in {"filter", "filter_by", "where", "exclude", "select_for_update"} for c in calls) or any(
        isinstance(n, ast.Attribute) and n.attr == "objects" for n in ast.walk(call.func.value))
    return queried and isinstance(root, ast.Name) and root.id[:1].isupper()
