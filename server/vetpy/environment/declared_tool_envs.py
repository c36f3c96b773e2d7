"""Development environments that build tools declare in ``pyproject.toml``, as groups of
requirements (like PEP 735's ``[dependency-groups]``, never main dependencies):

* hatch's ``[tool.hatch.envs.NAME]`` ``dependencies`` and ``extra-dependencies`` (group ``NAME``;
  fief-server's default environment brings ``libcst`` for its codemod script);
* PDM's ``[tool.pdm.dev-dependencies]`` (one group per key).

They say which distributions the project's own tools and scripts need, so an import of one that
is not installed is a declared, uninstalled dependency, not an invented module. They never make
a project count as declaring its dependencies (only main and optional ones do).
"""

from __future__ import annotations

from typing import Any, Protocol


class _Loader(Protocol):  # the part of declared._Loader used here
    def problem(self, message: str) -> None: ...
    def string_list(self, value: object, where: str) -> list[str]: ...
    def add_pep508(self, text: str, source: str, group: str | None) -> None: ...


def tool_env_requirements(tool: object) -> list[tuple[object, str, str]]:
    """(list of requirement strings, where, group) of the tools' development environments."""
    if not isinstance(tool, dict):
        return []
    found: list[tuple[object, str, str]] = []
    hatch = tool.get("hatch")
    envs = hatch.get("envs") if isinstance(hatch, dict) else None
    for env, body in (envs.items() if isinstance(envs, dict) else ()):
        for key in ("dependencies", "extra-dependencies"):
            if isinstance(body, dict) and key in body:
                found.append((body[key], f"pyproject.toml [tool.hatch.envs.{env}] {key}", f"hatch-{env}"))
    pdm = tool.get("pdm")
    dev = pdm.get("dev-dependencies") if isinstance(pdm, dict) else None
    for group, items in (dev.items() if isinstance(dev, dict) else ()):
        found.append((items, f"pyproject.toml [tool.pdm.dev-dependencies.{group}]", str(group)))
    return found


def load_tool_envs(loader: _Loader, tool: object, result: Any) -> None:
    """Add the development environments' requirements as groups of ``result``."""
    declared = result.has_declarations
    for items, where, group in tool_env_requirements(tool):
        for item in loader.string_list(items, where):
            loader.add_pep508(item, where, group)
    result.has_declarations = declared
