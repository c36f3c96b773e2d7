"""HAL003 unknown-attribute, HAL004 unknown-keyword, HAL005 bad-arity against REAL installed
packages (see test_hal_support.PINS), checked in a subprocess of the target interpreter."""

from __future__ import annotations

import ast
import textwrap

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from test_hal_support import hal_context, target_python
from vetpy.engine import check_source
from vetpy.findings import apply_edits

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    python = target_python()
    root = tmp_path_factory.mktemp("project")
    (root / "pyproject.toml").write_text("[project]\nname = 'demo'\nversion = '0'\ndependencies = ['requests==2.32.3']\n")
    (root / "localmod.py").write_text("def helper():\n    return 1\n")
    with pytest.MonkeyPatch.context() as mp:  # only while building: the index keeps its cache root
        mp.setenv("VETPY_CACHE_DIR", str(tmp_path_factory.mktemp("vetpy-cache")))
        context = hal_context(root, python)
    yield context
    context.members.close()


def hal(ctx, code: str, codes: tuple[str, ...] = ("HAL003", "HAL004", "HAL005")):
    text = textwrap.dedent(code)
    path = str(ctx.root / "snippet.py")
    return [f for f in check_source(text, path, ctx) if f.code in codes]


def only(ctx, code: str, expected: str):
    found = hal(ctx, code)
    assert [f.code for f in found] == [expected], [f.message for f in found]
    return found[0]


def none(ctx, code: str) -> None:
    found = hal(ctx, code)
    assert found == [], [f"{f.code} {f.message}" for f in found]


# -- the anchors of the issue ---------------------------------------------------------------------

def test_requests_response_method_with_provenance_and_suggestion(ctx):
    f = only(ctx, """
        import requests
        requests.get("https://example.org").getStatusMessage()
    """, "HAL003")
    assert f.message.startswith("`Response` in requests 2.32.3 (installed")
    assert "has no attribute `getStatusMessage`" in f.message
    # a called name is never replaced by data: `status_code()` would call an int (issue 18)
    assert "`status_code`" not in f.message and all("status_code" not in fix.title for fix in f.fixes)
    assert (f.line, f.column, f.end_column) == (3, 37, 53)


def test_fix_replaces_only_the_name_and_parses(ctx):
    text = 'import requests\nrequests.get("u").raiseForStatus()\n'
    f = hal(ctx, text)[0]
    assert f.fixes and f.fixes[0].preferred
    fixed = apply_edits(text, f.fixes[0].edits)
    ast.parse(fixed)
    assert fixed == 'import requests\nrequests.get("u").raise_for_status()\n'  # every word of the name: a method, callable with no argument


# -- quick-fixes that leave working code (issue 18 item 2) ----------------------------------------

def test_a_name_sharing_only_some_words_is_no_suggestion(ctx):
    # `raise_for_status` shares "status" with getStatusMessage but raises instead of describing the
    # status: a worse guess than none; `status_code` is an int (and would be called)
    f = only(ctx, 'import requests\nrequests.get("u").getStatusMessage()\n', "HAL003")
    assert "did you mean" not in f.message and not f.fixes


def test_data_replaces_a_call_without_arguments_and_its_parentheses(ctx):
    text = 'import requests\nprint(requests.get("u").statuscode())\n'
    f = only(ctx, text, "HAL003")
    assert "did you mean `status_code`" in f.message
    [fix] = f.fixes
    assert fix.title == "Replace `statuscode()` with `status_code`" and fix.preferred
    assert apply_edits(text, fix.edits) == 'import requests\nprint(requests.get("u").status_code)\n'
    module = 'import math\nx = math.PI()\n'
    [g] = hal(ctx, module)
    assert apply_edits(module, g.fixes[0].edits) == "import math\nx = math.pi\n"


def test_data_never_replaces_a_call_with_arguments(ctx):
    f = only(ctx, 'import requests\nrequests.get("u").statuscode(200)\n', "HAL003")
    assert "status_code" not in f.message and not f.fixes


def test_a_callable_the_call_would_fail_with_is_not_offered(ctx):
    # json.dump needs a file: with `json.dumsp({"ok": True})` it would fail, json.dumps works
    text = 'import json\njson.dumsp({"ok": True})\n'
    f = only(ctx, text, "HAL003")
    assert [fix.title for fix in f.fixes] == ["Replace with `dumps`"]
    assert "`dump`" not in f.message
    fixed = apply_edits(text, f.fixes[0].edits)
    namespace: dict[str, object] = {}
    exec(compile(fixed, "fixed.py", "exec"), namespace)  # the fixed code runs  # vetpy: ignore[SEC003] on purpose


def test_requests_real_members_are_silent(ctx):
    none(ctx, """
        import requests
        r = requests.get("u")
        r.status_code, r.reason, r.json(), r.headers, r.raise_for_status()
    """)


def test_pandas_read_jsonl(ctx):
    f = only(ctx, "import pandas as pd\npd.read_jsonl('x')\n", "HAL003")
    assert "`pandas` in pandas 2.3.3 (installed) has no attribute `read_jsonl`" in f.message
    assert "`read_json`" in f.message


def test_pandas_read_json_is_silent(ctx):
    none(ctx, "import pandas as pd\npd.read_json('x')\n")


def test_dataframe_append_called_is_reported(ctx):
    f = only(ctx, "import pandas as pd\ndf = pd.DataFrame()\ndf.append({'a': 1})\n", "HAL003")
    assert "`DataFrame` in pandas 2.3.3" in f.message


def test_dataframe_column_attribute_is_not_reported(ctx):
    # DataFrame.__getattr__ serves columns: `df.price` may be valid; only called names are certain
    none(ctx, "import pandas as pd\ndf = pd.DataFrame({'price': [1]})\nprint(df.price, df.price.sum(), df.pipe(len))\n")


def test_numpy_float_removed_quotes_numpys_explanation(ctx):
    f = only(ctx, "import numpy as np\nx = np.float_(1)\n", "HAL003")
    assert "was removed in the NumPy 2.0 release" in f.message
    assert "`float64`" in f.message


def test_numpy_float64_is_silent(ctx):
    none(ctx, "import numpy as np\nx = np.float64(1)\ny = np.zeros(3)\n")


def test_sqlalchemy_engine_execute(ctx):
    f = only(ctx, """
        import sqlalchemy
        engine = sqlalchemy.create_engine("sqlite://")
        engine.execute("select 1")
    """, "HAL003")
    assert "`Engine` in SQLAlchemy 2.1.9" in f.message


def test_sqlalchemy_engine_connect_is_silent(ctx):
    none(ctx, """
        from sqlalchemy import create_engine, text
        engine = create_engine("sqlite://")
        with engine.connect() as conn:
            conn.execute(text("select 1"))
    """)


def test_pydantic_basesettings_quotes_explanation(ctx):
    found = hal(ctx, "from pydantic import BaseSettings\n", ("HAL002",))
    assert len(found) == 1
    assert "has been moved to the `pydantic-settings` package" in found[0].message


def test_pydantic_basemodel_is_silent(ctx):
    assert hal(ctx, "from pydantic import BaseModel, Field\n", ("HAL002",)) == []


def test_json_dumps_forwarded_keyword(ctx):
    f = only(ctx, "import json\njson.dumps({}, indentation=2)\n", "HAL004")
    assert "no keyword `indentation`" in f.message and "`indent`" in f.message
    fixed = apply_edits("import json\njson.dumps({}, indentation=2)\n", f.fixes[0].edits)
    assert fixed == "import json\njson.dumps({}, indent=2)\n"


def test_json_dumps_real_keywords_and_custom_encoder_are_silent(ctx):
    none(ctx, """
        import json
        json.dumps({}, indent=2, sort_keys=True)
        json.dumps({}, cls=MyEncoder, indentation=2)   # a custom encoder may accept it
    """)


def test_itertools_batched_depends_on_the_target_python(ctx):
    found = hal(ctx, "import itertools\nitertools.batched([1, 2], 2)\n")
    if ctx.environment.version < (3, 12):
        assert [f.code for f in found] == ["HAL003"]
        assert f"the standard library of Python {ctx.environment.short_version}" in found[0].message
    else:
        assert found == []


# -- chain forms -----------------------------------------------------------------------------------

@pytest.mark.parametrize("code", [
    "import os\nos.getcwdu()\n",                                             # module attribute
    "import numpy as xp\nxp.arrray([1])\n",                                  # import ... as
    "from os import path\npath.joinn('a')\n",                                # from-import of a module
    "import requests\nrequests.Session().gett('u')\n",                       # class call -> instance
    "import requests\nwith requests.Session() as s:\n    s.gett('u')\n",     # with ... as (__enter__ returns self)
    "import requests\ns = requests.Session()\nt = s\nt.gett('u')\n",         # assignments
    "import requests\nfor s in [requests.Session(), requests.Session()]:\n    s.gett('u')\n",  # for over literal
    "import requests\n[s.gett('u') for s in (requests.Session(),)]\n",      # comprehension
    "import requests\ndef f(r: requests.Response):\n    return r.getStatusMessage()\n",  # annotated parameter
    "import requests\ndef f(r: 'requests.Response'):\n    return r.getStatusMessage()\n",  # string annotation
    "import requests\nr: requests.Response = make()\nr.getStatusMessage()\n",  # annotated variable
    "import sqlalchemy\nsqlalchemy.create_engine('sqlite://').execute('x')\n",  # annotated return type
    "import requests\nrequests.Session().get('u').getStatusMessage()\n",  # inherited method, stub return type
    "x = []\nx.push(1)\n",                                                    # literal
    "s = 'a,b'\ns.contains('a')\n",                                           # literal
    "import re\nre.compile('a').matchAll('a')\n",                           # stdlib stub return type
])
def test_chain_forms_reach_the_missing_member(ctx, code):
    assert [f.code for f in hal(ctx, code)] == ["HAL003"], code


def test_inherited_members_count_as_present(ctx):
    none(ctx, """
        import requests, collections
        s = requests.Session()
        s.get('u'); s.mount('x', None); s.close(); s.headers
        od = collections.OrderedDict()
        od.move_to_end('a'); od.get('a'); od.keys()
    """)


# -- hard cases -----------------------------------------------------------------------------------

def test_pep562_lazy_module_names_resolve(ctx):
    # numpy and pydantic load names lazily through module __getattr__
    none(ctx, "import numpy as np\nimport pydantic\nnp.linalg.norm\nnp.char\npydantic.BaseModel\npydantic.Field\n")


def test_unimported_submodule_is_not_reported(ctx):
    none(ctx, "import xml\nimport email\nxml.etree\nemail.mime\n")


def test_re_exports_resolve(ctx):
    none(ctx, "import flask\nflask.Flask\nflask.jsonify\nimport sqlalchemy.orm as orm\norm.Session\n")


def test_star_import_with_computed_all_names_resolve_at_runtime(ctx):
    # numpy builds __all__ from submodules; a real name must never be reported
    none(ctx, "import numpy\nnumpy.ndarray\nnumpy.abs\nnumpy.isdtype\n")


def test_c_extension_module_members(ctx):
    f = only(ctx, "import math\nmath.sqrtt(2)\n", "HAL003")
    assert "`sqrt`" in f.message
    none(ctx, "import math, _json\nmath.sqrt(2)\nmath.tau\n")


def test_enum_members(ctx):
    assert [f.code for f in hal(ctx, "import http\nhttp.HTTPStatus.OKK\n")] == ["HAL003"]
    none(ctx, "import http\nhttp.HTTPStatus.OK\nhttp.HTTPStatus.NOT_FOUND.phrase\n")


def test_orm_generated_members_are_silent(ctx):
    none(ctx, """
        from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
        class Base(DeclarativeBase):
            pass
        class User(Base):
            __tablename__ = "users"
            id: Mapped[int] = mapped_column(primary_key=True)
        User.id
        User.metadata
        User.__table__
    """)


def test_proxies_are_never_reported(ctx):
    none(ctx, """
        from flask import g, request, current_app, session
        g.user
        g.anything_at_all()
        request.whatever
        current_app.my_extension
        session.custom
    """)


def test_mocks_are_never_reported(ctx):
    none(ctx, """
        from unittest import mock
        m = mock.MagicMock()
        m.anything()
        mock.Mock().whatever.deep
    """)


def test_setattr_built_and_assigned_attributes_are_silent(ctx):
    none(ctx, """
        import requests
        r = requests.Response()
        r.custom_field = 1
        print(r.custom_field)
        s = requests.Session()
        setattr(s, "extra", 2)
        print(s.extra)
    """)


def test_conditional_definitions_are_ambiguous(ctx):
    none(ctx, """
        try:
            import ujson as json
        except ImportError:
            import json
        json.loads_fast("{}")
        import sys
        if sys.platform == "win32":
            import ntpath as p
        else:
            import posixpath as p
        p.splitdrive("c:")  # one module or the other: both have it
    """)


def test_a_name_missing_on_every_conditional_definition_is_reported(ctx):
    found = hal(ctx, """
        import sys
        import requests
        if sys.platform == "win32":
            import ntpath as p
        else:
            import posixpath as p
        p.only_on_one
        x = requests.get("u") if sys.argv else None
        x.anything  # missing on the Response, and on None
    """)
    assert [(f.code, f.line) for f in found] == [("HAL003", 8), ("HAL003", 10)], [f.message for f in found]
    assert "`ntpath | posixpath`" in found[0].message


def test_guarded_code_is_not_reported(ctx):
    none(ctx, """
        import itertools, requests
        try:
            batched = itertools.batched
        except AttributeError:
            batched = None
        r = requests.get("u")
        if hasattr(r, "getStatusMessage"):
            r.getStatusMessage()
        fn = getattr(itertools, "batched", None)
    """)


def test_first_party_code_is_never_imported_or_reported(ctx):
    none(ctx, "import localmod\nlocalmod.helper_that_does_not_exist()\n")


def test_unknown_receivers_are_silent(ctx):
    none(ctx, """
        import requests
        def handler(resp):
            return resp.getStatusMessage()       # unannotated parameter: unknown
        x = requests.get("u") if flag else None
        x.status_code                        # the Response has it; x may be None: not a hallucination
        obj = factory()
        obj.whatever()
    """)


def test_rebinding_makes_a_name_ambiguous(ctx):
    none(ctx, """
        import requests
        s = requests.Session()
        s = make_other()
        s.gett('u')
    """)


# -- HAL004 / HAL005 -------------------------------------------------------------------------------

def test_unknown_keyword_on_function_without_kwargs(ctx):
    f = only(ctx, "import os\nos.getenv('A', defualt='x')\n", "HAL004")
    assert "`default`" in f.message


def test_open_kwargs_are_not_reported(ctx):
    # basicConfig pops what it knows and raises ValueError itself for the rest: **kwargs is not
    # only passed on, so the set it accepts is open.  (requests.get forwards **kwargs into
    # Session.request, whose keywords are closed: `anything_goes` raises TypeError; issue 15.)
    none(ctx, "import logging\nlogging.basicConfig(level=10, anything_goes=1)\n")


def test_too_many_positional_arguments(ctx):
    f = only(ctx, "import os\nos.getcwd('/tmp')\n", "HAL005")
    assert "takes 0 positional arguments but 1 was given" in f.message


def test_required_argument_missing(ctx):
    f = only(ctx, "import requests\nrequests.get()\n", "HAL005")
    assert "missing required argument `url`" in f.message


def test_method_arity(ctx):
    assert [f.code for f in hal(ctx, "import requests\nrequests.Session().mount('a')\n")] == ["HAL005"]
    none(ctx, "import requests\nrequests.Session().mount('a', None)\n")


def test_spread_arguments_are_not_checked(ctx):
    none(ctx, "import os\nargs = ()\nkw = {}\nos.getcwd(*args)\nos.getenv(**kw)\n")


def test_type_error_guard_silences_call_checks(ctx):
    none(ctx, "import os\ntry:\n    os.getcwd('x')\nexcept TypeError:\n    pass\n")


def test_suppression_comment(ctx):
    none(ctx, "import os\nos.getcwdu()  # vetpy: ignore[HAL003]\n")


def test_without_environment_everything_is_silent():
    from vetpy.context import AnalysisContext

    found = check_source("import requests\nrequests.get('u').getStatusMessage()\n", "x.py", AnalysisContext.bare())
    assert [f for f in found if f.code in ("HAL003", "HAL004", "HAL005")] == []


# -- self / cls and inherited members ---------------------------------------------------------------

def test_self_in_a_subclass_of_an_installed_class(ctx):
    f = only(ctx, """
        import requests
        class Client(requests.Session):
            def __init__(self):
                super().__init__()
                self.base = "https://example.org"
            def fetch(self, path):
                self.mount("x", None)                 # inherited: fine
                self.base.upper()                     # set in __init__: fine
                return self.gett(self.base + path)
    """, "HAL003")
    assert "`Client` (a subclass of `Session` in requests 2.32.3" in f.message and "`get`" in f.message


def test_cls_and_instances_of_local_subclasses(ctx):
    assert [f.code for f in hal(ctx, """
        import unittest
        class T(unittest.TestCase):
            @classmethod
            def make(cls):
                return cls()
            def test_a(self):
                self.assertEqual(1, 1)
                self.assertEqualz(1, 1)
        T().assertEqualz
    """)] == ["HAL003", "HAL003"]


def test_local_classes_that_may_be_extended_are_silent(ctx):
    none(ctx, """
        import unittest
        class Plain:
            def go(self):
                return self.defined_by_subclasses()
        class BaseCase(unittest.TestCase):
            def check(self):
                return self.fixture_from_subclass
        class Template(unittest.TestCase):
            def run_it(self):
                raise NotImplementedError
            def go(self):
                return self.hook()
        class Extended(unittest.TestCase):
            def go(self):
                return self.provided_below
        class Child(Extended):
            provided_below = 1
        class Dynamic(unittest.TestCase):
            def setUp(self):
                for k, v in {"a": 1}.items():
                    setattr(self, k, v)
            def test(self):
                return self.a
    """)


def test_any_typed_values_are_unknown(ctx):
    # typing.Any is a class on Python 3.11+; an Any-typed value is never a known receiver
    none(ctx, """
        import pickle
        from typing import Any
        restored = pickle.loads(b"")
        restored.body
        def f(x: Any, y: object):
            return x.anything, y.whatever
    """)


def test_platform_conditional_module_names_are_silent(ctx):
    # subprocess binds _winapi only on Windows: its absence here depends on the platform
    none(ctx, "import subprocess\nsubprocess._winapi\n")


# -- properties ------------------------------------------------------------------------------------

_LINES = [
    "import requests", "import numpy as np", "import json, itertools, os", "from pathlib import Path",
    "x = []", "s = requests.Session()", "r = requests.get('u')", "t = s", "p = Path('a')",
    "x.push(1)", "s.gett('u')", "r.status_code", "r.getStatusMessage()", "np.float_", "np.zeros(3).length",
    "json.dumps({}, indentation=2)", "os.getcwd('x')", "itertools.batched([1], 2)", "p.exist()",
    "with s as q:\n    q.gett('u')", "for a in [s, t]:\n    a.mount('x', None)", "[b.close() for b in (s,)]",
    "class C(requests.Session):\n    def m(self):\n        return self.gett('u')",
    "def f(v: requests.Response):\n    return v.json_data", "s = 3", "del x",
]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(_LINES), min_size=1, max_size=8))
def test_never_raises_and_every_fix_parses(ctx, lines):
    text = "\n".join(lines) + "\n"
    errors = []
    ctx.on_error = lambda name, exc: errors.append((name, exc))
    try:
        found = hal(ctx, text, ("HAL002", "HAL003", "HAL004", "HAL005"))
    finally:
        ctx.on_error = None
    assert errors == []
    for f in found:
        for fix in f.fixes:
            ast.parse(apply_edits(text, fix.edits))


def test_warm_starts_the_worker_in_the_background(ctx):
    from vetpy.resolve import warm

    thread = warm(ctx.members, ("json",))
    assert thread is not None
    thread.join(timeout=60)
    assert not thread.is_alive()
    assert ctx.members.describe("json")["kind"] == "module"


def test_a_parameter_annotation_names_the_module_scope_not_a_local_of_the_same_name(ctx):
    """werkzeug's run_with_reloader: `t` in the parameters' annotations is `typing as t`; the
    `t = threading.Thread(...)` in the body is another binding, in the function's scope."""
    code = (
        "import threading\nimport typing as t\n\n"
        "def run(main: t.Callable[[], None], extra: t.Iterable[str] | None = None,\n"
        "        every: t.Optional[int] = None) -> t.Any:\n"
        "    t = threading.Thread(target=main)\n"
        "    t.start()\n"
        "    t.no_such_method()\n"
        "    return t\n"
    )
    found = hal(ctx, code)
    assert [(f.line, f.code) for f in found] == [(8, "HAL003")], found  # the local Thread's missing method only
    assert "no_such_method" in found[0].message


def test_class_bases_decorators_and_defaults_name_the_enclosing_scope(ctx):
    """Evaluated where the definition stands: a class's bases, a function's decorators and its
    parameters' defaults; the same name bound inside (a class attribute, a local) is another.
    The look-alike that fails at run time: a method's default in a class body that rebinds the
    name sees the class attribute."""
    code = (
        "import json as j\n\n"
        "def wrap(x):\n"
        "    return lambda f: f\n\n"
        "class Enc(j.JSONEncoder):\n"
        "    j = 2\n\n"
        "@wrap(j.dumps)\n"
        "def g(j=j.loads):\n"
        "    j = 3\n"
        "    return j\n\n"
        "class Broken:\n"
        "    j = 2\n"
        "    def m(self, dumps=j.dumps):\n"
        "        return dumps\n"
    )
    found = hal(ctx, code)
    assert [(f.line, f.code) for f in found] == [(16, "HAL003")], found  # (2).dumps: AttributeError at class creation


TYPE_IGNORED = (
    "import sys\n"
    "a = sys.pypy_version_info  # type: ignore\n"
    "b = sys.pypy_version_info  # type: ignore[attr-defined]\n"
    "c = sys.pypy_version_info  # pyright: ignore[reportAttributeAccessIssue]\n"
    "d = sys.pypy_version_info  # noqa: E501  # type: ignore\n"
    "e = sys.pypy_version_info  # type: ignore[arg-type]\n"
    "f = sys.pypy_version_info  # the type: ignore is elsewhere\n"
    "import not_a_module_anywhere  # type: ignore[import-not-found]\n"
)


def test_a_type_ignore_that_covers_a_missing_name_silences_hal(ctx):
    """A line the author told type checkers uses what they cannot see (PyPy-only names, optional
    imports): HAL stays silent; an ignore for another kind of error, or none, is no such hint."""
    found = hal(ctx, TYPE_IGNORED, codes=("HAL001", "HAL003"))
    assert [(f.line, f.code) for f in found] == [(6, "HAL003"), (7, "HAL003")], found


def test_type_ignore_false_reports_them_too(ctx):
    import dataclasses

    strict = dataclasses.replace(ctx, config=ctx.config.merged(type_ignore=False))
    found = [f for f in check_source(TYPE_IGNORED, str(ctx.root / "snippet.py"), strict) if f.code in ("HAL001", "HAL003")]
    assert [(f.line, f.code) for f in found] == [(n, "HAL003") for n in range(2, 8)] + [(8, "HAL001")], found


def test_a_type_ignore_on_the_first_line_of_a_multi_line_import_covers_its_names(ctx):
    """mypy reports a missing name of ``from m import (...)`` on the statement's first line, so
    the ignore is written there (scrapy's ``from twisted.internet._sslverify import (  # type:
    ignore[attr-defined]`` over ``_setAcceptableProtocols,``); one on another statement, or an
    ignore of another kind, covers nothing."""
    code = (
        "from json import (  # type: ignore[attr-defined]\n"
        "    dumps,\n"
        "    dumpz,\n"
        ")\n"
        "from json import (  # type: ignore[arg-type]\n"
        "    loadz,\n"
        ")\n"
        "from os import (\n"
        "    pathz,  # a comment\n"
        ")  # type: ignore\n"
        "x = [  # type: ignore\n"
        "    sys.pypy_version_info,\n"
        "]\n"
        "import sys\n"
    )
    found = hal(ctx, code, codes=("HAL002", "HAL003"))
    assert [(f.line, f.code) for f in found] == [(6, "HAL002"), (9, "HAL002"), (12, "HAL003")], found


def test_a_type_ignore_on_a_nested_multi_line_import_covers_its_names(ctx):
    """The same inside a function, an ``if``, a ``try``'s handler and a ``match`` case: only the
    statements around an ignore comment are looked at, and these lie below others."""
    code = (
        "import sys\n"
        "def load():\n"
        "    if sys:\n"
        "        try:\n"
        "            pass\n"
        "        except ImportError:\n"
        "            from json import (  # type: ignore[attr-defined]\n"
        "                dumpz,\n"
        "            )\n"
        "    match sys.argv:\n"
        "        case [_]:\n"
        "            from json import (  # type: ignore\n"
        "                loadz,\n"
        "            )\n"
        "        case _:\n"
        "            from json import (\n"
        "                dumpy,\n"
        "            )  # type: ignore\n"
        "    from os import (  # pyright: ignore[reportAttributeAccessIssue]\n"
        "        pathz,\n"
        "    ); from os import (  # type: ignore[arg-type]\n"
        "        sepz,\n"
        "    )\n"
    )
    found = hal(ctx, code, codes=("HAL002",))
    assert [(f.line, f.code) for f in found] == [(17, "HAL002"), (22, "HAL002")], found


def test_a_bare_annotation_in_a_class_body_binds_no_name_for_its_defaults(ctx):
    """sqlalchemy's UOWTransaction: `attributes: Dict[str, Any]` types instances; a method's
    default `attributes.PASSIVE_NO_INITIALIZE` is the module `attributes`.  With a value the
    class attribute is the binding (the look-alike that fails at run time)."""
    code = (
        "import json as attributes\n"
        "from typing import Any, Dict\n\n"
        "class UOW:\n"
        "    attributes: Dict[str, Any]\n\n"
        "    def history(self, passive=attributes.dumps):\n"
        "        return passive\n\n"
        "class Bound:\n"
        "    attributes: Dict[str, Any] = {}\n\n"
        "    def history(self, passive=attributes.dumps):\n"
        "        return passive\n"
    )
    found = hal(ctx, code)
    assert [(f.line, f.code) for f in found] == [(13, "HAL003")], found
