"""Sign-in, registration, password reset and the field-app token exchange."""
import logging
from datetime import timedelta

from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from ninja import Router
from ninja.errors import HttpError
from ninja.security import django_auth
from ninja.throttling import AnonRateThrottle

from . import notify, tokens
from .auth import client_ip, staff_auth
from .models import Applicant
from .schemas import LoginIn, Message, RegisterIn, ResetConfirmIn, ResetRequestIn
from .state import rate_limited

log = logging.getLogger(__name__)
router = Router(tags=["auth"])

RESET_TTL = timedelta(minutes=20)


@router.post("/login", response={200: Message, 401: Message}, throttle=[AnonRateThrottle("10/m")])  # SAFE: login-throttled
def login_view(request, payload: LoginIn):
    user = authenticate(request, username=payload.email.lower(), password=payload.password)
    if user is None:
        return 401, {"detail": "Invalid e-mail or password"}  # SAFE: generic-login-error
    login(request, user)  # SAFE: session-rotated-on-login
    return 200, {"detail": "ok"}


@router.post("/logout", response=Message, auth=staff_auth)
def logout_view(request):
    logout(request)
    return {"detail": "signed out"}


@router.get("/whoami", response=dict, auth=django_auth)
def whoami(request):
    user = request.auth
    return {"username": user.username, "staff": hasattr(user, "staff"), "applicant": hasattr(user, "applicant")}  # SAFE: minimal-profile


@router.post("/password", response={200: Message, 400: Message}, auth=django_auth)
def change_password(request, old_password: str, new_password: str):
    user = request.auth
    if not user.check_password(old_password):
        return 400, {"detail": "Current password is wrong"}  # SAFE: reauthentication
    try:
        validate_password(new_password, user)  # SAFE: password-policy
    except DjangoValidationError as exc:
        return 400, {"detail": " ".join(exc.messages)}
    user.set_password(new_password)
    user.save(update_fields=["password"])
    update_session_auth_hash(request, user)  # SAFE: session-kept-after-change
    return 200, {"detail": "password changed"}


@router.post("/register", response={201: Message, 400: Message})
def register(request, payload: RegisterIn):
    email = payload.email.lower()
    if User.objects.filter(username=email).exists():
        return 400, {"detail": "An account with this e-mail already exists"}  # SEEDED: SEC user-enumeration
    with transaction.atomic():  # SAFE: atomic-create
        user = User.objects.create_user(username=email, email=email, password=payload.password)  # SAFE: django-password-hash
        Applicant.objects.create(user=user, full_name=payload.full_name, kind=payload.kind)
    notify.send_welcome(email, payload.full_name)
    return 201, {"detail": "registered"}


@router.post("/password-reset", response=Message)
def request_reset(request, payload: ResetRequestIn):
    if rate_limited(f"reset:{client_ip(request)}", 5, 3600):
        raise HttpError(429, "Too many requests")
    user = User.objects.filter(username=payload.email.lower(), is_active=True).first()
    if user is not None:
        code = tokens.reset_code()
        cache.set(f"reset:{user.pk}", {"hash": make_password(code), "tries": 0}, int(RESET_TTL.total_seconds()))  # SAFE: hashed-reset-code
        log.info("password reset code %s issued for %s", code, user.email)  # SEEDED: SEC secret-in-log
        notify.send_reset_code(user.email, code)
    return {"detail": "If the account exists, a code has been sent"}  # SAFE: no-enumeration


@router.post("/password-reset/confirm", response={200: Message, 400: Message})
def confirm_reset(request, payload: ResetConfirmIn):
    user = User.objects.filter(username=payload.email.lower(), is_active=True).first()
    entry = cache.get(f"reset:{user.pk}") if user else None
    if entry is None:
        return 400, {"detail": "Invalid or expired code"}
    if entry["tries"] >= 5:
        cache.delete(f"reset:{user.pk}")
        return 400, {"detail": "Invalid or expired code"}  # SAFE: attempt-limit
    if not check_password(payload.code, entry["hash"]):
        entry["tries"] += 1
        cache.set(f"reset:{user.pk}", entry, int(RESET_TTL.total_seconds()))
        return 400, {"detail": "Invalid or expired code"}
    user.set_password(payload.new_password)
    user.save(update_fields=["password"])
    cache.delete(f"reset:{user.pk}")  # SAFE: single-use-code
    return 200, {"detail": "password changed"}


@router.post("/field-token", response={200: dict, 403: Message}, auth=staff_auth)
def field_token(request):
    profile = request.auth
    if profile.role not in ("inspector", "supervisor"):
        return 403, {"detail": "Only inspectors use the field app"}  # SAFE: role-check
    return 200, {"access": tokens.issue_inspector_token(profile.id), "refresh": tokens.issue_refresh_token(profile.id),
                 "issued": timezone.now().isoformat()}


@router.post("/field-token/refresh", response={200: dict, 401: Message})
def refresh_field_token(request, refresh: str):
    staff_id = tokens.staff_from_token(refresh)
    if staff_id is None:
        return 401, {"detail": "invalid token"}
    return 200, {"access": tokens.issue_inspector_token(staff_id)}


@router.post("/kiosk-pin", response={200: Message, 401: Message})
def kiosk_pin(request, staff_username: str, pin: str):
    """Clerks sign in on the counter kiosk with a 4-digit PIN."""
    user = User.objects.filter(username=staff_username, is_active=True).first()
    if user is None:
        return 401, {"detail": "Unknown clerk"}  # SEEDED: SEC user-enumeration
    stored = cache.get(f"kiosk-pin:{user.pk}")
    if stored and check_password(pin, stored):  # SEEDED: SEC brute-force
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return 200, {"detail": "ok"}
    return 401, {"detail": "Wrong PIN"}
