"""Pony ORM entities."""
from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

from pony.orm import Database, Json, LongStr, Optional, PrimaryKey, Required, Set, composite_key

db = Database()


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class User(db.Entity):
    id = PrimaryKey(int, auto=True)
    email = Required(str, unique=True, max_len=254)
    display_name = Required(str, max_len=120)
    password_hash = Required(str)
    role = Required(str, default="student")  # student / instructor / ta / guardian / admin
    timezone = Optional(str, default="UTC")
    is_active = Required(bool, default=True)
    email_verified = Required(bool, default=False)
    created_at = Required(datetime, default=utcnow)
    date_of_birth = Optional(datetime)
    api_token_hash = Optional(str, index=True)
    kids_pin_hash = Optional(str)
    courses_taught = Set("Course", reverse="instructor")
    assisting = Set("Course", reverse="assistants")
    enrolments = Set("Enrolment")
    submissions = Set("Submission", reverse="student")
    graded = Set("Submission", reverse="grader")
    attempts = Set("QuizAttempt")
    posts = Set("Post")
    payments = Set("Payment")
    payouts = Set("Payout")
    certificates = Set("Certificate")
    wards = Set("Guardianship", reverse="guardian")
    guardians = Set("Guardianship", reverse="ward")
    notifications = Set("Notification")
    reset_tokens = Set("ResetToken")


class Guardianship(db.Entity):
    guardian = Required(User, reverse="wards")
    ward = Required(User, reverse="guardians")
    approved = Required(bool, default=False)
    composite_key(guardian, ward)


class Course(db.Entity):
    id = PrimaryKey(int, auto=True)
    slug = Required(str, unique=True, max_len=80)
    title = Required(str, max_len=200)
    summary = Optional(LongStr)
    instructor = Required(User, reverse="courses_taught")
    assistants = Set(User, reverse="assisting")
    price = Required(Decimal, precision=10, scale=2, default=Decimal("0.00"))
    currency = Required(str, default="EUR")
    published = Required(bool, default=False)
    capacity = Optional(int)
    revenue_share = Required(Decimal, precision=4, scale=3, default=Decimal("0.700"))
    grade_weights = Optional(Json)  # {"assignment": 0.6, "quiz": 0.4}
    curve_target = Optional(float)
    enrolments = Set("Enrolment")
    assignments = Set("Assignment")
    quizzes = Set("Quiz")
    threads = Set("Thread")
    sessions = Set("LiveSession")
    coupons = Set("Coupon")
    packages = Set("ScormPackage")
    certificates = Set("Certificate")
    payments = Set("Payment")


class Enrolment(db.Entity):
    id = PrimaryKey(int, auto=True)
    user = Required(User)
    course = Required(Course)
    status = Required(str, default="active")  # active / pending_payment / refunded / dropped
    enrolled_at = Required(datetime, default=utcnow)
    completed_at = Optional(datetime)
    final_grade = Optional(float)
    composite_key(user, course)


class Assignment(db.Entity):
    id = PrimaryKey(int, auto=True)
    course = Required(Course)
    title = Required(str, max_len=200)
    description = Optional(LongStr)
    category = Required(str, default="assignment")
    max_points = Required(int, default=100)
    due_at = Required(datetime)
    late_penalty_per_day = Required(float, default=0.1)
    late_cutoff_days = Required(int, default=7)
    allowed_types = Optional(Json)
    submissions = Set("Submission")


class Submission(db.Entity):
    id = PrimaryKey(int, auto=True)
    assignment = Required(Assignment)
    student = Required(User, reverse="submissions")
    submitted_at = Required(datetime, default=utcnow)
    file_key = Optional(str)
    file_name = Optional(str)
    text = Optional(LongStr)
    points = Optional(float)
    feedback = Optional(LongStr)
    grader = Optional(User, reverse="graded")
    similarity = Optional(float)
    plagiarism_ref = Optional(str, index=True)


class Quiz(db.Entity):
    id = PrimaryKey(int, auto=True)
    course = Required(Course)
    title = Required(str)
    time_limit_minutes = Required(int, default=30)
    max_attempts = Required(int, default=1)
    opens_at = Optional(datetime)
    closes_at = Optional(datetime)
    questions = Required(Json)  # [{"id":..., "text":..., "choices":[...], "answer":..., "points":...}]
    attempts = Set("QuizAttempt")


class QuizAttempt(db.Entity):
    id = PrimaryKey(int, auto=True)
    quiz = Required(Quiz)
    user = Required(User)
    started_at = Required(datetime, default=utcnow)
    finished_at = Optional(datetime)
    answers = Optional(Json)
    score = Optional(float)


class Thread(db.Entity):
    id = PrimaryKey(int, auto=True)
    course = Required(Course)
    title = Required(str, max_len=200)
    locked = Required(bool, default=False)
    posts = Set("Post")


class Post(db.Entity):
    id = PrimaryKey(int, auto=True)
    thread = Required(Thread)
    author = Required(User)
    body_md = Required(LongStr)
    created_at = Required(datetime, default=utcnow)
    edited_at = Optional(datetime)
    hidden = Required(bool, default=False)


class LiveSession(db.Entity):
    id = PrimaryKey(int, auto=True)
    course = Required(Course)
    title = Required(str)
    starts_at = Required(datetime)  # stored in UTC
    duration_minutes = Required(int, default=60)
    host_timezone = Required(str, default="UTC")
    join_url = Optional(str)


class Coupon(db.Entity):
    id = PrimaryKey(int, auto=True)
    code = Required(str, unique=True)
    course = Optional(Course)
    percent_off = Optional(int)
    amount_off = Optional(Decimal, precision=10, scale=2)
    max_redemptions = Optional(int)
    redemptions = Required(int, default=0)
    expires_at = Optional(datetime)


class Payment(db.Entity):
    id = PrimaryKey(int, auto=True)
    user = Required(User)
    course = Required(Course)
    amount = Required(Decimal, precision=10, scale=2)
    refunded_amount = Required(Decimal, precision=10, scale=2, default=Decimal("0.00"))
    currency = Required(str, default="EUR")
    status = Required(str, default="pending")  # pending / paid / refunded / failed
    provider_ref = Optional(str, unique=True)
    coupon_code = Optional(str)
    created_at = Required(datetime, default=utcnow)
    paid_at = Optional(datetime)


class Payout(db.Entity):
    id = PrimaryKey(int, auto=True)
    instructor = Required(User)
    period = Required(str)  # "2026-11"
    amount = Required(Decimal, precision=10, scale=2)
    status = Required(str, default="scheduled")
    composite_key(instructor, period)


class Certificate(db.Entity):
    id = PrimaryKey(int, auto=True)
    serial = Required(str, unique=True)
    user = Required(User)
    course = Required(Course)
    issued_at = Required(datetime, default=utcnow)
    grade = Optional(float)


class ScormPackage(db.Entity):
    id = PrimaryKey(int, auto=True)
    course = Required(Course)
    title = Required(str)
    path = Required(str)
    launch_href = Required(str)
    uploaded_at = Required(datetime, default=utcnow)


class Notification(db.Entity):
    id = PrimaryKey(int, auto=True)
    user = Required(User)
    kind = Required(str)
    payload = Optional(Json)
    sent_at = Optional(datetime)
    created_at = Required(datetime, default=utcnow)


class ResetToken(db.Entity):
    id = PrimaryKey(int, auto=True)
    user = Required(User)
    token_hash = Required(str, unique=True)
    expires_at = Required(datetime)
    used = Required(bool, default=False)


class AuditEvent(db.Entity):
    id = PrimaryKey(int, auto=True)
    actor_id = Optional(int)
    action = Required(str)
    detail = Optional(Json)
    at = Required(datetime, default=utcnow)


class WebhookEvent(db.Entity):
    id = PrimaryKey(str)  # provider event id: idempotency
    source = Required(str)
    received_at = Required(datetime, default=utcnow)


def bind(filename: str, create_tables: bool = True) -> None:
    db.bind(provider="sqlite", filename=filename, create_db=True)
    db.generate_mapping(create_tables=create_tables)
