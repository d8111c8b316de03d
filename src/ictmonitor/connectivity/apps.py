from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from ictmonitor.core.importkinds import ImportKind, register, register_runs


class ConnectivityConfig(AppConfig):
    name = "ictmonitor.connectivity"
    verbose_name = _("Connectivity")

    def ready(self) -> None:
        """Register the providers' subscription feed as an import kind."""
        register(ImportKind("subscriptions", _("Subscription feed"),
                            "ictmonitor.connectivity.importers.import_subscriptions",
                            provider_feed=True))
        register_runs({"subscriptions": _("subscription feed")})
