"""Plan review workflow: reviewers, review cycles, comments on sheets, decisions."""
import logging
from datetime import timedelta
from typing import List

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router
from ninja.errors import HttpError

from . import notify, scheduling, tasks
from .auth import applicant_auth, get_applicant_permit, get_staff_permit, reviewer_auth, staff_auth
from .models import Permit, Review, ReviewComment, StaffProfile
from .schemas import CommentIn, CommentOut, DecisionIn, Message, ReviewOut

log = logging.getLogger(__name__)
router = Router(tags=["reviews"])

REVIEW_DAYS = {"building": 10, "fire": 7, "zoning": 5, "structural": 15}


@router.post("/permits/{permit_id}", response={201: ReviewOut, 400: Message}, auth=reviewer_auth)
def open_review(request, permit_id: int, discipline: str, reviewer_id: int):
    permit = get_staff_permit(request.auth, permit_id)
    if discipline not in REVIEW_DAYS:
        return 400, {"detail": "Unknown discipline"}  # SAFE: allowlist
    reviewer = get_object_or_404(StaffProfile, id=reviewer_id, department_id=request.auth.department_id)  # SAFE: department-scoped-fetch
    cycle = permit.reviews.filter(discipline=discipline).count() + 1
    due = timezone.now() + timedelta(days=REVIEW_DAYS[discipline])
    review = Review.objects.create(permit=permit, reviewer=reviewer, discipline=discipline, cycle=cycle, due_at=due)
    return 201, review


@router.get("/mine", response=List[ReviewOut], auth=reviewer_auth)
def my_reviews(request):
    return list(Review.objects.filter(reviewer=request.auth, decision="pending").order_by("due_at")[:100])  # SAFE: bounded-query


@router.get("/{review_id}/comments", response=List[CommentOut], auth=staff_auth)
def review_comments(request, review_id: int):
    review = get_object_or_404(Review, id=review_id, permit__department_id=request.auth.department_id)
    return list(review.comments.order_by("created_at"))


@router.post("/{review_id}/comments", response={201: CommentOut}, auth=reviewer_auth)
def add_comment(request, review_id: int, payload: CommentIn):
    review = get_object_or_404(Review, id=review_id, reviewer=request.auth)  # SAFE: reviewer-scoped-fetch
    comment = ReviewComment.objects.create(review=review, author=request.user, body=payload.body, sheet=payload.sheet)
    return 201, comment


@router.patch("/comments/{comment_id}", response=CommentOut, auth=reviewer_auth)
def edit_comment(request, comment_id: int, payload: CommentIn):
    comment = get_object_or_404(ReviewComment, id=comment_id)  # SEEDED: SEC idor
    comment.body = payload.body
    comment.sheet = payload.sheet
    comment.save(update_fields=["body", "sheet"])
    return comment


@router.post("/{review_id}/decision", response=ReviewOut, auth=reviewer_auth)
def decide(request, review_id: int, payload: DecisionIn):
    with transaction.atomic():
        review = Review.objects.select_for_update().filter(id=review_id, reviewer=request.auth).first()  # SAFE: locked-scoped-fetch
        if review is None:
            raise HttpError(404, "Review not found")
        if review.decision != "pending":
            raise HttpError(409, "Already decided")
        review.decision = payload.decision
        review.save(update_fields=["decision"])
        _maybe_approve(review.permit)
    notify.review_decided(review.id)
    return review


def _maybe_approve(permit: Permit) -> None:
    decisions = list(permit.reviews.values_list("decision", flat=True))
    if decisions and all(d == "approved" for d in decisions):  # SAFE: empty-checked
        Permit.objects.filter(id=permit.id, status="in_review").update(status="approved")


@router.get("/permits/{permit_id}/applicant-comments", response=List[CommentOut], auth=applicant_auth)
def applicant_comments(request, permit_id: int):
    permit = get_applicant_permit(request.auth, permit_id)
    return list(ReviewComment.objects.filter(review__permit=permit).order_by("created_at")[:500])  # SAFE: owner-scoped-query


@router.get("/overdue", response=List[ReviewOut], auth=reviewer_auth)
def overdue(request):
    return list(Review.objects.filter(permit__department_id=request.auth.department_id, decision="pending",  # SAFE: aware-compare
                                      due_at__lt=timezone.now()).order_by("due_at")[:200])


@router.post("/{review_id}/reassign", response=ReviewOut, auth=reviewer_auth)
def reassign(request, review_id: int, reviewer_id: int):  # SEEDED: SEC missing-authz
    review = get_object_or_404(Review, id=review_id, permit__department_id=request.auth.department_id)
    review.reviewer = get_object_or_404(StaffProfile, id=reviewer_id, department_id=request.auth.department_id)
    review.save(update_fields=["reviewer"])
    return review


@router.get("/{review_id}/business-days-left", response=Message, auth=reviewer_auth)
def days_left(request, review_id: int):
    review = get_object_or_404(Review, id=review_id, reviewer=request.auth)
    today = timezone.localdate()
    left = scheduling.business_days_until(today, review.due_at.astimezone(scheduling.CITY).date())
    return {"detail": str(left)}


@router.post("/{review_id}/remind", response=Message, auth=reviewer_auth)
def remind_applicant(request, review_id: int):
    review = get_object_or_404(Review, id=review_id, reviewer=request.auth)
    tasks.send_correction_reminder(review.permit_id)
    return {"detail": "queued"}


@router.get("/workload", response=dict, auth=reviewer_auth)
def workload(request):
    counts: dict[str, int] = {}
    for row in Review.objects.filter(permit__department_id=request.auth.department_id, decision="pending") \
            .values("reviewer__user__username"):
        name = row["reviewer__user__username"]
        counts[name] = counts.get(name, 0) + 1  # SAFE: default-get
    busiest = max(counts, key=counts.get)  # SEEDED: EDGE empty-collection
    return {"counts": counts, "busiest": busiest}
