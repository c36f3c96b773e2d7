"""Regression tests for crashes and invariant violations found by fuzzing (Hypothesis and
atheris).  Each test holds the minimal input that broke an invariant, and names the invariant."""

from __future__ import annotations

from vetpy.document import Document
from vetpy.engine import check_source


def test_suppression_comment_after_a_bare_cr_line_break_applies_to_its_own_line():
    # Found by test_properties: tokenize read the text with universal newlines off, so a
    # comment after a bare "\r" was attributed to the previous line and the suppression missed.
    text = "\rimport fastjsonx  # vetpy: ignore[HAL001]\n"
    doc = Document("x.py", text)
    assert doc.comments == {2: "# vetpy: ignore[HAL001]"}
    assert doc.is_suppressed("HAL001", 2)


def test_comment_lines_match_ast_lines_for_mixed_line_endings():
    text = "x = 1\r# c\ry = 2  # d\r\nz = 3  # e\n"
    doc = Document("x.py", text)
    assert doc.comments == {2: "# c", 3: "# d", 4: "# e"}
    assert [n.lineno for n in doc.tree.body] == [1, 3, 4]
    assert check_source(text) == []


def test_a_file_repeating_an_import_thousands_of_times_does_the_lookups_once(tmp_path, monkeypatch):
    # Found by the huge_literals strategy: 5,000 lines of `import fastjsonx{i % 7}` took minutes,
    # each line repeating the disk lookups and difflib suggestions for the same seven names.
    import sys

    from conftest import context_for
    from vetpy.environment import modules
    from vetpy.environment.modules import ModuleResolver

    # the memo of lookups lasts MEMO_SECONDS; on a busy machine the 2,000 lines can take longer,
    # and the lookups after it expires are right (a module may have appeared): not what this tests
    monkeypatch.setattr(modules, "MEMO_SECONDS", 3600.0)
    ctx = context_for(tmp_path, python=sys.executable)
    calls: list[str] = []
    real_find = ModuleResolver._find
    monkeypatch.setattr(ModuleResolver, "_find", lambda self, m, p: calls.append(m) or real_find(self, m, p))
    text = "".join(f"import fastjsonx{i % 7}\n" for i in range(2000))
    findings = check_source(text, str(tmp_path / "many.py"), ctx)
    assert [f.line for f in findings if f.code == "HAL001"] == list(range(1, 2001))
    assert len(set(calls)) == 7 and len(calls) <= 7 * 2  # HAL001 and DEP each ask once per name
    assert "fastjsonx1" in findings[1].message  # each line still names its own module


def test_the_lookup_memo_expires_so_a_new_module_is_seen(tmp_path, monkeypatch):
    import sys

    from conftest import context_for
    from vetpy.environment import modules

    resolver = context_for(tmp_path, python=sys.executable).resolver
    path = str(tmp_path / "app.py")
    assert resolver.find("brand_new_module", path).kind == "missing"
    (tmp_path / "brand_new_module.py").write_text("")
    assert resolver.find("brand_new_module", path).kind == "missing"  # memoized for a moment
    monkeypatch.setattr(modules, "MEMO_SECONDS", 0.0)
    assert resolver.find("brand_new_module", path).kind == "first-party"


def test_an_attribute_chain_thousands_deep_is_checked_without_a_recursion_error(tmp_path):
    # Found by test_fuzz_engine's deep_nesting strategy (`y = a.a.a. ... .a.b`, 1,984 deep): the
    # HAL checker's branch-narrowing question compared receivers with `ast.dump`, which recursed
    # once per attribute and raised RecursionError, so the whole HAL checker failed on the file.
    import sys

    from conftest import context_for

    ctx = context_for(tmp_path, python=sys.executable)
    errors: list[str] = []
    ctx.on_error = lambda name, exc: errors.append(f"{name}: {type(exc).__name__}")
    # and (CI on 8b1361e) `y = not not ... 1`, 1,984 deep: the import checker's version-flag
    # question took the operands of `not`/`and`/`or` recursively
    for text in ("y = " + "a." * 1984 + "b\n", "a = object()\nif callable(a):\n    y = " + "a." * 1984 + "b\n",
                 "y = " + "not " * 1984 + "1\n", "import sys\nif " + "not " * 1984 + "sys:\n    import json\n"):
        check_source(text, str(tmp_path / "app.py"), ctx)
    assert errors == []
