"""Issue #20, service 36 (edge49): EDGE010 for the rows of a Django query, EDGE027 for a naive
``utcnow()`` kept in a local (and shifted by a ``timedelta``) before its ``.timestamp()``, EDGE003
for paramiko's ``SSHClient().connect()`` without ``timeout=``.

Spec, EDGE010: ``sum(values) / len(values)`` where ``values = list(Model.objects.filter(...)...)``
or ``[p.x for p in <queryset>]`` (a chain on ``Model.objects``, directly or through a local bound
to one; or a chain of Django-only query methods such as ``.values_list()`` / ``.only()``) is
flagged: a query can match no row.  Silent: the list tested first (``if not values``), a queryset
asked ``.exists()`` / ``.count()`` in the function, ``len(...) or 1``, a filter with
``.filter()`` alone on an unknown object (not certainly a query), ``.get()`` / ``.aggregate()``.

Spec, EDGE027: ``exp = datetime.utcnow() + timedelta(days=7)`` then ``exp.timestamp()`` is
flagged on the ``.timestamp()``; silent: an aware ``now(timezone.utc)``, a name bound twice, a
parameter, a naive value never stamped.

Spec, EDGE003: ``client = paramiko.SSHClient(); client.connect(host, ...)`` without ``timeout``
(paramiko's default None leaves the TCP connect blocking) is flagged; silent: ``timeout=`` given by
keyword or as the seventh positional, ``sock=`` given, ``**options``, a client that is a parameter,
another library's ``connect()``.
"""

from __future__ import annotations

import textwrap

from vetpy.context import AnalysisContext
from vetpy.engine import check_source

ROWS_FLAGGED = """\
from django.db import models


class Permit(models.Model):
    kind = models.CharField(max_length=10)
    valuation_cents = models.IntegerField()


def average_valuation(kind):
    values = list(Permit.objects.filter(kind=kind).values_list("valuation_cents", flat=True))
    return sum(values) // len(values)  # !


def turnaround(department_id):
    qs = Permit.objects.filter(kind=department_id, issued_at__isnull=False)
    days = [(p.issued_at - p.submitted_at).days for p in qs.only("issued_at", "submitted_at")[:5000]]
    return {"average_days": sum(days) / len(days)}  # !


def mean_direct(kind):
    days = [p.valuation_cents for p in Permit.objects.filter(kind=kind)]
    return sum(days) / len(days)  # !


def helper_rooted(request, kind):
    values = list(staff_permits(request.auth).filter(kind=kind).values_list("valuation_cents", flat=True))
    return sum(values) // len(values)  # !


def everything():
    rows = list(Permit.objects.all())
    return sum(r.valuation_cents for r in rows) / len(rows)  # !
"""

ROWS_ACCEPTED = """\
from django.db import models


class Permit(models.Model):
    kind = models.CharField(max_length=10)


def tested(kind):
    values = list(Permit.objects.filter(kind=kind).values_list("valuation_cents", flat=True))
    if not values:
        return 0
    return sum(values) // len(values)


def exists_first(kind):
    qs = Permit.objects.filter(kind=kind)
    if not qs.exists():
        return 0
    values = [p.valuation_cents for p in qs]
    return sum(values) / len(values)


def counted_first(kind):
    qs = Permit.objects.filter(kind=kind)
    if qs.count() == 0:
        return 0
    values = list(qs.values_list("valuation_cents", flat=True))
    return sum(values) / len(values)


def floored(kind):
    values = list(Permit.objects.filter(kind=kind))
    return sum(v.valuation_cents for v in values) / (len(values) or 1)


def inline(kind):
    values = list(Permit.objects.filter(kind=kind))
    return sum(v.valuation_cents for v in values) / len(values) if values else 0


def unknown_filter(items, kind):
    values = list(items.filter(kind=kind))
    return sum(values) / len(values)


def one_row(pk):
    permit = Permit.objects.get(pk=pk)
    parts = [permit.a, permit.b]
    return sum(parts) / len(parts)
"""

STAMP_FLAGGED = """\
from datetime import datetime, timedelta


def issue_inspector_token(staff_id):
    exp = datetime.utcnow() + timedelta(days=7)
    return {"sub": staff_id, "exp": int(exp.timestamp())}  # !


def shifted():
    return (datetime.utcnow() - timedelta(hours=1)).timestamp()  # !


def plain():
    now = datetime.utcnow()
    return now.timestamp()  # !
"""

STAMP_ACCEPTED = """\
from datetime import datetime, timedelta, timezone


def aware(staff_id):
    exp = datetime.now(timezone.utc) + timedelta(days=7)
    return int(exp.timestamp())


def rebound(flag):
    exp = datetime.utcnow()
    if flag:
        exp = datetime.now(timezone.utc)
    return exp.timestamp()


def parameter(exp=datetime.utcnow()):
    return exp.timestamp()


def never_stamped():
    exp = datetime.utcnow() + timedelta(days=7)
    return exp.isoformat()


def made_aware():
    exp = (datetime.utcnow() + timedelta(days=7)).replace(tzinfo=timezone.utc)
    return exp.timestamp()
"""


def _found(src: str, code: str, path: str = "svc/reports.py") -> list[int]:
    ctx = AnalysisContext.bare(select=[code])
    return sorted({f.line for f in check_source(textwrap.dedent(src), path, ctx) if f.code == code})


def _marked(src: str) -> list[int]:
    return [i for i, line in enumerate(src.splitlines(), 1) if line.endswith("# !")]


def test_the_rows_of_a_django_query_may_be_none() -> None:
    assert _found(ROWS_FLAGGED, "EDGE010") == _marked(ROWS_FLAGGED)


def test_tested_counted_floored_or_unknown_rows_are_accepted() -> None:
    assert _found(ROWS_ACCEPTED, "EDGE010") == []


def test_a_naive_utcnow_kept_in_a_local_then_stamped() -> None:
    assert _found(STAMP_FLAGGED, "EDGE027") == _marked(STAMP_FLAGGED)


def test_aware_rebound_or_unstamped_values_are_accepted() -> None:
    assert _found(STAMP_ACCEPTED, "EDGE027") == []


SSH_FLAGGED = """\
import paramiko


def _ssh(host, user, key):
    client = paramiko.SSHClient()
    client.load_system_host_keys()
    client.connect(host, username=user, key_filename=key)  # !
    return client


def _sftp(settings):
    client = paramiko.client.SSHClient()
    client.connect(settings.HOST, username=settings.USER,  # !
                   password=settings.PASSWORD)
    return client, client.open_sftp()
"""

SSH_ACCEPTED = """\
import socket

import paramiko


def timed(host, user):
    client = paramiko.SSHClient()
    client.connect(host, username=user, timeout=15)
    return client


def positional(host):
    client = paramiko.SSHClient()
    client.connect(host, 22, "u", None, None, None, 10)
    return client


def own_socket(host):
    sock = socket.create_connection((host, 22), timeout=10)
    client = paramiko.SSHClient()
    client.connect(host, sock=sock)
    return client


def forwarded(host, **options):
    client = paramiko.SSHClient()
    client.connect(host, **options)
    return client


def not_ssh(db, host):
    conn = db.Pool()
    conn.connect(host)
    return conn


def parameter(client, host):
    client.connect(host)
"""


def test_a_paramiko_connect_without_a_timeout() -> None:
    assert _found(SSH_FLAGGED, "EDGE003") == _marked(SSH_FLAGGED)


def test_a_timed_or_socket_given_or_unknown_connect_is_accepted() -> None:
    assert _found(SSH_ACCEPTED, "EDGE003") == []
