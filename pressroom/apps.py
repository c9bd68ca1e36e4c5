"""The project itself: system checks, the roles kept in step after every migrate, the admin site."""

from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PressroomConfig(AppConfig):
    name = "pressroom"
    verbose_name = _("Pressroom")

    def ready(self):
        from pressroom import checks, roles  # noqa: F401  (registers the checks)

        post_migrate.connect(roles.sync_role_permissions, dispatch_uid="pressroom-roles")


class PressroomAdminConfig(AdminConfig):
    # The project's site: core's, with staff sign-in from signin on top.
    default_site = "pressroom.admin_site.AdminSite"
