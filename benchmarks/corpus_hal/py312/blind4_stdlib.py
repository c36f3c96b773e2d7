"""Blind set 4 (written without running vetpy or reading its rules): standard library on 3.12."""
import asyncio
import collections
import concurrent.futures
import contextlib
import csv
import dataclasses
import datetime
import enum
import functools
import importlib.util
import io
import json
import logging
import math
import pathlib
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import typing
import uuid
from collections.abc import AsyncIterator
from typing import ClassVar


async def _noop():
    return 1


async def _fetch_counts() -> dict[str, int]:
    return {"a": 1}


def _pair() -> tuple[pathlib.Path, list[str]]:
    return pathlib.Path("."), ["a"]


async def case_timeout_deadline():
    async with asyncio.timeout(1) as cm:
        # trio's cancel scope has .deadline; asyncio.Timeout has when()
        return cm.deadline  # HAL: other-library-idiom; receiver=with-target


def case_queue_size():
    queue = asyncio.Queue(maxsize=2)
    return queue.size()  # HAL: invented-member; receiver=constructor


async def case_task_is_done():
    task = asyncio.create_task(_noop())
    await task
    return task.is_done()  # HAL: invented-member; receiver=factory


async def case_loop_run_in_thread():
    loop = asyncio.get_running_loop()
    return await loop.run_in_thread(time.time)  # HAL: invented-member; receiver=factory


async def case_gather_result_items():
    results = await asyncio.gather(_noop(), _noop())
    return results.items()  # HAL: invented-member; receiver=await


async def case_subprocess_communicate_timeout():
    proc = await asyncio.create_subprocess_exec(sys.executable, "-c", "pass")
    try:
        # subprocess.Popen.communicate(timeout=) exists; asyncio's does not take it
        return await proc.communicate(timeout=1)  # HAL: other-library-idiom; receiver=await
    finally:
        await proc.wait()


def case_path_glob_recursive():
    return list(pathlib.Path(".").glob("*.py", recursive=True))  # HAL: other-library-idiom; receiver=constructor


def case_iterdir_filename():
    with tempfile.TemporaryDirectory() as tmp:
        (pathlib.Path(tmp) / "a.txt").write_text("x")
        return [p.filename for p in pathlib.Path(tmp).iterdir()]  # HAL: other-library-idiom; receiver=loop


def case_read_text_newline():
    with tempfile.TemporaryDirectory() as tmp:
        path = pathlib.Path(tmp) / "a.txt"
        path.write_text("x")
        # Path.read_text(newline=) is new in 3.13
        return path.read_text(encoding="utf-8", newline="")  # HAL: stdlib-removed-or-newer-than-target; receiver=constructor


def case_now_timestamp_ms():
    return datetime.datetime.now(datetime.UTC).timestamp_ms()  # HAL: invented-member; receiver=chain


def case_timedelta_total_minutes():
    return datetime.timedelta(hours=1).total_minutes()  # HAL: invented-member; receiver=constructor


def case_today_add_days():
    return datetime.date.today().add_days(1)  # HAL: other-library-idiom; receiver=chain


def case_logger_success():
    logger = logging.getLogger("blind4")
    # loguru's logger.success()
    logger.success("done")  # HAL: other-library-idiom; receiver=factory


def case_logger_error_exception_keyword():
    logger = logging.getLogger("blind4.err")
    logger.addHandler(logging.NullHandler())
    try:
        raise ValueError("x")
    except ValueError as err:
        logger.error("failed", exception=err)  # HAL: invented-keyword; receiver=kwargs-forward


def case_run_output():
    completed = subprocess.run([sys.executable, "-c", "print(1)"], capture_output=True, text=True)
    # CalledProcessError has .output; CompletedProcess has .stdout
    return completed.output  # HAL: other-library-idiom; receiver=factory


def case_popen_join():
    with subprocess.Popen([sys.executable, "-c", "pass"]) as proc:
        proc.join()  # HAL: other-library-idiom; receiver=with-target


def case_field_init_only():
    return dataclasses.field(default=1, init_only=True)  # HAL: invented-keyword; receiver=call


def case_fields_loop_annotation():
    @dataclasses.dataclass
    class P:
        x: int

    return [f.annotation for f in dataclasses.fields(P)]  # HAL: other-library-idiom; receiver=loop


def case_dataclass_instance_to_json():
    @dataclasses.dataclass(frozen=True)
    class P:
        x: int

    return P(1).to_json()  # HAL: invented-member; receiver=decorator


def case_get_type_hints_include_extra():
    def f(x: int) -> int:
        return x

    return typing.get_type_hints(f, include_extra=True)  # HAL: invented-keyword; receiver=call


def case_future_get():
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        # multiprocessing's AsyncResult.get(); a Future has result()
        return pool.submit(time.time).get()  # HAL: other-library-idiom; receiver=chain


def case_executor_map_chunk_size():
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return list(pool.map(abs, [1, -2], chunk_size=1))  # HAL: invented-keyword; receiver=with-target


def case_as_completed_value():
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        futures = [pool.submit(abs, -1)]
        return [fut.value() for fut in concurrent.futures.as_completed(futures)]  # HAL: invented-member; receiver=loop


def case_executor_workers():
    return concurrent.futures.ThreadPoolExecutor(workers=2)  # HAL: invented-keyword; receiver=call


def case_cursor_fetchval():
    conn = sqlite3.connect(":memory:")
    try:
        return conn.execute("select 1").fetchval()  # HAL: other-library-idiom; receiver=chain
    finally:
        conn.close()


def case_connection_query():
    with contextlib.closing(sqlite3.connect(":memory:")) as conn:
        return conn.query("select 1")  # HAL: invented-member; receiver=with-target


def case_row_get():
    conn = sqlite3.connect(":memory:")
    conn.row_factory = sqlite3.Row
    try:
        return [row.get("a") for row in conn.execute("select 1 as a")]  # HAL: other-library-idiom; receiver=loop
    finally:
        conn.close()


def case_csv_writer_write_row():
    writer = csv.writer(io.StringIO())
    writer.write_row(["a", "b"])  # HAL: invented-member; receiver=factory


def case_dictwriter_fields():
    return csv.DictWriter(io.StringIO(), fields=["a"])  # HAL: invented-keyword; receiver=call


def case_dictreader_headers():
    reader = csv.DictReader(io.StringIO("a,b\n1,2\n"))
    return reader.headers  # HAL: invented-member; receiver=factory


def case_partial_function():
    return functools.partial(int, "1").function  # HAL: invented-member; receiver=constructor


def case_match_groups_dict():
    m = re.match(r"(?P<a>\w)", "x")
    if m:
        return m.groups_dict()  # HAL: invented-member; receiver=narrowed
    return None


def case_find_spec_path():
    spec = importlib.util.find_spec("json")
    if spec is not None:
        return spec.path  # HAL: invented-member; receiver=narrowed
    return None


def case_enum_member_label():
    class Color(enum.Enum):
        RED = 1

    # Django's Choices have .label; an Enum member has name / value
    return Color.RED.label  # HAL: other-library-idiom; receiver=class


def case_uuid_string():
    return uuid.uuid4().string  # HAL: invented-member; receiver=factory


def case_named_temporary_file_path():
    with tempfile.NamedTemporaryFile() as handle:
        return handle.path  # HAL: invented-member; receiver=with-target


def case_copytree_exist_ok():
    with tempfile.TemporaryDirectory() as tmp:
        src = pathlib.Path(tmp) / "src"
        src.mkdir()
        return shutil.copytree(src, pathlib.Path(tmp) / "dst", exist_ok=True)  # HAL: invented-keyword; receiver=call


def case_perf_counter_ms():
    return time.perf_counter_ms()  # HAL: invented-member; receiver=module


async def case_event_wait_timeout():
    event = asyncio.Event()
    event.set()
    # threading.Event.wait(timeout=); asyncio's takes none
    return await event.wait(timeout=1)  # HAL: other-library-idiom; receiver=constructor


async def case_lock_acquire_blocking():
    lock = asyncio.Lock()
    return await lock.acquire(blocking=False)  # HAL: other-library-idiom; receiver=constructor


def case_class_attr_path_mkdirs():
    class Settings:
        base: ClassVar[pathlib.Path] = pathlib.Path(tempfile.gettempdir())

    Settings.base.mkdirs()  # HAL: other-library-idiom; receiver=class


def case_lru_cache_invalidate():
    @functools.lru_cache(maxsize=8)
    def square(x):
        return x * x

    square(2)
    square.invalidate()  # HAL: invented-member; receiver=decorator


async def case_await_helper_iterkeys():
    data = await _fetch_counts()
    return list(data.iterkeys())  # HAL: version-drift; receiver=await


def case_partial_sorted_reversed():
    return functools.partial(sorted, reversed=True)([3, 1])  # HAL: invented-keyword; receiver=kwargs-forward


def case_thread_arguments():
    return threading.Thread(target=print, arguments=(1,))  # HAL: invented-keyword; receiver=call


async def case_wait_for_timeout_seconds():
    coro = _noop()
    try:
        return await asyncio.wait_for(coro, timeout_seconds=1)  # HAL: invented-keyword; receiver=call
    finally:
        coro.close()


def case_statistics_average():
    return statistics.average([1, 2])  # HAL: invented-member; receiver=module


def case_math_clamp():
    return math.clamp(5, 0, 1)  # HAL: invented-member; receiver=module


def case_typed_dict_attribute():
    class Movie(typing.TypedDict):
        title: str

    movie = Movie(title="x")
    return movie.title  # HAL: other-library-idiom; receiver=constructor


def case_unpack_pair_path_list():
    root, names = _pair()
    return names.join(",")  # HAL: other-library-idiom; receiver=unpack


def case_unpack_pair_root_exist():
    root, _names = _pair()
    return root.isdir()  # HAL: other-library-idiom; receiver=unpack


async def case_asynccontextmanager_target():
    @contextlib.asynccontextmanager
    async def opened() -> AsyncIterator[io.StringIO]:
        yield io.StringIO("x")

    async with opened() as handle:
        return handle.read_all()  # HAL: invented-member; receiver=with-target


def case_json_dump_to_string():
    return json.dump_string({"a": 1})  # HAL: invented-member; receiver=module


def case_ordered_dict_loop_first():
    out = []
    for od in [collections.OrderedDict(a=1)]:
        out.append(od.first())  # HAL: invented-member; receiver=loop
    return out
