"""The subscriptions app, which listens to what releases announce."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubscriptionsConfig(AppConfig):
    name = "subscriptions"
    verbose_name = _("Subscriptions")

    def ready(self):
        from subscriptions import receivers  # noqa: F401  (connects to the release signals)
