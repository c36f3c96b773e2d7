"""HAL004 unknown-keyword / HAL005 bad-arity through ``**kwargs`` forwarding, pass-through
decorators (``functools.wraps``), callable objects and the project's own functions (issue 15,
point 2).  Every "must flag" case fails with TypeError when run; every look-alike runs.

Installed callees: the pinned environment of test_hal (requests, numpy) and a bare virtual
environment holding a small package, ``fwdlib``, whose shapes (super() chains, wrappers, callable
instances) are written to be followed or to stay open."""

from __future__ import annotations

import textwrap

import pytest

from test_hal_support import hal_context, site_context, target_python
from vetpy.engine import check_source

pytestmark = pytest.mark.slow

CODES = ("HAL003", "HAL004", "HAL005")

FWDLIB = '''
import functools

from fwdlib.shadowed import helper  # binds the submodule as an attribute: the function below replaces it


def shadowed(a, *, b=1):
    return helper(a) + b


class Base:
    def __init__(self, name, *, size=1):
        self.name = name


class Child(Base):
    def __init__(self, name, colour="red", **kwargs):  # the rest goes to Base through super()
        super().__init__(name, **kwargs)
        self.colour = colour


class Stored:
    def __init__(self, **options):  # kept: any keyword is accepted
        self.options = options


class Parser:
    def parse(self, text, *, strict=False):
        return text


def parse(text, **kwargs):  # on a new instance of a class of the module
    return Parser().parse(text, **kwargs)


def run(fn, **kwargs):  # forwarded into a callable parameter: whatever the caller passes
    return fn(**kwargs)


def logged(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        print("calling", fn.__name__)
        return fn(*args, **kwargs)
    return wrapper


def skipping(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if not ENABLED:
            return None
        return fn(*args, **kwargs)
    return wrapper


def retrying(fn):
    @functools.wraps(fn)
    def wrapper(*args, retries=0, **kwargs):  # takes a keyword of its own
        return fn(*args, **kwargs)
    return wrapper


def fixed(fn):  # no wraps: the wrapper's own signature is the one called
    def wrapper(x):
        return fn(x, 1)
    return wrapper


ENABLED = False


@logged
def add(a, b):
    return a + b


@skipping
def sub(a, b):
    return a - b


@retrying
def mul(a, b):
    return a * b


@fixed
def div(a, b):
    return a / b


@functools.lru_cache(maxsize=None)
def square(x):
    return x * x


def converting(fn):  # dateutil's `_takes_ascii`: converts an argument, then passes the call on
    @functools.wraps(fn)
    def wrapper(self, text, *args, **kwargs):
        text = str(text)
        return fn(self, text, *args, **kwargs)
    return wrapper


def hooked(fn):  # calls whatever the cell holds: `use_hook` may put another callable there
    hook = fn

    def use_hook(other):
        nonlocal hook
        hook = other

    @functools.wraps(fn)
    def wrapper(text, *args, **kwargs):
        text = str(text)
        return hook(text, *args, **kwargs)
    wrapper.use_hook = use_hook
    return wrapper


def keeping(fn):  # keeps the keywords, passes the call on without them
    @functools.wraps(fn)
    def wrapper(text, *args, **kwargs):
        text = str(text)
        LAST.update(kwargs)
        return fn(text, *args)
    return wrapper


LAST = {}


class Reader:
    @converting
    def read(self, text, *, strict=False):
        return text

    @converting
    def read_any(self, text, **options):  # the wrapped method takes any keyword
        return text


reader = Reader()
read = reader.read


@hooked
def load(text, *, strict=False):
    return text


@keeping
def dump(text, *, strict=False):
    return text


class Scorer:
    def __call__(self, text, *, weight=1.0):
        return len(text) * weight


class Canvas:
    def draw(self, *, colour="black"):
        return colour

    def paint(self, **kwargs):  # through self: an instance of a subclass may override fill
        return self.fill(**kwargs)

    def fill(self, *, pattern=None):
        return pattern


CANVASES = [Canvas()]


def current() -> Canvas:  # pyplot's gca(): declared to return one class
    return CANVASES[-1]


def current_untyped():
    return CANVASES[-1]


def draw(**kwargs):
    return current().draw(**kwargs)


def paint(**kwargs):
    return current().paint(**kwargs)


def draw_untyped(**kwargs):
    return current_untyped().draw(**kwargs)


class Backend:  # a base meant to be overridden: the getter gives a subclass's instance
    def send(self, data, *, timeout=None):
        raise NotImplementedError


class HttpBackend(Backend):
    def send(self, data, *, timeout=None, retries=0):
        return data


BACKENDS = [HttpBackend()]


def backend() -> Backend:
    return BACKENDS[-1]


def send(data, **kwargs):
    return backend().send(data, **kwargs)


score = Scorer()
'''


@pytest.fixture(scope="module")
def fwd_ctx(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, {
        "fwdlib/__init__.py": FWDLIB,
        "fwdlib/shadowed.py": "def helper(a):\n    return a\n",
        "fwdlib-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: fwdlib\nVersion: 1.0\n",
        "fwdlib-1.0.dist-info/RECORD": "fwdlib/__init__.py,,\nfwdlib/shadowed.py,,\nfwdlib-1.0.dist-info/METADATA,,\n",
    }) as context:
        yield context


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("project")
    (root / "pyproject.toml").write_text("[project]\nname = 'demo'\nversion = '0'\ndependencies = ['requests==2.32.3']\n")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VETPY_CACHE_DIR", str(tmp_path_factory.mktemp("vetpy-cache")))
        context = hal_context(root, target_python())
    yield context
    context.members.close()


def found(context, code: str) -> list[tuple[int, str]]:
    text = textwrap.dedent(code)
    return [(f.line, f.code) for f in check_source(text, str(context.root / "snippet.py"), context) if f.code in CODES]


def messages(context, code: str) -> list[str]:
    text = textwrap.dedent(code)
    return [f.message for f in check_source(text, str(context.root / "snippet.py"), context) if f.code in CODES]


# -- requests: get -> request -> Session.request (no **kwargs) --------------------------------------

def test_requests_keywords_no_function_down_the_chain_accepts(ctx):
    assert found(ctx, """
        import requests
        requests.get("https://example.org", retries=3)
        requests.post("https://example.org", json={"a": 1}, verify_ssl=False)
    """) == [(3, "HAL004"), (4, "HAL004")]


def test_requests_keywords_the_session_accepts_are_silent(ctx):
    assert found(ctx, """
        import requests
        requests.get("https://example.org", timeout=3)
        requests.get("https://example.org", verify=False)
        requests.post("https://example.org", json={"a": 1}, headers={}, allow_redirects=False)
    """) == []


# -- numpy's array-function dispatchers check every call against the implementation's signature --

def test_numpy_dispatched_functions_are_checked(ctx):
    assert found(ctx, """
        import numpy as np
        np.unique([1, 1], return_count=True)
        np.concatenate([[1], [2]], ignore_index=True)
        np.where([True], [1], [2], [3])
    """) == [(3, "HAL004"), (4, "HAL004"), (5, "HAL005")]


def test_numpy_dispatched_functions_called_right_are_silent(ctx):
    assert found(ctx, """
        import numpy as np
        np.unique([1, 1], return_counts=True)
        np.concatenate([[1], [2]], axis=0)
        np.where([True], [1], [2])
    """) == []


# -- the project's own helpers -----------------------------------------------------------------------

def test_a_project_helper_forwarding_kwargs_into_a_strict_function(ctx):
    assert found(ctx, """
        import json
        import requests

        def dump(obj, **kwargs):
            return json.dumps(obj, **kwargs)

        def fetch(url, **kwargs):
            return requests.get(url, timeout=5, **kwargs)

        dump({}, indentation=2)
        fetch("https://example.org", retries=3)
    """) == [(11, "HAL004"), (12, "HAL004")]


def test_project_helpers_whose_kwargs_stay_open_are_silent(ctx):
    assert found(ctx, """
        import logging
        import requests

        def popped(url, **kwargs):
            retries = kwargs.pop("retries", 0)   # read: the helper takes it itself
            return requests.get(url, **kwargs), retries

        def tested(url, **kwargs):
            if "legacy" in kwargs:               # inspected: what is forwarded depends on it
                return None
            return requests.get(url, **kwargs)

        def via_callable(fn, **kwargs):
            return fn(**kwargs)

        def into_open(**kwargs):
            logging.basicConfig(**kwargs)       # basicConfig reads its **kwargs itself

        def stored(**kwargs):
            return dict(kwargs)

        popped("https://example.org", retries=3, verify=False, json={})
        tested("https://example.org", legacy=True)
        via_callable(print, anything=1)
        into_open(anything=1)
        stored(anything=1)
    """) == []


def test_project_functions_arity_and_keywords(ctx):
    assert found(ctx, """
        def area(width, height=1, *, unit="m"):
            return width * height

        area(1, 2, 3)
        area(1, units="cm")
        area()
        area(1, 2, unit="cm")
        area(width=2)
    """) == [(5, "HAL005"), (6, "HAL004"), (7, "HAL005")]


def test_methods_and_rebound_or_decorated_functions_are_not_checked(ctx):
    assert found(ctx, """
        import functools

        def unknown_decorator(fn):
            return fn

        class Shape:
            def area(self, width):
                return width
            def total(self):
                return self.area(1, 2)          # a subclass elsewhere may take two

        @unknown_decorator
        def wrapped(a):
            return a

        @functools.singledispatch
        def show(a):
            return a

        def late(a):
            return a
        if input():
            def late(a, b):
                return a

        wrapped(1, 2)
        show(1, 2)
        late(1, 2)
    """) == []


def test_a_wraps_decorator_of_the_project_keeps_the_signature(ctx):
    assert found(ctx, """
        import functools

        def logged(fn):
            @functools.wraps(fn)
            def wrapper(*args, **kwargs):
                print("calling")
                return fn(*args, **kwargs)
            return wrapper

        def cached(fn):
            @functools.wraps(fn)
            def wrapper(*args, **kwargs):
                if args in CACHE:
                    return CACHE[args]
                return fn(*args, **kwargs)
            return wrapper

        def renaming(fn):
            def wrapper(x):
                return fn(x, 1)
            return wrapper

        CACHE = {}

        @logged
        def add(a, b):
            return a + b

        @cached
        def sub(a, b):
            return a - b

        @renaming
        def div(a, b):
            return a / b

        add(1, 2, 3)
        add(1, c=2)
        add(1, 2)
        sub(1, 2, 3)
        div(5)
    """) == [(38, "HAL005"), (39, "HAL004")]


def test_a_callable_instance_of_a_project_class(ctx):
    assert found(ctx, """
        class Scorer:
            def __call__(self, text, *, weight=1.0):
                return len(text) * weight

        class Runner:
            def __call__(self, *args, **kwargs):
                return args

            def again(self):
                return self(1, 2, 3)

        score = Scorer()
        score("a", "b")
        score("a", weight=2)
        run = Runner()
        run(1, 2, anything=3)
    """) == [(14, "HAL005")]


def test_a_test_of_the_failure_is_not_reported(ctx):
    assert found(ctx, """
        import json
        import unittest
        import pytest

        def area(width):
            return width

        def test_area():
            with pytest.raises(TypeError):
                area(1, 2)
            with pytest.raises((ValueError, TypeError)):
                json.dumps({}, indentation=2)

        class T(unittest.TestCase):
            def test_it(self):
                with self.assertRaises(TypeError):
                    area(1, 2)

        with pytest.raises(ValueError):
            area(1, 2)
    """) == [(21, "HAL005")]


# -- an installed package: super(), new instances, wrappers, callable objects ------------------------

def test_keywords_followed_through_super_and_new_instances(fwd_ctx):
    assert found(fwd_ctx, """
        import fwdlib
        fwdlib.Child("a", colour="blue", sizes=2)
        fwdlib.parse("x", strict=True, lenient=True)
    """) == [(3, "HAL004"), (4, "HAL004")]


def test_keywords_accepted_down_the_chain_or_kept_are_silent(fwd_ctx):
    assert found(fwd_ctx, """
        import fwdlib
        fwdlib.Child("a", colour="blue", size=2)
        fwdlib.parse("x", strict=True)
        fwdlib.Stored(anything=1)
        fwdlib.run(print, anything=1)
    """) == []


def test_installed_wrappers_that_pass_calls_on_keep_the_signature(fwd_ctx):
    assert found(fwd_ctx, """
        import fwdlib
        fwdlib.add(1, 2, 3)
        fwdlib.add(1, c=2)
        fwdlib.square(1, 2)
    """) == [(3, "HAL005"), (4, "HAL004"), (5, "HAL005")]


def test_installed_wrappers_that_may_not_pass_the_call_on_are_silent(fwd_ctx):
    assert found(fwd_ctx, """
        import fwdlib
        fwdlib.sub(1, 2, 3)          # returns before calling while disabled: runs
        fwdlib.mul(1, 2, retries=3)  # the wrapper's own keyword
        fwdlib.div(5)                # the wrapper's signature, not the wrapped one's
        fwdlib.add(1, 2)
    """) == []


def test_installed_wrappers_whose_own_kwargs_reach_the_wrapped_function(fwd_ctx):
    """A wrapper that does something with an argument first (so it does not pass the call on
    unchanged) takes the wrapped function's keywords when its ``**kwargs`` only goes there."""
    assert found(fwd_ctx, """
        import fwdlib
        from fwdlib import read
        read("2024", dayfirst=True)
        fwdlib.Reader().read("x", lenient=True)
    """) == [(4, "HAL004"), (5, "HAL004")]


def test_installed_wrappers_whose_kwargs_may_go_elsewhere_are_silent(fwd_ctx):
    assert found(fwd_ctx, """
        import fwdlib
        from fwdlib import read
        read("2024", strict=True)
        fwdlib.Reader().read_any("x", lenient=True)  # the wrapped method takes any keyword
        fwdlib.load.use_hook(lambda text, **kw: text)
        fwdlib.load("x", lenient=True)               # the cell another closure rebinds
        fwdlib.dump("x", lenient=True)               # kept, not passed on
    """) == []


def test_keywords_followed_through_a_getter_with_a_declared_return(fwd_ctx):
    """``plt.legend(**kw)`` calls ``gca().legend(**kw)``: ``gca`` is declared to return ``Axes``.
    ``Canvas.paint`` hands its ``**kwargs`` to ``self.fill``: followed on the declared class and each
    loaded subclass (none here), a project override being the ``through`` check's (recall50)."""
    assert found(fwd_ctx, """
        import fwdlib
        fwdlib.draw(color="red")
        def helper(**kwargs):
            return fwdlib.draw(**kwargs)
        helper(color="red")
        fwdlib.paint(patterns=1)
    """) == [(3, "HAL004"), (6, "HAL004"), (7, "HAL004")]


def test_keywords_through_an_undeclared_getter_or_self_stay_open(fwd_ctx):
    assert found(fwd_ctx, """
        import fwdlib
        fwdlib.draw(colour="red")
        fwdlib.paint(pattern=1)         # Canvas.paint -> self.fill, which takes it
        fwdlib.draw_untyped(color="red")  # no declared return: any object
        fwdlib.send("x", retries=2)       # Backend.send only raises NotImplementedError
    """) == []


def test_keywords_through_a_declared_getter_stay_open_when_the_project_overrides(tmp_path_factory):
    """The getter may return an instance of a project subclass whose ``draw`` takes more."""
    with site_context(tmp_path_factory, {
        "fwdlib/__init__.py": FWDLIB,
        "fwdlib/shadowed.py": "def helper(a):\n    return a\n",
    }) as context:
        (context.root / "canvases.py").write_text(textwrap.dedent("""
            import fwdlib

            class Wide(fwdlib.Canvas):
                def draw(self, *, colour="black", width=1):
                    return colour, width

                def fill(self, *, pattern=None, patterns=None):
                    return pattern, patterns

            fwdlib.CANVASES.append(Wide())
        """))
        assert found(context, "import fwdlib\nfwdlib.draw(width=2)\nfwdlib.paint(patterns=1)\n") == []


def test_installed_callable_objects(fwd_ctx):
    assert found(fwd_ctx, """
        import fwdlib
        fwdlib.score("a", "b")
        fwdlib.score("a", weight=2)
        s = fwdlib.Scorer()
        s("a", "b")
        s("a", weights=2)
        s("a")
    """) == [(3, "HAL005"), (6, "HAL005"), (7, "HAL004")]


def test_annotated_callable_objects_may_be_of_a_subclass(fwd_ctx):
    assert found(fwd_ctx, """
        import fwdlib
        def use(s: fwdlib.Scorer):
            return s("a", "b")
    """) == []


def test_the_callee_is_named_with_its_package(fwd_ctx):
    [message] = messages(fwd_ctx, "import fwdlib\nfwdlib.Child('a', sizes=2)\n")
    assert "`Child()` in fwdlib 1.0" in message and "`size`" in message


def test_a_function_that_replaces_its_submodule_is_the_name(fwd_ctx):
    """tenacity's `retry`, pendulum's `datetime`: the package binds a function over the submodule of
    the same name; `from fwdlib import shadowed` and `fwdlib.shadowed` give the function."""
    assert found(fwd_ctx, """
        import fwdlib
        from fwdlib import shadowed
        from fwdlib.shadowed import helper
        shadowed(1, c=2)
        fwdlib.shadowed(1, 2)
        shadowed(1, b=2)
        helper(1)
    """) == [(5, "HAL004"), (6, "HAL005")]


# -- builtin methods: their signatures come from the target interpreter ------------------------------

def test_builtin_methods_arity_and_positional_only_keywords(ctx):
    old = ctx.environment.version < (3, 13)  # str.replace takes count= from Python 3.13
    assert found(ctx, """
        [].append(1, 2)
        "a,b".split(",", 1, 2)
        "aaa".replace("a", "b", count=1)
        {}.get()

        def scale(value, /, factor=2):
            return value * factor

        def collect(value, /, **extra):
            return value, extra

        scale(value=1)
        collect(1, value=2)
        scale(1, factor=3)
        "aaa".replace("a", "b", 1)
        "a,b".split(",", maxsplit=1)
    """) == [(2, "HAL005"), (3, "HAL005")] + ([(4, "HAL004")] if old else []) + [(5, "HAL005"), (13, "HAL004")]
