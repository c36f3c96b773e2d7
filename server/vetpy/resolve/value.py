"""What the inference answers: a :class:`Value` (the kind of object an expression is) and the
words for its kinds, shared by :mod:`vetpy.resolve.infer` and :mod:`vetpy.resolve.containers`."""

from __future__ import annotations

import ast
from dataclasses import dataclass, replace
from typing import Callable

OBJECT, INSTANCE, METHOD = "object", "instance", "method"
LOCAL_INSTANCE, LOCAL_CLASS = "local-instance", "local-class"  # a class defined in the checked file
LOCAL_FUNCTION = "local-function"  # a function (or method) defined in the checked file
CALLABLE = "callable"  # something whose call gives ``args[0]`` (a ``Callable[..., R]``: a decorator)
UNION = "union"  # one of ``args`` (``A | B``, ``Union[A, B]``, a name bound to an A on one path and a B on another)


@dataclass(frozen=True)
class Value:
    """``object``: the runtime object at ``path``; ``instance``: an instance of the class
    ``path``; ``method``: the method ``name`` of an instance of the class ``path``;
    ``local-instance``/``local-class``: ``self``/``cls`` of the class ``path`` of this file;
    ``local-function``: the function ``path`` of this file (calling it gives its annotated return).
    An instance whose ``name`` is ``ANNOTATED`` is known from an annotation (a subclass may be passed).
    ``receiver`` of a method: the object it is bound to (what a method returning self gives);
    ``args``: the element types of a generic instance (``list[Row]``: one, ``tuple[A, B]``, ``dict[K, V]``);
    of a ``union``: its members, each known (``None`` left out: a name missing on every other member
    is missing on ``None`` too)."""

    kind: str
    path: str
    name: str = ""
    receiver: "Value | None" = None
    args: "tuple[Value | None, ...]" = ()


# Annotations and return types that say nothing about the value.
NOT_A_CLASS = frozenset({"typing.Any", "typing_extensions.Any", "builtins.object", "typing.NoReturn",
                         "typing.Never", "typing_extensions.Never", "_typeshed.Incomplete", "builtins.type",
                         # some module (import_module(name)): which one decides its attributes
                         "types.ModuleType", "builtins.module"})


# Value.name of an instance known only from an annotation: it may be of a subclass.
ANNOTATED = "annotated"
# Value.name of a class of this file named by its own name (not ``cls``, which may be a subclass),
# and of an instance made by calling it: exactly that class.
EXACT = "exact"


def instance_of(path: str | None, name: str = "") -> Value | None:
    """An instance of ``path``, unless the path says nothing (``Any``, ``object``)."""
    if not path or path == "self" or path in NOT_A_CLASS:
        return None
    return Value(INSTANCE, path, name)


def proxy_of(info: dict, path: str) -> "Value | None":
    """What the package's proxy object at ``path`` stands for (flask's ``request: Request =
    LocalProxy(...)``): an instance of the annotated class, known from its annotation, whose
    ``receiver`` is the proxy itself (which has members of its own, ``_get_current_object``)."""
    annotated = info.get("annotated")
    return Value(INSTANCE, annotated, name=ANNOTATED, receiver=Value(OBJECT, path)) if annotated else None


def union_of(values: "list[Value | None] | tuple[Value | None, ...]") -> Value | None:
    """The value that is one of ``values``: None (unknown) when any of them is unknown, the value
    itself when they all agree, else a ``union`` of the distinct members (nested unions flattened)."""
    members: list[Value] = []
    for value in values:
        if value is None:
            return None
        for member in (value.args if value.kind == UNION else (value,)):
            if member is None:
                return None
            if member not in members:
                members.append(member)
    if not members:
        return None
    if len(members) == 1:
        return members[0]
    return Value(UNION, "", args=tuple(sorted(members, key=repr)))


def lower_bound(value: Value | None, me: Value | None = None) -> Value | None:
    """``value`` known only as a declared type (a field, an element of a generic): an instance,
    or each instance of a union, may be of a subclass (``me``, the receiver itself, stays exact)."""
    if value is None or value is me:
        return value
    if value.kind == INSTANCE:
        return replace(value, name=ANNOTATED)
    if value.kind == UNION:
        return union_of([lower_bound(m, me) for m in value.args])
    return value


def metaclass_made(info: dict, call: "ast.Call | None") -> bool:
    """Does calling this installed class run its metaclass's own ``__call__`` (the worker's
    ``meta_call``), which may give anything but an instance: ``Enum("Shade", "LIGHT DARK")`` makes a
    new Enum class.  An Enum called with one value (``HTTPStatus(200)``) looks up a member."""
    if not info.get("meta_call"):
        return False
    lookup = info.get("is_enum") and call is not None and len(call.args) == 1 and not call.keywords \
        and not isinstance(call.args[0], ast.Starred)
    return not lookup


def plain_arguments(call: "ast.Call | None", infer: "Callable[[ast.AST], Value | None]") -> bool:
    """Is every argument of ``call`` known to be a builtin value or a numpy array?  Then an
    ``__array_function__`` dispatcher (``np.tensordot``) runs its own implementation, not another
    array library's (``sparse.COO``'s gives a COO)."""
    if call is None:
        return False
    for arg in [*call.args, *(k.value for k in call.keywords)]:
        value = infer(arg.value if isinstance(arg, ast.Starred) else arg)
        if value is None or value.kind != INSTANCE or value.name == ANNOTATED \
                or not value.path.startswith(("builtins.", "numpy.")):
            return False
    return True


# `boto3.client("s3")`, `session.client("s3")`: the client class botocore generates for the service
AWS_CLIENT = "botocore.client:"  # the worker's name for it (see _worker.py)
AWS_CLIENT_FACTORIES = {(OBJECT, "boto3.client", ""), (METHOD, "boto3.session.Session", "client")}
# `boto3.resource("s3")`, `session.resource("s3")`: the service resource class boto3 generates
AWS_RESOURCE_FACTORIES = {(OBJECT, "boto3.resource", ""), (METHOD, "boto3.session.Session", "resource")}


def aws_subject(path: str) -> tuple[str, str] | None:
    """How a message names a class the worker built for AWS (``botocore.client:s3|resource:Bucket``)
    and the distribution that made it: ("the `s3` resource `Bucket`", "boto3"); None for other paths."""
    if not path.startswith(AWS_CLIENT):
        return None
    service, _, made = path[len(AWS_CLIENT):].partition("|")
    kind, _, arg = made.partition(":")
    if not kind:
        return f"the `{service}` client", "botocore"
    if kind in ("paginator", "waiter"):
        return f"the `{service}` client's `{arg}` {kind}", "botocore"
    if kind == "resource":
        return (f"the `{service}` resource `{arg}`" if arg else f"the `{service}` service resource"), "boto3"
    if kind == "manager":
        return f"the `{service}` collection manager `{arg}`", "boto3"
    return f"the `{service}` {kind} `{arg}`" if arg else f"the `{service}` {kind}", "boto3"


def aws_client(func: Value | None, call: ast.Call) -> Value | None:
    """The client of ``boto3.client(<literal service>, ...)`` or ``Session(...).client(...)``, and
    what its ``get_paginator(<literal>)``/``get_waiter(<literal>)`` give: an instance of the class
    the worker builds as botocore does (nothing is sent); the service resource of
    ``boto3.resource(<literal service>)`` likewise (its sub-resources and collections: the
    worker's return of those members)."""
    if func is None:
        return None
    if func.kind == METHOD and func.path.startswith(AWS_CLIENT) and "|" not in func.path \
            and func.name in ("get_paginator", "get_waiter"):
        made = func.name[len("get_"):]
        name = _literal_argument(call, "operation_name" if made == "paginator" else "waiter_name")
        return Value(INSTANCE, f"{func.path}|{made}:{name}") if name else None
    key = (func.kind, func.path, func.name)
    if key not in AWS_CLIENT_FACTORIES and key not in AWS_RESOURCE_FACTORIES \
            or func.receiver is not None and func.receiver.name == ANNOTATED:  # a subclass's client() may differ
        return None
    name = _literal_argument(call, "service_name")
    suffix = "|resource" if key in AWS_RESOURCE_FACTORIES else ""
    return Value(INSTANCE, AWS_CLIENT + name + suffix) if name else None


def _literal_argument(call: ast.Call, keyword: str) -> str | None:
    """The first argument of ``call`` (positional or ``keyword=``) when it is a literal name."""
    names = [k.value for k in call.keywords if k.arg == keyword]
    if call.args and not isinstance(call.args[0], ast.Starred):
        names.append(call.args[0])
    if len(names) != 1 or any(k.arg is None for k in call.keywords) or any(isinstance(a, ast.Starred) for a in call.args):
        return None
    name = names[0]
    if not (isinstance(name, ast.Constant) and isinstance(name.value, str) and name.value.strip()):
        return None
    return name.value if "|" not in name.value else None
