"""Keywords through a decorator's wrapper that declares its own signature (issue 15, scipy's
``axis_nan_policy`` decorator: ``wrapper.__signature__`` is the wrapped function's signature plus
``axis``/``nan_policy``/``keepdims``, the wrapper pops those and passes the rest on, so
``stats.ttest_ind(a, b, equal_variance=False)`` raises the wrapped function's TypeError; branch recall32).

A keyword is unknown only when the declared signature, the wrapper's own parameters, every string
its code names and the wrapped plain function's parameters all leave it out, and neither the
declaration nor the wrapped function takes ``**kwargs`` (``_declared_keywords`` in
``_worker_keyed.py``).  Look-alikes stay silent: the declared extras, the wrapper's own undeclared
parameter, a key the wrapper pops by name without declaring it, a wrapped or declared ``**kwargs``,
extra positional arguments (arity is left open).

What such a wrapper returns (``_wrapper_returns``): the one class every ``return`` of its own body
gives by calling a closure variable that holds a plainly made class, a function whose returns make
one class, or the wrapped function (scipy's ``tuple_to_result(*res)``), so ``stats.shapiro(x).W``
is reported.  Look-alikes stay silent: a wrapper that may return another class, or the result of a
call that is no closure variable, and the result's own attributes."""

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


        class Result:
            def __init__(self, statistic, pvalue):
                self.statistic = statistic
                self.pvalue = pvalue


        class Other:
            def __init__(self, statistic, pvalue):
                self.statistic = statistic
                self.pvalue = pvalue
                self.extra = None


        def pack(statistic, pvalue):
            return Result(statistic, pvalue)


        def packing(tuple_to_result):
            def decorate(func):
                @wraps(func)
                def wrapper(*args, _plain=False, **kwds):
                    if _plain:
                        return func(*args, **kwds)
                    res = (func(*args, **kwds).statistic, 0.5)
                    return tuple_to_result(*res)
                return wrapper
            return decorate


        def mixing(func):
            @wraps(func)
            def wrapper(*args, **kwds):
                if kwds.pop("other", False):
                    return Other(1, 2)
                return func(*args, **kwds)
            return wrapper


        @packing(Result)
        def shapiro(x):
            return Result(x, 0.1)


        @packing(pack)
        def normal(x):
            return Result(x, 0.1)


        @packing(Other)
        def mismatched(x):
            return Result(x, 0.1)


        @mixing
        def mixed(x):
            return Result(x, 0.1)


        def validating(fit_method):
            @wraps(fit_method)
            def wrapper(estimator, *args, **kwargs):
                return fit_method(estimator, *args, **kwargs)
            return wrapper


        def cloning(fit_method):
            @wraps(fit_method)
            def wrapper(estimator, *args, **kwargs):
                return fit_method(Other(1, 2), *args, **kwargs)
            return wrapper


        class Estimator:
            @validating
            def fit(self, x):
                return self

            @cloning
            def refit(self, x):
                return self


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


def test_what_every_return_of_a_wrapper_makes_is_the_result_class(site):
    assert hal_call_lines(site, """
        from hypo import shapiro, normal


        def use(x):
            a = shapiro(x).W
            b = normal(x).r_squared
            return a, b, shapiro(x).statistic, normal(x).pvalue
    """) == ["6:HAL003", "7:HAL003"]


def test_a_wrapper_that_may_return_another_class_stays_silent(site):
    # `mismatched`'s own code makes Result on the plain path and Other on the packed one;
    # `mixed` returns Other itself (no closure variable) on one path
    assert hal_call_lines(site, """
        from hypo import mismatched, mixed


        def use(x):
            return mismatched(x).extra, mixed(x).extra
    """) == []


def test_a_wrapper_handing_its_own_first_argument_on_returns_self(site):
    # `refit`'s wrapper hands the wrapped method another object: its `return self` is that object
    assert hal_call_lines(site, """
        from hypo import Estimator


        def use(x):
            Estimator().fit(x).labels()
            return Estimator().refit(x).extra, Estimator().fit(x).refit(x)
    """) == ["6:HAL003"]
