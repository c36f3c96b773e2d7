"""EDGE015 assert-for-validation."""

from __future__ import annotations

import ast
import re
from typing import Iterator

from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.findings import Finding, Fix, FixSafety, Severity
from vetpy.rules.edge.facts import Module, is_test_file, name_words
from vetpy.semantic.routes import is_route
from vetpy.rules.edge.fixes import indentation_of
from vetpy.rules.registry import REGISTRY, rule
from vetpy.scopes import parameter_names


ASSERT_CHECK = rule(
    code="EDGE015",
    name="assert-for-validation",
    family="EDGE",
    severity=Severity.WARNING,
    question="What happens when this runs with `python -O`?",
    summary="`assert` used for authorisation or request validation; it disappears under `python -O`.",
    rationale="""Assertions are removed when Python runs with optimisations (`-O`,
    `PYTHONOPTIMIZE`), so a permission check or input validation written as `assert` silently
    stops existing. Raise an explicit exception instead. A value named only for a role counts when
    a person holds it (a user or request in the function, or a role such as `"editor"` in the
    assertion: SQLAlchemy's `assert role in ("appender", "remover")` is not one). Test files are not checked, nor
    assertions that only narrow a type for a type checker (`assert isinstance(x, T)`,
    `assert x is not None`) unless they narrow the current user or a token
    (`assert current_user is not None`), nor lines the author marked as reviewed for bandit
    (`# nosec`, `# nosec B101`).""",
    bad="""
        assert user.is_admin, "forbidden"
    """,
    good="""
        if not user.is_admin:
            raise PermissionError("forbidden")
    """,
    fix_safety=FixSafety.UNSAFE,
    cwe=(617,),
)


AUTH_WORDS = frozenset(
    {
        "admin",
        "authenticated",
        "authorized",
        "authorised",
        "staff",
        "superuser",
        "perm",
        "perms",
        "permission",
        "permissions",
        "role",
        "roles",
        "logged",
        "auth",
        "csrf",
        "privilege",
        "privileges",
    }
)


_NARROWING_CALLS = frozenset({"isinstance", "issubclass", "callable"})
_SHAPE_METHODS = frozenset({"keys", "items", "values"})


# "role" alone is everyone's word (SQLAlchemy's collection roles, an ARIA role): it is authority
# when a person holds it, a principal in sight or a role a person has named in the assertion
_ROLE_WORDS = frozenset({"role", "roles"})
_PERSON_WORDS = frozenset({"user", "users", "request", "principal", "account", "member", "members", "identity",
                           "owner", "actor", "caller", "claims", "group", "groups", "editor", "editors", "viewer",
                           "manager", "moderator", "guest", "customer", "tenant", "employee"})


def _authority_words(test: ast.expr, func: ast.AST | None = None) -> bool:
    """Does ``test`` read a name of authority (``user.is_admin``, ``has_perm``, ``current_user``)
    other than for the shape of a value: ``auth.keys()``, ``len(auth)``, ``isinstance(auth,
    dict)`` check how stored credentials look, not who may act (httpie 3.2's ``assert {'type',
    'raw_auth'} == auth.keys()``).  A name whose only such word is ``role``/``roles`` counts when
    a person is in sight: a principal named in the function ``func`` around the assertion
    (``request``, ``user``) or a role a person holds among its string constants (``"editor"``)."""
    shaped: set[int] = set()
    for sub in ast.walk(test):
        if isinstance(sub, ast.Call) and (
                isinstance(sub.func, ast.Name) and sub.func.id in ("len", "isinstance")
                or isinstance(sub.func, ast.Attribute) and sub.func.attr in _SHAPE_METHODS and not sub.args):
            shaped.update(id(n) for n in ast.walk(sub))
    role_only = False
    for sub in ast.walk(test):
        for name in _identifiers_of(sub):
            if id(sub) in shaped:
                continue
            words = set(name_words(name)) & AUTH_WORDS
            if name == "current_user" or words - _ROLE_WORDS:
                return True
            role_only = role_only or bool(words)
    return role_only and _person_in_sight(test, func)


def _person_in_sight(test: ast.expr, func: ast.AST | None) -> bool:
    constants = (sub.value for sub in ast.walk(test) if isinstance(sub, ast.Constant) and isinstance(sub.value, str))
    if any(set(name_words(text)) & (AUTH_WORDS | _PERSON_WORDS) - _ROLE_WORDS for text in constants):
        return True
    names = (name for sub in ast.walk(func if func is not None else test)
             for name in (*_identifiers_of(sub), *((sub.arg,) if isinstance(sub, ast.arg) else ())))
    return any(set(name_words(name)) & _PERSON_WORDS for name in names)


def _identifiers_of(node: ast.AST) -> tuple[str, ...]:
    return (node.id,) if isinstance(node, ast.Name) else (node.attr,) if isinstance(node, ast.Attribute) else ()


def _narrows_only(test: ast.expr) -> bool:
    """``isinstance(x, T)``, ``x is not None``, ``callable(f)`` and such joined by ``and``: the
    assertion tells a type checker what a value is, it validates nothing (issue #16: 5 of 5 such
    findings on real applications were noise)."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        return all(_narrows_only(v) for v in test.values)
    if isinstance(test, ast.Call) and isinstance(test.func, ast.Name):
        return test.func.id in _NARROWING_CALLS and not test.keywords
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], (ast.Is, ast.IsNot)):
        right = test.comparators[0]
        return isinstance(right, ast.Constant) and right.value is None
    return False


# Whose mere presence is a security fact: the signed-in user, a CSRF token.  That a role or a
# permission *object* is not None, or is of a type, decides nothing about who may act.
_PRESENCE_MATTERS = frozenset({"user", "logged", "authenticated", "authorized", "authorised", "admin", "staff",
                               "superuser", "csrf"})


def _presence_matters(test: ast.expr) -> bool:
    """Does a narrowing assertion narrow the current user or a token (``assert current_user is
    not None``), rather than some value whose name only mentions a role or a permission?"""
    if isinstance(test, ast.BoolOp):
        return any(_presence_matters(v) for v in test.values)
    subject = test.args[0] if isinstance(test, ast.Call) and test.args else test.left if isinstance(test, ast.Compare) else None
    return subject is not None and any(set(name_words(name)) & _PRESENCE_MATTERS
                                       for sub in ast.walk(subject) for name in _identifiers_of(sub))


_NOSEC = re.compile(r"#\s*nosec\b([^#]*)")


def _reviewed(comment: str) -> bool:
    """A line the author marked as reviewed for bandit's ``assert_used`` (as SEC honours it):
    ``# nosec``, ``# nosec B101``; ``# nosec B608`` is about another test (django-allauth's
    ``assert user.is_authenticated  # nosec`` in views behind ``@login_required``)."""
    match = _NOSEC.search(comment)
    if match is None:
        return False
    tests = re.findall(r"\b(B\d{3}|[a-z]+(?:_[a-z]+)+)\b", match.group(1))
    return not tests or "B101" in tests or "assert_used" in tests


@REGISTRY.checker("EDGE015")
def check_assert_validation(doc: Document, ctx: AnalysisContext) -> Iterator[Finding]:
    assert doc.tree is not None
    if is_test_file(doc.path):
        return
    mod = Module.of(doc)
    for node in mod.of_type(ast.Assert):
        assert isinstance(node, ast.Assert)
        func = mod.enclosing_functions.get(id(node))
        auth = _authority_words(node.test, func)
        local = parameter_names(func)  # a parameter named `request` is not flask's
        flask_request = any(
            sub.id not in local and mod.qname(sub) == "flask.request"
            for sub in ast.walk(node.test)
            if isinstance(sub, ast.Name)
        )
        if not (auth or flask_request or mod.has_routes):
            continue
        if func is not None and func.name.startswith("test"):
            continue
        validation = flask_request or is_route(func)
        if not (auth or validation):
            continue
        if _narrows_only(node.test) and not (auth and _presence_matters(node.test)):
            continue  # type narrowing, not validation (sphinx's `assert pyobj_role is not None`)
        if _reviewed(doc.comments.get(node.lineno, "")):
            continue
        error = "PermissionError" if auth else "ValueError"
        what = "an authorisation check" if auth else "request validation"
        fix = _assert_fix(doc, node, error)
        yield ASSERT_CHECK.finding(
            doc,
            (
                doc.node_range(node)[0],
                doc.node_range(node)[1],
                doc.node_range(node)[0],
                doc.node_range(node)[1] + 6,
            ),
            f"`assert` used as {what} is removed under `python -O`; raise {error} instead",
            fixes=[fix] if fix else [],
        )


def _assert_fix(doc: Document, node: ast.Assert, error: str) -> Fix | None:
    indent = indentation_of(doc, node)
    _, _, end_line, end_col = doc.node_range(node)
    rest = doc.line_text(end_line)[end_col - 1 :].strip()
    if indent is None or (rest and not rest.startswith("#")):
        return None
    message = (
        doc.segment(node.msg) if node.msg is not None else repr(f"check failed: {ast.unparse(node.test)}")
    )
    unit = "\t" if indent.startswith("\t") else "    "
    text = f"if not ({doc.segment(node.test)}):\n{indent}{unit}raise {error}({message})"
    return Fix(f"Raise {error} explicitly", (doc.replace_node(node, text),), preferred=True)
