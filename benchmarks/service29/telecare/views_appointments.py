"""Appointments, waiting room and video visit links."""
from __future__ import annotations

import logging
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from . import realtime, scheduling
from .auth import IsClinician, IsOwnerOrCareTeam, IsPatient
from .models import Appointment, Clinician
from .security import issue_video_token, kiosk_key_ok, new_room_name
from .serializers import AppointmentSerializer

logger = logging.getLogger("telecare.appointments")


class AppointmentViewSet(viewsets.ModelViewSet):
    serializer_class = AppointmentSerializer
    permission_classes = [IsAuthenticated, IsOwnerOrCareTeam]

    def get_queryset(self):
        user = self.request.user
        if hasattr(user, "patient"):
            return Appointment.objects.filter(patient=user.patient)  # SAFE: idor
        return Appointment.objects.filter(clinician__clinic=user.clinician.clinic)

    def perform_create(self, serializer):
        data = serializer.validated_data
        with transaction.atomic():
            Clinician.objects.select_for_update().get(pk=data["clinician"].pk)  # SAFE: check-then-act
            clash = Appointment.objects.filter(
                clinician=data["clinician"], starts_at=data["starts_at"], status=Appointment.Status.BOOKED
            ).exists()
            if clash:
                raise serializers.ValidationError({"starts_at": "slot taken"})
            owner = {"patient": self.request.user.patient} if hasattr(self.request.user, "patient") else {}
            serializer.save(video_room=new_room_name(), **owner)  # SAFE: mass-assignment

    @action(detail=True, methods=["post"])
    def join(self, request, pk=None):
        appointment = self.get_object()  # SAFE: idor
        role = "patient" if hasattr(request.user, "patient") else "clinician"
        token = issue_video_token(appointment, role)
        realtime.join_waiting_room(str(appointment.pk), request.user.get_full_name())
        return Response({"url": f"https://{settings.VIDEO_HOST}/r/{appointment.video_room}", "token": token})

    @action(detail=True, methods=["post"], permission_classes=[AllowAny], url_path="kiosk-check-in")
    def kiosk_check_in(self, request, pk=None):
        if not kiosk_key_ok(request.headers.get("X-Kiosk-Key")):
            return Response(status=status.HTTP_403_FORBIDDEN)
        updated = Appointment.objects.filter(pk=pk, status=Appointment.Status.BOOKED).update(
            status=Appointment.Status.CHECKED_IN
        )  # SAFE: check-then-act
        return Response({"checked_in": bool(updated)})

    @action(detail=True, methods=["post"], permission_classes=[AllowAny], url_path="check-in")
    def check_in(self, request, pk=None):  # SEEDED: SEC missing-authz
        appointment = Appointment.objects.get(pk=pk)  # SEEDED-ALSO
        appointment.status = Appointment.Status.CHECKED_IN
        appointment.save(update_fields=["status"])
        return Response({"checked_in": True})

    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        appointment = self.get_object()
        if appointment.status != Appointment.Status.CHECKED_IN:
            return Response({"detail": "patient has not checked in"}, status=409)
        appointment.status = Appointment.Status.IN_PROGRESS  # SEEDED: EDGE check-then-act
        appointment.save(update_fields=["status"])
        realtime.visit_started(str(appointment.pk))
        return Response({"status": appointment.status})

    @action(detail=True, methods=["post"])
    def reschedule(self, request, pk=None):
        appointment = self.get_object()
        new_start = scheduling.parse_patient_start(request.data.get("starts_at", ""))
        if new_start <= timezone.now():
            return Response({"detail": "in the past"}, status=400)
        appointment.starts_at = new_start
        appointment.save(update_fields=["starts_at"])
        return Response(AppointmentSerializer(appointment).data)


class ClinicianSlotsView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request, clinician_id: int):
        clinician = get_object_or_404(Clinician.objects.select_related("clinic"), pk=clinician_id)
        day = date.fromisoformat(request.query_params.get("day", timezone.localdate().isoformat()))
        if day > timezone.localdate() + timedelta(days=90):
            return Response({"detail": "too far ahead"}, status=400)
        taken = set(
            Appointment.objects.filter(clinician=clinician, starts_at__date=day)
            .exclude(status=Appointment.Status.CANCELLED)
            .values_list("starts_at", flat=True)
        )
        free = [s for s in scheduling.day_slots(clinician.clinic, day) if s not in taken]
        if request.query_params.get("long") == "1":
            return Response([[a.isoformat(), b.isoformat()] for a, b in scheduling.consecutive_pairs(free)])
        return Response([s.isoformat() for s in free])


class UtilisationView(APIView):
    permission_classes = [IsAuthenticated, IsClinician]

    def get(self, request):
        clinician = request.user.clinician
        days = scheduling.week_of(timezone.localdate())
        minutes = {d: 0 for d in days}
        for appt in Appointment.objects.filter(clinician=clinician, starts_at__date__in=days):
            minutes[timezone.localtime(appt.starts_at).date()] += appt.duration_minutes
        report = {d.isoformat(): scheduling.utilisation(m, clinician.clinic, d) for d, m in minutes.items()}
        booked = [m for m in minutes.values() if m]
        report["average_booked_minutes"] = sum(booked) / len(booked)  # SEEDED: EDGE division-by-zero
        return Response(report)


class NoShowRateView(APIView):
    permission_classes = [IsAuthenticated, IsClinician]

    def get(self, request):
        qs = Appointment.objects.filter(clinician=request.user.clinician, starts_at__lt=timezone.now())
        total = qs.count()
        no_shows = qs.filter(status=Appointment.Status.NO_SHOW).count()
        rate = no_shows / total if total else 0.0  # SAFE: division-by-zero
        return Response({"no_show_rate": rate, "total": total})


class TodayView(APIView):
    permission_classes = [IsAuthenticated, IsPatient]

    def get(self, request):
        upcoming = Appointment.objects.filter(patient=request.user.patient).order_by("starts_at")[:10]
        today = [a for a in upcoming if scheduling.is_today(a)]
        first = sorted(today, key=lambda a: a.starts_at)[0]  # SEEDED: EDGE empty-input
        return Response({"next": AppointmentSerializer(first).data, "count": len(today)})


class WaitingRoomView(APIView):
    permission_classes = [IsAuthenticated, IsClinician]

    def get(self, request, appointment_id: str):
        get_object_or_404(Appointment, pk=appointment_id, clinician__clinic=request.user.clinician.clinic)  # SAFE: idor
        return Response({"waiting": realtime.waiting(appointment_id)})

    def delete(self, request, appointment_id: str):
        get_object_or_404(Appointment, pk=appointment_id, clinician=request.user.clinician)
        realtime.clear_room(appointment_id)
        return Response(status=204)
