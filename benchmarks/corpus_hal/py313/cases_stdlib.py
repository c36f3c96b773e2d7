"""Python 3.13 standard library: modules and names removed in 3.13, names added in 3.14."""
import argparse
import configparser
import contextvars
import datetime
import fractions
import heapq
import inspect
import locale
import logging
import math
import operator
import os
import pathlib
import re
import typing
import unittest
import uuid


class SampleTest(unittest.TestCase):
    def test_x(self):
        pass


def case_cgi():
    import cgi  # HAL: stdlib-removed-or-newer-than-target; receiver=import
    return cgi.FieldStorage


def case_cgitb():
    import cgitb  # HAL: stdlib-removed-or-newer-than-target; receiver=import
    return cgitb.enable


def case_crypt():
    import crypt  # HAL: stdlib-removed-or-newer-than-target; receiver=import
    return crypt.crypt("pw")


def case_imghdr():
    import imghdr  # HAL: stdlib-removed-or-newer-than-target; receiver=import
    return imghdr.what


def case_mailcap():
    import mailcap  # HAL: stdlib-removed-or-newer-than-target; receiver=import
    return mailcap.getcaps


def case_nntplib():
    import nntplib  # HAL: stdlib-removed-or-newer-than-target; receiver=import
    return nntplib


def case_pipes():
    from pipes import quote  # HAL: stdlib-removed-or-newer-than-target; receiver=import
    return quote("a b")


def case_sndhdr():
    import sndhdr  # HAL: stdlib-removed-or-newer-than-target; receiver=import
    return sndhdr


def case_telnetlib():
    from telnetlib import Telnet  # HAL: stdlib-removed-or-newer-than-target; receiver=import
    return Telnet


def case_uu():
    import uu  # HAL: stdlib-removed-or-newer-than-target; receiver=import
    return uu.encode


def case_xdrlib():
    import xdrlib  # HAL: stdlib-removed-or-newer-than-target; receiver=import
    return xdrlib.Packer()


def case_audioop():
    import audioop  # HAL: stdlib-removed-or-newer-than-target; receiver=import
    return audioop


def case_chunk():
    from chunk import Chunk  # HAL: stdlib-removed-or-newer-than-target; receiver=import
    return Chunk


def case_aifc():
    import aifc  # HAL: stdlib-removed-or-newer-than-target; receiver=import
    return aifc


def case_lib2to3():
    from lib2to3 import refactor  # HAL: stdlib-removed-or-newer-than-target; receiver=import
    return refactor


def case_sunau():
    import sunau  # HAL: stdlib-removed-or-newer-than-target; receiver=import
    return sunau


def case_spwd():
    import spwd  # HAL: stdlib-removed-or-newer-than-target; receiver=import
    return spwd


def case_resetlocale():
    locale.resetlocale()  # HAL: stdlib-removed-or-newer-than-target; receiver=module


def case_make_suite():
    return unittest.makeSuite(SampleTest)  # HAL: stdlib-removed-or-newer-than-target; receiver=module


def case_find_test_cases():
    import sys
    return unittest.findTestCases(sys.modules[__name__])  # HAL: stdlib-removed-or-newer-than-target; receiver=module


def case_typing_io():
    return typing.io.TextIO  # HAL: stdlib-removed-or-newer-than-target; receiver=module


def case_legacy_interpolation():
    return configparser.ConfigParser(interpolation=configparser.LegacyInterpolation())  # HAL: stdlib-removed-or-newer-than-target; receiver=module


def case_re_template():
    return re.template("a")  # HAL: stdlib-removed-or-newer-than-target; receiver=module






def case_uuid7():
    return uuid.uuid7()  # HAL: stdlib-removed-or-newer-than-target; receiver=module


def case_placeholder():
    from functools import Placeholder  # HAL: stdlib-removed-or-newer-than-target; receiver=import
    return Placeholder


def case_annotationlib():
    import annotationlib  # HAL: stdlib-removed-or-newer-than-target; receiver=import
    return annotationlib.get_annotations


def case_templatelib():
    from string.templatelib import Template  # HAL: stdlib-removed-or-newer-than-target; receiver=import
    return Template


def case_compression_zstd():
    from compression import zstd  # HAL: stdlib-removed-or-newer-than-target; receiver=import
    return zstd


def case_map_strict():
    return list(map(int, "12", "34", strict=True))  # HAL: stdlib-removed-or-newer-than-target; receiver=call


def case_heapify_max():
    heap = [3, 1, 2]
    heapq.heapify_max(heap)  # HAL: stdlib-removed-or-newer-than-target; receiver=module


def case_path_copy():
    src = pathlib.Path(__file__)
    return src.copy("/tmp/corpus-copy.py")  # HAL: stdlib-removed-or-newer-than-target; receiver=constructor


def case_date_strptime():
    return datetime.date.strptime("2024-01-01", "%Y-%m-%d")  # HAL: stdlib-removed-or-newer-than-target; receiver=class


def case_operator_is_none():
    return operator.is_none(None)  # HAL: stdlib-removed-or-newer-than-target; receiver=module


def case_math_isnormal():
    return math.isnormal(1.0)  # HAL: stdlib-removed-or-newer-than-target; receiver=module


def case_reload_environ():
    os.reload_environ()  # HAL: stdlib-removed-or-newer-than-target; receiver=module


def case_suggest_on_error():
    return argparse.ArgumentParser(prog="x", suggest_on_error=True)  # HAL: stdlib-removed-or-newer-than-target; receiver=call


def case_fraction_from_number():
    return fractions.Fraction.from_number(1.5)  # HAL: stdlib-removed-or-newer-than-target; receiver=class


def case_float_from_number():
    return float.from_number(2)  # HAL: stdlib-removed-or-newer-than-target; receiver=class


def case_contextvar_token_with():
    request_id = contextvars.ContextVar("request_id", default="-")
    with request_id.set("abc"):  # HAL: stdlib-removed-or-newer-than-target; receiver=factory
        return request_id.get()


def case_assert_has_attr():
    tc = unittest.TestCase()
    tc.assertHasAttr(os, "sep")  # HAL: stdlib-removed-or-newer-than-target; receiver=constructor


def case_inspect_ispackage():
    return inspect.ispackage(os)  # HAL: stdlib-removed-or-newer-than-target; receiver=module


def case_interpreter_pool():
    from concurrent.futures import InterpreterPoolExecutor  # HAL: stdlib-removed-or-newer-than-target; receiver=import
    return InterpreterPoolExecutor


def case_io_reader():
    import io
    return io.Reader  # HAL: stdlib-removed-or-newer-than-target; receiver=module


def case_decimal_from_number():
    from decimal import Decimal
    return Decimal.from_number(3)  # HAL: stdlib-removed-or-newer-than-target; receiver=class


def case_ast_compare():
    import ast
    return ast.compare(ast.parse("x"), ast.parse("x"))  # HAL: stdlib-removed-or-newer-than-target; receiver=module


def case_capture_call_graph():
    import asyncio
    return asyncio.capture_call_graph  # HAL: stdlib-removed-or-newer-than-target; receiver=module


def case_with_target_member():
    import tempfile
    with tempfile.NamedTemporaryFile("w") as handle:
        return handle.write_text("x")  # HAL: other-library-idiom; receiver=with-target


def case_logging_basic_config_kw():
    logging.getLogger("corpus").addHandler(logging.StreamHandler(stream=None, level=logging.INFO))  # HAL: invented-keyword; receiver=call
