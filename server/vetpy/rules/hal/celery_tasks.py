"""A function of this file decorated with ``@app.task`` alone, where ``app = Celery(...)`` is made
once at the top of the same file, is once defined what celery's ``Celery.task`` made of it (HAL003
on its attributes: ``add.delay_later(1, 2)``): a ``PromiseProxy`` that makes the task on first use
(the app is not finalized yet) or the task itself, an instance of a class made by
``type(fun.__name__, (app.Task,), {...})``.  Its attributes are those of ``celery.app.task.Task``,
those of ``celery.local.PromiseProxy`` (found before its ``__getattr__`` asks the task) and the
names ``Celery._task_from_fun`` puts in the class's namespace; anything else raises
AttributeError.

Left open: ``@app.task(...)`` (options become class attributes, ``base=`` another class),
``@shared_task`` (the current app's task class), an app made with ``task_cls=`` or a ``**``
spread, a file that assigns ``<anything>.Task`` (``app.Task`` is a cached property), a name
the project assigns on anything, and dunder names.  ``Task.annotate`` sets the keys of the
app's ``task_annotations`` on the task class: a file that names annotations in any way, or loads
its configuration from elsewhere (``config_from_object``, ``config_source=``), stays open too
(another module configuring the imported app is not seen)"""

from __future__ import annotations

import ast
import weakref
from typing import Any

from vetpy.resolve.value import INSTANCE, Value

TASK = "celery.app.task.Task"
CELERY_TASK = "celery-task"  # the Value name of such a task (an INSTANCE of TASK)
_APPS = frozenset({"celery.app.base.Celery", "celery.Celery"})
_PROXY = "celery.local.PromiseProxy"
_PLAIN_APPS: "weakref.WeakKeyDictionary[ast.AST, dict[str, bool]]" = weakref.WeakKeyDictionary()  # per file: app name -> plain?
# what `Celery._task_from_fun` puts in the task class's namespace (celery 5.x), and the proxy's slot
_MADE = frozenset({"app", "name", "run", "_decorated", "_decorated_fun", "_dump_pydantic_arguments", "__pending__"})


def celery_task(inference: Any, node: ast.AST, decorator: ast.expr) -> Value | None:
    """The task a one-decorator function ``node`` of this file is, when ``decorator`` is
    ``app.task`` (no call) on an app made as the module's docstring says; else None."""
    if not isinstance(decorator, ast.Attribute) or decorator.attr != "task" or not isinstance(decorator.value, ast.Name):
        return None
    app = decorator.value.id
    tree = inference.tree
    plain = _PLAIN_APPS.setdefault(tree, {})  # worked out once per file and app (asked at each use of a task)
    if app not in plain:
        plain[app] = _made_once_plainly(tree, app) and not _assigns_task_class(tree) and not _may_annotate(tree)
    if not plain[app]:
        return None
    made = inference.infer(decorator.value)
    if made is None or made.kind != INSTANCE or made.path not in _APPS or made.name:
        return None  # (an annotated or otherwise inexact app may be of a subclass)
    return Value(INSTANCE, TASK, CELERY_TASK)


def _made_once_plainly(tree: ast.Module, app: str) -> bool:
    """Is ``app`` bound exactly once in the file, at its top level, to ``Celery(...)`` without
    ``task_cls=`` or ``**`` (any callee name: the inference says which class it made)?"""
    binds = [n for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == app and not isinstance(n.ctx, ast.Load)]
    binds += [n for n in ast.walk(tree) if isinstance(n, (ast.Global, ast.Nonlocal)) and app in n.names]
    binds += [n for n in ast.walk(tree) if isinstance(n, ast.alias) and (n.asname or n.name).split(".")[0] == app]
    if len(binds) != 1:
        return False
    top = [s for s in tree.body if isinstance(s, ast.Assign) and len(s.targets) == 1 and s.targets[0] is binds[0]]
    if not top or not isinstance(top[0].value, ast.Call):
        return False
    return not any(k.arg is None or k.arg == "task_cls" for k in top[0].value.keywords)


def _assigns_task_class(tree: ast.Module) -> bool:
    """Does the file assign (or delete) an attribute named ``Task`` anywhere?"""
    return any(isinstance(n, ast.Attribute) and n.attr == "Task" and not isinstance(n.ctx, ast.Load) for n in ast.walk(tree)) \
        or any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "setattr" for n in ast.walk(tree))


def _may_annotate(tree: ast.Module) -> bool:
    """May the app's configuration hold task annotations (``task_annotations``: ``Task.annotate``
    sets each key of them on the task class)?  When the file names annotations in any way, or
    loads the configuration from elsewhere (``config_from_object``, ``config_source=``)."""
    for n in ast.walk(tree):
        text = n.attr if isinstance(n, ast.Attribute) else n.id if isinstance(n, ast.Name) else n.arg if isinstance(n, ast.keyword) \
            else n.value if isinstance(n, ast.Constant) and isinstance(n.value, str) else None
        if text and ("annotations" in text.lower() or text.startswith("config_from_") or text == "config_source"):
            return True
    return False


def task_missing(members: Any, name: str, set_by_the_project: bool) -> tuple[str, list[str], None] | None:
    """(subject, real names, None) when the task (or the proxy standing for it) lacks ``name``."""
    if name.startswith("__") and name.endswith("__") or set_by_the_project:
        return None
    task, proxy = members.describe(TASK), members.describe(_PROXY)
    for info in (task, proxy):
        if not info or not info.get("found") or info.get("kind") != "class":
            return None
    instance = members.instance(TASK)  # (open: Task.annotate's setattr of configured names, excluded above)
    if task.get("instance_getattr") != "none" or not instance:
        return None
    names = set(task.get("members") or ()) | set(instance.get("members") or ()) | set(proxy.get("members") or ()) | _MADE
    return None if name in names else ("Task", sorted(n for n in names if not n.startswith("_")), None)
