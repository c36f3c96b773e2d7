"""What the inference answers: a :class:`Value` (the kind of object an expression is) and the
words for its kinds, shared by :mod:`vetpy.resolve.infer` and :mod:`vetpy.resolve.containers`."""

from __future__ import annotations

from dataclasses import dataclass

OBJECT, INSTANCE, METHOD = "object", "instance", "method"
LOCAL_INSTANCE, LOCAL_CLASS = "local-instance", "local-class"  # a class defined in the checked file
LOCAL_FUNCTION = "local-function"  # a function (or method) defined in the checked file
CALLABLE = "callable"  # something whose call gives ``args[0]`` (a ``Callable[..., R]``: a decorator)


@dataclass(frozen=True)
class Value:
    """``object``: the runtime object at ``path``; ``instance``: an instance of the class
    ``path``; ``method``: the method ``name`` of an instance of the class ``path``;
    ``local-instance``/``local-class``: ``self``/``cls`` of the class ``path`` of this file;
    ``local-function``: the function ``path`` of this file (calling it gives its annotated return).
    An instance whose ``name`` is ``ANNOTATED`` is known from an annotation (a subclass may be passed).
    ``receiver`` of a method: the object it is bound to (what a method returning self gives);
    ``args``: the element types of a generic instance (``list[Row]``: one, ``tuple[A, B]``, ``dict[K, V]``)."""

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


def instance_of(path: str | None, name: str = "") -> Value | None:
    """An instance of ``path``, unless the path says nothing (``Any``, ``object``)."""
    if not path or path == "self" or path in NOT_A_CLASS:
        return None
    return Value(INSTANCE, path, name)
