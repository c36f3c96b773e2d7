"""More receivers the fourth blind corpus (issue 15, blind4) showed vetpy missing, each a value the
analysis now knows (branch recall18b).

1. A stub's return annotation written as a dotted path through an imported package
(typeshed's ``def find_spec(...) -> importlib.machinery.ModuleSpec | None`` after ``import
importlib.machinery``): the class it names, so ``spec.path`` is reported (a missing name of the
class is missing on None too).  Real members stay silent, as does a function of this file with
the same name.  Likewise a name the stub binds differently per Python version (typeshed's
``_csv``: ``_writer = Writer`` under ``sys.version_info >= (3, 10)``, ``class _writer`` before):
the binding on the target's side, so ``csv.writer(f).write_row`` is reported on 3.12 while
``writerow`` and ``dialect`` stay silent.

2. Calling a ``TypedDict`` class of this file gives a plain ``dict`` (CPython makes the class's
instances dicts: ``type(Movie(title="x")) is dict``, 3.8 to 3.13, typing's and
typing_extensions' alike), so ``movie.title`` (TypeScript's attribute access) is reported.  Look-alikes
stay silent: keys read with ``[]`` or ``.get``, dict methods, an annotated parameter (a dict
subclass may be passed), a class of this file named ``TypedDict`` and a plain annotated class.

3. Iterating an ``ItemsView[K, V]`` (a method annotated so at run time, httpx's
``Headers.items()``) gives ``(K, V)`` pairs, so ``value.decode()`` on a ``str`` value is
reported; the values' own members and an unannotated ``items()`` stay silent."""

from __future__ import annotations

import pytest

from test_hal_support import hal_call_lines, site_context

pytestmark = pytest.mark.slow

PACKAGE = {
    "hdrs/__init__.py": """
        import typing


        class Headers:
            def __init__(self, data):
                self._data = dict(data)

            def items(self) -> typing.ItemsView[str, str]:
                return self._data.items()

            def pairs(self):
                return self._data.items()

            def mapping(self) -> typing.Mapping[str, str]:
                return self._data
    """,
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, PACKAGE) as context:
        yield context


def test_a_missing_member_of_a_stub_return_named_by_a_dotted_path_is_reported(site):
    assert hal_call_lines(site, """
        import importlib.util


        def use(path):
            spec = importlib.util.find_spec("json")
            if spec is not None:
                print(spec.path)
            other = importlib.util.spec_from_file_location("m", path)
            return other.module_name
    """) == ["8:HAL003", "10:HAL003"]


def test_real_members_of_a_dotted_stub_return_and_a_local_namesake_stay_silent(site):
    assert hal_call_lines(site, """
        import importlib.util


        def find_spec(name):
            return name


        def use():
            spec = importlib.util.find_spec("json")
            if spec is not None:
                print(spec.name, spec.origin, spec.loader, spec.submodule_search_locations, spec.parent)
            return find_spec("json").path
    """) == []


def test_a_stub_name_bound_per_python_version_is_read_on_the_targets_side(site):
    assert hal_call_lines(site, """
        import csv
        import io


        def use():
            writer = csv.writer(io.StringIO())
            writer.writerow(["a"])
            print(writer.dialect.delimiter)
            writer.write_row(["a", "b"])
            return csv.reader(["a,b"]).next_row()
    """) == ["10:HAL003", "11:HAL003"]


def test_a_missing_attribute_of_a_typed_dict_instance_is_reported(site):
    assert hal_call_lines(site, """
        import typing
        from typing import TypedDict


        class Movie(typing.TypedDict):
            title: str


        class Film(TypedDict, total=False):
            year: int


        class Sequel(Movie):
            part: int


        def use():
            print(Film(year=1).year)
            print(Sequel(title="x", part=2).part)
            return Movie(title="x").title
    """) == ["19:HAL003", "20:HAL003", "21:HAL003"]


def test_typed_dict_keys_dict_methods_parameters_and_look_alike_classes_stay_silent(site):
    assert hal_call_lines(site, """
        import typing


        class TypedDict:
            title = "x"


        class Movie(typing.TypedDict):
            title: str


        class Fake(TypedDict):
            year: int


        class Plain:
            title: str

            def __init__(self, title):
                self.title = title


        def use(given: Movie):
            movie = Movie(title="x")
            print(movie["title"], movie.get("title"), movie.keys(), movie.items(), movie.copy())
            print(given.title, Fake().title, Plain("x").title)
            return Movie.__annotations__
    """) == []


def test_a_missing_member_of_an_items_view_value_is_reported(site):
    assert hal_call_lines(site, """
        import hdrs


        def use():
            out = []
            for _name, value in hdrs.Headers({"a": "1"}).items():
                out.append(value.decode())
            return out
    """) == ["8:HAL003"]


def test_items_view_values_own_members_unannotated_items_and_mappings_stay_silent(site):
    assert hal_call_lines(site, """
        import hdrs


        def use():
            h = hdrs.Headers({"a": "1"})
            out = []
            for name, value in h.items():
                out.append(value.encode() + name.encode())
            for _name, value in h.pairs():
                out.append(value.decode())
            return out
    """) == []
