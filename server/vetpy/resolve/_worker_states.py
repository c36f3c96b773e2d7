"""Module attributes that the runtime sets only in some states, from the standard library's docs.

Stdlib only; runs INSIDE the target interpreter as part of the introspection worker (its source
is put before ``_worker.py`` in the one ``python -c`` program).  Never imported by vetpy.

The worker imports a module in a non-interactive process where no exception has gone unhandled
yet, so a name the interpreter binds only in an interactive session, or only after an uncaught
exception, is absent there and present in the program being checked.  Such a name is neither
proven present nor proven missing: the worker answers "cannot tell" for it.  The table lists only
names whose documentation says so; a name not listed (``sys.ps3``, ``sys.maxint``) is judged as
any other.
"""

import sys

# module -> {name: first Python version that has it}
_SET_IN_SOME_STATES = {
    "sys": {
        # docs.python.org/3/library/sys.html#sys.ps1: "Strings specifying the primary and secondary
        # prompt of the interpreter. These are only defined if the interpreter is in interactive mode."
        "ps1": (3, 0),
        "ps2": (3, 0),
        # sys.html#sys.last_type (3.0-3.11): "These three variables are not always defined; they are
        # set when an exception is not handled and the interpreter prints an error message and a
        # stack trace."
        "last_type": (3, 0),
        "last_value": (3, 0),
        "last_traceback": (3, 0),
        # sys.html#sys.last_exc (new in 3.12): "This variable is not always defined; it is set to the
        # exception instance when an exception is not handled and the interpreter prints an error
        # message and a stack trace."
        "last_exc": (3, 12),
        # sys.html#sys.tracebacklimit: "When this variable is set to an integer value, it determines
        # the maximum number of levels of traceback information printed when an unhandled exception
        # occurs. The default is 1000." (the default is the interpreter's, the variable is unset
        # until a program sets it: `python -c "import sys; sys.tracebacklimit"` raises AttributeError)
        "tracebacklimit": (3, 0),
    },
}


def _set_only_in_some_states(module, name):
    """Is ``module.name`` documented as bound only in some states of the interpreter (``sys.ps1``
    in interactive mode, ``sys.last_value`` after an unhandled exception) in this interpreter's
    version?"""
    since = _SET_IN_SOME_STATES.get(module, {}).get(name)
    return since is not None and sys.version_info[:2] >= since
