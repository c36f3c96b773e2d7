"""What compiled classes whose instances have a ``__dict__`` store there themselves, for the
introspection worker: an instance of a Python class deriving from one (``gzip.GzipFile`` and
urllib3's ``HTTPResponse`` from ``io.IOBase``) gains only those names from compiled code, so its
attribute set is what its classes' source sets plus them.

The standard library's ``_io`` classes, checked by running (CPython 3.6 to 3.13: ``open()`` in
every mode and buffering, ``FileIO`` / ``BytesIO`` subclasses, their methods, then each
instance's ``vars()``): ``open()`` stores ``mode`` on the ``TextIOWrapper`` it returns,
``FileIO.__init__`` stores ``name``, ``IOBase.close`` stores ``__IOBase_closed``.  Any other
compiled class stays open (None).

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
    return None
