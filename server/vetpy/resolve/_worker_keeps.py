"""Worker: see hal/signatures.py, containers.py."""

import ast
import collections.abc
import inspect
import re
import textwrap
import typing


def _keeps_signature(obj):
    if not hasattr(typing, "get_overloads"):
        return None
    try:
        answer = []
        for fn in typing.get_overloads(obj) or [obj]:
            sig = _signature(fn, bound=False) if inspect.isfunction(fn) else None
            if sig is None:
                return None
            answer.append([sig.get("params") or [], _keeps_kind(fn)])
        return answer if any(k for _p, k in answer) and not _visibly_changes(obj) else None
    except Exception:
        return None


def _declared(fn, name):
    hint = getattr(fn, "__annotations__", {}).get(name)
    if isinstance(hint, str):
        try:
            tree = ast.parse(hint, mode="eval").body
            if not all(isinstance(n, _ANNOTATION_NODES) for n in ast.walk(tree)):
                return None
            hint = eval(compile(ast.Expression(body=tree), "<annotation>", "eval"), dict(fn.__globals__))
        except Exception:
            return None
    return hint


def _keeps_kind(fn):
    params = list(inspect.signature(fn).parameters.values())
    ret = _declared(fn, "return")
    first = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)][:1]
    if first and _keeps_pair(_declared(fn, first[0].name), ret):
        return "keeps"
    args = typing.get_args(ret) if typing.get_origin(ret) is collections.abc.Callable else ()
    if len(args) == 2 and isinstance(args[0], list) and len(args[0]) == 1 and _keeps_pair(args[0][0], args[1]):
        names = {v.__name__ for v in getattr(args[0][0], "__parameters__", None) or [args[0][0]]}
        if names and not any(names & set(re.findall(r"\w+", str(p.annotation))) for p in params):
            return "factory"
    return None


def _keeps_pair(given, result):
    if isinstance(given, typing.TypeVar):
        bound = given.__bound__
        return result is given and not given.__constraints__ and (bound is None or (
            typing.get_origin(bound) is collections.abc.Callable and typing.get_args(bound) == (Ellipsis, typing.Any)))
    spec = typing.get_args(given) if typing.get_origin(given) is collections.abc.Callable else ()
    if len(spec) != 2 or not isinstance(spec[0], typing.ParamSpec) or not _free(spec[1]):
        return False
    origin, items = typing.get_origin(result), typing.get_args(result)
    if origin is collections.abc.Callable:
        return items[:1] == (spec[0],)
    return isinstance(origin, type) and spec[0] in items and _calls_with(origin, items.index(spec[0]))


def _free(hint):
    return hint is typing.Any or isinstance(hint, typing.TypeVar) and hint.__bound__ is None and not hint.__constraints__


def _calls_with(cls, index):
    params = getattr(cls, "__parameters__", ())
    call = inspect.getattr_static(cls, "__call__", None)
    if index >= len(params) or not inspect.isfunction(call) or typing.get_overloads(call):
        return False
    code = call.__code__
    if code.co_argcount != 1 or code.co_kwonlyargcount or code.co_flags & 12 != 12:
        return False
    star, double = (_declared(call, n) for n in code.co_varnames[1:3])
    return getattr(star, "__origin__", None) is params[index] and isinstance(star, typing.ParamSpecArgs) \
        and getattr(double, "__origin__", None) is params[index] and isinstance(double, typing.ParamSpecKwargs)


def _visibly_changes(obj):
    try:
        top = ast.parse(textwrap.dedent(inspect.getsource(obj))).body[0]
    except Exception:
        return True
    for fn in ast.walk(top):
        a = getattr(fn, "args", None)
        spread = [x.arg for x in (a.vararg, a.kwarg) if x] if fn is not top and isinstance(a, ast.arguments) else []
        if not spread:
            continue
        if a.posonlyargs or a.args or a.kwonlyargs:
            return True
        spreads = {id(n.value) for n in ast.walk(fn) if isinstance(n, ast.Starred)}
        spreads |= {id(k.value) for n in ast.walk(fn) if isinstance(n, ast.Call) for k in n.keywords if k.arg is None}
        if any(isinstance(n, ast.Name) and n.id in spread and id(n) not in spreads for n in ast.walk(fn)):
            return True
    return False


def _tuple_items(cls):
    try:
        bases = [b for b in cls.__dict__.get("__orig_bases__", ()) if typing.get_origin(b) is tuple]
        items = typing.get_args(bases[0]) if len(bases) == 1 and issubclass(cls, tuple) else ()
        origins = [typing.get_origin(i) or i for i in items]
        if not items or not all(isinstance(o, type) and o not in (object, type(None)) for o in origins):
            return None
        return [_type_path(o) for o in origins]
    except Exception:
        return None
