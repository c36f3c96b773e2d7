"""Which functions under a class body receive its instance, and in which parameter.

Stdlib only; runs INSIDE the target interpreter as part of the introspection worker (its source
is put before ``_worker.py``'s in the one ``python -c`` program).  Never imported by vetpy.

A method's first parameter is the instance.  A function nested in a method is not a method:
pathlib's ``Path.resolve`` nests ``def check_eloop(e)``, whose ``e`` is an OSError, and reading
its ``e.filename`` says nothing of a ``Path``.  Such a function receives the instance only when
its first parameter is ``self`` (a method a decorator or a class method makes and installs:
SQLAlchemy's ``memoized_instancemethod``), or when the method hands it the instance
(``fill(self)`` for ``def fill(target)``: then ``target``); a closure's ``self.x = ...`` belongs to
the method around it, which is read whole.  Methods of a class nested in the body (``class
Meta:``) receive instances of that class, not of this one.
"""

import ast


def _methods_of(cls_node):
    """``(function, the parameter that holds the instance or None)`` for each function of the
    class's methods (nested functions included) whose first parameter may be the instance."""
    found = []
    todo = [(stmt, None) for stmt in cls_node.body]  # (node, the method it lies in)
    while todo:
        node, method = todo.pop()
        if isinstance(node, ast.ClassDef):
            continue  # a nested class: its methods' instances are its own
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            params = [a.arg for a in node.args.posonlyargs + node.args.args]
            if method is None:
                found.append((node, params[0] if params else None))
                method = node
            else:
                found.append((node, _receiving(node, params, method)))
        for child in ast.iter_child_nodes(node):
            todo.append((child, method))
    return found


def _receiving(fn, params, method):
    """The parameter of ``fn`` (a function nested in ``method``) that holds the instance: ``self``
    by name, else the one ``method`` passes its own first parameter to; None when neither."""
    if params and params[0] == "self":
        return "self"
    outer = method.args.posonlyargs + method.args.args
    if not outer:
        return None
    me = outer[0].arg
    for node in ast.walk(method):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == fn.name:
            for i, arg in enumerate(node.args):
                if isinstance(arg, ast.Name) and arg.id == me and i < len(params):
                    return params[i]
            for kw in node.keywords:
                if kw.arg in params and isinstance(kw.value, ast.Name) and kw.value.id == me:
                    return kw.arg
    return None
