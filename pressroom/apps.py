"""The project itself: system checks, and the roles kept in step after every migrate."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PressroomConfig(AppConfig):
    name = "pressroom"
    verbose_name = _("Pressroom")

    def ready(self):
        from pressroom import checks, roles  # noqa: F401  (registers the checks)

        post_migrate.connect(roles.sync_role_permissions, dispatch_uid="pressroom-roles")
