"""Blind set 4 (written without running vetpy or reading its rules): celery."""
from celery import Celery

app = Celery("blind4", broker="memory://", backend="cache+memory://")


@app.task
def add(x, y):
    return x + y


def case_config_from_dict():
    local = Celery("x", broker="memory://")
    local.config_from_dict({"task_always_eager": True})  # HAL: invented-member; receiver=constructor


def case_signature_delay_after():
    return add.s(1, 2).delay_after(5)  # HAL: invented-member; receiver=decorator


def case_inspect_active_workers():
    return app.control.inspect().active_workers()  # HAL: invented-member; receiver=chain


def case_task_schedule():
    return add.schedule(args=(1, 2), countdown=5)  # HAL: invented-member; receiver=decorator
