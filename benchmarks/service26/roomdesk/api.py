"""JSON API (django-ninja): bookings, rooms, availability, webhooks, partners, admin."""
import asyncio
import json
import logging
import secrets
import time
import traceback
from datetime import datetime, timedelta, timezone as dt_timezone

import httpx
import jwt
import requests
from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.db import transaction
from django.db.models import F
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import File, NinjaAPI, Query, Router, UploadedFile
from ninja.errors import HttpError, ValidationError

from . import files, integrations, pricing, reports, tokens
from .auth import (AdminJWTAuth, JWTAuth, KioskAuth, LegacyPartnerAuth, PartnerAuth, ScopedJWTAuth, ServiceKeyAuth, SsoAuth,
                   StaffJWTAuth, UserApiKeyAuth, set_guest_pin)
from .models import Booking, Room, Venue, WebhookEndpoint
from .schemas import (BookingIn, BookingOut, BookingPatch, CallbackIn, ImportIn, PageParams, ProfileIn, QuoteOut, RefundIn,
                      SearchParams, TokenIn, WebhookIn)
from .tasks import render_badge

logger = logging.getLogger(__name__)

api = NinjaAPI(title="RoomDesk API", version="1.4", urls_namespace="api")
jwt_auth = JWTAuth()

_background: set[asyncio.Task] = set()


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    return api.create_response(request, {"detail": exc.errors}, status=422)  # SAFE: stack-trace


@api.exception_handler(Exception)
def on_error(request, exc: Exception):
    logger.exception("api error")
    return api.create_response(request, {"detail": str(exc), "trace": traceback.format_exc()}, status=500)  # SEEDED: SEC stack-trace


# --- auth -----------------------------------------------------------------------------------------

auth_router = Router(tags=["auth"])


@auth_router.post("/token", auth=None)  # SAFE: missing-authz
def issue_token(request, body: TokenIn):
    user = authenticate(request, username=body.username, password=body.password)
    if user is None:
        logger.warning("failed token request for %s", body.username)  # SAFE: secret-in-log
        raise HttpError(401, "invalid credentials")
    now = datetime.now(dt_timezone.utc)
    claims = {"sub": str(user.pk), "aud": settings.JWT_AUDIENCE, "iat": now, "exp": now + timedelta(hours=1)}
    return {"access_token": jwt.encode(claims, settings.JWT_SECRET, algorithm="HS256"), "token_type": "bearer"}  # SAFE: token-no-expiry


@auth_router.post("/integration-token", auth=jwt_auth)
def issue_integration_token(request):
    claims = {"sub": str(request.auth.pk), "aud": settings.JWT_AUDIENCE, "scope": "bookings:read bookings:write"}
    token = jwt.encode(claims, settings.JWT_SECRET, algorithm="HS256")  # SEEDED: SEC token-no-expiry
    logger.info("issued integration token %s for user %s", token, request.auth.pk)  # SEEDED: SEC secret-in-log
    return {"access_token": token}


@auth_router.post("/profile", auth=jwt_auth)
def update_profile(request):
    user = request.auth
    for key, value in json.loads(request.body).items():
        setattr(user, key, value)  # SEEDED: SEC mass-assignment
    user.save()
    return {"ok": True}


@auth_router.put("/profile", auth=jwt_auth)
def replace_profile(request, body: ProfileIn):
    user = request.auth
    for key, value in body.model_dump().items():
        setattr(user, key, value)  # SAFE: mass-assignment
    user.save(update_fields=["first_name", "last_name", "email"])
    return {"ok": True}


@auth_router.post("/profile/avatar", auth=jwt_auth)
def set_avatar(request, url: str):
    data = integrations.fetch_avatar(url)
    path = files.IMPORT_DIR / "avatars" / f"{request.auth.pk}.img"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return {"bytes": len(data)}


@auth_router.post("/profile/avatar/v2", auth=jwt_auth)
def set_avatar_v2(request, url: str):
    data = integrations.fetch_avatar_checked(url)
    path = files.IMPORT_DIR / "avatars" / f"{request.auth.pk}.img"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return {"bytes": len(data)}


@auth_router.post("/password-reset/confirm", auth=None)  # SAFE: missing-authz
def confirm_password_reset(request, token: str, new_password: str):
    data = tokens.read_password_reset(token)
    user = get_object_or_404(get_user_model(), pk=data["uid"])
    user.set_password(new_password)
    user.save(update_fields=["password"])
    return {"ok": True}


# --- bookings -------------------------------------------------------------------------------------

bookings = Router(tags=["bookings"])


@bookings.get("/", auth=jwt_auth, response=list[BookingOut])
def list_bookings(request, page: Query[PageParams]):
    qs = Booking.objects.filter(owner=request.auth).order_by("-start")
    return qs[page.offset:page.offset + page.limit]


@bookings.get("/search", auth=jwt_auth, response=list[BookingOut])
def search_bookings(request, params: Query[SearchParams]):
    qs = Booking.objects.filter(owner=request.auth, title__icontains=params.q)
    if params.status:
        qs = qs.filter(status=params.status)
    return qs[:params.limit]


@bookings.post("/", auth=jwt_auth, response={201: BookingOut})
def create_booking(request, body: BookingIn):
    room = get_object_or_404(Room, pk=body.room_id, is_active=True)
    with transaction.atomic():
        Room.objects.select_for_update().get(pk=room.pk)
        taken = Booking.objects.filter(room=room, start__lt=body.end, end__gt=body.start).exclude(status="cancelled")
        if taken.exists():  # SAFE: check-then-act
            raise HttpError(409, "room is already booked")
        booking = Booking.objects.create(owner=request.auth, room=room, title=body.title, notes=body.notes,
                                         start=body.start, end=body.end, guests=body.guests,
                                         total=pricing.price_with_rules(room, body.start, body.end, body.guests))
        Room.objects.filter(pk=room.pk).update(booked_count=F("booked_count") + 1)  # SAFE: read-modify-write
    return 201, booking


@bookings.get("/{booking_id}", auth=jwt_auth, response=BookingOut)
def get_booking(request, booking_id: int):
    return get_object_or_404(Booking, pk=booking_id, owner=request.auth)  # SAFE: idor


@bookings.patch("/{booking_id}", auth=jwt_auth, response=BookingOut)
def patch_booking(request, booking_id: int, body: BookingPatch):
    booking = get_object_or_404(Booking, pk=booking_id, owner=request.auth)
    for key, value in body.model_dump(exclude_unset=True).items():
        setattr(booking, key, value)  # SAFE: mass-assignment
    booking.save()
    return booking


@bookings.delete("/{booking_id}", response={204: None})  # SEEDED: SEC missing-authz
def delete_booking(request, booking_id: int):
    Booking.objects.filter(pk=booking_id).delete()
    return 204, None


@bookings.post("/{booking_id}/guests", auth=jwt_auth)
def add_guest(request, booking_id: int, name: str, email: str, pin: str = ""):
    booking = get_object_or_404(Booking, pk=booking_id, owner=request.auth)
    booking.guests = booking.guests + 1  # SEEDED: EDGE read-modify-write
    booking.save(update_fields=["guests"])  # SEEDED-ALSO
    guest = booking.guest_list.create(name=name[:120], email=email)
    if pin:
        set_guest_pin(guest, pin)
    render_badge.send(guest.name, booking.pk)
    return {"guests": booking.guests}


@bookings.get("/export.csv", auth=UserApiKeyAuth())
def export_bookings_csv(request):
    rows = [{"id": b.pk, "title": b.title, "room": b.room.name, "total": b.total}
            for b in Booking.objects.filter(owner=request.auth).select_related("room")[:5000]]
    return HttpResponse(files.write_booking_csv(rows), content_type="text/csv")


@bookings.get("/{booking_id}/guests.csv", auth=jwt_auth)
def export_guests_csv(request, booking_id: int):
    booking = get_object_or_404(Booking, pk=booking_id, owner=request.auth)
    rows = list(booking.guest_list.values("name", "email", "company"))
    return HttpResponse(files.write_guest_csv(rows), content_type="text/csv")


@bookings.post("/{booking_id}/callback", auth=jwt_auth)
def register_callback(request, booking_id: int, body: CallbackIn):
    get_object_or_404(Booking, pk=booking_id, owner=request.auth)
    status = integrations.ping_callback(body.callback_url, booking_id)
    return {"callback_status": status}


@bookings.post("/{booking_id}/refund", auth=jwt_auth)
def refund(request, booking_id: int, body: RefundIn):
    booking = get_object_or_404(Booking, pk=booking_id, owner=request.auth)
    cents = int(body.amount * 100)
    if cents > booking.total * 100:
        raise HttpError(400, "refund exceeds total")
    return integrations.PaymentsClient().refund(booking.confirmation_code, cents)


@bookings.get("/{booking_id}/quote", auth=jwt_auth, response=QuoteOut)
def booking_quote(request, booking_id: int):
    booking = get_object_or_404(Booking, pk=booking_id, owner=request.auth)
    return pricing.quote(booking.room, booking.start, booking.end)


@bookings.get("/{booking_id}/split", auth=jwt_auth)
def split_cost(request, booking_id: int, people: int = 0):
    booking = get_object_or_404(Booking, pk=booking_id, owner=request.auth)
    return {"each": str(pricing.split_between(booking.total, people or booking.guests))}


# --- rooms and availability (async) ---------------------------------------------------------------

rooms = Router(tags=["rooms"])


@rooms.get("/", auth=jwt_auth)
def list_rooms(request, venue_id: int):
    return [{"id": r.id, "name": r.name} for r in tokens.pick_display_order(list(Room.objects.filter(venue_id=venue_id)))]


@rooms.get("/by-ids", auth=jwt_auth)
def rooms_by_ids(request, ids: str):
    return reports.bookings_by_ids(ids.split(","))


@rooms.get("/{room_id}/availability", auth=jwt_auth)
async def availability(request, room_id: int, day: str):
    room = await Room.objects.aget(pk=room_id)
    resp = requests.get(f"{settings.CHANNEL_MANAGER_URL}/rooms/{room.pk}/blocked", params={"day": day}, timeout=5)  # SEEDED: EDGE blocking-in-async
    blocked = resp.json().get("slots", [])
    busy = [b async for b in Booking.objects.filter(room_id=room_id, start__date=day).values("start", "end")]
    return {"room": room.name, "busy": busy, "blocked": blocked}


@rooms.get("/{room_id}/availability/v2", auth=jwt_auth)
async def availability_v2(request, room_id: int, day: str):
    room = await Room.objects.aget(pk=room_id)
    async with httpx.AsyncClient(timeout=5.0) as client:
        resp = await client.get(f"{settings.CHANNEL_MANAGER_URL}/rooms/{room.pk}/blocked", params={"day": day})  # SAFE: blocking-in-async
    blocked = resp.json().get("slots", [])
    return {"room": room.name, "blocked": blocked}


@rooms.post("/{room_id}/hold", auth=jwt_auth)
async def hold_room(request, room_id: int, minutes: int = 15):
    room = await Room.objects.aget(pk=room_id)
    asyncio.create_task(_release_later(room.pk, minutes))  # SEEDED: EDGE task-reference
    return {"held": room.pk, "minutes": minutes}


@rooms.post("/{room_id}/hold/v2", auth=jwt_auth)
async def hold_room_v2(request, room_id: int, minutes: int = 15):
    room = await Room.objects.aget(pk=room_id)
    task = asyncio.create_task(_release_later(room.pk, min(minutes, 60)))  # SAFE: task-reference
    _background.add(task)
    task.add_done_callback(_background.discard)
    return {"held": room.pk}


async def _release_later(room_id: int, minutes: int) -> None:
    await asyncio.sleep(minutes * 60)  # SAFE: blocking-in-async
    logger.info("hold on room %s released", room_id)


@rooms.get("/{room_id}/sync", auth=jwt_auth)
async def sync_room(request, room_id: int):
    for _ in range(3):
        resp = await sync_to_async(integrations.lookup_company)("roomdesk.io")
        if resp:
            break
        time.sleep(1)  # SEEDED: EDGE blocking-in-async
    summary = await reports.venue_summary(room_id)
    plan = await asyncio.to_thread(_read_plan_index, room_id)  # SAFE: blocking-in-async
    return {"summary": summary, "plan": plan}


def _read_plan_index(room_id: int) -> list[str]:
    from .files import PLAN_DIR

    return sorted(p.name for p in (PLAN_DIR / str(room_id)).glob("*"))


# --- uploads and imports -------------------------------------------------------------------------

uploads = Router(tags=["uploads"], auth=jwt_auth)


@uploads.post("/rooms/{room_id}/floor-plan")
def upload_floor_plan(request, room_id: int, file: UploadedFile = File(...)):
    room = get_object_or_404(Room, pk=room_id, venue__manager=request.auth)
    path = files.save_floor_plan(room.pk, file)
    Room.objects.filter(pk=room.pk).update(floor_plan=str(path))
    return {"path": path.name}


@uploads.post("/rooms/{room_id}/floor-plan/v2")
def upload_floor_plan_v2(request, room_id: int, file: UploadedFile = File(...)):
    room = get_object_or_404(Room, pk=room_id, venue__manager=request.auth)
    path = files.save_floor_plan_safe(room.pk, file)
    Room.objects.filter(pk=room.pk).update(floor_plan=str(path))
    return {"path": path.name}


@uploads.delete("/rooms/{room_id}/floor-plan/{filename}")
def delete_floor_plan(request, room_id: int, filename: str):
    room = get_object_or_404(Room, pk=room_id, venue__manager=request.auth)
    files.remove_plan(room.pk, filename)
    return {"ok": True}


@uploads.post("/bookings/{booking_id}/attachments")
def upload_attachment(request, booking_id: int, file: UploadedFile = File(...)):
    booking = get_object_or_404(Booking, pk=booking_id, owner=request.auth)
    return {"stored": files.save_attachment(booking.pk, file).name}


@uploads.post("/venues/{venue_id}/rooms-archive")
def upload_rooms_archive(request, venue_id: int, file: UploadedFile = File(...)):
    get_object_or_404(Venue, pk=venue_id, manager=request.auth)
    return {"files": files.import_room_archive(venue_id, file)}


@uploads.post("/venues/{venue_id}/config")
def upload_venue_config(request, venue_id: int, file: UploadedFile = File(...)):
    get_object_or_404(Venue, pk=venue_id, manager=request.auth)
    return files.load_venue_config(file)


@uploads.post("/venues/{venue_id}/room-feed")
def upload_room_feed(request, venue_id: int, file: UploadedFile = File(...)):
    get_object_or_404(Venue, pk=venue_id, manager=request.auth)
    if file.size > 5 * 1024 * 1024:
        raise HttpError(413, "feed too large")
    return {"rooms": files.parse_room_feed(file.read())}  # SAFE: unbounded-read


@uploads.post("/rooms/{room_id}/calendar")
def import_calendar(request, room_id: int, body: ImportIn):
    get_object_or_404(Room, pk=room_id, venue__manager=request.auth)
    ics = integrations.fetch_calendar(body.calendar_url)
    return {"events": ics.count("BEGIN:VEVENT")}


@uploads.post("/rooms/{room_id}/calendar/v2")
def import_calendar_v2(request, room_id: int, body: ImportIn):
    get_object_or_404(Room, pk=room_id, venue__manager=request.auth)
    ics = integrations.fetch_calendar_checked(body.calendar_url)
    return {"events": ics.count("BEGIN:VEVENT")}


# --- webhooks -------------------------------------------------------------------------------------

hooks = Router(tags=["webhooks"])


@hooks.post("/", auth=jwt_auth)
def register_webhook(request, body: WebhookIn):
    hook = WebhookEndpoint.objects.create(owner=request.auth, url=str(body.url), secret=secrets.token_hex(16))
    integrations.send_webhook(hook.url, hook.secret, {"type": "ping"})  # SAFE: ssrf
    return {"id": hook.pk}


@hooks.post("/{hook_id}/test", auth=jwt_auth)
def test_webhook(request, hook_id: int):
    hook = get_object_or_404(WebhookEndpoint, pk=hook_id, owner=request.auth)
    booking = Booking.objects.filter(owner=request.auth).first()
    message = hook.template.format(booking=booking)  # SEEDED: SEC format-string-injection
    return {"status": integrations.send_webhook(hook.url, hook.secret, {"type": "test", "text": message})}


@hooks.post("/{hook_id}/preview", auth=jwt_auth)
def preview_webhook(request, hook_id: int):
    hook = get_object_or_404(WebhookEndpoint, pk=hook_id, owner=request.auth)
    return {"text": "Booking {id} is {status}".format(id=hook.pk, status="confirmed")}  # SAFE: format-string-injection


# --- partners and staff ---------------------------------------------------------------------------

partners = Router(tags=["partners"])


@partners.post("/reservations", auth=PartnerAuth())
def partner_reservation(request, body: BookingIn):
    room = get_object_or_404(Room, pk=body.room_id, is_active=True)
    return {"room": room.pk, "status": "received"}


@partners.post("/legacy/reservations", auth=LegacyPartnerAuth())
def legacy_partner_reservation(request, body: BookingIn):
    room = get_object_or_404(Room, pk=body.room_id, is_active=True)
    return {"room": room.pk, "status": "received"}


@partners.post("/kiosk/checkin/{booking_id}", auth=KioskAuth())
def kiosk_checkin(request, booking_id: int, code: str):
    booking = get_object_or_404(Booking, pk=booking_id, confirmation_code=code)
    booking.status = Booking.Status.CONFIRMED
    booking.save(update_fields=["status"])
    return {"ok": True}


@partners.post("/integrations/bookings", auth=ScopedJWTAuth("bookings:write"))
def integration_booking(request, body: BookingIn):
    return create_booking(request, body)


@partners.post("/sso/bookings/{booking_id}/confirm", auth=SsoAuth())
def sso_confirm(request, booking_id: int):
    Booking.objects.filter(pk=booking_id, owner=request.auth).update(status="confirmed")
    return {"ok": True}


@partners.post("/front-desk/checkin/{booking_id}", auth=StaffJWTAuth())
def front_desk_checkin(request, booking_id: int):
    Booking.objects.filter(pk=booking_id).update(status="confirmed")
    return {"ok": True}


# --- admin ----------------------------------------------------------------------------------------

admin = Router(tags=["admin"], auth=AdminJWTAuth())


@admin.post("/rooms/{room_id}/deactivate")
def deactivate_room(request, room_id: int):
    Room.objects.filter(pk=room_id).update(is_active=False)
    return {"ok": True}


@admin.post("/sql")
def admin_sql(request, statement: str):
    return {"rows": reports.run_admin_sql(statement)}


@admin.get("/reports/occupancy/{venue_id}")
def admin_occupancy(request, venue_id: int, sort: str = "revenue"):
    return reports.occupancy_by_room_safe(venue_id, sort)


@admin.get("/reports/status")
def admin_status(request, status: str):
    return reports.bookings_with_status(status)


@admin.get("/reports/guests")
def admin_guest_search(request, q: str):
    return reports.search_guests(q)


@admin.get("/reports/between")
def admin_between(request, venue: str, start: str, end: str):
    return reports.bookings_between(venue, datetime.fromisoformat(start).date(), datetime.fromisoformat(end).date())


@admin.get("/internal/stats", auth=ServiceKeyAuth())
def internal_stats(request):
    from .middleware import stats_snapshot

    return stats_snapshot()


api.add_router("/auth", auth_router)
api.add_router("/bookings", bookings)
api.add_router("/rooms", rooms)
api.add_router("/uploads", uploads)
api.add_router("/webhooks", hooks)
api.add_router("/partners", partners)
api.add_router("/admin", admin)
