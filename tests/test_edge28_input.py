"""Issue #20's EDGE misses in input, I/O and failure handling on services 20, 21 and 27 that are
general (edge28-input): each case must be flagged on the line marked ``# !`` and nowhere else; the
look-alikes beside them must not be."""

from __future__ import annotations

import textwrap

import pytest

from test_edge_issue20_shapes import _lines, _marked
from vetpy.context import AnalysisContext
from vetpy.engine import check_source

EDGE = AnalysisContext.bare(select=["EDGE"])


def _edge_lines(src: str, *codes: str) -> list[int]:
    """The lines of ``codes`` with every EDGE rule selected (the opt-in ones too)."""
    return sorted({f.line for f in check_source(textwrap.dedent(src), "svc/app.py", EDGE) if f.code in codes})


LOG_READS = [
    # a log file is not small whatever holds its directory (`config.DATA_DIR`), and a constant path
    # under /var/log grows for as long as the service runs
    """
    from myapp import config

    def tail_log(lines: int = 100) -> list[str]:
        with open(config.DATA_DIR / "shipline.log") as fh:
            return fh.readlines()[-lines:]  # !

    def room_history(room):
        with open(config.HISTORY_ROOT / f"{room}.log") as fh:
            return fh.read().splitlines()[-100:]  # !

    def grep_logs(needle):
        lines = open("/var/log/shopsvc/app.log").read().splitlines()  # !
        return [l for l in lines if needle in l]

    def error_lines():
        found = []
        with open(config.DATA_DIR / "shipline.log") as fh:
            for line in fh:
                if "ERROR" in line:
                    found.append(line)
        return found

    def tail_settings():
        with open(config.DATA_DIR / "settings.toml") as fh:
            return fh.readlines()[-5:]

    def tail_log_config():
        with open("/etc/app/log_config.yaml") as fh:
            return fh.readlines()[-5:]

    def cpu_lines():
        lines = open("/proc/cpuinfo").read().splitlines()
        return [l for l in lines if l]

    def kept(path):
        lines = open(path).read().splitlines()
        return lines
    """,
]


@pytest.mark.parametrize("src", LOG_READS)
def test_log_reads(src: str) -> None:
    assert _lines(src, "EDGE005") == _marked(src)


EMPTY_ROWS = [
    # the rows of a SELECT may be none, whichever driver runs it (an awaited raw query included)
    """
    async def average_weight(db, owner_id: int) -> float:
        rows = await db.execute_query_dict("SELECT weight_grams FROM shipments WHERE owner_id = ?", [owner_id])
        return sum(r["weight_grams"] for r in rows) / len(rows)  # !

    async def average_weight_safe(db, owner_id: int) -> float:
        rows = await db.execute_query_dict("SELECT weight_grams FROM shipments WHERE owner_id = ?", [owner_id])
        if not rows:
            return 0.0
        return sum(r["weight_grams"] for r in rows) / len(rows)

    def heaviest(conn, owner_id):
        rows = list(conn.execute("SELECT weight FROM shipments WHERE owner = ?", (owner_id,)).fetchall())
        return max(r[0] for r in rows)  # !

    def count_ratio(conn, n):
        rows = conn.execute("SELECT count(*) FROM shipments").fetchall()
        return n / len(rows)

    def by_default(conn):
        rows = conn.execute("SELECT weight FROM shipments").fetchall()
        return max((r[0] for r in rows), default=0)
    """,
    # a module-level collection that starts empty and is filled only at run time is empty until then
    """
    import threading
    from collections import Counter

    _scan_totals = Counter()
    _lock = threading.Lock()

    def record(depot):
        with _lock:
            _scan_totals[depot] += 1

    def average_scans() -> float:
        with _lock:
            return sum(_scan_totals.values()) / len(_scan_totals)  # !

    def busiest() -> str:
        with _lock:
            return sorted(_scan_totals.items(), key=lambda kv: kv[1], reverse=True)[0][0]  # !

    def busiest_safe():
        with _lock:
            top = _scan_totals.most_common(1)
        return top[0][0] if top else None

    def average_guarded() -> float:
        if not _scan_totals:
            return 0.0
        return sum(_scan_totals.values()) / len(_scan_totals)
    """,
    # look-alikes: a registry filled at import time, a module constant, a rebound local
    """
    HANDLERS = {}
    WEIGHTS = {"a": 1, "b": 2}
    _seen = []

    def register(name):
        def wrap(func):
            HANDLERS[name] = func
            return func
        return wrap

    @register("ping")
    def ping():
        return "pong"

    def first_handler():
        return sorted(HANDLERS)[0]

    def mean_weight():
        return sum(WEIGHTS.values()) / len(WEIGHTS)

    def local_shadow(items):
        _seen = list(items) or [1]
        return sum(_seen) / len(_seen)

    def filled_at_import():
        return sum(_seen) / len(_seen)

    _seen.append(1)
    """,
]


@pytest.mark.parametrize("src", EMPTY_ROWS)
def test_maybe_empty_collections(src: str) -> None:
    assert _edge_lines(src, "EDGE010", "EDGE011", "EDGE012") == _marked(src)


SYNC_CLIENTS = """
import asyncio

import httpx

async def direct(address):
    with httpx.Client(base_url="https://geo.example", timeout=5) as client:
        return client.get("/validate", params={"q": address}).json()  # !

async def fine(address):
    async with httpx.AsyncClient(timeout=5) as client:
        return (await client.get("/v", params={"q": address})).json()

async def given(url, client):
    return await client.get(url)

def sync_helper(url):
    with httpx.Client(timeout=5) as client:
        return client.get(url).json()

async def uses_helper(url):
    return sync_helper(url)  # !

async def uses_helper_off_loop(url):
    return await asyncio.to_thread(sync_helper, url)
"""


def test_a_sync_http_client_in_a_coroutine_or_its_helper() -> None:
    assert _lines(SYNC_CLIENTS, "EDGE013") == _marked(SYNC_CLIENTS)


QUART_PARAMS = """
from quart import request

async def paged():
    page = int(request.args.get("page"))  # !
    return page

async def paged_safe():
    page = request.args.get("page", 1, type=int)
    return page
"""


def test_a_quart_request_parameter_without_a_default() -> None:
    # converted at once: EDGE041's (on by default), not EDGE009's (tests/test_edge53_query_params.py)
    assert _edge_lines(QUART_PARAMS, "EDGE041") == _marked(QUART_PARAMS)


FIRST_ROWS = """
from django.http import JsonResponse

from .models import Room, Event, User, db

def room_card(request):
    room = Room.objects.filter(name=request.GET.get("name", ""), is_active=True).first()
    return JsonResponse({"room": room.name})  # !

async def latest_event(owner):
    event = await Event.filter(owner_id=owner).order_by("-happened_at").first()
    return {"status": event.status}  # !

def legacy_login(email):
    user = User.query.filter_by(email=email).first()
    if user.legacy_sha1:  # !
        return True
    return False

def room_card_safe(name):
    room = Room.objects.filter(name=name).first()
    if room is None:
        return {}
    return {"room": room.name}

async def latest_safe(owner):
    event = await Event.filter(owner_id=owner).first()
    return {"status": event.status} if event else {}

def not_a_query(items):
    head = items.first()
    return head.name

def first_of_series(frame):
    return frame.first("3D").mean
"""


def test_the_first_row_of_a_query_may_be_none() -> None:
    assert _edge_lines(FIRST_ROWS, "EDGE009") == _marked(FIRST_ROWS)


FILE_ROWS = """
import csv
import io

def first_room_name(csv_text: str) -> str:
    reader = csv.DictReader(io.StringIO(csv_text))
    return next(reader)["name"]  # !

def header(text):
    return next(csv.reader(io.StringIO(text)))  # !

def xlsx_header(wb):
    rows = wb.active.iter_rows(values_only=True)
    return [str(h) for h in next(rows)]  # !

def header_or_none(text):
    return next(csv.reader(io.StringIO(text)), None)

def header_caught(text):
    try:
        return next(csv.reader(io.StringIO(text)))
    except StopIteration:
        return []

def not_rows(it):
    return next(it)
"""


def test_the_first_row_of_a_file_may_not_exist() -> None:
    assert _edge_lines(FILE_ROWS, "EDGE025") == _marked(FILE_ROWS)  # EDGE012's certain half


PAGE_SIZES = [
    # a route's parameter without an upper bound, used as the query's size
    """
    from typing import Annotated
    from fastapi import APIRouter, Query
    from litestar import get
    from litestar.params import Parameter

    router = APIRouter()

    @get("/export")
    async def export_shipments(owner: int, limit: int = 1000) -> list:  # !
        return await Shipment.filter(owner_id=owner).limit(limit)

    @get("/page")
    async def page(size: Annotated[int, Parameter(ge=1, le=200)] = 50) -> list:
        return await Shipment.all().limit(size)

    @router.get("/items")
    def items(limit: int = Query(100, le=500)):
        return session.query(Item).limit(limit).all()

    @router.get("/items-capped")
    def items_capped(limit: int = 100):
        return session.query(Item).limit(min(limit, 500)).all()

    @router.get("/items-checked")
    def items_checked(limit: int = 100):
        if limit > 500:
            raise ValueError("too many")
        return session.query(Item).limit(limit).all()

    def helper(limit: int = 100):
        return session.query(Item).limit(limit).all()
    """,
    # a request value read as an int, in Flask and in a Django ListView
    """
    from flask import request
    from django.views.generic import ListView

    @bp.get("/")
    def index():
        page = request.args.get("page", 1, type=int)
        per_page = request.args.get("per_page", 25, type=int)
        return Expense.query.offset((page - 1) * per_page).limit(per_page).all()  # !

    @bp.get("/capped")
    def capped():
        limit = max(1, min(request.args.get("limit", 20, type=int), 100))
        return Expense.query.limit(limit).all()

    @bp.get("/fixed")
    def fixed():
        page = request.args.get("page", 1, type=int)
        return Expense.query.offset((page - 1) * 20).limit(20).all()

    class BookingList(ListView):
        def get_paginate_by(self, queryset):
            return int(self.request.GET.get("per_page", 20))  # !

    class BookingListCapped(ListView):
        def get_paginate_by(self, queryset):
            return min(int(self.request.GET.get("per_page", 20)), 100)
    """,
    # a whole table read through an f-string that only names it
    """
    async def export_table(db, table):
        cursor = await db.execute(f"SELECT * FROM {table}")
        return list(await cursor.fetchall())  # !

    async def export_owner(db, table, owner):
        cursor = await db.execute(f"SELECT * FROM {table} WHERE owner_id = ?", (owner,))
        return list(await cursor.fetchall())
    """,
]


@pytest.mark.parametrize("src", PAGE_SIZES)
def test_client_page_sizes_and_whole_tables(src: str) -> None:
    assert _edge_lines(src, "EDGE004", "EDGE024") == _marked(src)  # a page size is EDGE024


DOWNLOADS = """
import io

import httpx
import requests
from PIL import Image

BASE = "https://partner.example"

def fetch_avatar(url: str) -> bytes:
    resp = requests.get(url, timeout=5)
    return resp.content  # !

def download(url):
    resp = httpx.get(url, timeout=5)
    data = resp.content  # !
    return data

def known_endpoint(code):
    resp = requests.get(f"{BASE}/labels/{code}", timeout=5)
    return resp.content

def parsed(url):
    resp = requests.get(url, timeout=5)
    return Image.open(io.BytesIO(resp.content))

def streamed(url, out):
    resp = requests.get(url, timeout=5, stream=True)
    for chunk in resp.iter_content(65536):
        out.write(chunk)

def given(resp):
    return resp.content
"""


def test_a_download_from_a_url_the_caller_gives_read_whole() -> None:
    assert _edge_lines(DOWNLOADS, "EDGE022") == _marked(DOWNLOADS)
    assert _lines(DOWNLOADS, "EDGE005") == []


POLLS = """
import asyncio
import time

import httpx
import requests

async def poll_until_ready(job_url):
    async with httpx.AsyncClient(timeout=10) as client:
        while True:  # !
            resp = await client.get(job_url)
            if resp.json().get("status") == "done":
                return resp.json()
            await asyncio.sleep(2)

def wait_for_export(url):
    while True:  # !
        status = requests.get(url, timeout=5).json()["state"]
        if status in ("ready", "failed"):
            break
        time.sleep(5)
    return status

def poll_counted(url):
    attempts = 0
    while True:
        resp = requests.get(url, timeout=5)
        if resp.json()["done"]:
            return resp.json()
        attempts += 1
        if attempts > 30:
            raise TimeoutError(url)
        time.sleep(2)

def poll_deadline(url):
    deadline = time.monotonic() + 60
    while True:
        resp = requests.get(url, timeout=5)
        if resp.json()["done"]:
            return resp.json()
        if time.monotonic() > deadline:
            raise TimeoutError(url)
        time.sleep(2)

def poll_bounded(url):
    for _ in range(30):
        resp = requests.get(url, timeout=5)
        if resp.json()["done"]:
            return resp.json()
        time.sleep(2)
    raise TimeoutError(url)

async def eta_loop(client, codes):
    while True:
        await asyncio.gather(*(client.get(c) for c in codes), return_exceptions=True)
        await asyncio.sleep(60)

def consume(queue, stop):
    while True:
        item = queue.get()
        if item is None:
            break
        handle(item)

def watch(api, name):
    # a watch mode (dstack's `metrics --watch`): refreshes until interrupted; it leaves only on an error
    while True:
        show(run)
        time.sleep(2)
        run = api.runs.get(name)
        if run is None:
            raise LookupError(name)
"""


def test_a_poll_that_never_gives_up() -> None:
    assert _lines(POLLS, "EDGE006") == _marked(POLLS)


UPLOADED_CSV = """
import csv
import io

from fastapi import UploadFile

async def import_manifest(data: UploadFile) -> int:
    text = (await data.read()).decode("utf-8")  # !
    reader = csv.reader(io.StringIO(text))
    created = 0
    for row in reader:
        created += 1
    return created

async def import_rows(data: UploadFile) -> list:
    text = (await data.read()).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))

async def import_capped(data: UploadFile) -> int:
    text = (await data.read(1_000_000 + 1)).decode("utf-8")
    reader = csv.reader(io.StringIO(text))
    return sum(1 for _ in reader)
"""


def test_an_upload_read_whole_for_a_row_by_row_csv_reader() -> None:
    assert _lines(UPLOADED_CSV, "EDGE005") == _marked(UPLOADED_CSV)


SORTED_LOCALS = """
def first_equal(h):
    same = []
    for pair in zip(h, h[1:]):
        if pair[0][0] != pair[1][0]:
            break
        same.append(pair[0])
    return sorted(same, key=lambda e: e[1])[0]

def cheapest(conn):
    rows = conn.execute("SELECT price FROM rates").fetchall()
    return sorted(rows)[0]  # !
"""


def test_sorted_first_of_a_local_the_function_fills_is_left_to_its_logic() -> None:
    assert _edge_lines(SORTED_LOCALS, "EDGE012") == _marked(SORTED_LOCALS)
