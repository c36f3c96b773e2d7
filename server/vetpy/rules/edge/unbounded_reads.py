"""EDGE005 unbounded-read: whole files, uploads or streamed bodies read into memory."""

from __future__ import annotations

import ast
import copy
import re
from typing import Iterator

from vetpy.astutil import keyword
from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.findings import Finding, Fix, FixSafety, Severity
from vetpy.rules.edge.archive_reads import uploaded_member_read
from vetpy.rules.edge.facts import Module, is_test_file
from vetpy.rules.edge.streamed_bodies import WHOLE_OBJECT_READ, fetched_from_caller, streamed_body
from vetpy.rules.registry import REGISTRY, rule
from vetpy.scopes import plain_values, scope_index


UNBOUNDED_READ = rule(
    code="EDGE005",
    name="unbounded-read",
    family="EDGE",
    severity=Severity.WARNING,
    question="What happens when the file or upload is 5 GB?",
    summary="A whole file, upload or streamed response is read into memory where streaming was available.",
    rationale="""`for line in f.readlines()` reads the whole file before the first line is
    processed, while `for line in f` streams (a list, set or dict comprehension without a
    filter keeps every line anyway and is not reported; a file opened from a constant path, such as
    `/proc/interrupts` also through a module or class constant, is small and not reported). So do `lines = f.readlines()` (or `f.read().splitlines()`) when the list is only
    iterated (by loops, or by `csv.reader`/`csv.DictReader`, which take the file itself) and `for line in f.read().splitlines()`, reported for a file opened in the same
    function (`open(path)`, or `path.open()` of a parameter annotated `Path`; so is
    `for line in path.read_text().splitlines()` of such a parameter) from a path that is neither constant (`/proc/cpuinfo`, a bundled file) nor named
    for configuration or key material (`config_path`, `cafile`, `chainfile`, `key.pem`; of a
    setting, `settings.LOG_FILE`, or one joined under it, `config.DATA_DIR / "app.log"`, its own
    name tells): those files are small (a log is not, even at a constant path such as
    `/var/log/app/app.log`: it grows as long as the program runs), nor is an `io.StringIO`/`io.BytesIO` over data already in memory. So is
    every line read to keep the last or first few (`f.readlines()[-n:]`, the tail of a log:
    `collections.deque(f, maxlen=n)` keeps the last lines while streaming, `itertools.islice(f, n)`
    the first), for such a file outside a test (`[2:]`, a header dropped, keeps nearly all). Reading an upload (Flask, Django's `request.FILES` or a parameter
    annotated `UploadedFile`, FastAPI's `UploadFile`) with
    `.read()` or the body of a
    response requested with `stream=True` via `.content`/`.text`/`.json()` defeats streaming and
    lets any client exhaust memory; so does `.read()` without a size of a body that arrives as
    a stream, `urllib.request.urlopen(url)`'s response of a URL the function's caller gives (a
    parameter; read it in chunks or `shutil.copyfileobj`), unless parsed or decoded whole where it
    is read; a member of an archive the client uploaded read whole (`zf.read(info)` of a
    `zipfile.ZipFile(request.files["f"])`, a zip bomb inflates to any size) where the function
    never checks a member's `file_size`; a URL the function builds itself is a known endpoint (the
    `Body` of boto3's `get_object` is EDGE022, opt-in). An upload whose content (or its text, `.read().decode()`) goes whole into a consumer that
    needs all of it (a parser such as `yaml.safe_load(raw)`, a decoding helper, a model field,
    a storage call taking bytes), directly or through the name it is assigned to, is not
    reported: streaming would not help that consumer, a request size limit does; written out,
    hashed, measured or returned, it is, and so is one put in an `io.StringIO` for a
    `csv.reader` whose rows a loop takes one at a time (a reader over the upload's stream would
    do; `list(csv.DictReader(...))` keeps every row anyway and is not reported).""",
    bad="""
        for line in handle.readlines():
            process(line)
    """,
    good="""
        for line in handle:
            process(line)
    """,
    fix_safety=FixSafety.UNSAFE,
    cwe=(400,),
)


def _strip_item_access(node: ast.expr) -> ast.expr:
    """``request.files["f"].stream`` / ``request.files.get("f")`` -> ``request.files``."""
    while True:
        if isinstance(node, ast.Subscript):
            node = node.value
        elif isinstance(node, ast.Attribute) and node.attr == "stream":
            node = node.value
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get":
            node = node.func.value
        else:
            return node


def _upload_annotation(doc: Document, node: ast.AST, name: str) -> str | None:
    """The upload class ``name``, read at ``node``, is annotated with when it is a parameter of
    the innermost function around ``node`` that takes a parameter of that name (a closure reads
    its handler's): FastAPI/Starlette's ``UploadFile``, or Django's ``UploadedFile`` (and its
    ``InMemoryUploadedFile``/``TemporaryUploadedFile``); else None."""
    parents = doc.parents
    scope = parents.get(node)
    while scope is not None:
        if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            args = scope.args
            for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]:
                if arg is not None and arg.arg == name:
                    text = ast.unparse(arg.annotation) if arg.annotation is not None else ""
                    return next((k for k in ("UploadFile", "UploadedFile") if k in text), None)
        scope = parents.get(scope)
    return None


def _is_upload(doc: Document, node: ast.AST, name: str) -> bool:
    return _upload_annotation(doc, node, name) is not None


def _uploaded(doc: Document, mod: Module, source: ast.expr, at: ast.AST) -> bool:
    """Is ``source`` (read at ``at``) an upload: Flask's ``request.files[...]`` (``.stream``),
    Django's ``request.FILES[...]``, a name bound to one of those, or a parameter annotated
    ``UploadFile``/``UploadedFile``?"""
    if isinstance(source, ast.Name):
        if _is_upload(doc, at, source.id):
            return True
        source = _bound_upload(doc, at, source.id) or source
    uploaded = _strip_item_access(source)
    return uploaded is not source and (mod.qname(uploaded) == "flask.request.files" or _is_django_files(uploaded))


def _is_django_files(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Attribute) and node.attr == "FILES"
        and isinstance(node.value, ast.Name) and node.value.id == "request"
    )


def _bound_upload(doc: Document, node: ast.AST, name: str) -> ast.expr | None:
    """The upload expression ``name`` holds at ``node``, when every binding of ``name`` in the
    function around ``node`` is a plain assignment of one (``upload = request.files["file"]``)."""
    mod = Module.of(doc)
    scope = doc.parents.get(node)
    while scope is not None and not isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)):
        scope = doc.parents.get(scope)
    if scope is None:
        return None
    found: ast.expr | None = None
    for sub in ast.walk(scope):
        if isinstance(sub, ast.Name) and sub.id == name and not isinstance(sub.ctx, ast.Load):
            assign = doc.parents.get(sub)
            if not (isinstance(assign, ast.Assign) and assign.targets == [sub]):
                return None
            uploaded = _strip_item_access(assign.value)
            if uploaded is assign.value or not (mod.qname(uploaded) == "flask.request.files" or _is_django_files(uploaded)):
                return None
            found = assign.value
        elif isinstance(sub, ast.arg) and sub.arg == name:
            return None
    return found


# calls that could take the content piece by piece: writing it out, sending it, hashing it, measuring it
_STREAMING_SINKS = frozenset({"write", "write_bytes", "writelines", "sendall", "send", "update"})


def _whole_consumer(mod: Module, arg: ast.expr) -> bool:
    """Is ``arg`` an argument of a call that needs all of it at once (``yaml.safe_load(raw)``,
    ``to_unicode(raw)``, ``Model(blob=raw)``, ``storage.upload(key, raw)``), not of one that
    could take it in chunks (``out.write(raw)``, ``len(raw)``, ``hashlib.sha256(raw)``)?"""
    parent = mod.doc.parents.get(arg)
    if isinstance(parent, ast.keyword):
        parent = mod.doc.parents.get(parent)
    if not isinstance(parent, ast.Call) or parent.func is arg:
        return False
    func = parent.func
    if isinstance(func, ast.Attribute) and func.attr in _STREAMING_SINKS:
        return False
    if mod.is_builtin(func, "len") or (mod.qname(func) or "").startswith("hashlib."):
        return False
    return not _rows_looped(mod, parent)


def _rows_looped(mod: Module, buffer: ast.Call) -> bool:
    """``for row in csv.reader(io.StringIO(text))`` (or through the name the reader is bound to):
    the rows are taken one at a time, so a reader over the upload's own stream would do; a list of
    them (``list(csv.DictReader(...))``) keeps them all anyway."""
    if mod.qname(buffer.func) not in _BUFFERS:
        return False
    reader = mod.doc.parents.get(buffer)
    if not (isinstance(reader, ast.Call) and mod.qname(reader.func) in _CSV_READERS and reader.args and reader.args[0] is buffer):
        return False
    holder = mod.doc.parents.get(reader)
    if isinstance(holder, (ast.For, ast.AsyncFor)) and holder.iter is reader:
        return True
    if not (isinstance(holder, ast.Assign) and len(holder.targets) == 1 and isinstance(holder.targets[0], ast.Name)):
        return False
    name = holder.targets[0].id
    func = mod.enclosing_functions.get(id(reader))
    return func is not None and any(
        isinstance(n, (ast.For, ast.AsyncFor)) and isinstance(n.iter, ast.Name) and n.iter.id == name for n in ast.walk(func))


def _read_whole_anyway(mod: Module, read: ast.Call) -> bool:
    """Does the upload's content (or its text, ``.read().decode()``) go whole into a consumer that
    needs all of it (a parser, a decoder, a model field, a storage call, an ``io.StringIO``),
    directly or through the one name it is assigned to?
    Streaming the upload would not help that consumer: what protects it is a request size limit."""
    node: ast.expr = read
    parent = mod.doc.parents.get(node)
    if isinstance(parent, ast.Await):
        node, parent = parent, mod.doc.parents.get(parent)
    decode = mod.doc.parents.get(parent) if isinstance(parent, ast.Attribute) and parent.attr == "decode" else None
    if isinstance(decode, ast.Call) and decode.func is parent:
        node, parent = decode, mod.doc.parents.get(decode)  # `.read().decode()`: the text goes on whole
    if not (isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name)):
        return _whole_consumer(mod, node)
    name = parent.targets[0].id
    scope = mod.enclosing_functions.get(id(read))
    if scope is None:
        return False
    return any(
        isinstance(sub, ast.Name) and sub.id == name and isinstance(sub.ctx, ast.Load) and _whole_consumer(mod, sub)
        for sub in ast.walk(scope)
    )


def _stream_assignments(mod: Module) -> dict[tuple[int, str], list[tuple[int, bool]]]:
    """(id(scope function) or 0, name) -> [(line, assigned a ``stream=True`` response?)] in line order."""
    found: dict[tuple[int, str], list[tuple[int, bool]]] = {}
    for node in mod.of_type(ast.Assign, ast.With, ast.AsyncWith):
        pairs: list[tuple[ast.expr, ast.expr]] = []
        if isinstance(node, ast.Assign):
            pairs = [(t, node.value) for t in node.targets]
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            pairs = [(i.optional_vars, i.context_expr) for i in node.items if i.optional_vars is not None]
        for target, value in pairs:
            if not isinstance(target, ast.Name):
                continue
            stream = keyword(value, "stream") if isinstance(value, ast.Call) else None
            streamed = (
                stream is not None and isinstance(stream.value, ast.Constant) and stream.value.value is True
            )
            scope = id(mod.enclosing_functions.get(id(node)) or 0)
            found.setdefault((scope, target.id), []).append((node.lineno, streamed))
    for entries in found.values():
        entries.sort()
    return found


def _streamed_at(
    mod: Module, streams: dict[tuple[int, str], list[tuple[int, bool]]], name: ast.Name
) -> tuple[int, str, int] | None:
    """The ``stream=True`` assignment ``name`` last received (before this line, in this function),
    as (scope id, name, line), or None."""
    scope = id(mod.enclosing_functions.get(id(name)) or 0)
    latest = [(line, streamed) for line, streamed in streams.get((scope, name.id), []) if line <= name.lineno]
    return (scope, name.id, latest[-1][0]) if latest and latest[-1][1] else None


_SMALL_FILE_WORDS = ("config", "conf", "cfg", "settings", "setting", "ini", "toml", "yaml", "yml", "json", "version", "requirements", "env", "rc")
# certificates, keys and CA chains are small by nature (a few kilobytes; a CA bundle a few hundred)
_KEY_MATERIAL_WORDS = ("cert", "certs", "certificate", "certificates", "crt", "pem", "chain", "ca", "cacert", "cacerts", "key")
# a compound name's last part that says "a file's name": ``chainfile``, ``configpath``, ``keyfilename``
_FILE_NAME_SUFFIXES = ("filename", "filepath", "file", "path", "name")


def _without_holders(path: ast.expr) -> ast.expr:
    """``config.DATA_DIR / "svc.log"`` -> ``DATA_DIR / "svc.log"``: a setting read from a module or
    object of settings is named by the setting; the holder's name (``config``) says nothing of the file."""
    class Strip(ast.NodeTransformer):
        def visit_Attribute(self, node: ast.Attribute) -> ast.expr:
            if _settings_constant(node):
                return ast.Name(node.attr)
            return self.generic_visit(node)  # type: ignore[return-value]

    if not any(isinstance(n, ast.Attribute) and _settings_constant(n) for n in ast.walk(path)):
        return path
    return Strip().visit(copy.deepcopy(path))


def _path_words(path: ast.expr) -> set[str]:
    """The lower-case words of a path expression's source, compound names also without their file
    suffix (``chainfile`` -> ``chainfile``, ``chain``; ``keyFile`` -> ``keyfile``, ``key``)."""
    words = set(re.split(r"[^a-z0-9]+", ast.unparse(_without_holders(path)).lower()))
    for word in list(words):
        for suffix in _FILE_NAME_SUFFIXES:
            if word.endswith(suffix) and len(word) > len(suffix):
                words.add(word[: -len(suffix)])
                break
    return words


def _bounded_source(mod: Module, handle: ast.expr, at: ast.AST) -> bool | None:
    """Is the file behind ``handle`` known small: opened from a constant path (``/proc/cpuinfo``,
    a bundled file) or from a name that says configuration? None: ``handle`` is not a file opened
    with ``open()`` in this function (nothing is known about it)."""
    opened: ast.expr | None = None
    if _in_memory(mod, handle, at):
        return True  # an io.StringIO/BytesIO over data already held: no larger than that data
    if isinstance(handle, ast.Call) and mod.is_builtin(handle.func, "open"):
        opened = handle
    elif isinstance(handle, ast.Name):
        func = mod.enclosing_functions.get(id(at))
        for node in ast.walk(func) if func is not None else ():
            if isinstance(node, (ast.With, ast.AsyncWith)):
                for item in node.items:
                    if isinstance(item.optional_vars, ast.Name) and item.optional_vars.id == handle.id:
                        if isinstance(item.context_expr, ast.Call) and mod.is_builtin(item.context_expr.func, "open"):
                            opened = item.context_expr
                        elif _path_open(mod, item.context_expr, func):
                            opened = ast.Call(ast.Name("open"), [item.context_expr.func.value], [])  # type: ignore[union-attr]
    if opened is None or not opened.args:
        return None
    return _small_path(mod, opened.args[0])


def _small_path(mod: Module, path: ast.expr) -> bool:
    """Is the file at ``path`` known small: a constant path (not a log's), a module or class
    constant, or a name that says configuration or key material?"""
    if isinstance(path, ast.Constant) or isinstance(path, ast.JoinedStr) and all(isinstance(v, ast.Constant) for v in path.values):
        return not _names_a_log(path)  # `/var/log/app.log` grows for as long as the service runs
    named = path.id if isinstance(path, ast.Name) else path.attr if isinstance(path, ast.Attribute) else None
    if named is not None and named in _constant_paths(mod):
        return True  # IRQ_FILE = "/proc/interrupts" at module or class level, read as self.IRQ_FILE
    if _settings_constant(path):
        path = ast.Name(path.attr)  # type: ignore[attr-defined]  # `settings.LOG_FILE`: the setting's name tells, not `settings`
    if _names_a_log(path):
        return False
    return bool(_path_words(path) & {*_SMALL_FILE_WORDS, *_KEY_MATERIAL_WORDS})


_LOG_WORDS = frozenset({"log", "logs"})


def _names_a_log(path: ast.expr) -> bool:
    """Does the path name a log file (``/var/log/app.log``, ``config.DATA_DIR / "svc.log"``,
    ``LOG_ROOT / f"{room}.log"``) and nothing small besides (``log_config.yaml`` is configuration)?
    A log grows for as long as the program runs."""
    words = _path_words(path)
    return bool(words & _LOG_WORDS) and not words & {*_SMALL_FILE_WORDS, *_KEY_MATERIAL_WORDS}


_SETTINGS_HOLDERS = frozenset({"settings", "config", "conf", "cfg", "app_settings"})


def _settings_constant(path: ast.expr) -> bool:
    """``settings.LOG_FILE`` / ``config.UPLOAD_PATH``: an upper-case setting read from a module or
    object of settings, whose own name (not the holder's) says what file it is."""
    return (isinstance(path, ast.Attribute) and path.attr.isupper()
            and isinstance(path.value, ast.Name) and path.value.id.lower() in _SETTINGS_HOLDERS)


def _path_open(mod: Module, call: ast.expr, func: ast.AST | None) -> bool:
    """``path.open(...)`` of a parameter annotated ``pathlib.Path`` (``csv_path: Path``)."""
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "open"):
        return False
    receiver = call.func.value
    if not isinstance(receiver, ast.Name) or not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    params = func.args.posonlyargs + func.args.args + func.args.kwonlyargs
    param = next((a for a in params if a.arg == receiver.id), None)
    if param is None or param.annotation is None or mod.qname(param.annotation) != "pathlib.Path":
        return False
    return not any(isinstance(n, ast.Name) and n.id == receiver.id and isinstance(n.ctx, ast.Store) for n in ast.walk(func))


_BUFFERS = frozenset({"io.StringIO", "io.BytesIO"})


def _in_memory(mod: Module, handle: ast.expr, at: ast.AST) -> bool:
    """``io.StringIO(text)`` / ``io.BytesIO(data)``, or a name whose every binding in the function
    (:meth:`~vetpy.scopes.ScopeIndex.bindings`: a nested function's own local is not one, a
    ``nonlocal`` rebinding is) is a plain binding to such a call (``=``, ``:=``, ``with ... as``)."""
    if isinstance(handle, ast.Call):
        return mod.qname(handle.func) in _BUFFERS
    func = mod.enclosing_functions.get(id(at))
    if not isinstance(handle, ast.Name) or func is None:
        return False
    bound = plain_values(scope_index(mod.doc).bindings(func, handle.id))
    return bool(bound) and all(isinstance(v, ast.Call) and mod.qname(v.func) in _BUFFERS for v in bound)  # type: ignore[union-attr]


def _constant_paths(mod: Module) -> set[str]:
    """Names bound once, at module or class level, to a constant string (``IRQ_FILE = "/proc/interrupts"``)."""
    found: dict[str, int] = {}
    constant: set[str] = set()
    bodies = [mod.doc.tree.body] + [n.body for n in mod.of_type(ast.ClassDef) if isinstance(n, ast.ClassDef)]  # type: ignore[union-attr]
    for body in bodies:
        for stmt in body:
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                name = stmt.targets[0].id
                found[name] = found.get(name, 0) + 1
                if isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str):
                    constant.add(name)
    return {name for name in constant if found[name] == 1}


def _split_into_lines(node: ast.expr) -> ast.expr | None:
    """``X.splitlines()`` / ``X.split("\\n")``: the text ``X`` split into lines, else None."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("splitlines", "split")):
        return None
    if node.func.attr == "split" and not (
        len(node.args) == 1 and isinstance(node.args[0], ast.Constant) and node.args[0].value in ("\n", "\r\n")
    ):
        return None
    return node.func.value


def _path_text_lines(mod: Module, node: ast.expr, at: ast.AST) -> ast.Name | None:
    """``path.read_text().splitlines()`` (or ``.split("\\n")``) outside a test, of a parameter
    annotated ``pathlib.Path`` that the function never rebinds and whose name says nothing small
    (configuration, key material): the path, else None."""
    read = _split_into_lines(node)
    if not (isinstance(read, ast.Call) and isinstance(read.func, ast.Attribute) and read.func.attr == "read_text"):
        return None
    path = read.func.value
    func = mod.enclosing_functions.get(id(at))
    if not isinstance(path, ast.Name) or func is None or is_test_file(mod.doc.path):
        return None
    opened = ast.Call(ast.Attribute(path, "open", ast.Load()), [], [])
    if not _path_open(mod, opened, func) or _small_path(mod, path):
        return None
    return path


def _whole_text_lines(node: ast.expr) -> ast.expr | None:
    """``f.read().splitlines()`` / ``f.read().split("\\n")``: the file handle ``f``, else None."""
    read = _split_into_lines(node)
    if isinstance(read, ast.Call) and isinstance(read.func, ast.Attribute) and read.func.attr == "read" and not read.args and not read.keywords:
        return read.func.value
    return None


_CSV_READERS = frozenset({"csv.reader", "csv.DictReader"})


def _only_iterated(mod: Module, assign: ast.Assign) -> bool:
    """``lines = f.readlines()`` whose every later use in the function is ``for ... in lines``, or
    the lines a ``csv.reader``/``csv.DictReader`` iterates (``csv.DictReader(lines)``: it takes the
    file itself as well)."""
    target = assign.targets[0] if len(assign.targets) == 1 else None
    func = mod.enclosing_functions.get(id(assign))
    if not isinstance(target, ast.Name) or func is None:
        return False
    loops = {id(n.iter) for n in ast.walk(func) if isinstance(n, (ast.For, ast.AsyncFor, ast.comprehension))}
    loops |= {id(n.args[0]) for n in ast.walk(func)
              if isinstance(n, ast.Call) and n.args and mod.qname(n.func) in _CSV_READERS}
    uses = [n for n in ast.walk(func) if isinstance(n, ast.Name) and n.id == target.id and n is not target]
    return bool(uses) and all(isinstance(u.ctx, ast.Load) and id(u) in loops for u in uses)


def _sliced_lines(mod: Module, node: ast.Subscript) -> ast.expr | None:
    """``f.readlines()[-n:]`` / ``f.read().splitlines()[:n]``: the last or first lines (a negative
    start or an end: a bounded part) of every line of a file opened here, outside a test, from a
    path neither constant nor named for configuration: the call that read them, else None."""
    cut = node.slice
    if not isinstance(cut, ast.Slice) or not isinstance(node.ctx, ast.Load) or is_test_file(mod.doc.path):
        return None  # in a test the file is the test's own, small
    if cut.upper is None and not (isinstance(cut.lower, ast.UnaryOp) and isinstance(cut.lower.op, ast.USub)):
        return None  # `[2:]` drops a header and keeps nearly every line: the list was wanted
    read = node.value
    if not (isinstance(read, ast.Call) and isinstance(read.func, ast.Attribute)):
        return None
    if read.func.attr == "readlines" and not read.args and not read.keywords:
        handle: ast.expr | None = read.func.value
    else:
        handle = _whole_text_lines(read)
    return read if handle is not None and _bounded_source(mod, handle, node) is False else None


def _holds_every_line(doc: Document, node: ast.AST) -> bool:
    """A list, set or dict comprehension without a filter, over the lines: its result holds one
    item per line, so iterating the file instead would not keep the whole file out of memory
    (click's ``def readlines(self): return [self._echo(x) for x in self._input.readlines()]``)."""
    return (isinstance(node, ast.comprehension) and not node.ifs
            and isinstance(doc.parents.get(node), (ast.ListComp, ast.SetComp, ast.DictComp)))


def _read_text_message(path: ast.Name, then: str) -> str:
    return (f"`read_text()` loads the whole file into memory to split it into lines {then}; "
            f"iterate the file (`with {path.id}.open() as f: for line in f`)")


@REGISTRY.checker("EDGE005", "EDGE022")
def check_unbounded_reads(doc: Document, ctx: AnalysisContext) -> Iterator[Finding]:
    assert doc.tree is not None
    mod = Module.of(doc)
    streams: dict[tuple[int, str], list[tuple[int, bool]]] | None = None  # on the first `x.content`/`.text`/`.json`
    whole_reads: dict[tuple[int, str, int], ast.Attribute] = {}
    for node in mod.of_type(ast.For, ast.AsyncFor, ast.comprehension, ast.Call, ast.Attribute, ast.Assign, ast.Subscript):
        if isinstance(node, ast.Subscript):
            read = _sliced_lines(mod, node)
            if read is not None:
                yield UNBOUNDED_READ.finding(
                    doc, read, "every line of the file is read to keep a slice of them; "
                    "`collections.deque(f, maxlen=n)` keeps the last n lines, `itertools.islice(f, n)` the first n",
                )
            continue
        if isinstance(node, ast.Assign):
            value = node.value
            if (
                isinstance(value, ast.Call)
                and isinstance(value.func, ast.Attribute)
                and value.func.attr == "readlines"
                and not value.args
                and not value.keywords
                and _bounded_source(mod, value.func.value, node) is False
                and _only_iterated(mod, node)
            ):
                yield UNBOUNDED_READ.finding(
                    doc, value, "`readlines()` loads the whole file, and the list is only iterated; iterate the file"
                )
            elif (
                (handle := _whole_text_lines(value)) is not None
                and _bounded_source(mod, handle, node) is False
                and _only_iterated(mod, node)
            ):
                yield UNBOUNDED_READ.finding(
                    doc, value, "`.read()` loads the whole file before it is split into lines, and the lines are only iterated; iterate the file"
                )
            elif (path := _path_text_lines(mod, value, node)) is not None and _only_iterated(mod, node):
                yield UNBOUNDED_READ.finding(doc, value, _read_text_message(path, "and the lines are only iterated"))
            continue
        if isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
            it = node.iter
            handle = _whole_text_lines(it)
            if handle is not None and _bounded_source(mod, handle, node) is False:
                yield UNBOUNDED_READ.finding(
                    doc, it, "`.read()` loads the whole file before the loop splits it into lines; iterate the file"
                )
                continue
            path = _path_text_lines(mod, it, node)
            if path is not None and not _holds_every_line(doc, node):
                yield UNBOUNDED_READ.finding(doc, it, _read_text_message(path, "before the loop takes them"))
                continue
            if (
                isinstance(it, ast.Call)
                and isinstance(it.func, ast.Attribute)
                and it.func.attr == "readlines"
                and not it.args
                and not it.keywords
                and not _bounded_source(mod, it.func.value, node)
                and not _holds_every_line(doc, node)
            ):
                fix = Fix("Iterate the file directly", (doc.replace_node(it, doc.segment(it.func.value)),))
                yield UNBOUNDED_READ.finding(
                    doc,
                    it,
                    "`readlines()` loads the whole file before the loop starts; iterate the file",
                    fixes=[fix],
                )
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "read":
            if node.args and uploaded_member_read(mod, node, lambda source, at=node: _uploaded(doc, mod, source, at)):
                yield UNBOUNDED_READ.finding(
                    doc, node, "a member of an uploaded archive is read whole: inflated it can be any size (a zip bomb); "
                    "check its `file_size` first, or stream it (`zf.open(member)`)",
                )
                continue
            if node.args or node.keywords:
                continue
            receiver = node.func.value
            streamed = streamed_body(mod, receiver, node)
            if streamed is not None:
                if not (_read_whole_anyway(mod, node) or isinstance(doc.parents.get(node), ast.Attribute)):
                    yield (WHOLE_OBJECT_READ if streamed == "S3 object" else UNBOUNDED_READ).finding(
                        doc, node, f"`.read()` loads the whole {streamed} body into memory; read it in chunks "
                        + ("(`iter_chunks()`, `.read(size)`)" if streamed == "S3 object" else "(`.read(size)`, `shutil.copyfileobj`)"),
                    )
                continue
            if isinstance(receiver, ast.Name):
                receiver = _bound_upload(doc, node, receiver.id) or receiver
            uploaded = _strip_item_access(receiver)
            django_files = _is_django_files(uploaded)
            is_upload = mod.qname(uploaded) == "flask.request.files" or django_files or (
                isinstance(receiver, ast.Name) and _is_upload(doc, node, receiver.id)
            )
            if is_upload and _read_whole_anyway(mod, node):
                continue
            if mod.qname(uploaded) == "flask.request.files":
                yield UNBOUNDED_READ.finding(
                    doc, node, "the whole upload is read into memory; stream it (`.save()` or chunked reads)"
                )
            elif django_files:
                yield UNBOUNDED_READ.finding(
                    doc, node, "the whole upload is read into memory; iterate its `.chunks()`"
                )
            elif isinstance(receiver, ast.Name) and (kind := _upload_annotation(doc, node, receiver.id)):
                how = "iterate its `.chunks()`" if kind == "UploadedFile" else "read it in chunks (`.read(size)`)"
                yield UNBOUNDED_READ.finding(doc, node, f"the whole upload is read into memory; {how}")
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.attr in ("content", "text", "json")
        ):
            if streams is None:
                streams = _stream_assignments(mod)
            origin = _streamed_at(mod, streams, node.value)
            if origin is None and node.attr == "content" and isinstance(node.ctx, ast.Load) and fetched_from_caller(
                    mod, node.value, node) and not _whole_consumer(mod, node):
                yield WHOLE_OBJECT_READ.finding(
                    doc, node, "`.content` holds the whole response of a URL the caller chooses in memory; "
                    "request it with `stream=True` and read `iter_content()` up to a size cap")
            if origin is not None:
                first = whole_reads.get(origin)
                if first is None or (node.lineno, node.col_offset) < (first.lineno, first.col_offset):
                    whole_reads[origin] = node
    for node in sorted(whole_reads.values(), key=lambda n: (n.lineno, n.col_offset)):  # once per response
        yield UNBOUNDED_READ.finding(
            doc,
            node,
            f"the response was requested with `stream=True` but `.{node.attr}` reads the whole body",
        )
