"""SEC001 sql-injection: SQL text built with a value traced to untrusted input (a request, a
handler parameter, ``input()``, ``sys.argv``) reaches a query call, or is built to be run
elsewhere.  SEC024 sql-formatting (opt-in): the same with a value of unknown origin."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from vetpy.astutil import dotted_name, keyword, last_name
from vetpy.dataflow import Hole, Scope, Trust, string_parts
from vetpy.document import Document
from vetpy.findings import Finding, Fix, FixSafety, Severity, TextEdit
from vetpy.libraries import DRIVER_STYLES, MESSAGE_FUNCTIONS, MESSAGE_METHODS, SQL_FUNCTIONS, SQL_METHODS, SQL_TEXT_FUNCTIONS
from vetpy.rules.registry import Rule, rule
from vetpy.rules.sec.common import callee_text, end_of, short
from vetpy.rules.sec.names import name_words
from vetpy.rules.sec.walk import FunctionNode, RuleModule, SecurityPass, Site, Triggers

SQL_INJECTION = rule(
    code="SEC001",
    name="sql-injection",
    family="SEC",
    severity=Severity.ERROR,
    summary="SQL text built by string formatting (f-string, +, %, .format, join) with a value from request input reaches a query call or is built to be run elsewhere.",
    rationale="""Values spliced into SQL text let whoever controls them change the query: read
    other rows, bypass a login, drop a table. Drivers send parameters separately from the
    query text, so pass values as parameters (sqlite3 `?`, psycopg/MySQLdb `%s`, SQLAlchemy
    `:name`). Identifiers (table names, ORDER BY columns) cannot be parameters: map the input
    through a constant allow-list or quote them with the driver's identifier quoting. Reported
    only when a spliced value, or the whole query text, is traced to untrusted input: request
    data (Flask, Django, FastAPI), a route handler's parameters, a Celery task's arguments,
    `input()`, `sys.argv`, also
    through a helper function of the same module or of another module of the project (request
    data a handler passes to it is reported at the helper's query, naming the caller; what a
    helper of the same module returns counts). Django's `QuerySet.extra()` fragments
    (`where=`, `select=`, `tables=`) are SQL text too, and an `extra(order_by=[...])` term from
    request input reaches the SQL verbatim. SQL
    formatted with values of unknown origin (a function's parameter, a configured table name)
    is SEC024 `sql-formatting`, opt-in: on eight real applications none of those was an
    injection. Queries assembled only from constants, and prose or log messages that start
    like SQL, are not reported.""",
    bad="""
        from flask import request


        def search(cur):
            name = request.args["name"]
            cur.execute(f"SELECT * FROM users WHERE name = '{name}'")
            cur.execute(f"SELECT * FROM items ORDER BY {request.args['sort']}")
    """,
    good="""
        from flask import request

        SORTS = {"name": "name", "date": "created_at"}


        def search(cur):
            cur.execute("SELECT * FROM users WHERE name = ?", (request.args["name"],))
            cur.execute(f"SELECT * FROM items ORDER BY {SORTS.get(request.args['sort'], 'name')}")
    """,
    fix_safety=FixSafety.UNSAFE,
    cwe=(89,),
)

SQL_FORMATTING = rule(
    code="SEC024",
    name="sql-formatting",
    family="SEC",
    severity=Severity.WARNING,
    summary="SQL text built by string formatting (f-string, +, %, .format, join) with a value of unknown origin reaches a query call or is built to be run elsewhere.",
    rationale="""SQL text formatted with a value whose origin vetpy cannot see (a function's
    parameter, the result of a call, an attribute): an injection if a caller passes user
    input, harmless for a configured table name or an integer. Parameters are the safe habit
    either way: pass values as query parameters (sqlite3 `?`, psycopg/MySQLdb `%s`, SQLAlchemy
    `:name`), and pick identifiers from a constant allow-list or quote them with the driver's
    identifier quoting. The values traced to untrusted input are SEC001 `sql-injection` (on by
    default). Opt-in: the rule runs only when selected by its code, `SEC` or `ALL`
    (`--extend-select SEC024`): on eight real applications none of its findings was an
    injection (table and keyspace names from the administrator's configuration, integers joined
    into a query, model identifiers), because whether a spliced value can come from a user is
    rarely visible in the file.""",
    bad="""
        cur.execute(f"SELECT * FROM users WHERE name = '{name}'")
        query = f"SELECT * FROM {table} WHERE id = ?"  # run by the caller
    """,
    good="""
        cur.execute("SELECT * FROM users WHERE name = ?", (name,))
        TABLES = {"users": "users", "teams": "teams"}
        query = f"SELECT * FROM {TABLES.get(table, 'users')} WHERE id = ?"
    """,
    fix_safety=FixSafety.UNSAFE,
    cwe=(89,),
)


def _by_certainty(untrusted: bool) -> Rule:
    """SEC001 for SQL with a value traced to untrusted input, SEC024 for a value of unknown origin."""
    return SQL_INJECTION if untrusted else SQL_FORMATTING


TRIGGERS = Triggers(
    words=("execute", ".raw(", ".extra(", "read_sql", "mogrify", "select ", "select\n", "insert into", "delete from", "update ", " values (", " values("),
    imported={"sqlalchemy": ("text(",)},
)



# -- handlers -----------------------------------------------------------------------------------


def check_call(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    call: ast.Call = site.node  # type: ignore[assignment]
    name, attr = site.name, site.attr
    if attr in SQL_METHODS or name in SQL_FUNCTIONS:
        yield from _executed(sec, call, name, site.func, site.ancestors)
    elif attr == "extra" and call.keywords and _django_queryset(call.func.value):  # type: ignore[attr-defined]
        yield from _extra(sec, call, site.func, site.ancestors)
    elif call.args or call.keywords:
        yield from _in_argument(sec, call, name, attr, site.func, site.ancestors)


def check_assign(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    node: ast.Assign | ast.AnnAssign = site.node  # type: ignore[assignment]
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    if node.value is not None and len(targets) == 1 and isinstance(targets[0], ast.Name):
        yield from _assembled(sec, targets[0].id, node.value, site.func, node, site.ancestors)


def check_return(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    ret: ast.Return = site.node  # type: ignore[assignment]
    if ret.value is not None and site.func is not None:
        yield from _assembled(sec, None, ret.value, site.func, ret, site.ancestors)


MODULE = RuleModule(
    rules=(SQL_INJECTION, SQL_FORMATTING),
    handlers={ast.Call: check_call, ast.Assign: check_assign, ast.AnnAssign: check_assign, ast.Return: check_return},
    triggers=TRIGGERS,
)


# -- checks -------------------------------------------------------------------------------------


def _executed(sec: SecurityPass, call: ast.Call, name: str | None, func: FunctionNode | None, ancestors: list[ast.AST]) -> Iterator[Finding]:
    doc = sec.doc
    query = call.args[0] if call.args else (keyword(call, "sql") or keyword(call, "query") or keyword(call, "statement"))
    if isinstance(query, ast.keyword):
        query = query.value
    if query is None or isinstance(query, ast.Starred):
        return
    if isinstance(query, ast.Call) and sec.qualified(query.func) in SQL_TEXT_FUNCTIONS:
        return  # execute(text(...)): the text() call is checked itself
    if isinstance(query, ast.Attribute) and sec.qualified(query) == "sys.argv":
        return  # `command.execute(sys.argv)`: the argument list, never SQL text
    scope = sec.flow.scope(func)
    value = scope.value(query, call, ancestors)
    risk = value.risk("sql")
    if risk is Trust.CONSTANT:
        return
    parts, origin = _query_parts(query, scope, call, ancestors)
    untrusted_whole = risk is Trust.UNTRUSTED and not value.formatted
    if not value.formatted and not untrusted_whole:
        return
    if parts is not None and not _looks_like_sql(parts) and not _clause_text(sec, call, name, ancestors):
        return
    if parts is None and not untrusted_whole and not _bindings_look_like_sql(query, scope):
        return
    callee = callee_text(doc, call)
    bad_holes = [
        h for h in (parts or [])
        if isinstance(h, Hole) and scope.value(h.expr, call, ancestors).risk("sql") is not Trust.CONSTANT
        and not _model_identifier(h.expr)
    ]
    if parts is not None and not bad_holes and risk is not Trust.UNTRUSTED:
        return  # only the models' own table names
    where = f"`{short(doc.segment(bad_holes[0].expr))}`" if bad_holes else "a non-constant value"
    source = f" (from {value.source})" if value.source and risk is Trust.UNTRUSTED else ""
    identifier = any(not _value_position(parts or [], h) for h in bad_holes)
    advice = (
        "identifiers cannot be parameters: pick them from a constant allow-list"
        if identifier
        else "pass values as query parameters"
    )
    if untrusted_whole:
        message = f"SQL text from request input{source} is executed by `{callee}`; never run client-supplied SQL"
    else:
        message = f"SQL built by string formatting with {where}{source} reaches `{callee}`; {advice}"
    fixes = [] if identifier or untrusted_whole else _fix(sec, call, query, origin, parts or [], name, scope, ancestors)
    yield _by_certainty(risk is Trust.UNTRUSTED).finding(doc, query, message, fixes=fixes)


# `QuerySet.extra()` arguments of raw SQL text: lists of fragments, and `select`'s mapping of them
_EXTRA_FRAGMENTS = frozenset({"where", "tables"})


def _django_queryset(node: ast.expr) -> bool:
    """Is ``node`` a Django manager or queryset chain (``Model.objects...``)?"""
    while isinstance(node, (ast.Call, ast.Attribute)):
        if isinstance(node, ast.Attribute) and node.attr == "objects":
            return True
        node = node.func if isinstance(node, ast.Call) else node.value
    return False


def _extra(sec: SecurityPass, call: ast.Call, func: FunctionNode | None, ancestors: list[ast.AST]) -> Iterator[Finding]:
    """Django's ``QuerySet.extra(where=[...], select={...}, tables=[...], order_by=[...])``: each
    fragment is SQL text spliced into the query.  A fragment formatted with a non-constant value
    is SEC001 (traced to request input) or SEC024; an ``order_by`` term that is request input,
    whole or formatted, is SEC001 (a ``table.column`` term reaches the SQL verbatim)."""
    scope = sec.flow.scope(func)
    for kw in call.keywords:
        if kw.arg in _EXTRA_FRAGMENTS and isinstance(kw.value, (ast.List, ast.Tuple)):
            elements = kw.value.elts
        elif kw.arg == "select" and isinstance(kw.value, ast.Dict):
            elements = kw.value.values
        elif kw.arg == "order_by" and isinstance(kw.value, (ast.List, ast.Tuple)):
            elements = kw.value.elts
        else:
            continue
        for element in elements:
            value = scope.value(element, call, ancestors)
            risk = value.risk("sql")
            if risk is Trust.CONSTANT or (not value.formatted and kw.arg != "order_by"):
                continue
            if kw.arg == "order_by" and risk is not Trust.UNTRUSTED:
                continue
            source = f" (from {value.source})" if value.source and risk is Trust.UNTRUSTED else ""
            if kw.arg == "order_by":
                message = (f"the ordering term `{short(sec.doc.segment(element))}`{source} reaches `.extra(order_by=...)`, which "
                           "passes a `table.column` term to the SQL verbatim; pick the term from a constant allow-list")
            else:
                advice = {"where": "write `%s` placeholders and pass the values in `params=`",
                          "select": "write `%s` placeholders and pass the values in `select_params=`",
                          "tables": "identifiers cannot be parameters: pick them from a constant allow-list"}[kw.arg]
                message = f"SQL built by string formatting with a non-constant value{source} reaches `.extra({kw.arg}=...)`; {advice}"
            yield _by_certainty(risk is Trust.UNTRUSTED).finding(sec.doc, element, message)


# SQLAlchemy methods whose argument is one clause of a statement: `text()` there is SQL whatever
# its words (`order_by(text(f"{sort} {direction}"))`)
_CLAUSE_METHODS = frozenset({"order_by", "group_by", "where", "filter", "having"})


def _clause_text(sec: SecurityPass, call: ast.Call, name: str | None, ancestors: list[ast.AST]) -> bool:
    """``stmt.order_by(text(...))``: a ``text()`` clause, SQL without a keyword of its own."""
    parent = ancestors[-1] if ancestors else None
    return name in SQL_TEXT_FUNCTIONS and isinstance(parent, ast.Call) and call in parent.args and isinstance(
        parent.func, ast.Attribute) and parent.func.attr in _CLAUSE_METHODS


def _query_parts(
    query: ast.expr, scope: Scope, call: ast.Call, ancestors: list[ast.AST]
) -> tuple[list[str | Hole] | None, ast.expr | None]:
    """Literal text and holes of the query, following a variable to its assignment; and the node they came from."""
    parts = string_parts(query)
    if parts is not None:
        return parts, query
    if isinstance(query, ast.Name):
        bound = scope.single_assignment(query.id) or scope.reaching_assignment(query.id, call, ancestors)
        if bound is not None and (parts := string_parts(bound)) is not None:
            return parts, bound
    return None, None


def _bindings_look_like_sql(query: ast.expr, scope: Scope) -> bool:
    if not isinstance(query, ast.Name):
        return False
    for bound in scope.bindings.get(query.id, []):
        if bound is not None:
            for node in ast.walk(bound):
                if isinstance(node, ast.Constant) and isinstance(node.value, str) and _SQL_START.match(node.value):
                    return True
    return False


def _assembled(
    sec: SecurityPass, name: str | None, value: ast.expr, func: FunctionNode | None, stmt: ast.AST, ancestors: list[ast.AST], where: str = "not executed here"
) -> Iterator[Finding]:
    """``query = "... WHERE id = '%s'" % ident`` (or such text returned or passed to a call that
    is not a query call): SQL text with a non-constant splice that is not executed here.  The
    text must be a statement (``SELECT ... FROM``, ``INSERT INTO`` ...), not prose."""
    parts = string_parts(value)
    if parts is None or not any(isinstance(p, Hole) for p in parts) or not _sql_statement(parts):
        return
    scope = sec.flow.scope(func)
    holes = [
        (h, v)
        for h in parts
        if isinstance(h, Hole) and (v := scope.value(h.expr, stmt, ancestors)).risk("sql") is not Trust.CONSTANT
        and not _model_identifier(h.expr)
    ]
    values = [h for h, _ in holes if _value_position(parts, h)]
    untrusted = [(h, v) for h, v in holes if v.risk("sql") is Trust.UNTRUSTED]
    # an identifier of unknown origin alone (the least certain case): only a plain reference to
    # a value not assembled here (not `", ".join(quoted(c) for c in cols)`, directly or through
    # a variable), and not a fragment of SQL
    identifiers = [
        h for h, v in holes if isinstance(h.expr, (ast.Name, ast.Attribute, ast.Subscript)) and not v.formatted and not _sql_fragment(h.expr)
    ]
    if not (values or untrusted or identifiers):
        return
    root = func if func is not None else sec.tree
    for node in ast.walk(root):
        if (
            name is not None
            and isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in SQL_METHODS
            and any(isinstance(a, ast.Name) and a.id == name for a in node.args[:1])
        ):
            return  # reported where it is executed
    doc = sec.doc
    if untrusted:  # SEC001: name the value from request input, wherever it stands
        hole, v = untrusted[0]
        advice = "pass values as query parameters" if _value_position(parts, hole) else "identifiers cannot be parameters: pick them from a constant allow-list"
        message = f"SQL text built with `{short(doc.segment(hole.expr))}` from {v.source or 'request input'} ({where}); {advice}"
    elif values:
        message = f"SQL text built by string formatting with `{short(doc.segment(values[0].expr))}` in a value position ({where}); pass values as query parameters"
    else:
        message = (
            f"SQL text built with `{short(doc.segment(identifiers[0].expr))}` spliced in as an identifier ({where}); "
            "identifiers cannot be parameters: pick them from a constant allow-list or quote them with the driver's identifier quoting"
        )
    yield _by_certainty(bool(untrusted)).finding(doc, value, message)


def _in_argument(sec: SecurityPass, call: ast.Call, name: str | None, attr: str | None, func: FunctionNode | None, ancestors: list[ast.AST]) -> Iterator[Finding]:
    """SQL text built in an argument of a call that is not a query call (``run(f"SELECT ...")``);
    messages for people (print, logging, warnings, exceptions) and a test's expected text
    (``assert_compile(stmt, "SELECT ...")``) are not queries."""
    callee = name or dotted_name(call.func) or attr or ""
    last = callee.rsplit(".", 1)[-1]
    if callee in MESSAGE_FUNCTIONS or attr in MESSAGE_METHODS or last.endswith(("Error", "Exception", "Warning")) or last.startswith("assert"):
        return  # messages for people, and a test's expected text
    for arg in [*call.args, *(k.value for k in call.keywords)]:
        if isinstance(arg, (ast.JoinedStr, ast.BinOp, ast.Call)):
            yield from _assembled(sec, None, arg, func, call, [*ancestors, call], f"passed to `{callee_text(sec.doc, call)}`")


# -- the fix ------------------------------------------------------------------------------------


def _placeholder_style(sec: SecurityPass, name: str | None) -> str | None:
    if name in SQL_TEXT_FUNCTIONS:
        return ":name"
    styles = {
        style
        for target in sec.imports.names.values()
        for module, style in DRIVER_STYLES.items()
        if target == module or target.startswith(module + ".")
    }
    return styles.pop() if len(styles) == 1 else None


def _fix(
    sec: SecurityPass,
    call: ast.Call,
    query: ast.expr,
    origin: ast.expr | None,
    parts: list[str | Hole],
    name: str | None,
    scope: Scope,
    ancestors: list[ast.AST],
) -> list[Fix]:
    doc = sec.doc
    style = _placeholder_style(sec, name)
    if style is None or origin is None or len(call.args) != 1 or call.keywords:
        return []
    if isinstance(call.func, ast.Attribute) and call.func.attr in ("executescript", "execute_script"):
        return []  # sqlite3's executescript (Tortoise's execute_script) takes no parameters: the fix would not run
    text_call = style == ":name"
    if text_call:
        # conn.execute(text(f"...")): the parameters go to the enclosing execute call
        outer = ancestors[-1] if ancestors else None
        if not (
            isinstance(outer, ast.Call)
            and isinstance(outer.func, ast.Attribute)
            and outer.func.attr == "execute"
            and len(outer.args) == 1
            and outer.args[0] is call
            and not outer.keywords
        ):
            return []
    built = _parameterize(parts, style, scope, doc)
    if built is None:
        return []
    literal, params = built
    if origin is not query:
        # q = f"..." then execute(q): move the values only when nothing can rebind them
        assert isinstance(query, ast.Name)
        if not all(isinstance(h, ast.Name) and len(scope.bindings.get(h.id, [])) <= 1 for h in (p.expr for p in parts if isinstance(p, Hole))):
            return []
        if _load_count(scope, query.id) != 1:
            return []
    edits = [doc.replace_node(origin, literal)]
    if text_call:
        edits.append(TextEdit(*end_of(doc, call), ", " + params))
    elif origin is query:
        edits[0] = doc.replace_node(origin, literal + ", " + params)
    else:
        edits.append(TextEdit(*end_of(doc, query), ", " + params))
    return [Fix(title=f"Use a parameterized query ({style} placeholders)", edits=tuple(edits), preferred=True)]


def _parameterize(parts: list[str | Hole], style: str, scope: Scope, doc: Document) -> tuple[str, str] | None:
    """Rewrite the query with placeholders for every non-constant hole; None unless all are plain values."""
    text: list[str] = []
    params: list[tuple[str, str]] = []
    used: set[str] = set()
    drop_quote = False
    for part in parts:
        if isinstance(part, str):
            text.append(part[1:] if drop_quote else part)
            drop_quote = False
            continue
        if scope.value(part.expr).risk("sql") is Trust.CONSTANT or not part.plain or not _value_position(parts, part):
            return None
        segment = doc.segment(part.expr)
        if "\n" in segment:
            return None
        if text and text[-1].endswith("'"):  # '{name}' becomes ? (the driver quotes values)
            text[-1] = text[-1][:-1]
            drop_quote = True
        name = ""
        if style == ":name":
            base = re.sub(r"\W+", "_", segment).strip("_") or "value"
            base = base if base[0].isalpha() else f"p_{base}"
            name, n = base, 2
            while name in used:
                name, n = f"{base}_{n}", n + 1
            used.add(name)
            text.append(f":{name}")
        else:
            text.append(style)
        params.append((segment, name))
    query = "".join(text)
    if not params:
        return None
    if style == "%s" and query.count("%") != query.count("%s"):
        return None
    if style == "?" and query.count("?") != len(params):
        return None
    if style == ":name" and len(re.findall(r":\w", query)) != len(params):
        return None
    if style == ":name":
        rendered = "{" + ", ".join(f"{name!r}: {seg}" for seg, name in params) + "}"
    else:
        rendered = "(" + ", ".join(seg for seg, _ in params) + ("," if len(params) == 1 else "") + ")"
    return _py_string(query), rendered


def _py_string(text: str) -> str:
    """A Python literal for ``text`` (triple-quoted when it spans lines)."""
    if "\n" in text and '"""' not in text and "\\" not in text and not text.endswith('"'):
        return f'"""{text}"""'
    return repr(text)


def _load_count(scope: Scope, name: str) -> int:
    root = scope.func if scope.func is not None else scope.flow.tree
    return sum(1 for n in ast.walk(root) if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load))


# -- what SQL text looks like -------------------------------------------------------------------

# every pattern here is applied to any string literal of the file: none may backtrack more than
# linearly (``\s*\(?\s*`` took 10 s on a literal of 8,000 blanks; tests/test_regex_backtracking.py)
_SQL_START = re.compile(
    r"\s*(?:\(\s*)?(select|insert|update|delete|with|create|drop|alter|replace|merge|truncate|pragma|grant|revoke|upsert|explain|attach|vacuum)\b",
    re.IGNORECASE,
)
_SQL_STATEMENT = re.compile(
    r"\s*(?:with\s+\w+\s+as\s*\(.*\)\s*)?(?:select\s.+?\sfrom\s|(?:insert|replace)\s+(?:into\s+)?\S+\s+(?:\([^()]*\)\s*)?values\b|insert\s+into\s|update\s+\S+\s+set\s|delete\s+from\s)",
    re.IGNORECASE | re.DOTALL,
)
# ``select ... from``, apart: searched for as one pattern (``select\s.+\sfrom``), each ``select``
# of a literal without ``from`` scanned the rest of it again
_SELECT = re.compile(r"\bselect\s", re.IGNORECASE)
_FROM = re.compile(r"\sfrom", re.IGNORECASE)
_SQL_ANYWHERE = re.compile(r"\b(insert\s+into|delete\s+from|update\s+\w+\s+set|where\s|order\s+by|group\s+by|values\s*\()", re.IGNORECASE | re.DOTALL)
_VALUE_BEFORE = re.compile(r"(?:=|<>|!=|<=|>=|<|>|\blike|\bilike|\bbetween|\bbetween\s+\S+\s+and)$", re.IGNORECASE)
_IN_LIST = re.compile(r"\b(values|in)\s*\((?:[^()]*)$", re.IGNORECASE)


# words of English prose that never occur in the statements _SQL_STATEMENT matches
_PROSE_WORDS = frozenset(
    {"the", "an", "your", "you", "please", "these", "those", "this", "that", "which", "will", "cannot", "can't", "should",
     "would", "could", "must", "been", "we", "our", "my", "its", "their", "there", "here", "was", "were", "don't", "to"}
)
# a quoted SQL literal ('it''s here'), not an apostrophe inside a word (can't)
_SQL_LITERAL = re.compile(r"(?<![A-Za-z])'[^']*'")
_SQL_KEYWORDS = frozenset({"select", "from", "insert", "into", "update", "set", "delete", "replace", "values", "with", "as"})


def _sql_statement(parts: list[str | Hole]) -> bool:
    """Is the text an SQL statement (``SELECT ... FROM``, ``INSERT INTO``, ``UPDATE ... SET``,
    ``DELETE FROM``) rather than prose that starts with the same words (``Select {n} items from
    {src}``, ``delete from the cache``)?  Keywords are written in one case in SQL."""
    literal = "".join(p if isinstance(p, str) else "x" for p in parts)
    m = _SQL_STATEMENT.match(literal)
    if m is None:
        return False
    keywords = [w for w in re.findall(r"[A-Za-z]+", m.group(0)) if w.lower() in _SQL_KEYWORDS]
    if not (all(w.isupper() for w in keywords) or all(w.islower() for w in keywords)):
        return False
    return not any(w.lower() in _PROSE_WORDS for w in re.findall(r"[A-Za-z][\w']*", _SQL_LITERAL.sub("''", literal)))


_FRAGMENT_WORDS = frozenset({"sql", "query", "subquery", "clause", "stmt", "statement", "fragment", "placeholder", "placeholders"})


def _sql_fragment(expr: ast.expr) -> bool:
    """``"SELECT * FROM (%s) subquery" % inner_sql``: a piece of SQL built elsewhere (a query
    compiler composing its parts), not an identifier or value; its own construction is checked
    where it is built."""
    name = last_name(expr) or ""
    return bool(_FRAGMENT_WORDS & set(name_words(name)))


def _looks_like_sql(parts: list[str | Hole]) -> bool:
    literal = "".join(p if isinstance(p, str) else " x " for p in parts)
    if _SQL_START.match(literal) or _SQL_ANYWHERE.search(literal):
        return True
    select = _SELECT.search(literal)  # the first: a later one has less text after it
    return select is not None and _FROM.search(literal, select.end() + 1) is not None  # a word between


def _model_identifier(expr: ast.expr) -> bool:
    """An identifier the program itself defines, not a request: an ORM model's table name
    (``Model._meta.db_table``, ``Model.__tablename__``, ``Model.__table__.name``)."""
    name = dotted_name(expr)
    if name is None:
        return False
    parts = name.split(".")
    return "_meta" in parts or parts[-1] in {"__tablename__", "db_table"} or (len(parts) >= 2 and parts[-2] == "__table__")


def _value_position(parts: list[str | Hole], hole: Hole) -> bool:
    """Is ``hole`` where a value goes (``= {x}``, ``'{x}'``, ``VALUES ({x}``) rather than an identifier or keyword?"""
    idx = parts.index(hole)
    before = "".join(p if isinstance(p, str) else "?" for p in parts[:idx])
    after = parts[idx + 1] if idx + 1 < len(parts) else ""
    if not isinstance(after, str):
        return False
    quoted = before.endswith("'")
    if quoted != after.startswith("'") or before.endswith("''") or after.startswith("''"):
        return False
    head = (before[:-1] if quoted else before).rstrip()
    if _VALUE_BEFORE.search(head):
        return True
    return head.endswith(("(", ",")) and bool(_IN_LIST.search(head))
