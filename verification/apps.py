"""Verifiable releases: every public version signed with Ed25519, and a page that checks."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VerificationConfig(AppConfig):
    name = "verification"
    verbose_name = _("Verifiable releases")

    def ready(self):
        from verification import checks, receivers  # noqa: F401
