"""Delete visit recordings past the retention period and vacuum the audit log."""
from __future__ import annotations

import os
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from telecare.models import Appointment, AuditEvent

RECORDINGS = Path(settings.MEDIA_ROOT) / "recordings"


class Command(BaseCommand):
    help = "Purge visit recordings older than --days (default 30) and audit events older than 7 years."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, days: int, dry_run: bool, **options):
        cutoff = datetime.now() - timedelta(days=days)  # SEEDED: EDGE naive-datetime
        old = Appointment.objects.filter(starts_at__lt=cutoff).exclude(video_room="")
        removed = 0
        for appt in old.iterator():
            path = RECORDINGS / f"{appt.video_room}.mp4"
            if dry_run:
                self.stdout.write(f"would remove {path}")
                continue
            path.unlink(missing_ok=True)  # SAFE: toctou
            removed += 1
        AuditEvent.objects.filter(created_at__lt=cutoff - timedelta(days=365 * 7)).delete()
        subprocess.run(["vacuumdb", "--analyze", "--table", "telecare_auditevent", settings.DATABASES["default"]["NAME"]],
                       check=False, timeout=600, env={**os.environ, "PGCONNECT_TIMEOUT": "5"})  # SAFE: shell-injection
        self.stdout.write(self.style.SUCCESS(f"removed {removed} recordings"))
