"""Blind set 4 (written without running vetpy or reading its rules): pytest."""
import pytest


def case_approx_abs_tol():
    # math.isclose's abs_tol; pytest.approx takes abs=
    return 1.0 == pytest.approx(1.01, abs_tol=0.1)  # HAL: other-library-idiom; receiver=call


def case_monkeypatch_context_patch_env():
    with pytest.MonkeyPatch.context() as mp:
        mp.patch_env("A", "1")  # HAL: invented-member; receiver=with-target


def case_importorskip_min_version():
    return pytest.importorskip("json", min_version="0")  # HAL: invented-keyword; receiver=call


def case_warns_recorder_warnings():
    import warnings

    with pytest.warns(UserWarning) as record:
        warnings.warn("x", UserWarning)
    return record.warnings  # HAL: invented-member; receiver=with-target


def case_raises_excinfo_msg():
    with pytest.raises(ValueError) as info:
        raise ValueError("bad")
    return info.msg  # HAL: invented-member; receiver=with-target


def case_monkeypatch_setattr_keyword():
    mp = pytest.MonkeyPatch()
    try:
        import os

        mp.setattr(os, "sep", "/", create=True)  # HAL: invented-keyword; receiver=constructor
    finally:
        mp.undo()
