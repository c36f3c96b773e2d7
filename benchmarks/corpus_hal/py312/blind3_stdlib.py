"""Blind set 3 (written without running vetpy or reading its rules): standard library on 3.12."""
import argparse
import asyncio
import collections
import datetime
import decimal
import enum
import functools
import json
import mimetypes
import os
import re
import sqlite3


def case_guess_file_type():
    # added in 3.13
    return mimetypes.guess_file_type("a.txt")  # HAL: stdlib-removed-or-newer-than-target; receiver=module


def case_enum_dict_import():
    # enum.EnumDict is public from 3.13
    from enum import EnumDict  # HAL: stdlib-removed-or-newer-than-target; receiver=import
    return EnumDict


def case_iterdump_filter():
    conn = sqlite3.connect(":memory:")
    try:
        # Connection.iterdump(filter=) is new in 3.13
        return list(conn.iterdump(filter="t%"))  # HAL: stdlib-removed-or-newer-than-target; receiver=factory
    finally:
        conn.close()


def case_singledispatch_register_type():
    @functools.singledispatch
    def show(value):
        return str(value)

    # the method is register()
    @show.register_type(int)  # HAL: invented-member; receiver=decorator
    def _(value):
        return f"int {value}"

    return show(1)


def case_finditer_text():
    found = []
    for match in re.finditer(r"\d+", "a12b34"):
        # a Match has group() / string; ``text`` is BeautifulSoup / lxml vocabulary
        found.append(match.text)  # HAL: other-library-idiom; receiver=loop
    return found


def case_counter_top_annotated():
    counts: collections.Counter[str] = collections.Counter("abracadabra")
    # the method is most_common()
    return counts.top(2)  # HAL: invented-member; receiver=annotated-local


def case_fromisoformat_to_timestamp():
    moment = datetime.datetime.fromisoformat("2024-05-01T12:00:00+00:00")
    # pandas' Timestamp.to_datetime64 / arrow; datetime has timestamp()
    return moment.to_timestamp()  # HAL: other-library-idiom; receiver=factory


def case_split_tail_stem():
    head, tail = os.path.split("/tmp/report.csv")
    # pathlib.PurePath.stem; os.path.split gives strings
    return head, tail.stem  # HAL: other-library-idiom; receiver=unpack


async def _fetch() -> dict[str, int]:
    return {"a": 1}


async def case_await_iteritems():
    data = await _fetch()
    # Python 2's dict.iteritems
    return list(data.iteritems())  # HAL: other-library-idiom; receiver=await


async def _one():
    return 1


async def case_gather_timeout():
    # asyncio.gather has return_exceptions only; timeouts go through asyncio.timeout / wait_for
    return await asyncio.gather(_one(), timeout=1)  # HAL: invented-keyword; receiver=call


async def case_timeout_remaining():
    async with asyncio.timeout(5) as cm:
        # asyncio.Timeout has when() / reschedule() / expired()
        return cm.remaining()  # HAL: invented-member; receiver=with-target


def case_json_dumps_sort():
    # the keyword is sort_keys; dumps forwards unknown keywords to JSONEncoder
    return json.dumps({"b": 1, "a": 2}, sort=True)  # HAL: invented-keyword; receiver=kwargs-forward


def case_argparse_add_argument_env():
    parser = argparse.ArgumentParser()
    # click's envvar= / configargparse's env_var=; add_argument forwards to the Action
    parser.add_argument("--token", env_var="TOKEN")  # HAL: other-library-idiom; receiver=kwargs-forward
    return parser


class Status(enum.Enum):
    ACTIVE = "active"
    INACTIVE = "inactive"


def case_enum_from_value():
    # Status("active") looks a member up by value
    return Status.from_value("active")  # HAL: invented-member; receiver=class


def case_decimal_from_string():
    # Decimal("1.5") parses; the alternate constructor is from_float()
    return decimal.Decimal.from_string("1.5")  # HAL: invented-member; receiver=class
