"""Injection sinks the seeded services reached by shapes vetpy did not read (issue #20).

SEC040 csv-injection, openpyxl's share (services 32, 33, 34): ``ws.append([...])`` of a worksheet
of a workbook the function makes (``wb = Workbook(); ws = wb.active``, ``wb.create_sheet(...)``)
writes each string cell as it is, and openpyxl stores a string starting with ``=`` as a formula
(``Cell._bind_value``: ``data_type = 'f'``): the same defect as a ``csv`` writer's row, judged
the same way, by the module's own neutraliser.  Look-alikes: a row built with the neutraliser,
a header of constants, numbers and dates, a module with no neutraliser, ``append`` of a list.

SEC016 server-side-request-forgery, the client a request is made with (services 31, 33): a
parameter annotated with an HTTP client class (``client: httpx.AsyncClient``, also ``| None``),
or a client made by a function of the module whose every return is a client's constructor, or
whose return annotation is a client class (``async with _client() as client`` with
``def _client() -> httpx.AsyncClient``), is a client as one made in place is.  Look-alikes: the
host checked first, a fixed host, a receiver annotated with another class (``redis.Redis``),
a factory that may return something else.
"""

from __future__ import annotations

from pathlib import Path

from conftest import check_file, context_for, write
from tests.test_security import lines

XLSX = """\
import io

from openpyxl import Workbook

FORMULA_START = ("=", "+", "-", "@", "\\t", "\\r")


def cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def applicants_xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["name", "email", "income", "notes"])
    for r in rows:
        ws.append([r["full_name"], r["email"], r["monthly_income"], r["notes"]])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def ledger_xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["date", "unit", "tenant", "amount"])
    for r in rows:
        ws.append([r["date"], cell(r["unit"]), cell(r["tenant"]), r["amount"]])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def second_sheet(rows) -> bytes:
    wb = Workbook()
    sheet = wb.create_sheet("Members")
    for m in rows:
        sheet.append([m.id, m.company, m.created_at])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def fines_xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append([cell(r["plate"]), r["occurred_at"].isoformat(), str(r["amount"]), r["total"], r["id"]])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def plain_list(rows) -> list:
    out = []
    for r in rows:
        out.append([r["name"], r["notes"]])
    return out
"""


def test_openpyxl_rows_are_judged_by_the_module_own_neutraliser() -> None:
    assert lines(XLSX, "SEC040") == [18, 39]  # applicants' raw text columns; `company` of another sheet
    # no neutraliser in the module: an export of plain data, as for a csv writer
    without = XLSX.replace("""return "'" + text if text.startswith(FORMULA_START) else text""", "return text")
    assert lines(without, "SEC040") == []


def test_a_worksheet_not_made_here_is_not_judged() -> None:
    """``ws`` a parameter, or ``append`` of something else named ``ws``: not certain to be a worksheet."""
    src = XLSX + """

def fill(ws, rows):
    for r in rows:
        ws.append([r["full_name"], r["notes"]])


def queue_rows(rows):
    ws = []
    for r in rows:
        ws.append([r["full_name"], r["notes"]])
    return ws
"""
    assert lines(src, "SEC040") == [18, 39]


def test_openpyxl_message_names_the_cells() -> None:
    from tests.test_security import findings

    found = findings(XLSX, "SEC040")
    assert "full_name" in found[0].message and "notes" in found[0].message and "spreadsheet" in found[0].message
    assert "monthly_income" not in found[0].message  # a sum of money, not text


FASTAPI_CLIENTS = """\
from urllib.parse import urlparse

import httpx
import redis
from fastapi import Depends, FastAPI, Request

app = FastAPI()
PHOTO_HOSTS = {"cdn.example.com"}
API = "https://api.example.com"


def _client() -> httpx.AsyncClient:
    return httpx.AsyncClient(timeout=10.0)


def _made():
    return httpx.AsyncClient(timeout=10.0)


def _maybe(cached):
    if cached is not None:
        return cached
    return httpx.AsyncClient(timeout=10.0)


def get_http() -> httpx.AsyncClient:
    return httpx.AsyncClient(timeout=10.0)


def get_cache() -> redis.Redis:
    return redis.Redis()


@app.post("/hooks/test")
async def test_hook(request: Request):
    body = await request.json()
    async with _client() as client:
        await client.post(body["url"], json={"type": "ping"})
    return {"ok": True}


@app.post("/hooks/test2")
async def test_hook2(request: Request):
    body = await request.json()
    async with _made() as client:
        await client.post(body["url"], json={"type": "ping"})
    return {"ok": True}


@app.post("/photos/link")
async def photo_link(request: Request, http: httpx.AsyncClient = Depends(get_http)):
    body = await request.json()
    resp = await http.get(body["url"], follow_redirects=True)
    return {"size": len(resp.content)}


@app.post("/photos/link-checked")
async def photo_link_checked(request: Request, http: httpx.AsyncClient = Depends(get_http)):
    body = await request.json()
    url = body["url"]
    if urlparse(url).hostname not in PHOTO_HOSTS:
        return {"error": "host"}
    resp = await http.get(url)
    return {"size": len(resp.content)}


@app.get("/items/{item_id}")
async def item(item_id: int, http: httpx.AsyncClient = Depends(get_http)):
    resp = await http.get(f"{API}/items/{item_id}")
    return resp.json()


@app.get("/cache")
async def cache_get(request: Request, cache: redis.Redis = Depends(get_cache)):
    return {"value": cache.get(request.query_params["key"])}


@app.post("/hooks/maybe")
async def maybe_hook(request: Request):
    body = await request.json()
    async with _maybe(request.app.state.http) as client:
        await client.post(body["url"], json={})
    return {"ok": True}
"""


def test_clients_made_by_a_module_function_or_annotated_parameters_are_clients() -> None:
    assert lines(FASTAPI_CLIENTS, "SEC016") == [38, 46, 53]


HELPERS = """\
import httpx

from urllib.parse import urlparse

PARTNER_HOSTS = {"lms.partner.example"}


def _client() -> httpx.AsyncClient:
    return httpx.AsyncClient(timeout=10.0)


async def send_grade_passback(outcome_url: str, score: float) -> None:
    async with _client() as client:
        await client.post(outcome_url, json={"score": score})


async def notify_partner(callback_url: str, payload: dict) -> bool:
    if urlparse(callback_url).hostname not in PARTNER_HOSTS:
        return False
    async with _client() as client:
        response = await client.post(callback_url, json=payload)
        return response.status_code < 300


async def fetch_member_photo(client: httpx.AsyncClient, url: str) -> bytes:
    resp = await client.get(url, follow_redirects=True)
    return resp.content
"""

VIEWS = """\
from aiohttp import web

from app import integrations

routes = web.RouteTableDef()


@routes.post("/grades")
async def passback(request: web.Request) -> web.Response:
    body = await request.json()
    await integrations.send_grade_passback(body["outcome_url"], float(body["score"]))
    return web.json_response({"ok": True})


@routes.post("/partner")
async def partner(request: web.Request) -> web.Response:
    body = await request.json()
    await integrations.notify_partner(body["callback_url"], {})
    return web.json_response({"ok": True})


@routes.post("/photo")
async def photo(request: web.Request) -> web.Response:
    body = await request.json()
    data = await integrations.fetch_member_photo(request.app["http"], body["url"])
    return web.Response(body=data)
"""


def test_a_helper_of_another_module_requesting_with_its_own_client(tmp_path: Path) -> None:
    root = write(tmp_path, {"app/__init__.py": "", "app/integrations.py": HELPERS, "app/views.py": VIEWS})
    found = [(f.line, f.code) for f in check_file(root, "app/integrations.py", context_for(root)) if f.code == "SEC016"]
    assert found == [(14, "SEC016"), (26, "SEC016")]  # not notify_partner: it allow-lists the host


def test_a_row_the_author_neutralised_in_part_is_their_judgement() -> None:
    """Service 25's ``[_cell(e.merchant), e.category, e.amount, e.currency, _cell(e.note)]`` (SAFE):
    every partly neutralised row of the seeded services is a look-alike; both writers."""
    src = XLSX.replace('cell(r["tenant"])', 'r["tenant"]')
    assert lines(src, "SEC040") == [18, 39]
    csv_src = """\
import csv
import io

FORMULA = ("=", "+", "-", "@")


def cell(value):
    text = str(value)
    return "'" + text if text.startswith(FORMULA) else text


def export(expenses):
    buf = io.StringIO()
    writer = csv.writer(buf)
    for e in expenses:
        writer.writerow([cell(e.merchant), e.category, cell(e.note)])
        writer.writerow([e.merchant, e.category, e.note])
        writer.writerow([cell(e.title), e.notes])
    return buf.getvalue()
"""
    assert lines(csv_src, "SEC040") == [17, 18]  # a column named as free text stays reported (the demo's row)


RENDERING = """\
from decimal import Decimal

from markupsafe import escape


def search_echo(term: str) -> str:
    return f"<p>No units match <b>{term}</b>.</p>"


def vacancy_card(label: str, rent: Decimal) -> str:
    return f"<div class='unit'><h3>{escape(label)}</h3><p>{rent}</p></div>"


def subject(term: str) -> str:
    return f"Results for {term}"


def heading(term: str) -> str:
    return "<h1>" + term + "</h1>"
"""

SANIC_VIEWS = """\
from sanic import Blueprint
from sanic.response import html, json, text

from app import rendering

bp = Blueprint("search")


@bp.get("/search.html")
async def search_page(request):
    term = request.args.get("q", "")
    return html(rendering.search_echo(term))


@bp.get("/card.html")
async def card(request):
    return html(rendering.vacancy_card(request.args.get("label", ""), 10))


@bp.get("/subject")
async def subject(request):
    return html(rendering.subject(request.args.get("q", "")))


@bp.get("/search.json")
async def search_json(request):
    return json({"html": rendering.heading(request.args.get("q", ""))})


@bp.get("/search.txt")
async def search_text(request):
    return text(rendering.heading(request.args.get("q", "")))
"""

FALCON_VIEWS = """\
import falcon

from app import rendering


class Search:
    async def on_get(self, req, resp):
        term = req.get_param("q", default="")
        resp.content_type = falcon.MEDIA_HTML
        resp.text = rendering.search_echo(term)


class SearchJson:
    async def on_get(self, req, resp):
        resp.media = {"html": rendering.heading(req.get_param("q", default=""))}
"""


def test_html_a_helper_formats_from_its_parameter_and_the_view_sends_as_html(tmp_path: Path) -> None:
    """Services 32 and 33: ``def search_echo(term): return f"<p>...{term}...</p>"`` in a rendering
    module, the view sending what it returns as HTML (``html(...)``, Falcon's ``resp.text`` with an
    HTML content type): reported at the helper's return, naming the view.  Not an escaped value,
    not a string without markup, not a result sent as JSON or text."""
    root = write(tmp_path, {"app/__init__.py": "", "app/rendering.py": RENDERING, "app/views.py": SANIC_VIEWS})
    found = [f for f in check_file(root, "app/rendering.py", context_for(root)) if f.code == "SEC014"]
    assert [f.line for f in found] == [7] and "search_page" in found[0].message
    root2 = write(tmp_path / "f", {"app/__init__.py": "", "app/rendering.py": RENDERING, "app/views.py": FALCON_VIEWS})
    found = [f for f in check_file(root2, "app/rendering.py", context_for(root2)) if f.code == "SEC014"]
    assert [f.line for f in found] == [7]
    quiet = FALCON_VIEWS.replace("        resp.content_type = falcon.MEDIA_HTML\n", "")  # Falcon's default: JSON
    root3 = write(tmp_path / "q", {"app/__init__.py": "", "app/rendering.py": RENDERING, "app/views.py": quiet})
    assert [f for f in check_file(root3, "app/rendering.py", context_for(root3)) if f.code == "SEC014"] == []
