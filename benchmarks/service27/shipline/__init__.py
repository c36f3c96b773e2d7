"""shipline: parcel shipping, tracking and billing for small couriers (seeded benchmark service)."""

__version__ = "0.4.0"
