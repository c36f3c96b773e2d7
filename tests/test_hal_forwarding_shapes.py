"""HAL004 through ``**kwargs`` passed on in three more shapes of installed code (issue 15,
kwargs-forward), followed by the introspection worker:

- to a classmethod, staticmethod or plain function of a class of the module's globals
  (pandas' ``date_range(**kwargs)`` -> ``DatetimeArray._generate_range(..., **kwargs)``);
- to a method of a local bound once to a new instance, in a function that also has loops,
  comprehensions or other assignments (only a binding of that very name keeps it open; a tuple
  assignment to it does too);
- as ``**{k: v for k, v in kwargs.items() if k not in KEYS}`` (matplotlib's ``Figure.colorbar``):
  the keys left out are taken, every other one reaches the callee.

Every "must flag" call fails with TypeError when run; every look-alike runs (checked below by
running the package)."""

from __future__ import annotations

import pytest

from test_hal_support import hal_call_lines, one_package, site_context

pytestmark = pytest.mark.slow

FWDSHAPES = '''
class Array:
    @classmethod
    def _generate(cls, start, end, *, unit=None):
        return cls

    @staticmethod
    def _static(start, *, unit=None):
        return start

    def plain(start, *, unit=None):
        return start

    @classmethod
    def _loose(cls, start, **options):
        return options


class Meta(type):
    @property
    def build(cls):  # the metaclass answers `Dyn.build`: a callable taking anything
        return lambda *args, **kwargs: kwargs


class Dyn(metaclass=Meta):
    @classmethod
    def build(cls, *, unit=None):
        return cls


def date_range(start=None, **kwargs):
    return Array._generate(start, None, **kwargs)


def static_range(start=None, **kwargs):
    return Array._static(start, **kwargs)


def plain_range(start=None, **kwargs):
    return Array.plain(start, **kwargs)


def loose_range(start=None, **kwargs):
    return Array._loose(start, **kwargs)


def dyn_range(**kwargs):
    return Dyn.build(**kwargs)


class Session:
    def request(self, method, url, *, timeout=None):
        return method, url


class Loose:
    def request(self, method, url, **options):
        return options


def get(url, **kwargs):
    session = Session()
    total = 0
    for part in [url]:
        total += len(part)
    names = [n for n in ("a", "b")]
    return session.request("GET", url, **kwargs)


def get_looped(url, **kwargs):  # the name is bound by the loop
    for session in (Loose(),):
        return session.request("GET", url, **kwargs)


def get_swapped(url, **kwargs):  # bound again by a tuple assignment
    session = Session()
    session, other = Loose(), 1
    return session.request("GET", url, **kwargs)


class Colorbar:
    def __init__(self, ax, mappable, *, label="", extend="neither"):
        self.label = label


def colorbar(mappable, ax=None, **kwargs):
    NON_COLORBAR_KEYS = ["fraction", "pad"]
    return Colorbar(ax, mappable, **{k: v for k, v in kwargs.items() if k not in NON_COLORBAR_KEYS})


def colorbar_literal(mappable, **kwargs):
    return Colorbar(None, mappable, **{k: v for k, v in kwargs.items() if k not in ("shrink",)})


def colorbar_keep(mappable, **kwargs):  # only the kept keys reach the callee: any other is dropped
    return Colorbar(None, mappable, **{k: v for k, v in kwargs.items() if k in ("label",)})


def colorbar_grown(mappable, extra=(), **kwargs):  # the list of left-out keys grows at run time
    NON_COLORBAR_KEYS = ["fraction"]
    NON_COLORBAR_KEYS.extend(extra)
    return Colorbar(None, mappable, **{k: v for k, v in kwargs.items() if k not in NON_COLORBAR_KEYS})
'''

FLAGGED = """
    import fwdshapes
    fwdshapes.date_range("2024", closed="left")
    fwdshapes.static_range("2024", closed="left")
    fwdshapes.plain_range("2024", closed="left")
    fwdshapes.get("/", params={"a": 1})
    fwdshapes.colorbar(None, label_size=8)
    fwdshapes.colorbar_literal(None, label_size=8)
"""

SILENT = """
    import fwdshapes
    fwdshapes.date_range("2024", unit="s")
    fwdshapes.static_range("2024", unit="s")
    fwdshapes.loose_range("2024", closed="left")
    fwdshapes.dyn_range(closed="left")
    fwdshapes.get("/", timeout=3)
    fwdshapes.get_looped("/", params={"a": 1})
    fwdshapes.get_swapped("/", params={"a": 1})
    fwdshapes.colorbar(None, pad=0.1, fraction=0.2, label="x")
    fwdshapes.colorbar_literal(None, shrink=0.5, extend="both")
    fwdshapes.colorbar_keep(None, label_size=8)
    fwdshapes.colorbar_grown(None, extra=["label_size"], label_size=8)
"""


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, one_package("fwdshapes", FWDSHAPES)) as context:
        yield context


def _runs(ctx, code: str) -> list[str]:
    """For each line of ``code`` after the import: "ok" or the exception's type, run in the target."""
    import subprocess
    import textwrap

    lines = textwrap.dedent(code).strip().splitlines()
    program = lines[0] + "\nfor line in %r:\n    try:\n        exec(line)\n        print('ok')\n" \
        "    except Exception as exc:\n        print(type(exc).__name__)\n" % (lines[1:],)
    out = subprocess.run([str(ctx.environment.python), "-c", program], capture_output=True, text=True, check=True).stdout
    return out.split()


def test_the_flagged_calls_raise_and_the_look_alikes_run(ctx):
    assert set(_runs(ctx, FLAGGED)) == {"TypeError"}
    assert set(_runs(ctx, SILENT)) == {"ok"}


def test_keywords_followed_through_the_three_shapes(ctx):
    assert hal_call_lines(ctx, FLAGGED) == [f"{n}:HAL004" for n in range(3, 9)]


def test_look_alikes_that_run_are_silent(ctx):
    assert hal_call_lines(ctx, SILENT) == []
