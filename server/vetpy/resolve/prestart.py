"""Start the standard-library introspection worker of an interpreter before its member index
exists (while the environment is probed): :mod:`vetpy.resolve.early_worker` keeps it for the index."""

from __future__ import annotations

from vetpy.environment.discovery import cache_dir
from vetpy.resolve.early_worker import Early, register
from vetpy.resolve.members import Backoff, WorkerClient, stdlib_facts_dir


def start(python: str, roots: list[str], timeout: float, use_disk: bool = True) -> Early:
    """Start the worker a :class:`~vetpy.resolve.members.MemberIndex` of ``python`` with these
    ``roots``, ``timeout`` and ``use_disk`` (and the default back-off) would start for the
    standard library, in the background."""
    cache_root = cache_dir()
    args = (python, roots, timeout, cache_root / "probe-cwd", Backoff(), stdlib_facts_dir(cache_root) if use_disk else None)
    return register(args, WorkerClient(*args))
