"""leaseline: a property-management / residential rental platform (seeded benchmark)."""

__version__ = "0.7.2"
