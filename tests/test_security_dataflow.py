"""The local data-flow model (vetpy.dataflow): constants, untrusted sources, formatting, sanitisers."""

from __future__ import annotations

import ast
import textwrap

import pytest
from vetpy.dataflow import Hole, ModuleFlow, Trust, string_parts


def value_of(src: str, expr: str = "result"):
    """Value of the name ``expr`` at the end of the last function in ``src``."""
    tree = ast.parse(textwrap.dedent(src))
    funcs = [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    flow = ModuleFlow(tree)
    return flow.scope(funcs[-1] if funcs else None).value(ast.parse(expr, mode="eval").body)


@pytest.mark.parametrize(
    "body",
    [
        'result = "a" + "b"',
        'result = f"{TABLE}-x"',
        'result = SORTS[key]',
        'result = SORTS.get(key, "name")',
        'result = "asc" if key == "up" else "desc"',
        'result = ",".join("?" * len(key))',
        'result = str(len(key))',
        'result = f"{key:d}"',
    ],
)
def test_constant_values(body: str) -> None:
    src = f'TABLE = "t"\nSORTS = {{"a": "b"}}\ndef f(key):\n    {body}\n'
    assert value_of(src).trust is Trust.CONSTANT


def test_parameter_is_unknown_and_formatting_marks_it() -> None:
    v = value_of('def f(x):\n    result = "SELECT " + x\n')
    assert v.trust is Trust.UNKNOWN and v.formatted


def test_flow_insensitive_join_of_bindings() -> None:
    v = value_of('def f(x):\n    result = "a"\n    if x:\n        result = x\n')
    assert v.trust is Trust.UNKNOWN


def test_augmented_assignment_and_loops() -> None:
    v = value_of('def f(cols):\n    result = "SELECT "\n    for c in cols:\n        result += c + ","\n')
    assert v.trust is Trust.UNKNOWN and v.formatted


@pytest.mark.parametrize(
    "src, source",
    [
        ('from flask import request\ndef f():\n    result = request.args.get("q").strip()\n', "request.args"),
        ('from flask import request as r\ndef f():\n    result = r.form["q"]\n', "request.form"),
        ('import sys\ndef f():\n    result = sys.argv[1]\n', "sys.argv"),
        ('def f():\n    result = input("? ")\n', "input()"),
        ('import django\ndef view(request):\n    result = request.GET["q"]\n', "request.GET"),
        ('from fastapi import FastAPI, Request\nasync def f(request: Request):\n    result = await request.json()\n', "request.json()"),
        ('from fastapi import FastAPI\napp = FastAPI()\n@app.get("/items/{item}")\ndef f(item: str):\n    result = item\n', "request parameter 'item'"),
        ('from flask import Flask\napp = Flask(__name__)\n@app.route("/u/<name>")\ndef f(name):\n    result = f"<b>{name}</b>"\n', "request parameter 'name'"),
    ],
)
def test_untrusted_sources(src: str, source: str) -> None:
    v = value_of(src)
    assert v.trust is Trust.UNTRUSTED
    assert v.source == source


@pytest.mark.parametrize(
    "src",
    [
        # validated by FastAPI / Flask converters
        'from fastapi import FastAPI\napp = FastAPI()\n@app.get("/items/{item}")\ndef f(item: int):\n    result = item\n',
        'from flask import Flask\napp = Flask(__name__)\n@app.route("/u/<int:uid>")\ndef f(uid):\n    result = uid\n',
        # dependencies are not client input
        'from fastapi import FastAPI, Depends\napp = FastAPI()\n@app.get("/x")\ndef f(db=Depends(get_db)):\n    result = db\n',
        # a plain function named like a view outside a web module
        'def f(request):\n    result = request.args["q"]\n',
    ],
)
def test_not_untrusted(src: str) -> None:
    assert value_of(src).trust is not Trust.UNTRUSTED


def test_sanitisers_are_per_sink() -> None:
    v = value_of('import shlex\nfrom flask import request\ndef f():\n    result = "ls " + shlex.quote(request.args["p"])\n')
    assert v.trust is Trust.UNTRUSTED
    assert v.risk("shell") is Trust.CONSTANT
    assert v.risk("sql") is Trust.UNTRUSTED


def test_allow_listed_name_is_constant() -> None:
    src = 'OK = ("a", "b")\ndef f(col):\n    if col not in OK:\n        raise ValueError\n    result = f"x {col}"\n'
    assert value_of(src).trust is Trust.CONSTANT


def test_elif_chain_ending_in_raise_is_an_allow_list() -> None:
    src = 'def f(order):\n    if order == "asc":\n        pass\n    elif order == "desc":\n        pass\n    else:\n        raise ValueError\n    result = f"ORDER BY x {order}"\n'
    assert value_of(src).trust is Trust.CONSTANT


def test_module_constant_requires_single_constant_binding() -> None:
    src = 'T = "a"\nT = compute()\ndef f():\n    result = f"{T}"\n'
    assert value_of(src).trust is not Trust.CONSTANT


def test_string_parts_of_each_formatting_style() -> None:
    def parts(code: str) -> list:
        out = string_parts(ast.parse(code, mode="eval").body)
        assert out is not None
        return [p if isinstance(p, str) else ast.unparse(p.expr) for p in out]

    assert parts('f"a {x} b"') == ["a ", "x", " b"]
    assert parts('"a " + x + " b"') == ["a ", "x", " b"]
    assert parts('"a %s b %d" % (x, y)') == ["a ", "x", " b ", "y"]
    assert parts('"a {} b {k}".format(x, k=y)') == ["a ", "x", " b ", "y"]
    assert parts('"100%% %s" % x') == ["100% ", "x"]
    assert string_parts(ast.parse('"%(a)s" % d', mode="eval").body) is None
    hole = string_parts(ast.parse('f"{x!r}"', mode="eval").body)[0]
    assert isinstance(hole, Hole) and not hole.plain


def test_reaching_assignment_in_straight_line_code() -> None:
    src = textwrap.dedent(
        """
        def f(cur, table):
            q = "SELECT name FROM sqlite_master"
            cur.execute(q)
            q = f"SELECT * FROM {table}"
            cur.execute(q)
        """
    )
    tree = ast.parse(src)
    func = tree.body[0]
    scope = ModuleFlow(tree).scope(func)
    first, second = func.body[1].value, func.body[3].value
    assert scope.value(first.args[0], first, [tree, func, func.body[1]]).trust is Trust.CONSTANT
    assert scope.value(second.args[0], second, [tree, func, func.body[3]]).formatted
    assert scope.value(first.args[0]).formatted  # without a use site: join of all assignments


def test_reaching_assignment_falls_back_in_branches_and_loops() -> None:
    src = textwrap.dedent(
        """
        def f(cur, rows, x):
            q = f"SELECT {x}"
            if rows:
                q = "SELECT 1"
            cur.execute(q)
            for r in rows:
                cur.execute(q)
                q = f"SELECT {r}"
        """
    )
    tree = ast.parse(src)
    func = tree.body[0]
    scope = ModuleFlow(tree).scope(func)
    after_if = func.body[2].value
    loop = func.body[3]
    in_loop = loop.body[0].value
    assert scope.value(after_if.args[0], after_if, [tree, func, func.body[2]]).formatted
    assert scope.value(in_loop.args[0], in_loop, [tree, func, loop, loop.body[0]]).formatted


def test_a_loop_target_or_an_unpacked_name_has_no_assigned_expression() -> None:
    # the rules walk what these return (tests/test_result_cache.py's `for ... in` names made the
    # security checker fail on a dataflow placeholder for "an element of the iterable")
    src = textwrap.dedent(
        """
        def f(paths):
            for name in paths:
                open(name)
            a, b = paths
            open(a)
            c = paths[0]
            open(c)
        """
    )
    tree = ast.parse(src)
    func = tree.body[0]
    scope = ModuleFlow(tree).scope(func)
    loop = func.body[0]
    use = loop.body[0].value
    assert scope.single_assignment("name") is None
    assert scope.reaching_assignment("name", use, [tree, func, loop, loop.body[0]]) is None
    assert scope.single_assignment("a") is None
    assert scope.reaching_assignment("a", func.body[2].value, [tree, func, func.body[2]]) is None
    assert isinstance(scope.single_assignment("c"), ast.Subscript)


def test_quote_doubling_escapes_sql() -> None:
    v = value_of('def f(name):\n    result = \'SELECT * FROM "{}"\'.format(name.replace(\'"\', \'""\'))\n')
    assert v.risk("sql") is Trust.CONSTANT and v.risk("shell") is Trust.UNKNOWN


def test_not_in_check_without_abort_is_not_an_allow_list() -> None:
    src = 'OK = ("a", "b")\ndef f(col, log):\n    if col not in OK:\n        log("odd column")\n    result = f"x {col}"\n'
    assert value_of(src).trust is Trust.UNKNOWN
    src = 'OK = ("a", "b")\ndef f(col):\n    if col not in OK:\n        col = "a"\n    result = f"x {col}"\n'
    assert value_of(src).trust is Trust.CONSTANT


@pytest.mark.parametrize(
    "body",
    [
        "result = ops.quote_name(table)",
        "result = self.connection.ops.quote_name(table)",
        "result = quote_identifier(table)",
        'result = f"{self.identifier_preparer.quote_identifier(schema)}.sqlite_master"',
        "result = self.identifier_preparer.format_sequence(seq)",
        "result = self.quote_name_unless_alias(table)",
        "result = qesc(table)",
        "result = ops.escape_string(table)",
        "result = ops.escape_identifier(table)",
        'q = self.quote_name(table)\n    result = f"SELECT {q} FROM t"',
    ],
)
def test_identifier_quoting_of_database_layers_is_clean_for_sql(body: str) -> None:
    v = value_of(f"def f(self, ops, table, schema, seq):\n    {body}\n")
    assert v.risk("sql") is Trust.CONSTANT
    assert v.risk("shell") is not Trust.CONSTANT


@pytest.mark.parametrize("body", ["result = obj.format_table(table)", "result = quote_plus(table)", "result = obj.quote_plus(table)"])
def test_other_functions_are_not_sql_identifier_quoting(body: str) -> None:
    assert value_of(f"def f(obj, table):\n    {body}\n").risk("sql") is Trust.UNKNOWN
