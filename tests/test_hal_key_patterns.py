"""HAL004 through a ``**kwargs`` dict that ends in a validator accepting only keys of a literal
pattern (SQLAlchemy's ``DialectKWArgs``: ``Column(..., **dialect_kwargs)`` ->
``self._extra_kwargs(**dialect_kwargs)`` -> ``self._validate_dialect_kwargs(kwargs)``, which
raises TypeError for every key that ``re.match("^(.+?)_(.+)$", k)`` does not match: a keyword
without an inner underscore, ``Column("x", String, length=20)``, is certain to raise).  A key the
pattern matches is accepted (which dialect takes it is not known here).  Every "must flag" case
raises TypeError when run; every look-alike runs.

The package ``keylib`` copies those shapes, small, in a bare virtual environment."""

from __future__ import annotations

import textwrap

import pytest

from test_hal_support import site_context
from vetpy.engine import check_source

pytestmark = pytest.mark.slow

CODES = ("HAL003", "HAL004", "HAL005")

KEYLIB = '''
import re
import warnings


class DialectKWArgs:
    def _validate_dialect_kwargs(self, kwargs):
        # validate remaining kwargs that they all specify DB prefixes
        if not kwargs:
            return
        for k in kwargs:
            m = re.match("^(.+?)_(.+)$", k)
            if not m:
                raise TypeError("Additional arguments should be named <dialectname>_<argument>, got '%s'" % k)
            self.options = dict(kwargs)

    def _extra_kwargs(self, **kwargs):
        self._validate_dialect_kwargs(kwargs)

    def _warn_only(self, kwargs):
        for k in kwargs:
            m = re.match("^(.+?)_(.+)$", k)
            if not m:
                warnings.warn("odd key %s" % k)

    def _caught(self, kwargs):
        for k in kwargs:
            try:
                m = re.match("^(.+?)_(.+)$", k)
                if not m:
                    raise TypeError(k)
            except TypeError:
                continue

    def _computed(self, kwargs):
        for k in kwargs:
            m = re.match(self.PATTERN, k)
            if not m:
                raise TypeError(k)

    PATTERN = "^(.+)$"  # read at run time: `length` passes


class Column(DialectKWArgs):
    def __init__(self, name, type_=None, *, nullable=True, **dialect_kwargs):
        self.name = name
        self.nullable = nullable
        self._extra_kwargs(**dialect_kwargs)


class Index(DialectKWArgs):
    def __init__(self, name, *expressions, unique=False, **dialect_kw):
        self.name = name
        self.unique = unique
        self._validate_dialect_kwargs(dialect_kw)


class Constraint(DialectKWArgs):
    def __init__(self, name=None, deferrable=None, **dialect_kw):
        self.name = name
        self._validate_dialect_kwargs(dialect_kw)


class UniqueConstraint(Constraint):
    # the base's __init__ called by name with self first
    def __init__(self, *columns, name=None, **dialect_kw):
        Constraint.__init__(self, name=name, **dialect_kw)
        self.columns = columns


class Lenient(DialectKWArgs):
    def __init__(self, **kw):
        self._warn_only(kw)


class Guarded(DialectKWArgs):
    def __init__(self, **kw):
        self._caught(kw)


class Computed(DialectKWArgs):
    def __init__(self, **kw):
        self._computed(kw)


class Stored(DialectKWArgs):
    def __init__(self, **kw):
        self._unvalidated = kw  # validated later, when the item is attached


class Served(DialectKWArgs):
    # a __getattr__ serving other names (SQLAlchemy's Column): methods are found as before
    def __init__(self, name, **kw):
        self.name = name
        self._extra_kwargs(**kw)

    def __getattr__(self, key):
        if key.startswith("op_"):
            return key
        raise AttributeError(key)


class Intercepted(DialectKWArgs):
    # its own __getattribute__ answers `_extra_kwargs` with something else
    def __init__(self, **kw):
        self._extra_kwargs(**kw)

    def __getattribute__(self, key):
        if key == "_extra_kwargs":
            return lambda **kw: None
        return object.__getattribute__(self, key)


class Popped(DialectKWArgs):
    def __init__(self, **kw):
        self.length = kw.pop("length", None)
        self._extra_kwargs(**kw)
'''


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, {
        "keylib/__init__.py": KEYLIB,
        "keylib-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: keylib\nVersion: 1.0\n",
        "keylib-1.0.dist-info/RECORD": "keylib/__init__.py,,\nkeylib-1.0.dist-info/METADATA,,\n",
    }) as context:
        yield context


def found(context, code: str) -> list[tuple[int, str]]:
    text = textwrap.dedent(code)
    return [(f.line, f.code) for f in check_source(text, str(context.root / "snippet.py"), context) if f.code in CODES]


def test_a_keyword_the_validator_pattern_refuses_is_flagged(ctx):
    assert found(ctx, """
        from keylib import Column, Index
        Column("name", str, nullable=False, length=20)
        Index("ix", "a", uniqe=True)
        Column("name", autoincrement=True)
    """) == [(3, "HAL004"), (4, "HAL004"), (5, "HAL004")]


def test_keywords_the_pattern_matches_and_parameters_are_accepted(ctx):
    assert found(ctx, """
        from keylib import Column, Index
        Column("name", str, nullable=False, postgresql_using="gin", mysql_length=20)
        Index("ix", "a", unique=True, sqlite_where=None)
    """) == []


def test_through_the_base_class_init_called_with_self(ctx):
    assert found(ctx, """
        from keylib import UniqueConstraint
        UniqueConstraint("a", "b", nam="x")
        UniqueConstraint("a", name="x", deferrable=True, postgresql_nulls_not_distinct=True)
    """) == [(3, "HAL004")]


def test_a_getattr_serving_other_names_does_not_hide_the_validator(ctx):
    assert found(ctx, """
        from keylib import Served
        Served("x", length=1)
        Served("x", mysql_length=1)
    """) == [(3, "HAL004")]


def test_an_own_getattribute_may_answer_the_method_otherwise(ctx):
    assert found(ctx, """
        from keylib import Intercepted
        Intercepted(length=1)
    """) == []


def test_validators_that_warn_catch_or_read_a_computed_pattern_stay_open(ctx):
    assert found(ctx, """
        from keylib import Computed, Guarded, Lenient, Popped, Stored
        Lenient(length=1)
        Guarded(length=1)
        Computed(length=1)
        Stored(length=1)
        Popped(length=1)
    """) == []


def test_a_suggestion_never_names_the_pattern(ctx):
    text = textwrap.dedent("""
        from keylib import Column
        Column("name", nulable=False)
    """)
    messages = [f.message for f in check_source(text, str(ctx.root / "snippet.py"), ctx) if f.code == "HAL004"]
    assert len(messages) == 1 and "`nullable`" in messages[0] and "re." not in messages[0] and "^" not in messages[0]
