"""Reading saved scenarios: a user only ever gets their own."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from ictmonitor.procurement.models import SavedScenario


def my_scenarios(user: Any) -> QuerySet[SavedScenario]:
    """The user's saved scenarios, by name."""
    return SavedScenario.objects.filter(owner=user).order_by("name", "id")


def access_saved(user: Any, pk: Any) -> SavedScenario:
    """The user's own saved scenario with this id; else 404, whether it exists or not."""
    try:
        number = int(pk)
    except (TypeError, ValueError):
        raise Http404("No such scenario") from None
    found = my_scenarios(user).filter(pk=number).first()
    if found is None:
        raise Http404("No such scenario")
    return found
