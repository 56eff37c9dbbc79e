"""WSGI entry point, as used by gunicorn: ``gunicorn skillsportal.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skillsportal.settings")

application = get_wsgi_application()
