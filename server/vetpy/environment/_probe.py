"""Stdlib-only probe, run INSIDE the target interpreter (never imported by vetpy itself).

Invoked as ``python -c <this source> MODE [ARGS...]`` with a neutral working directory.
Modes:
    info            -> JSON description of the interpreter and its installed distributions
    specs ROOTS NAME...
                    -> JSON {name: true|false|null}: does importlib find a spec for the module?
                       (null: the lookup failed, or was refused).  Looking up ``a.b`` imports
                       package ``a`` inside this throw-away process, so it is refused (null)
                       when ``a`` is first-party: found under one of ROOTS (a JSON list of the
                       project's directories) outside site-packages, however it is installed
                       (editable finder, ``.pth``, ``lib/`` layout).  The top-level lookup that
                       decides this imports nothing.
Writes exactly one JSON document to stdout.
"""

import json
import os
import sys

# `python -c` puts '' (the working directory) first on sys.path: drop it so nothing from the
# directory we happen to run in can shadow or be mistaken for an installed module.
if sys.path and sys.path[0] in ("", os.getcwd()):
    del sys.path[0]


def _info():
    import importlib.machinery
    import site
    import sysconfig

    try:
        import importlib.metadata as md
    except ImportError:  # Python < 3.8
        md = None

    suffixes = tuple(importlib.machinery.all_suffixes())
    paths = sysconfig.get_paths()
    stdlib_dirs = sorted({paths.get("stdlib", ""), paths.get("platstdlib", "")} - {""})
    try:
        site_packages = list(site.getsitepackages())
    except AttributeError:  # old virtualenv's site.py
        site_packages = [paths.get("purelib", "")]
    if getattr(site, "ENABLE_USER_SITE", False):
        user_site = site.getusersitepackages()
        if os.path.isdir(user_site):
            site_packages.append(user_site)
    for key in ("purelib", "platlib"):
        p = paths.get(key)
        if p and p not in site_packages:
            site_packages.append(p)

    stdlib_names = set(getattr(sys, "stdlib_module_names", ())) | set(sys.builtin_module_names)
    if not getattr(sys, "stdlib_module_names", None):
        for d in stdlib_dirs:
            stdlib_names.update(_listing(d, suffixes))

    top = {}
    for entry in sys.path:
        if not entry or not os.path.isdir(entry):
            continue
        kind = "stdlib" if any(_inside(entry, d) for d in stdlib_dirs) and not any(
            _inside(entry, s) for s in site_packages
        ) else entry
        for name in _listing(entry, suffixes):
            top.setdefault(name, kind)
    for entry in sys.path:  # zip files and eggs
        if entry and os.path.isfile(entry):
            try:
                import pkgutil

                for mod in pkgutil.iter_modules([entry]):
                    top.setdefault(mod.name, entry)
            except Exception:  # vetpy: ignore[EDGE002] an unreadable zip entry must not stop the probe
                pass

    dists = []
    pkg_dists = {}
    if md is not None:
        seen = set()
        for dist in md.distributions():
            try:
                name = dist.metadata["Name"]
            except Exception:
                name = None
            if not name:
                continue
            key = name.lower().replace("_", "-").replace(".", "-")
            if key in seen:  # first on sys.path wins, as for imports
                continue
            seen.add(key)
            location = str(getattr(dist, "_path", "") or "")
            dists.append({"name": name, "version": dist.version or "", "location": location})
        try:
            pkg_dists = md.packages_distributions()
        except Exception:
            pkg_dists = {}

    standard_finders = ("BuiltinImporter", "FrozenImporter", "PathFinder")
    finders = [
        type(f).__module__ + "." + getattr(f, "__name__", type(f).__name__)
        for f in sys.meta_path
        if getattr(f, "__name__", type(f).__name__) not in standard_finders
    ]

    return {
        "executable": sys.executable,
        "version": list(sys.version_info[:3]),
        "implementation": sys.implementation.name,
        "platform": sys.platform,
        "prefix": sys.prefix,
        "base_prefix": getattr(sys, "base_prefix", sys.prefix),
        "sys_path": [p for p in sys.path if p],
        "site_packages": [p for p in site_packages if p],
        "stdlib_dirs": stdlib_dirs,
        "stdlib_names": sorted(stdlib_names),
        "top_level": top,
        "distributions": dists,
        "packages_distributions": pkg_dists,
        "meta_path_finders": finders,
    }


def _inside(path, directory):
    try:
        path = os.path.realpath(path)
        directory = os.path.realpath(directory)
        return path == directory or path.startswith(directory.rstrip(os.sep) + os.sep)
    except (OSError, ValueError):
        return False


def _listing(directory, suffixes):
    names = set()
    try:
        entries = os.listdir(directory)
    except OSError:
        return names
    for entry in entries:
        full = os.path.join(directory, entry)
        if entry.endswith(".dist-info") or entry.endswith(".egg-info") or entry.startswith("."):
            continue
        if os.path.isdir(full):
            if entry.isidentifier() and entry != "__pycache__":
                names.add(entry)
            continue
        for suffix in suffixes:
            if entry.endswith(suffix):
                stem = entry[: -len(suffix)]
                if stem.isidentifier():
                    names.add(stem)
                break
    return names


def _first_party(top, roots):
    """Is top-level module ``top`` the project's own code?  (``find_spec`` of a top-level name
    runs the finders, never the module; a spec that cannot be placed counts as first-party.)"""
    import importlib.util
    import site

    try:
        spec = importlib.util.find_spec(top)
    except BaseException:  # vetpy: ignore[EDGE002] a finder that fails cannot place it: refuse, as for the project's
        return True
    if spec is None:
        return False
    installed = [os.path.realpath(p) for p in [*site.getsitepackages(), site.getusersitepackages()] if p]
    for location in list(spec.submodule_search_locations or []) + [spec.origin or ""]:
        if not location or location in ("built-in", "frozen"):
            continue
        if not os.path.isabs(location):
            return True
        real = os.path.realpath(location)
        if any(_inside(real, s) for s in installed):
            continue
        if any(_inside(real, r) for r in roots):
            return True
    return False


def _specs(roots, names):
    import importlib.util

    out = {}
    for name in names:
        if "." in name and _first_party(name.split(".")[0], roots):
            out[name] = None  # would run the project's own __init__
            continue
        try:
            out[name] = importlib.util.find_spec(name) is not None
        except ModuleNotFoundError:
            out[name] = False
        except BaseException:
            out[name] = None
    return out


def main(argv):
    mode = argv[0] if argv else "info"
    if mode == "info":
        result = _info()
    elif mode == "specs":
        try:
            roots = [os.path.realpath(r) for r in json.loads(argv[1])]
        except (IndexError, ValueError, TypeError):
            roots = None
        result = {"error": "specs: expected a JSON list of roots"} if roots is None else _specs(roots, argv[2:])
    else:
        result = {"error": "unknown mode " + mode}
    out = sys.__stdout__
    out.write("\n@@VETPY-PROBE@@" + json.dumps(result) + "\n")
    out.flush()


main(sys.argv[1:])
