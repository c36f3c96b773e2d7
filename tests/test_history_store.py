"""The shipped release-history file (format 3): the build script's ``serialise`` and vetpy's lazy
reader ``vetpy.history.load``.  The lazy reader must give the answers the eager reading gives (every
key of the shipped data, and the rules' questions on a seeded sample), and a question about one
library must decode nothing of another (docs/versions.md, issue 19)."""

from __future__ import annotations

import gzip
import json
import random

import pytest
from test_history import ROOT, build

from vetpy.history import History, deprecated_keyword, deprecated_member, load

SHIPPED = ROOT / "server" / "vetpy" / "data" / "history.bin"
TABLES = ("members", "keywords", "messages", "classes", "deprecated")


# hand-made: enough keys that a tiny shard size cuts every table in several places
DATA = {
    "built": "2026-12-03",
    "libraries": {
        "pandas": {
            "label": "pandas",
            "distribution": "pandas",
            "releases": ["1.3.5", "1.4.4", "1.5.3", "2.0.3", "2.1.4"],
            "members": {
                "pandas:DataFrame.append": ["-2.0"],
                "pandas:DataFrame.iteritems": ["-2.0"],
                "pandas:DataFrame.map": ["+2.1"],
                "pandas:Series.append": ["-2.0"],
                "pandas.np": ["-2.0"],
                "pandas.Int64Index": ["-2.0"],
                "pandas.util.testing": ["-2.0"],
            },
            "keywords": {
                "pandas:DataFrame.fillna": {"method": ["-3.0"], "downcast": ["-3.0"]},
                "pandas.read_csv": {"squeeze": ["-2.0"], "prefix": ["-2.0"]},
            },
            "messages": {
                "pandas:DataFrame.append": ["1.4", "The frame.append method is deprecated. Use pandas.concat instead."],
                "pandas:DataFrame.iteritems": ["1.5", "iteritems is deprecated. Use .items instead."],
                "pandas.read_csv(squeeze)": ["1.4", "The squeeze argument has been deprecated."],
            },
            "classes": {"pandas:DataFrame": "pandas.core.frame", "pandas:Series": "pandas.core.series"},
            "deprecated": {
                "pandas:DataFrame.swapaxes": ["2.1", "2.1", "'DataFrame.swapaxes' is deprecated."],
                "pandas:DataFrame.fillna(method)": ["2.1", "2.1", "DataFrame.fillna with 'method' is deprecated."],
            },
        },
        "requests": {
            "label": "requests",
            "distribution": "requests",
            "releases": ["2.25.1", "2.26.0", "2.27.1"],
            "members": {"requests.chardet": ["-2.26"], "requests.JSONDecodeError": ["+2.27"]},
            "keywords": {},
            "messages": {},
            "classes": {},
            "deprecated": {},
        },
    },
}

# (function, args): the rules' questions on DATA, found and not found
QUESTIONS = [
    ("member", ("pandas", "pandas.core.frame.DataFrame", "append", (2, 2, 0), True)),
    ("member", ("pandas", "pandas.core.frame.DataFrame", "iteritems", (2, 0, 0), True)),
    ("member", ("pandas", "pandas.core.frame.DataFrame", "map", (2, 0, 0), True)),
    ("member", ("pandas", "pandas.core.series.Series", "append", (2, 1, 0), True)),
    ("member", ("pandas", "pandas.core.series.Series", "appendx", (2, 1, 0), True)),
    ("member", ("pandas", "pandas", "np", (2, 0, 0), False)),
    ("member", ("pandas", "pandas", "Int64Index", (1, 5, 0), False)),
    ("member", ("pandas", "pandas.util", "testing", (2, 1, 0), False)),
    ("member", ("pandas", "pandas", "aaa", (2, 1, 0), False)),
    ("member", ("pandas", "pandas", "zzz", (2, 1, 0), False)),
    ("member", ("requests", "requests", "chardet", (2, 27, 0), False)),
    ("member", ("requests", "requests", "JSONDecodeError", (2, 26, 0), False)),
    ("keyword", ("pandas", "fillna", "method", (3, 0, 0), "pandas.core.frame.DataFrame")),
    ("keyword", ("pandas", "pandas.read_csv", "squeeze", (2, 0, 1), None)),
    ("keyword", ("pandas", "pandas.read_csv", "prefix", (1, 5, 0), None)),
    ("keyword", ("pandas", "pandas.read_csv", "sep", (2, 0, 1), None)),
    ("deprecated_member", ("pandas", "pandas.core.frame.DataFrame", "swapaxes", (2, 1, 4), True)),
    ("deprecated_keyword", ("pandas", "fillna", "method", (2, 1, 4), "pandas.core.frame.DataFrame")),
]


def _ask(history: History, function: str, args: tuple):
    if function == "member":
        library, owner, name, installed, is_class = args
        return history.member(library, owner, name, installed, is_class=is_class)
    if function == "keyword":
        library, func, keyword, installed, method_of = args
        return history.keyword(library, func, keyword, installed, method_of=method_of)
    if function == "deprecated_member":
        library, owner, name, installed, is_class = args
        return deprecated_member(history, library, owner, name, installed, is_class=is_class)
    library, func, keyword, installed, method_of = args
    return deprecated_keyword(history, library, func, keyword, installed, method_of=method_of)


def _decoded(history: History) -> dict[str, int]:
    """Library -> how many shards of its tables have been decoded."""
    return {name: sum(lib[t].decoded for t in TABLES if t in lib) for name, lib in history.libraries.items()}


# -- the format on hand-made data ------------------------------------------------------------------

@pytest.mark.parametrize("shard_bytes", [1, 40, 120, 1 << 17])
def test_every_key_and_lookalike_reads_back_at_any_shard_size(shard_bytes):
    lazy = load(build.serialise(DATA, shard_bytes=shard_bytes))
    assert lazy.data["format"] == 3 and lazy.data["built"] == "2026-12-03"
    for name, lib in DATA["libraries"].items():
        got = lazy.libraries[name]
        assert got["releases"] == lib["releases"] and got["label"] == lib["label"]
        for table in TABLES:
            expected = lib[table]
            assert len(got[table]) == len(expected) and list(got[table]) == sorted(expected)
            assert dict(got[table].items()) == expected
            for key, value in expected.items():
                assert got[table].get(key) == value and key in got[table]
                for lookalike in (key + "x", key[:-1], key.upper(), " " + key, key + "\uffff"):
                    if lookalike not in expected:
                        assert got[table].get(lookalike) is None and lookalike not in got[table]
            assert got[table].get("") is None and got[table].get("\uffff") is None
            assert got[table].get(None) is None and got[table].get(3) is None
    assert lazy.libraries.get("numpy") is None and sorted(lazy.libraries) == ["pandas", "requests"]


def test_tiny_shards_really_cut_the_tables():
    raw = build.serialise(DATA, shard_bytes=40)
    lazy = load(raw)
    assert lazy.libraries["pandas"]["members"].shards == len(DATA["libraries"]["pandas"]["members"])
    assert load(build.serialise(DATA)).libraries["pandas"]["members"].shards == 1
    assert build.deserialise(raw)["libraries"] == DATA["libraries"]


@pytest.mark.parametrize("shard_bytes", [1, 60, 1 << 17])
def test_lazy_answers_equal_eager_answers_on_handmade_data(shard_bytes):
    eager, lazy = History(DATA), load(build.serialise(DATA, shard_bytes=shard_bytes))
    answers = [_ask(eager, f, args) for f, args in QUESTIONS]
    assert [_ask(lazy, f, args) for f, args in QUESTIONS] == answers
    assert sum(a is not None for a in answers) >= 10  # the questions do find things


def test_serialise_is_deterministic_and_keeps_other_top_level_fields():
    data = {**DATA, "note": "x"}
    assert build.serialise(data) == build.serialise(json.loads(json.dumps(data)))
    assert load(build.serialise(data)).data["note"] == "x"


def test_a_file_that_is_not_format_3_is_refused():
    with pytest.raises(ValueError):
        load(gzip.compress(b"{}"))
    with pytest.raises(ValueError):
        build.deserialise(b"nothing")


def test_a_question_decodes_only_the_shards_it_needs():
    lazy = load(build.serialise(DATA, shard_bytes=1))
    assert _decoded(lazy) == {"pandas": 0, "requests": 0}
    lazy.member("requests", "requests", "chardet", (2, 27, 0))
    assert _decoded(lazy) == {"pandas": 0, "requests": 1}
    assert lazy.member("pandas", "pandas", "np", (2, 0, 0)) is not None
    # the member's shard; its message key sorts before every key of the messages: no shard to read
    assert _decoded(lazy) == {"pandas": 1, "requests": 1}
    change = lazy.member("pandas", "pandas.core.frame.DataFrame", "append", (2, 2, 0), is_class=True)
    assert change is not None and change.deprecated_since == "1.4"
    lib = lazy.libraries["pandas"]
    # one more member shard, one message shard, the class table's shards of its two keys
    assert _decoded(lazy)["pandas"] == 5 < sum(lib[t].shards for t in TABLES) == 16


def test_rewrite_converts_a_format_2_file_without_reading_any_release(tmp_path):
    old = tmp_path / "history.json.gz"
    libraries = {k: json.dumps(v, sort_keys=True) for k, v in DATA["libraries"].items()}
    old.write_bytes(gzip.compress(json.dumps({"format": 2, "built": "2026-12-02", "libraries": libraries}).encode()))
    new = tmp_path / "history.bin"
    assert build.main(["--rewrite", str(old), "--out", str(new)]) == 0
    data = build.deserialise(new.read_bytes())
    assert data["format"] == 3 and data["built"] == "2026-12-02" and data["libraries"] == DATA["libraries"]
    first = new.read_bytes()
    assert build.main(["--rewrite", "--out", str(new)]) == 0  # in place: the same bytes
    assert new.read_bytes() == first


# -- the shipped file ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def shipped_pair():
    raw = SHIPPED.read_bytes()
    return History(build.deserialise(raw)), load(raw)


@pytest.mark.slow  # every key of the 51 libraries, about 2 s
def test_shipped_lazy_tables_hold_every_key_of_the_eager_reading(shipped_pair):
    eager, lazy = shipped_pair
    assert sorted(lazy.libraries) == sorted(eager.libraries) and len(eager.libraries) >= 51
    for name in eager.libraries:
        full, got = eager.libraries[name], lazy.libraries[name]
        assert {k: v for k, v in got.items() if k not in TABLES} == {k: v for k, v in full.items() if k not in TABLES}
        for table in TABLES:
            expected, table_got = full.get(table, {}), got[table]
            assert len(table_got) == len(expected), (name, table)
            for key, value in expected.items():
                assert table_got.get(key) == value, (name, table, key)
                if key + "_" not in expected:
                    assert table_got.get(key + "_") is None, (name, table, key)


def _questions(history: History, name: str, rng: random.Random, per_table: int):
    """Questions the rules ask, made from keys of library ``name`` (a seeded sample), at every
    release read and one before and after them."""
    lib = history.libraries[name]
    releases = [tuple(int(x) for x in r.split(".")[:3]) for r in lib.get("releases", [])]
    versions = sorted({(0, 0, 0), (99, 0, 0), *releases})
    classes = lib.get("classes", {})

    def owner(path: str) -> tuple[str, bool]:
        if ":" not in path:
            return path, False
        top, _, rest = path.partition(":")
        if "." in rest:  # the full form top:module.Class
            return rest, True
        return f"{classes.get(path, top)}.{rest}", True

    def sample(table: str) -> list[str]:
        keys = sorted(lib.get(table, {}))
        return rng.sample(keys, min(per_table, len(keys)))

    out = []
    for key in sample("members"):
        path, _, member = key.rpartition(".")
        where, is_class = owner(path)
        out += [("member", (name, where, member, v, is_class)) for v in versions]
        out.append(("deprecated_member", (name, where, member, versions[-2], is_class)))
    for key in sample("keywords"):
        path, _, function = key.rpartition(".")
        keywords = sorted(lib["keywords"][key])[:3]
        if ":" in path:
            where, _ = owner(path)
            out += [("keyword", (name, function, kw, v, where)) for kw in keywords for v in versions]
        else:
            out += [("keyword", (name, key, kw, v, None)) for kw in keywords for v in versions]
    for key in sample("deprecated"):
        head, paren, keyword = key.partition("(")
        path, _, member = head.rpartition(".")
        where, is_class = owner(path)
        for v in versions:
            if paren and is_class:
                out.append(("deprecated_keyword", (name, member, keyword.rstrip(")"), v, where)))
            elif paren:
                out.append(("deprecated_keyword", (name, head, keyword.rstrip(")"), v, None)))
            else:
                out.append(("deprecated_member", (name, where, member, v, is_class)))
    return out


@pytest.mark.slow  # 88,386 questions, about 2 s
def test_shipped_lazy_answers_equal_eager_answers_on_a_seeded_sample(shipped_pair):
    eager, lazy = shipped_pair
    rng = random.Random(19)
    asked: dict[str, int] = {}
    found: dict[str, int] = {}
    for name in sorted(eager.libraries):
        for function, args in _questions(eager, name, rng, per_table=40):
            expected = _ask(eager, function, args)
            assert _ask(lazy, function, args) == expected, (function, args)
            asked[function] = asked.get(function, 0) + 1
            found[function] = found.get(function, 0) + (expected is not None)
    # 88,386 questions, 40,194 answered (2026-12-03 data): every kind of question finds entries
    assert sum(asked.values()) > 50_000 and sum(found.values()) > sum(asked.values()) // 4
    assert all(found.get(kind, 0) >= 100 for kind in ("member", "keyword", "deprecated_member", "deprecated_keyword"))


def test_shipped_question_about_requests_decodes_nothing_of_another_library():
    lazy = load(SHIPPED.read_bytes())
    assert set(_decoded(lazy).values()) == {0}
    change = lazy.member("requests", "requests", "chardet", (2, 32, 0))
    assert change is not None and change.removed and change.version == "2.26"
    decoded = _decoded(lazy)
    assert decoded["requests"] >= 1
    assert {name: n for name, n in decoded.items() if n} == {"requests": decoded["requests"]}


def test_shipped_question_about_transformers_decodes_a_few_of_its_shards():
    lazy = load(SHIPPED.read_bytes())
    change = lazy.member("transformers", "transformers", "ALBERT_PRETRAINED_CONFIG_ARCHIVE_MAP", (4, 45, 0))
    # 4.41, read at every minor (the 4.40.2 wheel's __init__ names it, 4.41.0's does not); the
    # every-8th read of 4.10, 4.18, ..., 4.42 dated it at 4.42
    assert change is not None and change.removed and change.version == "4.41"
    lib = lazy.libraries["transformers"]
    total = sum(lib[t].shards for t in TABLES)
    assert total > 100  # the largest library is cut in many shards...
    decoded = _decoded(lazy)
    assert 1 <= decoded["transformers"] <= 2  # ...and one question decodes its member's and message's
    assert {name for name, n in decoded.items() if n} == {"transformers"}
