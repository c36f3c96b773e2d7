"""Django REST framework views get their URL parameters from Django's URL patterns, as Django's
own views do (service21's ``AttachmentView.delete(self, request, ticket_id, name)``): in a module
that imports ``rest_framework`` (and not ``django``), a parameter after ``request`` of an
``APIView`` method or an ``@api_view`` function is request input. Not: one annotated ``int`` (the
converter ``<int:...>`` or a failed conversion), the bound ``self``, a function that is no view
(no ``request`` parameter)."""

from __future__ import annotations

from tests.test_security import lines

SRC = """\
import os

from rest_framework.decorators import api_view
from rest_framework.response import Response
from rest_framework.views import APIView

ROOT = "/srv/attachments"


class AttachmentView(APIView):
    def delete(self, request, ticket_id: int, name):
        os.remove(os.path.join(ROOT, str(ticket_id), name))  # !
        return Response(status=204)

    def get(self, request, ticket_id: int):
        with open(os.path.join(ROOT, str(ticket_id), "index.txt")) as fh:
            return Response({"index": fh.read(100)})


@api_view(["GET"])
def download(request, name):
    with open(os.path.join(ROOT, name), "rb") as fh:  # !
        return Response({"size": len(fh.read(100))})


def not_a_view(name):
    os.remove(os.path.join(ROOT, name))
"""


def _expected(text: str) -> list[int]:
    return [i for i, line in enumerate(text.splitlines(), 1) if line.rstrip().endswith("# !")]


def test_drf_url_parameters_are_request_input() -> None:
    assert lines(SRC, "SEC015", path="api.py") == _expected(SRC)


def test_without_a_web_framework_they_are_not() -> None:
    src = "\n".join(line for line in SRC.splitlines() if "rest_framework" not in line)
    assert lines(src, "SEC015", path="api.py") == []
