"""Receivers whose type is a union (issue 15): ``A | B``, ``Union[A, B]``, ``Optional[...]`` returns of
installed functions (annotations the runtime evaluates, string annotations naming classes imported
only for type checkers, a stub's union), annotated parameters, this file's helpers that return an A
on one path and a B on another, names bound to different classes, conditional expressions, and
names bound to None beside a class.

A name is reported only when it is missing on EVERY member of the union (None aside: what every
other member lacks, None lacks too, so the access fails whatever the value is).  Each must-flag
case stands beside its look-alike that runs: the name present on one member only, an
``isinstance`` or None check that narrows, a member that is unknown (an unannotated value, ``Any``)
or that answers any name (``__getattr__``), a subclass of an annotated member that has it."""

from __future__ import annotations

import pytest

from test_hal_support import hal_call_lines, site_context

from vetpy.engine import check_source

pytestmark = pytest.mark.slow

PETS = '''
import dataclasses
from typing import Any, Optional, Union


class Animal:
    def sleep(self, hours=8):
        pass


class Cat(Animal):
    def meow(self):
        return "meow"

    def eat(self):
        pass


class Dog(Animal):
    def bark(self):
        return "woof"

    def eat(self):
        pass


class Bird:
    def tweet(self):
        pass


class Parrot(Bird):
    def talk(self):
        pass


class Proxy:
    def __getattr__(self, name):
        return lambda *a: None


class Frame:
    def head(self):
        pass


class OpenFrame(Frame):  # a subclass whose attribute set is open: an annotated Frame may have anything
    def __init__(self, **columns):
        for name, value in columns.items():
            setattr(self, name, value)


class Reader:
    def read(self):
        pass


def read_table(chunks: int = 0) -> Frame | Reader:
    return Reader() if chunks else Frame()


@dataclasses.dataclass
class Owner:
    pet: Bird | Dog


def flock() -> list[Bird | Dog]:
    return [Parrot(), Dog()]


def pet(kind: str) -> Cat | Dog:
    return Cat() if kind == "cat" else Dog()


def maybe_pet(kind: str) -> Optional[Union[Cat, Dog]]:
    return None


def three(kind: str) -> Union[Cat, Dog, None]:
    return None


def find(name: str) -> Cat | None:
    return None


def anything(kind: str) -> Cat | Any:
    return kind


def proxied(kind: str) -> Cat | Proxy:
    return kind
'''

# the annotations name classes imported only for type checkers: the runtime cannot evaluate them
LATE = '''
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pets import Cat, Dog


def adopt(kind: str) -> Cat | Dog:
    from pets import Cat
    return Cat()
'''

# the body's class is chosen at run time (so only the stub says what it returns); a body that
# certainly returns one class (``from pets import Cat; return Cat()``) is taken over the stub
# (LAZY below)
STUBBED = '''
def shelter(kind):
    import pets
    return getattr(pets, kind.title())()
'''

STUBBED_PYI = '''
from pets import Cat, Dog
def shelter(kind: str) -> Cat | Dog: ...
'''

LAZY = '''
def shelter(kind):
    from pets import Cat
    return Cat()
'''


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, {"pets.py": PETS, "latepets.py": LATE, "stubbed/__init__.py": STUBBED,
                                           "stubbed/__init__.pyi": STUBBED_PYI,
                                           "lazystub/__init__.py": LAZY, "lazystub/__init__.pyi": STUBBED_PYI}) as context:
        yield context


names = hal_call_lines


def test_an_installed_union_return_is_reported_only_for_a_name_every_member_lacks(ctx):
    assert names(ctx, """
        import pets
        pets.pet("cat").fly()
        p = pets.pet("cat")
        p.fly()
        p.meow()  # a Cat has it
        p.bark()  # a Dog has it
        p.eat()
        pets.maybe_pet("x").swim()
        pets.three("x").swim()
        pets.three("x").meow()
    """) == ["3:HAL003", "5:HAL003", "9:HAL003", "10:HAL003"]


def test_the_message_names_every_member(ctx):
    found = check_source("import pets\npets.pet('cat').fly()\n", str(ctx.root / "snippet.py"), ctx)
    messages = [f.message for f in found if f.code == "HAL003"]
    assert len(messages) == 1 and "`Cat | Dog`" in messages[0] and "any of its types" in messages[0]


def test_isinstance_narrowing_keeps_the_member_of_the_narrowed_class(ctx):
    assert names(ctx, """
        import pets
        p = pets.pet("cat")
        if isinstance(p, pets.Cat):
            p.meow()
        else:
            p.bark()
        if isinstance(p, pets.Dog) and p.bark():
            pass
    """) == []


def test_a_union_with_an_unknown_or_permissive_member_is_silent(ctx):
    assert names(ctx, """
        import pets
        pets.anything("x").fly()
        pets.proxied("x").fly()
    """) == []


def test_an_annotated_union_parameter_and_a_subclass_that_may_have_it(ctx):
    assert names(ctx, """
        from typing import Optional, Union
        import pets

        def f(p: pets.Cat | pets.Dog, q: Optional[Union[pets.Cat, pets.Dog]], r: "pets.Cat | None"):
            p.fly()
            p.meow()
            q.fly()
            r.mew()
            r.meow()

        def g(b: pets.Bird | pets.Dog):
            b.talk()  # a Parrot (a Bird) has it
            b.swim()
    """) == ["6:HAL003", "8:HAL003", "9:HAL003", "14:HAL003"]


def test_a_string_annotation_naming_classes_imported_for_type_checkers(ctx):
    assert names(ctx, """
        import latepets
        latepets.adopt("x").fly()
        latepets.adopt("x").meow()
    """) == ["3:HAL003"]


def test_a_stub_union_completes_an_unannotated_function(ctx):
    assert names(ctx, """
        import stubbed
        stubbed.shelter("x").fly()
        stubbed.shelter("x").bark()
    """) == ["3:HAL003"]


def test_a_body_that_certainly_returns_one_class_is_taken_over_the_stubs_union(ctx):
    # lazystub.shelter("x") is a Cat whatever the stub allows: .bark() raises AttributeError
    assert names(ctx, """
        import lazystub
        lazystub.shelter("x").fly()
        lazystub.shelter("x").bark()
        lazystub.shelter("x").meow()
    """) == ["3:HAL003", "4:HAL003"]


def test_a_helper_that_returns_one_class_or_another(ctx):
    assert names(ctx, """
        import pets

        def pick(flag):
            if flag:
                return pets.Cat()
            return pets.Dog()

        def pick_or_none(flag):
            if flag:
                return pets.Cat()
            return None

        def pick_unknown(flag, other):
            if flag:
                return pets.Cat()
            return other

        pick(1).fly()
        pick(1).meow()
        pick_or_none(1).mew()
        pick_or_none(1).meow()
        pick_unknown(1, 2).fly()
    """) == ["19:HAL003", "21:HAL003"]


def test_names_bound_to_different_classes_and_conditional_expressions(ctx):
    assert names(ctx, """
        import pets

        def f(flag):
            if flag:
                p = pets.Cat()
            else:
                p = pets.Dog()
            p.fly()
            p.bark()
            (pets.Cat() if flag else pets.Dog()).fly()
            (pets.Cat() if flag else pets.Dog()).meow()
            (flag or pets.Dog()).bark()

        def g(flag, other):
            p = pets.Cat() if flag else other
            p.fly()
    """) == ["9:HAL003", "11:HAL003"]


def test_a_name_bound_to_none_beside_a_class_is_narrowed_by_none_checks(ctx):
    assert names(ctx, """
        import pets

        def f(flag):
            p = None
            if flag:
                p = pets.Cat()
            if p is not None:
                p.meow()
                p.mew()
            if p:
                p.eat()

        def g(name):
            found = pets.find(name)
            if found is None:
                return None
            found.meow()
            return found.mew()
    """) == ["10:HAL003", "19:HAL003"]


def test_a_union_declared_for_a_field_or_an_element_may_hold_subclasses(ctx):
    assert names(ctx, """
        import pets
        o = pets.Owner(pets.Dog())
        o.pet.talk()  # a Parrot may be stored
        o.pet.swim()
        for b in pets.flock():
            b.talk()
            b.swim()
    """) == ["5:HAL003", "8:HAL003"]


def test_a_helper_annotated_with_one_member_of_the_union_its_body_returns(ctx):
    assert names(ctx, """
        import pets

        def my_cat() -> pets.Cat:
            return pets.pet("cat")

        def my_bird(flag) -> pets.Bird:
            return pets.Parrot() if flag else pets.Dog()

        def anything(flag) -> object:
            return pets.Cat() if flag else pets.Dog()

        def load() -> pets.Frame:  # an annotated Frame may be an OpenFrame; what read_table gives is a Frame
            return pets.read_table()

        def frame(x) -> pets.Frame:
            return x

        my_cat().bark()
        my_cat().meow()
        my_bird(1).talk()  # a Parrot: its members include every Bird's
        my_bird(1).swim()
        anything(1).fly()
        load().sort()
        load().head()
        frame(1).sort()
    """) == ["19:HAL003", "22:HAL003", "24:HAL003"]


def test_keywords_and_arity_of_a_method_every_member_inherits_from_one_class(ctx):
    assert names(ctx, """
        import pets
        p = pets.pet("cat")
        p.sleep(hour=1)
        p.sleep(1, 2)
        p.sleep(hours=1)
        p.eat(amount=1)  # Cat.eat and Dog.eat are two functions: each rejects `amount` (rules/hal/union_calls.py)
    """) == ["4:HAL004", "5:HAL005", "7:HAL004"]
