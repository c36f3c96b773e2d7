"""Issue #20's EDGE misses on services 25 and 26 that are general (edge27): each case must be
flagged on the line marked ``# !`` and nowhere else; the look-alikes beside them must not be."""

from __future__ import annotations

import textwrap

import pytest

from test_edge_issue20_shapes import DEFAULT, _lines, _marked
from vetpy.engine import check_source


READS = [
    # the tail of a log kept from every line of it; the setting's own name says "log", not "settings"
    """
    from django.conf import settings

    def tail_log(lines: int = 200) -> list[str]:
        with open(settings.LOG_FILE, encoding="utf-8") as fh:
            return fh.readlines()[-lines:]  # !

    def head(path, n):
        with open(path) as fh:
            return fh.read().splitlines()[:n]  # !

    def tail_config():
        with open(settings.CONFIG_FILE) as fh:
            return fh.readlines()[-5:]

    def tail_constant():
        with open("/proc/interrupts") as fh:
            return fh.readlines()[-5:]

    def first_line(path):
        with open(path) as fh:
            return fh.readlines(100)[-1:]

    def tail_given(fh, n):
        return fh.readlines()[-n:]

    def after_header(path, worker):
        with open(path) as fh:
            for line in fh.readlines()[2:]:
                worker(line)
    """,
    # a Django upload read whole and written out (its `.chunks()` stream it)
    """
    from django.core.files.uploadedfile import UploadedFile

    def save_attachment(target, upload: UploadedFile):
        data = upload.read()  # !
        target.write_bytes(data)

    def save_streamed(target, upload: UploadedFile):
        with open(target, "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)

    def save_head(target, upload: UploadedFile):
        target.write_bytes(upload.read(1024))

    def parse(upload: UploadedFile):
        import json
        return json.loads(upload.read())
    """,
]


ARCHIVES = [
    # a member of an uploaded archive read whole (Flask, Django, FastAPI's `.file`)
    """
    import zipfile
    from flask import request

    def import_bundle(dest):
        with zipfile.ZipFile(request.files["file"].stream) as zf:
            for info in zf.infolist():
                (dest / info.filename).write_bytes(zf.read(info))  # !

    def import_checked(dest):
        with zipfile.ZipFile(request.files["file"].stream) as zf:
            if sum(i.file_size for i in zf.infolist()) > 10_000_000:
                raise ValueError("too large")
            for info in zf.infolist():
                (dest / info.filename).write_bytes(zf.read(info))

    def import_local(path, dest):
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                (dest / info.filename).write_bytes(zf.read(info))
    """,
    """
    import zipfile

    def import_room_archive(dest, archive: "UploadedFile"):
        with zipfile.ZipFile(archive) as zf:
            for info in zf.infolist():
                data = zf.read(info)  # !
                (dest / info.filename).write_bytes(data)

    async def import_zip(dest, upload: "UploadFile"):
        zf = zipfile.ZipFile(upload.file)
        return [zf.read(name) for name in zf.namelist()]  # !

    def streamed(dest, archive: "UploadedFile"):
        import shutil
        with zipfile.ZipFile(archive) as zf:
            for info in zf.infolist():
                with zf.open(info) as src, open(dest / info.filename, "wb") as out:
                    shutil.copyfileobj(src, out)
    """,
]


@pytest.mark.parametrize("src", ARCHIVES)
def test_uploaded_archive_members(src: str) -> None:
    assert _lines(src, "EDGE005") == _marked(src)


@pytest.mark.parametrize("src", READS)
def test_unbounded_reads(src: str) -> None:
    assert _lines(src, "EDGE005") == _marked(src)


def test_a_tests_own_file_is_small() -> None:
    src = textwrap.dedent(READS[0])
    assert not [f for f in check_source(src, "tests/test_app.py", DEFAULT) if f.code == "EDGE005"]


ROWS = [
    """
    def average_booking_value(conn, venue):
        rows = conn.execute("SELECT total FROM invoices WHERE venue = %s", (venue,)).fetchall()
        return sum(r[0] for r in rows) / len(rows)  # !

    def average_guarded(conn, venue):
        rows = conn.execute("SELECT total FROM invoices WHERE venue = %s", (venue,)).fetchall()
        if not rows:
            return 0
        return sum(r[0] for r in rows) / len(rows)

    def average_or_zero(cur):
        rows = cur.fetchall()
        return sum(r[0] for r in rows) / len(rows) if rows else 0

    def average_clamped(cur):
        rows = cur.fetchall()
        return sum(r[0] for r in rows) / max(len(rows), 1)
    """,
]


@pytest.mark.parametrize("src", ROWS)
def test_fetched_rows_may_be_empty(src: str) -> None:
    assert _lines(src, "EDGE010") == _marked(src)


def test_fetched_rows_maximum() -> None:
    src = """
    def largest(cur):
        rows = cur.fetchmany(50)
        return max(r[0] for r in rows)  # !

    def largest_default(cur):
        rows = cur.fetchall()
        return max((r[0] for r in rows), default=None)
    """
    assert _lines(src, "EDGE011") == _marked(src)


SHARED = [
    # a middleware counting every request without the lock it takes for the errors (and, since
    # edge34, a middleware's request methods run on every request as a route does: its unguarded
    # counter is shared as well)
    """
    import threading

    REQUEST_STATS = {"total": 0, "errors": 0}
    _stats_lock = threading.Lock()
    _hits = {"total": 0}

    class RequestStatsMiddleware:
        def __init__(self, get_response):
            self.get_response = get_response

        def __call__(self, request):
            REQUEST_STATS["total"] += 1  # !
            _hits["total"] += 1  # !
            response = self.get_response(request)
            if response.status_code >= 500:
                with _stats_lock:
                    REQUEST_STATS["errors"] += 1
            return response

    class LockedStats:
        def __call__(self, request):
            with _stats_lock:
                REQUEST_STATS["total"] += 1
    """,
    # a method that only reads module state under its object's own lock says nothing of the
    # state's sharing (vetpy's deadline.py: each thread writes its own entry)
    """
    import threading

    _DEPTHS = {}

    def protected(ident):
        _DEPTHS[ident] = _DEPTHS.get(ident, 0) + 1

    class Watchdog:
        def __init__(self):
            self._lock = threading.Lock()

        def busy(self, ident):
            with self._lock:
                return _DEPTHS.get(ident)
    """,
    # a helper that a thread target's helper calls runs in the worker threads too
    """
    import threading

    _names = {}
    _seen = set()

    def name_of(key):
        if key not in _names:  # !
            _names[key] = key.upper()
        return _names[key]

    def handle(key):
        if key in _seen:  # !
            return
        _seen.add(key)
        print(name_of(key), describe(key))

    def describe(key):
        local = {}
        if key not in local:
            local[key] = 1
        return local

    def worker(jobs):
        while True:
            handle(jobs.get())

    def start():
        for _ in range(4):
            threading.Thread(target=worker, args=(None,), daemon=True).start()
    """,
]


@pytest.mark.parametrize("src", SHARED)
def test_unlocked_shared_state(src: str) -> None:
    assert _lines(src, "EDGE018") == _marked(src)
