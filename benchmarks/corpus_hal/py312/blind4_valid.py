"""Blind set 4 (written without running vetpy or reading its rules): dynamic-but-valid look-alikes."""
import asyncio
import calendar
import os.path
import random
import concurrent.futures
import contextlib
import csv
import dataclasses
import datetime
import functools
import io
import itertools
import json
import logging
import pathlib
import re
import sqlite3
import subprocess
import sys
import tempfile
import types
import typing
from collections.abc import Iterator
from unittest import mock

import httpx
import numpy as np
import pandas as pd
import pytest
import redis
from click.testing import CliRunner
import click
from pydantic import BaseModel, TypeAdapter
from rich.table import Table
from sklearn.preprocessing import OneHotEncoder


def _handler(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"ok": True})


def valid_raise_for_status_chain():
    with httpx.Client(transport=httpx.MockTransport(_handler), base_url="http://test") as client:
        # httpx 0.28's raise_for_status() returns the response
        return client.get("/").raise_for_status().json()  # OK: method-returns-self


def valid_generator_integers():
    return np.random.default_rng(0).integers(0, 10, size=3)  # OK: current-api


def valid_frame_map():
    # DataFrame.map replaced applymap in pandas 2.1
    return pd.DataFrame({"a": [1]}).map(str)  # OK: current-api


def valid_sqlite_autocommit():
    # autocommit= is new in 3.12 (the target)
    conn = sqlite3.connect(":memory:", autocommit=True)  # OK: newer-but-in-target
    conn.close()


def valid_path_walk():
    with tempfile.TemporaryDirectory() as tmp:
        return [dirpath for dirpath, _dirs, _files in pathlib.Path(tmp).walk()]  # OK: newer-but-in-target


def valid_itertools_batched():
    return list(itertools.batched(range(4), 2))  # OK: newer-but-in-target


async def valid_timeout_when():
    async with asyncio.timeout(1) as cm:
        return cm.when()  # OK: with-target-method


def valid_datetime_utc():
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")  # OK: current-api


def valid_typing_override():
    class Base:
        def run(self):
            return 1

    class Child(Base):
        @typing.override  # OK: newer-but-in-target
        def run(self):
            return 2

    return Child().run()


def valid_redis_decode_responses():
    return redis.Redis.from_url("redis://localhost:6399/0", decode_responses=True)  # OK: kwargs-accepted


def valid_table_justify():
    table = Table()
    table.add_column("a", justify="center")  # OK: real-keyword
    return table


def valid_onehot_sparse_output():
    return OneHotEncoder(sparse_output=False)  # OK: current-api


def valid_type_adapter_validate_python():
    return TypeAdapter(int).validate_python("3")  # OK: real-method


def valid_model_validate_dump():
    class Item(BaseModel):
        name: str
        note: str | None = None

    return Item.model_validate({"name": "a"}).model_dump(exclude_none=True)  # OK: real-keyword


def valid_clirunner_catch_exceptions():
    @click.command()
    def cli():
        click.echo("hi")

    return CliRunner().invoke(cli, [], catch_exceptions=False).output  # OK: real-keyword


def valid_pytest_raises_value():
    with pytest.raises(ValueError, match="bad") as info:
        raise ValueError("bad")
    return info.value  # OK: with-target-attribute


def valid_run_stdout():
    return subprocess.run([sys.executable, "-c", "print(1)"], capture_output=True, text=True).stdout  # OK: real-attribute


def valid_executor_map_chunksize():
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        # accepted (and ignored) by ThreadPoolExecutor
        return list(pool.map(abs, [1, -2], chunksize=2))  # OK: real-keyword


def valid_dataclasses_replace():
    @dataclasses.dataclass(frozen=True)
    class P:
        x: int

    return dataclasses.replace(P(1), x=2)  # OK: kwargs-accepted


def valid_namespace_attributes():
    ns = types.SimpleNamespace(**{"anything": 1})
    return ns.anything  # OK: dynamic-attribute


def valid_setattr_loop_on_class():
    class Handlers:
        pass

    for name in ("on_start", "on_stop"):
        setattr(Handlers, name, staticmethod(lambda: name))
    return Handlers.on_start()  # OK: setattr-after-class


def valid_logger_stacklevel():
    logger = logging.getLogger("blind4.valid")
    logger.addHandler(logging.NullHandler())
    logger.warning("x", stacklevel=2)  # OK: real-keyword


def valid_match_narrowed_groupdict():
    m = re.match(r"(?P<a>\w)", "x")
    if m:
        return m.groupdict()  # OK: narrowed-method
    return None


def valid_getattr_serving_data():
    class Config:
        def __init__(self):
            self._data = {"port": 80}

        def __getattr__(self, name):
            try:
                return self._data[name]
            except KeyError:
                raise AttributeError(name) from None

    return Config().port  # OK: getattr-data


def valid_contextmanager_yields_other():
    @contextlib.contextmanager
    def opened() -> Iterator[io.StringIO]:
        yield io.StringIO("x")

    with opened() as handle:
        return handle.read()  # OK: with-target-other-type


def valid_mock_spec_method():
    client = mock.create_autospec(httpx.Client, instance=True)
    client.get.return_value = "r"
    return client.get("/")  # OK: mock-spec


def valid_csv_dictreader_fieldnames():
    reader = csv.DictReader(io.StringIO("a,b\n1,2\n"))
    return reader.fieldnames  # OK: real-attribute


def valid_json_dumps_kwargs():
    options = {"indent": 2, "sort_keys": True}
    return json.dumps({"b": 1}, **options)  # OK: kwargs-accepted


def valid_pytest_mark_any_name():
    return pytest.mark.slow  # OK: getattr-factory


def valid_partial_func():
    return functools.partial(int, "1").func  # OK: real-attribute


async def valid_gather_list():
    async def one():
        return 1

    results = await asyncio.gather(one(), one())
    return results.count(1)  # OK: await-result-method


def valid_binomialvariate():
    # added in 3.12 (the target)
    return random.binomialvariate(5, 0.5)  # OK: newer-but-in-target


def valid_splitroot():
    return os.path.splitroot("/a/b")  # OK: newer-but-in-target


def valid_calendar_month_enum():
    return calendar.Month.JANUARY.value  # OK: newer-but-in-target
