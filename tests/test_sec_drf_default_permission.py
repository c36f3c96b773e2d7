"""SEC023 with the project's DRF default permission (issue #20, service21's ``AttachmentView`` and
``reopen_ticket``).

Specification.  A DRF view without ``permission_classes`` (an ``APIView`` without the attribute, an
``@api_view`` without ``@permission_classes``) takes the project's ``DEFAULT_PERMISSION_CLASSES``.
When the project's Python code (its test suite left out) writes its ``REST_FRAMEWORK`` settings out
as a dict (``REST_FRAMEWORK = {...}`` in a settings module, or the ``"REST_FRAMEWORK"`` entry of the
dict handed to ``settings.configure``) and no file names ``DEFAULT_PERMISSION_CLASSES``, DRF's own
default applies: ``AllowAny``.  Such a view is then unguarded, judged like any route without
authorization beside its guarded siblings (reported where at least three and two thirds of them
have one), at the class for an ``APIView`` (the attribute it lacks), at the function otherwise.

Look-alikes, not reported: settings that name ``DEFAULT_PERMISSION_CLASSES`` (any value: they say
what the default is); no ``REST_FRAMEWORK`` settings in the project (they may live outside it);
settings built (``env.dict(...)``, ``{**BASE}``) or changed after (``REST_FRAMEWORK.update(...)``);
``REST_FRAMEWORK`` written only by the test suite; a view whose body checks the user; a file
checked alone (no project to read); a GET view (reads are not judged).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import check_file, context_for, write

SETTINGS = """\
SECRET_KEY = "x"
INSTALLED_APPS = ["rest_framework"]
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["helpdesk.auth.BearerAuthentication"],
}
"""

CONFIGURED = """\
def django_settings() -> dict:
    return {
        "INSTALLED_APPS": ["rest_framework"],
        "REST_FRAMEWORK": {
            "DEFAULT_AUTHENTICATION_CLASSES": ["helpdesk.auth.BearerAuthentication"],
        },
    }
"""

API = """\
from rest_framework import status
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import IsAdminUser, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from . import db


class TicketView(APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request, ticket_id: int):
        db.add_comment(ticket_id, request.user.username, request.data["body"])
        return Response(status=201)

    def delete(self, request, ticket_id: int):
        db.delete_ticket(ticket_id)
        return Response(status=204)


class RefundView(APIView):
    permission_classes = [IsAdminUser]

    def post(self, request, ticket_id: int):
        db.refund(ticket_id)
        return Response(status=201)


class AttachmentView(APIView):  # !

    def delete(self, request, ticket_id: int, name: str):
        db.delete_attachment(ticket_id, name)
        return Response(status=status.HTTP_204_NO_CONTENT)


class StatsView(APIView):

    def get(self, request):
        return Response(db.stats())


class NoteView(APIView):

    def post(self, request, ticket_id: int):
        if not request.user.is_staff:
            return Response(status=403)
        db.add_note(ticket_id, request.data["note"])
        return Response(status=201)


@api_view(["POST"])
@permission_classes([IsAuthenticated])
def assign(request, ticket_id: int):
    db.assign(ticket_id, request.data["agent"])
    return Response({"ok": True})


@api_view(["POST"])
def reopen_ticket(request, ticket_id: int):  # !
    db.add_comment(ticket_id, "api", "reopened")
    return Response({"reopened": ticket_id})
"""


def _project(root: Path, settings: dict[str, str]) -> Path:
    return write(root, {"helpdesk/__init__.py": "", "helpdesk/api.py": API, "helpdesk/db.py": "def add_comment(*a): ...\n",
                        **settings})


def _sec023(root: Path) -> list[int]:
    return sorted(f.line for f in check_file(root, "helpdesk/api.py", context_for(root)) if f.code == "SEC023")


def _marked(text: str) -> list[int]:
    return [i for i, line in enumerate(text.splitlines(), 1) if line.rstrip().endswith("# !")]


@pytest.mark.parametrize("settings", [{"helpdesk/settings.py": SETTINGS}, {"helpdesk/config.py": CONFIGURED}])
def test_views_without_permission_classes_in_a_project_whose_default_allows_any(tmp_path: Path, settings) -> None:
    root = _project(tmp_path, settings)
    assert _sec023(root) == _marked(API)
    found = [f for f in check_file(root, "helpdesk/api.py", context_for(root)) if f.code == "SEC023"]
    assert "class-based view `AttachmentView` (DELETE)" in found[0].message
    assert all("`AllowAny`" in f.message for f in found)


@pytest.mark.parametrize("settings", [
    # the default named, whatever it is
    {"helpdesk/settings.py": SETTINGS.replace('"DEFAULT_AUTHENTICATION_CLASSES"', '"DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],\n    "DEFAULT_AUTHENTICATION_CLASSES"')},
    {"helpdesk/settings.py": SETTINGS, "helpdesk/prod.py": 'from .settings import *\nREST_FRAMEWORK = {"DEFAULT_PERMISSION_CLASSES": ["x.IsStaff"]}\n'},
    # no settings in the project
    {},
    # settings built, or changed after
    {"helpdesk/settings.py": "import environ\nenv = environ.Env()\nREST_FRAMEWORK = env.dict('DRF')\n"},
    {"helpdesk/settings.py": SETTINGS + "BASE = {}\nREST_FRAMEWORK_X = {**BASE}\nREST_FRAMEWORK.update(BASE)\n"},
    {"helpdesk/settings.py": "BASE = {}\nREST_FRAMEWORK = {**BASE}\n"},
    # written by the test suite only
    {"tests/test_api.py": "from django.test import override_settings\n\n@override_settings(REST_FRAMEWORK={'PAGE_SIZE': 5})\ndef test_x(): ...\n"},
])
def test_the_default_left_unknown_reports_nothing(tmp_path: Path, settings) -> None:
    root = _project(tmp_path, settings)
    assert _sec023(root) == []


def test_a_file_checked_alone_reports_nothing() -> None:
    from test_review_rules import flagged
    assert flagged(API, "SEC023") == []
