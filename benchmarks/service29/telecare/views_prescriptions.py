"""Prescriptions, refills and the drug-interaction check."""
from __future__ import annotations

import ast
import logging
import operator

import requests
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.shortcuts import get_object_or_404
from django.utils import timezone
from rest_framework import viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from . import integrations
from .auth import IsClinician, IsOwnerOrCareTeam, IsPatient
from .models import Prescription, RefillRequest
from .serializers import PrescriptionSerializer, RefillRequestSerializer

logger = logging.getLogger("telecare.rx")

_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}


def _eval_node(node, env: dict[str, float]) -> float:
    if isinstance(node, ast.Expression):
        return _eval_node(node.body, env)
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return float(node.value)
    if isinstance(node, ast.Name) and node.id in env:
        return env[node.id]
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        return _OPS[type(node.op)](_eval_node(node.left, env), _eval_node(node.right, env))
    raise ValueError("unsupported dosage formula")


def weight_based_dose(formula: str, weight_kg: float, age: int) -> float:
    tree = ast.parse(formula, mode="eval")
    return _eval_node(tree, {"weight": weight_kg, "age": float(age)})  # SAFE: eval


def legacy_dose(formula: str, weight_kg: float) -> float:
    """Formulas imported from the previous EHR ('weight * 0.15')."""
    return eval(formula, {"__builtins__": {}}, {"weight": weight_kg})  # SEEDED: SEC eval


def sig_lines(rx, extra_instructions=[]) -> list[str]:  # SEEDED: EDGE mutable-default
    extra_instructions.append(f"Take {rx.dosage}")
    if rx.controlled_schedule:
        extra_instructions.append("Controlled substance: no early refills")
    return extra_instructions


def interaction_warnings(rxcuis: list[str]) -> list[str]:
    clean = [c for c in rxcuis if c.isdigit()][:50]
    resp = requests.get(  # SAFE: ssrf
        f"{settings.RXNAV_URL}/interaction/list.json",
        params={"rxcuis": "+".join(clean)},
        timeout=5,  # SAFE: missing-timeout
    )
    resp.raise_for_status()
    groups = resp.json().get("fullInteractionTypeGroup", [])
    return [pair["description"] for g in groups for t in g.get("fullInteractionType", []) for pair in t["interactionPair"]]


class PrescriptionViewSet(viewsets.ModelViewSet):
    serializer_class = PrescriptionSerializer
    permission_classes = [IsAuthenticated, IsClinician, IsOwnerOrCareTeam]

    def get_queryset(self):
        return Prescription.objects.filter(patient__clinic=self.request.user.clinician.clinic)  # SAFE: idor

    def perform_create(self, serializer):
        clinician = self.request.user.clinician
        if serializer.validated_data["patient"].clinic_id != clinician.clinic_id:
            raise PermissionDenied("patient belongs to another clinic")  # SAFE: idor
        rx = serializer.save(clinician=clinician)
        transaction.on_commit(lambda: integrations.send_erx(rx.pk))

    @action(detail=True, methods=["get"])
    def dose(self, request, pk=None):
        rx = self.get_object()
        weight = float(request.query_params.get("weight", "0"))
        if not rx.dosage_formula:
            return Response({"dose": rx.dosage})
        if rx.dosage_formula.startswith("legacy:"):
            return Response({"dose": legacy_dose(rx.dosage_formula[7:], weight)})
        return Response({"dose": weight_based_dose(rx.dosage_formula, weight, int(request.query_params.get("age", 0)))})

    @action(detail=True, methods=["get"])
    def sig(self, request, pk=None):
        return Response({"lines": sig_lines(self.get_object())})

    @action(detail=False, methods=["post"])
    def interactions(self, request):
        ids = request.data.get("rxcuis") or []
        if not isinstance(ids, list):
            return Response({"detail": "rxcuis must be a list"}, status=400)
        return Response({"warnings": interaction_warnings([str(i) for i in ids])})


class RefillView(APIView):
    """A patient asks for a refill of one of their prescriptions."""

    permission_classes = [IsAuthenticated, IsPatient]

    def post(self, request, pk: int):
        rx = get_object_or_404(Prescription, pk=pk, patient=request.user.patient)  # SAFE: idor
        if rx.controlled_schedule == "II":
            return Response({"detail": "Schedule II needs a new prescription"}, status=409)
        if rx.refills_remaining < 1:
            return Response({"detail": "no refills left"}, status=409)
        rx.refills_remaining -= 1  # SEEDED: EDGE read-modify-write
        rx.last_filled_at = timezone.now()
        rx.save(update_fields=["refills_remaining", "last_filled_at"])
        refill = RefillRequest.objects.create(prescription=rx)
        integrations.send_refill(refill.pk)
        return Response(RefillRequestSerializer(refill).data, status=201)


class UrgentRefillView(APIView):
    permission_classes = [IsAuthenticated, IsPatient]

    def post(self, request, pk: int):
        updated = Prescription.objects.filter(
            pk=pk, patient=request.user.patient, refills_remaining__gt=0
        ).update(refills_remaining=F("refills_remaining") - 1, last_filled_at=timezone.now())  # SAFE: read-modify-write
        if not updated:
            return Response({"detail": "no refills left"}, status=409)
        refill = RefillRequest.objects.create(prescription_id=pk, status="urgent")
        integrations.send_refill(refill.pk)
        return Response(RefillRequestSerializer(refill).data, status=201)


class PrescriptionStatusView(APIView):
    """Pharmacist/clinician marks a prescription discontinued or on hold."""

    permission_classes = [IsAuthenticated]

    def patch(self, request, pk: int):  # SEEDED: SEC missing-authz
        rx = Prescription.objects.get(pk=pk)  # SEEDED-ALSO
        new_status = request.data.get("status")
        if new_status not in {"active", "on_hold", "discontinued"}:
            return Response({"detail": "bad status"}, status=400)
        rx.status = new_status
        rx.save(update_fields=["status"])
        return Response({"status": rx.status})


@api_view(["POST"])
@permission_classes([IsAuthenticated, IsClinician])
def bulk_discontinue(request):
    ids = [int(i) for i in request.data.get("ids", [])][:200]
    with transaction.atomic():
        qs = Prescription.objects.select_for_update().filter(pk__in=ids, clinician=request.user.clinician)  # SAFE: idor
        changed = qs.update(status="discontinued")
    return Response({"discontinued": changed})


@api_view(["POST"])
@permission_classes([IsAuthenticated, IsClinician])
def prune_duplicate_refills(request):
    pending = list(RefillRequest.objects.filter(prescription__clinician=request.user.clinician, status="pending"))
    seen = set()
    for refill in pending:  # SEEDED: EDGE mutate-while-iterating
        if refill.prescription_id in seen:
            pending.remove(refill)  # SEEDED-ALSO
            refill.delete()
        seen.add(refill.prescription_id)
    return Response({"kept": len(pending)})


@api_view(["GET"])
@permission_classes([IsAuthenticated, IsClinician])
def refill_queue(request):
    limit = min(int(request.query_params.get("limit", 50)), 200)  # SAFE: unbounded-page-size
    qs = RefillRequest.objects.filter(
        prescription__clinician=request.user.clinician, status="pending"
    ).order_by("requested_at")[:limit]
    return Response(RefillRequestSerializer(qs, many=True).data)
