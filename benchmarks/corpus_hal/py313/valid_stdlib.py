"""Dynamic-but-valid standard-library code on Python 3.13 (each function runs cleanly)."""
import argparse
import copy
import dataclasses
import importlib
import importlib.resources
import itertools
import locale
import logging
import sys
import warnings

import requests


def valid_argparse_namespace():
    parser = argparse.ArgumentParser()
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args([])
    return args.verbose  # OK: data-getattr


def valid_copy_replace_on_313():
    @dataclasses.dataclass
    class P:
        x: int

    return copy.replace(P(1), x=2)  # OK: newer-api-available


def valid_warnings_deprecated_on_313():
    from warnings import deprecated  # OK: newer-api-available

    @deprecated("old")
    def old():
        return 1

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return old()


def valid_batched_strict_on_313():
    return list(itertools.batched(range(4), 2, strict=True))  # OK: newer-api-available


def valid_version_guard_uuid7():
    import uuid
    if sys.version_info >= (3, 14):
        return uuid.uuid7()  # OK: version-guard
    return uuid.uuid4()


def valid_importlib_resources_read_text():
    return importlib.resources.files("json").joinpath("__init__.py").read_text(encoding="utf-8")[:10]  # OK: factory-return


def valid_locale_getdefaultlocale():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return locale.getdefaultlocale()  # OK: deprecated-still-present


def valid_logger_warning():
    logging.getLogger("corpus").warning("x")  # OK: factory-return


def valid_import_module_dynamic():
    mod = importlib.import_module("json")
    return mod.dumps([1])  # OK: dynamic-import


def valid_optional_import_tomllib():
    try:
        import tomllib as toml
    except ImportError:  # pragma: no cover
        import tomli as toml  # type: ignore[no-redef]
    return toml.loads("a = 1")  # OK: optional-import


def valid_requests_session_with():
    with requests.Session() as session:
        session.headers.update({"A": "1"})  # OK: with-target
        return dict(session.headers)


def valid_queue_shutdown_on_313():
    import queue
    q = queue.Queue()
    q.shutdown()  # OK: newer-api-available


def valid_getattr_default():
    fn = getattr(itertools, "batched", None)
    return fn is not None  # OK: getattr-default
