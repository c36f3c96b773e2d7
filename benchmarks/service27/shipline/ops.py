"""Operations helpers: printers, backups, diagnostics and deploys."""
from __future__ import annotations

import logging
import os
import re
import shlex
import shutil
import subprocess
from datetime import datetime, timezone
from pathlib import Path

from . import config

log = logging.getLogger("shipline.ops")

PRINTERS = {"dock-a": "zebra-dock-a", "dock-b": "zebra-dock-b", "office": "hp-office"}
HOSTNAME_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$")
REF_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$")
SERVICES = {"shipline-api", "shipline-worker", "shipline-portal"}


def print_label(printer: str, path: Path) -> None:
    queue = PRINTERS[printer]
    subprocess.run(["lp", "-d", queue, str(path)], check=True, timeout=30)  # SAFE: shell-injection


def print_label_raw(printer: str, path: str) -> None:
    os.system(f"lp -d {printer} {path}")  # SEEDED: SEC shell-injection


def ping_depot(host: str) -> str:
    out = subprocess.run(f"ping -c 2 {host}", shell=True, capture_output=True, text=True, timeout=20)  # SEEDED: SEC shell-injection
    return out.stdout


def ping_depot_safe(host: str) -> str:
    if not HOSTNAME_RE.fullmatch(host):
        raise ValueError("bad host")
    out = subprocess.run(f"ping -c 2 {shlex.quote(host)}", shell=True, capture_output=True, text=True, timeout=20)  # SAFE: shell-injection
    return out.stdout


def traceroute(host: str) -> str:
    if len(host) > 64:
        raise ValueError("host too long")
    return subprocess.check_output(f"traceroute -m 10 {host}", shell=True, text=True, timeout=60)  # SEEDED: SEC length-only-shell


def backup_reports(label: str) -> Path:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S")
    target = config.BACKUP_DIR / f"reports-{stamp}.sqlite3"
    subprocess.run(["sqlite3", config.REPORTS_DB, f".backup {target}"], check=True, timeout=600)  # SAFE: shell-injection
    log.info("backup %s written (%s)", target, label)
    return target


def restart_service(name: str) -> None:
    if name not in SERVICES:
        raise ValueError("unknown service")
    subprocess.run(["systemctl", "restart", name], check=True, timeout=60)  # SAFE: shell-injection


def deploy_ref(ref: str) -> str:
    return subprocess.check_output(["git", "-C", "/srv/shipline", "checkout", ref], text=True, timeout=60)  # SEEDED: SEC argument-injection


def deploy_ref_safe(ref: str) -> str:
    if not REF_RE.fullmatch(ref) or ref.startswith("-"):
        raise ValueError("bad ref")
    return subprocess.check_output(["git", "-C", "/srv/shipline", "checkout", ref, "--"], text=True, timeout=60)  # SAFE: argument-injection


def convert_label(src: Path, fmt: str) -> Path:
    out = src.with_suffix(".png")
    subprocess.run(["convert", "-density", "203", str(src), str(out)], check=True, timeout=120)  # SAFE: shell-injection
    return out


def disk_free() -> int:
    return shutil.disk_usage(config.DATA_DIR).free


def rotate_logs() -> None:
    log_path = config.DATA_DIR / "shipline.log"
    if log_path.exists():  # SEEDED: EDGE toctou
        log_path.rename(log_path.with_suffix(".log.1"))  # SEEDED-ALSO


def diagnostics(command: str) -> str:
    """Run a read-only diagnostic from the admin console."""
    allowed = ("df", "uptime", "free")
    if not command.startswith(allowed):
        raise ValueError("not allowed")
    return subprocess.check_output(command, shell=True, text=True, timeout=30)  # SEEDED: SEC shell-injection
