"""A Celery task's arguments are what the code that sends it puts in the message (a view passing
request data, another service writing to the broker): input the task cannot trust (issue #20;
service21's ``convert_attachment`` and ``compress_export``).

Specification: in a module that imports Celery, the parameters of a function decorated as a task
(``@app.task``, ``@app.task(bind=True, ...)``, ``@shared_task``, ``@celery.task``) are untrusted
input, as a route handler's are: a shell command built from them is SEC002. Not untrusted: the
bound task itself (``self`` under ``bind=True``); a parameter annotated ``int``/``float``/
``bool`` (a number cannot carry a command); an allow-listed value; the same body in a function
that is no task (its parameters are of unknown origin: SEC025); a ``task`` decorator in a
module that does not import Celery (another library's meaning).
"""

from __future__ import annotations

from tests.test_security import lines

SRC = """\
import os
import subprocess

from celery import Celery, shared_task

app = Celery("helpdesk")
FORMATS = {"pdf", "odt"}


@app.task
def convert(path, fmt):
    subprocess.run(f"soffice --headless --convert-to {fmt} {path}", shell=True, check=True)  # !


@shared_task
def compress(path: str) -> None:
    os.system("gzip -9 " + path)  # !


@app.task(bind=True, max_retries=3)
def archive(self, name):
    os.system("tar czf /tmp/a.tgz " + name)  # !
    os.system("echo %s" % self.request.id)


@app.task
def rotate(days: int) -> None:
    os.system("find /var/log -mtime +%d -delete" % days)


@app.task
def convert_safe(path, fmt):
    if fmt not in FORMATS:
        raise ValueError(fmt)
    subprocess.run(["soffice", "--headless", "--convert-to", fmt, path], check=True)


def helper(path):
    os.system("gzip -9 " + path)
"""

NOT_CELERY = """\
import os

from scheduler import jobs


@jobs.task
def compress(path):
    os.system("gzip -9 " + path)
"""


def _expected(text: str) -> list[int]:
    return [i for i, line in enumerate(text.splitlines(), 1) if line.rstrip().endswith("# !")]


def test_task_arguments_reach_a_shell() -> None:
    assert lines(SRC, "SEC002", path="tasks.py") == _expected(SRC)


def test_a_task_decorator_of_another_library_is_not_celery() -> None:
    assert lines(NOT_CELERY, "SEC002", path="tasks.py") == []


# A request a task makes to a URL it was sent (service21's notify_callback): SSRF (SEC016), as in a
# view. Not reported: a host fixed by the code, a URL checked against an allow-list, an int id, the
# same call in a function that is no task, and the task's other web sinks (a path argument is most
# often the application's own file: no SEC015 outside web modules).
SSRF_SRC = """\
import httpx
import requests
from celery import Celery, shared_task
from urllib.parse import urlparse

app = Celery("helpdesk")


@app.task(bind=True, max_retries=5)
def notify(self, url: str, title: str) -> None:
    requests.post(url, json={"title": title}, timeout=10)  # !


@shared_task
def fetch(callback):
    with httpx.Client(timeout=5) as client:
        client.get(callback)  # !


@shared_task
def fixed_host(path: str) -> None:
    requests.get(f"https://api.example.com/{path}", timeout=5)


@shared_task
def checked(url: str) -> None:
    if urlparse(url).hostname not in {"a.example.com"}:
        return
    requests.get(url, timeout=5)


@shared_task
def by_id(hook_id: int) -> None:
    requests.get(hook_id, timeout=5)


def not_a_task(url):
    requests.get(url, timeout=5)


@shared_task
def read_export(path: str) -> bytes:
    with open(path, "rb") as fh:
        return fh.read()
"""


def test_task_arguments_reach_a_request_url() -> None:
    assert lines(SSRF_SRC, "SEC016", path="tasks.py") == _expected(SSRF_SRC)
    assert lines(SSRF_SRC, "SEC015", path="tasks.py") == []


def test_a_request_in_a_task_of_another_library_is_not_reported() -> None:
    src = SSRF_SRC.replace("from celery import Celery, shared_task", "from scheduler import Celery, shared_task")
    assert lines(src, "SEC016", path="tasks.py") == []
