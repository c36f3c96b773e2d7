"""Python 3.12 standard library: names removed up to 3.12, names added in 3.13/3.14, plus invented
keywords forwarded through **kwargs and Python 2 idioms."""
import argparse
import array
import asyncio
import base64
import collections
import configparser
import copy
import dataclasses
import inspect
import io
import itertools
import json
import locale
import math
import os
import pathlib
import platform
import queue
import random
import re
import ssl
import statistics
import string
import subprocess
import sys
import threading
import time
import unittest
import uuid
import xml.etree.ElementTree as ET


@dataclasses.dataclass
class Item:
    name: str
    qty: int = 0


def case_distutils():
    from distutils.version import LooseVersion  # HAL: stdlib-removed-or-newer-than-target; receiver=import
    return LooseVersion("1.0")


def case_imp():
    import imp  # HAL: stdlib-removed-or-newer-than-target; receiver=import
    return imp.reload(json)


def case_asyncore():
    import asyncore  # HAL: stdlib-removed-or-newer-than-target; receiver=import
    return asyncore.loop


def case_asynchat():
    import asynchat  # HAL: stdlib-removed-or-newer-than-target; receiver=import
    return asynchat


def case_smtpd():
    import smtpd  # HAL: stdlib-removed-or-newer-than-target; receiver=import
    return smtpd


def case_assert_equals():
    tc = unittest.TestCase()
    tc.assertEquals(1, 1)  # HAL: stdlib-removed-or-newer-than-target; receiver=constructor


def case_assert_regexp_matches():
    tc = unittest.TestCase()
    tc.assertRegexpMatches("abc", "b")  # HAL: stdlib-removed-or-newer-than-target; receiver=constructor


def case_safe_config_parser():
    return configparser.SafeConfigParser()  # HAL: stdlib-removed-or-newer-than-target; receiver=module


def case_readfp():
    parser = configparser.ConfigParser()
    parser.readfp(io.StringIO("[a]\nx = 1\n"))  # HAL: stdlib-removed-or-newer-than-target; receiver=constructor


def case_ssl_wrap_socket():
    return ssl.wrap_socket  # HAL: stdlib-removed-or-newer-than-target; receiver=module


def case_ssl_match_hostname():
    return ssl.match_hostname({"subject": ()}, "example.invalid")  # HAL: stdlib-removed-or-newer-than-target; receiver=module


def case_locale_format():
    return locale.format("%d", 1000, grouping=True)  # HAL: stdlib-removed-or-newer-than-target; receiver=module


def case_getargspec():
    return inspect.getargspec(case_imp)  # HAL: stdlib-removed-or-newer-than-target; receiver=module


def case_asyncio_coroutine():
    @asyncio.coroutine  # HAL: stdlib-removed-or-newer-than-target; receiver=module
    def legacy():
        yield

    return legacy


def case_collections_mapping():
    return isinstance({}, collections.Mapping)  # HAL: stdlib-removed-or-newer-than-target; receiver=module


def case_base64_encodestring():
    return base64.encodestring(b"abc")  # HAL: stdlib-removed-or-newer-than-target; receiver=module


def case_thread_is_alive():
    worker = threading.Thread(target=lambda: None)
    return worker.isAlive()  # HAL: stdlib-removed-or-newer-than-target; receiver=constructor


def case_array_tostring():
    buf = array.array("b", [1, 2])
    return buf.tostring()  # HAL: stdlib-removed-or-newer-than-target; receiver=constructor


def case_getchildren():
    root = ET.fromstring("<a><b/></a>")
    return root.getchildren()  # HAL: stdlib-removed-or-newer-than-target; receiver=factory


def case_json_loads_encoding():
    return json.loads("{}", encoding="utf-8")  # HAL: stdlib-removed-or-newer-than-target; receiver=kwargs-forward


def case_time_clock():
    return time.clock()  # HAL: stdlib-removed-or-newer-than-target; receiver=module


def case_linux_distribution():
    return platform.linux_distribution()  # HAL: stdlib-removed-or-newer-than-target; receiver=module


def case_random_sample_set():
    return random.sample({1, 2, 3}, 2)  # HAL: stdlib-removed-or-newer-than-target; receiver=call


def case_copy_replace():
    item = Item("a")
    return copy.replace(item, qty=2)  # HAL: stdlib-removed-or-newer-than-target; receiver=module


def case_warnings_deprecated():
    from warnings import deprecated  # HAL: stdlib-removed-or-newer-than-target; receiver=import
    return deprecated


def case_math_fma():
    return math.fma(2.0, 3.0, 1.0)  # HAL: stdlib-removed-or-newer-than-target; receiver=module


def case_process_cpu_count():
    return os.process_cpu_count()  # HAL: stdlib-removed-or-newer-than-target; receiver=module


def case_path_from_uri():
    return pathlib.Path.from_uri("file:///tmp")  # HAL: stdlib-removed-or-newer-than-target; receiver=class


def case_queue_shutdown():
    jobs: queue.Queue[int] = queue.Queue()
    jobs.shutdown()  # HAL: stdlib-removed-or-newer-than-target; receiver=annotated-local


def case_batched_strict():
    return list(itertools.batched(range(4), 2, strict=True))  # HAL: stdlib-removed-or-newer-than-target; receiver=call


def case_pattern_error():
    return re.PatternError  # HAL: stdlib-removed-or-newer-than-target; receiver=module


def case_typing_typeis():
    from typing import TypeIs  # HAL: stdlib-removed-or-newer-than-target; receiver=import
    return TypeIs


def case_z85encode():
    return base64.z85encode(b"abcd")  # HAL: stdlib-removed-or-newer-than-target; receiver=module


def case_dbm_sqlite3():
    import dbm.sqlite3  # HAL: stdlib-removed-or-newer-than-target; receiver=import
    return dbm.sqlite3


def case_add_argument_deprecated():
    parser = argparse.ArgumentParser()
    parser.add_argument("--old", deprecated=True)  # HAL: stdlib-removed-or-newer-than-target; receiver=kwargs-forward


def case_full_match():
    path = pathlib.PurePath("src/app.py")
    return path.full_match("src/*.py")  # HAL: stdlib-removed-or-newer-than-target; receiver=constructor


def case_statistics_kde():
    return statistics.kde([1.0, 2.0], h=0.5)  # HAL: stdlib-removed-or-newer-than-target; receiver=module


def case_str_replace_count_kw():
    return "aaa".replace("a", "b", count=1)  # HAL: stdlib-removed-or-newer-than-target; receiver=constructor


async def case_asyncio_queue_shutdown():
    q = asyncio.Queue()
    q.shutdown()  # HAL: stdlib-removed-or-newer-than-target; receiver=constructor


def case_uuid7():
    return uuid.uuid7()  # HAL: stdlib-removed-or-newer-than-target; receiver=module


def case_ast_parse_optimize():
    import ast
    return ast.parse("x = 1", optimize=1)  # HAL: stdlib-removed-or-newer-than-target; receiver=call


def case_json_dumps_ensure_unicode():
    return json.dumps({"a": "é"}, ensure_unicode=False)  # HAL: invented-keyword; receiver=kwargs-forward


def case_subprocess_capture_kw():
    return subprocess.run([sys.executable, "-c", "pass"], capture=True)  # HAL: invented-keyword; receiver=kwargs-forward


def case_mkdir_exists_ok():
    pathlib.Path("corpus-tmp-dir").mkdir(exists_ok=True)  # HAL: invented-keyword; receiver=constructor


def case_dict_has_key():
    config = {"a": 1}
    return config.has_key("a")  # HAL: stdlib-removed-or-newer-than-target; receiver=constructor


def case_getcwdu():
    return os.getcwdu()  # HAL: stdlib-removed-or-newer-than-target; receiver=module


def case_string_letters():
    return string.letters  # HAL: stdlib-removed-or-newer-than-target; receiver=module


def case_ordered_dict_iteritems():
    od = collections.OrderedDict(a=1)
    return list(od.iteritems())  # HAL: stdlib-removed-or-newer-than-target; receiver=constructor


def case_str_startwith():
    name = "report.csv"
    return name.startwith("report")  # HAL: invented-member; receiver=constructor


def case_date_to_string():
    import datetime
    today = datetime.date.today()
    return today.to_string()  # HAL: invented-member; receiver=factory


def case_sqlite_optimized_unicode():
    import sqlite3
    return sqlite3.OptimizedUnicode  # HAL: stdlib-removed-or-newer-than-target; receiver=module


def case_with_open_readlines_kw():
    with open(__file__, encoding="utf-8") as handle:
        return handle.readlines(strip=True)  # HAL: invented-keyword; receiver=with-target


def case_loop_path_member():
    names = []
    for entry in pathlib.Path(".").iterdir():
        names.append(entry.basename)  # HAL: other-library-idiom; receiver=loop
    return names


def case_datetime_missing_day():
    import datetime
    return datetime.datetime(2024, 1)  # HAL: arity; receiver=call


def case_json_dumps_indent_positional():
    return json.dumps({"a": 1}, 2)  # HAL: arity; receiver=call


def case_dict_get_arity():
    settings = {"debug": False}
    return settings.get("debug", False, True)  # HAL: arity; receiver=constructor
