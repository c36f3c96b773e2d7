"""HAL003 on a name annotated where it is assigned (issue 15, blind5's ``arr: np.ndarray =
np.ones((2, 3)); arr.sum(axis=0, keepdim=True)``): the name holds exactly the value made there when
the annotation names that value's very class, so what a subclass of the annotated class might add
(or take: ``ndarray.sum``'s keywords, read from numpy's stub for an exact ``ndarray``) does not
count.  Each beside the look-alike that runs or is not proven: a real member, an unknown value, a
value of a subclass (it has the name), a string annotation of an unknown value, the name bound again."""

from __future__ import annotations

import pytest

from test_hal_support import hal_call_lines, one_package, site_context

pytestmark = pytest.mark.slow

SHAPES = '''
class Base:
    def area(self):
        return 0


class Square(Base):
    def side(self):
        return 1
'''


@pytest.fixture(scope="module")
def ctx(tmp_path_factory):
    with site_context(tmp_path_factory, one_package("shapes", SHAPES)) as context:
        yield context


def test_the_value_assigned_with_its_own_class_is_the_receiver(ctx):
    assert hal_call_lines(ctx, """
        from shapes import Base


        def f():
            shape: Base = Base()
            shape.side()
            return shape.area()
    """) == ["7:HAL003"]


def test_an_unknown_or_other_value_leaves_the_annotation_a_lower_bound(ctx):
    assert hal_call_lines(ctx, """
        from shapes import Base, Square


        def f(make, other):
            square: Base = Square()
            square.side()
            made: Base = make()
            made.side()
            held: "Base" = other
            held.side()
            again: Base = Base()
            again = other
            again.side()
    """) == []
