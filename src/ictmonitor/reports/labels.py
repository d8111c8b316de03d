"""Display names for dimension values, in Dutch or English, looked up in bulk."""

from __future__ import annotations

from collections.abc import Callable

from ictmonitor.assessment.selectors import current_framework, level_titles
from ictmonitor.connectivity.selectors import module_names_by_code, offer_names, provider_names
from ictmonitor.core.translation import message as _
from ictmonitor.registry.selectors import (
    board_names,
    institution_names,
    level_names,
    network_names,
    province_names,
)
from ictmonitor.vouchers.selectors import reason_names, requester_names, wave_names

Labeller = Callable[[set[str], str], dict[str, str]]

UNKNOWN = _("unknown")
SPECIAL = {"true": _("special"), "false": _("mainstream")}
PERIODS = {"before": _("before"), "after": _("after")}


def _provinces(values: set[str], language: str) -> dict[str, str]:
    return province_names(values, language)


def _levels(values: set[str], language: str) -> dict[str, str]:
    return level_names(values, language)


def _networks(values: set[str], language: str) -> dict[str, str]:
    return network_names(values)


def _boards(values: set[str], language: str) -> dict[str, str]:
    return board_names(values)


def _schools(values: set[str], language: str) -> dict[str, str]:
    return institution_names(values)


def _special(values: set[str], language: str) -> dict[str, str]:
    return {v: SPECIAL[v](language) for v in values if v in SPECIAL}


def _period(values: set[str], language: str) -> dict[str, str]:
    return {v: PERIODS[v](language) for v in values if v in PERIODS}


def _offers(values: set[str], language: str) -> dict[str, str]:
    return offer_names(values, language)


def _modules(values: set[str], language: str) -> dict[str, str]:
    return module_names_by_code(values, language)


def _providers(values: set[str], language: str) -> dict[str, str]:
    return provider_names(values)


def _waves(values: set[str], language: str) -> dict[str, str]:
    return wave_names(values, language)


def _requesters(values: set[str], language: str) -> dict[str, str]:
    return requester_names(values, language)


def _reasons(values: set[str], language: str) -> dict[str, str]:
    return reason_names(values, language)


def _label_levels(values: set[str], language: str) -> dict[str, str]:
    return {code: title for code, title in level_titles(language).items() if code in values}


def _areas(values: set[str], language: str) -> dict[str, str]:
    return {a.code: a.title.get(language) for a in current_framework().areas if a.code in values}


def _itself(values: set[str], language: str) -> dict[str, str]:
    return {v: v for v in values}


LABELLERS: dict[str, Labeller] = {
    "province": _provinces,
    "level": _levels,
    "special": _special,
    "network": _networks,
    "board": _boards,
    "school": _schools,
    "year": _itself,
    "month": _itself,
    "period": _period,
    "offer": _offers,
    "module": _modules,
    "provider": _providers,
    "wave": _waves,
    "requested_by": _requesters,
    "reason": _reasons,
    "label_level": _label_levels,
    "area": _areas,
}


def dimension_labels(dimension: str, values: list[object], language: str,
                     known: dict[str, str] | None = None, ordered: bool = False) -> dict[str, str]:
    """The display name of each value of a dimension present in a report, by code in code
    order; `known`: names read with the rows already (else they are looked up in bulk);
    `ordered`: the values come in code order already (the rows are sorted by this dimension)."""
    present = dict.fromkeys(str(v) for v in values if v is not None)
    found = known if known is not None else LABELLERS.get(dimension, _itself)(set(present),
                                                                              language)
    codes = list(present)
    if not ordered:
        codes.sort()
    labels = {v: found.get(v, v) for v in codes}
    if any(v is None for v in values):
        labels[""] = UNKNOWN(language)
    return labels

