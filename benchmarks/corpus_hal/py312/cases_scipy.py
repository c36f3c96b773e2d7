"""scipy: removed names, other libraries' idioms, invented keywords."""
import scipy.integrate
import urllib3
from itsdangerous import URLSafeTimedSerializer


def case_scipy_misc_imread():
    from scipy.misc import imread  # HAL: version-drift; receiver=import
    return imread


def case_scipy_simps():
    return scipy.integrate.simps([1, 2, 3])  # HAL: version-drift; receiver=module


def case_binom_test():
    from scipy.stats import binom_test  # HAL: version-drift; receiver=import
    return binom_test
