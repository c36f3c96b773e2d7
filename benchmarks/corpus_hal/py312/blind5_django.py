"""blind5 / Django 6.1 (issue 15, point 3).

Sources: Django 4.0 release notes ("Features removed in 4.0": ``ugettext*``, ``django.conf.urls.url()``,
``force_text`` / ``smart_text``, ``is_safe_url``, ``HttpRequest.is_ajax()``, ``EmailValidator``'s
``whitelist``), 5.0 release notes (``django.utils.timezone.utc``, ``make_aware(is_dst=)``,
``cached_property(name=)`` removed), 4.2/5.1 (``Signer`` positional arguments removed), 4.0
(``get_random_string()`` requires ``length``), 2.0 (``ForeignKey`` requires ``on_delete``); DRF's
``query_params`` / ``page_size``, redis' ``expire``, cachetools' ``ttl``, python-slugify's
``separator``, WTForms' ``validate()``, Flask-SQLAlchemy's ``Pagination.total_pages``-style names,
``html.escape(quote=)``, ``send_mail(html=)`` for ``html_message``.
"""

import datetime

from django.conf import settings

if not settings.configured:
    settings.configure(USE_TZ=True, SECRET_KEY="corpus-only", INSTALLED_APPS=[],
                       DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}})
    import django

    django.setup()

from django import forms  # noqa: E402
from django.core import signing  # noqa: E402
from django.core.cache import cache, caches  # noqa: E402
from django.core.mail import send_mail  # noqa: E402
from django.core.paginator import Paginator  # noqa: E402
from django.core.signing import Signer  # noqa: E402
from django.core.validators import EmailValidator  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.utils import encoding, timezone  # noqa: E402
from django.utils import http as django_http  # noqa: E402
from django.utils.crypto import get_random_string  # noqa: E402
from django.utils.functional import cached_property  # noqa: E402
from django.utils.html import escape  # noqa: E402
from django.utils.text import slugify  # noqa: E402


class ContactForm(forms.Form):
    email = forms.EmailField()


def case_ugettext_lazy():
    from django.utils.translation import ugettext_lazy  # HAL: version-drift; receiver=import
    return ugettext_lazy("Hello")


def case_conf_urls_url():
    from django.conf.urls import url  # HAL: version-drift; receiver=import
    return url


def case_force_text():
    return encoding.force_text(b"abc")  # HAL: version-drift; receiver=module


def case_is_safe_url():
    return django_http.is_safe_url("/next", allowed_hosts={"example.com"})  # HAL: version-drift; receiver=module


def case_timezone_utc():
    return datetime.datetime(2024, 1, 1, tzinfo=timezone.utc)  # HAL: version-drift; receiver=module


def case_make_aware_is_dst():
    return timezone.make_aware(datetime.datetime(2024, 3, 31, 2, 30), is_dst=False)  # HAL: version-drift; receiver=module


def case_httpresponse_status_code():
    return HttpResponse("created", status_code=201)  # HAL: other-library-idiom; receiver=constructor


def case_request_is_ajax():
    request = RequestFactory().get("/", HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    return request.is_ajax()  # HAL: version-drift; receiver=factory


def case_request_query_params():
    return RequestFactory().get("/", {"q": "x"}).query_params  # HAL: other-library-idiom; receiver=chain


def case_cache_set_ttl():
    cache.set("greeting", "hi", ttl=60)  # HAL: other-library-idiom; receiver=import


def case_caches_expire():
    caches["default"].expire("greeting", 60)  # HAL: other-library-idiom; receiver=chain


def case_paginator_total_pages():
    paginator = Paginator(list(range(25)), 10)
    return paginator.total_pages  # HAL: other-library-idiom; receiver=constructor


def case_page_next_page():
    page = Paginator(list(range(25)), 10).page(1)
    return page.next_page  # HAL: invented-member; receiver=factory


def case_paginator_page_size():
    return Paginator(list(range(25)), page_size=10)  # HAL: other-library-idiom; receiver=constructor


def case_signing_dumps_max_age():
    return signing.dumps({"id": 1}, max_age=3600)  # HAL: invented-keyword; receiver=module


def case_signer_positional_key():
    return Signer("another-secret")  # HAL: arity; receiver=constructor


def case_random_string_no_length():
    return get_random_string()  # HAL: arity; receiver=import


def case_send_mail_html():
    return send_mail("Hi", "text", "a@example.com", ["b@example.com"], html="<b>hi</b>")  # HAL: other-library-idiom; receiver=import


def case_email_validator_whitelist():
    return EmailValidator(whitelist=["localhost"])  # HAL: version-drift; receiver=constructor


def case_form_charfield_blank():
    return forms.CharField(max_length=20, blank=True)  # HAL: other-library-idiom; receiver=constructor


def case_form_validate():
    form = ContactForm({"email": "a@example.com"})
    return form.validate()  # HAL: other-library-idiom; receiver=constructor


def case_slugify_separator():
    return slugify("Hello World", separator="_")  # HAL: other-library-idiom; receiver=import


def case_escape_quote():
    return escape("<a>", quote=True)  # HAL: other-library-idiom; receiver=import


def case_cached_property_name():
    return cached_property(lambda self: 1, name="value")  # HAL: version-drift; receiver=constructor
