"""Build the server bundle that the .vsix ships: ``bundled/libs`` (vetpy and its dependencies,
pure Python, for any Python >= vetpy's minimum) and ``bundled/wheels`` (the vetpy wheel built
from this repository).

The extension puts ``bundled/libs`` first on ``PYTHONPATH`` and runs ``<python> -m vetpy serve``
(vetpy.importStrategy ``useBundled``, the default), so vetpy is never installed into the
environment it checks.  Run by ``npm run bundle`` (and ``npm run package``)::

    python3 scripts/bundle_server.py [--python PYTHON]

pip evaluates environment markers for the interpreter running it, not for ``--python-version``:
a dependency needed only on older Pythons (``tomli; python_version < '3.11'``) is added here
for every Python from the minimum on.  Fails when anything compiled would be bundled.
"""

from __future__ import annotations

import argparse
import email.parser
import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent  # vscode-client/
REPO = HERE.parent
BUNDLED = HERE / "bundled"
LIBS = BUNDLED / "libs"
WHEELS = BUNDLED / "wheels"
COMPILED = (".so", ".pyd", ".dll", ".dylib")
PIN_TARGET = ["--only-binary=:all:", "--implementation", "py", "--abi", "none", "--platform", "any"]


def minimum_python() -> tuple[int, int]:
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    found = re.search(r'requires-python\s*=\s*">=\s*(\d+)\.(\d+)"', text)
    if found is None:
        raise SystemExit("pyproject.toml: no requires-python = \">=X.Y\"")
    return int(found.group(1)), int(found.group(2))


def pip(python: str, *args: str) -> None:
    cmd = [python, "-m", "pip", "--disable-pip-version-check", *args]
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True)


def installed() -> dict[str, Path]:
    """Normalised distribution name -> its METADATA, for every distribution in LIBS."""
    out: dict[str, Path] = {}
    for meta in LIBS.glob("*.dist-info/METADATA"):
        name = email.parser.Parser().parsestr(meta.read_text(encoding="utf-8"), headersonly=True)["Name"]
        out[re.sub(r"[-_.]+", "-", name).lower()] = meta
    return out


def missing_for_older_pythons(minimum: tuple[int, int]) -> list[str]:
    """Requirements of the bundled distributions whose markers hold on some supported Python
    (minimum .. 3.14) and that are not bundled yet."""
    sys.path.insert(0, str(LIBS))  # the bundled `packaging` reads the markers
    from packaging.requirements import Requirement

    have = installed()
    wanted: list[str] = []
    for meta in have.values():
        headers = email.parser.Parser().parsestr(meta.read_text(encoding="utf-8"), headersonly=True)
        for line in headers.get_all("Requires-Dist") or []:
            req = Requirement(line)
            name = re.sub(r"[-_.]+", "-", req.name).lower()
            if name in have or req.marker is None:
                continue
            versions = [f"{minimum[0]}.{minor}" for minor in range(minimum[1], 15)]
            if any(req.marker.evaluate({"python_version": v, "python_full_version": f"{v}.0", "extra": ""}) for v in versions):
                wanted.append(str(Requirement(line).name) + str(req.specifier))
    return sorted(set(wanted))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", default=sys.executable, help="the Python whose pip builds the bundle")
    args = parser.parse_args()
    minimum = minimum_python()
    shutil.rmtree(BUNDLED, ignore_errors=True)
    WHEELS.mkdir(parents=True)
    pip(args.python, "wheel", "-q", "--no-deps", "-w", str(WHEELS), str(REPO))
    wheels = sorted(WHEELS.glob("vetpy-*.whl"))
    if len(wheels) != 1:
        raise SystemExit(f"expected one vetpy wheel in {WHEELS}, found {wheels}")
    target = ["install", "-q", "--no-compile", "--target", str(LIBS), "--python-version", f"{minimum[0]}.{minimum[1]}", *PIN_TARGET]
    pip(args.python, *target, str(wheels[0]))
    for _ in range(5):  # until every dependency of every supported Python is there
        extra = missing_for_older_pythons(minimum)
        if not extra:
            break
        pip(args.python, *target, "--upgrade", *extra)
    else:
        raise SystemExit(f"dependencies still missing: {missing_for_older_pythons(minimum)}")
    shutil.rmtree(LIBS / "bin", ignore_errors=True)  # console scripts name the build's Python
    for cache in list(LIBS.rglob("__pycache__")):
        shutil.rmtree(cache, ignore_errors=True)
    compiled = [p for p in LIBS.rglob("*") if p.suffix in COMPILED]
    if compiled:
        raise SystemExit(f"the bundle must be pure Python; compiled: {[str(p) for p in compiled[:5]]}")
    names = ", ".join(sorted(p.name.removesuffix(".dist-info") for p in LIBS.glob("*.dist-info")))
    print(f"bundled for Python >= {minimum[0]}.{minimum[1]}: {names}")


if __name__ == "__main__":
    main()
