from __future__ import annotations

import re

from django import forms

from .models import Appointment, Clinic, Patient, PortalMessage

PHONE_RE = re.compile(r"^\+?[0-9]{7,15}$")


class ContactDetailsForm(forms.ModelForm):
    class Meta:
        model = Patient
        fields = ["email", "phone"]  # SAFE: mass-assignment

    def clean_email(self):
        email = self.cleaned_data.get("email")
        return email.strip().lower() if email else email  # SAFE: none-deref

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        if phone and not PHONE_RE.match(phone):
            raise forms.ValidationError("Enter digits only, with an optional leading +.")
        return phone


class IntakeForm(forms.ModelForm):
    """New-patient intake, filled in by the patient before their first visit."""

    class Meta:
        model = Patient
        fields = "__all__"  # SEEDED: SEC mass-assignment


class ClinicSettingsForm(forms.ModelForm):
    class Meta:
        model = Clinic
        fields = ["name", "timezone", "fax_number", "letter_template", "opening_hour", "closing_hour"]

    def clean_timezone(self):
        from zoneinfo import available_timezones

        tz = self.cleaned_data["timezone"]
        if tz not in available_timezones():
            raise forms.ValidationError("Unknown time zone")  # SAFE: none-input
        return tz

    def clean(self):
        data = super().clean()
        if data.get("opening_hour", 0) >= data.get("closing_hour", 24):
            raise forms.ValidationError("Opening hour must be before closing hour")
        return data


class MessageForm(forms.ModelForm):
    class Meta:
        model = PortalMessage
        fields = ["subject", "body"]


class RescheduleForm(forms.Form):
    starts_at = forms.DateTimeField()
    reason = forms.CharField(max_length=500, required=False)

    def clean_starts_at(self):
        from django.utils import timezone

        value = self.cleaned_data["starts_at"]
        if value <= timezone.now():  # SAFE: naive-datetime
            raise forms.ValidationError("Pick a time in the future")
        return value


class VisitNotesForm(forms.ModelForm):
    class Meta:
        model = Appointment
        fields = ["reason", "tags"]


class LetterForm(forms.Form):
    recipient = forms.CharField(max_length=200)
    body_html = forms.CharField(widget=forms.Textarea, max_length=20000)
    fax_to = forms.CharField(max_length=20, required=False)
