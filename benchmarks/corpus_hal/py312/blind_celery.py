"""Blind set: celery 5.7 (no broker is contacted)."""
from celery import Celery


app = Celery("blind", broker="memory://", backend="cache+memory://")


@app.task
def add(a, b):
    return a + b


def case_signature_then():
    return add.s(1, 2).then(add.s(3))  # HAL: other-library-idiom; receiver=chain


def case_task_delay_later():
    return add.delay_later(1, 2)  # HAL: invented-member; receiver=decorator
