"""Bank payment files (a fixed-width BACS-style file) and their SFTP delivery."""
from __future__ import annotations

import io
import logging
import time
import unicodedata
from datetime import date
from decimal import Decimal

import paramiko

from .config import Config
from .payroll_calc import money

log = logging.getLogger(__name__)

MAX_UPLOAD_ATTEMPTS = 5


def to_pence(amount: Decimal) -> int:
    return int(money(amount) * 100)  # SAFE: decimal-to-int


def amount_field(net: Decimal) -> str:
    pence = int(float(net) * 100)  # SEEDED: EDGE money-float
    return f"{pence:011d}"


def ascii_name(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()  # SAFE: unicode-folded
    return folded.upper()[:18].ljust(18)


def payee_reference(employee) -> str:
    return f"{employee.last_name} {employee.first_name}".encode("ascii").decode()[:18].upper()  # SEEDED: EDGE unicode


def build_bank_file(company, payslips: list, employees: dict[int, object], pay_date: date) -> bytes:
    lines = [f"HDR{company.bank_account:<34}{pay_date:%y%m%d}{len(payslips):06d}"]
    total = 0
    for slip in payslips:
        emp = employees[slip.employee_id]
        pence = to_pence(slip.net)
        total += pence
        lines.append(f"PAY{emp.bank_iban:<34}{ascii_name(emp.last_name)}{pence:011d}{payee_reference(emp)}")
    lines.append(f"TRL{total:015d}")
    return ("\r\n".join(lines) + "\r\n").encode("ascii")


def _connect_insecure(host: str, user: str, password: str) -> paramiko.SSHClient:
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())  # SEEDED: SEC ssh-host-key
    client.connect(host, username=user, password=password, look_for_keys=False)  # SEEDED: EDGE missing-timeout
    return client


def _connect(host: str, user: str, key_path: str) -> paramiko.SSHClient:
    client = paramiko.SSHClient()
    client.load_system_host_keys()
    client.set_missing_host_key_policy(paramiko.RejectPolicy())  # SAFE: reject-unknown-host
    client.connect(host, username=user, key_filename=key_path, timeout=15, banner_timeout=15,
                   auth_timeout=15)  # SAFE: ssh-timeouts
    return client


def upload_bank_file(name: str, content: bytes) -> str:
    client = _connect(Config.BANK_SFTP_HOST, Config.BANK_SFTP_USER, Config.BANK_SFTP_KEY)
    try:
        sftp = client.open_sftp()
        remote = f"/inbound/{name}"
        sftp.putfo(io.BytesIO(content), remote, file_size=len(content), confirm=True)
        return remote
    finally:
        client.close()


def upload_with_retry(name: str, content: bytes) -> str:
    for attempt in range(1, MAX_UPLOAD_ATTEMPTS + 1):  # SAFE: bounded-retry
        try:
            return upload_bank_file(name, content)
        except (OSError, paramiko.SSHException):
            if attempt == MAX_UPLOAD_ATTEMPTS:
                raise
            log.warning("bank upload attempt %d failed", attempt)
            time.sleep(2 ** attempt)
    raise RuntimeError("unreachable")


def upload_legacy_bank(name: str, content: bytes, host: str, user: str, password: str) -> str:
    """Two older customer banks only accept password logins."""
    log.info("connecting to %s as %s with password %s", host, user, password)  # SEEDED: SEC secret-in-log
    client = _connect_insecure(host, user, password)
    while True:  # SEEDED: EDGE unbounded-retry
        try:
            sftp = client.open_sftp()
            sftp.putfo(io.BytesIO(content), f"/upload/{name}")
            return name
        except paramiko.SSHException:
            time.sleep(30)


def fetch_statements(since: date) -> list[bytes]:
    client = _connect(Config.BANK_SFTP_HOST, Config.BANK_SFTP_USER, Config.BANK_SFTP_KEY)
    out = []
    try:
        sftp = client.open_sftp()
        for entry in sftp.listdir_attr("/outbound"):
            if entry.st_mtime and date.fromtimestamp(entry.st_mtime) >= since:
                buf = io.BytesIO()
                sftp.getfo(f"/outbound/{entry.filename}", buf)
                out.append(buf.getvalue())
    finally:
        client.close()
    return out


def parse_return_line(line: str) -> tuple[str, Decimal]:
    ref, amount = line[3:21].strip(), Decimal(line[21:32]) / 100  # SAFE: decimal-from-str
    return ref, amount
