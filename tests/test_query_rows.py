"""EDGE010/EDGE011 across modules: the rows of a query a project helper returns may be none
(vetpy.rules.edge.query_rows).

Specification (issue #20, service23's misses: ``max(db.list_invoices(...), key=...)`` and
``sum(totals) / len(totals)`` over ``[inv.total for inv in db.list_invoices(...)]``): a
module-level ``def`` of another module of the project (``from . import db``, ``from app.db import
...``) whose every ``return`` gives ``<query>.all()`` (a SQLAlchemy ``scalars``/``execute``/
``query`` chain) or ``.fetchall()`` returns a list that is empty when no row matches: ``max()``/
``min()`` of it without ``default=``, and a division by ``len()`` of it or of an unfiltered list
comprehension over it, with no emptiness guard, are reported, naming the helper and its file.

Look-alikes, never reported: the same use behind ``if not rows:``/``if rows else``; a helper that
returns something else on some path, or an aggregate (``func.count``, ``SELECT count(*)``); a
helper with a decorator; a local or a parameter named like the module; a call of a library's
function.
"""

from __future__ import annotations

from conftest import check_file, context_for, write

DB = """\
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session


def list_invoices(session: Session, org_id: int):
    return session.scalars(select(Invoice).where(Invoice.org_id == org_id)).all()


def raw_rows(conn, org_id):
    return conn.execute(text("SELECT total FROM invoices WHERE org_id = :o"), {"o": org_id}).fetchall()


def legacy(session, org_id):
    return session.query(Invoice).filter(Invoice.org_id == org_id).all()


def counts(session: Session):
    return session.execute(select(Invoice.org_id, func.count()).group_by(Invoice.org_id)).all()


def maybe_cached(session: Session, org_id: int, cache):
    if org_id in cache:
        return cache[org_id]
    return session.scalars(select(Invoice)).all()


def totals_text(conn):
    return conn.execute(text("SELECT count(*) FROM invoices")).fetchall()


@cached
def cached_rows(session: Session):
    return session.scalars(select(Invoice)).all()
"""

VIEWS = """\
import statistics

from . import db
from .db import raw_rows


def largest(session, org_id):
    invoices = db.list_invoices(session, org_id)
    top = max(invoices, key=lambda inv: inv.total)  # !
    return top


def average(session, org_id):
    totals = [inv.total for inv in db.list_invoices(session, org_id)]
    return sum(totals) / len(totals)  # !


def raw_average(conn, org_id):
    rows = raw_rows(conn, org_id)
    return sum(r[0] for r in rows) / len(rows)  # !


def legacy_min(session, org_id):
    rows = db.legacy(session, org_id)
    return min(r.total for r in rows)  # !


def guarded(session, org_id):
    invoices = db.list_invoices(session, org_id)
    if not invoices:
        return None
    return max(invoices, key=lambda inv: inv.total)


def rate(session, org_id):
    invoices = db.list_invoices(session, org_id)
    paid = sum(1 for inv in invoices if inv.status == "paid")
    return paid / len(invoices) if invoices else 0.0


def with_default(session, org_id):
    return max(db.list_invoices(session, org_id), key=len, default=None)


def aggregated(session):
    rows = db.counts(session)
    return max(rows)


def mixed(session, org_id, cache):
    rows = db.maybe_cached(session, org_id, cache)
    return max(rows)


def counted(conn):
    rows = db.totals_text(conn)
    return max(rows)


def decorated(session):
    rows = db.cached_rows(session)
    return max(rows)


def shadowed(db, session, org_id):
    rows = db.list_invoices(session, org_id)
    return max(rows)


def library(values):
    rows = statistics.multimode(values)
    return max(rows)
"""


def _project(tmp_path):
    return write(tmp_path, {"pyproject.toml": "[project]\nname = 'app'\n", "app/__init__.py": "", "app/db.py": DB,
                            "app/views.py": VIEWS})


def test_rows_of_a_project_query_helper_may_be_empty(tmp_path):
    root = _project(tmp_path)
    found = [f for f in check_file(root, "app/views.py", context_for(root)) if f.code in ("EDGE010", "EDGE011")]
    expected = [i + 1 for i, line in enumerate(VIEWS.splitlines()) if line.endswith("# !")]
    assert sorted(f.line for f in found) == expected
    by_line = {f.line: f for f in found}
    assert by_line[expected[0]].code == "EDGE011"
    assert "`db.list_invoices` returns the rows of a query of db.py" in by_line[expected[0]].message
    assert by_line[expected[1]].code == "EDGE010"
    assert "`raw_rows` returns the rows of a query of db.py" in by_line[expected[2]].message


MODELS = """
from sqlalchemy.orm import DeclarativeBase, relationship


class Base(DeclarativeBase):
    pass


class Report(Base):
    __tablename__ = "reports"
    expenses = relationship("Expense")
"""

REPORTS = """
from app.models import Report


def names(report: Report):
    found = [e.name for e in report.expenses]
    return ", ".join(found)


def average(report: Report):
    amounts = [e.amount for e in report.expenses]
    return sum(amounts) / len(amounts)  # !
"""


def test_the_models_module_is_read_only_where_a_list_is_divided_by(tmp_path):
    """A to-many relationship declared in an imported models module makes the average over it
    EDGE010; whether it is one is asked where the list is divided by, not wherever a list is built
    from an attribute (that made the imported module a read of every such file: one edited module
    re-analysed its ten importers in the 350k scale input)."""
    from vetpy import reads

    root = write(tmp_path, {"pyproject.toml": "[project]\nname = 'app'\n", "app/__init__.py": "", "app/models.py": MODELS,
                            "app/reports.py": REPORTS, "app/names.py": REPORTS.split("\n\n\ndef average")[0] + "\n"})
    ctx = context_for(root)
    with reads.recording() as used:
        found = [f.line for f in check_file(root, "app/reports.py", ctx) if f.code == "EDGE010"]
    written = (root / "app" / "reports.py").read_text()
    assert found == [i + 1 for i, line in enumerate(written.splitlines()) if line.endswith("# !")] != []
    assert any(p.endswith("models.py") for p in used.files)
    with reads.recording() as used:
        assert [f for f in check_file(root, "app/names.py", ctx) if f.code.startswith("EDGE")] == []
    assert not any(p.endswith("models.py") for p in used.files), sorted(used.files)
