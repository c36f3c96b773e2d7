"""blind5 valid functions: dynamic-but-valid look-alikes of the blind5 cases (issue 15, point 3).

Each function returns cleanly in the pinned env; its ``# OK:`` line is what a careless checker might
flag: current replacements of removed APIs, deprecated-but-present names, keywords that reach a
callee that accepts them, guarded or optional imports, attributes served by ``__getattr__`` or set
with ``setattr``, autospec mocks that have the method, with-targets that are another object.
"""

import io
import sys
from unittest import mock

import numpy as np
import pandas as pd
import pendulum
import requests
import sqlalchemy as sa
import typer
import urllib3
import yaml
from marshmallow import Schema, fields, post_load
from scipy import optimize, sparse, stats
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from starlette.applications import Starlette
from starlette.datastructures import Headers as StarletteHeaders
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.testclient import TestClient
from werkzeug.datastructures import Headers, MultiDict
from yarl import URL


class Base(DeclarativeBase):
    pass


class Item(Base):
    __tablename__ = "items"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(40))


def valid_marshmallow_load_default():
    return fields.Str(load_default="anonymous")  # OK: current replacement of missing=


def valid_marshmallow_pass_collection():
    class Batch(Schema):
        ids = fields.List(fields.Int())

        @post_load(pass_collection=True)  # OK: pass_many's new name
        def wrap(self, data, many, **kwargs):
            return data

    return Batch().load({"ids": [1]})


def valid_yaml_load_with_loader():
    return yaml.load("a: 1", Loader=yaml.SafeLoader)  # OK: Loader given


def valid_yaml_dump_forwarded_keywords():
    return yaml.dump({"b": 1, "a": 2}, sort_keys=False, default_flow_style=False, width=120)  # OK: kwargs reach dump_all


def valid_pendulum_interval():
    span = pendulum.interval(pendulum.datetime(2024, 1, 1), pendulum.datetime(2024, 1, 3))
    return span.in_days()  # OK: Interval (Period's new name)


def valid_pendulum_parse_options():
    return pendulum.parse("2024-01-02", strict=False)  # OK: **options accepted by the parser


def valid_pendulum_getattr_guard():
    Period = getattr(pendulum, "Period", None) or pendulum.Interval  # OK: guarded lookup
    return Period


def valid_typer_secho_styles():
    typer.secho("done", fg="green", bold=True, err=True)  # OK: style keywords reach click.style


def valid_typer_option_click_bounds():
    return typer.Option(1, "--level", min=0, max=3, clamp=True, envvar="LEVEL")  # OK: typer's own keywords


def valid_werkzeug_getlist_type():
    return MultiDict([("n", "1"), ("n", "2")]).getlist("n", type=int)  # OK: getlist(type=)


def valid_werkzeug_headers_get_all():
    return Headers([("Set-Cookie", "a=1")]).get_all("Set-Cookie")  # OK: werkzeug has get_all


def valid_werkzeug_optional_import():
    try:
        from werkzeug.urls import url_quote  # OK: ImportError handled
    except ImportError:
        from urllib.parse import quote as url_quote
    return url_quote("a b")


def valid_itsdangerous_max_age():
    from itsdangerous import URLSafeTimedSerializer
    s = URLSafeTimedSerializer("k")
    return s.loads(s.dumps({"id": 1}), max_age=3600)  # OK: max_age is the keyword


def valid_scipy_pearsonr_correlation():
    return stats.pearsonr([1, 2, 3], [1, 2, 4]).correlation  # OK: kept alias of statistic


def valid_scipy_csr_array_toarray():
    return sparse.csr_array(np.eye(2)).toarray()  # OK: replacement of .A


def valid_scipy_minimize_options():
    res = optimize.minimize(lambda v: float((v ** 2).sum()), [1.0], options={"maxiter": 20})
    return res.nit  # OK: OptimizeResult serves its keys as attributes


def valid_scipy_curve_fit_maxfev():
    return optimize.curve_fit(lambda x, a: a * x, [1.0, 2.0, 3.0], [1.0, 2.0, 3.0], maxfev=200)  # OK: reaches leastsq


def valid_scipy_trapezoid_hasattr():
    from scipy import integrate
    if hasattr(integrate, "trapezoid"):
        return integrate.trapezoid([1.0, 2.0])
    return integrate.trapz([1.0, 2.0])  # OK: guarded by hasattr


async def _home(request):
    request.app.state.hits = getattr(request.app.state, "hits", 0) + 1
    return JSONResponse({"hits": request.app.state.hits})


def valid_starlette_state_and_follow_redirects():
    app = Starlette(routes=[Route("/", _home)])
    app.state.db = "sqlite://"
    resp = TestClient(app).get("/", follow_redirects=False)  # OK: httpx-based TestClient keyword
    return resp.json(), app.state.db


def valid_starlette_headers_getlist():
    return StarletteHeaders({"x-a": "1"}).getlist("x-a")  # OK: Starlette Headers.getlist


def valid_starlette_status_deprecated_alias():
    from starlette import status
    return status.HTTP_422_UNPROCESSABLE_ENTITY  # OK: deprecated but still served


def valid_yarl_update_query():
    url = URL.build(scheme="https", host="example.com", path="/a", query={"page": 1})
    return url.update_query(page=2).extend_query(tag="x")  # OK: yarl's own names


def valid_urllib3_retry_allowed_methods():
    return urllib3.Retry(total=3, allowed_methods=["GET"], backoff_max=30)  # OK: 2.x names


def valid_urllib3_response_json():
    resp = urllib3.HTTPResponse(body=b'{"a": 1}', status=200)
    return resp.json()  # OK: urllib3 2 added HTTPResponse.json()


def valid_urllib3_getheaders_deprecated():
    resp = urllib3.HTTPResponse(body=b"", headers={"A": "1"})
    return resp.getheaders()  # OK: deprecated but present


def valid_httpx_proxy_and_transport_retries():
    import httpx
    transport = httpx.HTTPTransport(retries=3)  # OK: retries belongs to the transport
    return httpx.Client(transport=transport, follow_redirects=True)


def valid_httpx_get_list():
    import httpx
    return httpx.Headers({"a": "1"}).get_list("a"), httpx.QueryParams("a=1").get_list("a")  # OK: httpx spelling


def valid_requests_json_strict():
    resp = requests.Response()
    resp._content = b'{"a": 1}'
    resp.encoding = "utf-8"
    return resp.json(strict=False)  # OK: strict reaches json.loads / JSONDecoder


def valid_requests_autospec_has_get():
    session = mock.create_autospec(requests.Session, instance=True)
    return session.get("https://example.com")  # OK: Session.get exists on the spec


def valid_sqlalchemy_row_column_attribute():
    engine = sa.create_engine("sqlite://")
    with engine.connect() as conn:
        row = conn.execute(sa.text("select 1 as a")).first()
        return row.a, row._mapping["a"], row._asdict()  # OK: Row serves column names


def valid_sqlalchemy_legacy_query_get():
    engine = sa.create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        return session.query(Item).get(1)  # OK: legacy but present in 2.1


def valid_pandas_map_and_ffill():
    df = pd.DataFrame({"a": [1.0, None]})
    return df.ffill().map(str)  # OK: 3.0 replacements


def valid_pandas_style_hide_axis():
    return pd.DataFrame({"a": [1]}).style.hide(axis="index")  # OK: Styler.hide


def valid_pandas_isocalendar_week():
    s = pd.Series(pd.to_datetime(["2024-01-01"]))
    return s.dt.isocalendar().week  # OK: replacement of .dt.week


def valid_numpy_sort_descending():
    return np.sort(np.array([3, 1, 2]), descending=True)  # OK: added in NumPy 2.x


def valid_numpy_reshape_shape_keyword():
    return np.reshape(np.arange(6), shape=(2, 3))  # OK: newshape's replacement


def valid_numpy_generator_integers():
    rng = np.random.default_rng(0)
    return rng.integers(0, 10, size=3, endpoint=True)  # OK: Generator spelling


def valid_setattr_after_class_creation():
    class Config:
        pass

    for name in ("debug", "verbose"):
        setattr(Config, name, False)
    return Config.debug  # OK: set by setattr


def valid_getattr_serves_data():
    class Settings:
        def __init__(self):
            self._data = {"timeout": 5}

        def __getattr__(self, name):
            try:
                return self._data[name]
            except KeyError:
                raise AttributeError(name) from None

    return Settings().timeout  # OK: __getattr__ serves it


def valid_version_guarded_queue_shutdown():
    import queue
    q = queue.Queue()
    if sys.version_info >= (3, 13):
        q.shutdown()  # OK: guarded by version
    return q


def valid_tempfile_delete_on_close():
    import tempfile
    with tempfile.NamedTemporaryFile(delete_on_close=False) as fh:  # OK: 3.12 keyword
        return fh.name


def valid_pathlib_walk_up():
    from pathlib import Path
    return Path("/a/b").relative_to("/a/c", walk_up=True)  # OK: 3.12 keyword


def valid_contextmanager_target_is_other_object():
    import contextlib

    @contextlib.contextmanager
    def session_scope():
        yield io.StringIO("x")

    with session_scope() as buf:
        return buf.read()  # OK: the yielded StringIO


def valid_gzip_name():
    import gzip
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        with gzip.open(tmp + "/a.gz", "wb") as fh:
            return fh.name  # OK: name replaces filename
