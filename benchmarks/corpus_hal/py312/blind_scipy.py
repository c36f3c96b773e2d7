"""Blind set: scipy 1.18."""
import numpy as np
import scipy.optimize
import scipy.sparse
import scipy.stats
from scipy import signal


def case_import_cumtrapz():
    from scipy.integrate import cumtrapz  # HAL: version-drift; receiver=import
    return cumtrapz


def case_ttest_equal_variance():
    return scipy.stats.ttest_ind([1.0, 2.0, 3.0], [2.0, 3.0, 4.0], equal_variance=False)  # HAL: invented-keyword; receiver=kwargs-forward


def case_sparse_A():
    m = scipy.sparse.csr_matrix(np.eye(2))
    return m.A  # HAL: version-drift; receiver=constructor


def case_minimize_maxiter():
    return scipy.optimize.minimize(lambda x: (x[0] - 1) ** 2, [0.0], method="BFGS", maxiter=10)  # HAL: other-library-idiom; receiver=call


def case_signal_gaussian():
    return signal.gaussian(5, 1.0)  # HAL: version-drift; receiver=module
