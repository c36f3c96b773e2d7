"""SEC017's host checks by a bare suffix (issue #20): ``host.endswith("clinic.example")``.

A redirect's function that reads the target's host (``urlparse(target).hostname``, ``.netloc``)
counts as checking it (:func:`vetpy.rules.sec.web._has_guard`).  When its only check of that host
is ``.endswith(...)`` of a domain without its leading dot, ``evilclinic.example`` passes too: the
host is not checked.  A suffix with its dot (``".clinic.example"``), a host also compared
(``host == "clinic.example"``, ``host not in ALLOWED``), a call of an allow-list function
(``url_has_allowed_host_and_scheme``, ``is_safe_url``) and a suffix that is no domain (``"localhost"``)
leave the check standing."""

from __future__ import annotations

import ast

from vetpy.astutil import last_name, walk

_HOST_ATTRS = frozenset({"hostname", "netloc"})
_ALLOW_LISTS = frozenset({"url_has_allowed_host_and_scheme", "is_safe_url"})


def _reads_host(node: ast.AST, names: set[str]) -> bool:
    return any(isinstance(n, ast.Attribute) and n.attr in _HOST_ATTRS or isinstance(n, ast.Name) and n.id in names for n in ast.walk(node))


def _bare_domains(node: ast.expr) -> list[str]:
    values = node.elts if isinstance(node, ast.Tuple) else [node]
    found = [v.value for v in values if isinstance(v, ast.Constant) and isinstance(v.value, str)]
    if len(found) != len(values):
        return []
    return [v for v in found if "." in v.strip(".") and not v.startswith(".")]


def bare_suffix(func: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[str, ast.Call] | None:
    """The domain and call of ``host.endswith("clinic.example")`` when that is ``func``'s only check
    of the URL's host (reported there: the check is the defect), else None."""
    nodes = list(walk(func))
    if any(isinstance(n, ast.Call) and last_name(n.func) in _ALLOW_LISTS for n in nodes):
        return None
    hosts = {t.id for n in nodes if isinstance(n, ast.Assign) and _reads_host(n.value, set())
             for t in n.targets if isinstance(t, ast.Name)}
    suffix: tuple[str, ast.Call] | None = None
    for n in nodes:
        if isinstance(n, ast.Compare) and _reads_host(n, hosts) and not all(isinstance(op, (ast.Is, ast.IsNot)) for op in n.ops):
            return None  # the host is compared too (`host == "clinic.example"`, `host not in ALLOWED`)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "endswith" and len(n.args) == 1 \
                and _reads_host(n.func.value, hosts):
            domains = _bare_domains(n.args[0])
            if not domains:
                return None  # a suffix with its dot, or one not read: the check stands
            suffix = suffix or (domains[0], n)
    return suffix
