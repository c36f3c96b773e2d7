"""blind5 / standard library, target Python 3.13 (issue 15, point 3).

Sources: "What's New In Python 3.13" removals (``locale.resetlocale``, ``re.template``,
``unittest.makeSuite`` / ``findTestCases``, ``configparser.LegacyInterpolation``, ``typing.io``; PEP 594
dead batteries ``cgi``, ``imghdr``, ``telnetlib``, ``pipes``; https://docs.python.org/3.13/whatsnew/3.13.html#removed)
and "What's New In Python 3.14" additions used on 3.13 (``Path.copy`` / ``move``, ``heapq.heapify_max``,
``functools.Placeholder``, ``argparse.ArgumentParser(color=)``, ``datetime.time.strptime``,
``Fraction.from_number``, ``annotationlib``; https://docs.python.org/3.14/whatsnew/3.14.html).
"""

import argparse
import configparser
import heapq
import locale
import re
import tempfile
import typing
import unittest
from datetime import time
from fractions import Fraction
from pathlib import Path


def case_locale_resetlocale():
    locale.resetlocale()  # HAL: stdlib-removed-or-newer-than-target; receiver=module


def case_re_template():
    return re.template(r"\d+")  # HAL: stdlib-removed-or-newer-than-target; receiver=module


def case_unittest_make_suite():
    class T(unittest.TestCase):
        def test_a(self):
            pass

    return unittest.makeSuite(T)  # HAL: stdlib-removed-or-newer-than-target; receiver=module


def case_legacy_interpolation():
    return configparser.ConfigParser(interpolation=configparser.LegacyInterpolation())  # HAL: stdlib-removed-or-newer-than-target; receiver=module


def case_typing_io():
    return typing.io.TextIO  # HAL: stdlib-removed-or-newer-than-target; receiver=module


def case_import_cgi():
    import cgi  # HAL: stdlib-removed-or-newer-than-target; receiver=import
    return cgi.FieldStorage


def case_import_imghdr():
    import imghdr  # HAL: stdlib-removed-or-newer-than-target; receiver=import
    return imghdr.what


def case_path_copy():
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "a.txt"
        src.write_text("x")
        return src.copy(Path(tmp) / "b.txt")  # HAL: stdlib-removed-or-newer-than-target; receiver=operator


def case_heapify_max():
    items = [3, 1, 2]
    heapq.heapify_max(items)  # HAL: stdlib-removed-or-newer-than-target; receiver=module


def case_functools_placeholder():
    from functools import Placeholder  # HAL: stdlib-removed-or-newer-than-target; receiver=import
    return Placeholder


def case_argparse_color():
    return argparse.ArgumentParser(prog="tool", color=True)  # HAL: stdlib-removed-or-newer-than-target; receiver=constructor


def case_time_strptime():
    return time.strptime("10:30", "%H:%M")  # HAL: stdlib-removed-or-newer-than-target; receiver=class


def case_fraction_from_number():
    return Fraction.from_number(0.5)  # HAL: stdlib-removed-or-newer-than-target; receiver=class


def case_import_annotationlib():
    import annotationlib  # HAL: stdlib-removed-or-newer-than-target; receiver=import
    return annotationlib
