"""Blind set (written without running vetpy or reading its rules): dynamic-but-valid look-alikes.
Every function runs cleanly; the line marked ``# OK: <kind>`` is where a careful reviewer might
pause, and a finding anywhere in these functions is a false positive."""
import asyncio
import datetime
import enum
import functools
import io
import pathlib
import re
import subprocess
import sys
import tempfile
from unittest import mock

import arrow
import attrs
import click
import httpx
import jwt
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pendulum  # noqa: E402
import pytest  # noqa: E402
import redis  # noqa: E402
import scipy.sparse  # noqa: E402
import sqlalchemy as sa  # noqa: E402
import typer  # noqa: E402
import urllib3  # noqa: E402
from flask import Flask  # noqa: E402
from PIL import Image, ImageSequence  # noqa: E402
from pydantic import BaseModel  # noqa: E402
from rich.console import Console  # noqa: E402
from tenacity import Retrying, stop_after_attempt  # noqa: E402
from werkzeug.exceptions import NotFound, abort  # noqa: E402


@attrs.define
class Point:
    x: int = 0
    y: int = 0


class User(BaseModel):
    id: int
    name: str = "ann"


def scale(frame: pd.DataFrame, factor: int = 1) -> pd.DataFrame:
    return frame * factor


class Settings:
    """Serves any setting from a dict (a __getattr__ that serves data)."""

    def __init__(self, **values):
        self._values = values

    def __getattr__(self, name):
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None


class Handler:
    pass


def _ping(self):
    return "pong"


Handler.ping = _ping


def valid_httpx_codes_lowercase():
    return httpx.codes.ok  # OK: setattr-after-class


def valid_attrs_fields_by_name():
    return attrs.fields(Point).x.default  # OK: generated-class


def valid_matplotlib_alias_keywords():
    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4], ls="--", lw=2)  # OK: kwargs-forward
    plt.close(fig)


def valid_matplotlib_alias_method():
    fig, ax = plt.subplots()
    (line,) = ax.plot([1, 2], [3, 4])
    line.set_ls(":")  # OK: generated-class
    plt.close(fig)


def valid_colormaps_get_cmap():
    return matplotlib.colormaps.get_cmap("viridis")  # OK: deprecated-still-present


def valid_timestamp_utcfromtimestamp():
    return pd.Timestamp.utcfromtimestamp(0)  # OK: deprecated-still-present


def valid_werkzeug_abort_description():
    try:
        abort(404, description="missing")  # OK: kwargs-forward
    except NotFound as exc:
        return exc.description


def valid_excinfo_value():
    with pytest.raises(ValueError) as excinfo:
        raise ValueError("x")
    return excinfo.value.args  # OK: with-target


def valid_retry_state_attempt_number():
    for attempt in Retrying(stop=stop_after_attempt(1)):
        with attempt:
            n = attempt.retry_state.attempt_number  # OK: loop
    return n


def valid_tempdir_as_path():
    with tempfile.TemporaryDirectory() as tmp:
        return pathlib.Path(tmp).joinpath("x").name  # OK: with-target-other


def valid_urllib3_timeout():
    return urllib3.util.Timeout(connect=1.0, read=2.0)  # OK: kwargs-accepted


def valid_enum_functional_api():
    Shade = enum.Enum("Shade", "LIGHT DARK")
    return Shade.DARK  # OK: generated-class


def valid_dataframe_pipe_kwargs():
    return pd.DataFrame({"a": [1]}).pipe(scale, factor=2)  # OK: kwargs-forward


def valid_pydantic_is_required():
    return User.model_fields["id"].is_required()  # OK: class-attribute


def valid_sqlalchemy_ilike():
    table = sa.Table("t", sa.MetaData(), sa.Column("name", sa.String))
    return table.c.name.ilike("a%")  # OK: data-getattr


def valid_flask_from_prefixed_env():
    app = Flask(__name__)
    app.config.from_prefixed_env()  # OK: chain
    return app.config


def valid_flask_query_string():
    app = Flask(__name__)

    @app.get("/")
    def index():
        return {"ok": True}

    with app.test_client() as client:
        return client.get("/", query_string={"a": "1"}).status_code  # OK: kwargs-forward


def valid_rich_capture_get():
    console = Console()
    with console.capture() as cap:
        console.print("x")
    return cap.get()  # OK: with-target


def valid_redis_from_url_pipeline():
    r = redis.Redis.from_url("redis://localhost:6379/0", decode_responses=True)
    pipe = r.pipeline()
    pipe.set("a", 1, px=500)  # OK: factory-return
    return len(pipe)


def valid_click_argument_metavar():
    @click.command()
    @click.argument("name", metavar="NAME")  # OK: kwargs-accepted
    def greet(name):
        click.echo(name)

    return greet


def valid_jwk_client_timeout():
    return jwt.PyJWKClient("https://example.invalid/jwks", cache_keys=True, timeout=5)  # OK: kwargs-accepted


def valid_sparse_toarray():
    return scipy.sparse.csr_matrix([[1, 0], [0, 1]]).toarray()  # OK: constructor-chain


def valid_pattern_match_pos():
    return re.compile("b").match("abc", 1, 3)  # OK: factory-return


def valid_datetime_isoformat_timespec():
    return datetime.datetime.now(tz=datetime.UTC).isoformat(timespec="seconds")  # OK: factory-return


def valid_autospec_path_instance():
    path = mock.create_autospec(pathlib.Path, instance=True)
    return path.exists()  # OK: mock-spec


async def valid_subprocess_returncode():
    proc = await asyncio.create_subprocess_exec(sys.executable, "-c", "pass")
    await proc.wait()
    return proc.returncode  # OK: await


def valid_typer_secho_fg():
    typer.secho("x", fg="red", err=True)  # OK: kwargs-accepted


def valid_pendulum_start_of():
    return pendulum.now().start_of("day")  # OK: factory-return


def valid_arrow_floor():
    return arrow.now().floor("day")  # OK: factory-return


def valid_frame_info_duration():
    buf = io.BytesIO()
    Image.new("RGB", (2, 2)).save(buf, "PNG")
    buf.seek(0)
    return [frame.info.get("duration") for frame in ImageSequence.Iterator(Image.open(buf))]  # OK: loop


def valid_settings_getattr():
    settings = Settings(database_url="sqlite://")
    return settings.database_url  # OK: class-getattr


def valid_setattr_method_after_class():
    return Handler().ping()  # OK: setattr-after-class


def valid_lru_cache_info():
    @functools.lru_cache(maxsize=4)
    def square(x):
        return x * x

    square(3)
    return square.cache_info().hits  # OK: decorator-attribute


def valid_completed_process_stdout():
    done = subprocess.run([sys.executable, "-c", "print(1)"], capture_output=True, text=True)
    return done.stdout.strip()  # OK: factory-return


def valid_series_dt_accessor():
    s = pd.Series(pd.to_datetime(["2024-01-01"]))
    return s.dt.isocalendar().week  # OK: chain
