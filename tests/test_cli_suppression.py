"""Selection and suppression as ruff does it (issue 18 item 5).

Specification:
- On the command line ``--select`` replaces the configuration's selection, ``--extend-select``
  adds to it, ``--ignore`` / ``--extend-ignore`` remove from it; among the command line's
  selectors the more specific wins.
- Suppression comments name vetpy's own codes (``HAL003``) or families (``HAL``) only: ``# noqa:
  S608`` is ruff's, ``# noqa: E501`` flake8's, and no prefix (``S``, ``HA``) silences anything.
- A bare ``# noqa`` silences vetpy only with ``bare-noqa = true``; a bare ``# vetpy: ignore`` always.
- ``# vetpy: ignore-file`` (alone in its comment) silences a file, ``# vetpy: ignore-file[CODES]``
  those codes in it.
- SYN003 (opt-in) reports a suppression that silences nothing, with a safe fix that removes it.
"""

from __future__ import annotations

import pytest

from cli_support import python_args, vetpy
from conftest import context_for, write
from vetpy import codes
from vetpy.cli.run import CheckOptions, layered_codes
from vetpy.engine import check_source

HAL3 = "import json\nx = json.loads_fast('1'){comment}\n"


@pytest.fixture(scope="module")
def ctx(tmp_path_factory):
    return context_for(tmp_path_factory.mktemp("suppression"))


def found(text: str, ctx, **config) -> list[str]:  # noqa: ANN001
    saved = {key: getattr(ctx.config, key) for key in config}
    try:
        for key, value in config.items():
            setattr(ctx.config, key, value)
        return [f.code for f in check_source(text, "m.py", ctx=ctx)]
    finally:
        for key, value in saved.items():
            setattr(ctx.config, key, value)


# -- selection ----------------------------------------------------------------------------------------

def layered(config_select=(), config_ignore=(), **cli) -> set[str]:
    return layered_codes(list(config_select), list(config_ignore), CheckOptions(**cli))


def test_select_on_the_command_line_replaces_the_configuration():
    assert layered(["SEC"], ["HAL"], select=["HAL003"]) == {"HAL003"}


def test_extend_select_adds_to_the_configuration():
    assert layered(["SEC"], extend_select=["HAL003"]) == codes.match("SEC") | {"HAL003"}
    assert layered(["SEC"], ["SEC001"], extend_select=["SEC001"]) == codes.match("SEC")  # a later layer wins


def test_ignore_and_extend_ignore_remove_from_the_configuration():
    assert layered(["HAL"], ignore=["HAL003"]) == codes.match("HAL") - {"HAL003"}
    assert layered(["HAL"], extend_ignore=["HAL00"]) == set()


def test_the_more_specific_selector_wins_on_the_command_line():
    assert layered(select=["HAL"], ignore=["HAL003"]) == codes.match("HAL") - {"HAL003"}
    assert layered(ignore=["HAL"], extend_select=["HAL003"]) == codes.default_codes() - codes.match("HAL") | {"HAL003"}
    assert layered(select=["ALL"], ignore=["SEC"]) == set(codes.CODES) - codes.match("SEC")


def test_the_default_selection_leaves_out_the_opt_in_rules():
    assert "SYN003" not in layered() and "SYN003" in layered(extend_select=["SYN003"])
    assert "SYN003" in layered(select=["ALL"]) and "SYN003" in layered(extend_select=["SYN"])


def test_extend_select_from_the_command_line_over_a_project(tmp_path):
    write(tmp_path, {"pyproject.toml": "[tool.vetpy]\nselect = ['EDGE']\n", "m.py": HAL3.format(comment="")})
    assert vetpy("check", "m.py", *python_args(), cwd=tmp_path).code == 0
    run = vetpy("check", "m.py", "--extend-select", "HAL003", *python_args(), cwd=tmp_path)
    assert run.code == 1 and "HAL003" in run.out
    assert vetpy("check", "m.py", "--select", "HAL", "--ignore", "HAL003", *python_args(), cwd=tmp_path).code == 0


# -- suppression comments -------------------------------------------------------------------------

def test_own_codes_and_families_suppress(ctx):
    for comment in ("  # vetpy: ignore[HAL003]", "  # vetpy: ignore[HAL]", "  # noqa: HAL003", "  # noqa: E501, HAL003",
                    "  # vetpy: ignore", "  # noqa:HAL003", "  # type: ignore  # noqa: HAL003"):
        assert found(HAL3.format(comment=comment), ctx) == [], comment


def test_other_tools_codes_and_prefixes_do_not_suppress(ctx):
    for comment in ("  # noqa: S608", "  # noqa: E501", "  # noqa: H", "  # noqa: HA", "  # noqa: HAL0",
                    "  # vetpy: ignore[HAL0]", "  # vetpy: ignore[SEC]", "  # see `# vetpy: ignore` in the docs"):
        assert found(HAL3.format(comment=comment), ctx) == ["HAL003"], comment


def test_a_bare_noqa_suppresses_only_when_the_setting_says_so(ctx):
    text = HAL3.format(comment="  # noqa")
    assert found(text, ctx) == ["HAL003"]
    assert found(text, ctx, bare_noqa=True) == []


def test_bare_noqa_in_pyproject(tmp_path):
    write(tmp_path, {"pyproject.toml": "[tool.vetpy]\nbare-noqa = true\n", "m.py": HAL3.format(comment="  # noqa")})
    assert vetpy("check", "m.py", *python_args(), cwd=tmp_path).code == 0


def test_ignore_file_silences_the_whole_file_or_the_codes_it_names(ctx):
    body = "import json\nimport fastjsonx_nope\nx = json.loads_fast('1')\n"
    assert found("# vetpy: ignore-file\n" + body, ctx) == []
    assert found(body + "# vetpy: ignore-file[HAL003]\n", ctx) == ["HAL001"]
    assert sorted(found("x = 1  # not here: # vetpy: ignore-file\n" + body, ctx)) == ["HAL001", "HAL003"]
    assert sorted(found('s = "# vetpy: ignore-file"\n' + body, ctx)) == ["HAL001", "HAL003"]


# -- SYN003 unused suppressions ---------------------------------------------------------------------

def test_unused_suppressions_are_reported_only_when_selected(ctx):
    text = "import json\nx = json.loads('1')  # vetpy: ignore[HAL003]\n"
    assert found(text, ctx) == []
    assert found(text, ctx, select=["ALL"]) == ["SYN003"]


def test_a_suppression_of_a_code_that_is_not_enabled_is_not_judged(ctx):
    text = "import json\nx = json.loads('1')  # vetpy: ignore[SEC001]\n"
    assert found(text, ctx, select=["HAL", "SYN003"]) == []


def test_unused_suppression_fixes(tmp_path):
    write(tmp_path, {"m.py": (
        "import json\n"
        "a = json.loads('1')  # vetpy: ignore[HAL003]\n"
        "b = json.loads_fast('1')  # vetpy: ignore[HAL003, SEC003]  # why\n"
        "c = json.loads('1')  # noqa: E501, HAL003\n"
        "d = json.loads('1')  # noqa: E501\n"
    )})
    run = vetpy("check", "m.py", "--extend-select", "SYN003", "--fix", *python_args(), cwd=tmp_path)
    assert run.code == 0, run.out + run.err
    assert (tmp_path / "m.py").read_text() == (
        "import json\n"
        "a = json.loads('1')\n"
        "b = json.loads_fast('1')  # vetpy: ignore[HAL003]  # why\n"
        "c = json.loads('1')  # noqa: E501\n"
        "d = json.loads('1')  # noqa: E501\n"
    )


def test_the_docs_say_how_suppressions_match():
    from conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for claim in ("bare-noqa", "# vetpy: ignore-file", "SYN003", "--extend-select", "--extend-ignore"):
        assert claim in readme, claim
