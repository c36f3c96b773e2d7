"""Public REST API (Django REST framework)."""
import logging
import traceback
from decimal import Decimal

from rest_framework import status
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny, IsAdminUser, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from helpdesk import auth, billing, clients, db, tasks, uploads
from helpdesk.serializers import CreditSerializer, ExportSerializer, RefundSerializer, TicketSerializer

logger = logging.getLogger(__name__)


class HealthView(APIView):
    permission_classes = [AllowAny]  # SAFE: read-only health check

    def get(self, request):
        return Response({"status": "ok"})


class TicketListView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request):
        limit = int(request.query_params.get("limit", 20))  # SEEDED: EDGE unvalidated-int
        rows = db.search_tickets_sorted(request.query_params.get("q", ""), request.query_params.get("sort", ""))
        return Response([dict(r) for r in rows[:limit]])

    def post(self, request):
        ser = TicketSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        if ser.validated_data.get("callback_url"):
            tasks.notify_callback.delay(ser.validated_data["callback_url"], ser.validated_data["title"])
        return Response(ser.validated_data, status=status.HTTP_201_CREATED)


class TicketDetailView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request, ticket_id: int):
        ticket = db.find_ticket(ticket_id)
        if ticket is None:
            return Response(status=status.HTTP_404_NOT_FOUND)
        return Response(dict(ticket))

    def delete(self, request, ticket_id: int):
        auth.require_scope(request, "tickets:delete")  # SAFE: scope checked before the delete
        db.purge_queue(str(ticket_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class QueuePurgeView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    def post(self, request, queue: str):
        token = request.headers["Authorization"].removeprefix("Bearer ")
        claims = auth.decode_token(token)  # SEEDED: SEC token-presence-as-permission
        logger.warning("queue %s purged by %s", queue, claims["sub"])
        return Response({"purged": db.purge_queue(queue)})


class AgentPromoteView(APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request, agent_id: int):
        if not auth.is_agent(request.auth):
            return Response(status=status.HTTP_403_FORBIDDEN)
        return Response({"promoted": agent_id})


class AttachmentView(APIView):  # SEEDED: SEC missing-authorization

    def delete(self, request, ticket_id: int, name: str):
        uploads.delete_attachment(ticket_id, name)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AttachmentUploadView(APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request, ticket_id: int):
        upload = request.FILES["file"]
        if upload.size > 10 * 1024 * 1024:
            return Response({"error": "too large"}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
        path = uploads.save_attachment_safe(ticket_id, upload)
        return Response({"path": str(path)}, status=status.HTTP_201_CREATED)


class RefundView(APIView):
    permission_classes = [IsAdminUser]

    def post(self, request):
        ser = RefundSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        total = billing.refund_total(ser.validated_data["amount"])
        return Response({"refunded": total})


class CreditView(APIView):
    permission_classes = [IsAdminUser]

    def post(self, request):
        ser = CreditSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        credit = billing.apply_credit(Decimal("0.00"), ser.validated_data["amount"])  # SAFE: Decimal money
        return Response({"credit": str(credit)})


@api_view(["GET"])
@permission_classes([IsAuthenticated])
def export_report(request):
    ser = ExportSerializer(data=request.query_params)
    ser.is_valid(raise_exception=True)
    path = uploads.report_path(ser.validated_data["report_name"])  # SEEDED: SEC length-not-content-path
    return Response({"download": str(path)})


@api_view(["POST"])
@permission_classes([IsAuthenticated])
def set_avatar(request):
    url = request.data.get("avatar_url", "")
    image = clients.fetch_url(url)  # SEEDED: SEC ssrf
    return Response({"bytes": len(image)})


@api_view(["POST"])
@permission_classes([IsAuthenticated])
def import_macros(request):
    macros = tasks.load_macros(request.data.get("yaml", ""))
    return Response({"count": len(macros)})


@api_view(["POST"])
@permission_classes([IsAuthenticated])
def evaluate_sla(request):
    formula = request.data.get("formula", "hours * 1")
    try:
        return Response({"sla": billing.evaluate_formula(formula, {"hours": 4})})
    except Exception as exc:
        return Response({"error": str(exc), "detail": traceback.format_exception(exc)}, status=400)  # SEEDED: SEC stack-trace-in-response


@api_view(["POST"])
def reopen_ticket(request, ticket_id: int):  # SEEDED: SEC missing-authorization
    db.add_comment(ticket_id, "api", "reopened")
    return Response({"reopened": ticket_id})


@api_view(["GET"])
@permission_classes([IsAuthenticated])
def my_email(request):
    profile = clients.crm_profile(request.user)
    return Response({"email": profile["emails"][0]})  # SEEDED: EDGE empty-list
