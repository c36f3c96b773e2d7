"""``python -m vetpy``: the checked project is untrusted, so its directory must not shadow imports.

``python -m`` puts the working directory first on ``sys.path``; run from inside a project with a
``tomllib.py`` or ``packaging/`` of its own, vetpy would import (run) that code.  vetpy itself is
already imported here, so dropping the entry loses nothing.
"""

import os
import sys

if sys.path and sys.path[0] in ("", os.getcwd()):
    del sys.path[0]

from vetpy.cli import main  # noqa: E402 - after the sys.path fix on purpose

raise SystemExit(main())
