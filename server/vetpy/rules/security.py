"""SEC: security anti-patterns that AI assistants copy from public code.

One pass over the syntax tree per module.  Injection rules ask :mod:`vetpy.dataflow` where a
value comes from and stay silent for values built only from constants (module-level constant
names, constant dicts, allow-list checks): that is where other tools drown their users.
"""

from __future__ import annotations

import ast
import bisect
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import pairwise

from vetpy.astutil import ImportMap, dotted_name, has_star_kwargs, is_constant, keyword, last_name
from vetpy.context import AnalysisContext
from vetpy.dataflow import Hole, ModuleFlow, Scope, Trust, Value, string_parts
from vetpy.document import Document, Range
from vetpy.findings import Finding, Fix, FixSafety, Severity, TextEdit
from vetpy.libraries import (
    DRIVER_STYLES,
    EXCEPTION_RESPONSES,
    HTTP_CLIENT_MODULES,
    HTTP_CLIENTS,
    HTTP_METHODS,
    MESSAGE_METHODS,
    SQL_FUNCTIONS,
    SQL_METHODS,
)
from vetpy.rules.registry import REGISTRY, rule

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef

# ---------------------------------------------------------------------------------------------
# Rule declarations
# ---------------------------------------------------------------------------------------------

SQL_INJECTION = rule(
    code="SEC001",
    name="sql-injection",
    family="SEC",
    severity=Severity.ERROR,
    summary="SQL text built from non-constant strings (f-string, +, %, .format, join) reaches a query call or is built to be run elsewhere.",
    rationale="""Values spliced into SQL text let whoever controls them change the query: read
    other rows, bypass a login, drop a table. Drivers send parameters separately from the
    query text, so pass values as parameters (sqlite3 `?`, psycopg/MySQLdb `%s`, SQLAlchemy
    `:name`). Identifiers (table names, ORDER BY columns) cannot be parameters: map the input
    through a constant allow-list or quote them with the driver's identifier quoting. SQL text
    built with a splice of unknown origin and not executed where it is built (stored, returned,
    passed on) is a warning. Queries assembled only from constants, and prose or log messages
    that start like SQL, are not reported.""",
    bad="""
        cur.execute(f"SELECT * FROM users WHERE name = '{name}'")
        cur.execute(f"SELECT * FROM items WHERE owner = ? ORDER BY {request.args['sort']}", (uid,))
        query = f"SELECT * FROM {table} WHERE id = ?"  # run by the caller
    """,
    good="""
        cur.execute("SELECT * FROM users WHERE name = ?", (name,))
        SORTS = {"name": "name", "date": "created_at"}
        cur.execute(f"SELECT * FROM items WHERE owner = ? ORDER BY {SORTS.get(sort, 'name')}", (uid,))
    """,
    fix_safety=FixSafety.UNSAFE,
    cwe=(89,),
)

COMMAND_INJECTION = rule(
    code="SEC002",
    name="command-injection",
    family="SEC",
    severity=Severity.ERROR,
    summary="A shell command built from non-constant input (os.system, os.popen, shell=True, sh -c).",
    rationale="""The shell interprets `;`, `|`, `$()` and quotes in the command string, so any
    value spliced into it can run other commands. Pass an argument list without a shell
    (`subprocess.run(["ls", path])`), or quote each value with `shlex.quote`.""",
    bad="""
        subprocess.run(f"convert {filename} out.png", shell=True)
        os.system("ping -c 1 " + host)
    """,
    good="""
        subprocess.run(["convert", filename, "out.png"], check=True)
    """,
    fix_safety=FixSafety.UNSAFE,
    cwe=(78,),
)

CODE_INJECTION = rule(
    code="SEC003",
    name="code-injection",
    family="SEC",
    severity=Severity.ERROR,
    summary="eval/exec/compile run code built from untrusted input (request data, input(), sys.argv).",
    rationale="""`eval` and `exec` run arbitrary Python: a value from a request, `input()` or the
    command line becomes code with the program's privileges. Parse data with
    `ast.literal_eval`, `json.loads` or an explicit mapping instead. Code generated from
    values of unknown origin (namedtuple- or dataclass-style code generation) is not
    reported.""",
    bad="""
        result = eval(request.args["expr"])
    """,
    good="""
        result = ast.literal_eval(request.args["expr"])
    """,
    cwe=(94, 95),
)

TEMPLATE_INJECTION = rule(
    code="SEC004",
    name="template-injection",
    family="SEC",
    severity=Severity.ERROR,
    summary="A template is compiled from untrusted or formatted text (render_template_string, jinja2.Template).",
    rationale="""Template languages are code: `{{ config }}` or `{{ ''.__class__.__mro__ }}` in
    user input leaks secrets or runs commands (server-side template injection). Keep the
    template constant and pass values as context variables.""",
    bad="""
        return render_template_string(f"<h1>Hello {name}</h1>")
    """,
    good="""
        return render_template_string("<h1>Hello {{ name }}</h1>", name=name)
    """,
    cwe=(1336, 94),
)

UNSAFE_DESERIALIZATION = rule(
    code="SEC005",
    name="unsafe-deserialization",
    family="SEC",
    severity=Severity.WARNING,
    summary="pickle/shelve/dill/jsonpickle loads, marshal of untrusted input, or yaml.load without a safe loader.",
    rationale="""Unpickling (and `yaml.load` with the full or unsafe loader) can construct
    arbitrary objects and run code chosen by whoever wrote the data. Use `yaml.safe_load`,
    JSON, or sign and verify data before unpickling it.""",
    bad="""
        config = yaml.load(stream, Loader=yaml.Loader)
        obj = pickle.loads(request.data)
    """,
    good="""
        config = yaml.safe_load(stream)
        obj = json.loads(request.data)
    """,
    fix_safety=FixSafety.UNSAFE,
    cwe=(502,),
)

TLS_VERIFICATION = rule(
    code="SEC006",
    name="tls-verification-disabled",
    family="SEC",
    severity=Severity.WARNING,
    summary="TLS certificate or host name verification is turned off (verify=False, CERT_NONE, unverified context).",
    rationale="""Without certificate verification anyone on the network path can impersonate the
    server and read or change the traffic, including credentials. Fix the trust store instead
    (`verify="/path/to/ca.pem"`, `SSL_CERT_FILE`, `truststore`).""",
    bad="""
        requests.get(url, verify=False)
    """,
    good="""
        requests.get(url, verify="/etc/ssl/certs/internal-ca.pem")
    """,
    fix_safety=FixSafety.UNSAFE,
    cwe=(295,),
)

JWT_VERIFICATION = rule(
    code="SEC007",
    name="jwt-not-verified",
    family="SEC",
    severity=Severity.ERROR,
    summary='jwt.decode without an algorithms allow-list, with signature verification disabled, or allowing "none".',
    rationale="""A token whose signature is not checked, or whose algorithm the attacker picks
    ("none", or HS256 with a public key), is just a claim anyone can forge. Pass the key and an
    explicit `algorithms=[...]` list and keep verification on.""",
    bad="""
        claims = jwt.decode(token, options={"verify_signature": False})
        claims = jwt.decode(token, key)
    """,
    good="""
        claims = jwt.decode(token, key, algorithms=["HS256"])
    """,
    fix_safety=FixSafety.UNSAFE,
    cwe=(347,),
)

INSECURE_RANDOM = rule(
    code="SEC008",
    name="insecure-random-secret",
    family="SEC",
    severity=Severity.WARNING,
    summary="The random module generates a token, password, session id or reset code.",
    rationale="""`random` is a Mersenne Twister: its output is predictable after observing about
    600 values, so tokens made with it can be guessed. Use the `secrets` module
    (`secrets.token_urlsafe()`, `secrets.choice`, `secrets.randbelow`).""",
    bad="""
        token = "".join(random.choice(ALPHABET) for _ in range(32))
    """,
    good="""
        token = "".join(secrets.choice(ALPHABET) for _ in range(32))
    """,
    fix_safety=FixSafety.SAFE,
    cwe=(338, 330),
)

WEAK_PASSWORD_HASH = rule(
    code="SEC009",
    name="weak-password-hash",
    family="SEC",
    severity=Severity.WARNING,
    summary="A password is hashed with a fast hash (md5, sha1, sha256, ...) instead of a password hashing function.",
    rationale="""Fast hashes let an attacker with the database try billions of guesses per second
    on a GPU. Store passwords with a slow, salted function: `hashlib.scrypt`,
    `hashlib.pbkdf2_hmac` with a high iteration count, argon2 or bcrypt. Checksums of data and
    `usedforsecurity=False` are not reported.""",
    bad="""
        stored = hashlib.md5(password.encode()).hexdigest()
    """,
    good="""
        salt = os.urandom(16)
        stored = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1)
    """,
    cwe=(916, 328),
)

HARDCODED_SECRET = rule(
    code="SEC010",
    name="hardcoded-secret",
    family="SEC",
    severity=Severity.WARNING,
    summary="A credential (provider key format, private key, password or high-entropy token) is written in the source.",
    rationale="""Secrets in source end up in version control, logs, wheels and AI training sets,
    and cannot be rotated without a release. Read them from the environment or a secret
    manager. Names say what a literal is (password, passwd, pwd, `pass` alone or as `db_pass`,
    secret, token, api_key ...). Placeholders, environment lookups and documentation examples
    are not reported; messages show only a short prefix of the value.""",
    bad="""
        STRIPE_KEY = "sk_live_..."  # a real key
    """,
    good="""
        STRIPE_KEY = os.environ["STRIPE_KEY"]
    """,
    cwe=(798,),
)

EXCEPTION_EXPOSURE = rule(
    code="SEC011",
    name="exception-details-in-response",
    family="SEC",
    severity=Severity.WARNING,
    summary="A traceback or str(exception) is sent to the client in an HTTP response.",
    rationale="""Exception messages and tracebacks reveal file paths, SQL, library versions and
    sometimes secrets to whoever triggers the error. Log the details server-side and return a
    generic message (with a correlation id if useful).""",
    bad="""
        try:
            data = export()
        except Exception as e:
            return jsonify(error=str(e)), 500
    """,
    good="""
        try:
            data = export()
        except Exception:
            log.exception("export failed")
            return jsonify(error="internal error"), 500
    """,
    cwe=(209,),
)

DEBUG_ENABLED = rule(
    code="SEC012",
    name="debug-mode-enabled",
    family="SEC",
    severity=Severity.WARNING,
    summary="Debug mode is switched on in code (app.run(debug=True), Django DEBUG = True in settings).",
    rationale="""Debug mode shows tracebacks, settings and source to visitors, and Werkzeug's
    debugger runs arbitrary Python from the browser. Turn it on from the environment in
    development only.""",
    bad="""
        app.run(debug=True)
    """,
    good="""
        app.run(debug=os.environ.get("FLASK_DEBUG") == "1")
    """,
    cwe=(489,),
)

DEBUG_EXPOSED = rule(
    code="SEC013",
    name="debug-server-exposed",
    family="SEC",
    severity=Severity.ERROR,
    summary="A debug server listens on all interfaces (host='0.0.0.0' with debug=True).",
    rationale="""The Werkzeug debugger executes Python typed into the error page; bound to
    0.0.0.0 it is reachable from the network, which is remote code execution for anyone who
    can reach the port. Bind debug servers to 127.0.0.1.""",
    bad="""
        app.run(host="0.0.0.0", debug=True)
    """,
    good="""
        app.run(host="127.0.0.1", debug=True)
    """,
    cwe=(489, 1327),
)

XSS = rule(
    code="SEC014",
    name="cross-site-scripting",
    family="SEC",
    severity=Severity.ERROR,
    summary="Request input reaches HTML output unescaped (Markup, mark_safe, HTMLResponse, HttpResponse, a Flask route's string), or jinja2 autoescaping is turned off.",
    rationale="""Input written into HTML without escaping runs as script in other users'
    browsers (stealing sessions, acting as them). Render through a template with
    autoescaping, or escape with `markupsafe.escape`/`html.escape`.""",
    bad="""
        @app.route("/hello")
        def hello():
            return f"<p>Hello {request.args['name']}</p>"
    """,
    good="""
        @app.route("/hello")
        def hello():
            return render_template("hello.html", name=request.args["name"])
    """,
    fix_safety=FixSafety.UNSAFE,
    cwe=(79,),
)

PATH_TRAVERSAL = rule(
    code="SEC015",
    name="path-traversal",
    family="SEC",
    severity=Severity.ERROR,
    summary="A file path from request input is opened or sent without normalising and containment checks.",
    rationale="""`../` segments or an absolute path in the input reach files outside the intended
    directory (source, keys, /etc/passwd). Use `send_from_directory`/`safe_join`, or resolve
    the path and check it stays under the base directory (`is_relative_to`).""",
    bad="""
        return send_file(os.path.join(UPLOADS, request.args["name"]))
    """,
    good="""
        return send_from_directory(UPLOADS, request.args["name"])
    """,
    cwe=(22,),
)

SSRF = rule(
    code="SEC016",
    name="server-side-request-forgery",
    family="SEC",
    severity=Severity.ERROR,
    summary="An HTTP request goes to a URL (host) taken from request input.",
    rationale="""The server can be made to call internal services, cloud metadata endpoints
    (169.254.169.254) or arbitrary hosts on an attacker's behalf. Fix the host in code and
    put only paths or parameters from input into the URL, or check the host against an
    allow-list.""",
    bad="""
        resp = requests.get(request.args["url"])
    """,
    good="""
        resp = requests.get(f"https://api.example.com/items/{item_id}")
    """,
    cwe=(918,),
)

OPEN_REDIRECT = rule(
    code="SEC017",
    name="open-redirect",
    family="SEC",
    severity=Severity.WARNING,
    summary="A redirect target comes from request input without checking its host.",
    rationale="""An attacker sends a link to your site that redirects to theirs, borrowing your
    domain's trust for phishing. Redirect only to relative paths or allow-listed hosts
    (`url_has_allowed_host_and_scheme` in Django).""",
    bad="""
        return redirect(request.args["next"])
    """,
    good="""
        target = request.args.get("next", "/")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.host}):
            target = "/"
        return redirect(target)
    """,
    cwe=(601,),
)

INSECURE_TEMPFILE = rule(
    code="SEC018",
    name="insecure-temp-file",
    family="SEC",
    severity=Severity.WARNING,
    summary="tempfile.mktemp returns a name that another process can create first.",
    rationale="""Between `mktemp` choosing a name and the program opening it, another local user
    can create that file or a symlink there (race condition). `tempfile.mkstemp` creates the
    file atomically and returns an open descriptor; `NamedTemporaryFile` wraps it.""",
    bad="""
        path = tempfile.mktemp(suffix=".csv")
    """,
    good="""
        fd, path = tempfile.mkstemp(suffix=".csv")
        os.close(fd)
    """,
    fix_safety=FixSafety.UNSAFE,
    cwe=(377,),
)

WORLD_WRITABLE = rule(
    code="SEC019",
    name="world-writable-permissions",
    family="SEC",
    severity=Severity.WARNING,
    summary="chmod gives write permission to every user (o+w, 0o777, 0o666).",
    rationale="""Any local user or compromised service can then replace the file's contents
    (scripts, configuration, uploads). Grant write access to the owner (and group) only.""",
    bad="""
        os.chmod(path, 0o777)
    """,
    good="""
        os.chmod(path, 0o755)
    """,
    fix_safety=FixSafety.UNSAFE,
    cwe=(732,),
)

XML_ENTITIES = rule(
    code="SEC020",
    name="xml-entity-expansion",
    family="SEC",
    severity=Severity.WARNING,
    summary="Untrusted XML is parsed with a parser open to entity expansion or external entities.",
    rationale="""Crafted XML can expand entities exponentially (billion laughs) or, with lxml and
    some configurations, read local files and reach internal URLs (XXE). Parse untrusted XML
    with `defusedxml` (same API), or lxml with `resolve_entities=False, no_network=True`.""",
    bad="""
        root = ET.fromstring(request.data)
    """,
    good="""
        import defusedxml.ElementTree as ET
        root = ET.fromstring(request.data)
    """,
    cwe=(611, 776),
)

SEC_CODES = tuple(f"SEC{n:03d}" for n in range(1, 21))

# ---------------------------------------------------------------------------------------------
# Checker
# ---------------------------------------------------------------------------------------------


@REGISTRY.checker(*SEC_CODES)
def check_security(doc: Document, ctx: AnalysisContext) -> Iterable[Finding]:
    tree = doc.tree
    if tree is None:
        return []
    return list(_Checker(doc, tree).run())


_INTERESTING = (ast.Call, ast.Assign, ast.AnnAssign, ast.Constant, ast.Return, ast.FunctionDef, ast.AsyncFunctionDef)
# node, enclosing function, ancestors, header only (a compound statement without its bodies)
Root = tuple[ast.AST, "FunctionNode | None", list[ast.AST], bool]

# Words (lower case) on a line that can start a finding in a module that does not use a web
# framework; modules that do are walked in full (their handlers' returns and parameters matter).
_TRIGGER_WORDS = (
    "execute", ".raw(", "read_sql", "mogrify", "select ", "select\n", "insert into", "delete from", "update ",
    "system", "popen", "subprocess", "getoutput", "template", "from_string", "pickle", "unpickler", "shelve",
    "dill", "yaml", "_create_unverified_context", "https_context", "cert_reqs", "cert_none", "jwt", "jose",
    "random", "hashlib", "crypt", "run_simple", "mktemp", "chmod", "autoescape", "environment(", " values (", " values(",
)
# only relevant with untrusted input, which outside web modules means input() or sys.argv
_UNTRUSTED_TRIGGER_WORDS = ("eval(", "exec(", "compile(", "marshal", "etree", "minidom", "pulldom", "sax", "fromstring", "parsestring")


_SECRET_WORDS_LOWER = ("pass", "pwd", "passphrase", "secret", "token", "credential", "key")
# `password = "..."`, `d["password"] = "..."`, `password: str = "..."`, `password = safe = "..."`
_SECRET_TAIL = re.compile(r"\w*[\"']?\]?\s*(?:[:=]|==|!=)[^\n\"']*[\"']")
_FLAG_WORDS = ("debug", "use_debugger", "verify", "ssl", "check_hostname")
_FLAG_TAIL = re.compile(r"\s*=\s*(?:true|false)\b")
# literal text every provider pattern in _PROVIDERS contains (the connection-string one: "@")
_PROVIDER_PREFIXES = (
    "AKIA", "ASIA", "ABIA", "ACCA", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "_live_", "xox",
    "hooks.slack", "AIza", "sk-", "SG.", "-us", "pypi-AgE", "PRIVATE KEY", "eyJ", "@",
)


def _find_all(text: str, word: str) -> list[int]:
    found: list[int] = []
    i = text.find(word)
    while i != -1:
        found.append(i)
        i = text.find(word, i + len(word))
    return found


def _trigger_offsets(text: str, words: Iterable[str]) -> list[int]:
    """Offsets of every trigger word (case-insensitive), secret-like or flag assignment
    (``password = "..."``, ``verify=False``) and provider key prefix."""
    low = text.lower()
    offsets: list[int] = []
    for word in words:
        offsets += _find_all(low, word)
    for word in _SECRET_WORDS_LOWER:
        offsets += [i for i in _find_all(low, word) if _SECRET_TAIL.match(low, i + len(word))]
    for word in _FLAG_WORDS:
        offsets += [i for i in _find_all(low, word) if _FLAG_TAIL.match(low, i + len(word))]
    for prefix in _PROVIDER_PREFIXES:
        offsets += _find_all(text, prefix)
    return offsets


# A line start is also just after a lone CR (old Mac line endings), which `^` does not know.
_IMPORT_LINE = re.compile(r"(?:^|(?<=\r))[ \t]*(?:from[ \t]+\S+[ \t]+)?import[ \t]", re.MULTILINE)


def _collect(roots: list[Root]) -> tuple[list[tuple[ast.AST, FunctionNode | None]], dict[ast.AST, ast.AST]]:
    """Walk the subtrees under ``roots``: the nodes the rules look at (with their enclosing
    function) and a parent map (including the roots' ancestors)."""
    found: list[tuple[ast.AST, FunctionNode | None]] = []
    parents: dict[ast.AST, ast.AST] = {}
    stack: list[tuple[ast.AST, FunctionNode | None]] = []
    headers: set[int] = set()
    for root, func, chain, header in roots:
        for parent, child in zip(chain, chain[1:] + [root]):
            parents[child] = parent
        stack.append((root, func))
        if header:
            headers.add(id(root))
    pop, push, record = stack.pop, stack.append, found.append
    while stack:
        node, func = pop()
        skip = _BODIES if headers and id(node) in headers else ()
        if isinstance(node, _INTERESTING):
            record((node, func))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for dec in node.decorator_list:
                parents[dec] = node
                push((dec, func))
            inner: FunctionNode | None = node
        elif isinstance(node, ast.ClassDef):
            inner = None
        else:
            inner = func
        for field in node._fields:
            if field in skip:
                continue
            value = getattr(node, field, None)
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, ast.AST) and field != "decorator_list":
                        parents[item] = node
                        push((item, inner))
            elif isinstance(value, ast.AST):
                parents[value] = node
                push((value, inner))
        if isinstance(node, ast.ClassDef):
            for dec in node.decorator_list:
                parents[dec] = node
                push((dec, func))
    return found, parents


_BODIES = ("body", "orelse", "finalbody", "handlers", "cases")


def _statements_at(tree: ast.Module, lines: Iterable[int]) -> list[Root]:
    """The innermost statements (or except/case clauses) containing each line, with their
    enclosing function and ancestors; a statement inside another one returned is dropped."""
    roots: dict[int, Root] = {}
    for line in sorted(set(lines)):
        chain: list[ast.AST] = [tree]
        while (child := _child_statement_at(chain[-1], line)) is not None:
            chain.append(child)
        if len(chain) == 1 or any(id(a) in roots and not roots[id(a)][3] for a in chain[1:]):
            continue  # between statements, or inside a statement already walked
        node = chain[-1]
        body = getattr(node, "body", None)
        header = isinstance(body, list) and bool(body) and line < _first_line(body[0])
        if isinstance(body, list) and body and not header:
            continue  # a comment, blank line or bare `else:` between the statements of a block
        if id(node) in roots and (header or not roots[id(node)][3]):
            continue  # already there (a header root is upgraded when a later line needs its bodies)
        roots[id(node)] = (node, _function_of(chain[:-1]), chain[:-1], header)
    return list(roots.values())


def _function_of(chain: list[ast.AST]) -> FunctionNode | None:
    for node in reversed(chain):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return node
        if isinstance(node, ast.ClassDef):
            return None
    return None


def _child_statement_at(node: ast.AST, line: int) -> ast.AST | None:
    for field in _BODIES:
        body = getattr(node, field, None)
        if not body:
            continue
        idx = bisect.bisect_right(body, line, key=_first_line) - 1
        if idx >= 0:
            stmt = body[idx]
            last = stmt.body[-1] if isinstance(stmt, ast.match_case) else stmt
            if line <= (last.end_lineno or 0):
                return stmt
    return None


def _first_line(stmt: ast.AST) -> int:
    return stmt.pattern.lineno if isinstance(stmt, ast.match_case) else stmt.lineno  # type: ignore[attr-defined]


class _Checker:
    """One module's security pass.  ``full``: walk every statement instead of only those on
    lines with a trigger word (the result must be the same; tests compare both)."""

    def __init__(self, doc: Document, tree: ast.Module, full: bool = False) -> None:
        self.doc = doc
        self.tree = tree
        import_lines = [doc.position(m.start())[0] for m in _IMPORT_LINE.finditer(doc.text)]
        import_nodes = [n for n, _, _, _ in _statements_at(tree, import_lines) if isinstance(n, (ast.Import, ast.ImportFrom))]
        self.imports = ImportMap.from_tree(ast.Module(body=import_nodes, type_ignores=[]))
        self.flow = ModuleFlow(tree, self.imports, source=doc.text)
        self.modules = {m.split(".")[0] for m in self.imports.names.values()}
        if self.flow.web or full:
            roots: list[Root] = [(tree, None, [], False)]
        else:
            aliases = [local.lower() for local, target in self.imports.names.items() if local != target.split(".")[-1] or "." in target]
            words = _TRIGGER_WORDS + tuple(aliases)
            if "input(" in doc.text or "argv" in doc.text:
                words += _UNTRUSTED_TRIGGER_WORDS
            if "sqlalchemy" in self.modules:
                words += ("text(",)
            offsets = _trigger_offsets(doc.text, words)
            roots = _statements_at(tree, {doc.position(o)[0] for o in offsets})
        self.nodes, self.parents = _collect(roots)

    def qualified(self, node: ast.AST) -> str | None:
        name = self.flow.qualified(node)
        if name is None and isinstance(node, ast.Name) and node.id in _BUILTIN_SINKS and node.id not in self.imports.names:
            return node.id
        return name

    def ancestors(self, node: ast.AST) -> list[ast.AST]:
        """Enclosing nodes of ``node``, outermost first."""
        chain: list[ast.AST] = []
        cur = self.parents.get(node)
        while cur is not None:
            chain.append(cur)
            cur = self.parents.get(cur)
        chain.reverse()
        return chain

    def run(self) -> Iterator[Finding]:
        for node, func in self.nodes:
            if isinstance(node, ast.Call):
                yield from self._call(node, func, self.ancestors(node))
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                yield from self._assign(node, func, self.ancestors(node))
            elif isinstance(node, ast.Constant):
                if isinstance(node.value, str):
                    yield from self._string(node, [self.parents[node]] if node in self.parents else [])
            elif isinstance(node, ast.Return):
                if node.value is not None and func is not None:
                    yield from self._return(node, func, self.ancestors(node))
            else:
                yield from self._defaults(node)  # type: ignore[arg-type]

    # -- calls ---------------------------------------------------------------------------
    def _call(self, call: ast.Call, func: FunctionNode | None, ancestors: list[ast.AST]) -> Iterator[Finding]:
        name = self.qualified(call.func)
        attr = call.func.attr if isinstance(call.func, ast.Attribute) else None
        if attr in SQL_METHODS or name in SQL_FUNCTIONS:
            yield from self._sql(call, name, func, ancestors)
        elif call.args or call.keywords:
            yield from self._sql_in_argument(call, name, attr, func, ancestors)
        if name in SHELL_FUNCTIONS or (name or "").startswith("subprocess."):
            yield from self._command(call, name or "", func, ancestors)
        if name in {"eval", "exec", "compile"}:
            yield from self._code(call, name, func, ancestors)
        if name in {"jinja2.Environment", "jinja2.Template"}:
            yield from self._autoescape(call, name)
        if name in TEMPLATE_FUNCTIONS or (attr == "from_string" and "jinja2" in self.modules):
            yield from self._template(call, name or "from_string", func, ancestors)
        if name in DESERIALIZERS or name in YAML_LOADERS:
            yield from self._deserialize(call, name, func, ancestors)
        yield from self._tls_call(call, name, attr)
        if name in {"jwt.decode", "jose.jwt.decode"}:
            yield from self._jwt(call)
        if name in HASH_FUNCTIONS and self._is_password_hash(call, func, ancestors):
            yield WEAK_PASSWORD_HASH.finding(
                self.doc, call, f"`{name}` is a fast hash; passwords need a slow salted hash (hashlib.scrypt, pbkdf2_hmac, argon2, bcrypt)"
            )
        if name == "crypt.crypt":
            salt = call.args[1] if len(call.args) > 1 else (kw.value if (kw := keyword(call, "salt")) else None)
            method = (dotted_name(salt) or "").rsplit(".", 1)[-1] if salt is not None else ""
            if method in {"METHOD_CRYPT", "METHOD_MD5"}:
                yield WEAK_PASSWORD_HASH.finding(
                    self.doc, salt, f"`crypt.{method}` is a weak password hash (DES or MD5-crypt); use METHOD_SHA512, or scrypt, argon2, bcrypt"  # type: ignore[arg-type]
                )
        if attr == "run" or name == "werkzeug.serving.run_simple":
            yield from self._debug_run(call, func, ancestors)
        if func is not None:
            yield from self._web_sinks(call, name, attr, func, ancestors)
            if (name in EXCEPTION_RESPONSES or attr == "HTTPException") and self.flow.handler(func):
                yield from self._exposure_in(call, func, ancestors)
        if name == "tempfile.mktemp":
            yield INSECURE_TEMPFILE.finding(
                self.doc, call, "`tempfile.mktemp` is racy: another process can create the file first; use `tempfile.mkstemp`",
                fixes=self._mkstemp_fix(call, func, ancestors),
            )
        if name in CHMOD_FUNCTIONS or (attr == "chmod" and name is None):
            yield from self._chmod(call, name)

    # SQL ---------------------------------------------------------------------------------
    def _sql(self, call: ast.Call, name: str | None, func: FunctionNode | None, ancestors: list[ast.AST]) -> Iterator[Finding]:
        query = call.args[0] if call.args else (keyword(call, "sql") or keyword(call, "query") or keyword(call, "statement"))
        if isinstance(query, ast.keyword):
            query = query.value
        if query is None or isinstance(query, ast.Starred):
            return
        if isinstance(query, ast.Call) and self.qualified(query.func) in SQL_FUNCTIONS - {"pandas.read_sql", "pandas.read_sql_query"}:
            return  # execute(text(...)): the text() call is checked itself
        scope = self.flow.scope(func)
        value = scope.value(query, call, ancestors)
        risk = value.risk("sql")
        if risk is Trust.CONSTANT:
            return
        parts, origin = self._query_parts(query, scope, call, ancestors)
        untrusted_whole = risk is Trust.UNTRUSTED and not value.formatted
        if not value.formatted and not untrusted_whole:
            return
        if parts is not None and not _looks_like_sql(parts):
            return
        if parts is None and not untrusted_whole and not self._bindings_look_like_sql(query, scope):
            return
        callee = _callee_text(self.doc, call)
        bad_holes = [h for h in (parts or []) if isinstance(h, Hole) and scope.value(h.expr, call, ancestors).risk("sql") is not Trust.CONSTANT]
        where = f"`{_short(self.doc.segment(bad_holes[0].expr))}`" if bad_holes else "a non-constant value"
        source = f" (from {value.source})" if value.source and risk is Trust.UNTRUSTED else ""
        identifier = any(not _value_position(parts or [], h) for h in bad_holes)
        advice = (
            "identifiers cannot be parameters: pick them from a constant allow-list"
            if identifier
            else "pass values as query parameters"
        )
        if untrusted_whole:
            message = f"SQL text from request input{source} is executed by `{callee}`; never run client-supplied SQL"
        else:
            message = f"SQL built by string formatting with {where}{source} reaches `{callee}`; {advice}"
        fixes = [] if identifier or untrusted_whole else self._sql_fix(call, query, origin, parts or [], name, scope, ancestors)
        finding = SQL_INJECTION.finding(self.doc, query, message, fixes=fixes)
        yield finding if risk is Trust.UNTRUSTED or bad_holes else finding.with_severity(Severity.WARNING)

    def _query_parts(
        self, query: ast.expr, scope: Scope, call: ast.Call, ancestors: list[ast.AST]
    ) -> tuple[list[str | Hole] | None, ast.expr | None]:
        """Literal text and holes of the query, following a variable to its assignment; and the node they came from."""
        parts = string_parts(query)
        if parts is not None:
            return parts, query
        if isinstance(query, ast.Name):
            bound = scope.single_assignment(query.id) or scope.reaching_assignment(query.id, call, ancestors)
            if bound is not None and (parts := string_parts(bound)) is not None:
                return parts, bound
        return None, None

    def _bindings_look_like_sql(self, query: ast.expr, scope: Scope) -> bool:
        if not isinstance(query, ast.Name):
            return False
        for bound in scope.bindings.get(query.id, []):
            if bound is not None:
                for node in ast.walk(bound):
                    if isinstance(node, ast.Constant) and isinstance(node.value, str) and _SQL_START.match(node.value):
                        return True
        return False

    def _sql_assembled(
        self, name: str | None, value: ast.expr, func: FunctionNode | None, stmt: ast.AST, ancestors: list[ast.AST], where: str = "not executed here"
    ) -> Iterator[Finding]:
        """``query = "... WHERE id = '%s'" % ident`` (or such text returned or passed to a call that
        is not a query call): SQL text with a non-constant splice that is not executed here.  The
        text must be a statement (``SELECT ... FROM``, ``INSERT INTO`` ...), not prose."""
        parts = string_parts(value)
        if parts is None or not any(isinstance(p, Hole) for p in parts) or not _sql_statement(parts):
            return
        scope = self.flow.scope(func)
        holes = [
            (h, v)
            for h in parts
            if isinstance(h, Hole) and (v := scope.value(h.expr, stmt, ancestors)).risk("sql") is not Trust.CONSTANT
        ]
        values = [h for h, _ in holes if _value_position(parts, h)]
        untrusted = [(h, v) for h, v in holes if v.risk("sql") is Trust.UNTRUSTED]
        # an identifier of unknown origin alone (the least certain case): only a plain reference to
        # a value not assembled here (not `", ".join(quoted(c) for c in cols)`, directly or through
        # a variable), and not a fragment of SQL
        identifiers = [
            h for h, v in holes if isinstance(h.expr, (ast.Name, ast.Attribute, ast.Subscript)) and not v.formatted and not _sql_fragment(h.expr)
        ]
        if not (values or untrusted or identifiers):
            return
        root = func if func is not None else self.tree
        for node in ast.walk(root):
            if (
                name is not None
                and isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in SQL_METHODS
                and any(isinstance(a, ast.Name) and a.id == name for a in node.args[:1])
            ):
                return  # reported where it is executed
        if values:
            message = f"SQL text built by string formatting with `{_short(self.doc.segment(values[0].expr))}` in a value position ({where}); pass values as query parameters"
        elif untrusted:
            hole, v = untrusted[0]
            message = f"SQL text built with `{_short(self.doc.segment(hole.expr))}` from {v.source or 'request input'} ({where}); identifiers cannot be parameters: pick them from a constant allow-list"
        else:
            message = (
                f"SQL text built with `{_short(self.doc.segment(identifiers[0].expr))}` spliced in as an identifier ({where}); "
                "identifiers cannot be parameters: pick them from a constant allow-list or quote them with the driver's identifier quoting"
            )
        finding = SQL_INJECTION.finding(self.doc, value, message)
        yield finding if untrusted else finding.with_severity(Severity.WARNING)

    def _sql_in_argument(self, call: ast.Call, name: str | None, attr: str | None, func: FunctionNode | None, ancestors: list[ast.AST]) -> Iterator[Finding]:
        """SQL text built in an argument of a call that is not a query call (``run(f"SELECT ...")``);
        messages for people (print, logging, warnings, exceptions) and a test's expected text
        (``assert_compile(stmt, "SELECT ...")``) are not queries."""
        callee = name or dotted_name(call.func) or attr or ""
        last = callee.rsplit(".", 1)[-1]
        if callee in _MESSAGE_FUNCTIONS or attr in MESSAGE_METHODS or last.endswith(("Error", "Exception", "Warning")) or last.startswith("assert"):
            return  # messages for people, and a test's expected text
        for arg in [*call.args, *(k.value for k in call.keywords)]:
            if isinstance(arg, (ast.JoinedStr, ast.BinOp, ast.Call)):
                yield from self._sql_assembled(None, arg, func, call, [*ancestors, call], f"passed to `{_callee_text(self.doc, call)}`")

    def _placeholder_style(self, name: str | None) -> str | None:
        if name in {"sqlalchemy.text", "sqlalchemy.sql.text", "sqlalchemy.sql.expression.text"}:
            return ":name"
        styles = {
            style
            for target in self.imports.names.values()
            for module, style in DRIVER_STYLES.items()
            if target == module or target.startswith(module + ".")
        }
        return styles.pop() if len(styles) == 1 else None

    def _sql_fix(
        self,
        call: ast.Call,
        query: ast.expr,
        origin: ast.expr | None,
        parts: list[str | Hole],
        name: str | None,
        scope: Scope,
        ancestors: list[ast.AST],
    ) -> list[Fix]:
        style = self._placeholder_style(name)
        if style is None or origin is None or len(call.args) != 1 or call.keywords:
            return []
        text_call = style == ":name"
        if text_call:
            # conn.execute(text(f"...")): the parameters go to the enclosing execute call
            outer = ancestors[-1] if ancestors else None
            if not (
                isinstance(outer, ast.Call)
                and isinstance(outer.func, ast.Attribute)
                and outer.func.attr == "execute"
                and len(outer.args) == 1
                and outer.args[0] is call
                and not outer.keywords
            ):
                return []
        built = _parameterize(parts, style, scope, self.doc)
        if built is None:
            return []
        literal, params = built
        if origin is not query:
            # q = f"..." then execute(q): move the values only when nothing can rebind them
            assert isinstance(query, ast.Name)
            if not all(isinstance(h, ast.Name) and len(scope.bindings.get(h.id, [])) <= 1 for h in (p.expr for p in parts if isinstance(p, Hole))):
                return []
            if _load_count(scope, query.id) != 1:
                return []
        edits = [self.doc.replace_node(origin, literal)]
        if text_call:
            edits.append(TextEdit(*_end(self.doc, call), ", " + params))
        elif origin is query:
            edits[0] = self.doc.replace_node(origin, literal + ", " + params)
        else:
            edits.append(TextEdit(*_end(self.doc, query), ", " + params))
        return [Fix(title=f"Use a parameterized query ({style} placeholders)", edits=tuple(edits), preferred=True)]

    # commands --------------------------------------------------------------------------
    def _command(self, call: ast.Call, name: str, func: FunctionNode | None, ancestors: list[ast.AST]) -> Iterator[Finding]:
        if not call.args:
            return
        command = call.args[0]
        shell_kw = keyword(call, "shell")
        # shell=<parameter> forwards the caller's choice (a wrapper): only a literal true value counts
        uses_shell = name in SHELL_FUNCTIONS or (shell_kw is not None and isinstance(shell_kw.value, ast.Constant) and bool(shell_kw.value.value))
        scope = self.flow.scope(func)
        if not uses_shell:
            # subprocess.run(["sh", "-c", f"... {x}"])
            if isinstance(command, (ast.List, ast.Tuple)) and len(command.elts) >= 3:
                first, flag = command.elts[0], command.elts[1]
                if (
                    isinstance(first, ast.Constant)
                    and str(first.value).rsplit("/", 1)[-1] in {"sh", "bash", "zsh", "dash", "ksh"}
                    and is_constant(flag, "-c")
                ):
                    script = command.elts[2]
                    value = scope.value(script, call, ancestors)
                    if value.risk("shell") is not Trust.CONSTANT and (value.formatted or value.trust is Trust.UNTRUSTED):
                        yield COMMAND_INJECTION.finding(self.doc, script, f"shell script built from {_describe(value)} runs under `{first.value} -c`; pass arguments without a shell")
            return
        value = scope.value(command, call, ancestors)
        risk = value.risk("shell")
        if risk is Trust.CONSTANT or isinstance(command, (ast.List, ast.Tuple)):
            return
        callee = _callee_text(self.doc, call)
        how = "`shell=True`" if name.startswith("subprocess.") else f"`{callee}` (runs a shell)"
        message = f"command built from {_describe(value)} is run through {how}; pass an argument list without a shell, or quote with shlex.quote"
        fixes = self._shell_fix(call, command, shell_kw, scope) if name in SUBPROCESS_LIST_FUNCTIONS and shell_kw is not None else []
        finding = COMMAND_INJECTION.finding(self.doc, command, message, fixes=fixes)
        yield finding if risk is Trust.UNTRUSTED or value.formatted else finding.with_severity(Severity.WARNING)

    def _shell_fix(self, call: ast.Call, command: ast.expr, shell_kw: ast.keyword, scope: Scope) -> list[Fix]:
        parts = string_parts(command)
        if parts is None or not is_constant(shell_kw.value, True):
            return []
        elements: list[str] = []
        for i, part in enumerate(parts):
            if isinstance(part, str):
                if _SHELL_META.search(part):
                    return []
                elements.extend(repr(token) for token in part.split())
                continue
            before = parts[i - 1] if i else " "
            after = parts[i + 1] if i + 1 < len(parts) else " "
            if not part.plain or not (isinstance(before, str) and before[-1:].isspace()) or not (isinstance(after, str) and after[:1].isspace()):
                return []
            text = self.doc.segment(part.expr)
            elements.append(text if scope.value(part.expr).trust is Trust.UNTRUSTED else f"str({text})")
        if not elements:
            return []
        edits = (self.doc.replace_node(command, "[" + ", ".join(elements) + "]"), _remove_keyword(self.doc, call, shell_kw))
        return [Fix(title="Pass an argument list without a shell", edits=edits, preferred=True)]

    # code and templates ------------------------------------------------------------------
    def _code(self, call: ast.Call, name: str, func: FunctionNode | None, ancestors: list[ast.AST]) -> Iterator[Finding]:
        if not call.args:
            return
        value = self.flow.scope(func).value(call.args[0], call, ancestors)
        if value.trust is Trust.UNTRUSTED:
            yield CODE_INJECTION.finding(
                self.doc, call.args[0], f"`{name}` runs code built from {_describe(value)}; parse data with ast.literal_eval or json instead"
            )

    def _template(self, call: ast.Call, name: str, func: FunctionNode | None, ancestors: list[ast.AST]) -> Iterator[Finding]:
        source = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg in {"source", "text"}), None)
        if source is None:
            return
        value = self.flow.scope(func).value(source, call, ancestors)
        if value.trust is Trust.UNTRUSTED or value.formatted:
            yield TEMPLATE_INJECTION.finding(
                self.doc, source, f"template source built from {_describe(value)} is compiled by `{name.rsplit('.', 1)[-1]}`; keep the template constant and pass values as variables"
            )

    def _autoescape(self, call: ast.Call, name: str) -> Iterator[Finding]:
        """``jinja2.Environment(autoescape=False)``: every ``{{ value }}`` lands in HTML unescaped.

        Without the keyword autoescaping is off too (jinja2's default); that is reported for an
        ``Environment`` that loads template files (``loader=``) or lives in a web module, where
        templates are pages.  A bare ``Environment()`` in other code usually renders text."""
        kw = keyword(call, "autoescape")
        if kw is None:
            if (
                name == "jinja2.Environment"
                and len(call.args) <= _AUTOESCAPE_POSITION
                and not has_star_kwargs(call)
                and (keyword(call, "loader") is not None or self.flow.web)
            ):
                finding = XSS.finding(
                    self.doc, call, "jinja2 does not autoescape unless told to: values rendered into HTML templates are not escaped; pass `autoescape=select_autoescape()`",
                    fixes=self._autoescape_fix(call),
                )
                yield finding.with_severity(Severity.WARNING)
            return
        value = kw.value
        if isinstance(value, ast.Name) and value.id in self.flow.constants:
            bound = self.flow.scope(None).single_assignment(value.id)
            value = bound if bound is not None else value
        if isinstance(value, ast.Constant) and not value.value and not isinstance(value.value, (int, float)) or is_constant(value, False):
            yield XSS.finding(self.doc, call, "jinja2 autoescaping is off: values rendered into HTML templates are not escaped; use `autoescape=select_autoescape()`")

    def _autoescape_fix(self, call: ast.Call) -> list[Fix]:
        """Add ``autoescape=select_autoescape()``: on for .html/.htm/.xml templates and
        ``from_string`` templates, unchanged for other file names."""
        local = next((n for n, target in self.imports.names.items() if target == "jinja2.select_autoescape"), None)
        module = next((n for n, target in self.imports.names.items() if target == "jinja2"), None)
        edits: list[TextEdit] = []
        if local is None and module is not None:
            local = f"{module}.select_autoescape"
        elif local is None:
            local = "select_autoescape"
            edits.append(_import_edit(self.doc, self.tree, "from jinja2 import select_autoescape"))
        items = [*call.args, *call.keywords]
        if items:
            last = max(items, key=lambda n: (n.end_lineno or 0, n.end_col_offset or 0))
            edits.insert(0, TextEdit(*_end(self.doc, last), f", autoescape={local}()"))
        else:
            _, _, line, col = self.doc.node_range(call)
            edits.insert(0, TextEdit(line, col - 1, line, col - 1, f"autoescape={local}()"))
        return [Fix("Autoescape HTML and XML templates (select_autoescape)", tuple(edits), preferred=True)]

    # deserialization ---------------------------------------------------------------------
    def _deserialize(self, call: ast.Call, name: str, func: FunctionNode | None, ancestors: list[ast.AST]) -> Iterator[Finding]:
        if (call.args and isinstance(call.args[0], ast.Constant)) or not (call.args or call.keywords):
            return  # a literal document, or no data at all
        if name.startswith("marshal.") and not (
            call.args and self.flow.scope(func).value(call.args[0], call, ancestors).trust is Trust.UNTRUSTED
        ):
            return  # marshal reads code objects the interpreter wrote (pyc files): only untrusted input counts
        short = name.replace("_pickle.", "pickle.").replace("cPickle.", "pickle.")
        if name in YAML_LOADERS:
            loader = keyword(call, "Loader")
            loader_node = loader.value if loader else (call.args[1] if len(call.args) > 1 else None)
            if name in {"yaml.load", "yaml.load_all"}:
                if loader_node is None and has_star_kwargs(call):
                    return
                if loader_node is not None and (dotted_name(loader_node) or "").split(".")[-1] in SAFE_YAML_LOADERS:
                    return
            safe = "yaml.safe_load_all" if name.endswith("_all") else "yaml.safe_load"
            yield UNSAFE_DESERIALIZATION.finding(
                self.doc, call, f"`{short}` without a safe loader can construct arbitrary Python objects; use `{safe}`",
                fixes=self._yaml_fix(call, safe.split(".")[1]),
            )
            return
        yield UNSAFE_DESERIALIZATION.finding(
            self.doc, call, f"`{short}` can run code chosen by whoever wrote the data; use JSON, or verify a signature before loading"
        )

    def _yaml_fix(self, call: ast.Call, safe: str) -> list[Fix]:
        if not isinstance(call.func, ast.Attribute) or not call.args or isinstance(call.args[0], ast.Starred):
            return []
        extra = [k for k in call.keywords if k.arg != "Loader"]
        if extra or len(call.args) > 2:
            return []
        text = f"{self.doc.segment(call.func.value)}.{safe}({self.doc.segment(call.args[0])})"
        return [Fix(title=f"Use yaml.{safe}", edits=(self.doc.replace_node(call, text),), preferred=True)]

    # TLS ---------------------------------------------------------------------------------
    def _tls_call(self, call: ast.Call, name: str | None, attr: str | None) -> Iterator[Finding]:
        if name in {"ssl._create_unverified_context", "ssl._create_stdlib_context"} and name.endswith("unverified_context"):
            yield TLS_VERIFICATION.finding(self.doc, call, "`ssl._create_unverified_context()` skips certificate and host name checks; use `ssl.create_default_context()`")
            return
        http = (name or "").split(".")[0] in HTTP_CLIENT_MODULES or (
            attr in HTTP_METHODS | {"Client", "AsyncClient", "Session", "request", "send", "stream", "mount"} and self.modules & HTTP_CLIENT_MODULES
        )
        for kw in call.keywords:
            if kw.arg == "verify" and is_constant(kw.value, False) and http:
                yield TLS_VERIFICATION.finding(
                    self.doc, kw, "`verify=False` turns off TLS certificate checks; anyone on the network path can read and change the traffic",
                    fixes=[Fix("Remove verify=False (verify certificates)", (_remove_keyword(self.doc, call, kw),), preferred=True)],
                )
            elif kw.arg in {"ssl", "verify_ssl"} and is_constant(kw.value, False) and "aiohttp" in self.modules:
                yield TLS_VERIFICATION.finding(
                    self.doc, kw, f"`{kw.arg}=False` turns off TLS certificate checks in aiohttp",
                    fixes=[Fix(f"Remove {kw.arg}=False (verify certificates)", (_remove_keyword(self.doc, call, kw),), preferred=True)],
                )
            elif kw.arg == "cert_reqs" and (is_constant(kw.value, "CERT_NONE") or (dotted_name(kw.value) or "").endswith("CERT_NONE")):
                yield TLS_VERIFICATION.finding(self.doc, kw, "`cert_reqs=CERT_NONE` turns off TLS certificate checks")

    # JWT ---------------------------------------------------------------------------------
    def _jwt(self, call: ast.Call) -> Iterator[Finding]:
        options = keyword(call, "options")
        if options is not None and isinstance(options.value, ast.Dict):
            for k, v in zip(options.value.keys, options.value.values):
                if k is not None and is_constant(k, "verify_signature") and is_constant(v, False):
                    yield JWT_VERIFICATION.finding(self.doc, options, "`jwt.decode` with `verify_signature: False` accepts forged tokens")
                    return
        verify = keyword(call, "verify")
        if verify is not None and is_constant(verify.value, False):
            yield JWT_VERIFICATION.finding(self.doc, verify, "`jwt.decode(verify=False)` accepts forged tokens")
            return
        algorithms = keyword(call, "algorithms")
        if algorithms is None:
            if has_star_kwargs(call) or len(call.args) >= 3:
                return
            yield JWT_VERIFICATION.finding(
                self.doc, call, "`jwt.decode` without `algorithms=[...]` lets the token choose its algorithm; pass an explicit allow-list",
                fixes=self._jwt_fix(call),
            )
            return
        for node in ast.walk(algorithms.value):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.lower() == "none":
                yield JWT_VERIFICATION.finding(self.doc, node, 'the "none" algorithm accepts unsigned tokens')
                return
            if isinstance(node, ast.Call) and (dotted_name(node.func) or "").endswith("get_unverified_header"):
                yield JWT_VERIFICATION.finding(self.doc, algorithms.value, "the accepted algorithm is read from the unverified token; pass a fixed allow-list")
                return

    def _jwt_fix(self, call: ast.Call) -> list[Fix]:
        has_key = len(call.args) >= 2 or keyword(call, "key") is not None
        if not has_key:
            return []
        last = max(call.args + [k.value for k in call.keywords], key=lambda n: (n.end_lineno or 0, n.end_col_offset or 0))
        return [Fix('Accept only HS256 (adjust to the algorithm you sign with)', (TextEdit(*_end(self.doc, last), ', algorithms=["HS256"]'),))]

    # hashing -----------------------------------------------------------------------------
    def _is_password_hash(self, call: ast.Call, func: FunctionNode | None, ancestors: list[ast.AST]) -> bool:
        used = keyword(call, "usedforsecurity")
        if used is not None and is_constant(used.value, False):
            return False
        args = call.args[1:] if self.qualified(call.func) == "hashlib.new" else call.args
        if self.qualified(call.func) == "hashlib.new" and not (call.args and isinstance(call.args[0], ast.Constant) and str(call.args[0].value).lower().replace("-", "") in FAST_HASH_NAMES):
            return False
        if any(_mentions_password(a) for a in args):
            return True
        # hashlib.md5(x).hexdigest() assigned to a password-ish name / returned by hash_password()
        for anc in reversed(ancestors):
            if isinstance(anc, (ast.Assign, ast.AnnAssign)):
                targets = anc.targets if isinstance(anc, ast.Assign) else [anc.target]
                return any(_password_name(_target_name(t)) for t in targets)
            if isinstance(anc, ast.Return):
                return func is not None and _password_name(func.name) and "hash" in func.name.lower()
            if isinstance(anc, ast.stmt):
                return False
        return False

    # debug -------------------------------------------------------------------------------
    def _debug_run(self, call: ast.Call, func: FunctionNode | None, ancestors: list[ast.AST]) -> Iterator[Finding]:
        if not self.modules & {"flask", "werkzeug", "quart"}:
            return
        if isinstance(call.func, ast.Attribute) and (
            self.flow.scope(func).value(call.func.value, call, ancestors).trust is Trust.CONSTANT
            or (isinstance(call.func.value, ast.Name) and not self._bound(call.func.value.id, ancestors))
        ):
            return  # `app = 1; app.run(debug=True)`, or a name bound nowhere: not an application
        debug = keyword(call, "debug") or keyword(call, "use_debugger")
        if debug is None or not is_constant(debug.value, True):
            return
        host = keyword(call, "host") or keyword(call, "hostname")
        host_node = host.value if host else (call.args[0] if call.args else None)
        if host_node is not None and is_constant(host_node, "0.0.0.0"):
            yield DEBUG_EXPOSED.finding(self.doc, call, "debug server with the interactive debugger listens on 0.0.0.0: anyone who can reach the port can run code")
        else:
            yield DEBUG_ENABLED.finding(self.doc, debug, "`debug=True` shows tracebacks and enables the interactive debugger; enable it from the environment in development only")

    def _bound(self, name: str, ancestors: list[ast.AST]) -> bool:
        """Is ``name`` assigned, imported or a parameter somewhere around this use?"""
        if name in self.flow.scope(None).bindings:
            return True
        for anc in ancestors:
            if isinstance(anc, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                args = anc.args
                params = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
                if any(a is not None and a.arg == name for a in params):
                    return True
                if not isinstance(anc, ast.Lambda) and name in self.flow.scope(anc).bindings:
                    return True
        return False

    # chmod -------------------------------------------------------------------------------
    def _chmod(self, call: ast.Call, name: str | None) -> Iterator[Finding]:
        if name is None:
            mode_node = call.args[0] if len(call.args) == 1 else None
        else:
            mode_node = call.args[1] if len(call.args) >= 2 else (keyword(call, "mode").value if keyword(call, "mode") else None)
        if mode_node is None:
            return
        mode = _mode_value(mode_node)
        if mode is None:
            # mode | 0o777: the other-write bit is set whatever `mode` holds
            if _set_bits(mode_node) & 0o002:
                yield WORLD_WRITABLE.finding(self.doc, mode_node, "this mode always includes write permission for every user")
            return
        if not mode & 0o002 or mode >= 2**32:
            return  # larger values are not modes (os.chmod raises OverflowError)
        fixed = mode & ~0o022
        fix = Fix(f"Use mode {oct(fixed)} (no write for group and others)", (self.doc.replace_node(mode_node, oct(fixed)),))
        yield WORLD_WRITABLE.finding(self.doc, mode_node, f"mode {oct(mode)} lets every user write to the file", fixes=[fix])

    # mkstemp -----------------------------------------------------------------------------
    def _mkstemp_fix(self, call: ast.Call, func: FunctionNode | None, ancestors: list[ast.AST]) -> list[Fix]:
        stmt = ancestors[-1] if ancestors else None
        if not (
            isinstance(stmt, ast.Assign)
            and stmt.value is call
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)
            and isinstance(call.func, ast.Attribute)
            and stmt.lineno == stmt.end_lineno
        ):
            return []
        used = {n.id for n in ast.walk(func or self.tree) if isinstance(n, ast.Name)}
        fd = next((n for n in ("fd", "tmp_fd", "temp_fd") if n not in used), None)
        os_name = next((local for local, target in self.imports.names.items() if target == "os"), None)
        if fd is None or os_name is None:
            return []
        line, col, _, _ = self.doc.node_range(stmt)
        indent = self.doc.line_text(line)[: col - 1]
        if indent.strip():
            return []
        target = stmt.targets[0].id
        call_text = f"{self.doc.segment(call.func.value)}.mkstemp{self.doc.segment(call)[len(self.doc.segment(call.func)):]}"
        new = f"{fd}, {target} = {call_text}\n{indent}{os_name}.close({fd})"
        return [Fix("Create the file atomically with tempfile.mkstemp", (self.doc.replace_node(stmt, new),), preferred=True)]

    # web sinks ---------------------------------------------------------------------------
    def _web_sinks(
        self, call: ast.Call, name: str | None, attr: str | None, func: FunctionNode, ancestors: list[ast.AST]
    ) -> Iterator[Finding]:
        if not self.flow.web and name not in XML_PARSERS:
            return
        arg = call.args[0] if call.args else None
        if arg is None:
            url_kw = keyword(call, "url") or keyword(call, "path") or keyword(call, "content")
            arg = url_kw.value if url_kw is not None else None
        if arg is None or isinstance(arg, ast.Starred):
            return
        scope = self.flow.scope(func)
        if name in XSS_SINKS:
            value = scope.value(arg, call, ancestors)
            if value.risk("html") is Trust.UNTRUSTED:
                yield XSS.finding(self.doc, arg, f"{_describe(value)} is written into HTML by `{name.rsplit('.', 1)[-1]}` without escaping")
        elif name in PATH_SINKS or (attr in PATH_METHODS and name is None):
            value = scope.value(arg if name in PATH_SINKS else call.func.value, call, ancestors)  # type: ignore[union-attr]
            if value.risk("path") is Trust.UNTRUSTED and not _has_guard(func, PATH_GUARDS):
                target = arg if name in PATH_SINKS else call.func
                yield PATH_TRAVERSAL.finding(self.doc, target, f"file path from {_describe(value)} is used without a containment check; `../` reaches other files")
        elif name in HTTP_SINKS or (attr in HTTP_METHODS | {"request"} and isinstance(call.func, ast.Attribute) and self._is_client(call.func.value, func)):
            url = arg if not (attr == "request" or name in {"requests.request", "httpx.request"}) else (call.args[1] if len(call.args) > 1 else None)
            if url is None:
                return
            value = scope.value(url, call, ancestors)
            if value.risk("url") is Trust.UNTRUSTED and not _host_fixed(url, scope) and not _has_guard(func, URL_GUARDS):
                yield SSRF.finding(self.doc, url, f"request URL from {_describe(value)} lets callers choose the host the server connects to")
        elif name in REDIRECT_SINKS:
            value = scope.value(arg, call, ancestors)
            if value.trust is Trust.UNTRUSTED and not _path_only(arg, scope) and not _has_guard(func, URL_GUARDS):
                yield OPEN_REDIRECT.finding(self.doc, arg, f"redirect target from {_describe(value)} can send users to any site")
        elif name in XML_PARSERS:
            value = scope.value(arg, call, ancestors)
            if value.trust is Trust.UNTRUSTED:
                yield XML_ENTITIES.finding(self.doc, arg, f"XML from {_describe(value)} is parsed by `{name}`; use defusedxml")

    def _is_client(self, node: ast.expr, func: FunctionNode) -> bool:
        """``client`` bound from requests.Session()/httpx.Client()/aiohttp.ClientSession() in this function."""
        if not isinstance(node, ast.Name):
            return False
        for sub in ast.walk(func):
            if isinstance(sub, ast.withitem) and isinstance(sub.optional_vars, ast.Name) and sub.optional_vars.id == node.id:
                ctor = sub.context_expr
            elif isinstance(sub, ast.Assign) and any(isinstance(t, ast.Name) and t.id == node.id for t in sub.targets):
                ctor = sub.value
            else:
                continue
            if isinstance(ctor, ast.Call) and self.qualified(ctor.func) in HTTP_CLIENTS:
                return True
        return False

    # exception exposure ------------------------------------------------------------------
    def _return(self, ret: ast.Return, func: FunctionNode, ancestors: list[ast.AST]) -> Iterator[Finding]:
        if ret.value is not None:
            yield from self._sql_assembled(None, ret.value, func, ret, ancestors)
        if not self.flow.handler(func):
            return
        yield from self._exposure_in(ret, func, ancestors)
        if "flask" in self.modules and self.flow.route_path(func) is not None:
            # a str returned from a Flask view is sent as text/html
            body = ret.value.elts[0] if isinstance(ret.value, ast.Tuple) and ret.value.elts else ret.value
            if body is not None and not (isinstance(body, ast.Call) and string_parts(body) is None):
                value = self.flow.scope(func).value(body)
                if value.formatted and value.risk("html") is Trust.UNTRUSTED:
                    yield XSS.finding(self.doc, body, f"{_describe(value)} is returned as HTML (Flask's default content type) without escaping")

    def _exposure_in(self, node: ast.AST, func: FunctionNode, ancestors: list[ast.AST]) -> Iterator[Finding]:
        names = self._exception_names(func, ancestors)
        for sub in ast.walk(node):
            if isinstance(sub, ast.Call):
                callee = self.qualified(sub.func)
                if callee in {"traceback.format_exc", "traceback.format_exception", "traceback.format_tb", "traceback.format_stack"}:
                    yield EXCEPTION_EXPOSURE.finding(self.doc, sub, "the traceback is sent to the client; log it server-side and return a generic message")
                    return
                if callee in {"str", "repr"} and len(sub.args) == 1 and isinstance(sub.args[0], ast.Name) and sub.args[0].id in names:
                    yield EXCEPTION_EXPOSURE.finding(self.doc, sub, f"the exception message `{sub.args[0].id}` is sent to the client; log it and return a generic message")
                    return
            elif isinstance(sub, ast.FormattedValue) and isinstance(sub.value, ast.Name) and sub.value.id in names:
                yield EXCEPTION_EXPOSURE.finding(self.doc, sub.value, f"the exception message `{sub.value.id}` is sent to the client; log it and return a generic message")
                return

    def _exception_names(self, func: FunctionNode, ancestors: list[ast.AST]) -> set[str]:
        """Names bound to broad exceptions at this point: ``except Exception as e`` and error-handler parameters."""
        names = set()
        for anc in ancestors:
            if isinstance(anc, ast.ExceptHandler) and anc.name and _broad(anc):
                names.add(anc.name)
        for dec in func.decorator_list:
            target = dec.func if isinstance(dec, ast.Call) else dec
            if isinstance(target, ast.Attribute) and target.attr in {"errorhandler", "app_errorhandler", "exception_handler"}:
                params = [a.arg for a in func.args.posonlyargs + func.args.args]
                names.update(p for p in params if p not in {"request", "req", "self"})
        return names

    # assignments -------------------------------------------------------------------------
    def _assign(self, node: ast.Assign | ast.AnnAssign, func: FunctionNode | None, ancestors: list[ast.AST]) -> Iterator[Finding]:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        value = node.value
        if value is None:
            return
        if len(targets) == 1 and isinstance(targets[0], ast.Name):
            yield from self._sql_assembled(targets[0].id, value, func, node, ancestors)
        for target in targets:
            name = _target_name(target)
            if name is None:
                continue
            yield from self._insecure_random(value, name, func)
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                yield from self._named_secret(name, value)
            if isinstance(target, ast.Attribute) and is_constant(value, False):
                if target.attr == "check_hostname" and not _no_host_name_branch([*ancestors, node]):
                    yield TLS_VERIFICATION.finding(self.doc, node, "`check_hostname = False` accepts certificates for any host")
                elif target.attr == "verify" and self.modules & HTTP_CLIENT_MODULES:
                    yield TLS_VERIFICATION.finding(self.doc, node, "`session.verify = False` turns off TLS certificate checks for every request")
            if isinstance(target, ast.Attribute) and target.attr == "verify_mode" and (dotted_name(value) or "").endswith("CERT_NONE"):
                yield TLS_VERIFICATION.finding(self.doc, node, "`verify_mode = CERT_NONE` turns off TLS certificate checks")
            if name == "_create_default_https_context" and (dotted_name(value) or "").endswith("_create_unverified_context"):
                yield TLS_VERIFICATION.finding(self.doc, node, "every HTTPS connection of the process skips certificate checks")
            module_level = func is None and not any(isinstance(a, ast.ClassDef) for a in ancestors)
            if is_constant(value, True) and module_level and (
                (name == "DEBUG" and isinstance(target, ast.Name) and self._settings_module())
                or (isinstance(target, ast.Attribute) and target.attr == "debug" and self.modules & {"flask", "quart"})
            ):
                yield DEBUG_ENABLED.finding(self.doc, node, "debug mode is on in code; read it from the environment so production never runs with it")
            if is_constant(value, True) and isinstance(target, ast.Subscript) and is_constant(target.slice, "DEBUG") and self.modules & {"flask", "quart"}:
                yield DEBUG_ENABLED.finding(self.doc, node, "debug mode is on in code; read it from the environment so production never runs with it")

    def _settings_module(self) -> bool:
        path = self.doc.path.replace("\\", "/")
        in_settings = path.rsplit("/", 1)[-1].startswith("settings") or "/settings/" in path
        defines = any(
            isinstance(s, ast.Assign) and any(isinstance(t, ast.Name) and t.id in {"INSTALLED_APPS", "ALLOWED_HOSTS", "ROOT_URLCONF", "MIDDLEWARE"} for t in s.targets)
            for s in self.tree.body
        )
        return in_settings or defines

    def _insecure_random(self, value: ast.expr, name: str, func: FunctionNode | None) -> Iterator[Finding]:
        if not _secret_name(name, for_random=True) or _only_makes_unique_values(name, func):
            return
        for sub in ast.walk(value):
            if isinstance(sub, ast.Call) and (callee := self.qualified(sub.func)) in RANDOM_FUNCTIONS:
                yield INSECURE_RANDOM.finding(
                    self.doc, sub, f"`{callee}` is predictable; `{name}` needs the secrets module", fixes=self._secrets_fix(sub, callee)
                )

    def _secrets_fix(self, call: ast.Call, callee: str) -> list[Fix]:
        replacement = {"random.choice": "choice", "random.getrandbits": "randbits"}.get(callee)
        if replacement is None:
            return []
        secrets_local = next((local for local, target in self.imports.names.items() if target == "secrets"), None)
        args = self.doc.segment(call)[len(self.doc.segment(call.func)) :]
        edits = [self.doc.replace_node(call, f"{secrets_local or 'secrets'}.{replacement}{args}")]
        if secrets_local is None:
            edits.append(_import_edit(self.doc, self.tree, "import secrets"))
        return [Fix(f"Use secrets.{replacement}", tuple(edits), safe=True, preferred=True)]

    def _defaults(self, func: FunctionNode) -> Iterator[Finding]:
        args = func.args
        positional = args.posonlyargs + args.args
        pairs = list(zip(positional[len(positional) - len(args.defaults) :], args.defaults)) + [
            (a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None
        ]
        for param, default in pairs:
            if isinstance(default, ast.Constant) and isinstance(default.value, str):
                yield from self._named_secret(param.arg, default)

    def _named_secret(self, name: str, node: ast.Constant) -> Iterator[Finding]:
        text = node.value
        if not isinstance(text, str) or _provider_secret(text) is not None or not _secret_name(name):
            return
        if _looks_secret(name, text):
            yield HARDCODED_SECRET.finding(self.doc, node, f"`{name}` holds a hard-coded credential {_mask(text)}; read it from the environment or a secret manager")

    def _string(self, node: ast.Constant, ancestors: list[ast.AST]) -> Iterator[Finding]:
        text = node.value
        if ancestors and isinstance(ancestors[-1], ast.Expr):
            return  # docstrings and bare strings are documentation
        kind = _provider_secret(text)
        if kind is not None:
            yield HARDCODED_SECRET.finding(self.doc, node, f"hard-coded {kind} {_mask(_secret_match(text))}; read it from the environment or a secret manager")
            return
        parent = ancestors[-1] if ancestors else None
        if isinstance(parent, ast.keyword) and parent.arg and parent.value is node:
            yield from self._named_secret(parent.arg, node)
        elif isinstance(parent, ast.Dict) and node in parent.values:
            key = parent.keys[parent.values.index(node)]
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                yield from self._named_secret(key.value, node)
        elif isinstance(parent, ast.Compare):
            # if password == "hunter2" (or password == other == "hunter2"): a credential checked against a literal
            operands = [parent.left, *parent.comparators]
            i = next((k for k, operand in enumerate(operands) if operand is node), 0)
            for step in (-1, 1):
                j = i
                while 0 <= j + step < len(operands):
                    op = parent.ops[min(j, j + step)]
                    if not (isinstance(op, ast.Eq) or (j == i and isinstance(op, ast.NotEq))):
                        break  # past the neighbour, only a chain of == says the literal equals the operand
                    j += step
                    other = operands[j]
                    name = last_name(other)
                    if name is not None and _secret_name(name):
                        yield from self._named_secret(name, node)
                        return
                    if not isinstance(op, ast.Eq):
                        break


# ---------------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------------

_BUILTIN_SINKS = frozenset({"eval", "exec", "compile", "open", "str", "repr", "input"})
# calls whose string arguments are messages for people, not queries
_MESSAGE_FUNCTIONS = frozenset({"print", "warnings.warn", "logging.debug", "logging.info", "logging.warning", "logging.error", "logging.exception", "logging.critical", "logging.log"})
SHELL_FUNCTIONS = frozenset(
    {"os.system", "os.popen", "subprocess.getoutput", "subprocess.getstatusoutput", "commands.getoutput", "asyncio.create_subprocess_shell", "os.popen2", "os.popen3"}
)
SUBPROCESS_LIST_FUNCTIONS = frozenset({"subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output", "subprocess.Popen"})
# index of `autoescape` among jinja2.Environment's positional parameters
_AUTOESCAPE_POSITION = 16
TEMPLATE_FUNCTIONS = frozenset(
    {"flask.render_template_string", "jinja2.Template", "mako.template.Template", "django.template.Template", "jinja2.Environment.from_string"}
)
DESERIALIZERS = frozenset(
    {
        "pickle.load", "pickle.loads", "pickle.Unpickler", "_pickle.load", "_pickle.loads", "cPickle.load", "cPickle.loads",
        "marshal.load", "marshal.loads", "shelve.open", "dill.load", "dill.loads", "jsonpickle.decode", "pandas.read_pickle",
    }
)
YAML_LOADERS = frozenset({"yaml.load", "yaml.load_all", "yaml.unsafe_load", "yaml.unsafe_load_all"})
SAFE_YAML_LOADERS = frozenset({"SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader"})
HTTP_SINKS = frozenset(
    {f"{m}.{v}" for m in ("requests", "httpx") for v in HTTP_METHODS | {"request", "stream"}}
    | {"urllib.request.urlopen", "urllib.request.Request", "urllib3.request"}
)
XSS_SINKS = frozenset(
    {
        "markupsafe.Markup", "flask.Markup", "jinja2.Markup", "django.utils.safestring.mark_safe", "django.utils.html.mark_safe",
        "fastapi.responses.HTMLResponse", "starlette.responses.HTMLResponse", "django.http.HttpResponse", "flask.Response",
        "flask.make_response",
    }
)
PATH_SINKS = frozenset(
    {"open", "io.open", "builtins.open", "codecs.open", "flask.send_file", "fastapi.responses.FileResponse", "starlette.responses.FileResponse",
     "os.remove", "os.unlink", "shutil.rmtree", "shutil.copy", "shutil.copyfile", "django.http.FileResponse"}
)
PATH_METHODS = frozenset({"read_text", "read_bytes", "write_text", "write_bytes"})
PATH_GUARDS = frozenset({"is_relative_to", "commonpath", "commonprefix", "relative_to", "startswith", "safe_join"})
URL_GUARDS = frozenset({"url_has_allowed_host_and_scheme", "is_safe_url", "netloc", "hostname", "urlparse", "urlsplit"})
REDIRECT_SINKS = frozenset(
    {"flask.redirect", "django.shortcuts.redirect", "django.http.HttpResponseRedirect", "django.http.HttpResponsePermanentRedirect",
     "fastapi.responses.RedirectResponse", "starlette.responses.RedirectResponse"}
)
XML_PARSERS = frozenset(
    {f"{m}.{f}" for m in ("xml.etree.ElementTree", "xml.etree.cElementTree", "lxml.etree") for f in ("parse", "fromstring", "XML", "iterparse")}
    | {"xml.dom.minidom.parse", "xml.dom.minidom.parseString", "xml.sax.parse", "xml.sax.parseString", "xml.dom.pulldom.parse", "xml.dom.pulldom.parseString"}
)
RANDOM_FUNCTIONS = frozenset(
    {f"random.{f}" for f in ("random", "randint", "randrange", "choice", "choices", "sample", "getrandbits", "shuffle", "uniform", "randbytes")}
)
HASH_FUNCTIONS = frozenset(
    {f"hashlib.{h}" for h in ("md5", "sha1", "sha224", "sha256", "sha384", "sha512", "sha3_256", "sha3_512", "blake2b", "blake2s", "new")}
)
FAST_HASH_NAMES = frozenset({"md5", "sha1", "sha224", "sha256", "sha384", "sha512", "sha3256", "sha3512", "blake2b", "blake2s", "md4"})
CHMOD_FUNCTIONS = frozenset({"os.chmod", "os.lchmod", "os.fchmod"})
_STAT_BITS = {
    "S_IRWXU": 0o700, "S_IRUSR": 0o400, "S_IWUSR": 0o200, "S_IXUSR": 0o100, "S_IRWXG": 0o070, "S_IRGRP": 0o040,
    "S_IWGRP": 0o020, "S_IXGRP": 0o010, "S_IRWXO": 0o007, "S_IROTH": 0o004, "S_IWOTH": 0o002, "S_IXOTH": 0o001,
}

# ---------------------------------------------------------------------------------------------
# SQL helpers
# ---------------------------------------------------------------------------------------------

_SQL_START = re.compile(
    r"\s*\(?\s*(select|insert|update|delete|with|create|drop|alter|replace|merge|truncate|pragma|grant|revoke|upsert|explain|attach|vacuum)\b",
    re.IGNORECASE,
)
_SQL_STATEMENT = re.compile(
    r"\s*(?:with\s+\w+\s+as\s*\(.*\)\s*)?(?:select\s.+?\sfrom\s|(?:insert|replace)\s+(?:into\s+)?\S+\s+(?:\([^()]*\)\s*)?values\b|insert\s+into\s|update\s+\S+\s+set\s|delete\s+from\s)",
    re.IGNORECASE | re.DOTALL,
)
_SQL_ANYWHERE = re.compile(r"\b(select\s.+\sfrom|insert\s+into|delete\s+from|update\s+\w+\s+set|where\s|order\s+by|group\s+by|values\s*\()", re.IGNORECASE | re.DOTALL)
_VALUE_BEFORE = re.compile(r"(?:=|<>|!=|<=|>=|<|>|\blike|\bilike|\bbetween|\bbetween\s+\S+\s+and)$", re.IGNORECASE)
_IN_LIST = re.compile(r"\b(values|in)\s*\((?:[^()]*)$", re.IGNORECASE)


# words of English prose that never occur in the statements _SQL_STATEMENT matches
_PROSE_WORDS = frozenset(
    {"the", "an", "your", "you", "please", "these", "those", "this", "that", "which", "will", "cannot", "can't", "should",
     "would", "could", "must", "been", "we", "our", "my", "its", "their", "there", "here", "was", "were", "don't", "to"}
)
# a quoted SQL literal ('it''s here'), not an apostrophe inside a word (can't)
_SQL_LITERAL = re.compile(r"(?<![A-Za-z])'[^']*'")
_SQL_KEYWORDS = frozenset({"select", "from", "insert", "into", "update", "set", "delete", "replace", "values", "with", "as"})


def _sql_statement(parts: list[str | Hole]) -> bool:
    """Is the text an SQL statement (``SELECT ... FROM``, ``INSERT INTO``, ``UPDATE ... SET``,
    ``DELETE FROM``) rather than prose that starts with the same words (``Select {n} items from
    {src}``, ``delete from the cache``)?  Keywords are written in one case in SQL."""
    literal = "".join(p if isinstance(p, str) else "x" for p in parts)
    m = _SQL_STATEMENT.match(literal)
    if m is None:
        return False
    keywords = [w for w in re.findall(r"[A-Za-z]+", m.group(0)) if w.lower() in _SQL_KEYWORDS]
    if not (all(w.isupper() for w in keywords) or all(w.islower() for w in keywords)):
        return False
    return not any(w.lower() in _PROSE_WORDS for w in re.findall(r"[A-Za-z][\w']*", _SQL_LITERAL.sub("''", literal)))


_FRAGMENT_WORDS = frozenset({"sql", "query", "subquery", "clause", "stmt", "statement", "fragment", "placeholder", "placeholders"})


def _sql_fragment(expr: ast.expr) -> bool:
    """``"SELECT * FROM (%s) subquery" % inner_sql``: a piece of SQL built elsewhere (a query
    compiler composing its parts), not an identifier or value; its own construction is checked
    where it is built."""
    name = last_name(expr) or ""
    return bool(_FRAGMENT_WORDS & set(_name_words(name)))


def _looks_like_sql(parts: list[str | Hole]) -> bool:
    literal = "".join(p if isinstance(p, str) else " x " for p in parts)
    return bool(_SQL_START.match(literal) or _SQL_ANYWHERE.search(literal))


def _value_position(parts: list[str | Hole], hole: Hole) -> bool:
    """Is ``hole`` where a value goes (``= {x}``, ``'{x}'``, ``VALUES ({x}``) rather than an identifier or keyword?"""
    idx = parts.index(hole)
    before = "".join(p if isinstance(p, str) else "?" for p in parts[:idx])
    after = parts[idx + 1] if idx + 1 < len(parts) else ""
    if not isinstance(after, str):
        return False
    quoted = before.endswith("'")
    if quoted != after.startswith("'") or before.endswith("''") or after.startswith("''"):
        return False
    head = (before[:-1] if quoted else before).rstrip()
    if _VALUE_BEFORE.search(head):
        return True
    return head.endswith(("(", ",")) and bool(_IN_LIST.search(head))


def _parameterize(parts: list[str | Hole], style: str, scope: Scope, doc: Document) -> tuple[str, str] | None:
    """Rewrite the query with placeholders for every non-constant hole; None unless all are plain values."""
    text: list[str] = []
    params: list[tuple[str, str]] = []
    used: set[str] = set()
    drop_quote = False
    for part in parts:
        if isinstance(part, str):
            text.append(part[1:] if drop_quote else part)
            drop_quote = False
            continue
        if scope.value(part.expr).risk("sql") is Trust.CONSTANT or not part.plain or not _value_position(parts, part):
            return None
        segment = doc.segment(part.expr)
        if "\n" in segment:
            return None
        if text and text[-1].endswith("'"):  # '{name}' becomes ? (the driver quotes values)
            text[-1] = text[-1][:-1]
            drop_quote = True
        name = ""
        if style == ":name":
            base = re.sub(r"\W+", "_", segment).strip("_") or "value"
            base = base if base[0].isalpha() else f"p_{base}"
            name, n = base, 2
            while name in used:
                name, n = f"{base}_{n}", n + 1
            used.add(name)
            text.append(f":{name}")
        else:
            text.append(style)
        params.append((segment, name))
    query = "".join(text)
    if not params:
        return None
    if style == "%s" and query.count("%") != query.count("%s"):
        return None
    if style == "?" and query.count("?") != len(params):
        return None
    if style == ":name" and len(re.findall(r":\w", query)) != len(params):
        return None
    if style == ":name":
        rendered = "{" + ", ".join(f"{name!r}: {seg}" for seg, name in params) + "}"
    else:
        rendered = "(" + ", ".join(seg for seg, _ in params) + ("," if len(params) == 1 else "") + ")"
    return _py_string(query), rendered


def _py_string(text: str) -> str:
    """A Python literal for ``text`` (triple-quoted when it spans lines)."""
    if "\n" in text and '"""' not in text and "\\" not in text and not text.endswith('"'):
        return f'"""{text}"""'
    return repr(text)


def _load_count(scope: Scope, name: str) -> int:
    root = scope.func if scope.func is not None else scope.flow.tree
    return sum(1 for n in ast.walk(root) if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load))


# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------

_SHELL_META = re.compile(r"[|&;<>()$`\\\"'*?\[\]#~{}!\n=%]")


def _end(doc: Document, node: ast.AST) -> Range:
    _, _, line, col = doc.node_range(node)
    return line, col, line, col


def _callee_text(doc: Document, call: ast.Call) -> str:
    return _short(doc.segment(call.func), 40)


def _short(text: str, limit: int = 30) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _describe(value: Value) -> str:
    if value.trust is Trust.UNTRUSTED:
        return value.source or "request input"
    if value.formatted:
        return "formatted non-constant values"
    return "a non-constant value"


def _remove_keyword(doc: Document, call: ast.Call, kw: ast.keyword) -> TextEdit:
    items = sorted([*call.args, *call.keywords], key=lambda n: (n.lineno, n.col_offset))
    idx = items.index(kw)
    start = doc.node_range(kw)
    if idx > 0:
        prev = doc.node_range(items[idx - 1])
        return TextEdit(prev[2], prev[3], start[2], start[3], "")
    if len(items) > 1:
        nxt = doc.node_range(items[1])
        return TextEdit(start[0], start[1], nxt[0], nxt[1], "")
    return TextEdit(*start, "")


def _import_edit(doc: Document, tree: ast.Module, statement: str) -> TextEdit:
    """Insert ``statement`` after the docstring and ``from __future__`` imports."""
    line = 1
    for stmt in tree.body:
        if (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str) and stmt is tree.body[0]) or (
            isinstance(stmt, ast.ImportFrom) and stmt.module == "__future__"
        ):
            line = (stmt.end_lineno or stmt.lineno) + 1
            continue
        break
    if line > doc.line_count:
        return TextEdit(doc.line_count, len(doc.line_text(doc.line_count)) + 1, doc.line_count, len(doc.line_text(doc.line_count)) + 1, "\n" + statement)
    return TextEdit(line, 1, line, 1, statement + "\n")


def _target_name(target: ast.expr) -> str | None:
    if isinstance(target, ast.Name):
        return target.id
    if isinstance(target, ast.Attribute):
        return target.attr
    if isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant) and isinstance(target.slice.value, str):
        return target.slice.value
    return None


def _name_words(name: str) -> list[str]:
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    return [w for w in re.split(r"[^A-Za-z0-9]+", spaced.lower()) if w]


_PASSWORD_WORDS = frozenset({"password", "passwd", "pwd", "passphrase", "pass"})
_SECRET_WORDS = frozenset({"secret", "secrete", "token", "apikey", "credential", "credentials", "privatekey", "secretkey", "accesskey", "authkey"})
_KEY_QUALIFIERS = frozenset({"api", "secret", "private", "access", "signing", "encryption", "auth", "client", "master", "app", "session", "hmac", "jwt"})
# `pass` is a password only alone (`_pass`, `PASS`) or after one of these (`db_pass`); elsewhere
# it is a compiler, render or test-run pass (`first_pass`, `render_pass`, `test_pass`)
_PASS_QUALIFIERS = frozenset(
    {"db", "database", "user", "username", "admin", "root", "login", "smtp", "ftp", "sftp", "mail", "email", "imap", "pop",
     "auth", "proxy", "redis", "mysql", "postgres", "pg", "sql", "mssql", "oracle", "mongo", "ssh", "sudo", "wifi", "api",
     "account", "ldap", "bind", "http", "basic", "app", "master", "client", "server", "service", "keystore", "truststore",
     "rabbitmq", "amqp", "broker", "vnc", "rpc", "vault", "registry", "docker", "git", "repo", "default", "secret"}
)
_RANDOM_WORDS = frozenset({"otp", "nonce", "salt", "csrf", "pin", "sessionid", "sid"})
_NOT_SECRET_SUFFIX = frozenset(
    {"url", "uri", "endpoint", "path", "file", "filename", "name", "type", "header", "field", "length", "len", "min", "max", "prefix",
     "env", "var", "hint", "label", "prompt", "pattern", "regex", "re", "format", "template", "placeholder", "count", "expiry",
     "expires", "ttl", "timeout", "param", "id", "dir", "cls", "class", "policy", "validator", "hash", "hashed", "digest",
     "attr", "key_name", "mode", "method", "lifetime", "age", "scheme", "kind", "algorithm", "alg", "size", "bytes", "display",
     "reset", "required", "enabled", "msg", "message", "error", "text", "input", "column", "col", "table", "sep", "char", "chars",
     "alphabet", "charset", "index", "limit", "value_name", "prop", "property", "option", "flag", "setting", "str"}
)


_RANDOM_PAIRS = frozenset(
    {"sessionid", "sessionkey", "resetcode", "verificationcode", "authcode", "activationcode", "confirmationcode", "invitecode", "onetimecode"}
)


def _secret_name(name: str, for_random: bool = False) -> bool:
    """Does the name say it holds a credential (``api_key``, ``db_password``, not ``token_url``)?

    ``for_random``: also names of values that must be unguessable (nonces, salts, session ids,
    reset codes).
    """
    words = _name_words(name)
    if not words:
        return False
    last = words[-1]
    pair = "".join(words[-2:])
    if for_random and (pair in _RANDOM_PAIRS or last in _RANDOM_WORDS):
        return True
    if last in _NOT_SECRET_SUFFIX:
        return False
    if last in _PASSWORD_WORDS - {"pass"} or last in _SECRET_WORDS or pair in _SECRET_WORDS or pair == "password":
        return True
    if last == "pass" and (len(words) == 1 or words[-2] in _PASS_QUALIFIERS):
        return True
    if last == "key" and len(words) >= 2 and words[-2] in _KEY_QUALIFIERS:
        return True
    # my_secret_password_for_email: a password word inside the name (the value must then look random)
    return not for_random and any(w in _PASSWORD_WORDS - {"pass"} for w in words[:-1])


# values that only need to be unique, not unguessable (a MIME boundary, a temporary file name)
_UNIQUE_ONLY_WORDS = frozenset({"boundary", "delimiter", "separator", "sentinel", "marker", "filename", "tmpname", "tempname"})


def _only_makes_unique_values(name: str, func: FunctionNode | None) -> bool:
    """Is every use of ``name`` in ``func`` the building of a boundary, delimiter or file name
    (``token = random.randrange(n); boundary = "==" + str(token)``)?"""
    if func is None:
        return False
    loads = feeding = 0
    for node in ast.walk(func):
        if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load):
            loads += 1
        elif isinstance(node, ast.Assign) and all(
            isinstance(t, ast.Name) and _UNIQUE_ONLY_WORDS & set(_name_words(t.id)) for t in node.targets
        ):
            feeding += sum(1 for n in ast.walk(node.value) if isinstance(n, ast.Name) and n.id == name)
    return loads > 0 and loads == feeding


def _password_name(name: str | None) -> bool:
    return name is not None and any(w in _PASSWORD_WORDS - {"pass"} for w in _name_words(name))


def _mentions_password(node: ast.expr) -> bool:
    """Does the expression read a plain password (``password``, ``user.passwd``, not ``password_hash``)?"""
    for sub in ast.walk(node):
        name = last_name(sub)
        if _password_name(name) and _name_words(name or "")[-1] not in {"hash", "hashed", "digest", "salt"}:
            return True
    return False


_PLACEHOLDER = re.compile(
    r"example|sample|dummy|fake|placeholder|changeme|change[_-]?me|replace|your[_-]?|xxx|\*\*\*|\.\.\.|<|>|\$\{|\{\{|%\(|\{\w*\}|todo|fixme|redacted|insert|secret_here|^test|^(none|null|true|false|n/?a)$"
    r"|wrong|incorrect|invalid|^bad|bogus|does_?not_?exist|nonexist",
    re.IGNORECASE,
)


def _sequential(text: str) -> bool:
    """``0123456789012...`` / ``abcdefgh...``: a counting placeholder, not random."""
    return len(text) >= 8 and (text in "0123456789" * (len(text) // 10 + 2) or text.lower() in "abcdefghijklmnopqrstuvwxyz" * 2)


def _entropy(text: str) -> float:
    size = len(text)
    if not size:
        return 0.0
    return -sum(c / size * math.log2(c / size) for c in Counter(text).values())


_LEET = re.compile(r"[a-z]+\d+[a-z]+\d+[a-z]*", re.IGNORECASE)
# a name saying the value is deliberately not a working credential
_NOT_REAL_WORDS = frozenset({"wrong", "incorrect", "invalid", "bad", "bogus", "fake", "dummy", "mock", "example", "sample"})


def _looks_secret(name: str, text: str) -> bool:
    if not text or any(ch.isspace() for ch in text) or _PLACEHOLDER.search(text) or "://" in text:
        return False
    if len(set(text)) <= 2 or re.fullmatch(r"[A-Z][A-Z0-9_]*", text) or text.startswith(("/", "./", "~")) or _sequential(text):
        return False
    if text.startswith(("pk_live_", "pk_test_")) or (text.startswith("eyJ") and text.count(".") < 2):
        return False  # a Stripe publishable key is public; a JWT without signature proves nothing
    words = _name_words(name)
    if _NOT_REAL_WORDS & set(words):
        return False  # WRONG_PASSWORD = "hunter3": a value meant to be rejected
    lowered = text.lower().replace("-", "_")
    if lowered in {"_".join(words), words[-1]} or lowered in _NOT_SECRET_SUFFIX:
        return False
    if words[-1] == "pass":
        # PASS = "passed", "\033[92m": a test outcome or its colour; a password has letters and digits
        return len(text) >= 4 and text.isprintable() and "pass" not in lowered and bool(re.search(r"[A-Za-z]", text) and re.search(r"\d", text))
    if words[-1] in _PASSWORD_WORDS or "".join(words[-2:]) == "password":
        return len(text) >= 4
    if len(text) >= 6 and _LEET.search(text):
        return True  # secret = "s3cr3t": digits inside a word are a made-up credential, not a name
    return len(text) >= 16 and _entropy(text) >= 3.0 and not re.fullmatch(r"[a-z_.:-]+", text)


_PROVIDERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("AWS access key ID", re.compile(r"\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b")),
    ("GitHub token", re.compile(r"\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}\b|\bgithub_pat_[A-Za-z0-9_]{50,}")),
    ("Stripe live key", re.compile(r"\b(?:sk|rk)_live_[0-9a-zA-Z]{20,}")),
    ("Slack token", re.compile(r"\bxox[abposr]-[0-9A-Za-z-]{10,}")),
    ("Slack webhook URL", re.compile(r"https://hooks\.slack\.com/services/T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]{16,}")),
    ("Google API key", re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b")),
    ("Anthropic API key", re.compile(r"\bsk-ant-[A-Za-z0-9_-]{32,}")),
    ("OpenAI API key", re.compile(r"\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{32,}")),
    ("SendGrid API key", re.compile(r"\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b")),
    ("Mailchimp API key", re.compile(r"\b[0-9a-f]{32}-us[0-9]{1,2}\b")),
    ("PyPI upload token", re.compile(r"\bpypi-AgE(?:IcHlwaS5vcmc|NdGVzdC5weXBpLm9yZw)[A-Za-z0-9_-]{70,}")),
    ("private key", re.compile(r"-----BEGIN (?:RSA |DSA |EC |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?-----")),
    ("JSON Web Token", re.compile(r"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{16,}")),
    ("connection string password", re.compile(r"\b[a-z][a-z0-9+.-]*://[^:/\s@]+:(?P<pw>[^@\s/]{3,})@[^\s/]+")),
)


_PROVIDER_HINT = re.compile(r"AKIA|ASIA|ABIA|ACCA|gh[pousr]_|github_pat_|_live_|xox|hooks\.slack|AIza|sk-|SG\.|-us\d|pypi-AgE|PRIVATE KEY|eyJ|://[^/\s@]+:[^@\s/]+@")


def _provider_secret(text: str) -> str | None:
    if len(text) < 16 or _PROVIDER_HINT.search(text) is None:
        return None
    for kind, pattern in _PROVIDERS:
        m = pattern.search(text)
        if m is None:
            continue
        secret = m.group("pw") if "pw" in pattern.groupindex else m.group(0)
        if len(set(secret[4:])) <= 2 or _PLACEHOLDER.search(secret) or (kind == "OpenAI API key" and not (re.search(r"\d", secret) and re.search(r"[A-Z]", secret))):
            continue
        if kind == "connection string password" and (secret.lower() in {"password", "pass", "passwd", "pwd", "secret", "user", "pw"} or secret.startswith(("$", "%", "{"))):
            continue
        return kind
    return None


def _secret_match(text: str) -> str:
    for _, pattern in _PROVIDERS:
        m = pattern.search(text)
        if m is not None:
            return m.group(0)
    return text


def _mask(secret: str) -> str:
    """Show a short prefix only: never the secret in full."""
    prefix = secret[: min(4, max(len(secret) // 4, 1))]
    return f"'{prefix}…' ({len(secret)} chars)"


def _mode_value(node: ast.expr) -> int | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, int) and not isinstance(node.value, bool):
        return node.value
    if isinstance(node, ast.Attribute) and node.attr in _STAT_BITS:
        return _STAT_BITS[node.attr]
    if isinstance(node, ast.Name) and node.id in _STAT_BITS:
        return _STAT_BITS[node.id]
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.BitOr, ast.BitAnd)):
        left, right = _mode_value(node.left), _mode_value(node.right)
        if left is None or right is None:
            return None
        return left | right if isinstance(node.op, ast.BitOr) else left & right
    return None


def _set_bits(node: ast.expr) -> int:
    """Mode bits certainly set by ``node`` when part of it is unknown (``mode | 0o777``)."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _set_bits(node.left) | _set_bits(node.right)
    value = _mode_value(node)
    return value if value is not None and value < 2**32 else 0


def _broad(handler: ast.ExceptHandler) -> bool:
    if handler.type is None:
        return True
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any((dotted_name(t) or "").split(".")[-1] in {"Exception", "BaseException"} for t in types)


def _no_host_name_branch(chain: list[ast.AST]) -> bool:
    """``chain`` (outermost first, ending with the statement) runs only under ``if not
    server_hostname:`` / ``if hostname is None:``: there is no name to check (asyncio's
    ``_create_transport_context``), so turning the check off loses nothing."""
    for anc, child in pairwise(chain):
        if not isinstance(anc, ast.If) or child not in anc.body:
            continue
        test = anc.test
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            subject: ast.expr | None = test.operand
        elif isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], (ast.Is, ast.Eq)) and (
            is_constant(test.comparators[0], None) or is_constant(test.comparators[0], "")
        ):
            subject = test.left
        else:
            continue
        name = _target_name(subject) if isinstance(subject, (ast.Name, ast.Attribute)) else None
        if name is not None and "host" in name.lower():
            return True
    return False


def _has_guard(func: FunctionNode, guards: frozenset[str]) -> bool:
    for node in ast.walk(func):
        if isinstance(node, ast.Attribute) and node.attr in guards:
            return True
        if isinstance(node, ast.Name) and node.id in guards:
            return True
    return False


def _host_fixed(url: ast.expr, scope: Scope) -> bool:
    """The scheme and host are constant text before the first non-constant part (``https://api/x/{id}``)."""
    parts = string_parts(url)
    if parts is None and isinstance(url, ast.Name):
        bound = scope.single_assignment(url.id)
        parts = string_parts(bound) if bound is not None else None
    if parts is None:
        return False
    prefix = ""
    for part in parts:
        if isinstance(part, str):
            prefix += part
        elif scope.value(part.expr).risk("url") is Trust.CONSTANT:
            prefix += "x"
        else:
            break
    return bool(re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#]+[/?#]", prefix))


def _path_only(url: ast.expr, scope: Scope) -> bool:
    """A redirect to a path on this site (``/users/{id}``), never ``//host``."""
    parts = string_parts(url)
    if not parts or not isinstance(parts[0], str):
        return False
    return parts[0].startswith("/") and not parts[0].startswith(("//", "/\\")) and len(parts[0]) > 1

