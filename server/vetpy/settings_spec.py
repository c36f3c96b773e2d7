"""Every setting vetpy reads, declared once: its ``[tool.vetpy]`` key, its editor name, its default.

The parsers (:mod:`vetpy.config` for ``pyproject.toml``, :mod:`vetpy.lsp.settings` for the
editor) read their key sets from here, and ``tests/test_settings_spec.py`` checks the rest
against this table: the ``Config`` fields, the VS Code manifest (``vscode-client/package.json``:
name and default), the editor table of ``docs/lsp.md`` and the ``[tool.vetpy]`` example of the
README.  Adding a setting: add it here, then do what that test asks.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    toml: str | None  # key in [tool.vetpy] (kebab-case; snake_case is accepted too), None: editor only
    editor: str | None  # name in editor settings (camelCase), None: pyproject.toml only
    default: object  # the default the engine or server uses
    summary: str
    # the key the VS Code manifest uses when it exposes the setting (``vetpy.<name>``), else None
    vscode: str | None = None


SETTINGS: tuple[Setting, ...] = (
    Setting("select", "select", [], "rule codes or prefixes to enable (default: every rule)", vscode="select"),
    Setting("ignore", "ignore", [], "rule codes or prefixes to silence", vscode="ignore"),
    Setting("per-file-ignores", "perFileIgnores", {}, "{glob: [codes]} silenced for matching files"),
    Setting("severity", "severity", {}, "{code: error|warning|info|hint}"),
    Setting("exclude", "exclude", [], "globs of paths to skip, added to the default excludes"),
    Setting("python", None, None, "the interpreter to check against (relative to the pyproject.toml)"),
    Setting("introspection", "introspection", True, "false: never import the target's packages (static only)"),
    Setting("network-timeout", "networkTimeout", 10.0, "seconds used by the 'add a timeout' quick-fix (EDGE003)"),
    Setting("introspection-timeout", "introspectionTimeout", 30.0, "seconds the introspection worker may take for one question"),
    Setting("max-file-size", "maxFileSize", 2 * 1024 * 1024, "files larger than this many bytes are not analysed"),
    Setting("smoke-tests", None, ["test_smoke_*"], "name globs of smoke tests, which may check nothing but that they run (TEST001)"),
    Setting(None, "interpreter", None, "the target interpreter (editor; the CLI's --python)", vscode="interpreter"),
    Setting(None, "trusted", True, "false: an untrusted workspace; run nothing it can choose"),
    Setting(None, "debounceMs", 250, "delay after the last edit before checking, in milliseconds", vscode="debounceMs"),
    Setting(None, "logLevel", "info", "what goes to the editor's log: error, warning, info, debug", vscode="logLevel"),
)

TOML_KEYS = frozenset(s.toml for s in SETTINGS if s.toml)
SETTINGS_BY_EDITOR_NAME = {s.editor: s for s in SETTINGS if s.editor}
# editor name -> [tool.vetpy] key, for the settings that editors pass to the engine
EDITOR_ENGINE_KEYS = {s.editor: s.toml for s in SETTINGS if s.editor and s.toml}
# settings that only the VS Code client reads (never sent to the server as engine settings)
VSCODE_CLIENT_ONLY = frozenset({"serverCommand", "trace.server"})
