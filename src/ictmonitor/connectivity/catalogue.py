"""Loading the connectivity catalogue (offers, modules, providers' prices) from its YAML file."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

DEFAULT_FILE = Path(__file__).parent / "data" / "catalogue.yaml"


class CatalogueError(ValueError):
    """The catalogue file is not in the expected shape; the message names the place."""


def read(path: Path = DEFAULT_FILE) -> dict[str, Any]:
    """The catalogue file, checked for the keys every entry needs."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise CatalogueError(f"{path}: not valid YAML: {error}") from None
    if not isinstance(data, dict):
        raise CatalogueError(f"{path}: expected offers, modules and providers")
    for section, keys in (("offers", ("code", "name", "description")),
                          ("modules", ("code", "bit", "name", "does", "risk")),
                          ("providers", ("code", "name", "offers", "modules"))):
        for number, entry in enumerate(data.get(section) or [], 1):
            missing = [k for k in keys if k not in entry]
            if missing:
                raise CatalogueError(f"{path}: {section} entry {number}: missing {missing}")
    bits = [m["bit"] for m in data["modules"]]
    if len(set(bits)) != len(bits) or any(b <= 0 or b & (b - 1) for b in bits):
        raise CatalogueError(f"{path}: module bits must be distinct powers of two")
    return data


@transaction.atomic
def load(path: Path = DEFAULT_FILE, models: Any = None) -> None:
    """Create or update every offer, module, provider and price the file names."""
    if models is None:
        from ictmonitor.connectivity import models
    data = read(path)
    for position, offer in enumerate(data["offers"]):
        models.Offer.objects.update_or_create(code=offer["code"], defaults={
            "name_nl": offer["name"]["nl"], "name_en": offer["name"]["en"],
            "description_nl": offer["description"]["nl"],
            "description_en": offer["description"]["en"],
            "allows_modules": offer.get("allows_modules", False), "position": position,
        })
    for position, module in enumerate(data["modules"]):
        models.Module.objects.update_or_create(code=module["code"], defaults={
            "bit": module["bit"], "position": position,
            "name_nl": module["name"]["nl"], "name_en": module["name"]["en"],
            "does_nl": module["does"]["nl"], "does_en": module["does"]["en"],
            "risk_nl": module["risk"]["nl"], "risk_en": module["risk"]["en"],
            "min_locations": module.get("min_locations", 1),
        })
    for module in data["modules"]:
        models.Module.objects.get(code=module["code"]).requires.set(module.get("requires", []))
    for provider in data["providers"]:
        models.Provider.objects.update_or_create(code=provider["code"],
                                                 defaults={"name": provider["name"]})
        for offer, tiers in provider["offers"].items():
            for download, upload, price in tiers:
                models.OfferPrice.objects.update_or_create(
                    provider_id=provider["code"], offer_id=offer, download_mbps=download,
                    defaults={"upload_mbps": upload, "monthly_eur": Decimal(str(price))},
                )
        for module, price in provider["modules"].items():
            models.ModulePrice.objects.update_or_create(
                provider_id=provider["code"], module_id=module,
                defaults={"monthly_eur": Decimal(str(price))},
            )
