"""Invoices, payments, insurance claims and clinician payouts."""
from __future__ import annotations

import csv
import io
import logging
from datetime import date

from django.db import connection, transaction
from django.db.models import F, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from openpyxl import Workbook
from rest_framework import status, viewsets
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.permissions import IsAdminUser, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from . import billing, integrations
from .auth import IsBillingService, IsClinicAdmin, IsClinician, IsOwnerOrCareTeam
from .models import InsuranceClaim, Invoice, Payout
from .serializers import ClaimAdjustmentSerializer, InvoiceSerializer, PaymentSerializer, RefundSerializer

logger = logging.getLogger("telecare.billing")

INVOICE_STATUSES = {"open", "paid", "void", "overdue", "partial"}
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text  # SAFE: csv-injection


class InvoiceViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = InvoiceSerializer
    permission_classes = [IsAuthenticated, IsOwnerOrCareTeam]

    def get_queryset(self):
        user = self.request.user
        if hasattr(user, "patient"):
            return Invoice.objects.filter(patient=user.patient)  # SAFE: idor
        return Invoice.objects.filter(patient__clinic=user.clinician.clinic)

    @action(detail=True, methods=["post"])
    def pay(self, request, pk=None):
        invoice = self.get_object()
        serializer = PaymentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        amount = serializer.validated_data["amount"]
        charge_id = integrations.charge_card(serializer.validated_data["card_token"], billing.to_cents_exact(amount))
        invoice.amount_paid += amount  # SEEDED: EDGE read-modify-write
        invoice.status = "paid" if invoice.amount_paid >= invoice.total else "partial"
        invoice.save(update_fields=["amount_paid", "status"])
        logger.info("invoice %s paid %s (charge %s)", invoice.number, amount, charge_id)
        return Response(InvoiceSerializer(invoice).data)

    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated, IsClinicAdmin])  # SAFE: missing-authz
    def refund(self, request, pk=None):
        serializer = RefundSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        amount = serializer.validated_data["amount"]
        with transaction.atomic():
            invoice = self.get_queryset().select_for_update().get(pk=pk)  # SAFE: read-modify-write
            if amount > invoice.amount_paid:
                return Response({"detail": "refund exceeds amount paid"}, status=400)
            Invoice.objects.filter(pk=invoice.pk).update(amount_paid=F("amount_paid") - amount)
        return Response(status=204)

    @action(detail=True, methods=["get"])
    def installments(self, request, pk=None):
        invoice = self.get_object()
        count = int(request.query_params.get("count", 3))
        plan = billing.installments(invoice.total - invoice.amount_paid, count)
        return Response([str(p) for p in plan])

    @action(detail=True, methods=["get"], url_path="late-fee")
    def late_fee(self, request, pk=None):
        invoice = self.get_object()
        fee = billing.late_fee(invoice.total - invoice.amount_paid)
        return Response({"late_fee": fee})


class InvoiceLookupView(APIView):
    permission_classes = [IsAuthenticated, IsClinician]

    def get(self, request):
        number = request.query_params.get("number", "")
        qs = Invoice.objects.filter(patient__clinic=request.user.clinician.clinic).extra(
            where=[f"number = '{number}'"]  # SEEDED: SEC sql-where
        )
        return Response(InvoiceSerializer(qs, many=True).data)


class InvoiceStatusReportView(APIView):
    permission_classes = [IsAuthenticated, IsClinicAdmin]

    def get(self, request):
        statuses = request.query_params.getlist("status") or ["open"]
        clinic_id = request.user.clinician.clinic_id
        sql = (
            "SELECT status, COUNT(*), SUM(total) FROM telecare_invoice i JOIN telecare_patient p ON p.id = i.patient_id "
            "WHERE p.clinic_id = %s AND status IN ('" + "','".join(statuses) + "') GROUP BY status"  # SEEDED: SEC sql-in-list
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [clinic_id])
            rows = cursor.fetchall()
        return Response([{"status": s, "count": c, "total": str(t)} for s, c, t in rows])


class OverdueReportView(APIView):
    permission_classes = [IsAuthenticated, IsClinicAdmin]

    def get(self, request):
        statuses = [s for s in request.query_params.getlist("status") if s in INVOICE_STATUSES] or ["overdue"]
        placeholders = ", ".join(["%s"] * len(statuses))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT number, total - amount_paid FROM telecare_invoice WHERE status IN ({placeholders}) "
                "AND due_date < %s ORDER BY due_date",  # SAFE: sql-in-list
                [*statuses, date.today()],
            )
            rows = cursor.fetchmany(500)
        return Response([{"number": n, "due": str(d)} for n, d in rows])


class RevenueView(APIView):
    permission_classes = [IsAuthenticated, IsClinicAdmin]

    def get(self, request):
        start = date.fromisoformat(request.query_params.get("from"))  # SEEDED: EDGE none-input
        end = date.fromisoformat(request.query_params.get("to", date.today().isoformat()))
        invoices = list(Invoice.objects.filter(
            patient__clinic=request.user.clinician.clinic, issued_at__date__range=(start, end)
        ))
        return Response({
            "collected": billing.total_collected(invoices),
            "average_invoice": str(billing.average_invoice(invoices)),
            "months": billing.months_between(start.month, end.month),
        })


class ClaimExportView(APIView):
    permission_classes = [IsAuthenticated, IsClinicAdmin]

    def get(self, request):
        claims = InsuranceClaim.objects.filter(invoice__patient__clinic=request.user.clinician.clinic).select_related(
            "invoice__patient"
        )
        if request.query_params.get("format") == "xlsx":
            wb = Workbook(write_only=True)
            ws = wb.create_sheet("claims")
            ws.append(["claim", "patient", "payer", "billed", "status", "denial reason"])
            for c in claims.iterator(chunk_size=500):
                ws.append([_cell(c.claim_number), _cell(c.invoice.patient.full_name), _cell(c.payer_id),
                           c.billed_amount, _cell(c.status), _cell(c.denial_reason)])  # SAFE: csv-injection
            buf = io.BytesIO()
            wb.save(buf)
            return HttpResponse(buf.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["claim", "patient", "payer", "billed", "status", "denial reason"])
        for c in claims.iterator(chunk_size=500):
            writer.writerow([c.claim_number, c.invoice.patient.full_name, c.payer_id, c.billed_amount, c.status,
                             c.denial_reason])  # SEEDED: SEC csv-injection
        resp = HttpResponse(out.getvalue(), content_type="text/csv")
        resp["Content-Disposition"] = 'attachment; filename="claims.csv"'
        return resp


class ClaimAdjustView(APIView):
    permission_classes = [IsAuthenticated, IsBillingService]

    def post(self, request, pk: int):
        claim = get_object_or_404(InsuranceClaim, pk=pk)
        serializer = ClaimAdjustmentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        claim.allowed_amount = serializer.validated_data["allowed_amount"]
        claim.denial_reason = serializer.validated_data.get("denial_reason", "")
        claim.status = "adjudicated"
        claim.save()
        return Response({"status": claim.status})


class ClaimSubmitView(APIView):
    permission_classes = [IsAuthenticated, IsClinicAdmin]

    def post(self, request, pk: int):
        claim = get_object_or_404(InsuranceClaim, pk=pk, invoice__patient__clinic=request.user.clinician.clinic)  # SAFE: idor
        claimed = InsuranceClaim.objects.filter(pk=claim.pk, status="draft").update(status="queued")  # SAFE: check-then-act
        if not claimed:
            return Response({"detail": "already submitted"}, status=409)
        integrations.queue_claim(claim.pk)
        return Response(status=202)


@api_view(["GET"])
@permission_classes([IsAdminUser])
def payouts_pending(request):
    qs = Payout.objects.filter(status="pending").values("id", "clinician_id", "amount", "period_end")[:500]
    return Response(list(qs))


@api_view(["POST"])
@permission_classes([IsAdminUser])
def payout_create(request):
    clinician_id = int(request.data["clinician"])
    start, end = date.fromisoformat(request.data["start"]), date.fromisoformat(request.data["end"])
    collected = Invoice.objects.filter(appointment__clinician_id=clinician_id, issued_at__date__range=(start, end)).aggregate(
        s=Sum("amount_paid")
    )["s"]
    if collected is None:
        return Response({"detail": "nothing collected in period"}, status=400)  # SAFE: none-deref
    payout = Payout.objects.create(clinician_id=clinician_id, period_start=start, period_end=end,
                                   amount=billing.clinician_share(collected, _payout_share(clinician_id)))
    return Response({"id": payout.pk}, status=201)


def _payout_share(clinician_id: int):
    from .models import Clinician

    return Clinician.objects.values_list("payout_share", flat=True).get(pk=clinician_id)


@api_view(["POST"])
@permission_classes([IsAuthenticated])
def payout_approve(request, pk: int):  # SEEDED: SEC missing-authz
    payout = get_object_or_404(Payout, pk=pk, status="pending")  # SEEDED-ALSO
    payout.status = "approved"
    payout.save(update_fields=["status"])
    integrations.queue_payout(payout.pk)
    return Response({"status": payout.status})


@api_view(["POST"])
@permission_classes([IsAdminUser])
def payout_cancel(request, pk: int):
    cancelled = Payout.objects.filter(pk=pk, status__in=["pending", "approved"]).update(status="cancelled")
    return Response({"cancelled": bool(cancelled)}, status=status.HTTP_200_OK)
