"""HAL003 on a celery task: a function decorated with ``@app.task`` alone, ``app = Celery(...)``
made once at the top of the same file, is a ``PromiseProxy`` standing for an instance of the
app's ``Task`` class (``add.delay_later(1, 2)`` raises AttributeError).  Left open: decorator
options, ``shared_task``, a custom task class, configuration that may annotate tasks.

The package ``celery`` here copies celery 5's shapes, small, in a bare virtual environment
(every "must flag" line raises AttributeError when run there; every look-alike runs)."""

from __future__ import annotations

import textwrap

import pytest

from test_hal_support import site_context
from vetpy.engine import check_source

pytestmark = pytest.mark.slow

CODES = ("HAL003",)

LOCAL = '''
class Proxy:
    __slots__ = ("__local", "__args", "__kwargs", "__dict__")

    def __init__(self, local, args=None, kwargs=None, name=None, __doc__=None):
        object.__setattr__(self, "_Proxy__local", local)
        object.__setattr__(self, "_Proxy__args", args or ())
        object.__setattr__(self, "_Proxy__kwargs", kwargs or {})

    def _get_current_object(self):
        return self.__local(*self.__args, **self.__kwargs)

    def __getattr__(self, name):
        return getattr(self._get_current_object(), name)


class PromiseProxy(Proxy):
    __slots__ = ("__pending__", "__weakref__")

    def _get_current_object(self):
        try:
            return object.__getattribute__(self, "__thing")
        except AttributeError:
            return self.__evaluate__()

    def __evaluate__(self):
        thing = Proxy._get_current_object(self)
        object.__setattr__(self, "__thing", thing)
        return thing
'''

TASK = '''
class Task:
    name = None
    max_retries = 3
    _app = None

    def delay(self, *args, **kwargs):
        return self.apply_async(args, kwargs)

    def apply_async(self, args=None, kwargs=None, **options):
        return self.run(*(args or ()), **(kwargs or {}))

    def s(self, *args, **kwargs):
        return (self, args, kwargs)

    @classmethod
    def annotate(cls, annotations):
        for key, value in annotations.items():
            setattr(cls, key, value)
'''

BASE = '''
from celery.local import PromiseProxy
from celery.app.task import Task


class Celery:
    def __init__(self, main=None, broker=None, task_cls=None, **kwargs):
        self.main = main
        self.task_cls = task_cls or Task
        self.finalized = False
        self.annotations = {}

    @property
    def Task(self):
        return self.__dict__.get("_Task", self.task_cls)

    @Task.setter
    def Task(self, value):
        self.__dict__["_Task"] = value

    def _task_from_fun(self, fun, name=None, base=None, bind=False, **options):
        run = fun if bind else staticmethod(fun)
        task = type(fun.__name__, (base or self.Task,), dict({
            "app": self, "name": name or fun.__name__, "run": run, "_decorated": True,
            "__doc__": fun.__doc__, "__module__": fun.__module__, "__wrapped__": run}, **options))()
        task.annotate(self.annotations)
        return task

    def task(self, *args, **opts):
        def inner(**opts):
            def create(fun):
                return PromiseProxy(self._task_from_fun, (fun,), opts, __doc__=fun.__doc__)
            return create
        if len(args) == 1 and callable(args[0]):
            return inner(**opts)(*args)
        return inner(**opts)

    def config_from_object(self, obj):
        self.annotations = dict(getattr(obj, "task_annotations", {}))
'''

INIT = '''
from celery.app.base import Celery


def shared_task(fun):
    return fun
'''


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, {
        "celery/__init__.py": INIT,
        "celery/local.py": LOCAL,
        "celery/app/__init__.py": "",
        "celery/app/task.py": TASK,
        "celery/app/base.py": BASE,
        "celery-5.7.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: celery\nVersion: 5.7.0\n",
        "celery-5.7.0.dist-info/RECORD": "celery/__init__.py,,\ncelery-5.7.0.dist-info/METADATA,,\n",
    }) as context:
        yield context


def found(context, code: str) -> list[tuple[int, str]]:
    text = textwrap.dedent(code)
    return [(f.line, f.code) for f in check_source(text, str(context.root / "snippet.py"), context) if f.code in CODES]


def task_file(setup: str = "", use: str = "add.delay_later(1, 2)") -> str:
    """A file making ``app``, then ``setup`` (top-level lines), a task ``add`` and a use of it (last line)."""
    return "\n".join(["from celery import Celery", "", 'app = Celery("demo", broker="memory://")', *setup.splitlines(),
                      "", "", "@app.task", "def add(a, b):", "    return a + b", "", "", "def use():", f"    return {use}", ""])


def test_a_missing_member_of_a_task_is_flagged(ctx):
    text = task_file()
    assert found(ctx, text) == [(text.count("\n"), "HAL003")]


def test_members_of_the_task_of_the_proxy_and_of_the_made_class_are_accepted(ctx):
    assert found(ctx, task_file(use="(add.delay(1, 2), add.apply_async((1, 2)), add.s(1), add.name, add.max_retries, add.run, "
                                    "add.app, add.__wrapped__, add._decorated, add._get_current_object(), add.__evaluate__())")) == []


def test_options_shared_tasks_and_custom_task_classes_stay_open(ctx):
    assert found(ctx, """
        from celery import Celery, shared_task

        class Custom:
            pass

        app = Celery("demo", broker="memory://")
        other = Celery("demo", task_cls=Custom)


        @app.task(bind=True)
        def bound(self):
            return self


        @shared_task
        def shared():
            return 1


        @other.task
        def custom():
            return 1


        def use():
            return bound.delay_later(), shared.delay_later(), custom.delay_later()
    """) == []


def test_a_task_class_assigned_or_configuration_that_may_annotate_stays_open(ctx):
    assert found(ctx, task_file("app.Task = object")) == []
    assert found(ctx, task_file('app.config_from_object("settings")')) == []
    assert found(ctx, task_file('app.annotations = {"*": {"delay_later": print}}')) == []


def test_an_app_bound_twice_stays_open(ctx):
    assert found(ctx, task_file('if __debug__:\n    app = Celery("other")')) == []
