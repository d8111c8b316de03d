"""Loading the connectivity catalogue (offers, modules, providers, and each catalogue version's
prices) from its YAML file."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.db.models import Q

from ictmonitor.connectivity import models as live_models

DEFAULT_FILE = Path(__file__).parent / "data" / "catalogue.yaml"
UNITS = ("line", "access-point", "device")


class CatalogueError(ValueError):
    """The catalogue file is not in the expected shape; the message names the place."""


def read(path: Path = DEFAULT_FILE) -> dict[str, Any]:
    """The catalogue file, checked for the keys every entry needs; its versions oldest first."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise CatalogueError(f"{path}: not valid YAML: {error}") from None
    if not isinstance(data, dict):
        raise CatalogueError(f"{path}: expected offers, modules, providers and versions")
    for section, keys in (("offers", ("code", "name", "description")),
                          ("modules", ("code", "bit", "name", "does", "risk")),
                          ("providers", ("code", "name")),
                          ("versions", ("code", "name", "valid_from", "vat_rate",
                                        "contract_months", "prices"))):
        if not data.get(section):
            raise CatalogueError(f"{path}: no {section}")
        for number, entry in enumerate(data[section], 1):
            missing = [k for k in keys if k not in entry]
            if missing:
                raise CatalogueError(f"{path}: {section} entry {number}: missing {missing}")
    bits = [m["bit"] for m in data["modules"]]
    if len(set(bits)) != len(bits) or any(b <= 0 or b & (b - 1) for b in bits):
        raise CatalogueError(f"{path}: module bits must be distinct powers of two")
    data["versions"].sort(key=lambda v: v["valid_from"])
    for version in data["versions"]:
        _check_version(path, version, data)
    return data


def _check_version(path: Path, version: dict[str, Any], data: dict[str, Any]) -> None:
    where = f"{path}: version {version['code']}"
    days = [version["valid_from"], version.get("valid_until") or version["valid_from"]]
    if not all(isinstance(d, date) for d in days) or days[1] < days[0]:
        raise CatalogueError(f"{where}: valid_from and valid_until must be dates, in order")
    providers = {p["code"] for p in data["providers"]}
    offers = {o["code"] for o in data["offers"]}
    modules = {m["code"] for m in data["modules"]}
    for provider, prices in version["prices"].items():
        if provider not in providers:
            raise CatalogueError(f"{where}: unknown provider {provider}")
        for offer, tiers in prices.get("offers", {}).items():
            if offer not in offers:
                raise CatalogueError(f"{where}: {provider}: unknown offer {offer}")
            if any(len(tier) != 4 for tier in tiers):
                raise CatalogueError(f"{where}: {provider} {offer}: a tier is [download Mbps, "
                                     "upload Mbps, monthly €, one-off €]")
        for module, price in prices.get("modules", {}).items():
            if module not in modules:
                raise CatalogueError(f"{where}: {provider}: unknown module {module}")
            if isinstance(price, dict) and price.get("per", "line") not in UNITS:
                raise CatalogueError(f"{where}: {provider} {module}: per is one of "
                                     f"{', '.join(UNITS)}")


def module_price(price: Any) -> tuple[Decimal, str]:
    """A module's price as the file gives it (a number, or {monthly, per}): (€, unit)."""
    if isinstance(price, dict):
        return Decimal(str(price["monthly"])), price.get("per", "line")
    return Decimal(str(price)), "line"


def version_in_force(data: dict[str, Any], day: date) -> dict[str, Any]:
    """The file's catalogue version in force on a day (the earliest before any began)."""
    found = [v for v in data["versions"] if v["valid_from"] <= day]
    return found[-1] if found else data["versions"][0]


@transaction.atomic
def load(path: Path = DEFAULT_FILE, models: Any = None) -> None:
    """Create or update every offer, module, provider, version and price the file names, and
    give each line without one the version in force on its day."""
    models = models or live_models
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
    for version in data["versions"]:
        _load_version(models, version)
    versions = data["versions"]
    for number, version in enumerate(versions):  # lines: the version in force on their day
        lines = models.Subscription.objects.filter(catalogue_version__isnull=True)
        if number:  # the first version also takes lines older than any, or without a date
            lines = lines.filter(_requested_from(version["valid_from"]))
        if number + 1 < len(versions):
            lines = lines.exclude(_requested_from(versions[number + 1]["valid_from"]))
        lines.update(catalogue_version_id=version["code"])


def _requested_from(day: date) -> Q:
    """Lines requested (else started) on or after a day."""
    return Q(requested_on__gte=day) | Q(requested_on__isnull=True, started_on__gte=day)


def _load_version(models: Any, version: dict[str, Any]) -> None:
    contract = version.get("contract") or {}
    models.CatalogueVersion.objects.update_or_create(code=version["code"], defaults={
        "name_nl": version["name"]["nl"], "name_en": version["name"]["en"],
        "contract_nl": contract.get("nl", ""), "contract_en": contract.get("en", ""),
        "valid_from": version["valid_from"], "valid_until": version.get("valid_until"),
        "programme_provider_id": version.get("programme_provider"),
        "offer_names": version.get("offer_names") or {},
        "vat_rate": Decimal(str(version["vat_rate"])),
        "contract_months": version["contract_months"],
        "source": " ".join(str(version.get("source", "")).split()),
        "estimate": bool(version.get("estimate", True)),
    })
    for provider, prices in version["prices"].items():
        for offer, tiers in prices.get("offers", {}).items():
            for download, upload, monthly, one_off in tiers:
                models.OfferPrice.objects.update_or_create(
                    version_id=version["code"], provider_id=provider, offer_id=offer,
                    download_mbps=download,
                    defaults={"upload_mbps": upload, "monthly_eur": Decimal(str(monthly)),
                              "one_off_eur": Decimal(str(one_off))},
                )
        for module, price in prices.get("modules", {}).items():
            monthly, unit = module_price(price)
            models.ModulePrice.objects.update_or_create(
                version_id=version["code"], provider_id=provider, module_id=module,
                defaults={"monthly_eur": monthly, "unit": unit},
            )
        # (the models of migration 0005 have no voucher prices yet: 0006 loads them)
        if "vouchers" in prices and hasattr(models, "VoucherPrice"):
            models.VoucherPrice.objects.update_or_create(
                version_id=version["code"], provider_id=provider,
                defaults={"monthly_eur": Decimal(str(prices["vouchers"]))})
