"""HAL002/HAL003/HAL004 say when a missing name left or arrives, from the release history
(vetpy.history), against REAL installed packages (test_hal_support.PINS) and a real Python 3.11.

Hand-made history data first (the messages are specified by the test, not by what the shipped
database happens to hold), then the shipped database on the anchors of issue 19."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from test_hal_support import hal_context, target_python
from test_history import DATA
from vetpy import history as release_history
from vetpy.engine import check_source
from vetpy.findings import apply_edits
from vetpy.history import History

pytestmark = pytest.mark.slow

PYTHON_311 = Path("/root/.pyenv/versions/3.11.7/bin/python")
PYTHON_313 = Path("/root/.pyenv/versions/3.13.0/bin/python")
MORE_PINS = ("Pillow==11.3.0", "networkx==3.4.2")


def _context(tmp_path_factory: pytest.TempPathFactory, python: Path):
    root = tmp_path_factory.mktemp("project")
    (root / "pyproject.toml").write_text("[project]\nname = 'demo'\nversion = '0'\n[tool.vetpy]\nselect = ['HAL']\n")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VETPY_CACHE_DIR", str(tmp_path_factory.mktemp("vetpy-cache")))
        return hal_context(root, python)


@pytest.fixture(scope="module")
def ctx(tmp_path_factory):
    context = _context(tmp_path_factory, target_python())
    yield context
    context.members.close()


def _pinned_interpreter(tmp_path_factory, python: Path):
    """A context on a pyenv interpreter of this machine (the test is skipped without it)."""
    if not python.exists():
        pytest.skip("needs a Python interpreter at " + str(python))
    context = _context(tmp_path_factory, python)
    yield context
    context.members.close()


@pytest.fixture(scope="module")
def ctx311(tmp_path_factory):
    yield from _pinned_interpreter(tmp_path_factory, PYTHON_311)


@pytest.fixture(scope="module")
def ctx313(tmp_path_factory):
    yield from _pinned_interpreter(tmp_path_factory, PYTHON_313)


@pytest.fixture(scope="module")
def ctx_more(tmp_path_factory):
    """Libraries the database covers since it reached 50 (issue 19), at releases after a removal."""
    context = _context(tmp_path_factory, target_python(MORE_PINS))
    yield context
    context.members.close()


@pytest.fixture
def handmade(monkeypatch):
    monkeypatch.setattr(release_history, "shipped", lambda: History(DATA))


def findings(ctx, code: str, codes=("HAL002", "HAL003", "HAL004", "HAL005", "HAL006")):
    text = textwrap.dedent(code)
    return [f for f in check_source(text, str(ctx.root / "snippet.py"), ctx) if f.code in codes]


def one(ctx, code: str, expected: str):
    found = findings(ctx, code)
    assert [f.code for f in found] == [expected], [f.message for f in found]
    return found[0]


# -- hand-made history: the message kinds --------------------------------------------------------

def test_removed_method_names_release_deprecation_and_replacement(ctx, handmade):
    f = one(ctx, """
        import pandas as pd
        df = pd.DataFrame({"a": [1]})
        df.append({"a": 2}, ignore_index=True)
    """, "HAL003")
    assert "has no attribute `append`" in f.message
    assert ("`DataFrame.append` was removed in pandas 2.0 (deprecated in 1.4: The frame.append method is "
            "deprecated and will be removed from pandas in a future version. Use pandas.concat instead)") in f.message
    # `pandas.concat` is a function of another owner: no mechanical fix to it, and no look-alike
    # method (`pipe`) offered instead of what the release said
    assert not f.fixes and "did you mean" not in f.message


def test_removed_method_with_a_one_word_successor_gets_a_fix_that_parses_and_is_clean(ctx, handmade):
    text = "import pandas as pd\ndf = pd.DataFrame({'a': [1]})\nfor k, v in df.iteritems():\n    print(k, v)\n"
    f = one(ctx, text, "HAL003")
    assert "`DataFrame.iteritems` was removed in pandas 2.0 (deprecated in 1.5" in f.message
    assert "did you mean `items`" in f.message
    assert f.fixes[0].title == "Replace with `items`" and f.fixes[0].preferred
    fixed = apply_edits(text, f.fixes[0].edits)
    ast.parse(fixed)
    assert "df.items()" in fixed
    assert findings(ctx, fixed) == []  # the fix introduces no finding


def test_a_name_removed_after_the_installed_release_is_not_explained(ctx, monkeypatch):
    data = {"libraries": {"pandas": {**DATA["libraries"]["pandas"],
                                      "members": {"pandas:DataFrame.append": ["-9.0"]}}}}
    monkeypatch.setattr(release_history, "shipped", lambda: History(data))
    f = one(ctx, "import pandas as pd\npd.DataFrame().append({})\n", "HAL003")
    assert "removed" not in f.message  # installed 2.3 is older than the recorded removal: no claim


def test_history_never_makes_a_finding_by_itself(ctx, monkeypatch):
    # a history that says `head` was removed: the installed DataFrame has `head`, so nothing is said
    data = {"libraries": {"pandas": {**DATA["libraries"]["pandas"], "members": {"pandas:DataFrame.head": ["-2.0"]}}}}
    monkeypatch.setattr(release_history, "shipped", lambda: History(data))
    assert findings(ctx, "import pandas as pd\npd.DataFrame().head()\n") == []


def test_new_stdlib_name_on_an_older_target(ctx311, handmade):
    f = one(ctx311, """
        import itertools
        for chunk in itertools.batched(range(10), 3):
            print(chunk)
    """, "HAL003")
    assert "`itertools.batched` is new in Python 3.12; this project targets 3.11" in f.message


def test_new_stdlib_name_imported_from_its_module(ctx311, handmade):
    f = one(ctx311, "from itertools import batched\n", "HAL002")
    assert "`itertools.batched` is new in Python 3.12; this project targets 3.11" in f.message


def test_removed_keyword(ctx311, handmade):
    f = one(ctx311, """
        import json
        json.loads("{}", encoding="utf-8")
    """, "HAL004")
    assert "has no keyword `encoding`" in f.message
    assert ("keyword `encoding` of `loads` was removed in Python 3.9 (deprecated in 3.8: 'encoding' is ignored "
            "and deprecated. It will be removed in Python 3.9)") in f.message


def test_real_names_stay_silent_with_history(ctx311, handmade):
    assert findings(ctx311, "import itertools, json\nitertools.chain([1])\njson.loads('{}', strict=False)\n") == []
    # modules built into the interpreter (no source file) are checked by introspection: real names pass
    assert findings(ctx311, "from itertools import chain, islice\nfrom sys import argv, path\nfrom math import tau\n") == []


# -- HAL006 deprecated-api -----------------------------------------------------------------------

def test_deprecated_method_in_the_installed_release(ctx, handmade):
    f = one(ctx, "import pandas as pd\ndf = pd.DataFrame({'a': [1]})\ndf.swapaxes(0, 1)\n", "HAL006")
    assert f.message == ("`DataFrame.swapaxes` is deprecated in pandas 2.3.3 (since 2.1): 'DataFrame.swapaxes' is "
                         "deprecated and will be removed in a future version. Please use 'DataFrame.transpose' "
                         "instead; it is removed in pandas 3.0")
    assert (f.line, f.column, f.end_column) == (3, 4, 12)  # the name, 1-based


def test_deprecated_keyword_only_with_a_value(ctx, handmade):
    f = one(ctx, "import pandas as pd\npd.DataFrame({'a': [1]}).fillna(method='ffill')\n", "HAL006")
    assert f.message.startswith("keyword `method` of `DataFrame.fillna` is deprecated in pandas 2.3.3 (since 2.1)")
    # None is the default (no warning); a variable may be None: both silent
    assert findings(ctx, "import pandas as pd\ndf = pd.DataFrame({'a': [1]})\ndf.fillna(method=None)\n") == []
    assert findings(ctx, "import pandas as pd\ndef f(m):\n    pd.DataFrame({'a': [1]}).fillna(method=m)\n") == []
    assert findings(ctx, "import pandas as pd\npd.DataFrame({'a': [1]}).fillna(value=0)\n") == []


def test_deprecated_use_that_the_code_silences_or_expects_is_not_reported(ctx, handmade):
    swap = "pd.DataFrame({'a': [1]}).swapaxes(0, 1)"
    fill = "pd.DataFrame({'a': [1]}).fillna(method='ffill')"
    assert findings(ctx, f"""
import warnings
import pandas as pd
import pytest
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    {swap}
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", category=FutureWarning)
    {fill}
with pytest.deprecated_call():
    {swap}
""") == []
    # look-alikes: no filter, a filter after the use, a filter for another category, a message filter
    assert [f.line for f in findings(ctx, f"""
import warnings
import pandas as pd
with warnings.catch_warnings():
    {swap}
with warnings.catch_warnings():
    {swap}
    warnings.simplefilter("ignore")
with warnings.catch_warnings():
    warnings.simplefilter("ignore", category=UserWarning)
    {fill}
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="other")
    {swap}
""")] == [5, 7, 11, 14]


def test_deprecated_api_is_opt_in():
    from vetpy.codes import default_codes

    assert "HAL006" not in default_codes()


# -- the shipped database on the anchors of issue 19 ---------------------------------------------

def test_shipped_pandas_append(ctx):
    f = one(ctx, "import pandas as pd\npd.DataFrame().append({})\n", "HAL003")
    assert "`DataFrame.append` was removed in pandas 2.0 (deprecated in 1.4:" in f.message and "concat" in f.message


def test_shipped_itertools_batched_on_311(ctx311):
    f = one(ctx311, "import itertools\nitertools.batched([1, 2], 2)\n", "HAL003")
    assert "`itertools.batched` is new in Python 3.12; this project targets 3.11" in f.message


def test_shipped_pydantic_dict_is_deprecated(ctx):
    f = one(ctx, """
        from pydantic import BaseModel
        def dump(model: BaseModel):
            return model.dict()
    """, "HAL006")
    assert f.message.startswith("`BaseModel.dict` is deprecated in pydantic 2.14.3 (since 2."), f.message
    assert "model_dump" in f.message


def test_a_model_of_the_project_answers_for_what_it_inherits(ctx):
    # pydantic is used through the project's own models: `User(...).dict()` is BaseModel's `dict`
    found = findings(ctx, """
        from pydantic import BaseModel
        class User(BaseModel):
            name: str
        User(name="a").dict()
        User.parse_obj({"name": "a"})
        User(name="a").model_dump()
    """)
    assert [(f.code, f.line) for f in found] == [("HAL006", 5), ("HAL006", 6)], [f.message for f in found]
    assert found[0].message.startswith("`BaseModel.dict` is deprecated in pydantic") and "model_dump" in found[0].message
    assert found[1].message.startswith("`BaseModel.parse_obj` is deprecated in pydantic")
    # the model binds the name itself (a method, a field): its own, not BaseModel's
    assert findings(ctx, """
        from pydantic import BaseModel
        class User(BaseModel):
            schema: str
            def dict(self):
                return {}
        User(schema="a").dict()
        User(schema="a").schema
    """) == []


def test_the_old_api_behind_a_probe_for_the_new_one_is_compatibility_code(ctx):
    # pydantic 1/2 code: the deprecated `dict()` runs only where `model_dump` is missing
    assert findings(ctx, """
        from pydantic import BaseModel
        class User(BaseModel):
            name: str
        def dump():
            u = User(name="a")
            if hasattr(u, "model_dump"):
                return u.model_dump()
            return u.dict()
        def dump2():
            u = User(name="a")
            return u.model_dump() if hasattr(u, "model_dump") else u.dict()
    """) == []
    # look-alike: a probe's own branch runs where the probed name exists: still reported
    assert [f.line for f in findings(ctx, """
        from pydantic import BaseModel
        class User(BaseModel):
            name: str
        def dump(settings):
            u = User(name="a")
            if hasattr(settings, "compact"):
                return u.dict()
            return {}
    """)] == [8]


def test_inherited_from_names_the_only_installed_base_that_has_the_name():
    from vetpy.resolve.infer import OBJECT, LocalClass, Value
    from vetpy.rules.hal.deprecated import inherited_from
    a, b = Value(OBJECT, "pkg.A"), Value(OBJECT, "pkg.B")
    local = LocalClass("C", frozenset({"own"}), frozenset(), (a, b), {"pkg.A": ["dict", "x"], "pkg.B": ["x", "y"]})
    assert inherited_from(local, "dict") == "pkg.A" and inherited_from(local, "y") == "pkg.B"
    assert inherited_from(local, "x") is None  # both have it: which one wins is the MRO's question
    assert inherited_from(local, "own") is None and inherited_from(local, "nowhere") is None
    assert inherited_from(None, "dict") is None


def test_shipped_python_314_names_on_313(ctx313):
    # the database holds Python 3.14 (and 3.15): what 3.14 added is "new", not a bare "no attribute"
    f = one(ctx313, "import uuid\nuuid.uuid7()\n", "HAL003")
    assert "`uuid.uuid7` is new in Python 3.14; this project targets 3.13" in f.message
    # 3.13 defines Path in `pathlib._local`; the database records `pathlib`
    f = one(ctx313, "import pathlib\npathlib.Path('a').copy('b')\n", "HAL003")
    assert "`Path.copy` is new in Python 3.14; this project targets 3.13" in f.message


def test_shipped_collections_abcs_served_by_module_getattr_on_311(ctx311):
    # 3.8 and 3.9 serve `collections.Mapping` only through the module's `__getattr__` (not in
    # `dir()`), with a DeprecationWarning; 3.10 removed it
    f = one(ctx311, "from collections import Mapping\n", "HAL002")
    assert "`collections.Mapping` was removed in Python 3.10" in f.message
    assert "instead of from 'collections.abc'" in f.message


def test_shipped_json_loads_encoding_on_311(ctx311):
    f = one(ctx311, "import json\njson.loads('{}', encoding='utf-8')\n", "HAL004")
    assert "keyword `encoding` of `loads` was removed in Python 3.9" in f.message


# -- libraries the database covers since it reached 50 ----------------------------------------------

def test_shipped_pillow_antialias_says_10_0(ctx_more):
    # Pillow 9.1-9.5 served `Image.ANTIALIAS` from the module's `__getattr__` with a warning: it
    # left in 10.0, not when it stopped being a plain constant
    f = one(ctx_more, """
        from PIL import Image
        def thumb(img: Image.Image):
            return img.resize((10, 10), Image.ANTIALIAS)
    """, "HAL003")
    assert "`PIL.Image.ANTIALIAS` was removed in Pillow 10.0 (deprecated in 9.1: ANTIALIAS is deprecated and will be " \
           "removed in version 10. Use LANCZOS or Resampling.LANCZOS instead)" in f.message, f.message


def test_shipped_networkx_to_numpy_matrix_says_3_0_and_fixes_to_its_successor(ctx_more):
    text = "import networkx as nx\nm = nx.to_numpy_matrix(nx.Graph())\n"
    f = one(ctx_more, text, "HAL003")
    assert "`networkx.to_numpy_matrix` was removed in networkx 3.0 (deprecated in 2." in f.message, f.message
    assert f.fixes and f.fixes[0].title == "Replace with `to_numpy_array`" and f.fixes[0].preferred
    fixed = apply_edits(text, f.fixes[0].edits)
    assert "nx.to_numpy_array(nx.Graph())" in fixed and findings(ctx_more, fixed) == []


def test_shipped_new_libraries_stay_silent_on_real_names(ctx_more):
    assert findings(ctx_more, """
        import networkx as nx
        from PIL import Image
        def thumb(img: Image.Image):
            return img.resize((10, 10), Image.LANCZOS), Image.Resampling.LANCZOS, nx.to_numpy_array(nx.Graph())
    """) == []
