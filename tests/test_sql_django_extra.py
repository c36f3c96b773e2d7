"""Django's ``QuerySet.extra()``: SQL fragments spliced into the ORM's query (SEC001/SEC024).

Specification. ``extra(where=[...])`` and ``extra(select={...})``/``extra(tables=[...])`` take raw
SQL text: an element formatted with a value traced to request input is SEC001 (of unknown origin:
SEC024, opt-in). ``extra(order_by=[...])`` passes a ``table.column`` term to the database
verbatim (Django's compiler wraps it in ``RawSQL``): a term that is request input, whole or
formatted, is SEC001. Look-alikes, not reported: placeholders with ``params=[...]``; constant
fragments; a term picked from a constant allow-list; ``.extra`` of something that is not a
queryset (no ``.objects`` in the chain); ``QuerySet.order_by(request_value)`` (the ORM checks the
field name)."""

from __future__ import annotations

from test_security import lines

VIEWS = """
    from rest_framework.views import APIView
    from rest_framework.response import Response

    SORTS = {{"name": "last_name", "date": "created_at"}}

    class InvoiceLookup(APIView):
        def get(self, request):
            number = request.query_params.get("number", "")
            order = request.query_params.get("order", "last_name")
            {body}
            return Response([])
"""


def _lines(body: str, code: str = "SEC001") -> list[int]:
    return lines(VIEWS.format(body=body), code, path="views.py")


def test_where_formatted_with_request_input_is_sql_injection() -> None:
    assert _lines("""qs = Invoice.objects.filter(active=True).extra(where=[f"number = '{number}'"])""") == [11]
    assert _lines("""qs = Invoice.objects.extra(where=["number = '%s'" % number, "paid"])""") == [11]
    assert _lines("""qs = Invoice.objects.all().extra(select={"n": "SELECT count(*) FROM t WHERE x = " + number})""") == [11]


def test_order_by_term_from_request_is_sql_injection() -> None:
    assert _lines("qs = Patient.objects.filter(clinic_id=1).extra(order_by=[order])") == [11]
    assert _lines("""qs = Patient.objects.extra(order_by=[f"telecare_patient.{order}"])""") == [11]


def test_look_alikes_are_not_reported() -> None:
    for body in (
        """qs = Invoice.objects.extra(where=["number = %s"], params=[number])""",
        """qs = Invoice.objects.extra(where=["paid = true"], order_by=["-created_at"])""",
        """qs = Patient.objects.extra(order_by=[SORTS.get(order, "last_name")])""",
        """qs = Patient.objects.order_by(order)""",
        """qs = report.extra(where=[f"number = '{number}'"])""",
        """qs = Invoice.objects.extra(select={"n": "SELECT count(*) FROM t WHERE x = %s"}, select_params=[number])""",
    ):
        assert _lines(body) == [], body
        assert _lines(body, "SEC024") == [], body


def test_unknown_origin_is_the_opt_in_rule() -> None:
    src = """
        def lookup(number):
            return Invoice.objects.extra(where=[f"number = '{number}'"])
    """
    assert lines(src, "SEC024") == [3]
    assert lines(src, "SEC001") == []
