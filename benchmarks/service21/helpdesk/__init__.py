"""Helpdesk: support tickets over a Django REST API, a live aiohttp feed, Starlette webhooks
and Celery workers."""
import django
from django.conf import settings

if not settings.configured:
    from helpdesk import config

    settings.configure(**config.django_settings())
    django.setup()
