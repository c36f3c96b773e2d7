"""Operator commands: `python -m learnhub.cli ...`."""
from __future__ import annotations

import logging
import os
import subprocess
import time
from pathlib import Path

import click
import peewee

from . import importers, storage
from .config import settings
from .db import init_sql
from .models import ALL_MODELS, School, User
from .security import hash_password, legacy_pin_hash

log = logging.getLogger(__name__)


@click.group()
def cli() -> None:
    """LearnHub operator commands."""
    logging.basicConfig(level=logging.INFO)
    init_sql()


@cli.command("init-db")
def init_db() -> None:
    from .db import database

    database.create_tables(ALL_MODELS)
    click.echo("tables created")


@cli.command("create-admin")
@click.option("--school", required=True)
@click.option("--email", required=True)
@click.password_option()  # SAFE: hidden-prompt
def create_admin(school: str, email: str, password: str) -> None:
    sch, _ = School.get_or_create(slug=school, defaults={"name": school})
    User.create(school=sch, email=email.lower(), display_name="Administrator", role="admin",
                password_hash=hash_password(password))
    click.echo(f"admin {email} created")


@cli.command("import-kiosk-pins")
@click.argument("csv_path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_kiosk_pins(csv_path: Path) -> None:
    for line in importers.read_roster(csv_path):
        email, pin = line.strip().split(",")  # SEEDED: EDGE empty-input
        User.update(password_hash=legacy_pin_hash(pin)).where(User.email == email).execute()


@cli.command("restore")
@click.argument("dump")
def restore(dump: str) -> None:
    subprocess.run(f"sqlite3 {settings.sql_path} < {dump}", shell=True, check=True)  # SEEDED: SEC shell-injection


@cli.command("restore-safe")
@click.argument("dump", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore_safe(dump: Path) -> None:
    with dump.open("rb") as fh:
        subprocess.run(["sqlite3", settings.sql_path], stdin=fh, check=True, timeout=600)  # SAFE: argv-stdin


@cli.command("wait-for-db")
def wait_for_db() -> None:
    from .db import database

    while True:  # SEEDED: EDGE unbounded-retry
        try:
            database.connect(reuse_if_open=True)
            break
        except peewee.OperationalError:
            time.sleep(2)
    click.echo("database ready")


@cli.command("wait-for-db-bounded")
@click.option("--attempts", default=30, show_default=True)
def wait_for_db_bounded(attempts: int) -> None:
    from .db import database

    for _ in range(attempts):  # SAFE: bounded-retry
        try:
            database.connect(reuse_if_open=True)
            click.echo("database ready")
            return
        except peewee.OperationalError:
            time.sleep(2)
    raise click.ClickException("database not reachable")


@cli.command("purge-exports")
@click.option("--older-than-days", default=30, show_default=True)
def purge_exports(older_than_days: int) -> None:
    cutoff = time.time() - older_than_days * 86400
    for path in storage.export_path_safe(".").iterdir():
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)  # SAFE: missing-ok


@cli.command("write-pidfile")
@click.argument("path", type=click.Path(path_type=Path))
def write_pidfile(path: Path) -> None:
    storage.write_marker(path, str(os.getpid()))


if __name__ == "__main__":
    cli()
