"""semgrep as a benchmark peer: where its binary and its registry rules are, and how it is run.

The rules are the ``python/`` tree of github:semgrep/semgrep-rules (not redistributed here),
exported into a directory given by ``--semgrep-rules`` or ``VETPY_SEMGREP_RULES`` (default
``benchmarks/.work/semgrep-rules``), with the commit they come from in a ``COMMIT`` file or the
directory being a git checkout:

    git --git-dir=SEMGREP_RULES_GIT archive HEAD python | tar -x -C benchmarks/.work/semgrep-rules
    git --git-dir=SEMGREP_RULES_GIT rev-parse HEAD > benchmarks/.work/semgrep-rules/COMMIT

semgrep loads every ``.yaml``/``.yml`` file under the config directory as rules (the ``.py``
test targets beside them are not rules and are not loaded). It runs with ``--metrics=off``, the
version check off and no login, from inside the rules directory so that rule ids read as in the
repository (``python.lang.security.audit.formatted-sql-query``: the rule file's directory, dotted,
then the rule's own id).  When the binary or the rules are missing, ``find`` says why and the
benchmarks print that reason and leave semgrep out.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / ".work"
DEFAULT_RULES = WORK / "semgrep-rules"
PIN = "semgrep==1.185.0"
ENV = {"SEMGREP_ENABLE_VERSION_CHECK": "0", "SEMGREP_SEND_METRICS": "off"}


@dataclass
class Semgrep:
    binary: str
    rules: Path  # the directory holding python/
    version: str
    commit: str
    rule_files: int
    skipped: list[str] = field(default_factory=list)  # notes from the last run (unscanned files, errors)

    def describe(self) -> str:
        return f"semgrep {self.version} (rules: semgrep-rules {self.commit}, python/ tree, {self.rule_files} rule files)"

    def run(self, files: list[Path], configs: list[str] | None = None, chunk: int = 2000) -> list[dict]:
        """semgrep's results on ``files`` with the rule files or directories ``configs`` (paths
        relative to the rules directory; default the whole python/ tree). Each result's
        ``check_id`` is the repository-relative id; ``path`` is absolute."""
        results: list[dict] = []
        self.skipped = []
        for start in range(0, len(files), chunk):
            part = [str(p.resolve()) for p in files[start : start + chunk]]
            out = subprocess.run(
                self.command(part, configs),
                capture_output=True,
                text=True,
                check=False,
                cwd=self.rules,
                env={**os.environ, **ENV},
                timeout=1800,
            )
            try:
                data = json.loads(out.stdout)
            except json.JSONDecodeError:
                raise SystemExit(f"semgrep failed (exit {out.returncode}): {out.stderr.strip()[-2000:]}") from None
            results += data["results"]
            scanned = set(data.get("paths", {}).get("scanned", []))
            unscanned = [p for p in part if p not in scanned]
            if unscanned:
                self.skipped.append(f"{len(unscanned)} of {len(part)} files not scanned (e.g. {unscanned[0]})")
            for err in data.get("errors", []):
                self.skipped.append(f"{err.get('type')}: {err.get('path', '')} {str(err.get('message', ''))[:120]}")
        for r in results:
            r["path"] = str(Path(r["path"]).resolve())
        return results

    def command(self, targets: list[str], configs: list[str] | None = None) -> list[str]:
        cmd = [self.binary, "scan", "--metrics=off", "--disable-version-check", "--json", "--quiet", "--no-git-ignore"]
        for config in configs or ["python"]:
            cmd += ["--config", config]
        return cmd + targets


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--semgrep-rules", type=Path, help="directory holding semgrep-rules' python/ tree (default: $VETPY_SEMGREP_RULES or benchmarks/.work/semgrep-rules)")
    parser.add_argument("--semgrep", help="semgrep binary (default: $VETPY_SEMGREP, next to this interpreter, benchmarks/.work/peers/bin, PATH)")
    parser.add_argument("--no-semgrep", action="store_true", help="leave semgrep out")


def from_arguments(args: argparse.Namespace) -> Semgrep | None:
    """The peer the command line asks for, or None after printing why it is left out (on stdout,
    into the tables, and on stderr)."""
    if args.no_semgrep:
        print("semgrep skipped: --no-semgrep")
        return None
    peer = find(args.semgrep, args.semgrep_rules)
    if isinstance(peer, str):
        print(f"semgrep skipped: {peer}")
        print(f"semgrep skipped: {peer}", file=sys.stderr)
        return None
    return peer


def find(binary: str | None = None, rules: Path | None = None) -> Semgrep | str:
    """The semgrep peer, or the reason it can't run (binary: ``--semgrep`` or ``VETPY_SEMGREP``,
    else next to this interpreter, else ``benchmarks/.work/peers/bin``, else PATH)."""
    binary = binary or os.environ.get("VETPY_SEMGREP")
    if not binary:
        for candidate in (Path(sys.executable).parent / "semgrep", WORK / "peers" / "bin" / "semgrep"):
            if candidate.exists():
                binary = str(candidate)
                break
        else:
            binary = shutil.which("semgrep")
    if not binary:
        return f"semgrep is not installed (pip install {PIN}, next to {sys.executable} or in benchmarks/.work/peers)"
    rules = Path(rules or os.environ.get("VETPY_SEMGREP_RULES") or DEFAULT_RULES)
    if not (rules / "python").is_dir():
        return f"semgrep rules not found: {rules}/python is missing (export the python/ tree of semgrep/semgrep-rules there)"
    try:
        out = subprocess.run(
            [binary, "--version", "--metrics=off", "--disable-version-check"],
            capture_output=True, text=True, check=False, env={**os.environ, **ENV}, timeout=600,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"`{binary} --version` failed: {exc}"
    if out.returncode or not out.stdout.strip():
        return f"`{binary} --version` exited {out.returncode}: {(out.stderr or out.stdout).strip()[-500:]}"
    commit = "unknown commit"
    if (rules / "COMMIT").exists():
        commit = (rules / "COMMIT").read_text().strip()
    elif (rules / ".git").exists():
        commit = subprocess.run(["git", "-C", str(rules), "rev-parse", "HEAD"], capture_output=True, text=True, check=False, timeout=60).stdout.strip()
    count = sum(1 for p in (rules / "python").rglob("*") if p.suffix in (".yaml", ".yml"))
    return Semgrep(binary, rules, out.stdout.strip().splitlines()[-1], commit, count)
