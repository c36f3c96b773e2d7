"""Blind set 3 (written without running vetpy or reading its rules): dynamic-but-valid look-alikes."""
import argparse
import asyncio
import sys
import tempfile
from decimal import Decimal

import annotated_types
import charset_normalizer
import contourpy
import cycler
import idna
import iniconfig
import jiter
import joblib
import kiwisolver
import markupsafe
import mdurl
import numpy as np
import pluggy
import pydantic_core
import six
import threadpoolctl
import vine
from aiosignal import Signal
from frozenlist import FrozenList
from prompt_toolkit.completion import WordCompleter
from s3transfer.manager import TransferConfig


def valid_markup_striptags():
    # striptags() (one word) is markupsafe's name
    return markupsafe.Markup("<b>x</b>").striptags()  # OK: real-method-looks-invented


def valid_charset_detect_compat():
    # charset_normalizer keeps chardet's detect() with a "confidence" key
    result = charset_normalizer.detect("héllo wörld".encode("utf-8"))
    return result["confidence"]  # OK: compat-api


def valid_joblib_generator_keyword():
    # return_as= is a real keyword of Parallel (joblib >= 1.3)
    out = joblib.Parallel(n_jobs=1, return_as="generator")(joblib.delayed(abs)(i) for i in (-1, -2))  # OK: real-keyword
    return list(out)


def valid_pluggy_hook_relay():
    spec = pluggy.HookspecMarker("v3")
    impl = pluggy.HookimplMarker("v3")

    class Spec:
        @spec
        def compute(self, value):
            """Compute."""

    class Plugin:
        @impl
        def compute(self, value):
            return value * 2

    pm = pluggy.PluginManager("v3")
    pm.add_hookspecs(Spec)
    pm.register(Plugin())
    return pm.hook.compute(value=2)  # OK: dynamic-attribute-relay


def valid_kiwisolver_strength_operator():
    x = kiwisolver.Variable("x")
    solver = kiwisolver.Solver()
    solver.addConstraint((x >= 1) | "strong")  # OK: operator-strength
    solver.updateVariables()
    return x.value()


def valid_six_moves_lazy():
    from six.moves.urllib.parse import urljoin

    return urljoin("http://a/", "b"), six.moves.reduce(lambda a, b: a + b, [1, 2])  # OK: lazy-module-attribute


def valid_cycler_by_key():
    styles = cycler.cycler(color=["r", "g"]) + cycler.cycler(lw=[1, 2])
    return [style["color"] for style in styles], styles.by_key()["lw"]  # OK: dict-items


def valid_threadpool_wrap_decorator():
    controller = threadpoolctl.ThreadpoolController()

    @controller.wrap(limits=1)  # OK: real-decorator-factory
    def work():
        return 1

    return work()


def valid_mdurl_hostname():
    url = mdurl.parse("https://example.com:8080/a?b#c")
    return url.hostname, url.port, url.pathname, url.search  # OK: real-fields


def valid_frozenlist_frozen_property():
    items = FrozenList([1])
    items.freeze()
    return items.frozen  # OK: property


def valid_idna_uts46():
    return idna.encode("Bücher.example", uts46=True)  # OK: real-keyword


def valid_contourpy_name_keyword():
    gen = contourpy.contour_generator(z=np.arange(16.0).reshape(4, 4), name="mpl2014")  # OK: real-keyword
    return gen.lines(5.0), gen.filled(2.0, 8.0)


def valid_annotated_types_fields():
    interval = annotated_types.Interval(ge=1, le=5)
    return interval.ge, annotated_types.Len(min_length=1).min_length, annotated_types.Gt(5).gt  # OK: real-fields


def valid_jiter_float_mode():
    return jiter.from_json(b'{"a": 1.5}', float_mode="decimal")["a"] == Decimal("1.5")  # OK: real-keyword


def valid_pydantic_core_fallback():
    return pydantic_core.to_json({"a": object()}, fallback=str)  # OK: real-keyword


def valid_vine_then_ready():
    p = vine.promise(lambda: 1)
    seen = []
    p.then(seen.append)
    p()
    return p.ready, seen  # OK: property-not-method


def valid_iniconfig_convert():
    cfg = iniconfig.IniConfig("setup.cfg", data="[server]\nport = 8080\n")
    return cfg.get("server", "port", default=80, convert=int), "server" in cfg  # OK: real-keyword


def valid_aiosignal_list_api():
    async def on_event(value):
        seen.append(value)

    seen = []
    signal = Signal(owner=object())
    signal.append(on_event)  # OK: list-subclass
    signal.freeze()
    asyncio.run(signal.send(1))
    return seen


def valid_transfer_config_request_concurrency():
    return TransferConfig(max_request_concurrency=4)  # OK: real-keyword


def valid_word_completer_ignore_case():
    return WordCompleter(["alpha"], ignore_case=True)  # OK: real-keyword


def valid_argparse_guarded_keyword():
    parser = argparse.ArgumentParser()
    extra = {"deprecated": True} if sys.version_info >= (3, 13) else {}
    parser.add_argument("--old", **extra)  # OK: version-guarded-kwargs
    return parser.parse_args([])


def valid_memory_clear():
    with tempfile.TemporaryDirectory() as tmp:
        memory = joblib.Memory(tmp, verbose=0)

        @memory.cache
        def square(x):
            return x * x

        square(3)
        square.clear(warn=False)  # OK: decorator-result-method
        return square(3)


class _Settings:
    """Serves keys of a dict as attributes."""

    def __init__(self, data):
        self._data = data

    def __getattr__(self, name):
        try:
            return self._data[name]
        except KeyError:
            raise AttributeError(name) from None


def valid_getattr_settings():
    settings = _Settings({"port": 8080})
    return settings.port  # OK: getattr-served
