"""Build the analysis context for a project root: configuration, interpreter, environment,
declared dependencies, module resolver, and the member and stub indexes.

Shared by the CLI, the language server and the hook: they differ only in where settings come
from and how problems are shown.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from vetpy.config import Config, ConfigError, config_from_mapping, load_config
from vetpy.context import AnalysisContext
from vetpy.first_party import FirstPartyFacts
from vetpy.environment.discovery import (
    EnvironmentProblem,
    choose_interpreter,
    choose_untrusted_interpreter,
    load_environment,
)
from vetpy.environment.model import InterpreterChoice
from vetpy.environment.modules import ModuleResolver
from vetpy.resolve import prestart
from vetpy.resolve.members import MemberIndex
from vetpy.resolve.stubs import StubIndex

log = logging.getLogger("vetpy")

@dataclass
class ProjectSetup:
    ctx: AnalysisContext
    problems: list[str] = field(default_factory=list)  # one-line messages for the user
    config_error: bool = False  # a usage/configuration error (CLI exit code 2)
    errors: list[str] = field(default_factory=list)  # the messages of those errors (also in problems)
    choice: InterpreterChoice | None = None


def build_context(
    root: Path,
    *,
    python: str | None = None,
    python_reason: str = "--python",
    settings: dict[str, Any] | None = None,
    settings_origin: str = "settings",
    use_cache: bool = True,
    read: Callable[[Path], str | None] | None = None,
    env_vars: dict[str, str] | None = None,
    introspection: bool | None = None,
    trusted: bool = True,
    workspace: tuple[Path, ...] = (),
    config_file: Path | None = None,
    start_worker: bool = False,
) -> ProjectSetup:
    """Everything a rule may need for files under ``root``.  Never raises for bad input.

    ``start_worker`` (the language server): start the standard-library introspection worker
    while the environment is probed (:mod:`vetpy.resolve.prestart`) instead of at its first
    question.

    ``trusted=False`` (an untrusted workspace: VS Code's Restricted Mode, ``vetpy check
    --untrusted``): no executable that the workspace can choose or replace is run (``root`` and
    ``workspace`` are the workspace), introspection is off whatever any setting says, and the
    check is static (see ``choose_untrusted_interpreter``).
    """
    root = root.resolve()
    config, problems, errors = load_project_config(root, settings, settings_origin, introspection, config_file)
    config_error = bool(errors)
    pyproject = config_file if config_file is not None else root / "pyproject.toml"

    explicit, reason = python, python_reason
    if trusted:
        if not explicit and config.python:
            explicit, reason = config.python, f"[tool.vetpy] python in {pyproject}"
        choice = choose_interpreter(root, explicit, reason, env=env_vars)
    else:
        config.introspection = False
        choice, notes = choose_untrusted_interpreter((root, *workspace), explicit, reason, env=env_vars)
        problems.extend(f"{root}: {note}" for note in notes)
    env = None
    early = prestart.start(choice.python, [str(root)], config.introspection_timeout, use_cache) \
        if start_worker and config.introspection else None
    try:
        env = load_environment(choice, use_cache=use_cache)
        if choice.stand_in:
            env = env.standard_library_only()
            if trusted:
                problems.append(
                    f"{root}: no project environment found (no --python, [tool.vetpy] python, .venv or venv); "
                    "imports of third-party packages are not checked, only the standard library's"
                )
    except EnvironmentProblem as exc:
        problems.append(f"{exc}; checking without the target environment (import and API checks are off)")
        if explicit:
            errors.append(str(exc))
            config_error = True

    declared = None
    try:
        from vetpy.environment.declared import load_declared

        declared = load_declared(
            root,
            python_version=env.version if env else None,
            platform=env.platform if env else None,
            read=read,
        )
        problems.extend(declared.problems)
    except Exception as exc:  # a parser bug must not stop the check
        log.warning("reading declared dependencies failed: %s", exc, exc_info=True)

    resolver = ModuleResolver(env, root, use_probe=config.introspection, use_disk_cache=use_cache)
    ctx = AnalysisContext(config=config, root=root, environment=env, declared=declared, resolver=resolver,
                          first_party=FirstPartyFacts(root, config.exclude, use_disk=use_cache))
    try:
        install_services(ctx, use_disk=use_cache)
    except Exception as exc:
        log.warning("the member and stub indexes failed to start: %s", exc, exc_info=True)
    if early is not None:
        early.discard()  # ended unless the member index took it over
    return ProjectSetup(ctx=ctx, problems=problems, config_error=config_error, errors=errors, choice=choice)


def load_project_config(
    root: Path,
    settings: dict[str, Any] | None = None,
    settings_origin: str = "settings",
    introspection: bool | None = None,
    config_file: Path | None = None,
) -> tuple[Config, list[str], list[str]]:
    """The configuration of the project at ``root`` (its ``pyproject.toml`` or ``config_file``,
    ``settings`` over it), the problems to show, and those of them that are errors.  Reads files
    only: no interpreter is run."""
    problems: list[str] = []
    errors: list[str] = []
    pyproject = config_file if config_file is not None else root / "pyproject.toml"  # --config: one file for every project
    try:
        if config_file is not None and not config_file.is_file():
            raise ConfigError(f"{config_file}: no such configuration file")
        config = load_config(pyproject if pyproject.is_file() else None)
    except ConfigError as exc:
        problems.append(str(exc))
        errors.append(str(exc))
        config = Config()
    if settings:
        try:
            extra = config_from_mapping(settings, origin=settings_origin, base=root)
            config = _overlay(config, extra, settings)
        except ConfigError as exc:
            problems.append(str(exc))
            errors.append(str(exc))
    if introspection is not None:
        config.introspection = introspection
    return config, problems, errors


def install_services(ctx: AnalysisContext, use_disk: bool = True) -> None:
    """Put the member index (when introspection is on; its worker starts when first asked) and
    the stub index of ``ctx``'s environment on ``ctx``."""
    env = ctx.environment
    if env is None:
        return
    if ctx.config.introspection:
        ctx.members = MemberIndex(
            env, [str(ctx.root.resolve())], use_disk=use_disk, timeout=ctx.config.introspection_timeout
        )
    ctx.stubs = StubIndex(env.sys_path, env.stdlib_names, env.version)


def _overlay(base: Config, extra: Config, given: dict[str, Any]) -> Config:
    keys = {str(k).replace("-", "_") for k in given}
    return base.merged(**{k: getattr(extra, k) for k in keys if hasattr(extra, k)})
