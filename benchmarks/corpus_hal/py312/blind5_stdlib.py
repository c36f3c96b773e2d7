"""blind5 / standard library, target Python 3.12 (issue 15, point 3).

Sources: "What's New In Python 3.12" removals (``unittest`` aliases such as ``assertEquals``,
``configparser.SafeConfigParser`` / ``readfp``, ``ssl.wrap_socket``, ``sqlite3.OptimizedUnicode``,
``pkgutil.ImpImporter``, ``gzip.GzipFile.filename``; https://docs.python.org/3.12/whatsnew/3.12.html#removed),
"What's New In Python 3.13" additions used on 3.12 (``itertools.batched(strict=)``,
``warnings.deprecated``, ``queue.Queue.shutdown``, ``asyncio.Queue.shutdown``, ``Path.from_uri`` /
``full_match``, ``Path.glob(recurse_symlinks=)``, ``os.process_cpu_count``, ``argparse``'s
``deprecated=``, ``glob.translate``, ``typing.TypeIs``, ``statistics.kde``,
``sqlite3.Connection.iterdump(filter=)``), the ``toml`` package's ``dumps`` on ``tomllib``,
SQLAlchemy's ``scalar()`` on a sqlite3 cursor, ``sqlite3.Row.keys`` on a plain tuple row,
``unittest.mock`` with ``spec``, a ``@contextmanager`` whose with-target is the yielded value.
"""

import argparse
import asyncio
import configparser
import contextlib
import glob
import gzip
import io
import itertools
import os
import queue
import sqlite3
import ssl
import statistics
import tempfile
import tomllib
import unittest
from contextlib import closing
from pathlib import Path
from unittest import mock


@contextlib.contextmanager
def opened_count():
    yield 3


def case_unittest_assert_equals():
    class T(unittest.TestCase):
        def runTest(self):
            self.assertEquals(1, 1)  # HAL: stdlib-removed-or-newer-than-target; receiver=param

    T().runTest()


def case_configparser_readfp():
    cfg = configparser.ConfigParser()
    cfg.readfp(io.StringIO("[a]\nb = 1\n"))  # HAL: stdlib-removed-or-newer-than-target; receiver=constructor
    return cfg


def case_safe_config_parser():
    from configparser import SafeConfigParser  # HAL: stdlib-removed-or-newer-than-target; receiver=import
    return SafeConfigParser()


def case_ssl_wrap_socket():
    return ssl.wrap_socket  # HAL: stdlib-removed-or-newer-than-target; receiver=module


def case_sqlite_optimized_unicode():
    conn = sqlite3.connect(":memory:")
    conn.text_factory = sqlite3.OptimizedUnicode  # HAL: stdlib-removed-or-newer-than-target; receiver=module
    return conn


def case_gzip_filename():
    with tempfile.TemporaryDirectory() as tmp:
        with gzip.open(os.path.join(tmp, "a.gz"), "wb") as fh:
            return fh.filename  # HAL: stdlib-removed-or-newer-than-target; receiver=with-target


def case_batched_strict():
    return list(itertools.batched([1, 2, 3, 4], 2, strict=True))  # HAL: stdlib-removed-or-newer-than-target; receiver=module


def case_warnings_deprecated():
    from warnings import deprecated  # HAL: stdlib-removed-or-newer-than-target; receiver=import
    return deprecated


def case_queue_shutdown():
    q = queue.Queue()
    q.shutdown()  # HAL: stdlib-removed-or-newer-than-target; receiver=constructor


async def case_asyncio_queue_shutdown():
    jobs: asyncio.Queue[int] = asyncio.Queue()
    jobs.shutdown(immediate=True)  # HAL: stdlib-removed-or-newer-than-target; receiver=annotated-local


def case_path_from_uri():
    return Path.from_uri("file:///tmp")  # HAL: stdlib-removed-or-newer-than-target; receiver=class


def case_loop_full_match():
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "a.py").write_text("x = 1\n")
        return [p.full_match("**/*.py") for p in Path(tmp).iterdir()]  # HAL: stdlib-removed-or-newer-than-target; receiver=loop


def case_glob_recurse_symlinks():
    return list(Path(".").glob("*.py", recurse_symlinks=True))  # HAL: stdlib-removed-or-newer-than-target; receiver=constructor


def case_process_cpu_count():
    return os.process_cpu_count()  # HAL: stdlib-removed-or-newer-than-target; receiver=module


def case_argparse_deprecated():
    parser = argparse.ArgumentParser()
    parser.add_argument("--old-flag", deprecated=True)  # HAL: stdlib-removed-or-newer-than-target; receiver=kwargs-forward
    return parser


def case_glob_translate():
    return glob.translate("*.py", recursive=True)  # HAL: stdlib-removed-or-newer-than-target; receiver=module


def case_typing_typeis():
    from typing import TypeIs  # HAL: stdlib-removed-or-newer-than-target; receiver=import
    return TypeIs


def case_statistics_kde():
    return statistics.kde([1.0, 2.0, 3.0], h=1.0)  # HAL: stdlib-removed-or-newer-than-target; receiver=module


def case_iterdump_filter():
    conn = sqlite3.connect(":memory:")
    return list(conn.iterdump(filter="users"))  # HAL: stdlib-removed-or-newer-than-target; receiver=factory


def case_tomllib_dumps():
    return tomllib.dumps({"a": 1})  # HAL: other-library-idiom; receiver=module


def case_cursor_scalar():
    with closing(sqlite3.connect(":memory:")) as conn:
        return conn.execute("select 1").scalar()  # HAL: other-library-idiom; receiver=chain


def case_tuple_row_keys():
    conn = sqlite3.connect(":memory:")
    row = conn.execute("select 1 as a").fetchone()
    return row.keys()  # HAL: other-library-idiom; receiver=factory


def case_mock_spec_path():
    fake = mock.Mock(spec=Path)
    return fake.read_txt()  # HAL: invented-member; receiver=mock-spec


def case_contextmanager_yielded_value():
    with opened_count() as count:
        return count.close()  # HAL: invented-member; receiver=with-target


def case_loop_decorated_cache_reset():
    import functools

    @functools.cache
    def square(n: int) -> int:
        return n * n

    for fn in (square,):
        fn.cache_reset()  # HAL: invented-member; receiver=loop
