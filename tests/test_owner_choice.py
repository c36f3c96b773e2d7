"""SEC036, the owner the request names: a route takes an owner's id from the request (``student_id``
from the URL) and lists or reads that owner's rows (``Enrolment.student == student_id``,
``Order.objects.filter(customer_id=customer_id)``), where the module's other routes scope the same
owner column by the signed-in principal (``Enrolment.student == user.id``) or check the requested
owner first (``can_see_student(viewer, student_id)``).  Lines marked ``# !`` must carry a SEC036
finding; every other line must not (service31 views_assignments)."""

from __future__ import annotations

from test_review_rules import flagged, marked
from vetpy.context import AnalysisContext

SELECT = AnalysisContext.bare(select=["SEC036"])

AIOHTTP = """
from aiohttp import web
from .auth import can_see_student, current_user, login_required, role_required
from .models import Enrolment, Profile

routes = web.RouteTableDef()

@routes.get("/me/grades")
@login_required
async def my_grades(request):
    user = current_user(request)
    rows = Enrolment.select().where(Enrolment.student == user.id)
    return web.json_response([r.course_id for r in rows])

@routes.get("/students/{student_id}/grades")
@login_required
async def student_grades(request):
    viewer = current_user(request)
    student_id = int(request.match_info["student_id"])
    if not can_see_student(viewer, student_id):
        raise web.HTTPNotFound()
    rows = Enrolment.select().where(Enrolment.student == student_id)
    return web.json_response([r.course_id for r in rows])

@routes.get("/students/{student_id}/transcript")
@login_required
async def transcript(request):
    student_id = int(request.match_info["student_id"])
    rows = Enrolment.select().where(Enrolment.student == student_id)  # !
    return web.json_response([r.course_id for r in rows])

@routes.get("/students/{student_id}/inline")
@login_required
async def inline(request):
    rows = Enrolment.select().where(Enrolment.student == int(request.match_info["student_id"]))  # !
    return web.json_response([r.course_id for r in rows])

@routes.get("/students/{student_id}/self-checked")
@login_required
async def self_checked(request):
    user = current_user(request)
    student_id = int(request.match_info["student_id"])
    if student_id != user.id and not user.is_teacher:
        raise web.HTTPForbidden()
    rows = Enrolment.select().where(Enrolment.student == student_id)
    return web.json_response([r.course_id for r in rows])

@routes.get("/teach/students/{student_id}")
@role_required("teacher")
async def teacher_view(request):
    student_id = int(request.match_info["student_id"])
    rows = Enrolment.select().where(Enrolment.student == student_id)
    return web.json_response([r.course_id for r in rows])

@routes.get("/profiles/{user_id}")
@login_required
async def profile(request):
    user_id = int(request.match_info["user_id"])
    return web.json_response([p.bio for p in Profile.select().where(Profile.user == user_id)])

@routes.post("/students/{student_id}/enrol")
@login_required
async def enrol(request):
    student_id = int(request.match_info["student_id"])
    Enrolment.create(student=student_id, course=1)
    return web.json_response({})
"""

DJANGO = """
from django.contrib.auth.decorators import login_required, permission_required
from django.http import JsonResponse
from django.views.decorators.http import require_GET
from .access import ensure_can_view
from .models import Order

@require_GET
@login_required
def my_orders(request):
    return JsonResponse({"ids": list(Order.objects.filter(customer=request.user).values_list("id", flat=True))})

@require_GET
@login_required
def recent(request):
    return JsonResponse({"ids": list(Order.objects.filter(customer_id=request.user.id)[:5].values_list("id", flat=True))})

@require_GET
@login_required
def customer_orders(request, customer_id):
    return JsonResponse({"ids": list(Order.objects.filter(customer_id=customer_id).values_list("id", flat=True))})  # !

@require_GET
@login_required
def customer_orders_checked(request, customer_id):
    ensure_can_view(customer_id)
    return JsonResponse({"ids": list(Order.objects.filter(customer_id=customer_id).values_list("id", flat=True))})

@require_GET
@permission_required("shop.view_order")
def staff_orders(request, customer_id):
    return JsonResponse({"ids": list(Order.objects.filter(customer_id=customer_id).values_list("id", flat=True))})

@require_GET
def public_orders(request, customer_id):
    return JsonResponse({"ids": list(Order.objects.filter(customer_id=customer_id).values_list("id", flat=True))})
"""

FLASK = """
from flask import Blueprint, jsonify
from flask_login import current_user, login_required
from .models import Note

bp = Blueprint("notes", __name__)

@bp.get("/notes")
@login_required
def notes():
    return jsonify([n.id for n in Note.query.filter_by(patient_id=current_user.id)])

@bp.get("/patients/<int:patient_id>/notes")
@login_required
def user_notes(patient_id):
    return jsonify([n.id for n in Note.query.filter_by(patient_id=patient_id)])  # !

@bp.get("/patients/<int:patient_id>/notes/shared")
@login_required
def shared_notes(patient_id):
    return jsonify([n.id for n in Note.query.filter_by(patient_id=patient_id, shared_with=current_user.id)])
"""

# no sibling scopes the owner column by the principal: a directory anyone signed in may read
UNSCOPED = """
from flask import Blueprint, jsonify
from flask_login import login_required
from .models import Note

bp = Blueprint("notes", __name__)

@bp.get("/users/<int:patient_id>/notes")
@login_required
def user_notes(patient_id):
    return jsonify([n.id for n in Note.query.filter_by(patient_id=patient_id)])

@bp.get("/users/<int:patient_id>/count")
@login_required
def user_count(patient_id):
    return jsonify(Note.query.filter_by(patient_id=patient_id).count())
"""


def test_an_owner_the_request_names_is_reported_where_siblings_scope_the_owner_column() -> None:
    for src in (AIOHTTP, DJANGO, FLASK):
        assert marked(src)
        assert flagged(src, "SEC036", SELECT) == marked(src), src.splitlines()[1]


def test_no_sibling_scoping_the_owner_column_is_no_convention() -> None:
    assert flagged(UNSCOPED, "SEC036", SELECT) == []


def test_a_model_the_siblings_do_not_scope_is_not_judged_by_another_models_convention() -> None:
    src = AIOHTTP.replace("Profile.user == user_id", "Profile.student == user_id")
    assert flagged(src, "SEC036", SELECT) == marked(src)
