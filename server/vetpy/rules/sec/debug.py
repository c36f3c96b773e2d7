"""SEC012 debug-mode-enabled and SEC013 debug-server-exposed: debug mode switched on in code,
and a debug server listening on all interfaces."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from vetpy.astutil import is_constant, keyword
from vetpy.dataflow import Trust
from vetpy.findings import Finding, Severity
from vetpy.rules.registry import rule
from vetpy.rules.sec.common import named_targets
from vetpy.rules.sec.names import name_words
from vetpy.rules.sec.walk import BOOLEAN_SETTING, RuleModule, SecurityPass, Site, Triggers

DEBUG_ENABLED = rule(
    code="SEC012",
    name="debug-mode-enabled",
    family="SEC",
    severity=Severity.WARNING,
    summary="Debug mode is switched on in code (app.run(debug=True) in Flask, Quart and Sanic, Starlette/FastAPI/Litestar(debug=True), Django DEBUG = True in settings).",
    rationale="""Debug mode shows tracebacks, settings and source to visitors, and Werkzeug's
    debugger runs arbitrary Python from the browser. Turn it on from the environment in
    development only. Also reported: a debug flag read from the environment with a default that
    turns it on (`DEBUG = os.environ.get("APP_DEBUG", "true").lower() == "true"`), where a
    deployment that forgets the variable runs in debug mode (at module level, or in a module's one
    configuration class that no production class overrides); `DEBUG = True` in a configuration class named for
    production (`class ProductionConfig(Config)`, loaded with `app.config.from_object`); a
    development or base class's `DEBUG = True` is not.""",
    bad="""
        from flask import Flask
        
        app = Flask(__name__)

        app.run(debug=True)
    """,
    good="""
        app.run(debug=os.environ.get("FLASK_DEBUG") == "1")
    """,
    cwe=(489,),
)

DEBUG_EXPOSED = rule(
    code="SEC013",
    name="debug-server-exposed",
    family="SEC",
    severity=Severity.ERROR,
    summary="A debug server listens on all interfaces (host='0.0.0.0' or '::' with debug=True).",
    rationale="""The Werkzeug debugger executes Python typed into the error page; bound to
    0.0.0.0 it is reachable from the network, which is remote code execution for anyone who
    can reach the port. Bind debug servers to 127.0.0.1.""",
    bad="""
        from flask import Flask
        
        app = Flask(__name__)

        app.run(host="0.0.0.0", debug=True)
    """,
    good="""
        app.run(host="127.0.0.1", debug=True)
    """,
    cwe=(489, 1327),
)

_DEBUG_SERVERS = frozenset({"flask", "werkzeug", "quart"})
_FLASK = frozenset({"flask", "quart"})
# applications whose `debug=True` answers an unhandled error with its traceback
_ASGI_APPS = frozenset({"starlette.applications.Starlette", "fastapi.FastAPI", "fastapi.applications.FastAPI",
                        "litestar.Litestar", "litestar.app.Litestar"})
# names only a Django settings module assigns
_SETTINGS_NAMES = frozenset({"INSTALLED_APPS", "ALLOWED_HOSTS", "ROOT_URLCONF", "MIDDLEWARE"})
_DEBUG_ON = "debug mode is on in code; read it from the environment so production never runs with it"


def check_call(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    """``app.run(debug=True)``, ``run_simple(..., use_debugger=True)``, ``Starlette(debug=True)``."""
    call: ast.Call = site.node  # type: ignore[assignment]
    name, attr = site.name, site.attr
    if name in _ASGI_APPS:
        debug = keyword(call, "debug")
        if debug is not None and is_constant(debug.value, True):
            yield DEBUG_ENABLED.finding(sec.doc, debug, "`debug=True` sends tracebacks to the client on errors; enable it from the environment in development only")
        elif debug is not None and (variable := env_default_on(sec, debug.value)) is not None and not _test_path(sec):
            yield DEBUG_ENABLED.finding(sec.doc, debug, _default_on_message(variable))
        return
    if attr in ("run", "prepare") and "sanic" in sec.modules and not sec.modules & _DEBUG_SERVERS:
        yield from _sanic_run(sec, site, call)
        return
    if not (attr == "run" or name == "werkzeug.serving.run_simple") or not sec.modules & _DEBUG_SERVERS:
        return
    if isinstance(call.func, ast.Attribute) and (
        sec.flow.scope(site.func).value(call.func.value, call, site.ancestors).trust is Trust.CONSTANT
        or (isinstance(call.func.value, ast.Name) and not _bound(sec, call.func.value.id, site.ancestors))
    ):
        return  # `app = 1; app.run(debug=True)`, or a name bound nowhere: not an application
    debug = keyword(call, "debug") or keyword(call, "use_debugger")
    if debug is not None and (variable := env_default_on(sec, debug.value)) is not None and not _test_path(sec):
        yield DEBUG_ENABLED.finding(sec.doc, debug, _default_on_message(variable))
        return
    if debug is None or not is_constant(debug.value, True):
        return
    host = keyword(call, "host") or keyword(call, "hostname")
    host_node = host.value if host else (call.args[0] if call.args else None)
    every_interface = next((h for h in ("0.0.0.0", "::") if host_node is not None and is_constant(host_node, h)), None)
    if every_interface is not None:  # IPv4's and IPv6's "all interfaces" ("::" often takes IPv4 too)
        yield DEBUG_EXPOSED.finding(
            sec.doc, call,
            "debug server with the interactive debugger listens on "
            + ("0.0.0.0" if every_interface == "0.0.0.0" else "'::' (every interface)")
            + ": anyone who can reach the port can run code",
        )
    else:
        yield DEBUG_ENABLED.finding(sec.doc, debug, "`debug=True` shows tracebacks and enables the interactive debugger; enable it from the environment in development only")


def _sanic_run(sec: SecurityPass, site: Site, call: ast.Call) -> Iterator[Finding]:
    """Sanic's ``app.run(debug=True)`` / ``app.prepare(dev=True)`` (``dev`` sets ``debug``, sanic
    25.12 ``mixins/startup.py``): its error pages then carry the exception and its traceback
    (``errorpages.py``).  Sanic has no interactive debugger, so the host does not matter."""
    if not (isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Name) and _bound(sec, call.func.value.id, site.ancestors)):
        return
    if sec.flow.scope(site.func).value(call.func.value, call, site.ancestors).trust is Trust.CONSTANT:
        return
    for kw in call.keywords:
        if kw.arg in ("debug", "dev") and is_constant(kw.value, True):
            yield DEBUG_ENABLED.finding(sec.doc, kw, f"`{kw.arg}=True` sends the exception and its traceback to the client on errors "
                                        "(Sanic's debug error pages); enable it from the environment in development only")


def check_assign(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    """``DEBUG = True`` in Django settings, ``app.debug = True``, ``app.config["DEBUG"] = True``."""
    node: ast.Assign | ast.AnnAssign = site.node  # type: ignore[assignment]
    if node.value is None:
        return
    variable = env_default_on(sec, node.value)
    if variable is not None:
        yield from _assigned_default_on(sec, site, node, variable)
        return
    if not is_constant(node.value, True):
        return
    for target, name in named_targets(node):
        module_level = site.func is None and not any(isinstance(a, ast.ClassDef) for a in site.ancestors)
        if module_level and (
            (name == "DEBUG" and isinstance(target, ast.Name) and _settings_module(sec))
            or (isinstance(target, ast.Attribute) and target.attr == "debug" and sec.modules & _FLASK)
        ):
            yield DEBUG_ENABLED.finding(sec.doc, node, _DEBUG_ON)
        if isinstance(target, ast.Subscript) and is_constant(target.slice, "DEBUG") and sec.modules & _FLASK:
            yield DEBUG_ENABLED.finding(sec.doc, node, _DEBUG_ON)
        if name == "DEBUG" and isinstance(target, ast.Name) and site.func is None and _production_class(site.ancestors):
            yield DEBUG_ENABLED.finding(sec.doc, node, "`DEBUG = True` in the production configuration shows tracebacks (and "
                                        "Flask's interactive debugger) to every client; keep it False there")


def _assigned_default_on(sec: SecurityPass, site: Site, node: ast.Assign | ast.AnnAssign, variable: str) -> Iterator[Finding]:
    """``DEBUG = os.environ.get("APP_DEBUG", "true") == "true"`` at module level (settings or a
    configuration module: the name says what it switches), ``app.config["DEBUG"] = ...`` and
    ``app.debug = ...`` of Flask: debug mode unless the deployment sets the variable."""
    if site.func is not None or _test_path(sec):
        return
    if any(isinstance(a, ast.ClassDef) for a in site.ancestors) and not _sole_configuration(sec, site.ancestors):
        return
    for target, name in named_targets(node):
        if (isinstance(target, ast.Name) and name == "DEBUG") or (sec.modules & _FLASK and (
                (isinstance(target, ast.Attribute) and target.attr == "debug")
                or (isinstance(target, ast.Subscript) and is_constant(target.slice, "DEBUG")))):
            yield DEBUG_ENABLED.finding(sec.doc, node, _default_on_message(variable))
            return


# words of a configuration class meant for a developer's machine or the tests
_DEVELOPMENT_WORDS = frozenset({"dev", "development", "develop", "local", "test", "testing", "tests", "debug", "ci"})


def _sole_configuration(sec: SecurityPass, ancestors: list[ast.AST]) -> bool:
    """The statement is in a module-level class not named for development or tests, and no other
    such class of the module sets ``DEBUG`` (a production class would override the default)."""
    cls = ancestors[-1] if ancestors and isinstance(ancestors[-1], ast.ClassDef) else None
    if cls is None or cls not in sec.tree.body or _DEVELOPMENT_WORDS & set(name_words(cls.name)):
        return False
    return not any(isinstance(other, ast.ClassDef) and other is not cls and not _DEVELOPMENT_WORDS & set(name_words(other.name))
                   and any(isinstance(t, ast.Name) and t.id == "DEBUG" for s in other.body if isinstance(s, (ast.Assign, ast.AnnAssign))
                           for t in (s.targets if isinstance(s, ast.Assign) else [s.target]))
                   for other in sec.tree.body)


def _default_on_message(variable: str) -> str:
    return (f"debug mode is on unless the environment sets `{variable}`: a deployment that forgets it runs with "
            "tracebacks shown to clients; make off the default")


_ENV_READS = frozenset({"os.environ.get", "os.getenv"})
# what a string is passed through before it is compared (`.lower()`, `.strip()`)
_STRING_TRANSFORMS = {"lower": str.lower, "upper": str.upper, "casefold": str.casefold, "strip": str.strip}


def env_default_on(sec: SecurityPass, value: ast.expr) -> str | None:
    """The environment variable of ``os.environ.get("APP_DEBUG", "true").lower() == "true"`` (or
    ``in ("1", "true")``, ``os.getenv(..., True)``): a flag whose default, when the variable is
    not set, is on.  None for anything else (a default that compares off, no default, ``!=``)."""
    if isinstance(value, ast.Call):
        read = _env_read(sec, value)
        return read[0] if read is not None and read[1] is True else None
    if not (isinstance(value, ast.Compare) and len(value.ops) == 1 and isinstance(value.ops[0], (ast.Eq, ast.In))):
        return None
    left, right = value.left, value.comparators[0]
    transforms = []
    while isinstance(left, ast.Call) and isinstance(left.func, ast.Attribute) and left.func.attr in _STRING_TRANSFORMS \
            and not left.args and not left.keywords:
        transforms.append(_STRING_TRANSFORMS[left.func.attr])
        left = left.func.value
    read = _env_read(sec, left) if isinstance(left, ast.Call) else None
    if read is None or not isinstance(read[1], str):
        return None
    default = read[1]
    for transform in reversed(transforms):
        default = transform(default)
    if isinstance(value.ops[0], ast.Eq):
        on = is_constant(right, default)
    else:
        on = isinstance(right, (ast.Tuple, ast.List, ast.Set)) and any(is_constant(e, default) for e in right.elts)
    return read[0] if on and default else None


def _env_read(sec: SecurityPass, call: ast.Call) -> tuple[str, object] | None:
    """(variable, constant default) of ``os.environ.get("X", default)`` / ``os.getenv("X", default)``."""
    if sec.qualified(call.func) not in _ENV_READS or not call.args or not isinstance(call.args[0], ast.Constant):
        return None
    default = call.args[1] if len(call.args) > 1 else (kw.value if (kw := keyword(call, "default")) else None)
    if not isinstance(default, ast.Constant):
        return None
    return str(call.args[0].value), default.value


# words of a configuration class meant for production (`ProductionConfig`, `ProdSettings`)
_PRODUCTION_WORDS = frozenset({"production", "prod", "live"})


def _production_class(ancestors: list[ast.AST]) -> bool:
    """Is the innermost class around the statement named for production configuration?"""
    cls = next((a for a in reversed(ancestors) if isinstance(a, ast.ClassDef)), None)
    return cls is not None and bool(_PRODUCTION_WORDS & set(name_words(cls.name)))


def _bound(sec: SecurityPass, name: str, ancestors: list[ast.AST]) -> bool:
    """Is ``name`` assigned, imported or a parameter somewhere around this use?"""
    if name in sec.flow.bindings(None):
        return True
    for anc in ancestors:
        if isinstance(anc, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            args = anc.args
            params = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
            if any(a is not None and a.arg == name for a in params):
                return True
            if not isinstance(anc, ast.Lambda) and name in sec.flow.bindings(anc):
                return True
    return False


# the settings of a test run (`testutils/settings.py`, `tests/settings.py`, `test_settings.py`)
_TEST_PART = re.compile(r"tests?|testing|testutils|test_\w+|\w+_tests?", re.IGNORECASE)


def _test_path(sec: SecurityPass) -> bool:
    """A test run's module (`tests/settings.py`, `test_settings.py`): debugging there is the point."""
    path = sec.doc.path.replace("\\", "/")
    return any(_TEST_PART.fullmatch(part.removesuffix(".py")) for part in path.split("/"))


def _settings_module(sec: SecurityPass) -> bool:
    path = sec.doc.path.replace("\\", "/")
    if _test_path(sec):
        return False  # a test run's settings: debugging there is the point
    in_settings = path.rsplit("/", 1)[-1].startswith("settings") or "/settings/" in path
    defines = any(
        isinstance(s, ast.Assign) and any(isinstance(t, ast.Name) and t.id in _SETTINGS_NAMES for t in s.targets)
        for s in sec.tree.body
    )
    return in_settings or defines


# for Triggers.followed_by: `DEBUG = os.environ.get(...)`, `config["DEBUG"] = getenv(...)`, `debug=os.getenv(...)` (lower case)
_FROM_ENVIRONMENT = re.compile(r"[\"']?\]?\s*(?::\s*bool\s*)?=\s*[^=\n][^\n]*(?:environ|getenv)")


MODULE = RuleModule(
    rules=(DEBUG_ENABLED, DEBUG_EXPOSED),
    handlers={ast.Call: check_call, ast.Assign: check_assign, ast.AnnAssign: check_assign},
    triggers=Triggers(words=("run_simple",), followed_by=((("debug", "use_debugger", "dev"), BOOLEAN_SETTING), (("debug",), _FROM_ENVIRONMENT))),
)
