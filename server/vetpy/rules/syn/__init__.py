"""SYN: files that cannot be analysed."""

from vetpy.rules.syn import syntax  # noqa: F401  (registers SYN001, SYN002)
