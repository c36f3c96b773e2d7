"""celery 5.7: modules removed in 5.0, invented members on apps, tasks and results."""
from celery import Celery
from celery.result import AsyncResult

app = Celery("corpus", broker="memory://", backend="cache+memory://")


@app.task
def add(a, b):
    return a + b


def case_celery_task_module():
    from celery.task import task  # HAL: version-drift; receiver=import
    return task


def case_celery_decorators():
    from celery.decorators import periodic_task  # HAL: version-drift; receiver=import
    return periodic_task


def case_app_configure():
    worker = Celery("w", broker="memory://")
    worker.configure(task_serializer="json")  # HAL: invented-member; receiver=constructor


def case_delay_async():
    return add.delay_async(1, 2)  # HAL: invented-member; receiver=decorator


def case_result_get_status():
    result = AsyncResult("0" * 32, app=app)
    return result.get_status()  # HAL: invented-member; receiver=constructor


def case_task_decorator_typo():
    worker = Celery("w2", broker="memory://")

    @worker.periodic_task(run_every=10)  # HAL: version-drift; receiver=constructor
    def tick():
        pass

    return tick


def case_app_autodiscover_typo():
    app.autodiscover(["pkg"])  # HAL: invented-member; receiver=module


def case_control_ping_workers():
    return app.control.ping_workers  # HAL: invented-member; receiver=chain
