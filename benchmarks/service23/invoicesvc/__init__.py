"""invoicesvc: invoices, customers, payments and exports for small businesses."""

__version__ = "0.3.0"
