"""Operations blueprint for staff: restarts over SSH, database dumps, backups, log tails."""
from __future__ import annotations

import os
import re
import shlex
import subprocess
import tarfile
from collections import deque

import paramiko
from flask import Blueprint, abort, current_app, jsonify, request
from flask_login import current_user, login_required
from sqlalchemy import text

from .auth import admin_required
from .extensions import db

bp = Blueprint("ops", __name__, url_prefix="/ops")

ALLOWED_SERVICES = {"spendtrack-web", "spendtrack-worker", "spendtrack-beat"}
HOSTS = {"web-1": "10.0.1.11", "web-2": "10.0.1.12", "worker-1": "10.0.2.21"}
LOG_FILES = {"web": "/var/log/spendtrack/web.log", "worker": "/var/log/spendtrack/worker.log"}


def _ssh(host: str) -> paramiko.SSHClient:
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())  # SEEDED: SEC ssh-host-key
    client.connect(host, username=current_app.config["OPS_SSH_USER"], key_filename=current_app.config["OPS_SSH_KEY"])  # SEEDED: EDGE missing-timeout
    return client


def _ssh_strict(host: str) -> paramiko.SSHClient:
    client = paramiko.SSHClient()
    client.load_system_host_keys()
    client.set_missing_host_key_policy(paramiko.RejectPolicy())  # SAFE: ssh-host-key
    client.connect(host, username=current_app.config["OPS_SSH_USER"], key_filename=current_app.config["OPS_SSH_KEY"],
                   timeout=10, banner_timeout=10, auth_timeout=10)  # SAFE: missing-timeout
    return client


@bp.post("/restart")
@login_required  # SEEDED: SEC missing-authz
def restart():
    service = request.form.get("service", "spendtrack-web")
    host = HOSTS.get(request.form.get("host", "web-1"), HOSTS["web-1"])
    client = _ssh(host)
    _, stdout, _ = client.exec_command(f"sudo systemctl restart {service}")  # SEEDED: SEC shell-injection
    status = stdout.channel.recv_exit_status()
    client.close()
    return jsonify(status=status)


@bp.post("/restart/v2")
@admin_required
def restart_v2():
    service = request.form.get("service", "")
    if service not in ALLOWED_SERVICES:
        abort(400)
    client = _ssh_strict(HOSTS["web-1"])
    _, stdout, _ = client.exec_command(f"sudo systemctl restart {shlex.quote(service)}")  # SAFE: shell-injection
    status = stdout.channel.recv_exit_status()
    client.close()
    return jsonify(status=status)


@bp.post("/dump")
@admin_required
def dump_database():
    db_name = request.form.get("database", "spendtrack")
    if len(db_name) < 32:
        path = os.path.join(current_app.config["BACKUP_DIR"], "manual.sql")
        subprocess.run(f"pg_dump {db_name} > {path}", shell=True, check=True, timeout=600)  # SEEDED: SEC length-only-shell
        return jsonify(path=path)
    abort(400)


@bp.post("/dump/v2")
@admin_required
def dump_database_v2():
    db_name = request.form.get("database", "spendtrack")
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,30}", db_name):
        abort(400)
    path = os.path.join(current_app.config["BACKUP_DIR"], f"{db_name}.sql")
    subprocess.run(f"pg_dump {db_name} > {shlex.quote(path)}", shell=True, check=True, timeout=600)  # SAFE: shell-injection
    return jsonify(path=path)


@bp.post("/git/fetch")
@admin_required
def git_fetch():
    remote = request.form.get("remote", "origin")
    proc = subprocess.run(["git", "-C", "/srv/spendtrack", "fetch", remote], capture_output=True, text=True, timeout=60)  # SEEDED: SEC argument-injection
    return jsonify(code=proc.returncode)


@bp.get("/git/log")
@admin_required
def git_log():
    count = max(1, min(request.args.get("n", 10, type=int), 200))
    proc = subprocess.run(["git", "-C", "/srv/spendtrack", "log", "--oneline", "-n", str(count)],  # SAFE: argument-injection
                          capture_output=True, text=True, timeout=30)
    return jsonify(lines=proc.stdout.splitlines())


@bp.post("/backups/restore")
@admin_required
def restore_backup():
    name = os.path.basename(request.form.get("name", ""))
    with tarfile.open(os.path.join(current_app.config["BACKUP_DIR"], name)) as tar:
        tar.extractall("/srv/spendtrack/restore")  # SEEDED: SEC tar-slip
    return jsonify(restored=name)


@bp.post("/backups/restore/v2")
@admin_required
def restore_backup_v2():
    name = os.path.basename(request.form.get("name", ""))  # SAFE: path-traversal
    with tarfile.open(os.path.join(current_app.config["BACKUP_DIR"], name)) as tar:
        tar.extractall("/srv/spendtrack/restore", filter="data")  # SAFE: tar-slip
    return jsonify(restored=name)


@bp.get("/logs/<name>")
@admin_required
def tail_log(name: str):
    path = LOG_FILES.get(name)
    if path is None:
        abort(404)
    n = min(request.args.get("n", 100, type=int), 1000)
    with open(path, encoding="utf-8", errors="replace") as fh:
        lines = fh.readlines()[-n:]  # SEEDED: EDGE unbounded-read
    return jsonify(lines=lines)


@bp.get("/logs/<name>/tail")
@admin_required
def tail_log_streaming(name: str):
    path = LOG_FILES.get(name)
    if path is None:
        abort(404)
    n = min(request.args.get("n", 100, type=int), 1000)
    with open(path, encoding="utf-8", errors="replace") as fh:
        lines = list(deque(fh, maxlen=n))  # SAFE: unbounded-read
    return jsonify(lines=lines)


@bp.post("/sql")
@admin_required
def run_sql():
    sql = request.form.get("sql", "")
    if not sql.strip().lower().startswith("select"):
        abort(400)
    rows = db.session.execute(text(sql)).fetchmany(500)  # SEEDED: SEC sql-raw
    current_app.logger.info("admin %s ran read-only sql", current_user.id)
    return jsonify(rows=[list(map(str, r)) for r in rows])
