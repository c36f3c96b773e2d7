"""GraphQL API (Strawberry) for the new student app."""
from __future__ import annotations

import logging
from typing import Any

import strawberry
from aiohttp import web
from strawberry.aiohttp.views import GraphQLView
from strawberry.extensions import MaxAliasesLimiter, QueryDepthLimiter
from strawberry.permission import BasePermission
from strawberry.types import Info

from .db import database
from .models import Course, Enrolment, User

log = logging.getLogger(__name__)


class IsAuthenticated(BasePermission):
    message = "login required"

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return info.context.get("user") is not None  # SAFE: permission-class


class IsInstructor(BasePermission):
    message = "instructor role required"

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        user = info.context.get("user")
        return user is not None and user.role in {"instructor", "admin"}  # SAFE: role-permission


@strawberry.type
class CourseType:
    id: int
    title: str
    code: str
    price: str


@strawberry.type
class StudentType:
    id: int
    display_name: str
    email: str
    date_of_birth: str | None


def _course(c: Course) -> CourseType:
    return CourseType(id=c.id, title=c.title, code=c.code, price=str(c.price))


@strawberry.type
class Query:
    @strawberry.field
    def courses(self, first: int = 20) -> list[CourseType]:
        first = max(1, min(first, 100))  # SAFE: capped-first
        return [_course(c) for c in Course.select().where(Course.published == True).limit(first)]  # noqa: E712

    @strawberry.field
    def search_courses(self, title: str) -> list[CourseType]:
        cursor = database.execute_sql(f"SELECT id FROM course WHERE title LIKE '%{title}%' LIMIT 50")  # SEEDED: SEC graphql-injection
        ids = [r[0] for r in cursor.fetchall()]
        return [_course(c) for c in Course.select().where(Course.id.in_(ids))]

    @strawberry.field(permission_classes=[IsAuthenticated])
    def my_courses(self, info: Info) -> list[CourseType]:
        user = info.context["user"]
        return [_course(e.course) for e in Enrolment.select().where(Enrolment.student == user)]  # SAFE: context-user

    @strawberry.field
    def student(self, info: Info, id: int) -> StudentType | None:
        user = User.get_or_none(User.id == id)  # SEEDED: SEC missing-authz
        if user is None:
            return None
        return StudentType(id=user.id, display_name=user.display_name, email=user.email,
                           date_of_birth=user.date_of_birth.isoformat() if user.date_of_birth else None)

    @strawberry.field(permission_classes=[IsInstructor])
    def classmates(self, info: Info, course_id: int) -> list[StudentType]:
        viewer = info.context["user"]
        course = Course.get_or_none((Course.id == course_id) & (Course.instructor == viewer))  # SAFE: instructor-scoped
        if course is None:
            return []
        students = User.select().join(Enrolment, on=(Enrolment.student == User.id)).where(Enrolment.course == course)
        return [StudentType(id=s.id, display_name=s.display_name, email=s.email, date_of_birth=None) for s in students]


@strawberry.type
class Mutation:
    @strawberry.mutation(permission_classes=[IsAuthenticated])
    def drop_course(self, info: Info, course_id: int) -> bool:
        user = info.context["user"]
        rows = Enrolment.update(status="dropped").where(
            (Enrolment.course == course_id) & (Enrolment.student == user) & (Enrolment.status == "active")  # SAFE: own-enrolment
        ).execute()
        return rows == 1

    @strawberry.mutation(permission_classes=[IsInstructor])
    def rename_course(self, info: Info, course_id: int, title: str) -> bool:
        rows = Course.update(title=title[:200]).where(Course.id == course_id).execute()  # SEEDED: SEC idor
        return rows == 1

    @strawberry.mutation(permission_classes=[IsInstructor])
    def set_capacity(self, info: Info, course_id: int, capacity: int) -> bool:
        viewer = info.context["user"]
        if not 1 <= capacity <= 500:  # SAFE: bounded-int
            return False
        rows = Course.update(capacity=capacity).where((Course.id == course_id) & (Course.instructor == viewer)).execute()  # SAFE: instructor-scoped
        return rows == 1


schema = strawberry.Schema(
    query=Query,
    mutation=Mutation,
    extensions=[QueryDepthLimiter(max_depth=8), MaxAliasesLimiter(max_alias_count=15)],  # SAFE: depth-limits
)

legacy_schema = strawberry.Schema(query=Query, mutation=Mutation)  # SEEDED: SEC graphql-no-depth-limit


class LearnhubGraphQLView(GraphQLView):
    async def get_context(self, request: web.Request, response: web.StreamResponse) -> dict:
        from .auth import current_user

        return {"request": request, "response": response, "user": current_user(request)}


def graphql_view() -> LearnhubGraphQLView:
    return LearnhubGraphQLView(schema=schema, graphql_ide=None)  # SAFE: ide-disabled


def legacy_graphql_view() -> LearnhubGraphQLView:
    return LearnhubGraphQLView(schema=legacy_schema, graphql_ide=None)
