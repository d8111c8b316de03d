"""Every page's code loaded when a server starts, not in its first request.

Django imports the URLconf, and with it every app's views, the API (django-ninja builds its
schemas then) and what they import (Altair for the charts), on the first request a process
serves, and builds the URL resolver's maps on the first `reverse`: seconds on a busy machine,
which the first upload after a start waited for before its answer (issue 13: the answer within
2 s). `ictmonitor serve` and `ictmonitor.wsgi` call `load_every_page` before taking requests.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import get_resolver
from django.utils import translation


def load_every_page() -> None:
    """Import the URLconf and every module it names, and build the resolver's maps of names
    and namespaces in each language of the site (the API's addresses are reversed in the
    answer of every upload)."""
    resolver = get_resolver()
    _ = resolver.url_patterns
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            _ = resolver.reverse_dict, resolver.namespace_dict, resolver.app_dict
