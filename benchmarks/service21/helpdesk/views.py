"""Server-rendered agent console (Django function views)."""
import logging
import re
import traceback

from django.contrib.auth import authenticate, login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.db import connection
from django.http import FileResponse, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.template import Context, Template
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from helpdesk import config, db

logger = logging.getLogger(__name__)
BREAK_GLASS_PASSWORD = "Helpd3sk!Override"  # SEEDED: SEC hard-coded-secret


def login_view(request):
    if request.method == "POST":
        user = authenticate(request, username=request.POST.get("username"), password=request.POST.get("password"))
        if user is not None:
            login(request, user)
            next_url = request.POST.get("next", "/")
            if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
                return redirect(next_url)  # SAFE: redirect target validated
            return redirect("/")
    return render(request, "login.html")


def logout_then(request):
    request.session.flush()
    return HttpResponseRedirect(request.GET.get("next", "/"))  # SEEDED: SEC open-redirect


@csrf_exempt
def break_glass(request):  # SEEDED: SEC csrf-exempt-session-view
    if request.POST.get("password") == "Helpd3sk!Override":  # SEEDED: SEC hard-coded-credential-compare
        request.session["superuser"] = True
        return JsonResponse({"ok": True})
    return JsonResponse({"ok": False}, status=403)


@login_required
@require_GET
def ticket_page(request, ticket_id: int):
    ticket = db.find_ticket(ticket_id)
    if ticket is None:
        return HttpResponse(status=404)
    return render(request, "ticket.html", {"ticket": dict(ticket)})  # SAFE: template autoescapes


@login_required
@require_GET
def search(request):
    q = request.GET.get("q", "")
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, title FROM tickets WHERE title LIKE '%%" + q + "%%'")  # SEEDED: SEC sql-injection-like
        rows = cursor.fetchall()
    return JsonResponse({"results": rows})


@login_required
@require_GET
def search_agents(request):
    name = request.GET.get("name", "")
    users = User.objects.filter(username__icontains=name)[:20]  # SAFE: ORM filter
    return JsonResponse({"agents": [u.username for u in users]})


@login_required
@require_GET
def agent_by_login(request):
    login_name = request.GET["login"]
    users = User.objects.raw("SELECT * FROM auth_user WHERE username = '%s'" % login_name)  # SEEDED: SEC sql-injection-raw
    return JsonResponse({"agents": [u.id for u in users]})


@login_required
@require_GET
def agent_by_email(request):
    email = request.GET.get("email", "")
    users = User.objects.raw("SELECT * FROM auth_user WHERE email = %s", [email])  # SAFE: params passed
    return JsonResponse({"agents": [u.id for u in users]})


@login_required
@require_GET
def greeting(request):
    name = request.GET.get("name", "")
    return HttpResponse(f"<h1>Hello {name}</h1>")  # SEEDED: SEC xss


@login_required
@require_GET
def greeting_safe(request):
    name = request.GET.get("name", "")
    return HttpResponse(format_html("<h1>Hello {}</h1>", name))  # SAFE: escaped


@login_required
@require_POST
def preview_signature(request):
    sig = request.POST.get("signature", "")
    return HttpResponse(mark_safe(sig))  # SEEDED: SEC xss-mark-safe


@login_required
@require_POST
def render_macro(request):
    macro = request.POST["macro"]
    if len(macro) > 5000:
        return HttpResponseBadRequest("macro too long")
    return HttpResponse(Template(macro).render(Context({"user": request.user})))  # SEEDED: SEC template-injection


@login_required
@require_POST
def close_ticket(request, ticket_id: int):
    db.add_comment(ticket_id, request.user.username, "closed")
    return redirect("ticket", ticket_id=ticket_id)  # SAFE: named route


@require_POST
def delete_ticket(request, ticket_id: int):  # SEEDED: SEC missing-authorization
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM tickets WHERE id = %s", [ticket_id])  # SAFE: parameterized
    return JsonResponse({"deleted": ticket_id})


@login_required
@require_POST
def reassign(request, ticket_id: int):
    assert request.user.is_staff  # SEEDED: SEC assert-for-authorization
    agent = request.POST["agent"]
    db.add_comment(ticket_id, request.user.username, f"reassigned to {agent}")
    return JsonResponse({"ok": True})


@login_required
@require_GET
def download_report(request):
    name = request.GET.get("name", "")
    if len(name) > 64:
        return HttpResponseBadRequest("name too long")
    return FileResponse(open(config.REPORT_ROOT / name, "rb"))  # SEEDED: SEC length-not-content-path


@login_required
@require_GET
def download_report_safe(request):
    name = request.GET.get("name", "")
    if not re.fullmatch(r"[a-z0-9_-]{1,64}\.csv", name):  # SAFE: content validated
        return HttpResponseBadRequest("bad name")
    return FileResponse(open(config.REPORT_ROOT / name, "rb"))


@login_required
@require_GET
def filter_tickets(request):
    pattern = request.GET.get("pattern", "")
    if len(pattern) > 100:
        return HttpResponseBadRequest("pattern too long")
    rx = re.compile(pattern)  # SEEDED: SEC regex-injection
    titles = [t["title"] for t in db.search_tickets_sorted("", "created")]
    return JsonResponse({"titles": [t for t in titles if rx.search(t)]})


@login_required
@require_GET
def filter_tickets_literal(request):
    needle = re.escape(request.GET.get("needle", ""))  # SAFE: escaped before compiling
    rx = re.compile(needle, re.IGNORECASE)
    titles = [t["title"] for t in db.search_tickets_sorted("", "created")]
    return JsonResponse({"titles": [t for t in titles if rx.search(t)]})


@login_required
def export_tickets(request):
    try:
        rows = db.search_tickets(request.GET.get("q", ""), request.GET.get("sort", "created"))  # SEEDED: SEC sql-injection-order-by
        return JsonResponse({"rows": [dict(r) for r in rows]})
    except Exception:
        return JsonResponse({"error": traceback.format_exc()}, status=500)  # SEEDED: SEC stack-trace-in-response


@login_required
def export_tickets_safe(request):
    try:
        rows = db.search_tickets_sorted(request.GET.get("q", ""), request.GET.get("sort", "created"))
        return JsonResponse({"rows": [dict(r) for r in rows]})
    except Exception:
        logger.exception("export failed")
        return JsonResponse({"error": "internal error"}, status=500)  # SAFE: generic message, trace logged


@login_required
def set_theme(request):
    response = JsonResponse({"ok": True})
    response.set_cookie("theme", request.GET.get("theme", "light"))  # SAFE: a preference cookie
    response.set_cookie("agent_session", request.session.session_key)  # SEEDED: SEC insecure-cookie
    return response


@login_required
def tag_cloud(request):
    tags = request.GET.get("tags").split(",")  # SEEDED: EDGE none-input
    return JsonResponse({"tags": [t.strip().lower() for t in tags if t.strip()]})


@login_required
def tag_cloud_safe(request):
    tags = request.GET.get("tags", "").split(",")  # SAFE: default makes it a str
    return JsonResponse({"tags": [t.strip().lower() for t in tags if t.strip()]})


def client_ip(request) -> str:
    return request.headers.get("X-Forwarded-For").split(",")[0].strip()  # SEEDED: EDGE none-input
