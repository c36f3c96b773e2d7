"""SEC044 settings-in-response: a request handler sends the application's whole configuration
(every setting, secrets included) to the client."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from vetpy.astutil import dotted_name
from vetpy.findings import Finding, Severity
from vetpy.rules.registry import rule
from vetpy.rules.sec.walk import RuleModule, SecurityPass, Site, Triggers

SETTINGS_IN_RESPONSE = rule(
    code="SEC044",
    name="settings-in-response",
    family="SEC",
    severity=Severity.WARNING,
    summary="A request handler sends the application's whole configuration (secrets included) to the client.",
    rationale="""An application's settings hold its secret key, database URL with password, API
    and webhook secrets: a page that dumps them all (`{k: str(v) for k, v in
    current_app.config.items()}`) hands every one of them to whoever can open it, and to every log
    or cache the response passes through; an admin-only page is one stolen session or CSRF-able
    link away. Return the few settings the page needs by name. Reported: a dict comprehension over
    every item of the app's configuration (Flask's `app.config`/`current_app.config`, Django's
    `settings` via `vars()`/`__dict__`, a settings object via `vars(settings)`,
    `dataclasses.asdict(get_settings())`, `settings.model_dump()`/`.dict()`, `os.environ`)
    returned by a request handler or set as its response body (`resp.media = ...`). Not reported:
    a comprehension with a filter (`if k in PUBLIC`), values passed through a function that masks
    or redacts them, settings named one by one, code outside request handlers.""",
    bad="""
        from flask import Flask, current_app, jsonify

        app = Flask(__name__)

        @app.get("/debug/config")
        def debug_config():
            return jsonify({k: str(v) for k, v in current_app.config.items()})
    """,
    good="""
        from flask import Flask, current_app, jsonify

        app = Flask(__name__)

        @app.get("/debug/config")
        def debug_config():
            return jsonify({"debug": current_app.debug, "timezone": current_app.config["TIMEZONE"]})
    """,
    cwe=(200, 215),
)

# a name that says it holds the application's settings
_SETTINGS_NAMES = frozenset({"settings", "config", "conf", "app_settings", "app_config", "get_settings", "get_config"})
_DUMPS = frozenset({"vars", "dataclasses.asdict", "asdict"})
_MODEL_DUMPS = frozenset({"dict", "model_dump", "_asdict"})
_MASK_WORDS = ("mask", "redact", "censor", "obfuscat", "hide", "scrub", "sanitiz", "sanitis")
_BODY_ATTRS = frozenset({"media", "body", "text", "data"})


def check_dictcomp(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    comp: ast.DictComp = site.node  # type: ignore[assignment]
    if site.func is None or len(comp.generators) != 1 or comp.generators[0].ifs:
        return
    it = comp.generators[0].iter
    if not (isinstance(it, ast.Call) and isinstance(it.func, ast.Attribute) and it.func.attr == "items" and not it.args):
        return
    source = _settings_source(sec, it.func.value)
    if source is None or _masked(comp.value) or not _in_response(site) or not sec.flow.handler(site.func):
        return
    yield SETTINGS_IN_RESPONSE.finding(
        sec.doc, comp,
        f"every setting of {source} is sent to the client, its secret key, database password and API secrets with them; "
        "return the settings the page needs by name",
    )


def _settings_name(node: ast.expr) -> bool:
    if isinstance(node, ast.Call) and not node.args:
        node = node.func
    name = (dotted_name(node) or "").rsplit(".", 1)[-1].lower()
    return name in _SETTINGS_NAMES


def _settings_source(sec: SecurityPass, node: ast.expr) -> str | None:
    """What ``node`` (the receiver of ``.items()``) dumps, or None when it is not the app's settings."""
    qualified = sec.qualified(node) or ""
    if qualified == "os.environ":
        return "the environment"
    if isinstance(node, ast.Attribute) and node.attr == "config" and (dotted_name(node.value) or "").rsplit(".", 1)[-1] in {"app", "current_app"}:
        return f"`{dotted_name(node)}`"
    if isinstance(node, ast.Call) and len(node.args) == 1 and sec.qualified(node.func) in _DUMPS and _settings_name(node.args[0]):
        return f"`{_shown(node.args[0])}`"
    if isinstance(node, ast.Attribute) and node.attr == "__dict__" and _settings_name(node.value):
        return f"`{_shown(node.value)}`"
    if (isinstance(node, ast.Call) and not node.args and isinstance(node.func, ast.Attribute) and node.func.attr in _MODEL_DUMPS
            and _settings_name(node.func.value)):
        return f"`{_shown(node.func.value)}`"
    return None


def _shown(node: ast.expr) -> str:
    if isinstance(node, ast.Call):
        return f"{dotted_name(node.func) or 'settings'}()"
    return dotted_name(node) or "settings"


def _masked(value: ast.expr) -> bool:
    for sub in ast.walk(value):
        if isinstance(sub, ast.Call):
            name = (dotted_name(sub.func) or "").rsplit(".", 1)[-1].lower()
            if any(w in name for w in _MASK_WORDS):
                return True
    return False


def _in_response(site: Site) -> bool:
    """The comprehension is returned (inside a response call or not) or set as a response body."""
    for anc in reversed(site.ancestors):
        if isinstance(anc, ast.Return):
            return True
        if isinstance(anc, ast.Assign):
            return any(isinstance(t, ast.Attribute) and t.attr in _BODY_ATTRS for t in anc.targets)
        if isinstance(anc, (ast.stmt, ast.Lambda, ast.comprehension)):
            return False
    return False


MODULE = RuleModule(
    rules=(SETTINGS_IN_RESPONSE,),
    handlers={ast.DictComp: check_dictcomp},
    triggers=Triggers(words=("config", "settings", "environ")),
    builtins=frozenset({"vars"}),
)
