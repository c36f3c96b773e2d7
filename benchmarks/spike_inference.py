"""Issue 15 spike: three designs for receiver inference in hallucination detection, measured.

    python benchmarks/spike_inference.py                 # all three designs on the whole corpus
    python benchmarks/spike_inference.py --designs c     # a subset (a, b, c)
    python benchmarks/spike_inference.py --sample 120    # a seeded sample of case files' functions

Corpus: benchmarks/corpus_hal (only cases that verify.py proves are scored).  A design *detects* a
case when it reports on the case's marked line; a valid function is *flagged* when any report falls
inside it.

(a) vetpy's own inference: ``vetpy check --select HAL`` (what corpus_hal/bench.py --no-peers runs).
(b) jedi's inference + runtime truth: for every attribute access ``X.name`` and every call in a
    case/valid function, jedi infers the receiver (``X``; for a call, the callee) in the pinned
    environment; the runtime judge (a subprocess in that environment, with the case file executed
    as a module) then decides whether ``name`` is missing on that module/class, or whether the
    call's positional count and keywords fail ``inspect.signature(...).bind``.  Imports are judged
    by the runtime directly (no inference needed).
(c) a type checker's findings as candidates: ty's unresolved-import / missing-attribute /
    missing-module-member / unknown-argument / too-many-positional / missing-argument /
    no-matching-overload diagnostics are parsed into (receiver type, name) or (callee, call shape)
    candidates, and kept only when the same runtime judge confirms them.  ty names types by their
    short name, so the judge looks the short name up among the classes/functions of every loaded
    module (and the case module) and confirms only when *every* match lacks the name.

The judge is conservative: a class with its own ``__getattr__``/``__getattribute__``, a name
assigned as ``self.name`` in any class of the MRO, annotated, in ``__slots__`` or in attrs fields,
a callable with ``**kwargs`` (for keywords) or ``*args`` (for arity): all count as present.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "corpus_hal"))
import bench  # noqa: E402
import verify  # noqa: E402

WORK = HERE / ".work"

# ty diagnostics that name a missing member, module or an ill-formed call.
TY_LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): error\[(?P<code>[\w-]+)\] (?P<msg>.*)$")
CALL_CODES = ("unknown-argument", "too-many-positional-arguments", "missing-argument", "no-matching-overload")
CALLEE = re.compile(r"(?:of|to) (?:bound method |function |constructor )?`(?P<callee>[\w.]+)`")


def parse_ty_diagnostic(line: str) -> dict | None:
    """One line of ``ty check --output-format concise`` as a candidate for the runtime judge, or None.

    Kinds: ``import`` (module), ``module_attr`` (module, name), ``attr`` (types: short type names,
    name; ``on_class``: the receiver is the class object), ``call`` (callee, bound, line, col).
    """
    m = TY_LINE.match(line.strip())
    if not m:
        return None
    code, msg = m.group("code"), m.group("msg")
    base = {"file": m.group("file"), "line": int(m.group("line")), "col": int(m.group("col")) - 1}
    if code == "import-not-found":
        mod = re.match(r"Cannot resolve imported module `([\w.]+)`", msg)
        return {**base, "q": "import", "module": mod.group(1)} if mod else None
    if code in ("missing-module-member", "missing-attribute"):
        mod = re.match(r"Module `([\w.]+)` has no member `(\w+)`", msg)
        if mod:
            return {**base, "q": "module_attr", "module": mod.group(1), "name": mod.group(2)}
        obj = re.match(r"(Object of type|Class) `(.+)` has no attribute `(\w+)`", msg)
        if not obj:
            return None
        types = []
        for part in obj.group(2).split(" | "):
            part = part.strip()
            if part == "None":
                continue
            cls = re.fullmatch(r"<class '([\w.]+)'>|type\[([\w.]+)\]", part)
            on_class = obj.group(1) == "Class" or cls is not None
            name = (cls.group(1) or cls.group(2)) if cls else re.sub(r"\[.*\]$", "", part)
            if not re.fullmatch(r"[A-Za-z_][\w.]*", name) or name in ("Unknown", "Literal", "object"):
                return None  # a type the judge cannot name (function, literal, Unknown): no candidate
            types.append((name, on_class))
        if not types:
            return None
        return {**base, "q": "attr", "types": [t for t, _ in types], "on_class": all(c for _, c in types),
                "name": obj.group(3)}
    if code in CALL_CODES:
        callee = CALLEE.search(msg)
        if not callee:
            return None
        return {**base, "q": "call", "callee": callee.group("callee"), "bound": "bound method" in msg}
    return None


JUDGE = r'''
import ast, builtins, dataclasses, importlib, importlib.util, inspect, json, os, re, socket, sys, types, warnings
warnings.simplefilter("ignore")
def _no_net(*a, **k):
    raise RuntimeError("network disabled")
socket.socket.connect = _no_net; socket.socket.connect_ex = _no_net
socket.create_connection = _no_net; socket.getaddrinfo = _no_net
for k, v in (("OPENAI_API_KEY", "sk-test"), ("AWS_ACCESS_KEY_ID", "t"), ("AWS_SECRET_ACCESS_KEY", "t"),
             ("AWS_DEFAULT_REGION", "us-east-1"), ("MPLBACKEND", "Agg")):
    os.environ.setdefault(k, v)
req = json.load(sys.stdin)
path = req["path"]
ROOTS = set(req.get("roots", ())) | {"builtins"}
os.chdir(os.path.dirname(path)); sys.path.insert(0, os.path.dirname(path))
case_mod = None
try:
    spec = importlib.util.spec_from_file_location("corpus_case", path)
    case_mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(case_mod)
except BaseException:
    case_mod = None
_index = None
def index():
    global _index
    if _index is None:
        _index = {}
        mods = list(sys.modules.values()) + ([case_mod] if case_mod else [])
        for mod in mods:
            try:
                items = list(vars(mod).values())
            except Exception:
                continue
            for obj in items:
                if isinstance(obj, type) or inspect.isfunction(obj) or inspect.isbuiltin(obj):
                    qn = getattr(obj, "__qualname__", None)
                    owner = str(getattr(obj, "__module__", None) or "")
                    if isinstance(qn, str) and (owner.split(".")[0] in ROOTS or owner == "corpus_case"):
                        _index.setdefault(qn, {})[id(obj)] = obj
    return _index
def resolve_dotted(name):
    """Objects a dotted name may denote: module path first, else short (qual)name lookup."""
    parts = name.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except BaseException:
            continue
        try:
            for p in parts[i:]:
                obj = getattr(obj, p)
            return [obj]
        except BaseException:
            break
    found = list(index().get(parts[0], {}).values())
    out = []
    for obj in found:
        try:
            for p in parts[1:]:
                obj = getattr(obj, p)
            out.append(obj)
        except BaseException:
            pass
    return out
def module_missing(module, name):
    try:
        mod = importlib.import_module(module)
    except BaseException:
        return "unknown"
    try:
        getattr(mod, name)
        return "present"
    except AttributeError:
        pass
    except BaseException:
        return "unknown"
    try:
        if importlib.util.find_spec(module + "." + name) is not None:
            return "present"
    except BaseException:
        pass
    return "missing"
def dynamic(k):
    """k defines __getattr__ / __getattribute__ in Python (a C slot wrapper is the generic lookup)."""
    if k is object:
        return False
    d = vars(k)
    return any(n in d and not isinstance(d[n], (types.WrapperDescriptorType, types.MethodWrapperType))
               for n in ("__getattr__", "__getattribute__"))
def class_missing(cls, name, on_class):
    if hasattr(cls, name):
        return "present"
    if getattr(cls, "__dictoffset__", 1) == 0 and not any(dynamic(k) for k in cls.__mro__):
        return "missing"  # instances have no __dict__: the type's attributes are all there is
    for k in getattr(cls, "__mro__", ()):
        if k is object:
            continue
        d = vars(k)
        if dynamic(k) or (on_class and dynamic(type(k))):
            return "unknown"
        if name in d.get("__annotations__", {}) or name in (d.get("__slots__") or ()):
            return "present"
        if name in {a.name for a in getattr(k, "__attrs_attrs__", ())}:
            return "present"
        try:
            src = inspect.getsource(k)
        except BaseException:
            src = None
        if src is None:
            if not (k.__module__ == "builtins" or "__slots__" in d):  # slots: all its instance attributes are listed
                return "unknown"  # a compiled class without source: instance attributes unknown
            continue
        if re.search(r"\bself\.%s\b" % re.escape(name), src):
            return "present"
        if re.search(r"setattr\(\s*self\b|self\.__dict__\b|vars\(self\)", src):
            return "unknown"  # instance attributes set by name
    return "missing"
def attr_verdict(q):
    objs = []
    for t in q["types"]:
        got = [getattr(o, "__origin__", o) for o in resolve_dotted(t)]
        got = [o for o in got if isinstance(o, type) or isinstance(o, types.ModuleType)]
        if not got:
            return "unknown"
        objs += got
    verdicts = set()
    for o in objs:
        if isinstance(o, types.ModuleType):
            verdicts.add(module_missing(o.__name__, q["name"]))
        else:
            verdicts.add(class_missing(o, q["name"], q.get("on_class", False)))
    return "missing" if verdicts == {"missing"} else "present" if "present" in verdicts else "unknown"
def call_verdict(q):
    callee = q["callee"]
    is_init = callee.endswith((".__init__", ".__new__"))
    if is_init:
        callee = callee.rsplit(".", 1)[0]
    objs = resolve_dotted(callee)
    if not objs or q.get("star"):
        return "unknown"
    verdicts = set()
    for obj in objs:
        if not callable(obj):
            verdicts.add("unknown"); continue
        try:
            sig = inspect.signature(obj)
        except BaseException:
            verdicts.add("unknown"); continue
        pos = list(range(q["npos"]))
        if q.get("bound") and "." in callee and (inspect.isfunction(obj) or inspect.ismethoddescriptor(obj)):
            owner = resolve_dotted(callee.rsplit(".", 1)[0])
            static = any(isinstance(inspect.getattr_static(o, callee.rsplit(".", 1)[1], None), (staticmethod, classmethod))
                         for o in owner if isinstance(o, type))
            if not static:
                pos = [None] + pos  # the instance the method is bound to
        try:
            sig.bind(*pos, **{k: None for k in q["kws"]})
            verdicts.add("present")
        except TypeError:
            verdicts.add("missing")
    return "missing" if verdicts == {"missing"} else "present" if "present" in verdicts else "unknown"
out = []
for q in req["queries"]:
    try:
        if q["q"] == "import":
            try:
                spec = importlib.util.find_spec(q["module"])
                v = "missing" if spec is None else "present"
            except ModuleNotFoundError:
                v = "missing"
            except BaseException:
                v = "unknown"
            if v == "missing" and q.get("name") is None:
                pass
        elif q["q"] == "module_attr":
            v = module_missing(q["module"], q["name"])
        elif q["q"] == "attr":
            v = attr_verdict(q)
        elif q["q"] == "call":
            v = call_verdict(q)
        else:
            v = "unknown"
    except BaseException as exc:
        v = "unknown"
    out.append(v)
print(json.dumps(out))
'''


def judge(python: Path, path: Path, queries: list[dict]) -> list[str]:
    """Verdicts ("missing" / "present" / "unknown") of the runtime judge in the pinned env."""
    if not queries:
        return []
    payload = {"path": str(path), "queries": queries, "roots": sorted(imported_roots(ast.parse(path.read_text())))}
    proc = subprocess.run([str(python), "-c", JUDGE], input=json.dumps(payload),
                          capture_output=True, text=True, timeout=600, check=False,
                          env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    try:
        return json.loads(proc.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        sys.stderr.write(f"judge failed on {path.name}: {proc.stderr[-500:]}\n")
        return ["unknown"] * len(queries)


def imported_roots(tree: ast.AST) -> set[str]:
    """Top-level packages the file imports (the judge looks short type names up only in these)."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            out.add(node.module.split(".")[0])
    return out


def guarded_import_lines(tree: ast.AST) -> set[int]:
    """Lines inside a ``try`` whose handlers catch ImportError (optional imports)."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Try):
            names = set()
            for h in node.handlers:
                if h.type is None:
                    names.add("Exception")
                for t in (h.type.elts if isinstance(h.type, ast.Tuple) else [h.type] if h.type else []):
                    names.add(t.attr if isinstance(t, ast.Attribute) else getattr(t, "id", ""))
            if names & {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}:
                for stmt in node.body + [s for h in node.handlers for s in h.body]:  # the fallback import too
                    lines |= set(range(stmt.lineno, stmt.end_lineno + 1))
    return lines


def feature_test_lines(tree: ast.AST) -> set[int]:
    """Lines that run only after a feature test: the body of ``if hasattr(...)`` / ``getattr`` / a
    ``sys.version_info`` comparison (and its else branch), and of ``try`` catching AttributeError."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        body: list[ast.stmt] = []
        if isinstance(node, (ast.If, ast.IfExp)):
            test = ast.dump(node.test)
            if "hasattr" in test or "getattr" in test or "version_info" in test:
                body = (node.body + node.orelse) if isinstance(node, ast.If) else [node]
        elif isinstance(node, ast.Try):
            caught = {getattr(t, "id", getattr(t, "attr", "")) for h in node.handlers if h.type is not None
                      for t in (h.type.elts if isinstance(h.type, ast.Tuple) else [h.type])}
            if caught & {"AttributeError", "Exception", "BaseException"} or any(h.type is None for h in node.handlers):
                body = node.body
        for stmt in body:
            lines |= set(range(stmt.lineno, stmt.end_lineno + 1))
        # ``if hasattr(np, "trapezoid"): return ...`` then the fallback: the rest of the block is guarded too.
        for field in ("body", "orelse", "finalbody"):
            block = getattr(node, field, None)
            if not isinstance(block, list):
                continue
            for i, stmt in enumerate(block):
                if (isinstance(stmt, ast.If) and isinstance(stmt.body[-1], (ast.Return, ast.Raise))
                        and any(k in ast.dump(stmt.test) for k in ("hasattr", "getattr", "version_info"))):
                    for rest in block[i + 1:]:
                        lines |= set(range(rest.lineno, rest.end_lineno + 1))
    return lines


def local_class_names(tree: ast.Module) -> set[str]:
    """Classes defined inside functions: the judge cannot reach them, and their short name may
    denote an unrelated importable class (``Event`` in a function vs ``threading.Event``)."""
    top = {n.name for n in tree.body if isinstance(n, ast.ClassDef)}
    return {n.name for n in ast.walk(tree) if isinstance(n, ast.ClassDef)} - top


def call_shape(tree: ast.AST, line: int, col: int) -> dict | None:
    """Positional count and keyword names of the innermost call whose arguments span (line, col)."""
    best = None
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        if (node.lineno, node.col_offset) <= (line, col) <= (node.end_lineno, node.end_col_offset):
            if (node.func.end_lineno, node.func.end_col_offset) <= (line, col) or (line, col) == (node.lineno, node.col_offset):
                if best is None or (node.lineno, node.col_offset) >= (best.lineno, best.col_offset):
                    best = node
    if best is None:
        return None
    return shape_of(best)


def shape_of(call: ast.Call) -> dict:
    star = any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords)
    return {"npos": len(call.args), "kws": [k.arg for k in call.keywords if k.arg], "star": star}


def find_ty() -> Path:
    for cand in (WORK / "peers" / "bin" / "ty", WORK / "realapps" / "tools" / "bin" / "ty"):
        if cand.exists():
            return cand
    found = shutil.which("ty")
    if not found:
        raise SystemExit("ty not found (benchmarks/.work/peers or realapps/tools)")
    return Path(found)


Report = tuple[str, int, str]  # (resolved path, line, what)


def design_c(root: Path, python: Path, version: str) -> tuple[float, list[Report], dict]:
    start = time.perf_counter()
    files = sorted(str(p) for p in root.glob("*.py"))
    proc = subprocess.run([str(find_ty()), "check", "--python", str(python), "--python-version", version,
                           "--output-format", "concise", *files], capture_output=True, text=True, cwd=root, check=False, timeout=1800)
    ty_secs = time.perf_counter() - start
    by_file: dict[Path, list[dict]] = defaultdict(list)
    stats: dict = defaultdict(int)
    raw: list[Report] = []
    for line in proc.stdout.splitlines():
        m = TY_LINE.match(line.strip())
        if m is None:
            continue
        raw.append((str((root / m.group("file")).resolve()), int(m.group("line")), m.group("code")))
        stats["diagnostics"] += 1
        cand = parse_ty_diagnostic(line)
        if cand is None:
            continue
        path = (root / cand["file"]).resolve()
        if cand["q"] == "call":
            shape = call_shape(ast.parse(path.read_text()), cand["line"], cand["col"])
            if shape is None:
                continue
            cand.update(shape)
        if cand["q"] == "attr" and set(cand["types"]) & local_class_names(ast.parse(path.read_text())):
            stats["local-class receivers dropped"] += 1
            continue
        if cand["q"] in ("import", "module_attr") and cand["line"] in guarded_import_lines(ast.parse(path.read_text())):
            stats["guarded imports dropped"] += 1
            continue
        by_file[path].append(cand)
        stats["candidates"] += 1
    reports: list[Report] = []
    for path, cands in by_file.items():
        for cand, verdict in zip(cands, judge(python, path, cands)):
            stats[verdict] += 1
            if os.environ.get("SPIKE_DEBUG"):
                print(f"c {path.name}:{cand['line']} {verdict} {cand}", file=sys.stderr)
            if verdict == "missing":
                reports.append((str(path), cand["line"], f"{cand['q']}:{cand.get('name') or cand.get('callee') or cand.get('module')}"))
    stats["raw"] = (ty_secs, raw)  # ty alone, every error, no judge: what the judge adds or drops
    return time.perf_counter() - start, reports, stats


def design_b(root: Path, python: Path, cases: list[verify.Case]) -> tuple[float, list[Report], dict]:
    import jedi

    start = time.perf_counter()
    env = jedi.create_environment(str(python), safe=False)
    project = jedi.Project(str(root))
    stats = defaultdict(int)
    reports: list[Report] = []
    by_file: dict[Path, list[verify.Case]] = defaultdict(list)
    for c in cases:
        by_file[c.copy_path].append(c)
    for path, group in sorted(by_file.items()):
        text = path.read_text()
        tree = ast.parse(text)
        script = jedi.Script(text, path=str(path), project=project, environment=env)
        spans = [(c.start, c.end) for c in group]
        guarded = guarded_import_lines(tree)
        feature_tested = feature_test_lines(tree)
        queries: list[dict] = []

        def inside(node: ast.AST) -> bool:
            return any(s <= node.lineno <= e for s, e in spans)

        def infer(expr: ast.expr) -> list | None:
            # After a call's or subscript's closing bracket jedi infers the whole expression; on the
            # bracket itself it may pick the last argument (``Pair(1, 2)`` -> int).
            col = expr.end_col_offset - (0 if isinstance(expr, (ast.Call, ast.Subscript)) else 1)
            try:
                names = script.infer(expr.end_lineno, col)
            except Exception:
                stats["jedi errors"] += 1
                return None
            return names or None

        for node in ast.walk(tree):
            if not hasattr(node, "lineno") or not inside(node):
                continue
            if isinstance(node, (ast.Import, ast.ImportFrom)) and node.lineno in guarded:
                continue
            if isinstance(node, ast.Import):
                queries += [{"q": "import", "module": a.name, "line": node.lineno} for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                queries.append({"q": "import", "module": node.module, "line": node.lineno})
                queries += [{"q": "module_attr", "module": node.module, "name": a.name, "line": node.lineno}
                            for a in node.names if a.name != "*"]
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load) and node.lineno not in feature_tested:
                stats["attribute accesses"] += 1
                names = infer(node.value)
                if names is None:
                    continue
                kinds = {n.type for n in names}
                full = [n.full_name for n in names]
                if None in full:
                    continue
                if kinds == {"module"}:
                    queries += [{"q": "module_attr", "module": f, "name": node.attr, "line": node.end_lineno} for f in full]
                elif kinds <= {"instance", "class"}:
                    queries.append({"q": "attr", "types": full, "on_class": kinds == {"class"}, "name": node.attr,
                                    "line": node.end_lineno})
                else:
                    continue
                stats["attribute receivers inferred"] += 1
            elif isinstance(node, ast.Call) and (node.args or node.keywords):
                stats["calls"] += 1
                names = infer(node.func)
                if names is None or len(names) != 1 or names[0].full_name is None:
                    continue
                n = names[0]
                if n.type not in ("function", "class"):
                    continue
                stats["callees inferred"] += 1
                bound = n.type == "function" and isinstance(node.func, ast.Attribute) and n.parent().type == "class"
                callee = n.full_name + (".__init__" if n.type == "class" else "")
                queries.append({"q": "call", "callee": callee, "bound": bound, "line": node.lineno, **shape_of(node)})
        for q, verdict in zip(queries, judge(python, path, queries)):
            stats[verdict] += 1
            if os.environ.get("SPIKE_DEBUG"):
                print(f"b {path.name}:{q['line']} {verdict} {q}", file=sys.stderr)
            if verdict == "missing":
                reports.append((str(path), q["line"], f"{q['q']}:{q.get('name') or q.get('callee') or q.get('module')}"))
    return time.perf_counter() - start, reports, stats


def design_a(root: Path, python: Path, version: str) -> tuple[float, list[Report], dict]:
    """vetpy as corpus_hal/bench.py runs it, but with its per-file results cache cold: a copy of the
    shared cache without ``results/`` (the member index of the pinned envs stays warm, as in a
    session that already saw the environment; ty has no such cache, the judge has none either)."""
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(WORK / "cache-corpus-hal", Path(tmp) / "cache", ignore=shutil.ignore_patterns("results"))
        files = sorted(str(p) for p in root.glob("*.py"))
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "vetpy", "check", "--python", str(python), "--select", "HAL",
                               "--format", "json", "--exit-zero", *files], capture_output=True, text=True, check=False, timeout=3600,
                              env={**os.environ, "VETPY_CACHE_DIR": str(Path(tmp) / "cache")})
        secs = time.perf_counter() - start
    found = json.loads(proc.stdout)
    return secs, [(str(Path(f["path"]).resolve()), f["line"], f["code"]) for f in found if f["code"].startswith("HAL")], {}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--designs", default="a,b,c")
    parser.add_argument("--sample", type=int, default=0, help="score a seeded sample of N functions (b's cost)")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--verdicts", type=Path, help="JSON cache of the idents verify.py proved (reused when it exists)")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    designs = [d for d in args.designs.split(",") if d]
    t0 = time.perf_counter()
    if args.verdicts and args.verdicts.exists():
        proven_ids = set(json.loads(args.verdicts.read_text()))
        cases = [c for env_dir in verify.envs() for c in verify.collect(env_dir)]
        for c in cases:
            c.proven = c.ident in proven_ids
    else:
        cases = verify.verify()
        if args.verdicts:
            args.verdicts.write_text(json.dumps(sorted(c.ident for c in cases if c.proven)))
    proven = [c for c in cases if c.proven]
    print(f"verify.py: {len(proven)} proven functions ({time.perf_counter() - t0:.0f} s)", file=sys.stderr)
    roots = bench.prepare(proven)
    if args.sample:
        proven = random.Random(args.seed).sample(proven, min(args.sample, len(proven)))
    results: dict[str, tuple[float, list[Report], dict]] = {}
    for design in designs:
        secs, reports, stats = 0.0, [], defaultdict(int)
        for env_dir in verify.envs():
            python = verify.build_env(env_dir)
            version = ".".join((env_dir / "python-version").read_text().strip().split(".")[:2])
            env_cases = [c for c in proven if c.env == env_dir.name]
            if design == "a":
                s, r, st = design_a(roots[env_dir.name], python, version)
            elif design == "b":
                s, r, st = design_b(roots[env_dir.name], python, env_cases)
            else:
                s, r, st = design_c(roots[env_dir.name], python, version)
            secs += s
            reports += r
            for k, v in st.items():
                if k == "raw":
                    raw_s, raw_r = stats.get("raw", (0.0, []))
                    stats["raw"] = (raw_s + v[0], raw_r + v[1])
                else:
                    stats[k] += v
        raw = stats.pop("raw", None)
        results[design] = (secs, reports, dict(stats))
        if raw is not None:
            results["ty"] = (raw[0], raw[1], {})
        print(f"design {design}: {secs:.0f} s, {len(reports)} reports, {dict(stats)}", file=sys.stderr)
    if "a" in results and "c" in results:
        sa, ra, _ = results["a"]
        sc, rc, _ = results["c"]
        results["a+c"] = (sa + sc, ra + rc, {})
    if "a" in results and "ty" in results:  # the ceiling of (a) ∪ (c) with a judge that confirmed all of ty
        results["a+ty"] = (results["a"][0] + results["ty"][0], results["a"][1] + results["ty"][1], {})
    if "a" in results and "b" in results:
        sa, ra, _ = results["a"]
        sb, rb, _ = results["b"]
        results["a+b"] = (sa + sb, ra + rb, {})
    scored = bench.score(proven, {d: [(p, line, what) for p, line, what in r] for d, (_s, r, _st) in results.items()})
    hal = [c for c in proven if c.kind == "case"]
    valid = [c for c in proven if c.kind == "valid"]
    cats = [c for c in verify.CATEGORIES if any(h.category == c for h in hal)]
    names = {"a": "(a) vetpy's own inference", "b": "(b) jedi + runtime judge", "c": "(c) ty candidates + runtime judge",
             "a+c": "hybrid (a) ∪ (c)", "ty": "ty alone, any error (no judge; for reference)", "a+b": "hybrid (a) ∪ (b)",
             "a+ty": "(a) ∪ ty alone (no judge; ceiling for (a) ∪ (c))"}
    print(f"\n{'Sample of ' + str(len(proven)) + ' functions (seed ' + str(args.seed) + '): ' if args.sample else ''}"
          f"{len(hal)} proven hallucinations, {len(valid)} valid functions")
    print(f"| design | found / {len(hal)} | " + " | ".join(f"{bench.SHORT[c]} ({sum(h.category == c for h in hal)})" for c in cats)
          + f" | valid flagged / {len(valid)} | reports on unmarked case lines | wall s |")
    print("|---|---|" + "---|" * len(cats) + "---|---|---|")
    for design, (secs, _r, _st) in results.items():
        hit, fps = scored[design]["hit"], scored[design]["fps"]
        tp = sum(h.ident in hit for h in hal)
        cells = [str(sum(h.ident in hit for h in hal if h.category == c)) for c in cats]
        flagged = {f[0] for f in fps if f[1] == "valid"}
        print(f"| {names[design]} | **{tp}** ({100 * tp / max(len(hal), 1):.0f}%) | " + " | ".join(cells)
              + f" | {len(flagged)} | {sum(f[1] == 'case' for f in fps)} | {secs:.0f} |")
    if "a" in results:
        a_hit = scored["a"]["hit"]
        for other in ("b", "c"):
            if other in results:
                extra = [h for h in hal if h.ident in scored[other]["hit"] and h.ident not in a_hit]
                print(f"\n({other}) finds {len(extra)} that (a) misses; by receiver: "
                      + ", ".join(f"{k} {v}" for k, v in sorted(_count(h.receiver for h in extra).items(), key=lambda kv: -kv[1])))
    for design in results:
        fps = [f for f in scored[design]["fps"] if f[1] in ("valid", "case")]
        if fps:
            print(f"{design} reports off the marked lines: " + "; ".join(f"{i}:{line} {w}" for i, _k, line, w in fps[:20]))
    if args.verbose:
        for design in results:
            for h in hal:
                if h.ident not in scored[design]["hit"]:
                    print(f"  {design} misses {h.ident} [{h.category}; {h.receiver}]")


def _count(items) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for i in items:
        out[i] += 1
    return out


if __name__ == "__main__":
    main()
