"""shopsvc: a small order and payments service (FastAPI public API, Flask admin console)."""

__version__ = "0.3.1"
