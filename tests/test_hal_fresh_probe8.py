"""Wrong HAL003 findings of the twelfth session's probe of data and plotting packages
(benchmarks/realapps.md, freshprobe8), each beside a look-alike that must still be reported:

- a dtype compared with a class (narwhals' and polars' ``if dtype == nw.Datetime:
  dtype.time_unit``): the value's own ``__eq__`` tests the class, as an ``isinstance`` would;
  compared with a string or with a plain value it is still what it was;
- a package attribute bound over its submodule of the same name by a value that is no function
  or class (xyzservices' ``from .providers import providers``, a ``Bunch`` instance):
  ``xyzservices.providers`` is that value, never the submodule."""

from __future__ import annotations

import pytest

from test_hal_support import hal_call_lines, site_context

pytestmark = pytest.mark.slow

DTLIB = '''
class DType:
    def __eq__(self, other):
        return isinstance(self, other) if isinstance(other, type) else type(self) is type(other)

    def __hash__(self):
        return hash(type(self))

    def is_numeric(self):
        return False


class Datetime(DType):
    __slots__ = ("time_unit",)

    def __init__(self, time_unit="us"):
        self.time_unit = time_unit


class Series:
    @property
    def dtype(self) -> DType:
        return Datetime()


from dtlib.providers import providers  # the value replaces the submodule of the same name
from dtlib.settings import settings
'''

PROVIDERS = '''
class Bunch(dict):
    def query_name(self, name):
        return self[name]


class Plain:
    def query_name(self, name):
        return name


providers = Bunch(osm=1)
'''

SETTINGS = '''
from dtlib.providers import Plain

settings = Plain()
'''


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    files = {"dtlib/__init__.py": DTLIB, "dtlib/providers.py": PROVIDERS, "dtlib/settings.py": SETTINGS}
    with site_context(tmp_path_factory, files) as context:
        yield context


def test_a_value_compared_with_a_class_is_narrowed_in_the_branch(ctx):
    assert hal_call_lines(ctx, """
        import dtlib
        from dtlib import Datetime

        def unit(s: dtlib.Series, kind: str):
            dtype = s.dtype
            if dtype == dtlib.Datetime:
                return dtype.time_unit
            if dtype in (Datetime, dtlib.DType):
                return dtype.time_unit
            if dtype == "datetime":
                return dtype.time_unit
            if dtype == kind:
                return dtype.time_unit
            return dtype.time_unit
    """) == ["12:HAL003", "14:HAL003", "15:HAL003"]


def test_a_package_attribute_bound_over_its_submodule_is_the_value(ctx):
    assert hal_call_lines(ctx, """
        import dtlib
        import dtlib.providers
        from dtlib import providers, settings

        dtlib.providers.query_name("osm")
        providers.query_name("osm")
        dtlib.settings.query_name("osm")
        dtlib.settings.query_nam("osm")
        settings.query_nam("osm")
        dtlib.providers.Plain
    """) == ["9:HAL003", "10:HAL003", "11:HAL003"]
