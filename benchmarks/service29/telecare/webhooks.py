"""Inbound webhooks from partner pharmacies and the video provider."""
from __future__ import annotations

import hmac
import json
import logging

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from . import integrations, realtime
from .auth import IsPartnerPharmacy, PharmacyJWTAuthentication, PharmacyKeyAuthentication
from .models import Pharmacy, Prescription, RefillRequest
from .security import legacy_signature, signature, signature_ok

logger = logging.getLogger("telecare.webhooks")

FILL_STATES = {"received", "filled", "ready", "picked_up", "rejected"}


def _seen_before(event_id: str) -> bool:
    """Idempotency: True when this delivery was already processed."""
    return not realtime.r.set(f"wh:{event_id}", "1", nx=True, ex=86400)  # SAFE: check-then-act


@csrf_exempt  # SAFE: csrf-missing
@require_POST
def pharmacy_event(request, ncpdp_id: str):
    """v2 webhooks: HMAC-SHA256 of the body in X-Signature."""
    pharmacy = Pharmacy.objects.filter(ncpdp_id=ncpdp_id).first()
    if pharmacy is None or not signature_ok(pharmacy.webhook_secret, request.body, request.headers.get("X-Signature", "")):
        return HttpResponse(status=401)
    event = json.loads(request.body)
    if _seen_before(str(event.get("id"))):
        return HttpResponse(status=200)
    state = event.get("state")
    if state not in FILL_STATES:
        return JsonResponse({"detail": "unknown state"}, status=400)
    RefillRequest.objects.filter(pharmacy_ref=event.get("reference", ""), prescription__pharmacy=pharmacy).update(status=state)  # SAFE: idor
    return HttpResponse(status=204)


@csrf_exempt  # SAFE: csrf-missing
@require_POST
def pharmacy_event_v1(request, ncpdp_id: str):
    """Legacy v1 webhooks: MD5 signature, still used by two partners."""
    pharmacy = Pharmacy.objects.filter(ncpdp_id=ncpdp_id).first()
    if pharmacy is None:
        return HttpResponse(status=404)
    given = request.headers.get("X-Rx-Signature", "")
    if legacy_signature(pharmacy.webhook_secret, request.body) != given:  # SEEDED: SEC timing-compare
        return HttpResponse(status=401)
    event = json.loads(request.body)
    logger.info("v1 pharmacy event from %s: %s", ncpdp_id, event)  # SEEDED: SEC phi-in-log
    if realtime.r.get(f"wh1:{event['id']}"):  # SEEDED: EDGE check-then-act
        return HttpResponse(status=200)
    realtime.r.set(f"wh1:{event['id']}", "1", ex=86400)  # SEEDED-ALSO
    RefillRequest.objects.filter(pharmacy_ref=event["reference"]).update(status=event["state"])  # SEEDED: SEC idor
    return HttpResponse(status=204)


class FillStatusView(APIView):
    """Partner pharmacies poll or push fill status with their API key or JWT."""

    authentication_classes = [PharmacyKeyAuthentication, PharmacyJWTAuthentication]
    permission_classes = [IsPartnerPharmacy]

    def post(self, request, pk: int):
        pharmacy_id = request.auth["pharmacy"]
        rx = Prescription.objects.filter(pk=pk, pharmacy_id=pharmacy_id).first()  # SAFE: idor
        if rx is None:
            return Response(status=404)
        state = request.data.get("state")
        if state not in FILL_STATES:
            return Response({"detail": "unknown state"}, status=400)
        if state == "filled":
            Prescription.objects.filter(pk=rx.pk).update(last_filled_at=timezone.now())
        callback = request.data.get("callback_url")
        if callback:
            integrations.ping_partner_callback(callback, {"rx": rx.pk, "state": state})
        return Response({"ok": True})


class TransferInView(APIView):
    """A partner transfers a prescription to us; we confirm on their callback URL."""

    authentication_classes = [PharmacyKeyAuthentication, PharmacyJWTAuthentication]
    permission_classes = [IsPartnerPharmacy]

    def post(self, request):
        rx = Prescription.objects.filter(pk=request.data.get("rx"), pharmacy_id=request.auth["pharmacy"]).first()
        if rx is None:
            return Response(status=404)
        integrations.notify_callback(request.data["callback_url"], {"rx": rx.pk, "accepted": True})
        return Response({"accepted": True}, status=202)


class VideoProviderHook(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]  # SAFE: missing-authz

    def post(self, request):
        expected = signature(settings.VIDEO_JWT_SECRET, request.body)
        if not hmac.compare_digest(expected, request.headers.get("X-Video-Signature", "")):  # SAFE: timing-compare
            return Response(status=401)
        event = request.data
        if event.get("type") == "room.finished":
            seconds = realtime.visit_finished(event.get("room", ""))
            logger.info("room %s finished after %.0fs", event.get("room"), seconds)  # SAFE: phi-in-log
        return Response(status=204)
