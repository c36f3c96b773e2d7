"""What a type checker reads from declared types, checked where the runtime agrees (issue 15).

1. Calls of a function of this file decorated by an installed decorator whose declared type gives
back the function's parameters (``@tenacity.retry(...)``, typed ``Callable[[Callable[P, R]],
_RetryDecorated[P, R]]``): checked against the function's own signature.  Trusted only in the
shapes ``(fn: F) -> F``, ``(fn: Callable[P, R]) -> Callable[P, ...]`` or a generic class whose
``__call__`` takes ``(*args: P.args, **kwargs: P.kwargs)``, their factories, and the overload a
type checker would pick; never when the decorator's own source shows a wrapper that changes the call.
2. ``dataclasses.replace(obj, z=...)`` where ``obj`` is certainly of a dataclass of this file.
3. Unpacking an instance of a class whose generic base is ``tuple[A, B]`` (anyio's
``create_memory_object_stream``).

Every "must flag" line raises when run (the ``..._runs`` tests); every look-alike runs."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from test_hal_support import hal_call_lines, one_package, site_context

pytestmark = pytest.mark.slow

DECLIB = '''
from __future__ import annotations  # every annotation a string, evaluated in the module

import functools
from typing import Any, Callable, ParamSpec, Protocol, TypeVar, overload

F = TypeVar("F", bound=Callable[..., Any])
P = ParamSpec("P")
R = TypeVar("R")


def keep(fn: F) -> F:
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs)
    return wrapper


class Retried(Protocol[P, R]):
    attempts: int

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R: ...


def retrying(times: int = 1) -> Callable[[Callable[P, R]], Retried[P, R]]:
    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            for _ in range(times - 1):
                try:
                    return fn(*args, **kwargs)
                except Exception:
                    pass
            return fn(*args, **kwargs)
        wrapper.attempts = times
        return wrapper
    return decorate


@overload
def both(fn: Callable[P, R]) -> Retried[P, R]: ...
@overload
def both(*, times: int = ...) -> Callable[[Callable[P, R]], Retried[P, R]]: ...
def both(*dargs, **dkw):
    if len(dargs) == 1 and callable(dargs[0]):
        return retrying()(dargs[0])
    return retrying(**dkw)


def lying(fn: F) -> F:  # typed to keep the signature; its wrapper takes one more keyword
    @functools.wraps(fn)
    def wrapper(*args, timeout=None, **kwargs):
        return fn(*args, **kwargs)
    return wrapper


def popping(fn: F) -> F:  # typed to keep it; its wrapper consumes a keyword
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        kwargs.pop("timeout", None)
        return fn(*args, **kwargs)
    return wrapper


def loose(fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs)
    return wrapper


def like(model: F) -> Callable[[F], F]:  # the decorated function becomes `model`'s type
    def decorate(fn):
        return model
    return decorate


@overload
def either(fn: Callable[P, R]) -> Retried[P, R]: ...
@overload
def either(*, loud: bool = ...) -> Callable[[Callable[..., Any]], Callable[..., Any]]: ...
def either(*dargs, **dkw):  # its factory's decorator takes `timeout=`
    return keep(dargs[0]) if dargs else popping


def untyped(fn):
    def wrapper(*args, **kwargs):
        kwargs.pop("timeout", None)
        return fn(*args, **kwargs)
    return wrapper
'''

HEAD = "from declib import both, either, keep, like, loose, lying, popping, retrying, untyped\n"

FLAGGED = HEAD + """

@keep
def a(x, y=1):
    return x


@retrying(times=2)
def b(x, *, timeout=5.0):
    return x


@both
def c(x):
    return x


@both(times=2)
def d(x):
    return x


a(1, z=2)  # 24:HAL004
a(1, 2, 3)  # 25:HAL005
b("u", retries=3)  # 26:HAL004
c(1, 2)  # 27:HAL005
d(1, extra=True)  # 28:HAL004
"""

VALID = HEAD + """

def _two(x, y=0):
    return x


@lying
def e(x):
    return x


@popping
def f(x):
    return x


@loose
def g(x):
    return x


@like(_two)
def h(x):
    return x


@either(loud=True)
def i(x):
    return x


@untyped
def j(x):
    return x


@retrying(*[2])
def k(x):
    return x


@keep
def m(x, y=1):
    return (x, y)


@retrying(times=1)
def n(x, *, timeout=5.0):
    return [x, timeout]


e(1, timeout=3)
f(1, timeout=3)
g(1)
h(1, y=2)
i(1, timeout=2)
j(1, timeout=3)
k(1)
m(1, y=2, **{})
n("u", timeout=1.0)
assert n.attempts == 1
"""


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, one_package("declib", DECLIB)) as context:
        yield context


def test_calls_of_a_function_whose_decorator_is_declared_to_keep_its_parameters_are_checked(ctx):
    assert hal_call_lines(ctx, FLAGGED) == ["24:HAL004", "25:HAL005", "26:HAL004", "27:HAL005", "28:HAL004"]


def test_decorators_typed_loosely_or_changing_the_call_leave_it_unchecked(ctx):
    assert hal_call_lines(ctx, VALID) == []


def test_the_specification_runs(tmp_path):
    (tmp_path / "declib").mkdir()
    (tmp_path / "declib" / "__init__.py").write_text(textwrap.dedent(DECLIB))
    body = FLAGGED.split("\n\n\n")
    defs, calls = "\n\n\n".join(body[:-1]), body[-1].strip().splitlines()
    for line in calls:
        program = defs + "\ntry:\n    " + line.split("#")[0] + "\nexcept TypeError:\n    pass\nelse:\n    raise SystemExit('ran')\n"
        subprocess.run([sys.executable, "-c", program], cwd=tmp_path, check=True)
    subprocess.run([sys.executable, "-c", VALID], cwd=tmp_path, check=True)


# dataclasses.replace(obj, **changes) calls obj's class with the keywords (rules/hal/replaced.py)
CLASSES = """
import dataclasses
from dataclasses import InitVar, dataclass, field, replace


@dataclass
class Point:
    x: int
    y: int = 0


@dataclass
class Made:
    x: int
    scale: InitVar[int] = 1
    cached: int = field(init=False, default=0)

    def __post_init__(self, scale):
        self.x *= scale


@dataclass(init=False)
class Own:
    x: int

    def __init__(self, x, **extra):
        self.x = x


class Plain:
    def __init__(self, x):
        self.x = x


p = Point(1)
"""

REPLACED = CLASSES + """
dataclasses.replace(Point(1, 2), z=3)  # 37:HAL004
replace(p, zz=1)  # 38:HAL004
replace(Made(1), scale=2, offset=1)  # 39:HAL004
"""

# raise, but not the TypeError of an unknown keyword: left alone
REFUSED = [("replace(Made(1), cached=5)", "ValueError"), ("replace(Plain(1), z=5)", "TypeError")]

REPLACED_VALID = CLASSES + """

def moved(q: Point):
    return replace(q, z=1)  # q may be of a subclass with a field z


@dataclass
class Point3(Point):
    z: int = 0


assert moved(Point3(1)).z == 1
replace(Point(1), y=2)
replace(Made(1), scale=2)  # an InitVar is an __init__ parameter
replace(Own(1), z=2)  # its own __init__ takes it
replace(Point(1), **{"y": 2})
"""


def test_a_keyword_replace_passes_to_a_dataclass_of_this_file_is_checked(ctx):
    assert hal_call_lines(ctx, REPLACED) == ["37:HAL004", "38:HAL004", "39:HAL004"]
    assert hal_call_lines(ctx, CLASSES + "\n".join(code for code, _error in REFUSED)) == []


def test_replace_of_a_value_of_unknown_class_or_a_field_the_class_takes_is_not_reported(ctx):
    assert hal_call_lines(ctx, REPLACED_VALID) == []


def test_the_replace_specification_runs():
    for line in REPLACED.splitlines()[-3:]:
        program = CLASSES + "try:\n    " + line.split("#")[0] + "\nexcept TypeError:\n    pass\nelse:\n    raise SystemExit('ran')\n"
        subprocess.run([sys.executable, "-c", program], check=True)
    for code, error in REFUSED:
        program = CLASSES + f"try:\n    {code}\nexcept {error}:\n    pass\nelse:\n    raise SystemExit('ran')\n"
        subprocess.run([sys.executable, "-c", program], check=True)
    subprocess.run([sys.executable, "-c", REPLACED_VALID], check=True)


# unpacking an instance of a class whose generic base is tuple[A, B] (resolve/_worker_tuples.py)
TUPLIB = '''
from typing import Generic, NamedTuple, TypeVar

T = TypeVar("T")


class Sender(Generic[T]):
    def send_nowait(self, item: T) -> None:
        self.item = item


class Receiver(Generic[T]):
    def receive_nowait(self) -> None:
        return None


class open_pair(tuple[Sender[T], Receiver[T]]):  # as anyio's create_memory_object_stream
    def __new__(cls, size: int = 0) -> tuple[Sender[T], Receiver[T]]:
        return (Sender(), Receiver())


class Counts(tuple[int, ...]):
    pass


class Named(NamedTuple):
    count: int
    label: str
'''

UNPACKED = """
from tuplib import open_pair

send, receive = open_pair(1)
send.put_nowait(1)  # 5:HAL003
receive.get_nowait()  # 6:HAL003
"""

UNPACKED_VALID = """
from tuplib import Counts, Named, open_pair

send, receive = open_pair(1)
send.send_nowait(1)
receive.receive_nowait()
first, second = Counts((1, 2))
first.bit_length()
count, label = Named(1, "a")
label.upper()
"""


@pytest.fixture(scope="module")
def tuples(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, one_package("tuplib", TUPLIB)) as context:
        yield context


def _attribute_lines(ctx, code: str) -> list[str]:
    from vetpy.engine import check_source

    found = check_source(textwrap.dedent(code), str(ctx.root / "snippet.py"), ctx)
    return [f"{f.line}:{f.code}" for f in found if f.code.startswith("HAL")]


def test_unpacking_a_tuple_class_of_fixed_items_gives_its_items(tuples):
    assert _attribute_lines(tuples, UNPACKED) == ["5:HAL003", "6:HAL003"]


def test_unpacking_other_tuple_classes_finds_nothing_missing(tuples):
    assert _attribute_lines(tuples, UNPACKED_VALID) == []


def test_the_tuple_specification_runs(tmp_path):
    (tmp_path / "tuplib").mkdir()
    (tmp_path / "tuplib" / "__init__.py").write_text(textwrap.dedent(TUPLIB))
    for line in UNPACKED.strip().splitlines()[3:]:
        program = "\n".join(UNPACKED.strip().splitlines()[:3]) + "\ntry:\n    " + line.split("#")[0] + \
                  "\nexcept AttributeError:\n    pass\nelse:\n    raise SystemExit('ran')\n"
        subprocess.run([sys.executable, "-c", program], cwd=tmp_path, check=True)
    subprocess.run([sys.executable, "-c", UNPACKED_VALID], cwd=tmp_path, check=True)
