"""False positives on real applications: vetpy beside ty, pyrefly, bandit and ruff ``S``.

Issue #16, point 4. Each application below is downloaded as its sdist from PyPI (sha256 checked),
unpacked, and installed into its own virtual environment with its dependencies resolved as of the
application's release date (``uv pip install --exclude-newer DAY_AFTER_RELEASE APP==VERSION``;
privacyidea 3.9 also with its own ``requirements.txt`` as constraints, as its docs install it, which
is what gives it Flask-SQLAlchemy 2.5). The application's own package in the unpacked source tree is
then checked as a user would check their project, with that environment as the target interpreter
(``vetpy check --python ENV/bin/python --format json FILES``), and in the same run ty, pyrefly,
bandit and ``ruff check --select S`` check the same files (peers in a separate tools venv).
Generated Django/Alembic ``migrations`` folders are left out of every tool's input and of the line
counts.

Everything lives under benchmarks/.work/realapps/ (git-ignored); environments are built once and
reused (delete a folder to rebuild it). Results: benchmarks/.work/realapps/results.json, one
``findings-APP.json`` per application (vetpy's findings, for triage in benchmarks/realapps.md);
with ``REALAPPS_OUT=DIR`` those and vetpy's cold cache go to DIR instead (sessions that share the
environments do not overwrite each other's runs).

    .venv/bin/python benchmarks/realapps_bench.py                 # build what is missing, run everything
    .venv/bin/python benchmarks/realapps_bench.py --only zou      # one application (repeatable)
    .venv/bin/python benchmarks/realapps_bench.py --no-peers      # vetpy only
    .venv/bin/python benchmarks/realapps_bench.py --tables        # the tables of the last run again
    .venv/bin/python benchmarks/realapps_bench.py --sample        # the seeded SEC/EDGE triage sample
    .venv/bin/python benchmarks/realapps_bench.py --precision     # per-rule precision of SEC/EDGE on the sample

``--precision`` re-checks, with the current vetpy and its default selection, only the files that
hold a labelled SEC/EDGE finding (the seeded samples, and rules triaged in full on one run) (the environments must be built: ``--build-only``), and prints per
rule the labelled sample (real / debatable / noise), the score the issue asks for (real counts 1,
debatable 1/2, noise 0, over the findings), and the same for the labelled findings still reported.

Wall times are whole-process times on a shared 2-core machine: compare tools within one run only.
"""
from __future__ import annotations

import argparse
import collections
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / ".work" / "realapps"
LABELS = ROOT / "benchmarks" / "realapps_labels.json"   # the verdicts of benchmarks/realapps.md
TOOLS = WORK / "tools"
# results, findings and vetpy's cache: REALAPPS_OUT keeps one session's run apart from another's
# on shared environments (the sdists, envs and tools stay in WORK)
OUT = Path(os.environ.get("REALAPPS_OUT") or WORK)
PEERS = ("uv==0.13.9", "ty==0.0.105", "pyrefly==1.4.1", "bandit==1.9.4", "ruff==0.17.6")
PYENV = Path("/root/.pyenv/versions")


@dataclass(frozen=True)
class App:
    name: str          # PyPI project
    version: str
    released: str      # upload date of the sdist (UTC); dependencies resolved as of the end of that day
    python: str        # minor version of the interpreter the env is built with
    kind: str
    src: tuple[str, ...]          # the application's own packages, relative to the sdist root
    extras: str = ""
    constraints: str = ""         # a file of the sdist used as `-c` (the app's own pins)
    exclude: tuple[str, ...] = field(default=("/migrations/",))


APPS = (
    App("pretix", "2025.7.1", "2025-08-23", "3.11", "Django + Celery (ticketing)", ("src/pretix",)),
    App("privacyIDEA", "3.9.2", "2024-01-10", "3.10", "Flask + Flask-SQLAlchemy 2.5 (2FA server)", ("privacyidea",),
        constraints="requirements.txt"),
    App("zou", "0.20.70", "2025-08-29", "3.11", "Flask + Flask-SQLAlchemy 3.1 (production tracker API)", ("zou",)),
    App("dstack", "0.19.26", "2025-08-28", "3.11", "FastAPI + SQLAlchemy + pydantic (orchestrator)", ("src/dstack",),
        extras="[all]"),
    App("scanpy", "1.11.4", "2025-07-30", "3.11", "data science: pandas/numpy/scikit-learn/matplotlib", ("src/scanpy",)),
    App("streamlink", "7.5.0", "2025-07-08", "3.11", "CLI (stream extractor)", ("src/streamlink", "src/streamlink_cli")),
    App("xonsh", "0.19.9", "2025-06-24", "3.11", "Windows-aware shell", ("xonsh", "xontrib", "xompletions"),
        extras="[full]"),
    App("glances", "4.3.3", "2025-07-09", "3.11", "Windows-aware system monitor (psutil)", ("glances",)),
)

# Peer rules comparable to vetpy's HAL family (unknown module / name / attribute / keyword / arity).
# (ty names them import-not-found / missing-attribute / missing-module-member here; the older
# unresolved-* names are kept for other versions; union-member attributes are left out, as vetpy
# never reports those.)
TY_HAL = {"import-not-found", "missing-attribute", "missing-module-member", "unknown-argument", "missing-argument",
          "too-many-positional-arguments", "unresolved-import", "unresolved-attribute"}
PYREFLY_HAL = {"missing-import", "missing-attribute", "missing-module-attribute", "unexpected-keyword",
               "missing-argument", "bad-argument-count"}


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def run(cmd: list[str], cwd: Path | None = None, env: dict | None = None, timeout: int = 3600) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    return time.perf_counter() - start, proc


# -- building ------------------------------------------------------------------------------------

def ensure_tools() -> Path:
    bin_dir = TOOLS / "bin"
    if not (bin_dir / "ruff").exists():
        log("building the tools venv")
        subprocess.run([sys.executable, "-m", "venv", str(TOOLS)], check=True, timeout=600)
        subprocess.run([str(bin_dir / "pip"), "install", "-q", *PEERS], check=True, timeout=3600)
    return bin_dir


def interpreter(minor: str) -> Path:
    found = sorted(PYENV.glob(f"{minor}.*/bin/python{minor}"))
    if found:
        return found[-1]
    exe = shutil.which(f"python{minor}")
    if not exe:
        raise SystemExit(f"no Python {minor} found")
    return Path(exe)


def fetch_sdist(app: App) -> Path:
    """The unpacked sdist's root (downloaded once, sha256 checked against PyPI's JSON API)."""
    sdists = WORK / "sdists"
    sdists.mkdir(parents=True, exist_ok=True)
    for cand in sdists.iterdir():
        if cand.is_dir() and cand.name.lower() == f"{app.name}-{app.version}".lower():
            return cand
    url = f"https://pypi.org/pypi/{app.name}/json"
    meta = json.load(urllib.request.urlopen(url, timeout=60))
    files = [f for f in meta["releases"][app.version] if f["packagetype"] == "sdist"]
    if not files:
        raise SystemExit(f"{app.name} {app.version} has no sdist")
    data = urllib.request.urlopen(urllib.parse.urljoin(url, files[0]["url"]), timeout=600).read()
    if hashlib.sha256(data).hexdigest() != files[0]["digests"]["sha256"]:
        raise SystemExit(f"{app.name}: sha256 mismatch")
    archive = sdists / files[0]["filename"]
    archive.write_bytes(data)
    with tarfile.open(archive) as tar:
        tar.extractall(sdists, filter="data")
    return fetch_sdist(app)


def own_root(tree: Path) -> None:
    if not (tree / "pyproject.toml").exists():
        # A user's checkout is its own project (setup.py marks it). Here the tree sits inside the
        # vetpy repository, whose pyproject.toml vetpy's root discovery would prefer over the
        # nearer setup.py (see "Causes to fix" in realapps.md): an empty one keeps the root here.
        (tree / "pyproject.toml").write_text("# added by realapps_bench.py: this tree is its own project\n")


def ensure_env(app: App, tree: Path, uv: Path) -> Path:
    env = WORK / "envs" / app.name.lower()
    python = env / "bin" / "python"
    if (env / ".complete").exists():
        return python
    log(f"building {env} (Python {app.python}, --exclude-newer as of {app.released})")
    shutil.rmtree(env, ignore_errors=True)
    subprocess.run([str(uv), "venv", "-q", "--python", str(interpreter(app.python)), str(env)], check=True, timeout=600)
    day_after = (date.fromisoformat(app.released) + timedelta(days=1)).isoformat()
    cmd = [str(uv), "pip", "install", "-q", "--exclude-newer", day_after, "--python", str(python),
           f"{app.name}{app.extras}=={app.version}"]
    if app.constraints:
        cmd += ["-c", str(tree / app.constraints)]
    subprocess.run(cmd, check=True, env={**os.environ, "UV_CACHE_DIR": str(WORK / "uv-cache")}, timeout=3600)
    (env / ".complete").write_text(" ".join(cmd) + "\n")
    return python


def app_files(app: App, tree: Path) -> list[Path]:
    out = []
    for sub in app.src:
        for p in sorted((tree / sub).rglob("*.py")):
            rel = "/" + p.relative_to(tree).as_posix()
            if not any(x in rel for x in app.exclude):
                out.append(p)
    return out


def count_lines(files: list[Path]) -> int:
    return sum(1 for p in files for line in p.read_text(encoding="utf-8", errors="replace").splitlines() if line.strip())


# -- tools ---------------------------------------------------------------------------------------

def run_vetpy(files: list[Path], tree: Path, python: Path) -> tuple[float, list[dict]]:
    cache = OUT / "vetpy-cache"
    shutil.rmtree(cache, ignore_errors=True)           # cold: the peers keep no cache either
    env = {**os.environ, "VETPY_CACHE_DIR": str(cache)}
    env.pop("VIRTUAL_ENV", None)
    if env.get("PYTHONPATH"):
        # vetpy runs in the application's folder: a relative PYTHONPATH=server (a checkout's own
        # code) would silently not resolve there and run the installed vetpy instead
        env["PYTHONPATH"] = os.pathsep.join(os.path.abspath(p) for p in env["PYTHONPATH"].split(os.pathsep) if p)
    vetpy = Path(sys.executable).parent / "vetpy"
    secs, proc = run([str(vetpy), "check", "--python", str(python), "--format", "json", "--exit-zero",
                      *[str(f.relative_to(tree)) for f in files]], cwd=tree, env=env)
    try:
        return secs, json.loads(proc.stdout)
    except ValueError:
        raise SystemExit(f"vetpy failed: {proc.stderr[-2000:]}")


def run_peer(tool: str, bin_dir: Path, files: list[Path], tree: Path, python: Path) -> tuple[float, list[tuple[str, int, str]]]:
    """(wall seconds, [(path relative to the tree, line, rule)])."""
    rel = [str(f.relative_to(tree)) for f in files]
    found: list[tuple[str, int, str]] = []
    if tool == "ty":
        secs, proc = run([str(bin_dir / "ty"), "check", "--python", str(python), "--output-format", "concise", *rel], cwd=tree)
        for line in proc.stdout.splitlines():
            m = re.match(r"(.+?):(\d+):\d+: error\[([\w-]+)\]", line)
            if m:
                found.append((m.group(1), int(m.group(2)), m.group(3)))
    elif tool == "pyrefly":
        secs, proc = run([str(bin_dir / "pyrefly"), "check", "--preset", "default", "--python-interpreter-path", str(python),
                          "--output-format", "min-text", *rel], cwd=tree)
        for line in (proc.stdout + proc.stderr).splitlines():
            m = re.match(r"ERROR (.+?):(\d+):\d+-\S+: .*\[([\w-]+)\]$", line)
            if m:
                found.append((m.group(1), int(m.group(2)), m.group(3)))
    elif tool == "bandit":
        secs, proc = run([str(bin_dir / "bandit"), "-q", "-f", "json", *rel], cwd=tree)
        try:
            results = json.loads(proc.stdout)["results"]
        except (ValueError, KeyError):
            results = []
        found = [(r["filename"], r["line_number"], f'{r["test_id"]}:{r["issue_severity"]}') for r in results]
    elif tool == "ruff-S":
        secs, proc = run([str(bin_dir / "ruff"), "check", "--isolated", "--no-cache", "--select", "S", "--exit-zero",
                          "--output-format", "json", *rel], cwd=tree)
        try:
            results = json.loads(proc.stdout)
        except ValueError:
            results = []
        found = [(r["filename"], r["location"]["row"], r["code"]) for r in results]
    else:
        raise ValueError(tool)
    return secs, found


# -- report --------------------------------------------------------------------------------------

FAMILIES = ("HAL", "DEP", "SEC", "EDGE")


def family(code: str) -> str:
    return code.rstrip("0123456789")  # HAL003 -> HAL


def comparable(tool: str, rules: dict[str, int]) -> int:
    if tool == "ty":
        return sum(n for r, n in rules.items() if r in TY_HAL)
    if tool == "pyrefly":
        return sum(n for r, n in rules.items() if r in PYREFLY_HAL)
    if tool == "bandit":
        return sum(n for r, n in rules.items() if not r.endswith(":LOW"))
    return sum(rules.values())


def peer_summary(tool: str, found: list[tuple[str, int, str]]) -> dict:
    rules = collections.Counter(r for _, _, r in found)
    return {"total": len(found), "comparable": comparable(tool, rules), "rules": dict(rules.most_common())}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", action="append", help="application name (repeatable)")
    ap.add_argument("--no-peers", action="store_true")
    ap.add_argument("--build-only", action="store_true", help="build the environments, check nothing")
    ap.add_argument("--sample", action="store_true",
                    help="print the seeded triage sample (40 SEC, 40 EDGE) of the last run's findings and exit")
    ap.add_argument("--tables", action="store_true", help="print the tables of the last run (results.json) and exit")
    ap.add_argument("--precision", action="store_true",
                    help="re-check the files of the labelled SEC/EDGE sample and print per-rule precision")
    args = ap.parse_args()
    if args.precision:
        print_precision([a for a in APPS if not args.only or a.name.lower() in {o.lower() for o in args.only}])
        return
    if args.tables:
        results = json.loads((OUT / "results.json").read_text())
        print_tables(results, [a for a in APPS if a.name in results])
        return
    if args.sample:
        print_sample()
        return
    apps = [a for a in APPS if not args.only or a.name.lower() in {o.lower() for o in args.only}]
    if not apps:
        raise SystemExit(f"no such application; known: {', '.join(a.name for a in APPS)}")
    bin_dir = ensure_tools()
    peers = () if args.no_peers else ("ty", "pyrefly", "bandit", "ruff-S")
    results_path = OUT / "results.json"
    results = json.loads(results_path.read_text()) if results_path.exists() else {}
    for app in apps:
        tree = fetch_sdist(app)
        own_root(tree)
        python = ensure_env(app, tree, bin_dir / "uv")
        if args.build_only:
            continue
        files = app_files(app, tree)
        lines = count_lines(files)
        log(f"{app.name}: {len(files)} files, {lines} lines; vetpy ...")
        secs, findings = run_vetpy(files, tree, python)
        (OUT / f"findings-{app.name.lower()}.json").write_text(json.dumps(findings, indent=1))
        entry = {"version": app.version, "released": app.released, "python": app.python, "kind": app.kind,
                 "tree": str(tree), "env": str(python.parent.parent), "files": len(files), "lines": lines,
                 "vetpy": {"seconds": round(secs, 1), "families": dict(collections.Counter(family(f["code"]) for f in findings)),
                           "rules": dict(collections.Counter(f["code"] for f in findings).most_common())},
                 "peers": results.get(app.name, {}).get("peers", {}) if args.no_peers else {}}
        for tool in peers:
            log(f"{app.name}: {tool} ...")
            psecs, found = run_peer(tool, bin_dir, files, tree, python)
            entry["peers"][tool] = {"seconds": round(psecs, 1), **peer_summary(tool, found)}
            (OUT / f"peer-{tool}-{app.name.lower()}.json").write_text(json.dumps(found))
        results[app.name] = entry
        results_path.write_text(json.dumps(results, indent=1))
    if not args.build_only:
        print_tables(results, [a for a in APPS if a.name in results])


def triage_population(prefix: str) -> list[dict]:
    """Every finding of a family from the last run, in a stable order (application table order)."""
    results = json.loads((OUT / "results.json").read_text())
    out = []
    for app in APPS:
        path = OUT / f"findings-{app.name.lower()}.json"
        if app.name not in results or not path.exists():
            continue
        tree = Path(results[app.name]["tree"])
        for f in json.loads(path.read_text()):
            if family(f["code"]) == prefix:
                p = Path(f["path"])
                rel = (p if p.is_absolute() else tree / p).relative_to(tree).as_posix()
                out.append({"app": app.name, "path": rel, "line": f["line"], "column": f["column"],
                            "code": f["code"], "message": f["message"], "tree": tree})
    return sorted(out, key=lambda f: (f["app"], f["path"], f["line"], f["column"], f["code"]))


def print_sample(size: int = 40, seed: int = 2026) -> None:
    import random
    for prefix in ("SEC", "EDGE"):
        population = triage_population(prefix)
        picked = random.Random(seed).sample(population, min(size, len(population)))
        print(f"\n## {prefix}: {len(picked)} of {len(population)} (random.Random({seed}).sample)\n")
        for i, f in enumerate(picked, 1):
            source = (f["tree"] / f["path"]).read_text(encoding="utf-8", errors="replace").splitlines()
            print(f"{prefix}-{i:02d} {f['app']} {f['path']}:{f['line']} {f['code']} {f['message']}")
            print(f"      | {source[f['line'] - 1].strip()[:160]}")


def score(real: int, debatable: int, total: int) -> str:
    """Issue #16's bar: real counts 1, debatable 1/2, noise 0; worth fixing in at least 80%."""
    return f"{(real + debatable / 2) / total:.0%}" if total else "-"


def print_precision(apps: list[App]) -> None:
    """Per SEC/EDGE rule: the labelled sample, and what of it the current vetpy still reports."""
    from vetpy.codes import default_codes
    labelled = [r for r in json.loads(LABELS.read_text())["findings"]
                if family(r["code"]) in ("SEC", "EDGE") and r["app"] in {a.name for a in apps}]
    current: collections.Counter = collections.Counter()
    for app in apps:
        files = sorted({r["path"] for r in labelled if r["app"] == app.name})
        if not files:
            continue
        tree = fetch_sdist(app)
        own_root(tree)
        python = WORK / "envs" / app.name.lower() / "bin" / "python"
        if not (python.parent.parent / ".complete").exists():
            raise SystemExit(f"{app.name}: environment not built (run --build-only --only {app.name})")
        log(f"{app.name}: vetpy on {len(files)} files of the sample ...")
        _, findings = run_vetpy([tree / f for f in files], tree, python)
        for f in findings:
            p = Path(f["path"])
            current[(app.name, (p if p.is_absolute() else tree / p).relative_to(tree).as_posix(), f["line"], f["code"])] += 1
    rows: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    noise_left = []
    for r in labelled:
        key = (r["app"], r["path"], r["line"], r["code"])
        c = rows[r["code"]]
        c[r["verdict"]] += 1
        if current[key] > 0:
            current[key] -= 1
            c[r["verdict"] + " kept"] += 1
            if r["verdict"] == "noise":
                tag = r["cause"].removeprefix("sample ") if r["cause"].startswith("sample") else "run"
                noise_left.append(f"{tag} {r['code']} {r['app']} {r['path']}:{r['line']}")
    default = default_codes()
    print("\n## SEC/EDGE precision on the labelled sample (real 1, debatable 1/2, noise 0; bar 80%)\n")
    print("| rule | default | sampled | real | debatable | noise | score | still reported | real | debatable | noise | score now |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    lost = []
    for code in sorted(rows, key=lambda c: (family(c), c)):
        c = rows[code]
        n = c["real"] + c["debatable"] + c["noise"]
        k = c["real kept"] + c["debatable kept"] + c["noise kept"]
        print(f"| {code} | {'yes' if code in default else 'opt-in'} | {n} | {c['real']} | {c['debatable']} | {c['noise']} | "
              f"{score(c['real'], c['debatable'], n)} | {k} | {c['real kept']} | {c['debatable kept']} | {c['noise kept']} | "
              f"{score(c['real kept'], c['debatable kept'], k)} |")
        if c["real kept"] < c["real"]:
            lost.append(code)
    for fam in ("SEC", "EDGE"):
        c = sum((rows[code] for code in rows if family(code) == fam), collections.Counter())
        n = c["real"] + c["debatable"] + c["noise"]
        k = c["real kept"] + c["debatable kept"] + c["noise kept"]
        print(f"| **{fam}** | | {n} | {c['real']} | {c['debatable']} | {c['noise']} | {score(c['real'], c['debatable'], n)} | "
              f"{k} | {c['real kept']} | {c['debatable kept']} | {c['noise kept']} | {score(c['real kept'], c['debatable kept'], k)} |")
    for code in lost:
        print(f"real {code} finding no longer reported")
    print("\nnoise still reported: " + ("; ".join(sorted(noise_left)) or "none"))


def print_tables(results: dict, apps: list[App]) -> None:
    print("\n## Applications\n")
    print("| app | version | released | Python | kind | files | lines |")
    print("|---|---|---|---|---|---:|---:|")
    for a in apps:
        r = results[a.name]
        print(f"| {a.name} | {a.version} | {a.released} | {a.python} | {a.kind} | {r['files']} | {r['lines']:,} |")
    total_lines = sum(results[a.name]["lines"] for a in apps)
    print(f"| **total** | | | | | {sum(results[a.name]['files'] for a in apps)} | **{total_lines:,}** |")

    print("\n## vetpy findings per family (and per 10k lines)\n")
    print("| app | HAL | DEP | SEC | EDGE | HAL/10k | SEC+EDGE/10k | vetpy s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    tot = collections.Counter()
    for a in apps:
        r = results[a.name]
        fam = collections.Counter(r["vetpy"]["families"])
        tot.update(fam)
        k = r["lines"] / 10_000
        print(f"| {a.name} | {fam['HAL']} | {fam['DEP']} | {fam['SEC']} | {fam['EDGE']} | {fam['HAL'] / k:.2f} | "
              f"{(fam['SEC'] + fam['EDGE']) / k:.2f} | {r['vetpy']['seconds']} |")
    k = total_lines / 10_000
    print(f"| **total** | {tot['HAL']} | {tot['DEP']} | {tot['SEC']} | {tot['EDGE']} | {tot['HAL'] / k:.2f} | "
          f"{(tot['SEC'] + tot['EDGE']) / k:.2f} | {sum(results[a.name]['vetpy']['seconds'] for a in apps):.0f} |")

    if any(results[a.name]["peers"] for a in apps):
        print("\n## Beside the peers (same files, same run; HAL-comparable = unresolved import/attribute, "
              "unknown keyword, arity; bandit = medium+high)\n")
        print("| app | vetpy HAL | ty HAL-like | pyrefly HAL-like | vetpy SEC | bandit M+H (all) | ruff S | "
              "vetpy s | ty s | pyrefly s | bandit s | ruff s |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        sums = collections.Counter()
        for a in apps:
            r = results[a.name]
            p = r["peers"]
            fam = r["vetpy"]["families"]
            for t, summary in p.items():       # recomputed: the comparable sets may have changed
                summary["comparable"] = comparable(t, summary.get("rules", {}))
            g = lambda t, key: p.get(t, {}).get(key, 0)  # noqa: E731
            row = {"vh": fam.get("HAL", 0), "ty": g("ty", "comparable"), "py": g("pyrefly", "comparable"),
                   "vs": fam.get("SEC", 0), "b": g("bandit", "comparable"), "ba": g("bandit", "total"),
                   "r": g("ruff-S", "total"), "vt": r["vetpy"]["seconds"], "tt": g("ty", "seconds"),
                   "pt": g("pyrefly", "seconds"), "bt": g("bandit", "seconds"), "rt": g("ruff-S", "seconds")}
            sums.update(row)
            print(f"| {a.name} | {row['vh']} | {row['ty']} | {row['py']} | {row['vs']} | {row['b']} ({row['ba']}) | {row['r']} | "
                  f"{row['vt']} | {row['tt']} | {row['pt']} | {row['bt']} | {row['rt']} |")
        s = sums
        print(f"| **total** | {s['vh']} | {s['ty']} | {s['py']} | {s['vs']} | {s['b']} ({s['ba']}) | {s['r']} | "
              f"{s['vt']:.0f} | {s['tt']:.0f} | {s['pt']:.0f} | {s['bt']:.0f} | {s['rt']:.0f} |")
        print(f"\nper 10k lines: vetpy HAL {s['vh'] / k:.2f}, ty {s['ty'] / k:.1f}, pyrefly {s['py'] / k:.1f}; "
              f"vetpy SEC {s['vs'] / k:.2f}, bandit M+H {s['b'] / k:.1f}, ruff S {s['r'] / k:.1f}")
        for tool in ("ty", "pyrefly", "bandit", "ruff-S"):
            rules = collections.Counter()
            for a in apps:
                rules.update(results[a.name]["peers"].get(tool, {}).get("rules", {}))
            if rules:
                print(f"\n{tool} rules: " + ", ".join(f"{r} {n}" for r, n in rules.most_common(12)))
    rules = collections.Counter()
    for a in apps:
        rules.update(results[a.name]["vetpy"]["rules"])
    print("\nvetpy rules: " + ", ".join(f"{r} {n}" for r, n in sorted(rules.items())))
    print_against_labels(apps)


def print_against_labels(apps: list[App]) -> None:
    """This run's findings against the triaged ones (same pinned sdists, so lines are stable)."""
    if not LABELS.exists():
        return
    names = {a.name for a in apps}
    labelled = [r for r in json.loads(LABELS.read_text())["findings"] if r["app"] in names]
    current: collections.Counter = collections.Counter()
    results = json.loads((OUT / "results.json").read_text())
    for app in apps:
        tree = Path(results[app.name]["tree"])
        for f in json.loads((OUT / f"findings-{app.name.lower()}.json").read_text()):
            p = Path(f["path"])
            current[(app.name, (p if p.is_absolute() else tree / p).relative_to(tree).as_posix(), f["line"], f["code"])] += 1
    print("\n## Against the triage in benchmarks/realapps.md (labelled findings still reported)\n")
    print("| family | labelled real | still reported | labelled debatable | still reported | labelled noise | still reported | unlabelled now |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    missing_real = []
    for fam in ("HAL", "DEP", "SEC", "EDGE"):
        rows = [r for r in labelled if family(r["code"]) == fam]
        left = current.copy()
        counts = collections.Counter()
        for r in rows:
            key = (r["app"], r["path"], r["line"], r["code"])
            counts[r["verdict"]] += 1
            if left[key] > 0:
                left[key] -= 1
                counts[r["verdict"] + " kept"] += 1
            elif r["verdict"] == "real":
                missing_real.append(key)
        # unlabelled only means something for the families triaged in full
        new = sum(n for k, n in left.items() if family(k[3]) == fam) if fam in ("HAL", "DEP") else "-"
        print(f"| {fam} | {counts['real']} | {counts['real kept']} | {counts['debatable']} | {counts['debatable kept']} | "
              f"{counts['noise']} | {counts['noise kept']} | {new} |")
    for key in missing_real:
        print(f"real finding no longer reported: {key}")


if __name__ == "__main__":
    main()
