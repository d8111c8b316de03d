from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from ictmonitor.core.importkinds import ImportKind, register, register_runs
from ictmonitor.core.workkinds import WorkKind, register_work


class VouchersConfig(AppConfig):
    name = "ictmonitor.vouchers"
    verbose_name = _("Home-internet vouchers")

    def ready(self) -> None:
        """Register the providers' voucher feed as an import kind, and reallocation as
        background work."""
        register(ImportKind("vouchers", _("Voucher feed"),
                            "ictmonitor.vouchers.importers.import_vouchers", provider_feed=True))
        register_runs({"vouchers": _("voucher feed")})
        register_work(WorkKind("reallocate", _("reallocation of idle codes"),
                               "ictmonitor.vouchers.work.reallocate"))
