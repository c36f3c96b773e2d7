"""HAL003 on instances of classes whose ``set_params`` re-sets names with ``setattr`` (issue 15):
scikit-learn's ``BaseEstimator.set_params`` checks each name against ``self.get_params()``, whose
keys are names it read with ``getattr(self, key)`` or nested keys joined with ``"__"``, and sets
only the head of ``key.partition("__")``: a name the instance has already.  Such an instance is
as closed as one whose class sets nothing dynamically.  Every "must flag" read fails with
AttributeError when run; every look-alike runs."""

from __future__ import annotations

import pytest

from test_hal_support import hal_call_lines, one_package, site_context

pytestmark = pytest.mark.slow

ESTLIB = '''
import inspect


class Base:  # scikit-learn's BaseEstimator: set_params re-sets only names get_params read
    @classmethod
    def _param_names(cls):
        return sorted(p for p in inspect.signature(cls.__init__).parameters if p != "self")

    def get_params(self, deep=True):
        out = dict()
        for key in self._param_names():
            value = getattr(self, key)
            if deep and hasattr(value, "get_params"):
                deep_items = value.get_params().items()
                out.update((key + "__" + k, val) for k, val in deep_items)
            out[key] = value
        return out

    def set_params(self, **params):
        valid = self.get_params(deep=True)
        nested = {}
        for key, value in params.items():
            key, delim, sub_key = key.partition("__")
            if key not in valid:
                raise ValueError(key)
            if delim:
                nested.setdefault(key, {})[sub_key] = value
            else:
                setattr(self, key, value)
                valid[key] = value
        for key, sub in nested.items():
            valid[key].set_params(**sub)
        return self


class Forest(Base):
    def __init__(self, n_trees=10):
        self.n_trees = n_trees

    def fit(self, X):
        self.importances_ = list(X)
        return self


class Listing(Base):  # its own get_params lists names it never read: set_params may add them
    def __init__(self, names=()):
        self.names = list(names)

    def get_params(self, deep=True):
        out = dict()
        for key in self.names:
            out[key] = None
        return out


class Guessing(Base):  # reads a name only when the instance has it: it lists one the instance lacks
    def __init__(self, extra=()):
        self.extra = list(extra)

    def get_params(self, deep=True):
        out = dict()
        for key in self.extra:
            if key in self.__dict__:
                value = getattr(self, key)
            out[key] = None
        return out


class Whole(Base):  # no partition: a nested key "a__b" is set whole
    def __init__(self, inner=None):
        self.inner = inner

    def set_params(self, **params):
        valid = self.get_params(deep=True)
        for key, value in params.items():
            if key not in valid:
                raise ValueError(key)
            setattr(self, key, value)
        return self
'''


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, one_package("estlib", ESTLIB)) as context:
        yield context



def test_names_re_set_from_what_get_params_read_leave_the_instance_closed(ctx):
    assert hal_call_lines(ctx, """
        import estlib
        estlib.Forest().fit([1]).importance_
        estlib.Forest().set_params(n_trees=3).n_tree
    """) == ["3:HAL003", "4:HAL003"]


def test_members_of_the_closed_instance_are_silent(ctx):
    assert hal_call_lines(ctx, """
        import estlib
        estlib.Forest().fit([1]).importances_
        estlib.Forest().set_params(n_trees=3).n_trees
    """) == []


def test_a_getter_listing_names_it_did_not_read_keeps_the_instance_open(ctx):
    """``Listing.get_params`` lists names it never read; ``Guessing`` reads one only on some
    runs; ``Whole.set_params`` sets a nested key ``inner__n_trees`` whole: each may add a name."""
    assert hal_call_lines(ctx, """
        import estlib
        listing = estlib.Listing(["colour"]).set_params(colour="red")
        listing.colour
        guessing = estlib.Guessing(["shade"]).set_params(shade=1)
        guessing.shade
        whole = estlib.Whole(estlib.Forest()).set_params(inner__n_trees=2)
        whole.inner__n_trees
    """) == []
