"""Blind set (written without running vetpy or reading its rules): standard library, target Python 3.13."""
import argparse
import heapq
import math
import pathlib
import threading
import unittest
import webbrowser


def case_path_move():
    src = pathlib.Path("corpus-blind-missing.txt")
    return src.move("elsewhere.txt")  # HAL: stdlib-removed-or-newer-than-target; receiver=constructor


def case_argparse_color():
    return argparse.ArgumentParser(prog="x", color=True)  # HAL: stdlib-removed-or-newer-than-target; receiver=call


def case_thread_context():
    return threading.Thread(target=print, context=None)  # HAL: stdlib-removed-or-newer-than-target; receiver=call


def case_assert_is_subclass():
    tc = unittest.TestCase()
    tc.assertIsSubclass(bool, int)  # HAL: stdlib-removed-or-newer-than-target; receiver=constructor


def case_issubnormal():
    return math.issubnormal(1e-310)  # HAL: stdlib-removed-or-newer-than-target; receiver=module


def case_heappop_max():
    heap = [3, 1, 2]
    return heapq.heappop_max(heap)  # HAL: stdlib-removed-or-newer-than-target; receiver=module


def case_webbrowser_macosx():
    return webbrowser.MacOSX  # HAL: stdlib-removed-or-newer-than-target; receiver=module


def case_path_info():
    return pathlib.Path(".").info  # HAL: stdlib-removed-or-newer-than-target; receiver=constructor
