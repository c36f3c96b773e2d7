"""``vetpy index build``: the work of one process, reading a chunk of installed modules into the
index (:mod:`vetpy.resolve.index`) as a check would."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from vetpy.resolve.static import module_namespace

if TYPE_CHECKING:
    from vetpy.environment.model import TargetEnvironment


def build_chunk(args: tuple[str, list[tuple[str, str]], dict[str, Any]]) -> int:
    """Index one chunk of modules (in a worker process); how many were computed."""
    from vetpy.environment.model import Distribution, InterpreterChoice, TargetEnvironment
    from vetpy.environment.modules import ModuleResolver
    root, modules, state = args
    env = TargetEnvironment(
        choice=InterpreterChoice(python=state["python"], reason="index build"), executable=state["executable"],
        version=tuple(state["version"]), implementation=state["implementation"], platform=state["platform"],
        prefix=state["prefix"], base_prefix=state["base_prefix"], sys_path=state["sys_path"],
        site_packages=state["site_packages"], stdlib_dirs=state["stdlib_dirs"],
        stdlib_names=frozenset(state["stdlib_names"]),
        distributions={k: Distribution(*v) for k, v in state["distributions"].items()},
        module_dists=state["module_dists"], top_level_modules=state["top_level_modules"])
    resolver = ModuleResolver(env, Path(root), use_probe=False)
    for module, path in modules:
        module_namespace(resolver, module, Path(path))
    return len(modules)


def environment_state(env: "TargetEnvironment") -> dict[str, Any]:
    """What a worker process needs to rebuild ``env`` (plain data)."""
    return {
        "python": env.choice.python, "executable": env.executable, "version": list(env.version),
        "implementation": env.implementation, "platform": env.platform, "prefix": env.prefix,
        "base_prefix": env.base_prefix, "sys_path": env.sys_path, "site_packages": env.site_packages,
        "stdlib_dirs": env.stdlib_dirs, "stdlib_names": sorted(env.stdlib_names),
        "distributions": {k: [d.name, d.version, list(d.top_level), d.location] for k, d in env.distributions.items()},
        "module_dists": env.module_dists, "top_level_modules": env.top_level_modules,
    }
