"""SEC023 missing authorization across frameworks (issue #20 item 3): Django function views and
class-based views with access mixins, flask class-based views registered on a blueprint,
django-ninja ``auth=`` on a route, a router or the API, a login where the siblings require a
role, and an access decorator named for a role that checks only a login.  Lines marked ``# !``
must carry a SEC023 finding; every other line must not (the look-alikes a careful reviewer
accepts)."""

from __future__ import annotations

import pytest

import authorization_litestar_cases as litestar
from test_review_rules import flagged, marked

DJANGO = """
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.admin.views.decorators import staff_member_required
from django.views.decorators.http import require_GET, require_POST, require_http_methods
from django.http import JsonResponse
"""

CBV = """
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.views import View
from django.views.generic import DetailView, UpdateView
from django.http import JsonResponse
"""

NINJA = """
from ninja import NinjaAPI, Router
api = NinjaAPI()
"""

# a blueprint whose write routes require a role (a home-made `roles_required`, service30)
PAYROLL = """
from flask import Blueprint
from flask_login import login_required
from .auth import roles_required
bp = Blueprint("payroll", __name__)

@bp.post("/runs")
@login_required
@roles_required("admin", "payroll")
def create_run():
    db_session.commit()

@bp.post("/runs/<int:run_id>/approve")
@login_required
@roles_required("admin")
def approve_run(run_id):
    db_session.commit()

@bp.post("/runs/<int:run_id>/reopen")
@login_required
@roles_required("admin")
def reopen_run(run_id):
    db_session.commit()
"""

POSITIVE = [
    # a Django function view that deletes, among guarded siblings (`require_POST` is no guard)
    DJANGO + """
@login_required
@require_GET
def listing(request): ...

@staff_member_required
@require_POST
def archive(request):
    Booking.objects.filter(old=True).update(archived=True)

@permission_required("app.change_room")
@require_http_methods(["POST"])
def rename(request, pk):
    Room.objects.filter(pk=pk).update(name=request.POST["name"])

@require_POST
def purge(request):  # !
    Booking.objects.filter(status="cancelled").delete()
""",
    # a class-based view without the mixin its siblings have, and an UpdateView whose inherited post saves
    CBV + """
class ListBookings(LoginRequiredMixin, View):
    def get(self, request): ...

class ShowBooking(LoginRequiredMixin, DetailView):
    model = Booking

class CreateBooking(LoginRequiredMixin, View):
    def post(self, request):
        Booking.objects.create(owner=request.user)

class RenameBooking(LoginRequiredMixin, View):
    def post(self, request, pk):
        Booking.objects.filter(pk=pk, owner=request.user).update(title="x")

class ShowRoom(LoginRequiredMixin, DetailView):
    model = Room

class CancelBooking(View):  # !
    def post(self, request, pk):
        booking = get_object_or_404(Booking, pk=pk)
        booking.status = "cancelled"
        booking.save()

class EditRoom(UpdateView):  # !
    model = Room
    fields = ["name"]

class ApproveBooking(View):  # !
    def get(self, request, pk):
        Booking.objects.filter(pk=pk).delete()
""",
    # a flask MethodView registered on a blueprint whose routes are guarded
    """
from flask import Blueprint
from flask.views import MethodView
from flask_login import login_required
bp = Blueprint("reports", __name__)

@bp.get("/a")
@login_required
def a(): ...

@bp.get("/b")
@login_required
def b(): ...

@bp.post("/c")
@login_required
def c():
    db.session.commit()

class ItemAPI(MethodView):  # !
    def get(self, i): ...

    def delete(self, i):
        db.session.delete(db.session.get(Item, i))
        db.session.commit()

bp.add_url_rule("/items/<int:i>", view_func=ItemAPI.as_view("item"))
""",
    # django-ninja: the route without `auth=` among routes that have it
    NINJA + """
bookings = Router()

@bookings.get("/", auth=jwt_auth)
def list_bookings(request): ...

@bookings.get("/{i}", auth=jwt_auth)
def get_booking(request, i: int): ...

@bookings.patch("/{i}", auth=jwt_auth)
def patch_booking(request, i: int):
    Booking.objects.filter(pk=i).update(title="x")

@bookings.delete("/{i}")
def delete_booking(request, i: int):  # !
    Booking.objects.filter(pk=i).delete()

api.add_router("/bookings", bookings)
""",
    # a login where every sibling requires a role
    """
from flask import Blueprint
from flask_login import login_required
from .auth import admin_required
bp = Blueprint("ops", __name__)

@bp.post("/restart/v2")
@admin_required
def restart_v2():
    subprocess.run(["systemctl", "restart", "web"])

@bp.post("/dump")
@admin_required
def dump():
    subprocess.run(["pg_dump", "db"])

@bp.get("/logs")
@admin_required
def logs(): ...

@bp.post("/restart")
@login_required
def restart():  # !
    client.exec_command("sudo systemctl restart web")
""",
    # a login among role-guarded siblings, queueing work for an RQ worker (the job is the write)
    PAYROLL + """

@bp.post("/runs/<int:run_id>/bank-file")
@login_required
def resend_bank_file(run_id):  # !
    job = jobs.queue.enqueue(jobs.retry_bank_file, run_id)
    return {"job": job.id}
""",
    # a tenant's scope is no role: the company is the user's, any employee of it may delete it (service30)
    PAYROLL + """

@bp.post("/companies/<int:company_id>/delete")
@login_required
def delete_company(company_id):  # !
    if company_id != current_user.company_id:
        abort(404)
    db_session.delete(db_session.get(Company, company_id))
    db_session.commit()
""",
    # the same in a Django view: the clinic is the user's, the role is not checked
    DJANGO + """
@permission_required("clinics.change_clinic")
@require_POST
def rename_clinic(request, pk):
    Clinic.objects.filter(pk=pk).update(name=request.POST["name"])

@permission_required("clinics.change_clinic")
@require_POST
def move_clinic(request, pk):
    Clinic.objects.filter(pk=pk).update(city=request.POST["city"])

@permission_required("clinics.delete_room")
@require_POST
def delete_room(request, pk):
    Room.objects.filter(pk=pk).delete()

@login_required
@require_POST
def close_clinic(request, pk):  # !
    clinic = get_object_or_404(Clinic, pk=pk, id=request.user.clinic.id)
    clinic.delete()
""",
    # a row's status changed under a mere login among role-guarded siblings: no health check
    """
from flask import Blueprint
from flask_login import login_required
from .auth import staff_required
bp = Blueprint("rx", __name__)

@bp.post("/prescriptions")
@staff_required
def prescribe():
    db.session.commit()

@bp.post("/prescriptions/<int:i>/renew")
@staff_required
def renew(i):
    db.session.commit()

@bp.delete("/prescriptions/<int:i>")
@staff_required
def discontinue(i):
    db.session.commit()

@bp.patch("/prescriptions/<int:i>/status")
@login_required
def set_status(i):  # !
    db.session.commit()
""",
    # a DRF APIView named for the status it changes, among views that require a role
    """
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView
from .permissions import IsClinician

@api_view(["POST"])
@permission_classes([IsAuthenticated, IsClinician])
def bulk_discontinue(request):
    Prescription.objects.filter(pk__in=request.data["ids"]).update(status="discontinued")

@api_view(["POST"])
@permission_classes([IsAuthenticated, IsClinician])
def prune_refills(request):
    RefillRequest.objects.filter(status="duplicate").delete()

@api_view(["GET"])
@permission_classes([IsAuthenticated, IsClinician])
def refill_queue(request): ...

class PrescriptionStatusView(APIView):
    permission_classes = [IsAuthenticated]

    def patch(self, request, pk):  # !
        rx = Prescription.objects.get(pk=pk)
        rx.status = request.data["status"]
        rx.save()
""",
    # a decorator named for staff that lets every signed-in user through
    """
from functools import wraps
from django.http import JsonResponse

def staff_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:  # !
            return JsonResponse({"detail": "login required"}, status=401)
        return view(request, *args, **kwargs)
    return wrapper
""",
]

NEGATIVE = [
    # Django function views: checked in the body, read-only, public by purpose, DRF's default
    # permissions, a helper that takes the request (no view decorator)
    DJANGO + """
from rest_framework.decorators import api_view

@login_required
@require_GET
def listing(request): ...

@staff_member_required
@require_POST
def archive(request):
    Booking.objects.filter(old=True).update(archived=True)

@permission_required("app.change_room")
@require_POST
def rename(request, pk):
    Room.objects.filter(pk=pk).update(name=request.POST["name"])

@require_POST
def purge(request):
    if not request.user.has_perm("app.delete_booking"):
        raise PermissionDenied
    Booking.objects.filter(status="cancelled").delete()

@require_GET
def status_page(request):
    return JsonResponse({"rooms": Room.objects.count()})

@require_POST
def stripe_webhook(request):
    Invoice.objects.filter(number=1).update(paid=True)

@api_view(["POST"])
def create_note(request):
    Note.objects.create(text=request.data["text"])

def _save_prefs(request, prefs):
    Prefs.objects.filter(user=request.user).update(**prefs)
""",
    # class-based views: a mixin of the project's own (may check access), `method_decorator`
    # guards, a webhook, a login view
    CBV + """
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from .mixins import EventMixin

class ListBookings(LoginRequiredMixin, View):
    def get(self, request): ...

class ShowBooking(LoginRequiredMixin, DetailView):
    model = Booking

class CreateBooking(LoginRequiredMixin, View):
    def post(self, request):
        Booking.objects.create(owner=request.user)

class CancelBooking(EventMixin, View):
    def post(self, request, pk):
        Booking.objects.filter(pk=pk).delete()

@method_decorator(login_required, name="dispatch")
class RenameBooking(View):
    def post(self, request, pk):
        Booking.objects.filter(pk=pk).update(title="x")

@method_decorator(csrf_exempt, name="dispatch")
class PaymentWebhookView(View):
    def post(self, request):
        Invoice.objects.filter(number=1).update(paid=True)

class LoginView(View):
    def post(self, request):
        login(request, authenticate(request))
        request.session.save()
""",
    # django-ninja: `auth=None` is public on purpose; a router, a mount or the API guards all
    NINJA + """
bookings = Router()

@bookings.get("/", auth=jwt_auth)
def list_bookings(request): ...

@bookings.get("/{i}", auth=jwt_auth)
def get_booking(request, i: int): ...

@bookings.patch("/{i}", auth=jwt_auth)
def patch_booking(request, i: int):
    Booking.objects.filter(pk=i).update(title="x")

@bookings.post("/claim", auth=None)
def claim_booking(request, code: str):
    Booking.objects.filter(code=code).update(claimed=True)

guarded = Router(auth=jwt_auth)

@guarded.get("/a", auth=jwt_auth)
def a(request): ...

@guarded.get("/b", auth=jwt_auth)
def b(request): ...

@guarded.get("/c", auth=jwt_auth)
def c(request): ...

@guarded.delete("/d")
def d(request, i: int):
    Booking.objects.filter(pk=i).delete()

mounted = Router()

@mounted.get("/a", auth=jwt_auth)
def ma(request): ...

@mounted.get("/b", auth=jwt_auth)
def mb(request): ...

@mounted.get("/c", auth=jwt_auth)
def mc(request): ...

@mounted.delete("/d")
def md(request, i: int):
    Booking.objects.filter(pk=i).delete()

api.add_router("/m", mounted, auth=jwt_auth)
""",
    NINJA.replace("NinjaAPI()", "NinjaAPI(auth=jwt_auth)") + """
r = Router()

@r.get("/a", auth=key_auth)
def a(request): ...

@r.get("/b", auth=key_auth)
def b(request): ...

@r.get("/c", auth=key_auth)
def c(request): ...

@r.delete("/d")
def d(request, i: int):
    Booking.objects.filter(pk=i).delete()
""",
    # FastAPI: the router is mounted with the dependency
    """
from fastapi import APIRouter, Depends, FastAPI
app = FastAPI()
router = APIRouter()

@router.get("/a")
def a(user=Depends(get_current_user)): ...

@router.get("/b")
def b(user=Depends(get_current_user)): ...

@router.put("/c")
def c(user=Depends(get_current_user)):
    db.commit()

@router.delete("/d")
def d(i: int):
    db.delete(i)

app.include_router(router, dependencies=[Depends(get_current_user)])
""",
    # a login among role-guarded siblings: a read, the user's own profile
    """
from flask import Blueprint
from flask_login import login_required
from .auth import admin_required
bp = Blueprint("admin", __name__)

@bp.post("/users/<int:i>/role")
@admin_required
def set_role(i):
    db.session.commit()

@bp.post("/teams/<int:i>")
@admin_required
def set_team(i):
    db.session.commit()

@bp.get("/audit")
@admin_required
def audit(): ...

@bp.get("/me")
@login_required
def me(): ...

@bp.post("/profile")
@login_required
def update_profile():
    db.session.commit()
""",
    # a login among role-guarded siblings, queueing work for the user's own account (self-service)
    PAYROLL + """

@bp.post("/me/payslips/export")
@login_required
def export_my_payslips():
    queue.enqueue(export_payslips, current_user.id)

@bp.get("/runs/<int:run_id>/status")
@login_required
def run_status(run_id):
    return {"queued": len(queue)}
""",
    # a tenant's scope beside a check of the role, the user's own row, or a refusal (401/403) that may
    # follow a check vetpy does not read: not a mere login
    PAYROLL + """

@bp.post("/companies/<int:company_id>/delete")
@login_required
def delete_company(company_id):
    if company_id != current_user.company_id or current_user.role != "admin":
        abort(404)
    db_session.commit()

@bp.post("/companies/<int:company_id>/archive")
@login_required
def archive_company(company_id):
    if company_id != current_user.company_id or not can_archive(company_id):
        abort(403)
    db_session.commit()

@bp.post("/drafts/<int:draft_id>/delete")
@login_required
def delete_draft(draft_id):
    draft = db_session.get(Draft, draft_id)
    if draft.company_id != current_user.company_id or draft.author_id != current_user.id:
        abort(404)
    db_session.delete(draft)
    db_session.commit()
""",
    # a status endpoint that receives a probe's or a provider's POST, public among guarded writers
    """
from flask import Blueprint
from flask_login import login_required
bp = Blueprint("sms", __name__)

@bp.post("/messages")
@login_required
def send():
    db.session.commit()

@bp.post("/messages/<int:i>/retry")
@login_required
def retry(i):
    db.session.commit()

@bp.delete("/messages/<int:i>")
@login_required
def delete(i):
    db.session.commit()

@bp.post("/sms/status")
def delivery_status():
    Message.query.filter_by(sid=request.form["MessageSid"]).update({"state": request.form["MessageStatus"]})
    db.session.commit()
""",
    # access decorators that check the role, or call a helper that may, or promise only a login
    """
from functools import wraps

def staff_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated or not request.user.is_staff:
            return HttpResponseForbidden()
        return view(request, *args, **kwargs)
    return wrapper

def admin_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.path)
        check_access(request)
        return view(request, *args, **kwargs)
    return wrapper

def member_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.path)
        return view(request, *args, **kwargs)
    return wrapper
""",
]


POSITIVE += litestar.POSITIVE
NEGATIVE += litestar.NEGATIVE


@pytest.mark.parametrize("src", POSITIVE)
def test_flags_marked_lines(src: str) -> None:
    assert marked(src), "positive case without a # ! marker"
    assert flagged(src, "SEC023") == marked(src)


@pytest.mark.parametrize("src", NEGATIVE)
def test_accepts_look_alikes(src: str) -> None:
    assert flagged(src, "SEC023") == []


def test_django_ninja_routes_are_judged_only_beside_their_api() -> None:
    """Routes without ``auth=`` inherit the API's ``auth=``: with ``NinjaAPI(...)`` built in
    another module that is unknown, and nothing is reported."""
    src = POSITIVE[3]
    assert flagged(src, "SEC023") == marked(src)
    elsewhere = src.replace("api = NinjaAPI()", "from .api import api")
    assert flagged(elsewhere, "SEC023") == []


def test_an_unguarded_router_in_the_module_keeps_its_own_handlers_apart() -> None:
    """Two routers of one module are two groups: a guarded router's handlers are not the siblings
    of another router's unguarded ones."""
    src = litestar.POSITIVE[0] + """
@post("/x", guards=[auth.admin_guard])
async def x() -> None: ...

other = Router(path="/other", route_handlers=[x])
"""
    assert flagged(src, "SEC023") == marked(src)


def test_a_tenant_check_edited_into_a_role_check_in_the_editor() -> None:
    """Whether a route's body checks only the tenant decides its own finding: the editor's analysis
    of each edit equals a whole analysis (the route's guard is a whole-file fact)."""
    from vetpy.context import AnalysisContext
    from vetpy.document import Document
    from vetpy.engine import analyze
    from vetpy.incremental import IncrementalAnalyzer

    ctx = AnalysisContext.bare(select=["SEC023"])
    path = "/project/app/admin.py"
    base = PAYROLL + """

@bp.post("/companies/<int:company_id>/delete")
@login_required
def delete_company(company_id):
    if company_id != current_user.company_id:
        abort(404)
    db_session.commit()
"""
    assert [f.line for f in analyze(Document(path, base), ctx)] == [base.splitlines().index("def delete_company(company_id):") + 1]
    edits = [
        base.replace("current_user.company_id:", "current_user.company_id or current_user.role != 'admin':"),
        base.replace("abort(404)", "abort(403)"),
        base.replace("current_user.company_id", "current_user.id"),
        base.replace("current_user.company_id", "request.user.clinic.id"),  # still the tenant: reported
    ]
    for edited in edits:
        analyzer = IncrementalAnalyzer()
        analyzer.analyze(Document(path, base, parses=analyzer.parses), ctx)
        got = analyzer.analyze(Document(path, edited, parses=analyzer.parses), ctx)
        assert got.findings == analyze(Document(path, edited), ctx)
    assert [len(analyze(Document(path, e), ctx)) for e in edits] == [0, 0, 0, 1]
