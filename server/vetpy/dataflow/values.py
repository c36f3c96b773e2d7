"""Values of the data-flow model (:class:`Trust`, :class:`Value`) and what the model knows of
calls: which produce numbers, which sanitise for a sink, which propagate their argument."""

from __future__ import annotations

import ast
import enum
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


class Trust(enum.IntEnum):
    """Where a value comes from, ordered so that ``max`` is the join."""

    CONSTANT = 0  # built only from literals, constant names and allow-listed values
    UNKNOWN = 1  # not known either way (parameters, results of arbitrary calls)
    UNTRUSTED = 2  # derived from request data, handler parameters, input(), sys.argv


@dataclass(frozen=True)
class Value:
    """Abstract value of an expression.

    ``formatted``: a string assembled with f-strings, ``+``, ``%``, ``.format`` or ``join`` that
    has at least one non-constant part.  ``clean_for``: sink kinds (``"sql"``, ``"shell"``,
    ``"html"``, ``"path"``, ``"url"``) for which every non-constant part went through a
    sanitiser.  ``source``: a short description of the first untrusted source.  ``capped``:
    sink kinds for which the untrusted parts were sanitised but other parts are of unknown
    origin (``os.path.join(ROOT, secure_filename(name))`` with an imported ``ROOT``): for those
    kinds the value is ``UNKNOWN``, not ``UNTRUSTED``.
    """

    trust: Trust = Trust.CONSTANT
    formatted: bool = False
    clean_for: frozenset[str] = frozenset()
    source: str | None = None
    capped: frozenset[str] = frozenset()

    @property
    def is_constant(self) -> bool:
        return self.trust is Trust.CONSTANT

    def risk(self, kind: str) -> Trust:
        """Trust of this value as seen by a sink of ``kind`` (sanitised values count as constant)."""
        if kind in self.clean_for:
            return Trust.CONSTANT
        if kind in self.capped:
            return min(self.trust, Trust.UNKNOWN)
        return self.trust

    def join(self, other: Value) -> Value:
        if other.trust is Trust.CONSTANT and not other.formatted:
            return self
        if self.trust is Trust.CONSTANT and not self.formatted:
            return other
        trust = max(self.trust, other.trust)
        clean_for = self.clean_for & other.clean_for
        capped = set()
        # per sink kind, the joined risk is the larger of the parts' risks: a sanitised untrusted
        # part joined with a part of unknown origin is unknown for that kind, not untrusted
        for kind in (self.clean_for | self.capped | other.clean_for | other.capped) - clean_for:
            if max(self.risk(kind), other.risk(kind)) < trust:
                capped.add(kind)
        return Value(
            trust=trust,
            formatted=self.formatted or other.formatted,
            clean_for=clean_for,
            # the description names the less sanitised part (a caller that checked its argument
            # is not the one to name at a sink the other caller's value reaches)
            source=(other.source or self.source) if self.clean_for > other.clean_for else (self.source or other.source),
            capped=frozenset(capped),
        )

    def as_formatted(self) -> Value:
        """This value used as a part of a string built by formatting."""
        if self.trust is Trust.CONSTANT or self.formatted:
            return self
        return Value(self.trust, True, self.clean_for, self.source)


CONSTANT = Value()
UNKNOWN = Value(Trust.UNKNOWN)


def untrusted(source: str) -> Value:
    return Value(Trust.UNTRUSTED, source=source)


def join_all(values: Iterator[Value] | list[Value]) -> Value:
    result = CONSTANT
    for v in values:
        result = result.join(v)
    return result


# -- knowledge tables ------------------------------------------------------------------------


NUMERIC_CALLS = frozenset(
    {"int", "float", "bool", "len", "abs", "round", "hash", "ord", "id", "complex", "min", "max", "sum", "uuid.UUID", "uuid.uuid4", "uuid.uuid1"}
)
# calls whose result is safe for one kind of sink
SANITIZERS: dict[str, str] = {
    "shlex.quote": "shell",
    "pipes.quote": "shell",
    "html.escape": "html",
    "markupsafe.escape": "html",
    "flask.escape": "html",
    "jinja2.escape": "html",
    "django.utils.html.escape": "html",
    "django.utils.html.format_html": "html",
    "bleach.clean": "html",
    "cgi.escape": "html",
    "tornado.escape.xhtml_escape": "html",
    "werkzeug.utils.secure_filename": "path",
    "os.path.basename": "path",
    "posixpath.basename": "path",
    "ntpath.basename": "path",
    "urllib.parse.quote": "url",
    "urllib.parse.quote_plus": "url",
    "urllib.parse.urlencode": "url",
    "re.escape": "regex",
    "regex.escape": "regex",
}
PATH_CLASSES = frozenset({f"pathlib.{c}" for c in ("Path", "PurePath", "PosixPath", "PurePosixPath", "WindowsPath", "PureWindowsPath")})


def last_segment(expr: ast.Attribute, qualified: Callable[[ast.AST], str | None]) -> bool:
    """``Path(name).name``, ``.stem``, ``.suffix``: the last segment of a path, with no separator in
    it, clean for a path as ``os.path.basename`` is (``..`` at most: a directory, no file to open)."""
    return expr.attr in {"name", "stem", "suffix"} and isinstance(expr.value, ast.Call) and qualified(expr.value.func) in PATH_CLASSES


SANITIZER_NAMES: dict[str, str] = {"secure_filename": "path", "escape": "html", "quote": "url", "quote_plus": "url"}
# quoting and escaping of database layers, as functions or methods: ``quote_*`` (Django's
# ``connection.ops.quote_name``, SQLAlchemy's ``quote_identifier``, psycopg2's ``quote_ident``)
# except URL quoting, the drivers' escape functions (MySQLdb/PyMySQL ``escape_string``, libpq
# ``escape_identifier``/``escape_literal``, peewee ``qesc``) and any method of a SQLAlchemy
# ``identifier_preparer``
URL_QUOTERS = frozenset({"quote_plus", "quote_from_bytes"})
SQL_ESCAPERS = frozenset({"escape_string", "real_escape_string", "escape_identifier", "escape_literal", "qesc"})
# calls that return (a transformation of) their arguments
PROPAGATING_CALLS = frozenset(
    {
        "str", "repr", "format", "bytes", "os.path.join", "posixpath.join", "ntpath.join", "os.path.normpath",
        "os.path.abspath", "os.path.expanduser", "os.path.realpath", "pathlib.Path", "pathlib.PurePath",
        "pathlib.PosixPath", "urllib.parse.urljoin", "urllib.parse.unquote", "os.fspath", "json.loads",
        "base64.b64decode", "base64.urlsafe_b64decode",
    }
)
# methods of a request that resolve a location against the request's URL and give it back: an
# absolute location (`https://evil.example/`, `//evil.example/`) comes back naming its own host
# (Django's ``request.build_absolute_uri(location)``, like ``urljoin``)
REQUEST_URL_JOINERS = frozenset({"build_absolute_uri"})
# string methods that keep the trust of their receiver
STRING_METHODS = frozenset(
    {
        "strip", "lstrip", "rstrip", "lower", "upper", "title", "capitalize", "casefold", "replace",
        "split", "rsplit", "splitlines", "partition", "rpartition", "decode", "encode", "removeprefix",
        "removesuffix", "get", "getlist", "pop", "copy", "items", "values", "keys", "ljust", "rjust",
        "center", "zfill", "expandtabs", "translate", "swapcase", "dict", "to_dict", "model_dump",
        "joinpath", "resolve", "absolute", "with_name", "with_suffix",
        # webob 1.8 `MultiDict` (Pyramid's `request.params` / `GET` / `POST`)
        "getall", "getone", "mixed", "dict_of_lists",
    }
)

UPPER_RE = re.compile(r"^_*[A-Z][A-Z0-9_]*$")
FLASK_CONVERTER_RE = re.compile(r"<(?:(int|float|uuid|path|string|any)(?:\([^)]*\))?:)?(\w+)>")
BRACE_PARAM_RE = re.compile(r"\{(\w+)(?::(\w+))?\}")

