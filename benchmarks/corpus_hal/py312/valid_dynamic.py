"""Dynamic-but-valid code: every function runs cleanly in this environment. Each has one line
marked ``# OK: <kind>`` where a careful reviewer might pause; a finding anywhere in these
functions is a false positive."""
import contextlib
import dataclasses
import enum
import functools
import io
import json
import sqlite3
import sys
import tempfile
import types
import warnings
from collections import namedtuple
from unittest import mock

import attr
import attrs
import boto3
import click
import httpx
import jinja2
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pydantic  # noqa: E402
import redis  # noqa: E402
import requests  # noqa: E402
import sqlalchemy as sa  # noqa: E402
import yaml  # noqa: E402
from celery import Celery  # noqa: E402
from celery.schedules import crontab  # noqa: E402
from fastapi import FastAPI  # noqa: E402
from flask import Flask, g  # noqa: E402
from marshmallow import Schema, fields  # noqa: E402
from PIL import Image  # noqa: E402
from rich.console import Console  # noqa: E402
from starlette.applications import Starlette  # noqa: E402
from starlette.requests import Request  # noqa: E402


class Plugin:
    pass


def _hello(self):
    return "hello"


setattr(Plugin, "hello", _hello)


class Registry:
    def __getattr__(self, name):
        if name.startswith("get_"):
            return lambda: name[4:]
        raise AttributeError(name)


def valid_setattr_on_class():
    return Plugin().hello()  # OK: setattr-after-class


def valid_getattr_class():
    return Registry().get_user()  # OK: class-getattr


def valid_setattr_instance_loop():
    obj = types.SimpleNamespace()
    for key in ("a", "b"):
        setattr(obj, key, 1)
    return obj.a + obj.b  # OK: setattr-instance


def valid_simple_namespace():
    cfg = types.SimpleNamespace(debug=True, level=3)
    return cfg.level  # OK: namespace


def valid_optional_import_ujson():
    try:
        import ujson as fastjson  # type: ignore[import-not-found]
    except ImportError:
        import json as fastjson
    return fastjson.dumps({"a": 1})  # OK: optional-import


def valid_optional_yaml_cloader():
    try:
        from yaml import CSafeLoader as Loader
    except ImportError:
        from yaml import SafeLoader as Loader
    return yaml.load("a: 1", Loader=Loader)  # OK: optional-import


def valid_version_guard_copy_replace():
    @dataclasses.dataclass
    class P:
        x: int

    if sys.version_info >= (3, 13):
        import copy
        return copy.replace(P(1), x=2)
    return dataclasses.replace(P(1), x=2)  # OK: version-guard


def valid_hasattr_guard_trapezoid():
    y = np.array([1.0, 2.0, 3.0])
    if hasattr(np, "trapezoid"):
        return np.trapezoid(y)  # OK: hasattr-guard
    return np.trapz(y)


def valid_hasattr_model_dump():
    class M(pydantic.BaseModel):
        a: int = 1

    m = M()
    if hasattr(m, "model_dump"):
        return m.model_dump()  # OK: hasattr-guard
    return m.dict()


def valid_pydantic_extra_allow():
    class Event(pydantic.BaseModel):
        model_config = pydantic.ConfigDict(extra="allow")
        kind: str

    event = Event(kind="click", button="left")
    return event.button  # OK: extra-allowed


def valid_pydantic_v1_shim():
    from pydantic.v1 import BaseSettings  # OK: deprecated-shim
    return BaseSettings


def valid_pydantic_deprecated_dict():
    class M(pydantic.BaseModel):
        a: int = 1

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return M().dict()  # OK: deprecated-still-present


def valid_pandas_column_attribute():
    df = pd.DataFrame({"price": [1.0, 2.0]})
    return df.price.sum()  # OK: data-getattr


def valid_pandas_groupby_column_attribute():
    df = pd.DataFrame({"k": ["a", "a"], "qty": [1, 2]})
    return df.groupby("k").qty.sum()  # OK: data-getattr


def valid_pandas_options():
    return pd.options.display.max_rows  # OK: module-getattr


def valid_pandas_assign_kwargs():
    df = pd.DataFrame({"a": [1, 2]})
    return df.assign(double=df["a"] * 2, triple=lambda d: d["a"] * 3)  # OK: kwargs-as-data


def valid_pandas_named_agg():
    df = pd.DataFrame({"k": ["a", "b"], "v": [1, 2]})
    return df.groupby("k").agg(total=("v", "sum"), biggest=("v", "max"))  # OK: kwargs-as-data


def valid_numpy_savez_kwargs():
    buf = io.BytesIO()
    np.savez(buf, weights=np.ones(2), bias=np.zeros(1))  # OK: kwargs-as-data
    return buf.getvalue()


def valid_numpy_generator():
    rng = np.random.default_rng(0)
    return rng.integers(0, 10, size=3)  # OK: factory-return


def valid_numpy_errstate():
    with np.errstate(divide="ignore"):
        return np.log(np.zeros(1))  # OK: with-target-unused


def valid_requests_codes_lookup():
    return requests.codes.teapot  # OK: data-getattr


def valid_requests_request_kwargs():
    req = requests.Request("GET", "https://api.example.invalid/", params={"q": 1}, headers={"A": "1"})
    return req.prepare().url  # OK: constructor-chain


def valid_mock_spec_existing():
    session = mock.create_autospec(requests.Session, instance=True)
    session.get("https://api.example.invalid/")  # OK: mock-spec
    return session.get.call_count


def valid_plain_mock_anything():
    client = mock.MagicMock()
    return client.whatever.you.like()  # OK: plain-mock


def valid_patch_object_with_target():
    with mock.patch.object(requests.Session, "get") as fake_get:
        requests.Session().get("https://api.example.invalid/")
        fake_get.assert_called_once()  # OK: with-target-other
        return fake_get.call_count


def valid_httpx_mock_transport():
    def handler(request):
        return httpx.Response(200, json={"ok": True})

    with httpx.Client(transport=httpx.MockTransport(handler), timeout=5, headers={"A": "1"}) as client:
        return client.get("https://api.example.invalid/").is_success  # OK: with-target


def valid_boto3_dynamic_operation():
    s3 = boto3.client("s3", region_name="us-east-1")
    return s3.list_objects_v2  # OK: dynamic-client


def valid_boto3_resource_collection():
    bucket = boto3.resource("s3", region_name="us-east-1").Bucket("b")
    return bucket.objects  # OK: dynamic-client


def valid_boto3_presign():
    s3 = boto3.client("s3", region_name="us-east-1")
    return s3.generate_presigned_url("get_object", Params={"Bucket": "b", "Key": "k"}, ExpiresIn=60)  # OK: dynamic-client


def valid_flask_g_attribute():
    app = Flask(__name__)
    with app.app_context():
        g.user = "ann"
        return g.user  # OK: plugin-set-attribute


def valid_flask_extensions():
    app = Flask(__name__)
    app.extensions["cache"] = {}
    return app.extensions["cache"]  # OK: plugin-registry


def valid_starlette_request_state():
    request = Request({"type": "http", "method": "GET", "path": "/", "query_string": b"", "headers": []})
    request.state.user_id = 7
    return request.state.user_id  # OK: middleware-state


def valid_starlette_app_state():
    app = Starlette()
    app.state.db = "conn"
    return app.state.db  # OK: middleware-state


def valid_fastapi_app_state():
    app = FastAPI(title="svc")
    app.state.limiter = "token-bucket"
    return app.state.limiter  # OK: middleware-state


def valid_celery_kwargs():
    app = Celery("svc", broker="memory://", broker_connection_retry_on_startup=False)
    return app.main  # OK: kwargs-accepted


def valid_celery_crontab_kwargs():
    return crontab(minute=0, hour="*/3", day_of_week="mon-fri")  # OK: kwargs-accepted


def valid_celery_task_delay_attr():
    app = Celery("svc2", broker="memory://")

    @app.task
    def add(a, b):
        return a + b

    return add.delay  # OK: decorator-return


def valid_sqlalchemy_table_columns():
    table = sa.Table("t", sa.MetaData(), sa.Column("id", sa.Integer), sa.Column("name", sa.String))
    return table.c.name  # OK: data-getattr


def valid_sqlalchemy_row_attribute():
    engine = sa.create_engine("sqlite://")
    with engine.connect() as conn:
        row = conn.execute(sa.text("select 1 as answer")).one()
        return row.answer  # OK: data-getattr


def valid_sqlalchemy_insert_values_kwargs():
    table = sa.Table("t2", sa.MetaData(), sa.Column("id", sa.Integer), sa.Column("name", sa.String))
    return sa.insert(table).values(id=1, name="x")  # OK: kwargs-as-data


def valid_sqlalchemy_begin_commit():
    engine = sa.create_engine("sqlite://")
    with engine.connect() as conn:
        conn.execute(sa.text("select 1"))
        conn.commit()  # OK: with-target


def valid_redis_pipeline_with():
    r = redis.Redis(decode_responses=True)
    with r.pipeline(transaction=False) as pipe:
        pipe.set("a", 1, ex=10)  # OK: with-target
        return len(pipe)


def valid_redis_set_ex():
    r = redis.Redis()
    return r.set  # OK: factory-return


def valid_yaml_dump_kwargs():
    return yaml.dump({"b": 1, "a": 2}, default_flow_style=False, sort_keys=False, indent=4)  # OK: kwargs-forward


def valid_yaml_safe_dump_unicode():
    return yaml.safe_dump({"name": "é"}, allow_unicode=True, width=120)  # OK: kwargs-forward


def valid_json_dumps_cls_kwargs():
    return json.dumps({"a": 1}, indent=2, sort_keys=True, separators=(",", ":"))  # OK: kwargs-forward


def valid_marshmallow_dumps_indent():
    class S(Schema):
        a = fields.Int()

    return S().dumps({"a": 1}, indent=2)  # OK: kwargs-forward


def valid_marshmallow_metadata():
    return fields.Str(metadata={"description": "name"}, load_default="x")  # OK: kwargs-accepted


def valid_pillow_save_kwargs():
    buf = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buf, "PNG", optimize=True, compress_level=9)  # OK: kwargs-forward
    return buf.tell()


def valid_pillow_with_open():
    buf = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buf, "PNG")
    buf.seek(0)
    with Image.open(buf) as im:
        return im.size  # OK: with-target


def valid_matplotlib_plot_kwargs():
    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4], color="r", linewidth=2, linestyle="--")  # OK: kwargs-forward
    plt.close(fig)


def valid_matplotlib_colormap_registry():
    return matplotlib.colormaps["viridis"]  # OK: registry


def valid_attrs_evolve_field():
    @attrs.define
    class C:
        x: int

    return attrs.evolve(C(1), x=2)  # OK: kwargs-forward


def valid_attr_legacy_api():
    @attr.s(auto_attribs=True)
    class C:
        x: int = 0

    return attr.asdict(C())  # OK: deprecated-still-present


def valid_click_context_obj():
    ctx = click.Context(click.Command("x"), obj=types.SimpleNamespace(verbose=True))
    return ctx.obj.verbose  # OK: plugin-set-attribute


def valid_jinja_render_kwargs():
    return jinja2.Template("{{ anything }}").render(anything=1, other=2)  # OK: kwargs-as-data


def valid_jinja_env_globals():
    env = jinja2.Environment()
    env.globals["site"] = "x"
    return env.from_string("{{ site }}").render()  # OK: registry


def valid_rich_status_update():
    console = Console(file=io.StringIO())
    with console.status("working") as status:
        status.update("done")  # OK: with-target


def valid_tempdir_with_target_is_str():
    with tempfile.TemporaryDirectory() as path:
        return path.upper()  # OK: with-target-other


def valid_contextmanager_yields_other():
    @contextlib.contextmanager
    def connect():
        conn = sqlite3.connect(":memory:")
        try:
            yield conn
        finally:
            conn.close()

    with connect() as conn:
        return conn.execute("select 1").fetchone()  # OK: with-target-other


def valid_catch_warnings_record():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warnings.warn("x")
        return caught[0].message  # OK: with-target-other


def valid_enum_member():
    class Color(enum.Enum):
        RED = 1

    return Color.RED.value  # OK: enum-member


def valid_namedtuple_field():
    Pair = namedtuple("Pair", "left right")
    return Pair(1, 2).right  # OK: generated-class


def valid_functools_wraps_wrapped():
    def deco(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            return fn(*args, **kwargs)
        return wrapper

    @deco
    def add(a, b):
        return a + b

    return add.__wrapped__(1, 2)  # OK: decorator-attribute


def valid_lru_cache_clear():
    @functools.lru_cache(maxsize=8)
    def square(n):
        return n * n

    square(2)
    square.cache_clear()  # OK: decorator-attribute


def valid_function_attribute():
    def handler():
        return 1

    handler.route = "/x"
    return handler.route  # OK: setattr-instance


def valid_module_attribute_set():
    mod = types.ModuleType("plugins")
    mod.loaded = True
    return mod.loaded  # OK: setattr-instance


def valid_partial_kwargs():
    to_int = functools.partial(int, base=2)
    return to_int("101")  # OK: kwargs-forward


def valid_dict_kwargs_forward():
    def build(**options):
        return dict(**options)

    return build(timeout=3, retries=2)  # OK: kwargs-forward
