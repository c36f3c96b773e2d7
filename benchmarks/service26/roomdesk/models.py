"""Data model: venues, rooms, bookings, invoices, guests, API keys, webhooks, price rules."""
from decimal import Decimal

from django.conf import settings
from django.db import models


class Venue(models.Model):
    name = models.CharField(max_length=120)
    city = models.CharField(max_length=80)
    timezone = models.CharField(max_length=40, default="UTC")
    manager = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="venues")

    def __str__(self):
        return self.name


class Room(models.Model):
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(max_length=80)
    capacity = models.PositiveIntegerField(default=0)
    hourly_rate = models.FloatField(default=0.0)  # SEEDED: EDGE money-float
    day_rate = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0.00"))  # SAFE: money-float
    booked_count = models.PositiveIntegerField(default=0)
    floor_plan = models.CharField(max_length=255, blank=True)
    is_active = models.BooleanField(default=True)

    def occupancy(self, booked_hours: float, open_hours: float) -> float:
        if open_hours <= 0:
            return 0.0
        return booked_hours / open_hours  # SAFE: division-by-zero

    def __str__(self):
        return f"{self.venue.name} / {self.name}"


class Booking(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending"
        CONFIRMED = "confirmed"
        CANCELLED = "cancelled"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookings")
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="bookings")
    title = models.CharField(max_length=200)
    notes = models.TextField(blank=True)
    start = models.DateTimeField()
    end = models.DateTimeField()
    guests = models.PositiveIntegerField(default=1)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    total = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0.00"))
    confirmation_code = models.CharField(max_length=16, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["room", "start"])]

    @property
    def nights(self) -> int:
        return (self.end.date() - self.start.date()).days

    @property
    def nightly_price(self) -> Decimal:
        return self.total / self.nights  # SEEDED: EDGE division-by-zero

    @property
    def price_per_guest(self) -> Decimal:
        return self.total / max(self.guests, 1)  # SAFE: division-by-zero


class Invoice(models.Model):
    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="invoice")
    number = models.CharField(max_length=32, unique=True)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    pdf_key = models.CharField(max_length=255, blank=True)
    paid = models.BooleanField(default=False)


class Guest(models.Model):
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="guest_list")
    name = models.CharField(max_length=120)
    email = models.EmailField()
    company = models.CharField(max_length=120, blank=True)
    pin_hash = models.CharField(max_length=128, blank=True)


class ApiKey(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    prefix = models.CharField(max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    scopes = models.CharField(max_length=200, default="bookings:read")
    created_at = models.DateTimeField(auto_now_add=True)


class WebhookEndpoint(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    url = models.URLField()
    secret = models.CharField(max_length=64)
    template = models.TextField(default="Booking {booking.id} is {booking.status}")
    failures = models.PositiveIntegerField(default=0)


class PriceRule(models.Model):
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="price_rules")
    name = models.CharField(max_length=80)
    formula = models.CharField(max_length=255, help_text="e.g. base * 0.9 if hours > 4 else base")
    discount = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("0"))
    active = models.BooleanField(default=True)
