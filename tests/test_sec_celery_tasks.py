"""A Celery task's arguments are what the code that sends it puts in the message (a view passing
request data, another service writing to the broker): input the task cannot trust (issue #20;
service21's ``convert_attachment`` and ``compress_export``).

Specification: in a module that imports Celery, the parameters of a function decorated as a task
(``@app.task``, ``@app.task(bind=True, ...)``, ``@shared_task``, ``@celery.task``) are untrusted
input, as a route handler's are: a shell command built from them is SEC002. Not untrusted: the
bound task itself (``self`` under ``bind=True``); a parameter annotated ``int``/``float``/
``bool`` (a number cannot carry a command); an allow-listed value; the same body in a function
that is no task (its parameters are of unknown origin: SEC025, opt-in); a ``task`` decorator in a
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
