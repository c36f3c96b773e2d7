"""Specification tests for the SEC rules: positives, look-alikes a careful reviewer accepts, fixes."""

from __future__ import annotations

import ast
import textwrap

import pytest
from vetpy.document import Document
from vetpy.engine import check_source
from vetpy.findings import Finding, apply_edits
from vetpy.rules.sec import scan
from vetpy import codes
from vetpy.context import AnalysisContext

# the default SEC rules and the opt-in SEC033 and SEC024 (below the precision bar on real
# applications, still specified here)
CTX = AnalysisContext.bare(select=["SEC033", "SEC024", "SEC025", *sorted(c for c in codes.default_codes() if c.startswith("SEC"))])
# The tests below specify what is a hard-coded credential at all: "SEC010" there means SEC010 or
# its opt-in half SEC033 (which of the two: tests/test_sec010_certain.py).
_CREDENTIAL = ("SEC010", "SEC033")


def findings(src: str, code: str | None = None, path: str = "app.py") -> list[Finding]:
    src = textwrap.dedent(src)
    found = [f for f in check_source(src, path=path, ctx=CTX) if f.code.startswith("SEC")]
    gated_walk_loses_nothing(src, path)
    return [f for f in found if code is None or f.code == code or (code == "SEC010" and f.code in _CREDENTIAL)]


def gated_walk_loses_nothing(src: str, path: str) -> None:
    """Walking only the lines with trigger words finds what walking every line finds."""
    doc = Document(path, textwrap.dedent(src))
    if doc.tree is not None:
        gated = {(f.line, f.code, f.message) for f in scan(doc)}
        assert gated == {(f.line, f.code, f.message) for f in scan(doc, full=True)}


def lines(src: str, code: str, path: str = "app.py") -> list[int]:
    return [f.line for f in findings(src, code, path)]


def apply_fix(src: str, code: str, index: int = 0, path: str = "app.py") -> str:
    """Apply the first fix of the ``index``-th finding of ``code``; the result must parse."""
    src = textwrap.dedent(src)
    found = findings(src, code, path)
    assert found, f"no {code} finding"
    assert found[index].fixes, f"{code} finding has no fix"
    new = apply_edits(src, found[index].fixes[0].edits)
    ast.parse(new)
    return new


def no_fix(src: str, code: str) -> bool:
    found = findings(src, code)
    assert found, f"no {code} finding"
    return all(not f.fixes for f in found)


# ---------------------------------------------------------------------------------------------
# SEC001 sql-injection (request input), SEC024 sql-formatting (unknown origin, opt-in)
# ---------------------------------------------------------------------------------------------

SQLITE = "import sqlite3\n"
PSYCOPG = "import psycopg2\n"


@pytest.mark.parametrize(
    "body",
    [
        'cur.execute(f"SELECT * FROM users WHERE name = \'{name}\'")',
        'cur.execute("SELECT * FROM users WHERE name = \'" + name + "\'")',
        'cur.execute("SELECT * FROM users WHERE name = \'%s\'" % name)',
        'cur.execute("SELECT * FROM users WHERE name = \'{}\'".format(name))',
        'cur.executemany(f"DELETE FROM t WHERE id = {name}", rows)',
        'cur.executescript(f"DROP TABLE {name};")',
        'cur.execute(f"SELECT * FROM t WHERE a = ? ORDER BY {name}", (1,))',
        'cur.execute(f"SELECT * FROM t WHERE a = ? LIMIT {name}", (1,))',
        'cur.execute("SELECT * FROM t WHERE id IN (" + ",".join(name) + ")")',
    ],
)
def test_sql_formatted_positive(body: str) -> None:
    src = SQLITE + f"def f(cur, name, rows):\n    {body}\n"
    assert lines(src, "SEC024") == [3]


def test_sql_model_table_names_and_nosec() -> None:
    """Issue #16 (pretix, privacyIDEA): the model's own table name is not input; a line marked
    ``# nosec`` was reviewed. An identifier from ``self`` or a parameter (ruff's S608 cases), a
    value from ``self`` and request input are still reported."""
    src = """
        import sqlite3
        from flask import request
        class Store:
            def create(self, cur, session, code):
                cur.execute(f'SELECT code FROM "{Voucher._meta.db_table}" WHERE code = %s', [code])
                cur.execute(f"SELECT * FROM {Model.__tablename__} WHERE id = ?", (code,))
                cur.execute("select reltuples from pg_class where relname='%s';" % type._meta.db_table)
                session.execute(f"CREATE KEYSPACE {self.keyspace} WITH replication = 1")
                cur.execute("DELETE FROM {} LIMIT {}".format(self.table, code))  # nosec B608 # reviewed
                cur.execute(f"SELECT * FROM t WHERE name = '{self.name}'")
                cur.execute(f"SELECT * FROM {code}")
                cur.execute(f"SELECT * FROM t ORDER BY {self.sort} {request.args['dir']}")
    """
    assert lines(src, "SEC024") == [9, 11, 12]  # unknown origin: the opt-in rule
    assert lines(src, "SEC001") == [13]  # request input: the default rule, once


def test_sql_assembled_in_variable() -> None:
    src = SQLITE + textwrap.dedent(
        """
        def f(cur, sort, uid):
            query = "SELECT * FROM items WHERE owner = ?"
            query += f" ORDER BY {sort}"
            cur.execute(query, (uid,))
        """
    )
    assert lines(src, "SEC024") == [6]


def test_sql_request_input_is_error_and_names_source() -> None:
    src = """
        import sqlite3
        from flask import Flask, request
        app = Flask(__name__)

        @app.route("/items")
        def items():
            sort = request.args.get("sort", "name")
            cur.execute(f"SELECT * FROM items WHERE owner = ? ORDER BY {sort}", (1,))
    """
    [f] = findings(src, "SEC001")
    assert not findings(src, "SEC024")  # reported once, by the default rule
    assert f.severity.value == "error"
    assert "request.args" in f.message
    assert "allow-list" in f.message  # ORDER BY is an identifier position
    assert f.cwe == (89,)
    assert not f.fixes  # identifiers are never rewritten to placeholders



SHAPES = [  # each formats the value `v` into SQL text: executed, assembled in a variable, returned
    "cur.execute(f\"SELECT * FROM users WHERE name = '{v}'\")",
    "cur.execute(\"SELECT * FROM users WHERE name = '%s'\" % v)",
    "cur.execute(\"SELECT * FROM users WHERE name = '\" + v + \"'\")",
    "cur.execute(f\"SELECT * FROM t ORDER BY {v}\")",
    "q = f\"SELECT * FROM t WHERE a = ? ORDER BY {v}\"\n    return q",
    "return f\"SELECT * FROM {v} WHERE id = ?\"",
]


@pytest.mark.parametrize("shape", SHAPES)
def test_sql_split_by_certainty(shape: str) -> None:
    """One query shape, three origins of its value: request input is SEC001 (an error, on by
    default); a plain function's parameter is SEC024 (a warning, opt-in); never both on a line."""
    routed = (
        "import sqlite3\nfrom flask import Flask, request\napp = Flask(__name__)\n"
        "@app.route('/x')\ndef view():\n    cur = sqlite3.connect('a').cursor()\n"
        "    v = request.args['v']\n    " + shape + "\n"
    )
    plain = "import sqlite3\ndef helper(cur, v):\n    " + shape + "\n"
    [error] = findings(routed, "SEC001")
    assert error.severity.value == "error" and "request.args" in error.message
    assert findings(routed, "SEC024") == []
    [warning] = findings(plain, "SEC024")
    assert warning.severity.value == "warning" and "request" not in warning.message
    assert findings(plain, "SEC001") == []


def test_sql_request_input_in_a_value_position_gets_the_parameter_fix() -> None:
    src = """
        import sqlite3
        from flask import Flask, request
        app = Flask(__name__)

        @app.route("/users")
        def users():
            cur = sqlite3.connect("app.db").cursor()
            name = request.args["name"]
            cur.execute(f"SELECT * FROM users WHERE name = '{name}'")
    """
    assert "cur.execute('SELECT * FROM users WHERE name = ?', (name,))" in apply_fix(src, "SEC001")


def test_sql_by_default_only_request_input_is_reported() -> None:
    """The default selection runs SEC001 and not SEC024: SQL formatted with a parameter of a
    plain function (a configured table name, an integer) is silent unless SEC024 is selected."""
    src = textwrap.dedent("""
        import sqlite3
        from flask import Flask, request
        app = Flask(__name__)

        def count(cur, table):
            cur.execute(f"SELECT count(*) FROM {table}")

        @app.route("/t")
        def view():
            cur = sqlite3.connect("a").cursor()
            cur.execute(f"SELECT * FROM t ORDER BY {request.args['sort']}")
    """)
    assert "SEC001" in codes.default_codes() and "SEC024" not in codes.default_codes()
    assert [(f.code, f.line) for f in check_source(src, path="app.py") if f.code.startswith("SEC")] == [("SEC001", 12)]


@pytest.mark.parametrize(
    "src",
    [
        # module-level constant table name (ruff S608 / bandit B608 flag this)
        'TABLE = "users"\ndef f(cur, uid):\n    cur.execute(f"SELECT * FROM {TABLE} WHERE id = ?", (uid,))\n',
        # constant dict lookup
        'SORTS = {"name": "name", "date": "created_at"}\ndef f(cur, key):\n    cur.execute(f"SELECT * FROM t ORDER BY {SORTS[key]}")\n',
        'SORTS = {"name": "name"}\ndef f(cur, key):\n    col = SORTS.get(key, "name")\n    cur.execute(f"SELECT * FROM t ORDER BY {col}")\n',
        # allow-list check before use
        'ALLOWED = {"name", "date"}\ndef f(cur, col):\n    if col not in ALLOWED:\n        raise ValueError(col)\n    cur.execute(f"SELECT * FROM t ORDER BY {col}")\n',
        'def f(cur, col):\n    assert col in ("a", "b")\n    cur.execute(f"SELECT * FROM t ORDER BY {col}")\n',
        'def f(cur, order):\n    direction = "ASC" if order == "up" else "DESC"\n    cur.execute(f"SELECT * FROM t ORDER BY x {direction}")\n',
        # placeholders generated from a constant
        'def f(cur, ids):\n    marks = ",".join("?" * len(ids))\n    cur.execute(f"SELECT * FROM t WHERE id IN ({marks})", ids)\n',
        'def f(cur, ids):\n    marks = ", ".join(["%s"] * len(ids))\n    cur.execute("SELECT * FROM t WHERE id IN (" + marks + ")", ids)\n',
        'def f(cur, ids):\n    marks = ",".join("?" for _ in ids)\n    cur.execute(f"SELECT * FROM t WHERE id IN ({marks})", ids)\n',
        # numbers cannot inject
        'def f(cur, limit):\n    cur.execute(f"SELECT * FROM t LIMIT {int(limit)}")\n',
        'def f(cur, limit):\n    cur.execute(f"SELECT * FROM t LIMIT {limit:d}")\n',
        # parameterized query
        'def f(cur, uid):\n    cur.execute("SELECT * FROM t WHERE id = ?", (uid,))\n',
        # a query passed in by the caller: nothing known, nothing formatted
        'def f(cur, query):\n    cur.execute(query)\n',
        # not SQL at all
        'def f(executor, job):\n    executor.execute(f"job-{job}")\n',
        # UPPER_CASE settings attribute
        'def f(cur, uid):\n    cur.execute(f"SELECT * FROM {settings.USERS_TABLE} WHERE id = ?", (uid,))\n',
    ],
)
def test_sql_constant_queries_are_not_reported(src: str) -> None:
    assert lines(SQLITE + src, "SEC024") == lines(SQLITE + src, "SEC001") == []


def test_sql_unknown_whole_query_is_silent_but_formatted_unknown_is_reported() -> None:
    src = SQLITE + 'def f(cur, q, col):\n    cur.execute(q)\n    cur.execute(f"SELECT {col} FROM t")\n'
    assert lines(src, "SEC024") == [4]


def test_sql_fix_sqlite_question_marks() -> None:
    src = SQLITE + "def f(cur, name):\n    cur.execute(f\"SELECT * FROM users WHERE name = '{name}' AND age > {age}\")\n"
    new = apply_fix(src, "SEC024")
    assert "cur.execute('SELECT * FROM users WHERE name = ? AND age > ?', (name, age))" in new


def test_sql_fix_psycopg_percent_s_for_percent_formatting() -> None:
    src = PSYCOPG + 'def f(cur, uid):\n    cur.execute("SELECT * FROM t WHERE id = %s" % uid)\n'
    new = apply_fix(src, "SEC024")
    assert "cur.execute('SELECT * FROM t WHERE id = %s', (uid,))" in new


def test_sql_fix_format_method() -> None:
    src = SQLITE + 'def f(cur, uid):\n    cur.execute("SELECT * FROM t WHERE id = {}".format(uid))\n'
    assert "cur.execute('SELECT * FROM t WHERE id = ?', (uid,))" in apply_fix(src, "SEC024")


def test_sql_fix_sqlalchemy_named_parameters() -> None:
    src = "from sqlalchemy import text\ndef f(conn, user):\n    conn.execute(text(f\"SELECT * FROM t WHERE id = {user.id}\"))\n"
    new = apply_fix(src, "SEC024")
    assert "conn.execute(text('SELECT * FROM t WHERE id = :user_id'), {'user_id': user.id})" in new


def test_sql_fix_query_variable() -> None:
    src = SQLITE + 'def f(cur, uid):\n    query = f"SELECT * FROM t WHERE id = {uid}"\n    cur.execute(query)\n'
    new = apply_fix(src, "SEC024")
    assert "query = 'SELECT * FROM t WHERE id = ?'" in new
    assert "cur.execute(query, (uid,))" in new


def test_sql_fix_keeps_constant_table_out_of_placeholders() -> None:
    # a constant hole beside a value hole: the rewrite would need an f-string; no fix, still reported
    src = SQLITE + 'TABLE = "t"\ndef f(cur, uid):\n    cur.execute(f"SELECT * FROM {TABLE} WHERE id = {uid}")\n'
    assert lines(src, "SEC024") == [4]
    assert no_fix(src, "SEC024")


@pytest.mark.parametrize(
    "src",
    [
        # no driver import: the placeholder style is unknown
        'def f(cur, uid):\n    cur.execute(f"SELECT * FROM t WHERE id = {uid}")\n',
        # LIKE pattern: the value is inside a larger literal
        "import sqlite3\ndef f(cur, q):\n    cur.execute(f\"SELECT * FROM t WHERE name LIKE '%{q}%'\")\n",
        # parameters already passed
        'import sqlite3\ndef f(cur, uid, a):\n    cur.execute(f"SELECT * FROM t WHERE id = {uid} AND a = ?", (a,))\n',
        # a conversion changes the text
        'import sqlite3\ndef f(cur, uid):\n    cur.execute(f"SELECT * FROM t WHERE id = {uid!r}")\n',
        # two drivers imported
        'import sqlite3, psycopg2\ndef f(cur, uid):\n    cur.execute(f"SELECT * FROM t WHERE id = {uid}")\n',
        # query variable used twice
        'import sqlite3\ndef f(cur, uid):\n    q = f"SELECT * FROM t WHERE id = {uid}"\n    cur.execute(q)\n    log(q)\n',
    ],
)
def test_sql_no_fix_when_not_safe_and_local(src: str) -> None:
    assert no_fix(src, "SEC024")


def test_sql_django_raw_and_pandas() -> None:
    src = """
        import pandas as pd
        def f(conn, name):
            User.objects.raw(f"SELECT * FROM auth_user WHERE username = '{name}'")
            pd.read_sql(f"SELECT * FROM t WHERE a = {name}", conn)
    """
    assert lines(src, "SEC024") == [4, 5]


# ---------------------------------------------------------------------------------------------
# SEC002 command-injection
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        'subprocess.run(f"convert {name} out.png", shell=True)',
        'subprocess.check_output("grep " + name + " log.txt", shell=True)',
        'subprocess.Popen("tar -xf %s" % name, shell=True)',
        'os.system("ping -c 1 " + name)',
        'os.popen(f"whois {name}")',
        'subprocess.getoutput(f"ls {name}")',
        'subprocess.run(["bash", "-c", f"echo {name}"])',
        'subprocess.run(["/bin/sh", "-c", "rm " + name])',
        'os.system(name)',
    ],
)
def test_command_positive(body: str) -> None:
    """A plain function's parameter is of unknown origin: SEC025 (opt-in); the same command with
    a value from a request, a route's URL variable, input() or sys.argv is SEC002."""
    assert lines(f"import os, subprocess\ndef f(name):\n    {body}\n", "SEC025") == [3]
    assert lines(f"import os, subprocess\ndef f(name):\n    {body}\n", "SEC002") == []
    routed = f"import os, subprocess\nfrom flask import Flask\napp = Flask(__name__)\n@app.route('/x/<name>')\ndef f(name):\n    {body}\n"
    assert lines(routed, "SEC002") == [6]
    assert lines(routed, "SEC025") == []
    for source in ("input()", "sys.argv[1]", "request.args['q']"):
        src = f"import os, subprocess, sys\nfrom flask import request\ndef f():\n    name = {source}\n    {body}\n"
        assert lines(src, "SEC002") == [5], source
        assert lines(src, "SEC025") == [], source


def test_command_split_by_certainty_is_default_and_opt_in() -> None:
    """Issue #16/#20: SEC002 (request input) and SEC025 (a caller's value: the running function's
    parameter) are both on by default; xonsh's ``os.system(stty + " sane")`` with ``stty`` found
    on PATH (no parameter) is silent."""
    from vetpy.engine import check_source

    assert "SEC002" in codes.default_codes() and "SEC025" in codes.default_codes()
    plain = 'import os\ndef reset(stty):\n    os.system(stty + " sane")\n'
    assert [f.code for f in check_source(plain, "x.py")] == ["SEC025"]
    found = 'import os, shutil\ndef reset():\n    stty = shutil.which("stty")\n    os.system(stty + " sane")\n'
    assert check_source(found, "x.py", AnalysisContext.bare(select=["SEC025"])) == []
    argv = 'import os, sys\ndef main():\n    os.system("ls " + sys.argv[1])\n'
    assert [f.code for f in check_source(argv, "x.py")] == ["SEC002"]


@pytest.mark.parametrize(
    "body",
    [
        'subprocess.run(["convert", name, "out.png"])',
        'subprocess.run("ls -l | wc -l", shell=True)',
        'subprocess.run(f"ls {shlex.quote(name)}", shell=True)',
        'subprocess.run(f"ls {DIR}", shell=True)',
        'os.system("clear")',
        'subprocess.run(name, shell=False)',
        'subprocess.run(f"ls {name}")',  # no shell: not an injection
        'subprocess.run(["bash", "-c", "echo hi"])',
    ],
)
def test_command_negative(body: str) -> None:
    src = f'import os, shlex, subprocess\nDIR = "/tmp"\ndef f(name):\n    {body}\n'
    assert lines(src, "SEC002") == lines(src, "SEC025") == []


def test_command_unknown_origin_is_a_warning_untrusted_is_error() -> None:
    src = 'import os, sys\ndef f(cmd, name):\n    os.system(cmd)\n    os.system(f"ls {name}")\n    os.system(f"ls {sys.argv[1]}")\n'
    assert [(f.line, f.severity.value) for f in findings(src, "SEC025")] == [(3, "warning"), (4, "warning")]
    assert [(f.line, f.severity.value) for f in findings(src, "SEC002")] == [(5, "error")]


def test_command_fix_to_argument_list() -> None:
    src = 'import subprocess\ndef f(path):\n    subprocess.run(f"ls -l {path}", shell=True, check=True)\n'
    new = apply_fix(src, "SEC025")
    assert "subprocess.run(['ls', '-l', str(path)], check=True)" in new


def test_command_fix_keeps_untrusted_strings_unwrapped() -> None:
    src = 'import subprocess, sys\ndef f():\n    subprocess.run("cat " + sys.argv[1], shell=True)\n'
    assert "subprocess.run(['cat', sys.argv[1]])" in apply_fix(src, "SEC002")


@pytest.mark.parametrize(
    "body",
    [
        'subprocess.run(f"ls {path} | wc -l", shell=True)',  # a pipe needs the shell
        'subprocess.run(f"ls {path}.txt", shell=True)',  # the hole is part of a token
        'subprocess.run(f"ls {path!r}", shell=True)',
        'os.system(f"ls {path}")',
    ],
)
def test_command_no_fix_when_the_command_does_not_split_cleanly(body: str) -> None:
    assert no_fix(f"import os, subprocess\ndef f(path):\n    {body}\n", "SEC025")


# ---------------------------------------------------------------------------------------------
# SEC003 code-injection, SEC004 template-injection
# ---------------------------------------------------------------------------------------------

FLASK_APP = "from flask import Flask, request, render_template_string\napp = Flask(__name__)\n"


def test_code_injection_positive() -> None:
    src = FLASK_APP + textwrap.dedent(
        """
        @app.route("/calc")
        def calc():
            expr = request.args["expr"]
            a = eval(expr)
            exec(f"x = {expr}")
            return str(a)

        def cli(text):
            eval(f"compute({text})")    # a parameter is untrusted until proven otherwise (issue #20)
            eval(input())
        """
    )
    assert lines(src, "SEC003") == [7, 8, 12, 13]


def test_code_injection_of_unknown_origin() -> None:
    """Issue #20: any code that is not a constant, whether or not it is traced to a request."""
    src = """
        import ast, builtins
        def g(code, ns, source, name, path):
            exec(code, ns)
            exec(f"def {name}(self): return self._{name}", ns)
            a = compile(source, "<string>", "exec")
            builtins.eval(source)
            b = compile(ast.parse(source), "<string>", "exec")
            exec(open(path).read())
            return a, b
    """
    assert lines(src, "SEC003") == [4, 5, 6, 7, 8, 9]
    message = findings(textwrap.dedent(src), "SEC003")[0].message
    assert "not a constant" in message and "`code`" in message


def test_code_injection_negative() -> None:
    src = """
        import ast, builtins
        def g(source):
            eval("1 + 2")
            eval(" + ".join(["1", "2"]))
            compile(source, "<fixed>", "exec")
            assert compile(source, "<fixed>", "exec")
            ast.literal_eval(source)
            compile(source, "<string>", "exec", ast.PyCF_ONLY_AST)
            tree = ast.fix_missing_locations(ast.Module(body=[], type_ignores=[]))
            code = compile(tree, "<generated>", "exec")
            exec(code)
            exec(compile(ast.Expression(ast.Constant(1)), "<generated>", "eval"))
            run = builtins.eval
            return run
        class C:
            def eval(self, text):
                return self.eval(text)
        class Execer:
            def compile(self, source):
                return compile(source, "<s>", "exec")
            def exec(self, source, fresh):
                if fresh:
                    code = self.compile(source)
                else:
                    code = self.compile(source + "\\n")
                exec(code)
        def evaluate(expression):
            return eval(expression)
    """
    assert lines(src, "SEC003") == []
    # a wrapper's name does not excuse untrusted input, nor a name that says more than "run code"
    src = """
        import sys
        def evaluate():
            return eval(sys.argv[1])
        def compile_template(path):
            return compile(open(path).read(), path, "exec")
    """
    assert lines(src, "SEC003") == [4, 6]


def test_template_injection() -> None:
    src = FLASK_APP + textwrap.dedent(
        """
        import jinja2
        @app.route("/hello")
        def hello():
            name = request.args.get("name", "")
            render_template_string(f"<h1>Hello {name}</h1>")
            render_template_string("<h1>Hello {{ name }}</h1>", name=name)
            jinja2.Template(request.args["t"])
            jinja2.Environment().from_string("Hi " + name)
            return render_template_string(TEMPLATE, name=name)
        """
    )
    assert lines(src, "SEC004") == [8, 10, 11]


# ---------------------------------------------------------------------------------------------
# SEC005 unsafe-deserialization
# ---------------------------------------------------------------------------------------------


def test_deserialization_positive_and_negative() -> None:
    src = """
        import pickle, marshal, shelve, yaml, jsonpickle, dill
        from yaml import Loader
        def f(data, path):
            pickle.loads(data)
            pickle.load(open(path, "rb"))
            marshal.loads(data)
            shelve.open(path)
            dill.loads(data)
            jsonpickle.decode(data)
            yaml.load(data)
            yaml.load(data, Loader=Loader)
            yaml.unsafe_load(data)
            yaml.load(data, Loader=yaml.SafeLoader)
            yaml.load(data, yaml.CSafeLoader)
            yaml.safe_load(data)
            pickle.dumps(data)
            pickle.loads(b"\\x80\\x04K\\x01.")
    """
    # marshal.loads(data): marshal reads what the interpreter wrote; only untrusted input counts
    assert lines(src, "SEC005") == [5, 6, 8, 9, 10, 11, 12, 13]
    web = "import marshal\nfrom flask import request\ndef view(request):\n    marshal.loads(request.data)\n"
    assert lines(web, "SEC005") == [4]


def test_deserialization_of_what_the_same_function_just_pickled_is_own_data() -> None:
    """changedetection.io's model test: ``pickled = pickle.dumps(watch)`` then
    ``pickle.loads(pickled)``: a round trip in memory, no one else wrote the bytes.  Still reported:
    a name bound to other data as well, a parameter, bytes from a file."""
    src = """
        import pickle

        def round_trip(watch, blob, path):
            pickled = pickle.dumps(watch)
            copy = pickle.loads(pickled)
            again = pickle.loads(pickle.dumps(copy))
            other = pickle.dumps(watch)
            if blob:
                other = blob
            pickle.loads(other)
            pickle.loads(blob)
            with open(path, "rb") as f:
                return pickle.loads(f.read())
    """
    assert lines(src, "SEC005") == [11, 12, 14]


def test_deserialization_full_loader_and_own_pickle_cache() -> None:
    """Issue #16 (dstack, glances, xonsh): FullLoader runs no code since PyYAML 5.4, and a module
    loading the pickle file it writes itself reads its own cache; a file the module does not
    pickle into, or a function's other file object, is still reported."""
    src = """
        import pickle, yaml
        def config(text):
            return yaml.load(text, yaml.FullLoader), yaml.load(text, Loader=yaml.CFullLoader)
        class Cache:
            def load(self):
                with open(self.cache_file, "rb") as f:
                    return pickle.load(f)
            def load_other(self):
                with open(self.other_file, "rb") as f:
                    return pickle.load(f)  # !
            def load_path(self):
                return pickle.loads(self.path.read_bytes())
            def load_foreign(self, path):
                return pickle.loads(path.read_bytes())  # !
            def save(self, data):
                with open(self.cache_file, "wb") as f:
                    pickle.dump(data, f)
                self.path.write_bytes(pickle.dumps(data))
        def other(data):
            f = open(OTHER, "rb")
            return pickle.load(f)  # !
    """
    marked = [i for i, line in enumerate(textwrap.dedent(src).splitlines(), 1) if line.rstrip().endswith("# !")]
    assert lines(src, "SEC005") == marked


def test_yaml_fix_to_safe_load() -> None:
    src = "import yaml\ndef f(s):\n    return yaml.load(s, Loader=yaml.UnsafeLoader)\n"
    assert "return yaml.safe_load(s)" in apply_fix(src, "SEC005")
    src = "import yaml as y\ndef f(s):\n    return y.unsafe_load(s)\n"
    assert "return y.safe_load(s)" in apply_fix(src, "SEC005")


# ---------------------------------------------------------------------------------------------
# SEC006 tls-verification-disabled
# ---------------------------------------------------------------------------------------------


def test_tls_positive() -> None:
    src = """
        import ssl, requests, httpx
        requests.get(url, verify=False)
        s = requests.Session()
        s.post(url, json={}, verify=False)
        httpx.Client(verify=False)
        ctx = ssl._create_unverified_context()
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        ssl._create_default_https_context = ssl._create_unverified_context
        s.verify = False
    """
    assert lines(src, "SEC006") == [3, 5, 6, 7, 9, 10, 11, 12]


def test_tls_aiohttp() -> None:
    src = "import aiohttp\nasync def f(url):\n    async with aiohttp.ClientSession() as s:\n        await s.get(url, ssl=False)\n"
    assert lines(src, "SEC006") == [4]


def test_tls_negative() -> None:
    src = """
        import requests, ssl
        requests.get(url, verify=True)
        requests.get(url, verify="/etc/ca.pem")
        requests.get(url)
        ctx = ssl.create_default_context()
        ctx.check_hostname = True
        def check(form):
            form.verify = False        # not an HTTP client module attribute... still requests imported
        parser.add_argument("--insecure", verify=False)
    """
    assert lines(src, "SEC006") == [9]  # `x.verify = False` in a module using requests is a session switch
    src2 = "def f(form):\n    form.get(url, verify=False)\n"  # no HTTP client imported
    assert lines(src2, "SEC006") == []


def test_tls_fix_drops_the_keyword() -> None:
    src = "import requests\nr = requests.get(url, verify=False, timeout=5)\n"
    assert "r = requests.get(url, timeout=5)" in apply_fix(src, "SEC006")
    src = "import requests\nr = requests.get(\n    url,\n    verify=False,\n)\n"
    assert "verify" not in apply_fix(src, "SEC006")


# ---------------------------------------------------------------------------------------------
# SEC007 jwt-not-verified
# ---------------------------------------------------------------------------------------------


def test_jwt_positive() -> None:
    src = """
        import jwt
        def f(token, key):
            jwt.decode(token, key)
            jwt.decode(token, options={"verify_signature": False})
            jwt.decode(token, key, algorithms=["HS256", "none"])
            jwt.decode(token, verify=False)
            jwt.decode(token, key, algorithms=[jwt.get_unverified_header(token)["alg"]])
    """
    assert lines(src, "SEC007") == [4, 5, 6, 7, 8]


def test_jwt_negative() -> None:
    src = """
        import jwt
        from jose import jwt as jose_jwt
        def f(token, key, opts):
            jwt.decode(token, key, algorithms=["HS256"])
            jwt.decode(token, key, algorithms=ALGS, options={"verify_exp": True})
            jwt.decode(token, key, **opts)
            jose_jwt.decode(token, key, algorithms=["RS256"])
            base64.b64decode(token)
    """
    assert lines(src, "SEC007") == []


def test_jwt_fix_adds_algorithms() -> None:
    src = "import jwt\ndef f(t, k):\n    return jwt.decode(t, k)\n"
    assert 'jwt.decode(t, k, algorithms=["HS256"])' in apply_fix(src, "SEC007")


# ---------------------------------------------------------------------------------------------
# SEC008 insecure-random-secret
# ---------------------------------------------------------------------------------------------


def test_random_positive() -> None:
    src = """
        import random, string
        from random import choice
        def f():
            token = "".join(random.choice(string.ascii_letters) for _ in range(32))
            reset_code = random.randint(100000, 999999)
            session_id = random.getrandbits(128)
            password = "".join(choice(ALPHABET) for _ in range(12))
            user.api_key = "%032x" % random.getrandbits(128)
            otp = str(random.randrange(10**6))
    """
    assert lines(src, "SEC008") == [5, 6, 7, 8, 9, 10]


def test_random_negative() -> None:
    src = """
        import random, secrets
        def f(items):
            delay = random.random() * 2
            sample = random.sample(items, 3)
            token = secrets.token_urlsafe(32)
            token_count = random.randint(1, 5)
            color = random.choice(COLORS)
            rng = random.SystemRandom()
            password = "".join(rng.choice(ALPHABET) for _ in range(12))
    """
    assert lines(src, "SEC008") == []


def test_random_only_for_a_unique_boundary() -> None:
    """Regression (stdlib email/generator.py): a random number that only builds a MIME boundary
    must be unique, not secret; the same name used as a token is still reported."""
    src = """
        import random, sys
        def _make_boundary(text=None):
            token = random.randrange(sys.maxsize)
            boundary = ('=' * 15) + (_fmt % token) + '=='
            return boundary

        def reset_link(user):
            token = random.randrange(sys.maxsize)
            boundary = str(token)
            send(user, f"/reset?token={token}")
    """
    assert lines(src, "SEC008") == [9]


def test_random_fix_to_secrets() -> None:
    src = '"""Doc."""\nfrom __future__ import annotations\nimport random\ntoken = random.choice(WORDS)\n'
    new = apply_fix(src, "SEC008")
    assert "token = secrets.choice(WORDS)" in new
    assert new.index("import secrets") > new.index("from __future__")
    src = "import random\nimport secrets as s\nsid = random.getrandbits(64)\n"
    assert "sid = s.randbits(64)" in apply_fix(src, "SEC008")
    # every finding has its safe fix (docs/security.md): the secrets module's own function where
    # it takes the same arguments, else the same method of secrets.SystemRandom()
    cases = {
        "reset_code = random.randint(0, 9)": "reset_code = secrets.SystemRandom().randint(0, 9)",
        "nonce = random.random()": "nonce = secrets.SystemRandom().random()",
        "salt = random.randbytes(16)": "salt = secrets.token_bytes(16)",
        "otp = random.randrange(10**6)": "otp = secrets.randbelow(10**6)",
        "token = random.randrange(1000, 10000)": "token = secrets.SystemRandom().randrange(1000, 10000)",
        "password = random.sample(WORDS, 4)": "password = secrets.SystemRandom().sample(WORDS, 4)",
    }
    for before, after in cases.items():
        found = findings(f"import random\n{before}\n", "SEC008")
        assert len(found) == 1 and found[0].fixes and all(f.safe for f in found[0].fixes), before
        assert after in apply_fix(f"import random\n{before}\n", "SEC008"), before


# ---------------------------------------------------------------------------------------------
# SEC009 weak-password-hash
# ---------------------------------------------------------------------------------------------


def test_password_hash_positive() -> None:
    src = """
        import hashlib
        def f(password, user, salt):
            a = hashlib.md5(password.encode()).hexdigest()
            b = hashlib.sha256((salt + user.password).encode()).hexdigest()
            user.password_hash = hashlib.sha1(data).hexdigest()
            c = hashlib.new("md5", password.encode())

        def hash_password(pw):
            return hashlib.sha512(pw.encode()).hexdigest()
    """
    assert lines(src, "SEC009") == [4, 5, 6, 7, 10]


def test_password_hash_negative() -> None:
    src = """
        import hashlib
        def f(password, data, path):
            a = hashlib.md5(data).hexdigest()
            b = hashlib.sha256(open(path, "rb").read()).hexdigest()
            c = hashlib.md5(password.encode(), usedforsecurity=False)
            d = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 600_000)
            e = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1)
            etag = hashlib.sha1(body).hexdigest()
            if hashlib.sha256(stored_password_hash).digest() == x:
                pass
    """
    assert lines(src, "SEC009") == []


def test_password_hash_of_someone_elses_protocol() -> None:
    """Issue #16 (streamlink): a digest sent as a protocol's field, and digests chained in a loop
    (EVP_BytesToKey), are a client speaking a format it does not choose; the same digest stored
    under a password or hash key, assigned in a loop without chaining, or used as a key, is
    still reported."""
    src = """
        import hashlib
        def login(session, password, salt):
            session.get(URL, params={"word": hashlib.md5(password.encode()).hexdigest()})
            row = {"user": 1, "password": hashlib.md5(password.encode()).hexdigest()}  # !
            row = {"user": 1, "pw_hash": hashlib.md5(password.encode()).hexdigest()}  # !
            d = d_i = b""
            while len(d) < 48:
                d_i = hashlib.md5(d_i + password + salt).digest()
                d += d_i
            for p in (password,):
                x = hashlib.md5(p + password).digest()  # !
            key = hashlib.sha256(password).digest()[:32]  # !
            return d, row, x, key
    """
    marked = [i for i, line in enumerate(textwrap.dedent(src).splitlines(), 1) if line.rstrip().endswith("# !")]
    assert lines(src, "SEC009") == marked


# ---------------------------------------------------------------------------------------------
# SEC010 hardcoded-secret
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        'AWS_ACCESS_KEY_ID = "AKIAZ7QX4LMN2PRT5VWY"',
        'key = "ghp_' + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8" + '"',
        'stripe.api_key = "sk_live_' + "4eC39HqLyjWDarjtT1zdp7dc" + '"',
        'SLACK = "xoxb-' + "123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx" + '"',
        'GOOGLE = "AIza' + "SyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q" + '"',
        'client = OpenAI(api_key="sk-proj-' + "Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0f" + '")',
        'KEY = "-----BEGIN RSA PRIVATE KEY-----\\nMIIEow..."',
        'DATABASE_URL = "postgresql://app:Xk29fLq7@db.internal:5432/app"',
        'SECRET_KEY = "django-insecure-7f#k2$l9q8w@e1r4t6y&u3i0o5p"',
        'password = "Tr0ub4dor&3"',
        'connect(host="db", password="s3cr3t-pw")',
        'CONFIG = {"api_key": "3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c"}',
        'def login(user, password="hunter22"):\n    pass',
        'KEY = "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBg\\n-----END PRIVATE KEY-----"',
        'SETTINGS = {"stream-password": "stream-pass-2024"}',
    ],
)
def test_secret_positive(line: str) -> None:
    found = findings(line + "\n", "SEC010")
    assert [f.line for f in found] == [1]


@pytest.mark.parametrize(
    "line",
    [
        'api_key = os.environ["API_KEY"]',
        'password = os.getenv("DB_PASSWORD", "")',
        'API_KEY = "your-api-key-here"',
        'password = "changeme"',
        'SECRET_KEY = "<replace me>"',
        'token = "${GITHUB_TOKEN}"',
        'AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"',
        'TOKEN_URL = "https://accounts.example.com/o/oauth2/token"',
        'PASSWORD_FIELD = "password"',
        'password_hint = "At least 8 characters"',
        'token_type = "Bearer"',
        'SECRET_KEY_ENV = "DJANGO_SECRET_KEY"',
        'DATABASE_URL = "postgresql://user:password@localhost/db"',
        'DATABASE_URL = "postgresql://app:${DB_PASS}@db/app"',
        'password = ""',
        'key = "sk-this-is-not-a-key"',
        'cache_key = "user:profile:3f9a8b7c6d5e4f3a2b1c"',
        'def f():\n    """Example: sk_live_4eC39HqLyjWDarjtT1zdp7dc"""',
        'password = prompt("Password: ")',
        # issue #16 (dstack, streamlink): a PEM header alone holds no key; a value that names a setting
        'if not text.startswith("-----BEGIN PRIVATE KEY-----"):\n    pass',
        'RENAMED = {"afreeca-stream-password": "stream-password", "old_api_key": "api.key"}',
    ],
)
def test_secret_negative(line: str) -> None:
    assert lines(line + "\n", "SEC010") == []


def test_secret_messages_never_contain_the_secret() -> None:
    secrets = [
        "AKIAZ7QX4LMN2PRT5VWY",
        "ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8",
        "Xk29fLq7",
        "Tr0ub4dor&3",
    ]
    src = (
        f'A = "{secrets[0]}"\nB = "{secrets[1]}"\nDB = "postgresql://app:{secrets[2]}@db/app"\npassword = "{secrets[3]}"\n'
    )
    found = findings(src, "SEC010")
    assert len(found) == 4
    for f in found:
        text = f.message + repr(f.to_dict())
        for secret in secrets:
            assert secret not in text
            assert secret[5:] not in text


# ---------------------------------------------------------------------------------------------
# SEC011 exception-details-in-response
# ---------------------------------------------------------------------------------------------


def test_exception_exposure_flask_django_fastapi() -> None:
    src = """
        import traceback
        from flask import Flask, jsonify, abort
        from fastapi import FastAPI, HTTPException
        app = Flask(__name__)
        api = FastAPI()

        @app.route("/export")
        def export():
            try:
                run()
            except Exception as e:
                return jsonify(error=str(e)), 500

        @app.route("/tb")
        def tb():
            try:
                run()
            except Exception:
                return traceback.format_exc(), 500

        @api.get("/items")
        async def items():
            try:
                run()
            except Exception as exc:
                raise HTTPException(status_code=500, detail=f"failed: {exc}")

        @app.errorhandler(Exception)
        def on_error(err):
            return {"message": repr(err)}, 500

        def view(request):
            try:
                run()
            except Exception as e:
                return HttpResponse(str(e))
    """
    assert lines(src, "SEC011") == [13, 20, 27, 31, 37]


def test_exception_exposure_negative() -> None:
    src = """
        import logging
        from flask import Flask, jsonify
        app = Flask(__name__)
        log = logging.getLogger(__name__)

        @app.route("/a")
        def a():
            try:
                run()
            except Exception as e:
                log.error("failed: %s", e)
                log.exception(str(e))
                return jsonify(error="internal error"), 500

        @app.route("/b")
        def b():
            try:
                value = int(request.args["n"])
            except ValueError as e:
                return jsonify(error=str(e)), 400   # a specific, user-facing error

        def helper():
            try:
                run()
            except Exception as e:
                return str(e)                       # not a request handler
    """
    assert lines(src, "SEC011") == []


def test_exception_exposure_error_handlers_of_unexpected_errors_only() -> None:
    """Issue #16: a handler registered for the application's own or an HTTP exception class returns
    messages written for the client; a handler of any exception or of a 5xx status does not know
    what it is handed. A handler registered only under ``if DEBUG:`` shows details on purpose."""
    src = """
        from flask import Flask, jsonify
        from werkzeug.exceptions import NotFound
        app = Flask(__name__)

        @app.errorhandler(404)
        def not_found(error):
            return jsonify(message=str(error)), 404

        @app.errorhandler(WrongParameterException)
        def wrong_parameter(error):
            return jsonify(message=str(error)), 400

        @bp.app_errorhandler(AppError)
        def app_error(error):
            return jsonify(message=f"failed: {error}"), 400

        @bp.app_errorhandler(500)
        def internal(error):
            return jsonify(message=str(error)), 500

        @app.errorhandler(builtins.Exception)
        def anything(error):
            return jsonify(message=str(error)), 500

        @app.errorhandler(AppError)
        def app_error_with_catch_all(error):
            try:
                render(error)
            except Exception as e:
                return jsonify(message=str(e)), 500

        if config.DEBUG:
            @app.errorhandler(Exception)
            def debug_details(error):
                return jsonify(message=str(error)), 500
        else:
            @app.errorhandler(Exception)
            def production(error):
                return jsonify(message=str(error)), 500
    """
    assert lines(src, "SEC011") == [20, 24, 31, 40]  # 500, Exception, except Exception, production


# ---------------------------------------------------------------------------------------------
# SEC012 debug-mode-enabled, SEC013 debug-server-exposed
# ---------------------------------------------------------------------------------------------


def test_debug_flask() -> None:
    src = """
        from flask import Flask
        app = Flask(__name__)
        app.debug = True
        app.config["DEBUG"] = True
        if __name__ == "__main__":
            app.run(debug=True)
            app.run("0.0.0.0", 8000, debug=True)
            app.run(host="0.0.0.0", debug=True)
            app.run(host="127.0.0.1", debug=os.environ.get("DEBUG") == "1")
            app.run(host="0.0.0.0")
    """
    assert lines(src, "SEC012") == [4, 5, 7]
    assert lines(src, "SEC013") == [8, 9]
    assert findings(src, "SEC013")[0].severity.value == "error"


def test_debug_django_settings_only() -> None:
    assert lines("DEBUG = True\nALLOWED_HOSTS = []\n", "SEC012", path="proj/settings.py") == [1]
    assert lines("DEBUG = True\n", "SEC012", path="proj/settings/production.py") == [1]
    assert lines("DEBUG = True\n", "SEC012", path="proj/utils.py") == []
    # issue #16 (pretix): the settings of a test run
    assert lines("DEBUG = True\n", "SEC012", path="src/pretix/testutils/settings.py") == []
    assert lines("DEBUG = True\n", "SEC012", path="proj/test_settings.py") == []
    assert lines("DEBUG = True\n", "SEC012", path="proj/settings/tests.py") == []
    assert lines("DEBUG = True\n", "SEC012", path="contest/settings.py") == [1]
    assert lines('DEBUG = os.environ.get("DEBUG") == "1"\n', "SEC012", path="proj/settings.py") == []
    assert lines("class C:\n    DEBUG = True\n", "SEC012", path="settings.py") == []
    assert lines("import argparse\napp.run(debug=True)\n", "SEC012") == []  # not a Flask module


# ---------------------------------------------------------------------------------------------
# SEC014-SEC017, SEC020: web input to sinks
# ---------------------------------------------------------------------------------------------

WEB = textwrap.dedent(
    """
    import os, requests, httpx
    import xml.etree.ElementTree as ET
    from lxml import etree
    from flask import Flask, request, redirect, send_file, send_from_directory, Response
    from markupsafe import Markup, escape
    from werkzeug.utils import secure_filename
    app = Flask(__name__)
    UPLOADS = "/srv/uploads"
    """
)


def test_xss() -> None:
    src = WEB + textwrap.dedent(
        """
        @app.route("/hello/<name>")
        def hello(name):
            q = request.args.get("q", "")
            Markup(f"<b>{q}</b>")
            Response("<p>" + q + "</p>")
            Markup(f"<b>{escape(q)}</b>")
            Markup("<b>static</b>")
            if name:
                return f"<h1>Hello {name}</h1>"
            return f"<h1>Hello {escape(name)}</h1>"

        @app.route("/json")
        def as_json():
            return {"q": request.args["q"]}
        """
    )
    assert lines(src, "SEC014") == [14, 15, 19]


def test_xss_django_and_fastapi() -> None:
    src = """
        from django.http import HttpResponse
        from django.utils.safestring import mark_safe
        from fastapi import FastAPI
        from fastapi.responses import HTMLResponse
        api = FastAPI()

        def view(request):
            name = request.GET.get("name")
            mark_safe("<i>%s</i>" % name)
            return HttpResponse(f"Hello {name}")

        @api.get("/p")
        def page(q: str):
            return HTMLResponse(f"<p>{q}</p>")

        @api.get("/n")
        def number(n: int):
            return HTMLResponse(f"<p>{n}</p>")
    """
    assert lines(src, "SEC014") == [10, 11, 15]


def test_path_traversal() -> None:
    src = WEB + textwrap.dedent(
        """
        @app.route("/download")
        def download():
            name = request.args["file"]
            send_file(os.path.join(UPLOADS, name))
            open(f"{UPLOADS}/{name}").read()
            send_file(os.path.join(UPLOADS, secure_filename(name)))
            send_file(os.path.join(UPLOADS, os.path.basename(name)))
            send_from_directory(UPLOADS, name)
            return open(os.path.join(UPLOADS, "index.html")).read()

        @app.route("/checked")
        def checked():
            path = os.path.realpath(os.path.join(UPLOADS, request.args["file"]))
            if not path.startswith(UPLOADS + os.sep):
                abort(404)
            return send_file(path)
        """
    )
    assert lines(src, "SEC015") == [14, 15]


def test_path_traversal_last_segment_of_a_pathlib_path_is_clean() -> None:
    """``Path(name).name``, ``.stem`` and ``.suffix`` are the last segment of the path, with no
    separator in it, as ``os.path.basename`` is: a name kept that way (or a uuid name keeping the
    client's suffix) cannot leave the directory.  ``Path(name)`` itself, its ``parent`` or
    ``parts``, and the name as it is are still reported."""
    src = WEB + textwrap.dedent(
        """
        import uuid
        from pathlib import Path, PurePosixPath
        ROOT = Path(UPLOADS)

        @app.post("/up")
        def up():
            f = request.files["file"]
            (ROOT / Path(f.filename).name).write_bytes(f.read())
            (ROOT / f"{uuid.uuid4().hex}{Path(f.filename).suffix.lower()}").write_bytes(f.read())
            (ROOT / f"{PurePosixPath(f.filename).stem}.txt").write_text("x")
            (ROOT / Path(f.filename)).write_bytes(f.read())
            (ROOT / str(Path(f.filename).parent) / "x").write_bytes(f.read())
            (ROOT / f.filename).write_bytes(f.read())
            return "ok"
        """
    )
    assert lines(src, "SEC015") == [21, 22, 23]


def test_ssrf() -> None:
    src = WEB + textwrap.dedent(
        """
        @app.route("/fetch")
        def fetch():
            url = request.args["url"]
            requests.get(url)
            httpx.post(request.form["hook"], json={})
            requests.get(f"https://{request.args['host']}/status")
            requests.get(f"https://api.example.com/items/{request.args['id']}")
            with httpx.Client() as client:
                client.get(url)
            requests.get("https://api.example.com/health")
            return ""
        """
    )
    assert lines(src, "SEC016") == [14, 15, 16, 19]


def test_ssrf_with_host_check_is_silent() -> None:
    src = WEB + textwrap.dedent(
        """
        from urllib.parse import urlparse
        @app.route("/fetch")
        def fetch():
            url = request.args["url"]
            if urlparse(url).hostname not in ALLOWED_HOSTS:
                abort(400)
            return requests.get(url).text
        """
    )
    assert lines(src, "SEC016") == []


def test_open_redirect() -> None:
    src = WEB + textwrap.dedent(
        """
        @app.route("/login")
        def login():
            nxt = request.args.get("next")
            if nxt:
                return redirect(nxt)
            return redirect(f"/users/{request.args['id']}")

        @app.route("/go")
        def go():
            return redirect(request.args.get("to", "/"))

        @app.route("/home")
        def home():
            return redirect(url_for("index"))
        """
    )
    assert lines(src, "SEC017") == [15, 20]


def test_open_redirect_to_a_url_built_for_this_site() -> None:
    """Issue #16 (pretix): ``reverse("login") + "?next=" + quote(path)`` starts on this site,
    whatever the query says. Input at the start of the target, or a builder's result placed after
    input, is still reported. The request's own path in a view stays on this site (the view was
    routed here by its URL pattern; pretix, issue #16); in middleware, which sees every path, it is
    still reported (``//host`` paths, CVE-2018-14574)."""
    src = """
        from urllib.parse import quote
        from django.shortcuts import redirect
        from django.urls import reverse
        def view(request):
            if request.GET.get("a"):
                return redirect(reverse("control:user.reauth") + "?next=" + quote(request.get_full_path()))
            if request.GET.get("b"):
                return redirect(request.GET["to"] + reverse("index"))
            return redirect(request.get_full_path())
        class SlashMiddleware:
            def __call__(self, request):
                return redirect(request.get_full_path() + "/")
        def process_request(request):
            return redirect(request.path)
    """
    assert lines(src, "SEC017") == [9, 13, 15]


def test_open_redirect_to_a_fixed_origin_is_silent() -> None:
    """calibre-web 0.6.27's Kobo proxy: ``redirect(KOBO_STOREAPI_URL + "/" + request_path)`` with
    ``KOBO_STOREAPI_URL = "https://storeapi.kobo.com"``: the scheme and host are the module's
    constant text and a ``/`` follows them, so the browser goes to that host whatever the path
    says.  Look-alikes still reported: a constant without a ``/`` after its host
    (``"https://shop.example" + x`` reaches ``shop.example.evil.com``), an empty or path-only
    prefix (``"" + "/" + x`` is ``//evil.com``), a base bound more than once."""
    src = """
        from flask import Flask, redirect, request
        app = Flask(__name__)
        STORE = "https://storeapi.kobo.com"
        IMAGES = "https://cdn.kobo.com/book-images"
        SHOP = "https://shop.example"
        ROOT = ""
        PREFIX = "/app"
        MIRROR = "https://a.example"
        if request:
            MIRROR = "https://b.example"
        @app.route("/a/<path:rest>")
        def a(rest):
            if request.args.get("i"):
                return redirect(IMAGES + "/{uuid}/image.jpg".format(uuid=request.args["u"]))
            if request.args.get("x"):
                return redirect(f"{STORE}/{request.args['p']}")
            return redirect(STORE + "/" + request.args["p"])
        @app.route("/b")
        def b():
            if request.args.get("s"):
                return redirect(SHOP + request.args["p"])
            if request.args.get("r"):
                return redirect(ROOT + "/" + request.args["p"])
            if request.args.get("m"):
                return redirect(MIRROR + "/" + request.args["p"])
            return redirect(PREFIX + "/" + request.args["p"])
    """
    assert lines(src, "SEC017") == [22, 24, 26, 27]


def test_open_redirect_to_a_helper_returning_a_fixed_origin_is_silent() -> None:
    """calibre-web 0.6.27's ``redirect(get_store_url_for_current_request(), 307)``: the module's
    helper returns ``KOBO_STOREAPI_URL + "/" + request_path`` on its only path, so the target's
    host is the store's whatever the request says.  Still reported: a helper with another return
    (the request's own ``next`` on one branch) and one whose constant has no ``/`` after the host."""
    src = """
        from flask import Flask, redirect, request
        app = Flask(__name__)
        STORE = "https://storeapi.kobo.com"
        SHOP = "https://shop.example"
        def store_url():
            __, __, path = request.full_path.rpartition("/kobo/")
            return STORE + "/" + path
        def mixed_url():
            if request.args.get("n"):
                return request.args["next"]
            return STORE + "/" + request.path
        def shop_url():
            return SHOP + request.path
        @app.route("/a")
        def a():
            if request.args.get("m"):
                return redirect(mixed_url())
            if request.args.get("s"):
                return redirect(shop_url())
            return redirect(store_url(), 307)
    """
    assert lines(src, "SEC017") == [18, 20]


def test_markup_made_plain_text_at_once_is_not_html() -> None:
    """calibre-web 0.6.27: ``Markup(request.form.get('comments')).unescape()`` is a str at once (the
    book's stored comment), not markup on a page.  Still reported: ``Markup(x)`` kept, or
    unescaped later and wrapped again, and ``Markup(x).upper()`` (still markup)."""
    src = """
        from flask import Flask, request
        from markupsafe import Markup
        app = Flask(__name__)
        @app.route("/a", methods=["POST"])
        def a():
            plain = Markup(request.form.get("comments")).unescape()
            text = Markup(request.form["c"]).striptags()
            kept = Markup(request.form["k"])
            upper = Markup(request.form["u"]).upper()
            return {"plain": plain, "text": text, "kept": kept, "upper": upper}
    """
    assert lines(src, "SEC014") == [9, 10]


def test_open_redirect_checked_is_silent() -> None:
    src = """
        from django.shortcuts import redirect
        from django.utils.http import url_has_allowed_host_and_scheme
        def view(request):
            nxt = request.GET.get("next", "/")
            if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
                nxt = "/"
            return redirect(nxt)
    """
    assert lines(src, "SEC017") == []


def test_xml_entities() -> None:
    src = WEB + textwrap.dedent(
        """
        @app.route("/upload", methods=["POST"])
        def upload():
            root = ET.fromstring(request.data)
            doc = etree.fromstring(request.get_data())
            local = ET.parse("config.xml")
            return ""
        """
    )
    assert lines(src, "SEC020") == [13, 14]


def test_web_rules_silent_outside_web_code() -> None:
    src = """
        import os, requests
        def fetch(url, name):
            requests.get(url)
            return open(os.path.join("/data", name)).read()
    """
    assert findings(src) == []


# ---------------------------------------------------------------------------------------------
# SEC018 insecure-temp-file, SEC019 world-writable-permissions
# ---------------------------------------------------------------------------------------------


def test_mktemp_and_fix() -> None:
    src = "import os\nimport tempfile\ndef f():\n    path = tempfile.mktemp(suffix='.csv')\n    return path\n"
    assert lines(src, "SEC018") == [4]
    new = apply_fix(src, "SEC018")
    assert "    fd, path = tempfile.mkstemp(suffix='.csv')\n    os.close(fd)\n" in new
    assert lines("import tempfile\ntempfile.mkstemp()\ntempfile.NamedTemporaryFile()\n", "SEC018") == []
    # no `import os` in the module: reported without a fix
    assert no_fix("import tempfile\np = tempfile.mktemp()\n", "SEC018")


def test_world_writable() -> None:
    src = """
        import os, stat
        from pathlib import Path
        os.chmod(p, 0o777)
        os.chmod(p, 0o666)
        os.chmod(p, stat.S_IRWXU | stat.S_IRWXG | stat.S_IRWXO)
        Path(p).chmod(0o757)
        os.chmod(p, 0o755)
        os.chmod(p, 0o600)
        os.chmod(p, stat.S_IRUSR | stat.S_IWUSR)
        os.chmod(p, mode)
    """
    assert lines(src, "SEC019") == [4, 5, 6, 7]
    assert "os.chmod(p, 0o644)" in apply_fix(src, "SEC019", index=1)


# ---------------------------------------------------------------------------------------------
# Metadata
# ---------------------------------------------------------------------------------------------


def test_every_sec_rule_is_documented_with_cwe() -> None:
    from vetpy.rules import REGISTRY, load_all

    load_all()
    sec = [r for r in REGISTRY.rules.values() if r.family == "SEC"]
    assert len(sec) == 45
    for r in sec:
        assert r.cwe and r.summary and r.rationale and r.bad.strip() and r.good.strip()
        assert r.name == r.name.lower() and " " not in r.name
        ast.parse(textwrap.dedent(r.good))


def test_every_sec_rule_module_is_dispatched() -> None:
    """A rule module of the package is in its list of modules, and the checker reports exactly
    the SEC rules of the registry (no code range to keep in step)."""
    import importlib
    import pkgutil

    import vetpy.rules.sec
    from vetpy.rules import REGISTRY, load_all

    sec = vetpy.rules.sec
    load_all()
    declared = [importlib.import_module(f"vetpy.rules.sec.{m.name}") for m in pkgutil.iter_modules(sec.__path__)]
    modules = [m.MODULE for m in declared if hasattr(m, "MODULE")]
    assert len(modules) == len(sec.MODULES) and all(m in sec.MODULES for m in modules)
    entry = next(e for e in REGISTRY.checkers if e.func is sec.check_security)
    assert entry.codes == sec.WALK.codes == {r.code for r in REGISTRY.rules.values() if r.family == "SEC"}


def test_sql_assembled_but_executed_elsewhere() -> None:
    src = """
        def build(identifier, table, value):
            query = "SELECT * FROM foo WHERE id = '%s'" % identifier
            q2 = f"INSERT INTO foo VALUES ('a', '{value}')"
            q3 = f"SELECT * FROM {table} WHERE id = :id"          # identifier of unknown origin
            msg = f"delete from the cache: {identifier}"           # prose, not a statement
            return query, q2, q3, msg
    """
    found = findings(src, "SEC024")
    assert [f.line for f in found] == [3, 4, 5]
    assert all(f.severity.value == "warning" for f in found)
    assert "value position" in found[0].message and "identifier" in found[2].message


def test_secret_password_compared_with_literal_and_short_passwords() -> None:
    src = """
        def login(password, user):
            if password == "root":
                return True
            if user.password != "s3cr3t!":
                return False
            if password == "":
                return None
        doLogin(password="blerg")
        passphrase = "1234"
        my_secret_password_for_email = "d6s$f9g!j8mg7hw?n&2"
        password_for_email = "change me later"
        reset_password_email = "reset@example.com"
        password = "none"
    """
    assert lines(src, "SEC010") == [3, 5, 9, 10, 11]


def test_jinja_autoescape_off() -> None:
    src = """
        import jinja2
        from jinja2 import Environment, select_autoescape
        OFF = ""
        jinja2.Environment(autoescape=False)
        Environment(loader=loader, autoescape=OFF)
        Environment(autoescape=True)
        Environment(autoescape=select_autoescape())
        Environment(loader=loader)
        Environment()
    """
    assert lines(src, "SEC014") == [5, 6, 9]


def test_jinja_autoescape_missing() -> None:
    """jinja2's autoescape defaults to off: an Environment loading template files, or any
    Environment in a web module, renders HTML templates unescaped."""
    src = """
        import jinja2
        env = jinja2.Environment(loader=jinja2.FileSystemLoader("templates"))
        text_env = jinja2.Environment(trim_blocks=True)
        conf = jinja2.Environment(loader=loader, **options)
        safe = jinja2.Environment(loader=loader, autoescape=jinja2.select_autoescape())
    """
    found = findings(src, "SEC014")
    assert [f.line for f in found] == [3]
    assert found[0].severity.value == "warning"
    web = """
        from flask import Flask
        from jinja2 import Environment
        app = Flask(__name__)
        env = Environment()
    """
    assert lines(web, "SEC014") == [5]


def test_jinja_autoescape_off_for_text_templates() -> None:
    """An environment whose templates are all named as text (SMS bodies, plain-text e-mail parts,
    Markdown) renders no HTML: autoescaping would put `&amp;` into a text message.  One HTML name
    among them, a name without a suffix, or names that are not literals, and it is reported."""
    src = """
        from jinja2 import DictLoader, Environment
        SMS = {"reminder.txt": "Rent of {{ amount }} is due", "receipt.sms": "Paid {{ amount }}"}
        MIXED = {"reminder.txt": "Due {{ amount }}", "receipt.html": "<p>{{ name }}</p>"}
        BARE = {"reminder": "Due {{ amount }}"}
        texts = Environment(loader=DictLoader(SMS), autoescape=False)
        notes = Environment(loader=DictLoader({"a.md": "# {{ title }}"}), autoescape=False)
        mixed = Environment(loader=DictLoader(MIXED), autoescape=False)
        bare = Environment(loader=DictLoader(BARE), autoescape=False)
        pages = Environment(loader=DictLoader(load_pages()), autoescape=False)
        inline = Environment(loader=DictLoader({"a.html": "<b>{{ x }}</b>"}), autoescape=False)
    """
    assert lines(src, "SEC014") == [8, 9, 10, 11]


def test_jinja_autoescape_fix() -> None:
    src = 'import jinja2\nenv = jinja2.Environment(loader=jinja2.FileSystemLoader("t"))\n'
    assert 'jinja2.Environment(loader=jinja2.FileSystemLoader("t"), autoescape=jinja2.select_autoescape())' in apply_fix(src, "SEC014")
    src = '"""Doc."""\nfrom jinja2 import Environment, FileSystemLoader\nenv = Environment(\n    loader=FileSystemLoader("t"),\n)\n'
    new = apply_fix(src, "SEC014")
    assert 'loader=FileSystemLoader("t"), autoescape=select_autoescape(),' in new
    assert "from jinja2 import select_autoescape\n" in new
    src = "from flask import Flask\nfrom jinja2 import Environment, select_autoescape\nenv = Environment()\n"
    assert "env = Environment(autoescape=select_autoescape())" in apply_fix(src, "SEC014")


def test_sql_home_made_template_with_replace() -> None:
    src = SQLITE + textwrap.dedent(
        """
        def f(cur, ident):
            cur.execute("SELECT * FROM foo WHERE id = '[VALUE]'".replace("[VALUE]", ident))
            cur.execute("SELECT * FROM foo WHERE id = '[VALUE]'".replace("[VALUE]", "1"))
        """
    )
    assert lines(src, "SEC024") == [4]
    assert "cur.execute('SELECT * FROM foo WHERE id = ?', (ident,))" in apply_fix(src, "SEC024")


def test_secret_name_words_inside_other_names() -> None:
    src = "_token_end = r'(?=\\\\s|#|[)\\\\]]|$)[a-z]'\nsecret_sauce_recipe = 'Kj8#mP2$vL9qR4tW'\n"
    assert lines(src, "SEC010") == []


def test_secret_in_subscript_assignment() -> None:
    assert lines('d["password"] = "blerg"\nconfig["api_key"] = "3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c"\n', "SEC010") == [1, 2]



def test_imports_are_found_with_every_line_ending_style():
    """Regression (found by tests/test_fuzz_engine.py): with lone-CR line endings the import of
    `tempfile` inside a block was missed, so `tempfile.mktemp()` went unreported."""
    from vetpy.engine import check_source

    text = "tempfile.mktemp()\nif 0:\n    import tempfile\n"
    for newline in ("\n", "\r\n", "\r"):
        found = check_source(text.replace("\n", newline), "x.py")
        assert [f.code for f in found] == ["SEC018"], newline


def test_stdlib_review_false_positives() -> None:
    """Regressions from sampling vetpy's findings on the standard library: none of these is a
    problem a reviewer would accept being told about."""
    # asyncio/unix_events.py: a wrapper forwarding the caller's `shell` choice
    assert lines("import subprocess\ndef _start(args, shell):\n    subprocess.Popen(args, shell=shell)\n", "SEC025") == []
    # _osx_support.py: a value quoted for the shell with the '"'"' idiom inside single quotes
    src = """
        import os
        def f(cc):
            os.system("echo 'int main{};' | '%s' -c -x c -o /dev/null /dev/null" % (cc.replace("'", "'\\"'\\"'"),))
            os.system("echo '%s'" % cc.replace("'", "'\\\\''"))
            os.system("echo '%s'" % cc)
    """
    assert lines(src, "SEC025") == [6]
    # test_sqlite3: integers from range() spliced into SQL
    src = SQLITE + "def f(cx):\n    for n in range(500):\n        cx.execute(f'select {n}')\n        cx.execute('select 1 x union select ' + str(n))\n"
    assert lines(src, "SEC024") == []
    # asyncio/sslproto.py: no host name to check
    src = """
        import ssl
        def ctx(server_hostname, host):
            c = ssl.create_default_context()
            if not server_hostname:
                c.check_hostname = False
            if host is None:
                c.check_hostname = False
            else:
                c.check_hostname = False
            c.check_hostname = False
    """
    assert lines(src, "SEC006") == [10, 11]
    # test_urllib2_localnet.py, test_smtplib.py: passwords meant to be rejected
    src = 'INCORRECT_PASSWD = "Incorrect"\nsmtp.password = "doesnotexist"\nctx.load(password="badpass")\nWRONG_PASSWORD = "hunter3"\npassword = "hunter2"\n'
    assert lines(src, "SEC010") == [5]


def test_sql_text_returned_or_mixed_with_identifiers() -> None:
    """SQL text with a value spliced into a value position is reported where it is built even
    when it is returned, when an identifier is spliced beside it, and for INSERT/REPLACE without
    INTO; so is an identifier of unknown origin alone (ruff's S608 fixture, the reviewer policy)."""
    src = '''
        def q1(var):
            return """
            SELECT *
            FROM table
            WHERE var = %s
            """ % var

        def q2(var):
            return (
                "SELECT * FROM table "
                f"WHERE var = {var}"
            )

        def q3(table, var):
            query = "DELETE FROM " + table + " WHERE var = " + var
            a = "INSERT table VALUES (%s)" % (var,)
            b = "REPLACE INTO table VALUES (%s)" % (var,)
            c = "SELECT %s FROM table" % (var,)
            return f"SELECT {var} FROM bar"

        def q4(var):
            return "SELECT * FROM t WHERE id = ?"
    '''
    assert lines(src, "SEC024") == [3, 11, 16, 17, 18, 19, 20]


def test_crypt_with_weak_method() -> None:
    src = """
        import crypt
        crypt.crypt(word, salt=crypt.METHOD_CRYPT)
        crypt.crypt(word, crypt.METHOD_MD5)
        crypt.crypt(word, salt=crypt.METHOD_SHA512)
        crypt.crypt(word, crypt.METHOD_BLOWFISH)
        crypt.crypt(word)
        crypt.mksalt(crypt.METHOD_SHA256)
    """
    assert lines(src, "SEC009") == [3, 4]


def test_secret_names_with_made_up_values_and_annotations() -> None:
    """From ruff's S105 fixture: annotated and chained assignments are found by the trigger-line
    gate too (findings() compares it with a full walk); `s3cr3t`-style values count for
    secret/token names; PassWord is a password name; lexer-style tokens are not secrets."""
    src = """
        password: str = "s3cr3t"
        password = safe = "s3cr3t"
        secret = "s3cr3t"
        token = "s3cr3t"
        PassWord = "s3cr3t"
        if token == "s3cr3t":
            pass
        token = "NAME"
        token = "sha256"
        if token == "(":
            pass
        api_version = "v1beta1"
    """
    assert lines(src, "SEC010") == [2, 3, 4, 5, 6, 7]


def test_chmod_modes_partly_known_or_not_modes() -> None:
    src = """
        import os
        def f(path, mode):
            os.chmod(path, mode | 0o777)
            os.chmod(path, mode | 0o700)
            os.chmod(path, mode & 0o777)
            os.chmod(path, 0o777777 & 0o777)
            os.chmod(path, 0o777777 & 0o700)
            os.chmod(path, 99999999999999999999999)
    """
    assert lines(src, "SEC019") == [4, 7]
    assert findings(src, "SEC019")[0].fixes == ()


def test_debug_run_on_a_constant_and_pickle_without_data() -> None:
    src = "from flask import Flask\napp = Flask(__name__)\napp.run(debug=True)\napp = 1\napp.run(debug=True)\nfoo.run(debug=True)\n"
    assert lines(src, "SEC012") == [3]
    src = "from flask import Flask\nfrom myapp import app\napp.run(debug=True)\ndef main(server):\n    server.run(debug=True)\n"
    assert lines(src, "SEC012") == [3, 5]
    assert lines("import pickle\npickle.loads()\npickle.loads(data)\n", "SEC005") == [3]


def test_secret_placeholders_and_public_values() -> None:
    """From detect-secrets' plugin tests: one repeated character after a provider prefix, counting
    sequences, Stripe publishable keys and JWTs without a signature are not secrets; Mailchimp keys
    and PyPI tokens are recognised under any name."""
    src = """
        value = "AKIAZZZZZZZZZZZZZZZZ"
        auth_token = "01234567890123456789"
        auth_token = "pk_live_j5krY8XTgIcDaHDb3YrsAfCl"
        auth_token = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIn0"
        auth_token = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
        value = "343ea45721923ed956e2b38c31db76aa-us30"
        value = "pypi-AgEIcHlwaS5vcmc" + "x"
        value = "pypi-AgEIcHlwaS5vcmcCJDU3OTM1MjliLWIyYTYtNDEwOC05NzRkLTM0MjNiNmEwNWIzYgACF1sxLFsitesttestbWluaW1hbC1wcm9qZWN0"
        auth_token = "c3VwZXIgbG9uZyBzdHJpbmcgc2hvdWxk"
    """
    assert lines(src, "SEC010") == [7, 9, 10]
    assert "343e" in findings(src, "SEC010")[0].message and "343ea457" not in findings(src, "SEC010")[0].message


def test_secrets_are_never_printed_in_full() -> None:
    """The issue's bad-input rule: no output format (text, JSON, SARIF, LSP diagnostics, baseline
    file) shows a detected secret; messages carry at most a four-character prefix and the length."""
    import json
    from pathlib import Path

    from vetpy.baseline import Baseline, with_snippets
    from vetpy.lsp.convert import to_diagnostics
    from vetpy.report.json_report import render_json
    from vetpy.report.sarif import render_sarif
    from vetpy.report.text import render_text

    secrets = {
        "AKIAIOSFODNN7EXAMPLF": 'AWS = "{}"',
        "sk_live_ReTllpYQYfIZu2Jnf2lAPFjD": 'stripe = "{}"',
        "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": 'GH = "{}"',
        "3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c": 'api_key = "{}"',
        "hunter2hunter2": 'password = "{}"',
        "Sup3rS3cretPw": 'DB = "postgresql://admin:{}@db.example.com/app"',
        "MIIEowIBAAKCAQEA7bq98yKw": 'KEY = "-----BEGIN RSA PRIVATE KEY-----\\n{}\\n-----END RSA PRIVATE KEY-----"',
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c": 'tok = "{}"',
    }
    src = "".join(template.format(secret) + "\n" for secret, template in secrets.items())
    found = with_snippets(findings(src, "SEC010"), src)
    assert len(found) == len(secrets)
    outputs = {
        "text": render_text(found),
        "json": render_json(found),
        "sarif": render_sarif(found),
        "lsp": json.dumps([{"message": d.message, "data": d.data} for d in to_diagnostics(found, src, "utf-16", 1)]),
        "baseline": json.dumps([e.to_dict() for e in Baseline.from_findings(Path("base.json"), found).entries]),
    }
    for fmt, out in outputs.items():
        for secret in secrets:
            assert secret[:10] not in out, (fmt, secret)  # (SARIF's rule help shows "sk_live_...")
    for finding in found:
        assert not any(secret[:5] in finding.message for secret in secrets), finding.message


def test_sql_text_with_an_untrusted_identifier_built_elsewhere() -> None:
    """An identifier from request input or the command line spliced into SQL text is reported
    where the text is built even when it is executed elsewhere (an error: the source is known);
    an identifier of unknown origin is a warning."""
    src = """
        import sys
        from flask import Flask, request
        app = Flask(__name__)

        @app.route("/items")
        def items():
            query = f"SELECT {request.args['col']} FROM items"
            other = f"SELECT {column} FROM items"
            return run(query, other)

        def main():
            return "SELECT * FROM t ORDER BY %s" % sys.argv[1]
    """
    found = findings(src, "SEC001")
    assert [f.line for f in found] == [8, 13]
    assert [f.severity.value for f in found] == ["error", "error"]
    assert "allow-list" in found[0].message
    [unknown] = findings(src, "SEC024")
    assert unknown.line == 9 and unknown.severity.value == "warning"


# ---------------------------------------------------------------------------------------------
# SEC024: SQL text built with a splice of unknown origin but not executed here
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        'query = "SELECT %s FROM table" % (var,)',
        'query = "SELECT var FROM " + table',
        'query = "SELECT " + val + " FROM " + table',
        'query = "SELECT {} FROM table;".format(var)',
        'query = "select %s from table" % (var,)',
        'query = "select {} from table;".format(var)',
        'query = f"INSERT INTO {table} (a, b) VALUES (?, ?)"',
        'query = f"UPDATE {table} SET a = ?"',
        'query = f"DELETE FROM {table} WHERE id = :id"',
        'query: str = f"SELECT * FROM {table} WHERE id = %s"',
        'return f"""\n    SELECT {var}\n        FROM bar\n    """',
        'return f"""SELECT * FROM\n{var}.table\n"""',
        'a()("SELECT %s FROM foo" % val)',
        'run_query(sql=f"SELECT * FROM {table} ORDER BY {var}")',
        'parts.append("SELECT * FROM %s" % table)',
        'parts.append("SELECT * FROM %s" % self.table)',
        'query = f"SELECT to_char(created) FROM {table}"',
        'query = "UPDATE users SET note = \'you can\'\'t log in\' WHERE id = %s" % var',
    ],
)
def test_sql_text_with_unknown_identifier_built_here(body: str) -> None:
    src = f"def build(self, var, val, table, parts, a, run_query):\n    {body}\n"
    found = findings(src, "SEC024")
    assert [f.line for f in found] == [2]
    assert found[0].severity.value == "warning"
    assert found[0].cwe == (89,)
    assert "(not executed here)" in found[0].message or "(passed to `" in found[0].message
    assert not found[0].fixes


def test_sql_text_passed_to_a_call_names_the_callee() -> None:
    """`spark.sql(...)`, `db.query(...)`: vetpy does not know whether the callee runs the text, so
    the message says where it goes instead of "not executed here"."""
    [f] = findings('def f(spark, table):\n    spark.sql(f"SELECT * FROM {table}")\n', "SEC024")
    assert "(passed to `spark.sql`)" in f.message and "spliced in as an identifier" in f.message
    [f] = findings('def f(table):\n    q = f"SELECT * FROM {table}"\n    return q\n', "SEC024")
    assert "(not executed here)" in f.message


@pytest.mark.parametrize(
    "src",
    [
        # constant table names: a module constant, a constant dict, an allow-list, an `if` choice
        'TABLE = "users"\ndef f():\n    return f"SELECT * FROM {TABLE} WHERE id = ?"\n',
        'table = "users"\nquery = f"SELECT * FROM {table} WHERE id = :id"\n',
        'TABLES = {"u": "users", "i": "items"}\ndef f(kind):\n    return f"SELECT * FROM {TABLES[kind]}"\n',
        'def f(table):\n    if table not in ("users", "items"):\n        raise ValueError(table)\n    return f"SELECT * FROM {table}"\n',
        'def f(new):\n    column = "created_at" if new else "name"\n    return f"SELECT * FROM t ORDER BY {column}"\n',
        'def f(x):\n    if x:\n        table = "a"\n    else:\n        table = "b"\n    return "SELECT * FROM " + table\n',
        'def f(n):\n    return f"SELECT * FROM t LIMIT {int(n)}"\n',
        # identifiers quoted by the driver or the ORM (Django's backends, SQLAlchemy's dialects)
        'def f(ops, table):\n    return "SELECT * FROM %s" % ops.quote_name(table)\n',
        'def f(table):\n    return f"SELECT * FROM {quote_identifier(table)}"\n',
        'def f(self):\n    cache_key = self.quote_name("cache_key")\n    return f"SELECT {cache_key} FROM %s ORDER BY {cache_key} LIMIT 1"\n',
        (
            'def f(self, schema):\n    qschema = self.identifier_preparer.quote_identifier(schema)\n    master = f"{qschema}.sqlite_master"\n'
            '    s = ("SELECT sql FROM %s WHERE name = ?") % (master,)\n'
        ),
        'def f(self, seq):\n    return self._execute_scalar("SELECT " + self.identifier_preparer.format_sequence(seq) + ".nextval FROM DUAL")\n',
        # SQL fragments built elsewhere, composed by a query compiler
        'def f(sql, params):\n    return RawSQL("SELECT * FROM (%s) subquery" % sql, params)\n',
        'def f(part_sql):\n    part_sql = "SELECT * FROM ({})".format(part_sql)\n',
        'def f(sql, inner_query_sql):\n    sql = "SELECT %s FROM (%s) subquery" % (sql, inner_query_sql)\n',
        'def f(placeholder_rows):\n    return f"SELECT * FROM {placeholder_rows}"\n',
        # peewee: escaped for a double-quoted identifier
        'def f(self, schema=None):\n    schema = qesc(schema or "main")\n    return self.execute_sql(\'SELECT name FROM "%s".sqlite_master\' % schema)\n',
        # sqlite-utils: column lists built here from a helper that quotes each name, SQL fragments by design
        (
            'def f(self, cols, conversions):\n'
            '    def _expr(col):\n        return quote_identifier(col)\n'
            '    a = "INSERT INTO t ({})\\n SELECT {} FROM s".format(", ".join(_expr(c) for c in cols), "x")\n'
            '    b = "UPDATE t SET {pairs}".format(pairs=", ".join("{} = {}".format(quote_identifier(c), conversions.get(c, "?")) for c in cols))\n'
        ),
        # pandas: a column list joined from names quoted by a local alias of a quoting helper
        (
            'def f(self, names):\n    escape = _get_valid_sqlite_name\n    col_names = ",".join([escape(c) for c in names])\n'
            '    return f"INSERT INTO {escape(self.name)} ({col_names}) VALUES (?)"\n'
        ),
        # awscli: an UPPER_CASE constant of the class body
        'class Reader:\n    _ORDERING = "ORDER BY timestamp"\n    _GET = "SELECT * FROM records WHERE id = ? %s" % _ORDERING\n',
        # a test's expected compiled text
        'def test(self, nextval):\n    self.assert_compile(stmt, "INSERT INTO x (y) VALUES (%s)" % (nextval,))\n',
        # prose, log messages, errors, docstrings that mention select ... from
        'def f(n, src):\n    msg = f"Selected {n} items from {src}"\n',
        'def f(n, src):\n    msg = f"Select {n} items from {src}"\n',
        'def f(n, src):\n    return f"select the {n} items from {src} first"\n',
        'def f(n, src):\n    msg = "Delete from %s: %d rows" % (src, n)\n',
        'def f(name, log):\n    log.debug("SELECT * FROM %s" % name)\n',
        'def f(name):\n    print(f"SELECT * FROM {name}")\n',
        'def f(name):\n    raise ValueError(f"SELECT * FROM {name} failed")\n',
        'def f(name):\n    """SELECT * FROM {name}"""\n',
        'def f(name):\n    msg = f"Could not select rows from {name}"\n',
        'def f(x):\n    q = "Deselect something that is not SQL even though it has a \' from \' somewhere in %s." % x\n',
        'def f(var):\n    q = f"""\nPRESELECT *\nFROM {var}.table\n"""\n',
        'def f(var):\n    q = f"update {var} settings"\n',
        'def f(key, value):\n    q = f"update {key} set to {value}"\n',
        'def f(n, src):\n    q = f"select {n} rows from {src} that you can\'t see"\n',
        'x = 1\n"SELECT * FROM " + ("table1" if x > 0 else "table2")\n',
        # formatted but with constants only
        'q = "SELECT * FROM t WHERE a = %s" % "there"\n',
    ],
)
def test_sql_text_look_alikes_built_here_are_silent(src: str) -> None:
    assert lines(src, "SEC024") == []


# ---------------------------------------------------------------------------------------------
# SEC010: `pass` and `secrete` names, chained comparisons
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        '_pass = "s3cr3t"',
        'PASS = "hunter22"',
        'pass_ = "Tr0ub4dor"',
        'db_pass = "admin123"',
        'DB_PASS = "x9Lk2mQ7"',
        'SMTP_PASS = "s3cr3t!"',
        'user_pass = "P@ssw0rd"',
        'd["pass"] = "s3cr3t"',
        'MyClass._pass = "s3cr3t"',
        'if _pass == "s3cr3t":\n    pass',
        'connect(host="db", db_pass="hunter22")',
        'secrete = "s3cr3t"',
        'd["secrete"] = "s3cr3t"',
        'MyClass.secrete = "s3cr3t"',
        'if secrete == "s3cr3t":\n    pass',
        'if password == safe == "s3cr3t":\n    pass',
        'if password == confirm == "s3cr3t":\n    pass',
    ],
)
def test_secret_pass_and_secrete_names(line: str) -> None:
    found = findings(line + "\n", "SEC010")
    assert [f.line for f in found] == [1]
    assert "s3cr3t" not in found[0].message and "hunter22" not in found[0].message


@pytest.mark.parametrize(
    "line",
    [
        # `pass` inside another word, or not the last word
        'passenger = "Jo3hn22"',
        'compass = "N0rth22"',
        'bypass = "c4che22"',
        'passive = "m0de22"',
        'passthrough = "a1b2c3"',
        'pass_count = "3"',
        'pass_through = "x9y8z7"',
        'PASS_COLOR = "gr33n1"',
        'password_hint = "8 chars1"',
        'password_field = "pw1d"',
        'passed_msg = "You have passed!"',
        'impassable = "You shall not pass!"',
        # `pass` as a compiler, render or test-run pass
        'first_pass = "stage2"',
        'render_pass = "shadow1"',
        'compiler_pass = "inline2"',
        'test_pass = "ok"',
        # test outcomes and terminal colours under PASS
        'PASS = "passed"',
        'PASS = "PASSED"',
        'PASS = "pass"',
        'PASS = "\\033[92m"',
        'PASS = "[PASS]"',
        'PASS = "<pass>"',
        'pass_ = "ok"',
        'if result == "passed":\n    pass',
        # `secrete` is also a verb: a plain word is not a credential
        'secrete = "mucus"',
        # a chained comparison where the literal is not compared with the password
        'if password == safe < "s3cr3t":\n    pass',
        'if x == y == "s3cr3t":\n    pass',
    ],
)
def test_secret_pass_look_alikes(line: str) -> None:
    assert lines(line + "\n", "SEC010") == []


def test_sql_value_in_text_passed_to_an_unknown_query_function() -> None:
    """peewee's playhouse: a value spliced between quotes, run by a driver method vetpy does not
    know (`execute_sql`): reported where the text is built, as a value."""
    src = """
        def _fts_cmd(cls, cmd):
            tbl = cls._meta.table_name
            return cls._meta.database.execute_sql("INSERT INTO %s(%s) VALUES('%s');" % (tbl, tbl, cmd))
    """
    [f] = findings(src, "SEC024")
    assert f.line == 4 and "`cmd` in a value position" in f.message and f.severity.value == "warning"


def test_a_bytes_template_formatted_with_percent_is_read_like_a_str_one() -> None:
    """Regression (vetpy on its own tests): `b"... %d" % n` reached a str-only pattern and the
    security checker crashed on the whole file."""
    src = 'def f(cur, n):\n    cur.execute(b"SELECT * FROM t LIMIT %d" % n)\n    return b"Content-Length: %d\\r\\n" % n\n'
    assert list(scan(Document("x.py", src), full=True)) == []


def test_a_flask_route_returning_a_dict_or_list_sends_json_not_html() -> None:
    """Flask jsonifies a returned dict (and a list since 2.2): the request value inside is JSON
    text, not markup; the look-alike returning the same f-string as the body is HTML."""
    src = """
        from flask import Flask, request
        app = Flask(__name__)

        @app.route("/search")
        def search():
            q = request.args["q"]
            return {"query": f"<b>{q}</b>"}

        @app.route("/items")
        def items():
            return [f"<i>{request.args['q']}</i>"], 200

        @app.route("/echo")
        def echo():
            return f"<b>{request.args['q']}</b>"
    """
    assert lines(src, "SEC014") == [16]


def test_sql_of_a_request_value_converted_by_get_type_is_not_injection() -> None:
    # werkzeug's MultiDict.get(key, default, type=int) gives a number or the default: no SQL can ride
    # in it; without type=, or with type=str, the text is the client's
    src = """
        from flask import Flask, request
        app = Flask(__name__)
        @app.get("/users")
        def users():
            limit = request.args.get("limit", 50, type=int)
            ratio = request.args.get("ratio", type=float)
            name = request.args.get("name", "", type=str)
            raw = request.args.get("sort", "id")
            conn.execute(f"SELECT id FROM users LIMIT {limit}")
            conn.execute(f"SELECT id FROM users WHERE r > {ratio}")
            conn.execute(f"SELECT id FROM users WHERE name = '{name}'")
            conn.execute(f"SELECT id FROM users ORDER BY {raw}")
    """
    assert lines(src, "SEC001") == [12, 13]
