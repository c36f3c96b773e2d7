"""Keywords through a decorator's wrapper that binds its ``**kwargs`` again to what a helper hands
back before passing the call on (issue 15, blind5: Django's ``deprecate_posargs`` on
``send_mail``, which moves deprecated positional arguments into the keywords, so
``send_mail(..., html="<b>")`` raises TypeError; branch recall33).

The rebinding ``args, kwargs = remap(args, kwargs)`` is no other use of the dict when the helper's
source (read by the worker, ``_worker_rebinds.py``) proves every key survives: the helper never
binds the dict again, reads it only in ways that cannot change it, and hands back the dict or a
new one made of all of its keys.  Look-alikes stay silent: a helper that pops a key (the keyword
may be consumed), one that hands back a dict of its own, a generator (what it yields is unpacked), a merge with an object that may answer ``|`` itself, the wrapped function's own keywords,
and the deprecated positional arguments the wrapper moves (the count of positionals stays open)."""

from __future__ import annotations

import pytest

from test_hal_support import hal_call_lines, site_context

pytestmark = pytest.mark.slow

PACKAGE = {
    "deco/__init__.py": """
        import warnings
        from functools import wraps


        def deprecate_posargs(names):
            def decorator(func):
                count = 1

                def remap(args, kwargs):
                    moved = dict(zip(names, args[count:]))
                    if set(moved) & set(kwargs):
                        raise TypeError("both")
                    updated = kwargs | moved
                    warnings.warn("positional", DeprecationWarning)
                    return args[:count], updated

                @wraps(func)
                def wrapper(*args, **kwargs):
                    if len(args) > count:
                        args, kwargs = remap(args, kwargs)
                    return func(*args, **kwargs)
                return wrapper
            return decorator


        def popping(func):
            def strip(kwargs):
                kwargs.pop("colour", None)
                return kwargs

            @wraps(func)
            def wrapper(*args, **kwargs):
                kwargs = strip(kwargs)
                return func(*args, **kwargs)
            return wrapper


        def replacing(func):
            def fresh(kwargs):
                return {"scale": 1}

            @wraps(func)
            def wrapper(*args, **kwargs):
                kwargs = fresh(kwargs)
                return func(*args, **kwargs)
            return wrapper


        def yielding(func):
            def pairs(args, kwargs):
                yield args
                yield {}
                return args, kwargs

            @wraps(func)
            def wrapper(*args, **kwargs):
                args, kwargs = pairs(args, kwargs)
                return func(*args, **kwargs)
            return wrapper


        def merging(extra):
            def decorator(func):
                def merge(kwargs, more):
                    return kwargs | more

                @wraps(func)
                def wrapper(*args, **kwargs):
                    kwargs = merge(kwargs, extra)
                    return func(*args, **kwargs)
                return wrapper
            return decorator


        class Dropping:
            def __ror__(self, other):
                return {}


        @deprecate_posargs(["quiet"])
        def send(value, *, quiet=False, html_body=None):
            return value


        @popping
        def paint(value, scale=1):
            return value


        @replacing
        def draw(value, scale=1):
            return value


        @yielding
        def sketch(value, scale=1):
            return value


        @merging(Dropping())
        def blend(value, scale=1):
            return value
    """,
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, PACKAGE) as context:
        yield context


def test_a_keyword_the_wrapped_function_rejects_is_reported_through_the_rebinding(site):
    assert hal_call_lines(site, """
        from deco import send


        def use(a):
            send(a, html="<b>")
    """) == ["6:HAL004"]


def test_the_functions_keywords_and_the_moved_positionals_stay_silent(site):
    assert hal_call_lines(site, """
        from deco import send


        def use(a):
            send(a, quiet=True, html_body="<b>")
            send(a, True)
    """) == []


def test_helpers_that_may_drop_or_replace_keys_stay_silent(site):
    assert hal_call_lines(site, """
        from deco import paint, draw, sketch, blend


        def use(a):
            paint(a, colour="red")
            draw(a, colour="red")
            sketch(a, colour="red")  # a generator: its return is not what the caller unpacks
            blend(a, colour="red")  # `kwargs | more`: an object that is no dict answers through `__ror__`
    """) == []
