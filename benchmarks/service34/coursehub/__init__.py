"""coursehub: an online-course / learning-management platform (Tornado + Pony ORM + APScheduler)."""

__version__ = "3.2.0"
