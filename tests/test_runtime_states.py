"""Issue 16: names the interpreter binds only in some of its states are not "missing".

``sys.ps1``/``sys.ps2`` exist only in an interactive session, ``sys.last_type``/``last_value``/
``last_traceback`` (``last_exc`` from 3.12) only after an exception went unhandled, and
``sys.tracebacklimit`` only once a program sets it (the documentation of :mod:`sys` says so).  The
introspection worker runs in none of those states, so it does not see them; code reading them
(sanic's console, which checks for an interactive session) is not broken.  Names no state binds
(``sys.ps3``, Python 2's ``sys.maxint``) are still reported.
"""

from __future__ import annotations

import subprocess
import sys

from conftest import check_file, context_for


def test_the_names_exist_in_their_state_and_not_in_a_script():
    # control, in this interpreter: absent in a script, present at the prompt after an uncaught error
    script = subprocess.run([sys.executable, "-c", "import sys; print(hasattr(sys, 'ps1'), hasattr(sys, 'last_value'))"],
                            capture_output=True, text=True, timeout=60)
    assert script.stdout.split() == ["False", "False"]
    session = subprocess.run([sys.executable, "-i", "-c", "raise ValueError(3)"], capture_output=True, text=True,
                             input="import sys; print('STATE', repr(sys.ps1), repr(sys.last_value))\n", timeout=60)
    assert "STATE '>>> ' ValueError(3)" in session.stdout


def test_names_bound_only_in_some_states_are_not_reported(project):
    root = project({"app.py": """
        import sys

        def interactive():
            return bool(sys.ps1) and sys.ps2 is not None

        def last_error():
            return sys.last_type, sys.last_value, sys.last_traceback

        def depth():
            return sys.tracebacklimit
    """, "bad.py": """
        import sys

        def prompt():
            return sys.ps3

        def biggest():
            return sys.maxint
    """})
    ctx = context_for(root)
    assert check_file(root, "app.py", ctx, {"HAL"}) == []
    found = check_file(root, "bad.py", ctx, {"HAL"})
    assert [(f.code, f.line) for f in found] == [("HAL003", 4), ("HAL003", 7)], [f.message for f in found]
    assert "`ps3`" in found[0].message and "`maxint`" in found[1].message


def test_last_exc_is_a_name_of_3_12_and_later(project):
    # before 3.12 no state binds it; from 3.12 it is bound after an unhandled exception
    root = project({"app.py": "import sys\n\nprint(sys.last_exc)\n"})
    found = check_file(root, "app.py", context_for(root), {"HAL"})
    assert [f.code for f in found] == ([] if sys.version_info >= (3, 12) else ["HAL003"])
