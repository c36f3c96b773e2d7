"""EDGE009 (unchecked-none): a value computed only when the subject is there proves the subject.

Specification (issue #20, service36's ``user = User.objects.filter(...).first()``, then ``entry =
cache.get(f"reset:{user.pk}") if user else None`` and ``if entry is None: return 400, ...``): ``entry``
is None on every path where ``user`` is, so a path past ``entry is None`` (or ``not entry``) has a
``user``: its later uses are checked.  Still reported: a value that may be None for another reason
tested instead (``entry = cache.get(...)`` alone), the subject rebound after the test, a value whose
``else`` is not None, and the paths where only one branch bound it.
"""

from __future__ import annotations

from test_edge28_input import _edge_lines
from test_edge_issue20_shapes import _marked

GIVEN = """
from django.core.cache import cache
from .models import User

def confirm(email, code):
    user = User.objects.filter(username=email).first()
    entry = cache.get(f"reset:{user.pk}") if user else None
    if entry is None:
        return 400
    if entry["tries"] >= 5:
        cache.delete(f"reset:{user.pk}")
        return 400
    user.set_password(code)
    return 200

def confirm_not(email, code):
    user = User.objects.filter(username=email).first()
    entry = None if not user else cache.get(user.pk)
    if not entry:
        return 400
    return user.email

def confirm_walrus_free(email, code):
    user = User.objects.filter(username=email).first()
    entry = cache.get(user.pk) if user is not None else None
    if entry is not None:
        return user.email
    return None

def other_else(email):
    user = User.objects.filter(username=email).first()
    entry = cache.get("x") if user else {}
    if entry is None:
        return 400
    return user.email  # !

def rebound(email, other):
    user = User.objects.filter(username=email).first()
    entry = cache.get("x") if user else None
    user = User.objects.filter(username=other).first()
    if entry is None:
        return 400
    return user.email  # !

def unrelated(email):
    user = User.objects.filter(username=email).first()
    entry = cache.get("x")
    if entry is None:
        return 400
    return user.email  # !

def one_branch(email, flag):
    user = User.objects.filter(username=email).first()
    entry = None
    if flag:
        entry = cache.get("x") if user else None
    else:
        entry = cache.get("y")
    if entry is None:
        return 400
    return user.email  # !
"""


def test_a_value_computed_only_with_the_subject_proves_it() -> None:
    assert _edge_lines(GIVEN, "EDGE009") == _marked(GIVEN)
