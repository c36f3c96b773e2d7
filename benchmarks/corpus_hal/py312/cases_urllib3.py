"""urllib3: removed names, other libraries' idioms, invented keywords."""
import scipy.integrate
import urllib3
from itsdangerous import URLSafeTimedSerializer


def case_retry_method_whitelist():
    return urllib3.util.Retry(total=3, method_whitelist=["GET"])  # HAL: version-drift; receiver=call


def case_contrib_appengine():
    from urllib3.contrib import appengine  # HAL: version-drift; receiver=import
    return appengine
