"""The release-history database (vetpy.history) and the build script's readers
(scripts/build_history.py): specification-first, on small hand-made data and source text."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import load_script

from vetpy.environment.model import Distribution
from vetpy.history import (Change, Deprecation, History, deprecated_keyword, deprecated_member, library_of,
                           parse_version, shipped)

ROOT = Path(__file__).resolve().parents[1]


def _builder():
    return load_script("build_history")


build = _builder()

# A hand-made database: what the build script writes, for a few names.
DATA = {
    "format": 1,
    "libraries": {
        "python": {
            "label": "Python",
            "releases": ["3.8.18", "3.9.18", "3.10.13", "3.11.7", "3.12.1"],
            "members": {"itertools.batched": ["+3.12"], "asyncio.coroutine": ["-3.11"]},
            "keywords": {"json.loads": {"encoding": ["-3.9"]}},
            "messages": {
                "json.loads(encoding)": ["3.8", "'encoding' is ignored and deprecated. It will be removed in Python 3.9"],
                "asyncio.coroutine": ["3.8", None],
            },
            "classes": {"unittest:TestCase": "unittest.case", "datetime:datetime": "datetime"},
            "deprecated": {
                "datetime:datetime.utcnow": ["3.12", "3.12", "datetime.utcnow() is deprecated and scheduled for "
                                                             "removal in a future version."],
                "asyncio.gather(loop)": ["3.8", "3.9", "The loop argument is deprecated since Python 3.8"],
                "json.loads(cls)": ["3.8", "3.12", "this text mentions cls without naming it as the keyword"],
            },
        },
        "pandas": {
            "label": "pandas",
            "distribution": "pandas",
            "releases": ["1.3.5", "1.4.4", "1.5.3", "2.0.3", "2.1.4"],
            "members": {
                "pandas:DataFrame.append": ["-2.0"],
                "pandas:DataFrame.map": ["+2.1"],
                "pandas.Int64Index": ["-2.0"],
                "pandas:DataFrame.iteritems": ["-2.0"],
                "pandas:DataFrame.swapaxes": ["-3.0"],
            },
            "keywords": {"pandas.read_csv": {"squeeze": ["-2.0"]}, "pandas:DataFrame.fillna": {"method": ["-3.0"]}},
            "deprecated": {
                "pandas:DataFrame.swapaxes": ["2.1", "2.3", "'DataFrame.swapaxes' is deprecated and will be removed "
                                                            "in a future version. Please use 'DataFrame.transpose' instead."],
                "pandas:DataFrame.fillna(method)": ["2.1", "2.3", "DataFrame.fillna with 'method' is deprecated and "
                                                                  "will raise in a future version. Use obj.ffill() or "
                                                                  "obj.bfill() instead."],
            },
            "messages": {
                "pandas:DataFrame.append": ["1.4", "The frame.append method is deprecated and will be removed from "
                                                   "pandas in a future version. Use pandas.concat instead."],
                "pandas:DataFrame.iteritems": ["1.5", "iteritems is deprecated and will be removed in a future "
                                                      "version. Use .items instead."],
            },
            "classes": {"pandas:DataFrame": "pandas.core.frame"},
        },
        "numpy": {
            "label": "numpy", "distribution": "numpy", "releases": ["1.26.4", "2.0.2"],
            "members": {"numpy.float_": ["-2.0"], "numpy.in1d": ["+1.0", "-2.0"]},
            "messages": {"numpy.float_": [None, "`np.float_` was removed in the NumPy 2.0 release. Use `np.float64` instead."]},
            "classes": {},
        },
    },
}
HISTORY = History(DATA)


# -- transitions: what a name's state is at a release -------------------------------------------

def test_removed_member_says_release_deprecation_and_replacement():
    change = HISTORY.member("pandas", "pandas.core.frame.DataFrame", "append", (2, 2, 3), is_class=True)
    assert change == Change("pandas", "2.0", True, "1.4", DATA["libraries"]["pandas"]["messages"]["pandas:DataFrame.append"][1])
    assert change.describe("`DataFrame.append`") == (
        "`DataFrame.append` was removed in pandas 2.0 (deprecated in 1.4: The frame.append method is deprecated and "
        "will be removed from pandas in a future version. Use pandas.concat instead)")


def test_a_removal_after_the_installed_version_is_not_claimed():
    # installed 1.5: append still exists there, so a missing `append` is some other story
    assert HISTORY.member("pandas", "pandas.core.frame.DataFrame", "append", (1, 5, 3), is_class=True) is None


def test_new_name_names_the_release_and_the_target():
    change = HISTORY.member("python", "itertools", "batched", (3, 11, 7))
    assert change is not None and not change.removed and change.version == "3.12"
    assert change.describe("`itertools.batched`", (3, 11, 7)) == (
        "`itertools.batched` is new in Python 3.12; this project targets 3.11")
    pkg = HISTORY.member("pandas", "pandas.core.frame.DataFrame", "map", (2, 0, 3), is_class=True)
    assert pkg is not None and pkg.describe("`DataFrame.map`", (2, 0, 3)) == (
        "`DataFrame.map` is new in pandas 2.1; the installed version is 2.0.3")


def test_new_name_on_a_target_that_has_it_is_silent():
    assert HISTORY.member("python", "itertools", "batched", (3, 12, 1)) is None
    assert HISTORY.member("python", "itertools", "batched", (3, 13, 0)) is None


def test_added_then_removed_reads_the_last_transition():
    change = HISTORY.member("numpy", "numpy", "in1d", (2, 1, 0))
    assert change is not None and change.removed and change.version == "2.0"
    assert HISTORY.member("numpy", "numpy", "in1d", (1, 26, 4)) is None  # present there


def test_removed_keyword():
    change = HISTORY.keyword("python", "json.loads", "encoding", (3, 11, 7))
    assert change is not None
    assert change.describe("keyword `encoding` of `json.loads`") == (
        "keyword `encoding` of `json.loads` was removed in Python 3.9 (deprecated in 3.8: 'encoding' is ignored "
        "and deprecated. It will be removed in Python 3.9)")
    assert HISTORY.keyword("python", "json.loads", "encoding", (3, 8, 18)) is None
    assert HISTORY.keyword("python", "json.loads", "indent", (3, 11, 7)) is None  # no history: no claim


def test_removal_without_a_message_says_only_the_release():
    assert HISTORY.member("pandas", "pandas", "Int64Index", (2, 0, 0)).describe("`pandas.Int64Index`") == (
        "`pandas.Int64Index` was removed in pandas 2.0")
    assert HISTORY.member("python", "asyncio", "coroutine", (3, 11, 0)).describe("`asyncio.coroutine`") == (
        "`asyncio.coroutine` was removed in Python 3.11 (deprecated in 3.8)")


def test_a_class_of_the_same_name_elsewhere_gets_no_claim():
    # pandas.core.interchange.dataframe_protocol.DataFrame is another class called DataFrame
    assert HISTORY.class_key("pandas", "pandas.core.frame.DataFrame") == "pandas:DataFrame"
    assert HISTORY.class_key("pandas", "pandas.core.interchange.dataframe_protocol.DataFrame") is None
    assert HISTORY.member("pandas", "pandas.core.interchange.dataframe_protocol.DataFrame", "append", (2, 2, 0),
                          is_class=True) is None


def test_a_class_given_its_package_s_public_module_is_the_class_defined_below_it():
    # pandas 3 sets `DataFrame.__module__ = "pandas"` (so the installed class is `pandas.DataFrame`);
    # the database records where it is defined, `pandas.core.frame`, below that package
    assert HISTORY.class_key("pandas", "pandas.DataFrame") == "pandas:DataFrame"
    change = HISTORY.member("pandas", "pandas.DataFrame", "append", (3, 1, 1), is_class=True)
    assert change is not None and change.removed and change.version == "2.0"
    # a module that is not a package above the defining one is another class of that name
    assert HISTORY.class_key("pandas", "pandas.io.DataFrame") is None
    assert HISTORY.class_key("pandas", "pandas.core.frames.DataFrame") is None


def test_a_class_defined_in_a_private_module_below_the_recorded_one_is_that_class():
    # Python 3.13 defines pathlib.Path in `pathlib._local` (`Path.__module__`), 3.12 and 3.14 in
    # `pathlib`, which the database records
    history = History({"libraries": {"python": {
        "label": "Python", "releases": ["3.12.1", "3.13.0", "3.14.10"],
        "members": {"pathlib:Path.copy": ["+3.14"]}, "classes": {"pathlib:Path": "pathlib"}}}})
    assert history.class_key("python", "pathlib._local.Path") == "pathlib:Path"
    change = history.member("python", "pathlib._local.Path", "copy", (3, 13, 0), is_class=True)
    assert change is not None and not change.removed and change.version == "3.14"
    # a public submodule, or a private module outside the recorded one, is another class
    assert history.class_key("python", "pathlib.types.Path") is None
    assert history.class_key("python", "pathlib._local.sub.Path") is None
    assert history.class_key("python", "_pathlib.Path") is None


def test_unknown_library_or_name_is_none():
    assert HISTORY.member("requests", "requests", "get", (2, 0, 0)) is None
    assert HISTORY.member("pandas", "pandas", "read_csv", (2, 0, 0)) is None
    assert History({}).member("python", "itertools", "batched", (3, 11, 0)) is None


# -- replacements: a quick-fix only for a one-word rename within the same owner -----------------

def test_replacement_is_a_real_member_of_the_same_owner():
    change = HISTORY.member("numpy", "numpy", "float_", (2, 1, 0))
    assert change.replacement("numpy", ["float64", "float32"]) == "float64"
    assert change.replacement("numpy", ["float32"]) is None  # not a member here: no fix


def test_replacement_in_another_module_or_a_function_is_no_fix():
    append = HISTORY.member("pandas", "pandas.core.frame.DataFrame", "append", (2, 0, 0), is_class=True)
    # "Use pandas.concat instead": a module function, not a method of DataFrame
    assert append.replacement("pandas.core.frame.DataFrame", ["concat", "items"], is_class=True) is None
    items = HISTORY.member("pandas", "pandas.core.frame.DataFrame", "iteritems", (2, 0, 0), is_class=True)
    assert items.replacement("pandas.core.frame.DataFrame", ["items", "iterrows"], is_class=True) == "items"
    # the same words about a module: `np.float64` names numpy's member, not one of numpy.linalg
    assert Change("numpy", "2.0", True, None, "Use `np.float64` instead.").replacement("numpy.linalg", ["float64"]) is None


@pytest.mark.parametrize("message", [
    "Use `np.float64` or `np.float32` instead.",  # two candidates: which one is a judgement
    "deprecated, use something else",
    "Use `scipy.special.float64` instead.",  # another package
    "Do not use this.",
])
def test_no_replacement_when_the_text_is_not_one_rename(message):
    assert Change("numpy", "2.0", True, None, message).replacement("numpy", ["float64", "float32"]) is None


def test_a_new_name_has_no_replacement():
    assert Change("Python", "3.12", False, None, "Use `x` instead").replacement("itertools", ["x"]) is None


@given(st.lists(st.tuples(st.integers(1, 5), st.integers(0, 9), st.sampled_from("+-")), min_size=1, max_size=6),
       st.integers(1, 6), st.integers(0, 9))
def test_a_claim_always_agrees_with_the_transitions(events, major, minor):
    """Invariant: a "removed in X" claim names a removal at or before the installed release after
    which nothing re-added the name; a "new in X" claim names an addition after it."""
    texts = [f"{s}{a}.{b}" for a, b, s in events]
    h = History({"libraries": {"lib": {"label": "lib", "members": {"m.n": texts}, "messages": {}}}})
    change = h.member("lib", "m", "n", (major, minor, 0))
    ordered = sorted(((a, b), s) for a, b, s in events)
    if change is None:
        return
    v = parse_version(change.version)[:2]
    if change.removed:
        assert v <= (major, minor) and (v, "-") in ordered
        assert not any(e > v and e <= (major, minor) and s == "+" for e, s in ordered) or \
            [s for e, s in ordered if e <= (major, minor)][-1] == "-"
    else:
        assert v > (major, minor) and not any(e <= (major, minor) for e, _s in ordered)


# -- deprecated in the installed release (HAL006) -----------------------------------------------

def test_deprecated_member_within_its_releases_with_the_removal():
    found = deprecated_member(HISTORY, "pandas", "pandas.core.frame.DataFrame", "swapaxes", (2, 2, 3), is_class=True)
    assert found == Deprecation("pandas", "2.1", DATA["libraries"]["pandas"]["deprecated"]["pandas:DataFrame.swapaxes"][2],
                                "3.0")
    # before the first warning release, and after the last one (which is not the newest read): nothing
    assert deprecated_member(HISTORY, "pandas", "pandas.core.frame.DataFrame", "swapaxes", (2, 0, 3), is_class=True) is None
    assert deprecated_member(HISTORY, "pandas", "pandas.core.frame.DataFrame", "swapaxes", (2, 4, 0), is_class=True) is None


def test_a_warning_about_an_argument_is_no_deprecation_of_the_name():
    # numpy's `save` warns only when `fix_imports` is passed; SciPy's `interval` about `alpha`
    data = {"libraries": {"numpy": {"label": "numpy", "releases": ["2.1.3", "2.2.6"], "deprecated": {
        "numpy.save": ["2.1", "2.2", "The 'fix_imports' flag is deprecated in NumPy 2.1."],
        "numpy.reshape": ["2.1", "2.2", "`newshape` keyword argument is deprecated, use `shape=...`"],
        "numpy.FLAGS": ["2.1", "2.2", "numpy.FLAGS is deprecated; use the flags argument of Flags instead"],
        "numpy.asscalar": ["2.1", "2.2", "np.asscalar(a) is deprecated since NumPy v1.16, use a.item() instead"]}}}}
    h = History(data)
    assert deprecated_member(h, "numpy", "numpy", "save", (2, 2, 6)) is None
    assert deprecated_member(h, "numpy", "numpy", "reshape", (2, 2, 6)) is None
    # the text names the name itself: its own deprecation, whatever else it mentions
    assert deprecated_member(h, "numpy", "numpy", "FLAGS", (2, 2, 6)) is not None
    assert deprecated_member(h, "numpy", "numpy", "asscalar", (2, 2, 6)) is not None


def test_shipped_partial_deprecations_are_not_the_name_s():
    for lib, owner, name, installed, is_class in [
            ("numpy", "numpy", "save", (2, 2, 6), False),
            ("numpy", "numpy", "reshape", (2, 2, 6), False),
            ("pydantic", "pydantic", "with_config", (2, 14, 3), False),
            ("pandas", "pandas.core.frame.DataFrame", "iloc", (2, 3, 3), True),
            ("pandas", "pandas.core.groupby.groupby.GroupBy", "nth", (3, 1, 1), True),
            ("sqlalchemy", "sqlalchemy", "and_", (2, 0, 58), False),
            ("sqlalchemy", "sqlalchemy", "or_", (2, 1, 9), False)]:
        assert deprecated_member(shipped(), lib, owner, name, installed, is_class=is_class) is None, (owner, name)
    assert deprecated_member(shipped(), "pydantic", "pydantic.main.BaseModel", "dict", (2, 14, 3), is_class=True)


def test_a_deprecated_property_setter_is_no_deprecation_of_reading_it():
    # numpy 2.4's stubs: `@shape.setter @deprecated("In-place shape modification ...")`; datasets reads
    # `array.shape[2:]`, which never warns
    tree = _module('''
        class ndarray:
            @property
            def shape(self): ...
            @shape.setter
            @deprecated("In-place shape modification will be deprecated in NumPy 2.5.")
            def shape(self, value): ...
            @property
            @deprecated("use size")
            def length(self): ...
    ''')
    getter, setter, length = tree.body[0].body
    assert build.function_deprecations(setter) == (None, [], None)
    assert build.function_deprecations(getter)[0] is None
    assert build.function_deprecations(length)[0] == "use size"
    for owner in ("numpy.ndarray", "numpy.ma.core.MaskedArray"):
        assert deprecated_member(shipped(), "numpy", owner, "shape", (2, 4, 6), is_class=True) is None, owner


def test_deprecated_in_the_newest_release_read_stays_deprecated_after_it():
    # the database was built up to 3.12 and 3.12 warns: a 3.13 target is told too, with no removal known
    found = deprecated_member(HISTORY, "python", "datetime.datetime", "utcnow", (3, 13, 0), is_class=True)
    assert found is not None and found.since == "3.12" and found.removed_in is None
    assert deprecated_member(HISTORY, "python", "datetime.datetime", "utcnow", (3, 11, 7), is_class=True) is None
    assert deprecated_member(HISTORY, "python", "datetime.datetime", "now", (3, 12, 1), is_class=True) is None


def test_deprecated_keyword_only_when_the_text_names_it_as_a_keyword():
    found = deprecated_keyword(HISTORY, "pandas", "fillna", "method", (2, 3, 3), method_of="pandas.core.frame.DataFrame")
    assert found is not None and found.removed_in == "3.0"
    assert deprecated_keyword(HISTORY, "python", "asyncio.gather", "loop", (3, 9, 0)) is not None  # "The loop argument"
    assert deprecated_keyword(HISTORY, "python", "json.loads", "cls", (3, 11, 0)) is None  # mentioned, not named
    assert deprecated_keyword(HISTORY, "pandas", "fillna", "value", (2, 3, 3), method_of="pandas.core.frame.DataFrame") is None


# -- which library and version a module belongs to -------------------------------------------

def _env(version=(3, 11, 7), stdlib=("json", "itertools"), dists=None):
    dists = dists or {}
    return SimpleNamespace(version=version, is_stdlib=lambda top: top in stdlib,
                           dists_for_module=lambda top: dists.get(top, []))


def test_library_of_stdlib_and_installed_packages():
    env = _env(dists={"pandas": [Distribution("pandas", "2.2.3")]})
    assert library_of(HISTORY, env, "itertools") == ("python", (3, 11, 7))
    assert library_of(HISTORY, env, "pandas.core.frame") == ("pandas", (2, 2, 3))
    assert library_of(HISTORY, env, "requests") is None  # not in the database
    assert library_of(HISTORY, _env(), "pandas") is None  # not installed
    # an import name provided by another distribution than the one the database read
    assert library_of(HISTORY, _env(dists={"pandas": [Distribution("pandas-fork", "9.0")]}), "pandas") is None
    assert library_of(HISTORY, None, "json") is None


# -- the build script's static readers -----------------------------------------------------------

def _module(code: str):
    return ast.parse(textwrap.dedent(code))


def test_reader_finds_unconditional_warning_docstring_and_decorator():
    tree = _module('''
        import warnings
        def append(self, other):
            """Append.

            .. deprecated:: 1.4.0
                Use :func:`concat` instead.
            """
            warnings.warn("The frame.append method is deprecated. Use pandas.concat instead.",
                          FutureWarning, stacklevel=2)
        @deprecated("Use `model_dump` instead.")
        def dict(self): ...
        def fillna(self, value=None, method=None):
            if method is not None:
                warnings.warn(f"{type(self).__name__}.fillna with 'method' is deprecated", FutureWarning)
        def plain():
            warnings.warn("careful", UserWarning)
        def align(self, other, copy=None):
            """Align.

            Parameters
            ----------
            copy : bool
                .. deprecated:: 3.0.0
                    This keyword is ignored.
            """
        def getdefaultlocale(envvars=()):
            import warnings
            warnings._deprecated(
                "locale.getdefaultlocale",
                "{name!r} is deprecated and slated for removal in Python {remove}. "
                "Use setlocale(), getencoding() and getlocale() instead.",
                remove=(3, 15))
    ''')
    fns = {f.name: f for f in tree.body if isinstance(f, ast.FunctionDef)}
    first, _every, since = build.function_deprecations(fns["append"])
    assert first == "The frame.append method is deprecated. Use pandas.concat instead." and since == "1.4.0"
    assert build.function_deprecations(fns["dict"])[0] == "Use `model_dump` instead."
    # a parameter's own note in the docstring is about the parameter, not the function
    first, _every, since = build.function_deprecations(fns["align"])
    assert (first, since) == (None, None)
    # the note may follow a blank line or share the directive's line; one that deprecates a way
    # of using the name (pandas `iloc`, SQLAlchemy `and_`, pandas `nth[n]`) is not the name's
    notes = _module('''
        def iloc(self):
            """Purely integer-location based indexing.

            .. deprecated:: 2.2.0

               Returning a tuple from a callable is deprecated.

            ``.iloc[]`` is primarily integer position based.
            """
        def and_(*clauses):
            """Produce a conjunction.

            .. deprecated:: 1.4  The and_() element now requires that at
               least one argument is passed; creating the and_() construct
               with no arguments is deprecated.
            """
        def nth(self):
            """Take the nth row.

            .. deprecated:: 3.1.0

                Index notation (``g.nth[n]``) is deprecated in favor of calling ``g.nth(n)``.
            """
        def A(self):
            """Dense.

            .. deprecated:: 1.11

                `.A` is deprecated and will be removed in v1.14.0. Use `.toarray()` instead.
            """
        def old():
            """Old.

            .. deprecated:: 2.0 Use :func:`new` instead.
            """
    ''')
    by = {f.name: build.function_deprecations(f) for f in notes.body}
    assert by["iloc"] == (None, [], "2.2.0") and by["and_"] == (None, [], "1.4") and by["nth"] == (None, [], "3.1.0")
    assert by["A"] == ("`.A` is deprecated and will be removed in v1.14.0. Use `.toarray()` instead.", [], "1.11")
    assert by["old"] == ("Use :func:`new` instead.", [], "2.0")
    first, _every, _ = build.function_deprecations(fns["getdefaultlocale"])
    assert first == ("'locale.getdefaultlocale' is deprecated and slated for removal in Python 3.15. Use setlocale(), "
                     "getencoding() and getlocale() instead.")
    first, every, _ = build.function_deprecations(fns["fillna"])
    assert first is None  # warns only for some argument values: not a deprecation of the method
    assert every == ["{__name__}.fillna with 'method' is deprecated"]
    assert build.function_deprecations(fns["plain"]) == (None, [], None)


def test_reader_finds_keywords_taken_out_of_kwargs():
    fn = _module('''
        def loads(s, *, cls=None, **kw):
            if "encoding" in kw:
                del kw["encoding"]
            x = kw.pop("strict", True)
            y = kwargs.get("other")
    ''').body[0]
    assert build._consumed_keywords(fn) == ["encoding", "strict"]


def test_reader_expired_tables():
    tree = _module('''
        __expired_attributes__ = {"float_": "Use `np.float64` instead.", "Inf": "Use `np.inf` instead."}
        other = {"x": "y"}
    ''')
    assert build.expired_tables(tree) == {"float_": "Use `np.float64` instead.", "Inf": "Use `np.inf` instead."}


def test_reader_release_namespace_follows_imports_and_inheritance():
    files = {
        "pkg/__init__.py": "from pkg.frame import DataFrame\nfrom pkg.util import *\n__all__ = ['DataFrame', 'concat']\n",
        "pkg/util.py": "__all__ = ['concat']\ndef concat(objs, axis=0): ...\ndef _private(): ...\n",
        "pkg/generic.py": "class NDFrame:\n    def head(self, n=5): ...\n",
        "pkg/frame.py": textwrap.dedent('''
            import warnings
            from pkg.generic import NDFrame
            class DataFrame(NDFrame):
                def append(self, other, ignore_index=False):
                    warnings.warn("Use pandas.concat instead.", FutureWarning)
                def __init__(self):
                    self.attrs = {}
        '''),
        "pkg/interchange.py": "class DataFrame:\n    def other(self): ...\n",
        "pkg/tests/test_x.py": "class DataFrame:\n    pass\n",
    }
    snap = build._Release(files, "pkg").extract()
    assert {"DataFrame", "concat", "frame", "util"} <= set(snap["modules"]["pkg"])
    assert snap["classes"]["pkg:DataFrame"] == ["append", "attrs", "head"]  # inherited, and self.x
    assert snap["defined"]["pkg:DataFrame"] == "pkg.frame"  # the exported one of two DataFrames
    assert snap["functions"]["pkg:DataFrame.append"] == [["other", "ignore_index"], False]
    assert snap["functions"]["pkg.concat"] == [["objs", "axis"], False]
    assert snap["messages"]["pkg:DataFrame.append"] == "Use pandas.concat instead."


def test_reader_names_a_module_getattr_serves_are_present_with_their_warning():
    # PEP 562: Pillow 9's `Image.ANTIALIAS` and pandas 1's `pandas.np` exist only through the
    # module's `__getattr__`; NumPy's expired names only raise there, so they are absent
    files = {"pkg/__init__.py": textwrap.dedent('''
        import warnings
        __former_attrs__ = {"float_": "Use `np.float64` instead."}
        def __getattr__(name):
            old = {"ANTIALIAS": "LANCZOS", "CUBIC": "BICUBIC"}
            if name in old:
                warnings.warn(f"{name} is deprecated. Use {old[name]} instead.", DeprecationWarning)
                return 1
            elif name == "np":
                import numpy as np
                return np
            resampling = {"LINEAR": "BILINEAR"}
            if name in resampling:
                deprecate(name, 10, f"{resampling[name]} or Resampling.{resampling[name]}")
                return 3
            if name in __former_attrs__:
                raise AttributeError(__former_attrs__[name])
            if name == "gone":
                warnings.warn("gone is going", DeprecationWarning)
            if name.startswith("x"):
                return 2
            raise AttributeError(name)
        LANCZOS = 1
    '''), "pkg/draw.py": textwrap.dedent('''
        from ._deprecate import deprecate
        class ImageDraw:
            def textsize(self, text):
                deprecate("textsize", 10, "textbbox or textlength")
            def getsize(self, text):
                deprecate("getsize", None, action="Use getbbox", plural=True)
            def other(self, x):
                deprecate("the x argument", "soon")  # not the helper's shape: no claim
    ''')}
    snap = build._Release(files, "pkg").extract()
    # Pillow's helper `deprecate(name, major, replacement)` (its words, from PIL/_deprecate.py)
    assert snap["messages"]["pkg.LINEAR"] == ("LINEAR is deprecated and will be removed in version 10. "
                                              "Use BILINEAR or Resampling.BILINEAR instead.")
    assert snap["messages"]["pkg:ImageDraw.textsize"] == ("textsize is deprecated and will be removed in version 10. "
                                                          "Use textbbox or textlength instead.")
    assert snap["messages"]["pkg:ImageDraw.getsize"] == "getsize are deprecated and will be removed in a future version. Use getbbox."
    assert "pkg:ImageDraw.other" not in snap["messages"]
    assert {"ANTIALIAS", "CUBIC", "np", "LANCZOS", "LINEAR"} <= set(snap["modules"]["pkg"])
    assert not {"float_", "gone"} & set(snap["modules"]["pkg"])  # raised, or a branch that returns nothing
    assert snap["messages"]["pkg.ANTIALIAS"] == "ANTIALIAS is deprecated. Use LANCZOS instead."
    assert "pkg.np" not in snap["messages"]
    assert build.transitions([("9.5.0", snap), ("10.0.0", build._Release(
        {"pkg/__init__.py": "LANCZOS = 1\n"}, "pkg").extract())])["members"]["pkg.ANTIALIAS"] == ["-10.0"]


def test_a_removed_star_export_speaks_with_its_definition_s_words():
    # `from networkx.convert_matrix import *`: the warning is in the defining module; the name
    # people write is the package's.  Only the one definition with the same signature counts.
    def snap(present, other_params=("G",)):
        return {"modules": {"nx": ["to_matrix", "to_array"] if present else ["to_array"],
                            "nx.convert": ["to_matrix"] if present else [], "nx.other": ["to_matrix"]},
                "classes": {}, "messages": {"nx.convert.to_matrix": "Use to_array instead."} if present else {},
                "functions": {"nx.to_matrix": [["G", "dtype"], False], "nx.convert.to_matrix": [["G", "dtype"], False],
                              "nx.other.to_matrix": [list(other_params), False]} if present else {}}
    out = build.transitions([("2.8.8", snap(True)), ("3.0", snap(False))])
    assert out["members"]["nx.to_matrix"] == ["-3.0"]
    assert out["messages"]["nx.to_matrix"] == ["2.8", "Use to_array instead."]
    twice = snap(True, ("G", "dtype"))  # two submodules define a function of that signature: no guess
    twice["messages"]["nx.other.to_matrix"] = "something else"
    assert "nx.to_matrix" not in build.transitions([("2.8.8", twice), ("3.0", snap(False))])["messages"]


def test_transitions_between_releases():
    def snap(members, params, messages=None):
        return {"modules": {"pkg": ["DataFrame"]}, "classes": {"pkg:DataFrame": members},
                "functions": {"pkg:DataFrame.fillna": [params, False]}, "messages": messages or {},
                "defined": {"pkg:DataFrame": "pkg.frame"}}
    snaps = [("1.3.5", snap(["append", "fillna"], ["value", "method"])),
             ("1.4.4", snap(["append", "fillna"], ["value", "method"], {"pkg:DataFrame.append": "Use concat."})),
             ("2.0.3", snap(["fillna", "map"], ["value"]))]
    out = build.transitions(snaps)
    assert out["members"] == {"pkg:DataFrame.append": ["-2.0"], "pkg:DataFrame.map": ["+2.0"]}
    assert out["keywords"] == {"pkg:DataFrame.fillna": {"method": ["-2.0"]}}
    assert out["messages"] == {"pkg:DataFrame.append": ["1.4", "Use concat."]}
    assert out["classes"] == {"pkg:DataFrame": "pkg.frame"}


# -- the shipped database: facts proven from real releases ---------------------------------------

def test_shipped_data_records_its_releases_and_stays_small():
    path = ROOT / "server" / "vetpy" / "data" / "history.bin"
    assert path.stat().st_size < 5_000_000
    data = shipped().data
    assert data["format"] == 3 and data["built"]  # decoded a shard at a time: tests/test_history_store.py
    assert {"3.8", "3.12"} <= {".".join(v.split(".")[:2]) for v in shipped().releases("python")}
    assert "2.0.3" in shipped().releases("pandas") and "1.4.4" in shipped().releases("pandas")


def test_shipped_pandas_append_removed_in_2_0_deprecated_in_1_4():
    change = shipped().member("pandas", "pandas.core.frame.DataFrame", "append", (2, 2, 3), is_class=True)
    assert change is not None and change.removed and change.version == "2.0"
    assert change.deprecated_since == "1.4" and "concat" in (change.message or "")


def test_shipped_numpy_float_removed_in_2_0():
    change = shipped().member("numpy", "numpy", "float_", (2, 1, 0))
    assert change is not None and change.removed and change.version == "2.0"
    assert change.replacement("numpy", ["float64"]) == "float64"


def test_shipped_stdlib_facts():
    h = shipped()
    batched = h.member("python", "itertools", "batched", (3, 11, 7))
    assert batched is not None and not batched.removed and batched.version == "3.12"
    encoding = h.keyword("python", "json.loads", "encoding", (3, 11, 7))
    assert encoding is not None and encoding.removed and encoding.version == "3.9"
    utc = h.member("python", "datetime", "UTC", (3, 10, 0))
    assert utc is not None and not utc.removed and utc.version == "3.11"


def test_messages_follow_re_exports_and_overrides():
    files = {
        "pkg/__init__.py": "from pkg.tasks import gather\nfrom pkg.frame import DataFrame\n",
        "pkg/tasks.py": textwrap.dedent('''
            import warnings
            def gather(*aws, loop=None):
                if loop is not None:
                    warnings.warn("The loop argument is deprecated", DeprecationWarning)
        '''),
        "pkg/generic.py": textwrap.dedent('''
            import warnings
            class NDFrame:
                def fillna(self, value=None, method=None):
                    if method is not None:
                        warnings.warn("fillna with 'method' is deprecated", FutureWarning)
        '''),
        "pkg/frame.py": textwrap.dedent('''
            from pkg.generic import NDFrame
            class DataFrame(NDFrame):
                def fillna(self, value=None, method=None):
                    return super().fillna(value, method)
        '''),
    }
    snap = build._Release(files, "pkg").extract()
    assert snap["messages"]["pkg.gather(loop)"] == "The loop argument is deprecated"
    assert snap["messages"]["pkg:DataFrame.fillna(method)"] == "fillna with 'method' is deprecated"
    assert "pkg:DataFrame.fillna" not in snap["messages"]  # warns only for some values: not the method's


def test_reader_deprecated_aliases_name_their_successor():
    files = {"pkg/__init__.py": textwrap.dedent('''
        class TestCase:
            def assertEqual(self, first, second): ...
            failUnlessEqual = assertEquals = _deprecate(assertEqual)
            plain = other(assertEqual)
    ''')}
    snap = build._Release(files, "pkg").extract()
    assert snap["messages"]["pkg:TestCase.assertEquals"] == "use assertEqual instead"
    assert snap["messages"]["pkg:TestCase.failUnlessEqual"] == "use assertEqual instead"
    assert "pkg:TestCase.plain" not in snap["messages"]
    change = Change("Python", "3.12", True, None, "use assertEqual instead")
    assert change.replacement("unittest.case.TestCase", ["assertEqual"], is_class=True) == "assertEqual"


def test_deprecations_keep_the_newest_run_of_warning_releases():
    def snap(msg):
        return {"modules": {"pkg": ["old", "new", "f"]}, "classes": {}, "functions": {"pkg.f": [["method"], False]},
                "messages": msg}
    snaps = [("1.0.1", snap({"pkg.old": "gone soon"})), ("1.1.0", snap({})),
             ("1.2.3", snap({"pkg.old": "Use new instead. [since 1.2]", "pkg.f(method)": "'method' is deprecated",
                             "pkg.absent": "not a member: ignored"})),
             ("1.3.0", snap({"pkg.old": "Use new instead."}))]
    assert build.deprecations(snaps) == {"pkg.old": ["1.2", "1.3", "Use new instead."],
                                         "pkg.f(method)": ["1.2", "1.2", "'method' is deprecated"]}


def test_a_removing_release_s_table_of_expired_names_explains_the_removal():
    old = {"modules": {"np": ["float_", "float64"]}, "classes": {}, "functions": {}, "messages": {}}
    new = {"modules": {"np": ["float64"]}, "classes": {}, "functions": {},
           "messages": {"np._expired_attrs_2_0.float_": "Use `np.float64` instead."}}
    out = build.transitions([("1.26.4", old), ("2.0.2", new)])
    assert out["members"] == {"np.float_": ["-2.0"]}
    assert out["messages"] == {"np.float_": [None, "Use `np.float64` instead."]}


def test_reader_keeps_expired_tables_of_private_modules():
    files = {"np/__init__.py": "from ._expired_attrs_2_0 import __expired_attributes__\nfloat64 = float\n",
             "np/_expired_attrs_2_0.py": '__expired_attributes__ = {"float_": "Use `np.float64` instead."}\n'}
    snap = build._Release(files, "np").extract()
    assert snap["messages"]["np._expired_attrs_2_0.float_"] == "Use `np.float64` instead."


@pytest.mark.parametrize(("select", "ignore", "expected"), [
    ([], [], False),  # opt-in: not in the default selection
    (["HAL"], [], True),
    (["ALL"], ["HAL006"], False),
    (["HAL006"], [], True),
    (["HAL003"], [], False),
])
def test_deprecated_api_runs_only_when_selected(select, ignore, expected):
    from vetpy.rules.hal.deprecated import selected

    assert selected(SimpleNamespace(config=SimpleNamespace(select=select, ignore=ignore))) is expected


def test_a_keyword_named_together_with_another_is_no_deprecation_of_it_alone():
    data = {"libraries": {"pandas": {
        "label": "pandas", "releases": ["2.2.3"], "classes": {"pandas:DataFrame": "pandas.core.frame"},
        "deprecated": {"pandas:DataFrame.shift(freq)": ["2.2", "2.2", "Passing a 'freq' together with a "
                                                                      "'fill_value' silently ignores the fill_value"],
                       "pandas:DataFrame.align(method)": ["2.1", "2.2", "The 'method', 'limit', and 'fill_axis' "
                                                                        "keywords are deprecated"]}}}}
    h = History(data)
    for fn, kw in (("shift", "freq"), ("align", "method")):
        assert deprecated_keyword(h, "pandas", fn, kw, (2, 2, 3), method_of="pandas.core.frame.DataFrame") is None


def test_messages_name_the_class_where_the_source_formats_it():
    from vetpy.rules.hal.deprecated import describe

    found = Deprecation("pandas", "2.1", "'{__name__}.swapaxes' is deprecated", None)
    assert describe("`DataFrame.swapaxes`", found, (2, 2, 3)) == (
        "`DataFrame.swapaxes` is deprecated in pandas 2.2.3 (since 2.1): 'DataFrame.swapaxes' is deprecated")
    fill = Deprecation("pandas", "2.1", "{__name__}.fillna with 'method' is deprecated", "3.0")
    assert describe("keyword `method` of `DataFrame.fillna`", fill, (2, 2, 3)).endswith(
        ": DataFrame.fillna with 'method' is deprecated; it is removed in pandas 3.0")


def test_a_class_whose_name_is_shared_is_found_by_its_full_path():
    data = {"libraries": {"sqlalchemy": {
        "label": "SQLAlchemy", "releases": ["1.4.54", "2.0.58"],
        "classes": {"sqlalchemy:sqlalchemy.engine.base.Engine": "sqlalchemy.engine.base",
                    "sqlalchemy:sqlalchemy.future.engine.Engine": "sqlalchemy.future.engine"},
        "members": {"sqlalchemy:sqlalchemy.engine.base.Engine.execute": ["-2.0"]},
        "messages": {"sqlalchemy:sqlalchemy.engine.base.Engine.execute": ["1.4", "The Engine.execute() method is "
                                                                                  "considered legacy"]}}}}
    h = History(data)
    change = h.member("sqlalchemy", "sqlalchemy.engine.base.Engine", "execute", (2, 1, 9), is_class=True)
    assert change is not None and change.version == "2.0" and change.deprecated_since == "1.4"
    assert h.member("sqlalchemy", "sqlalchemy.future.engine.Engine", "execute", (2, 1, 9), is_class=True) is None


def test_full_path_entries_that_repeat_the_short_ones_are_dropped():
    out = {"classes": {"p:DataFrame": "p.frame", "p:p.frame.DataFrame": "p.frame", "p:p.proto.DataFrame": "p.proto"},
           "members": {"p:DataFrame.append": ["-2.0"], "p:p.frame.DataFrame.append": ["-2.0"],
                       "p:p.proto.DataFrame.x": ["+2.0"], "p.concat": ["+1.0"]},
           "keywords": {"p:DataFrame.fillna": {"method": ["-3.0"]}, "p:p.frame.DataFrame.fillna": {"method": ["-3.0"]}},
           "messages": {}, "deprecated": {}}
    slim = build._without_repeats(out)
    assert slim["members"] == {"p:DataFrame.append": ["-2.0"], "p:p.proto.DataFrame.x": ["+2.0"], "p.concat": ["+1.0"]}
    assert slim["keywords"] == {"p:DataFrame.fillna": {"method": ["-3.0"]}}
    assert slim["classes"] == {"p:DataFrame": "p.frame", "p:p.proto.DataFrame": "p.proto"}


def test_an_attribute_assignment_does_not_rebind_the_class():
    files = {"sa/__init__.py": "from sa.base import Engine\n",
             "sa/base.py": "class Engine:\n    def execute(self, sql): ...\n\nEngine._connection_cls = object\na, (b, *c) = 1, (2, 3)\n"}
    snap = build._Release(files, "sa").extract()
    assert snap["classes"]["sa:Engine"] == ["execute"]
    assert {"a", "b", "c", "Engine"} <= set(snap["modules"]["sa.base"])


def test_shipped_sqlalchemy_engine_execute_removed_in_2_0():
    change = shipped().member("sqlalchemy", "sqlalchemy.engine.base.Engine", "execute", (2, 1, 9), is_class=True)
    assert change is not None and change.removed and change.version == "2.0"


def test_format_2_libraries_are_parsed_on_first_use_only():
    h = History({"format": 2, "libraries": {"a": '{"releases": ["1.0", "2.0"]}', "b": "not json: never parsed"}})
    assert "b" in h.libraries and sorted(h.libraries) == ["a", "b"] and len(h.libraries) == 2
    assert h.releases("a") == ["1.0", "2.0"] and h.libraries.get("c") is None
    with pytest.raises(ValueError):
        h.libraries["b"]  # parsed only now


# -- the libraries added to reach the 50 of issue 19 (facts of their real releases) ---------------

def test_shipped_data_covers_the_stdlib_and_fifty_packages():
    libraries = shipped().libraries
    assert "python" in libraries and len([k for k in libraries if k != "python"]) >= 50
    for top in ("PIL", "networkx", "scipy", "selenium", "jwt", "urllib3", "transformers", "streamlit"):
        assert shipped().releases(top), top


def test_shipped_pillow_antialias_removed_in_10_0():
    change = shipped().member("PIL", "PIL.Image", "ANTIALIAS", (11, 3, 0))
    assert change is not None and change.removed and change.version == "10.0"
    assert change.library == "Pillow"
    assert shipped().member("PIL", "PIL.Image", "ANTIALIAS", (9, 5, 0)) is None  # still there in 9.5


def test_shipped_networkx_to_numpy_matrix_removed_in_3_0_with_its_successor():
    change = shipped().member("networkx", "networkx", "to_numpy_matrix", (3, 4, 2))
    assert change is not None and change.removed and change.version == "3.0"
    assert change.replacement("networkx", ["to_numpy_array", "to_scipy_sparse_array"]) == "to_numpy_array"


def test_shipped_scipy_simps_removed_in_1_14():
    change = shipped().member("scipy", "scipy.integrate", "simps", (1, 15, 0))
    assert change is not None and change.removed and change.version == "1.14"
    assert "simpson" in (change.message or "")


def test_shipped_selenium_find_element_by_removed_in_4_3():
    change = shipped().member("selenium", "selenium.webdriver.remote.webdriver.WebDriver", "find_element_by_id",
                              (4, 20, 0), is_class=True)
    assert change is not None and change.removed and change.version == "4.3"
    assert "find_element" in (change.message or "")


def test_shipped_pyjwt_decode_verify_keyword_removed_in_2_0():
    change = shipped().keyword("jwt", "decode", "verify", (2, 8, 0), method_of="jwt.api_jwt.PyJWT")
    assert change is not None and change.removed and change.version == "2.0"
    assert "verify_signature" in (change.message or "")
