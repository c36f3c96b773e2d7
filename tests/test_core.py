"""Engine core: positions, edits, suppressions, registry, configuration (spec: issue 2 items 2 and 4)."""

from __future__ import annotations

import ast

import pytest

from vetpy.codes import FAMILIES
from vetpy.config import Config, ConfigError, config_from_mapping, load_config
from vetpy.context import AnalysisContext
from vetpy.document import Document, decode_source
from vetpy.engine import analyze, check_source, enabled_codes
from vetpy.findings import Severity, TextEdit, apply_edits
from vetpy.rules import REGISTRY, load_all


# -- positions and edits -----------------------------------------------------------------------

def test_node_range_counts_code_points_not_utf8_bytes():
    doc = Document("x.py", 'a = "😀é"; b = c.d\n')
    attr = [n for n in ast.walk(doc.tree) if isinstance(n, ast.Attribute)][0]
    line, col, end_line, end_col = doc.node_range(attr)
    assert (line, end_line) == (1, 1)
    assert doc.line_text(1)[col - 1 : end_col - 1] == "c.d"
    assert doc.segment(attr) == "c.d"


def test_apply_edits_replaces_half_open_ranges_and_keeps_other_text():
    text = "import jsn\nprint(jsn.dumps({}))\n"
    out = apply_edits(text, [TextEdit(1, 8, 1, 11, "json"), TextEdit(2, 7, 2, 10, "json")])
    assert out == "import json\nprint(json.dumps({}))\n"


def test_apply_edits_rejects_overlaps_and_out_of_range_positions():
    with pytest.raises(ValueError):
        apply_edits("abc\n", [TextEdit(1, 1, 1, 3, "x"), TextEdit(1, 2, 1, 4, "y")])
    with pytest.raises(ValueError):
        apply_edits("abc\n", [TextEdit(5, 1, 5, 2, "x")])


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_lines_follow_python_line_endings(newline):
    doc = Document("x.py", f"a = 1{newline}b = 2{newline}")
    assert doc.line_text(2) == "b = 2"
    assert doc.line_count == 3


# -- syntax errors -------------------------------------------------------------------------------

def test_unparsable_file_gets_exactly_one_syntax_finding_at_the_error():
    findings = check_source("import json\ndef f(:\n    pass\n", "x.py")
    assert [f.code for f in findings] == ["SYN001"]
    assert findings[0].line == 2
    assert findings[0].severity is Severity.ERROR


def test_null_bytes_and_empty_files_do_not_crash():
    assert [f.code for f in check_source("x = 1\x00\n")] == ["SYN001"]
    assert check_source("") == []


def test_decode_source_reports_binary_and_bad_encodings_in_one_line():
    with pytest.raises(ValueError, match="binary"):
        decode_source(b"\x7fELF\x00\x00\x01")
    with pytest.raises(ValueError, match="UTF-8.*0xff"):
        decode_source(b"x = '\xff'\n")
    assert decode_source("# -*- coding: latin-1 -*-\nx = 'é'\n".encode("latin-1")).endswith("x = 'é'\n")
    assert decode_source(b"\xef\xbb\xbfx = 1\n") == "x = 1\n"


# -- suppressions ----------------------------------------------------------------------------------

SYNTAX_LIKE = "import fastjsonx_missing_module{comment}\n"


@pytest.mark.parametrize(
    "comment, codes, foreign, bare",
    [
        ("  # vetpy: ignore[HAL001]", ("HAL001",), (), False),
        ("  # vetpy: ignore[HAL001, SEC002]", ("HAL001", "SEC002"), (), False),
        ("  # noqa: HAL001", ("HAL001",), (), False),
        ("  # noqa: HAL001,E501", ("HAL001",), ("E501",), False),
        ("  # noqa: S608", (), ("S608",), False),
        ("  # vetpy: ignore", (), (), True),
        ("  # noqa", (), (), True),
    ],
)
def test_suppression_comments_are_parsed(comment, codes, foreign, bare):
    doc = Document("x.py", SYNTAX_LIKE.format(comment=comment))
    [directive] = doc.suppression_comments[1]
    assert (directive.codes, directive.foreign, directive.bare) == (codes, foreign, bare)


def test_suppression_inside_a_string_is_not_a_comment():
    doc = Document("x.py", 'x = "# vetpy: ignore[HAL001]"\n')
    assert doc.suppression_comments == {}


def test_suppression_matches_vetpy_codes_and_families_only():
    doc = Document("x.py", "x = 1  # vetpy: ignore[HAL]\ny = 2  # noqa: HAL002\nz = 3  # noqa: S, SEC0\n")
    assert doc.is_suppressed("HAL001", 1)
    assert not doc.is_suppressed("SEC001", 1)
    assert doc.is_suppressed("HAL002", 2)
    assert not doc.is_suppressed("HAL001", 2)
    assert not doc.is_suppressed("SEC001", 3) and not doc.is_suppressed("SYN001", 3)  # no prefixes: S is ruff's


# -- registry ---------------------------------------------------------------------------------------

def test_every_rule_is_documented_with_examples_and_a_kebab_case_name():
    load_all()
    assert REGISTRY.rules, "no rules registered"
    for rule in REGISTRY.rules.values():
        assert rule.name == rule.name.lower() and " " not in rule.name and "_" not in rule.name, rule.code
        assert rule.family in FAMILIES, rule.code
        assert rule.code.startswith(rule.family), rule.code
        assert rule.summary and rule.rationale and rule.bad.strip() and rule.good.strip(), rule.code
        doc = rule.documentation()
        assert rule.code in doc and "Bad:" in doc and "Good:" in doc


def test_every_rule_code_is_produced_by_some_checker():
    load_all()
    produced = set().union(*(c.codes for c in REGISTRY.checkers)) | {"SYN001", "SYN002"}
    produced |= {code for code, _ in REGISTRY.suppression_checkers}
    produced |= REGISTRY.project_codes  # reported in the declaration files by the CLI's project pass
    assert set(REGISTRY.rules) <= produced


def test_selectors_expand_prefixes_and_all():
    load_all()
    assert {"HAL001", "HAL002"} <= REGISTRY.expand(["HAL"])
    assert REGISTRY.expand(["ALL"]) == set(REGISTRY.rules)
    assert REGISTRY.expand(["HAL001"]) == {"HAL001"}


def test_a_crashing_checker_is_reported_and_the_others_still_run(monkeypatch):
    load_all()
    from vetpy.rules.registry import CheckerEntry

    def boom(doc, ctx):
        raise RuntimeError("kaput")
        yield

    monkeypatch.setattr(REGISTRY, "checkers", [CheckerEntry(frozenset({"HAL001"}), boom)] + REGISTRY.checkers)
    errors = []
    ctx = AnalysisContext.bare()
    ctx.on_error = lambda name, exc: errors.append((name, str(exc)))
    assert check_source("def f(:\n", ctx=ctx)[0].code == "SYN001"
    check_source("x = 1\n", ctx=ctx)
    assert errors and errors[0][1] == "kaput"


# -- configuration ----------------------------------------------------------------------------------

def test_config_reads_every_documented_key(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        """
[tool.vetpy]
select = ["HAL", "DEP001"]
ignore = ["HAL002"]
per-file-ignores = { "tests/*" = ["DEP"] }
severity = { HAL001 = "warning" }
exclude = ["generated"]
python = ".venv/bin/python"
introspection = false
network-timeout = 5
""",
        encoding="utf-8",
    )
    cfg = load_config(tmp_path / "pyproject.toml")
    assert cfg.select == ["HAL", "DEP001"] and cfg.ignore == ["HAL002"]
    assert cfg.per_file_ignores == {"tests/*": ["DEP"]}
    assert cfg.severity == {"HAL001": Severity.WARNING}
    assert cfg.exclude == ["generated"]
    assert cfg.python == str(tmp_path / ".venv/bin/python")
    assert cfg.introspection is False and cfg.network_timeout == 5.0


@pytest.mark.parametrize(
    "table, message",
    [
        ({"selcet": ["HAL"]}, "unknown key 'selcet'.*did you mean 'select'"),
        ({"select": ["HAL999"]}, "unknown rule code or prefix 'HAL999'"),
        ({"ignore": "XYZ"}, "unknown rule code"),
        ({"severity": {"HAL001": "fatal"}}, "unknown severity 'fatal'"),
        ({"select": [1, 2]}, "must be a list of strings"),
        ({"network-timeout": -1}, "positive number"),
    ],
)
def test_bad_config_is_a_clear_error_naming_the_origin(table, message):
    with pytest.raises(ConfigError, match=message) as info:
        config_from_mapping(table, origin="pyproject.toml")
    assert str(info.value).startswith("pyproject.toml:")
    assert "\n" not in str(info.value)


def test_broken_toml_is_a_config_error_naming_the_file(tmp_path):
    path = tmp_path / "pyproject.toml"
    path.write_text("[tool.vetpy\nselect = [", encoding="utf-8")
    with pytest.raises(ConfigError, match="pyproject.toml: invalid TOML"):
        load_config(path)


def test_select_ignore_and_per_file_ignores_decide_enabled_codes(tmp_path):
    ctx = AnalysisContext(
        config=Config(select=["HAL"], ignore=["HAL002"], per_file_ignores={"tests/*": ["HAL001"]}), root=tmp_path
    )
    assert "HAL001" in enabled_codes(ctx, str(tmp_path / "app.py"))
    assert "HAL002" not in enabled_codes(ctx, str(tmp_path / "app.py"))
    assert "DEP001" not in enabled_codes(ctx, str(tmp_path / "app.py"))
    assert "HAL001" not in enabled_codes(ctx, str(tmp_path / "tests" / "test_app.py"))


def test_severity_override_applies_to_findings():
    ctx = AnalysisContext(config=Config(severity={"SYN001": Severity.WARNING}), root=__import__("pathlib").Path("."))
    assert analyze(Document("x.py", "def f(:\n"), ctx)[0].severity is Severity.WARNING


def test_docs_rules_md_is_generated_from_the_registry():
    from conftest import REPO
    from vetpy.rulesdoc import render_markdown

    on_disk = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert on_disk == render_markdown(), "docs/rules.md is stale: run `python -m vetpy.rulesdoc > docs/rules.md`"


def test_suggestions_rank_swapped_letters_first():
    from vetpy.suggest import close_matches, edit_distance

    assert edit_distance("dumsp", "dumps") == 1 and edit_distance("ab", "ba") == 1 and edit_distance("ab", "abc") == 1
    assert close_matches("dumsp", ["dump", "dumps", "loads"]) == ["dumps", "dump"]
    assert close_matches("getStatusMessage", ["status_code", "reason"]) == []
    # one slip of a key: only what is one edit away; a farther best keeps its cousins
    assert close_matches("valeu", ["value", "pvalues", "values"]) == ["value"]
    assert close_matches("vlaues", ["value", "values", "pvalues"]) == ["values"]
    assert close_matches("loadds_s", ["loads", "load", "loadss"]) == ["loadss", "loads", "load"]  # best 2 edits away
