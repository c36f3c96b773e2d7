"""wheelshare: car-sharing and fleet-rental platform."""

__version__ = "2.4.0"
