"""A class defined in a private module at run time is looked up in the stub under its public name
(issue 15, blind5's ``Path(tmp) / "a.txt"`` on Python 3.13, where ``pathlib.Path`` lives in
``pathlib._local`` and typeshed declares it in ``pathlib/__init__.pyi``), only when the runtime
says the public name is the same class."""

from __future__ import annotations

from vetpy.resolve.public_alias import public_alias


class _Members:
    def __init__(self, answers: dict[str, dict]) -> None:
        self.answers = answers

    def describe(self, path: str) -> dict | None:
        return self.answers.get(path)


def test_the_public_name_of_the_same_class():
    members = _Members({"pathlib.PurePath": {"found": True, "kind": "class", "canonical": "pathlib._local.PurePath"}})
    assert public_alias(members, "pathlib._local.PurePath") == "pathlib.PurePath"


def test_another_class_under_the_public_name_or_none_is_not_used():
    members = _Members({"pkg.Frame": {"found": True, "kind": "class", "canonical": "pkg.frame.Frame"},
                        "pkg.helper": {"found": True, "kind": "function", "canonical": "pkg._impl.helper"}})
    assert public_alias(members, "pkg._impl.Frame") is None  # `pkg.Frame` is another class
    assert public_alias(members, "pkg._impl.helper") is None  # not a class
    assert public_alias(members, "pkg._impl.Missing") is None  # no such public name
    assert public_alias(members, "pkg.frame.Frame") is None  # no private segment: nothing to try
    assert public_alias(members, "_private.Thing") is None  # nothing public left of the module
