"""Receivers and callees of web frameworks (issue 15): a package's module-level proxy annotated
with the class it stands for (flask's ``request: Request = LocalProxy(...)``), methods behind a
decorator whose wrapper takes ``self`` and passes every call on (flask's ``setupmethod``), and
attributes the project sets on its own functions (which open no installed class).  Every "must
flag" line fails when run; every look-alike runs."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from test_hal_support import site_context
from vetpy.engine import check_source
from vetpy.first_party import FirstPartyFacts

CODES = ("HAL003", "HAL004", "HAL005")

WEBLIB = '''
from __future__ import annotations

import functools
import typing as t

if t.TYPE_CHECKING:
    from weblib.wrappers import Request


class Proxy:
    """Serves every attribute of the object its factory returns (in a request: a Request)."""

    __slots__ = ("_factory",)

    def __init__(self, factory):
        object.__setattr__(self, "_factory", factory)

    def _get_current_object(self):
        return self._factory()

    def __getattr__(self, name):
        return getattr(self._factory(), name)


def setupmethod(f):
    def wrapper_func(self, *args, **kwargs):
        self._check_setup_finished()
        return f(self, *args, **kwargs)
    return functools.update_wrapper(wrapper_func, f)


def shifting(f):  # passes an argument of its own first: the wrapped signature is not the call's
    def wrapper_func(self, *args, **kwargs):
        return f(self, "/api", *args, **kwargs)
    return functools.update_wrapper(wrapper_func, f)


def rebinding(f):  # passes another object than it was given
    def wrapper_func(self, *args, **kwargs):
        self = self.parent
        return f(self, *args, **kwargs)
    return functools.update_wrapper(wrapper_func, f)


class App:
    parent = None

    def _check_setup_finished(self):
        pass

    @setupmethod
    def route(self, rule, **options):
        return rule

    @shifting
    def mount(self, prefix, path):
        return prefix + path

    @rebinding
    def attach(self, name):
        return name


def _current():
    raise RuntimeError("working outside of a request")


request: Request = Proxy(_current)
anything = Proxy(_current)  # not annotated: whatever the factory returns


@t.overload
def expect(kind, *, match=None): ...
@t.overload
def expect(kind, func, *args, **kwargs): ...
def expect(kind, *args, **kwargs):
    if not args:
        if set(kwargs) - {"match"}:
            raise TypeError("unexpected keyword arguments")
        return kind
    return args[0](*args[1:], **kwargs)


@t.overload
def pick(a): ...
@t.overload
def pick(a, b): ...
def pick(*args):
    if len(args) > 2:
        raise TypeError("at most two")
    return args[-1]


def free(*args, **kwargs):  # no overloads: whatever it is given
    return args, kwargs


class Client:
    def __init__(self, host="localhost"):
        self.host = host

    def get(self, key):
        return key

    def load_module(self, name, func):  # adds a computed name: the set is open once it is called
        setattr(self, name, func)


class Cached:
    def __init__(self):
        self.pool = None

    def reset(self):  # reads and removes through __dict__: adds nothing
        try:
            self.__dict__["conn"].close()
        except KeyError:
            pass
        self.__dict__.pop("text", None)
        return "pool" in self.__dict__

    def run(self):
        return 1


class Filling:
    def _fill(self, data):
        self.__dict__.update(data)

    def run(self):
        return 1
'''

WRAPPERS = '''
class Payload:
    def keys(self):
        return []


class Request:
    def __init__(self):
        self.method = "GET"

    def get_json(self, *, silent=False) -> "Payload":
        return Payload()

    @property
    def status_code(self) -> int:
        return 200

    @property
    def handler(self):  # unannotated: may be a callable
        return print
'''


SITE = {
    "weblib/__init__.py": WEBLIB,
    "weblib/wrappers.py": WRAPPERS,
    "weblib-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: weblib\nVersion: 1.0\n",
    "weblib-1.0.dist-info/RECORD": "weblib/__init__.py,,\nweblib/wrappers.py,,\nweblib-1.0.dist-info/METADATA,,\n",
}


@pytest.fixture(scope="module")
def web_ctx(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, SITE) as context:
        yield context


@pytest.fixture(scope="module")
def loading_ctx(tmp_path_factory: pytest.TempPathFactory):
    """A project that calls ``Client.load_module`` somewhere (read before its first check)."""
    with site_context(tmp_path_factory, SITE) as context:
        (context.root / "plugins.py").write_text("def setup(client, f):\n    client.load_module('get_many', f)\n")
        yield context


def found(context, code: str) -> list[tuple[int, str]]:
    text = textwrap.dedent(code)
    return [(f.line, f.code) for f in check_source(text, str(context.root / "snippet.py"), context) if f.code in CODES]


@pytest.mark.slow
def test_a_method_behind_a_wrapper_that_takes_self_keeps_its_signature(web_ctx):
    assert found(web_ctx, """
        from weblib import App
        app = App()
        app.route("/", ["GET"])
    """) == [(4, "HAL005")]


@pytest.mark.slow
def test_wrappers_that_change_the_call_are_not_followed(web_ctx):
    assert found(web_ctx, """
        from weblib import App
        app = App()
        app.route("/", methods=["GET"])
        app.mount("/x")
        app.attach("a", "b", "c")
    """) == []


@pytest.mark.slow
def test_what_an_annotated_module_proxy_gives_and_takes_is_checked(web_ctx):
    assert found(web_ctx, """
        from weblib import request
        request.get_json(strict=True)
        request.get_json().nothing
    """) == [(3, "HAL004"), (4, "HAL003")]


@pytest.mark.slow
def test_proxies_own_attributes_used_right_or_unannotated_are_silent(web_ctx):
    assert found(web_ctx, """
        import weblib
        from weblib import request
        request.method
        request.get_json(silent=True)
        request.get_jsn()  # on the proxy itself: the instance may be of another package's subclass
        request._get_current_object()  # the proxy's own
        request._factory
        weblib.anything.get_jsn()
    """) == []


def _project(root: Path, files: dict[str, str]) -> FirstPartyFacts:
    for name, text in files.items():
        (root / name).write_text(textwrap.dedent(text))
    return FirstPartyFacts(root)


def test_attributes_set_on_the_projects_own_functions_open_nothing(tmp_path: Path):
    facts = _project(tmp_path, {"handlers.py": """
        def handler():
            return 1

        handler.route = "/x"
    """})
    assert not facts.assigns("route")


def test_attributes_set_on_other_objects_stay_open(tmp_path: Path):
    facts = _project(tmp_path, {
        "middleware.py": """
            def handler():
                return 1

            handler.route = "/x"

            def process(request):
                request.route = "/y"
        """,
        "rebound.py": """
            def view():
                return 1

            view = wrap(view)
            view.label = "x"
        """,
    })
    assert facts.assigns("route") and facts.assigns("label")


@pytest.mark.slow
def test_a_call_that_no_overload_accepts(web_ctx):
    assert found(web_ctx, """
        from weblib import expect, pick
        expect(ValueError, message="x")
        pick(1, 2, 3)
    """) == [(3, "HAL004"), (4, "HAL005")]


@pytest.mark.slow
def test_calls_that_an_overload_accepts_or_without_overloads_are_silent(web_ctx):
    assert found(web_ctx, """
        from weblib import expect, free, pick
        expect(ValueError, match="x")
        expect(ValueError, print, 1, sep="")
        pick(1, 2)
        pick("a")
        free(1, 2, 3, anything=2)
    """) == []


OPENED = """
    from weblib import Client
    client = Client()
    client.get_many("a")
    client.get("a")
"""


@pytest.mark.slow
def test_an_instance_opened_only_by_a_method_the_project_never_calls_is_closed(web_ctx):
    assert found(web_ctx, OPENED) == [(4, "HAL003")]


@pytest.mark.slow
def test_an_instance_opened_by_a_method_the_project_calls_stays_open(loading_ctx):
    assert found(loading_ctx, OPENED) == []


def test_the_methods_a_project_calls_are_known(tmp_path: Path):
    facts = _project(tmp_path, {"a.py": "client.load_module('x', f)\ngetattr(client, 'refresh')()\n"})
    assert facts.calls_any(("load_module",)) and facts.calls_any(("refresh",))
    assert not facts.calls_any(("unload",))


@pytest.mark.slow
def test_a_called_property_whose_value_is_never_callable(web_ctx):
    assert found(web_ctx, """
        from weblib.wrappers import Request
        req = Request()
        req.status_code()
        req.status_code
        req.handler()
        req.get_json()
    """) == [(4, "HAL005")]


@pytest.mark.slow
def test_a_called_property_of_an_annotated_value_is_left_alone(web_ctx):
    # a subclass of the annotated class may make it a method
    assert found(web_ctx, """
        from weblib.wrappers import Request
        def view(req: Request):
            return req.status_code()
    """) == []


@pytest.mark.slow
def test_reading_or_removing_through_dict_keeps_the_set_closed(web_ctx):
    assert found(web_ctx, """
        from weblib import Cached, Filling
        Cached().runn()
        Cached().run()
        Filling().runn()
    """) == [(3, "HAL003")]
