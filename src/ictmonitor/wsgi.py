"""WSGI entry point for production servers."""

import os

from django.core.wsgi import get_wsgi_application

from ictmonitor.core.warm import load_every_page

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ictmonitor.settings")
application = get_wsgi_application()
load_every_page()  # every page's code loaded now, not in the first request
