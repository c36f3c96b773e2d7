"""Build vetpy's index of known PyPI projects (server/vetpy/data/packages.json.gz).

    python scripts/build_packages.py                              # downloads the ranking
    python scripts/build_packages.py --top top-pypi-packages.min.json --scan /opt/pypi

What it records:
  * ``projects``: the most downloaded PyPI projects, most downloaded first (PEP 503 names), from
    Hugo van Kemenade's monthly ranking (https://hugovk.dev/top-pypi-packages/, the file
    ``top-pypi-packages.min.json``: ``{"last_update": ..., "rows": [{"project", "download_count"}]}``,
    15,000 projects of the last 30 days).  ``--top`` reads a local copy of that file instead.
  * ``imports``: import name -> the projects that install it, for import names that differ from
    the project's name (``yaml`` -> ``pyyaml``, ``cv2`` -> ``opencv-python``) or that another
    project installs too (``onelogin``: python3-saml and onelogin), read from the
    ``RECORD`` (else ``top_level.txt``) of the wheels and installed ``*.dist-info`` found under the
    ``--scan`` directories, for projects of the ranking only, plus ``CURATED`` for well-known
    projects whose wheels were not found there, plus (``--merge``) those of an earlier index.
    Each import name keeps the source it came from.

Nothing is installed or imported; no registry is asked for package names (the ranking is one
file).  The shipped file says when the ranking was made and which sources gave the import names.
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import json
import os
import re
import sys
import urllib.request
import zipfile
from pathlib import Path
from typing import Iterable, Iterator

TOP_URL = "https://hugovk.dev/top-pypi-packages/top-pypi-packages.min.json"
OUT = Path(__file__).resolve().parent.parent / "server" / "vetpy" / "data" / "packages.json.gz"
DEFAULT_SCAN = ["/opt/pypi", "/opt/pypi-more", "/opt/wheels"]

# well-known import names whose project's wheel may not be at hand (checked against the projects'
# documentation); a scanned wheel wins over these
CURATED = {
    "sklearn": "scikit-learn", "cv2": "opencv-python", "PIL": "pillow", "yaml": "pyyaml",
    "jwt": "pyjwt", "bs4": "beautifulsoup4", "dateutil": "python-dateutil", "dotenv": "python-dotenv",
    "magic": "python-magic", "Crypto": "pycryptodome", "OpenSSL": "pyopenssl", "serial": "pyserial",
    "usb": "pyusb", "git": "gitpython", "attr": "attrs", "skimage": "scikit-image", "docx": "python-docx",
    "pptx": "python-pptx", "fitz": "pymupdf", "MySQLdb": "mysqlclient", "psycopg2": "psycopg2-binary",
    "zmq": "pyzmq", "gi": "pygobject", "win32api": "pywin32", "telegram": "python-telegram-bot",
    "jose": "python-jose", "multipart": "python-multipart", "Levenshtein": "levenshtein",
    "slugify": "python-slugify", "socks": "pysocks", "ldap": "python-ldap", "nacl": "pynacl",
    "igraph": "igraph", "faiss": "faiss-cpu", "google": "protobuf", "dns": "dnspython",
    "Bio": "biopython", "sentry_sdk": "sentry-sdk", "pkg_resources": "setuptools", "mpl_toolkits": "matplotlib",
    "jinja2": "jinja2", "markdown": "markdown", "kafka": "kafka-python", "pymysql": "pymysql",
}
SKIP_TOPS = {"tests", "test", "testing", "docs", "doc", "examples", "example", "Demos", "demos", "benchmarks", "bin", "scripts",
             "setup", "conftest", "typings", "src", "lib"}
IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")  # `_pytest` (pytest), `_yaml` (pyyaml) are import names too
WHEEL_NAME = re.compile(r"^(?P<name>[^-]+)-")


def canonical(name: str) -> str:
    """PEP 503 normalisation."""
    return re.sub(r"[-_.]+", "-", name).lower()


def pth_folders(text: str) -> list[str]:
    """The folders a ``.pth`` file of a wheel puts on ``sys.path`` (pywin32's ``win32``,
    ``win32\\lib``: ``win32con``, ``pywintypes`` are imported by those names); its ``import``
    lines and comments are not folders."""
    return [line.strip().replace("\\", "/").strip("/") for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith(("#", "import ", "import\t"))]


def tops_from_record(paths: Iterable[str], folders: Iterable[str] = ()) -> set[str]:
    """The top-level import names a RECORD's paths install (also in the ``folders`` a ``.pth``
    adds to ``sys.path``)."""
    tops: set[str] = set()
    prefixes = [f + "/" for f in folders if f]
    paths = list(paths)
    paths += [path.replace("\\", "/")[len(prefix):] for path in paths for prefix in prefixes
              if path.replace("\\", "/").startswith(prefix)]
    for path in paths:
        parts = path.replace("\\", "/").split("/")
        first = parts[0]
        if not first or first.endswith((".dist-info", ".data", ".libs", ".egg-info")) or first in ("..", "__pycache__"):
            continue
        if len(parts) == 1:
            stem, _, ext = first.partition(".")
            if ext in ("py", "pyi") or (ext.endswith(("so", "pyd")) and ext.startswith(("so", "cpython", "abi3", "cp", "pyd"))):
                tops.add(stem)
        elif parts[-1].endswith((".py", ".pyi", ".so", ".pyd")):
            tops.add(first)
    return {t for t in tops if IDENT.match(t) and t not in SKIP_TOPS and "__" not in t}


def namespaces_from_record(paths: Iterable[str]) -> set[str]:
    """The top-level folders of a RECORD without an ``__init__.py``: namespace packages (PEP 420,
    ``google``), which many projects may share (see ``--merge``)."""
    folders: set[str] = set()
    regular: set[str] = set()
    for path in paths:
        parts = path.replace("\\", "/").split("/")
        if len(parts) > 1 and parts[-1].endswith((".py", ".pyi", ".so", ".pyd")):
            folders.add(parts[0])
            if len(parts) == 2 and parts[1] == "__init__.py":
                regular.add(parts[0])
    return folders - regular


def _record_lines(text: str) -> Iterator[str]:
    for line in text.splitlines():
        if line.strip():
            yield line.split(",")[0]


def read_wheel(path: Path) -> tuple[str, set[str], set[str]] | None:
    """(project, its top-level import names, its namespace packages) of a wheel, from RECORD (else
    top_level.txt)."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            meta = next((n for n in names if n.count("/") == 1 and n.endswith(".dist-info/METADATA")), None)
            project = _metadata_name(zf.read(meta).decode("utf-8", "replace")) if meta else None
            record = next((n for n in names if n.count("/") == 1 and n.endswith(".dist-info/RECORD")), None)
            lines = list(_record_lines(zf.read(record).decode("utf-8", "replace"))) if record else []
            folders = [f for n in names if "/" not in n and n.endswith(".pth")
                       for f in pth_folders(zf.read(n).decode("utf-8", "replace"))]
            tops, shared = tops_from_record(lines, folders), namespaces_from_record(lines)
            if not tops:
                tl = next((n for n in names if n.endswith(".dist-info/top_level.txt")), None)
                if tl:
                    tops = {t for t in zf.read(tl).decode().split() if IDENT.match(t) and t not in SKIP_TOPS}
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    if project is None:
        m = WHEEL_NAME.match(path.name)
        project = m.group("name") if m else None
    return (project, tops, shared) if project else None


def read_dist_info(path: Path) -> tuple[str, set[str], set[str]] | None:
    try:
        project = _metadata_name((path / "METADATA").read_text(encoding="utf-8", errors="replace"))
        record = path / "RECORD"
        lines = list(_record_lines(record.read_text(encoding="utf-8", errors="replace"))) if record.is_file() else []
        tops, shared = tops_from_record(lines), namespaces_from_record(lines)
        if not tops and (path / "top_level.txt").is_file():
            tops = {t for t in (path / "top_level.txt").read_text().split() if IDENT.match(t) and t not in SKIP_TOPS}
    except OSError:
        return None
    return (project, tops, shared) if project else None


def _metadata_name(text: str) -> str | None:
    for line in text.splitlines():
        if line.startswith("Name:"):
            return line[5:].strip()
        if not line.strip():
            break
    return None


def scan(directories: Iterable[str]) -> Iterator[tuple[str, set[str], str, set[str]]]:
    """(project, import names, where, namespace packages) for every wheel and installed
    distribution under ``directories``."""
    for directory in directories:
        root = Path(directory)
        if not root.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            for d in list(dirnames):
                if d.endswith(".dist-info"):
                    found = read_dist_info(Path(dirpath) / d)
                    if found:
                        yield found[0], found[1], "installed", found[2]
            # an installed package's own folders hold no other distribution
            dirnames[:] = [] if dirpath.endswith(("site-packages", "dist-packages")) else [
                d for d in dirnames if not d.endswith((".dist-info", "__pycache__"))]
            for f in filenames:
                if f.endswith(".whl"):
                    found = read_wheel(Path(dirpath) / f)
                    if found:
                        yield found[0], found[1], "wheel", found[2]


def load_ranking(top: str | None) -> dict:
    if top:
        return json.loads(Path(top).read_text(encoding="utf-8"))
    with urllib.request.urlopen(TOP_URL, timeout=60) as response:  # noqa: S310 - a fixed https URL
        return json.loads(response.read())


def build(ranking: dict, scanned: Iterable[tuple[str, set[str], str, set[str]]], limit: int,
          kept: dict | None = None) -> dict:
    rows = sorted(ranking["rows"], key=lambda r: -int(r["download_count"]))[:limit]
    projects = []
    seen: set[str] = set()
    for row in rows:
        name = canonical(row["project"])
        if name not in seen:
            seen.add(name)
            projects.append(name)
    rank = {p: i for i, p in enumerate(projects)}
    imports: dict[str, dict[str, str]] = {}  # import name -> {project: source}
    wheels = 0
    shared: set[str] = set()
    for project, tops, where, namespaces in scanned:
        key = canonical(project)
        shared |= namespaces
        if key not in rank:
            continue
        wheels += 1
        for top in tops:
            imports.setdefault(top, {}).setdefault(key, where)
    for top, earlier in ((kept or {}).get("imports") or {}).items():  # an earlier index's (--merge)
        for project in earlier:
            if project in rank:
                imports.setdefault(top, {}).setdefault(project, "kept")
    for top, project in CURATED.items():
        if kept is not None and top not in (kept.get("imports") or {}):
            continue  # the earlier index weighed it with every wheel at hand (`google`: a shared namespace)
        if project in rank and project not in imports.get(top, {}) and top.lower() != project.replace("-", "_"):
            imports.setdefault(top, {})[project] = "curated"
    table = {}
    for top, provided in sorted(imports.items()):
        if top in shared and kept is not None and top not in kept.get("imports", {}):
            continue  # a namespace package (`google`) that the earlier index may have left out as shared
        if set(provided) <= {canonical(top)}:
            continue  # only the project named so installs it: the name says that (`requests`)
        # else the project named so is one of several (`onelogin`: python3-saml installs it too)
        ordered = sorted(provided, key=rank.__getitem__)
        if len(ordered) > 8:  # a shared namespace (`google`, `azure`): no single provider to name
            continue
        table[top] = ordered[:3]
    sources = {}
    for provided in imports.values():
        for where in provided.values():
            sources[where] = sources.get(where, 0) + 1
    return {
        "format": 1,
        "built": datetime.date.today().isoformat(),
        "ranking": {"source": TOP_URL, "last_update": ranking.get("last_update"), "projects": len(projects)},
        "import_sources": {"distributions_read": wheels, **sources},
        "projects": projects,
        "imports": table,
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--top", help="a local copy of top-pypi-packages.min.json (default: download it)")
    p.add_argument("--scan", action="append", help="directories of wheels and site-packages to read import names "
                   "from (repeatable; default: %s)" % ", ".join(DEFAULT_SCAN))
    p.add_argument("--limit", type=int, default=15000, help="keep the N most downloaded projects")
    p.add_argument("--merge", help="an earlier index (packages.json.gz) whose import names are kept beside the "
                   "scanned ones (a distribution read then may not be at hand now)")
    p.add_argument("--out", default=str(OUT))
    args = p.parse_args(argv)
    kept = json.loads(gzip.decompress(Path(args.merge).read_bytes())) if args.merge else None
    data = build(load_ranking(args.top), scan(args.scan or DEFAULT_SCAN), args.limit, kept)
    raw = json.dumps(data, separators=(",", ":"), sort_keys=True).encode()
    Path(args.out).write_bytes(gzip.compress(raw, 9, mtime=0))
    print(f"{len(data['projects'])} projects, {len(data['imports'])} import names "
          f"({data['import_sources']}); {len(raw) / 1e3:.0f} kB of JSON, "
          f"{Path(args.out).stat().st_size / 1e3:.0f} kB gzipped -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
