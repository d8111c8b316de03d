from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from ictmonitor.core.importkinds import ImportKind, register, register_runs


class VouchersConfig(AppConfig):
    name = "ictmonitor.vouchers"
    verbose_name = _("Home-internet vouchers")

    def ready(self) -> None:
        """Register the providers' voucher feed as an import kind."""
        register(ImportKind("vouchers", _("Voucher feed"),
                            "ictmonitor.vouchers.importers.import_vouchers", provider_feed=True))
        register_runs({"vouchers": _("voucher feed")})
