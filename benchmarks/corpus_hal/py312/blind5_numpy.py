"""blind5 / NumPy 2.5 (issue 15, point 3).

Sources: NumPy 2.0 migration guide ("Namespace changes": ``np.NaN``, ``np.in1d`` deprecated, ``row_stack``,
``ndarray.ptp`` / ``newbyteorder`` / ``itemset`` removed; https://numpy.org/devdocs/numpy_2_0_migration_guide.html),
later expirations (``np.trapz`` -> ``trapezoid``, ``histogram(normed=)``, ``percentile(interpolation=)``,
``reshape(newshape=)``), ``RandomState.randint`` on a ``Generator``, torch's ``linspace(steps=)`` /
``keepdim=`` / ``normal(mean=, std=)`` / ``dtype.is_floating_point``, ``math.isclose(rel_tol=)``,
``sorted(reverse=)``, ``datetime.year`` on ``datetime64``, ``Polynomial.coef`` on ``polyfit``'s floats.
"""

import numpy as np


def _rng() -> np.random.Generator:
    return np.random.default_rng(42)


def case_in1d():
    return np.in1d([1, 2], [2, 3])  # HAL: version-drift; receiver=module


def case_trapz():
    return np.trapz([1.0, 2.0, 3.0], dx=0.5)  # HAL: version-drift; receiver=module


def case_row_stack():
    return np.row_stack([np.ones(2), np.zeros(2)])  # HAL: version-drift; receiver=module


def case_NaN():
    return np.full(3, np.NaN)  # HAL: version-drift; receiver=module


def case_asarray_ptp():
    arr = np.asarray([3, 1, 4])
    return arr.ptp()  # HAL: version-drift; receiver=factory


def case_loop_newbyteorder():
    out = []
    for arr in (np.ones(3), np.zeros(3)):
        out.append(arr.newbyteorder())  # HAL: version-drift; receiver=loop
    return out


def case_itemset():
    grid = np.zeros((3, 3))
    grid.itemset((0, 0), 1.0)  # HAL: version-drift; receiver=factory
    return grid


def case_generator_randint():
    rng = np.random.default_rng(0)
    return rng.randint(0, 10, size=3)  # HAL: other-library-idiom; receiver=factory


def case_helper_normal_mean_std():
    return _rng().normal(mean=0.0, std=1.0, size=3)  # HAL: other-library-idiom; receiver=helper-return


def case_svd_singular_values():
    return np.linalg.svd(np.eye(2)).singular_values  # HAL: invented-member; receiver=chain


def case_unique_counts_keyword():
    return np.unique([1, 1, 2], counts=True)  # HAL: invented-keyword; receiver=module


def case_linspace_steps():
    return np.linspace(0.0, 1.0, steps=5)  # HAL: other-library-idiom; receiver=module


def case_percentile_interpolation():
    return np.percentile([1, 2, 3, 4], 50, interpolation="nearest")  # HAL: version-drift; receiver=module


def case_histogram_normed():
    return np.histogram([1, 2, 2, 3], bins=3, normed=True)  # HAL: version-drift; receiver=module


def case_reshape_newshape():
    return np.reshape(np.arange(6), newshape=(2, 3))  # HAL: version-drift; receiver=module


def case_annotated_sum_keepdim():
    arr: np.ndarray = np.ones((2, 3))
    return arr.sum(axis=0, keepdim=True)  # HAL: other-library-idiom; receiver=annotated-local


def case_datetime64_year():
    return np.datetime64("2024-01-01").year  # HAL: other-library-idiom; receiver=constructor


def case_dtype_is_float():
    arr = np.linspace(0.0, 1.0, 4)
    return arr.dtype.is_float  # HAL: other-library-idiom; receiver=chain


def case_assert_allclose_tol():
    np.testing.assert_allclose([1.0], [1.0], tol=1e-6)  # HAL: invented-keyword; receiver=module


def case_isclose_rel_tol():
    return np.isclose(1.0, 1.0 + 1e-12, rel_tol=1e-9)  # HAL: other-library-idiom; receiver=module


def case_sort_reverse():
    return np.sort(np.array([3, 1, 2]), reverse=True)  # HAL: other-library-idiom; receiver=module


def case_with_errstate_target():
    with np.errstate(divide="ignore") as state:
        return state.divide  # HAL: invented-member; receiver=with-target


def case_unpack_polyfit_coef():
    slope, intercept = np.polyfit([0.0, 1.0, 2.0], [1.0, 3.0, 5.0], 1)
    return slope.coef  # HAL: other-library-idiom; receiver=unpack
