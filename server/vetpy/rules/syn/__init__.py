"""SYN: files that cannot be analysed."""

from vetpy.rules.syn import syntax  # noqa: F401  (registers SYN001, SYN002)
from vetpy.rules.syn import suppressions  # noqa: F401  (registers SYN003, reported by the engine)
