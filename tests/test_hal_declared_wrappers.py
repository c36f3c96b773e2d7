"""Keywords through a decorator's wrapper that declares its own signature (issue 15, scipy's
``axis_nan_policy`` decorator: ``wrapper.__signature__`` is the wrapped function's signature plus
``axis``/``nan_policy``/``keepdims``, the wrapper pops those and passes the rest on, so
``stats.ttest_ind(a, b, equal_variance=False)`` raises the wrapped function's TypeError; branch recall32).

A keyword is unknown only when the declared signature, the wrapper's own parameters, every string
its code names and the wrapped plain function's parameters all leave it out, and neither the
declaration nor the wrapped function takes ``**kwargs`` (``_declared_keywords`` in
``_worker_keyed.py``).  Look-alikes stay silent: the declared extras, the wrapper's own undeclared
parameter, a key the wrapper pops by name without declaring it, a wrapped or declared ``**kwargs``,
extra positional arguments (arity is left open)."""

from __future__ import annotations

import pytest

from test_hal_support import hal_call_lines, site_context

pytestmark = pytest.mark.slow

PACKAGE = {
    "hypo/__init__.py": """
        import inspect
        from functools import wraps


        def policy(func):
            sig = inspect.signature(func)
            extra = [inspect.Parameter("axis", inspect.Parameter.KEYWORD_ONLY, default=0),
                     inspect.Parameter("nan_policy", inspect.Parameter.KEYWORD_ONLY, default="propagate")]

            @wraps(func)
            def wrapper(*args, _no_deco=False, **kwds):
                kwds.pop("axis", None)
                kwds.pop("nan_policy", None)
                kwds.pop("legacy", None)
                return func(*args, **kwds)

            params = list(sig.parameters.values())
            tail = [p for p in params if p.kind == p.VAR_KEYWORD]
            wrapper.__signature__ = sig.replace(parameters=[p for p in params if p not in tail] + extra + tail)
            return wrapper


        def loose(func):
            sig = inspect.signature(func)

            @wraps(func)
            def wrapper(*args, **kwds):
                return func(*args, **{k: v for k, v in kwds.items() if k in sig.parameters})

            wrapper.__signature__ = sig.replace(parameters=list(sig.parameters.values()) + [
                inspect.Parameter("options", inspect.Parameter.VAR_KEYWORD)])
            return wrapper


        @policy
        def ttest(a, b, *, equal_var=True, alternative="two-sided"):
            return a, b


        @policy
        def summary(*samples, ddof=0, **options):
            return samples


        @loose
        def fit(a, *, method="x"):
            return a


        class Model:
            @policy
            def score(self, a, *, weights=None):
                return a
    """,
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, PACKAGE) as context:
        yield context


def test_a_keyword_that_neither_the_declaration_nor_the_wrapped_function_takes_is_reported(site):
    assert hal_call_lines(site, """
        from hypo import ttest, Model


        def use(a, b):
            ttest(a, b, equal_variance=False)
            Model().score(a, weight=None)
    """) == ["6:HAL004", "7:HAL004"]


def test_declared_own_and_named_keywords_stay_silent(site):
    assert hal_call_lines(site, """
        from hypo import ttest, Model


        def use(a, b):
            ttest(a, b, equal_var=False, alternative="less")
            ttest(a, b, axis=1, nan_policy="omit")
            ttest(a, b, _no_deco=True)
            ttest(a, b, legacy=True)  # popped by name in the wrapper: it runs
            ttest(a, b, 3)  # arity is left open
            Model().score(a, weights=[1], axis=0)
    """) == []


def test_a_wrapped_or_declared_var_keyword_leaves_the_keywords_open(site):
    # `summary` takes any keyword; `fit`'s wrapper declares **options and drops what `fit` does not take
    assert hal_call_lines(site, """
        from hypo import summary, fit


        def use(a, b):
            summary(a, b, colour=1)
            fit(a, speed=2)
    """) == []
