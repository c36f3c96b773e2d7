"""permitdesk: the city's building-permit and inspection portal (Django 5.2 + django-ninja)."""

default_app_config = "permitdesk"
__version__ = "2.3.1"
