"""Blind set 2 (written without running vetpy or reading its rules): blinker 1.9."""
from blinker import signal


def _receiver(sender, **kw):
    return sender


def case_send_robust():
    # django.dispatch.Signal.send_robust
    return signal("saved").send_robust("x")  # HAL: other-library-idiom; receiver=factory


def case_connect_dispatch_uid():
    saved = signal("saved2")
    return saved.connect(_receiver, dispatch_uid="one")  # HAL: other-library-idiom; receiver=factory
