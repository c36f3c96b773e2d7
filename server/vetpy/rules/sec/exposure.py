"""SEC011 exception-details-in-response: a traceback or str(exception) is sent to the client."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from vetpy.astutil import dotted_name
from vetpy.findings import Finding, Severity
from vetpy.libraries import EXCEPTION_RESPONSES
from vetpy.rules.registry import rule
from vetpy.rules.sec.walk import FunctionNode, RuleModule, SecurityPass, Site, Triggers
from vetpy.semantic.debug_branches import SEC_WORDS, only_while_debugging
from vetpy.semantic.routes import is_error_handler, is_error_handler_call

EXCEPTION_EXPOSURE = rule(
    code="SEC011",
    name="exception-details-in-response",
    family="SEC",
    severity=Severity.WARNING,
    summary="A traceback or str(exception) is sent to the client in an HTTP response.",
    rationale="""Exception messages and tracebacks reveal file paths, SQL, library versions and
    sometimes secrets to whoever triggers the error. Log the details server-side and return a
    generic message (with a correlation id if useful). Reported for an exception caught broadly
    (`except Exception`, an error handler for any error or a 5xx) and for a database, driver or
    OS error whatever the status (`except SQLAlchemyError as exc: raise HTTPException(500,
    f"database error: {exc}")`: its message holds the SQL, its parameters or the server's paths);
    a `ValueError`'s message sent with a 4xx describes the input the client sent and is not.""",
    bad="""
        from pathlib import Path

        from flask import Flask, jsonify

        app = Flask(__name__)

        @app.get("/report")
        def report():
            try:
                return Path("report.json").read_text()
            except Exception as e:
                return jsonify(error=str(e)), 500
    """,
    good="""
        from pathlib import Path

        from flask import Flask, jsonify

        app = Flask(__name__)

        @app.get("/report")
        def report():
            try:
                return Path("report.json").read_text()
            except Exception:
                app.logger.exception("report failed")
                return jsonify(error="internal error"), 500
    """,
    cwe=(209,),
)

_TRACEBACK_TEXT = frozenset({"traceback.format_exc", "traceback.format_exception", "traceback.format_tb", "traceback.format_stack"})


def check_call(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    """``abort(500, str(e))``, ``raise HTTPException(detail=traceback.format_exc())`` in a handler."""
    call: ast.Call = site.node  # type: ignore[assignment]
    if site.func is None:
        return
    name, attr = site.name, site.attr
    if (name in EXCEPTION_RESPONSES or attr == "HTTPException") and sec.flow.handler(site.func):
        yield from _exposure_in(sec, call, site.func, site.ancestors)
    elif name in _TRACEBACK_TEXT and _tornado_error_page(sec, site.func, site.ancestors) and not only_while_debugging(call, site.ancestors, SEC_WORDS):
        yield EXCEPTION_EXPOSURE.finding(sec.doc, call, "Tornado's `write_error` sends the traceback to the client; log it server-side "
                                         "(Tornado serves one only under `serve_traceback`/`debug`)")


def _tornado_error_page(sec: SecurityPass, func: FunctionNode, ancestors: list[ast.AST]) -> bool:
    """``write_error`` of a class in a module that imports tornado (tornado 6.6 ``web.py``: the
    handler's error page, handed ``exc_info`` for an uncaught exception), outside a branch on
    ``serve_traceback`` (what Tornado's own ``write_error`` tests)."""
    return "tornado" in sec.modules and func.name == "write_error" and bool(func.args.args) and func.args.args[0].arg == "self" \
        and not any(isinstance(a, ast.If) and "serve_traceback" in ast.unparse(a.test) for a in ancestors)


def check_return(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    """``return jsonify(error=str(e)), 500`` in a handler."""
    ret: ast.Return = site.node  # type: ignore[assignment]
    if ret.value is not None and site.func is not None and sec.flow.handler(site.func):
        yield from _exposure_in(sec, ret, site.func, site.ancestors)


def _exposure_in(sec: SecurityPass, node: ast.AST, func: FunctionNode, ancestors: list[ast.AST]) -> Iterator[Finding]:
    if only_while_debugging(node, ancestors, SEC_WORDS):
        return
    names = _exception_names(sec, func, ancestors)
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call):
            callee = sec.qualified(sub.func)
            if callee in _TRACEBACK_TEXT:
                yield EXCEPTION_EXPOSURE.finding(sec.doc, sub, "the traceback is sent to the client; log it server-side and return a generic message")
                return
            if callee in {"str", "repr"} and len(sub.args) == 1 and isinstance(sub.args[0], ast.Name) and sub.args[0].id in names:
                yield EXCEPTION_EXPOSURE.finding(sec.doc, sub, f"the exception message `{sub.args[0].id}` is sent to the client; log it and return a generic message")
                return
        elif isinstance(sub, ast.FormattedValue) and isinstance(sub.value, ast.Name) and sub.value.id in names:
            yield EXCEPTION_EXPOSURE.finding(sec.doc, sub.value, f"the exception message `{sub.value.id}` is sent to the client; log it and return a generic message")
            return


def _exception_names(sec: SecurityPass, func: FunctionNode, ancestors: list[ast.AST]) -> set[str]:
    """Names bound to broad exceptions at this point: ``except Exception as e``, error-handler
    parameters, and ``except SQLAlchemyError as e`` (an error whose message is server detail)."""
    names = set()
    for anc in ancestors:
        if isinstance(anc, ast.ExceptHandler) and anc.name and (_broad(anc) or _server_detail(sec, anc)):
            names.add(anc.name)
    if is_error_handler(func) and _handles_unexpected(func):
        params = [a.arg for a in func.args.posonlyargs + func.args.args]
        names.update(p for p in params if p not in {"request", "req", "self"})
    return names


def _handles_unexpected(func: FunctionNode) -> bool:
    """An error handler registered for any exception (``Exception``, ``BaseException``) or for a 5xx
    status: what it is handed can be any unexpected error. A handler of the application's own or
    an HTTP exception class (``@app.errorhandler(WrongParameter)``, ``errorhandler(404)``) gets
    errors whose messages are written for the client."""
    for dec in func.decorator_list:
        if not isinstance(dec, ast.Call) or not is_error_handler_call(dec):
            continue
        if not dec.args:
            return True
        arg = dec.args[0]
        if isinstance(arg, ast.Constant) and isinstance(arg.value, int):
            if arg.value >= 500:
                return True
        elif (dotted_name(arg) or "").split(".")[-1] in {"Exception", "BaseException"}:
            return True
    return False


# Exceptions whose message is server detail whatever the status sent with it: a database or
# driver error carries the SQL, its parameters and the schema's names; an OS error the server's
# file paths; a failed command its command line. A ValueError or the application's own error
# classes may be written for the client (a 400 with the message of the input it caused).
_SERVER_DETAIL_MODULES = ("sqlalchemy.", "psycopg2.", "psycopg.", "sqlite3.", "pymysql.", "MySQLdb.", "asyncpg.", "aiosqlite.",
                          "django.db.", "pymongo.", "redis.", "peewee.", "tortoise.exceptions.")
_SERVER_DETAIL_BUILTINS = frozenset({"OSError", "IOError", "EnvironmentError", "FileNotFoundError", "PermissionError",
                                     "IsADirectoryError", "NotADirectoryError"})


def _server_detail(sec: SecurityPass, handler: ast.ExceptHandler) -> bool:
    """``except SQLAlchemyError``, ``except (IntegrityError, OSError)``: every type caught is a database, driver or OS error."""
    if handler.type is None:
        return False
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return all(_server_detail_type(sec.qualified(t) or "") for t in types)


def _server_detail_type(name: str) -> bool:
    return name in _SERVER_DETAIL_BUILTINS or name == "subprocess.CalledProcessError" or (
        name.startswith(_SERVER_DETAIL_MODULES) and name.rsplit(".", 1)[-1].endswith(("Error", "Exception")))


def _broad(handler: ast.ExceptHandler) -> bool:
    if handler.type is None:
        return True
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any((dotted_name(t) or "").split(".")[-1] in {"Exception", "BaseException"} for t in types)


MODULE = RuleModule(
    rules=(EXCEPTION_EXPOSURE,),
    handlers={ast.Call: check_call, ast.Return: check_return},
    triggers=Triggers(),  # only in web modules, which are walked in full
    builtins=frozenset({"str", "repr", *_SERVER_DETAIL_BUILTINS}),
)
