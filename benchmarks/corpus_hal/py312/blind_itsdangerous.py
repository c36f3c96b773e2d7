"""Blind set (written without running vetpy or reading its rules): itsdangerous 2.2."""
from itsdangerous import URLSafeTimedSerializer


def case_itsdangerous_expires_in():
    s = URLSafeTimedSerializer("secret")
    return s.dumps({"id": 1}, expires_in=3600)  # HAL: other-library-idiom; receiver=constructor
