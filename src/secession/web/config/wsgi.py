"""WSGI entry point (production: ``DJANGO_SETTINGS_MODULE=...settings_production``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secession.web.config.settings_dev")
application = get_wsgi_application()
