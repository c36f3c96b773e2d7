"""The ty-diagnostic parser and call locator of benchmarks/spike_inference.py (design (c) of issue 15's spike).

Lines are ty 0.0.105's ``--output-format concise`` as printed on the corpus; the parser must turn the
ones that name a missing member / module / ill-formed call into a candidate and drop every
diagnostic whose receiver the runtime judge cannot name.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import spike_inference as spike  # noqa: E402


def test_unresolved_import_is_an_import_candidate() -> None:
    cand = spike.parse_ty_diagnostic("cases_stdlib.py:47:12: error[import-not-found] Cannot resolve imported module `imp`")
    assert cand == {"file": "cases_stdlib.py", "line": 47, "col": 11, "q": "import", "module": "imp"}


def test_module_member_in_either_code_is_a_module_attr_candidate() -> None:
    for code in ("missing-module-member", "missing-attribute"):
        cand = spike.parse_ty_diagnostic(
            f"cases_django.py:17:42: error[{code}] Module `django.utils.translation` has no member `ugettext_lazy`")
        assert cand is not None
        assert (cand["q"], cand["module"], cand["name"]) == ("module_attr", "django.utils.translation", "ugettext_lazy")


def test_instance_and_class_receivers() -> None:
    inst = spike.parse_ty_diagnostic(
        "cases_aiohttp.py:8:22: error[missing-attribute] Object of type `ClientSession` has no attribute `fetch`")
    assert inst is not None
    assert (inst["types"], inst["on_class"], inst["name"]) == (["ClientSession"], False, "fetch")
    cls = spike.parse_ty_diagnostic("cases_pandas.py:41:12: error[missing-attribute] Class `DataFrame` has no attribute `from_items`")
    assert cls is not None and cls["on_class"] is True and cls["types"] == ["DataFrame"]
    wrapped = spike.parse_ty_diagnostic("x.py:3:1: error[missing-attribute] Object of type `<class 'Point'>` has no attribute `dict`")
    assert wrapped is not None and wrapped["types"] == ["Point"] and wrapped["on_class"] is True


def test_optional_drops_none_and_generics_keep_their_origin() -> None:
    cand = spike.parse_ty_diagnostic(
        "x.py:5:5: error[missing-attribute] Object of type `Response | None` has no attribute `status_code`")
    assert cand is not None and cand["types"] == ["Response"]
    gen = spike.parse_ty_diagnostic("x.py:5:5: error[missing-attribute] Object of type `list[int]` has no attribute `push`")
    assert gen is not None and gen["types"] == ["list"]


def test_receivers_the_judge_cannot_name_give_no_candidate() -> None:
    for line in (
        "valid_dynamic.py:476:12: error[missing-attribute] Function `handler` has no attribute `route`",
        "valid_dynamic.py:475:5: error[missing-attribute] Unresolved attribute `route` on type `def handler() -> Unknown`",
        "x.py:1:1: error[missing-attribute] Object of type `Unknown | int` has no attribute `x`",
        "x.py:1:1: error[missing-attribute] Object of type `Literal[1]` has no attribute `x`",
        "x.py:1:1: error[missing-attribute] Object of type `None` has no attribute `x`",
    ):
        assert spike.parse_ty_diagnostic(line) is None, line


def test_call_diagnostics_name_the_callee_or_are_dropped() -> None:
    kw = spike.parse_ty_diagnostic("cases_arrow.py:16:26: error[unknown-argument] Argument `short` does not match any "
                                   "known parameter of bound method `Arrow.humanize`")
    assert kw is not None and (kw["q"], kw["callee"], kw["bound"]) == ("call", "Arrow.humanize", True)
    init = spike.parse_ty_diagnostic("cases_httpx.py:85:32: error[too-many-positional-arguments] Too many positional "
                                     "arguments to `Response.__init__`: expected 2, got 3")
    assert init is not None and (init["callee"], init["bound"]) == ("Response.__init__", False)
    fn = spike.parse_ty_diagnostic("cases_attrs.py:23:12: error[no-matching-overload] No overload of function `field` matches arguments")
    assert fn is not None and fn["callee"] == "field"
    assert spike.parse_ty_diagnostic(
        "cases_aiohttp.py:12:44: error[unknown-argument] Argument `read` does not match any known parameter") is None


def test_other_codes_and_other_lines_are_ignored() -> None:
    assert spike.parse_ty_diagnostic("cases_click.py:31:12: error[not-callable] Object of type `object` is not callable") is None
    assert spike.parse_ty_diagnostic("Found 372 diagnostics") is None
    assert spike.parse_ty_diagnostic("x.py:1:1: warning[possibly-missing-attribute] Attribute `x` may be missing") is None


def test_call_shape_finds_the_call_whose_arguments_hold_the_position() -> None:
    tree = ast.parse("def f():\n    return outer(inner(1, 2, key=3), *rest, flag=True)\n")
    # column of "key" (0-based) inside inner(...): the innermost call is inner.
    col = "    return outer(inner(1, 2, key=3), *rest, flag=True)".index("key")
    assert spike.call_shape(tree, 2, col) == {"npos": 2, "kws": ["key"], "star": False}
    col = "    return outer(inner(1, 2, key=3), *rest, flag=True)".index("flag")
    assert spike.call_shape(tree, 2, col) == {"npos": 2, "kws": ["flag"], "star": True}


def test_optional_imports_are_guarded_lines() -> None:
    tree = ast.parse("try:\n    import tomllib\nexcept ImportError:\n    import tomli\nimport imp\n")
    assert spike.guarded_import_lines(tree) == {2, 4}


def test_feature_tests_guard_their_branches_and_the_fallback_after_an_early_return() -> None:
    src = ("def f():\n"
           "    if hasattr(np, 'trapezoid'):\n"
           "        return np.trapezoid(y)\n"
           "    return np.trapz(y)\n"
           "def g():\n"
           "    if sys.version_info >= (3, 13):\n"
           "        return copy.replace(p)\n"
           "def h():\n"
           "    if x:\n"
           "        return np.trapz(y)\n"
           "    return np.float_\n")
    guarded = spike.feature_test_lines(ast.parse(src))
    assert {3, 4, 7} <= guarded
    assert not guarded & {10, 11}  # an ordinary `if` guards nothing
