"""DEP: imports and declared dependencies that disagree with the target environment."""

from vetpy.rules.dep import dependencies  # noqa: F401  (registers DEP001-DEP003)
from vetpy.rules.dep import lookalike  # noqa: F401  (registers DEP004)
