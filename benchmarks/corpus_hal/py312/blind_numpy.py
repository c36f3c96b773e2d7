"""Blind set: numpy 2.5."""
import numpy as np
import numpy.typing as npt


def load_scores() -> npt.NDArray[np.float64]:
    return np.array([0.5, 0.25, 0.5])


def case_rng_randn():
    rng = np.random.default_rng(0)
    return rng.randn(3)  # HAL: other-library-idiom; receiver=factory


def case_asfarray():
    return np.asfarray([1, 2])  # HAL: version-drift; receiver=module


def case_size_called():
    arr = np.arange(6).reshape(2, 3)
    return arr.size(0)  # HAL: other-library-idiom; receiver=chain


def case_linspace_step():
    return np.linspace(0, 1, num=5, step=0.25)  # HAL: invented-keyword; receiver=call


def case_transpose_numel():
    return np.ones((2, 3)).transpose().numel()  # HAL: other-library-idiom; receiver=chain


def case_ndarray_nunique():
    scores = load_scores()
    return scores.nunique()  # HAL: other-library-idiom; receiver=helper-return


def case_seed_two_args():
    np.random.seed(0, 1)  # HAL: arity; receiver=call


def case_loop_tolist_arg():
    out = []
    for row in np.eye(2):
        out.append(row.tolist(1))  # HAL: arity; receiver=loop
    return out


def case_alltrue():
    return np.alltrue([True, True])  # HAL: version-drift; receiver=module
