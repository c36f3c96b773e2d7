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
    # JSON schema of the value in [tool.vetpy] (vetpy.schema.json is generated from these)
    schema: dict | None = None


_SELECTORS = {"type": "array", "items": {"$ref": "#/definitions/selector"}}
_SECONDS = {"type": "number", "exclusiveMinimum": 0}

SETTINGS: tuple[Setting, ...] = (
    Setting("select", "select", [], "rule codes or prefixes to enable (default: every rule but the opt-in ones)", vscode="select",
            schema=_SELECTORS),
    Setting("ignore", "ignore", [], "rule codes or prefixes to silence", vscode="ignore", schema=_SELECTORS),
    Setting("per-file-ignores", "perFileIgnores", {}, "{gitignore-style pattern: [codes]} silenced for matching files",
            schema={"type": "object", "additionalProperties": _SELECTORS}),
    Setting("severity", "severity", {}, "{code: error|warning|info|hint}", schema={
        "type": "object",
        "propertyNames": {"$ref": "#/definitions/selector"},
        "additionalProperties": {"enum": ["error", "warning", "info", "hint"]},
    }),
    Setting("exclude", "exclude", [], "gitignore-style patterns of paths to skip, added to the default excludes",
            schema={"type": "array", "items": {"type": "string"}}),
    Setting("respect-gitignore", None, True, "false: also check files that .gitignore and .ignore files exclude",
            schema={"type": "boolean"}),
    Setting("bare-noqa", "bareNoqa", False, "true: a bare `# noqa` (without codes) silences vetpy's findings too",
            schema={"type": "boolean"}),
    Setting("type-ignore", None, True, "false: HAL findings are reported also on lines whose `# type: ignore` "
            "(bare, or for a missing attribute, import or argument) says a type checker cannot see the name",
            schema={"type": "boolean"}),
    Setting("python", None, None, "the interpreter to check against (relative to the pyproject.toml)",
            schema={"type": "string", "minLength": 1}),
    Setting("introspection", "introspection", True, "false: never import the target's packages (static only)",
            schema={"type": "boolean"}),
    Setting("network-timeout", "networkTimeout", 10.0, "seconds used by the 'add a timeout' quick-fix (EDGE003)",
            schema=_SECONDS),
    Setting("introspection-timeout", "introspectionTimeout", 30.0, "seconds the introspection worker may take for one question",
            schema=_SECONDS),
    Setting("analysis-timeout", None, 60.0, "seconds `vetpy check` may spend analysing one file; a file that takes "
            "longer is reported as not analysed and the check exits 2 (the language server reports an open document "
            "so too)", schema=_SECONDS),
    Setting("max-file-size", "maxFileSize", 2 * 1024 * 1024, "files larger than this many bytes are not analysed",
            schema={"type": "integer", "minimum": 1}),
    Setting("extend", None, None, "a pyproject.toml whose [tool.vetpy] this one extends, relative to this file; "
            "the keys given here win", schema={"type": "string", "minLength": 1}),
    Setting("smoke-tests", None, ["test_smoke_*"], "name globs of smoke tests, which may check nothing but that they run (TEST001)",
            schema={"type": "array", "items": {"type": "string"}}),
    Setting("internal-packages", None, [], "names (globs such as `acme-*`) of private packages that no public index "
            "knows: never reported as look-alikes (DEP004)", schema={"type": "array", "items": {"type": "string"}}),
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
VSCODE_CLIENT_ONLY = frozenset({"serverCommand", "importStrategy", "trace.server"})


def config_schema(families: "list[str]") -> dict:
    """The JSON schema of the ``[tool.vetpy]`` table (``vetpy.schema.json`` in the repository)."""
    codes = "|".join(sorted(families))
    properties = {}
    for setting in SETTINGS:
        if setting.toml is None:
            continue
        entry = {"description": setting.summary, **(setting.schema or {})}
        if setting.default is not None:
            entry["default"] = setting.default
        properties[setting.toml] = entry
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://github.com/vetpy/vetpy/blob/main/vetpy.schema.json",
        "title": "vetpy: [tool.vetpy] in pyproject.toml",
        "type": "object",
        "additionalProperties": False,
        "properties": properties,
        "definitions": {
            "selector": {
                "description": "a rule code (HAL002), a family (HAL), a prefix of a code (HAL00) or ALL",
                "type": "string",
                "pattern": f"^(ALL|({codes})[0-9]{{0,3}})$",
            },
        },
    }
