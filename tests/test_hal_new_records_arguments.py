"""A class whose ``__new__`` takes anything and only makes the instance takes what its ``__init__``
takes (issue 15, recall26).

``inspect.signature(cls)`` reads the first ``__new__`` or ``__init__`` of the MRO, so Django's
``@deconstructible`` (``def __new__(cls, *args, **kwargs): obj = super(klass, cls).__new__(cls);
obj._constructor_args = (args, kwargs); return obj``) made ``EmailValidator(whitelist=[...])`` look
accepted.  Python runs ``type(obj).__init__`` with the same arguments, and ``obj`` is an instance of
exactly the class called, so a keyword or a positional argument ``__init__`` does not take raises
TypeError: reported (HAL004 / HAL005), for the ``__new__`` of a base and for one a class decorator
sets.

Look-alikes stay silent: ``__init__``'s own keywords; a ``__new__`` that may return another object
(then ``__init__`` does not run); an ``__init__`` that takes ``**kwargs``; a ``__new__`` of a class
whose base defines another ``__new__``."""

from __future__ import annotations

import pytest

from test_hal_support import hal_call_lines, one_package, run_with_package, site_context

pytestmark = pytest.mark.slow

SOURCE = '''
def deconstructible(klass):
    def __new__(cls, *args, **kwargs):
        obj = super(klass, cls).__new__(cls)
        obj._constructor_args = (args, kwargs)
        return obj

    klass.__new__ = staticmethod(__new__)
    return klass


class Recorded:
    def __new__(cls, *args, **kwargs):
        obj = super().__new__(cls)
        obj._constructor_args = (args, kwargs)
        return obj


class Validator(Recorded):
    def __init__(self, message=None, code=None, allowlist=None):
        self.allowlist = allowlist


@deconstructible
class Storage:
    def __init__(self, location=None):
        self.location = location


class Fast:
    def __init__(self, **options):
        self.options = options


class Switching:
    def __new__(cls, *args, **kwargs):
        if kwargs.get("fast"):
            return Fast(**kwargs)
        obj = super().__new__(cls)
        return obj

    def __init__(self, name=None):
        self.name = name


class Open(Recorded):
    def __init__(self, **options):
        self.options = options


class Pooled:
    shared = None

    def __new__(cls, *args, **kwargs):
        if Pooled.shared is None:
            Pooled.shared = Fast()
        return Pooled.shared


class Layered(Pooled):
    def __new__(cls, *args, **kwargs):
        obj = super().__new__(cls)
        return obj

    def __init__(self, name=None):
        self.name = name
'''


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, one_package("recorded", SOURCE)) as context:
        yield context


def test_a_keyword_or_argument_the_init_does_not_take_is_reported(site):
    assert hal_call_lines(site, """
        from recorded import Storage, Validator


        def use():
            print(Validator(whitelist=["localhost"]))
            print(Storage(base_url="/media"))
            return Validator("m", "c", [], "extra")
    """) == ["6:HAL004", "7:HAL004", "8:HAL005"]


def test_init_keywords_and_constructions_init_may_not_decide_stay_silent(site):
    assert hal_call_lines(site, """
        from recorded import Layered, Open, Storage, Switching, Validator


        def use():
            print(Validator("m", code="c", allowlist=["localhost"]), Storage(location="/media"))
            print(Switching(fast=True, workers=2))
            print(Open(anything=1))
            return Layered(fast=True)
    """) == []


def test_the_reported_call_raises_and_the_look_alikes_run(tmp_path):
    out = run_with_package(tmp_path, "recorded", SOURCE, """
        from recorded import Layered, Open, Storage, Switching, Validator

        def use():
            print(Validator("m", code="c", allowlist=["localhost"]), Storage(location="/media"))
            print(Switching(fast=True, workers=2), Open(anything=1), Layered(fast=True))
            try:
                Validator(whitelist=["localhost"])
            except TypeError as exc:
                print("TypeError", exc)
    """)
    assert out.splitlines()[-1] == "TypeError Validator.__init__() got an unexpected keyword argument 'whitelist'"
