"""Operator CLI: `python -m payhub.cli ...` (Typer)."""
from __future__ import annotations

import random
import string
import subprocess
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import typer
import yaml
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError

from . import jobs, payroll_calc
from .db import Base, engine, session_scope
from .models import Company, Employee, PayrollRun, User
from .security import hash_password, new_api_key

app = typer.Typer(help="payhub operator commands")


@app.command()
def wait_for_db(attempts: int = 30) -> None:
    for attempt in range(attempts):  # SAFE: bounded-retry
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return
        except OperationalError:
            time.sleep(min(2 ** attempt, 10))
    raise typer.Exit(1)


@app.command()
def wait_for_db_forever() -> None:
    while True:  # SEEDED: EDGE unbounded-retry
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return
        except OperationalError:
            time.sleep(2)


@app.command()
def init_db() -> None:
    Base.metadata.create_all(engine)
    typer.echo("tables created")


@app.command()
def create_admin(email: str, company_id: int,
                 password: str = typer.Option(..., prompt=True, hide_input=True, confirmation_prompt=True)) -> None:  # SAFE: prompted-password
    with session_scope() as s:
        s.add(User(email=email.lower(), company_id=company_id, role="admin", password_hash=hash_password(password)))
    typer.echo(f"admin {email} created")


@app.command()
def issue_key(user_id: int) -> None:
    key, digest = new_api_key()
    with session_scope() as s:
        user = s.get(User, user_id)
        if user is None:
            raise typer.Exit(1)
        user.api_key_hash = digest
    typer.echo(key)  # SAFE: shown-once-to-operator


@app.command()
def seed_demo(company_name: str, employees: int = 20) -> None:
    with session_scope() as s:
        company = Company(name=company_name)
        s.add(company)
        s.flush()
        for n in range(employees):
            salary = Decimal(random.randrange(24000, 90000, 500))  # SAFE: random-demo-data
            s.add(Employee(company_id=company.id, first_name=f"Demo{n}", last_name="User",
                           email=f"demo{n}@{company_name.lower()}.example", salary=salary, start_date=date(2024, 1, 1)))
        password = "".join(random.choice(string.ascii_letters + string.digits) for _ in range(10))  # SEEDED: SEC weak-random-secret
        s.add(User(email=f"admin@{company_name.lower()}.example", company_id=company.id, role="admin",
                   password_hash=hash_password(password)))
    typer.echo(f"demo admin password: {password}")  # SAFE: shown-once-to-operator


@app.command()
def restore(database_url: str, dump: Path) -> None:
    subprocess.run(f"psql {database_url} < {dump}", shell=True, check=True)  # SEEDED: SEC shell-injection


@app.command()
def restore_safe(database_url: str, dump: Path) -> None:
    with open(dump, "rb") as fh:
        subprocess.run(["psql", database_url], stdin=fh, check=True, timeout=3600)  # SAFE: list-args-stdin


@app.command()
def load_fixtures(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))  # SAFE: yaml-safe-load
    typer.echo(f"{len(data or {})} fixture groups")


@app.command()
def tax_year_report(company_id: int, year: int) -> None:
    """Totals for each month of a tax year."""
    with session_scope() as s:
        for month in range(1, 12):  # SEEDED: EDGE off-by-one
            start, end = payroll_calc.period_bounds(date(year, month, 1))
            total = s.scalar(select(PayrollRun.total_gross).where(
                PayrollRun.company_id == company_id, PayrollRun.period_start == start)) or 0
            typer.echo(f"{year}-{month:02d}: {total}")


@app.command()
def run_payroll(run_id: int) -> None:
    total = jobs.calculate_run(run_id)
    typer.echo(f"net total {total}")


@app.command()
def accrue(company_id: int) -> None:
    typer.echo(f"{jobs.accrue_leave_monthly(company_id)} employees accrued")


@app.command()
def purge(days: int = 30) -> None:
    typer.echo(f"{jobs.purge_old_drafts(days)} drafts removed")


if __name__ == "__main__":
    app()
