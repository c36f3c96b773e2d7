"""Recall (issue #15, recall27) without losing precision:

- a name the project stores only on an object it has just made from an installed class that has
  the name itself (a test's fake ``resp = requests.Response(); resp.status_code = 200``) no longer
  makes that name a possible attribute of every installed object (typer's ``Result.status_code``,
  werkzeug's ``NotFound.status_code`` are reported again); a store on anything else still does;
- a Python class deriving from ``io.IOBase`` (urllib3's ``HTTPResponse``, ``gzip.GzipFile``) has
  the attributes its source sets plus the few the compiled ``_io`` classes store (``name``,
  ``mode``), not an open set.

Each reported case has a look-alike that must stay silent."""

from __future__ import annotations

import textwrap

import pytest

from test_hal_support import one_package, site_context
from vetpy.engine import check_source

PACKAGE = """
import io


class Resp:
    def __init__(self):
        self.status_code = 200


class Plain:
    def __init__(self):
        self.value = 1


class Result:
    def __init__(self):
        self.exit_code = 0


class Stream(io.IOBase):
    def __init__(self, status):
        self.status = status


def make():
    return Plain()


def run():
    return Result()
"""

# the project's other files: what they store, and on what
HELPERS = {
    "fakes.py": """
        import fakepkg


        def fake_response():
            resp = fakepkg.Resp()
            resp.status_code = 201
            return resp


        def fake_plain():
            plain = fakepkg.Plain()
            plain.extra = 1
            made = fakepkg.make()
            made.produced = 2
            return plain, made
        """,
    "middleware.py": """
        def tag(request):
            request.tagged = True
        """,
}


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, one_package("fakepkg", PACKAGE)) as context:
        for name, text in HELPERS.items():
            (context.root / name).write_text(textwrap.dedent(text))
        yield context


def found(ctx, code: str) -> list[tuple[str, int]]:
    return [(f.code, f.line) for f in check_source(textwrap.dedent(code), str(ctx.root / "snippet.py"), ctx)
            if f.code == "HAL003"]


@pytest.mark.slow
def test_a_name_stored_only_on_a_made_instance_that_has_it_opens_nothing_else(ctx):
    assert found(ctx, """
        import fakepkg

        def use():
            return fakepkg.run().status_code
        """) == [("HAL003", 5)]


@pytest.mark.slow
def test_stores_that_may_add_the_name_still_open_it(ctx):
    # `extra` is stored on a Plain, which lacks it; `produced` on a function's result; `tagged` on
    # a parameter: each may be on any object, so none is reported
    assert found(ctx, """
        import fakepkg

        def use():
            result = fakepkg.run()
            return result.extra, result.produced, result.tagged
        """) == []


@pytest.mark.slow
def test_a_python_subclass_of_io_base_has_a_closed_attribute_set(ctx):
    assert found(ctx, """
        import fakepkg

        def use():
            stream = fakepkg.Stream(200)
            return stream.status_code
        """) == [("HAL003", 6)]


@pytest.mark.slow
def test_what_io_classes_and_their_subclasses_do_have_stays_silent(ctx, tmp_path):
    assert found(ctx, f"""
        import io
        import fakepkg

        def use():
            stream = fakepkg.Stream(200)
            return stream.status, stream.closed, stream.name, stream.mode

        def files():
            text = open({str(tmp_path / 'a')!r}, "w")
            raw = io.FileIO({str(tmp_path / 'b')!r}, "w")
            return text.mode, text.name, text.buffer, raw.name, raw.mode
        """) == []


@pytest.mark.slow
def test_a_compiled_io_instance_reports_an_invented_name(ctx, tmp_path):
    assert found(ctx, f"""
        import io

        def use():
            raw = io.FileIO({str(tmp_path / 'c')!r}, "w")
            return raw.file_name
        """) == [("HAL003", 6)]


def test_stores_on_made_reads_each_scope_alone():
    from vetpy.first_party_stores import stores_on_made

    assert stores_on_made(textwrap.dedent("""
        import requests
        from werkzeug import Response as R

        def fake():
            resp = requests.Response()
            resp.status_code = 200
            other = R()
            other.data = b""

        def real(url):
            resp = requests.get(url)
            return resp
        """)) == {"status_code": ["requests.Response"], "data": ["werkzeug.Response"]}


def test_stores_on_made_leaves_other_receivers_alone():
    from vetpy.first_party_stores import stores_on_made

    assert stores_on_made(textwrap.dedent("""
        import requests
        from . import local

        def rebound(flag):
            resp = requests.Response()
            if flag:
                resp = requests.Session()
            resp.a = 1

        def parameter(resp):
            resp.b = 1

        def relative():
            thing = local.Thing()
            thing.c = 1

        def closure():
            resp = requests.Response()
            def inner():
                resp.d = 1
            return inner

        def loop(items):
            for resp in items:
                resp.e = 1

        def mixed():
            resp = requests.Response()
            resp.f = 1

        def mixed_elsewhere(x):
            x.f = 2
        """)) == {}


# -- a class attribute an installed base declares as a ClassVar (SQLAlchemy's `Base.metadata`) --

DECLARING = """
import typing
from typing import ClassVar


class Registry:
    def add(self, item):
        return item


class _Typing:
    if typing.TYPE_CHECKING:
        registry: ClassVar[Registry]


class Declared(_Typing):
    def __init_subclass__(cls, **kw):
        cls.registry = Registry()
        super().__init_subclass__(**kw)


class Instances:
    item: Registry

    def __init__(self):
        self.item = Registry()
"""


@pytest.fixture(scope="module")
def declaring(tmp_path_factory: pytest.TempPathFactory):
    files = one_package("declpkg", DECLARING)
    files["declpkg/py.typed"] = ""
    with site_context(tmp_path_factory, files) as context:
        yield context


def codes(ctx, code: str) -> list[tuple[str, int]]:
    return [(f.code, f.line) for f in check_source(textwrap.dedent(code), str(ctx.root / "snippet.py"), ctx)
            if f.code in ("HAL003", "HAL004")]


@pytest.mark.slow
def test_a_classvar_an_installed_base_declares_types_the_subclass_attribute(declaring):
    assert codes(declaring, """
        import declpkg

        class Base(declpkg.Declared):
            pass

        class Model(Base):
            pass

        def use():
            Base.registry.add(1)
            Base.registry.add(1, strict=True)
            return Base.registry.remove(1)
        """) == [("HAL004", 12), ("HAL003", 13)]


@pytest.mark.slow
def test_a_classvar_bound_here_or_not_declared_as_one_stays_unknown(declaring):
    assert codes(declaring, """
        import declpkg

        class Own(declpkg.Declared):
            registry = object()

        class Stored(declpkg.Declared):
            pass

        class Holder(declpkg.Instances):
            pass

        class Parent(declpkg.Declared):
            def own(self):
                return self.registry.remove(1)

            @classmethod
            def kind(cls):
                return cls.registry.remove(1)

        class Child(Parent):
            registry = object()

        Stored.registry = object()

        def use():
            return Own.registry.remove(1), Stored.registry.remove(1), Holder.item.remove(1)
        """) == []
