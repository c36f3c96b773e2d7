"""Class builders, for the introspection worker: a private classmethod that only ``setattr``s on
its class and that its package calls only from class decorators, while the classes are defined
(pandas' ``_add_delegate_accessors``, called by ``delegate_names``).  What it adds, the class's
``dir()`` shows once the package is imported, so it does not open the attribute set of an
instance (``_attrs_in`` in ``_worker_instances.py`` asks).

Stdlib only; runs INSIDE the target interpreter as part of the worker program (its helpers
``_nodes`` and ``_package_texts`` are looked up when it runs).  Never imported by vetpy.
"""

import ast


def _class_builder(fn, me):
    """Is ``fn`` a private classmethod whose only uses of its class ``me`` are
    ``setattr(me, ...)``, ``getattr(me, ...)`` and ``hasattr(me, ...)`` (``me`` never rebound, nor
    read in a nested function): it adds class attributes, which the class's ``dir()`` shows once it
    has run?"""
    if not fn.name.startswith("_") or len(fn.decorator_list) != 1 or not isinstance(fn.decorator_list[0], ast.Name) \
            or fn.decorator_list[0].id != "classmethod":
        return False
    uses = sum(1 for n in ast.walk(fn) if isinstance(n, ast.Name) and n.id == me)
    passed = [n for n in _nodes(fn) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
              and n.func.id in ("setattr", "getattr", "hasattr") and n.args and isinstance(n.args[0], ast.Name)
              and n.args[0].id == me]
    return bool(passed) and uses == len(passed)


_DECORATING = {}


def _decorating_only(top, name):
    """Does the code of the installed package ``top`` call its method ``name`` only while it
    defines classes: every ``x.name(...)`` stands in a function ``inner(cls)`` (receiver its first
    parameter) nested in a module-level function ``outer`` that returns ``inner``, and every other
    mention of ``outer`` in the package is an import of it or a class decorator ``@outer(...)``
    (pandas' ``delegate_names``); ``name`` is never read otherwise nor named in a string.  By
    then the worker has imported the classes, so what the calls added is in their ``dir()``."""
    key = (top, name)
    if key not in _DECORATING:
        _DECORATING[key] = _decorating_only_of(top, name)
    return _DECORATING[key]


def _decorating_only_of(top, name):
    texts = [(path, text) for path, text in _package_texts(top)]
    outers = set()
    for _path, text in texts:
        if name not in text:
            continue
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError):
            return False
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and node.value == name:
                return False  # `getattr(x, name)`: called some other way
        for outer in tree.body:
            for node in ast.walk(outer):
                if not (isinstance(node, ast.Attribute) and node.attr == name):
                    continue
                if not isinstance(outer, ast.FunctionDef) or not _called_in_inner(outer, node):
                    return False
                outers.add(outer.name)
        for node in ast.walk(tree):  # at module level or in a class body: the attribute of another call or read
            if isinstance(node, ast.Attribute) and node.attr == name and not any(
                    isinstance(o, ast.FunctionDef) and node in set(ast.walk(o)) for o in tree.body):
                return False
    if not outers:
        return False
    for _path, text in texts:
        if not any(o in text for o in outers):
            continue
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError):
            return False
        allowed = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                allowed.update(id(d.func) for d in node.decorator_list if isinstance(d, ast.Call))
        for node in ast.walk(tree):
            named = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None
            if named in outers and id(node) not in allowed:
                return False
            if isinstance(node, ast.Constant) and node.value in outers:
                return False
            if isinstance(node, ast.alias) and node.asname and node.name in outers:
                return False  # imported under another name
    return True


def _called_in_inner(outer, attribute):
    """Is ``attribute`` (``cls.name``) the function of a call in a function ``inner`` defined
    directly in ``outer``'s body, ``cls`` ``inner``'s first parameter, ``outer`` ending by
    ``return inner`` and naming ``inner`` nowhere else?"""
    for inner in outer.body:
        if not isinstance(inner, ast.FunctionDef) or attribute not in set(ast.walk(inner)):
            continue
        params = [a.arg for a in inner.args.posonlyargs + inner.args.args]
        calls = [n for n in ast.walk(inner) if isinstance(n, ast.Call) and n.func is attribute]
        last = outer.body[-1]
        return bool(params and calls) and isinstance(attribute.value, ast.Name) and attribute.value.id == params[0] \
            and isinstance(last, ast.Return) and isinstance(last.value, ast.Name) and last.value.id == inner.name \
            and sum(1 for n in ast.walk(outer) if isinstance(n, ast.Name) and n.id == inner.name) == 1
    return False
