"""django 6.1: names removed in 4.0/5.0, requests/fastapi idioms on responses."""
import django
from django.conf import settings

if not settings.configured:
    settings.configure(DEBUG=True, SECRET_KEY="corpus", ALLOWED_HOSTS=["*"], ROOT_URLCONF=__name__,
                       INSTALLED_APPS=[], USE_TZ=True)
    django.setup()

urlpatterns: list = []

from django.http import HttpResponse, JsonResponse  # noqa: E402
from django.test import RequestFactory  # noqa: E402


def case_ugettext_lazy():
    from django.utils.translation import ugettext_lazy  # HAL: version-drift; receiver=import
    return ugettext_lazy("x")


def case_conf_urls_url():
    from django.conf.urls import url  # HAL: version-drift; receiver=import
    return url


def case_force_text():
    from django.utils.encoding import force_text  # HAL: version-drift; receiver=import
    return force_text(b"x")


def case_six():
    from django.utils import six  # HAL: version-drift; receiver=import
    return six


def case_response_json():
    resp = HttpResponse(b'{"a": 1}', content_type="application/json")
    return resp.json()  # HAL: other-library-idiom; receiver=constructor


def case_json_response_status_code():
    return JsonResponse({"ok": True}, status_code=201)  # HAL: other-library-idiom; receiver=kwargs-forward


def case_urlquote():
    from django.utils.http import urlquote  # HAL: version-drift; receiver=import
    return urlquote("a b")


def case_is_ajax():
    request = RequestFactory().get("/")
    return request.is_ajax()  # HAL: version-drift; receiver=chain


def case_timezone_utc():
    from django.utils.timezone import utc  # HAL: version-drift; receiver=import
    return utc


def case_mimetype_kw():
    return HttpResponse("x", mimetype="text/plain")  # HAL: version-drift; receiver=call


def case_datetime_safe():
    from django.utils import datetime_safe  # HAL: version-drift; receiver=import
    return datetime_safe



def case_response_set_header():
    resp = HttpResponse("x")
    resp.set_header("X-A", "1")  # HAL: invented-member; receiver=constructor
    return resp
