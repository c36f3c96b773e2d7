"""What compiled classes whose instances have a ``__dict__`` store there themselves, for the
introspection worker: an instance of a Python class deriving from one (``gzip.GzipFile`` and
urllib3's ``HTTPResponse`` from ``io.IOBase``) gains only those names from compiled code, so its
attribute set is what its classes' source sets plus them.

The standard library's ``_io`` classes, checked by running (CPython 3.6 to 3.13: ``open()`` in
every mode and buffering, ``FileIO`` / ``BytesIO`` subclasses, their methods, then each
instance's ``vars()``): ``open()`` stores ``mode`` on the ``TextIOWrapper`` it returns,
``FileIO.__init__`` stores ``name``, ``IOBase.close`` stores ``__IOBase_closed``.  Any other
compiled class stays open (None).

The same question for a class whose methods have no source to read because they were ``exec``'d:
scipy's result tuples, which ``scipy._lib._bunch._make_tuple_bunch`` builds with ``type()``
(``LinregressResult``; the bases of ``PearsonRResult``, ``TtestResult``, ...).  Their exec'd
``__init__`` stores in the instance ``__dict__`` only the extra fields (it raises TypeError for any
other keyword), each of which is also a property of the class, and their ``__setattr__`` stores what
code outside sets (the foreign names, which count anyway): they add nothing (checked by reading
scipy 1.11 to 1.18's ``_bunch.py``: the generated source and the namespace are the same).

Stdlib only; runs INSIDE the target interpreter as part of the worker program (``_own_names`` in
``_worker_instances.py`` asks it).  Never imported by vetpy.
"""

import sys

_IO_STORED = frozenset(("mode", "name", "__IOBase_closed"))


def _compiled_stores(klass):
    """The names compiled code stores in the ``__dict__`` of an instance of the compiled class
    ``klass`` (or of a subclass), when they are known; None otherwise."""
    io = sys.modules.get("_io")
    if io is not None and getattr(klass, "__module__", None) == "_io" and vars(io).get(klass.__name__) is klass:
        return _IO_STORED
    if _tuple_bunch(klass):
        return frozenset()
    return None


def _tuple_bunch(klass):
    """Is ``klass`` a class scipy's ``_make_tuple_bunch`` made: a direct subclass of tuple whose
    ``_asdict`` is that factory's closure (its module's) and whose ``_extra_fields`` are all
    properties of the class?"""
    d = vars(klass)
    asdict = d.get("_asdict")
    code = getattr(asdict, "__code__", None)
    extra = d.get("_extra_fields")
    return (klass.__bases__ == (tuple,) and code is not None and code.co_name == "_asdict"
            and getattr(code, "co_qualname", "_make_tuple_bunch.<locals>._asdict") == "_make_tuple_bunch.<locals>._asdict"
            and getattr(asdict, "__globals__", {}).get("__name__") == "scipy._lib._bunch"
            and isinstance(extra, (list, tuple)) and all(isinstance(d.get(n), property) for n in extra))
