"""Object permissions (django-rules), kept in step with accounts.access.institution_filter."""

from __future__ import annotations

from typing import Any

import rules

from ictmonitor.accounts.access import visible_institutions


@rules.predicate
def may_view_institution(user: Any, institution: Any) -> bool:
    """Whether the user may see this institution."""
    if institution is None or not user.is_authenticated:
        return False
    return visible_institutions(user).filter(pk=institution.pk).exists()


rules.add_perm("registry.view_institution", may_view_institution)
