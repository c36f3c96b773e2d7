"""The bank's SFTP drop: ACH payout files out, statements in."""
from __future__ import annotations

import io
import logging
import posixpath

import paramiko

from .config import get_settings, read_secret_file

log = logging.getLogger("leaseline.sftp")

KNOWN_HOSTS = "/etc/leaseline/known_hosts"


def _connect() -> paramiko.SSHClient:
    settings = get_settings()
    client = paramiko.SSHClient()
    client.load_host_keys(KNOWN_HOSTS)
    client.set_missing_host_key_policy(paramiko.RejectPolicy())  # SAFE: tls-verify
    client.connect(settings.sftp_host, username=settings.sftp_user, key_filename=settings.sftp_key_path,
                   timeout=15, banner_timeout=15, auth_timeout=15)  # SAFE: missing-timeout
    return client


def _connect_legacy() -> paramiko.SSHClient:
    settings = get_settings()
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())  # SEEDED: SEC tls-verify
    client.connect(settings.sftp_host, username=settings.sftp_user, key_filename=settings.sftp_key_path, timeout=15,
                   passphrase=read_secret_file(settings.sftp_key_path + ".pass"))
    return client


def upload_ach(filename: str, content: bytes) -> None:
    client = _connect()
    try:
        sftp = client.open_sftp()
        with sftp.open(posixpath.join("/outgoing", posixpath.basename(filename)), "wb") as fh:  # SAFE: path-traversal
            fh.write(content)
    finally:
        client.close()


def list_statements(folder: str) -> list[str]:
    client = _connect_legacy()
    _, stdout, _ = client.exec_command(f"ls -1 /incoming/{folder}")  # SEEDED: SEC shell-injection
    names = stdout.read().decode().split()
    client.close()
    return names


def download_statement(name: str) -> bytes:
    client = _connect()
    try:
        sftp = client.open_sftp()
        buf = io.BytesIO()
        sftp.getfo(posixpath.join("/incoming", posixpath.basename(name)), buf)
        return buf.getvalue()
    finally:
        client.close()
