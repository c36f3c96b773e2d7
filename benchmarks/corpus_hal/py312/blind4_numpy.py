"""Blind set 4 (written without running vetpy or reading its rules): numpy."""
import numpy as np
from numpy.typing import NDArray


def _samples() -> NDArray[np.float64]:
    return np.linspace(0.0, 1.0, 5)


def case_linspace_append():
    values = np.linspace(0.0, 1.0, 5)
    return values.append(2.0)  # HAL: other-library-idiom; receiver=factory


def case_qr_det_unpack():
    q, r = np.linalg.qr(np.eye(2))
    # torch tensors have .det(); numpy's is np.linalg.det(q)
    return q.det()  # HAL: other-library-idiom; receiver=unpack


def case_generator_rand():
    rng = np.random.default_rng(0)
    # legacy np.random.rand(); Generator has random()
    return rng.rand(3)  # HAL: version-drift; receiver=factory


def case_cumproduct():
    return np.cumproduct([1, 2, 3])  # HAL: version-drift; receiver=module


def case_msort():
    return np.msort(np.array([3, 1, 2]))  # HAL: version-drift; receiver=module


def case_set_printoptions_suppress_small():
    # suppress_small is array2string's keyword; set_printoptions takes suppress=
    np.set_printoptions(precision=3, suppress_small=True)  # HAL: other-library-idiom; receiver=call


def case_helper_value_counts():
    # pandas vocabulary on an ndarray
    return _samples().value_counts()  # HAL: other-library-idiom; receiver=helper-return


def case_flatten_unique():
    return np.zeros((2, 2)).flatten().unique()  # HAL: other-library-idiom; receiver=chain


def case_loop_row_sum_axis_name():
    totals = []
    for row in np.eye(3):
        totals.append(row.sum(skipna=True))  # HAL: other-library-idiom; receiver=loop
    return totals


def case_annotated_local_to_tensor():
    arr: np.ndarray = np.zeros(3)
    return arr.numpy()  # HAL: other-library-idiom; receiver=annotated-local


def case_argsort_reverse():
    # sorted()'s reverse=; np.argsort has none
    return np.argsort(np.array([3, 1, 2]), reverse=True)  # HAL: other-library-idiom; receiver=call


def case_random_choice_arity():
    rng = np.random.default_rng(0)
    return rng.integers(0, 10, 3, np.int64, True, 5)  # HAL: arity; receiver=factory
