"""Every setting is declared once (vetpy.settings_spec); what else names it must agree with that.

A new setting that is parsed but not declared, declared but not documented, or given another
default in the VS Code manifest fails here.
"""

from __future__ import annotations

import json
import re
from dataclasses import fields
from pathlib import Path

import pytest

from vetpy.config import _KEYS, Config, config_from_mapping
from vetpy.lsp import settings as lsp_settings
from vetpy.settings_spec import EDITOR_ENGINE_KEYS, SETTINGS, TOML_KEYS, VSCODE_CLIENT_ONLY

REPO = Path(__file__).resolve().parents[1]
MANIFEST = json.loads((REPO / "vscode-client" / "package.json").read_text(encoding="utf-8"))
PROPERTIES = MANIFEST["contributes"]["configuration"]["properties"]

# a well-formed value of each setting, for the parsers
SAMPLES = {
    "select": ["HAL"],
    "ignore": ["EDGE"],
    "per-file-ignores": {"tests/*": ["SEC"]},
    "severity": {"HAL001": "error"},
    "exclude": ["build2"],
    "respect-gitignore": False,
    "bare-noqa": True,
    "type-ignore": False,
    "extend": "../pyproject.toml",
    "python": "/usr/bin/python3",
    "introspection": False,
    "network-timeout": 5,
    "introspection-timeout": 7,
    "analysis-timeout": 9,
    "max-file-size": 4096,
    "smoke-tests": ["test_cli_*"],
    "internal-packages": ["acme-*"],
    "interpreter": "/usr/bin/python3",
    "trusted": False,
    "debounceMs": 100,
    "logLevel": "debug",
}


def test_toml_keys_are_the_config_fields() -> None:
    assert TOML_KEYS == _KEYS
    assert TOML_KEYS == {f.name.replace("_", "-") for f in fields(Config) if f.name != "source"}


@pytest.mark.parametrize("setting", [s for s in SETTINGS if s.toml], ids=lambda s: s.toml)
def test_toml_default_and_parse(setting) -> None:
    field = setting.toml.replace("-", "_")
    assert getattr(Config(), field) == setting.default
    parsed = config_from_mapping({setting.toml: SAMPLES[setting.toml]}, origin="pyproject.toml")
    assert getattr(parsed, field) != setting.default  # the sample is read, not dropped


def test_every_editor_setting_is_parsed_by_the_server() -> None:
    for setting in SETTINGS:
        if setting.editor is None:
            continue
        problems: list[str] = []
        parsed = lsp_settings.parse_settings({setting.editor: SAMPLES[setting.toml or setting.editor]}, "test", problems)
        assert problems == [], setting.editor
        assert parsed != lsp_settings.Settings(), f"{setting.editor} was accepted but not kept"


def test_engine_keys_of_the_editor_come_from_the_table() -> None:
    accepted = {k: v for k, v in lsp_settings._ENGINE_KEYS.items() if k != v}  # camelCase names
    assert accepted == {k: v for k, v in EDITOR_ENGINE_KEYS.items() if k != v}


def test_the_vscode_manifest_agrees() -> None:
    declared = {s.vscode: s for s in SETTINGS if s.vscode}
    names = {key.removeprefix("vetpy.") for key in PROPERTIES}
    assert names - VSCODE_CLIENT_ONLY == set(declared)
    for name, setting in declared.items():
        default = PROPERTIES[f"vetpy.{name}"].get("default")
        if setting.default is not None:
            assert default == setting.default, f"vetpy.{name}: manifest default {default!r}, server {setting.default!r}"
        enum = PROPERTIES[f"vetpy.{name}"].get("enum")
        if name == "logLevel":
            assert set(enum) == set(lsp_settings.LOG_LEVELS)


def test_docs_name_every_setting() -> None:
    lsp_doc = (REPO / "docs" / "lsp.md").read_text(encoding="utf-8")
    table = "\n".join(line for line in lsp_doc.splitlines() if line.startswith("| `"))
    missing_editor = [s.editor for s in SETTINGS if s.editor and f"`{s.editor}`" not in table]
    assert missing_editor == []
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```toml\n\[tool\.vetpy\]\n(.*?)```", readme, re.S)
    assert block is not None
    listed = {line.split("=")[0].strip() for line in block.group(1).splitlines() if "=" in line}
    assert listed == set(TOML_KEYS)


# -- the JSON schema of [tool.vetpy] (vetpy.schema.json) ----------------------------------------------

def test_the_committed_schema_is_generated_from_the_table() -> None:
    from vetpy.schema import schema_text

    committed = (REPO / "vetpy.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(), "regenerate it: python -m vetpy.schema > vetpy.schema.json"


def _validator():
    import jsonschema

    schema = json.loads((REPO / "vetpy.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def test_the_schema_accepts_every_sample_and_the_readme_example() -> None:
    import tomllib

    validator = _validator()
    samples = {s.toml: SAMPLES[s.toml] for s in SETTINGS if s.toml}
    assert list(validator.iter_errors(samples)) == []
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```toml\n(\[tool\.vetpy\]\n.*?)```", readme, re.S)
    assert block is not None
    example = tomllib.loads(block.group(1))["tool"]["vetpy"]
    assert list(validator.iter_errors(example)) == []
    config_from_mapping(example, origin="README")  # and vetpy reads it


@pytest.mark.parametrize("table", [
    {"selct": ["HAL"]},
    {"select": ["NOPE"]},
    {"severity": {"HAL001": "fatal"}},
    {"network-timeout": 0},
    {"respect-gitignore": "yes"},
])
def test_the_schema_refuses_what_vetpy_refuses(table) -> None:
    from vetpy.config import ConfigError

    assert list(_validator().iter_errors(table)) != []
    with pytest.raises(ConfigError):
        config_from_mapping(table, origin="test")
