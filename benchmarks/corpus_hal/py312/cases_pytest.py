"""pytest 9: removed keywords and helpers, unittest.mock idioms on MonkeyPatch."""
import pytest


def case_raises_message():
    with pytest.raises(ValueError, message="bad"):  # HAL: version-drift; receiver=call
        raise ValueError("x")


def case_approx_tolerance():
    return 1.0 == pytest.approx(1.01, tolerance=0.1)  # HAL: invented-keyword; receiver=call


def case_excinfo_message():
    with pytest.raises(ValueError) as excinfo:
        raise ValueError("boom")
    return excinfo.message  # HAL: invented-member; receiver=with-target


def case_skip_msg():
    pytest.skip(msg="not today")  # HAL: version-drift; receiver=call


def case_fail_msg():
    pytest.fail(msg="broken")  # HAL: version-drift; receiver=call


def case_monkeypatch_patch():
    with pytest.MonkeyPatch.context() as mp:
        mp.patch("os.getcwd", lambda: "/")  # HAL: other-library-idiom; receiver=with-target



def case_warns_none():
    with pytest.warns(None):  # HAL: version-drift; receiver=call
        pass


def case_raises_regex_kw():
    with pytest.raises(ValueError, regex="b.*"):  # HAL: other-library-idiom; receiver=call
        raise ValueError("boom")


def case_monkeypatch_setenv_dict():
    mp = pytest.MonkeyPatch()
    try:
        mp.setenv_many({"A": "1"})  # HAL: invented-member; receiver=constructor
    finally:
        mp.undo()


def case_approx_arity():
    return pytest.approx(1.0, 0.1, 0.1, True, 5)  # HAL: arity; receiver=call
