"""DRF serializers for tickets, refunds and agent settings."""
import re

from rest_framework import serializers

PRIORITIES = ["low", "normal", "high", "urgent"]
SLUG = re.compile(r"^[a-z0-9-]{1,40}$")


class TicketSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)  # SAFE: free text, stored through parameters
    body = serializers.CharField(allow_blank=True, max_length=20_000)
    priority = serializers.ChoiceField(choices=PRIORITIES, default="normal")  # SAFE: closed set
    queue = serializers.CharField(max_length=40)
    tags = serializers.ListField(child=serializers.CharField(max_length=30), required=False)
    callback_url = serializers.URLField(required=False)

    def validate_queue(self, value: str) -> str:
        if not SLUG.match(value):  # SAFE: content validated, not only length
            raise serializers.ValidationError("queue must be a slug")
        return value


class RefundSerializer(serializers.Serializer):
    ticket_id = serializers.IntegerField(min_value=1)
    amount = serializers.FloatField(min_value=0)  # SEEDED: EDGE money-float
    reason = serializers.CharField(max_length=500)


class CreditSerializer(serializers.Serializer):
    ticket_id = serializers.IntegerField(min_value=1)
    amount = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0)  # SAFE: Decimal money


class AgentSettingsSerializer(serializers.Serializer):
    signature = serializers.CharField(max_length=2000, allow_blank=True)
    filter_pattern = serializers.CharField(max_length=200)
    avatar_url = serializers.URLField(required=False)

    def validate_signature(self, value: str) -> str:
        if len(value.splitlines()) > 10:
            raise serializers.ValidationError("signature too long")
        return value


class ExportSerializer(serializers.Serializer):
    report_name = serializers.CharField(max_length=64)
    fmt = serializers.ChoiceField(choices=["csv", "json"])
