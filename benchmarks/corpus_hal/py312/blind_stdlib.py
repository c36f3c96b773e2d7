"""Blind set (written without running vetpy or reading its rules): standard library of Python 3.12."""
import asyncio
import collections
import configparser
import dataclasses
import datetime
import enum
import functools
import logging
import os
import pathlib
import re
import sqlite3
import subprocess
import sys
import tempfile
import unittest
from unittest import mock


def load_config() -> configparser.ConfigParser:
    parser = configparser.ConfigParser()
    parser.read_string("[db]\nhost = x\n")
    return parser


class Color(enum.Enum):
    RED = 1
    GREEN = 2


def case_typing_readonly():
    from typing import ReadOnly  # HAL: stdlib-removed-or-newer-than-target; receiver=import
    return ReadOnly


def case_purepath_parser():
    return pathlib.PurePath.parser  # HAL: stdlib-removed-or-newer-than-target; receiver=class


def case_glob_translate():
    import glob
    return glob.translate("*.py")  # HAL: stdlib-removed-or-newer-than-target; receiver=module


def case_failunless():
    tc = unittest.TestCase()
    tc.failUnless(True)  # HAL: stdlib-removed-or-newer-than-target; receiver=constructor


def case_isreserved():
    return os.path.isreserved("NUL")  # HAL: stdlib-removed-or-newer-than-target; receiver=module


def case_get_protocol_members():
    from typing import get_protocol_members  # HAL: stdlib-removed-or-newer-than-target; receiver=import
    return get_protocol_members


def case_import_set_package():
    from importlib.util import set_package  # HAL: stdlib-removed-or-newer-than-target; receiver=import
    return set_package


def case_asyncio_queue_loop():
    return asyncio.Queue(maxsize=1, loop=None)  # HAL: stdlib-removed-or-newer-than-target; receiver=call


def case_formatargspec():
    import inspect
    return inspect.formatargspec(["a"])  # HAL: stdlib-removed-or-newer-than-target; receiver=module


def case_sqlite_shared_cache():
    return sqlite3.enable_shared_cache(True)  # HAL: stdlib-removed-or-newer-than-target; receiver=module


def case_itertools_izip():
    from itertools import izip  # HAL: stdlib-removed-or-newer-than-target; receiver=import
    return izip


def case_strftime_two_args():
    return datetime.datetime.now().strftime("%Y", "%m")  # HAL: arity; receiver=factory


def case_pattern_match_flags():
    pattern = re.compile("a")
    return pattern.match("ABC", flags=re.I)  # HAL: invented-keyword; receiver=factory


def case_dataclass_field_validator():
    return dataclasses.field(default=1, validator=int)  # HAL: other-library-idiom; receiver=call


def case_deque_push():
    dq = collections.deque(maxlen=3)
    dq.push(1)  # HAL: other-library-idiom; receiver=constructor


def case_tempdir_joinpath():
    with tempfile.TemporaryDirectory() as tmp:
        return tmp.joinpath("x")  # HAL: other-library-idiom; receiver=with-target


def case_path_extension():
    return [p.extension for p in pathlib.Path(".").iterdir()]  # HAL: other-library-idiom; receiver=loop


def case_splitext_strip_prefix():
    _stem, ext = os.path.splitext("report.txt")
    return ext.strip_prefix(".")  # HAL: other-library-idiom; receiver=unpack


def case_config_getdict():
    return load_config().getdict("db")  # HAL: invented-member; receiver=helper-return


def case_asyncio_run_timeout():
    async def main():
        return 1

    coro = main()
    try:
        return asyncio.run(coro, timeout=5)  # HAL: invented-keyword; receiver=module
    finally:
        coro.close()


async def case_subprocess_exit_code():
    proc = await asyncio.create_subprocess_exec(sys.executable, "-c", "pass")
    await proc.wait()
    return proc.exit_code  # HAL: other-library-idiom; receiver=await


def case_lru_cache_reset():
    @functools.lru_cache(maxsize=8)
    def square(x):
        return x * x

    square(2)
    square.cache_reset()  # HAL: invented-member; receiver=decorator


def case_enum_values():
    return Color.values()  # HAL: other-library-idiom; receiver=class


def case_logger_warning_once():
    logging.getLogger("blind").warning_once("x")  # HAL: invented-member; receiver=factory


def case_autospec_popen_exit_code():
    proc = mock.create_autospec(subprocess.Popen, instance=True)
    return proc.exit_code  # HAL: other-library-idiom; receiver=mock-spec


def case_annotated_local_path_ext():
    target: pathlib.Path = pathlib.Path("report.txt")
    return target.ext  # HAL: invented-member; receiver=annotated-local


def case_string_maketrans():
    import string
    return string.maketrans("a", "b")  # HAL: stdlib-removed-or-newer-than-target; receiver=module
