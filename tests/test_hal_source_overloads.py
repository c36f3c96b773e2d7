"""Receivers the fifth blind corpus (issue 15, blind5) showed vetpy missing, each now known from
what the installed package declares (branch recall22).

1. A function whose runtime annotation is a union (pandas' ``read_csv(...) -> DataFrame |
TextFileReader``) and whose own source declares ``@overload``s beside it: the overload the call's
literal / left-out arguments select, when it is one of the union's classes.  ``read_csv(f)``
(neither ``iterator=`` nor ``chunksize=``) is a ``DataFrame``; ``chunksize=1``, ``iterator=True``,
a non-literal ``iterator=flag`` and ``**opts`` stay what they were (a ``TextFileReader``'s
``close()``/``get_chunk()`` stay silent).  Each case was run in the pinned environment (pandas
2.3.3): ``read_csv(f).sort_values(reverse=True)`` raises TypeError, ``read_csv(f).close()``
AttributeError, the look-alikes run.

2. An instance attribute that no class member answers (set in ``__init__``) but that the class
body of a typed package's source or of a stub declares without a value (SQLAlchemy's ``class
Engine: url: URL``): a lower bound of that class, so ``engine.url.db_name`` is reported
(AttributeError, checked), while ``engine.url.database`` and ``engine.dialect.name`` run and stay
silent; an annotation under ``ClassVar`` or with a value is not read this way.

3. ``df[key]`` of a pandas ``DataFrame`` (whose ``__getitem__`` declares nothing): a ``Series`` or a
``DataFrame`` (MultiIndex columns, duplicate labels, a list of labels), so a name is reported only
when both lack it, and a keyword only when both methods reject it (``value_counts(top=1)``,
``sort_values(reverse=True)``: TypeError on both).  Each case was run on a plain frame, one with
duplicate column labels and one with MultiIndex columns: the reported lines raise on all three;
the look-alikes (``unique()``, ``tolist()``, ``.str``: Series only; ``df.k`` attribute access)
run on the plain frame and stay silent."""

from __future__ import annotations

import pytest

from test_hal_support import hal_call_lines, pinned_context, site_context

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pinned(tmp_path_factory: pytest.TempPathFactory):
    with pinned_context(tmp_path_factory) as context:
        yield context


def test_read_csv_without_iterator_or_chunksize_is_a_dataframe(pinned):
    assert hal_call_lines(pinned, """
        import io

        import pandas as pd


        def load():
            pd.read_csv(io.StringIO("a\\n1\\n")).sort_values("a", reverse=True)
            pd.read_csv(io.StringIO("a\\n1\\n"), sep=",").close()
            return pd.read_json(io.StringIO('[{"a": 1}]')).close()
    """) == ["8:HAL004", "9:HAL003", "10:HAL003"]


def test_read_csv_calls_that_may_give_a_reader_stay_silent(pinned):
    assert hal_call_lines(pinned, """
        import io

        import pandas as pd


        def load(flag, opts):
            pd.read_csv(io.StringIO("a\\n1\\n"), chunksize=1).close()
            pd.read_csv(io.StringIO("a\\n1\\n"), iterator=True).get_chunk()
            pd.read_csv(io.StringIO("a\\n1\\n"), iterator=flag).close()
            pd.read_csv(io.StringIO("a\\n1\\n"), **opts).close()
            pd.read_csv(io.StringIO("a\\n1\\n")).sort_values("a", ascending=False)
            for chunk in pd.read_csv(io.StringIO("a\\n1\\n"), chunksize=1):
                chunk.ffill()
            return pd.read_json(io.StringIO("[1, 2]"), typ="series").to_frame()
    """) == []


def test_an_attribute_declared_in_a_typed_class_body_is_known(pinned):
    assert hal_call_lines(pinned, """
        import sqlalchemy as sa


        def use(engine: sa.Engine):
            made = sa.create_engine("sqlite://")
            print(made.url.db_name)
            return engine.url.database_name()
    """) == ["7:HAL003", "8:HAL003"]


def test_real_members_of_a_declared_attribute_stay_silent(pinned):
    assert hal_call_lines(pinned, """
        import sqlalchemy as sa


        def use(engine: sa.Engine):
            print(engine.url.database, engine.dialect.name, engine.pool.status())
            print(engine.dialect.psycopg2_version)  # a dialect subclass's: `dialect: Dialect` is a lower bound
            return engine.url.render_as_string(hide_password=True)
    """) == []


def test_a_frame_column_is_a_series_or_a_frame(pinned):
    assert hal_call_lines(pinned, """
        import pandas as pd


        def columns(df: pd.DataFrame, cols):
            made = pd.DataFrame({"k": ["x", "y"], "a": [1, 2]})
            made["k"].value_counts(top=1)
            made["k"].iteritems()
            df[cols].sort_values("a", reverse=True)
            return df["k"].is_monotonic()
    """) == ["7:HAL004", "8:HAL003", "9:HAL004", "10:HAL003"]


def test_members_of_only_one_of_series_and_frame_stay_silent(pinned):
    assert hal_call_lines(pinned, """
        import pandas as pd


        def lookalikes(df: pd.DataFrame):
            made = pd.DataFrame({"k": ["x", "y"], "a": [1, 2]})
            made["k"].value_counts(normalize=True)
            made["k"].unique()
            made["k"].tolist()
            made["k"].map(str)
            made["k"].str.contains("X", case=False)
            made.k.unique()
            made["k"].str.upper()
            made["a"].value_counts(bins=2)  # a keyword of Series.value_counts only
            return df["a"].sum(min_count=1)
    """) == []


PACKAGE = {
    "ovl/__init__.py": """
        from typing import Literal, overload


        class Frame:
            def head(self):
                return self


        class Reader:
            def close(self):
                pass


        def set_module(fn):
            return fn


        @overload
        def load(path, *, lazy: Literal[True]) -> Reader: ...
        @overload
        def load(path, *, lazy: Literal[False] = ...) -> Frame: ...
        @set_module
        def load(path, *, lazy=False) -> "Frame | Reader":
            return Reader() if lazy else Frame()


        def plain(path, *, lazy=False) -> "Frame | Reader":
            return Reader() if lazy else Frame()


        class Holder:
            frame: Frame
            kind: "ClassVar[Frame]"
            reader: Reader = None

            def __init__(self, frame, kind, reader):
                self.frame = frame
                self.kind = kind
                self.reader = reader
    """,
    "ovl-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: ovl\nVersion: 1.0\n",
    "ovl-1.0.dist-info/RECORD": "ovl/__init__.py,,\novl-1.0.dist-info/METADATA,,\n",
    "ovl/py.typed": "",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, PACKAGE) as context:
        yield context


def test_source_overloads_narrow_a_union_and_declared_attributes_are_known(site):
    assert hal_call_lines(site, """
        import ovl


        def use(flag):
            ovl.load("p").close()
            ovl.load("p", lazy=False).close()
            ovl.load("p", lazy=True).close()
            ovl.load("p", lazy=flag).close()
            ovl.plain("p").close()
            holder = ovl.Holder(ovl.Frame(), ovl.Frame(), ovl.Reader())
            holder.frame.close()
            holder.frame.head()
            holder.kind.close()  # `ClassVar[...]`: not an instance's declaration
            return holder.reader.head()  # declared with a value: not read this way
    """) == ["6:HAL003", "7:HAL003", "12:HAL003"]
