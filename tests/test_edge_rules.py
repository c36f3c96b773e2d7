"""EDGE rules, written from their documentation: each rule has cases it must flag (the line is
marked ``# !``) and look-alikes a careful reviewer would accept (nothing may be flagged)."""

from __future__ import annotations

import textwrap

import pytest

from vetpy import codes
from vetpy.context import AnalysisContext
from vetpy.engine import check_source
from vetpy.findings import FixSafety, Severity
from vetpy.rules import REGISTRY, load_all

CTX = AnalysisContext.bare(select=["EDGE"])


def findings(src: str, path: str = "app.py"):
    return check_source(textwrap.dedent(src), path=path, ctx=CTX)


def flagged(src: str, code: str, path: str = "app.py") -> list[int]:
    return sorted({f.line for f in findings(src, path) if f.code == code})


def marked(src: str) -> list[int]:
    return [i for i, line in enumerate(textwrap.dedent(src).splitlines(), 1) if line.rstrip().endswith("# !")]


POSITIVE: dict[str, list[str]] = {
    "EDGE001": [
        """
        try:
            work()
        except:  # !
            pass
        """,
        """
        for x in xs:
            try:
                work(x)
            except:  # !
                log.error("failed")
        """,
    ],
    "EDGE002": [
        """
        try:
            work()
        except Exception:  # !
            pass
        """,
        """
        def load(path):
            try:
                return parse(path)
            except Exception:  # !
                return None
        """,
        """
        for item in items:
            try:
                handle(item)
            except (ValueError, Exception):  # !
                continue
        """,
        """
        try:
            work()
        except Exception:  # !
            logger.error("work failed")
        """,
        """
        try:
            work()
        except BaseException:  # !
            return False
        """,
    ],
    "EDGE003": [
        """
        import requests
        r = requests.get(url)  # !
        """,
        """
        import requests as rq
        rq.post(url, json=body)  # !
        """,
        """
        from requests import get
        get(url)  # !
        """,
        """
        import requests
        s = requests.Session()
        s.get(url)  # !
        """,
        """
        import requests
        with requests.Session() as session:
            session.post(url, data=d)  # !
        """,
        """
        from urllib.request import urlopen
        body = urlopen(url).read()  # !
        """,
        """
        import http.client
        conn = http.client.HTTPSConnection("example.com")  # !
        """,
        """
        import socket
        sock = socket.create_connection(("example.com", 80))  # !
        """,
        """
        import aiohttp
        async def main():
            async with aiohttp.ClientSession() as s:  # !
                pass
        """,
        """
        import httpx
        httpx.get(url, timeout=None)  # !
        """,
        """
        import httpx
        client = httpx.Client(timeout=None)  # !
        """,
        """
        import requests
        requests.get(url, timeout=None)  # !
        """,
        """
        import requests
        def fetch(url, timeout=10):
            return requests.get(url)  # !
        """,
    ],
    "EDGE004": [
        """
        cur.execute("SELECT * FROM orders")
        rows = cur.fetchall()  # !
        """,
        """
        rows = conn.execute("select id, name from users").fetchall()  # !
        """,
        """
        users = session.query(User).all()  # !
        """,
        """
        users = User.query.all()  # !
        """,
        """
        from sqlalchemy import select
        users = session.execute(select(User)).scalars().all()  # !
        """,
    ],
    "EDGE005": [
        """
        with open(p) as f:
            for line in f.readlines():  # !
                print(line)
        """,
        # a generator or a filtered comprehension would hold less than every line: readlines() holds all
        """
        def count_comments(path):
            with open(path) as f:
                return sum(1 for line in f.readlines() if line.startswith("#"))  # !
        """,
        """
        def comments(path):
            with open(path) as f:
                return [line for line in f.readlines() if line.startswith("#")]  # !
        """,
        # bodies that arrive as a stream: urlopen's response, the Body of boto3's get_object
        """
        import urllib.request
        from urllib.request import urlopen

        def fetch_url(url):
            with urllib.request.urlopen(url, timeout=5) as resp:
                return resp.read()  # !

        def mirror(url, out):
            data = urlopen(url, timeout=5).read()  # !
            out.write(data)

        def download(s3, bucket, key):
            return s3.get_object(Bucket=bucket, Key=key)["Body"].read()  # EDGE022's (opt-in)
        """,
        """
        from flask import request
        data = request.files["upload"].read()  # !
        """,
        """
        from fastapi import UploadFile
        async def upload(file: UploadFile):
            data = await file.read()  # !
        """,
        """
        from fastapi import UploadFile
        async def upload(file: UploadFile):
            async def inner():
                return await file.read()  # !
            return await inner()
        """,
        """
        import requests
        r = requests.get(url, stream=True, timeout=5)
        body = r.content  # !
        """,
    ],
    "EDGE006": [
        # services 30, 32, 33: a job that queues itself again on failure, arguments unchanged
        """
        from rq import Queue
        queue = Queue()
        def retry_bank_file(run_id):
            try:
                send_bank_file(run_id)
            except Exception:
                queue.enqueue_in(timedelta(minutes=10), retry_bank_file, run_id)  # !
        """,
        """
        while True:  # !
            try:
                return fetch()
            except ConnectionError:
                continue
        """,
        """
        import time
        while True:  # !
            try:
                return fetch()
            except ConnectionError:
                time.sleep(1)
        """,
        """
        import asyncio
        async def connect():
            while True:  # !
                try:
                    return await open_connection()
                except OSError:
                    logger.warning("retrying")
                    await asyncio.sleep(5)
        """,
        """
        while True:  # !
            try:
                data = fetch()
                break
            except Exception:
                log.warning("retrying")
        """,
    ],
    "EDGE007": [
        """
        from decimal import Decimal
        from pydantic import BaseModel
        from sqlalchemy import Float, Numeric
        from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

        class Invoice(DeclarativeBase):
            total: Mapped[Decimal] = mapped_column(Numeric(12, 2))

        class LineItem(DeclarativeBase):
            unit_price: Mapped[float] = mapped_column(Float)  # !
            ratio: Mapped[float] = mapped_column(Float)

        class InvoiceOut(BaseModel):
            total: float  # !
            tax_amount: float | None = None  # !
            latitude: float
        """,
        # a local that holds a float by construction, as an operand of money arithmetic
        """
        def discounted_price(price, loyalty_years):
            discount = 0.05 * min(loyalty_years, 4)
            return price - price * discount  # !

        def with_fee(amount):
            fee_rate = float("0.029")
            return amount + amount * fee_rate  # !
        """,        """
        price = float(request.form["price"])  # !
        """,
        """
        total = float(row["amount"])  # !
        """,
        """
        x = float(order.unit_price)  # !
        """,
        """
        gross = round(price * 1.2, 2)  # !
        """,
        """
        account_balance = float(text)  # !
        """,
        """
        from rest_framework import serializers
        class RefundSerializer(serializers.Serializer):
            amount = serializers.FloatField(min_value=0)  # !
        """,
    ],
    "EDGE008": [
        """
        from decimal import Decimal
        fee = Decimal(0.1)  # !
        """,
        """
        import decimal
        fee = decimal.Decimal(-19.99)  # !
        """,
        """
        from decimal import Decimal
        price = Decimal(float(text))  # !
        """,
    ],
    "EDGE041": [
        """
        from flask import request
        def view():
            return request.args.get("name").lower()  # !
        """,
    ],
    "EDGE009": [
        """
        from flask import request
        def view():
            return request.form.get("name").lower()  # !
        """,
        """
        import re
        def f(s):
            m = re.match(r"(\\d+)", s)
            return m.group(1)  # !
        """,
        """
        import re
        n = int(re.search(r"\\d+", s).group())  # !
        """,
        """
        import re
        PAT = re.compile(r"x")
        def f(s):
            return PAT.fullmatch(s)[0]  # !
        """,
        """
        import os
        home = os.environ.get("HOME").rstrip("/")  # !
        """,
        """
        import os
        port = int(os.getenv("PORT"))  # !
        """,
        """
        import shutil, subprocess
        git = shutil.which("git")
        print(git.upper())  # !
        """,
        """
        def f(config: dict):
            db = config.get("database")
            return db["host"]  # !
        """,
        """
        COLORS = {"red": "#f00", "green": "#0f0"}
        def f(name):
            return COLORS.get(name).upper()  # !
        """,
        """
        import re
        def f(s, flag):
            m = re.match("a", s)
            if flag:
                return None
            return m.end()  # !
        """,
        """
        import re
        def f(lines):
            for line in lines:
                m = re.search("x", line)
                if m:
                    print("found")
                print(m.start())  # !
        """,
        """
        from typing import Optional
        def find(x) -> Optional[str]:
            return None
        def g():
            return find(1).upper()  # !
        """,
        """
        import re
        def f(s):
            m = re.match("a", s)
            if m is None:
                log.warning("no match")
            return m.group()  # !
        """,
        """
        import re
        def f(text):
            return re.match("x", text).start()  # type: ignore[no-untyped-call]  # !
        """,
    ],
    "EDGE010": [
        """
        def average(values):
            return sum(values) / len(values)  # !
        """,
        """
        import statistics
        def f(samples):
            return statistics.mean(samples)  # !
        """,
        """
        def f(rows):
            picked = []
            for r in rows:
                if r.ok:
                    picked.append(r.x)
            return sum(picked) / len(picked)  # !
        """,
        """
        def f(rows):
            picked = [r for r in rows if r.ok]
            return sum(picked) / len(picked)  # !
        """,
        """
        from collections import Counter
        def f(s, other):
            shares = {c: n / len(other) for c, n in Counter(s).items()}  # !
            for x in s:
                pass
            return shares, sum(s) / len(s)  # !
        """,
    ],
    "EDGE011": [
        """
        def best(scores, threshold):
            return max(s for s in scores if s > threshold)  # !
        """,
        """
        def longest(text):
            words = text.split()
            return max(words, key=len)  # !
        """,
        """
        def f(d):
            out = {}
            for k in d:
                if k:
                    out[k] = 1
            return min(out.values())  # !
        """,
        """
        import os
        def f(folder):
            out = {}
            for k in os.listdir(folder):
                out[k] = 1
            return min(out.values())  # !
        """,
    ],
    "EDGE012": [
        """
        admin = [u for u in users if u.is_admin][0]  # !
        """,
        """
        def f(users):
            admins = [u for u in users if u.is_admin]
            return admins[0]  # !
        """,
        """
        first = next(u for u in users if u.active)  # !
        """,
        """
        def f(users):
            admins = list(filter(None, users))
            return admins[-1]  # !
        """,
    ],
    "EDGE013": [
        """
        import time
        async def handler():
            time.sleep(1)  # !
        """,
        """
        import requests
        async def fetch(url):
            return requests.get(url, timeout=5)  # !
        """,
        """
        async def read(path):
            with open(path) as f:  # !
                return f.read()
        """,
        """
        import sqlite3
        async def q():
            conn = sqlite3.connect("db.sqlite")  # !
        """,
        """
        import subprocess
        async def run():
            subprocess.run(["ls"])  # !
        """,
    ],
    "EDGE014": [
        """
        def add(item, items=[]):  # !
            items.append(item)
            return items
        """,
        """
        def f(*, acc=list()):  # !
            acc += [1]
        """,
        """
        def notify_watchers(ticket_id, watchers, cc=[]):  # !
            cc.extend(watchers)
            return cc
        """,
        """
        def collect(value, seen=set()):  # !
            seen.update(value)
        """,
        """
        def scoped(query, user, filters={}):  # !
            filters.setdefault("owner", user.id)
            return query.filter_by(**filters)
        """,
        """
        def to_record(row, carried={}):  # !
            carried.update({k: v for k, v in row.items() if v})
            return Record(**carried)
        """,
        """
        def merge(options, extra={}):  # !
            extra.update(options)
            return extra
        """,
    ],
    "EDGE024": [
        """
        from flask import Flask, request
        app = Flask(__name__)
        @app.get("/orders")
        def orders():
            per_page = request.args.get("per_page", 25, type=int)
            return Order.query.limit(per_page).all()  # !
        """,
        # a size formatted into a SQL text's LIMIT: reported where it is read (where the cap goes)
        """
        from flask import Flask, request
        app = Flask(__name__)
        @app.get("/users")
        def users():
            per_page = int(request.args.get("per_page", 50))  # !
            rows = conn.execute("SELECT id FROM users ORDER BY id LIMIT %d OFFSET %d" % (per_page, 0)).fetchall()
            return rows
        """,
        """
        from flask import Flask, request
        app = Flask(__name__)
        @app.get("/users")
        def users():
            limit = request.args.get("limit", 50, type=int)  # !
            return conn.execute(f"SELECT id FROM users LIMIT {limit}").fetchall()
        """,
        # the bound of a slice of a Django queryset
        """
        from rest_framework.decorators import action
        class PatientViewSet:
            @action(detail=False, methods=["get"])
            def manual_page(self, request):
                page = int(request.query_params.get("page", 1))
                size = int(request.query_params.get("size", 25))  # !
                qs = Patient.objects.filter(active=True).order_by("id")
                start = page * size
                return qs[start:start + size]
        """,
    ],
    "EDGE031": [
        # service 32: an attribute set on the row that may be None (AttributeError on the store)
        """
        async def fail(event):
            payment = await Payment.get_or_none(processor_ref=event["charge"])
            payment.status = "failed"  # !
            await payment.save(update_fields=["status"])
        def close(session, ticket_id):
            ticket = session.get(Ticket, ticket_id)
            ticket.closed = True  # !
        """,
        """
        def invoice_summary(session, invoice_id):
            invoice = session.get(Invoice, invoice_id)
            return {"number": invoice.number}  # !
        """,
        """
        async def sell(session, event_id, quantity):
            event = await session.get(Event, event_id)
            if event.capacity - event.sold < quantity:  # !
                return False
            return True
        def gross(report_id):
            report = db.session.get(models.ExpenseReport, report_id)
            return report.total * 2  # !
        def title(report_id):
            return db_session.get(Report, report_id).title  # !
        """,
        """
        async def shipment_status(code):
            shipment = await Shipment.get_or_none(tracking_code=code)
            return shipment.status  # !
        def plugin_version(plugin_id):
            plugin = Plugin.query.filter_by(plugin_id=plugin_id).one_or_none()
            return plugin.version  # !
        def email_of(session, stmt):
            user = session.execute(stmt).scalar_one_or_none()
            return user.email  # !
        """,
    ],
    "EDGE032": [
        """
        from datetime import date, datetime, timedelta
        def next_pay_date(previous):
            return previous.replace(month=previous.month + 1)  # !
        def previous_month(day):
            return day.replace(month=day.month - 1)  # !
        def tomorrow(day):
            return day.replace(day=day.day + 1)  # !
        def lesson_end(first):
            return first.replace(hour=first.hour + 2)  # !
        def reminder(first):
            return first.replace(minute=first.minute + 30)  # !
        """,
        """
        from datetime import date
        PAY_DAY = 31
        def renewal(started):
            return started.replace(year=started.year + 1)  # !
        def same_day_next_year(day):
            return date(day.year + 1, day.month, day.day)  # !
        def month_end(year, month):
            return date(year, month + 1, 1)  # !
        def period_end(period):
            year, month = (int(p) for p in period.split("-"))
            return date(year, month, 30)  # !
        def payday(day):
            return day.replace(day=PAY_DAY)  # !
        def feb_29(year):
            return date(year, 2, 29)  # !
        """,
        """
        import datetime as dt
        def next_month(day):
            m = day.month
            return day.replace(month=m + 1)  # !
        def start(year, month):
            return dt.datetime(year, month + 1, 1, 0, 0)  # !
        """,
    ],
    "EDGE030": [
        """
        import os
        def write_export(target, content):
            if os.path.exists(target):
                raise FileExistsError(target)
            with open(target, "w") as f:  # !
                f.write(content)
        """,
        """
        def write_export(path, body):
            if path.exists():  # !
                raise FileExistsError(path)
            data = body.encode()
            path.write_bytes(data)
        """,
    ],
    "EDGE025": [
        """
        def get_reply(comment, reply_id):
            return next(r for r in comment.replies if r["id"] == reply_id)  # !
        def token_of(tokens, challenge):
            return next(t for t in tokens if t.token.serial == challenge.serial)  # !
        def by_owner(items, user):
            return next(i for i in items if user.id == i.owner_id)  # !
        """,
        """
        import csv
        def header(fh):
            return next(csv.reader(fh))  # !
        """,
        """
        import csv, io
        def first_columns(text):
            rows = list(csv.DictReader(io.StringIO(text)))
            first = rows[0]  # !
            return list(first), len(rows)
        """,
    ],
    "EDGE026": [
        """
        import uuid
        from datetime import datetime, timezone
        from django.db import models
        from django.utils import timezone as tz
        from pydantic import BaseModel
        class Challenge(db.Model):
            timestamp = db.Column(db.DateTime, default=datetime.utcnow(), index=True)  # !
            ident = db.Column(db.String(36), default=str(uuid.uuid4()))
            key = db.Column(db.String(36), default=uuid.uuid4())  # !
        class Note(models.Model):
            issued_at = models.DateTimeField(default=tz.now())  # !
            values = models.JSONField(default={})  # !
            tags = models.JSONField(default=[])  # !
        class Member(BaseModel):
            joined_at: datetime = datetime.now(timezone.utc)  # !
        """,
    ],
    "EDGE027": [
        """
        import datetime
        created = int(datetime.datetime.utcnow().timestamp())  # !
        then = datetime.datetime.utcfromtimestamp(ts).timestamp()  # !
        """,
    ],
    "EDGE028": [
        """
        import redis
        r = redis.Redis.from_url(URL)
        def door_lock(event_id):
            return r.lock(f"door-sync:{event_id}")  # !
        """,
    ],
    "EDGE029": [
        """
        _holds = {}
        def sweep(now):
            for key, expiry in _holds.items():  # !
                if expiry < now:
                    del _holds[key]
        def prune(pending):
            seen = set()
            for refill in pending:  # !
                if refill.pid in seen:
                    pending.remove(refill)
                seen.add(refill.pid)
        class C:
            def go(self):
                for k in self.cache:  # !
                    self.cache.pop(k)
        """,
    ],
    "EDGE023": [
        """
        import asyncio
        from asyncio import ensure_future

        async def startup():
            asyncio.create_task(warm())  # !
            ensure_future(warm())  # !
            asyncio.get_running_loop().create_task(warm())  # !
            loop = asyncio.get_event_loop()
            loop.create_task(warm())  # !
        """,
    ],
    "EDGE022": [
        """
        def download(s3, bucket, key):
            obj = s3.get_object(Bucket=bucket, Key=key)
            return obj["Body"].read()  # !

        def download_inline(s3, bucket, key):
            return s3.get_object(Bucket=bucket, Key=key)["Body"].read()  # !
        """,
    ],
    "EDGE021": [
        """
        def register(name, registry={}):  # !
            registry[name] = True
        """,
        """
        class A:
            def __init__(self, tags=set()):  # !
                self.tags = tags
        """,
        """
        def find(filters={}):  # !
            filters.pop("page", None)
            return filters
        """,
    ],
    "EDGE015": [
        """
        def delete(user, post):
            assert user.is_admin, "forbidden"  # !
            post.delete()
        """,
        """
        from flask import request
        def view():
            assert request.json["amount"] > 0  # !
        """,
        """
        def edit(doc, current_user):
            assert doc.owner_id == current_user.id  # !
        """,
        """
        @app.post("/items")
        def create(item):
            assert item.quantity > 0  # !
        """,
        # one list of route decorators for every family (vetpy.libraries): FastAPI's api_route
        # is a route here as it is for the security rules
        """
        @app.api_route("/items", methods=["POST"])
        def create(item):
            assert item.quantity > 0  # !
        """,
        """
        @api_view(["POST"])
        def create(request):
            assert request.data["quantity"] > 0  # !
        """,
        # a role is an authority when a person holds it: a principal in sight, or a role's name
        """
        def publish(request, post):
            role = request.user.role
            assert role in ("editor", "admin")  # !
            post.publish()
        """,
        """
        def set_role(role):
            assert role in ("admin", "staff")  # !
        """,
        """
        def can_edit(roles):
            assert "owner" in roles  # !
        """,
    ],
    "EDGE016": [
        """
        from datetime import datetime
        now = datetime.utcnow()  # !
        """,
        """
        import datetime
        ts = datetime.datetime.utcfromtimestamp(t)  # !
        """,
        """
        import datetime as dt
        x = dt.datetime.utcnow()  # !
        """,
    ],
    "EDGE017": [
        # utcnow()/utcfromtimestamp() are naive too (EDGE016, which reports every use, is opt-in)
        """
        from datetime import datetime, timezone
        def expired(claims):
            expires = datetime.fromtimestamp(claims["exp"], timezone.utc)
            return datetime.utcnow() > expires  # !
        """,
        """
        import datetime
        def age(ts):
            return datetime.datetime.now(datetime.timezone.utc) - datetime.datetime.utcfromtimestamp(ts)  # !
        """,
        """
        from datetime import datetime, timedelta, timezone
        def expired(token):
            expires = datetime.now(timezone.utc) + timedelta(hours=1)
            if datetime.now() > expires:  # !
                return True
            return False
        """,
        """
        import datetime as dt
        EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
        def age():
            now = dt.datetime.now()
            return now - EPOCH  # !
        """,
        """
        from datetime import datetime, timezone
        from zoneinfo import ZoneInfo
        def f(ts):
            a = datetime.fromtimestamp(ts) < datetime.now(ZoneInfo("Europe/Paris"))  # !
            b = datetime.today() == datetime.now(tz=timezone.utc).astimezone()  # !
            c = datetime(2024, 1, 1) <= datetime.now(timezone.utc).replace(microsecond=0).astimezone()  # !
            return a, b, c
        """,
    ],
    "EDGE018": [
        """
        from flask import Flask
        app = Flask(__name__)
        CACHE = {}

        @app.get("/user/<uid>")
        def user(uid):
            if uid not in CACHE:  # !
                CACHE[uid] = load(uid)
            return CACHE[uid]
        """,
        """
        import threading
        HITS = 0

        def worker():
            global HITS
            HITS += 1  # !

        threading.Thread(target=worker).start()
        """,
        """
        import threading
        SEEN = []

        class Crawler(threading.Thread):
            def run(self):
                if self.url not in SEEN:  # !
                    SEEN.append(self.url)
        """,
        """
        from fastapi import FastAPI
        app = FastAPI()
        TOKENS = {}

        @app.get("/token/{user}")
        async def token(user: str):
            if TOKENS.get(user) is None:  # !
                TOKENS[user] = await issue(user)
            return TOKENS[user]
        """,
        """
        import asyncio
        from fastapi import FastAPI
        app = FastAPI()
        VIEWERS = {}
        @app.get("/join/{room}")
        async def join(room: str):
            count = VIEWERS.get(room, 0)
            await asyncio.sleep(0)
            VIEWERS[room] = count + 1  # !
        """,
    ],
    "EDGE019": [
        """
        import os
        if not os.path.exists(out_dir):
            os.makedirs(out_dir)  # !
        """,
        """
        import os
        def cleanup(lock_file):
            if os.path.exists(lock_file):
                os.remove(lock_file)  # !
        """,
        """
        import os
        def write_once(path, data):
            if not os.path.exists(path):
                with open(path, "w") as f:  # !
                    f.write(data)
        """,
        """
        from pathlib import Path
        def reset(p: Path):
            if p.exists():
                p.unlink()  # !
        """,
    ],
    "EDGE020": [
        """
        def next_number(conn, queue):
            return conn.execute("SELECT last FROM counters WHERE queue = ?", (queue,)).fetchone()[0]  # !
        """,
        """
        def owner(cursor, ticket_id):
            cursor.execute("SELECT owner FROM tickets WHERE id = %s LIMIT 1", [ticket_id])
            row = cursor.fetchone()
            return row.owner  # !
        """,
        """
        def per_queue(conn, queue):
            row = conn.execute("SELECT queue, COUNT(*) FROM tickets WHERE queue = ? GROUP BY queue", (queue,)).fetchone()
            return row[1]  # !
        """,
    ],
    "EDGE033": [
        # services 29-32: four authors' ages and lengths of service
        """
        import math
        from datetime import date
        def age_on(dob, on):
            return (on - dob).days // 365  # !
        def years_of_service(start, today):
            return (today - start).days // 365  # !
        def breakdown(dobs):
            today = date.today()
            ages = []
            for dob in dobs:
                age = (today - dob).days // 365  # !
                ages.append(age)
            return ages
        def tenure(employee, today):
            delta = today - employee.hired_on
            return int(delta.days / 365.25)  # !
        def is_adult(user, today):
            user_age = math.floor((today - user.birth_date).days / 365.2425)  # !
            return user_age >= 18
        class Member:
            def refresh(self, today):
                self.years = (today - self.joined).days // 365  # !
        """,
    ],
    "EDGE034": [
        # services 28-31: four authors' 1-based pages (FastAPI Query, DRF, Flask, a docstring)
        """
        from fastapi import Query
        async def my_orders(session, page: int = Query(1, ge=1), size: int = Query(20, le=100)):
            stmt = select(Order).offset(page * size).limit(size)  # !
            return await session.execute(stmt)
        def manual_page(request, qs):
            page = int(request.query_params.get("page", 1))
            start = page * 25  # !
            return qs[start:start + 25]
        def ledger(request, db):
            page = request.args.get("page", 1, type=int)
            return db.query(Run).offset(page * 50).limit(50).all()  # !
        def page_bounds(page, size):
            \"\"\"Rows for a 1-based page.\"\"\"
            start = page * size  # !
            return start, start + size
        def listing(rows, page_number=1, per_page=10):
            return rows[page_number * per_page:(page_number + 1) * per_page]  # !
        def search(coll, request):
            page = max(1, int(request.GET.get("page", "1")))
            return coll.find({}).skip(size * page).limit(size)  # !
        """,
    ],
    "EDGE035": [
        # services 29-32: four authors' parsers of typed text and importers of lines
        """
        def parse_range(text: str) -> tuple[float, float]:
            low, high = text.split("-")  # !
            return float(low), float(high)
        def parse_duration(text: str) -> int:
            hours, minutes = text.strip().split(":", 1)  # !
            return int(hours) * 60 + int(minutes)
        def import_pins(path):
            for line in open(path):
                email, pin = line.strip().split(",")  # !
        def readings(data: bytes):
            out = []
            for line in data.decode().splitlines():
                unit, kwh = line.split(";")  # !
                out.append((unit, kwh))
            return out
        def roster(rows):
            for raw_line in rows:
                (name, grade, email) = raw_line.rstrip().split("|")  # !
        def words(full_name: str):
            first, last = full_name.split()  # !
            return first
        """,
    ],
    "EDGE036": [
        # services 29-33: five authors' importers of uploaded CSV and line files
        """
        import csv, io
        def import_employees_csv(raw: bytes):
            text = raw.decode("ascii")  # !
            return list(csv.DictReader(io.StringIO(text)))
        def parse_parking_list(data: bytes):
            return [line for line in data.decode("ascii").splitlines()]  # !
        def lab_results(upload):
            return list(csv.reader(upload.read().decode("us-ascii").splitlines()))  # !
        """,
    ],
    "EDGE040": [
        # services 29-31, 36: an SMS counted as sent, a mail dropped, when the provider failed
        """
        import requests, smtplib
        def send_sms(phone, text):
            try:
                return requests.post("https://sms.example", json={"to": phone}, timeout=5).ok
            except requests.RequestException:  # !
                return True
        def mail(smtp, msg):
            try:
                smtp.send_message(msg)
            except smtplib.SMTPException:  # !
                pass
        """,
    ],
    "EDGE039": [
        # services 29-35: an audit line appended, a report read, through a handle nobody closes
        """
        def append_audit_line(path, line):
            fh = open(path, "a")  # !
            fh.write(line)
        def read_report(path):
            f = open(path)  # !
            return f.read()
        """,
    ],
    "EDGE037": [
        # services 30-34: five authors' PDF helpers, a timeout on every tool but qpdf
        """
        import subprocess
        def html_to_pdf(src, out):
            subprocess.run(["wkhtmltopdf", src, out], check=True, timeout=60)
        def compress_pdf(pdf, out):
            subprocess.run(["qpdf", "--linearize", pdf, out], check=True)  # !
        """,
    ],
    "EDGE038": [
        # services 28, 31-34: a client's time of day parsed without a zone beside aware datetimes
        """
        from datetime import datetime, timezone
        def is_expired(expires_at):
            return expires_at < datetime.now(timezone.utc)
        def parse_client_deadline(value):
            return datetime.strptime(value, "%Y-%m-%d %H:%M")  # !
        """,
    ],
}

NEGATIVE: dict[str, list[str]] = {
    "EDGE024": [
        # a capped size in a SQL text, a slice of a list already in memory, a slice bound not from the client
        """
        from flask import Flask, request
        app = Flask(__name__)
        @app.get("/users")
        def users():
            per_page = min(100, max(1, request.args.get("per_page", 50, type=int)))
            return conn.execute("SELECT id FROM users LIMIT %d" % (per_page,)).fetchall()
        @app.get("/recent")
        def recent():
            size = int(request.args.get("size", 25))
            items = load_all_items()
            return items[:size]
        @app.get("/log")
        def log_page():
            size = int(request.args.get("size", 25))
            print("LIMIT %d" % 10)
            qs = Entry.objects.all()
            return qs[:20]
        """,
        # capped, fixed, declared with an upper bound
        """
        from fastapi import FastAPI, Query
        from flask import Flask, request
        app = Flask(__name__)
        api = FastAPI()
        @app.get("/capped")
        def capped():
            limit = min(request.args.get("limit", 20, type=int), 100)
            return Order.query.limit(limit).all()
        @app.get("/fixed")
        def fixed():
            return Order.query.limit(20).all()
        @api.get("/bounded")
        def bounded(limit: int = Query(20, le=100)):
            return db.query(Order).limit(limit).all()
        """,
    ],
    "EDGE031": [
        # an attribute set after a check, or on a row created when none matched
        """
        async def fail(event):
            payment = await Payment.get_or_none(processor_ref=event["charge"])
            if payment is None:
                return
            payment.status = "failed"
            await payment.save(update_fields=["status"])
        def close(session, ticket_id):
            ticket = session.get(Ticket, ticket_id)
            if ticket is None:
                ticket = Ticket(id=ticket_id)
                session.add(ticket)
            ticket.closed = True
        def rebind(session, ticket_id):
            ticket = session.get(Ticket, ticket_id) or Ticket(id=ticket_id)
            ticket.closed = True
        """,
        # guarded by `if`, an early return, `assert`, a walrus, `or default`, try/except
        # AttributeError; a foreign key of a loaded row; a dict's get with a default
        """
        def a(session, invoice_id):
            invoice = session.get(Invoice, invoice_id)
            if invoice is None:
                raise HTTPException(status_code=404)
            return invoice.number
        def b(session, invoice_id):
            invoice = session.get(Invoice, invoice_id)
            if not invoice:
                return None
            return invoice.number
        def c(session, invoice_id):
            invoice = session.get(Invoice, invoice_id)
            assert invoice is not None
            return invoice.number
        def d(session, invoice_id):
            if (invoice := session.get(Invoice, invoice_id)) is None:
                abort(404)
            return invoice.number
        def e(session, invoice_id):
            invoice = session.get(Invoice, invoice_id) or Invoice()
            return invoice.number
        def f(session, invoice_id):
            try:
                return session.get(Invoice, invoice_id).number
            except AttributeError:
                return None
        def g(session, invoice):
            customer = session.get(Customer, invoice.customer_id)
            return customer.name
        def h(mapping, key):
            return mapping.get(Invoice, key).number
        """,
        # tested elsewhere in the function (a correlated test the flow cannot follow)
        """
        def kiosk(session, employee_id, pin):
            emp = session.get(Employee, employee_id)
            stored = emp.pin if emp else ""
            if stored != pin:
                abort(403)
            emp.last_clock = 1
        async def loader(user_id):
            return await User.get_or_none(id=user_id)
        def constant_key(session):
            return session.get(CONFIG_KEY, "x").upper()
        """,
    ],
    "EDGE032": [
        # December compared, `% 12`, a conditional expression, monthrange/min clamps, relativedelta,
        # constant fields, the day pinned when the year moves, ValueError handled, str.replace and
        # dataclasses.replace, a loop-bounded month (the fixture has the rest)
        """
        import calendar
        import dataclasses
        from datetime import date, timedelta
        from dateutil.relativedelta import relativedelta
        def guarded(day):
            if day.month == 12:
                return day.replace(year=day.year + 1, month=1)
            return day.replace(month=day.month + 1)
        def wrapped(day):
            return day.replace(day=1, month=day.month % 12 + 1)
        def clamped(day):
            year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
            return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
        def relative(day):
            return day + relativedelta(months=1), day.replace(day=1), day.replace(month=1)
        def year_end(day):
            return day.replace(month=12, day=31), date(day.year, 12, 31), date(2024, 2, 29)
        def next_year(day):
            return day.replace(year=day.year + 1, month=1, day=1), day.replace(day=1).replace(year=day.year + 1)
        def tried(day):
            try:
                return day.replace(month=day.month + 1)
            except ValueError:
                return None
        def hour_checked(t):
            if t.hour < 23:
                return t.replace(hour=t.hour + 1)
        def text(s, row):
            return s.replace("a", "b"), dataclasses.replace(row, month=row.month + 1)
        def months(year):
            return [date(year, month + 1, 1) for month in range(12)]
        def quarter_end(start_d):
            return start_d.replace(day=calendar.monthrange(start_d.year, start_d.month + 2)[1], month=start_d.month + 2)
        def clamp_day(day):
            return day.replace(day=min(day.day + 1, 28)), day + timedelta(days=1)
        class Holiday:
            # pandas' holiday rules: a holiday's own day and month, not the moved date's
            def reference_dates(self, start_date):
                return date(start_date.year - 1, self.month, self.day)
        """,
    ],
    "EDGE030": [
        # a read after the refusal; a dict's key, not a file (the fixture has the rest)
        """
        import os
        def load(path):
            if os.path.isfile(path):
                raise IsADirectoryError(path)
            return open(path, "rb").read()
        def register(registry, name, value):
            if name in registry:
                raise KeyError(name)
            registry[name] = value
        """,
    ],
    "EDGE025": [
        # a default; a constant compared; not an identifier; caught; a list comprehension [0] (EDGE012)
        """
        import csv
        def a(items, reply_id, f, fh):
            x = next((r for r in items if r["id"] == reply_id), None)
            y = next(r for r in items if r.id == 3)
            z = next(s for s in items if s.name.lower() == f.lower())
            w = next(csv.reader(fh), None)
            try:
                v = next(r for r in items if r.id == reply_id)
            except StopIteration:
                v = None
            u = next(r for r in items if r.id == r.parent_id)
            return x, y, z, w, v, u
        """,
        # the rows of a file tested first, sliced, caught; a list of something else
        """
        import csv, io
        def checked(text, fh, items):
            rows = list(csv.DictReader(io.StringIO(text)))
            if not rows:
                return [], 0
            body = list(csv.reader(fh))[1:]
            other = list(items)
            try:
                head = list(csv.reader(fh))[0]
            except IndexError:
                head = None
            return rows[0], body, other[0], head
        def one_line(line):
            fields = next(csv.reader([line]))
            rows = list(csv.reader([line], strict=True))
            return fields, rows[0]
        """,
    ],
    "EDGE026": [
        # the function passed; a lambda; a factory; a constant; a plain class's attribute; a module-level option;
        # a SQL expression; a JSON column that is not Django's; a default in a function body
        """
        import click
        from datetime import date, datetime, timezone
        from dataclasses import dataclass, field
        from django.db import models
        from django.utils import timezone as tz
        from pydantic import BaseModel, Field
        from sqlalchemy import JSON, Column, DateTime, func
        class Challenge(db.Model):
            timestamp = db.Column(db.DateTime, default=datetime.utcnow, index=True)
            created = Column(DateTime, default=lambda: datetime.now(timezone.utc))
            updated = Column(DateTime, server_default=func.now(), onupdate=func.now())
            data = Column(JSON, default={})
        class Note(models.Model):
            issued_at = models.DateTimeField(default=tz.now)
            values = models.JSONField(default=dict)
            title = models.CharField(max_length=20, default="")
        class Member(BaseModel):
            joined_at: datetime = Field(default_factory=lambda: datetime.now(timezone.utc))
        @dataclass
        class Stamp:
            at: datetime = field(default_factory=datetime.now)
        class Settings:
            STARTED = datetime.now()
        @click.option("--day", default=date.today())
        def main(day):
            return Column(DateTime, default=datetime.utcnow())
        """,
        # a ClassVar of a model; a plain class's attribute
        """
        from time import time
        from typing import ClassVar
        from pydantic import BaseModel
        class Settings(BaseModel):
            started: ClassVar[float] = time()
        class Plain:
            started: float = time()
        """,
    ],
    "EDGE027": [
        """
        import datetime, time
        a = datetime.datetime.now(datetime.timezone.utc).timestamp()
        b = datetime.datetime.now().timestamp()
        c = time.time()
        d = datetime.datetime.fromtimestamp(5, datetime.timezone.utc).timestamp()
        """,
    ],
    "EDGE028": [
        """
        import redis
        r = redis.Redis.from_url(URL)
        def door_lock(event_id):
            return r.lock(f"door-sync:{event_id}", timeout=60)
        def mark_done(job):
            return r.set(f"done:{job}", "1", nx=True)
        """,
    ],
    "EDGE029": [
        # a copy iterated; the keys collected first; leaves after removing; another collection;
        # the name rebound; a value changed in place; a key overwritten
        """
        _holds = {}
        def sweep(now, items, y, a, b, queue):
            for key, expiry in list(_holds.items()):
                if expiry < now:
                    del _holds[key]
            for k in [k for k, e in _holds.items() if e < now]:
                del _holds[k]
            for x in items:
                if x == y:
                    items.remove(x)
                    break
            for k in a:
                b.pop(k)
            for item in queue:
                queue = [q for q in queue if q != item]
                queue.remove(item)
            for k, v in _holds.items():
                v.pop(0)
                _holds[k] = 1
            for server in items:
                if server["key"] == y:
                    items.remove(server)
        """,
    ],
    "EDGE023": [
        """
        import asyncio

        _tasks = set()

        async def kept(tg, nursery, loop_param):
            task = asyncio.create_task(warm())
            _tasks.add(task)
            task.add_done_callback(_tasks.discard)
            _tasks.add(asyncio.create_task(warm()))
            asyncio.create_task(warm()).add_done_callback(_tasks.discard)
            await asyncio.create_task(warm())
            async with asyncio.TaskGroup() as group:
                group.create_task(warm())
            tg.create_task(warm())
            loop_param.create_task(warm())
            return asyncio.ensure_future(warm())

        async def rebound_loop(other):
            loop = asyncio.get_running_loop()
            loop = other
            loop.create_task(warm())
        """,
    ],
    "EDGE022": [
        """
        import json

        def text_object(s3, bucket, key):
            return s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode("utf-8")

        def parsed(s3, bucket, key):
            return json.loads(s3.get_object(Bucket=bucket, Key=key)["Body"].read())

        def bounded(s3, bucket, key):
            return s3.get_object(Bucket=bucket, Key=key)["Body"].read(65536)

        def django_like(view):
            return view.get_object()["Body"].read()

        def rebound(s3, bucket, key, path):
            obj = s3.get_object(Bucket=bucket, Key=key)
            if path:
                obj = {"Body": open(path, "rb")}
            return obj["Body"].read()
        """,
    ],
    "EDGE021": [
        """
        def total(items=[]):
            return sum(items)
        """,
        """
        def reader(lnum=[0]):
            lnum[0] += 1
            return lnum[0]
        """,
        """
        def lookup(key, _cache={}):
            _cache[key] = key
            return _cache[key]
        """,
    ],
    "EDGE001": [
        """
        try:
            exec(code, namespace)
        except:
            traceback.print_exc()
        """,
        """
        try:
            size = int(arg)
        except:
            print("invalid size", file=sys.stderr)
            sys.exit(1)
        """,
        """
        try:
            self.run()
        except:
            self._invoke_excepthook(self)
        """,
        """
        try:
            work()
        except:
            rollback()
            raise
        """,
        """
        try:
            work()
        except Exception:
            pass
        """,
    ],
    "EDGE002": [
        """
        try:
            value = loads(value)
        except Exception:
            # Keep the value as a string if loading failed.
            pass
        """,
        """
        try:
            lineno = findsource(obj)
        except Exception:
            pass
        else:
            use(lineno)
        """,
        """
        class Font:
            def __del__(self):
                try:
                    self._call("font", "delete", self.name)
                except Exception:
                    pass
        """,
        """
        try:
            code = value.__code__
        except Exception:
            pass
        """,
        """
        try:
            work()
        except ValueError:
            try:
                send_report()
            except Exception:
                pass
            raise
        """,
        """
        def is_ipv4(host):
            try:
                ipaddress.IPv4Address(host)
            except Exception:
                return False
            return True
        """,
        """
        try:
            raise Exception("dummy")
        except Exception:
            pass
        """,
        """
        try:
            work()
        except Exception:
            logger.exception("work failed")
        """,
        """
        try:
            work()
        except Exception:
            logger.error("work failed", exc_info=True)
        """,
        """
        try:
            work()
        except Exception as exc:
            logger.error("failed: %s", exc)
            raise
        """,
        """
        try:
            work()
        except Exception as exc:
            raise ServiceError("work failed") from exc
        """,
        """
        try:
            work()
        except ValueError:
            pass
        """,
        """
        try:
            work()
        except Exception as exc:
            return str(exc)
        """,
        """
        try:
            f.close()
        except Exception:
            pass
        """,
        """
        try:
            work()
        except Exception:
            traceback.print_exc()
        """,
    ],
    "EDGE003": [
        """
        import socket
        def connect(address, timeout=None):
            if timeout is not None:
                return socket.create_connection(address, timeout)
            return socket.create_connection(address)
        """,
        """
        import requests
        requests.get(url, timeout=5)
        """,
        """
        import requests
        requests.get(url, **kwargs)
        """,
        """
        import httpx
        httpx.get(url)
        """,
        """
        import httpx
        with httpx.Client() as client:
            client.get(url)
        """,
        """
        from urllib.request import urlopen
        urlopen(url, None, 10)
        """,
        """
        import socket
        socket.create_connection(addr, 5)
        """,
        """
        d = {}
        d.get("x")
        """,
        """
        client.get("/index")
        """,
        """
        import requests
        s = requests.Session()
        s.get(url, timeout=3)
        """,
        """
        import aiohttp
        async def main():
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as s:
                pass
        """,
    ],
    "EDGE004": [
        """
        cur.execute("SELECT * FROM orders WHERE id = ?", (i,))
        rows = cur.fetchall()
        """,
        """
        cur.execute("SELECT * FROM orders LIMIT 10")
        rows = cur.fetchall()
        """,
        """
        cur.execute("SELECT count(*) FROM orders")
        rows = cur.fetchall()
        """,
        """
        rows = conn.execute("SELECT name FROM sqlite_master").fetchall()
        """,
        """
        cur.execute(query)
        rows = cur.fetchall()
        """,
        """
        cur.execute("SELECT * FROM users")
        cur.execute("SELECT * FROM users WHERE id = ?", (uid,))
        one = cur.fetchall()
        """,
        """
        cur.execute("SELECT * FROM users")
        if refresh:
            cur.execute(query, params)
        rows = cur.fetchall()
        """,
        """
        users = session.query(User).filter(User.active).all()
        """,
        """
        users = session.query(User).limit(100).all()
        """,
        """
        users = User.query.filter_by(active=True).all()
        """,
        """
        from sqlalchemy import select
        users = session.execute(select(User).where(User.id > 5)).scalars().all()
        """,
        """
        values = mylist.all()
        """,
    ],
    "EDGE005": [
        # a list, set or dict of every line holds the whole file anyway (click's testing.py
        # `def readlines(self): return [self._echo(x) for x in self._input.readlines()]`)
        """
        def load_rows(path):
            with open(path) as f:
                return [line.split(",") for line in f.readlines()]

        def unique_lines(path):
            with open(path) as f:
                return {line.strip() for line in f.readlines()}

        def numbered(path):
            with open(path) as f:
                return {i: line for i, line in enumerate(f.readlines())}

        class EchoingInput:
            def readlines(self):
                return [self._echo(x) for x in self._input.readlines()]
        """,
        """
        with open(p) as f:
            for line in f:
                print(line)
        """,
        # streamed bodies: a consumer that needs all of it (json, a decode), a bounded read, a
        # copy, a fixed endpoint, Django's get_object(), a parameter, a name also bound to a file
        """
        import json
        import shutil
        from urllib.request import urlopen

        API = "https://pypi.org/pypi/vetpy/json"

        def fetch_json(url):
            with urlopen(url, timeout=5) as resp:
                return json.loads(resp.read())

        def fetch_bounded(url):
            with urlopen(url, timeout=5) as resp:
                return resp.read(65536)

        def fetch_copy(url, out):
            with urlopen(url, timeout=5) as resp:
                shutil.copyfileobj(resp, out)

        def fetch_fixed():
            return urlopen(API, timeout=3).read()

        def fetch_built(name, out):
            url = f"https://raw.githubusercontent.com/org/repo/main/{name}"
            with urlopen(url, timeout=30) as response:
                data = response.read()
            out.write_bytes(data)

        def a_parameter(resp):
            return resp.read()

        def rebound(url, path):
            resp = urlopen(url, timeout=5)
            if path:
                resp = open(path + ".sig", "rb")
            return resp.read()
        """,
        """
        from fastapi import UploadFile
        async def upload(file: UploadFile):
            return await file.read(1024)

        async def other(file):
            return await file.read()  # the parameter of another function is not annotated UploadFile

        async def third():
            return await file.read()  # a global name, not the upload of `upload`
        """,
        """
        from fastapi import UploadFile
        async def upload(file: UploadFile):
            def inner(file):
                return file.read()  # its own parameter, not the upload
            return inner
        """,
        """
        with open(p) as f:
            lines = f.readlines()
        """,
        """
        from flask import request
        request.files["upload"].save(dest)
        """,
        """
        import requests
        r = requests.get(url, timeout=5)
        body = r.content
        """,
        """
        import requests
        r = requests.get(url, stream=True, timeout=5)
        for chunk in r.iter_content(8192):
            out.write(chunk)
        """,
        """
        with open(p) as f:
            data = f.read()
        """,
        """
        import requests
        def a(url):
            r = requests.get(url, stream=True, timeout=5)
            return r.iter_content(1024)
        def b(url):
            r = requests.get(url, timeout=5)
            return r.json()
        """,
        """
        import requests
        def a(url):
            r = requests.get(url, stream=True, timeout=5)
            r.close()
            r = requests.get(url, timeout=5)
            return r.text
        """,
    ],
    "EDGE006": [
        # a count of attempts passed on; a job scheduling its next run outside a handler
        """
        from rq import Queue
        queue = Queue()
        def retry_bank_file(run_id, attempt=1):
            try:
                send_bank_file(run_id)
            except Exception:
                queue.enqueue_in(timedelta(minutes=10), retry_bank_file, run_id, attempt + 1)
        def nightly(run_id):
            purge(run_id)
            queue.enqueue_in(timedelta(days=1), nightly, run_id)
        """,
        """
        while True:
            try:
                loop.run_forever()
                break
            except KeyboardInterrupt:
                print("interrupted")
        """,
        """
        while True:
            try:
                data = sock.recv(4096)
                return data
            except InterruptedError:
                continue
        """,
        """
        while True:
            try:
                return connect()
            except ConnectionError:
                reconnect_with_new_credentials()
        """,
        """
        for attempt in range(5):
            try:
                return fetch()
            except ConnectionError:
                continue
        """,
        """
        import time
        deadline = time.monotonic() + 30
        while True:
            try:
                return fetch()
            except ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(1)
        """,
        """
        attempts = 0
        while True:
            try:
                return fetch()
            except ConnectionError:
                attempts += 1
                if attempts > 3:
                    raise
        """,
        """
        while True:
            try:
                n = int(input("number: "))
                break
            except ValueError:
                print("again")
        """,
        """
        while True:
            try:
                handle(queue.get())
            except Exception:
                log.exception("failed")
        """,
        """
        while True:
            try:
                return fetch()
            except ConnectionError:
                raise
        """,
    ],
    "EDGE007": [
        """
        from pydantic import BaseModel
        from sqlalchemy import Column, Float
        from sqlalchemy.orm import DeclarativeBase, Mapped

        class Offer(DeclarativeBase):
            price: Mapped[float] = Column(Float)

        class OfferOut(BaseModel):
            price: float
        """,
        """
        from decimal import Decimal
        from pydantic import BaseModel

        class Quote(BaseModel):
            amount: Decimal
            tax_rate: float
            latitude: float
            total_seconds: float
        """,
        # ... not a Decimal local, an int one, a parameter (of unknown type), a local that is a
        # Decimal on one path, a float local times a value that is not money
        """
        from decimal import Decimal

        def decimal_discount(price, years):
            discount = Decimal("0.05") * min(years, 4)
            return price - price * discount

        def int_cents(price_cents, qty):
            factor = 100 * qty
            return price_cents * factor

        def param_rate(price, rate=0.5):
            return price * rate

        def maybe_float(price, flag):
            mult = 0.5
            if flag:
                mult = Decimal("0.5")
            return price * mult

        def not_money(seconds):
            scale = 0.001
            return seconds * scale
        """,        """
        price = Decimal(request.form["price"])
        """,
        """
        ratio = float(count) / total
        """,
        """
        total_time = float(elapsed)
        """,
        """
        x = float(row["score"])
        """,
        """
        total = float(n)
        """,
        """
        rounded = round(price, 2)
        """,
        """
        tax_rate = float(s)
        """,
        # a decimal money field; a float field that is not money; a float outside a class body
        """
        from django.db import models
        class Product(models.Model):
            price = models.DecimalField(max_digits=10, decimal_places=2)
            geo_lat = models.FloatField()
            tax_rate = models.FloatField()
        price = models.FloatField()
        """,
    ],
    "EDGE008": [
        """
        from decimal import Decimal
        fee = Decimal("0.1")
        """,
        # printf formatting makes a string (pretix's PDF editor)
        """
        from decimal import Decimal
        def size(request, mm):
            return Decimal('%.5f' % (float(request.POST.get('width')) * mm))
        """,
        """
        from decimal import Decimal
        half = Decimal(0.5)
        """,
        """
        from decimal import Decimal
        price = Decimal(str(value))
        """,
        """
        from decimal import Decimal
        n = Decimal(10)
        """,
        """
        class Decimal: ...
        fee = Decimal(0.1)
        """,
    ],
    "EDGE041": [
        """
        from flask import request
        def view():
            return request.args.get("name", "").lower()
        """,
    ],
    "EDGE009": [
        """
        import re
        def f(headers):
            match = re.match("([^ ]+) realm", headers)
            if not match:
                self.http_error_default(headers)
            return match.groups()
        """,
        """
        import re
        BAD = re.compile("[^a-z]")
        def f(value):
            if BAD.search(value):
                report(BAD.search(value).group(0))
        """,
        """
        import re
        def f(s):
            m = re.match("a", s)
            if m:
                return m.group()
        """,
        """
        import re
        def f(s):
            m = re.match("a", s)
            if m is None:
                return None
            return m.group()
        """,
        """
        import re
        def f(s):
            m = re.match("a", s)
            if not m:
                raise ValueError(s)
            return m.group()
        """,
        """
        import re
        def f(s):
            m = re.match("a", s)
            assert m
            return m.group()
        """,
        """
        import re
        def f(s):
            if (m := re.match("a", s)):
                return m.group()
        """,
        """
        import re
        def f(s):
            if (m := re.match("a", s)) is not None:
                return m.group()
        """,
        """
        import re
        def f(s):
            m = re.match("a", s)
            return m.group() if m else None
        """,
        """
        import re
        def f(s):
            m = re.match("a", s)
            return m and m.group()
        """,
        """
        import re
        def f(lines):
            for line in lines:
                m = re.match("a", line)
                if not m:
                    continue
                print(m.group())
        """,
        """
        import os
        home = os.environ.get("HOME", "/").rstrip("/")
        """,
        """
        import os
        home = (os.environ.get("HOME") or "/").rstrip("/")
        """,
        """
        import os
        port = int(os.getenv("PORT", "8000"))
        """,
        """
        import re
        def f(s):
            try:
                return re.match("a", s).group()
            except AttributeError:
                return None
        """,
        """
        import re
        def f(s):
            m = re.match("a", s)
            if m is None or m.group() == "":
                return None
            return m.end()
        """,
        """
        def f(config: dict):
            return config.get("database", {})["host"]
        """,
        """
        COLORS = {"red": "#f00", "green": "#0f0"}
        def f():
            return COLORS.get("red").upper()
        """,
        """
        def f(resp):
            return client.get("/x").json()
        """,
        """
        import re
        def f(a, b):
            m = re.match("a", a)
            n = re.match("b", b)
            if not (m and n):
                return None
            return m.group() + n.group()
        """,
        """
        import re
        def f(s):
            m = re.match("a", s)
            if m is None:
                m = DEFAULT
            return m.group()
        """,
        """
        import re
        def f(s):
            m = re.match("a", s)
            if m is None:
                sys.exit("bad")
            return m.group()
        """,
        """
        import re
        def f(items):
            return [m.group() for m in (re.match("a", s) for s in items) if m]
        """,
        """
        import re
        def f(s):
            m = re.match("a", s)
            if m is not None:
                pass
            else:
                return
            return m.group()
        """,
        """
        import re
        class T(unittest.TestCase):
            def test(self):
                m = re.match("a", "a")
                self.assertIsNotNone(m)
                m.group()
        """,
        """
        import re
        def f(s):
            m = re.match("a", s)
            while m is None:
                m = re.match("b", next_line())
            return m.group()
        """,
        """
        import re
        def f(s):
            m = re.match("a", s)
            if isinstance(m, re.Match):
                return m.group()
        """,
        """
        import re
        def f(s):
            with contextlib.suppress(AttributeError):
                return re.match("a", s).group()
        """,
        """
        import re
        INDENT = re.compile(r"[ \\t]*")
        def f(line):
            return re.search(r"^([ \\t]*)", line).group(0) + INDENT.match(line).group()
        """,
        """
        import re
        def f(text):
            m = re.match(r"(\\d+)", text)
            a = m.group(1)  # type: ignore[union-attr]
            b = m.group(2)  # pyright: ignore[reportOptionalMemberAccess]
            return a, b, re.search("x", text).start()  # type: ignore
        """,
    ],
    "EDGE010": [
        """
        def f():
            items = []
            for x in source():
                items.append(x)
            has_items = bool(items)
            if has_items:
                return sum(items) / len(items)
        """,
        """
        def f(msg):
            return "size=%d" % len(msg)
        """,
        """
        def average(values):
            if not values:
                return 0.0
            return sum(values) / len(values)
        """,
        """
        def average(values):
            return sum(values) / len(values) if values else 0.0
        """,
        """
        def average(values):
            if len(values) == 0:
                raise ValueError("no values")
            return sum(values) / len(values)
        """,
        """
        def average(values):
            assert len(values) > 0
            return sum(values) / len(values)
        """,
        """
        def f(values):
            for v in values:
                print(v / len(values))
        """,
        """
        from collections import Counter
        def frequencies(s):
            return {c: n / len(s) for c, n in Counter(s).items()}
        """,
        """
        from collections import Counter
        def f(s, scores):
            out = {}
            for c, n in Counter(s).most_common():
                out[c] = n / len(s)
            for i, x in enumerate(sorted(s)):
                print(i / len(s))
            for k, v in scores.items():
                print(v / len(scores))
            for a, b in zip(s, scores):
                print(a / len(s), b / len(scores))
            for i in range(len(s)):
                print(i / len(s))
            return [x / len(s) for x in map(float, s)]
        """,
        """
        def f():
            values = [1, 2, 3]
            return sum(values) / len(values)
        """,
        """
        def f(values):
            return sum(values) / max(len(values), 1)
        """,
        """
        def f(values):
            try:
                return sum(values) / len(values)
            except ZeroDivisionError:
                return 0
        """,
        """
        class A:
            def f(self):
                return sum(self.items) / len(self.items)
        """,
        """
        def f(values):
            values.append(0)
            return sum(values) / len(values)
        """,
    ],
    "EDGE011": [
        """
        def longest(words):
            return max(words, key=len)
        """,
        """
        def f(d):
            out = {}
            for k in d:  # one entry per key: as empty as the parameter, the caller's contract
                out[k] = 1
            return min(out.values())
        """,
        """
        def best(scores):
            return max(scores, default=0)
        """,
        """
        def best(scores):
            if not scores:
                return None
            return max(scores)
        """,
        """
        def best(a, b):
            return max(a, b)
        """,
        """
        def best(scores):
            return max((s for s in scores if s > 0), default=None)
        """,
        """
        def f(x):
            return max(x.items)
        """,
        """
        def f(scores):
            try:
                return max(scores)
            except ValueError:
                return None
        """,
    ],
    "EDGE012": [
        """
        def f(url):
            if any(c.isspace() for c in url):
                c = next(c for c in url if c.isspace())
                return url.find(c)
        """,
        """
        def f(argnames, values):
            names = [n for n in argnames if n not in values]
            missing = len(names)
            if missing == 1:
                return names[0]
        """,
        """
        def f(users):
            admins = [u for u in users if u.is_admin]
            if admins:
                return admins[0]
        """,
        """
        def f(users):
            admins = [u for u in users if u.is_admin]
            if not admins:
                raise LookupError("no admin")
            return admins[0]
        """,
        """
        first = next((u for u in users if u.active), None)
        """,
        """
        first = [u for u in users][0]
        """,
        """
        def f(users):
            admins = [u for u in users if u.is_admin]
            return admins[0] if admins else None
        """,
        """
        def f(users):
            try:
                return [u for u in users if u.is_admin][0]
            except IndexError:
                return None
        """,
        """
        def f(s):
            parts = s.split(",")
            return parts[0]
        """,
    ],
    "EDGE013": [
        """
        import asyncio
        async def handler():
            await asyncio.sleep(1)
        """,
        """
        import time
        async def handler():
            def work():
                time.sleep(1)
            await asyncio.to_thread(work)
        """,
        """
        import time
        def handler():
            time.sleep(1)
        """,
        """
        import aiofiles
        async def read(path):
            async with aiofiles.open(path) as f:
                return await f.read()
        """,
        """
        async def f(loop):
            await loop.run_in_executor(None, lambda: open("x").read())
        """,
    ],
    "EDGE014": [
        """
        def register(name, registry={}):  # written by key, not grown: EDGE021
            registry[name] = True
        """,
        """
        def merge(options, extra={}):  # update with constant keys: every call overwrites them (EDGE021)
            extra.update({"page": options.page, "size": options.size})
            extra.update(page_size=options.size)
            return extra
        """,
        """
        DEFAULTS = {"timeout": 30}
        def configure(opts={}):  # constant keys and values: the same every call
            opts.update(DEFAULTS)
            opts.setdefault("retries", 3)
            opts.setdefault("headers", {})
            return opts
        """,
        """
        def intern(key, table={}):  # a per-call key: a memo (EDGE021)
            return table.setdefault(key, len(table))
        """,
        """
        def reader(lnum=[0]):
            lnum[0] += 1
            return lnum[0]
        """,
        """
        def widget(master=None, cnf={}, **kw):
            if kw:
                cnf = merge(cnf, kw)
            cnf["x"] = 1
        """,
        """
        def total(items=[]):
            return sum(items)
        """,
        """
        def add(item, items=None):
            if items is None:
                items = []
            items.append(item)
            return items
        """,
        """
        def f(x=()):
            return list(x) + [1]
        """,
        """
        def f(opts={}):
            for k, v in opts.items():
                print(k, v)
        """,
        """
        def lookup(key, _cache={}):
            if key not in _cache:
                _cache[key] = compute(key)
            return _cache[key]
        """,
    ],
    "EDGE015": [
        """
        def f(x):
            assert isinstance(x, int)
            return x + 1
        """,
        """
        def delete(user, post):
            if not user.is_admin:
                raise PermissionError("forbidden")
        """,
        """
        def test_admin(user):
            assert user.is_admin
        """,
        """
        def send(request):
            assert isinstance(request.stream, SyncByteStream)
        """,
        """
        def clone(node, doc):
            assert node.ownerDocument is not doc
        """,
        # a "role" no person holds: SQLAlchemy's collection instrumentation roles
        """
        def _instrument_class(cls):
            roles = {}
            for supercls in cls.__mro__:
                for name, method in vars(supercls).items():
                    if hasattr(method, "_sa_instrument_role"):
                        role = method._sa_instrument_role
                        assert role in ("appender", "remover", "iterator")
                        roles.setdefault(role, name)
        """,
        """
        def render(node):
            assert node.role == "heading"
        """,
    ],
    "EDGE016": [
        """
        from datetime import datetime, timezone
        now = datetime.now(timezone.utc)
        """,
        """
        import datetime
        ts = datetime.datetime.fromtimestamp(t, datetime.timezone.utc)
        """,
        """
        class datetime:
            @staticmethod
            def utcnow(): ...
        x = datetime.utcnow()
        """,
    ],
    "EDGE017": [
        """
        from datetime import datetime, timezone
        def expired(token):
            return datetime.now(timezone.utc) > token.expires_at
        """,
        """
        from datetime import datetime, timezone
        def f(token, tz, stamp):
            a = datetime.now() > token.expires_at  # unknown: may well be naive
            b = datetime.now() < datetime.fromisoformat(stamp)  # unknown: depends on the text
            c = datetime.now(tz) < datetime.now(timezone.utc)  # tz may be None
            d = datetime.now() - datetime(2020, 1, 1)  # both naive
            e = datetime.now(timezone.utc) - datetime.now(timezone.utc).replace(hour=0)
            return a, b, c, d, e
        """,
        """
        from datetime import datetime, timezone
        def f(flag):
            now = datetime.now()
            if flag:
                now = datetime.now(timezone.utc)  # rebound: not known any more
            return now < datetime.now(timezone.utc)
        """,
        """
        from datetime import datetime, timezone
        def f(start):
            start = datetime.now(timezone.utc)
            return datetime.now(timezone.utc) - start, datetime.now().replace(tzinfo=None) < datetime.now()
        """,
        """
        from datetime import datetime, timezone
        def f(now):
            return now < datetime.now(timezone.utc)  # a parameter: the caller decides
        """,
        """
        from datetime import datetime
        def utcnow():
            return datetime.utcnow() < datetime.now()  # EDGE016's business, both naive
        """,
    ],
    "EDGE018": [
        # a lock held around the check and the act
        """
        import threading
        from flask import Flask
        app = Flask(__name__)
        CACHE = {}
        CACHE_LOCK = threading.Lock()

        @app.get("/user/<uid>")
        def user(uid):
            with CACHE_LOCK:
                if uid not in CACHE:
                    CACHE[uid] = load(uid)
                return CACHE[uid]
        """,
        # not a route or a thread target: a plain function runs where its caller runs
        """
        CACHE = {}
        def user(uid):
            if uid not in CACHE:
                CACHE[uid] = load(uid)
            return CACHE[uid]
        """,
        # atomic setdefault; a local dict; an async route without an await between check and act
        """
        from fastapi import FastAPI
        app = FastAPI()
        CACHE = {}

        @app.get("/a/{k}")
        def a(k: str):
            return CACHE.setdefault(k, [])

        @app.get("/b/{k}")
        def b(k: str):
            CACHE = {}
            if k not in CACHE:
                CACHE[k] = 1
            return CACHE

        @app.get("/c/{k}")
        async def c(k: str):
            if k not in CACHE:
                CACHE[k] = 1
            return CACHE[k]
        """,
        # explicit acquire/release; a counter that is not global in the function
        """
        import threading
        COUNT = 0
        LOCK = threading.Lock()

        def worker():
            global COUNT
            LOCK.acquire()
            try:
                COUNT += 1
            finally:
                LOCK.release()

        def other():
            count = COUNT
            count += 1

        threading.Thread(target=worker).start()
        threading.Thread(target=other).start()
        """,
        # no await between the read and the write; under an asyncio.Lock
        """
        import asyncio
        from fastapi import FastAPI
        app = FastAPI()
        VIEWERS = {}
        LOCK = asyncio.Lock()
        @app.get("/join/{room}")
        async def join(room: str):
            count = VIEWERS.get(room, 0)
            VIEWERS[room] = count + 1
            await asyncio.sleep(0)
        @app.get("/join2/{room}")
        async def join_locked(room: str):
            async with LOCK:
                count = VIEWERS.get(room, 0)
                await asyncio.sleep(0)
                VIEWERS[room] = count + 1
        """,
    ],
    "EDGE019": [
        # the act itself is atomic
        """
        import os
        os.makedirs(out_dir, exist_ok=True)
        if not os.path.exists(out_dir):
            os.makedirs(out_dir, exist_ok=True)
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        if not os.path.exists(path):
            with open(path, "x") as f:
                f.write("1")
        """,
        # the race is handled; the test decides more than the act; reading after a test
        """
        import os, shutil
        def cleanup(path, tree):
            try:
                if os.path.exists(path):
                    os.remove(path)
            except OSError:
                pass
            if not os.path.exists(tree):
                os.makedirs(tree)
                unpack(tree)
            if os.path.exists(path):
                with open(path) as f:
                    return f.read()
        """,
        # a different path, Path.unlink(missing_ok=True), a removal that picks the kind of file
        """
        import os, shutil
        from pathlib import Path
        def f(a, b, p: Path, root):
            if os.path.exists(a):
                os.remove(b)
            if p.exists():
                p.unlink(missing_ok=True)
            for name in os.listdir(root):
                if os.path.isdir(os.path.join(root, name)):
                    shutil.rmtree(os.path.join(root, name))
                if p.is_file():
                    p.unlink()
        """,
    ],
    "EDGE020": [
        # the row checked; aggregates without GROUP BY; EXISTS; no WHERE or LIMIT; unknown text
        """
        def f(conn, cursor, queue, query):
            row = conn.execute("SELECT last FROM counters WHERE queue = ?", (queue,)).fetchone()
            if not row:
                raise LookupError(queue)
            a = row[0]
            b = conn.execute("SELECT count(*), max(id) FROM tickets WHERE queue = ?", (queue,)).fetchone()[0]
            c = conn.execute("SELECT EXISTS(SELECT 1 FROM tickets WHERE queue = ?)", (queue,)).fetchone()[0]
            d = conn.execute("SELECT version FROM schema_version").fetchone()[0]
            e = conn.execute(query).fetchone()[0]
            cursor.execute("INSERT INTO t(a) VALUES (%s) RETURNING id", [a])
            g = cursor.fetchone()[0]
            return a, b, c, d, e, g
        """,
        # the row handed on, or guarded with `and`
        """
        def g(conn, ticket_id):
            row = conn.execute("SELECT * FROM tickets WHERE id = ?", (ticket_id,)).fetchone()
            title = row and row["title"]
            return row, title
        """,
    ],
    "EDGE033": [
        # the birthday comparison, relativedelta, a fraction of a year (Actual/365 interest),
        # weeks, a message, names that are not years (`page`, `usage`)
        """
        from datetime import date
        from dateutil.relativedelta import relativedelta
        def age_on(dob, on):
            return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))
        def age_years(dob, today):
            return relativedelta(today, dob).years
        def interest(amount, rate, start, end):
            return amount * rate * (end - start).days / 365
        def year_fraction(start, end):
            return (end - start).days / 365.25
        def term_weeks(start, end):
            return (end - start).days // 7
        def describe(created, now):
            return f"{(now - created).days // 365} years ago"
        def since(created, now):
            label = "about %d years" % ((now - created).days // 365)
            return label
        def usage_bucket(first, last):
            return (last - first).days // 365
        def page_of(first, last):
            page = (last - first).days // 365
            return page
        """,
    ],
    "EDGE034": [
        # (page - 1) * size; a page that may start at 0 (default 0, no default, no docstring);
        # the page adjusted elsewhere in the function; page * size as a slice's end; a page
        # size or count named with "page"; a product that is not a start
        """
        from fastapi import Query
        async def orders(session, page: int = Query(1, ge=1), size: int = 20):
            return await session.execute(select(Order).offset((page - 1) * size).limit(size))
        def zero_based(request, qs):
            page = int(request.GET.get("page", 0))
            return qs[page * 20:(page + 1) * 20]
        def unknown(qs, page, size):
            return qs.offset(page * size).limit(size)
        def zero_based_on_read(request, qs):
            page = int(request.args.get("page", 1)) - 1
            return qs.offset(page * 20).limit(20)
        def adjusted(qs, page=1, size=10):
            page -= 1
            return qs.offset(page * size).limit(size)
        def adjusted_later(qs, page=1, size=10):
            if page < 1:
                raise ValueError(page)
            first = (page - 1) * size
            last = page * size
            return qs[first:last]
        def window(rows, page=1):
            return rows[(page - 1) * 10:page * 10]
        def total_rows(per_page=1, pages=3):
            offset = per_page * pages
            return offset
        def pages_needed(page=1, size=10):
            shown = page * size
            return shown
        """,
    ],
    "EDGE035": [
        # the separator tested first, a try that handles ValueError, partition, a starred target,
        # a private helper, an unannotated parameter, a name the function built itself, a loop
        # over a constant list, an import path split into module and attribute
        """
        import re
        def checked(text: str):
            if ":" not in text:
                raise ValueError(text)
            hours, minutes = text.split(":")
            return hours, minutes
        def counted(text: str):
            if text.count("-") != 1:
                return None
            low, high = text.split("-")
            return low, high
        def matched(text: str):
            if not re.fullmatch(r"\\d+:\\d+", text):
                raise ValueError(text)
            h, m = text.split(":")
            return h, m
        def handled(text: str):
            try:
                h, m = text.split(":")
            except ValueError:
                return None
            return h, m
        def loop_handled(path):
            for line in open(path):
                try:
                    k, v = line.split("=")
                except Exception:
                    continue
        def partitioned(text: str):
            h, _, m = text.partition(":")
            return h, m
        def starred(text: str):
            first, *rest = text.split(",")
            return first
        def _private(text: str):
            a, b = text.split(":")
            return a
        def unannotated(text):
            a, b = text.split(":")
            return a
        def built(user):
            stamp = f"{user.id}:{user.name}"
            uid, name = stamp.split(":")
            return uid
        def constants():
            for pair in ["a=1", "b=2"]:
                k, v = pair.split("=")
        def constant_lines():
            for line in ("a=1", "b=2"):
                k, v = line.split("=")
        def load(path: str):
            module, attr = path.rsplit(".", 1)
            return module, attr
        def one_name(text: str):
            [only] = text.split(",")
            return only
        """,
    ],
    "EDGE036": [
        # ASCII by construction, a lenient errors=, another encoding, the error handled, a value
        # not read as records
        """
        import base64, csv, io
        def token(raw: bytes):
            return base64.b64encode(raw).decode("ascii")
        def lenient(data: bytes):
            return data.decode("ascii", "replace").splitlines()
        def utf8(data: bytes):
            return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        def checked(data: bytes):
            try:
                return data.decode("ascii").splitlines()
            except UnicodeDecodeError:
                return []
        def header(data: bytes):
            return data[:8].decode("ascii")
        """,
    ],
    "EDGE040": [
        # the caller learns (False, None), the failure is logged, a failed read passed over
        """
        import logging, requests
        log = logging.getLogger(__name__)
        def send_sms(phone, text):
            try:
                return requests.post("https://sms.example", json={"to": phone}, timeout=5).ok
            except requests.RequestException:
                return False
        def notify(url):
            try:
                requests.post(url, timeout=5)
            except requests.RequestException as exc:
                log.warning("notify failed: %s", exc)
        def refresh(url):
            try:
                requests.get(url, timeout=5)
            except requests.RequestException:
                pass
        """,
    ],
    "EDGE039": [
        # closed, handed on, returned, its descriptor taken: something else ends the handle
        """
        import json, os, sys
        def closed(path):
            f = open(path)
            data = f.read()
            f.close()
            return data
        def handed_on(path):
            f = open(path)
            return json.load(f)
        def returned(path):
            f = open(path, "rb")
            return f
        def daemonised():
            si = open(os.devnull)
            os.dup2(si.fileno(), sys.stdin.fileno())
        """,
    ],
    "EDGE037": [
        # no call of the module sets a timeout (the author's choice), a timeout given, **kwargs
        """
        import subprocess
        def revision():
            return subprocess.check_output(["git", "rev-parse", "HEAD"], text=True)
        def play(url):
            subprocess.run(["mpv", url], check=True)
        """,
        """
        import subprocess
        def render(src, out):
            subprocess.run(["wkhtmltopdf", src, out], check=True, timeout=60)
        def forwarded(cmd, **kwargs):
            return subprocess.run(cmd, **kwargs)
        """,
    ],
    "EDGE038": [
        # localised, a day without a time, a module that makes no aware datetime
        """
        from datetime import datetime, timezone
        from zoneinfo import ZoneInfo
        def now():
            return datetime.now(timezone.utc)
        def parse_local(text, tz):
            return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=ZoneInfo(tz))
        def day(text):
            return datetime.strptime(text, "%Y-%m-%d")
        """,
        """
        from datetime import datetime
        def parse_log_time(value):
            return datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
        """,
    ],
}


def _cases(table: dict[str, list[str]]):
    return [
        pytest.param(code, src, id=f"{code}-{i}")
        for code, items in table.items()
        for i, src in enumerate(items)
    ]


@pytest.mark.parametrize("code,src", _cases(POSITIVE))
def test_flags_marked_lines(code: str, src: str) -> None:
    assert marked(src), "positive case without a # ! marker"
    assert flagged(src, code) == marked(src)


@pytest.mark.parametrize("code,src", _cases(NEGATIVE))
def test_accepts_look_alikes(code: str, src: str) -> None:
    assert flagged(src, code) == []


def test_every_edge_rule_has_cases_and_docs() -> None:
    load_all()
    edge = {c: r for c, r in REGISTRY.rules.items() if r.family == "EDGE"}
    assert set(edge) == set(POSITIVE) == set(NEGATIVE)
    for code, r in edge.items():
        assert r.question and r.summary and r.rationale and r.bad.strip() and r.good.strip(), code
        assert r.severity in (Severity.WARNING, Severity.HINT), code
        assert r.name == r.name.lower() and " " not in r.name, code


@pytest.mark.parametrize("code", sorted(POSITIVE))
def test_bad_example_flagged_and_good_example_clean(code: str) -> None:
    load_all()
    r = REGISTRY.rules[code]
    prelude = (
        "import re, os, time, asyncio, requests, statistics, logging\n"
        "from decimal import Decimal\nfrom datetime import datetime, timezone\n"
        "logger = logging.getLogger(__name__)\n"
    )
    bad = prelude + textwrap.dedent(r.bad)
    good = prelude + textwrap.dedent(r.good)
    if code in ("EDGE006", "EDGE002", "EDGE001", "EDGE009"):
        bad = (
            prelude + "def f(text, card, amount, order):\n" + textwrap.indent(textwrap.dedent(r.bad), "    ")
        )
        good = (
            prelude + "def f(text, card, amount, order):\n" + textwrap.indent(textwrap.dedent(r.good), "    ")
        )
    assert any(f.code == code for f in check_source(bad, "app.py", CTX)), code
    assert not any(f.code == code for f in check_source(good, "app.py", CTX)), code


def test_assert_rule_skips_test_files() -> None:
    src = """
    def check(user):
        assert user.is_admin
    """
    assert flagged(src, "EDGE015", path="app/views.py") == [3]
    assert flagged(src, "EDGE015", path="tests/test_views.py") == []
    assert flagged(src, "EDGE015", path="conftest.py") == []


def test_none_and_empty_checks_skip_test_files() -> None:
    src = """
    import re
    def test_cookie(header):
        match = re.search("expires=(.*)", header)
        assert match.group(1)
    """
    assert flagged(src, "EDGE009", path="app/cookies.py") == [5]
    assert flagged(src, "EDGE009", path="tests/test_cookies.py") == []


def test_timeout_fix_uses_configured_default() -> None:
    ctx = AnalysisContext.bare(select=["EDGE"], network_timeout=2.5)
    [finding] = [
        f for f in check_source("import requests\nrequests.get(u)\n", "a.py", ctx) if f.code == "EDGE003"
    ]
    assert finding.fixes[0].edits[0].new_text == ", timeout=2.5"
    assert finding.fixes[0].safe


def test_suppression_comment_silences_edge_rule() -> None:
    src = "import requests\nrequests.get(u)  # vetpy: ignore[EDGE003]\n"
    assert not [f for f in check_source(src, "a.py", CTX) if f.code == "EDGE003"]


def test_fix_safety_matches_rule_declaration() -> None:
    load_all()
    offered: set[str] = set()
    for code, items in POSITIVE.items():
        rule_ = REGISTRY.rules[code]
        for src in items:
            for finding in findings(src):
                for fix in finding.fixes:
                    offered.add(finding.code)
                    assert REGISTRY.rules[finding.code].fix_safety is not FixSafety.NONE, finding.code
                    if fix.safe:
                        assert REGISTRY.rules[finding.code].fix_safety is FixSafety.SAFE, finding.code
        if rule_.fix_safety is FixSafety.NONE:
            assert code not in offered
    assert {"EDGE003", "EDGE008", "EDGE014", "EDGE016", "EDGE017"} <= offered


def test_rule_documentation_states_the_question() -> None:
    load_all()
    text = REGISTRY.rules["EDGE009"].documentation()
    assert "Question: What if there is no match" in text
    assert "Bad:" in text and "Good:" in text and "Fix: none" in text


def test_httpx_client_method_with_timeout_none() -> None:
    src = """
    import httpx
    client = httpx.Client()
    client.get(url, timeout=None)  # !
    client.get(url)
    """
    assert flagged(src, "EDGE003") == marked(src)


def test_a_comment_that_only_names_a_rule_code_does_not_excuse_a_swallowed_exception():
    from vetpy.engine import check_source

    src = "def f(card):\n    try:\n        charge(card)\n    except Exception:  # EDGE002: swallowed\n        return None\n"
    assert [f.code for f in check_source(src, "x.py", CTX)] == ["EDGE002"]
    explained = src.replace("# EDGE002: swallowed", "# the card may be gone: ignore it")
    assert check_source(explained, "x.py", CTX) == []


def test_bare_and_swallowed_except_are_opt_in() -> None:
    """Issue #16: below the 80% bar on real applications, so they run only when selected."""
    from vetpy.engine import check_source

    src = "def f(card):\n    try:\n        charge(card)\n    except:\n        pass\n    try:\n        charge(card)\n    except Exception:\n        return None\n"
    assert check_source(src, "x.py") == []
    assert [f.code for f in check_source(src, "x.py", CTX)] == ["EDGE001", "EDGE002"]
    assert [f.code for f in check_source(src, "x.py", AnalysisContext.bare(select=["EDGE002"]))] == ["EDGE002"]


def test_unchecked_lookup_is_default_and_a_correlated_test_silences_both_codes() -> None:
    """EDGE031 is on by default (EDGE009 stays opt-in); a lookup the function tests anywhere is
    reported by neither code (service30's kiosk: `stored = ... if emp else ""` then a refusal)."""
    from vetpy.codes import default_codes

    assert "EDGE031" in default_codes() and "EDGE009" not in default_codes()
    src = """
    def kiosk(session, employee_id, pin):
        emp = session.get(Employee, employee_id)
        stored = emp.pin if emp else ""
        if stored != pin:
            abort(403)
        emp.last_clock = 1
    """
    assert flagged(src, "EDGE031") == [] and flagged(src, "EDGE009") == []


def test_unchecked_none_membership_test_proves_the_key() -> None:
    """Issue #16 (pretix): ``d.get(k)`` after ``if k not in d: continue`` cannot be None-for-missing;
    without the test, or with the test on another key or dict, it still can."""
    src = """
    def f(orders, rows):
        annotated = {r["pk"]: r for r in rows}
        for o in orders:
            if o.pk not in annotated:
                continue
            o.total = annotated.get(o.pk)["total"]
        for o in orders:
            if o.pk in annotated:
                o.paid = annotated.get(o.pk)["paid"]
        for o in orders:
            if o.id not in annotated:
                continue
            o.late = annotated.get(o.pk)["late"]  # !
        for o in orders:
            o.other = annotated.get(o.pk)["other"]  # !
    """
    assert flagged(src, "EDGE009") == marked(src)


def test_unchecked_none_keyword_contract_and_constant_text() -> None:
    """A keyword read from the function's own ``**kwargs`` is the caller's contract; a regex applied
    to a constant string gives the same answer on every run. A named dict parameter and a regex
    over input are still reported."""
    src = """
    import re
    FIREFOX = "Mozilla/5.0 Firefox/128.0"
    class Form:
        def __init__(self, *args, **kwargs):
            event = kwargs.get("obj")
            self.choices = event.generators
    def version(text):
        a = re.search(r"Firefox/(\\d+)", FIREFOX)[1]
        b = re.search(r"Firefox/(\\d+)", "Firefox/1")[1]
        c = re.search(r"Firefox/(\\d+)", text)[1]  # !
        return a, b, c
    def g(options: dict):
        return options.get("obj").name  # !
    """
    assert flagged(src, "EDGE009") == marked(src)


def test_unchecked_none_dict_filled_by_a_call() -> None:
    """Issue #16 (privacyIDEA): ``create_challenges(tokens, details)`` fills ``details`` on the line
    before ``len(details.get("multi_challenge"))``. A dict not handed to any call, or rebound after
    the call, is still reported."""
    src = """
    def f(tokens, options):
        details = {}
        create_challenges(tokens, details, options)
        n = len(details.get("multi_challenge"))
        other = {}
        create_challenges(tokens, options)
        m = len(other.get("multi_challenge"))  # !
        details = {}
        k = len(details.get("multi_challenge"))  # !
        got = details.get("x")
        return got.value  # !
    """
    assert flagged(src, "EDGE009") == marked(src)


def test_mutable_default_stored_on_self_and_only_read() -> None:
    """Issue #16 (glances): a default stored on ``self`` and only ever handed out as a copy, looked
    up or iterated is never mutated. Stored and then mutated, returned or passed on by another
    method, it is shared between instances and still reported."""
    src = """
    import copy
    class Plugin:
        def __init__(self, stats_init_value={}, names=[]):
            self.stats_init_value = stats_init_value
            self.names = names
        def init(self):
            return copy.copy(self.stats_init_value)
        def has(self, k):
            return k in self.stats_init_value and self.stats_init_value[k] and self.stats_init_value.get(k)
        def all(self):
            return [n for n in self.names]
    class Shared:
        def __init__(self, fields={}, hooks=[], seen=set()):  # !
            self.fields = fields
            self.hooks = hooks
            self.seen = seen
        def add(self, k, v):
            self.fields[k] = v
        def register(self, h):
            self.hooks.append(h)
        def out(self):
            return self.seen
    def f(x, store={}):  # !
        holder.store = store
    """
    assert flagged(src, "EDGE021") == marked(src)  # written or escaping through self: EDGE021, not grown in the function
    assert len([f for f in findings(src, "app.py") if f.code == "EDGE021"]) == 4  # fields, hooks, seen, store
    assert flagged(src, "EDGE014") == []


def test_float_money_converted_for_export_or_display() -> None:
    """Issue #16 (pretix's Dekodi export, dstack's CLI): a Decimal amount turned into a float as a
    value of a data literal or an f-string is an export format, not money computed in floats; and
    ``round(float(amount), 2)`` is one finding, not two. Converted into a variable or an argument,
    or rounded into a variable, it is still reported."""
    src = """
    def export(p, offer, total):
        rows = {"PTNo7": round(float(p.amount), 2) or "", "price": float(offer.price)}
        items = [float(p.amount)]
        label = f"{float(p.amount):.2f}"
        amount = float(p.amount)  # !
        charge(float(p.amount))  # !
        gross = round(float(p.amount), 2)  # !
        return rows, items, label, amount, gross
    """
    assert flagged(src, "EDGE007") == marked(src)
    assert len([f for f in findings(src, "app.py") if f.code == "EDGE007"]) == 3


def test_unbounded_query_is_opt_in() -> None:
    """Issue #16: 2 debatable of 22 unfiltered `.all()` on real applications; runs when selected."""
    from vetpy.engine import check_source

    src = "def admins():\n    return Admin.query.all()\n"
    assert check_source(src, "x.py") == []
    assert [f.code for f in check_source(src, "x.py", CTX)] == ["EDGE004"]


def test_unchecked_none_compiled_pattern_on_constant_text() -> None:
    """Issue #16 (streamlink): ``re.compile(r"Chrome/(\\d+)").search(useragents.CHROME)`` is
    deterministic; the same compiled pattern on input is still reported."""
    src = """
    import re
    CHROME = "Mozilla/5.0 Chrome/126.0"
    VERSION = re.compile(r"Chrome/(\\d+)")
    def f(text):
        a = re.compile(r"Chrome/(\\d+)").search(CHROME).group(1)
        b = VERSION.search(CHROME).group(1)
        c = VERSION.search(text).group(1)  # !
        return a, b, c
    """
    assert flagged(src, "EDGE009") == marked(src)


def test_unchecked_none_is_opt_in() -> None:
    """Issue #16: 0 real of 33 labelled EDGE009 findings on real applications; runs when selected."""
    from vetpy.engine import check_source

    src = "import re\ndef f(s):\n    return re.match('a', s).group(0)\n"
    assert check_source(src, "x.py") == []
    assert [f.code for f in check_source(src, "x.py", CTX)] == ["EDGE009"]


def test_a_grown_mutable_default_is_reported_by_default_and_a_written_one_when_selected() -> None:
    """Issue #16: 1 real of 15 mutable-default findings on real applications (12 debatable: shared
    ``criterions={}`` defaults every call overwrites with the same keys, none grown); issue #20's
    services seed the accumulating default (``cc.extend(watchers)``). A default the function grows
    is EDGE014, on by default; one written by key is EDGE021, when selected."""
    from vetpy.engine import check_source

    grown = "def add(item, items=[]):\n    items.append(item)\n    return items\n"
    written = "def find(criterions={}):\n    criterions['type'] = 'shot'\n    return query(criterions)\n"
    assert "EDGE014" in codes.default_codes() and "EDGE021" not in codes.default_codes()
    assert [f.code for f in check_source(grown, "x.py")] == ["EDGE014"]
    assert [f.code for f in check_source(written, "x.py")] == []
    assert [f.code for f in check_source(written, "x.py", CTX)] == ["EDGE021"]
    assert [f.code for f in check_source(written, "x.py", AnalysisContext.bare(select=["EDGE021"]))] == ["EDGE021"]
    assert [f.code for f in check_source(grown, "x.py", AnalysisContext.bare(select=["EDGE021"]))] == []
