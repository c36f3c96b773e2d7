"""itsdangerous: removed names, other libraries' idioms, invented keywords."""
import scipy.integrate
import urllib3
from itsdangerous import URLSafeTimedSerializer


def case_timed_jws():
    from itsdangerous import TimedJSONWebSignatureSerializer  # HAL: version-drift; receiver=import
    return TimedJSONWebSignatureSerializer


def case_loads_max_age_seconds():
    s = URLSafeTimedSerializer("secret")
    token = s.dumps({"id": 1})
    return s.loads(token, max_age_seconds=60)  # HAL: invented-keyword; receiver=constructor


def case_jws():
    from itsdangerous import JSONWebSignatureSerializer  # HAL: version-drift; receiver=import
    return JSONWebSignatureSerializer
