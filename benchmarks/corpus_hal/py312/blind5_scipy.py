"""blind5 / SciPy 1.18 (issue 15, point 3).

Sources: SciPy 1.14 release notes (``simps`` / ``trapz`` / ``cumtrapz`` removed for ``simpson`` /
``trapezoid`` / ``cumulative_trapezoid``; sparse matrices' ``.A`` / ``.H`` removed; windows such as
``signal.gaussian`` only under ``signal.windows`` since 1.13), 1.9's ``linalg.pinv2`` removal
(e.g. https://github.com/NeuralEnsemble/elephant/commit/dd3146c8 "expired scipy deprecations"),
``linregress``'s ``rvalue`` used on ``pearsonr``, R's ``W`` of ``shapiro.test``, PyMC's
``mu``/``sigma``, pandas' ``interpolate(method=)``, scikit-learn's ``max_iter``, ``fmin``'s ``maxiter``.
"""

import numpy as np
from scipy import integrate, linalg, optimize, signal, sparse, stats
from scipy.integrate import quad
from scipy.interpolate import interp1d
from scipy.spatial import KDTree

X = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
Y = np.array([1.1, 1.9, 3.2, 3.9, 5.1])


def case_integrate_simps():
    return integrate.simps(Y, x=X)  # HAL: version-drift; receiver=module


def case_import_cumtrapz():
    from scipy.integrate import cumtrapz  # HAL: version-drift; receiver=import
    return cumtrapz(Y, X)


def case_csr_matrix_A():
    m = sparse.csr_matrix(np.eye(3))
    return m.A  # HAL: version-drift; receiver=constructor


def case_identity_A():
    return sparse.identity(3).A  # HAL: version-drift; receiver=chain


def case_pearsonr_rvalue():
    res = stats.pearsonr(X, Y)
    return res.rvalue  # HAL: other-library-idiom; receiver=factory


def case_linregress_r_squared():
    return stats.linregress(X, Y).r_squared  # HAL: invented-member; receiver=chain


def case_minimize_maxiter():
    return optimize.minimize(lambda v: float((v ** 2).sum()), [1.0], maxiter=50)  # HAL: other-library-idiom; receiver=module


def case_curve_fit_max_iter():
    return optimize.curve_fit(lambda x, a: a * x, X, Y, max_iter=200)  # HAL: other-library-idiom; receiver=kwargs-forward


def case_norm_mu_sigma():
    return stats.norm(mu=0.0, sigma=1.0).pdf(0.0)  # HAL: other-library-idiom; receiver=kwargs-forward


def case_loop_t_statistic():
    out = []
    for res in (stats.ttest_ind(X, Y), stats.ttest_rel(X, Y)):
        out.append(res.t_statistic)  # HAL: invented-member; receiver=loop
    return out


def case_shapiro_W():
    return stats.shapiro(Y).W  # HAL: other-library-idiom; receiver=chain


def case_signal_gaussian():
    return signal.gaussian(51, std=7)  # HAL: version-drift; receiver=module


def case_butter_type_keyword():
    return signal.butter(4, 0.2, type="low")  # HAL: invented-keyword; receiver=module


def case_linalg_pinv2():
    return linalg.pinv2(np.eye(2))  # HAL: version-drift; receiver=module


def case_kdtree_query_knn():
    tree = KDTree(np.array([[0.0, 0.0], [1.0, 1.0]]))
    return tree.query_knn([0.1, 0.1], k=1)  # HAL: invented-member; receiver=constructor


def case_describe_std():
    return stats.describe(Y).std  # HAL: invented-member; receiver=chain


def case_interp1d_method():
    return interp1d(X, Y, method="cubic")  # HAL: other-library-idiom; receiver=constructor


def case_quad_tol():
    return quad(lambda t: t * t, 0.0, 1.0, tol=1e-8)  # HAL: invented-keyword; receiver=import


def case_minimize_optimal_value():
    res = optimize.minimize(lambda v: float((v ** 2).sum()), [1.0])
    return res.optimal_value  # HAL: invented-member; receiver=factory
