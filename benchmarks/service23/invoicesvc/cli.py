"""Admin command line: users, API keys, imports, maintenance (`invoicesvc-admin --help`)."""
from __future__ import annotations

import csv
import json
import os
import random
import secrets
import string
import subprocess
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path

import click
from sqlalchemy import select, text

from . import auth, db
from .config import get_settings
from .db import AdminUser, Customer, Invoice, SessionLocal
from .files import restore_backup_v2


@click.group()
def cli() -> None:
    """invoicesvc administration."""


@cli.command("create-admin")
@click.argument("email")
def create_admin(email: str) -> None:
    alphabet = string.ascii_letters + string.digits
    password = "".join(random.choice(alphabet) for _ in range(16))  # SEEDED: SEC weak-random-secret
    with SessionLocal() as session:
        session.add(AdminUser(email=email, password_hash=auth.hash_password_v2(password)))
        session.commit()
    click.echo(f"created {email}; temporary password: {password}")


@cli.command("reset-admin")
@click.argument("email")
def reset_admin(email: str) -> None:
    password = secrets.token_urlsafe(18)  # SAFE: weak-random-secret
    with SessionLocal() as session:
        user = session.scalars(select(AdminUser).where(AdminUser.email == email)).first()
        if user is None:
            raise click.ClickException(f"no admin {email}")
        user.password_hash = auth.hash_password_v2(password)
        session.commit()
    click.echo(f"new temporary password for {email}: {password}")


@cli.command("create-key")
@click.option("--org", type=int, required=True)
@click.option("--label", default="cli")
@click.option("--scope", "scopes", multiple=True, default=["invoices:read"])
def create_key(org: int, label: str, scopes: tuple[str, ...]) -> None:
    with SessionLocal() as session:
        key = auth.create_api_key(session, org, label, list(scopes))
    click.echo(key)


@cli.command("customer-invoices")
@click.option("--email", required=True)
def customer_invoices(email: str) -> None:
    with SessionLocal() as session:
        rows = session.execute(
            text(
                "SELECT i.number, i.status, i.total FROM invoices i JOIN customers c ON c.id = i.customer_id "
                f"WHERE c.email = '{email}'"  # SEEDED: SEC sql-where
            )
        ).all()
    for number, status, total in rows:
        click.echo(f"{number}\t{status}\t{total}")


@cli.command("customer-invoices-v2")
@click.option("--email", required=True)
def customer_invoices_v2(email: str) -> None:
    with SessionLocal() as session:
        rows = session.execute(
            text(
                "SELECT i.number, i.status, i.total FROM invoices i JOIN customers c ON c.id = i.customer_id "
                "WHERE c.email = :email"  # SAFE: sql-where
            ),
            {"email": email},
        ).all()
    for number, status, total in rows:
        click.echo(f"{number}\t{status}\t{total}")


@cli.command("import-customers")
@click.argument("csv_path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--org", type=int, required=True)
def import_customers(csv_path: Path, org: int) -> None:
    with csv_path.open(newline="") as fh:
        lines = fh.readlines()  # SEEDED: EDGE unbounded-read
    reader = csv.DictReader(lines)
    created = 0
    with SessionLocal() as session:
        for row in reader:
            session.add(Customer(org_id=org, name=row["name"].strip(), email=row["email"].strip().lower()))
            created += 1
        session.commit()
    click.echo(f"imported {created} customers")


@cli.command("import-balances")
@click.argument("csv_path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_balances(csv_path: Path) -> None:
    updated = 0
    with csv_path.open(newline="") as fh, SessionLocal() as session:
        for row in csv.DictReader(fh):  # SAFE: unbounded-read
            try:
                amount = Decimal(row["balance"])  # SAFE: money-float
            except InvalidOperation:
                click.echo(f"skipping {row.get('email')}: bad balance", err=True)
                continue
            customer = session.scalars(select(Customer).where(Customer.email == row["email"])).first()
            if customer is None:
                continue
            customer.credit_balance = amount
            updated += 1
        session.commit()
    click.echo(f"updated {updated} balances")


@cli.command("backup")
@click.option("--out", type=click.Path(path_type=Path), required=True)
def backup(out: Path) -> None:
    url = get_settings().database_url
    os.system(f"pg_dump '{url}' > {out}")  # SEEDED: SEC shell-injection
    click.echo(f"wrote {out}")


@cli.command("backup-v2")
@click.option("--out", type=click.Path(path_type=Path), required=True)
def backup_v2(out: Path) -> None:
    url = get_settings().database_url
    with out.open("wb") as fh:
        subprocess.run(["pg_dump", url], stdout=fh, check=True, timeout=3600)  # SAFE: shell-injection
    click.echo(f"wrote {out}")


@cli.command("restore")
@click.argument("archive", type=click.Path(exists=True, path_type=Path))
def restore(archive: Path) -> None:
    restore_backup_v2(archive, get_settings().storage_root)
    click.echo("restored")


@cli.command("recalc-totals")
@click.option("--org", type=int, required=True)
@click.option("--tax", default="0.20")
def recalc_totals(org: int, tax: str) -> None:
    rate = Decimal(tax)
    with SessionLocal() as session:
        for invoice in session.scalars(select(Invoice).where(Invoice.org_id == org)):
            subtotal = sum((Decimal(str(item.unit_price)) * item.quantity for item in invoice.items), Decimal(0))  # SAFE: money-float
            invoice.total = (subtotal * (1 + rate)).quantize(Decimal("0.01"))
        session.commit()
    click.echo("done")


@cli.command("tag-invoices")
@click.argument("numbers", nargs=-1)
@click.option("--tag", "tags", multiple=True)
def tag_invoices(numbers: tuple[str, ...], tags: tuple[str, ...]) -> None:
    with SessionLocal() as session:
        for row in db.invoices_by_numbers(session, 0, list(numbers)):
            click.echo(json.dumps({"number": row["number"], "tags": _merge_tags(list(tags))}))


def _merge_tags(new: list[str], existing: list[str] = []) -> list[str]:  # SEEDED: EDGE mutable-default
    for tag in new:
        if tag not in existing:
            existing.append(tag)
    return existing


@cli.command("config")
def show_config() -> None:
    settings = get_settings()
    public = settings.model_dump(exclude={"jwt_secret", "webhook_secret", "payment_api_key", "database_url"})
    click.echo(json.dumps(public, default=str, indent=2))  # SAFE: secret-in-log


@cli.command("purge-exports")
@click.option("--days", type=int, default=30)
def purge(days: int) -> None:
    from .worker import purge_exports

    click.echo(f"removed {purge_exports(days)} files")


if __name__ == "__main__":
    sys.exit(cli())
