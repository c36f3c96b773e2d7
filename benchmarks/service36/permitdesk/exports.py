"""Exports: XLSX workbooks (openpyxl), CSV helpers and the SFTP push to the records archive (paramiko)."""
import csv
import io
import logging
import posixpath
import stat
from datetime import date

import paramiko
from django.conf import settings
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from . import queries, storage

log = logging.getLogger(__name__)

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
ARCHIVE_ROOT = "/incoming/permitdesk"
KNOWN_HOSTS = "/etc/permitdesk/archive_known_hosts"


def csv_safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value  # SAFE: csv-formula-escaped
    return value


def permits_workbook(department_id: int, name: str):
    wb = Workbook(write_only=True)  # SAFE: streaming-workbook
    ws = wb.create_sheet("Permits")
    ws.append(["Number", "Kind", "Status", "Valuation ($)", "Submitted", "Issued"])
    for number, kind, status, cents, submitted, issued in queries.stream_permits_for_export(department_id):
        ws.append([csv_safe(number), csv_safe(kind), status, cents / 100,
                   submitted.replace(tzinfo=None) if submitted else None,
                   issued.replace(tzinfo=None) if issued else None])
    buf = io.BytesIO()
    wb.save(buf)
    return storage.write_export(name, buf.getvalue())


def violations_workbook(rows: list[dict]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Violations"
    headers = list(rows[0].keys())  # SEEDED: EDGE empty-collection
    ws.append(headers)
    for row in rows:
        ws.append([row[h] for h in headers])
    for i in range(1, len(headers) + 1):
        ws.column_dimensions[get_column_letter(i)].width = 18
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def import_inspector_roster(data: bytes) -> list[tuple[str, int]]:
    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)  # SAFE: data-only-read
    ws = wb.active
    out = []
    for row in ws.iter_rows(min_row=2, max_row=500, values_only=True):  # SAFE: bounded-rows
        if row and row[0]:
            out.append((str(row[0]).strip(), int(row[1] or 8)))
    wb.close()
    return out


def legacy_csv(department_id: int) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    for row in queries.all_permits_for_export(department_id):
        writer.writerow(row)
    return buf.getvalue()


def _sftp() -> tuple[paramiko.SSHClient, paramiko.SFTPClient]:
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())  # SEEDED: SEC host-key-not-verified
    client.connect(settings.ARCHIVE_SFTP_HOST, username=settings.ARCHIVE_SFTP_USER,  # SEEDED: EDGE missing-timeout
                   password=settings.ARCHIVE_SFTP_PASSWORD)
    return client, client.open_sftp()


def _sftp_verified() -> tuple[paramiko.SSHClient, paramiko.SFTPClient]:
    client = paramiko.SSHClient()
    client.load_host_keys(KNOWN_HOSTS)
    client.set_missing_host_key_policy(paramiko.RejectPolicy())  # SAFE: host-key-verified
    client.connect(settings.ARCHIVE_SFTP_HOST, username=settings.ARCHIVE_SFTP_USER,  # SAFE: ssh-timeouts
                   password=settings.ARCHIVE_SFTP_PASSWORD, timeout=15, banner_timeout=15, auth_timeout=15)
    return client, client.open_sftp()


def push_daily_archive() -> int:
    client, sftp = _sftp_verified()
    pushed = 0
    try:
        folder = posixpath.join(ARCHIVE_ROOT, date.today().isoformat())
        try:
            sftp.mkdir(folder)
        except OSError:
            log.info("archive folder %s exists", folder)  # SAFE: expected-error-logged
        for department_id in (1, 2, 3):
            data = legacy_csv(department_id).encode()
            storage.save_archive_copy(f"archive-{date.today().isoformat()}-dept-{department_id}.csv", data)
            sftp.putfo(io.BytesIO(data), posixpath.join(folder, f"dept-{department_id}.csv"))
            pushed += 1
    finally:
        sftp.close()
        client.close()  # SAFE: closed-in-finally
    return pushed


def delete_archive_folder(relative: str) -> int:
    client, sftp = _sftp()  # SEEDED: EDGE resource-leak
    folder = posixpath.join(ARCHIVE_ROOT, relative)
    removed = 0
    for entry in sftp.listdir_attr(folder):
        if not stat.S_ISDIR(entry.st_mode):
            sftp.remove(posixpath.join(folder, entry.filename))
            removed += 1
    sftp.rmdir(folder)
    client.close()
    return removed


def fetch_archived(name: str) -> bytes:
    client, sftp = _sftp_verified()
    try:
        with sftp.open(posixpath.join(ARCHIVE_ROOT, name), "rb") as fh:  # SEEDED: SEC path-traversal
            return fh.read()
    finally:
        client.close()
