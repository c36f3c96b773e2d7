from __future__ import annotations

import logging

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from . import integrations, storage
from .models import Appointment, AuditEvent, LabResult, Patient

logger = logging.getLogger("telecare.signals")


@receiver(pre_save, sender=Patient)
def normalise_patient(sender, instance: Patient, **kwargs) -> None:
    instance.email = instance.email.strip().lower()  # SEEDED: EDGE none-deref
    instance.last_name = instance.last_name.strip()


@receiver(post_save, sender=Appointment)
def create_room(sender, instance: Appointment, created: bool, **kwargs) -> None:
    if not created or not instance.video_room:
        return
    try:
        integrations.create_video_room(instance.video_room)
    except Exception:  # SEEDED: EDGE swallowed-exception
        pass  # SEEDED-ALSO


@receiver(post_save, sender=LabResult)
def lab_released(sender, instance: LabResult, created: bool, update_fields=None, **kwargs) -> None:
    if not instance.released or (update_fields is not None and "released" not in update_fields):
        return
    AuditEvent.objects.create(action="lab.released", target=f"lab:{instance.pk}", detail={"panel": instance.panel})
    phone = instance.patient.phone
    if phone:
        integrations.send_sms(phone, "A new lab result is available in your Telecare portal.")  # SAFE: phi-in-log


@receiver(post_save, sender=LabResult)
def mirror_lab_file(sender, instance: LabResult, created: bool, **kwargs) -> None:
    if not created or not instance.file_path:
        return
    try:
        with storage.open_report_checked(instance.file_path) as fh:
            storage.upload_report_s3(f"labs/{instance.patient_id}/{instance.pk}.pdf", fh.read())  # SEEDED: EDGE unbounded-read
    except OSError:
        logger.exception("could not mirror lab file %s", instance.pk)  # SAFE: swallowed-exception
