"""Security shapes outside web modules (walked only on lines with a trigger word, which the
`findings` helper compares with the full walk): configuration classes and settings, Celery's
accepted content, SSH clients, logs of the whole configuration, itsdangerous tokens."""

from tests.test_security import lines


def test_debug_in_a_production_config_class():
    src = """
        import os

        class Config:
            DEBUG = False

        class ProductionConfig(Config):
            DEBUG = True

        class DevelopmentConfig(Config):
            DEBUG = True

        class ProdSettings:
            DEBUG: bool = True

        class LiveConfig(Config):
            DEBUG = os.environ.get("APP_DEBUG") == "1"
    """
    assert lines(src, "SEC012", path="config.py") == [8, 14]


def test_session_cookie_httponly_switched_off_in_settings():
    src = """
        class Config:
            SESSION_COOKIE_HTTPONLY = False
            SESSION_COOKIE_SECURE = False
            CSRF_COOKIE_HTTPONLY = False

        REMEMBER_COOKIE_HTTPONLY = False
        SESSION_COOKIE_HTTPONLY = True

        def local():
            SESSION_COOKIE_HTTPONLY = False
            return SESSION_COOKIE_HTTPONLY
    """
    assert lines(src, "SEC030", path="config.py") == [3, 4, 7]


def test_session_cookie_secure_switched_off_outside_development_settings():
    """``SESSION_COOKIE_SECURE`` defaults to false (the development server speaks HTTP): an
    explicit False is reported in production settings, not in development ones."""
    src = """
        DEBUG = False
        SESSION_COOKIE_SECURE = False
        REMEMBER_COOKIE_SECURE = False
        if DEBUG:
            SESSION_COOKIE_SECURE = False

        class DevelopmentConfig:
            SESSION_COOKIE_SECURE = False

        class TestingConfig:
            SESSION_COOKIE_SECURE = False
    """
    assert lines(src, "SEC030", path="settings.py") == [3, 4]
    for path in ("settings/dev.py", "settings/local.py", "test_settings.py", "settings/base.py", "config/common.py"):
        assert lines(src, "SEC030", path=path) == [], path


def test_celery_accepting_pickle():
    src = """
        from celery import Celery

        app = Celery("jobs")
        app.conf.accept_content = ["json", "application/x-python-serialize"]
        app.conf.update(accept_content=["pickle"])
        app.conf.update(accept_content=["json"], task_serializer="pickle")
        CELERY_ACCEPT_CONTENT = ("pickle",)
        CELERY_TASK_SERIALIZER = "pickle"
    """
    assert lines(src, "SEC005", path="worker.py") == [5, 6, 8]


def test_ssh_client_accepting_any_host_key():
    src = """
        import paramiko

        def connect(host):
            client = paramiko.SSHClient()
            client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
            client.set_missing_host_key_policy(paramiko.RejectPolicy())
            client.connect(host)
            return client
    """
    assert lines(src, "SEC006", path="deploy.py") == [6]


def test_remote_command_of_unknown_origin_is_command_formatting():
    src = '''
        import paramiko
        import shlex

        def restart(client: paramiko.SSHClient, unit):
            client.exec_command(f"sudo systemctl restart {unit}")
            client.exec_command(f"sudo systemctl restart {shlex.quote(unit)}")
            client.exec_command("uptime")
    '''
    assert lines(src, "SEC025", path="deploy.py") == [6]
    assert lines(src, "SEC002", path="deploy.py") == []


def test_whole_configuration_and_environment_in_a_log():
    src = """
        import logging
        import os

        log = logging.getLogger(__name__)

        def start():
            log.info("environment: %s", dict(os.environ))
            log.info("home: %s", os.environ.get("HOME"))
            log.info("%d variables", len(os.environ))
    """
    assert lines(src, "SEC031", path="start.py") == [8]


def test_timed_token_loaded_without_max_age():
    src = """
        from itsdangerous import URLSafeTimedSerializer

        def serializer() -> URLSafeTimedSerializer:
            return URLSafeTimedSerializer("k")

        def confirm(token):
            first = serializer().loads(token, salt="confirm")
            second = serializer().loads(token, salt="confirm", max_age=3600)
            return first, second
    """
    assert lines(src, "SEC021", path="tokens.py") == [8]


def test_token_hashed_from_the_clock():
    src = """
        import time
        from hashlib import sha256

        def make_reset_token(user_id):
            return sha256(f"{user_id}{time.time()}".encode()).hexdigest()

        def make_etag(body):
            return sha256(f"{body}{time.time()}".encode()).hexdigest()

        def register(team, hook_url):
            return dict(url=hook_url, secret=sha256(str(time.time_ns()).encode()).hexdigest())
    """
    assert lines(src, "SEC008", path="tokens.py") == [6, 12]


def test_stored_format_string_in_a_worker():
    src = """
        from sqlalchemy.orm import Session

        from shop.models import Notice

        def render(session: Session, notice_id, order):
            notice = session.get(Notice, notice_id)
            text = notice.template.format(order=order)
            label = "Order {order.id}".format(order=order)
            return text + label
    """
    assert lines(src, "SEC004", path="worker.py") == [8]


def test_debug_read_from_the_environment_on_by_default_in_the_only_configuration_class():
    """service37: ``class Config: DEBUG = os.environ.get("HAULPOINT_DEBUG", "1") == "1"``, the class
    ``create_app`` uses, with only a test configuration beside it: debug mode unless the deployment
    sets the variable.  A development / test / local class, and a base class that a production
    class of the module overrides, are not reported; nor a default that is off."""
    src = """
        import os

        class Config:
            DEBUG = os.environ.get("HAULPOINT_DEBUG", "1") == "1"
            SECRET = os.environ.get("S", "")

        class TestConfig(Config):
            TESTING = True
            DEBUG = True

        class DevelopmentSettings:
            DEBUG = os.getenv("DEBUG", "true").lower() == "true"
    """
    assert lines(src, "SEC012", path="config.py") == [5]
    overridden = """
        import os

        class BaseConfig:
            DEBUG = os.environ.get("APP_DEBUG", "1") == "1"

        class ProductionConfig(BaseConfig):
            DEBUG = False
    """
    assert lines(overridden, "SEC012", path="config.py") == []
    off = """
        import os

        class Config:
            DEBUG = os.environ.get("APP_DEBUG", "0") == "1"
    """
    assert lines(off, "SEC012", path="config.py") == []
