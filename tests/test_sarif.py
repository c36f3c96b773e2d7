"""SARIF 2.1.0 output: valid against the official schema, and what GitHub code scanning reads."""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest

from test_git_support import Repo, vetpy
from vetpy.baseline import with_snippets
from vetpy.findings import Finding, Fix, FixSafety, Severity, TextEdit
from vetpy.report.sarif import FINGERPRINT_KEY, SRCROOT, render_sarif, sarif_rule
from vetpy.rules.registry import Rule

pytest_plugins = ["test_git_support"]  # the `repo` fixture

SCHEMA_PATH = Path(__file__).parent / "data" / "sarif" / "sarif-schema-2.1.0.json"


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    # No cls.check_schema(schema): the official file has a known slip (``region.properties.anyOf``
    # is a list, so the metaschema rejects it); it does not affect validating logs.
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def _errors(validator: jsonschema.protocols.Validator, doc: object) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)]


def _findings(root: Path) -> list[Finding]:
    text = "import fastjsonx\nfrom json import dumpz\nx = eval(data)\n"
    fix = Fix("Replace with `dumps`", (TextEdit(2, 18, 2, 23, "dumps"),), safe=False, preferred=True)
    return with_snippets(
        [
            Finding(str(root / "src dir" / "m.py"), 1, 8, 1, 17, "HAL001", "unresolved-import", Severity.ERROR, "module `fastjsonx` is not found"),
            Finding(str(root / "src dir" / "m.py"), 2, 18, 2, 23, "HAL002", "unknown-import-name", Severity.WARNING, "no `dumpz`", fixes=(fix,)),
            Finding(str(root / "src dir" / "m.py"), 3, 5, 3, 15, "SEC999", "eval-use", Severity.INFO, "eval of data", cwe=(95,)),
            Finding(str(root / "empty.py"), 1, 1, 1, 1, "SYN002", "unreadable-file", Severity.HINT, "cannot read file: binary"),
        ],
        text,
    )


def test_the_vendored_schema_rejects_invalid_logs(validator: jsonschema.protocols.Validator) -> None:
    assert _errors(validator, {"version": "2.1.0", "runs": []}) == []
    assert _errors(validator, {"version": "2.0.0", "runs": []})
    assert _errors(validator, {"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]})  # driver needs a name
    bad_level = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"message": {"text": "m"}, "level": "fatal"}]}]}
    assert _errors(validator, bad_level)


def test_rendered_log_is_valid(validator: jsonschema.protocols.Validator, tmp_path: Path) -> None:
    doc = json.loads(render_sarif(_findings(tmp_path), root=tmp_path))
    assert _errors(validator, doc) == []
    empty = json.loads(render_sarif([], root=tmp_path))
    assert _errors(validator, empty) == []
    assert empty["runs"][0]["results"] == []


def test_results_have_relative_locations_levels_fingerprints_and_fixes(tmp_path: Path) -> None:
    run = json.loads(render_sarif(_findings(tmp_path), root=tmp_path))["runs"][0]
    assert run["originalUriBaseIds"][SRCROOT]["uri"] == tmp_path.resolve().as_uri() + "/"
    assert run["columnKind"] == "unicodeCodePoints"
    first, second, third, fourth = run["results"]
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "src%20dir/m.py", "uriBaseId": SRCROOT}
    assert location["region"] == {"startLine": 1, "startColumn": 8, "endLine": 1, "endColumn": 17}
    assert [r["level"] for r in run["results"]] == ["error", "warning", "note", "note"]
    prints = [r["partialFingerprints"][FINGERPRINT_KEY] for r in run["results"]]
    assert len(set(prints)) == 4
    assert second["fixes"][0]["description"]["text"] == "Replace with `dumps`"
    replacement = second["fixes"][0]["artifactChanges"][0]["replacements"][0]
    assert replacement == {
        "deletedRegion": {"startLine": 2, "startColumn": 18, "endLine": 2, "endColumn": 23},
        "insertedContent": {"text": "dumps"},
    }
    assert third["properties"]["cwe"] == ["CWE-95"]
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert first["ruleIndex"] == rule_ids.index("HAL001")
    assert "ruleIndex" not in third  # not a registered rule on this branch


def test_file_outside_the_root_gets_an_absolute_uri(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    outside = Finding(str(tmp_path / "elsewhere.py"), 1, 1, 1, 2, "HAL001", "unresolved-import", Severity.ERROR, "m")
    loc = json.loads(render_sarif([outside], root=root))["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": (tmp_path / "elsewhere.py").as_uri()}


def test_fingerprints_survive_inserted_lines(tmp_path: Path) -> None:
    path = str(tmp_path / "a.py")
    before = with_snippets([Finding(path, 1, 8, 1, 17, "HAL001", "unresolved-import", Severity.ERROR, "m")], "import fastjsonx\n")
    after = with_snippets(
        [Finding(path, 4, 8, 4, 17, "HAL001", "unresolved-import", Severity.ERROR, "m (other interpreter)")],
        "import os\n\n\nimport fastjsonx\n",
    )

    def fp(findings: list[Finding]) -> str:
        return json.loads(render_sarif(findings, root=tmp_path))["runs"][0]["results"][0]["partialFingerprints"][FINGERPRINT_KEY]

    assert fp(before) == fp(after)


def test_rules_carry_what_code_scanning_shows() -> None:
    sec = Rule(
        code="SEC900",
        name="sql-injection-example",
        family="SEC",
        severity=Severity.ERROR,
        summary="SQL built from strings.",
        rationale="Strings concatenated\n   into SQL let input change the query.",
        bad="cur.execute('SELECT ' + x)",
        good="cur.execute('SELECT ?', (x,))",
        fix_safety=FixSafety.NONE,
        cwe=(89,),
    )
    entry = sarif_rule(sec)
    assert entry["id"] == "SEC900" and entry["name"] == "sql-injection-example"
    assert entry["shortDescription"] == {"text": "SQL built from strings."}
    assert entry["fullDescription"] == {"text": "Strings concatenated into SQL let input change the query."}
    assert entry["helpUri"].startswith("https://")
    assert entry["defaultConfiguration"] == {"level": "error"}
    assert entry["properties"]["tags"] == ["security", "SEC", "external/cwe/cwe-89"]
    assert entry["properties"]["security-severity"] == "8.0"
    assert "```python" in entry["help"]["markdown"] and "CWE-89" in entry["help"]["markdown"]

    hal = sarif_rule(Rule("HAL900", "hal-example", "HAL", Severity.WARNING, "s", "r", "b", "g"))
    assert "security" not in hal["properties"]["tags"]
    assert "security-severity" not in hal["properties"]


def test_cli_sarif_output_file_is_valid_and_relative_to_the_repository(
    repo: Repo, validator: jsonschema.protocols.Validator, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.write("pkg/app.py", "import json\nimport fastjsonx\n")
    monkeypatch.chdir(repo.path / "pkg")
    code, out, _ = vetpy("check", "--format", "sarif", "--output-file", "report.sarif")
    assert code == 1 and out == ""
    doc = json.loads((repo.path / "pkg" / "report.sarif").read_text(encoding="utf-8"))
    assert _errors(validator, doc) == []
    result = doc["runs"][0]["results"][0]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "pkg/app.py"
    assert result["ruleId"] == "HAL001"


def test_uris_are_checked_as_rfc3986(validator: jsonschema.protocols.Validator, tmp_path: Path) -> None:
    """With rfc3986-validator installed, jsonschema checks the ``uri``/``uri-reference`` formats."""
    pytest.importorskip("rfc3986_validator")
    doc = json.loads(render_sarif(_findings(tmp_path), root=tmp_path))
    assert _errors(validator, doc) == []
    location = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    location["uri"] = "src dir/m.py"  # what an unencoded path would look like
    assert any("uri-reference" in e for e in _errors(validator, doc))


def test_a_file_name_that_is_not_utf8_gets_its_bytes_percent_encoded(tmp_path):
    """Issue 23: SARIF output for a file named with a byte that is not UTF-8 raised
    UnicodeEncodeError (a traceback); the URI now carries the name's own bytes."""
    import subprocess
    import sys

    name = os.fsdecode(b"bad\xff.py")
    (tmp_path / name).write_text("from json import loads_fast\n")
    proc = subprocess.run([sys.executable, "-m", "vetpy", "check", "--format", "sarif", "."], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    uris = {loc["physicalLocation"]["artifactLocation"]["uri"]
            for result in json.loads(proc.stdout)["runs"][0]["results"] for loc in result["locations"]}
    assert uris == {"bad%FF.py"}
